"""Compile a rulebook into an experta KnowledgeEngine, run it, and record the trace.

This is the only module that knows experta (DESIGN.md section 3), so a maintained fork could
replace it. The compilation follows the three-valued scheme of DESIGN.md section 5:

* the scenario is declared as one experta fact per section (``actor``, ``money``...), every field
  present, unknown values declared as the string ``unknown``; and one ``InForce`` fact naming the
  rules whose text applies to the facts' date;
* each rule becomes a *certain* variant (certain premises, ``not X`` tested against any X) and a
  *possible* variant (possible premises, ``not X`` tested against certain X), each expanded into
  one experta rule per branch of its condition; both declare ``Conclusion(id, certain)``;
* every compiled rule gets its own salience, decreasing along the rulebook's firing order (lower
  strata first; within a stratum certain variants before possible ones), so negation is sound
  without truth maintenance and the firing order, hence the trace, is the same in every process.

The trace is recorded by the rules themselves as they fire, before they declare (experta returns
``None`` for a fact already declared), and each rule records at most one step per variant.
"""

from __future__ import annotations

import inspect
from dataclasses import dataclass, field
from typing import Any, Callable

from . import _compat  # noqa: F401
from experta import AS, NOT, TEST, Fact, KnowledgeEngine, P, Rule as ExpertaRule

from .conditions import Absent, Atom, FactTest, Holds, branches
from .evaluator import Closure
from .rulebook import Rule, Rulebook
from .scenario import SECTIONS, UNKNOWN, Scenario


class Conclusion(Fact):
    """A conclusion drawn by a rule: ``id`` and whether it holds certainly or possibly."""


class InForce(Fact):
    """``rules``: the ids of the rules whose text applies to this scenario's facts.

    One fact tested by a predicate in each rule, rather than one fact per rule: the latter makes
    every compiled rule join against many facts and measured about twice as slow.
    """


SECTION_FACTS: dict[str, type[Fact]] = {name: type(name.capitalize(), (Fact,), {}) for name in SECTIONS}


@dataclass(frozen=True)
class Step:
    """One rule firing, as recorded by the engine."""

    step: int
    rule: str
    cites: str
    certain: bool
    facts: dict[str, Any]
    conclusions: tuple[str, ...]
    absent: tuple[str, ...]
    concluded: str
    element: str | None
    strength: str


@dataclass
class Run:
    """The outcome of one scenario: conclusions and the trace that produced them."""

    closure: Closure
    trace: list[Step] = field(default_factory=list)


def scenario_facts(scenario: Scenario) -> dict[str, Any]:
    """Every fact path with its value (``None`` for unknown)."""
    return {f"{section}.{name}": getattr(getattr(scenario, section), name)
            for section, model in SECTIONS.items() for name in model.model_fields}


def _in_force(rule_id: str) -> Callable[[Any], bool]:
    return lambda rules: type(rules) is frozenset and rule_id in rules


def _test(atom: FactTest, certain: bool) -> Callable[[Any], bool]:
    """A field predicate: the test holds certainly, or is not excluded (possibly)."""
    # experta's alpha network may apply a predicate to other facts' values: type checks live in
    # FactTest.evaluate, and `unknown` is translated here.
    if certain:
        return lambda value: value != UNKNOWN and atom.evaluate(value) is True
    return lambda value: value == UNKNOWN or atom.evaluate(value) is not False


class _Compiler:
    """Builds the experta rules of one rulebook."""

    def __init__(self, book: Rulebook) -> None:
        self.book = book
        self.attributes: dict[str, Any] = {}
        self.salience = 0

    def compile(self) -> type[KnowledgeEngine]:
        by_stratum: dict[int, list[Rule]] = {}
        for rule in self.book.order:
            by_stratum.setdefault(self.book.stratum[rule.id], []).append(rule)
        compiled = []
        for level in sorted(by_stratum):
            for certain in (True, False):
                for rule in by_stratum[level]:
                    for group in _groups(branches(rule.condition)):
                        compiled.append((rule, certain, group))
        self.salience = len(compiled)
        for rule, certain, group in compiled:
            self.salience -= 1
            self.attributes[f"r{self.salience}"] = self._experta_rule(rule, certain, group, self.salience)
        return type(f"Engine_{self.book.regime}", (_LiabilityEngine,), self.attributes)

    def _experta_rule(self, rule: Rule, certain: bool, group: "_Group", salience: int) -> Any:
        patterns: list[Any] = [InForce(rules=P(_in_force(rule.id)))]
        if len(group.fact_branches) == 1:
            patterns.extend(_field_patterns(group.fact_branches[0], certain))
        else:
            sections = list(dict.fromkeys(t.path.split(".", 1)[0] for branch in group.fact_branches for t in branch))
            patterns.extend(getattr(AS, f"s_{section}") << SECTION_FACTS[section]() for section in sections)
        for conclusion in group.conclusions:
            patterns.append(Conclusion(id=conclusion, certain=True) if certain else Conclusion(id=conclusion))
        for conclusion in group.absent:
            patterns.append(NOT(Conclusion(id=conclusion)) if certain else NOT(Conclusion(id=conclusion, certain=True)))
        if len(group.fact_branches) > 1:
            patterns.append(TEST(_any_branch(group.fact_branches, sections, certain)))

        def fire(engine: "_LiabilityEngine", **bound: Any) -> None:
            key = (rule.id, certain)
            if key in engine.fired or (not certain and (rule.id, True) in engine.fired):
                return
            engine.fired.add(key)
            branch = next(b for b in group.fact_branches if _holds(b, bound, certain))
            matched = {t.path: bound[f"s_{t.path.split('.', 1)[0]}"][t.path.split(".", 1)[1]] for t in branch}
            engine.trace.append(Step(
                step=len(engine.trace) + 1, rule=rule.id, cites=rule.cites, certain=certain,
                facts={path: (None if value == UNKNOWN else value) for path, value in matched.items()},
                conclusions=group.conclusions, absent=group.absent, concluded=rule.conclusion,
                element=rule.element, strength=rule.strength))
            engine.declare(Conclusion(id=rule.conclusion, certain=certain))

        return ExpertaRule(*patterns, salience=salience)(fire)


