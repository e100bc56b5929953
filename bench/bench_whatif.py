"""Measure what-if and flips in process (DESIGN.md section 9: each <= 50 ms for one finding).

Over the bundled scenarios, after one warm-up per regime (rulebooks loaded, the flip diagrams'
variables declared):
* `flips` for one finding: every finding of every scenario, each timed alone, search up to three
  changes, nothing kept;
* `whatif`: each scenario with one stated true/false fact turned over (the first one, in the
  vocabulary's order), both assessments and the comparison;
beside the floor measured in the same run (bench/floor.py: the rules as straight-line Python, every
fact known), per scenario and regime.

Usage: python bench/bench_whatif.py [--repeat 3]
"""

from __future__ import annotations

import argparse
import statistics
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_engine import INNER, Row, p90, shown, timed, verdict  # noqa: E402
from floor import compile_floor, filled  # noqa: E402

from liability.bundled import scenarios_dir  # noqa: E402
from liability.changes import Change  # noqa: E402
from liability.flip_search import finding_flips  # noqa: E402
from liability.plan import scenario_facts  # noqa: E402
from liability.reasoner import Reasoner  # noqa: E402
from liability.scenario import Scenario  # noqa: E402
from liability.what_if import what_if  # noqa: E402

BUDGET_MS = 50.0


def _turned(scenario: Scenario) -> Change | None:
    """The first stated true/false fact, turned over."""
    for path, spec in type(scenario).vocabulary.facts.items():
        value = scenario.fact(path)
        if spec.kind == "bool" and isinstance(value, bool):
            return Change(path, not value, str(not value).lower())
    return None


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    arguments = parser.parse_args()
    reasoner = Reasoner(engine="direct")
    scenarios = [reasoner.load(path) for path in sorted(scenarios_dir().rglob("*.yaml"))]
    floor_times: list[float] = []
    flip_times: list[float] = []
    whatif_times: list[float] = []
    floors: dict[tuple[str, frozenset[str]], object] = {}
    for scenario in scenarios:
        for regime in reasoner.regimes_for(scenario):
            decided = reasoner.decide(scenario, regime)
            key = (regime, decided.selection.in_force)
            if key not in floors:
                floors[key] = compile_floor(decided.book, decided.selection.in_force)
            facts = scenario_facts(filled(scenario))
            floor_times += timed(lambda: floors[key](facts), arguments.repeat, INNER)
            for head, proceeding in decided.statuses:
                finding_flips(reasoner, scenario, regime, head, proceeding)  # warm: the regime's space
                flip_times += timed(lambda: finding_flips(reasoner, scenario, regime, head, proceeding),
                                    arguments.repeat)
        change = _turned(scenario)
        if change is not None:
            whatif_times += timed(lambda: what_if(reasoner, scenario, [change]), arguments.repeat)
    rows = [
        Row("floor (straight-line, all known), per regime", statistics.median(floor_times), p90(floor_times), ""),
        Row("flips, one finding (up to 3 changes)", statistics.median(flip_times), p90(flip_times),
            f"median <= {BUDGET_MS:g} ms: {verdict(statistics.median(flip_times), BUDGET_MS)}"),
        Row("whatif, one change, all regimes", statistics.median(whatif_times), p90(whatif_times),
            f"median <= {BUDGET_MS:g} ms: {verdict(statistics.median(whatif_times), BUDGET_MS)}"),
    ]
    floor = rows[0].median
    print(f"{len(scenarios)} bundled scenarios, {len(flip_times) // arguments.repeat} findings")
    for row in rows:
        times = f"x{row.median / floor:,.0f} floor" if row is not rows[0] else ""
        print(f"{row.label:48} median {shown(row.median)}  p90 {shown(row.p90)}  {times:>14}  {row.budget}")


if __name__ == "__main__":
    main()
