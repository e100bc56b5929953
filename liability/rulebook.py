"""Rule packs: the law as data, loaded, validated and assembled into regimes.

A pack is one YAML file per legal instrument (``rules/fr/code-penal.yaml``). A regime is a
jurisdiction's set of packs (``rules/regimes.yaml``). Loading checks everything a reviewer would
otherwise have to check by hand: every fact path against the scenario model, every conclusion
against the rules that produce it, unique ids, valid and ordered dates, official URLs, penalty
versions that neither overlap nor leave gaps, and that negation can be stratified. Each problem is
reported as ``file: rule id: problem``.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any, Callable, Literal

from pydantic import ConfigDict, Field, ValidationError, field_validator, model_validator

from . import conditions
from .bundled import rules_dir
from .conditions import Condition
from .declarations import Declarations, bundled_declarations, load_declarations
from .jurisdiction import Currency, Jurisdiction
from .scenario import Date, FactSpec, Vocabulary, utc_today
from .schema import RuleError, Strength, Text, is_reference, pydantic_problems
from .schema import official as is_official
from .schema import Strict as _Strict
from .sources import Document, SourceError, read_document, shown

RULE_ID = re.compile(r"^[a-z]{2}\.[a-z0-9]+(?:[.\-][a-z0-9]+)*$")


class InForce(_Strict):
    """When a text (or one version of it) applies: from `from_` to `to`, both inclusive."""

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)

    from_: Date = Field(alias="from")
    to: Date | None = None

    def covers(self, day: dt.date) -> bool:
        return self.from_ <= day and (self.to is None or day <= self.to)

    def as_dict(self) -> dict[str, str | None]:
        return {"from": self.from_.isoformat(), "to": self.to.isoformat() if self.to else None}


HeadStatus = Literal["met", "not_met", "liable", "not_liable", "applies", "lost", "not_applicable",
                     "breached", "complied"]

PROCEEDING_SLOT = "{proceeding}"


class Outcome(_Strict):
    """A status a head takes when a conclusion holds (`{proceeding}` names the proceeding)."""

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)

    if_: str = Field(alias="if")
    status: HeadStatus

    def conclusion(self, proceeding: str) -> str:
        return self.if_.replace(PROCEEDING_SLOT, proceeding)


_DEFAULT_OUTCOMES: dict[str, tuple[tuple[tuple[str, str], ...], str]] = {
    "threshold": ((("", "met"),), "not_met"),
    "offence": ((("", "liable"),), "not_liable"),
    "claim": ((("", "liable"),), "not_liable"),
    "exemption": (((".lost", "lost"), ("", "applies")), "not_applicable"),
    "immunity": (((".lost", "lost"), ("", "applies")), "not_applicable"),
    "duty": (((".breached", "breached"), ("", "complied")), "not_applicable"),
}
HOLDING_STATUSES = frozenset(status for outcomes, _ in _DEFAULT_OUTCOMES.values() for suffix, status in outcomes
                             if not suffix)
"""The statuses that say a head holds, its own conclusion drawn: the threshold is met, the offence
or claim made out, the exemption or immunity applies, the duties are complied with. A lost
exemption or a breached duty does not hold: the conditions of the exemption, the duties, failed."""
CONCLUDED_STATUSES = frozenset(status for outcomes, _ in _DEFAULT_OUTCOMES.values() for _, status in outcomes)
"""The statuses a rule concludes: those that hold, and the loss of an exemption or immunity or the
breach of a duty. The others say that no rule concluded the head (its kind's fallback: not met,
not liable, not applicable), or that the unknown facts decide (`undetermined`)."""


ElementPart = Literal["legal", "material", "mental", "aggravating", "exception",
                      "element", "mental_state", "immunity", "condition", "duty"]
"""The parts of a legal analysis: the legal, material and mental elements of a French offence and
its aggravating circumstances; the elements and mental state of a US claim, its immunities and
their exceptions; the conditions of an exemption; the duties of a regime. `exception` is whatever
displaces the head (a defence, a carve-out, what makes a host lose its exemption)."""


class ElementData(_Strict):
    """One element of a head as the law states it, with what says whether it is met: a condition
    (`when`), or the rules of the pack that establish it (`established_by`).

    The rules decide the head; the elements lay its analysis out the way the text is read. A `legal`
    element with neither is met when some rule that can conclude the head is in force.
    """

    part: ElementPart
    name: Text
    cites: str = Field(min_length=1)
    url: str = Field(min_length=1)
    when: Any = None
    established_by: list[str] | None = Field(None, min_length=1)
    """Ids of rules of the same pack: the element is met when one of them holds for the case (in
    force by its own time rule, its condition and `unless` satisfied), rather than restating their
    condition. Only the named rules that bear on the head in the proceeding at hand count."""
    group: str | None = None
    """Elements sharing a group are alternatives: one of them suffices (the acts of 225-5)."""
    proceedings: list[str] | None = None
    in_force: InForce | None = None


@dataclass(frozen=True)
class Element:
    """An element ready to evaluate: its condition parsed (`{proceeding}` left in conclusions)."""

    head: str
    part: str
    name: Text
    cites: str
    url: str
    condition: Condition | None
    group: str | None
    proceedings: tuple[str, ...] | None
    in_force: InForce | None
    continuing: Continuing | None = None
    """Its pack judges lasting conduct by the law at its end (see Continuing)."""
    established_by: tuple[str, ...] = ()
    """The rules that establish it, when it names them instead of stating a condition."""
    file: str = ""
    line: int | None = None
    number: int = 0
    """Its place in the head's list, from 1: with `file` and `line`, where problems point to."""

    @property
    def where(self) -> str:
        """`file:line: head id: element n`, how problems with the element are located."""
        place = f"{self.file}:{self.line}" if self.line else self.file
        return f"{place}: head {self.head}: element {self.number}"

    def applies_to(self, proceeding: str, day: dt.date) -> bool:
        return (self.proceedings is None or proceeding in self.proceedings) and \
            (self.in_force is None or self.in_force.covers(day))

    def condition_for(self, proceeding: str) -> Condition | None:
        if self.condition is None:
            return None
        return conditions.substitute(self.condition, PROCEEDING_SLOT, proceeding)


