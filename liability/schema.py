"""What every file of a rules folder shares: strict models, texts in both languages, located
problems, and the test of an address a report may link to.

The rule packs, the facts file, the jurisdiction descriptors and the glossary are all data a user
may have written or downloaded; they are validated the same way and their problems reported the
same way (``file:line: where: problem``), whichever of them is at fault.
"""

from __future__ import annotations

import re
from typing import Any, Iterable, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from .sources import Document, shown

Strength = Literal["established", "likely", "arguable"]
STRENGTH_ORDER: dict[str, int] = {"arguable": 0, "likely": 1, "established": 2}


class RuleError(Exception):
    """Problems in a rules folder, one ``file: rule id: problem`` line each."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        super().__init__("\n".join(problems))


class Strict(BaseModel):
    """A model of a rules-folder file: unknown keys are errors, nothing changes once read."""

    model_config = ConfigDict(extra="forbid", frozen=True)


class Text(Strict):
    """A text in both languages of the project."""

    fr: str = Field(min_length=1)
    en: str = Field(min_length=1)

    def get(self, lang: str) -> str:
        return self.fr if lang == "fr" else self.en


def is_reference(label: str) -> bool:
    """Whether a label is only a reference to a text: numbers, letters between brackets and
    abbreviations ending in a full stop, which a French and an English reader write alike. Any
    other word belongs to one language, so the label must be given in both."""
    tokens = label.replace(",", " ").split()
    return bool(tokens) and all(any(c.isdigit() for c in token) or token.endswith(".") for token in tokens)


def pydantic_problems(file: str, error: ValidationError, document: Document, data: Any) -> list[str]:
    """A rules-folder file's validation errors, one located line each (file:line: key or rule id)."""
    problems = []
    for item in error.errors():
        location = tuple(item["loc"])
        rule_id = None
        if len(location) >= 2 and location[0] == "rules" and isinstance(location[1], int):
            rules = data.get("rules") if isinstance(data, dict) else None
            if isinstance(rules, list) and location[1] < len(rules) and isinstance(rules[location[1]], dict):
                rule_id = rules[location[1]].get("id")
        head = _head_named(data, location)
        line = document.line_of(location)
        where = f"{file}:{line}" if line else file
        key = ".".join(str(p) for p in location)
        message = item["msg"]
        if item["type"] == "extra_forbidden":
            message = f"unknown key `{location[-1]}`"
        elif item["type"] == "missing":
            message = f"missing required key `{location[-1]}`"
        elif message.startswith("Value error, "):
            message = message[len("Value error, "):]
        within = ".".join(str(p) for p in location[2:])
        if rule_id:
            named_already = item["type"] in ("extra_forbidden", "missing")  # the message names the key
            prefix = f"{where}: {rule_id}" + (f": {within}" if within and not named_already else "")
        elif head:
            subject, within = head
            named_already = item["type"] in ("extra_forbidden", "missing")
            prefix = f"{where}: {subject}" + (f": {within}" if within and not named_already else "")
        else:
            prefix = f"{where}: {key}"
        problems.append(f"{prefix}: {message}")
    return problems


def _head_named(data: Any, location: tuple[Any, ...]) -> tuple[str, str] | None:
    """For a problem inside a head, `head id` (and `element n` inside one of its elements) and the
    key within it, so that the message names the head as problems found after parsing do."""
    if len(location) < 2 or location[0] != "heads" or not isinstance(location[1], int):
        return None
    heads = data.get("heads") if isinstance(data, dict) else None
    if not (isinstance(heads, list) and location[1] < len(heads) and isinstance(heads[location[1]], dict)):
        return None
    head_id = heads[location[1]].get("id")
    if not isinstance(head_id, str):
        return None
    subject, rest = f"head {shown(head_id)}", location[2:]
    if len(rest) >= 2 and rest[0] == "elements" and isinstance(rest[1], int):
        subject, rest = f"{subject}: element {rest[1] + 1}", rest[2:]
    return subject, ".".join(str(p) for p in rest)


URL_CHARACTERS = re.compile(r"(?:[A-Za-z0-9\-._~:/?#@!$&'()*+,;=]|%[0-9A-Fa-f]{2})*")
"""What RFC 3986 allows in an address, percent escapes well formed: no space, control character,
backslash, quote, angle bracket or non-ASCII letter, each of which a browser rewrites or drops."""
URL_PARTS = re.compile(r"https://(?P<authority>[^/?#]*)(?:[/?#].*)?", re.ASCII | re.IGNORECASE)
HOST_NAME = r"[a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)*"
"""A host name of letters, digits and inner hyphens, no empty label."""
HOST_AND_PORT = re.compile(rf"(?P<host>{HOST_NAME})(?::443)?", re.ASCII | re.IGNORECASE)
"""An authority that is a host name, at most with the default port: no userinfo (`@`), no other
port, nothing percent-encoded."""


def link_host(url: str) -> str | None:
    """The host a browser reaches for `url`, if it is a plain https address, else None.

    The address becomes a link in the reports, and a browser reads addresses leniently: it takes a
    backslash for a slash, drops tabs and newlines, skips a `user@` prefix, decodes a percent-encoded
    host and maps Unicode dots. A lenient parser here would judge another host than the one the
    link reaches, so whatever a browser would rewrite is refused rather than interpreted.
    """
    parts = URL_PARTS.fullmatch(url) if URL_CHARACTERS.fullmatch(url) else None
    authority = HOST_AND_PORT.fullmatch(parts["authority"]) if parts else None
    return authority["host"].lower() if authority else None  # a browser lower-cases the host


def official(url: str, hosts: Iterable[str]) -> bool:
    """Whether `url` is an https address on one of the official `hosts` (or a site under one),
    judged on the host a browser reaches (:func:`link_host`). The hosts are declared by each
    jurisdiction's descriptor in the rules folder."""
    host = link_host(url)
    return host is not None and any(host == h or host.endswith("." + h) for h in hosts)
