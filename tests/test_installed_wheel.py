"""A non-editable install must carry the rules and scenarios and run from any directory."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import venv
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A fresh virtualenv with `pip install .` (not editable) of this checkout."""
    home = tmp_path_factory.mktemp("wheel-env")
    venv.create(home / "env", with_pip=True)
    python = home / "env" / "bin" / "python"
    subprocess.run([str(python), "-m", "pip", "install", "-q", str(ROOT)], check=True,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return home


def _run(home: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "LIABILITY_RULES")}
    elsewhere = home / "elsewhere"
    elsewhere.mkdir(exist_ok=True)
    return subprocess.run([str(home / "env" / "bin" / "liability"), *args], cwd=elsewhere, env=env,
                          capture_output=True, text=True)


def test_the_installed_command_runs_a_bundled_scenario_by_id_from_any_directory(installed: Path) -> None:
    listing = _run(installed, "scenario", "list")
    assert listing.returncode == 0, listing.stderr
    first_id = listing.stdout.split()[0]
    result = _run(installed, "run", first_id, "--format", "json")
    assert result.returncode == 0, result.stderr
    document = json.loads(result.stdout)
    assert document["schema"] == "liability/findings-v1"
    assert document["scenario"] == first_id
    assert document["regimes"] and document["regimes"][0]["findings"]


def test_the_installed_package_ships_every_rule_pack_and_checks_its_scenarios(installed: Path) -> None:
    lint = _run(installed, "rules", "list")
    assert lint.returncode == 0, lint.stderr
    assert len(lint.stdout.splitlines()) > 10
    check = _run(installed, "check")
    assert check.returncode == 0, check.stdout + check.stderr
    assert " 0 failed" in check.stdout


def test_the_installed_package_imports_without_the_source_tree(installed: Path) -> None:
    python = installed / "env" / "bin" / "python"
    result = subprocess.run([str(python), "-c", "import liability, liability.bundled as b; print(b.rules_dir())"],
                            cwd=installed, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert "site-packages" in result.stdout
    assert sys.prefix not in result.stdout



def test_the_installed_package_serves_its_page_with_its_own_script(installed: Path) -> None:
    import socket
    import time
    import urllib.request

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "LIABILITY_RULES")}
    server = subprocess.Popen([str(installed / "env" / "bin" / "liability"), "serve", "--port", str(port)],
                              cwd=installed, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        statuses, deadline = [], time.monotonic() + 60
        while not statuses:
            try:
                statuses = [urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=10).status
                            for path in ("/", "/static/page.js", "/static/page.css")]
            except OSError:
                assert time.monotonic() < deadline and server.poll() is None, "the installed server did not start"
                time.sleep(0.2)
        assert statuses == [200, 200, 200]
    finally:
        server.terminate()
        server.wait(10)
