"""What would change a finding: the smallest sets of fact changes that give it each other status.

The question is exact, and answered on decision diagrams rather than by trying changes. Each fact
the rules test gets three encodings in a diagram manager of its own: a *change* variable (the
fact is set otherwise), its value once set (the *stated* copy) and its value if it stays unknown
(the *open* copy). A fact's test then reads: if changed, the test on the stated copy; if not, the
test on the fact as the scenario has it (a constant for a known fact, the open copy for an unknown
one). Over these, the diagram of "the head has status S" is built exactly as
:mod:`liability.decide` builds it, and

    can_reach(S)(changes) = exists stated copies . for all open copies . status is S

says which sets of changes make S certain, the facts left unknown staying open (so that a
hypothetical never claims an answer its open questions could still overturn). Setting more facts
never hurts, so the sets are closed upward, and the answers are its minimal sets, read off by size
with a cardinality constraint: no sampling, and nothing beyond `max_changes` is ever called
unreachable without saying that the search stopped there.

The scenario must stay one the loader accepts (a child under 15 is a minor: the facts file's
implications), and a fact a court deduces (rules/facts.yaml `deduction`) follows the changes of
the facts it is deduced from unless it is itself set. Every answer is then checked by running the
real assessment on the changed scenario, which also names the rule that would decide.
"""

from __future__ import annotations

import fnmatch
import math
from typing import Any, Iterable, Mapping

from ._compat import diagram_module
from .analysis import fact_value
from .changes import Change, with_changes
from .conditions import FactTest, atoms, parse
from .decide import Decisions, DecisionError, Encoding, Node, encode_fact, tests_by_fact
from .deductions import Deduction
from .evaluator import closure
from .findings import build_finding
from .reasoner import Reasoner, RegimeDecision
from .reports import FindingRef, ReportModel, ScenarioReport
from .rulebook import Head, Rulebook
from .scenario import FactSpec, Scenario

SCHEMA = "liability/flips-v1"
MAX_ALTERNATIVES = 12
"""Ways of making one set of changes listed in full; beyond, the count is given exactly."""


class FactSetting(ReportModel):
    fact: str
    before: Any
    """The value now (`unknown` for an open fact, `not_shown` for one a closed record lacks)."""
    after: list[str]
    """The values that work, as classes of values (`true`, `classifieds or forum`, `>= 2`)."""


class DecidingRule(ReportModel):
    rule: str
    cites: str
    url: str
    because: str
    holds: bool
    """True: the rule would then hold and decide; False: it holds now and would stop holding."""


class Flip(ReportModel):
    status: str
    size: int
    changes: list[FactSetting]
    ways: int
    """How many combinations of the values listed make the status certain (at least one)."""
    decided_by: list[DecidingRule]
    strength: str | None
    """The strength of the finding after the change (from the assessment of the changed scenario)."""


class FindingFlips(FindingRef):
    status: str
    flips: list[Flip]
    """Each minimal set of changes, smallest first, for each other status."""
    beyond: list[str]
    """Statuses some change reaches, but none of at most `max_changes` facts."""
    unreachable: list[str]
    """The head's other statuses that no change of the facts not kept can make certain."""


class Flips(ScenarioReport):
    max_changes: int
    kept: list[str]
    """The facts held as they are (`--keep`)."""
    findings: list[FindingFlips]

    def to_records(self) -> list[dict[str, Any]]:
        """One flat record per set of changes: the finding, the status it would take, the facts
        changed and the values that work (`fact=value | value; ...`), the rules it turns."""
        return [{"scenario": self.scenario, "regime": f.regime, "head": f.head, "proceeding": f.proceeding,
                 "status": f.status, "would_be": flip.status, "size": flip.size,
                 "changes": "; ".join(f"{c.fact}={' | '.join(c.after)}" for c in flip.changes),
                 "decided_by": "; ".join(rule.rule for rule in flip.decided_by), "strength": flip.strength}
                for f in self.findings for flip in f.flips]


class FlipError(ValueError):
    """A request that cannot be answered as asked (a `--keep` pattern matching no fact...)."""


# -- the diagram space ---------------------------------------------------------------------------


