"""The findings document (``liability/findings-v1``): the one result every renderer reads.

The pydantic models below are the output contract of DESIGN.md section 7; building the document
through them means a malformed result fails here, not in a user's parser. :func:`build_regime`
turns one regime's run (conclusions, trace, exact decisions) into findings: status, strength,
citations, reasons, derivation, penalties at stake on the facts' date, and missing facts.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any, Callable, Literal

from pydantic import BaseModel, ConfigDict, Field

from .analysis import ElementCheck, NearMiss, blocked_by, element_checks, fact_value, near_misses, responsible
from .burden import Proof, possible_defences
from .conditions import Absent, FactTest, Holds
from .decide import Decisions, StatusDecision
from .dates import in_words
from .deductions import Deduction
from .rulebook import Complementary, DateBasis, Head, Penalty, PenaltyVersion, Rule, Rulebook, Selection, Severity
from .scenario import NOT_SHOWN, Scenario
from .schema import STRENGTH_ORDER
from .sentence import sentence
from .trace import Run, Step
from .values import absent_words, test_words, value_words

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
    currency_name: str | None = None
    """The currency in words, in the document's language, as its jurisdiction names it (`euro`):
    French reports write « 750 000 euros »."""
    min_prison_years: int | None = None
    """The mandatory minimum term, where the version sets one (none for a legal person, which
    faces the fine alone)."""
    person: Literal["natural", "legal"]
    """The person judged: a legal person (the actor, when it is one) faces the penalty a text sets
    for legal persons where it sets one, and the text's only penalty otherwise (the DSA's fine
    of up to 6 % of turnover, which is a provider's, natural or legal)."""
    nature: str
    nature_label: str
    """The nature in words, as the penalty's jurisdiction labels it in the document's language."""
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
    """For the upper end of a range: the unknown facts on which whether the more severe penalty is
    at stake depends."""


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
    """The rule holds in every completion of the unknown facts (else only in some)."""
    because: str
    facts: dict[str, Any]
    absent: list[str]
    premises: list[Derivation]


class OpenGround(_Model):
    """A rule that would draw the head's conclusion (or a premise of it) if unknown facts went a
    certain way: a possibility, never given as a reason that holds."""

    rule: str
    cites: str
    url: str
    strength: str
    because: str
    needs: list[str]
    """The unknown facts on which whether this rule holds depends."""


class ProofLacking(_Model):
    """On a closed record, a fact the record does not state whose proof (or allegation) with this
    value would have given the finding another status."""

    fact: str
    value: str
    status: str


class DeducedFact(_Model):
    """A fact the scenario does not state and a court deduces from those it does."""

    fact: str
    value: Any
    cites: str
    url: str
    strength: str
    because: str


class Case(_Model):
    """One value (or class of values) of a deciding fact, and the statuses it leaves reachable."""

    value: str
    statuses: list[str]


class DecidingFact(_Model):
    """An unknown fact that can change a finding, with what each of its values leads to."""

    fact: str
    cases: list[Case]


class RuleVersion(_Model):
    """The version of a rule a finding used, and the date (and legal reason) that chose it."""

    rule: str
    provision: str
    version_from: str
    version_to: str | None
    chosen_by: DateBasis
    date: str
    time_rule: str | None
    why: str | None


