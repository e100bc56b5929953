"""What a rules folder declares besides its rules: the facts, their deductions, the jurisdictions.

The facts file (``facts.yaml``) declares every fact once, with its kind, its question and help in
both languages, what it implies and, where a court draws it from other facts, its deduction; each
folder of packs has its jurisdiction descriptor. From them this module builds the scenario model
(:func:`liability.scenario.build_vocabulary`), so that a new fact or a new jurisdiction is a change
to the rules folder only, as Publicodes declares each input as a rule of the model.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import Field, ValidationError

from . import conditions
from .bundled import rules_dir
from .deductions import Deduction, DeductionData, parse_deduction
from .jurisdiction import Jurisdiction, all_hosts, load_jurisdictions, proceedings
from .scenario import TOP_LEVEL_KEYS, FactKind, FactSpec, Vocabulary, build_vocabulary
from .schema import RuleError, Strict, Text, pydantic_problems
from .sources import Document, SourceError, read_document, shown

FACTS_FILE = "facts.yaml"
SECTION_NAME = re.compile(r"^[a-z][a-z_]{2,}$")
"""Three letters at least: a conclusion starts with a two-letter jurisdiction (`fr.`), and a name
with a section's first part is read as a fact."""
FACT_NAME = re.compile(r"^[a-z][a-z0-9]*(?:_[a-z0-9]+)*$")
"""Lower case and single underscores: the engine's facts cannot hold a double underscore."""
VALUE_NAME = re.compile(r"^[a-z0-9]+(?:_[a-z0-9]+)*$")


class Implication(Strict):
    facts: dict[str, Any] = Field(min_length=1)
    because: Text


class FactData(Strict):
    """A fact as the facts file writes it."""

    kind: FactKind
    values: list[str] = []
    labels: dict[str, Text] = {}
    """For a choice: the words for each value, in both languages, that reports print for it."""
    question: Text
    help: Text
    implies: Implication | None = None
    deduction: DeductionData | None = None


class SectionData(Strict):
    """A group of facts: its heading where a form or a report lists them, and what it covers."""

    label: Text
    help: Text


class FactsFileData(Strict):
    keys: dict[str, Text]
    sections: dict[str, SectionData] = Field(min_length=1)
    facts: dict[str, FactData] = Field(min_length=1)


@dataclass(frozen=True)
class Declarations:
    """A rules folder's facts, deductions and jurisdictions, read and checked together."""

    vocabulary: Vocabulary
    deductions: tuple[Deduction, ...]
    jurisdictions: dict[str, Jurisdiction]
    """By the name of the folder each describes (``fr``)."""


def load_declarations(directory: Path) -> Declarations:
    """Read a rules folder's facts file and jurisdiction descriptors; raise :class:`RuleError`
    listing every problem found, each with its file and line."""
    jurisdictions = load_jurisdictions(directory)
    path = directory / FACTS_FILE
    try:
        document = read_document(path)
    except SourceError as error:
        raise RuleError([str(error)]) from None
    try:
        data = FactsFileData.model_validate(document.data)
    except ValidationError as error:
        raise RuleError(pydantic_problems(str(path), error, document, document.data)) from None
    problems = _shape_problems(str(path), data, document)
    if problems:
        raise RuleError(problems)
    specs = [FactSpec(fact, raw.kind, tuple(raw.values) if raw.kind == "choice" else
                      (True, False) if raw.kind == "bool" else (), raw.question, raw.help,
                      labels=tuple(raw.labels.items()))
             for fact, raw in data.facts.items()]
    by_path = {spec.path: spec for spec in specs}
    for index, spec in enumerate(specs):
        implies = data.facts[spec.path].implies
        if implies is None:
            continue
        where = f"{path}:{document.line_of(('facts', spec.path, 'implies')) or ''}: fact {spec.path}: implies"
        pairs = []
        for other, value in implies.facts.items():
            try:
                test = conditions.parse({"fact": other, "is": value}, by_path)
            except conditions.ConditionError as error:
                problems.append(f"{where}: {error}")
                continue
            pairs.append((other, test.value))
        if spec.kind != "bool":
            problems.append(f"{where}: only a true/false fact implies others (`{spec.path}` is a {spec.kind} fact)")
        specs[index] = FactSpec(spec.path, spec.kind, spec.values, spec.question, spec.help, tuple(pairs),
                                implies.because, spec.labels)
    vocabulary = build_vocabulary(specs, {name: section.help for name, section in data.sections.items()},
                                  dict(data.keys), proceedings(jurisdictions.values()),
                                  {name: section.label for name, section in data.sections.items()})
    hosts = all_hosts(jurisdictions.values())
    deductions = []
    for fact, raw in data.facts.items():
        if raw.deduction is None:
            continue
        where = f"{path}:{document.line_of(('facts', fact, 'deduction')) or ''}: deduction of `{fact}`"
        deduction, found = parse_deduction(fact, raw.deduction, vocabulary.facts, hosts, where)
        problems += found
        if deduction is not None:
            deductions.append(deduction)
    if problems:
        raise RuleError(problems)
    return Declarations(vocabulary, tuple(deductions), jurisdictions)


