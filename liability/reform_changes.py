"""What a reform changes: over a scenario library, and exactly, over every combination of facts.

Two answers, for a drafter weighing an amendment:

* over a library of scenarios (the bundled ones by default), which findings change, counted per
  regime, head and proceeding and per change of outcome (status before and after, with its
  strength and the penalty at stake), with the scenarios listed;
* exactly, on one date, the combinations of facts for which a head's status changes: both
  rulebooks' status diagrams are built with every fact unknown in one diagram manager, whose value
  classes are those of both books' tests (the two books may test a fact differently); for each
  pair of statuses (before a, after b, a != b), `before[a] & after[b]` is the set of completions the
  reform moves from a to b, read out as a formula in words (:func:`in_words`).

Only the regimes whose packs the reform changes are run: the others cannot change. The library
is run with the direct engine, without the findings' explanations; a finding is built (for its
strength and penalty) only where a changed rule, or a rule carrying a changed penalty, fired in
either run: elsewhere both runs fire the same rules and differ in nothing but their statuses.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any, Iterable

from .batch import Entry, load
from . import formula
from .decide import DecisionError, Decisions, FactEncodings, Node
from .evaluator import closure
from .formula import Literal
from .findings import build_finding
from .overlay import Reform
from .reasoner import Reasoner, RegimeDecision
from .rulebook import Rule, Rulebook
from .scenario import FactSpec, ScenarioError
from .schema import Text

MAX_CLAUSES = 24
"""The most alternatives a change's formula lists; beyond, the report says how many it leaves out."""


@dataclass(frozen=True)
class Stake:
    """The most severe sentence at stake, as the findings state it."""

    life: bool
    prison_years: int | None
    fine: int | None
    fine_percent_turnover: float | None
    currency: str | None
    min_prison_years: int | None

    def as_json(self) -> dict[str, Any]:
        return {"life": self.life, "prison_years": self.prison_years, "min_prison_years": self.min_prison_years,
                "fine": self.fine, "fine_percent_turnover": self.fine_percent_turnover, "currency": self.currency}


@dataclass(frozen=True)
class Outcome:
    """A finding as the comparison sees it: its status, strength and the penalty at stake."""

    status: str
    strength: str | None = None
    penalty: Stake | None = None

    def as_json(self) -> dict[str, Any]:
        return {"status": self.status, "strength": self.strength,
                "penalty": self.penalty.as_json() if self.penalty else None}


@dataclass
class Transition:
    """Findings of one head and proceeding that the reform moves from one outcome to another."""

    regime: str
    head: str
    proceeding: str
    before: Outcome
    after: Outcome
    scenarios: list[str] = field(default_factory=list)

    def as_json(self) -> dict[str, Any]:
        return {"regime": self.regime, "head": self.head, "proceeding": self.proceeding,
                "before": self.before.as_json(), "after": self.after.as_json(), "count": len(self.scenarios),
                "scenarios": self.scenarios}


@dataclass(frozen=True)
class Where:
    """A set of combinations of facts: what all of them share, and the alternatives within that."""

    common: tuple[Literal, ...]
    """What every combination of the set satisfies, one literal per fact it restricts."""
    alternatives: tuple[tuple[Literal, ...], ...]
    """Products of literals naming only what `common` leaves open: the set is `common` and one of
    them. Empty when `common` alone is the set."""
    minimised: bool
    """Whether the alternatives are the shortest sum of products (:mod:`liability.formula`), or
    the paths of the set's diagram (exact, not minimal: too many facts for the minimiser)."""
    complete: bool
    """False when there are more paths than :data:`MAX_CLAUSES` and some are not listed."""

    def as_json(self) -> dict[str, Any]:
        return {"all_of": [_literal_json(literal) for literal in self.common],
                "any_of": [[_literal_json(literal) for literal in term] for term in self.alternatives],
                "minimised": self.minimised, "all_listed": self.complete}


def _literal_json(literal: Literal) -> dict[str, Any]:
    return {"fact": literal.fact, **({"region": literal.region} if literal.region else {}),
            "values": list(literal.classes)}


@dataclass
class StatusChange:
    """Where, exactly, the reform moves a head from one status to another, on the date studied."""

    regime: str
    head: str
    proceedings: list[str]
    before: str
    after: str
    where: Where

    def as_json(self) -> dict[str, Any]:
        return {"regime": self.regime, "head": self.head, "proceedings": self.proceedings, "before": self.before,
                "after": self.after, "where": self.where.as_json()}


