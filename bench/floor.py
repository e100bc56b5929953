"""The floor of DESIGN.md section 9: a rulebook as straight-line Python, every fact known.

Machines here are noisy, so the direct engine's budget is a multiple of this floor measured in the
same run. The floor is the least work the rules can cost in Python: each fact read once into a
local variable, each rule one ``if`` on locals, two-valued, no trace. It is generated source,
compiled once per regime and period. Generating code is allowed here, in a benchmark script, and
nowhere in ``liability/``: there rule packs are data and nothing is compiled from them.

Values are embedded with ``repr`` only after checking that they are what a validated pack holds
(booleans, integers, strings, tuples of strings), so the source cannot say anything the pack did
not. Rules are emitted in the rulebook's topological order (``book.sequence``): its firing order
(``book.order``) lets a rule come before a producer of its premises in the same stratum, which
an engine's agenda absorbs but a single pass cannot.
"""

from __future__ import annotations

from typing import Any, Callable, Mapping

from liability.declarations import bundled_vocabulary
from liability.conditions import Absent, All, Any_, Condition, FactTest, Holds
from liability.rulebook import Rule, Rulebook
from liability.scenario import Scenario

Floor = Callable[[Mapping[str, Any]], set[str]]
"""Facts (every one known) to the conclusions that hold."""


class _Names:
    """Local variable names for the facts and conclusions the rules read."""

    def __init__(self) -> None:
        self.facts: dict[str, str] = {}
        self.conclusions: dict[str, str] = {}

    def fact(self, path: str) -> str:
        return self.facts.setdefault(path, f"f{len(self.facts)}")

    def conclusion(self, name: str) -> str:
        return self.conclusions.setdefault(name, f"c{len(self.conclusions)}")


def _literal(value: Any) -> str:
    """A pack value as source, refusing anything a validated pack cannot hold."""
    if isinstance(value, tuple) and all(type(item) is str for item in value):
        return repr(value)
    if type(value) in (bool, int, str):
        return repr(value)
    raise TypeError(f"not a validated pack value: {value!r}")


def _test(atom: FactTest, names: _Names) -> str:
    """A fact test, two-valued, on the local that holds the fact."""
    fact = names.fact(atom.path)
    if atom.op == "true":
        return f"{fact} is True"
    if atom.op == "is":
        return f"{fact} is {_literal(atom.value)}" if type(atom.value) is bool else f"{fact} == {_literal(atom.value)}"
    if atom.op == "in":
        return f"{fact} in {_literal(atom.value)}"
    if atom.op == "includes_any":
        return "(" + " or ".join(f"{_literal(code)} in {fact}" for code in atom.value) + ")"
    if atom.op == "at_least":
        return f"{fact} >= {_literal(atom.value)}"
    raise ValueError(f"unknown fact test `{atom.op}`")


def _expression(condition: Condition, names: _Names) -> str:
    if isinstance(condition, FactTest):
        return _test(condition, names)
    if isinstance(condition, Holds):
        return names.conclusion(condition.conclusion)
    if isinstance(condition, Absent):
        return f"not {names.conclusion(condition.conclusion)}"
    assert isinstance(condition, (All, Any_))
    joiner = " and " if isinstance(condition, All) else " or "
    return "(" + joiner.join(_expression(item, names) for item in condition.items) + ")"


def _ordered(book: Rulebook, in_force: frozenset[str]) -> list[Rule]:
    rules = sorted((rule for rule in book.rules if rule.id in in_force), key=lambda rule: book.sequence[rule.id])
    cyclic = sorted(rule.id for rule in rules if rule.id in book.cyclic)
    if cyclic:
        raise ValueError(f"rules on a positive cycle have no straight-line floor: {', '.join(cyclic)}")
    return rules


def floor_source(book: Rulebook, in_force: frozenset[str]) -> str:
    """The source of ``floor(facts)``: the rules in force, one ``if`` each, in topological order."""
    names = _Names()
    body: list[str] = []
    for rule in _ordered(book, in_force):
        condition = _expression(rule.condition, names)
        body += [f"    if {condition}:  # {rule.id}",
                 f"        {names.conclusion(rule.conclusion)} = True",
                 f"        add({_literal(rule.conclusion)})"]
    header = ["def floor(facts):", "    concluded = set()", "    add = concluded.add"]
    header += [f"    {local} = facts[{_literal(path)}]" for path, local in names.facts.items()]
    header += [f"    {local} = False" for local in names.conclusions.values()]
    return "\n".join(header + body + ["    return concluded", ""])


def compile_floor(book: Rulebook, in_force: frozenset[str]) -> Floor:
    """The floor of one regime and period, compiled once."""
    namespace: dict[str, Any] = {}
    exec(compile(floor_source(book, in_force), f"<floor {book.regime}>", "exec"), namespace)
    return namespace["floor"]  # type: ignore[no-any-return]


FILLER = {"bool": False, "count": 0, "countries": [], "country": "ZZ", "text": "filled"}
"""What an unknown fact becomes in a filled scenario (a choice takes its first value)."""


def filled(scenario: Scenario) -> Scenario:
    """The scenario with every unknown fact given a value, so the floor can run on it."""
    vocabulary = bundled_vocabulary().facts
    sections = {}
    for section in bundled_vocabulary().sections:
        values = getattr(scenario, section)
        missing = {name: vocabulary[f"{section}.{name}"] for name, value in values.__dict__.items() if value is None}
        update = {name: spec.values[0] if spec.kind == "choice" else FILLER[spec.kind] for name, spec in missing.items()}
        sections[section] = values.model_copy(update=update)
    return scenario.model_copy(update=sections)
