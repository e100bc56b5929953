"""Every rule in rules/ is exercised: some bundled scenario makes it fire with certainty.

A rule no scenario exercises is law no one has checked against a case; this test is what keeps
the scenario library and the rule packs growing together.
"""

from __future__ import annotations

import pytest

from packs import read_scenario
from liability.bundled import scenarios_dir
from liability.reasoner import Reasoner
from liability.scenario import SCENARIO_SUFFIXES

REASONER = Reasoner()


def _fired() -> dict[str, set[str]]:
    fired: dict[str, set[str]] = {}
    for path in sorted(p for p in scenarios_dir().rglob("*") if p.suffix in SCENARIO_SUFFIXES):
        for regime in REASONER.assess(read_scenario(path)).regimes:
            fired.setdefault(regime.regime, set()).update(step.rule for step in regime.trace if step.certain)
    return fired


FIRED = _fired()


@pytest.mark.parametrize("regime", sorted(REASONER.regimes))
def test_every_rule_fires_with_certainty_in_some_bundled_scenario(regime: str) -> None:
    never = [rule.id for rule in REASONER.rulebook(regime).rules if rule.id not in FIRED.get(regime, set())]
    assert not never, f"{len(never)} rules of regime {regime} fire in no bundled scenario: {never}"
