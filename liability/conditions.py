"""The condition language of rule packs: parse, check, expand, evaluate.

A condition is data, never code: rule packs are files a user may download, so nothing here
calls ``eval``. The language is deliberately small (DESIGN.md section 5):

* a bare dotted name: a boolean fact that must be true (``money.posting_fees``) or a conclusion
  of another rule that must hold (``fr.prostitution``); facts start with a scenario section name;
* ``{fact: path, is: value}``, ``{fact: path, in: [values]}``, ``{fact: path, at_least: n}``,
  ``{fact: path, includes_any: [codes]}`` (a list of countries that names one of these);
* ``{all: [...]}``, ``{any: [...]}``;
* ``{not: conclusion}``: negation as failure, on conclusions only (stratified);
* ``presumed: true`` on a fact test: on a closed record (a pleading or a trial record), a fact
  the record does not state satisfies the test, because the other party bears the burden of
  proving the contrary (see :data:`NOT_SHOWN`).

Evaluation is three-valued (Kleene): ``True``, ``False`` or ``None`` for unknown. Because
negation applies only to atoms, a condition equals the disjunction of its branches
(:func:`branches`), which is how it is compiled into experta rules; the direct evaluation here is
the oracle that compilation is tested against.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, replace
from typing import Any, Callable, Iterable, Mapping, Union

from .scenario import NOT_SHOWN, FactSpec

Truth = bool | None
"""Three-valued truth: True, False, or None (unknown)."""

MAX_BRANCHES = 64


Proof = str
"""How a fact test is proved: ``shown`` (the party relying on it must show the fact) or
``presumed`` (on a closed record it holds unless the contrary is shown)."""


class ConditionError(ValueError):
    """A condition that does not follow the language; the message says what was expected."""


@dataclass(frozen=True)
class FactTest:
    """A test of one scenario fact: ``op`` is ``true``, ``is``, ``in`` or ``at_least``; `proof`
    says who must show the fact (:data:`Proof`)."""

    path: str
    op: str
    value: Any = None
    proof: Proof = "shown"

    def evaluate(self, value: Any) -> Truth:
        """Three-valued result of the test on a fact value (``None`` = unknown)."""
        if value is None:
            return None
        if value is NOT_SHOWN:
            return self.proof == "presumed"
        if self.op == "true":
            return value is True
        if self.op == "is":
            return type(value) is type(self.value) and value == self.value
        if self.op == "in":
            return any(type(value) is type(v) and value == v for v in self.value)
        if self.op == "includes_any":
            return isinstance(value, (list, tuple)) and any(v in value for v in self.value)
        return type(value) is int and value >= self.value

    def describe(self) -> str:
        if self.op == "true":
            return self.path
        if self.op == "in":
            return f"{self.path} in [{', '.join(map(_show, self.value))}]"
        if self.op == "includes_any":
            return f"{self.path} includes one of [{', '.join(map(_show, self.value))}]"
        if self.op == "at_least":
            return f"{self.path} >= {self.value}"
        return f"{self.path} = {_show(self.value)}"


@dataclass(frozen=True)
class Holds:
    """A conclusion that must hold."""

    conclusion: str

    def describe(self) -> str:
        return self.conclusion


@dataclass(frozen=True)
class Absent:
    """A conclusion that must not hold (negation as failure)."""

    conclusion: str

    def describe(self) -> str:
        return f"not {self.conclusion}"


@dataclass(frozen=True)
class All:
    items: tuple["Condition", ...]


@dataclass(frozen=True)
class Any_:
    items: tuple["Condition", ...]


Atom = Union[FactTest, Holds, Absent]
Condition = Union[FactTest, Holds, Absent, All, Any_]


def _show(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _check_value(spec: FactSpec, value: Any, op: str) -> None:
    """Reject a test value that the fact can never take, so typos fail at load time."""
    if spec.kind == "bool":
        if type(value) is not bool:
            raise ConditionError(f"`{spec.path}` is true or false, not `{value}`")
    elif spec.kind == "choice":
        if value not in spec.values:
            raise ConditionError(
                f"`{spec.path}` cannot be `{value}`; expected one of: {', '.join(spec.values)}")
    elif spec.kind == "country":
        if not (isinstance(value, str) and len(value) == 2 and value.isupper()):
            raise ConditionError(f"`{spec.path}` holds a country code such as FR, not `{value}`")
    else:
        raise ConditionError(f"`{spec.path}` ({spec.kind}) cannot be tested with `{op}`")


def is_fact_path(name: str, facts: Mapping[str, FactSpec]) -> bool:
    """Facts start with a section name of the vocabulary; everything else names a conclusion."""
    section = name.split(".", 1)[0] + "."
    return any(path.startswith(section) for path in facts)


def parse(data: Any, facts: Mapping[str, FactSpec]) -> Condition:
    """Parse a condition from its YAML form, checking every fact path and test value."""
    if isinstance(data, str):
        if not is_fact_path(data, facts):
            return Holds(data)
        spec = facts.get(data)
        if spec is None:
            raise ConditionError(_unknown_fact(data, facts))
        if spec.kind != "bool":
            raise ConditionError(
                f"`{data}` is not a true/false fact; test it with `{{fact: {data}, is: ...}}`")
        return FactTest(data, "true")
    if not isinstance(data, dict) or not data:
        raise ConditionError(f"expected a fact, a conclusion, or one of all/any/not/fact; got `{data}`")
    keys = set(data)
    if keys in ({"all"}, {"any"}):
        (key, items), = data.items()
        if not isinstance(items, list) or not items:
            raise ConditionError(f"`{key}` takes a non-empty list of conditions")
        parsed = tuple(parse(item, facts) for item in items)
        return All(parsed) if key == "all" else Any_(parsed)
    if keys == {"not"}:
        target = data["not"]
        if not isinstance(target, str) or is_fact_path(target, facts):
            raise ConditionError(
                f"`not` negates a conclusion only, not `{target}`; to require a false fact "
                "write `{fact: path, is: false}`")
        return Absent(target)
    if "fact" in keys:
        presumed = data.get("presumed", False)
        if type(presumed) is not bool:
            raise ConditionError(f"`presumed` is true or false, not `{presumed}`")
        test = _parse_fact_test({k: v for k, v in data.items() if k != "presumed"}, facts)
        return replace(test, proof="presumed") if presumed else test
    raise ConditionError(
        f"unknown condition keys {sorted(keys)}; expected all, any, not, or fact with is/in/at_least")


def _parse_fact_test(data: dict[str, Any], facts: Mapping[str, FactSpec]) -> FactTest:
    path = data["fact"]
    ops = set(data) - {"fact"}
    if len(ops) != 1 or not ops <= {"is", "in", "at_least", "includes_any"}:
        raise ConditionError(f"a fact test takes exactly one of is, in, at_least, includes_any; got {sorted(ops)}")
    spec = facts.get(path) if isinstance(path, str) else None
    if spec is None:
        raise ConditionError(_unknown_fact(path, facts))
    op = ops.pop()
    value = data[op]
    if op == "is":
        _check_value(spec, value, op)
    elif op == "in":
        if not isinstance(value, list) or not value:
            raise ConditionError(f"`in` takes a non-empty list of values for `{path}`")
        for item in value:
            _check_value(spec, item, op)
        value = tuple(value)
    elif op == "includes_any":
        if spec.kind != "countries":
            raise ConditionError(f"`includes_any` applies to lists of countries; `{path}` is a {spec.kind} fact")
        if not isinstance(value, list) or not value:
            raise ConditionError(f"`includes_any` takes a non-empty list of country codes for `{path}`")
        for item in value:
            if not (isinstance(item, str) and len(item) == 2 and item.isupper()):
                raise ConditionError(f"`{path}` holds country codes such as FR, not `{item}`")
        value = tuple(value)
    else:
        if spec.kind != "count":
            raise ConditionError(f"`at_least` applies to counts; `{path}` is a {spec.kind} fact")
        if type(value) is not int or value < 0:
            raise ConditionError(f"`at_least` takes a non-negative integer, not `{value}`")
    return FactTest(path, op, value)


def _unknown_fact(path: Any, facts: Mapping[str, FactSpec]) -> str:
    import difflib

    close = difflib.get_close_matches(str(path), list(facts), n=1, cutoff=0.7)
    hint = f" - did you mean `{close[0]}`?" if close else ""
    return f"unknown fact `{path}`{hint}"


def atoms(condition: Condition) -> Iterable[Atom]:
    """Every fact test and conclusion reference in a condition, in order."""
    if isinstance(condition, (All, Any_)):
        for item in condition.items:
            yield from atoms(item)
    else:
        yield condition


def branches(condition: Condition) -> list[tuple[Atom, ...]]:
    """The condition as a disjunction of conjunctions of atoms (each branch keeps atom order).

    Kleene logic distributes like Boolean logic, and negation here applies to atoms only, so the
    three-valued value of a condition is the maximum over branches of the minimum over atoms.
    """
    if isinstance(condition, All):
        result: list[tuple[Atom, ...]] = [()]
        for item in condition.items:
            result = [left + right for left in result for right in branches(item)]
            if len(result) > MAX_BRANCHES:
                raise ConditionError(f"condition expands to more than {MAX_BRANCHES} alternatives")
        return [_dedupe(branch) for branch in result]
    if isinstance(condition, Any_):
        result = list(itertools.chain.from_iterable(branches(item) for item in condition.items))
        if len(result) > MAX_BRANCHES:
            raise ConditionError(f"condition expands to more than {MAX_BRANCHES} alternatives")
        return result
    return [(condition,)]


def _dedupe(branch: tuple[Atom, ...]) -> tuple[Atom, ...]:
    return tuple(dict.fromkeys(branch))


def conj(values: Iterable[Truth]) -> Truth:
    """Kleene conjunction."""
    result: Truth = True
    for value in values:
        if value is False:
            return False
        if value is None:
            result = None
    return result


def disj(values: Iterable[Truth]) -> Truth:
    """Kleene disjunction."""
    result: Truth = False
    for value in values:
        if value is True:
            return True
        if value is None:
            result = None
    return result


def evaluate(condition: Condition, facts: Mapping[str, Any], certain: set[str] | frozenset[str],
             possible: set[str] | frozenset[str]) -> Truth:
    """Three-valued value of a condition.

    `facts` maps fact paths to values (``None`` = unknown); `certain` holds the conclusions that
    certainly hold, `possible` those that may hold (a superset of `certain`).
    """
    if isinstance(condition, FactTest):
        return condition.evaluate(facts.get(condition.path))
    if isinstance(condition, Holds):
        return True if condition.conclusion in certain else (None if condition.conclusion in possible else False)
    if isinstance(condition, Absent):
        return False if condition.conclusion in certain else (None if condition.conclusion in possible else True)
    if isinstance(condition, All):
        return conj(evaluate(item, facts, certain, possible) for item in condition.items)
    return disj(evaluate(item, facts, certain, possible) for item in condition.items)


def substitute(condition: Condition, slot: str, value: str) -> Condition:
    """The condition with `slot` replaced by `value` in the conclusions it names."""
    if isinstance(condition, (All, Any_)):
        return type(condition)(tuple(substitute(item, slot, value) for item in condition.items))
    if isinstance(condition, (Holds, Absent)):
        return type(condition)(condition.conclusion.replace(slot, value))
    return condition


def describe(condition: Condition) -> str:
    """The condition written out in one line, for `rules show` and explanations."""
    if isinstance(condition, All):
        return "(" + " and ".join(describe(item) for item in condition.items) + ")"
    if isinstance(condition, Any_):
        return "(" + " or ".join(describe(item) for item in condition.items) + ")"
    return condition.describe()


Evaluator = Callable[[Mapping[str, Any], "set[str] | frozenset[str]", "set[str] | frozenset[str]"], Truth]


def compile_condition(condition: Condition) -> Evaluator:
    """The condition as a function of (facts, certain, possible): the same values as
    :func:`evaluate`, without dispatching on the condition's shape at every call (the exact
    decisions evaluate conditions hundreds of thousands of times)."""
    if isinstance(condition, FactTest):
        path, test = condition.path, condition.evaluate
        return lambda facts, certain, possible: test(facts.get(path))
    if isinstance(condition, Holds):
        name = condition.conclusion
        return lambda facts, certain, possible: True if name in certain else (None if name in possible else False)
    if isinstance(condition, Absent):
        name = condition.conclusion
        return lambda facts, certain, possible: False if name in certain else (None if name in possible else True)
    parts = tuple(compile_condition(item) for item in condition.items)
    if isinstance(condition, All):
        def all_of(facts: Mapping[str, Any], certain: Any, possible: Any) -> Truth:
            result: Truth = True
            for part in parts:
                value = part(facts, certain, possible)
                if value is False:
                    return False
                if value is None:
                    result = None
            return result
        return all_of

    def any_of(facts: Mapping[str, Any], certain: Any, possible: Any) -> Truth:
        result: Truth = False
        for part in parts:
            value = part(facts, certain, possible)
            if value is True:
                return True
            if value is None:
                result = None
        return result
    return any_of
