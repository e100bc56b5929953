"""Exact decisions over the completions of the unknown facts, with binary decision diagrams.

Three-valued (Kleene) reasoning is sound but not complete: it never calls a conclusion certain
wrongly, yet it may leave open a conclusion that every completion of the unknown facts settles the
same way ("A or not A"), or one that no completion yields. DESIGN.md section 5 asks for exact
statuses, so each outcome of a head is built here as a BDD over the scenario's unknown facts and
read off exactly:

* a status is reached by some completion iff its diagram is not false, and it is certain iff it is
  the only one reached;
* `missing_facts` is the set of facts the status diagrams depend on: a fact is listed iff two
  completions that differ in that fact alone get different statuses (complete and minimal);
* which way each value of a deciding fact pushes is the set of statuses still reached when the
  fact takes it, the other unknown facts left open;
* a rule certainly holds, possibly holds or cannot hold as its condition's diagram is true, neither,
  or false, which is what separates the reasons that hold from the grounds that only might.

Facts are encoded by the classes of values the rules tell apart, so that every assignment of the
diagram variables is a real completion: a true/false fact is one variable; a choice, a country or
a count is a binary number whose unused codes stand for its last class; a list of countries is one
variable per region of the code sets the rules test it against ("includes one of these codes").
Conclusions are built lazily in dependency order, seeded with what Kleene already settles, so a
scenario whose heads Kleene decides builds no diagram at all. No branch is capped: a diagram larger
than :data:`MAX_NODES` is an error naming the head, never a silent approximation.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from functools import cached_property
from typing import Any, Callable, Iterable, Mapping

from ._compat import diagram_module
from .conditions import Absent, All, Any_, Condition, FactTest, Holds
from .evaluator import Closure, closure
from .rulebook import Rule, Rulebook
from .scenario import FactSpec

MAX_NODES = 2_000_000
"""Diagram nodes a regime's decisions may hold before it is an error (far above any bundled case)."""

OTHER_COUNTRIES = ("ZZ", "XZ", "QZ")
"""User-assigned ISO codes, never a real country: one stands for every country no rule names."""

Node = Any
"""A node of the diagram manager (a function of the unknown facts)."""


class DecisionError(RuntimeError):
    """An exact decision that would exceed the node guard: reported, never approximated."""


@dataclass(frozen=True)
class ValueClass:
    """Values of a fact that every rule test treats alike, and how to say them."""

    label: str
    """As a scenario writes them: `true`, `prostitution_ads or trafficking_ads`, `>= 10`,
    `includes FR`..."""
    assignment: tuple[tuple[str, bool], ...]
    """The diagram variables that select this class."""
    value: Any
    """A value of the class, as a scenario states it (for a region of a list of countries, one of
    its codes)."""
    selector: Node
    """The diagram of the class itself: `diagram & selector` is the diagram under this value (a
    conjunction is about ten times faster than substituting the variables)."""


@dataclass(frozen=True)
class Encoding:
    """How one fact is encoded: its variables, its value classes and its tests' diagrams."""

    path: str
    variables: tuple[str, ...]
    classes: tuple[ValueClass, ...]
    regions: bool = False
    """A list of countries, one variable per region (else one class per code of the variables)."""

    def value_of(self, assignment: Mapping[str, bool]) -> Any:
        """The fact's value under an assignment of the diagram variables (unassigned ones false)."""
        if self.regions:
            return [c.value for c in self.classes if c.value is not None and assignment.get(c.assignment[0][0])]
        code = sum(1 << bit for bit, variable in enumerate(self.variables) if assignment.get(variable))
        return self.classes[min(code, len(self.classes) - 1)].value