class Head(_Strict):
    """A question the findings answer, once per proceeding, e.g. `fr.proxenetisme`.

    Its status is the first of its `outcomes` whose conclusion holds, else `otherwise`; without
    `outcomes`, the head's own id is its conclusion and its `kind` gives the status words.
    """

    id: str
    kind: Literal["threshold", "offence", "claim", "exemption", "immunity", "duty"]
    topic: Literal["threshold", "jurisdiction", "offences", "claims", "shield", "duties", "clients"] | None = None
    subject: Literal["actor", "clients"] = "actor"
    proceedings: list[str] = Field(min_length=1)
    outcomes: list[Outcome] = []
    otherwise: HeadStatus | None = None
    title: Text
    question: Text
    elements: list[ElementData] = []

    def resolved(self) -> tuple[list[Outcome], str]:
        """The outcomes and fallback status, written or implied by `kind`."""
        outcomes, otherwise = _DEFAULT_OUTCOMES[self.kind]
        written = self.outcomes or [Outcome(**{"if": self.id + suffix, "status": status})
                                    for suffix, status in outcomes]
        return written, self.otherwise or otherwise

    def outcomes_for(self, proceeding: str) -> list[tuple[str, str]]:
        """(conclusion, status) pairs for one proceeding, in order."""
        return [(o.conclusion(proceeding), o.status) for o in self.resolved()[0]]

    @property
    def fallback(self) -> str:
        return self.resolved()[1]

    @property
    def row(self) -> str:
        """The `compare` row this head belongs to."""
        if self.topic is None and self.subject == "clients":
            return "clients"
        return self.topic or {"threshold": "threshold", "claim": "claims", "duty": "duties"}.get(
            self.kind, "shield" if self.kind in ("exemption", "immunity") else "offences")


DateBasis = Literal["facts_date", "facts_end", "judged_on"]
"""The date that chose a version: the facts' (start), the end of lasting conduct, the judgment's."""


class TimeRule(_Strict):
    """Which date selects the version of a rule, and the legal reason for it."""

    basis: Literal["facts_date", "judged_on"] = "facts_date"
    cites: str
    url: str
    because: Text


class Continuing(_Strict):
    """How a pack judges conduct that lasted (`facts_end`) across a change of the law: by the
    version in force at its end, for the part of the conduct from that version on; the earlier
    part stays under the version then in force, and a harsher later law never reaches it."""

    cites: str
    url: str
    because: Text


class PackTime(TimeRule):
    """A pack's time policy; `milder_later_law` is the lenity rule of criminal law; `continuing`,
    where the law judges lasting conduct by the law in force at its end."""

    milder_later_law: bool = False
    continuing: Continuing | None = None


Severity = tuple[int, int, int, float, float]
"""Life, then years of prison, then the mandatory minimum, then a fine as a share of turnover, then
a fine in one currency."""


class PenaltyVersion(_Strict):
    """The sentence an article provides for, in one of its versions."""

    in_force: InForce
    prison_years: int | None = Field(None, ge=0)
    life: bool = False
    fine: int | None = Field(None, ge=0)
    fine_percent_turnover: float | None = Field(None, gt=0, le=100)
    currency: str | None = Field(None, pattern=r"^[A-Z]{3}$")
    """An ISO 4217 code that the pack's jurisdiction descriptor declares."""
    min_prison_years: int | None = Field(None, ge=1)
    """A mandatory minimum term (18 U.S.C. 1591(b) since 2006: 15 or 10 years): the court may not
    sentence below it, so a reader needs it beside the maximum."""

    @model_validator(mode="after")
    def _minimum_within_maximum(self) -> "PenaltyVersion":
        """A minimum needs a maximum to sit under: life, or a term no shorter than itself."""
        if self.min_prison_years is None:
            return self
        if not self.life and self.prison_years is None:
            raise ValueError("min_prison_years needs prison_years or life")
        if not self.life and self.prison_years is not None and self.min_prison_years > self.prison_years:
            raise ValueError(f"min_prison_years ({self.min_prison_years}) is above prison_years ({self.prison_years})")
        return self


class Complementary(Text):
    """A complementary penalty (a ban, a confiscation, a dissolution) an article adds to the main
    sentence. The law adds and removes them on their own dates, apart from the main sentence's
    versions; only those the law provided on the day of the acts may be pronounced (C. pén. 112-1,
    al. 2), so each carries the period in which it is in force; without one, it is in force
    whenever the penalty is."""

    in_force: InForce | None = None
    ref: str | None = Field(None, min_length=1)
    """The provision that provides it ("225-20, 2°"): it names the penalty's versions, which share
    it, in law tables; a dated penalty needs one."""

    @model_validator(mode="after")
    def _dated_needs_ref(self) -> "Complementary":
        if self.in_force is not None and self.ref is None:
            raise ValueError("a complementary penalty with in_force needs `ref`, the provision that provides it")
        return self

    def in_force_on(self, day: dt.date) -> bool:
        return self.in_force is None or self.in_force.covers(day)


class LegalPersonPenalty(_Strict):
    fine_multiplier: int = Field(ge=1)
    basis: str
    additional: list[Complementary] = []