@dataclass
class ReformReport:
    """Everything `liability reform` reports."""

    reform: Reform
    on: dt.date
    regimes: list[str]
    scenarios: int
    transitions: list[Transition]
    changes: list[StatusChange]
    problems: list[str]
    """Scenarios that could not be read or assessed, one line each."""
    facts: dict[str, FactSpec]
    """The facts, whose words the formulas are said in."""
    titles: dict[str, Text]
    """Each head's title, by id."""
    proceedings: dict[str, Text]
    """Each proceeding's name, by code."""

    def as_json(self) -> dict[str, Any]:
        header = self.reform.header
        return {"schema": "liability/reform-v1", "reform": {"id": header.id, "title": header.title.model_dump(),
                                                             "cites": header.cites, "url": header.url},
                "changes_applied": [{"change": c.number, "verb": c.verb, "target": c.target} for c in self.reform.changes],
                "warnings": self.reform.warnings, "regimes": self.regimes, "scenarios": self.scenarios,
                "findings_changed": [t.as_json() for t in self.transitions],
                "exact": {"on": self.on.isoformat(), "status_changes": [c.as_json() for c in self.changes]},
                "errors": self.problems}

    def to_records(self) -> list[dict[str, Any]]:
        """One flat record per change of outcome over the library: the finding, before and after,
        and how many scenarios (and which, joined with `; `) it moves."""
        return [{"reform": self.reform.header.id, "regime": t.regime, "head": t.head, "proceeding": t.proceeding,
                 "status_before": t.before.status, "status_after": t.after.status,
                 "strength_before": t.before.strength, "strength_after": t.after.strength,
                 "fine_before": t.before.penalty.fine if t.before.penalty else None,
                 "fine_after": t.after.penalty.fine if t.after.penalty else None,
                 "count": len(t.scenarios), "scenarios": "; ".join(t.scenarios)} for t in self.transitions]


def compare_reform(base: Reasoner, reform: Reform, entries: Iterable[Entry], on: dt.date,
                   only: list[str] | None = None) -> ReformReport:
    """Run `entries` under the base and reformed rules, and find exactly where statuses change on `on`."""
    regimes = [regime for regime in base.regimes if regime in reform.rulebooks and (only is None or regime in only)]
    facts = base.vocabulary.facts
    # One manager per regime for both books: its variable order is sifted once, and the exact
    # changes compare diagrams the library runs have already built.
    shared = {regime: FactEncodings(base.rulebook(regime), facts, also=(reform.rulebooks[regime],))
              for regime in regimes}
    original = Reasoner(base.directory, "direct", {regime: base.rulebook(regime) for regime in regimes}, shared)
    reformed = Reasoner(base.directory, "direct", {regime: reform.rulebooks[regime] for regime in regimes}, shared)
    touched = {regime: _touched(base.rulebook(regime), reform.rulebooks[regime], reform) for regime in regimes}
    transitions: dict[tuple[str, str, str, Outcome, Outcome], Transition] = {}
    problems: list[str] = []
    count = 0
    for entry in entries:
        try:
            scenario = load(base, entry)
            chosen = [regime for regime in base.regimes_for(scenario) if regime in regimes]
            for regime in chosen:
                before = original.decide(scenario, regime)
                after = reformed.decide(scenario, regime) if _reached(before, touched[regime]) else before
                for key, (was, becomes) in _differences(before, after, touched[regime]).items():
                    head, proceeding = key
                    slot = (regime, head, proceeding, was, becomes)
                    transitions.setdefault(slot, Transition(regime, head, proceeding, was, becomes))
                    transitions[slot].scenarios.append(scenario.id)
        except ScenarioError as error:
            problems.extend(error.problems)
            continue
        except DecisionError as error:
            problems.append(f"{entry}: {error}")
            continue
        count += 1
    changes = [change for regime in regimes
               for change in exact_changes(base.rulebook(regime), reform.rulebooks[regime], facts, on, shared[regime])]
    books = [base.rulebook(regime) for regime in regimes]
    titles = {head.id: head.title for book in books for head in book.heads.values()}
    proceedings = {code: label for book in books for code, label in book.proceeding_labels.items()}
    return ReformReport(reform, on, regimes, count, list(transitions.values()), changes, problems, facts, titles,
                        proceedings)


