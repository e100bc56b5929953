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

import functools
import inspect
from typing import Any, Callable

from . import _compat  # noqa: F401  (before experta: see _compat)

# isort: split
from experta import AS, NOT, TEST, Fact, KnowledgeEngine, P
from experta import Rule as ExpertaRule

from .conditions import FactTest
from .evaluator import Closure
from .plan import Group, branch_holds, firing_plan
from .rulebook import Rule, Rulebook
from .scenario import UNKNOWN, Scenario
from .trace import Run, Step


class Conclusion(Fact):
    """A conclusion drawn by a rule: ``id`` and whether it holds certainly or possibly."""


class InForce(Fact):
    """``rules``: the ids of the rules whose text applies to this scenario's facts.

    One fact tested by a predicate in each rule, rather than one fact per rule: the latter makes
    every compiled rule join against many facts and measured about twice as slow.
    """


@functools.cache
def section_facts(sections: tuple[str, ...]) -> dict[str, type[Fact]]:
    """One experta Fact class per section of a vocabulary (one fact per section, not per atomic
    fact: measured about 1.5 times faster), the same classes for every engine of that vocabulary."""
    return {name: type(name.capitalize(), (Fact,), {}) for name in sections}


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

    def __init__(self, book: Rulebook, rules: frozenset[str] | None) -> None:
        self.book = book
        self.rules = rules
        self.sections = section_facts(tuple(book.vocabulary.sections))
        self.attributes: dict[str, Any] = {}
        self.salience = 0

    def compile(self) -> type[KnowledgeEngine]:
        plan = [unit for unit in firing_plan(self.book) if self.rules is None or unit.rule.id in self.rules]
        self.salience = len(plan)
        for unit in plan:
            self.salience -= 1
            self.attributes[f"r{self.salience}"] = self._experta_rule(unit.rule, unit.certain, unit.group,
                                                                      self.salience)
        return type(f"Engine_{self.book.regime}", (_LiabilityEngine,), self.attributes)

    def _experta_rule(self, rule: Rule, certain: bool, group: Group, salience: int) -> Any:
        patterns: list[Any] = [InForce(rules=P(_in_force(rule.id)))]
        if len(group.fact_branches) == 1:
            patterns.extend(_field_patterns(group.fact_branches[0], certain, self.sections))
        else:
            sections = list(dict.fromkeys(t.path.split(".", 1)[0] for branch in group.fact_branches for t in branch))
            patterns.extend(getattr(AS, f"s_{section}") << self.sections[section]() for section in sections)
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
            branch = next(b for b in group.fact_branches if branch_holds(b, _reader(bound), certain))
            matched = {t.path: bound[f"s_{t.path.split('.', 1)[0]}"][t.path.split(".", 1)[1]] for t in branch}
            engine.trace.append(Step(
                step=len(engine.trace) + 1, rule=rule.id, cites=rule.cites, certain=certain,
                facts={path: (None if value == UNKNOWN else value) for path, value in matched.items()},
                conclusions=group.conclusions, absent=group.absent, concluded=rule.conclusion,
                element=rule.element, strength=rule.strength))
            engine.declare(Conclusion(id=rule.conclusion, certain=certain))

        return ExpertaRule(*patterns, salience=salience)(fire)


def _field_patterns(branch: tuple[FactTest, ...], certain: bool, sections: dict[str, type[Fact]]) -> list[Any]:
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
        patterns.append(getattr(AS, f"s_{section}") << sections[section](**constraints))
    return patterns


def _reader(bound: dict[str, Any]) -> Callable[[str], Any]:
    """Read a fact path from the section facts a rule has bound (``unknown`` read as None)."""
    def value_of(path: str) -> Any:
        section, name = path.split(".", 1)
        value = bound[f"s_{section}"][name]
        return None if value == UNKNOWN else value
    return value_of


def _any_branch(fact_branches: tuple[tuple[FactTest, ...], ...], sections: list[str], certain: bool) -> Any:
    """A TEST function over the bound section facts: some branch holds.

    experta passes a TEST the bound variables its signature names, so the signature is set to
    exactly the sections this group reads.
    """
    def test(**bound: Any) -> bool:
        return any(branch_holds(branch, _reader(bound), certain) for branch in fact_branches)

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
    """One regime's compiled rules: build once per process, then run scenario after scenario.

    `rules`, if given, limits the engine to those rules (the rules in force for one period of the
    law): a single assessment then builds only what it can fire, and the order of the units, hence
    the trace, is unchanged.
    """

    def __init__(self, book: Rulebook, rules: frozenset[str] | None = None) -> None:
        self.book = book
        self._engine = _Compiler(book, rules).compile()()

    def run(self, scenario: Scenario, in_force: frozenset[str]) -> Run:
        """Run the rules whose ids are in `in_force` on the scenario's facts."""
        engine = self._engine
        engine.reset()
        engine.trace = []
        engine.fired = set()
        facts: list[Fact] = []
        classes = section_facts(tuple(self.book.vocabulary.sections))
        for section, model in self.book.vocabulary.sections.items():
            values = getattr(scenario, section)
            declared = {}
            for name in model.model_fields:
                value = getattr(values, name)
                declared[name] = UNKNOWN if value is None else (tuple(value) if isinstance(value, list) else value)
            facts.append(classes[section](**declared))
        facts.append(InForce(rules=in_force))
        engine.declare(*facts)
        engine.run()
        certain = frozenset(s.concluded for s in engine.trace if s.certain)
        possible = certain | frozenset(s.concluded for s in engine.trace)
        return Run(Closure(certain, possible), list(engine.trace))
