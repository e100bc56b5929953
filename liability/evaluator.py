"""Three-valued evaluation of a rulebook on a scenario, without experta.

:func:`closure` evaluates the rules stratum by stratum in Kleene logic and returns the conclusions
that certainly hold and those that possibly hold. It is independent of the experta compilation, so
it is the oracle of the property test that experta reaches the same conclusions; and what it
settles seeds the exact decisions of :mod:`liability.decide`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Iterable, Mapping

from .rulebook import Rule, Rulebook


@dataclass(frozen=True)
class Closure:
    """What a run concluded: certainly, and possibly (a superset)."""

    certain: frozenset[str]
    possible: frozenset[str]


def closure(rules: Iterable[Rule], book: Rulebook, facts: Mapping[str, Any]) -> Closure:
    """Three-valued, stratified evaluation of `rules` (those in force) on `facts`.

    Rules are evaluated in topological order, each after every producer of what it tests, so one
    pass suffices; rules on a positive cycle are evaluated until nothing changes.
    """
    ordered = sorted(rules, key=lambda rule: book.sequence[rule.id])
    if not any(rule.id in book.cyclic for rule in ordered):
        return one_pass(ordered, facts)
    certain: set[str] = set()
    possible: set[str] = set()
    by_stratum: dict[int, list[Rule]] = {}
    for rule in ordered:
        by_stratum.setdefault(book.stratum[rule.id], []).append(rule)
    for level in sorted(by_stratum):
        pending = by_stratum[level]
        changed = True
        while changed:
            changed = False
            for rule in pending:
                value = rule.holds(facts, certain, possible)
                if value is True and rule.conclusion not in certain:
                    certain.add(rule.conclusion)
                    changed = True
                if value is not False and rule.conclusion not in possible:
                    possible.add(rule.conclusion)
                    changed = True
    return Closure(frozenset(certain), frozenset(possible))


def one_pass(ordered: list[Rule], facts: Mapping[str, Any], seed: frozenset[str] = frozenset()) -> Closure:
    """The closure of acyclic rules already in topological order: one evaluation each, on top of
    `seed`, conclusions already known to hold."""
    certain: set[str] = set(seed)
    possible: set[str] = set(seed)
    for rule in ordered:
        value = rule.holds(facts, certain, possible)
        if value is True:
            certain.add(rule.conclusion)
        if value is not False:
            possible.add(rule.conclusion)
    return Closure(frozenset(certain), frozenset(possible))