class FactEncodings:
    """The value classes of every fact a rulebook tests, and one diagram manager for the regime.

    Built once per rulebook: the classes depend on the rules only, and the manager's variables and
    test diagrams are shared by every scenario of the process (a scenario adds only the diagrams of
    the conditions it leaves open, which the manager frees when they are no longer referenced).
    """

    def __init__(self, book: Rulebook, vocabulary: Mapping[str, FactSpec]) -> None:
        self.manager = _new_manager()
        tests = tests_by_fact(book.rules)
        ordered = [path for path in vocabulary if path in tests]
        self.encodings: dict[str, Encoding] = {}
        self.test_nodes: dict[FactTest, Node] = {}
        self.owner: dict[str, str] = {}
        """Which fact each diagram variable encodes."""
        for index, path in enumerate(ordered):
            self._encode(index, vocabulary[path], tests[path])
        self._settle_order(book)

    def _settle_order(self, book: Rulebook) -> None:
        """Choose the variable order once, on the hardest case, then keep it.

        The order of the variables decides the size of every diagram. The one that suits a regime's
        rules is found by sifting the diagrams of every conclusion with every fact unknown; after
        that, dynamic reordering would cost more than it saves on one scenario's diagrams, and a
        fixed order keeps every run reproducible.
        """
        facts = {path: None for path in self.encodings}
        unknown = Decisions(lambda: self, book, book.order, facts, closure(book.order, book, facts))
        for name in book.producers:
            unknown.conclusion(name)  # kept referenced by `unknown` while the manager sifts them
        self.manager.reorder()
        self.manager.configure(reordering=False)

    def _encode(self, index: int, spec: FactSpec, tests: list[FactTest]) -> None:
        encoding, nodes = encode_fact(self.manager, spec, tests, f"f{index}")
        self.encodings[spec.path] = encoding
        self.test_nodes.update(nodes)
        for variable in encoding.variables:
            self.owner[variable] = spec.path


def encode_fact(manager: Any, spec: FactSpec, tests: list[FactTest], prefix: str) -> tuple[Encoding, dict[FactTest, Node]]:
    """Declare the variables of one fact in `manager` (named from `prefix`) and build its value
    classes and the diagram of each of its tests. Exact decisions encode each fact once; the search
    for the changes that would flip a finding encodes it twice, as a value stated and as one left
    open, in a manager of its own."""
    if spec.kind == "countries":
        return _encode_regions(manager, spec.path, tests, prefix)
    members = _classes(_representatives(spec, tests), tests)
    width = (len(members) - 1).bit_length()
    variables = tuple(f"{prefix}b{bit}" for bit in range(width))
    manager.declare(*variables)
    selectors = [_code(manager, variables, code, last=code == len(members) - 1) for code in range(len(members))]
    nodes = {}
    for test in tests:
        node = manager.false
        for values, selector in zip(members, selectors):
            if test.evaluate(values[0]):
                node |= selector
        nodes[test] = node
    representatives = _representatives(spec, tests)
    encoding = Encoding(spec.path, variables, tuple(
        ValueClass(_label(spec, values, representatives), _bits(variables, code), values[0], selector)
        for code, (values, selector) in enumerate(zip(members, selectors))))
    return encoding, nodes


def _code(manager: Any, variables: tuple[str, ...], code: int, last: bool) -> Node:
    """The diagram selecting `code`; the last class also takes every unused code above it."""
    if last:
        node = manager.false
        for other in range(code, 1 << len(variables)):
            node |= _code(manager, variables, other, last=False)
        return node
    node = manager.true
    for bit, variable in enumerate(variables):
        literal = manager.var(variable)
        node &= literal if code >> bit & 1 else ~literal
    return node


def _encode_regions(manager: Any, path: str, tests: list[FactTest], prefix: str) -> tuple[Encoding, dict[FactTest, Node]]:
    """A list of countries matters only through which regions of the tested code sets it meets."""
    regions = _regions(tests)
    variables = tuple(f"{prefix}r{number}" for number in range(len(regions)))
    manager.declare(*variables)
    signatures = []
    classes = []
    for variable, (signature, members) in zip(variables, regions.items()):
        literal = manager.var(variable)
        signatures.append((signature, literal))
        classes.append(ValueClass(f"includes {_one_of(members)}", ((variable, True),), members[0], literal))
        classes.append(ValueClass(f"does not include {', '.join(members)}", ((variable, False),), None, ~literal))
    nodes = {}
    for position, test in enumerate(tests):
        node = manager.false
        for signature, literal in signatures:
            if signature[position]:
                node |= literal
        nodes[test] = node
    return Encoding(path, variables, tuple(classes), True), nodes


