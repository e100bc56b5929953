"""Every test, and every command a test starts, caches rulebooks in a folder of its own session.

Golden files are rewritten only on a developer's machine: under CI (the variable CI set, as CI
services set it) `--update-goldens` is refused, since a run that rewrote its own goldens would
pass whatever the law came to.

Property tests are seeded: the profile `seeded`, loaded unless HYPOTHESIS_PROFILE names another,
draws the same examples on every run (a failure on CI is the failure a developer reproduces), keeps
no example database between runs, and sets no deadline (engine runs vary with the machine's load).
A test's own @settings (its number of examples) overrides only what it names."""

from __future__ import annotations

import os

import pytest
from hypothesis import settings

settings.register_profile("seeded", derandomize=True, database=None, deadline=None, max_examples=50,
                          print_blob=True)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "seeded"))


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
