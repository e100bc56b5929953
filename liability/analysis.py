"""The analysis of a finding as a memo lays it out: element by element, and rule by rule near misses.

The rules decide a head; this module explains the decision. Each element a pack states for a head
(the legal, material and mental elements of an offence, the conditions of an exemption...) is
checked against the scenario and the conclusions reached, test by test, so a reader sees which
facts met it, which failed it and which are unknown. Each rule that could have concluded the head
and did not is a near miss: what failed, with the fact values that made it fail, and what would
have satisfied it.
"""

from __future__ import annotations

import json
from typing import Any, Iterable, Literal

from pydantic import BaseModel, ConfigDict

from . import conditions
from .conditions import Absent, Condition, FactTest, Holds
from .rulebook import DateBasis, Element, Head, Rule, Rulebook, Selection
from .trace import Run

ElementStatus = Literal["met", "not_met", "unknown"]
_STATUS: dict[bool | None, ElementStatus] = {True: "met", False: "not_met", None: "unknown"}


class _Model(BaseModel):
    """Built with `model_construct`: explanations are made by this module from checked rule packs,
    thousands per document, and validating each would cost more than computing it."""

    model_config = ConfigDict(extra="forbid")


class Check(_Model):
    """One test of a condition, as the scenario and the conclusions answer it."""

    test: str
    """The test as the pack writes it (`money.posting_fees`, `actor.person = legal`, `not fr.x`)."""
    fact: str | None
    conclusion: str | None
    value: Any
    """The fact's value (`unknown` when the scenario is silent), or for a conclusion whether it
    holds: `holds`, `possible` or `does not hold`."""
    result: ElementStatus
    wanted: str | None = None
    """For a fact, the value the test needs, as a scenario writes it (`true`, `legal`, `>= 2`,
    `one of: FR, BE`...)."""
    because_of: list["Check"] = []
    """For a conclusion that does not hold, the fact tests that keep it from holding, followed down
    through the conclusions it rests on (a cam site's procuring fails on `content.physical_contact`,
    not merely on `fr.prostitution`)."""
    question: str | None = None
    """For a fact, the plain-language question it answers (filled from the glossary)."""


class ElementCheck(_Model):
    part: str
    group: str | None
    """Elements of one group are alternatives: one of them suffices."""
    name: str
    status: ElementStatus
    cites: str
    url: str
    checks: list[Check]
    rules: list[str]
    """The rules that drew the conclusions this element reads, as `cites (rule id)`."""


class NearMiss(_Model):
    """A rule that could have concluded the head and did not (or only possibly did)."""

    rule: str
    cites: str
    url: str
    element: str | None
    strength: str
    why: Literal["failed", "unknown", "not_in_force", "abolished"]
    date: str | None
    """For `not_in_force` and `abolished`: the date the rule was looked up on."""
    basis: DateBasis | None
    """For `not_in_force`: which date that was, by the rule's time rule."""
    failed: list[Check]
    """The tests that failed; any one of them true (with the others) would be needed."""
    unknown: list[Check]
    """The tests the scenario leaves open."""
    because: str
    see_also: list[str]
    """Rules for the same conclusion on the same ground (element) that did hold, as
    `cites (rule id, strength)`: e.g. the open question that remains when the settled reading fails."""


def fact_value(value: Any) -> Any:
    """A fact value as findings record it: `unknown` for an unknown fact, lists for countries."""
    if value is None:
        return "unknown"
    return list(value) if isinstance(value, (list, tuple)) else value


def _check(atom: conditions.Atom, facts: dict[str, Any], certain: frozenset[str] | set[str],
           possible: frozenset[str] | set[str]) -> Check:
    result = _STATUS[conditions.evaluate(atom, facts, certain, possible)]
    if isinstance(atom, FactTest):
        return Check.model_construct(test=atom.describe(), fact=atom.path, conclusion=None,
                                     value=fact_value(facts.get(atom.path)), result=result, wanted=wanted(atom),
                                     because_of=[])
    name = atom.conclusion
    held = "holds" if name in certain else "possible" if name in possible else "does not hold"
    return Check.model_construct(test=atom.describe(), fact=None, conclusion=name, value=held, result=result,
                                 wanted=None, because_of=[])