class Finding(_Model):
    head: str
    subject: str
    proceeding: str
    proceeding_label: str
    """The proceeding in words, as the head's jurisdiction labels it in the document's language."""
    status: str
    strength: str | None
    kind: str | None = None
    """The head's kind (offence, claim, threshold...), which names its statuses in words: an
    offence is "constituée" in French, a claim makes the defendant "responsable"."""
    question: str
    title: str = ""
    """The head's title, a few words (« Procuring (arts 225-5 and 225-6) »), for a summary line
    where the question would take several (empty in documents written before it was added)."""
    cites: list[str]
    elements: list[str]
    because: list[str]
    derivation: Derivation | None
    penalties: PenaltyAtStake | None
    penalties_up_to: PenaltyAtStake | None
    """When some completion of the unknown facts leads to a more severe penalty than `penalties`:
    that penalty (so the sentence at stake is a range, e.g. 10 years, or life if there was torture)."""
    missing_facts: list[str]
    """Exactly the unknown facts that can change the status, most decisive first."""
    deciding: list[DecidingFact]
    """For each of them, the statuses each of its values leaves reachable."""
    open_grounds: list[OpenGround]
    """Rules on the way to the finding that hold only if unknown facts go a certain way."""
    not_shown: list[ProofLacking] = []
    """On a closed record: the facts it does not state whose proof alone would have changed the
    finding, with the value proved and the status it would then take."""
    possible_defences: list[OpenGround] = []
    """In a hypothetical: defences or exceptions the defendant could raise if the unknown facts
    they need were shown (a defence nobody raised blocks nothing)."""
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
    warnings: list[str] = []
    """E.g. facts older than the earliest text the regime covers."""
    deduced: list[DeducedFact] = []
    """Facts deduced from the stated ones (rules/facts.yaml); the findings that use one say so."""
    rules_in_force: int
    abolished: list[str]
    """Rules whose offence was abolished before judgment (milder later law): not applied."""
    findings: list[Finding]
    trace: list[TraceStep]


class DecidedFinding(_Model):
    """A finding an open question decides: the head, in one regime and proceeding."""

    regime: str
    head: str
    proceeding: str
    proceeding_label: str


class Question(_Model):
    """An unknown fact that would decide findings, asked in plain words."""

    fact: str
    question: str
    decides: list[DecidedFinding]
    """The findings it decides."""


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
    values: dict[str, dict[str, str]] = {}
    """The words for the values of the choice facts, in the document's language, by fact then by
    code (`actor.position` -> `operator` -> « exploitant »): what reports print for a value."""

    def as_json(self) -> dict[str, Any]:
        return self.model_dump(mode="json", by_alias=True)

    def json_line(self) -> str:
        """The document as one compact line of JSON (serialised without a detour through dicts)."""
        return self.model_dump_json(by_alias=True)

    def to_records(self) -> list[dict[str, Any]]:
        """One flat record per finding (regime x head x proceeding), every field a plain value: a
        tidy table for a notebook (`pandas.DataFrame(document.to_records())`), with no need for
        pandas here. Lists are joined with `; `; the penalty at stake is spread over named fields."""
        return [finding_record(self, regime, finding) for regime in self.regimes for finding in regime.findings]


def slimmed(document: Document) -> Document:
    """The document without what makes it heavy and only a reader of one finding needs: each
    finding's derivation tree, element-by-element analysis and near misses (`run --slim`)."""
    return document.model_copy(update={"regimes": [
        regime.model_copy(update={"findings": [finding.model_copy(update={"derivation": None, "analysis": None,
                                                                           "near_misses": None})
                                               for finding in regime.findings]})
        for regime in document.regimes]})


def finding_record(document: Document, regime: RegimeFindings, finding: Finding) -> dict[str, Any]:
    """A finding as one flat record (see :meth:`Document.to_records`)."""
    penalty, up_to = finding.penalties, finding.penalties_up_to
    return {
        "scenario": document.scenario, "regime": regime.regime, "facts_date": regime.facts_date,
        "judged_on": regime.judged_on, "posture": regime.posture, "head": finding.head,
        "proceeding": finding.proceeding, "question": finding.question, "status": finding.status,
        "strength": finding.strength, "cites": "; ".join(finding.cites),
        "prison_years": penalty.prison_years if penalty else None, "life": penalty.life if penalty else None,
        "fine": penalty.fine if penalty else None, "currency": penalty.currency if penalty else None,
        "penalty_basis": penalty.basis if penalty else None,
        "prison_years_up_to": up_to.prison_years if up_to else None, "fine_up_to": up_to.fine if up_to else None,
        "missing_facts": "; ".join(finding.missing_facts),
    }