class Penalty(_Strict):
    """An article's penalties over time, for natural and (where provided) legal persons."""

    id: str
    cites: str
    url: str
    nature: str
    """One of the penalty natures the pack's jurisdiction descriptor declares (a crime, a felony)."""
    versions: list[PenaltyVersion] = Field(min_length=1)
    additional: list[Complementary] = []
    legal_person: LegalPersonPenalty | None = None

    def version_on(self, day: dt.date) -> PenaltyVersion | None:
        return next((v for v in self.versions if v.in_force.covers(day)), None)

    def mildest_between(self, start: dt.date, end: dt.date,
                        severity: Callable[["PenaltyVersion"], Severity]) -> PenaltyVersion | None:
        """The mildest version in force at some time from `start` to `end` (C. pén. 112-1 lenity)."""
        versions = [v for v in self.versions
                    if v.in_force.from_ <= end and (v.in_force.to is None or v.in_force.to >= start)]
        return min(versions, key=severity, default=None)


class Then(_Strict):
    conclude: str
    element: Text | None = None
    """The element of the head the rule establishes, as reports name it in either language."""
    strength: Strength
    penalty: str | None = None

    @field_validator("element", mode="before")
    @classmethod
    def _label(cls, value: Any) -> Any:
        """A plain string is accepted for a bare reference only (numbers and abbreviations), which
        reads the same in both languages; a label with words is written `{fr: ..., en: ...}`."""
        if not isinstance(value, str):
            return value
        if not is_reference(value):
            raise ValueError(f"`{shown(value)}` is in one language: write the element as "
                             "{fr: \"...\", en: \"...\"} (a plain string is only for a reference "
                             "made of numbers and abbreviations)")
        return {"fr": value, "en": value}


class Checked(_Strict):
    """When a rule was last compared with the official text or decision it encodes, and which: a
    reviewer signs the rule off against that source on that day (DESIGN.md, legal accuracy)."""

    on: Date
    source: str = Field(min_length=1)


class RuleData(_Strict):
    """A rule as written in a pack, before its condition is parsed."""

    id: str
    cites: str = Field(min_length=1)
    url: str = Field(min_length=1)
    in_force: InForce
    provision: str | None = None
    time: TimeRule | None = None
    when: Any
    unless: list[str] = []
    burden: Literal["claimant", "defendant"] = "claimant"
    """Who must show the rule's facts: by default the party relying on them (the claimant or the
    prosecution for liability); ``defendant`` marks an affirmative defence or an exception the
    defendant must raise: its facts are never an open question, since a defence nobody raised
    blocks nothing (see Rulebook.defence_facts)."""
    then: Then
    because: Text
    checked: Checked | None = None

    @field_validator("id")
    @classmethod
    def _id_shape(cls, value: str) -> str:
        if not RULE_ID.match(value):
            raise ValueError("a rule id is lower-case and dotted, starting with a two-letter "
                             "jurisdiction: `xx.instrument.article.short-name`")
        return value


class PackData(_Strict):
    pack: str
    jurisdiction: str = Field(pattern=r"^[A-Z]{2}$")
    title: Text
    checked_on: Date
    time: PackTime | None = None
    heads: list[Head] = []
    penalties: list[Penalty] = []
    rules: list[RuleData] = Field(min_length=1)


@dataclass(frozen=True)
class Rule:
    """A rule ready to run: its parsed condition (with `unless` folded in) and its provenance."""

    id: str
    pack: str
    file: str
    line: int | None
    cites: str
    url: str
    in_force: InForce
    condition: Condition
    conclusion: str
    element: Text | None
    strength: str
    penalty: str | None
    because: Text
    provision: str
    time: TimeRule | None
    """The rule's own time rule, else its pack's, else None (the facts' date, no stated reason)."""
    lenient: bool
    """Its pack applies the milder later law (criminal lenity)."""
    burden: str = "claimant"
    """``defendant`` for a defence or exception the defendant must raise (see RuleData.burden)."""
    continuing: Continuing | None = None
    """Its pack judges lasting conduct by the law at its end (see Continuing)."""
    checked: Checked | None = None
    """When and against which official source it was last verified; `rules lint` warns without."""

    def version_date(self, facts_date: dt.date, judged_on: dt.date) -> tuple[DateBasis, dt.date]:
        """Which date selects the rule's version by its time rule (the facts' date unless it says
        the date of judgment), and that date; see Rulebook.version_date for lasting conduct."""
        basis = self.time.basis if self.time else "facts_date"
        return basis, facts_date if basis == "facts_date" else judged_on

    @cached_property
    def holds(self) -> conditions.Evaluator:
        """The condition, compiled for fast three-valued evaluation."""
        return conditions.compile_condition(self.condition)

    @cached_property
    def fact_tests(self) -> tuple[conditions.FactTest, ...]:
        return tuple(a for a in conditions.atoms(self.condition) if isinstance(a, conditions.FactTest))

    @cached_property
    def premises(self) -> frozenset[str]:
        return frozenset(a.conclusion for a in conditions.atoms(self.condition) if isinstance(a, conditions.Holds))

    @cached_property
    def negated(self) -> frozenset[str]:
        return frozenset(a.conclusion for a in conditions.atoms(self.condition) if isinstance(a, conditions.Absent))

    @property
    def fact_paths(self) -> list[str]:
        return list(dict.fromkeys(a.path for a in conditions.atoms(self.condition)
                                  if isinstance(a, conditions.FactTest)))


@dataclass
class Pack:
    name: str
    file: str
    jurisdiction: str
    title: Text
    checked_on: Date
    heads: list[Head]
    penalties: list[Penalty]
    rules: list[Rule]
    elements: dict[str, list[Element]] = field(default_factory=dict)
    """Each head's elements, in the order the pack states them."""
    descriptor: Jurisdiction | None = None
    """The descriptor of its jurisdiction (its folder's ``jurisdiction.yaml``)."""