class FlipSpace:
    """For one rulebook: the change, stated and open encodings of every fact it tests.

    Built once per rulebook and process; each query adds only its own diagrams. The manager
    reorders its variables as it likes: the answers are read in the vocabulary's order, so the
    variable order changes their cost, never their content.
    """

    def __init__(self, book: Rulebook, vocabulary: Mapping[str, FactSpec], deductions: Iterable[Deduction]) -> None:
        self.manager = diagram_module().BDD()
        self.manager.configure(reordering=True)
        self.implications = [(spec.path, other, value) for spec in vocabulary.values() for other, value in spec.implies]
        tests = tests_by_fact(book.rules)
        extra = [atom for deduction in deductions for atom in atoms(deduction.condition) if isinstance(atom, FactTest)]
        for fact, other, value in self.implications:
            extra += [parse(fact, vocabulary), parse({"fact": other, "is": value}, vocabulary)]
        for atom in extra:
            tests.setdefault(atom.path, [])
            if atom not in tests[atom.path]:
                tests[atom.path].append(atom)
        self.paths = [path for path in vocabulary if path in tests]
        self.change: dict[str, Node] = {}
        self.stated: dict[str, tuple[Encoding, dict[FactTest, Node]]] = {}
        self.open: dict[str, tuple[Encoding, dict[FactTest, Node]]] = {}
        self.owner: dict[str, str] = {}
        for index, path in enumerate(self.paths):
            self.manager.declare(f"c{index}")
            self.change[path] = self.manager.var(f"c{index}")
            self.owner[f"c{index}"] = path
            self.stated[path] = encode_fact(self.manager, vocabulary[path], tests[path], f"x{index}")
            self.open[path] = encode_fact(self.manager, vocabulary[path], tests[path], f"z{index}")
        self.stated_variables = [v for encoding, _ in self.stated.values() for v in encoding.variables]
        self.open_variables = [v for encoding, _ in self.open.values() for v in encoding.variables]

    def change_name(self, path: str) -> str:
        return f"c{self.paths.index(path)}"


_SPACES: dict[int, tuple[Rulebook, FlipSpace]] = {}


def flip_space(reasoner: Reasoner, regime: str) -> FlipSpace:
    """The regime's space, built on first use and kept for the process."""
    book = reasoner.rulebook(regime)
    kept = _SPACES.get(id(book))
    if kept is None or kept[0] is not book:
        kept = (book, FlipSpace(book, reasoner.vocabulary.facts, reasoner.deductions))
        _SPACES[id(book)] = kept
    return kept[1]


class _OpenDecisions(Decisions):
    """Decisions whose fact tests read through the change variables (see the module's docstring)."""

    def __init__(self, space: FlipSpace, book: Rulebook, decided: RegimeDecision, scenario: Scenario,
                 movable: frozenset[str], deductions: tuple[Deduction, ...]) -> None:
        self.space = space
        self.movable = movable
        self.current = dict(decided.facts)
        self.deducible = {d.fact for d in deductions if scenario.fact(d.fact) is None}
        base = scenario.record(book.defence_facts)
        self.base = {path: base.fact(path) for path in self.deducible}
        self.deductions = [d for d in deductions if d.fact in self.deducible]
        self._nodes: dict[FactTest, Node] = {}
        self._deduced: dict[str, list[tuple[Deduction, Node]]] = {}
        facts = {path: None if path in space.open else value for path, value in self.current.items()}
        rules = [rule for rule in book.order if rule.id in decided.selection.in_force]
        super().__init__(lambda: space, book, rules, facts, closure(rules, book, facts))

    @property
    def manager(self) -> Any:
        return self.space.manager

    def _condition(self, condition: Any) -> Node:
        if isinstance(condition, FactTest) and condition.path in self.space.open:
            if condition not in self._nodes:
                self._nodes[condition] = self._test(condition)
            return self._nodes[condition]
        return super()._condition(condition)

    def _constant(self, value: bool | None) -> Node:
        return self.manager.true if value else self.manager.false

    def _unchanged(self, test: FactTest) -> Node:
        """The test on the fact as the scenario has it, deductions following their grounds."""
        path = test.path
        if path in self.deducible:
            node = self._kept(test, self.base[path])
            for deduction, holds in reversed(self._deductions_of(path)):
                node = self.manager.ite(holds, self._constant(test.evaluate(deduction.value)), node)
            return node
        return self._kept(test, self.current.get(path))

    def _kept(self, test: FactTest, value: Any) -> Node:
        return self.space.open[test.path][1][test] if value is None else self._constant(test.evaluate(value))

    def _deductions_of(self, path: str) -> list[tuple[Deduction, Node]]:
        """Each deduction of `path` with the changes under which it holds on the stated facts
        (certainly: whatever the open facts are, as the loader applies it)."""
        if path not in self._deduced:
            self._deduced[path] = [(d, self.manager.forall(self.space.open_variables, self._condition(d.condition)))
                                   for d in self.deductions if d.fact == path]
        return self._deduced[path]

    def _test(self, test: FactTest) -> Node:
        unchanged = self._unchanged(test)
        if test.path not in self.movable:
            return unchanged
        return self.manager.ite(self.space.change[test.path], self.space.stated[test.path][1][test], unchanged)


