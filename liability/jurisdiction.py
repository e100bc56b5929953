"""Jurisdiction descriptors: what is national about a jurisdiction, declared beside its packs.

Each folder of packs (``rules/fr/``) holds a ``jurisdiction.yaml`` that says what the engine would
otherwise have to know: the sites whose texts are official for it, the currencies its penalties
are written in and how their fines compare, the proceedings in which its heads are decided and the
natures of its penalties, each with its label in both languages. The engine reads them and knows
none of it, so a new jurisdiction is a new folder, not a change of code.

Fines are compared, to find the most severe penalty at stake, only where the law itself fixes the
rate between their currencies (the franc's 6.55957 to the euro, Council Regulation (EC) No 2866/98):
a market rate is not law and changes daily, so a regime whose fines would need one is refused.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable

from pydantic import Field, ValidationError, field_validator

from .scenario import Date
from .schema import HOST_NAME, RuleError, Strict, Text, official, pydantic_problems
from .sources import SourceError, read_document, shown

FILE = "jurisdiction.yaml"
NAME = re.compile(r"^[a-z][a-z0-9_]*$")
"""A proceeding's or a penalty nature's name: what scenarios and packs write."""


class FixedRate(Strict):
    """A conversion rate set by law, once and for all: `units` of the currency make one `of`."""

    of: str = Field(pattern=r"^[A-Z]{3}$")
    units: float = Field(gt=0)
    cites: str = Field(min_length=1)
    url: str = Field(min_length=1)


class Currency(Strict):
    code: str = Field(pattern=r"^[A-Z]{3}$")
    """The ISO 4217 code, as penalties write it."""
    name: Text
    fixed_rate: FixedRate | None = None


class Descriptor(Strict):
    """A ``jurisdiction.yaml`` as written."""

    jurisdiction: str = Field(pattern=r"^[A-Z]{2}$")
    title: Text
    checked_on: Date
    official_hosts: list[str] = Field(min_length=1)
    currencies: list[Currency] = []
    proceedings: dict[str, Text] = Field(min_length=1)
    penalty_natures: dict[str, Text] = {}

    @field_validator("official_hosts")
    @classmethod
    def _host_names(cls, hosts: list[str]) -> list[str]:
        for host in hosts:
            if not re.fullmatch(HOST_NAME, host, re.ASCII) or "." not in host:
                raise ValueError(f"`{shown(host)}` is not a host name in lower case, such as `www.example.org`")
        return hosts

    @field_validator("proceedings")
    @classmethod
    def _proceeding_names(cls, names: dict[str, Text]) -> dict[str, Text]:
        for name in names:
            if not NAME.match(name):
                raise ValueError(f"`{shown(name)}` is not a name in lower case with underscores, such as "
                                 "`federal_civil`")
        return names

    @field_validator("penalty_natures")
    @classmethod
    def _nature_names(cls, names: dict[str, Text]) -> dict[str, Text]:
        for name in names:  # the law's own word, accents included (`délit`)
            if not (re.fullmatch(r"\w+", name) and name.islower()):
                raise ValueError(f"`{shown(name)}` is not a word in lower case, such as `felony` or `délit`")
        return names


@dataclass(frozen=True)
class Jurisdiction:
    """A jurisdiction's descriptor, read and checked, with the file it was read from."""

    file: str
    descriptor: Descriptor

    @property
    def code(self) -> str:
        return self.descriptor.jurisdiction

    @property
    def hosts(self) -> tuple[str, ...]:
        return tuple(self.descriptor.official_hosts)

    @property
    def currencies(self) -> dict[str, Currency]:
        return {currency.code: currency for currency in self.descriptor.currencies}

    @property
    def proceedings(self) -> dict[str, Text]:
        return self.descriptor.proceedings

    @property
    def natures(self) -> dict[str, Text]:
        return self.descriptor.penalty_natures


