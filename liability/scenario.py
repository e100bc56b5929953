"""The scenario: the facts of a case, as a user writes them (input contract, version 1).

The pydantic models below are the single source of truth for the fact vocabulary: validation,
error locations, the JSON Schema printed by ``liability scenario schema`` and the list of fact
paths a rule may test (:func:`fact_vocabulary`) all come from them.

Every boolean fact is three-valued. A fact the user leaves out (or writes as ``unknown``) is
*unknown*, never false: the engine must show what hangs on it. Internally unknown is ``None``.
"""

from __future__ import annotations

import datetime as dt
import difflib
import functools
import re
import typing
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any, Literal, Union

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StrictBool,
    StrictInt,
    ValidationError,
    ValidationInfo,
    field_validator,
)
from pydantic_core import PydanticCustomError

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


def _utc_today() -> dt.date:
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

Countries = Annotated[Union[list[Country], None], BeforeValidator(_known)]
OneCountry = Annotated[Union[Country, None], BeforeValidator(_known)]


def _choice(*values: str) -> Any:
    """A closed enumeration that may also be unknown."""
    return Annotated[Union[Literal[values], None], BeforeValidator(_known)]  # type: ignore[valid-type]


Status = Literal["met", "not_met", "liable", "not_liable", "applies", "lost", "not_applicable",
                 "breached", "complied", "undetermined"]
Proceeding = Literal["criminal", "civil", "administrative", "federal_criminal", "state_criminal",
                     "federal_civil", "state_civil"]


class Section(BaseModel):
    """A group of facts; unknown keys are errors, nothing is coerced."""

    model_config = ConfigDict(extra="forbid", frozen=True)


class Actor(Section):
    """The party whose liability is assessed."""

    name: str | None = Field(None, description="Name of the party (free text)")
    person: _choice("legal", "natural") = Field(None, description="Legal or natural person")
    position: _choice("operator", "executive", "employee", "third_party_host", "access_provider",
                      "search_engine", "payment_provider", "vendor") = Field(
        None, description="Its position with respect to the service")
    nationality: OneCountry = Field(None, description="ISO alpha-2 nationality or seat")
    organs_acted_on_its_behalf: TriBool = Field(
        None, description="For a legal person: its organs or representatives committed the acts on its behalf")


class Service(Section):
    """The online service through which the content circulates."""

    kind: _choice("classifieds", "social_network", "messaging", "search_engine", "hosting",
                  "marketplace", "cam_site", "dating", "video_sharing", "forum", "print",
                  "telematic") = Field(None, description="What kind of service it is")
    established_in: OneCountry = Field(None, description="Where the provider is established")
    targets: Countries = Field(None, max_length=MAX_COUNTRIES, description="Publics the service is aimed at")
    audience: _choice("public", "private") = Field(
        None, description="public: an undetermined public; private: closed correspondence")
    stores_user_content: TriBool = Field(None, description="Stores content provided by its users")
    adult_section: TriBool = Field(None, description="Has a dedicated adult or escort category")
    eu_monthly_users: Count = Field(None, description="Average monthly active users in the EU")


class Content(Section):
    """The content at issue and the activity it offers."""

    kind: _choice("prostitution_ads", "cam_shows", "pornography", "trafficking_ads", "csam",
                  "other") = Field(None, description="What the content is")
    remunerated: TriBool = Field(None, description="Sexual services in exchange for payment or advantage")
    physical_contact: TriBool = Field(None, description="The services involve physical contact")
    explicitness: _choice("explicit", "coded") = Field(
        None, description="explicit (manifestly illicit) or coded")
    author: _choice("third_party", "platform", "co_authored") = Field(
        None, description="Who wrote the content")
    promotion_legal_where_targeted: TriBool = Field(
        None, description="Promoting the services is lawful where the service is targeted")
    posted_by_exploiters: TriBool = Field(
        None, description="Ads are posted by pimps or traffickers for the persons they exploit")


