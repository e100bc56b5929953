"""Assess scenario files one by one, in one process or several.

Every command that reads a library (`run` of several files, `run --format jsonl`, `check`) goes
through :func:`assess_file`, so they all report an unreadable file the same way and go on. A
library of thousands of hypotheticals is embarrassingly parallel: each worker process keeps its
own rulebooks and direct engines and assesses whole files; results come back in input order, so
the output is the same whatever the number of workers.
"""

from __future__ import annotations

import json
import multiprocessing
import signal
from contextlib import contextmanager
from dataclasses import dataclass, replace
from pathlib import Path
from typing import BinaryIO, Callable, Iterator, Sequence, Union

from .changes import Change, with_changes
from .decide import DecisionError
from .findings import Document
from .reasoner import Observer, Reasoner
from .rulebook import RuleError
from .scenario import Scenario, ScenarioError
from .sources import MAX_BYTES

STDIN = "<stdin>"
"""The name of standard input in messages."""


@dataclass(frozen=True)
class Unreadable:
    """A scenario named or found that cannot be read, and why: it keeps its place in the batch, so
    that it is reported there like any other bad file instead of being left out silently."""

    path: Path
    why: str

    def __str__(self) -> str:
        return str(self.path)

    @property
    def problem(self) -> str:
        return f"{self.path}: {self.why}"


@dataclass(frozen=True)
class Piped:
    """A scenario read from standard input, within the size limit."""

    data: bytes

    def __str__(self) -> str:
        return STDIN


Entry = Union[Path, Unreadable, Piped]
"""One scenario a command was asked for; ``str(entry)`` is its name in messages."""


def read_piped(stream: BinaryIO) -> Piped | Unreadable:
    """Standard input as a scenario, bounded like a file: reading one byte more than the limit is
    how an oversized (or endless) stream is told apart without holding more of it."""
    data = stream.read(MAX_BYTES + 1)
    if len(data) > MAX_BYTES:
        return Unreadable(Path(STDIN), f"more than {MAX_BYTES} bytes; the limit is {MAX_BYTES}")
    return Piped(data)


def load(reasoner: Reasoner, entry: Entry, changes: Sequence[Change] = ()) -> Scenario:
    """Read and check one scenario wherever it comes from, with the facts `changes` sets; every
    problem, an unreadable file's included, is a :class:`ScenarioError` naming it, so that callers
    handle one exception."""
    if isinstance(entry, Unreadable):
        raise ScenarioError([entry.problem])
    if isinstance(entry, Piped):
        scenario = reasoner.load(STDIN, entry.data)
    else:
        try:
            scenario = reasoner.load(entry)
        except OSError as error:
            raise ScenarioError([f"{entry}: cannot read the file ({error.strerror or error})"]) from None
    try:
        return with_changes(scenario, changes)
    except ScenarioError as error:
        raise ScenarioError([f"{entry}: {problem}" for problem in error.problems]) from None


@dataclass(frozen=True)
class Outcome:
    """One file's result: its scenario and findings (or, from a worker process, the findings as a
    JSON line), or the problems that stopped it."""

    name: str
    scenario: Scenario | None = None
    document: Document | None = None
    line: str | None = None
    problems: tuple[str, ...] = ()


def assess_file(reasoner: Reasoner, entry: Entry, lang: str = "en", only: list[str] | None = None,
                observe: Observer | None = None, needed: Callable[[Scenario], bool] | None = None,
                explain: bool = True, changes: Sequence[Change] = ()) -> Outcome:
    """Load and assess one scenario, with the facts `changes` sets; a scenario `needed` declines is
    loaded but not assessed.

    A problem met on the way is this file's and is named after it: the rule packs were checked
    before the batch began (see the command line), so what fails here fails for this file alone."""
    name = str(entry)
    try:
        scenario = load(reasoner, entry, changes)
        if needed is not None and not needed(scenario):
            return Outcome(name, scenario)
        document = reasoner.assess(scenario, lang, only, observe, explain)
    except ScenarioError as error:
        return Outcome(name, problems=tuple(error.problems))
    except RuleError as error:
        return Outcome(name, problems=tuple(f"{name}: {problem}" for problem in error.problems))
    except DecisionError as error:
        return Outcome(name, problems=(f"{name}: {error}",))
    return Outcome(name, scenario, document)


_WORKER: tuple[Reasoner, str, list[str] | None, bool, Sequence[Change]] | None = None


def _start_worker(directory: Path | None, engine: str, lang: str, only: list[str] | None, explain: bool,
                  changes: Sequence[Change]) -> None:
    """Set up a worker process. It ignores Ctrl-C, which the terminal sends to every process of
    the batch: the parent alone decides to stop and terminates the pool, so that no worker dies
    halfway through a result, printing a traceback and leaving the pool waiting for it."""
    global _WORKER
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    _WORKER = (Reasoner(directory, engine), lang, only, explain, changes)


def _as_line(entry: Entry) -> Outcome:
    """A file's outcome as one JSON line, what `--format jsonl` prints: its findings, or a record
    of its problems (ASCII, so that a file name that is not valid UTF-8 still prints). A line is
    cheaper to send between processes than the document."""
    assert _WORKER is not None
    reasoner, lang, only, explain, changes = _WORKER
    outcome = assess_file(reasoner, entry, lang, only, explain=explain, changes=changes)
    if outcome.document is not None:
        line = outcome.document.json_line()
    else:
        line = json.dumps({"file": outcome.name, "errors": list(outcome.problems)})
    return replace(outcome, scenario=None, document=None, line=line)


@contextmanager
def _ignoring_sigint() -> Iterator[None]:
    """Ctrl-C ignored while the pool forks its workers: a worker inherits the setting, so it is
    never interrupted between its start and :func:`_start_worker`."""
    previous = signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)


def assess_as_lines(entries: list[Entry], reasoner: Reasoner, lang: str, only: list[str] | None,
                    jobs: int, explain: bool = False, changes: Sequence[Change] = ()) -> Iterator[Outcome]:
    """Each file's outcome as a JSON line, in the order of `entries`, computed here or by `jobs`
    worker processes. Closing the iterator (or an interruption while it waits) terminates the
    workers."""
    global _WORKER
    if jobs <= 1 or len(entries) < 2 * jobs:
        _WORKER = (reasoner, lang, only, explain, changes)
        yield from map(_as_line, entries)
        return
    context = multiprocessing.get_context("fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn")
    arguments = (reasoner.directory, reasoner.engine_name, lang, only, explain, tuple(changes))
    with _ignoring_sigint():
        pool = context.Pool(jobs, initializer=_start_worker, initargs=arguments)
    with pool:
        yield from pool.imap(_as_line, entries, chunksize=16)
