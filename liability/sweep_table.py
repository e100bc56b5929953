"""Sweeps: a head's status over every combination of some facts' values, as a decision table.

A student asks "which of these facts make the site liable, and how?". A sweep sets the chosen
facts to every combination of their value classes (the values the rules tell apart), the others
as the scenario has them (an unknown one stays unknown, so a row may be `undetermined`), and gives
each combination the status the pipeline would give the scenario with those values set. Rows that
differ only in facts that do not matter to them are merged, and each status is also said as the
minimal formula of the combinations that reach it (:mod:`liability.formula`).

Nothing is enumerated row by row: the head's status diagrams (:mod:`liability.decide`) are built
once with the varied facts left unknown; the other unknown facts are quantified away (a status is
a row's status iff some completion of the others reaches it and no other status is reached), and
the table is read off the diagrams. A deduction (rules/facts.yaml `deduction:`) whose grounds are
varied fills its fact in some rows and not in others: the diagrams are built once for each way the
deductions can go, and each row takes those of the way its values make them go, as
:meth:`Reasoner.decide` deduces them on the scenario with the row's values set.
"""

from __future__ import annotations

import difflib
import itertools
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Iterator

from pydantic import BaseModel, ConfigDict, Field

from . import conditions
from .decide import OTHER_COUNTRIES, Decisions, FactEncodings, Node, tests_by_fact
from .deductions import Deduction
from .evaluator import closure
from .formula import (Dimension, Literal, TooManyTerms, dimensions, disjoint_terms, formula_words, formulas,
                      short_name, valid)
from .plan import scenario_facts
from .rulebook import Head, Rulebook
from .scenario import Scenario

if TYPE_CHECKING:  # a sweep's models are read by renderers that run no engine
    from .reasoner import Reasoner

SCHEMA = "liability/sweep-v1"
ALL_UNKNOWN = "all-unknown"
"""`--vary all-unknown`: the scenario's unknown facts on which the head's status depends."""
UNDETERMINED = "undetermined"


class SweepError(ValueError):
    """A sweep that cannot be made as asked: one message naming the option and what was expected."""


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Column(_Model):
    """A varied fact (or one region of a list of countries) and its value classes."""

    fact: str
    region: str | None = None
    classes: list[str]
    values: list[Any]
    """A value standing for each class, as a row states it (for a region, its first code when
    included, else null)."""


class Row(_Model):
    """Combinations with one status: per column, the classes allowed (None: any class)."""

    cells: list[list[str] | None]
    status: str


class FormulaLiteral(_Model):
    fact: str
    region: str | None = None
    classes: list[str]


class StatusFormula(_Model):
    """The combinations reaching one status, as a sum of products, and in words."""

    status: str
    minimised: bool
    """False: the diagram's disjoint cubes, exact but not minimised (too many variables)."""
    terms: list[list[FormulaLiteral]]
    words: str


class HeadSweep(_Model):
    """One head, in one proceeding, over every combination of the varied facts."""

    head: str
    proceeding: str
    proceeding_label: str
    """The proceeding in the report's language, as the jurisdiction's descriptor names it."""
    kind: str
    question: str
    combinations: int
    """How many combinations of the varied facts' classes the rows cover."""
    columns: list[Column]
    rows: list[Row]
    formulas: list[StatusFormula]


class Sweep(_Model):
    """The document `liability sweep` prints: one scenario, one regime, the heads swept."""

    schema_: str = Field(SCHEMA, alias="schema")
    scenario: str
    title: str | None = None
    regime: str
    lang: str
    inert: list[str]
    """Varied facts that no rule of the regime tests: they cannot change any status."""
    results: list[HeadSweep]
    values: dict[str, dict[str, str]] = {}
    """The words of the choice facts' values, by fact then code."""
    names: dict[str, str] = {}
    """Each varied fact in a few words."""

    model_config = ConfigDict(extra="forbid", populate_by_name=True)

    def to_records(self) -> list[dict[str, Any]]:
        """One flat record per row of every head: the head, a column per varied fact (its classes
        joined by ` or `, `any` where it does not matter), the status; a fact a head does not vary
        is null in that head's rows."""
        columns = list(dict.fromkeys(column_name(c) for result in self.results for c in result.columns))
        records = []
        for result in self.results:
            cells = {column_name(c): index for index, c in enumerate(result.columns)}
            for row in result.rows:
                record: dict[str, Any] = {"scenario": self.scenario, "regime": self.regime, "head": result.head,
                                          "proceeding": result.proceeding}
                for name in columns:
                    classes = row.cells[cells[name]] if name in cells else None
                    record[name] = None if name not in cells else "any" if classes is None else " or ".join(classes)
                record["status"] = row.status
                records.append(record)
        return records


