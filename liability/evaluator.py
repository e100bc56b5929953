"""Direct evaluation of a rulebook on a scenario, without experta.

Two jobs, both independent of the experta compilation so that each can check the other:

* :func:`closure` evaluates the rules stratum by stratum in three-valued (Kleene) logic and
  returns the conclusions that certainly hold and those that possibly hold. It is the oracle of
  the property test that experta reaches the same conclusions.
* :func:`decide` makes a head's status exact. Kleene is safe but approximate: it never calls a
  conclusion certain wrongly, yet it may call one possible that no completion of the unknown facts
  yields. For a head Kleene leaves open, :func:`decide` enumerates the completions of the unknown
  facts that can still matter and reports whether the head holds in all, none or some of them,
  and which facts change the outcome (``missing_facts``).
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from typing import Any, Iterable, Mapping

from .conditions import FactTest
from .rulebook import Rule, Rulebook
from .scenario import FactSpec

MAX_DECISION_NODES = 512
"""How many partial assignments an exact decision may explore before it says it is approximate.

A scenario that leaves nearly every fact unknown would otherwise cost seconds per head; 512
branches settle every bundled scenario exactly and keep a nearly empty one near a second."""


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


@dataclass(frozen=True)
class Decision:
    """The exact status of one conclusion over the completions of the unknown facts."""

    holds: bool | None
    """True in every completion, False in none, None in some."""
    missing_facts: tuple[str, ...] = ()
    approximate: bool = False


def candidate_values(spec: FactSpec, tests: list[FactTest]) -> list[Any]:
    """Values that represent every way an unknown fact can affect the rules that test it."""
    if spec.kind == "bool":
        return [True, False]
    if spec.kind == "choice":
        return list(spec.values)
    if spec.kind == "count":
        thresholds = {0} | {t.value for t in tests if t.op == "at_least"}
        return sorted(thresholds)
    mentioned = []
    for test in tests:
        mentioned.extend(test.value if test.op in ("in", "includes_any") else [test.value])
    codes = list(dict.fromkeys(mentioned))
    if spec.kind == "countries":
        # A list matters only through which tested codes it includes: every combination of them
        # (the empty one standing for a list of codes no rule mentions), or, when there are many,
        # each code alone and all of them together.
        if len(codes) <= 4:
            return [subset for size in range(len(codes) + 1) for subset in itertools.combinations(codes, size)]
        return [()] + [(code,) for code in codes] + [tuple(codes)]
    return codes + ["ZZ"]  # ZZ: a code no rule mentions


def open_facts(rules: list[Rule], facts: Mapping[str, Any], state: Closure) -> list[str]:
    """Unknown facts tested by rules whose condition Kleene leaves undecided."""
    found: list[str] = []
    for rule in rules:
        if rule.holds(facts, state.certain, state.possible) is not None:
            continue
        for atom in rule.fact_tests:
            if facts.get(atom.path) is None and atom.path not in found:
                found.append(atom.path)
    return found


@dataclass(frozen=True)
class StatusDecision:
    """The exact status of a head over the completions of the unknown facts it depends on."""

    status: str | None
    """The status in every completion, or None when completions disagree (undetermined)."""
    missing_facts: tuple[str, ...] = ()
    possible: tuple[str, ...] = ()
    """The statuses some completion reaches (more than one when undetermined)."""
    approximate: bool = False


def _status(outcomes: list[tuple[str, str]], otherwise: str, certain: frozenset[str]) -> str:
    return next((status for conclusion, status in outcomes if conclusion in certain), otherwise)


def _kleene_status(outcomes: list[tuple[str, str]], otherwise: str, state: Closure) -> str | None:
    """The status if three-valued reasoning already settles it, else None."""
    for conclusion, status in outcomes:
        if conclusion in state.certain:
            return status
        if conclusion in state.possible:
            return None
    return otherwise


def decide_status(outcomes: list[tuple[str, str]], otherwise: str, rules: list[Rule], book: Rulebook,
                  facts: Mapping[str, Any], state: Closure, vocabulary: Mapping[str, FactSpec]) -> StatusDecision:
    """Exact status of a head whose status is the first outcome conclusion that holds.

    Kleene settles most heads at once. Otherwise the unknown facts that undecided rules test are
    given values one at a time, and a branch stops as soon as Kleene settles the status for every
    completion below it (Kleene is sound: a status it settles holds in all of them). The leaves
    cover every completion, so the set of statuses reached is exact, and a fact is missing
    exactly when two leaves with different statuses differ in that fact alone. Past
    MAX_DECISION_NODES branches the answer is marked approximate.
    """
    quick = _kleene_status(outcomes, otherwise, state)
    if quick is not None:
        return StatusDecision(quick, possible=(quick,))
    wanted: set[str] = set()
    for conclusion, _ in outcomes:
        wanted |= book.ancestor_rules(conclusion)
    ancestry = sorted((r for r in rules if r.id in wanted), key=lambda rule: book.sequence[rule.id])
    acyclic = not any(rule.id in book.cyclic for rule in ancestry)
    unknown = open_facts(ancestry, facts, state)
    tests: dict[str, list[FactTest]] = {path: [] for path in unknown}
    for rule in ancestry:
        for atom in rule.fact_tests:
            if atom.path in tests:
                tests[atom.path].append(atom)
    choices = {path: candidate_values(vocabulary[path], tests[path]) for path in unknown}
    leaves: list[tuple[dict[str, Any], str]] = []
    budget = [MAX_DECISION_NODES]
    # A rule Kleene decides here stays decided in every completion (refining facts never turns
    # true into false), so below the root only the undecided rules are evaluated again, on top of
    # what the decided ones concluded.
    values = {rule.id: rule.holds(facts, state.certain, state.possible) for rule in ancestry}
    undecided = [rule for rule in ancestry if values[rule.id] is None]
    seed_certain = frozenset(rule.conclusion for rule in ancestry if values[rule.id] is True)

    def refine(completed: dict[str, Any]) -> Closure:
        return one_pass(undecided, completed, seed_certain) if acyclic else closure(ancestry, book, completed)

    def explore(assignment: dict[str, Any], completed: dict[str, Any], branch_state: Closure) -> bool:
        budget[0] -= 1
        if budget[0] < 0:
            return False
        status = _kleene_status(outcomes, otherwise, branch_state)
        if status is not None:
            leaves.append((assignment, status))
            return True
        still_open = [p for p in open_facts(undecided, completed, branch_state) if p in choices]
        if not still_open:  # every tested fact is known: two-valued, so settled
            leaves.append((assignment, _status(outcomes, otherwise, branch_state.certain)))
            return True
        path = still_open[0]
        for value in choices[path]:
            deeper = {**completed, path: value}
            if not explore({**assignment, path: value}, deeper, refine(deeper)):
                return False
        return True

    if not explore({}, dict(facts), state):
        return StatusDecision(None, tuple(unknown), approximate=True)
    reached = tuple(dict.fromkeys(status for _, status in leaves))
    if len(reached) == 1:
        return StatusDecision(reached[0], possible=reached)
    return StatusDecision(None, _decisive(unknown, leaves), reached)


def decide(conclusion: str, rules: list[Rule], book: Rulebook, facts: Mapping[str, Any],
           state: Closure, vocabulary: Mapping[str, FactSpec]) -> Decision:
    """Exact status of one conclusion: whether it holds in every, no, or some completion."""
    decision = decide_status([(conclusion, "holds")], "fails", rules, book, facts, state, vocabulary)
    holds = None if decision.status is None else decision.status == "holds"
    return Decision(holds, decision.missing_facts, approximate=decision.approximate)


def _decisive(unknown: list[str], leaves: list[tuple[dict[str, Any], Any]]) -> tuple[str, ...]:
    """Facts whose value alone changes the status for some values of the others.

    Each leaf is a partial assignment all of whose completions share its status. Two leaves with
    different statuses that give a fact different values, and agree on every other fact both
    assign, have completions that differ in that fact alone.
    """
    decisive: set[str] = set()
    for index, (left, left_status) in enumerate(leaves):
        for right, right_status in leaves[index + 1:]:
            if left_status == right_status:
                continue
            differing = [p for p in left if p in right and left[p] != right[p]]
            if len(differing) == 1:
                decisive.add(differing[0])
    return tuple(p for p in unknown if p in decisive)
