"""The findings document (``liability/findings-v1``): the one result every renderer reads.

The pydantic models below are the output contract of DESIGN.md section 7; building the document
through them means a malformed result fails here, not in a user's parser. :func:`build_regime`
turns one regime's run (conclusions, trace, exact decisions) into findings: status, strength,
citations, reasons, derivation, penalties at stake on the facts' date, and missing facts.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict

from . import conditions
from .engine import Run, Step
from .evaluator import Decision
from .rulebook import STRENGTH_ORDER, Head, Penalty, Rulebook
from .scenario import Scenario

SCHEMA = "liability/findings-v1"


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid")


class PenaltyAtStake(_Model):
    """The maximum sentence the actor faced on the facts' date, under the version in force."""

    prison_years: int | None
    life: bool
    fine: int | None
    currency: str | None
    person: Literal["natural", "legal"]
    nature: str
    basis: str
    url: str
    version_from: str
    version_to: str | None
    additional: list[str]
    rule: str
    """The rule that carries this penalty: the most severe among those that concluded the head."""
    strength: str
    """The strength of that rule's derivation: a severe penalty resting on an arguable rule (or on
    an arguable premise) is only arguably at stake."""
    conditional: bool
    """True when the head is undetermined: this is what is at stake if it turns out to hold."""


class Matched(_Model):
    facts: dict[str, Any]
    conclusions: list[str]
    absent: list[str]


class TraceStep(_Model):
    step: int
    rule: str
    cites: str
    certain: bool
    matched: Matched
    concluded: str
    element: str | None
    strength: str


class Derivation(_Model):
    """How a conclusion was reached: each rule that drew it, with its facts and premises."""

    conclusion: str
    rules: list["RuleUse"]


class RuleUse(_Model):
    rule: str
    cites: str
    url: str
    element: str | None
    strength: str
    certain: bool
    facts: dict[str, Any]
    absent: list[str]
    premises: list[Derivation]


class Finding(_Model):
    head: str
    subject: str
    proceeding: str
    status: str
    strength: str | None
    question: str
    cites: list[str]
    elements: list[str]
    because: list[str]
    derivation: Derivation | None
    penalties: PenaltyAtStake | None
    missing_facts: list[str]
    approximate: bool


class RegimeFindings(_Model):
    regime: str
    title: str
    facts_date: str
    judged_on: str
    posture: str
    rules_in_force: int
    findings: list[Finding]
    trace: list[TraceStep]


class Document(_Model):
    schema_: str
    engine: str
    scenario: str
    title: str | None
    lang: str
    regimes: list[RegimeFindings]

    def as_json(self) -> dict[str, Any]:
        data = self.model_dump(mode="json")
        data["schema"] = data.pop("schema_")
        return {"schema": data.pop("schema"), **data}


def _value(value: Any) -> Any:
    if value is None:
        return "unknown"
    if isinstance(value, (list, tuple)):
        return list(value)
    return value


def _shown(value: Any) -> str:
    """A fact value as the scenario file writes it: true, false, unknown, FR..."""
    return json.dumps(_value(value), ensure_ascii=False).strip('"')


def _trace_step(step: Step) -> TraceStep:
    return TraceStep(
        step=step.step, rule=step.rule, cites=step.cites, certain=step.certain,
        matched=Matched(facts={k: _value(v) for k, v in step.facts.items()},
                        conclusions=list(step.conclusions), absent=list(step.absent)),
        concluded=step.concluded, element=step.element, strength=step.strength)


class _Derivations:
    """Derivation trees and strengths, read off the trace."""

    def __init__(self, book: Rulebook, trace: list[Step]) -> None:
        self.book = book
        self.trace = trace

    def steps_for(self, conclusion: str, certain_only: bool, before: int | None = None) -> list[Step]:
        return [s for s in self.trace
                if s.concluded == conclusion and (s.certain or not certain_only)
                and (before is None or s.step < before)]

    def tree(self, conclusion: str, certain_only: bool, before: int | None = None) -> Derivation:
        uses = []
        for step in self.steps_for(conclusion, certain_only, before):
            rule = self.book.by_id[step.rule]
            uses.append(RuleUse(
                rule=step.rule, cites=step.cites, url=rule.url, element=step.element,
                strength=step.strength, certain=step.certain,
                facts={k: _value(v) for k, v in step.facts.items()}, absent=list(step.absent),
                premises=[self.tree(p, certain_only, step.step) for p in step.conclusions]))
        return Derivation(conclusion=conclusion, rules=uses)

    def strength(self, derivation: Derivation) -> str | None:
        """A conclusion is as strong as its strongest rule, and a rule as its weakest link."""
        return max((self.use_strength(use) for use in derivation.rules),
                   key=STRENGTH_ORDER.__getitem__, default=None)

    def use_strength(self, use: RuleUse) -> str:
        """The strength of one rule's conclusion: its own, capped by its premises'."""
        links = [use.strength] + [self.strength(p) or "arguable" for p in use.premises]
        return min(links, key=STRENGTH_ORDER.__getitem__)


def walk(derivation: Derivation, stop: frozenset[str] = frozenset()) -> list[RuleUse]:
    """Every rule use in a derivation tree, breadth first, each once, not descending into `stop`.

    Findings stop at premises that are heads of their own (e.g. the prostitution threshold under
    procuring): those have their own finding, and repeating their reasons would bury the head's.
    """
    seen: dict[str, RuleUse] = {}
    pending = [derivation]
    while pending:
        current = pending.pop(0)
        for use in current.rules:
            if use.rule not in seen:
                seen[use.rule] = use
                pending.extend(p for p in use.premises if p.conclusion not in stop)
    return list(seen.values())