def _new_manager() -> Any:
    """A diagram manager, its module imported only when a scenario first needs a diagram."""
    return diagram_module().BDD()


def tests_by_fact(rules: Iterable[Rule]) -> dict[str, list[FactTest]]:
    """The distinct tests the rules make of each fact, in the order the rules make them."""
    tests: dict[str, list[FactTest]] = {}
    for rule in rules:
        for atom in rule.fact_tests:
            tests.setdefault(atom.path, [])
            if atom not in tests[atom.path]:
                tests[atom.path].append(atom)
    return tests


def _regions(tests: list[FactTest]) -> dict[tuple[bool, ...], list[str]]:
    """The country codes the tests name, grouped by which tests name them."""
    regions: dict[tuple[bool, ...], list[str]] = {}
    for code in dict.fromkeys(code for test in tests for code in test.value):
        regions.setdefault(tuple(code in test.value for test in tests), []).append(code)
    return regions


def _one_of(codes: list[str]) -> str:
    return codes[0] if len(codes) == 1 else f"one of {', '.join(codes)}"


def _classes(values: list[Any], tests: list[FactTest]) -> list[list[Any]]:
    """Values grouped by how the tests see them: one class per distinct pattern of results."""
    classes: dict[tuple[bool | None, ...], list[Any]] = {}
    for value in values:
        classes.setdefault(tuple(t.evaluate(value) for t in tests), []).append(value)
    return list(classes.values())


def value_classes(spec: FactSpec, tests: list[FactTest]) -> list[tuple[str, Any]]:
    """Each value a fact can be shown to have, as the tests tell values apart: a label in the words
    of a scenario file and a value standing for the class (for a list of countries, a list naming
    one code of each region the tests see)."""
    if spec.kind == "countries":
        return [(f"includes {_one_of(members)}", [members[0]]) for members in _regions(tests).values()]
    representatives = _representatives(spec, tests)
    return [(_label(spec, members, representatives), members[0]) for members in _classes(representatives, tests)]


def _representatives(spec: FactSpec, tests: list[FactTest]) -> list[Any]:
    """One value for every way the tests can see the fact (the classes are merged afterwards)."""
    if spec.kind == "bool":
        return [True, False]
    if spec.kind == "choice":
        return list(spec.values)
    if spec.kind == "count":
        return sorted({0} | {t.value for t in tests if t.op == "at_least"})
    mentioned = list(dict.fromkeys(code for t in tests for code in (t.value if t.op == "in" else (t.value,))))
    return mentioned + [next(code for code in OTHER_COUNTRIES if code not in mentioned)]


def _label(spec: FactSpec, values: list[Any], representatives: list[Any]) -> str:
    """A value class in the words of a scenario file."""
    if spec.kind == "bool":
        return "true" if values[0] else "false"
    if spec.kind == "count":
        low = values[0]
        higher = [v for v in representatives if v > values[-1]]
        return f">= {low}" if not higher else (f"< {higher[0]}" if low == 0 else f">= {low} and < {higher[0]}")
    if spec.kind == "choice":
        return " or ".join(values)
    other = representatives[-1]  # the code standing for every country no rule names
    named = [v for v in values if v != other]
    if other in values:
        return "another country" if not named else f"{', '.join(named)} or another country"
    return " or ".join(named)


def _bits(variables: tuple[str, ...], code: int) -> tuple[tuple[str, bool], ...]:
    return tuple((variable, bool(code >> bit & 1)) for bit, variable in enumerate(variables))


@dataclass(frozen=True)
class Case:
    """One value class of a deciding fact, and the statuses still reached when the fact has it."""

    value: str
    statuses: tuple[str, ...]


@dataclass(frozen=True)
class DecidingFact:
    """An unknown fact that can change the status, with what each of its values leads to."""

    fact: str
    cases: tuple[Case, ...]


