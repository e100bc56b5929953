"""Every test, and every command a test starts, caches rulebooks in a folder of its own session."""

from __future__ import annotations

import os

import pytest


@pytest.fixture(scope="session", autouse=True)
def private_rulebook_cache(tmp_path_factory: pytest.TempPathFactory) -> None:
    os.environ["LIABILITY_CACHE_DIR"] = str(tmp_path_factory.mktemp("cache"))


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--update-goldens", action="store_true",
                     help="Rewrite the golden reports under tests/golden/ from the current output.")
