"""Head elements (docs/rule-packs.md, Elements): every head lays out its analysis, and the layout
agrees with the rules that decide it on every bundled scenario."""

from __future__ import annotations

import pytest

from packs import read_scenario
from liability.bundled import scenarios_dir
from liability.lint import heads_without_elements
from liability.loading import load_all
from liability.reasoner import Reasoner
from liability.rulebook import CONCLUDED_STATUSES, HOLDING_STATUSES
from liability.scenario import SCENARIO_SUFFIXES

BOOKS = load_all()
CONSTITUTIVE = {"legal", "material", "mental", "element", "mental_state", "condition"}
SCENARIOS = sorted(p for p in scenarios_dir().rglob("*") if p.suffix in SCENARIO_SUFFIXES)


@pytest.mark.parametrize("regime", sorted(BOOKS))
def test_every_head_states_its_elements(regime):
    assert heads_without_elements(BOOKS[regime]) == []


def test_a_head_holds_when_its_own_conclusion_is_drawn_not_when_it_is_lost_or_breached():
    """The one definition the memo and these checks share (rulebook.HOLDING_STATUSES): a lost
    exemption and a breached duty are concluded by a rule, yet the head does not hold."""
    assert HOLDING_STATUSES == {"met", "liable", "applies", "complied"}
    assert CONCLUDED_STATUSES - HOLDING_STATUSES == {"lost", "breached"}


@pytest.mark.parametrize("path", SCENARIOS, ids=lambda p: p.stem)
def test_a_head_that_holds_for_certain_has_no_constitutive_element_not_met(path):
    """Elements explain the rules' decision; they must never contradict it. When a head holds, each
    constitutive element, and one member of each group of alternatives, is met or at worst unknown."""
    document = Reasoner(engine="direct").assess(read_scenario(path))
    for regime in document.regimes:
        for finding in regime.findings:
            if finding.status not in HOLDING_STATUSES:
                continue
            constitutive = [e for e in finding.analysis if e.part in CONSTITUTIVE]
            lone = [e.name for e in constitutive if e.group is None and e.status == "not_met"]
            groups = {e.group for e in constitutive if e.group}
            empty = [g for g in groups if all(e.status == "not_met" for e in constitutive if e.group == g)]
            assert not lone and not empty, (regime.regime, finding.head, finding.proceeding, lone, empty)
