"""The scenario: the facts of a case, as a user writes them (input contract, version 1).

This module is the mechanism only. Which facts a scenario may state is law, declared once in the
rules folder's facts file; :func:`build_vocabulary` turns those declarations into the pydantic
model that is then the single source of truth: validation, error locations, "did you mean", the
JSON Schema printed by ``liability scenario schema`` and the fact paths a rule may test all come
from it.

Every boolean fact is three-valued. A fact the user leaves out (or writes as ``unknown``) is
*unknown*, never false: the engine must show what hangs on it. Internally unknown is ``None``.
"""

from __future__ import annotations

import datetime as dt
import copy
import difflib
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any, ClassVar, Literal, Union

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StrictBool,
    StrictInt,
    ValidationError,
    ValidationInfo,
    create_model,
    field_validator,
    model_validator,
)
from pydantic_core import PydanticCustomError

from .schema import Strength, Text
from .sources import Document, SourceError, dotted, read_document, shown

UNKNOWN = "unknown"


class _NotShown(str):
    """The value of a fact a closed record does not state (see :data:`NOT_SHOWN`)."""

    __slots__ = ()


NOT_SHOWN = _NotShown("not_shown")
"""A fact that a pleading does not allege or a trial record does not prove (DESIGN.md section 5).

Unlike an unknown fact (``None``), it is not an open question: what was not shown is not there.
A test on it fails, whichever value it asks for, because the party relying on the test bore the
burden of showing the fact, unless the test is *presumed* (the other party bore the burden of
proving the contrary). It is a string so that traces and documents can write it as it is."""


def utc_today() -> dt.date:
    """Today in UTC: the same date wherever the tool runs at a given moment, so that a scenario
    without `judged_on` gets the same findings under any time zone."""
    return dt.datetime.now(dt.timezone.utc).date()


def _tri_state(value: Any) -> Any:
    """Map the literal ``unknown`` to ``None``; leave everything else to strict validation."""
    if value == UNKNOWN:
        return None
    if value is None:
        raise ValueError("expected true, false or unknown (an empty value is not allowed)")
    return value


def _known(value: Any) -> Any:
    if value == UNKNOWN:
        return None
    if value is None:
        raise ValueError("an empty value is not allowed: give a value, `unknown`, or omit the key")
    return value


_DATE_FORM = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


def _written_as_date(value: Any) -> Any:
    """Let through only a date, or a date written YYYY-MM-DD (as JSON must): pydantic would read a
    number, or a string of digits, as seconds since 1970, so that `facts_date: 0` would silently be
    1 January 1970, and a date with a time as that date."""
    if value is None or (isinstance(value, dt.date) and not isinstance(value, dt.datetime)):
        return value
    if isinstance(value, str) and _DATE_FORM.fullmatch(value):
        return value
    raise PydanticCustomError("date_form", "expected a date written YYYY-MM-DD")


Date = Annotated[dt.date, BeforeValidator(_written_as_date)]
"""A calendar date, written as one."""

TriBool = Annotated[Union[StrictBool, None], BeforeValidator(_tri_state)]
"""A three-valued boolean fact: true, false, or unknown (``None``)."""

Count = Annotated[Union[Annotated[StrictInt, Field(ge=0)], None], BeforeValidator(_known)]
Country = Annotated[str, Field(pattern=r"^(?:[A-Z]{2})$", description="ISO 3166-1 alpha-2 code (EU for the Union)")]
MAX_COUNTRIES = 300
"""The most countries a list may name: every ISO 3166-1 code (249) and the EU, with room. A list
is echoed in every finding that tests it, so its length bounds the size of the output."""
MAX_NAMES = 100
"""The most regimes, proceedings or expectations a scenario may list, for the same reason."""

Countries = Annotated[Union[Annotated[list[Country], Field(max_length=MAX_COUNTRIES)], None], BeforeValidator(_known)]
OneCountry = Annotated[Union[Country, None], BeforeValidator(_known)]


def _choice(*values: str) -> Any:
    """A closed enumeration that may also be unknown."""
    return Annotated[Union[Literal[values], None], BeforeValidator(_known)]  # type: ignore[valid-type]