@dataclass(frozen=True)
class _Touched:
    """What of a regime the reform touches, and where it can show."""

    rules: frozenset[str]
    """The rules changed, added or repealed, and those carrying a penalty the reform rewrites."""
    reformed: tuple[Rule, ...]
    """Those rules as the reformed book has them (a repealed rule is not among them)."""
    heads: frozenset[tuple[str, str]]
    """The findings (head, proceeding) whose strength or penalty a touched rule can change: those
    with a touched rule in the derivation of an outcome, in either book."""
    same_defences: bool
    """Whether both books leave the same facts to the defendant's burden, so that a scenario is
    read the same way by both."""


def _touched(before: Rulebook, after: Rulebook, reform: Reform) -> _Touched:
    penalties = {change.target for change in reform.changes if change.verb == "penalty"}
    rules = {change.target for change in reform.changes if change.verb != "penalty"}
    rules |= {rule.id for book in (before, after) for rule in book.rules if rule.penalty in penalties}
    heads = frozenset((head.id, proceeding) for head in before.heads.values() for proceeding in head.proceedings
                      if any(rules & book.ancestor_rules(conclusion) for book in (before, after)
                             for conclusion, _ in head.outcomes_for(proceeding)))
    return _Touched(frozenset(rules), tuple(rule for rule in after.rules if rule.id in rules), heads,
                    before.defence_facts == after.defence_facts)


def _reached(before: RegimeDecision, touched: _Touched) -> bool:
    """Whether the reformed run can differ from the base run. It cannot when no touched rule fired
    in the base run and none can hold, as the reform writes it, on what that run concluded: the
    first rule to fire differently would have to be a touched one (its dates are not looked at,
    which only errs towards running the scenario again)."""
    if not touched.same_defences or any(step.rule in touched.rules for step in before.run.trace):
        return True
    closure = before.run.closure
    return any(rule.holds(before.facts, closure.certain, closure.possible) is not False for rule in touched.reformed)


def _differences(before: RegimeDecision, after: RegimeDecision,
                 touched: _Touched) -> dict[tuple[str, str], tuple[Outcome, Outcome]]:
    """The findings whose outcome differs between the runs. Their strength and penalty can differ
    only where a touched rule fired, in a finding it bears on; elsewhere only statuses are compared
    and no finding is built."""
    if before is after:
        return {}
    fired = {step.rule for decided in (before, after) for step in decided.run.trace}
    built = touched.heads if fired & touched.rules else frozenset()
    was, becomes = _outcomes(before, built), _outcomes(after, built)
    return {key: (was[key], becomes[key]) for key in was if key in becomes and was[key] != becomes[key]}


def _outcomes(decided: RegimeDecision, built: frozenset[tuple[str, str]]) -> dict[tuple[str, str], Outcome]:
    """Each finding's status, and for those `built`, its strength and penalty at stake (the
    finding built without its explanations)."""
    result = {}
    for key, decision in decided.statuses.items():
        if key not in built:
            result[key] = Outcome(decision.status or "undetermined")
            continue
        head, proceeding = key
        finding = build_finding(decided.book, decided.book.heads[head], proceeding, decided.record, decided.facts,
                                decided.run, decision, decided.exact, decided.selection, "en", False,
                                decided.lacking.get(key), decided.deduced)
        penalty = finding.penalties
        stake = None if penalty is None else Stake(penalty.life, penalty.prison_years, penalty.fine,
                                                   penalty.fine_percent_turnover, penalty.currency,
                                                   penalty.min_prison_years)
        result[key] = Outcome(finding.status, finding.strength, stake)
    return result


