"""The firing plan both engines follow: which compiled units exist, and in which order.

A rule becomes a *certain* and a *possible* variant (DESIGN.md section 5), and each variant one
unit per group of its condition's branches that test the same conclusions. Units are ordered by
negation stratum, then certain before possible within a stratum, then pack order, then branch
order. The experta engine gives each unit a distinct salience in that order; the direct engine
fires units in that order. Sharing the plan is what lets the two produce the same trace.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable

from .conditions import Absent, Atom, FactTest, Holds, branches
from .rulebook import Rule, Rulebook
from .scenario import Scenario


def scenario_facts(scenario: Scenario) -> dict[str, Any]:
    """Every fact path with its value (``None`` for unknown)."""
    return {path: getattr(getattr(scenario, spec.section), spec.name)
            for path, spec in type(scenario).vocabulary.facts.items()}


@dataclass(frozen=True)
class Group:
    """Branches of a condition that test the same conclusions: one experta rule for all of them."""

    conclusions: tuple[str, ...]
    absent: tuple[str, ...]
    fact_branches: tuple[tuple[FactTest, ...], ...]


def groups(alternatives: list[tuple[Atom, ...]]) -> list[Group]:
    """Group a condition's branches by the conclusions they test, keeping their order.

    Branches that differ only in their fact tests (``any`` over facts) become one experta rule
    whose fact part is a single test over the section facts: a rule such as "benefits in any of
    five ways and knows or should have known" would otherwise compile into dozens of rules, and
    the engine's build time grows with their number.
    """
    grouped: dict[tuple[tuple[str, ...], tuple[str, ...]], list[tuple[FactTest, ...]]] = {}
    for branch in alternatives:
        key = (tuple(a.conclusion for a in branch if isinstance(a, Holds)),
               tuple(a.conclusion for a in branch if isinstance(a, Absent)))
        grouped.setdefault(key, []).append(tuple(a for a in branch if isinstance(a, FactTest)))
    return [Group(conclusions, absent, tuple(facts)) for (conclusions, absent), facts in grouped.items()]


@dataclass(frozen=True)
class Unit:
    """One compiled unit: a rule's variant, for one group of its branches."""

    rule: Rule
    certain: bool
    group: Group


def firing_plan(book: Rulebook) -> list[Unit]:
    """Every unit of a rulebook, highest priority first."""
    by_stratum: dict[int, list[Rule]] = {}
    for rule in book.order:
        by_stratum.setdefault(book.stratum[rule.id], []).append(rule)
    return [Unit(rule, certain, group)
            for level in sorted(by_stratum) for certain in (True, False)
            for rule in by_stratum[level] for group in groups(branches(rule.condition))]


def branch_holds(branch: tuple[FactTest, ...], value_of: Callable[[str], Any], certain: bool) -> bool:
    """Whether every fact test of a branch holds (certainly), or is not excluded (possibly)."""
    for atom in branch:
        result = atom.evaluate(value_of(atom.path))
        if result is False or (certain and result is None):
            return False
    return True
