"""Assess many scenario files as a stream of JSON lines, in one process or several.

A library of thousands of hypotheticals is embarrassingly parallel: each worker process keeps its
own rulebooks and direct engines and assesses whole files; results come back in input order, so
the output is the same whatever the number of workers. Unreadable files are reported, not fatal.
"""

from __future__ import annotations

import multiprocessing
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

from .reasoner import Reasoner
from .rulebook import RuleError
from .scenario import ScenarioError, load_scenario


@dataclass(frozen=True)
class Outcome:
    """One file's result: its findings as a JSON line, or the problems that stopped it."""

    path: Path
    line: str | None
    problems: tuple[str, ...] = ()
    rules_broken: bool = False


_WORKER: tuple[Reasoner, str, list[str] | None] | None = None


def _start_worker(directory: Path | None, engine: str, lang: str, only: list[str] | None) -> None:
    global _WORKER
    _WORKER = (Reasoner(directory, engine), lang, only)


def _assess(path: Path) -> Outcome:
    assert _WORKER is not None
    reasoner, lang, only = _WORKER
    try:
        scenario = load_scenario(path)
    except ScenarioError as error:
        return Outcome(path, None, tuple(error.problems))
    try:
        return Outcome(path, reasoner.assess(scenario, lang, only).json_line())
    except RuleError as error:
        return Outcome(path, None, tuple(error.problems), rules_broken=True)


def assess_files(paths: list[Path], reasoner: Reasoner, lang: str, only: list[str] | None,
                 jobs: int) -> Iterator[Outcome]:
    """Each file's outcome, in the order of `paths`, computed here or by `jobs` worker processes."""
    global _WORKER
    if jobs <= 1 or len(paths) < 2 * jobs:
        _WORKER = (reasoner, lang, only)
        yield from map(_assess, paths)
        return
    context = multiprocessing.get_context("fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn")
    arguments = (reasoner.directory, reasoner.engine_name, lang, only)
    with context.Pool(jobs, initializer=_start_worker, initargs=arguments) as pool:
        yield from pool.imap(_assess, paths, chunksize=16)
