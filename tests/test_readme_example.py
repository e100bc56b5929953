"""The scenario the README shows as the format's example is a real one: it loads, and every
expectation it states, pinned strength and penalty included, holds."""

from __future__ import annotations

from pathlib import Path

from liability.reasoner import Reasoner, mismatches
from liability.scenario import load_scenario

README = Path(__file__).parent.parent / "README.md"


def _example() -> bytes:
    text = README.read_text(encoding="utf-8")
    start = text.index("id: my-escort-site")
    return text[start:text.index("```", start)].encode("utf-8")


def test_the_readme_example_scenario_meets_its_own_expectations() -> None:
    reasoner = Reasoner()
    scenario = load_scenario("README.md", reasoner.vocabulary, reasoner.known(), data=_example())
    assert scenario.expect, "the README example shows an expect block"
    assert mismatches(scenario, reasoner.assess(scenario)) == []