# -- the query -----------------------------------------------------------------------------------


def kept_facts(patterns: Iterable[str], vocabulary: Mapping[str, FactSpec]) -> frozenset[str]:
    """The facts `--keep` patterns name (`service.*`, `money.posting_fees`); a pattern that names
    none is an error, with the nearest fact."""
    import difflib

    kept: set[str] = set()
    for pattern in patterns:
        matched = [path for path in vocabulary if fnmatch.fnmatchcase(path, pattern)]
        if not matched:
            close = difflib.get_close_matches(pattern, list(vocabulary), n=1, cutoff=0.6)
            hint = f" - did you mean `{close[0]}`?" if close else " (a fact path, or a pattern such as `service.*`)"
            raise FlipError(f"--keep {pattern}: names no fact{hint}")
        kept.update(matched)
    return frozenset(kept)


def _exactly(manager: Any, literals: list[Node], size: int) -> Node:
    """Exactly `size` of the literals true (a cardinality constraint, built by counting)."""
    row = [manager.true] + [manager.false] * size
    for literal in literals:
        row = [row[0] & ~literal] + [(row[k] & ~literal) | (row[k - 1] & literal) for k in range(1, size + 1)]
    return row[size]


def _minimal_sets(space: FlipSpace, reach: Node, max_changes: int) -> tuple[list[list[str]], bool]:
    """The minimal sets of facts whose change reaches the status, up to `max_changes` facts, in
    size then vocabulary order; and whether larger sets would reach it too."""
    manager = space.manager
    support = [space.owner[v] for v in manager.support(reach) if v in space.owner]
    support.sort(key=space.paths.index)
    literals = [space.change[path] for path in support]
    covered = manager.false
    found: list[list[str]] = []
    for size in range(1, min(max_changes, len(support)) + 1):
        candidates = reach & _exactly(manager, literals, size) & ~covered
        names = [space.change_name(path) for path in support]
        at_size = [sorted((space.owner[v] for v, on in picked.items() if on), key=space.paths.index)
                   for picked in manager.pick_iter(candidates, care_vars=set(names))]
        at_size.sort(key=lambda facts: [space.paths.index(f) for f in facts])
        for facts in at_size:
            found.append(facts)
            cube = manager.true
            for path in facts:
                cube &= space.change[path]
            covered |= cube
    beyond = (reach & ~covered) != manager.false
    return found, beyond


def _values(space: FlipSpace, witness: Node, facts: list[str]) -> tuple[list[list[tuple[str, Any]]], int]:
    """The combinations of values of `facts` that make the status certain, as (label, value) per
    fact, and how many there are."""
    manager = space.manager
    encodings = [space.stated[path][0] for path in facts]
    care = {v for encoding in encodings for v in encoding.variables}
    combinations: dict[tuple[str, ...], list[tuple[str, Any]]] = {}
    for picked in manager.pick_iter(witness, care_vars=care):
        chosen = [_class_of(encoding, picked) for encoding in encodings]
        combinations.setdefault(tuple(label for label, _ in chosen), chosen)
    ordered = sorted(combinations.values(), key=lambda combination: [label for label, _ in combination])
    return ordered, len(ordered)


def _class_of(encoding: Encoding, assignment: Mapping[str, bool]) -> tuple[str, Any]:
    """The value class an assignment of the stated copy selects: its label and a value of it."""
    if encoding.regions:
        included = [c for c in encoding.classes if c.value is not None and assignment.get(c.assignment[0][0])]
        return ("; ".join(c.label for c in included) or "[]"), [c.value for c in included]
    code = sum(1 << bit for bit, variable in enumerate(encoding.variables) if assignment.get(variable))
    chosen = encoding.classes[min(code, len(encoding.classes) - 1)]
    return chosen.label, chosen.value