@dataclass(frozen=True)
class StatusDecision:
    """The exact status of a head over the completions of the unknown facts."""

    status: str | None
    """The status in every completion, or None when completions disagree (undetermined)."""
    reached: tuple[str, ...]
    """The statuses some completion reaches, in the head's order."""
    deciding: tuple[DecidingFact, ...] = ()
    """The facts that can change the status, most decisive first."""
    diagrams: Mapping[str, Node] | None = None
    """Each reached status as a diagram (None when Kleene alone settled the head)."""

    @property
    def missing_facts(self) -> tuple[str, ...]:
        return tuple(fact.fact for fact in self.deciding)


class Decisions:
    """One regime's exact decisions on one scenario: statuses of heads, and classes of rules."""

    def __init__(self, encodings: Callable[[], FactEncodings], book: Rulebook, rules: list[Rule],
                 facts: Mapping[str, Any], state: Closure) -> None:
        self._encodings = encodings
        self.book = book
        self.facts = facts
        self.state = state
        self.in_force = {rule.id: rule for rule in rules}
        self.producers: dict[str, list[Rule]] = {}
        for rule in rules:
            self.producers.setdefault(rule.conclusion, []).append(rule)
        self._conclusions: dict[str, Node] = {}
        self._rules: dict[str, Node] = {}
        self._deciding: dict[tuple[tuple[str, Node], ...], tuple[DecidingFact, ...]] = {}
        """Heads of several proceedings often share their diagrams: their deciding facts are read once."""
        self._cyclic = any(rule.id in book.cyclic for rule in rules)

    @cached_property
    def encodings(self) -> FactEncodings:
        """The regime's encodings, asked for only once a diagram is needed: what Kleene settles is
        answered without them."""
        encodings = self._encodings()
        self.__dict__["encodings"] = encodings  # the fixpoint below builds diagrams with it
        if self._cyclic:
            self._fixpoint()
        return encodings

    @property
    def manager(self) -> Any:
        return self.encodings.manager

    # -- answers that Kleene may already give --------------------------------------------------------

    def kleene(self, rule_id: str) -> bool | None:
        """The rule's three-valued value on the scenario (false for a rule not in force)."""
        rule = self.in_force.get(rule_id)
        return False if rule is None else rule.holds(self.facts, self.state.certain, self.state.possible)

    def rule_holds(self, rule_id: str) -> bool | None:
        """Whether the rule holds in every completion (True), in none (False) or in some (None)."""
        value = self.kleene(rule_id)
        return value if value is not None else self.holds(self.rule(rule_id))

    def reachable(self, conclusion: str) -> bool:
        """Whether some completion draws the conclusion."""
        if conclusion in self.state.certain:
            return True
        if conclusion not in self.state.possible:
            return False
        return self.holds(self.conclusion(conclusion)) is not False

    def needs(self, rule_id: str) -> list[str]:
        """The unknown facts on which whether the rule holds depends."""
        return [] if self.kleene(rule_id) is not None else self.facts_of(self.rule(rule_id))

    # -- diagrams ---------------------------------------------------------------------------------

    def conclusion(self, name: str) -> Node:
        """The completions in which `name` holds."""
        if name not in self._conclusions:
            if name in self.state.certain:
                node = self.manager.true
            elif name not in self.state.possible:
                node = self.manager.false
            else:
                node = self.manager.false
                for rule in self.producers.get(name, []):
                    node |= self.rule(rule.id)
            self._conclusions[name] = node
        return self._conclusions[name]

    def rule(self, rule_id: str) -> Node:
        """The completions in which the rule's condition holds (false for a rule not in force)."""
        if rule_id not in self._rules:
            value = self.kleene(rule_id)
            self._rules[rule_id] = self.manager.true if value is True else self.manager.false if value is False \
                else self._condition(self.in_force[rule_id].condition)
        return self._rules[rule_id]

    def _condition(self, condition: Condition) -> Node:
        if isinstance(condition, FactTest):
            value = self.facts.get(condition.path)
            if value is not None:
                return self.manager.true if condition.evaluate(value) else self.manager.false
            return self.encodings.test_nodes[condition]
        if isinstance(condition, Holds):
            return self.conclusion(condition.conclusion)
        if isinstance(condition, Absent):
            return ~self.conclusion(condition.conclusion)
        parts = (self._condition(item) for item in condition.items)
        if isinstance(condition, All):
            node = self.manager.true
            for part in parts:
                node &= part
                if node == self.manager.false:
                    break
            return node
        assert isinstance(condition, Any_)
        node = self.manager.false
        for part in parts:
            node |= part
            if node == self.manager.true:
                break
        return node

    def _fixpoint(self) -> None:
        """Conclusions on positive cycles: iterate from false until no diagram changes (the least
        fixpoint, as stratified evaluation reaches it in every completion)."""
        manager = self.manager
        ordered = sorted(self.in_force.values(), key=lambda rule: self.book.sequence[rule.id])
        # conclusions on a cycle start false, so a pass never recurses into one still being built
        previous = {rule.conclusion: manager.false for rule in ordered if rule.id in self.book.cyclic}
        first = True
        while True:
            self._rules = {}
            current: dict[str, Node] = {}
            self._conclusions = dict(previous)
            for rule in ordered:
                value = rule.holds(self.facts, self.state.certain, self.state.possible)
                node = manager.true if value is True else manager.false if value is False \
                    else self._condition(rule.condition)
                self._rules[rule.id] = node
                current[rule.conclusion] = current.get(rule.conclusion, manager.false) | node
                self._conclusions[rule.conclusion] = current[rule.conclusion]
            if not first and all(previous.get(c) == n for c, n in current.items()):
                self._conclusions = current
                return
            previous, first = current, False

    def _guard(self, name: str, diagrams: Mapping[str, Node]) -> None:
        """Refuse a decision whose diagrams outgrow the guard, rather than approximate it."""
        if sum(node.dag_size for node in diagrams.values()) > MAX_NODES:
            raise DecisionError(f"{self.book.regime}: deciding `{name}` needs more than {MAX_NODES:,} diagram "
                                "nodes; narrow the scenario's unknown facts")

    # -- readings ---------------------------------------------------------------------------------

    def holds(self, node: Node) -> bool | None:
        """True in every completion, False in none, None in some."""
        return True if node == self.manager.true else False if node == self.manager.false else None

    def facts_of(self, node: Node) -> list[str]:
        """The facts a diagram depends on, in the vocabulary's order."""
        owners = {self.encodings.owner[variable] for variable in self.manager.support(node)}
        return [path for path in self.encodings.encodings if path in owners]

    def status(self, head: str, outcomes: list[tuple[str, str]], otherwise: str) -> StatusDecision:
        """The exact status of a head whose status is that of its first outcome that holds."""
        quick = kleene_status(outcomes, otherwise, self.state)
        if quick is not None:
            return StatusDecision(quick, (quick,))
        reached = self.status_diagrams(head, outcomes, otherwise)
        if len(reached) == 1:
            (status,) = reached
            return StatusDecision(status, (status,), diagrams=reached)
        return StatusDecision(None, tuple(reached), self.deciding(reached), reached)

    def status_diagrams(self, head: str, outcomes: list[tuple[str, str]], otherwise: str) -> dict[str, Node]:
        """Each status some completion reaches, as the diagram of the completions reaching it."""
        diagrams: dict[str, Node] = {}
        earlier = self.manager.false
        for conclusion, status in outcomes:
            node = self.conclusion(conclusion) & ~earlier
            earlier |= self.conclusion(conclusion)
            diagrams[status] = diagrams.get(status, self.manager.false) | node
        diagrams[otherwise] = diagrams.get(otherwise, self.manager.false) | ~earlier
        self._guard(head, diagrams)
        return {status: node for status, node in diagrams.items() if node != self.manager.false}

    def deciding(self, diagrams: Mapping[str, Node]) -> tuple[DecidingFact, ...]:
        """Each fact the statuses depend on, with the statuses each of its values leaves reachable;
        those with a value that settles the status first, then those that rule most out."""
        key = tuple(diagrams.items())
        if key not in self._deciding:
            self._deciding[key] = self._read_deciding(diagrams)
        return self._deciding[key]

    def _read_deciding(self, diagrams: Mapping[str, Node]) -> tuple[DecidingFact, ...]:
        supports = {status: set(self.facts_of(node)) for status, node in diagrams.items()}
        facts = list(dict.fromkeys(f for support in supports.values() for f in support))
        found = []
        for path in facts:
            cases = []
            for value_class in self.encodings.encodings[path].classes:
                statuses = self._reached_with(diagrams, supports, path, value_class.selector)
                cases.append(Case(value_class.label, statuses))
            found.append(DecidingFact(path, tuple(cases)))
        everything = len(diagrams)
        order = {path: index for index, path in enumerate(self.encodings.encodings)}
        return tuple(sorted(found, key=lambda item: (
            -sum(len(case.statuses) == 1 for case in item.cases),
            -sum(everything - len(case.statuses) for case in item.cases), order[item.fact])))

    def witness(self, diagrams: Mapping[str, Node], fact: str,
                facts: list[str]) -> tuple[dict[str, Any], dict[str, Any]] | None:
        """Two completions of `facts` that differ in `fact` alone and reach different statuses: the
        proof that `fact` belongs in `missing_facts` (None if there is none)."""
        encoding = self.encodings.encodings[fact]
        for status, node in diagrams.items():
            for first, second in itertools.combinations(encoding.classes, 2):
                if set(dict(first.assignment)) != set(dict(second.assignment)):
                    continue
                left, right = self.manager.let(dict(first.assignment), node), self.manager.let(dict(second.assignment), node)
                differs = (left & ~right) | (~left & right)
                if differs == self.manager.false:
                    continue
                picked = self.manager.pick(differs)
                def completion(chosen: ValueClass) -> dict[str, Any]:
                    assignment = {**picked, **dict(chosen.assignment)}
                    return {path: self.encodings.encodings[path].value_of(assignment) for path in facts}
                return completion(first), completion(second)
        return None

    def _reached_with(self, diagrams: Mapping[str, Node], supports: Mapping[str, set[str]], path: str,
                      selector: Node) -> tuple[str, ...]:
        """The statuses some completion reaches with the fact in the class `selector` selects. A status
        whose diagram does not depend on the fact is reached whatever its value; the statuses cover
        every completion, so when no other is reached, the last one is."""
        reached = []
        last = len(diagrams) - 1
        for index, (status, node) in enumerate(diagrams.items()):
            if path not in supports[status] or (index == last and not reached) \
                    or (node & selector) != self.manager.false:
                reached.append(status)
        return tuple(reached)

    def penalty_range(self, carriers: list[str], severities: list[Any],
                      within: Node | None) -> tuple[int | None, int | None, list[str]]:
        """The exact range of a penalty over the completions in `within` (None: all of them).

        In each completion the penalty at stake is the most severe one carried by the rules that
        fire there (`carriers`, with their `severities`). Returns the index of the lowest such
        maximum some completion reaches (None if some completion fires none), of the highest (None
        if none fires at all), and the facts on which whether the highest is at stake depends.
        """
        values = [self.kleene(rule_id) for rule_id in carriers]
        if within is None and all(value is not None for value in values):
            firing = [index for index, value in enumerate(values) if value]
            worst = max(firing, key=severities.__getitem__, default=None)  # the first of equals
            return worst, worst, []
        manager = self.manager
        everything = manager.true if within is None else within
        fires = [self.rule(rule_id) & everything for rule_id in carriers]
        possible = [index for index, node in enumerate(fires) if node != manager.false]
        if not possible:
            return None, None, []
        worst = max(possible, key=severities.__getitem__)
        covered = manager.false
        for index in possible:
            covered |= fires[index]
        lowest = None
        if (everything & ~covered) == manager.false:
            for index in sorted(possible, key=severities.__getitem__):
                stronger = manager.false
                for other in possible:
                    if severities[other] > severities[index]:
                        stronger |= fires[other]
                if (fires[index] & ~stronger) != manager.false:
                    lowest = index
                    break
        return lowest, worst, self.facts_of(fires[worst])


def kleene_status(outcomes: list[tuple[str, str]], otherwise: str, state: Closure) -> str | None:
    """The status if three-valued reasoning already settles it, else None."""
    for conclusion, status in outcomes:
        if conclusion in state.certain:
            return status
        if conclusion in state.possible:
            return None
    return otherwise


