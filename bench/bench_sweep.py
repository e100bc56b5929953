"""Measure a sweep of 12 facts of one head against its budget (DESIGN.md section 9: <= 1 s).

Machines here are noisy, so the figure is printed beside the floor measured in the same run
(bench/floor.py: the regime's rules as straight-line Python, every fact known, on the scenario
filled in). The scenario is a legal person running an adult section with most facts open; the
facts varied are the first 12, in the facts file's order, of those on which the head's status
depends there. The regime's encodings are built before the clock starts (once per process, as
every command's first decision builds them) and the first sweep, which imports sympy, is
shown apart; each sample is a whole sweep: the diagrams of every
way the deductions can go, the table's rows and every status's formula in words.

Usage: python bench/bench_sweep.py [--repeat N] [--head ID] [--facts N]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))  # floor.py, beside this script

from floor import compile_floor, filled  # noqa: E402

from liability.plan import scenario_facts  # noqa: E402
from liability.reasoner import Reasoner  # noqa: E402
from liability.sweep_table import sweep  # noqa: E402

BUDGET_MS = 1000.0
SCENARIO = Path(__file__).resolve().parents[1] / "tests" / "fixtures" / "sweep" / "open-operator-2020.yaml"
"""The scenario the sweep tests use: a company running an adult section, most facts open."""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=15)
    parser.add_argument("--head", default="fr.proxenetisme")
    parser.add_argument("--facts", type=int, default=12)
    options = parser.parse_args()
    reasoner = Reasoner(engine="direct")
    scenario = reasoner.load(SCENARIO)
    regime = "fr"
    reasoner.encodings(regime)
    depends = sweep(reasoner, scenario, regime, None, options.head).results[0].columns
    vary = list(dict.fromkeys(column.fact for column in depends))[:options.facts]
    if len(vary) < options.facts:
        sys.exit(f"{options.head} depends on {len(vary)} open facts only; ask for --facts {len(vary)} or fewer")

    start = time.perf_counter()
    sweep(reasoner, scenario, regime, vary, options.head)
    first = (time.perf_counter() - start) * 1000  # with sympy's import, as a command's one sweep pays it
    samples = []
    for _ in range(options.repeat):
        start = time.perf_counter()
        result = sweep(reasoner, scenario, regime, vary, options.head)
        samples.append((time.perf_counter() - start) * 1000)

    book = reasoner.rulebook(regime)
    in_force = book.select(scenario.facts_date, scenario.assessed_on, scenario.facts_end).in_force
    floor = compile_floor(book, in_force)
    facts = scenario_facts(filled(scenario))
    floor_samples = []
    for _ in range(options.repeat):
        start = time.perf_counter()
        for _ in range(100):
            floor(facts)
        floor_samples.append((time.perf_counter() - start) * 1000 / 100)

    median, floor_median = statistics.median(samples), statistics.median(floor_samples)
    (head,) = result.results
    minimised = sum(formula.minimised for formula in head.formulas)
    print(f"sweep of {len(vary)} facts of {options.head} ({regime}), {options.repeat} samples")
    print(f"  facts: {', '.join(vary)}")
    print(f"  {head.combinations:,} combinations in {len(head.rows)} rows; "
          f"{minimised} of {len(head.formulas)} formulas minimised")
    print(f"  floor (straight-line, all known)  median {floor_median * 1000:8.1f} µs")
    print(f"  sweep                             median {median:8.1f} ms  max {max(samples):8.1f} ms  "
          f"x{median / floor_median:,.0f} floor   <= {BUDGET_MS:g} ms: {'ok' if median <= BUDGET_MS else 'OVER BUDGET'}")
    print(f"  first sweep of the process        {first:8.1f} ms (imports sympy)   "
          f"<= {BUDGET_MS:g} ms: {'ok' if first <= BUDGET_MS else 'OVER BUDGET'}")


if __name__ == "__main__":
    main()