class Victims(Section):
    """The persons whose prostitution or exploitation is involved."""

    minors: TriBool = Field(None, description="Some are minors (under 18)")
    under_15: TriBool = Field(None, description="Some are under 15")
    count: Count = Field(None, description="Number of persons involved")
    coercion: TriBool = Field(None, description="Force, fraud, coercion or violence is used on them")
    vulnerable: TriBool = Field(None, description="A particular vulnerability is apparent or known")
    recruited_abroad: TriBool = Field(None, description="Incited to prostitution abroad or on arrival")
    threat_to_life_or_safety: TriBool = Field(None, description="Their life or safety is threatened")
    residence: Countries = Field(None, max_length=MAX_COUNTRIES, description="Where they live (ISO alpha-2 codes)")
    torture_or_barbarity: TriBool = Field(None, description="Torture or acts of barbarity are used on them")

    @field_validator("under_15")
    @classmethod
    def _a_child_is_a_minor(cls, value: bool | None, info: ValidationInfo) -> bool | None:
        if value is True and info.data.get("minors") is False:
            raise ValueError("under_15 is true but minors is false: a person under 15 is a minor; correct one of them")
        return value


class Money(Section):
    """How the service earns money from the content."""

    posting_fees: TriBool = Field(None, description="Charges to publish in the adult section")
    promotion_fees: TriBool = Field(None, description="Sells boosts or premium placement of those ads")
    advertising_revenue: TriBool = Field(None, description="Earns indirect revenue from the audience")
    share_of_proceeds: TriBool = Field(None, description="Takes a share of prostitution earnings")


class Knowledge(Section):
    """What the actor knew."""

    general_awareness: TriBool = Field(None, description="Knows the section is used for prostitution")
    specific_notice: TriBool = Field(None, description="Received a notice identifying specific items")
    notice_from: _choice("user", "trusted_flagger", "authority", "court") = Field(
        None, description="Who sent the notice")
    notice_complete: TriBool = Field(
        None, description="The notice contains what the law requires to presume knowledge")
    actual_knowledge: TriBool = Field(None, description="Knows of specific illicit items")
    knows_minors: TriBool = Field(None, description="Knows minors are involved")
    knows_coercion: TriBool = Field(None, description="Knows force, fraud or coercion is used")
    reckless_disregard: TriBool = Field(None, description="Recklessly disregards the facts")
    knows_exploiters: TriBool = Field(
        None, description="Knows specific users are pimps or traffickers advertising the persons they exploit")
    aware_of_apparent_illegality: TriBool = Field(
        None, description="Aware of facts or circumstances from which the illegality of specific items is apparent")
    should_have_known: TriBool = Field(
        None, description="Should have known the venture engaged in sex trafficking (constructive knowledge)")


class Response(Section):
    """What the actor did about the content."""

    removed_expeditiously: TriBool = Field(None, description="Removed the content promptly once known")
    notice_mechanism: TriBool = Field(None, description="Offers a public, accessible reporting tool")
    informs_authorities: TriBool = Field(None, description="Informs the authorities of reported content")
    publishes_means: TriBool = Field(
        None, description="Makes public the means it devotes to fighting the illicit activities")
    statement_of_reasons: TriBool = Field(
        None, description="Gives affected users a statement of reasons when it removes or restricts content")
    risk_assessment: TriBool = Field(
        None, description="Assesses the systemic risks of its service (illegal content, minors, gender-based violence)")
    risk_mitigation: TriBool = Field(
        None, description="Takes reasonable, proportionate measures to mitigate those risks")


class Conduct(Section):
    """What the actor does beyond storing the content."""

    edits_content: TriBool = Field(None, description="Shapes or sanitises the ads (material contribution)")
    coaches_posters: TriBool = Field(None, description="Tells posters how to get past filters")
    promotes_or_optimises: TriBool = Field(None, description="Optimises or promotes the offers (active role)")
    intent_to_facilitate: TriBool = Field(
        None, description="Intends to promote the prostitution of specific persons")
    participates_in_venture: TriBool = Field(None, description="Knowingly assists a trafficking venture")
    organised_gang: TriBool = Field(None, description="Acts as an organised gang")
    several_perpetrators: TriBool = Field(
        None, description="Several persons act as authors or accomplices (not an organised gang)")
    proactive_filtering: TriBool = Field(None, description="Runs voluntary proactive detection")
    recruits_for_prostitution: TriBool = Field(
        None, description="Hires, trains, diverts or pressures a person into prostitution")
    mutual_aid_purpose: TriBool = Field(
        None, description="The service is mutual aid among persons in prostitution, preserving their dignity")
    controls_posters: TriBool = Field(
        None, description="The users who post act under its authority or control (e.g. it sets their prices)")
    harm_from_own_design: TriBool = Field(
        None, description="The claim rests on its own product design or a duty independent of the content posted")


