"""The direct engine: the experta engine's firing, simulated in plain Python.

experta stays the engine of a single `run` (DESIGN.md section 3), but it costs tens of
milliseconds a scenario; work over many scenarios (batch runs, `check`) uses this engine, which
follows the same firing plan (:mod:`liability.plan`) and fires, at each step, the
highest-priority unit whose condition holds and whose rule variant has not fired yet. That is
what experta's agenda does with one distinct salience per unit, so both engines draw the same
conclusions and record the same trace, step for step (a test checks it on every bundled scenario
and on random ones).

Its cost is linear in the number of units (DESIGN.md section 9), because nothing is rescanned:

* Facts do not change during a run, so which branches of which units hold on the facts is settled
  once, before the first firing. Each fact read gives, from a table of that fact's values, the
  set of branches the value defeats (a test not certainly true defeats a certain unit's branch, a
  test false a possible unit's); the tables are filled as values are met, and a fact takes few
  values (true, false, unknown, a choice's values), so a fact costs one look-up and no test is
  evaluated twice.
* Sets of branches are the bits of one integer: each unit's branches side by side, in firing
  order, with a spare bit above them. Adding all ones to each unit's branches carries into its
  spare bit exactly when one of them holds, so a handful of integer operations says which units
  hold on the facts. The spare bit is the unit's position.
* The agenda is a set of positions, cut into chunks of fixed width; a heap keeps the chunks that
  are not empty, and the lowest position of the lowest chunk is the unit experta fires next.
* A unit enters the agenda when the last conclusion it needs is drawn at its level (certain units
  need certain premises, possible units possible ones). Each conclusion knows, chunk by chunk, the
  units waiting for it: those it is the only premise of enter at once, one integer operation per
  chunk; the others count it, and enter when the count runs out.
* Negations (`not X`) only ever turn against a unit, never for it: they are checked when the unit
  is taken from the agenda, which drops it for good if they fail. A firing makes the other units
  of its rule variant redundant, and those of the possible variant once the certain one fires
  (experta records each variant once): they leave the agenda, and the units that hold, at once.

The units in force in each period of the law are laid out once, on the first scenario of that
period; periods are few, since they follow the dates in the rules.
"""

from __future__ import annotations

from functools import reduce
from heapq import heappop, heappush
from operator import getitem, itemgetter, or_
from typing import Any, Callable, Iterable, NamedTuple

from .conditions import FactTest
from .evaluator import Closure
from .plan import Unit, firing_plan
from .rulebook import Rulebook
from .scenario import FactSpec, Scenario
from .schema import Text
from .trace import Run, Step

CHUNK_BITS = 256
"""Width of one chunk of the layout: wide enough that most conclusions' waiting units lie in one
chunk, narrow enough that an operation on a chunk costs the same however many rules there are."""

REMEMBERED_VALUES = 64
"""How many values of one fact a period remembers the defeated branches of. Facts take few
values; a count or a list of countries can take many, and memory must stay flat (DESIGN.md
section 9): past this, a value's branches are worked out each time it is met."""

Reads = tuple[tuple[str, int], ...]
"""The facts one branch tests: each path with its place among the values a period reads."""

Waiting = tuple[tuple[int, int, int], ...]
"""Units waiting for a conclusion, chunk by chunk: (chunk, the bits of the units it is the only
premise of, the bits of the units that need other premises too)."""

_new_step = tuple.__new__
"""Builds a Step as ``Step(...)`` does, without the Python frame of a named tuple's ``__new__``:
the firing loop builds one per step."""


