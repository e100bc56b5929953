"""Measure the engines against the budgets of DESIGN.md section 9 and print the figures.

Machines here are noisy, so every figure is printed beside the floor measured in the same run
(bench/floor.py: the same rules as straight-line Python, two-valued, every fact known), as an
absolute time and as a multiple of the floor. Per regime, over the bundled scenarios:

* the floor, on each scenario with its unknown facts filled in (checked first: its conclusions
  must be the direct engine's on the same filled scenario, or it is no floor);
* the direct engine (``DirectEngine.run``), on the scenarios as written;
* experta with a reused engine (built once per period of the law, reset between scenarios);
* exact decisions of every head, on the bundled scenarios and on generated ones with 50 % and
  90 % of the facts unknown (:func:`decision_rows`);
* experta's engine build, per period;
* the direct engine on rulebooks of 1, 2, 4 and 8 times the rules (each copy with its own ids and
  conclusions), per rule, to show that its cost is linear;

then a cold `liability run` of one bundled scenario in a fresh interpreter, all regimes, in text
and JSON, with the rulebook cache warm (the usual case) and turned off (a first run).

Usage: python bench/bench_engine.py [--repeat N] [--cold N]
"""

from __future__ import annotations

import argparse
import dataclasses
import datetime as dt
import os
import random
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any, Callable, NamedTuple

sys.path.insert(0, str(Path(__file__).resolve().parent))  # floor.py, beside this script

from floor import Floor, compile_floor, filled  # noqa: E402


from liability.declarations import bundled_vocabulary
from liability.bundled import scenarios_dir  # noqa: E402
from liability.conditions import Absent, All, Any_, Condition, Holds  # noqa: E402
from liability.decide import Decisions, FactEncodings  # noqa: E402
from liability.implications import respecting_implications  # noqa: E402
from liability.direct import DirectEngine  # noqa: E402
from liability.engine import Engine  # noqa: E402
from liability.graph import stratify  # noqa: E402
from liability.plan import scenario_facts  # noqa: E402
from liability.reasoner import Reasoner  # noqa: E402
from liability.rulebook import Pack, Rulebook  # noqa: E402
from liability.scenario import SCENARIO_SUFFIXES, Scenario

DIRECT_TIMES_FLOOR = 5
DECISION_BUDGET_MS = 2.0
BUDGETS_MS = {"build": 150, "experta_median": 30, "experta_p90": 60, "cold_median": 500}
INNER = 10
"""Calls per sample for the figures of a few microseconds, so the clock's resolution is no part
of them."""
SCALES = (1, 2, 4, 8)


class Row(NamedTuple):
    """One printed figure: median and p90 in milliseconds, and what it must not exceed."""

    label: str
    median: float
    p90: float
    budget: str


def p90(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(0.9 * len(ordered)))]


def timed(action: Callable[[], Any], repeat: int, inner: int = 1) -> list[float]:
    """`repeat` samples, in milliseconds per call, each the mean of `inner` calls."""
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        for _ in range(inner):
            action()
        samples.append((time.perf_counter() - start) * 1000 / inner)
    return samples


def shown(milliseconds: float) -> str:
    return f"{milliseconds * 1000:8.1f} µs" if milliseconds < 1 else f"{milliseconds:8.2f} ms"


def verdict(value: float, budget: float) -> str:
    return "ok" if value <= budget else "OVER BUDGET"


def within(value: float, limit: float, what: str) -> str:
    return f"{what} <= {limit:g}: {verdict(value, limit)}"


# --- the same rules, several times over -----------------------------------------------------------

def _renamed(condition: Condition, rename: dict[str, str]) -> Condition:
    if isinstance(condition, (All, Any_)):
        return type(condition)(tuple(_renamed(item, rename) for item in condition.items))
    if isinstance(condition, (Holds, Absent)):
        return type(condition)(rename[condition.conclusion])
    return condition


def replicated(book: Rulebook, copies: int) -> Rulebook:
    """The rulebook's rules `copies` times over, each copy with its own ids and conclusions, so
    that each copy fires as the original does and the copies never meet."""
    packs = []
    for copy in range(copies):
        suffix = f".copy{copy}"
        rename = {rule.conclusion: rule.conclusion + suffix for rule in book.rules}
        for pack in book.packs:
            rules = [dataclasses.replace(rule, id=rule.id + suffix, conclusion=rename[rule.conclusion],
                                         condition=_renamed(rule.condition, rename), provision=rule.provision + suffix)
                     for rule in pack.rules]
            packs.append(Pack(pack.name + suffix, pack.file, pack.jurisdiction, pack.title, pack.checked_on,
                              [], [], rules, descriptor=pack.descriptor))
    copied = Rulebook(book.regime, book.title, packs, book.vocabulary)
    stratify(copied)
    return copied