def load_jurisdiction(path: Path) -> Jurisdiction:
    """Read and check one descriptor (raise :class:`RuleError` with every problem found)."""
    name = str(path)
    try:
        document = read_document(path)
    except SourceError as error:
        raise RuleError([str(error)]) from None
    try:
        descriptor = Descriptor.model_validate(document.data)
    except ValidationError as error:
        raise RuleError(pydantic_problems(name, error, document, document.data)) from None
    problems = []
    codes = [c.code for c in descriptor.currencies]
    for index, currency in enumerate(descriptor.currencies):
        where = f"{name}:{document.line_of(('currencies', index)) or ''}: currency {currency.code}"
        if codes.count(currency.code) > 1:
            problems.append(f"{where}: declared twice")
        rate = currency.fixed_rate
        if rate is None:
            continue
        if rate.of not in codes or rate.of == currency.code:
            problems.append(f"{where}: fixed_rate: `of` names `{rate.of}`, which is not another currency of this file")
        elif next(c for c in descriptor.currencies if c.code == rate.of).fixed_rate is not None:
            problems.append(f"{where}: fixed_rate: `{rate.of}` is itself fixed against another currency; "
                            "give the rate to the currency it is fixed against")
        if not official(rate.url, descriptor.official_hosts):
            problems.append(f"{where}: fixed_rate: url `{shown(rate.url)}` is not an https address on one of "
                            "this file's official hosts")
    if problems:
        raise RuleError(problems)
    return Jurisdiction(name, descriptor)


def load_jurisdictions(directory: Path) -> dict[str, Jurisdiction]:
    """Every descriptor of a rules folder, by the folder it describes relative to the rules
    folder (`fr`; `.` for packs kept in the rules folder itself)."""
    found: dict[str, Jurisdiction] = {}
    problems: list[str] = []
    for path in sorted([directory / FILE] + list(directory.glob(f"*/{FILE}"))):
        if not path.is_file():
            continue
        try:
            found[path.parent.relative_to(directory).as_posix()] = load_jurisdiction(path)
        except RuleError as error:
            problems.extend(error.problems)
    codes: dict[str, str] = {}
    for jurisdiction in found.values():
        if jurisdiction.code in codes:
            problems.append(f"{jurisdiction.file}: jurisdiction `{jurisdiction.code}` is also described by "
                            f"{codes[jurisdiction.code]}")
        codes[jurisdiction.code] = jurisdiction.file
    problems += _disagreements(found.values())
    if problems:
        raise RuleError(problems)
    return found


def _disagreements(jurisdictions: Iterable[Jurisdiction]) -> list[str]:
    """A proceeding two jurisdictions both declare must have the same labels: a scenario names it
    once, for every regime (the French and EU regimes both decide `criminal` cases)."""
    labels: dict[str, tuple[Text, str]] = {}
    problems = []
    for jurisdiction in jurisdictions:
        for proceeding, label in jurisdiction.proceedings.items():
            if proceeding in labels and labels[proceeding][0] != label:
                problems.append(f"{jurisdiction.file}: proceeding `{proceeding}` is labelled differently in "
                                f"{labels[proceeding][1]}: a proceeding has one label in each language")
            labels.setdefault(proceeding, (label, jurisdiction.file))
    return problems


def proceedings(jurisdictions: Iterable[Jurisdiction]) -> dict[str, Text]:
    """Every proceeding the jurisdictions declare, with its labels, in the order declared."""
    result: dict[str, Text] = {}
    for jurisdiction in jurisdictions:
        for proceeding, label in jurisdiction.proceedings.items():
            result.setdefault(proceeding, label)
    return result


def all_hosts(jurisdictions: Iterable[Jurisdiction]) -> tuple[str, ...]:
    """The official hosts of every jurisdiction, for files that belong to none (the facts file)."""
    return tuple(dict.fromkeys(host for j in jurisdictions for host in j.hosts))