def _regions_summary(encoding: Encoding, values: list[Any]) -> str | None:
    """For a list of countries, the lists that work said as what they must include and must not
    (`includes FR`), when exactly every list meeting that works; None otherwise, or for another
    kind of fact."""
    if not encoding.regions:
        return None
    regions = [(encoding.classes[k], encoding.classes[k + 1]) for k in range(0, len(encoding.classes), 2)]
    memberships = {tuple(included.value in value for included, _ in regions) for value in values}
    always = [index for index in range(len(regions)) if all(member[index] for member in memberships)]
    never = [index for index in range(len(regions)) if not any(member[index] for member in memberships)]
    if 2 ** (len(regions) - len(always) - len(never)) != len(memberships):
        return None
    return "; ".join([regions[index][0].label for index in always] + [regions[index][1].label for index in never])


def _deciding_rules(book: Rulebook, head: Head, proceeding: str, status: str, before: RegimeDecision,
                    after: RegimeDecision, lang: str) -> list[DecidingRule]:
    """The rules the change turns: among those the head's finding reads, for a status an outcome
    concludes, the rules that would then hold and do not now; for the head's fallback status (no
    outcome holds), those that hold now, or might, and would not. Rules naming an element of the
    offence or exemption come first, as a lawyer names the ground, not the mechanism."""
    concluding = any(s == status for _, s in head.outcomes_for(proceeding))

    def turned(rule_id: str) -> bool:
        now = before.exact.rule_holds(rule_id) if rule_id in before.selection.in_force else False
        then = after.exact.rule_holds(rule_id) if rule_id in after.selection.in_force else False
        return then is True and now is not True if concluding else now is not False and then is False

    rules = [book.by_id[rule_id] for rule_id in sorted(book.bearing(head.id, proceeding), key=book.sequence.__getitem__)
             if turned(rule_id)]
    rules.sort(key=lambda rule: rule.element is None)
    return [DecidingRule(rule=rule.id, cites=rule.cites, url=rule.url, because=rule.because.get(lang),
                         holds=concluding) for rule in rules]


def finding_flips(reasoner: Reasoner, scenario: Scenario, regime: str, head_id: str, proceeding: str,
                  kept: frozenset[str] = frozenset(), max_changes: int = 3, lang: str = "en",
                  decided: RegimeDecision | None = None) -> FindingFlips:
    """The minimal sets of changes that give one finding each of its other statuses."""
    book = reasoner.rulebook(regime)
    head = book.heads[head_id]
    decided = decided or reasoner.decide(scenario, regime)
    outcomes = head.outcomes_for(proceeding)
    statuses = list(dict.fromkeys([s for _, s in outcomes] + [head.fallback]))
    words = dict(regime=regime, head=head_id, proceeding=proceeding,
                 proceeding_label=book.proceeding_labels[proceeding].get(lang), question=head.question.get(lang),
                 kind=head.kind)
    if not any(rule.id in decided.selection.in_force or rule.id in decided.selection.abolished
               for conclusion, _ in outcomes for rule in book.producers.get(conclusion, [])):
        # none of the head's texts is in force on these dates: no fact can make it apply
        return FindingFlips(**words, status="not_applicable", flips=[], beyond=[], unreachable=statuses)
    space = flip_space(reasoner, regime)
    movable = frozenset(path for path in space.paths if path not in kept)
    decisions = _OpenDecisions(space, book, decided, scenario, movable, reasoner.deductions)
    current = decided.statuses[(head_id, proceeding)].status or "undetermined"
    everything = decisions.status_diagrams(head_id, outcomes, head.fallback)
    valid = _respecting_implications(space, scenario, movable)
    manager = space.manager
    flips: list[Flip] = []
    beyond: list[str] = []
    unreachable: list[str] = []
    for status in statuses:
        if status == current:
            continue
        node = everything.get(status, manager.false)
        certain = valid & manager.forall(space.open_variables, node)
        reach = manager.exist(space.stated_variables, certain)
        _guard(manager, regime, head_id, (node, certain, reach))
        if reach == manager.false:
            unreachable.append(status)
            continue
        sets, more = _minimal_sets(space, reach, max_changes)
        if more and not sets:
            beyond.append(status)
        for facts in sets:
            flips.append(_flip(reasoner, scenario, decided, book, head, proceeding, status, facts,
                               space, certain, lang))
    return FindingFlips(**words, status=current, flips=flips, beyond=beyond, unreachable=unreachable)


