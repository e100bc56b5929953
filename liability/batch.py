"""Assess scenario files one by one, in one process or several.

Every command that reads a library (`run` of several files, `run --format jsonl`, `check`) goes
through :func:`assess_file`, so they all report an unreadable file the same way and go on. A
library of thousands of hypotheticals is embarrassingly parallel: each worker process keeps its
own rulebooks and direct engines and assesses whole files; results come back in input order, so
the output is the same whatever the number of workers.
"""

from __future__ import annotations

import multiprocessing
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Callable, Iterator

from .decide import DecisionError
from .findings import Document
from .reasoner import Observer, Reasoner
from .rulebook import RuleError
from .scenario import Scenario, ScenarioError


@dataclass(frozen=True)
class Outcome:
    """One file's result: its scenario and findings (or, from a worker process, the findings as a
    JSON line), or the problems that stopped it."""

    path: Path
    scenario: Scenario | None = None
    document: Document | None = None
    line: str | None = None
    problems: tuple[str, ...] = ()
    rules_broken: bool = False
    """The problems are in the rule packs, so every other file would fail the same way."""


def assess_file(reasoner: Reasoner, path: Path, lang: str = "en", only: list[str] | None = None,
                observe: Observer | None = None, needed: Callable[[Scenario], bool] | None = None,
                explain: bool = True) -> Outcome:
    """Load and assess one scenario file; a file `needed` declines is loaded but not assessed."""
    try:
        scenario = reasoner.load(path)
    except ScenarioError as error:
        return Outcome(path, problems=tuple(error.problems))
    except RuleError as error:
        return Outcome(path, problems=tuple(error.problems), rules_broken=True)
    if needed is not None and not needed(scenario):
        return Outcome(path, scenario)
    try:
        return Outcome(path, scenario, reasoner.assess(scenario, lang, only, observe, explain))
    except RuleError as error:
        return Outcome(path, scenario, problems=tuple(error.problems), rules_broken=True)
    except DecisionError as error:
        return Outcome(path, scenario, problems=(f"{path}: {error}",))


_WORKER: tuple[Reasoner, str, list[str] | None, bool] | None = None


def _start_worker(directory: Path | None, engine: str, lang: str, only: list[str] | None, explain: bool) -> None:
    global _WORKER
    _WORKER = (Reasoner(directory, engine), lang, only, explain)


def _as_line(path: Path) -> Outcome:
    """A file's outcome with its findings as one JSON line: cheaper to send between processes
    than the document, and what `--format jsonl` prints anyway."""
    assert _WORKER is not None
    reasoner, lang, only, explain = _WORKER
    outcome = assess_file(reasoner, path, lang, only, explain=explain)
    line = outcome.document.json_line() if outcome.document is not None else None
    return replace(outcome, scenario=None, document=None, line=line)


def assess_as_lines(paths: list[Path], reasoner: Reasoner, lang: str, only: list[str] | None,
                    jobs: int, explain: bool = False) -> Iterator[Outcome]:
    """Each file's outcome as a JSON line, in the order of `paths`, computed here or by `jobs`
    worker processes."""
    global _WORKER
    if jobs <= 1 or len(paths) < 2 * jobs:
        _WORKER = (reasoner, lang, only, explain)
        yield from map(_as_line, paths)
        return
    context = multiprocessing.get_context("fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn")
    arguments = (reasoner.directory, reasoner.engine_name, lang, only, explain)
    with context.Pool(jobs, initializer=_start_worker, initargs=arguments) as pool:
        yield from pool.imap(_as_line, paths, chunksize=16)