Status = Literal["met", "not_met", "liable", "not_liable", "applies", "lost", "not_applicable",
                 "breached", "complied", "undetermined"]

class Pinned(BaseModel):
    """What one finding must be beyond its status: its strength and the penalty at stake (the
    fields of the finding's `penalties`), each compared only if the expectation gives it (`null`
    pins a penalty the finding must not carry, e.g. no prison for a legal person)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    status: Status
    strength: Strength | None = None
    prison_years: Annotated[StrictInt, Field(ge=0)] | None = None
    min_prison_years: Annotated[StrictInt, Field(ge=0)] | None = None
    life: StrictBool | None = None
    fine: Annotated[StrictInt, Field(ge=0)] | None = None
    currency: Annotated[str, Field(pattern=r"^[A-Z]{3}$")] | None = None
    person: Literal["natural", "legal"] | None = None
    """The person the penalty is for: a company's fine must not read as a natural person's."""

    @property
    def pinned(self) -> dict[str, Any]:
        """The fields given beside the status, with their values."""
        return {name: getattr(self, name) for name in type(self).model_fields
                if name != "status" and name in self.model_fields_set}


Expected = Union[Status, Pinned]
"""A finding's status, or its status with its strength and penalty pinned."""

FactKind = Literal["bool", "choice", "count", "country", "countries", "date", "text"]


@dataclass(frozen=True)
class FactSpec:
    """One fact as the facts file declares it: its path, kind and, for a choice, its values; the
    question that asks for it and its meaning, in both languages; the facts it rules out."""

    path: str
    kind: FactKind
    values: tuple[Any, ...] = ()
    question: Text | None = None
    help: Text | None = None
    implies: tuple[tuple[str, Any], ...] = ()
    """(fact, value) pairs that must hold, or stay unknown, when this fact is true."""
    implies_because: Text | None = None
    labels: tuple[tuple[str, Text], ...] = ()
    """For a choice, each value's words in both languages: reports say `operator` as
    « exploitant » in French, never as the code a scenario file writes."""

    def label(self, value: Any, lang: str) -> str | None:
        """The words for one of this choice's values in `lang`, or None if it has none."""
        return next((text.get(lang) for code, text in self.labels if code == value), None)

    @property
    def section(self) -> str:
        return self.path.split(".", 1)[0]

    @property
    def name(self) -> str:
        return self.path.split(".", 1)[1]

    @property
    def description(self) -> str:
        """The fact's meaning in English, as the JSON Schema states it."""
        return self.help.en if self.help else ""


def _annotation(spec: FactSpec) -> Any:
    """The pydantic type that validates a fact of this kind, unknown included."""
    if spec.kind == "bool":
        return TriBool
    if spec.kind == "choice":
        return _choice(*spec.values)
    if spec.kind == "count":
        return Count
    if spec.kind == "country":
        return OneCountry
    if spec.kind == "countries":
        return Countries
    if spec.kind == "date":
        return Annotated[Union[Date, None], BeforeValidator(_known)]
    return Annotated[Union[str, None], BeforeValidator(_known)]


class Section(BaseModel):
    """A group of facts; unknown keys are errors, nothing is coerced."""

    model_config = ConfigDict(extra="forbid", frozen=True)