SECTIONS: dict[str, type[Section]] = {
    "actor": Actor, "service": Service, "content": Content, "victims": Victims,
    "money": Money, "knowledge": Knowledge, "response": Response, "conduct": Conduct,
}

ExpectedStatus = Union[Status, dict[Proceeding, Status]]


class Scenario(BaseModel):
    """One case: who, what, when, and optionally what the findings must be."""

    model_config = ConfigDict(extra="forbid", frozen=True, title="liability scenario (version 1)")

    id: str = Field(pattern=r"^[a-z0-9]+(?:-[a-z0-9]+)*$", description="kebab-case, unique in a library")
    title: str | None = Field(None, description="One line saying what the case is")
    facts_date: Date = Field(description="When the conduct took place (its start)")
    facts_end: Date | None = Field(None, description="When the conduct ended, if it lasted: where a pack judges "
                                      "lasting conduct by the law at its end, a change of the law while it went on "
                                      "applies to the part after the change")
    judged_on: Date | None = Field(None, description="When the case is assessed; default today (UTC)",
                                      validate_default=True)
    regimes: list[str] | None = Field(None, max_length=MAX_NAMES, description="Regimes to apply; default every regime")
    posture: Literal["hypothetical", "alleged", "established"] = Field(
        "hypothetical", description=(
            "hypothetical (default): an open question, unknown facts stay open and findings say what "
            "hangs on them; alleged (motion to dismiss, demurrer, judgment on the pleadings): a closed "
            "record, a fact not stated is not alleged; established (trial, plea, undisputed record): a "
            "closed record, a fact not stated is not proven. On a closed record every finding is "
            "decided by the burden of proof."))
    actor: Actor = Actor()
    service: Service = Service()
    content: Content = Content()
    victims: Victims = Victims()
    money: Money = Money()
    knowledge: Knowledge = Knowledge()
    response: Response = Response()
    conduct: Conduct = Conduct()
    proceedings: list[Proceeding] | None = Field(
        None, max_length=MAX_NAMES, description="Kinds of proceedings to assess; default every kind the regimes know")
    expect: dict[str, ExpectedStatus] | None = Field(
        None, max_length=MAX_NAMES, description="Head id -> expected status (or proceeding -> status)")

    @field_validator("facts_end", "judged_on")
    @classmethod
    def _not_before_the_facts(cls, value: dt.date | None, info: ValidationInfo) -> dt.date | None:
        start = info.data.get("facts_date")
        if value is not None and start is not None and value < start:
            what = "conduct cannot end before it starts" if info.field_name == "facts_end" else \
                "a case cannot be judged before its facts"
            raise ValueError(f"{info.field_name} is before facts_date ({start}): {what}")
        return value

    @field_validator("judged_on")
    @classmethod
    def _facts_have_taken_place(cls, value: dt.date | None, info: ValidationInfo) -> dt.date | None:
        start, today = info.data.get("facts_date"), _utc_today()
        if value is None and start is not None and start > today:
            raise PydanticCustomError(
                "facts_in_future", "facts_date {facts_date} is after today ({today}) and no judged_on is given: "
                "give the date of assessment, or the date the conduct took place",
                {"facts_date": str(start), "today": str(today), "at": "facts_date"})
        return value

    @property
    def closed(self) -> bool:
        """Whether the scenario is a closed record (a pleading or a trial record), on which a fact
        not stated is not there, rather than an open hypothetical."""
        return self.posture != "hypothetical"

    @property
    def assessed_on(self) -> dt.date:
        """The date of assessment: `judged_on`, or today (UTC) when the scenario leaves it out."""
        return self.judged_on or _utc_today()

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
        update = {}
        for section in SECTIONS:
            values = getattr(self, section)
            unstated = {name: NOT_SHOWN for name, value in values.__dict__.items()
                        if value is None and _vocabulary()[f"{section}.{name}"].kind != "text"
                        and (closing is None or f"{section}.{name}" in closing)}
            if unstated:
                update[section] = values.model_copy(update=unstated)
        return self.model_copy(update=update)


