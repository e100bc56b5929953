"""The direct engine: the experta engine's firing, simulated in plain Python.

experta stays the engine of a single `run` (DESIGN.md section 3), but it costs tens of
milliseconds a scenario; work over many scenarios (batch runs, `check`) uses this engine, which
follows the same firing plan (:mod:`liability.plan`) and fires, at each step, the
highest-priority unit whose condition holds and whose rule variant has not fired yet. That is
what experta's agenda does with one distinct salience per unit, so both engines draw the same
conclusions and record the same trace, step for step (a test checks it on every bundled scenario
and on random ones).
"""

from __future__ import annotations

from typing import Any

from .evaluator import Closure
from .plan import Run, Step, Unit, branch_holds, firing_plan, scenario_facts
from .rulebook import Rulebook
from .scenario import Scenario


class DirectEngine:
    """One regime's firing plan, ready to run scenario after scenario."""

    def __init__(self, book: Rulebook, rules: frozenset[str] | None = None) -> None:
        self.book = book
        self.plan = [unit for unit in firing_plan(book) if rules is None or unit.rule.id in rules]

    def run(self, scenario: Scenario, in_force: frozenset[str]) -> Run:
        facts = scenario_facts(scenario)
        value_of = facts.get
        # Facts do not change during a run: keep only the units whose rule is in force and whose
        # fact part can hold, each with the first branch that does (the one experta records).
        candidates: list[tuple[Unit, tuple[Any, ...]]] = []
        for unit in self.plan:
            if unit.rule.id not in in_force:
                continue
            branch = next((b for b in unit.group.fact_branches if branch_holds(b, value_of, unit.certain)), None)
            if branch is not None:
                candidates.append((unit, branch))
        certain: set[str] = set()
        possible: set[str] = set()
        fired: set[tuple[str, bool]] = set()
        trace: list[Step] = []
        while True:
            chosen = next(((unit, branch) for unit, branch in candidates
                           if (unit.rule.id, unit.certain) not in fired
                           and (unit.certain or (unit.rule.id, True) not in fired)
                           and _conclusions_hold(unit, certain, possible)), None)
            if chosen is None:
                break
            unit, branch = chosen
            rule = unit.rule
            fired.add((rule.id, unit.certain))
            trace.append(Step(
                step=len(trace) + 1, rule=rule.id, cites=rule.cites, certain=unit.certain,
                facts={atom.path: _frozen(facts.get(atom.path)) for atom in branch},
                conclusions=unit.group.conclusions, absent=unit.group.absent, concluded=rule.conclusion,
                element=rule.element, strength=rule.strength))
            possible.add(rule.conclusion)
            if unit.certain:
                certain.add(rule.conclusion)
        return Run(Closure(frozenset(certain), frozenset(possible)), trace)


def _conclusions_hold(unit: Unit, certain: set[str], possible: set[str]) -> bool:
    """The unit's conclusion tests, as its experta patterns read them."""
    if unit.certain:
        return all(c in certain for c in unit.group.conclusions) and not any(c in possible for c in unit.group.absent)
    return all(c in possible for c in unit.group.conclusions) and not any(c in certain for c in unit.group.absent)


def _frozen(value: Any) -> Any:
    """Lists as experta stores them in facts (tuples), so both engines record the same value."""
    return tuple(value) if isinstance(value, list) else value
