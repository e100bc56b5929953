"""Measure `liability reform` over the bundled library (DESIGN.md section 9: <= 2 s).

Machines here are noisy, so the figures are printed beside the floor measured in the same run
(bench/floor.py: the rules as straight-line Python, two-valued, every fact known), here the floor
of the work a reform asks for at the least: every bundled scenario, filled in, through the base and
the reformed rules of each regime the reform changes. Then, for the reform (default: the shipped
example reforms/fr-advertising-profit.yaml):

* in this process, the median of `--repeat` runs of loading the overlay (the reformed packs loaded
  and checked, never cached) and comparing, library and exact changes included, with the packs'
  own rulebooks already loaded (as a long-lived process has them);
* from a cold shell, the median wall time of `python -m liability reform OVERLAY --format json`
  (imports, the packs' rulebooks from the cache, everything), the figure the budget is about.

Usage: python bench/bench_reform.py [OVERLAY] [--repeat 5]
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))  # floor.py, beside this script

from floor import compile_floor, filled  # noqa: E402

from liability.bundled import scenarios_dir  # noqa: E402
from liability.cli import scenario_files  # noqa: E402
from liability.overlay import load_reform  # noqa: E402
from liability.plan import scenario_facts  # noqa: E402
from liability.reasoner import Reasoner  # noqa: E402
from liability.reform_changes import compare_reform  # noqa: E402
from liability.scenario import utc_today  # noqa: E402

BUDGET_S = 2.0
EXAMPLE = Path(__file__).resolve().parent.parent / "reforms" / "fr-advertising-profit.yaml"


def floor_seconds(reasoner: Reasoner, books: dict, files: list) -> float:
    """The floor of the library through both rulebooks of each regime the reform changes."""
    scenarios = [reasoner.load(path) for path in files]
    total = 0.0
    for regime, reformed in books.items():
        for book in (reasoner.rulebook(regime), reformed):
            floors: dict = {}
            for scenario in scenarios:
                if regime not in reasoner.regimes_for(scenario):
                    continue
                in_force = book.select(scenario.facts_date, scenario.assessed_on, scenario.facts_end).in_force
                if in_force not in floors:
                    floors[in_force] = compile_floor(book, in_force)
                facts = scenario_facts(filled(scenario))
                start = time.perf_counter()
                floors[in_force](facts)
                total += time.perf_counter() - start
    return total


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("overlay", nargs="?", default=str(EXAMPLE))
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    files = scenario_files((str(scenarios_dir()),))
    base = Reasoner(engine="direct")
    for regime in base.regimes:
        base.rulebook(regime)
    in_process = []
    report = None
    for _ in range(args.repeat):
        reasoner = Reasoner(engine="direct")
        for regime in reasoner.regimes:
            reasoner.rulebook(regime)
        start = time.perf_counter()
        reform = load_reform(args.overlay, reasoner.regimes, reasoner.directory, reasoner.rulebook)
        report = compare_reform(reasoner, reform, files, utc_today())
        in_process.append(time.perf_counter() - start)
    assert report is not None
    floor = floor_seconds(base, report.reform.rulebooks, files)
    cold = []
    for _ in range(args.repeat):
        start = time.perf_counter()
        done = subprocess.run([sys.executable, "-m", "liability", "reform", args.overlay, "--format", "json"],
                              capture_output=True, text=True)
        cold.append(time.perf_counter() - start)
        assert done.returncode == 0, done.stderr
    median, wall = statistics.median(in_process), statistics.median(cold)
    print(f"reform {report.reform.header.id}: {report.scenarios} scenarios, regimes {', '.join(report.regimes)}, "
          f"{sum(len(t.scenarios) for t in report.transitions)} findings changed, {len(report.changes)} exact changes")
    print(f"floor (both rulebooks, every scenario filled in): {floor * 1000:.1f} ms")
    print(f"in process: median {median:.2f} s ({median / floor:.0f}x the floor)")
    print(f"cold shell: median {wall:.2f} s wall (budget {BUDGET_S} s: {'ok' if wall <= BUDGET_S else 'OVER BUDGET'})")


if __name__ == "__main__":
    main()
