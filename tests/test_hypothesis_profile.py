"""Property tests draw the same examples on every run, on CI as on a developer's machine (tests/conftest.py)."""

from __future__ import annotations

import os

import pytest
from hypothesis import given, settings

from test_direct_engine import scenarios

pytestmark = pytest.mark.skipif(os.environ.get("HYPOTHESIS_PROFILE", "seeded") != "seeded",
                                reason="another profile was asked for")


def test_the_seeded_profile_is_loaded_by_default() -> None:
    assert settings.default.derandomize and settings.default.database is None and settings.default.deadline is None


def test_a_property_test_draws_the_same_scenarios_twice() -> None:
    def draw() -> list[object]:
        drawn: list[object] = []

        @settings(max_examples=10)
        @given(scenarios())
        def record(scenario: object) -> None:
            drawn.append(scenario)

        record()
        return drawn

    assert draw() == draw()