class Scenario(BaseModel):
    """One case: who, what, when, and optionally what the findings must be.

    The top-level keys are the engine's contract; the sections of facts are added by
    :func:`build_vocabulary` from the facts file, into a model of their own (``Scenario`` of a
    vocabulary), which every scenario of that rules folder is an instance of."""

    model_config = ConfigDict(extra="forbid", frozen=True, title="liability scenario (version 1)")

    vocabulary: ClassVar["Vocabulary"]
    """The vocabulary whose model this is."""

    id: str = Field(pattern=r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
    title: str | None = None
    facts_date: Date
    facts_end: Date | None = None
    judged_on: Date | None = Field(None, validate_default=True)
    regimes: list[str] | None = Field(None, max_length=MAX_NAMES)
    posture: Literal["hypothetical", "alleged", "established"] = "hypothetical"
    proceedings: list[str] | None = Field(None, max_length=MAX_NAMES)
    expect: dict[str, Union[Expected, dict[str, Expected]]] | None = Field(None, max_length=MAX_NAMES)

    @field_validator("facts_end", "judged_on")
    @classmethod
    def _not_before_the_facts(cls, value: dt.date | None, info: ValidationInfo) -> dt.date | None:
        start = info.data.get("facts_date")
        if value is not None and start is not None and value < start:
            what = "conduct cannot end before it starts" if info.field_name == "facts_end" else \
                "a case cannot be judged before its facts"
            raise PydanticCustomError("before_facts", "{field} is before facts_date ({start}): {what}",
                                      {"field": info.field_name, "start": str(start), "what": what})
        return value

    @field_validator("judged_on")
    @classmethod
    def _facts_have_taken_place(cls, value: dt.date | None, info: ValidationInfo) -> dt.date | None:
        start, today = info.data.get("facts_date"), utc_today()
        if value is None and start is not None and start > today:
            raise PydanticCustomError(
                "facts_in_future", "facts_date {facts_date} is after today ({today}) and no judged_on is given: "
                "give the date of assessment, or the date the conduct took place",
                {"facts_date": str(start), "today": str(today), "at": "facts_date"})
        return value

    @model_validator(mode="after")
    def _implications_hold(self) -> "Scenario":
        """A fact that is true rules out the values the facts file says it excludes (a person under
        15 is a minor): checked here so that the message names both facts."""
        for spec in type(self).vocabulary.facts.values():
            if not spec.implies or self.fact(spec.path) is not True:
                continue
            for other, value in spec.implies:
                stated = self.fact(other)
                if stated is not None and stated != value:
                    reason = f": {spec.implies_because.en}" if spec.implies_because else ""
                    raise PydanticCustomError(
                        "implied_fact", "{fact} is true but {other} is {stated}{reason}; correct one of them",
                        {"fact": spec.path, "other": other, "stated": _written(stated), "reason": reason,
                         "at": spec.path})
        return self

    @property
    def closed(self) -> bool:
        """Whether the scenario is a closed record (a pleading or a trial record), on which a fact
        not stated is not there, rather than an open hypothetical."""
        return self.posture != "hypothetical"

    @property
    def assessed_on(self) -> dt.date:
        """The date of assessment: `judged_on`, or today (UTC) when the scenario leaves it out."""
        return self.judged_on or utc_today()

    def fact(self, path: str) -> Any:
        """The value of a dotted fact path (``None`` when unknown)."""
        section, name = path.split(".", 1)
        return getattr(getattr(self, section), name)

    def with_facts(self, values: dict[str, Any]) -> "Scenario":
        """The scenario with these facts (dotted path -> value) set, without validation: for
        values that already passed it, or that a rule file declares."""
        sections: dict[str, dict[str, Any]] = {}
        for path, value in values.items():
            section, name = path.split(".", 1)
            sections.setdefault(section, {})[name] = value
        return self.model_copy(update={section: getattr(self, section).model_copy(update=update)
                                       for section, update in sections.items()})

    def record(self, unraised: frozenset[str] = frozenset()) -> "Scenario":
        """The facts as a court reads them. On a closed record, each fact the scenario does not
        state is :data:`NOT_SHOWN` (not alleged, or not proven) rather than unknown. In a
        hypothetical, so is each of the `unraised` facts left unknown (the facts of defences the
        defendant must raise: a defence nobody raised blocks nothing); the others stay open."""
        closing = None if self.closed else unraised
        if closing is not None and not closing:
            return self
        facts = type(self).vocabulary.facts
        update = {}
        for section in type(self).vocabulary.sections:
            values = getattr(self, section)
            unstated = {name: NOT_SHOWN for name, value in values.__dict__.items()
                        if value is None and facts[f"{section}.{name}"].kind != "text"
                        and (closing is None or f"{section}.{name}" in closing)}
            if unstated:
                update[section] = values.model_copy(update=unstated)
        return self.model_copy(update=update)


def _written(value: Any) -> str:
    return "true" if value is True else "false" if value is False else str(value)


TOP_LEVEL_KEYS = tuple(Scenario.model_fields)
"""The scenario's own keys, whose help the facts file gives (`keys:`)."""


@dataclass(frozen=True)
class Vocabulary:
    """What a scenario may state, as a rules folder declares it, and the model that checks it.

    `facts` maps each dotted path to its declaration; `sections` each section to its model;
    `model` is the scenario model with those sections (and the proceedings the jurisdictions
    declare); `keys` and `section_help` document the top-level keys and the sections, and
    `section_labels` are the sections' headings in words."""

    facts: dict[str, FactSpec]
    sections: dict[str, type[Section]]
    model: type[Scenario]
    proceedings: dict[str, Text]
    keys: dict[str, Text]
    section_help: dict[str, Text]
    section_labels: dict[str, Text]

    def allowed_keys(self, location: tuple[Any, ...]) -> list[str]:
        """The keys a scenario may write at `location` (for "did you mean")."""
        if len(location) == 1:
            return list(self.model.model_fields)
        if len(location) == 2 and location[0] in self.sections:
            return list(self.sections[location[0]].model_fields)
        if location[:1] == ("expect",) and len(location) in (3, 4):
            return list(Pinned.model_fields)
        return []

    def json_schema(self) -> dict[str, Any]:
        """The JSON Schema of the scenario format, for editors and validators."""
        schema = self.model.model_json_schema()
        schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
        return schema

    def is_fact_path(self, name: str) -> bool:
        """Whether a dotted name is a fact (its first part a section) rather than a conclusion."""
        return name.split(".", 1)[0] in self.sections


def build_vocabulary(facts: list[FactSpec], section_help: dict[str, Text], keys: dict[str, Text],
                     proceedings: dict[str, Text], section_labels: dict[str, Text]) -> Vocabulary:
    """The scenario model for these declarations: one section model per section, in the order the
    sections are documented, each fact a field validated as its kind says."""
    sections: dict[str, type[Section]] = {}
    for section, help_text in section_help.items():
        fields: dict[str, Any] = {}
        for spec in facts:
            if spec.section == section:
                extra = {"x-question": spec.question.model_dump()} if spec.question else None
                fields[spec.name] = (_annotation(spec), Field(None, description=spec.description,
                                                              json_schema_extra=extra))
        sections[section] = create_model(section.capitalize(), __base__=Section, __doc__=help_text.en, **fields)
    known = tuple(proceedings)
    proceeding = Literal[known] if known else str  # type: ignore[valid-type]
    overrides: dict[str, Any] = {}
    for name, info in Scenario.model_fields.items():
        field_info = copy.copy(info)
        field_info.description = keys[name].en if name in keys else None
        annotation = info.annotation
        if name == "proceedings":
            annotation = Union[list[proceeding], None]  # type: ignore[valid-type]
        elif name == "expect":
            annotation = Union[dict[str, Union[Expected, dict[proceeding, Expected]]], None]  # type: ignore[valid-type]
        overrides[name] = (annotation, field_info)
    for section, model in sections.items():
        overrides[section] = (model, Field(default_factory=model, description=section_help[section].en))
    model = create_model("Scenario", __base__=Scenario, __doc__=Scenario.__doc__, **overrides)
    vocabulary = Vocabulary({spec.path: spec for spec in facts}, sections, model, dict(proceedings), dict(keys),
                            dict(section_help), dict(section_labels))
    model.vocabulary = vocabulary
    return vocabulary


class ScenarioError(Exception):
    """A scenario file that does not follow the contract: one message per problem."""

    def __init__(self, problems: list[str], french: list[str] | None = None) -> None:
        self.problems = problems
        self.french = french
        """The same problems in French, one for one, where they were written in both languages
        (the page shows them to a French reader); None where only English was written."""
        super().__init__("\n".join(problems))

    def in_language(self, lang: str) -> list[str]:
        """The problems in `lang`, or in English where they have no French."""
        return self.french if lang == "fr" and self.french is not None else self.problems


def _real_location(location: tuple[Any, ...], data: Any) -> tuple[Any, ...]:
    """The error location as keys of the document, without the union-branch tags pydantic inserts
    (``literal['a','b']``, ``function-before[...]``...): a part is kept only if the document has it."""
    kept: list[Any] = []
    current = data
    for part in location:
        if isinstance(current, dict) and isinstance(part, str) and part in current:
            kept.append(part)
            current = current[part]
        elif isinstance(current, list) and isinstance(part, int) and 0 <= part < len(current):
            kept.append(part)
            current = current[part]
        elif isinstance(current, dict) and part not in current and not _is_branch_tag(part):
            kept.append(part)  # a missing key, or an unknown key being reported
            current = None
    return tuple(kept)


def _on_the_written_branch(location: tuple[Any, ...], data: Any) -> bool:
    """Whether an error under `expect` concerns the form the file wrote there. An expectation is a
    status, a mapping with a `status` (and the strength or penalty pinned), or a mapping of
    proceedings to either; pydantic tries every form and reports each failure, so only the
    failures of the form written are kept (a mapping with `status` is not a mapping of
    proceedings), one line per problem."""
    if location[:1] != ("expect",) or len(location) < 3 or not isinstance(data, dict):
        return True
    written = (data.get("expect") or {}).get(location[1]) if isinstance(data.get("expect"), dict) else None
    return _branch_matches(location[2:], written)


def _branch_matches(rest: tuple[Any, ...], written: Any) -> bool:
    tag = str(rest[0]) if rest else ""
    if not isinstance(written, dict):
        return tag.startswith("literal[")
    if "status" in written:
        return tag == "Pinned"
    if not tag.startswith("dict["):
        return False
    if len(rest) < 3 or rest[2] == "[key]":
        return True
    return _branch_matches(rest[2:], written.get(rest[1]))


def _is_branch_tag(part: Any) -> bool:
    return isinstance(part, str) and ("[" in part or part in ("bool", "int", "str", "date", "none", "Pinned"))


FRENCH_DETAILS = {
    "int_type": "attendu un nombre entier", "int_parsing": "attendu un nombre entier",
    "int_from_float": "attendu un nombre entier", "greater_than_equal": "attendu un nombre positif ou nul",
    "date_form": "attendu une date écrite AAAA-MM-JJ", "date_parsing": "attendu une date réelle écrite AAAA-MM-JJ",
    "date_from_datetime_parsing": "attendu une date réelle écrite AAAA-MM-JJ",
    "list_type": "attendu une liste", "string_type": "attendu un texte",
    "too_long": "la liste est trop longue",
}
"""The French of the detail of pydantic's own errors a scenario meets; a detail not listed here is
given in English, after a French introduction (the model's texts are pydantic's)."""


def _describe(error: dict[str, Any], document: Document, vocabulary: Vocabulary) -> Text:
    """One validation error as a located message, in English (what the command line prints) and in
    French (what the page shows to a French reader)."""
    at = error.get("ctx", {}).get("at")  # a check across keys names the key to correct
    location = tuple(at.split(".")) if at else _real_location(tuple(error["loc"]), document.data)
    where = document.where(location)
    key = dotted(location) or "(top level)"
    kind = error["type"]
    ctx = error.get("ctx", {})

    def said(en: str, fr: str) -> Text:
        return Text(en=f"{where}: {en}", fr=f"{where}\u00a0: {fr}")

    if kind == "extra_forbidden":
        name = str(location[-1])
        allowed = ", ".join(vocabulary.allowed_keys(location))
        close = difflib.get_close_matches(name, vocabulary.allowed_keys(location), n=1, cutoff=0.6)
        if close:
            return said(f"unknown key `{key}` - did you mean `{close[0]}`?",
                        f"clé inconnue `{key}` - vouliez-vous dire `{close[0]}`\u00a0?")
        return said(f"unknown key `{key}`; expected one of: {allowed}", f"clé inconnue `{key}`\u00a0; attendu l'une de\u00a0: {allowed}")
    if kind == "missing":
        return said(f"missing required key `{key}`", f"la clé obligatoire `{key}` manque")
    value = error.get("input")
    message = error["msg"]
    if kind == "literal_error":
        expected = ctx.get("expected", "")
        close = difflib.get_close_matches(str(value), [v.strip("'") for v in expected.replace(" or ", ", ").split(", ")], n=1)
        return said(f"`{key}` is `{shown(value)}`; expected {expected}" + (f" - did you mean `{close[0]}`?" if close else ""),
                    f"`{key}` vaut `{shown(value)}`\u00a0; attendu {expected.replace(' or ', ' ou ')}"
                    + (f" - vouliez-vous dire `{close[0]}`\u00a0?" if close else ""))
    if kind == "string_pattern_mismatch":
        if location[-1:] == ("id",):
            return said(f"`{key}` is `{shown(value)}`; expected a kebab-case id such as `paid-escort-ads`",
                        f"`{key}` vaut `{shown(value)}`\u00a0; attendu un identifiant en kebab-case, comme `paid-escort-ads`")
        return said(f"`{key}` is `{shown(value)}`; expected an ISO 3166 alpha-2 country code in capitals, such as `FR`",
                    f"`{key}` vaut `{shown(value)}`\u00a0; attendu un code de pays ISO 3166 alpha-2 en capitales, comme `FR`")
    if kind.startswith("bool"):
        return said(f"`{key}` is `{shown(value)}`; expected true, false or unknown",
                    f"`{key}` vaut `{shown(value)}`\u00a0; attendu true, false ou unknown")
    if kind == "before_facts":
        return said(f"`{key}` `{shown(value)}`: {message}",
                    f"`{key}` `{shown(value)}`\u00a0: {key} est antérieur à facts_date ({ctx['start']})\u00a0: "
                    + ("des agissements ne peuvent finir avant d'avoir commencé" if key == "facts_end"
                       else "une affaire ne peut être jugée avant ses faits"))
    if kind == "facts_in_future":
        return said(f"`{key}`: {message}", f"`{key}`\u00a0: facts_date {ctx['facts_date']} est postérieure à aujourd'hui "
                    f"({ctx['today']}) et aucune date judged_on n'est donnée\u00a0: donnez la date du jugement, ou la date des faits")
    if kind == "implied_fact":
        spec = vocabulary.facts[ctx["fact"]]
        reason = f"\u00a0: {spec.implies_because.fr}" if spec.implies_because else ""
        return said(f"`{key}`: {message}", f"`{key}`\u00a0: {ctx['fact']} est vrai mais {ctx['other']} vaut "
                    f"{ctx['stated']}{reason}\u00a0; corrigez l'un des deux")
    if message.startswith("Value error, "):
        message = message[len("Value error, "):]
    echoed = f" `{shown(value)}`" if isinstance(value, (str, int, float, bool, dt.date)) else ""
    detail = FRENCH_DETAILS.get(kind, f"(en anglais) {message}")
    return said(f"`{key}`{echoed}: {message}", f"`{key}`{echoed}\u00a0: {detail}")


def parse_scenario(document: Document, vocabulary: Vocabulary) -> Scenario:
    """Validate a parsed document against the vocabulary's model, with located, human messages."""
    if not isinstance(document.data, dict):
        raise ScenarioError([f"{document.where(())}: a scenario must be a mapping of keys to values"])
    try:
        return vocabulary.model.model_validate(document.data)
    except ValidationError as error:
        located: list[tuple[int, Text]] = []
        for item in error.errors():
            if not _on_the_written_branch(tuple(item["loc"]), document.data):
                continue
            message = _describe(item, document, vocabulary)
            at = item.get("ctx", {}).get("at")
            line = document.line_of(tuple(at.split(".")) if at else _real_location(tuple(item["loc"]), document.data))
            if all(message.en != known.en for _, known in located):
                located.append((line or 0, message))
        ordered = [message for _, message in sorted(located, key=lambda pair: pair[0])]
        raise ScenarioError([message.en for message in ordered], [message.fr for message in ordered]) from None


@dataclass(frozen=True)
class Known:
    """What the rule packs can answer, for checking a scenario's references to them: each regime,
    with each of its heads and the proceedings that head is decided in."""

    regimes: dict[str, dict[str, tuple[str, ...]]]


def _references(scenario: Scenario, document: Document, known: Known) -> list[Text]:
    """A regime the packs do not have, or an expectation no regime of the scenario can meet, is a
    mistake in the file: said where it is, rather than found out as an empty report."""
    problems: list[Text] = []

    def at(location: tuple[Any, ...], en: str, fr: str) -> None:
        where = document.where(location)
        problems.append(Text(en=f"{where}: {en}", fr=f"{where}\u00a0: {fr}"))

    for index, regime in enumerate(scenario.regimes or []):
        if regime not in known.regimes:
            close = difflib.get_close_matches(regime, list(known.regimes), n=1)
            listed = ", ".join(known.regimes)
            at(("regimes", index), f"`regimes` names `{shown(regime)}`, which no rule pack defines; expected one of: "
               f"{listed}" + (f" - did you mean `{close[0]}`?" if close else ""),
               f"`regimes` nomme `{shown(regime)}`, qu'aucun corpus de règles ne définit\u00a0; attendu l'un de\u00a0: "
               f"{listed}" + (f" - vouliez-vous dire `{close[0]}`\u00a0?" if close else ""))
    chosen = [r for r in scenario.regimes or known.regimes if r in known.regimes]
    if problems and not chosen:
        return problems  # every regime named is unknown: its expectations cannot be checked against any
    for key, expected in (scenario.expect or {}).items():
        regime, _, head = key.rpartition("/")
        regimes = [regime] if regime else chosen
        proceedings = {p for r in regimes for p in known.regimes.get(r, {}).get(head, ())}
        if not proceedings:
            heads = sorted({h for r in regimes for h in known.regimes.get(r, {})})
            close = difflib.get_close_matches(head, heads, n=1)
            hint = f" - did you mean `{close[0]}`?" if close else f"; the heads are: {', '.join(heads)}"
            indice = f" - vouliez-vous dire `{close[0]}`\u00a0?" if close else f"\u00a0; les questions sont\u00a0: {', '.join(heads)}"
            if ":" in key and not regime:
                example = shown(key.replace(':', '/', 1))
                hint = f"; a regime is named as `regime/head`, such as `{example}`"
                indice = f"\u00a0; un régime se nomme `régime/question`, comme `{example}`"
            named = ", ".join(map(shown, regimes))
            at(("expect", key), f"`expect` names `{shown(key)}`, which no regime of this scenario ({named}) decides{hint}",
               f"`expect` nomme `{shown(key)}`, qu'aucun régime de ce scénario ({named}) ne tranche{indice}")
        elif isinstance(expected, dict):
            for proceeding in expected:
                if proceeding not in proceedings:
                    listed = ", ".join(sorted(proceedings))
                    at(("expect", key, proceeding), f"`expect.{shown(key)}` names the proceeding `{proceeding}`, "
                       f"in which `{shown(head)}` is not decided; expected one of: {listed}",
                       f"`expect.{shown(key)}` nomme la procédure `{proceeding}`, où `{shown(head)}` n'est pas "
                       f"tranchée\u00a0; attendu l'une de\u00a0: {listed}")
    return problems


def load_scenario(path: Path | str, vocabulary: Vocabulary, known: Known | None = None,
                  data: bytes | None = None) -> Scenario:
    """Read and validate one scenario file (YAML or JSON) against a vocabulary; with `known`, also
    check that the regimes and expectations it names exist in the rule packs. `data` is the
    content already read (standard input), parsed as if it were the file `path` names."""
    try:
        document = read_document(path, data)
    except SourceError as error:
        raise ScenarioError([str(error)]) from None
    scenario = parse_scenario(document, vocabulary)
    problems = _references(scenario, document, known) if known is not None else []
    if problems:
        raise ScenarioError([problem.en for problem in problems], [problem.fr for problem in problems])
    return scenario


SCENARIO_SUFFIXES = (".yaml", ".yml", ".json")

__all__ = [
    "NOT_SHOWN", "FactSpec", "Known", "Pinned", "Scenario", "ScenarioError", "UNKNOWN", "Vocabulary", "build_vocabulary",
    "load_scenario", "parse_scenario", "SCENARIO_SUFFIXES",
]

