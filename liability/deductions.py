"""Facts a court deduces from other facts, declared in ``rules/facts.yaml``.

A scenario states facts; a judge also draws some it does not state, where they follow from the
others (a company's own fee policy is its management's act, C. pén. 121-2). Such a deduction is
law, so it is declared with the rules, with its basis, strength and reason; here it is only
applied: a deduced fact fills a fact the scenario leaves unstated, never one it states, and the
findings that rest on it say so.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any, Mapping

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from . import conditions
from .rulebook import RuleError, Strength, Text, official, pydantic_problems
from .scenario import FactSpec, fact_vocabulary
from .sources import SourceError, read_document, shown

FILE = "facts.yaml"


class _DeductionData(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    fact: str
    value: Any
    when: Any
    cites: str = Field(min_length=1)
    url: str = Field(min_length=1)
    strength: Strength
    because: Text


class _FactsFile(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    deductions: list[_DeductionData] = []


@dataclass(frozen=True)
class Deduction:
    """A fact a court deduces, the condition on stated facts it follows from, and why."""

    fact: str
    value: Any
    condition: conditions.Condition
    cites: str
    url: str
    strength: str
    because: Text


def load_deductions(directory: Path, vocabulary: Mapping[str, FactSpec] | None = None) -> list[Deduction]:
    """The deductions of a rules folder (none when it has no facts file)."""
    path = directory / FILE
    if not path.is_file():
        return []
    vocabulary = vocabulary or fact_vocabulary()
    try:
        document = read_document(path)
    except SourceError as error:
        raise RuleError([str(error)]) from None
    try:
        data = _FactsFile.model_validate(document.data)
    except ValidationError as error:
        raise RuleError(pydantic_problems(str(path), error, document, document.data)) from None
    deductions, problems = [], []
    for index, raw in enumerate(data.deductions):
        where = f"{path}:{document.line_of(('deductions', index)) or ''}: deduction of `{raw.fact}`"
        try:
            condition = conditions.parse(raw.when, vocabulary)
            target = conditions.parse({"fact": raw.fact, "is": raw.value}, vocabulary)
        except conditions.ConditionError as error:
            problems.append(f"{where}: {error}")
            continue
        if any(not isinstance(atom, conditions.FactTest) for atom in conditions.atoms(condition)):
            problems.append(f"{where}: a deduction follows from facts only, not from conclusions")
        elif any(atom.path == raw.fact for atom in conditions.atoms(condition)):
            problems.append(f"{where}: a fact cannot be deduced from itself")
        if not official(raw.url):
            problems.append(f"{where}: url `{shown(raw.url)}` is not an https address on an official site")
        deductions.append(Deduction(raw.fact, target.value, condition, raw.cites, raw.url, raw.strength, raw.because))
    if problems:
        raise RuleError(problems)
    return deductions


def deduced(deductions: list[Deduction], facts: Mapping[str, Any]) -> dict[str, Deduction]:
    """The deductions that hold on the stated facts, by the fact each fills (a stated fact, or one
    whose grounds are still unknown, is left as it is)."""
    found: dict[str, Deduction] = {}
    for deduction in deductions:
        if facts.get(deduction.fact) is None and deduction.fact not in found \
                and conditions.evaluate(deduction.condition, facts, frozenset(), frozenset()) is True:
            found[deduction.fact] = deduction
    return found