def _shape_problems(file: str, data: FactsFileData, document: Document) -> list[str]:
    """What the facts file's schema cannot say: names, sections and values well formed, every
    top-level key documented and no other."""
    problems = []

    def at(location: tuple[Any, ...], message: str) -> None:
        problems.append(f"{file}:{document.line_of(location) or ''}: {message}")

    for key in TOP_LEVEL_KEYS:
        if key not in data.keys:
            at(("keys",), f"keys: the scenario key `{key}` has no help")
    for key in data.keys:
        if key not in TOP_LEVEL_KEYS:
            at(("keys", key), f"keys: `{shown(key)}` is not a top-level key of a scenario; "
                              f"expected one of: {', '.join(TOP_LEVEL_KEYS)}")
    for section in data.sections:
        if not SECTION_NAME.match(section) or section in TOP_LEVEL_KEYS:
            at(("sections", section), f"section `{shown(section)}`: expected a name of three letters or more, in "
                                      "lower case, that is not a top-level key (a two-letter name reads as a "
                                      "jurisdiction's conclusion)")
    for fact, raw in data.facts.items():
        where = ("facts", fact)
        section, _, name = fact.partition(".")
        if section not in data.sections:
            at(where, f"fact `{shown(fact)}`: expected `section.name` with a section declared under `sections` "
                      f"({', '.join(data.sections)})")
        elif not FACT_NAME.match(name):
            at(where, f"fact `{shown(fact)}`: expected a name in lower case with single underscores, such as "
                      "`posting_fees`")
        if raw.kind == "choice":
            if not raw.values:
                at(where, f"fact {shown(fact)}: a choice lists its `values`")
            for value in raw.values:
                if not VALUE_NAME.match(value) or value == "unknown":
                    at(where, f"fact {shown(fact)}: value `{shown(value)}`: expected a name in lower case, "
                              "other than `unknown`")
            if len(set(raw.values)) != len(raw.values):
                at(where, f"fact {shown(fact)}: a value is listed twice")
            problems.extend(_label_problems(file, fact, raw, document))
        elif raw.values or raw.labels:
            at(where, f"fact {shown(fact)}: only a choice lists `values` and their `labels` (this fact is {raw.kind})")
    for section in data.sections:
        if not any(fact.partition(".")[0] == section for fact in data.facts):
            at(("sections", section), f"section `{shown(section)}` declares no fact")
    return problems


def _label_problems(file: str, fact: str, raw: FactData, document: Document) -> list[str]:
    """A choice's labels name its values, and once some are given every value has one: a report
    that said some values in words and printed the code of another would read as a slip."""
    where = f"{file}:{document.line_of(('facts', fact, 'labels')) or ''}: fact {shown(fact)}: labels"
    problems = [f"{where}: `{shown(value)}` is not one of its values ({', '.join(raw.values)})"
                for value in raw.labels if value not in raw.values]
    unlabelled = [value for value in raw.values if value not in raw.labels]
    if raw.labels and unlabelled:
        problems.append(f"{where}: no label for {', '.join(f'`{value}`' for value in unlabelled)}")
    return problems


@functools.cache
def bundled_declarations() -> Declarations:
    """The declarations of the rules folder shipped with the package (read once per process)."""
    return load_declarations(rules_dir())


def bundled_vocabulary() -> Vocabulary:
    """The scenario vocabulary of the bundled rules folder."""
    return bundled_declarations().vocabulary