@dataclass(frozen=True)
class FactSpec:
    """What a fact path holds, so rule conditions can be checked against it."""

    path: str
    kind: Literal["bool", "choice", "count", "country", "countries", "text"]
    values: tuple[Any, ...] = ()
    description: str = ""


def _spec(path: str, annotation: Any, description: str) -> FactSpec:
    args = [a for a in typing.get_args(annotation) if a is not type(None)]
    flat: list[Any] = []
    for arg in args or [annotation]:
        flat.extend(typing.get_args(arg) or [arg]) if typing.get_origin(arg) is Union else flat.append(arg)
    for arg in flat:
        if arg == Country:
            return FactSpec(path, "country", (), description)
        origin = typing.get_origin(arg)
        if origin is Literal:
            return FactSpec(path, "choice", typing.get_args(arg), description)
        if origin is list:
            return FactSpec(path, "countries", (), description)
        if origin is Annotated:
            base = typing.get_args(arg)[0]
            if base is bool:
                return FactSpec(path, "bool", (True, False), description)
            if base is int:
                return FactSpec(path, "count", (), description)
            if base is str:
                return FactSpec(path, "text", (), description)
        if arg is bool:
            return FactSpec(path, "bool", (True, False), description)
        if arg is str:
            return FactSpec(path, "text", (), description)
    raise TypeError(f"no fact kind for {path}: {annotation!r}")


def fact_vocabulary() -> dict[str, FactSpec]:
    """Every fact path a rule may test, with its kind and, for enumerations, its values (a copy:
    the vocabulary is built once per process)."""
    return dict(_vocabulary())


@functools.cache
def _vocabulary() -> dict[str, FactSpec]:
    vocabulary = {}
    for section, model in SECTIONS.items():
        for name, info in model.model_fields.items():
            path = f"{section}.{name}"
            vocabulary[path] = _spec(path, info.annotation, info.description or "")
    return vocabulary