@dataclass(frozen=True)
class _Group:
    """Branches of a condition that test the same conclusions: one experta rule for all of them."""

    conclusions: tuple[str, ...]
    absent: tuple[str, ...]
    fact_branches: tuple[tuple[FactTest, ...], ...]


def _groups(alternatives: list[tuple[Atom, ...]]) -> list[_Group]:
    """Group a condition's branches by the conclusions they test, keeping their order.

    Branches that differ only in their fact tests (``any`` over facts) become one experta rule
    whose fact part is a single test over the section facts: a rule such as "benefits in any of
    five ways and knows or should have known" would otherwise compile into dozens of rules, and
    the engine's build time grows with their number.
    """
    grouped: dict[tuple[tuple[str, ...], tuple[str, ...]], list[tuple[FactTest, ...]]] = {}
    for branch in alternatives:
        key = (tuple(a.conclusion for a in branch if isinstance(a, Holds)),
               tuple(a.conclusion for a in branch if isinstance(a, Absent)))
        grouped.setdefault(key, []).append(tuple(a for a in branch if isinstance(a, FactTest)))
    return [_Group(conclusions, absent, tuple(facts)) for (conclusions, absent), facts in grouped.items()]


def _field_patterns(branch: tuple[FactTest, ...], certain: bool) -> list[Any]:
    """One pattern per section, a field predicate per fact tested (fast: the alpha network)."""
    by_section: dict[str, dict[str, list[FactTest]]] = {}
    for atom in branch:
        section, name = atom.path.split(".", 1)
        by_section.setdefault(section, {}).setdefault(name, []).append(atom)
    patterns = []
    for section, fields in by_section.items():
        constraints = {}
        for name, tests in fields.items():
            predicate = P(_test(tests[0], certain))
            for extra in tests[1:]:
                predicate = predicate & P(_test(extra, certain))
            constraints[name] = predicate
        patterns.append(getattr(AS, f"s_{section}") << SECTION_FACTS[section](**constraints))
    return patterns


def _holds(branch: tuple[FactTest, ...], bound: dict[str, Any], certain: bool) -> bool:
    """Whether every fact test of a branch holds (certainly, or is not excluded) on bound facts."""
    for atom in branch:
        section, name = atom.path.split(".", 1)
        value = bound[f"s_{section}"][name]
        result = atom.evaluate(None if value == UNKNOWN else value)
        if result is False or (certain and result is None):
            return False
    return True


def _any_branch(fact_branches: tuple[tuple[FactTest, ...], ...], sections: list[str], certain: bool) -> Any:
    """A TEST function over the bound section facts: some branch holds.

    experta passes a TEST the bound variables its signature names, so the signature is set to
    exactly the sections this group reads.
    """
    def test(**bound: Any) -> bool:
        return any(_holds(branch, bound, certain) for branch in fact_branches)

    test.__signature__ = inspect.Signature(  # type: ignore[attr-defined]
        [inspect.Parameter(f"s_{section}", inspect.Parameter.KEYWORD_ONLY) for section in sections])
    return test


class _LiabilityEngine(KnowledgeEngine):
    """A KnowledgeEngine that keeps the trace of the current run."""

    def __init__(self) -> None:
        super().__init__()
        self.trace: list[Step] = []
        self.fired: set[tuple[str, bool]] = set()


class Engine:
    """One regime's compiled rules: build once per process, then run scenario after scenario."""

    def __init__(self, book: Rulebook) -> None:
        self.book = book
        self._engine = _Compiler(book).compile()()

    def run(self, scenario: Scenario, in_force: frozenset[str]) -> Run:
        """Run the rules whose ids are in `in_force` on the scenario's facts."""
        engine = self._engine
        engine.reset()
        engine.trace = []
        engine.fired = set()
        facts: list[Fact] = []
        for section, model in SECTIONS.items():
            values = getattr(scenario, section)
            declared = {}
            for name in model.model_fields:
                value = getattr(values, name)
                declared[name] = UNKNOWN if value is None else (tuple(value) if isinstance(value, list) else value)
            facts.append(SECTION_FACTS[section](**declared))
        facts.append(InForce(rules=in_force))
        engine.declare(*facts)
        engine.run()
        certain = frozenset(s.concluded for s in engine.trace if s.certain)
        possible = certain | frozenset(s.concluded for s in engine.trace)
        return Run(Closure(certain, possible), list(engine.trace))