def column_name(column: Column) -> str:
    """A column as tables head it: the fact, and for one region of a list of countries its codes."""
    return column.fact if column.region is None else f"{column.fact} [{column.region}]"


def varied_facts(reasoner: "Reasoner", names: list[str]) -> list[str]:
    """The `--vary` list checked against the vocabulary (raises :class:`SweepError`)."""
    facts = reasoner.vocabulary.facts
    testable = [path for path, spec in facts.items() if spec.kind not in ("text", "date")]
    chosen = []
    for name in names:
        if name not in facts or facts[name].kind in ("text", "date"):
            close = difflib.get_close_matches(name, testable, n=1)
            hint = f" - did you mean `{close[0]}`?" if close else " (see `liability scenario facts`)"
            kind = f" is free {facts[name].kind}, which no rule tests" if name in facts else " is not a fact"
            raise SweepError(f"--vary: `{name}`{kind}{hint}")
        if name not in chosen:
            chosen.append(name)
    return chosen


@dataclass
class _Regime:
    """What every combination of a sweep shares: the regime's rules in force and its encodings."""

    book: Rulebook
    encodings: FactEncodings
    rules: list[Any]
    scenario: Scenario
    deductions: tuple[Deduction, ...]

    @property
    def manager(self) -> Any:
        return self.encodings.manager

    def decisions(self, vary: list[str], applied: dict[str, Any]) -> Decisions:
        """The decisions with the varied facts unknown and the `applied` deductions made, the
        scenario read as :meth:`Reasoner.decide` reads it."""
        stated = self.scenario.with_facts({**{path: None for path in vary}, **applied}).record(self.book.defence_facts)
        facts = scenario_facts(stated)
        for path in vary:  # a row states it: neither deduced nor closed as not shown
            facts[path] = None
        return Decisions(lambda: self.encodings, self.book, self.rules, facts, closure(self.rules, self.book, facts))


def default_regime(reasoner: "Reasoner", scenario: Scenario, head: str | None) -> str:
    """The scenario's first regime that answers `head` (its first regime without one)."""
    regimes = scenario.regimes or list(reasoner.regimes)
    return next((regime for regime in regimes if head is None or head in reasoner.rulebook(regime).heads), regimes[0])


def sweep(reasoner: "Reasoner", scenario: Scenario, regime: str, vary: list[str] | None,
          head: str | None = None, lang: str = "en") -> Sweep:
    """The sweep of `head` (every head when None) over `vary` (None: each head's unknown facts
    on which its status depends)."""
    book = reasoner.rulebook(regime)
    selection = book.select(scenario.facts_date, scenario.assessed_on, scenario.facts_end)
    rules = [rule for rule in book.order if rule.id in selection.in_force]
    setting = _Regime(book, reasoner.encodings(regime), rules, scenario, reasoner.deductions)
    heads = _heads(book, head)
    wanted = set(scenario.proceedings) if scenario.proceedings else None
    pairs = [(h, p) for h in heads for p in h.proceedings if wanted is None or p in wanted]
    if not pairs:
        raise SweepError(f"--head: `{head}` is answered in none of the scenario's proceedings "
                         f"({', '.join(scenario.proceedings or [])})")
    encoded = setting.encodings.encodings
    inert = [path for path in vary or [] if path not in encoded]
    if vary is not None and not [path for path in vary if path in encoded]:
        raise SweepError(f"--vary: no rule of the {regime} regime tests {', '.join(f'`{p}`' for p in vary)}, "
                         "so nothing can change")
    facts = reasoner.vocabulary.facts
    if vary is None:  # the scenario as written, its deductions made: what each head depends on
        ((_, applied),) = _ways(setting, [], [])
        base = setting.decisions([], applied)
        varied = {(found.id, proceeding): list(base.status(found.id, found.outcomes_for(proceeding),
                                                            found.fallback).missing_facts)
                  for found, proceeding in pairs}
    else:
        varied = {(found.id, proceeding): [path for path in vary if path in encoded] for found, proceeding in pairs}
    results = [_sweep_head(setting, found, proceeding, varied[(found.id, proceeding)], lang, facts)
               for found, proceeding in pairs]
    names = {path: short_name(facts.get(path), lang, path) for path in dict.fromkeys(
        column.fact for result in results for column in result.columns)}
    return Sweep(scenario=scenario.id, title=scenario.title, regime=regime, lang=lang, inert=inert,
                 results=results, values=reasoner.vocabulary.value_labels(lang, names), names=names)


def _heads(book: Rulebook, head: str | None) -> list[Head]:
    if head is None:
        return list(book.heads.values())
    if head not in book.heads:
        close = difflib.get_close_matches(head, list(book.heads), n=1)
        hint = f" - did you mean `{close[0]}`?" if close else f"; known: {', '.join(book.heads)}"
        raise SweepError(f"--head: `{head}` is not a head of the {book.regime} regime{hint}")
    return [book.heads[head]]