# --- the rows ----------------------------------------------------------------------------------------

def checked_floors(book: Rulebook, scenarios: list[Scenario], direct: DirectEngine) -> dict[frozenset[str], Floor]:
    """One floor per period, each checked against the direct engine on every filled scenario."""
    floors: dict[frozenset[str], Floor] = {}
    for scenario in scenarios:
        in_force = book.select(scenario.facts_date, scenario.assessed_on, scenario.facts_end).in_force
        if in_force not in floors:
            floors[in_force] = compile_floor(book, in_force)
        complete = filled(scenario)
        expected = direct.run(complete, in_force).closure.certain
        got = floors[in_force](scenario_facts(complete))
        assert got == expected, f"{book.regime}/{scenario.id}: the floor concludes {sorted(got ^ expected)} apart"
    return floors


def run_rows(book: Rulebook, scenarios: list[Scenario], repeat: int) -> list[Row]:
    """The floor, the direct engine and experta, scenario by scenario, in one pass."""
    direct = DirectEngine(book)
    floors = checked_floors(book, scenarios, direct)
    experta = {period: Engine(book, period) for period in floors}
    floor_times: list[float] = []
    direct_times: list[float] = []
    experta_times: list[float] = []
    for scenario in scenarios:
        in_force = book.select(scenario.facts_date, scenario.assessed_on, scenario.facts_end).in_force
        facts = scenario_facts(filled(scenario))
        floor, engine = floors[in_force], experta[in_force]
        floor_times += timed(lambda: floor(facts), repeat, INNER)
        direct_times += timed(lambda: direct.run(scenario, in_force), repeat, INNER)
        experta_times += timed(lambda: engine.run(scenario, in_force), repeat)
    floor_row = Row("floor (straight-line, all known)", statistics.median(floor_times), p90(floor_times), "")
    direct_median, direct_p90 = statistics.median(direct_times), p90(direct_times)
    return [
        floor_row,
        Row("direct engine", direct_median, direct_p90,
            within(direct_median / floor_row.median, DIRECT_TIMES_FLOOR, "median x floor")),
        Row("experta, reused engine", statistics.median(experta_times), p90(experta_times),
            f"{within(statistics.median(experta_times), BUDGETS_MS['experta_median'], 'median ms')}, "
            f"{within(p90(experta_times), BUDGETS_MS['experta_p90'], 'p90 ms')}"),
    ]


