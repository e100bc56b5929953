"""The findings document (``liability/findings-v1``): the one result every renderer reads.

The pydantic models below are the output contract of DESIGN.md section 7; building the document
through them means a malformed result fails here, not in a user's parser. :func:`build_regime`
turns one regime's run (conclusions, trace, exact decisions) into findings: status, strength,
citations, reasons, derivation, penalties at stake on the facts' date, and missing facts.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from .analysis import ElementCheck, NearMiss, element_checks, fact_value, near_misses, shown
from .engine import Run, Step
from .evaluator import StatusDecision
from .rulebook import STRENGTH_ORDER, Head, Penalty, Rulebook, Selection, severity
from .scenario import Scenario

SCHEMA = "liability/findings-v1"


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid")


class PenaltyAtStake(_Model):
    """The maximum sentence the actor faced on the facts' date, under the version in force."""

    prison_years: int | None
    life: bool
    fine: int | None
    fine_percent_turnover: float | None
    """For fines set as a share of worldwide annual turnover (e.g. the DSA's 6 %)."""
    currency: str | None
    person: Literal["natural", "legal"]
    nature: str
    basis: str
    url: str
    version_from: str
    version_to: str | None
    version_reason: str
    """Why this version: the one in force on the facts' date, or a milder later one."""
    additional: list[str]
    rule: str
    """The rule that carries this penalty: the most severe among those that concluded the head."""
    strength: str
    """The strength of that rule's derivation: a severe penalty resting on an arguable rule (or on
    an arguable premise) is only arguably at stake."""
    conditional: bool
    """True when the head is undetermined: this is what is at stake if it turns out to hold."""
    depends_on: list[str] = []
    """For the upper end of a range: the unknown facts the more severe penalty rests on."""


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


class RuleVersion(_Model):
    """The version of a rule a finding used, and the date (and legal reason) that chose it."""

    rule: str
    provision: str
    version_from: str
    version_to: str | None
    chosen_by: Literal["facts_date", "judged_on"]
    date: str
    time_rule: str | None
    why: str | None


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
    penalties_up_to: PenaltyAtStake | None
    """When some completion of the unknown facts leads to a more severe penalty than `penalties`:
    that penalty (so the sentence at stake is a range, e.g. 10 years, or life if there was torture)."""
    missing_facts: list[str]
    approximate: bool
    versions: list[RuleVersion]
    analysis: list[ElementCheck] | None
    """The head's elements as the law states them, each met, not met or unknown (null when the
    document was built without explanations, as batch runs are by default)."""
    near_misses: list[NearMiss] | None
    """The rules that could have concluded the head and did not, with what failed (null without
    explanations)."""


class RegimeFindings(_Model):
    regime: str
    title: str
    facts_date: str
    judged_on: str
    posture: str
    rules_in_force: int
    abolished: list[str]
    """Rules whose offence was abolished before judgment (milder later law): not applied."""
    findings: list[Finding]
    trace: list[TraceStep]


class Question(_Model):
    """An unknown fact that would decide findings, asked in plain words."""

    fact: str
    question: str
    decides: list[str]
    """The findings it decides, as `regime: head [proceeding]`."""


class TermNote(_Model):
    """A legal term the report uses that has no exact equivalent in the other language's system."""

    term: str
    fr: str
    en: str
    equivalence: Literal["partial", "none"]
    note: str


class Document(_Model):
    model_config = ConfigDict(extra="forbid", populate_by_name=True)

    schema_: str = Field(alias="schema")
    engine: str
    scenario: str
    title: str | None
    lang: str
    regimes: list[RegimeFindings]
    questions: list[Question] = []
    """The unknown facts that decide findings, those deciding the most first."""
    glossary: list[TermNote] = []

    def as_json(self) -> dict[str, Any]:
        return self.model_dump(mode="json", by_alias=True)

    def json_line(self) -> str:
        """The document as one compact line of JSON (serialised without a detour through dicts)."""
        return self.model_dump_json(by_alias=True)