def _severity(version: Any) -> tuple[int, int, int]:
    return (1 if version.life else 0, version.prison_years or 0, version.fine or 0)


def penalty_at_stake(carriers: list[tuple[Penalty, RuleUse, str]], day: dt.date, person: str, lang: str,
                     conditional: bool) -> PenaltyAtStake | None:
    """The most severe penalty carried by the rules that concluded a head, in its version in force
    on `day`, for that kind of person."""
    candidates = [(p, p.version_on(day), use, strength) for p, use, strength in carriers]
    candidates = [item for item in candidates if item[1] is not None]
    if not candidates:
        return None
    penalty, version, use, strength = max(candidates, key=lambda item: _severity(item[1]))
    legal = person == "legal" and penalty.legal_person is not None
    fine = version.fine
    if legal and fine is not None:
        fine *= penalty.legal_person.fine_multiplier
    basis = penalty.cites + (f"; {penalty.legal_person.basis}" if legal else "")
    additional = penalty.legal_person.additional if legal else penalty.additional
    return PenaltyAtStake(
        prison_years=None if legal else version.prison_years, life=False if legal else version.life,
        fine=fine, currency=version.currency, person="legal" if legal else "natural",
        nature=penalty.nature, basis=basis, url=penalty.url,
        version_from=version.in_force.from_.isoformat(),
        version_to=version.in_force.to.isoformat() if version.in_force.to else None,
        additional=[item.get(lang) for item in additional], rule=use.rule, strength=strength,
        conditional=conditional)


def _why_not(book: Rulebook, head: Head, facts: dict[str, Any], certain: frozenset[str],
             possible: frozenset[str], in_force: frozenset[str], lang: str) -> list[str]:
    """For a head that does not hold: each rule that could conclude it and what failed."""
    reasons = []
    for rule in book.producers.get(head.id, []):
        if rule.id not in in_force:
            reasons.append(f"{rule.cites}: " + ("texte non en vigueur à la date des faits" if lang == "fr"
                                                else "not in force on the date of the facts"))
            continue
        failed = [atom.describe() + (f" ({_shown(facts.get(atom.path))})" if isinstance(atom, conditions.FactTest) else "")
                  for atom in conditions.atoms(rule.condition)
                  if conditions.evaluate(atom, facts, certain, possible) is False]
        if failed:
            label = "conditions non remplies" if lang == "fr" else "not met"
            reasons.append(f"{rule.cites} ({rule.id}): {label}: {', '.join(dict.fromkeys(failed))}")
    return reasons


def build_finding(book: Rulebook, head: Head, proceeding: str, scenario: Scenario, facts: dict[str, Any],
                  run: Run, decision: Decision, in_force: frozenset[str], lang: str) -> Finding:
    positive, negative = head.statuses
    derivations = _Derivations(book, run.trace)
    day = scenario.facts_date
    person = "natural" if head.subject == "clients" else (scenario.actor.person or "natural")
    derivation = None
    strength = None
    penalties = None
    because: list[str] = []
    if decision.holds is False:
        status = negative
        because = _why_not(book, head, facts, run.closure.certain, run.closure.possible, in_force, lang)
        if head.id in run.closure.possible:
            because.append("Quels que soient les faits inconnus, aucune combinaison ne permet de la retenir."
                           if lang == "fr" else
                           "Whatever the unknown facts turn out to be, no combination of them makes it hold.")
    else:
        certain_only = decision.holds is True and head.id in run.closure.certain
        status = positive if decision.holds else "undetermined"
        derivation = derivations.tree(head.id, certain_only)
        strength = derivations.strength(derivation)
        carriers = [(book.penalties[penalty], use, derivations.use_strength(use)) for use in derivation.rules
                    if (penalty := book.by_id[use.rule].penalty)]
        penalties = penalty_at_stake(carriers, day, person, lang, conditional=decision.holds is not True)
    used = walk(derivation, frozenset(book.heads) - {head.id}) if derivation else []
    if derivation:
        because = list(dict.fromkeys(book.by_id[u.rule].because.get(lang) for u in used))
    return Finding(
        head=head.id, subject=head.subject, proceeding=proceeding, status=status, strength=strength,
        question=head.question.get(lang),
        cites=list(dict.fromkeys(u.cites for u in used)),
        elements=list(dict.fromkeys(u.element for u in used if u.element)),
        because=because, derivation=derivation, penalties=penalties,
        missing_facts=list(decision.missing_facts), approximate=decision.approximate)


def build_regime(book: Rulebook, scenario: Scenario, facts: dict[str, Any], run: Run,
                 decisions: dict[str, Decision], in_force: frozenset[str], lang: str) -> RegimeFindings:
    wanted = set(scenario.proceedings) if scenario.proceedings else None
    findings = []
    for head in book.heads.values():
        for proceeding in head.proceedings:
            if wanted is None or proceeding in wanted:
                findings.append(build_finding(book, head, proceeding, scenario, facts, run,
                                              decisions[head.id], in_force, lang))
    return RegimeFindings(
        regime=book.regime, title=book.title.get(lang), facts_date=scenario.facts_date.isoformat(),
        judged_on=scenario.assessed_on.isoformat(), posture=scenario.posture,
        rules_in_force=len(in_force), findings=findings, trace=[_trace_step(s) for s in run.trace])


Derivation.model_rebuild()
