"""Every test, and every command a test starts, caches rulebooks in a folder of its own session.

Golden files are rewritten only on a developer's machine: under CI (the variable CI set, as CI
services set it) `--update-goldens` is refused, since a run that rewrote its own goldens would
pass whatever the law came to."""

from __future__ import annotations

import os

import pytest


@pytest.fixture(scope="session", autouse=True)
def private_rulebook_cache(tmp_path_factory: pytest.TempPathFactory) -> None:
    os.environ["LIABILITY_CACHE_DIR"] = str(tmp_path_factory.mktemp("cache"))


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--update-goldens", action="store_true",
                     help="Rewrite the golden files under tests/golden/ from the current output (refused under CI).")


def pytest_configure(config: pytest.Config) -> None:
    if config.getoption("--update-goldens") and os.environ.get("CI"):
        raise pytest.UsageError("--update-goldens is refused under CI (CI is set): golden files are rewritten "
                                "on a developer's machine and their diff reviewed")