def wanted(test: FactTest) -> str:
    """What a fact test needs, in the words of a scenario file."""
    if test.op == "true":
        return "true"
    if test.op == "is":
        return shown(test.value)
    if test.op == "at_least":
        return f">= {test.value}"
    codes = ", ".join(shown(v) for v in test.value)
    return f"one of: {codes}" if test.op == "in" else f"includes one of: {codes}"


def _checks(atoms: Iterable[conditions.Atom], facts: dict[str, Any], run: Run) -> list[Check]:
    """Each distinct atom, checked once."""
    closure = run.closure
    return [_check(atom, facts, closure.certain, closure.possible) for atom in dict.fromkeys(atoms)]


def _followed_down(checks: list[Check], book: Rulebook, facts: dict[str, Any], run: Run,
                   selection: Selection) -> list[Check]:
    """The checks, each failed or open conclusion given the fact tests that keep it from holding."""
    for check in checks:
        if check.conclusion is not None and check.result != "met" and check.value != "holds":
            check.because_of = blocked_by(check.conclusion, book, facts, run, selection)
    return checks


def blocked_by(conclusion: str, book: Rulebook, facts: dict[str, Any], run: Run, selection: Selection) -> list[Check]:
    """The fact tests that keep `conclusion` from holding, read once per run (a conclusion on a
    positive cycle, met again while it is being read, adds nothing)."""
    known = run.blocking
    if conclusion not in known:
        known[conclusion] = []
        known[conclusion] = _blocking_facts(conclusion, book, facts, run, selection)
    return known[conclusion]


def _blocking_facts(conclusion: str, book: Rulebook, facts: dict[str, Any], run: Run,
                    selection: Selection) -> list[Check]:
    """The fact tests responsible for `conclusion` not holding (certainly), through every rule in
    force that could draw it and the conclusions those rules need; each test once."""
    found: dict[str, Check] = {}
    for rule in book.producers.get(conclusion, []):
        if rule.id not in selection.in_force:
            continue
        value = rule.holds(facts, run.closure.certain, run.closure.possible)
        if value is True:
            continue
        for atom in responsible(rule.condition, value, facts, run):
            if isinstance(atom, FactTest):
                check = _check(atom, facts, run.closure.certain, run.closure.possible)
                found.setdefault(check.test, check)
            elif isinstance(atom, Holds):
                for check in blocked_by(atom.conclusion, book, facts, run, selection):
                    found.setdefault(check.test, check)
    return list(found.values())


def _drawn_by(conclusions: list[str], run: Run, book: Rulebook) -> list[str]:
    rules = dict.fromkeys(step.rule for step in run.trace if step.concluded in conclusions)
    return [f"{book.by_id[rule].cites} ({rule})" for rule in rules]


def element_checks(book: Rulebook, head: Head, proceeding: str, facts: dict[str, Any], run: Run,
                   selection: Selection, lang: str) -> list[ElementCheck]:
    """Each of the head's elements for this proceeding and date, met, not met or unknown."""
    result = []
    for element in book.elements.get(head.id, []):
        if not element.applies_to(proceeding, selection.conduct_date(element.continuing)):
            continue
        if element.established_by:
            establishing = _establishing(book, head, element, proceeding, selection)
            closure = run.closure
            value = conditions.disj(rule.holds(facts, closure.certain, closure.possible) for rule in establishing)
            atoms = [atom for rule in establishing for atom in conditions.atoms(rule.condition)]
        else:
            condition = element.condition_for(proceeding)
            if condition is None:
                result.append(_legal_element(book, head, element, proceeding, selection, lang))
                continue
            value = conditions.evaluate(condition, facts, run.closure.certain, run.closure.possible)
            atoms = list(conditions.atoms(condition))
        read = [a.conclusion for a in atoms if isinstance(a, (Holds, Absent))]
        result.append(ElementCheck.model_construct(
            part=element.part, group=element.group, name=element.name.get(lang), status=_STATUS[value], cites=element.cites,
            url=element.url, checks=_followed_down(_checks(atoms, facts, run), book, facts, run, selection),
            rules=_drawn_by(read, run, book)))
    return result


def _establishing(book: Rulebook, head: Head, element: Element, proceeding: str,
                  selection: Selection) -> list[Rule]:
    """The rules an element names that can establish it in this case: those that bear on the head in
    this proceeding and apply on the case's dates, each by its own time rule. The element is met
    when one of them holds, exactly as their conclusions would be drawn; a named rule out of force,
    or abolished by a milder later law, establishes nothing."""
    bearing = book.bearing(head.id, proceeding)
    return [book.by_id[rule_id] for rule_id in element.established_by
            if rule_id in bearing and rule_id in selection.in_force]


