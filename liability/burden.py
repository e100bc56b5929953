"""Decide by the burden of proof: what a closed record lacks, and the defences nobody raised.

A pleading or a trial record is closed (DESIGN.md section 5): a fact it does not state is not
there, so every finding on it is decided. What a reader of such a finding needs next is what the
record lacks: the facts whose proof (or allegation) would have changed the finding, and to what.
:func:`proofs_lacking` finds them exactly, fact by fact: each fact the record leaves unstated is
given, in turn, each value the rules can tell apart, and the regime is evaluated again.

In a hypothetical, a defence or exception the defendant must raise (a rule with ``burden:
defendant``) blocks nothing while its facts are unknown; :func:`possible_defences` names the ones
the open facts would let the defendant raise.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Mapping

from .decide import kleene_status, tests_by_fact, value_classes
from .evaluator import Closure, closure
from .rulebook import Head, Rule, Rulebook
from .scenario import NOT_SHOWN, FactSpec


@dataclass(frozen=True)
class Proof:
    """A fact the record does not state, a value its proof would give it, and the status the
    finding would then have."""

    fact: str
    value: str
    status: str


def proofs_lacking(book: Rulebook, rules: list[Rule], facts: Mapping[str, Any],
                   findings: Mapping[tuple[str, str], str], vocabulary: Mapping[str, FactSpec],
                   deduced: frozenset[str] = frozenset()) -> dict[tuple[str, str], list[Proof]]:
    """For each finding (head, proceeding) -> status, the single proofs that would change it:
    of a fact the record does not state, or, against a fact the court deduced (`deduced`), of
    the contrary, which is how a deduction is rebutted.

    Exact: on a closed record nothing is unknown, so each variant of the record is settled by one
    three-valued pass (which is two-valued here) over the rules in force."""
    tests = tests_by_fact(rules)
    lacking: dict[tuple[str, str], list[Proof]] = {key: [] for key in findings}
    heads = {key: book.heads[key[0]] for key in findings}
    for path in (p for p in vocabulary if p in tests and (facts.get(p) is NOT_SHOWN or p in deduced)):
        for label, value in value_classes(vocabulary[path], tests[path]):
            state = closure(rules, book, {**facts, path: value})
            for key, status in findings.items():
                changed = _status(heads[key], key[1], state)
                if changed != status:
                    lacking[key].append(Proof(path, label, changed))
    return lacking


def _status(head: Head, proceeding: str, state: Closure) -> str:
    status = kleene_status(head.outcomes_for(proceeding), head.fallback, state)
    assert status is not None, "a closed record leaves nothing open"
    return status


def possible_defences(book: Rulebook, head: Head, proceeding: str, in_force: Mapping[str, Rule],
                      facts: Mapping[str, Any], state: Closure) -> list[tuple[Rule, list[str]]]:
    """The defences the defendant could raise against the head, were the facts they rest on,
    which nobody has raised, in its favour: each with those facts."""
    found = []
    ancestry = frozenset().union(*(book.ancestor_rules(c) for c, _ in head.outcomes_for(proceeding)))
    for rule_id in sorted(ancestry, key=lambda r: book.sequence[r]):
        rule = in_force.get(rule_id)
        if rule is None or rule.burden != "defendant" or rule.conclusion in state.certain:
            continue
        unraised = [path for path in dict.fromkeys(test.path for test in rule.fact_tests)
                    if facts.get(path) is NOT_SHOWN]
        if unraised and rule.holds({**facts, **dict.fromkeys(unraised)}, state.certain, state.possible) is None:
            found.append((rule, unraised))
    return found