def _sweep_head(setting: _Regime, head: Head, proceeding: str, vary: list[str], lang: str,
                facts: Any) -> HeadSweep:
    from .render.words import status_label

    manager = setting.manager
    encodings = [setting.encodings.encodings[path] for path in vary]
    dims = dimensions(manager, encodings)
    outcomes = head.outcomes_for(proceeding)
    order = list(dict.fromkeys([status for _, status in outcomes] + [head.fallback, UNDETERMINED]))
    statuses = {status: manager.false for status in order}
    varied_variables = {variable for encoding in encodings for variable in encoding.variables}
    for way, applied in _ways(setting, vary, dims):
        decisions = setting.decisions(vary, applied)
        decided = decisions.status(head.id, outcomes, head.fallback)
        reached = decided.diagrams if decided.diagrams is not None else {decided.status: manager.true}
        for status, node in _row_statuses(manager, reached, varied_variables).items():
            statuses[status] |= way & node
    possible = _loadable(setting, dims, facts)
    everywhere = valid(manager, dims) & possible
    statuses = {status: node & possible for status, node in statuses.items() if node & everywhere != manager.false}
    try:
        rows = [Row(cells=_cells(term, dims), status=status)
                for status, node in statuses.items() for term in disjoint_terms(manager, node, dims)]
        found = formulas(manager, statuses, dims, possible)
    except TooManyTerms as error:
        raise SweepError(f"--vary: `{head.id}` ({proceeding}) over these {len(vary)} facts takes {error} to say "
                         "exactly; vary fewer facts, or state some of them in the scenario") from None
    said = [StatusFormula(status=formula.outcome, minimised=formula.minimised,
                          terms=[[FormulaLiteral(fact=lit.fact, region=lit.region, classes=list(lit.classes))
                                  for lit in term] for term in formula.terms],
                          words=formula_words(formula, status_label(formula.outcome, lang, head.kind), facts, lang))
            for formula in found]
    combinations = int(manager.count(everywhere, nvars=len(varied_variables))) if varied_variables else 1
    return HeadSweep(head=head.id, proceeding=proceeding, proceeding_label=setting.book.proceeding_labels[proceeding].get(lang),
                     kind=head.kind, question=head.question.get(lang),
                     combinations=combinations,
                     columns=[Column(fact=dim.fact, region=dim.region, classes=list(dim.classes), values=list(dim.values))
                              for dim in dims],
                     rows=rows, formulas=said)


def _loadable(setting: _Regime, dims: list[Dimension], facts: Any) -> Node:
    """The combinations of the varied facts a scenario can state: none in which a fact the facts
    file says implies another's value (a child under 15 is a minor) is true beside a stated
    contrary value, the facts not varied as the scenario states them (the loader refuses such a
    file, so a row for it would describe no scenario)."""
    manager = setting.manager
    by_fact = {dim.fact: dim for dim in dims if dim.region is None}

    def where(path: str, holds: Any) -> Node:
        """The combinations in which `path`'s value satisfies `holds` (None: it is unstated)."""
        if path in by_fact:
            dim = by_fact[path]
            node = manager.false
            for value, class_node in zip(dim.values, dim.nodes):
                if holds(value):
                    node |= class_node
            return node
        return manager.true if holds(setting.scenario.fact(path)) else manager.false

    possible = manager.true
    for spec in facts.values():
        for other, value in spec.implies:
            if spec.path in by_fact or other in by_fact:
                contrary = where(other, lambda stated, value=value: stated is not None and stated != value)
                possible &= ~(where(spec.path, lambda stated: stated is True) & contrary)
    return possible


def _row_statuses(manager: Any, reached: dict[str, Node], varied: set[str]) -> dict[str, Node]:
    """Per status, the assignments of the varied facts under which it is the row's status: some
    completion of the other unknown facts reaches it and none reaches another; the rest of the
    assignments are undetermined."""
    others = {variable for node in reached.values() for variable in manager.support(node)} - varied
    possible = {status: manager.exist(others, node) if others else node for status, node in reached.items()}
    result = {}
    decided = manager.false
    for status, node in possible.items():
        alone = node
        for other, other_node in possible.items():
            if other != status:
                alone &= ~other_node
        result[status] = alone
        decided |= alone
    result[UNDETERMINED] = result.get(UNDETERMINED, manager.false) | ~decided
    return result


def _cells(term: tuple[Literal, ...], dims: list[Dimension]) -> list[list[str] | None]:
    restricted = {(lit.fact, lit.region): list(lit.classes) for lit in term}
    return [restricted.get((dim.fact, dim.region)) for dim in dims]