def _legal_element(book: Rulebook, head: Head, element: Element, proceeding: str, selection: Selection,
                   lang: str) -> ElementCheck:
    """A text in force: met when some rule able to conclude the head applies to the case."""
    producers = [rule for conclusion, _ in head.outcomes_for(proceeding)
                 for rule in book.producers.get(conclusion, [])]
    applying = [rule for rule in producers if rule.id in selection.in_force]
    return ElementCheck.model_construct(
        part=element.part, group=element.group, name=element.name.get(lang),
        status="met" if applying else "not_met",
        cites=element.cites, url=element.url, checks=[],
        rules=list(dict.fromkeys(f"{rule.cites} ({rule.id})" for rule in applying)))


def near_misses(book: Rulebook, conclusions: list[str], facts: dict[str, Any], run: Run,
                selection: Selection, lang: str, stop: frozenset[str] = frozenset()) -> list[NearMiss]:
    """Every rule that could have drawn one of `conclusions`, or a premise they rest on,
    not descending into `stop` (the conclusions other heads answer), and did not certainly draw it."""
    wanted: set[str] = set()
    pending = list(conclusions)
    while pending:
        current = pending.pop()
        if current in wanted or (current in stop and current not in conclusions):
            continue
        wanted.add(current)
        pending.extend(p for rule in book.producers.get(current, []) for p in rule.premises)
    fired = {step.rule for step in run.trace if step.certain}
    result = []
    for rule in book.rules:
        if rule.conclusion not in wanted or rule.id in fired:
            continue
        see_also = [f"{other.cites} ({other.id}, {other.strength})" for other in book.producers[rule.conclusion]
                    if other.id in fired and other.element == rule.element]
        result.append(_near_miss(book, rule, facts, run, selection, lang, see_also))
    return result


def _near_miss(book: Rulebook, rule: Rule, facts: dict[str, Any], run: Run, selection: Selection, lang: str,
               see_also: list[str]) -> NearMiss:
    """Why a rule did not conclude: the tests responsible (not an alternative that held)."""
    common = dict(rule=rule.id, cites=rule.cites, url=rule.url, element=rule.element.get(lang) if rule.element else None,
                  strength=rule.strength,
                  because=rule.because.get(lang), see_also=see_also)
    if rule.id in selection.abolished:
        return NearMiss.model_construct(why="abolished", date=selection.abolished[rule.id].isoformat(), basis=None,
                                        failed=[], unknown=[], **common)
    if rule.id not in selection.in_force:
        basis, day = book.version_date(rule, selection.facts_date, selection.judged_on, selection.facts_end)
        return NearMiss.model_construct(why="not_in_force", date=day.isoformat(), basis=basis, failed=[], unknown=[],
                                        **common)
    value = rule.holds(facts, run.closure.certain, run.closure.possible)
    checks = _followed_down(_checks(responsible(rule.condition, value, facts, run), facts, run), book, facts, run,
                            selection)
    return NearMiss.model_construct(why="failed" if value is False else "unknown", date=None, basis=None,
                                    failed=[c for c in checks if c.result == "not_met"],
                                    unknown=[c for c in checks if c.result == "unknown"], **common)


def responsible(condition: Condition, value: bool | None, facts: dict[str, Any], run: Run) -> list[conditions.Atom]:
    """The atoms that give `condition` its `value` (false or unknown): the failing items of a
    conjunction, every alternative of a failing disjunction; not an alternative that held."""
    if not isinstance(condition, (conditions.All, conditions.Any_)):
        return [condition]
    result = []
    for item in condition.items:
        item_value = conditions.evaluate(item, facts, run.closure.certain, run.closure.possible)
        if item_value is value or (value is None and item_value is None):
            result.extend(responsible(item, item_value, facts, run))
    return result


def shown(value: Any) -> str:
    """A fact value as the scenario file writes it: true, false, unknown, FR..."""
    if value is None:
        return "unknown"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (str, int)):  # the common cases, without a trip through the JSON encoder
        return str(value)
    return json.dumps(fact_value(value), ensure_ascii=False).strip('"')


Check.model_rebuild()
