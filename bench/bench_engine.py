"""Measure the engine against the budgets of DESIGN.md section 9 and print the figures.

Figures are medians (and p90) over repeated runs, per regime, on the shipped rule base and the
bundled scenarios:

* engine build time (experta compilation of one regime's rulebook: all of it, and the rules in
  force in one period of the law, which is what a run builds);
* one scenario with a reused experta engine (reset between scenarios);
* the same scenario through the direct evaluator (three-valued closure);
* a whole assessment (experta run + exact decisions + findings document);
* a cold `liability run` of one bundled scenario in a fresh interpreter, all regimes, in text and
  JSON, with the rulebook cache warm (the usual case) and turned off (a first run).

Usage: python bench/bench_engine.py [--repeat N] [--cold N]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time

from liability.bundled import scenarios_dir
from liability.engine import Engine, scenario_facts
from liability.evaluator import closure
from liability.reasoner import Reasoner
from liability.scenario import SCENARIO_SUFFIXES, load_scenario

BUDGETS_MS = {"build": 150, "experta_median": 30, "experta_p90": 60, "direct_median": 0.5, "cold_median": 800}


def p90(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(0.9 * len(ordered)))]


def timed(action, repeat: int) -> list[float]:  # type: ignore[no-untyped-def]
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        action()
        times.append((time.perf_counter() - start) * 1000)
    return times


def verdict(value: float, budget: float) -> str:
    return "ok" if value <= budget else "OVER BUDGET"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=30, help="runs per scenario (default 30)")
    parser.add_argument("--cold", type=int, default=10, help="cold CLI runs (default 10)")
    args = parser.parse_args()

    files = sorted(p for p in scenarios_dir().rglob("*") if p.suffix in SCENARIO_SUFFIXES)
    scenarios = [load_scenario(p) for p in files]
    reasoner = Reasoner()
    print(f"{len(scenarios)} bundled scenarios, {args.repeat} runs each\n")
    for regime in reasoner.regimes:
        book = reasoner.rulebook(regime)
        mine = [s for s in scenarios if not s.regimes or regime in s.regimes]
        build = timed(lambda: Engine(book), 5)
        periods = {book.select(s.facts_date, s.assessed_on).in_force for s in mine}
        period_build = [t for period in periods for t in timed(lambda: Engine(book, period), 3)]
        engines = {period: Engine(book, period) for period in periods}
        experta: list[float] = []
        direct: list[float] = []
        for scenario in mine:
            in_force = book.select(scenario.facts_date, scenario.assessed_on).in_force
            rules = [r for r in book.order if r.id in in_force]
            facts = scenario_facts(scenario)
            experta += timed(lambda: engines[in_force].run(scenario, in_force), args.repeat)
            direct += timed(lambda: closure(rules, book, facts), args.repeat)
        whole = []
        for scenario in mine:
            whole += timed(lambda: reasoner.assess(scenario, only=[regime]), max(3, args.repeat // 3))
        print(f"regime {regime}: {len(book.rules)} rules, {len(mine)} scenarios")
        rows = [
            ("engine build, every rule", statistics.median(build), None),
            (f"engine build, per period ({len(periods)})", statistics.median(period_build), BUDGETS_MS["build"]),
            ("experta run, median", statistics.median(experta), BUDGETS_MS["experta_median"]),
            ("experta run, p90", p90(experta), BUDGETS_MS["experta_p90"]),
            ("direct evaluator, median", statistics.median(direct), BUDGETS_MS["direct_median"]),
            ("direct evaluator, p90", p90(direct), None),
            ("whole assessment, median", statistics.median(whole), None),
        ]
        for label, value, budget in rows:
            limit = f"budget {budget} ms: {verdict(value, budget)}" if budget else ""
            print(f"  {label:<28} {value:9.3f} ms   {limit}")
    every_regime = next(p for p, s in zip(files, scenarios) if not s.regimes)
    print(f"\ncold `liability run` of {every_regime.name}, all regimes ({args.cold} runs each):")
    for fmt in ("text", "json"):
        for label, cache in (("rulebook cache warm", None), ("rulebook cache off", "")):
            environment = dict(os.environ)
            if cache is not None:
                environment["LIABILITY_CACHE_DIR"] = cache
            command = [sys.executable, "-m", "liability", "run", str(every_regime), "--format", fmt]
            subprocess.run(command, check=True, stdout=subprocess.DEVNULL, env=environment)  # fills the cache
            cold = timed(lambda: subprocess.run(command, check=True, stdout=subprocess.DEVNULL, env=environment),
                         args.cold)
            print(f"  --format {fmt:<5} {label:<20} median {statistics.median(cold):4.0f} ms, p90 {p90(cold):4.0f} ms"
                  f"   budget {BUDGETS_MS['cold_median']} ms: {verdict(statistics.median(cold), BUDGETS_MS['cold_median'])}")

if __name__ == "__main__":
    main()