class _Slot(NamedTuple):
    """A unit in force, as the firing loop reads it (a tuple: the loop unpacks it in one step)."""

    certain: bool
    absent: frozenset[str] | None
    reads: Reads | None
    """The facts of its only branch; None when it has several (see :func:`_first_branch`)."""
    first_branch: int
    """The bit of its first branch; the others follow it."""
    branches: tuple[Reads, ...]
    redundant: tuple[tuple[int, int], ...]
    """The units its firing makes redundant, as (chunk, the bits of every other unit in it):
    experta records a rule variant once, and a rule's possible variant not at all once its certain
    variant has fired."""
    tell_both: Waiting
    """The units to tell when its conclusion becomes certain and possible at once,"""
    tell_certain: Waiting
    """when it becomes certain, having been possible,"""
    tell_possible: Waiting
    """and when it becomes possible only."""
    rule: str
    cites: str
    conclusions: tuple[str, ...]
    absent_names: tuple[str, ...]
    concluded: str
    element: Text | None
    strength: str


class _Defeated(dict[Any, int]):
    """One fact's table: for each value met, the bits of the branches that value defeats.

    A validated scenario gives each fact values of one type, so a key never stands for a value of
    another type that compares equal to it (``True`` and ``1``)."""

    def __init__(self, tests: list[tuple[int, FactTest, bool]]) -> None:
        super().__init__()
        self.tests = tests

    def __missing__(self, value: Any) -> int:
        defeated = _bits(bit for bit, test, certain in self.tests
                         if (test.evaluate(value) is not True if certain else test.evaluate(value) is False))
        if len(self) < REMEMBERED_VALUES:
            self[value] = defeated
        return defeated