@dataclass
class Rulebook:
    """The packs of one regime, merged, validated and stratified."""

    regime: str
    title: Text
    packs: list[Pack]
    vocabulary: Vocabulary
    """The facts its rules test, and the scenario model they are stated in."""
    rules: list[Rule] = field(default_factory=list)
    heads: dict[str, Head] = field(default_factory=dict)
    penalties: dict[str, Penalty] = field(default_factory=dict)
    elements: dict[str, list[Element]] = field(default_factory=dict)
    stratum: dict[str, int] = field(default_factory=dict)
    """Each rule's negation stratum (set by :func:`graph.stratify`)."""
    order: list[Rule] = field(default_factory=list)
    """Rules in firing order: stratum, then pack order."""
    sequence: dict[str, int] = field(default_factory=dict)
    """A topological order of the rules: every rule after the producers of what it tests."""
    cyclic: frozenset[str] = frozenset()
    """Rules on a (positive) cycle, which need evaluating until nothing changes."""
    _ancestors: dict[str, frozenset[str]] = field(default_factory=dict, repr=False)
    _bearing: dict[tuple[str, str], frozenset[str]] = field(default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        for pack in self.packs:
            self.rules.extend(pack.rules)
            self.heads.update((h.id, h) for h in pack.heads)
            self.penalties.update((p.id, p) for p in pack.penalties)
            self.elements.update(pack.elements)

    @cached_property
    def currencies(self) -> dict[str, Currency]:
        """The currencies the regime's jurisdictions declare, by code."""
        return {code: currency for pack in self.packs if pack.descriptor
                for code, currency in pack.descriptor.currencies.items()}

    @cached_property
    def proceeding_labels(self) -> dict[str, Text]:
        """Each proceeding a head of the regime is decided in, with its labels."""
        return {name: label for pack in reversed(self.packs) if pack.descriptor
                for name, label in pack.descriptor.proceedings.items()}

    @cached_property
    def nature_labels(self) -> dict[str, Text]:
        """Each penalty's nature (a crime, a felony), labelled as its jurisdiction labels it."""
        return {penalty.id: pack.descriptor.natures[penalty.nature] for pack in self.packs if pack.descriptor
                for penalty in pack.penalties if penalty.nature in pack.descriptor.natures}

    def in_anchor(self, fine: int, currency: str | None) -> tuple[str | None, float]:
        """A fine in the currency its own is fixed against by law (the franc in euros), with that
        currency's code: two fines compare only when they come out in the same one."""
        declared = self.currencies.get(currency or "")
        if declared is None or declared.fixed_rate is None:
            return currency, float(fine)
        return declared.fixed_rate.of, fine / declared.fixed_rate.units

    def severity(self, sentence: Any) -> Severity:
        """How severe a sentence is (a penalty version, or a penalty at stake): life, then prison,
        then the mandatory minimum (life from 15 years is harsher than life from 10), then fines,
        the fines compared at the rates the law fixes (the regime was refused at load if two of its
        fines could be compared only at a market rate)."""
        _, fine = self.in_anchor(sentence.fine or 0, sentence.currency)
        return (1 if sentence.life else 0, sentence.prison_years or 0, sentence.min_prison_years or 0,
                sentence.fine_percent_turnover or 0, fine)

    @cached_property
    def by_id(self) -> dict[str, Rule]:
        return {rule.id: rule for rule in self.rules}

    @cached_property
    def producers(self) -> dict[str, list[Rule]]:
        result: dict[str, list[Rule]] = {}
        for rule in self.rules:
            result.setdefault(rule.conclusion, []).append(rule)
        return result

    @cached_property
    def answers(self) -> dict[str, frozenset[str]]:
        """The conclusions each head reads its statuses from, over all its proceedings."""
        return {head.id: frozenset(c for p in head.proceedings for c, _ in head.outcomes_for(p))
                for head in self.heads.values()}

    @cached_property
    def _others(self) -> dict[str, frozenset[str]]:
        return {head: frozenset().union(*(c for h, c in self.answers.items() if h != head)) for head in self.answers}

    def other_heads(self, head_id: str) -> frozenset[str]:
        """Conclusions that answer heads other than `head_id`: explanations stop there."""
        return self._others[head_id]

    @cached_property
    def defence_facts(self) -> frozenset[str]:
        """The facts tested by the defences and exceptions the defendant must raise: left unstated,
        they are not raised, in every posture (DESIGN.md section 5)."""
        return frozenset(test.path for rule in self.rules if rule.burden == "defendant" for test in rule.fact_tests)

    def in_force_on(self, day: dt.date) -> frozenset[str]:
        """Ids of the rules whose text is in force on `day`."""
        return frozenset(rule.id for rule in self.rules if rule.in_force.covers(day))

    def ancestor_rules(self, conclusion: str) -> frozenset[str]:
        """Rules that can contribute to `conclusion`, through premises and negations (memoised)."""
        cache = self._ancestors
        if conclusion not in cache:
            seen: set[str] = set()
            pending, visited = [conclusion], set()
            while pending:
                current = pending.pop()
                if current in visited:
                    continue
                visited.add(current)
                for rule in self.producers.get(current, []):
                    seen.add(rule.id)
                    pending.extend(rule.premises | rule.negated)
            cache[conclusion] = frozenset(seen)
        return cache[conclusion]

    def bearing(self, head_id: str, proceeding: str) -> frozenset[str]:
        """Ids of the rules a head's analysis reads in one proceeding (memoised): those that draw
        its outcomes, and those whose conclusions these rest on or make exceptions of, down to the
        conclusions that answer other heads, which those heads explain."""
        key = (head_id, proceeding)
        if key not in self._bearing:
            outcomes = [c for c, _ in self.heads[head_id].outcomes_for(proceeding)]
            stop = self.other_heads(head_id)
            seen: set[str] = set()
            rules: set[str] = set()
            pending = list(outcomes)
            while pending:
                current = pending.pop()
                if current in seen or (current in stop and current not in outcomes):
                    continue
                seen.add(current)
                for rule in self.producers.get(current, []):
                    rules.add(rule.id)
                    pending.extend(rule.premises | rule.negated)
            self._bearing[key] = frozenset(rules)
        return self._bearing[key]

    @cached_property
    def versions(self) -> dict[str, list[Rule]]:
        """The rules that are versions of each provision."""
        result: dict[str, list[Rule]] = {}
        for rule in self.rules:
            result.setdefault(rule.provision, []).append(rule)
        return result

    def version_date(self, rule: Rule, facts_date: dt.date, judged_on: dt.date,
                     facts_end: dt.date | None = None) -> tuple[DateBasis, dt.date]:
        """Which date selects `rule`'s version, and that date. Lasting conduct, where the rule's
        pack judges it as continuing, is judged by the version in force at its end when the law
        changed while it went on: a rule that came into force during the conduct is chosen by its
        end, and one a later version replaced during it is not in force then."""
        basis, day = rule.version_date(facts_date, judged_on)
        if basis == "judged_on" or rule.continuing is None or facts_end is None or facts_end == facts_date:
            return basis, day
        if rule.in_force.covers(facts_end):
            return (basis, day) if rule.in_force.covers(facts_date) else ("facts_end", facts_end)
        if any(version.in_force.covers(facts_end) for version in self.versions[rule.provision]):
            return "facts_end", facts_end
        return basis, day

    def select(self, facts_date: dt.date, judged_on: dt.date, facts_end: dt.date | None = None) -> "Selection":
        """The rules that apply to a case, each by the date its time rule names.

        A rule is chosen by the facts' date unless its time rule says the date of judgment (as
        when a statute declares itself retroactive), or its pack judges lasting conduct by the
        law at its end (`facts_end`). Under the milder-later-law rule of criminal law, a provision
        abolished by the date of judgment no longer applies to earlier facts.
        """
        chosen: dict[str, tuple[str, dt.date]] = {}
        abolished: dict[str, dt.date] = {}
        for rule in self.rules:
            basis, day = self.version_date(rule, facts_date, judged_on, facts_end)
            if not rule.in_force.covers(day):
                continue
            if rule.lenient and basis != "judged_on" and judged_on > day and not any(
                    version.in_force.covers(judged_on) for version in self.versions[rule.provision]):
                abolished[rule.id] = judged_on
                continue
            chosen[rule.id] = (basis, day)
        return Selection(frozenset(chosen), chosen, abolished, facts_date, judged_on, facts_end)


@dataclass(frozen=True)
class Selection:
    """Which rules apply to a case, and for each the date (and its basis) that chose its version."""

    in_force: frozenset[str]
    dates: dict[str, tuple[str, dt.date]]
    abolished: dict[str, dt.date]
    facts_date: dt.date
    judged_on: dt.date
    facts_end: dt.date | None = None

    def conduct_date(self, continuing: Continuing | None) -> dt.date:
        """The date on which the conduct is judged by a text whose pack judges lasting conduct as
        `continuing` says: the end of the conduct where there is one, else the facts' date."""
        return self.facts_end if continuing is not None and self.facts_end is not None else self.facts_date


@dataclass(frozen=True)
class Regime:
    id: str
    title: Text
    packs: tuple[str, ...]


def load_pack(path: Path, facts: dict[str, FactSpec], jurisdiction: Jurisdiction | None,
              read: Callable[[Path], Document] = read_document) -> Pack:
    """Read and validate one pack file against the facts and its jurisdiction's descriptor; raise
    :class:`RuleError` listing every problem found.

    `read` parses the file; the rulebook cache passes one that parses the bytes it hashed, or
    returns the document it stored, so that everything else is checked as on a fresh load."""
    name = str(path)
    if jurisdiction is None:
        raise RuleError([f"{name}: no jurisdiction.yaml in this pack's folder: each folder of packs declares its "
                         "jurisdiction's official hosts, currencies, proceedings and penalty natures there"])
    hosts = jurisdiction.hosts

    def official(url: str) -> bool:
        return is_official(url, hosts)

    off_site = (f"is not an https address on an official site ({', '.join(hosts[:4])}"
                f"{', ...' if len(hosts) > 4 else ''}; see {jurisdiction.file})")

    try:
        document = read(path)
    except SourceError as error:
        raise RuleError([str(error)]) from None
    try:
        data = PackData.model_validate(document.data)
    except ValidationError as error:
        raise RuleError(pydantic_problems(name, error, document, document.data)) from None

    problems: list[str] = []
    rules: list[Rule] = []
    for index, raw in enumerate(data.rules):
        line = document.line_of(("rules", index))
        where = f"{name}:{line}: {raw.id}" if line else f"{name}: {raw.id}"
        if raw.in_force.to and raw.in_force.to < raw.in_force.from_:
            problems.append(f"{where}: in_force ends ({raw.in_force.to}) before it starts ({raw.in_force.from_})")
        if not official(raw.url):
            problems.append(f"{where}: url `{shown(raw.url)}` {off_site}")
        if raw.checked and not official(raw.checked.source):
            problems.append(f"{where}: checked: source `{shown(raw.checked.source)}` {off_site}")
        if raw.checked and raw.checked.on > utc_today():
            problems.append(f"{where}: checked: on {raw.checked.on} is after today ({utc_today()}): a rule is checked on "
                            "a day that has come")
        try:
            condition = conditions.parse(raw.when, facts)
            if raw.burden == "defendant" and any(test.proof == "presumed" for test in conditions.atoms(condition)
                                                 if isinstance(test, conditions.FactTest)):
                raise conditions.ConditionError("a defence the defendant must raise cannot presume its facts")
            for negated in raw.unless:
                if conditions.is_fact_path(negated, facts):
                    raise conditions.ConditionError(f"`unless` negates conclusions only, not the fact `{negated}`")
            if raw.unless:
                condition = conditions.All((condition, *(conditions.Absent(c) for c in raw.unless)))
            conditions.branches(condition)
        except conditions.ConditionError as error:
            problems.append(f"{where}: {error}")
            continue
        if conditions.is_fact_path(raw.then.conclude, facts):
            problems.append(f"{where}: a rule concludes a conclusion, not the fact `{raw.then.conclude}`")
        rules.append(Rule(
            id=raw.id, pack=data.pack, file=name, line=line, cites=raw.cites, url=raw.url,
            in_force=raw.in_force, condition=condition, conclusion=raw.then.conclude,
            element=raw.then.element, strength=raw.then.strength, penalty=raw.then.penalty,
            because=raw.because, provision=raw.provision or raw.id, time=raw.time or data.time,
            lenient=bool(data.time and data.time.milder_later_law), burden=raw.burden,
            continuing=data.time.continuing if data.time else None, checked=raw.checked))

    if data.time and not official(data.time.url):
        problems.append(f"{name}: time: url `{shown(data.time.url)}` is not an https address on an official site")
    if data.time and data.time.continuing and not official(data.time.continuing.url):
        problems.append(f"{name}: time: continuing: url `{shown(data.time.continuing.url)}` is not an https address "
                        "on an official site")
    for raw in data.rules:
        if raw.time and not official(raw.time.url):
            problems.append(f"{name}: {raw.id}: time: url `{shown(raw.time.url)}` is not an https address on an official site")
    for penalty in data.penalties:
        where = f"{name}: penalty {penalty.id}"
        if not official(penalty.url):
            problems.append(f"{where}: url `{shown(penalty.url)}` is not an https address on an official site")
        problems.extend(f"{where}: {p}" for p in version_problems([v.in_force for v in penalty.versions]))
        for version in penalty.versions:
            if version.fine is None and version.fine_percent_turnover is None and version.prison_years is None \
                    and not version.life:
                problems.append(f"{where}: version from {version.in_force.from_} states no sentence")
            if version.fine is not None and version.currency is None:
                problems.append(f"{where}: version from {version.in_force.from_} gives a fine without a currency")
            if version.currency is not None and version.currency not in jurisdiction.currencies:
                problems.append(f"{where}: version from {version.in_force.from_}: currency `{version.currency}` is not "
                                f"one {jurisdiction.file} declares ({', '.join(jurisdiction.currencies) or 'none'})")
        extras = [("", item) for item in penalty.additional]
        extras += [("legal_person: ", item) for item in (penalty.legal_person.additional if penalty.legal_person else [])]
        for prefix, item in extras:
            if item.in_force and item.in_force.to and item.in_force.to < item.in_force.from_:
                problems.append(f"{where}: {prefix}additional `{shown(item.en)}`: in_force ends ({item.in_force.to}) "
                                f"before it starts ({item.in_force.from_})")
        if penalty.nature not in jurisdiction.natures:
            problems.append(f"{where}: nature `{shown(penalty.nature)}` is not a penalty nature {jurisdiction.file} "
                            f"declares ({', '.join(jurisdiction.natures) or 'none'})")
    if data.jurisdiction != jurisdiction.code:
        problems.append(f"{name}: jurisdiction `{data.jurisdiction}` differs from `{jurisdiction.code}`, the "
                        f"jurisdiction of its folder ({jurisdiction.file})")
    for head in data.heads:
        for proceeding in head.proceedings:
            if proceeding not in jurisdiction.proceedings:
                line = document.line_of(("heads", data.heads.index(head)))
                problems.append(f"{name}:{line or ''}: head {head.id}: proceeding `{shown(proceeding)}` is not one "
                                f"{jurisdiction.file} declares ({', '.join(jurisdiction.proceedings)})")
    elements = _elements(data, name, document, facts, problems, hosts)
    if problems:
        raise RuleError(problems)
    return Pack(data.pack, name, data.jurisdiction, data.title, data.checked_on, data.heads,
                data.penalties, rules, elements, jurisdiction)


def _elements(data: PackData, name: str, document: Document, facts: dict[str, FactSpec],
              problems: list[str], hosts: tuple[str, ...]) -> dict[str, list[Element]]:
    """Parse each head's elements, adding what is wrong with them to `problems`."""
    result: dict[str, list[Element]] = {}
    rules = {rule.id: rule for rule in data.rules}
    for head_index, head in enumerate(data.heads):
        for index, raw in enumerate(head.elements):
            line = document.line_of(("heads", head_index, "elements", index))
            where = f"{name}:{line}: head {head.id}: element {index + 1}" if line else \
                f"{name}: head {head.id}: element {index + 1}"
            if not is_official(raw.url, hosts):
                problems.append(f"{where}: url `{shown(raw.url)}` is not an https address on an official site")
            if raw.when is not None and raw.established_by:
                problems.append(f"{where}: give `when` (a condition) or `established_by` (the rules that establish "
                                "the element), not both")
            elif raw.when is None and not raw.established_by and raw.part != "legal":
                problems.append(f"{where}: a `{raw.part}` element needs `when`, the condition that meets it, or "
                                "`established_by`, the rules that establish it")
            unknown = sorted(set(raw.proceedings or ()) - set(head.proceedings))
            if unknown:
                problems.append(f"{where}: proceeding `{unknown[0]}` is not one of the head's "
                                f"({', '.join(head.proceedings)})")
            problems.extend(f"{where}: {problem}" for problem in _named_rules_problems(raw, rules, data.time))
            try:
                condition = None if raw.when is None else conditions.parse(raw.when, facts)
            except conditions.ConditionError as error:
                problems.append(f"{where}: {error}")
                continue
            result.setdefault(head.id, []).append(Element(
                head.id, raw.part, raw.name, raw.cites, raw.url, condition, raw.group,
                tuple(raw.proceedings) if raw.proceedings else None, raw.in_force,
                data.time.continuing if data.time else None, established_by=tuple(raw.established_by or ()),
                file=name, line=line, number=index + 1))
    return result


def _named_rules_problems(element: ElementData, rules: dict[str, RuleData], time: PackTime | None) -> list[str]:
    """What is wrong with the rules an element names, checked against its own pack: each must be
    one of the pack's rules, named once, and in force at some time while the element is."""
    problems = []
    named = element.established_by or []
    for rule_id in sorted({r for r in named if named.count(r) > 1}):
        problems.append(f"`established_by` names `{shown(rule_id)}` twice")
    for rule_id in dict.fromkeys(named):
        rule = rules.get(rule_id)
        if rule is None:
            close = difflib.get_close_matches(rule_id, sorted(rules), n=1, cutoff=0.7)
            hint = f" - did you mean `{close[0]}`?" if close else ""
            problems.append(f"`established_by` names `{shown(rule_id)}`, which is not a rule of this pack{hint} "
                            "(an element names the rules of its own pack; another pack's conclusion goes in `when`)")
            continue
        period = element.in_force
        if period is None:
            continue
        basis = (rule.time or time).basis if (rule.time or time) else "facts_date"
        # The element is shown by the date of the conduct; a rule chosen by the date of judgment can
        # apply to conduct from before it came into force, never to conduct after it ended.
        before = rule.in_force.to is not None and rule.in_force.to < period.from_
        after = basis == "facts_date" and period.to is not None and rule.in_force.from_ > period.to
        if before or after:
            problems.append(f"`established_by` names `{rule_id}`, in force {_period(rule.in_force)}, never while "
                            f"the element is ({_period(period)})")
    return problems


def _period(period: InForce) -> str:
    return f"from {period.from_}" + (f" to {period.to}" if period.to else "")


def element_warnings(book: Rulebook) -> list[str]:
    """Elements whose condition repeats, word for word, the whole condition (`unless` included) of
    a rule of their pack that bears on the head, where naming that rule would mean the same: it is
    in force whenever the element is. Naming it (`established_by`) keeps one statement of the test.
    A condition that only names a conclusion already refers to the rules instead of repeating them."""
    warnings = []
    for head_id, elements in book.elements.items():
        head = book.heads[head_id]
        for element in elements:
            if element.condition is None or isinstance(element.condition, (conditions.Holds, conditions.Absent)):
                continue
            repeated = [rule.id for rule in book.rules if rule.file == element.file and any(
                rule.id in book.bearing(head_id, p) and element.condition_for(p) == rule.condition
                and _in_force_whenever(book, head_id, element, rule)
                for p in element.proceedings or head.proceedings)]
            if repeated:
                names = ", ".join(repeated)
                warnings.append(f"{element.where}: its condition repeats the condition of {names} word for word; "
                                f"name {'it' if len(repeated) == 1 else 'them'} instead "
                                f"(`established_by: [{names}]`)")
    return warnings


def _in_force_whenever(book: Rulebook, head_id: str, element: Element, rule: Rule) -> bool:
    """Whether `rule` is in force whenever `element` is shown: throughout the element's own period,
    or, for an element without one, from the first day any rule of its head is in force."""
    if element.in_force is not None:
        start, end = element.in_force.from_, element.in_force.to
    else:
        head = book.heads[head_id]
        start = min((book.by_id[r].in_force.from_ for p in head.proceedings for r in book.bearing(head_id, p)),
                    default=dt.date.min)
        end = None
    by_judgment = rule.time is not None and rule.time.basis == "judged_on"
    ends_after = rule.in_force.to is None or (not by_judgment and end is not None and rule.in_force.to >= end)
    return rule.in_force.from_ <= start and ends_after


def version_problems(periods: list[InForce]) -> list[str]:
    """Overlaps and gaps between successive versions of one text (they must follow day after day)."""
    problems = []
    ordered = sorted(periods, key=lambda p: p.from_)
    for earlier, later in zip(ordered, ordered[1:]):
        if earlier.to is None or earlier.to >= later.from_:
            problems.append(f"versions overlap: one from {earlier.from_} "
                            f"{'never ends' if earlier.to is None else f'runs to {earlier.to}'}, "
                            f"the next starts {later.from_}")
        elif earlier.to + dt.timedelta(days=1) != later.from_:
            problems.append(f"gap between versions: one ends {earlier.to}, the next starts {later.from_}")
    for period in ordered:
        if period.to and period.to < period.from_:
            problems.append(f"version ends ({period.to}) before it starts ({period.from_})")
    return problems


class _RegimeData(_Strict):
    id: str = Field(pattern=r"^[a-z]{2,}$")
    title: Text
    packs: list[str] = Field(min_length=1)


class _RegimesData(_Strict):
    regimes: list[_RegimeData] = Field(min_length=1)


def load_regimes(directory: Path | None = None) -> dict[str, Regime]:
    """The regimes declared in ``regimes.yaml``, in declaration order."""
    directory = directory or rules_dir()
    path = directory / "regimes.yaml"
    try:
        document = read_document(path)
    except SourceError as error:
        raise RuleError([str(error)]) from None
    try:
        data = _RegimesData.model_validate(document.data)
    except ValidationError as error:
        raise RuleError(pydantic_problems(str(path), error, document, document.data)) from None
    regimes = {}
    for regime in data.regimes:
        if regime.id in regimes:
            raise RuleError([f"{path}: regime `{regime.id}` is declared twice"])
        regimes[regime.id] = Regime(regime.id, regime.title, tuple(regime.packs))
    return regimes


def declarations_of(directory: Path | None) -> Declarations:
    """The facts and jurisdictions of a rules folder (the bundled one, read once, by default)."""
    return bundled_declarations() if directory is None or directory == rules_dir() else load_declarations(directory)


def checked_rulebook(regime: Regime, directory: Path | None = None,
                     read: Callable[[Path], Document] = read_document,
                     declarations: Declarations | None = None) -> Rulebook:
    """Load every pack of a regime and check the whole, short of stratifying it (see
    :func:`liability.loading.load_rulebook`): the rulebook cache restores the strata it stored,
    which spares a run importing networkx."""
    declarations = declarations or declarations_of(directory)
    directory = directory or rules_dir()
    facts = declarations.vocabulary.facts
    packs: list[Pack] = []
    problems: list[str] = []
    for relative in regime.packs:
        folder = Path(relative).parent.as_posix()
        try:
            packs.append(load_pack(directory / relative, facts, declarations.jurisdictions.get(folder), read))
        except RuleError as error:
            problems.extend(error.problems)
    if problems:
        raise RuleError(problems)
    book = Rulebook(regime.id, regime.title, packs, declarations.vocabulary)
    problems.extend(_cross_checks(book))
    if problems:
        raise RuleError(problems)
    return book


def _where(rule: Rule) -> str:
    return f"{rule.file}:{rule.line}: {rule.id}" if rule.line else f"{rule.file}: {rule.id}"


def _cross_checks(book: Rulebook) -> list[str]:
    """Checks that need every pack of the regime at once."""
    problems = _incomparable_fines(book)
    seen: dict[str, Rule] = {}
    for rule in book.rules:
        if rule.id in seen:
            problems.append(f"{_where(rule)}: duplicate rule id (also at {_where(seen[rule.id])})")
        seen[rule.id] = rule
    produced = set(book.producers)
    for rule in book.rules:
        for conclusion in sorted(rule.premises | rule.negated):
            if conclusion not in produced:
                close = difflib.get_close_matches(conclusion, sorted(produced), n=1, cutoff=0.7)
                hint = f" - did you mean `{close[0]}`?" if close else ""
                problems.append(f"{_where(rule)}: unknown conclusion `{conclusion}`: no rule concludes it{hint}")
        if rule.penalty and rule.penalty not in book.penalties:
            problems.append(f"{_where(rule)}: unknown penalty `{rule.penalty}`")
    head_ids: set[str] = set()
    for pack in book.packs:
        for head in pack.heads:
            if head.id in head_ids:
                problems.append(f"{pack.file}: head {head.id}: declared twice")
            head_ids.add(head.id)
            for outcome in head.resolved()[0]:
                drawn = {outcome.conclusion(p) for p in head.proceedings} & produced
                if not drawn:
                    problems.append(f"{pack.file}: head {head.id}: no rule concludes `{outcome.if_}` "
                                    f"(its `{outcome.status}` outcome) for any of its proceedings")
    for head_id, elements in book.elements.items():
        head = book.heads.get(head_id)
        for element in elements:
            if head is None:
                continue
            problems.extend(f"{element.where}: {problem}" for problem in _named_rules_bearing(book, head, element))
            if element.condition is None:
                continue
            for atom in conditions.atoms(element.condition):
                if isinstance(atom, conditions.FactTest):
                    continue
                names = {atom.conclusion.replace(PROCEEDING_SLOT, p) for p in element.proceedings or head.proceedings}
                if not names & produced:
                    close = difflib.get_close_matches(atom.conclusion, sorted(produced), n=1, cutoff=0.7)
                    hint = f" - did you mean `{close[0]}`?" if close else ""
                    problems.append(f"{element.where}: unknown conclusion `{atom.conclusion}`: no rule "
                                    f"concludes it{hint}")
    for provision, versions in book.versions.items():
        if len(versions) > 1:
            problems.extend(f"{versions[0].file}: provision {provision}: {problem}"
                            for problem in version_problems([v.in_force for v in versions]))
    penalty_ids: set[str] = set()
    for pack in book.packs:
        for penalty in pack.penalties:
            if penalty.id in penalty_ids:
                problems.append(f"{pack.file}: penalty {penalty.id}: declared twice")
            penalty_ids.add(penalty.id)
    return problems


def _incomparable_fines(book: Rulebook) -> list[str]:
    """The regime compares its fines to find the most severe penalty at stake; fines in currencies
    no legal rate links (euros and dollars) could be compared only at a market rate, which is not
    law, so such a regime is refused rather than compared 1:1."""
    anchors: dict[str, str] = {}
    for penalty in book.penalties.values():
        for version in penalty.versions:
            if version.fine is not None and version.currency is not None:
                anchor, _ = book.in_anchor(version.fine, version.currency)
                anchors.setdefault(anchor or "", f"penalty {penalty.id} ({version.currency})")
    if len(anchors) <= 1:
        return []
    named = ", ".join(anchors.values())
    return [f"regime {book.regime}: fines in currencies that no fixed legal rate links ({named}) cannot be "
            "compared; declare the rate the law fixes between them in a jurisdiction.yaml, or keep such penalties in "
            "separate regimes"]


def _named_rules_bearing(book: Rulebook, head: Head, element: Element) -> list[str]:
    """Whether the rules an element names bear on its head: each in some proceeding of the element,
    and some named rule in each of them (else the element could never be met there)."""
    if not element.established_by:
        return []
    proceedings = element.proceedings or tuple(head.proceedings)
    bearing = {p: book.bearing(head.id, p) for p in proceedings}
    problems = []
    for rule_id in dict.fromkeys(element.established_by):
        rule = book.by_id.get(rule_id)
        if rule is not None and not any(rule_id in rules for rules in bearing.values()):
            which = "its proceeding" if len(proceedings) == 1 else "any of its proceedings"
            problems.append(f"`established_by` names `{rule_id}`, which concludes `{rule.conclusion}`: no outcome of "
                            f"the head rests on it in {which} ({', '.join(proceedings)})")
    if not problems:
        for proceeding, rules in bearing.items():
            if not rules & set(element.established_by):
                problems.append(f"`established_by` names no rule the head rests on in the `{proceeding}` proceeding: "
                                "limit the element to the others with `proceedings`")
    return problems