class ScenarioError(Exception):
    """A scenario file that does not follow the contract: one message per problem."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        super().__init__("\n".join(problems))


def _allowed_keys(location: tuple[Any, ...]) -> list[str]:
    if len(location) == 1:
        return list(Scenario.model_fields)
    if len(location) == 2 and location[0] in SECTIONS:
        return list(SECTIONS[location[0]].model_fields)
    return []


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


def _is_branch_tag(part: Any) -> bool:
    return isinstance(part, str) and ("[" in part or part in ("bool", "int", "str", "date", "none"))


def _describe(error: dict[str, Any], document: Document) -> str:
    at = error.get("ctx", {}).get("at")  # a check across keys names the key to correct
    location = (at,) if at else _real_location(tuple(error["loc"]), document.data)
    where = document.where(location)
    key = dotted(location) or "(top level)"
    kind = error["type"]
    if kind == "extra_forbidden":
        name = str(location[-1])
        close = difflib.get_close_matches(name, _allowed_keys(location), n=1, cutoff=0.6)
        hint = f" - did you mean `{close[0]}`?" if close else f"; expected one of: {', '.join(_allowed_keys(location))}"
        return f"{where}: unknown key `{key}`{hint}"
    if kind == "missing":
        return f"{where}: missing required key `{key}`"
    value = error.get("input")
    message = error["msg"]
    if kind == "literal_error":
        expected = error.get("ctx", {}).get("expected", "")
        close = difflib.get_close_matches(str(value), [v.strip("'") for v in expected.replace(" or ", ", ").split(", ")], n=1)
        hint = f" - did you mean `{close[0]}`?" if close else ""
        return f"{where}: `{key}` is `{shown(value)}`; expected {expected}{hint}"
    if kind == "string_pattern_mismatch":
        wanted = "a kebab-case id such as `paid-escort-ads`" if location[-1:] == ("id",) else \
            "an ISO 3166 alpha-2 country code in capitals, such as `FR`"
        return f"{where}: `{key}` is `{shown(value)}`; expected {wanted}"
    if kind.startswith("bool"):
        return f"{where}: `{key}` is `{shown(value)}`; expected true, false or unknown"
    if message.startswith("Value error, "):
        message = message[len("Value error, "):]
    echoed = f" `{shown(value)}`" if isinstance(value, (str, int, float, bool, dt.date)) else ""
    return f"{where}: `{key}`{echoed}: {message}"


def parse_scenario(document: Document) -> Scenario:
    """Validate a parsed document against the contract, with located, human messages."""
    if not isinstance(document.data, dict):
        raise ScenarioError([f"{document.where(())}: a scenario must be a mapping of keys to values"])
    try:
        return Scenario.model_validate(document.data)
    except ValidationError as error:
        located = []
        for item in error.errors():
            message = _describe(item, document)
            line = document.line_of(_real_location(tuple(item["loc"]), document.data))
            if all(message != known for _, known in located):
                located.append((line or 0, message))
        raise ScenarioError([message for _, message in sorted(located, key=lambda pair: pair[0])]) from None


@dataclass(frozen=True)
class Known:
    """What the rule packs can answer, for checking a scenario's references to them: each regime,
    with each of its heads and the proceedings that head is decided in."""

    regimes: dict[str, dict[str, tuple[str, ...]]]


def _references(scenario: Scenario, document: Document, known: Known) -> list[str]:
    """A regime the packs do not have, or an expectation no regime of the scenario can meet, is a
    mistake in the file: said where it is, rather than found out as an empty report."""
    problems = []

    def at(location: tuple[Any, ...], message: str) -> None:
        problems.append(f"{document.where(location)}: {message}")

    for index, regime in enumerate(scenario.regimes or []):
        if regime not in known.regimes:
            close = difflib.get_close_matches(regime, list(known.regimes), n=1)
            hint = f" - did you mean `{close[0]}`?" if close else ""
            at(("regimes", index), f"`regimes` names `{shown(regime)}`, which no rule pack defines; "
               f"expected one of: {', '.join(known.regimes)}{hint}")
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
            at(("expect", key), f"`expect` names `{shown(key)}`, which no regime of this scenario "
               f"({', '.join(map(shown, regimes))}) decides{hint}")
        elif isinstance(expected, dict):
            for proceeding in expected:
                if proceeding not in proceedings:
                    at(("expect", key, proceeding), f"`expect.{shown(key)}` names the proceeding `{proceeding}`, "
                       f"in which `{shown(head)}` is not decided; expected one of: {', '.join(sorted(proceedings))}")
    return problems


def load_scenario(path: Path | str, known: Known | None = None, data: bytes | None = None) -> Scenario:
    """Read and validate one scenario file (YAML or JSON); with `known`, also check that the
    regimes and expectations it names exist in the rule packs. `data` is the content already
    read (standard input), parsed as if it were the file `path` names."""
    try:
        document = read_document(path, data)
    except SourceError as error:
        raise ScenarioError([str(error)]) from None
    scenario = parse_scenario(document)
    problems = _references(scenario, document, known) if known is not None else []
    if problems:
        raise ScenarioError(problems)
    return scenario


def json_schema() -> dict[str, Any]:
    """The JSON Schema of the scenario format, for editors and validators."""
    schema = Scenario.model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    return schema


SCENARIO_SUFFIXES = (".yaml", ".yml", ".json")

__all__ = [
    "NOT_SHOWN", "Known", "Scenario", "ScenarioError", "FactSpec", "SECTIONS", "UNKNOWN", "fact_vocabulary",
    "json_schema", "load_scenario", "parse_scenario", "SCENARIO_SUFFIXES",
]