def _guard(manager: Any, regime: str, head: str, nodes: tuple[Node, ...]) -> None:
    from .decide import MAX_NODES

    if sum(node.dag_size for node in nodes) > MAX_NODES:
        raise DecisionError(f"{regime}: the changes that would flip `{head}` need more than {MAX_NODES:,} "
                            "diagram nodes; keep more facts as they are (--keep)")


def _respecting_implications(space: FlipSpace, scenario: Scenario, movable: frozenset[str]) -> Node:
    """The changes after which the scenario is still one the loader accepts: no fact declared to
    imply another's value (a child under 15 is a minor) true beside a stated contrary value."""
    manager = space.manager
    valid = manager.true
    for fact, other, value in space.implications:
        if fact not in space.paths or other not in space.paths:
            continue
        true_test = next(t for t in space.stated[fact][1] if t.op == "true")
        is_test = next(t for t in space.stated[other][1] if t.op == "is" and t.value == value)
        stated_fact = scenario.fact(fact)
        stated_other = scenario.fact(other)
        holds = manager.true if stated_fact is True else manager.false
        other_stated = manager.false if stated_other is None else manager.true
        other_agrees = manager.true if stated_other == value else manager.false
        if fact in movable:
            holds = manager.ite(space.change[fact], space.stated[fact][1][true_test], holds)
        if other in movable:
            other_stated |= space.change[other]
            other_agrees = manager.ite(space.change[other], space.stated[other][1][is_test], other_agrees)
        valid &= ~(holds & other_stated & ~other_agrees)
    return valid


def _flip(reasoner: Reasoner, scenario: Scenario, decided: RegimeDecision, book: Rulebook, head: Head,
          proceeding: str, status: str, facts: list[str], space: FlipSpace, certain: Node, lang: str) -> Flip:
    """One minimal set of changes: the values that work, checked on the real assessment, and the
    rule that would then decide."""
    manager = space.manager
    chosen = {space.change_name(path): path in facts for path in space.paths}
    witness = manager.let(chosen, certain)
    combinations, ways = _values(space, witness, facts)
    first = combinations[0]
    changed = with_changes(scenario, [Change(path, value, str(value)) for path, (_, value) in zip(facts, first)])
    after = reasoner.decide(changed, decided.book.regime)
    got = after.statuses[(head.id, proceeding)].status
    if got != status:
        raise AssertionError(f"{head.id}: the diagrams say {facts} give {status}, the assessment gives {got}")
    alternatives = [list(dict.fromkeys(combination[index][0] for combination in combinations))
                    for index in range(len(facts))]
    if len(combinations) == math.prod(map(len, alternatives)):  # each fact's values work whatever the others'
        for index, path in enumerate(facts):
            summary = _regions_summary(space.stated[path][0], [combination[index][1] for combination in combinations])
            alternatives[index] = [summary] if summary else alternatives[index]
    settings = [FactSetting(fact=path, before=fact_value(decided.facts.get(path)), after=alternatives[index])
                for index, path in enumerate(facts)]
    strength = build_finding(book, head, proceeding, after.record, after.facts, after.run,
                             after.statuses[(head.id, proceeding)], after.exact, after.selection, lang,
                             explain=False).strength
    return Flip(status=status, size=len(facts), changes=settings, ways=ways,
                decided_by=_deciding_rules(book, head, proceeding, status, decided, after, lang), strength=strength)


def flips(reasoner: Reasoner, scenario: Scenario, heads: Iterable[str] = (), keep: Iterable[str] = (),
          max_changes: int = 3, lang: str = "en", only: list[str] | None = None) -> Flips:
    """For each finding (of `heads`, or all), the smallest sets of changes that give it each other
    status, facts matching `keep` held as they are."""
    kept = kept_facts(keep, reasoner.vocabulary.facts)
    wanted = set(heads)
    found = []
    for regime in reasoner.regimes_for(scenario, only):
        decided = reasoner.decide(scenario, regime)
        for (head, proceeding) in decided.statuses:
            if not wanted or head in wanted:
                found.append(finding_flips(reasoner, scenario, regime, head, proceeding, kept, max_changes, lang,
                                           decided))
    return Flips(schema=SCHEMA, scenario=scenario.id, title=scenario.title, lang=lang, max_changes=max_changes,
                 kept=sorted(kept), findings=found, values=reasoner.vocabulary.value_labels(lang))


__all__ = ["Flips", "FindingFlips", "Flip", "FlipError", "finding_flips", "flips", "kept_facts"]
