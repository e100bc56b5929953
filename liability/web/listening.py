"""Whether the page can listen where it is asked to, said before the server starts: uvicorn would
otherwise log a bind failure and exit without naming the option to change."""

from __future__ import annotations

import ipaddress
import socket


def check_listening(host: str, port: int) -> str | None:
    """A one-line problem naming `--host` or `--port`, or None when the address can be bound."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE)
    except socket.gaierror as error:
        return f"--host {host}: not an address this machine can listen on ({error.strerror})"
    family, kind, proto, _, address = infos[0]
    with socket.socket(family, kind, proto) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind(address)
        except OSError as error:
            return f"--port {port}: cannot listen on {host}:{port} ({error.strerror}); choose another port"
    return None


def is_loopback(host: str) -> bool:
    """Whether `host` names this machine only (127.0.0.0/8, ::1, localhost)."""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False
