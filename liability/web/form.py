"""The page's form and the scenario it stands for, both ways.

A form field is named after what it sets: a top-level key (`facts_date`) or a fact's dotted path
(`money.posting_fees`). An empty field is an unknown fact, so "unknown" is a choice of every
field. Values are turned into what a scenario file would write and validated by the same model,
so a bad value gets the message the file would get.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Iterable

from ..scenario import UNKNOWN, FactSpec, Scenario, Vocabulary

HEADER_KEYS = ("id", "title", "facts_date", "facts_end", "judged_on", "posture")
"""The scenario's own keys the form sets one by one (regimes are checkboxes)."""

LIST_KINDS = ("countries",)


@dataclass(frozen=True)
class Field:
    """One fact as the form asks it, in one language."""

    path: str
    kind: str
    question: str
    help: str
    choices: tuple[tuple[str, str], ...]
    """(value, words) for a select; empty for a typed input."""


def fields(vocabulary: Vocabulary, lang: str, words: dict[str, str]) -> list[tuple[str, list[Field]]]:
    """The facts, section by section in the vocabulary's order, as the form asks them."""
    grouped: dict[str, list[Field]] = {section: [] for section in vocabulary.sections}
    for spec in vocabulary.facts.values():
        grouped[spec.section].append(_field(spec, lang, words))
    return [(section, listed) for section, listed in grouped.items() if listed]


def _field(spec: FactSpec, lang: str, words: dict[str, str]) -> Field:
    question = spec.question.get(lang) if spec.question else spec.path
    help_text = spec.help.get(lang) if spec.help else ""
    choices: tuple[tuple[str, str], ...] = ()
    if spec.kind == "bool":
        choices = (("true", words["yes"]), ("false", words["no"]))
    elif spec.kind == "choice":
        choices = tuple((str(value), spec.label(value, lang) or str(value)) for value in spec.values)
    return Field(spec.path, spec.kind, question, help_text, choices)


def scenario_data(form: Iterable[tuple[str, str]], vocabulary: Vocabulary) -> dict[str, Any]:
    """The scenario a submitted form states, as a file would write it. Unknown names are kept
    under their section so that the model refuses them with a "did you mean"."""
    data: dict[str, Any] = {}
    regimes: list[str] = []
    for name, raw in form:
        value = raw.strip()
        if name == "regimes":
            regimes.append(value)
        elif name in HEADER_KEYS:
            if value:
                data[name] = value
        elif "." in name and value and value != UNKNOWN:
            section, fact = name.split(".", 1)
            data.setdefault(section, {})[fact] = _typed(vocabulary.facts.get(name), value)
    if regimes:
        data["regimes"] = regimes
    return data


def _typed(spec: FactSpec | None, value: str) -> Any:
    """A field's text as the scenario model reads it; a value that does not fit is passed as it is
    written, so that the model's message names it."""
    if spec is None:
        return value
    if spec.kind == "bool" and value in ("true", "false"):
        return value == "true"
    if spec.kind == "count" and value.lstrip("-").isdigit():
        return int(value)
    if spec.kind in LIST_KINDS:
        return [code.strip() for code in value.split(",") if code.strip()]
    return value


def form_values(scenario: Scenario) -> dict[str, Any]:
    """The fields that show `scenario` in the form: each stated value as its field writes it;
    regimes as a list (every regime when the scenario names none)."""
    values: dict[str, Any] = {}
    for key in HEADER_KEYS:
        value = getattr(scenario, key)
        if value is not None:
            values[key] = str(value)
    values["regimes"] = list(scenario.regimes or [])
    for path, spec in type(scenario).vocabulary.facts.items():
        value = scenario.fact(path)
        if value is None:
            continue
        if isinstance(value, bool):
            values[path] = "true" if value else "false"
        elif isinstance(value, (list, tuple)):
            values[path] = ", ".join(str(item) for item in value)
        else:
            values[path] = str(value)
    return values


def saved_data(scenario: Scenario) -> dict[str, Any]:
    """The scenario as a file writes it (its own keys, then the facts it knows), without `expect`:
    what the page's facts are may no longer be what the expectations were written for."""
    data = scenario.model_dump(exclude_unset=True, exclude={"expect"})
    for section in type(scenario).vocabulary.sections:
        if section in data:
            data[section] = {name: value for name, value in data[section].items() if value is not None}
            if not data[section]:
                del data[section]
    return data
