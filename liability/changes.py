"""Changes of facts asked for on the command line (`--set section.fact=true`).

A what-if is the scenario with some facts changed. A change is checked exactly as the file would
be: the value is read with the scenario files' YAML rules, the changed scenario is validated by
the same model (so a bad value, a contradiction with another fact or a bad date gets the message
the file would get), and a misspelt fact gets a "did you mean".
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from typing import Any, Iterable

from .scenario import UNKNOWN, Scenario, ScenarioError, Vocabulary, parse_scenario
from .sources import Document, SourceError, read_document, shown

DATES = ("facts_date", "facts_end", "judged_on")
SETTABLE_KEYS = DATES + ("posture",)
"""Top-level keys a change may set beside the facts: the dates and the posture."""


@dataclass(frozen=True)
class Change:
    """One fact (or date, or posture) set to a value, as written on the command line."""

    path: str
    value: Any
    """The value as the scenario model reads it (``None`` for `unknown`)."""
    written: str


def parse_change(text: str, vocabulary: Vocabulary) -> Change:
    """`FACT=VALUE`, with FACT a fact of the vocabulary (or a date, or `posture`)."""
    path, equals, written = text.partition("=")
    path, written = path.strip(), written.strip()
    option = f"--set {shown(text)}"
    if not equals or not path or not written:
        raise ScenarioError([f"{option}: expected FACT=VALUE, a fact of `liability scenario facts` and a value as a scenario file writes it"])
    check_path(path, vocabulary, option)
    try:
        value = read_document(option, written.encode()).data
    except SourceError as error:
        message = error.message.replace("the document is", "the value is", 1)
        raise ScenarioError([f"{option}: {message}"]) from None
    spec = vocabulary.facts.get(path)
    if spec is not None and spec.kind == "countries" and isinstance(value, str) and value != UNKNOWN:
        value = [code.strip() for code in value.split(",")]  # a list of countries: `FR,BE`
    return Change(path, None if value == UNKNOWN else value, written)


def check_path(path: str, vocabulary: Vocabulary, where: str) -> None:
    """Refuse a path that is neither a fact nor a settable key, with the nearest one."""
    known = list(vocabulary.facts) + list(SETTABLE_KEYS)
    if path not in known:
        close = difflib.get_close_matches(path, known, n=1, cutoff=0.6)
        hint = f" - did you mean `{close[0]}`?" if close else " (see `liability scenario facts`)"
        raise ScenarioError([f"{where}: unknown fact `{shown(path)}`{hint}"])


def change_of(path: str, value: Any, vocabulary: Vocabulary) -> Change:
    """A change given as Python values (the library's `whatif(scenario, {path: value})`):
    `None` or `"unknown"` makes the fact unknown."""
    check_path(path, vocabulary, shown(path))
    return Change(path, None if value == UNKNOWN else value, shown(value))


def parse_changes(texts: Iterable[str], vocabulary: Vocabulary) -> list[Change]:
    """Every change, all problems reported together; a fact set twice is a mistake, not an order."""
    changes, problems = [], []
    for text in texts:
        try:
            changes.append(parse_change(text, vocabulary))
        except ScenarioError as error:
            problems.extend(error.problems)
    seen: set[str] = set()
    for change in changes:
        if change.path in seen:
            problems.append(f"--set {change.path}: set twice; give each fact one value")
        seen.add(change.path)
    if problems:
        raise ScenarioError(problems)
    return changes


def with_changes(scenario: Scenario, changes: Iterable[Change]) -> Scenario:
    """The scenario with the changes made, validated as a file stating them would be."""
    changes = list(changes)
    if not changes:
        return scenario
    data = scenario.model_dump(mode="json", exclude_none=True, by_alias=True)
    for change in changes:
        if "." in change.path:
            section, name = change.path.split(".", 1)
            data.setdefault(section, {})[name] = UNKNOWN if change.value is None else change.value
        elif change.value is None:
            data.pop(change.path, None)
        else:
            data[change.path] = change.value
    label = "--set " + ", ".join(f"{change.path}={shown(change.written)}" for change in changes)
    return parse_scenario(Document(label, data), type(scenario).vocabulary)


def before_value(scenario: Scenario, path: str) -> Any:
    """What the scenario states for `path` before a change (``None``: unknown or unstated)."""
    return scenario.fact(path) if "." in path else getattr(scenario, path)