def _ways(setting: _Regime, vary: list[str], dims: list[Dimension]) -> Iterator[tuple[Node, dict[str, Any]]]:
    """Each way the deductions can go over the combinations of the varied facts: the combinations
    where they go that way (a diagram over the varied facts) and the facts they fill there.

    A deduction fills its fact when the scenario, with a row's values set, leaves the fact unstated
    and its condition holds in three-valued logic (:func:`liability.deductions.deduced`); the first
    deduction that holds for a fact fills it."""
    manager = setting.manager
    stated = scenario_facts(setting.scenario.with_facts({path: None for path in vary}))
    encoded = setting.encodings.encodings
    pending: list[tuple[Deduction, Node]] = []
    always: list[Deduction] = []
    for deduction in setting.deductions:
        if deduction.fact in vary or stated.get(deduction.fact) is not None or deduction.fact not in encoded:
            continue  # never fills the fact in any row, or fills one no rule of the regime tests
        value = conditions.evaluate(deduction.condition, stated, frozenset(), frozenset())
        if value is True:
            always.append(deduction)
        elif value is None:
            grounds = [path for path in dict.fromkeys(atom.path for atom in conditions.atoms(deduction.condition))
                       if path in vary]
            if grounds:
                for path in grounds:
                    _check_classes(setting, deduction, path)
                pending.append((deduction, _holding(setting, deduction, stated, grounds, dims)))
    for pattern in itertools.product((True, False), repeat=len(pending)):
        way = manager.true
        holding = set(always)
        for (deduction, node), holds in zip(pending, pattern):
            way &= node if holds else ~node
            if holds:
                holding.add(deduction)
        if way == manager.false:
            continue
        applied: dict[str, Any] = {}
        for deduction in setting.deductions:
            if deduction in holding and deduction.fact not in applied:
                applied[deduction.fact] = deduction.value
        yield way, applied


def _check_classes(setting: _Regime, deduction: Deduction, path: str) -> None:
    """Refuse, rather than mislabel, a varied ground whose value class the deduction would split:
    a row states one value of each class, and the deduction must see every value of it alike."""
    spec = setting.book.vocabulary.facts[path]
    rule_tests = tests_by_fact(setting.book.rules).get(path, [])
    own = [atom for atom in conditions.atoms(deduction.condition)
           if isinstance(atom, conditions.FactTest) and atom.path == path]
    if spec.kind == "bool":
        return
    if spec.kind == "choice":
        values = list(spec.values)
    elif spec.kind == "count":
        values = sorted({0} | {t.value for t in rule_tests + own if t.op == "at_least"})
    elif spec.kind == "country":
        values = list(dict.fromkeys(code for t in rule_tests + own for code in (t.value if t.op == "in" else (t.value,))))
        values.append(next(code for code in OTHER_COUNTRIES if code not in values))
    else:
        values = []
    seen: dict[tuple[Any, ...], tuple[Any, ...]] = {}
    split = not values or any(seen.setdefault(tuple(t.evaluate(v) for t in rule_tests), tuple(t.evaluate(v) for t in own))
                              != tuple(t.evaluate(v) for t in own) for v in values)
    if split:
        raise SweepError(f"--vary: `{path}` is a ground of the deduction of `{deduction.fact}`, which tells apart values "
                         f"the {setting.book.regime} regime's rules treat alike; a sweep cannot vary it by the rules' "
                         "classes (state it in the scenario instead)")


def _holding(setting: _Regime, deduction: Deduction, stated: dict[str, Any], grounds: list[str],
             dims: list[Dimension]) -> Node:
    """The combinations of the varied grounds under which the deduction's condition holds, each
    class standing for its values by the value the table's row states."""
    manager = setting.manager
    by_fact: dict[str, list[Dimension]] = {}
    for dim in dims:
        by_fact.setdefault(dim.fact, []).append(dim)
    node = manager.false
    choices = [list(_points(by_fact[path])) for path in grounds]
    for combination in itertools.product(*choices):
        values = dict(stated)
        selector = manager.true
        for path, (value, point) in zip(grounds, combination):
            values[path] = value
            selector &= point
        if conditions.evaluate(deduction.condition, values, frozenset(), frozenset()) is True:
            node |= selector
    return node


def _points(dims: list[Dimension]) -> Iterator[tuple[Any, Node]]:
    """Each value a fact takes in the rows, with its diagram: one per class, and for a list of
    countries one per set of regions it includes."""
    if dims[0].region is None:
        yield from zip(dims[0].values, dims[0].nodes)
        return
    for included in itertools.product((True, False), repeat=len(dims)):
        codes = [dim.values[0] for dim, inside in zip(dims, included) if inside]
        node = dims[0].nodes[0] if included[0] else dims[0].nodes[1]
        for dim, inside in zip(dims[1:], included[1:]):
            node &= dim.nodes[0] if inside else dim.nodes[1]
        yield codes, node