def _trace_step(step: Step, lang: str) -> TraceStep:
    return TraceStep(
        step=step.step, rule=step.rule, cites=step.cites, certain=step.certain,
        matched=Matched(facts={k: fact_value(v) for k, v in step.facts.items()},
                        conclusions=list(step.conclusions), absent=list(step.absent)),
        concluded=step.concluded, element=step.element.get(lang) if step.element else None, strength=step.strength)


class _Derivations:
    """Derivation trees and strengths, read off the trace and classed by the exact decisions.

    The trace is three-valued: a possible step may belong to a rule that no completion of the
    unknown facts fires (Kleene cannot always tell). Such uses are left out of the trees, and each
    use says whether its rule holds in every completion (`certain`), from the decision diagrams.
    """

    def __init__(self, book: Rulebook, trace: list[Step], decisions: Decisions, lang: str) -> None:
        self.book = book
        self.trace = trace
        self.decisions = decisions
        self.lang = lang

    def steps_for(self, conclusion: str, certain_only: bool, before: int | None = None) -> list[Step]:
        return [s for s in self.trace
                if s.concluded == conclusion and (s.certain or not certain_only)
                and (before is None or s.step < before)
                and (s.certain or self.decisions.rule_holds(s.rule) is not False)]

    def tree(self, conclusion: str, certain_only: bool, before: int | None = None) -> Derivation:
        uses = []
        for step in self.steps_for(conclusion, certain_only, before):
            rule = self.book.by_id[step.rule]
            uses.append(RuleUse(
                rule=step.rule, cites=step.cites, url=rule.url, element=step.element.get(self.lang) if step.element else None,
                strength=step.strength, certain=step.certain or self.decisions.rule_holds(step.rule) is True,
                because=rule.because.get(self.lang),
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
    "en": {"facts_date": "the facts' date", "judged_on": "the date of judgment", "facts_end": "the end of the conduct",
           "at_end": "the version in force at the end of the conduct ({date}), which went on under it",
           "part_before": "; it reaches the conduct from {start} on: the conduct before that date stays under "
                          "the version then in force ({earlier}), never the later one",
           "not_before": "; it reaches the conduct from {start} on: the conduct before that date was not "
                         "punishable under this text",
           "not_in_force": "not in force on {date} ({basis})", "not_met": "not met", "colon": ": ",
           "abolished": "abolished by {date}: the milder later law applies",
           "no_combination": "Whatever the unknown facts turn out to be, no combination of them changes this.",
           "on_facts": "the version in force on the facts' date ({date})",
           "milder": "a milder later version, in force from {start}, applies to facts not yet finally judged",
           "either_way": "It holds whichever way the unknown facts turn out, on one or another of the grounds "
                         "that would also hold.",
           "before_coverage": "the facts ({date}) are older than the earliest text this regime encodes "
                              "({earliest}): its findings rest on no text then in force",
           "unshown": {"alleged": "not alleged", "established": "not proven", "hypothetical": "not raised"},
           "no_finding": "no finding: none of this regime's questions is decided in the proceedings asked for "
                         "({asked}); its proceedings are: {known}",
           "want_of": {"alleged": "for want of an allegation that {test}", "established": "for want of proof that {test}",
                       "hypothetical": "{test}: a defence nobody raised"},
           "presumed": {"alleged": "{test}, taken as alleged: the other party did not allege the contrary",
                        "established": "{test}, taken as proven: the other party did not prove the contrary"}},
    "fr": {"facts_date": "la date des faits", "judged_on": "la date du jugement", "facts_end": "la fin des agissements",
           "at_end": "la version en vigueur à la fin des agissements ({date}), qui se sont poursuivis sous son empire",
           "part_before": " ; elle atteint les agissements à compter du {start} : ceux d'avant restent soumis à "
                          "la version alors en vigueur ({earlier}), jamais à la nouvelle",
           "not_before": " ; elle atteint les agissements à compter du {start} : ceux d'avant n'étaient pas "
                         "punissables au titre de ce texte",
           "not_in_force": "non en vigueur le {date} ({basis})", "not_met": "conditions non remplies",
           "colon": "\u00a0: ",
           "abolished": "abrogé au {date} : la loi plus douce s'applique",
           "no_combination": "Quels que soient les faits inconnus, aucune combinaison n'y change rien.",
           "on_facts": "la version en vigueur à la date des faits ({date})",
           "milder": "une version postérieure plus douce, en vigueur depuis le {start}, s'applique aux faits non encore définitivement jugés",
           "either_way": "Elle est retenue quels que soient les faits inconnus, sur l'un ou l'autre des "
                         "fondements qui seraient aussi retenus.",
           "before_coverage": "les faits ({date}) sont antérieurs au plus ancien texte que ce régime encode "
                              "({earliest}) : ses conclusions ne reposent sur aucun texte alors en vigueur",
           "unshown": {"alleged": "non allégué", "established": "non prouvé", "hypothetical": "non soulevé"},
           "no_finding": "aucune conclusion : aucune question de ce régime ne se pose dans les procédures demandées "
                         "({asked}) ; ses procédures sont : {known}",
           "want_of": {"alleged": "faute d'allégation que {test}", "established": "faute de preuve que {test}",
                       "hypothetical": "{test} : moyen de défense que nul n'a soulevé"},
           "presumed": {"alleged": "{test}, tenu pour allégué : l'autre partie n'a pas allégué le contraire",
                        "established": "{test}, tenu pour établi : l'autre partie n'a pas prouvé le contraire"}},
}


@dataclass(frozen=True)
class ChosenVersion:
    """The version of a penalty that applies to a case, and what chose it."""

    version: PenaltyVersion
    milder: bool
    """A milder later version (C. pén. 112-1), not the one in force on the conduct's date."""
    day: dt.date
    """The conduct's date that chose it: the facts' date, or the end of lasting conduct."""
    earlier: PenaltyVersion | None
    """For lasting conduct judged by the law at its end: the version in force when it began, where
    it differs; it, not the later one, governs the part of the conduct before the later one."""
    began: bool
    """Whether any version was in force when the conduct began."""


def _version(penalty: Penalty, rule: Rule, selection: Selection,
             severity: Callable[[PenaltyVersion], Severity]) -> ChosenVersion | None:
    """The version of a penalty that applies: the one in force on the conduct's date (its end, for
    lasting conduct where the pack judges it so) or, where the pack applies the milder later law,
    the mildest in force from then until the judgment (C. pén. 112-1)."""
    at_start = penalty.version_on(selection.facts_date)
    day = selection.conduct_date(rule.continuing)
    version = penalty.version_on(day)
    if version is None:
        return None
    if version == at_start:
        day = selection.facts_date
    earlier = at_start if version != at_start else None
    if rule.lenient:
        mildest = penalty.mildest_between(day, selection.judged_on, severity)
        if mildest is not None and severity(mildest) < severity(version):
            return ChosenVersion(mildest, True, day, earlier, at_start is not None)
    return ChosenVersion(version, False, day, earlier, at_start is not None)


def _version_reason(chosen: ChosenVersion, penalty: Penalty, legal: bool, selection: Selection, lang: str,
                    currency_names: dict[str, str]) -> str:
    """Which date chose the penalty's version, and why; for lasting conduct judged by the law at its
    end, what governs the part of it before that version."""
    words = _WORDS[lang]
    version = chosen.version
    if chosen.milder:
        reason = words["milder"].format(start=in_words(version.in_force.from_, lang))
    elif chosen.day != selection.facts_date:
        reason = words["at_end"].format(date=in_words(chosen.day, lang))
    else:
        reason = words["on_facts"].format(date=in_words(selection.facts_date, lang))
    if chosen.day == selection.facts_date:
        return reason
    if chosen.earlier is not None:
        return reason + words["part_before"].format(start=in_words(version.in_force.from_, lang),
                                                    earlier=_sentence(chosen.earlier, penalty, legal, lang,
                                                                      currency_names))
    if not chosen.began:
        return reason + words["not_before"].format(start=in_words(version.in_force.from_, lang))
    return reason


def _complementary(items: list[Complementary], chosen: ChosenVersion, lang: str) -> list[str]:
    """The complementary penalties that may be pronounced: those the law provided on the day that
    chose the main sentence's version (C. pén. 112-1, al. 2). One removed since stays listed: no
    pack encodes a removal that was a milder law (225-20, 8°, left the article when the stage
    became a penalty of general application)."""
    return [item.get(lang) for item in items if item.in_force_on(chosen.day)]


def _sentence(version: PenaltyVersion, penalty: Penalty, legal: bool, lang: str,
              currency_names: dict[str, str]) -> str:
    """A version's maximum sentence for the person judged, in words (for the part-before note):
    a legal person faces the fine alone, multiplied, as in :func:`penalty_at_stake`."""
    fine = version.fine
    if legal and fine is not None:
        fine *= penalty.legal_person.fine_multiplier
    return sentence(version.life and not legal, None if legal else version.prison_years, fine,
                    version.fine_percent_turnover, version.currency, lang,
                    None if legal else version.min_prison_years, currency_names.get(version.currency or ""))


def penalty_at_stake(penalty: Penalty, use: RuleUse, strength: str, chosen: ChosenVersion, selection: Selection,
                     person: str, lang: str, conditional: bool, nature_label: str,
                     currency_names: dict[str, str]) -> PenaltyAtStake:
    """The penalty a rule carries, in the version `_version` chose, with the reason for that choice;
    `currency_names` says each currency in words, in `lang`."""
    version = chosen.version
    legal = person == "legal" and penalty.legal_person is not None
    fine = version.fine
    if legal and fine is not None:
        fine *= penalty.legal_person.fine_multiplier
    basis = penalty.cites + (f"; {penalty.legal_person.basis}" if legal else "")
    additional = _complementary(penalty.legal_person.additional if legal else penalty.additional, chosen, lang)
    return PenaltyAtStake(
        prison_years=None if legal else version.prison_years, life=False if legal else version.life,
        fine=fine, fine_percent_turnover=version.fine_percent_turnover, currency=version.currency,
        currency_name=currency_names.get(version.currency or ""),
        min_prison_years=None if legal else version.min_prison_years,
        person="legal" if person == "legal" else "natural", nature=penalty.nature, nature_label=nature_label,
        basis=basis, url=penalty.url,
        version_from=version.in_force.from_.isoformat(),
        version_to=version.in_force.to.isoformat() if version.in_force.to else None,
        version_reason=_version_reason(chosen, penalty, legal, selection, lang, currency_names),
        additional=additional, rule=use.rule, strength=strength,
        conditional=conditional)


def _why_not(book: Rulebook, conclusions: list[str], facts: dict[str, Any], run: Run, selection: Selection,
             lang: str, posture: str) -> list[str]:
    """For a head that does not hold, one line for each rule that could have drawn it and did not:
    not in force, abolished, or the tests that failed, a failed premise with the facts that kept
    it from holding. Built without the near misses' objects, which only explanations need."""
    words = _WORDS[lang]
    fired = {step.rule for step in run.trace if step.certain}
    reasons = []
    for rule in book.rules:
        if rule.conclusion not in conclusions or rule.id in fired:
            continue
        where = f"{rule.cites} ({rule.id}){words['colon']}"
        if rule.id in selection.abolished:
            reasons.append(where + words["abolished"].format(date=in_words(selection.abolished[rule.id], lang)))
        elif rule.id not in selection.in_force:
            basis, day = book.version_date(rule, selection.facts_date, selection.judged_on, selection.facts_end)
            reasons.append(where + words["not_in_force"].format(date=in_words(day, lang), basis=words[basis]))
        elif rule.holds(facts, run.closure.certain, run.closure.possible) is False:
            failed = [_failed_test(atom, book, facts, run, selection, lang, posture)
                      for atom in dict.fromkeys(responsible(rule.condition, False, facts, run))]
            reasons.append(f"{where}{words['not_met']}{words['colon']}{', '.join(dict.fromkeys(failed))}")
    return reasons


def _failed_test(atom: Any, book: Rulebook, facts: dict[str, Any], run: Run, selection: Selection,
                 lang: str, posture: str) -> str:
    """A failed test with the value that failed it (on a closed record, the want of proof or of an
    allegation); a premise, with the facts that kept it from holding; values in words."""
    words = _WORDS[lang]
    if isinstance(atom, FactTest):
        value = facts.get(atom.path)
        test = test_words(atom, _labels(book, atom.path, lang), lang)
        if value is NOT_SHOWN:
            return words["want_of"][posture].format(test=test)
        return f"{test} ({value_words(fact_value(value), _labels(book, atom.path, lang), lang)})"
    if isinstance(atom, Absent):
        return absent_words(atom.conclusion, lang)
    if not isinstance(atom, Holds):
        return atom.describe()
    below = ", ".join(f"{c.fact} {words['unshown'][posture]}" if c.value is NOT_SHOWN
                      else f"{c.fact} = {value_words(c.value, _labels(book, c.fact or '', lang), lang)}"
                      for c in blocked_by(atom.conclusion, book, facts, run, selection))
    return f"{atom.describe()} ({below})" if below else atom.describe()


def _labels(book: Rulebook, path: str, lang: str) -> dict[str, str]:
    """The words for a choice fact's values, in `lang` (none for other facts)."""
    spec = book.vocabulary.facts.get(path)
    return {code: text.get(lang) for code, text in spec.labels} if spec else {}


def _versions(book: Rulebook, used: list[RuleUse], selection: Selection, lang: str) -> list[RuleVersion]:
    """Each rule used, in the version its time rule chose, and why."""
    result = []
    for use in used:
        rule = book.by_id[use.rule]
        basis, day = selection.dates[use.rule]
        told = rule.continuing if basis == "facts_end" else rule.time
        result.append(RuleVersion(
            rule=use.rule, provision=rule.provision, version_from=rule.in_force.from_.isoformat(),
            version_to=rule.in_force.to.isoformat() if rule.in_force.to else None, chosen_by=basis,
            date=day.isoformat(), time_rule=told.cites if told else None,
            why=told.because.get(lang) if told else None))
    return result


def build_finding(book: Rulebook, head: Head, proceeding: str, scenario: Scenario, facts: dict[str, Any],
                  run: Run, decision: StatusDecision, decisions: Decisions, selection: Selection, lang: str,
                  explain: bool = True, lacking: list[Proof] | None = None,
                  deductions: dict[str, Deduction] | None = None) -> Finding:
    """One finding; with `explain`, also its analysis element by element and its near misses.

    `because` gives only the reasons of rules that hold in every completion of the unknown facts;
    the rules that would hold if unknown facts went a certain way are `open_grounds`. A head none of
    whose rules is in force (or abolished) on its date is `not_applicable`, not "not met".
    """
    derivations = _Derivations(book, run.trace, decisions, lang)
    person = "legal" if head.subject == "actor" and scenario.actor.person == "legal" else "natural"
    outcomes = head.outcomes_for(proceeding)
    conclusions = [c for c, _ in outcomes]
    applicable = any(rule.id in selection.in_force or rule.id in selection.abolished
                     for c in conclusions for rule in book.producers.get(c, []))
    status = (decision.status or "undetermined") if applicable else "not_applicable"
    explaining = _explaining(outcomes, decision, decisions) if applicable else None
    derivation = strength = penalties = up_to = None
    open_grounds: list[OpenGround] = []
    stop = book.other_heads(head.id)
    misses = near_misses(book, conclusions, facts, run, selection, lang, stop) if explain else []
    if explaining is None:
        # The same reasons with or without explanations: those of the rules that draw the head itself.
        because = _why_not(book, conclusions, facts, run, selection, lang, scenario.posture)
        if any(c in run.closure.possible for c in conclusions):
            because.append(_WORDS[lang]["no_combination"])
        used: list[RuleUse] = []
    else:
        certain_only = explaining in run.closure.certain
        derivation = derivations.tree(explaining, certain_only)
        strength = derivations.strength(derivation)
        used = walk(derivation, stop)
        because = list(dict.fromkeys(book.by_id[u.rule].because.get(lang) for u in used if u.certain))
        because += _presumed(book, used, _WORDS[lang]["presumed"].get(scenario.posture), lang)
        resting = [deductions[path] for use in used if use.certain for path in use.facts if path in (deductions or {})]
        because += list(dict.fromkeys(d.because.get(lang) for d in resting))
        strength = min([strength, *(d.strength for d in resting)], key=STRENGTH_ORDER.__getitem__) if strength else strength
        if decision.status is not None and not any(use.certain for use in derivation.rules):
            because.append(_WORDS[lang]["either_way"])
        open_grounds = [OpenGround(rule=u.rule, cites=u.cites, url=u.url, strength=derivations.use_strength(u),
                                   because=u.because, needs=decisions.needs(u.rule))
                        for u in used if not u.certain]
        within = decision.diagrams[_status_of(outcomes, explaining)] if decision.diagrams else None
        possible = derivations.tree(explaining, False) if certain_only and any(not s.certain for s in run.trace) \
            else derivation
        penalties, up_to = _penalty_range(book, derivations, derivation, possible, decisions, within, selection,
                                          person, lang, decision.status is None)
    return Finding(
        head=head.id, subject=head.subject, proceeding=proceeding,
        proceeding_label=book.proceeding_labels[proceeding].get(lang), status=status, strength=strength, kind=head.kind,
        question=head.question.get(lang), title=head.title.get(lang),
        cites=list(dict.fromkeys(u.cites for u in used)),
        elements=list(dict.fromkeys(u.element for u in used if u.element)),
        because=because, derivation=derivation, penalties=penalties, penalties_up_to=up_to,
        missing_facts=list(decision.missing_facts),
        deciding=[DecidingFact(fact=f.fact, cases=[Case(value=c.value, statuses=list(c.statuses)) for c in f.cases])
                  for f in decision.deciding],
        open_grounds=open_grounds,
        not_shown=[ProofLacking(fact=p.fact, value=p.value, status=p.status) for p in lacking or []]
        if applicable else [],
        possible_defences=[
            OpenGround(rule=rule.id, cites=rule.cites, url=rule.url, strength=rule.strength,
                       because=rule.because.get(lang), needs=needs)
            for rule, needs in possible_defences(book, head, proceeding, decisions.in_force, facts, run.closure)]
        if applicable and not scenario.closed else [],
        versions=_versions(book, used, selection, lang),
        analysis=element_checks(book, head, proceeding, facts, run, selection, lang) if explain else None,
        near_misses=misses if explain else None)


def _presumed(book: Rulebook, used: list[RuleUse], wording: str | None, lang: str) -> list[str]:
    """On a closed record, the tests the rules used took as met because the record is silent and
    the other party bore the burden of the contrary: said, so that no reader takes them for facts."""
    if wording is None:
        return []
    lines = []
    for use in used:
        if use.certain:
            silent = {path for path, value in use.facts.items() if value is NOT_SHOWN}
            lines += [wording.format(test=test_words(test, _labels(book, test.path, lang), lang))
                      for test in book.by_id[use.rule].fact_tests
                      if test.path in silent and test.proof == "presumed"]
    return list(dict.fromkeys(lines))


def _status_of(outcomes: list[tuple[str, str]], conclusion: str) -> str:
    return next(status for c, status in outcomes if c == conclusion)


def _explaining(outcomes: list[tuple[str, str]], decision: StatusDecision, decisions: Decisions) -> str | None:
    """The outcome conclusion whose derivation explains the finding: for a settled status, the first
    of its conclusions that holds (certainly if one does); when undetermined, the first outcome some
    completion reaches. None for the fallback status."""
    if decision.status is None:
        return next((c for c, status in outcomes if status in decision.reached and decisions.reachable(c)), None)
    matching = [c for c, status in outcomes if status == decision.status]
    return next((c for c in matching if c in decisions.state.certain), None) \
        or next((c for c in matching if decisions.reachable(c)), None)


def _penalty_range(book: Rulebook, derivations: _Derivations, derivation: Derivation, possible: Derivation,
                   decisions: Decisions, within: Any, selection: Selection, person: str, lang: str,
                   conditional: bool) -> tuple[PenaltyAtStake | None, PenaltyAtStake | None]:
    """The exact range of the penalty at stake over the completions in which the finding holds
    (`within`; None for all of them): its lower end, and its upper end where that is more severe."""
    uses = {use.rule: use for use in derivation.rules}  # its own rules first: they win ties
    for use in possible.rules:
        uses.setdefault(use.rule, use)
    candidates = []
    for use in uses.values():
        rule = book.by_id[use.rule]
        chosen = _version(book.penalties[rule.penalty], rule, selection, book.severity) if rule.penalty else None
        if chosen is not None:
            at_stake = penalty_at_stake(book.penalties[rule.penalty], use, derivations.use_strength(use), chosen,
                                        selection, person, lang, conditional,
                                        book.nature_labels[rule.penalty].get(lang),
                                        {code: currency.name.get(lang) for code, currency in book.currencies.items()})
            # a legal person faces fines only; equal fines are told apart by the sentence itself
            candidates.append((at_stake, (book.severity(at_stake), book.severity(chosen.version))))
    lowest, worst, depends_on = decisions.penalty_range([c.rule for c, _ in candidates],
                                                        [rank for _, rank in candidates], within)
    if worst is None:
        return None, None
    if lowest is not None and candidates[worst][1] <= candidates[lowest][1]:
        return candidates[lowest][0], None
    return None if lowest is None else candidates[lowest][0], \
        candidates[worst][0].model_copy(update={"conditional": True, "depends_on": depends_on})


def build_regime(book: Rulebook, scenario: Scenario, facts: dict[str, Any], run: Run,
                 decisions: dict[tuple[str, str], StatusDecision], exact: Decisions, selection: Selection, lang: str,
                 explain: bool = True, lacking: dict[tuple[str, str], list[Proof]] | None = None,
                 deductions: dict[str, Deduction] | None = None) -> RegimeFindings:
    findings = [build_finding(book, book.heads[head_id], proceeding, scenario, facts, run, decision, exact, selection,
                              lang, explain, (lacking or {}).get((head_id, proceeding)), deductions)
                for (head_id, proceeding), decision in decisions.items()]
    earliest = min(rule.in_force.from_ for rule in book.rules)
    warnings = [_WORDS[lang]["before_coverage"].format(date=in_words(scenario.facts_date, lang),
                                                       earliest=in_words(earliest, lang))] \
        if scenario.facts_date < earliest else []
    if not findings:
        known = sorted({p for head in book.heads.values() for p in head.proceedings})
        warnings.append(_WORDS[lang]["no_finding"].format(asked=", ".join(scenario.proceedings or []),
                                                          known=", ".join(known)))
    return RegimeFindings(
        regime=book.regime, title=book.title.get(lang), facts_date=scenario.facts_date.isoformat(),
        judged_on=selection.judged_on.isoformat(), posture=scenario.posture, warnings=warnings,
        deduced=[DeducedFact(fact=path, value=d.value, cites=d.cites, url=d.url, strength=d.strength,
                             because=d.because.get(lang)) for path, d in (deductions or {}).items()],
        rules_in_force=len(selection.in_force),
        abolished=[f"{book.by_id[r].cites} ({r})" for r in sorted(selection.abolished)],
        findings=findings, trace=[_trace_step(s, lang) for s in run.trace])


Derivation.model_rebuild()