def exact_changes(before: Rulebook, after: Rulebook, facts: dict[str, FactSpec], on: dt.date,
                  encodings: FactEncodings | None = None) -> list[StatusChange]:
    """For each head and pair of statuses, the combinations of facts the reform moves from one to the
    other, on the date `on` (facts and judgment that day), in one diagram manager for both books
    (`encodings`, built over both if not given)."""
    encodings = encodings or FactEncodings(before, facts, also=(after,))
    unknown = {path: None for path in encodings.encodings}
    books = [_decisions(book, encodings, unknown, on) for book in (before, after)]
    possible = _consistent(encodings, facts)
    manager = encodings.manager
    found: dict[tuple[str, str, str, Any], StatusChange] = {}
    for head in before.heads.values():
        for proceeding in head.proceedings:
            was, becomes = (_diagrams(decisions, head.id, head.outcomes_for(proceeding), head.fallback)
                            for decisions in books)
            for old, old_node in was.items():
                for new, new_node in becomes.items():
                    if old == new:
                        continue
                    moved = old_node & new_node & possible
                    if moved == manager.false:
                        continue
                    key = (head.id, old, new, moved)
                    if key in found:  # the same change in another proceeding
                        found[key].proceedings.append(proceeding)
                    else:
                        found[key] = StatusChange(before.regime, head.id, [proceeding], old, new,
                                                  in_words(encodings, moved))
    return list(found.values())


def _decisions(book: Rulebook, encodings: FactEncodings, unknown: dict[str, None], on: dt.date) -> Decisions:
    selection = book.select(on, on)
    rules = [rule for rule in book.order if rule.id in selection.in_force]
    return Decisions(lambda: encodings, book, rules, unknown, closure(rules, book, unknown))


def _diagrams(decisions: Decisions, head: str, outcomes: list[tuple[str, str]], otherwise: str) -> dict[str, Node]:
    decision = decisions.status(head, outcomes, otherwise)
    if decision.diagrams is None:  # settled by three-valued reasoning alone
        return {decision.reached[0]: decisions.manager.true}
    return dict(decision.diagrams)


def _consistent(encodings: FactEncodings, facts: dict[str, FactSpec]) -> Node:
    """The combinations the facts file allows: a true/false fact that implies another's value
    (a child under 15 is a minor) never holds beside the other value."""
    manager = encodings.manager
    allowed = manager.true
    for spec in facts.values():
        for other, value in spec.implies:
            if spec.path not in encodings.encodings or other not in encodings.encodings:
                continue
            holds = _selecting(encodings, spec.path, True)
            follows = _selecting(encodings, other, value)
            allowed &= ~holds | follows
    return allowed


def _selecting(encodings: FactEncodings, path: str, value: Any) -> Node:
    node = encodings.manager.false
    for value_class in encodings.encodings[path].classes:
        if value_class.value == value:
            node |= value_class.selector
    return node


def in_words(encodings: FactEncodings, node: Node) -> Where:
    """A set of combinations of facts, as a reader takes it in: the values every combination
    shares, then the alternatives within them, minimised by :mod:`liability.formula` where few
    enough facts remain open, else the paths of the diagram (at most :data:`MAX_CLAUSES`, and the
    result says when there are more)."""
    manager = encodings.manager
    dims = formula.dimensions(manager, list(encodings.encodings.values()))
    common: list[Literal] = []
    fixed: dict[str, bool] = {}
    for dim in dims:
        kept = tuple(index for index, class_node in enumerate(dim.nodes) if (node & class_node) != manager.false)
        if len(kept) == len(dim.classes):
            continue
        common.append(Literal(dim.fact, dim.region, tuple(dim.classes[index] for index in kept)))
        if len(kept) == 1 and len(dim.variables) == 1:  # a true/false fact or a region: set it
            fixed[dim.variables[0]] = manager.let({dim.variables[0]: True}, dim.nodes[kept[0]]) != manager.false
    rest = manager.let(fixed, node) if fixed else node
    support = set(manager.support(rest))
    open_dims = [dim for dim in dims if support & set(dim.variables)]
    if sum(len(dim.variables) for dim in open_dims) <= formula.MINIMISED_VARIABLES:
        (found,) = formula.formulas(manager, {"changed": rest}, open_dims)
        terms = tuple(_beyond(term, common) for term in found.terms)
        return Where(tuple(common), tuple(term for term in terms if term), True, True)
    alternatives = []
    for cube in formula.cubes(manager, rest):
        if len(alternatives) == MAX_CLAUSES:
            return Where(tuple(common), tuple(alternatives), False, False)
        term = formula.literals(manager, cube, open_dims)
        if term:
            alternatives.append(_beyond(term, common))
    return Where(tuple(common), tuple(alternatives), False, True)


def _beyond(term: tuple[Literal, ...], common: list[Literal]) -> tuple[Literal, ...]:
    """The literals of a term that say more than what every combination shares."""
    return tuple(literal for literal in term if literal not in common)