def _trace_step(step: Step) -> TraceStep:
    return TraceStep(
        step=step.step, rule=step.rule, cites=step.cites, certain=step.certain,
        matched=Matched(facts={k: fact_value(v) for k, v in step.facts.items()},
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
                facts={k: fact_value(v) for k, v in step.facts.items()}, absent=list(step.absent),
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


_WORDS = {
    "en": {"facts_date": "the facts' date", "judged_on": "the date of judgment",
           "not_in_force": "not in force on {date} ({basis})", "not_met": "not met",
           "abolished": "abolished by {date}: the milder later law applies",
           "no_combination": "Whatever the unknown facts turn out to be, no combination of them changes this.",
           "on_facts": "the version in force on the facts' date ({date})",
           "milder": "a milder later version, in force from {start}, applies to facts not yet finally judged"},
    "fr": {"facts_date": "la date des faits", "judged_on": "la date du jugement",
           "not_in_force": "non en vigueur le {date} ({basis})", "not_met": "conditions non remplies",
           "abolished": "abrogé au {date} : la loi plus douce s'applique",
           "no_combination": "Quels que soient les faits inconnus, aucune combinaison n'y change rien.",
           "on_facts": "la version en vigueur à la date des faits ({date})",
           "milder": "une version postérieure plus douce, en vigueur depuis le {start}, s'applique aux faits non encore définitivement jugés"},
}


def penalty_at_stake(carriers: list[tuple[Penalty, RuleUse, str, bool]], selection: Selection, person: str,
                     lang: str, conditional: bool) -> PenaltyAtStake | None:
    """The most severe penalty carried by the rules that concluded a head.

    Each penalty is taken in its version in force on the facts' date or, where its pack applies the
    milder later law, in the mildest version in force between the facts and the judgment.
    """
    candidates = []
    for penalty, use, strength, lenient in carriers:
        at_facts = penalty.version_on(selection.facts_date)
        if at_facts is None:
            continue
        version, reason = at_facts, _WORDS[lang]["on_facts"].format(date=selection.facts_date.isoformat())
        if lenient:
            mildest = penalty.mildest_between(selection.facts_date, selection.judged_on)
            if mildest is not None and mildest.severity < at_facts.severity:
                version = mildest
                reason = _WORDS[lang]["milder"].format(start=mildest.in_force.from_.isoformat())
        candidates.append((penalty, version, use, strength, reason))
    if not candidates:
        return None
    penalty, version, use, strength, reason = max(candidates, key=lambda item: item[1].severity)
    legal = person == "legal" and penalty.legal_person is not None
    fine = version.fine
    if legal and fine is not None:
        fine *= penalty.legal_person.fine_multiplier
    basis = penalty.cites + (f"; {penalty.legal_person.basis}" if legal else "")
    additional = penalty.legal_person.additional if legal else penalty.additional
    return PenaltyAtStake(
        prison_years=None if legal else version.prison_years, life=False if legal else version.life,
        fine=fine, fine_percent_turnover=version.fine_percent_turnover, currency=version.currency,
        person="legal" if legal else "natural", nature=penalty.nature, basis=basis, url=penalty.url,
        version_from=version.in_force.from_.isoformat(),
        version_to=version.in_force.to.isoformat() if version.in_force.to else None, version_reason=reason,
        additional=[item.get(lang) for item in additional], rule=use.rule, strength=strength,
        conditional=conditional)


def _why_not(misses: list[NearMiss], lang: str) -> list[str]:
    """The near misses in one line each, for the `because` of a head that does not hold."""
    words = _WORDS[lang]
    reasons = []
    for miss in misses:
        if miss.why == "abolished":
            reasons.append(f"{miss.cites} ({miss.rule}): " + words["abolished"].format(date=miss.date))
        elif miss.why == "not_in_force":
            reasons.append(f"{miss.cites} ({miss.rule}): "
                           + words["not_in_force"].format(date=miss.date, basis=words[miss.basis or "facts_date"]))
        elif miss.failed:
            failed = [c.test + (f" ({shown(c.value)})" if c.fact else "") for c in miss.failed]
            reasons.append(f"{miss.cites} ({miss.rule}): {words['not_met']}: {', '.join(dict.fromkeys(failed))}")
    return reasons


def _versions(book: Rulebook, used: list[RuleUse], selection: Selection, lang: str) -> list[RuleVersion]:
    """Each rule used, in the version its time rule chose, and why."""
    result = []
    for use in used:
        rule = book.by_id[use.rule]
        basis, day = selection.dates[use.rule]
        result.append(RuleVersion(
            rule=use.rule, provision=rule.provision, version_from=rule.in_force.from_.isoformat(),
            version_to=rule.in_force.to.isoformat() if rule.in_force.to else None, chosen_by=basis,
            date=day.isoformat(), time_rule=rule.time.cites if rule.time else None,
            why=rule.time.because.get(lang) if rule.time else None))
    return result


def build_finding(book: Rulebook, head: Head, proceeding: str, scenario: Scenario, facts: dict[str, Any],
                  run: Run, decision: StatusDecision, selection: Selection, lang: str, explain: bool = True) -> Finding:
    """One finding; with `explain`, also its analysis element by element and its near misses."""
    derivations = _Derivations(book, run.trace)
    person = "natural" if head.subject == "clients" else (scenario.actor.person or "natural")
    outcomes = head.outcomes_for(proceeding)
    status = decision.status or "undetermined"
    if decision.status is None:
        explaining = next((c for c, _ in outcomes if c in run.closure.possible), None)
    else:
        matching = [c for c, st in outcomes if st == decision.status]
        explaining = next((c for c in matching if c in run.closure.certain), None) \
            or next((c for c in matching if c in run.closure.possible), None)
    derivation = strength = penalties = up_to = None
    conclusions = [c for c, _ in outcomes]
    stop = book.other_heads(head.id)
    misses = near_misses(book, conclusions, facts, run, selection, lang, stop, descend=explain) \
        if explain or explaining is None else []
    if explaining is None:
        # The same reasons with or without explanations: those of the rules that draw the head itself.
        because = _why_not([m for m in misses if book.by_id[m.rule].conclusion in conclusions], lang)
        if any(c in run.closure.possible for c in conclusions):
            because.append(_WORDS[lang]["no_combination"])
        used: list[RuleUse] = []
    else:
        certain_only = decision.status is not None and explaining in run.closure.certain
        derivation = derivations.tree(explaining, certain_only)
        strength = derivations.strength(derivation)
        penalties = _penalty(book, derivations, derivation, selection, person, lang, decision.status is None)
        if certain_only and any(not step.certain for step in run.trace):
            possible = derivations.tree(explaining, False)
            worst = _penalty(book, derivations, possible, selection, person, lang, True)
            if worst is not None and (penalties is None or _severity(worst) > _severity(penalties)):
                carrier = next(use for use in walk(possible) if use.rule == worst.rule)
                up_to = worst.model_copy(update={"depends_on": _unknown_facts(carrier)})
        used = walk(derivation, stop)
        because = list(dict.fromkeys(book.by_id[u.rule].because.get(lang) for u in used))
    return Finding(
        head=head.id, subject=head.subject, proceeding=proceeding, status=status, strength=strength,
        question=head.question.get(lang),
        cites=list(dict.fromkeys(u.cites for u in used)),
        elements=list(dict.fromkeys(u.element for u in used if u.element)),
        because=because, derivation=derivation, penalties=penalties, penalties_up_to=up_to,
        missing_facts=list(decision.missing_facts), approximate=decision.approximate,
        versions=_versions(book, used, selection, lang),
        analysis=element_checks(book, head, proceeding, facts, run, selection, lang) if explain else None,
        near_misses=misses if explain else None)


def _penalty(book: Rulebook, derivations: _Derivations, derivation: Derivation, selection: Selection, person: str,
             lang: str, conditional: bool) -> PenaltyAtStake | None:
    carriers = [(book.penalties[penalty], use, derivations.use_strength(use), book.by_id[use.rule].lenient)
                for use in derivation.rules if (penalty := book.by_id[use.rule].penalty)]
    return penalty_at_stake(carriers, selection, person, lang, conditional)


def _unknown_facts(use: RuleUse) -> list[str]:
    """The unknown facts a rule use (and the premises it only possibly has) rests on."""
    found = [path for path, value in use.facts.items() if value == "unknown"]
    for premise in use.premises:
        for inner in premise.rules:
            if not inner.certain:
                found += _unknown_facts(inner)
    return list(dict.fromkeys(found))


def _severity(penalty: PenaltyAtStake) -> tuple[int, int, float, float]:
    return severity(penalty.life, penalty.prison_years, penalty.fine_percent_turnover, penalty.fine, penalty.currency)


def build_regime(book: Rulebook, scenario: Scenario, facts: dict[str, Any], run: Run,
                 decisions: dict[tuple[str, str], StatusDecision], selection: Selection, lang: str,
                 explain: bool = True) -> RegimeFindings:
    findings = [build_finding(book, book.heads[head_id], proceeding, scenario, facts, run, decision, selection, lang,
                              explain)
                for (head_id, proceeding), decision in decisions.items()]
    return RegimeFindings(
        regime=book.regime, title=book.title.get(lang), facts_date=scenario.facts_date.isoformat(),
        judged_on=selection.judged_on.isoformat(), posture=scenario.posture,
        rules_in_force=len(selection.in_force),
        abolished=[f"{book.by_id[r].cites} ({r})" for r in sorted(selection.abolished)],
        findings=findings, trace=[_trace_step(s) for s in run.trace])


Derivation.model_rebuild()
