"""Measure batch runs: generated libraries through `liability run DIR --format jsonl`.

Generates N random valid scenarios (every fact drawn, a share left unknown; all regimes), then:
* times the whole CLI batch in a subprocess and prints, per scenario, its wall time and the CPU
  time of the command and its worker processes (DESIGN.md section 9: <= 2 ms of CPU);
* runs the same library in this process with the direct engine and prints the resident memory
  after each tenth, to show it stays flat.

Usage: python bench/bench_batch.py [--count 10000] [--seed 1] [--unknown 0.1]
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml


from liability.declarations import bundled_vocabulary
from liability.implications import respecting_implications
from liability.reasoner import Reasoner

CPU_BUDGET_MS = 2.0


def generate(directory: Path, count: int, seed: int, unknown: float) -> None:
    """`count` scenarios with every fact drawn at random, each unknown with probability `unknown`."""
    rng = random.Random(seed)
    vocabulary = bundled_vocabulary().facts
    for index in range(count):
        data: dict = {"id": f"generated-{index}", "facts_date": dt.date(1995, 1, 1) + dt.timedelta(days=rng.randrange(11000)),
                      "judged_on": dt.date(2026, 6, 1)}
        for path, spec in vocabulary.items():
            section, name = path.split(".")
            if spec.kind == "text":
                continue
            if rng.random() < unknown:
                data.setdefault(section, {})[name] = "unknown"
                continue
            if spec.kind == "bool":
                value = rng.choice([True, False])
            elif spec.kind == "choice":
                value = rng.choice(list(spec.values))
            elif spec.kind == "count":
                value = rng.choice([0, 1, 3, 6])
            elif spec.kind == "country":
                value = rng.choice(["FR", "US", "DE"])
            else:
                value = rng.sample(["FR", "US", "DE", "GB"], rng.randrange(3))
            data.setdefault(section, {})[name] = value
        respecting_implications(data, vocabulary)
        (directory / f"s{index:05d}.yaml").write_text(yaml.safe_dump(data, sort_keys=False))


def rss_mib() -> float:
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--unknown", type=float, default=0.1, help="share of facts left unknown (default 0.1)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        directory = Path(folder)
        generate(directory, args.count, args.seed, args.unknown)
        output = directory / "findings.jsonl.out"
        start = time.perf_counter()
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        with output.open("w") as sink:  # a file, not a pipe held in memory: 10,000 documents are large
            done = subprocess.run([sys.executable, "-m", "liability", "run", str(directory), "--format", "jsonl"],
                                  stdout=sink, stderr=subprocess.PIPE, text=True)
        elapsed = time.perf_counter() - start
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpu = (after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime) / args.count * 1000
        with output.open() as written:
            lines = sum(1 for _ in written)
        size = output.stat().st_size / 1024 / 1024
        peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
        output.unlink()
        per = elapsed / args.count * 1000
        print(f"CLI batch: {args.count} scenarios ({args.unknown:.0%} of facts unknown), all regimes, {lines} documents, "
              f"exit {done.returncode}: "
              f"{elapsed:.1f} s, {per:.2f} ms per scenario wall, {cpu:.2f} ms CPU (budget {CPU_BUDGET_MS} ms: "
              f"{'ok' if cpu <= CPU_BUDGET_MS else 'OVER BUDGET'}); {size:.0f} MiB of JSON lines; "
              f"peak memory of the CLI process {peak:.0f} MiB")
        reasoner = Reasoner(engine="direct")
        files = sorted(p for p in directory.iterdir() if p.suffix == ".yaml")
        marks = []
        for index, path in enumerate(files, 1):
            reasoner.assess(reasoner.load(path))
            if index % max(1, len(files) // 10) == 0:
                marks.append(f"{index}: {rss_mib():.0f} MiB")
        print("memory in one process (resident):", ", ".join(marks))


if __name__ == "__main__":
    main()