def decision_rows(book: Rulebook, scenarios: list[Scenario], repeat: int) -> list[Row]:
    """Exact decisions (every head of the regime, each proceeding: statuses, deciding facts and
    which way each pushes), per scenario, on the bundled scenarios and on generated ones with half
    and nine tenths of their facts unknown (DESIGN.md section 9: <= 2 ms at 90 %)."""
    encodings = FactEncodings(book, bundled_vocabulary().facts)
    direct = DirectEngine(book)
    rows = []
    for label, cases in (("bundled", scenarios), ("50 % unknown", generated(200, 0.5)),
                         ("90 % unknown", generated(200, 0.9))):
        times: list[float] = []
        for scenario in cases:
            selection = book.select(scenario.facts_date, scenario.assessed_on, scenario.facts_end)
            rules = [rule for rule in book.order if rule.id in selection.in_force]
            facts = scenario_facts(scenario)
            state = direct.run(scenario, selection.in_force).closure

            def decide() -> None:
                exact = Decisions(lambda: encodings, book, rules, facts, state)
                for head in book.heads.values():
                    for proceeding in head.proceedings:
                        exact.status(head.id, head.outcomes_for(proceeding), head.fallback)
            times += timed(decide, max(1, repeat // 10))
        budget = within(statistics.median(times), DECISION_BUDGET_MS, "median ms") if label == "90 % unknown" else ""
        rows.append(Row(f"exact decisions, {label}", statistics.median(times), p90(times), budget))
    return rows


def generated(count: int, unknown: float, seed: int = 9) -> list[Scenario]:
    """Scenarios with every fact drawn at random, each left unknown with probability `unknown`."""
    rng = random.Random(seed)
    values = {"bool": [True, False], "count": [0, 1, 2, 5, 20], "country": ["FR", "US", "DE", "BE"]}
    result = []
    for index in range(count):
        data: dict[str, Any] = {"id": f"generated-{index}", "judged_on": dt.date(2026, 1, 1),
                                "facts_date": dt.date(1995, 1, 1) + dt.timedelta(days=rng.randrange(11000))}
        for path, spec in bundled_vocabulary().facts.items():
            if spec.kind == "text" or rng.random() < unknown:
                continue
            section, name = path.split(".", 1)
            if spec.kind == "countries":
                value: Any = rng.sample(values["country"], rng.randrange(3))
            else:
                value = rng.choice(list(spec.values) if spec.kind == "choice" else values[spec.kind])
            data.setdefault(section, {})[name] = value
        respecting_implications(data, bundled_vocabulary().facts)
        result.append(bundled_vocabulary().model.model_validate(data))
    return result


def build_rows(book: Rulebook, periods: set[frozenset[str]]) -> list[Row]:
    """experta's engine build, for the rules in force in each period (what a run builds)."""
    builds = [t for period in periods for t in timed(lambda: Engine(book, period), 3)]
    return [Row(f"experta build, per period ({len(periods)})", statistics.median(builds), p90(builds),
                within(statistics.median(builds), BUDGETS_MS["build"], "median ms"))]


def scaling_line(book: Rulebook, scenarios: list[Scenario], repeat: int) -> str:
    """The direct engine's median on 1, 2, 4 and 8 times the rules, per rule."""
    per_rule: dict[int, float] = {}
    parts = []
    for copies in SCALES:
        copied = replicated(book, copies)
        engine = DirectEngine(copied)
        times: list[float] = []
        for scenario in scenarios:
            in_force = copied.select(scenario.facts_date, scenario.assessed_on, scenario.facts_end).in_force
            engine.run(scenario, in_force)  # lays the period out
            times += timed(lambda: engine.run(scenario, in_force), max(3, repeat // 3), INNER)
        median = statistics.median(times)
        per_rule[copies] = median / len(copied.rules)
        parts.append(f"{copies}x {median * 1000:.0f} µs ({per_rule[copies] * 1e6:.0f} ns/rule)")
    growth = per_rule[SCALES[-1]] / per_rule[SCALES[0]]
    return (f"  direct engine, scaling: {', '.join(parts)}; per rule {SCALES[-1]}x / 1x = {growth:.2f}"
            "   budget: linear (1.00)")


def print_rows(rows: list[Row], floor: Row) -> None:
    for row in rows:
        times = f"x{row.median / floor.median:6.1f} / x{row.p90 / floor.p90:6.1f}"
        print(f"  {row.label:<34} median {shown(row.median)}  p90 {shown(row.p90)}  floor {times}   {row.budget}")


def cold_runs(files: list[Path], scenarios: list[Scenario], runs: int) -> None:
    every_regime = next(p for p, s in zip(files, scenarios) if not s.regimes)
    print(f"\ncold `liability run` of {every_regime.name}, all regimes ({runs} runs each):")
    for fmt in ("text", "json"):
        for label, cache in (("rulebook cache warm", None), ("rulebook cache off", "")):
            environment = dict(os.environ)
            if cache is not None:
                environment["LIABILITY_CACHE_DIR"] = cache
            command = [sys.executable, "-m", "liability", "run", str(every_regime), "--format", fmt]
            subprocess.run(command, check=True, stdout=subprocess.DEVNULL, env=environment)  # fills the cache
            cold = timed(lambda: subprocess.run(command, check=True, stdout=subprocess.DEVNULL, env=environment),
                         runs)
            print(f"  --format {fmt:<5} {label:<20} median {statistics.median(cold):4.0f} ms, p90 {p90(cold):4.0f} ms"
                  f"   {within(statistics.median(cold), BUDGETS_MS['cold_median'], 'median ms')}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=30, help="samples per scenario (default 30)")
    parser.add_argument("--cold", type=int, default=10, help="cold CLI runs (default 10)")
    args = parser.parse_args()

    files = sorted(p for p in scenarios_dir().rglob("*") if p.suffix in SCENARIO_SUFFIXES)
    reasoner = Reasoner()
    scenarios = [reasoner.load(p) for p in files]
    print(f"{len(scenarios)} bundled scenarios, {args.repeat} samples each "
          f"({INNER} calls a sample for the floor and the direct engine)\n")
    for regime in reasoner.regimes:
        book = reasoner.rulebook(regime)
        mine = [s for s in scenarios if not s.regimes or regime in s.regimes]
        periods = {book.select(s.facts_date, s.assessed_on, s.facts_end).in_force for s in mine}
        print(f"regime {regime}: {len(book.rules)} rules, {len(mine)} scenarios, {len(periods)} periods")
        rows = run_rows(book, mine, args.repeat)
        print_rows(rows + decision_rows(book, mine, args.repeat) + build_rows(book, periods), rows[0])
        print(scaling_line(book, mine, args.repeat))
    cold_runs(files, scenarios, args.cold)


if __name__ == "__main__":
    main()
