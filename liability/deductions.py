"""Facts a court deduces from other facts, declared with the facts in ``rules/facts.yaml``.

A scenario states facts; a judge also draws some it does not state, where they follow from the
others (a company's own fee policy is its management's act, C. pén. 121-2). Such a deduction is
law, so it is declared with the fact it fills, with its basis, strength and reason; here it is
only checked and applied: a deduced fact fills a fact the scenario leaves unstated, never one it
states, and the findings that rest on it say so.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Iterable, Mapping

from pydantic import Field

from . import conditions
from .scenario import FactSpec
from .schema import Strength, Strict, Text, official
from .sources import shown


class DeductionData(Strict):
    """A deduction as the facts file writes it, under the fact it fills."""

    value: Any
    when: Any
    cites: str = Field(min_length=1)
    url: str = Field(min_length=1)
    strength: Strength
    because: Text


@dataclass(frozen=True)
class Deduction:
    """A fact a court deduces, the condition on stated facts it follows from, and why."""

    fact: str
    value: Any
    condition: conditions.Condition
    cites: str
    url: str
    strength: str
    because: Text


def parse_deduction(fact: str, raw: DeductionData, facts: Mapping[str, FactSpec], hosts: Iterable[str],
                    where: str) -> tuple[Deduction | None, list[str]]:
    """The deduction of `fact`, checked: its condition tests stated facts only (never conclusions,
    never the fact itself), its value is one the fact can take, its address is official."""
    try:
        condition = conditions.parse(raw.when, facts)
        target = conditions.parse({"fact": fact, "is": raw.value}, facts)
    except conditions.ConditionError as error:
        return None, [f"{where}: {error}"]
    problems = []
    if any(not isinstance(atom, conditions.FactTest) for atom in conditions.atoms(condition)):
        problems.append(f"{where}: a deduction follows from facts only, not from conclusions")
    elif any(atom.path == fact for atom in conditions.atoms(condition)):
        problems.append(f"{where}: a fact cannot be deduced from itself")
    if not official(raw.url, hosts):
        problems.append(f"{where}: url `{shown(raw.url)}` is not an https address on an official site")
    return Deduction(fact, target.value, condition, raw.cites, raw.url, raw.strength, raw.because), problems


def deduced(deductions: Iterable[Deduction], facts: Mapping[str, Any]) -> dict[str, Deduction]:
    """The deductions that hold on the stated facts, by the fact each fills (a stated fact, or one
    whose grounds are still unknown, is left as it is)."""
    found: dict[str, Deduction] = {}
    for deduction in deductions:
        if facts.get(deduction.fact) is None and deduction.fact not in found \
                and conditions.evaluate(deduction.condition, facts, frozenset(), frozenset()) is True:
            found[deduction.fact] = deduction
    return found