def _bits(positions: Iterable[int]) -> int:
    """An integer with these bits set, built in one pass (setting them one by one is quadratic)."""
    ordered = sorted(positions)
    if not ordered:
        return 0
    data = bytearray(ordered[-1] // 8 + 1)
    for position in ordered:
        data[position // 8] |= 1 << position % 8
    return int.from_bytes(data, "little")


def _by_chunk(positions: Iterable[int]) -> dict[int, list[int]]:
    """Positions grouped by chunk, each as its offset in the chunk."""
    chunks: dict[int, list[int]] = {}
    for position in positions:
        chunks.setdefault(position // CHUNK_BITS, []).append(position % CHUNK_BITS)
    return chunks


def _chunked(positions: Iterable[int], chunks: int) -> list[int]:
    """A set of positions as one integer per chunk."""
    grouped = _by_chunk(positions)
    return [_bits(grouped.get(chunk, ())) for chunk in range(chunks)]


def _waiting(positions: list[int], premises: bytearray) -> Waiting:
    """Waiting units chunk by chunk, those with one premise apart from the others."""
    return tuple((chunk, _bits(p for p in members if premises[chunk * CHUNK_BITS + p] == 1),
                  _bits(p for p in members if premises[chunk * CHUNK_BITS + p] > 1))
                 for chunk, members in sorted(_by_chunk(positions).items()))


def _section_reader(names: list[str]) -> Callable[[dict[str, Any]], tuple[Any, ...]]:
    """Read several fields of a section at once (itemgetter returns a bare value for one field)."""
    get = itemgetter(*names)
    return get if len(names) > 1 else lambda fields: (get(fields),)


class _Period:
    """The units in force in one period of the law, laid out for firing."""

    def __init__(self, units: list[Unit], kinds: dict[str, FactSpec]) -> None:
        order = {path: index for index, path in enumerate(kinds)}
        paths = sorted({t.path for u in units for b in u.group.fact_branches for t in b}, key=order.__getitem__)
        place = {path: index for index, path in enumerate(paths)}
        sections: dict[str, list[str]] = {}
        for path in paths:
            section, name = path.split(".", 1)
            sections.setdefault(section, []).append(name)
        self.readers = [(section, _section_reader(names)) for section, names in sections.items()]
        self.lists = [place[path] for path in paths if kinds[path].kind == "countries"]
        tests: dict[str, list[tuple[int, FactTest, bool]]] = {path: [] for path in paths}
        branch_bits: list[int] = []
        positions: list[int] = []
        bit = 0
        for unit in units:
            for offset, branch in enumerate(unit.group.fact_branches):
                branch_bits.append(bit + offset)
                for test in branch:
                    tests[test.path].append((bit + offset, test, unit.certain))
            bit += len(unit.group.fact_branches)
            positions.append(bit)
            bit += 1
        self.tables = [_Defeated(tests[path]) for path in paths]
        self.branch_bits = _bits(branch_bits)
        self.spare_bits = _bits(positions)
        self.size = bit // 8 + 1
        self.chunks = (bit - 1) // CHUNK_BITS + 1
        self.slots: list[_Slot | None] = [None] * bit
        # bytearray refuses a count above 255: no rule tests that many conclusions.
        self.premises = bytearray(bit)
        waiting: dict[tuple[str, bool], list[int]] = {}
        for unit, position in zip(units, positions):
            self.premises[position] = len(unit.group.conclusions)
            for conclusion in unit.group.conclusions:
                waiting.setdefault((conclusion, unit.certain), []).append(position)
        tellings = _tellings(waiting, self.premises)
        for unit, position, redundant in zip(units, positions, _redundant(units, positions)):
            self.slots[position] = _slot(unit, position - len(unit.group.fact_branches), place, redundant,
                                         tellings.get(unit.rule.conclusion, ((), (), ())))
        self.free = _chunked((p for u, p in zip(units, positions) if not u.group.conclusions), self.chunks)

    def values(self, scenario: Scenario) -> list[Any]:
        """The values of the facts the units test, lists as tuples (as experta stores them)."""
        values: list[Any] = []
        for section, read in self.readers:
            values += read(getattr(scenario, section).__dict__)
        for index in self.lists:
            if type(values[index]) is list:
                values[index] = tuple(values[index])
        return values

    def holding(self, values: list[Any]) -> int:
        """The branches whose facts hold at their unit's level."""
        return self.branch_bits & ~reduce(or_, map(getitem, self.tables, values), 0)

    def ready(self, holding: int) -> list[int]:
        """The units that hold on the facts, chunk by chunk."""
        data = ((holding + self.branch_bits) & self.spare_bits).to_bytes(self.size, "little")
        step = CHUNK_BITS // 8
        return [int.from_bytes(data[start:start + step], "little") for start in range(0, self.chunks * step, step)]


def _redundant(units: list[Unit], positions: list[int]) -> list[tuple[tuple[int, int], ...]]:
    """For each unit, the units of its rule that its firing makes redundant, as masks that keep
    every other unit of their chunk."""
    variants: dict[tuple[str, bool], list[int]] = {}
    for unit, position in zip(units, positions):
        variants.setdefault((unit.rule.id, unit.certain), []).append(position)
    redundant = []
    for unit, position in zip(units, positions):
        made = variants[unit.rule.id, unit.certain] + (variants.get((unit.rule.id, False), []) if unit.certain else [])
        others = [other for other in made if other != position]
        redundant.append(tuple((chunk, ~_bits(members)) for chunk, members in sorted(_by_chunk(others).items())))
    return redundant


def _tellings(waiting: dict[tuple[str, bool], list[int]],
              premises: bytearray) -> dict[str, tuple[Waiting, Waiting, Waiting]]:
    """For each conclusion, the units to tell when it becomes certain and possible at once, certain
    only, possible only: built once per conclusion, shared by the units that draw it."""
    tellings = {}
    for conclusion in {conclusion for conclusion, _ in waiting}:
        certain, possible = waiting.get((conclusion, True), []), waiting.get((conclusion, False), [])
        tellings[conclusion] = (_waiting(certain + possible, premises), _waiting(certain, premises),
                                _waiting(possible, premises))
    return tellings


def _slot(unit: Unit, first_branch: int, place: dict[str, int], redundant: tuple[tuple[int, int], ...],
          telling: tuple[Waiting, Waiting, Waiting]) -> _Slot:
    """What the firing loop needs of a unit, worked out before any scenario."""
    rule, group = unit.rule, unit.group
    branches = tuple(tuple((test.path, place[test.path]) for test in branch) for branch in group.fact_branches)
    tell_both, tell_certain, tell_possible = telling
    return _Slot(
        certain=unit.certain, absent=frozenset(group.absent) or None,
        reads=branches[0] if len(branches) == 1 else None, first_branch=first_branch, branches=branches,
        redundant=redundant, tell_both=tell_both, tell_certain=tell_certain, tell_possible=tell_possible,
        rule=rule.id, cites=rule.cites, conclusions=group.conclusions,
        absent_names=group.absent, concluded=rule.conclusion, element=rule.element, strength=rule.strength)


def _first_branch(holding: bytes, first_branch: int, branches: tuple[Reads, ...]) -> Reads:
    """The first of a unit's several branches that holds: the one experta records."""
    field = int.from_bytes(holding[first_branch // 8:(first_branch + len(branches)) // 8 + 1], "little")
    field >>= first_branch % 8
    return branches[(field & -field).bit_length() - 1]


class DirectEngine:
    """One regime's firing plan, ready to run scenario after scenario."""

    def __init__(self, book: Rulebook, rules: frozenset[str] | None = None) -> None:
        self.book = book
        self.plan = [unit for unit in firing_plan(book) if rules is None or unit.rule.id in rules]
        self._periods: dict[frozenset[str], _Period] = {}

    def _period(self, in_force: frozenset[str]) -> _Period:
        period = self._periods.get(in_force)
        if period is None:
            period = self._periods[in_force] = _Period([unit for unit in self.plan if unit.rule.id in in_force],
                                                        self.book.vocabulary.facts)
        return period

    def run(self, scenario: Scenario, in_force: frozenset[str]) -> Run:
        """Fire the units in force on the scenario, as experta's agenda would.

        One loop, calling nothing it can do without: it runs once per unit taken from the agenda,
        and a call costs as much as the rest of that step."""
        period = self._period(in_force)
        values = period.values(scenario)
        holding = period.holding(values)
        holding_bytes = holding.to_bytes(period.size, "little")
        ready = period.ready(holding)
        agenda = [units & free for units, free in zip(ready, period.free)]
        pending = [chunk for chunk, units in enumerate(agenda) if units]  # ascending, so a heap
        premises = period.premises.copy()
        slots = period.slots
        certain: set[str] = set()
        possible: set[str] = set()
        trace: list[Step] = []
        while pending:
            chunk = pending[0]
            units = agenda[chunk]
            lowest = units & -units
            agenda[chunk] = units ^ lowest
            if units == lowest:  # the chunk is empty now (or was, once its redundant units went)
                heappop(pending)
                if not units:
                    continue
            position = chunk * CHUNK_BITS + lowest.bit_length() - 1
            (certain_unit, absent, reads, first_branch, branches, made_redundant, tell_both, tell_certain,
             tell_possible, rule, cites, conclusions, absent_names, concluded, element, strength) = slots[position]  # type: ignore[misc]
            if absent and not absent.isdisjoint(possible if certain_unit else certain):
                continue
            for redundant_chunk, others in made_redundant:
                ready[redundant_chunk] &= others
                agenda[redundant_chunk] &= others
            if reads is None:
                reads = _first_branch(holding_bytes, first_branch, branches)
            trace.append(_new_step(Step, (len(trace) + 1, rule, cites, certain_unit,
                                          {path: values[index] for path, index in reads},
                                          conclusions, absent_names, concluded, element, strength)))
            if certain_unit and concluded not in certain:
                certain.add(concluded)
                if concluded in possible:
                    tell = tell_certain
                else:
                    possible.add(concluded)
                    tell = tell_both
            elif concluded not in possible:
                possible.add(concluded)
                tell = tell_possible
            else:
                continue
            for waiting_chunk, alone, among_others in tell:
                admitted = ready[waiting_chunk] & alone
                counted = ready[waiting_chunk] & among_others
                while counted:
                    hit = counted & -counted
                    counted ^= hit
                    waiter = waiting_chunk * CHUNK_BITS + hit.bit_length() - 1
                    premises[waiter] -= 1
                    if not premises[waiter]:
                        admitted |= hit
                if admitted:
                    if not agenda[waiting_chunk]:
                        heappush(pending, waiting_chunk)
                    agenda[waiting_chunk] |= admitted
        return Run(Closure(frozenset(certain), frozenset(possible)), trace)
