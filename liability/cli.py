"""The `liability` command line: parse, call the library, render. No reasoning happens here.

Exit codes (DESIGN.md section 8): 0 done, 1 expectations failed (or lint warnings), 2 bad input
(a scenario or rule file): one clear message per problem on stderr, never a traceback; 130
interrupted (Ctrl-C).
"""

from __future__ import annotations

import datetime as dt
import difflib
import errno
import json
import os
import signal
import stat
import sys
from contextlib import closing, contextmanager
from pathlib import Path
from typing import Any, Iterator, NoReturn, Sequence

import click

from .batch import Entry, Outcome, Unreadable, assess_as_lines, assess_file, load, read_piped
from .bundled import reforms_dir, scenarios_dir
from .changes import Change, parse_changes
from .conditions import describe
from .decide import DecisionError
from .findings import slimmed
from .reasoner import Reasoner, mismatches
from .rulebook import RuleError
from .scenario import SCENARIO_SUFFIXES, Scenario, ScenarioError, load_scenario
from .sources import escape, shown
from .version import __version__

EXIT_MISMATCH = 1
EXIT_BAD_INPUT = 2
EXIT_INTERRUPTED = 130
"""128 + SIGINT, what a shell reports for a command stopped by Ctrl-C."""


def fail(problems: list[str]) -> NoReturn:
    for problem in problems:
        click.echo(f"error: {problem}", err=True)
    sys.exit(EXIT_BAD_INPUT)


def _reasoner(ctx: click.Context, engine: str = "experta") -> Reasoner:
    if ctx.obj is None:
        rules = ctx.find_root().params.get("rules")
        try:
            ctx.obj = Reasoner(Path(rules) if rules else None, engine)
        except RuleError as error:
            fail(error.problems)
    return ctx.obj


def _ready(reasoner: Reasoner, only: list[str] | None = None) -> Reasoner:
    """The reasoner with every rule pack and the glossary loaded and `--regime` checked, before a
    batch reads its first file: a broken pack or an unknown regime would fail every file the same
    way, so it stops the command at once, with one message and no partial output."""
    try:
        reasoner.known()
        reasoner.glossary  # loaded now: every assessment needs it
    except RuleError as error:
        fail(error.problems)
    unknown = [regime for regime in only or [] if regime not in reasoner.regimes]
    if unknown:
        fail([f"--regime: unknown regime `{unknown[0]}`; known: {', '.join(reasoner.regimes)}"])
    return reasoner


ENGINE_OPTION = click.option(
    "--engine", type=click.Choice(["experta", "direct"]), default=None,
    help="experta (the rule engine), or direct (the same firing in plain Python, 50x faster). "
         "Default: experta for single files, direct for folders and batches.")

def _columns(ctx: click.Context, param: click.Parameter, value: str | None) -> int | None:
    """`--width` as a number of columns, refused in one line (exit 2) when it is not a whole
    number or is narrower than a report can be laid out."""
    from .render.text import NARROWEST

    if value is None:
        return None
    try:
        columns = int(value)
    except ValueError:
        fail([f"--width: `{shown(value)}` is not a number of columns; expected a whole number, at least {NARROWEST}"])
    if columns < NARROWEST:
        fail([f"--width: {columns} columns is too narrow; expected at least {NARROWEST}, below which a rule id "
              "or a fact with its value no longer fits a line"])
    return columns


WIDTH_OPTION = click.option(
    "--width", callback=_columns, default=None, metavar="COLUMNS",
    help="Text: lay the report out this many columns wide, at least 60, below which a rule id or a "
         "fact with its value no longer fits a line (default: the terminal's width, 100 when piped).")

SET_OPTION = click.option(
    "--set", "settings", multiple=True, metavar="FACT=VALUE",
    help="Assess the scenario with this fact changed (repeatable): a fact of `liability scenario facts` "
         "and a value as a scenario file writes it (true, false, unknown, a choice, a number, country codes "
         "separated by commas), or a date or the posture (judged_on=2019-01-01).")


def _changes(reasoner: Reasoner, settings: Sequence[str]) -> list[Change]:
    """The `--set` changes, checked against the facts before any file is read (exit 2 if one is bad)."""
    try:
        return parse_changes(settings, reasoner.vocabulary)
    except ScenarioError as error:
        fail(error.problems)


def complete_scenario(ctx: click.Context, param: click.Parameter, incomplete: str) -> list[Any]:
    """Shell completion of a scenario argument: the bundled scenarios' ids, then files and folders."""
    from click.shell_completion import CompletionItem

    ids = sorted(path.stem for path in _walk(scenarios_dir()) if isinstance(path, Path))
    return [CompletionItem(name) for name in ids if name.startswith(incomplete)] + \
        [CompletionItem(incomplete, type="file")]


def complete_head(ctx: click.Context, param: click.Parameter, incomplete: str) -> list[Any]:
    """Shell completion of `--head`: the heads of every regime of the rules in use."""
    from click.shell_completion import CompletionItem

    try:
        reasoner = _reasoner(ctx)
        heads = sorted({head for regime in reasoner.regimes for head in reasoner.rulebook(regime).heads})
    except (RuleError, ScenarioError, OSError):
        return []  # a broken rules folder completes nothing; the command itself will say why
    return [CompletionItem(head) for head in heads if head.startswith(incomplete)]


def _counted(count: int, one: str, many: str) -> str:
    """`1 file`, `2 files`."""
    return f"{count} {one if count == 1 else many}"


def _split(value: str | None) -> list[str] | None:
    return [part.strip() for part in value.split(",") if part.strip()] if value else None


def scenario_files(names: tuple[str, ...]) -> list[Entry]:
    """What each name stands for, in order: standard input (`-`), the scenario files under a
    folder, a file, or the bundled scenario whose id it is. A name that is none of them, and a
    folder entry the walk cannot follow, keep their place as :class:`~liability.batch.Unreadable`,
    to be reported with the other files' problems."""
    entries: list[Entry] = []
    for name in names:
        path = Path(name)
        if name == "-":
            with click.open_file("-", "rb") as stdin:
                entries.append(read_piped(stdin))
        elif path.is_dir():
            entries.extend(_walk(path))
        elif os.path.lexists(path) or path.suffix.lower() in SCENARIO_SUFFIXES:
            entries.append(path)
        else:
            entries.append(_bundled(name))
    return entries


def _walk(folder: Path, ancestors: frozenset[tuple[int, int]] = frozenset()) -> Iterator[Path | Unreadable]:
    """The scenario files under `folder`, in path order, following links to folders but never
    round in a circle. What the walk cannot follow is yielded in its place (an unreadable
    subfolder, a scenario-named link to nothing or link loop) instead of being left out silently;
    whether a scenario-named entry is a regular file is for the reader to say, like any file's
    other problems. Other names are not scenarios and are passed over."""
    try:
        info = folder.stat()
        with os.scandir(folder) as listing:
            names = sorted(entry.name for entry in listing)
    except OSError as error:
        yield Unreadable(folder, f"cannot read the folder ({error.strerror})")
        return
    inode = (info.st_dev, info.st_ino)
    if inode in ancestors:
        yield Unreadable(folder, "a link to a folder that contains it (a loop); not followed")
        return
    for name in names:
        path = folder / name
        scenario = path.suffix.lower() in SCENARIO_SUFFIXES
        try:
            is_folder = stat.S_ISDIR(path.stat().st_mode)
        except OSError as error:
            if scenario:
                yield Unreadable(path, _unreachable(error))
            continue
        if is_folder:
            yield from _walk(path, ancestors | {inode})
        elif scenario:
            yield path


def _unreachable(error: OSError) -> str:
    """Why an entry the folder lists leads nowhere: a link to nothing or a loop of links (or, for
    one in a folder that may be listed but not searched, the system's reason)."""
    if error.errno == errno.ELOOP:
        return "a symbolic link loop"
    if error.errno == errno.ENOENT:
        return "a symbolic link to nothing (dangling)"
    return f"cannot read it ({error.strerror})"


def _bundled(name: str) -> Path | Unreadable:
    """The bundled scenario whose id is exactly `name`: no pattern, no prefix (`*` is no id)."""
    ids = {path.stem: path for path in _walk(scenarios_dir()) if isinstance(path, Path)}
    if name in ids:
        return ids[name]
    close = difflib.get_close_matches(name, list(ids), n=1)
    hint = f" - did you mean `{close[0]}`?" if close else " (see `liability scenario list`)"
    return Unreadable(Path(name), f"no such file, and no bundled scenario has that id{hint}")


def _one_scenario(name: str, command: str) -> Entry:
    """The one scenario file (or bundled id, or standard input) a command works on; a folder is
    refused."""
    entries = scenario_files((name,))
    if len(entries) != 1:
        fail([f"{name}: `{command}` takes one scenario file, not a folder of {len(entries)}"])
    return entries[0]


def _load(reasoner: Reasoner, entry: Entry, changes: Sequence[Change] = ()) -> Scenario:
    try:
        return load(reasoner, entry, changes)
    except (ScenarioError, RuleError) as error:
        fail(error.problems)


class _Commands(click.Group):
    """The command group, turning Ctrl-C into one line and exit 130, instead of click's "Aborted!"
    and exit 1, which a script could not tell from failed expectations."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except KeyboardInterrupt:
            click.echo("interrupted", err=True)
            sys.exit(EXIT_INTERRUPTED)


@click.group(cls=_Commands, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="liability")
@click.option("--rules", type=click.Path(file_okay=False), envvar="LIABILITY_RULES",
              help="Folder of rule packs to use instead of the bundled ones.")
def main(rules: str | None) -> None:
    """Reasoned findings on the liability of online platforms for sexual exploitation."""


@main.command(short_help="Assess scenarios: findings, reasons, penalties.")
@click.argument("files", nargs=-1, required=True, shell_complete=complete_scenario)
@click.option("--regime", "regimes", help="Comma-separated regimes to apply (default: the scenario's).")
@click.option("--format", "fmt", type=click.Choice(["text", "json", "md", "html", "jsonl", "csv"]), default="text",
              show_default=True, help="md and html: a memo, element by element; jsonl: one findings document "
                                      "per line, streamed as each is done, and for a file that cannot be "
                                      'assessed, {"file": ..., "errors": [...]} in its place; csv: one line per '
                                      "finding (scenario, regime, head, proceeding, status, penalty...).")
@click.option("--slim", is_flag=True, help="With --format json: leave out each finding's derivation tree, "
                                           "element-by-element analysis and near misses.")
@click.option("--lang", type=click.Choice(["en", "fr"]), default="en", show_default=True)
@click.option("--trace", is_flag=True, help="Show the rule trace after the reasons.")
@click.option("--detail", is_flag=True, help="Text: every finding's reasons, elements, penalties and versions "
                                             "after the summary, and the terms that do not translate exactly.")
@WIDTH_OPTION
@SET_OPTION
@ENGINE_OPTION
@click.option("--jobs", type=click.IntRange(min=1), default=None,
              help="Processes for --format jsonl (default and most: one per processor available); the output "
                   "order does not change.")
@click.option("--explain/--no-explain", default=None,
              help="Build each finding's analysis element by element and its near misses (default: for "
                   "json, md and html; not for text, which does not show them, nor for jsonl, where they "
                   "would multiply the output fivefold).")
@click.pass_context
def run(ctx: click.Context, files: tuple[str, ...], regimes: str | None, fmt: str, slim: bool, lang: str,
        trace: bool, detail: bool, width: int | None, settings: tuple[str, ...], engine: str | None,
        jobs: int | None, explain: bool | None) -> None:
    """Assess scenario FILES (paths, folders, ids of bundled scenarios, or - for standard input).

    In a batch (several files, a folder, or jsonl), a file that cannot be assessed is reported on
    stderr (and in jsonl as an error record in its place) and the others are still assessed; the
    exit status is then 2."""
    entries = scenario_files(files)
    batch = fmt == "jsonl" or len(entries) > 1 or any(Path(f).is_dir() for f in files)
    only = _split(regimes)
    reasoner = _ready(_reasoner(ctx, engine or ("direct" if batch else "experta")), only)
    if slim and fmt != "json":
        fail(["--slim: applies to --format json only"])
    explain = fmt in ("json", "md", "html") and not slim if explain is None else explain
    changes = _changes(reasoner, settings)
    if fmt == "jsonl":
        sys.exit(_stream(entries, reasoner, lang, only, _jobs(jobs), explain, changes))
    if not batch:
        documents = [_assess(reasoner, _load(reasoner, entries[0], changes), lang, only, explain)]
    else:
        documents = []
        with _progress(len(entries)) as advance:
            for entry in entries:
                outcome = assess_file(reasoner, entry, lang, only, explain=explain, changes=changes)
                _report(outcome)
                if outcome.document is not None:
                    documents.append(outcome.document)
                advance()
    _warn(documents)
    empty = [d.scenario for d in documents if not any(r.findings for r in d.regimes)]
    if empty and not batch:
        fail([f"{empty[0]}: no finding in the regimes and proceedings asked for (see the warning above)"])
    _render([slimmed(document) for document in documents] if slim else documents, fmt, trace, detail=detail,
            width=width)
    if len(documents) < len(entries):
        sys.exit(EXIT_BAD_INPUT)


def _stream(entries: list[Entry], reasoner: Reasoner, lang: str, only: list[str] | None, jobs: int,
            explain: bool, changes: Sequence[Change]) -> int:
    """Print each file's JSON line as soon as it and those before it are done, and return the exit
    status. The batch is closed on the way out, an interruption included, so that its workers
    are terminated rather than left running."""
    bad = 0
    with _progress(len(entries)) as advance, closing(assess_as_lines(entries, reasoner, lang, only, jobs,
                                                                     explain, changes)) as outcomes:
        for outcome in outcomes:
            bad += _report(outcome)
            with _uninterrupted():
                click.echo(outcome.line)
            advance()
    return EXIT_BAD_INPUT if bad else 0


def _jobs(asked: int | None) -> int:
    """The worker processes to start: as many as asked, but no more than the processors this
    process may use, since more only add forks, memory and switching (said in one line)."""
    available = _processors()
    if asked is not None and asked > available:
        click.echo(f"note: --jobs {asked} capped at {available}, the processors available", err=True)
    return min(asked or available, available)


def _processors() -> int:
    """The processors this process may run on: its affinity (a container or `taskset` may allow
    fewer than the machine has) where the system tells it, else the machine's count."""
    counted = getattr(os, "process_cpu_count", None)
    if counted is not None:
        return counted() or 1
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0))
    return os.cpu_count() or 1


def _assess(reasoner: Reasoner, scenario: Scenario, lang: str, only: list[str] | None,  # type: ignore[no-untyped-def]
            explain: bool = True):
    try:
        return reasoner.assess(scenario, lang, only, explain=explain)
    except RuleError as error:
        fail(error.problems)
    except DecisionError as error:
        fail([f"{scenario.id}: {error}"])


def _warn(documents: list[Any]) -> None:
    """What a reader must know before trusting the findings (facts older than a regime's texts)."""
    for document in documents:
        for regime in document.regimes:
            for warning in regime.warnings:
                click.echo(f"warning: {document.scenario}: {regime.regime}: {warning}", err=True)


def _report(outcome: Outcome) -> int:
    """Print why a file could not be assessed, one line per problem, and count it (1) or not (0)."""
    for problem in outcome.problems:
        click.echo(f"error: {problem}", err=True)
    return 1 if outcome.problems else 0


class _progress:
    """A rich progress bar on an interactive stderr; nothing when stderr is piped or redirected."""

    def __init__(self, total: int) -> None:
        self.total = total
        self.bar: Any = None

    def __enter__(self):  # type: ignore[no-untyped-def]
        if self.total > 1 and sys.stderr.isatty():
            from rich.progress import Progress

            self.bar = Progress(transient=True)
            self.bar.start()
            task = self.bar.add_task("scenarios", total=self.total)
            return lambda: self.bar.advance(task)
        return lambda: None

    def __exit__(self, *exc: object) -> None:
        if self.bar is not None:
            self.bar.stop()


def _render(documents: list[Any], fmt: str, trace: bool, heads: set[str] | None = None, why_not: bool = False,
            memo: bool = False, detail: bool = False, width: int | None = None) -> None:
    """Print the documents in `fmt`; `memo` asks for the element-by-element memo in text too, and
    `detail` for the reasons after the text summary, `width` columns wide (default: the terminal's).
    The whole text is built first, then written without a break (see :func:`_uninterrupted`)."""
    # Renderers are imported on demand: rich alone adds about 50 ms to a cold start.
    colour: bool | None = None
    if fmt == "json":
        from .render import json as json_render

        text = json_render.render(documents)
    elif fmt == "csv":
        from .render.tables import records_csv

        text = records_csv(record for document in documents for record in document.to_records())
    elif fmt == "md":
        from .render import markdown as markdown_render

        text = markdown_render.render(documents, trace, heads, why_not)
    elif fmt == "html":
        from .render import html as html_render

        text = html_render.render(documents, trace, heads, why_not)
    elif memo:
        from .render import plain as plain_render

        text = plain_render.render(documents, heads, why_not)
    else:
        from .render import text as text_render

        colour = sys.stdout.isatty()
        text = text_render.render(documents, trace, colour=colour, width=width or text_render.terminal_width(sys.stdout),
                                  detail=detail)
    with _uninterrupted():
        click.echo(text, nl=False, color=colour)


@contextmanager
def _uninterrupted() -> Iterator[None]:
    """Ctrl-C held back while output is written, and delivered once it is: a long write into a full
    pipe can be cut short by a signal, and what it did not write is lost (unbuffered output does
    not retry), which would leave half a line, half a JSON document, as the last thing a reader
    gets. Blocking the signal, not catching it, is what keeps the write from being interrupted."""
    if not hasattr(signal, "pthread_sigmask"):  # Windows, where Ctrl-C comes on a thread of its own
        yield
        return
    previous = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, previous)


@main.command(short_help="One head of a scenario, element by element.")
@click.argument("file", shell_complete=complete_scenario)
@click.option("--head", "heads", required=True, multiple=True, shell_complete=complete_head,
              help="The head to explain (see `rules list` or a run's findings); repeat for several.")
@click.option("--why-not", is_flag=True, help="Show, for every rule that could have concluded the head and "
                                               "did not, what failed and what would satisfy it.")
@click.option("--regime", "regimes", help="Comma-separated regimes to apply (default: the scenario's).")
@click.option("--format", "fmt", type=click.Choice(["text", "md", "html", "json"]), default="text",
              show_default=True)
@click.option("--lang", type=click.Choice(["en", "fr"]), default="en", show_default=True)
@ENGINE_OPTION
@click.pass_context
def explain(ctx: click.Context, file: str, heads: tuple[str, ...], why_not: bool, regimes: str | None, fmt: str,
            lang: str, engine: str | None) -> None:
    """Explain the findings on one head of scenario FILE (- for standard input), element by element."""
    entry = _one_scenario(file, "explain")
    reasoner = _reasoner(ctx, engine or "experta")
    document = _assess(reasoner, _load(reasoner, entry), lang, _split(regimes))
    answered = {f.head for regime in document.regimes for f in regime.findings}
    unknown = [head for head in heads if head not in answered]
    if unknown:
        known = sorted(answered)
        close = difflib.get_close_matches(unknown[0], known, n=1)
        hint = f" - did you mean `{close[0]}`?" if close else f"; heads: {', '.join(known)}"
        fail([f"{entry}: no finding on head `{unknown[0]}` under this scenario's regimes{hint}"])
    if fmt == "json":
        kept = [regime.model_copy(update={"findings": [f for f in regime.findings if f.head in heads]})
                for regime in document.regimes]
        document = document.model_copy(update={"regimes": [r for r in kept if r.findings]})
    _render([document], fmt, False, set(heads), why_not, memo=True)


@main.command(short_help="Run the scenarios' expect blocks.")
@click.argument("paths", nargs=-1, shell_complete=complete_scenario)
@click.option("--coverage", is_flag=True, help="Also report which rules fired and which conditions were "
                                               "never seen true or false.")
@ENGINE_OPTION
@click.pass_context
def check(ctx: click.Context, paths: tuple[str, ...], coverage: bool, engine: str | None) -> None:
    """Run every scenario's `expect` block (default: the bundled scenarios); a file that cannot be
    read is reported and the others are checked (exit 2, or 1 if only expectations failed)."""
    from .coverage import Coverage

    reasoner = _ready(_reasoner(ctx, engine or "direct"))
    entries = scenario_files(paths or (str(scenarios_dir()),))
    failed = checked = bad = 0
    unchecked: list[str] = []
    seen = Coverage()
    needed = None if coverage else (lambda scenario: bool(scenario.expect))
    with _progress(len(entries)) as advance:
        for entry in entries:
            outcome = assess_file(reasoner, entry, observe=seen.add if coverage else None, needed=needed,
                                  explain=False)
            advance()
            bad += _report(outcome)
            if outcome.scenario is not None and not outcome.scenario.expect:
                unchecked.append(str(entry))
                click.echo(f"{entry}: no `expect` block: not checked")
            if outcome.document is None or not outcome.scenario.expect:
                continue
            checked += 1
            problems = mismatches(outcome.scenario, outcome.document)
            if problems:
                failed += 1
                for m in problems:
                    where = f"{m.head} [{m.proceeding}]" if m.proceeding else m.head
                    where += "" if m.field == "status" else f" {m.field}"
                    click.echo(f"{entry}: {where}: expected {m.expected}, got {m.got}")
    if coverage:
        for line in seen.report():
            click.echo(line)
    click.echo(f"{_counted(checked, 'scenario', 'scenarios')} checked: {checked - failed} passed, {failed} failed"
               + (f"; {_counted(len(unchecked), 'file', 'files')} without an `expect` block, not checked"
                  if unchecked else "")
               + (f"; {_counted(bad, 'unreadable file', 'unreadable files')}" if bad else ""))
    if bad:
        sys.exit(EXIT_BAD_INPUT)
    if failed:
        sys.exit(EXIT_MISMATCH)


@main.command("compare", short_help="Regimes and dates side by side.")
@click.argument("file", shell_complete=complete_scenario)
@click.option("--regimes", help="Comma-separated regimes (default: the scenario's, or all).")
@click.option("--as-of", "as_of", help="Comma-separated dates: DATE (facts and judgment that day) or FACTS/JUDGED.")
@click.option("--format", "fmt", type=click.Choice(["text", "md", "json", "csv"]), default="text", show_default=True,
              help="csv: one line per regime, dates, head and proceeding (the `records` of json).")
@click.option("--lang", type=click.Choice(["en", "fr"]), default="en", show_default=True)
@WIDTH_OPTION
@click.pass_context
def compare_command(ctx: click.Context, file: str, regimes: str | None, as_of: str | None, fmt: str,
                    lang: str, width: int | None) -> None:
    """Put regimes and dates side by side for one scenario: a row per question, a column per regime and date."""
    from .compare import compare, parse_as_of
    from .render import comparison as comparison_render

    reasoner = _reasoner(ctx)
    scenario = _load(reasoner, _one_scenario(file, "compare"))
    chosen = _split(regimes) or scenario.regimes or list(reasoner.regimes)
    unknown = [r for r in chosen if r not in reasoner.regimes]
    if unknown:
        fail([f"--regimes: unknown regime `{unknown[0]}`; known: {', '.join(reasoner.regimes)}"])
    try:
        dates = [parse_as_of(value) for value in _split(as_of)] if as_of else \
            [(scenario.facts_date, scenario.assessed_on)]
    except ValueError as error:
        fail([f"--as-of: {error}; expected YYYY-MM-DD or FACTS/JUDGED, comma-separated"])
    try:
        result = compare(reasoner, scenario, chosen, dates, lang)
    except RuleError as error:
        fail(error.problems)
    if fmt == "json":
        click.echo(json.dumps(result.as_json(), ensure_ascii=False, indent=2))
    elif fmt == "csv":
        from .render.tables import records_csv

        click.echo(records_csv(result.to_records()), nl=False)
    elif fmt == "md":
        click.echo(comparison_render.markdown(result), nl=False)
    else:
        from .render.text import terminal_width

        colour = sys.stdout.isatty()
        click.echo(comparison_render.text(result, colour=colour, width=width or terminal_width(sys.stdout)),
                   nl=False, color=colour)


@main.command("reform", short_help="What a reform of the packs changes.")
@click.argument("overlay")
@click.argument("scenarios", nargs=-1)
@click.option("--regime", "regimes", help="Comma-separated regimes to study (default: every regime the reform changes).")
@click.option("--as-of", "as_of", help="The day of conduct and judgment for the exact changes (default: today, UTC).")
@click.option("--format", "fmt", type=click.Choice(["text", "md", "json"]), default="text", show_default=True)
@click.option("--lang", type=click.Choice(["en", "fr"]), default="en", show_default=True)
@click.pass_context
def reform_command(ctx: click.Context, overlay: str, scenarios: tuple[str, ...], regimes: str | None,
                   as_of: str | None, fmt: str, lang: str) -> None:
    """What the reform in OVERLAY (a YAML overlay on the rule packs, or the id of a bundled example
    reform) changes: the findings over SCENARIOS (files, folders or bundled ids; default: the
    bundled scenarios), and exactly, the combinations of facts whose status it changes. The rules
    folder is never written."""
    from .overlay import load_reform
    from .reform_changes import compare_reform
    from .scenario import utc_today

    only = _split(regimes)
    reasoner = _ready(_reasoner(ctx, "direct"), only)
    try:
        day = dt.date.fromisoformat(as_of) if as_of else utc_today()
    except ValueError:
        fail([f"--as-of: `{shown(as_of)}` is not a date; expected YYYY-MM-DD"])
    try:
        reform = load_reform(_overlay(overlay), reasoner.regimes, reasoner.directory, reasoner.rulebook)
        report = compare_reform(reasoner, reform, scenario_files(scenarios or (str(scenarios_dir()),)), day, only)
    except RuleError as error:
        fail(error.problems)
    except DecisionError as error:
        fail([f"{overlay}: {error}"])
    for warning in reform.warnings:
        click.echo(f"warning: {warning}", err=True)
    for problem in report.problems:
        click.echo(f"error: {problem}", err=True)
    if fmt == "json":
        text = json.dumps(report.as_json(), ensure_ascii=False, indent=2) + "\n"
    else:
        from .render import reform as reform_render

        text = reform_render.markdown(report, lang) if fmt == "md" else reform_render.text(report, lang)
    with _uninterrupted():
        click.echo(text, nl=False)
    if report.problems:
        sys.exit(EXIT_BAD_INPUT)


def _overlay(name: str) -> Path:
    """The overlay file `name` names, or the bundled example reform whose id it is."""
    path = Path(name)
    if os.path.lexists(path) or path.suffix:
        return path
    bundled = {file.stem: file for file in sorted(reforms_dir().glob("*.yaml"))}
    if name in bundled:
        return bundled[name]
    close = difflib.get_close_matches(name, list(bundled), n=1)
    hint = f" - did you mean `{close[0]}`?" if close else f" (bundled reforms: {', '.join(bundled) or 'none'})"
    fail([f"{shown(name)}: no such file, and no bundled reform has that id{hint}"])


@main.command("sweep", short_help="A decision table over some facts.")
@click.argument("file", shell_complete=complete_scenario)
@click.option("--vary", required=True,
              help="Comma-separated facts to vary over every combination of their values, or `all-unknown`: "
                   "the scenario's unknown facts on which each head's status depends.")
@click.option("--head", default=None, shell_complete=complete_head, help="The head to sweep (default: every head of the regime).")
@click.option("--regime", default=None,
              help="The regime (default: the scenario's first regime that answers --head, or its first).")
@click.option("--format", "fmt", type=click.Choice(["text", "md", "csv", "json"]), default="text", show_default=True)
@click.option("--lang", type=click.Choice(["en", "fr"]), default="en", show_default=True)
@click.pass_context
def sweep_command(ctx: click.Context, file: str, vary: str, head: str | None, regime: str | None, fmt: str,
                  lang: str) -> None:
    """A head's status over every combination of some facts, as a decision table and in words."""
    from .render import sweep as sweep_render
    from .sweep_table import ALL_UNKNOWN, SweepError, default_regime, sweep, varied_facts

    reasoner = _ready(_reasoner(ctx, "direct"), [regime] if regime else None)
    scenario = _load(reasoner, _one_scenario(file, "sweep"))
    regime = regime or default_regime(reasoner, scenario, head)
    try:
        names = _split(vary) or []
        chosen = None if names == [ALL_UNKNOWN] else varied_facts(reasoner, names)
        if not names:
            raise SweepError("--vary: expected comma-separated fact paths, or `all-unknown`")
        result = sweep(reasoner, scenario, regime, chosen, head, lang)
    except SweepError as error:
        fail([str(error)])
    except DecisionError as error:
        fail([str(error)])
    if fmt == "json":
        click.echo(result.model_dump_json(by_alias=True, indent=2))
    elif fmt == "md":
        click.echo(sweep_render.markdown(result), nl=False)
    elif fmt == "csv":
        click.echo(sweep_render.csv_table(result), nl=False)
        if result.inert:  # a table has no room for it; the other formats say it in their own words
            click.echo(f"note: {sweep_render.inert_note(result)}", err=True)
    else:
        colour = sys.stdout.isatty()
        click.echo(sweep_render.text(result, colour=colour), nl=False, color=colour)


@main.command("interview", short_help="Fill a scenario by answering questions.")
@click.option("--regime", "regimes", help="Comma-separated regimes to assess; they become the scenario's "
                                          "`regimes` (default: asked, or the --from scenario's).")
@click.option("--from", "source", shell_complete=complete_scenario, help="Start from this scenario file (or bundled id): its stated facts, and "
                                       "those it writes `unknown`, are not asked.")
@click.option("--save", "target", type=click.Path(dir_okay=False),
              help="Write the scenario here, without asking at the end; Ctrl-C or Ctrl-D then saves the "
                   "answers given so far.")
@click.option("--lang", type=click.Choice(["en", "fr"]), default="en", show_default=True)
@click.pass_context
def interview_command(ctx: click.Context, regimes: str | None, source: str | None, target: str | None,
                      lang: str) -> None:
    """Fill a scenario by answering, in a terminal, only the questions that can still change a
    finding, most decisive first (arrow keys and Enter for choices; "don't know" is an answer,
    and is not asked again). From nothing, it asks first the scenario's id, title, date of the
    facts, regime and posture. After each answer it shows the findings so far; it stops when no
    open question can change a finding, shows the findings and saves the scenario as YAML, which
    `liability run` reads back to the same findings (an `expect` block of --from is not kept).

    Without --save it asks where to save (default `<id>.yaml` here; - prints the YAML).
    Ctrl-C or Ctrl-D stops it with exit 130: nothing is saved, unless --save was given, in which
    case the answers so far are saved there."""
    from . import prompts
    from .interview import WORDS, start

    only = _split(regimes)
    reasoner = _ready(_reasoner(ctx), only)
    if not (sys.stdin.isatty() and sys.stdout.isatty()):
        fail(["interview: standard input and output must be a terminal (to fill a file without one, "
              "write the scenario and use `liability run`)"])
    entry = _one_scenario(source, "interview --from") if source is not None else None
    if isinstance(entry, Unreadable):
        fail([f"--from: {entry.problem}"])
    if entry is not None and not isinstance(entry, Path):
        fail(["--from: give a scenario file or a bundled id, not standard input (it is the terminal here)"])
    try:
        interview = start(reasoner, lang, entry, only)
    except ScenarioError as error:
        fail(error.problems)
    words = WORDS[lang]
    try:
        prompts.hold(interview)
        path = Path(target) if target else prompts.where_to_save(interview)
    except (KeyboardInterrupt, EOFError):
        if target and interview.ready:
            _save(interview, Path(target))
        click.echo(words["saved_interrupted" if target and interview.ready else
                         "incomplete" if target else "not_saved"].format(file=escape(str(target))), err=True)
        sys.exit(EXIT_INTERRUPTED)
    if path is None:
        click.echo(interview.yaml(), nl=False)
        return
    _save(interview, path)
    click.echo(words["saved"].format(file=escape(str(path))))


def _save(interview: Any, path: Path) -> None:
    try:
        interview.save(path)
    except OSError as error:
        fail([f"--save: {escape(str(path))}: cannot write the scenario ({error.strerror})"])


@main.command("serve", short_help="A local web page and JSON API.")
@click.option("--port", type=click.IntRange(min=0, max=65535), default=8000, show_default=True,
              help="The TCP port to listen on.")
@click.option("--host", default="127.0.0.1", show_default=True,
              help="The address to listen on; anything but a loopback address opens the page to the network.")
@click.pass_context
def serve_command(ctx: click.Context, port: int, host: str) -> None:
    """Serve a local web page to fill in a scenario and see the findings, open questions,
    derivations, what-ifs and a comparison of regimes and dates, in English or French; and the
    same as a JSON API (POST /assess, POST /compare, GET /facts). Ctrl-C stops it."""
    from .web.app import serve
    from .web.listening import check_listening, is_loopback

    problem = check_listening(host, port)
    if problem:
        fail([problem])
    reasoner = _ready(_reasoner(ctx, "direct"))
    if not is_loopback(host):
        click.echo(f"warning: --host {escape(host)}: the page and its API are open to whoever can reach this "
                   "address; there are no accounts", err=True)
    click.echo(f"liability: serving http://{host if ':' not in host else f'[{host}]'}:{port}/ (Ctrl-C to stop)", err=True)
    serve(host, port, reasoner)


@main.command("whatif", short_help="The findings that change with some facts.")
@click.argument("file", shell_complete=complete_scenario)
@click.option("--set", "settings", multiple=True, required=True, metavar="FACT=VALUE",
              help="A fact to change (repeatable), as for `run --set`.")
@click.option("--regime", "regimes", help="Comma-separated regimes to apply (default: the scenario's).")
@click.option("--format", "fmt", type=click.Choice(["text", "md", "json"]), default="text", show_default=True)
@click.option("--lang", type=click.Choice(["en", "fr"]), default="en", show_default=True)
@ENGINE_OPTION
@click.pass_context
def whatif_command(ctx: click.Context, file: str, settings: tuple[str, ...], regimes: str | None, fmt: str,
                   lang: str, engine: str | None) -> None:
    """Show the findings on scenario FILE that change when facts are set otherwise, before and
    after, with the reasons that stop or start holding (default engine: direct, same findings as
    experta)."""
    from .render import whatif as whatif_render
    from .what_if import what_if

    reasoner = _reasoner(ctx, engine or "direct")
    changes = _changes(reasoner, settings)
    entry = _one_scenario(file, "whatif")
    scenario = _load(reasoner, entry)
    with _reported(str(entry)):
        result = what_if(reasoner, scenario, changes, lang, _split(regimes))
    _print_report(result, fmt, whatif_render)


@main.command("flips", short_help="The smallest changes that flip findings.")
@click.argument("file", shell_complete=complete_scenario)
@click.option("--head", "heads", multiple=True, shell_complete=complete_head, help="A head to examine (repeatable; default: every finding).")
@click.option("--max", "max_changes", type=click.IntRange(min=1, max=8), default=3, show_default=True,
              help="The most facts changed together that are searched (the answer up to that size is complete).")
@click.option("--keep", "keep", multiple=True, metavar="PATTERN",
              help="Facts held as they are (repeatable): a path or a pattern such as `service.*`.")
@click.option("--regime", "regimes", help="Comma-separated regimes to apply (default: the scenario's).")
@click.option("--format", "fmt", type=click.Choice(["text", "md", "json"]), default="text", show_default=True)
@click.option("--lang", type=click.Choice(["en", "fr"]), default="en", show_default=True)
@click.pass_context
def flips_command(ctx: click.Context, file: str, heads: tuple[str, ...], max_changes: int, keep: tuple[str, ...],
                  regimes: str | None, fmt: str, lang: str) -> None:
    """For each finding on scenario FILE, the smallest sets of fact changes that would give each of
    its other statuses, smallest first, each with the rule that would then decide. Exact (read off
    the decision diagrams and checked on the changed scenario), complete up to --max facts; a fact
    left unknown stays open unless the change sets it."""
    from .flip_search import FlipError, flips
    from .render import flips as flips_render

    reasoner = _reasoner(ctx, "direct")
    entry = _one_scenario(file, "flips")
    scenario = _load(reasoner, entry)
    only = _split(regimes)
    _known_heads(reasoner, scenario, heads, only, str(entry))
    try:
        with _reported(str(entry)):
            result = flips(reasoner, scenario, heads, keep, max_changes, lang, only)
    except FlipError as error:
        fail([str(error)])
    _print_report(result, fmt, flips_render)


@contextmanager
def _reported(name: str) -> Iterator[None]:
    """A scenario or rule problem met while working on file `name`, as one line each and exit 2."""
    try:
        yield
    except ScenarioError as error:
        fail([f"{name}: {problem}" for problem in error.problems])
    except RuleError as error:
        fail(error.problems)
    except DecisionError as error:
        fail([f"{name}: {error}"])


def _print_report(report: Any, fmt: str, renderer: Any) -> None:
    """A report as JSON, or as its renderer's Markdown or text."""
    if fmt == "json":
        click.echo(json.dumps(report.as_json(), ensure_ascii=False, indent=2))
    else:
        click.echo(renderer.markdown(report) if fmt == "md" else renderer.text(report), nl=False)


def _known_heads(reasoner: Reasoner, scenario: Scenario, heads: Sequence[str], only: list[str] | None,
                 name: str) -> None:
    """Refuse a head no regime of the scenario decides, with the nearest one."""
    try:
        known = sorted({head for regime in reasoner.regimes_for(scenario, only)
                        for head in reasoner.rulebook(regime).heads})
    except RuleError as error:
        fail(error.problems)
    for head in heads:
        if head not in known:
            close = difflib.get_close_matches(head, known, n=1)
            hint = f" - did you mean `{close[0]}`?" if close else f"; heads: {', '.join(known)}"
            fail([f"{name}: no finding on head `{shown(head)}` under this scenario's regimes{hint}"])


@main.group()
def rules() -> None:
    """Inspect the rule packs."""


@rules.command("list", short_help="Every rule, one line each.")
@click.option("--regime", "regimes", help="Comma-separated regimes (default: all).")
@click.pass_context
def rules_list(ctx: click.Context, regimes: str | None) -> None:
    """List every rule: id, citation, what it concludes, strength, in-force dates."""
    reasoner = _reasoner(ctx)
    for regime in _split(regimes) or list(reasoner.regimes):
        book = _book(reasoner, regime)
        for rule in book.rules:
            until = f" to {rule.in_force.to}" if rule.in_force.to else ""
            click.echo(f"{rule.id:<44} {rule.cites:<32} -> {rule.conclusion} ({rule.strength}; "
                       f"from {rule.in_force.from_}{until})")


def _book(reasoner: Reasoner, regime: str):  # type: ignore[no-untyped-def]
    try:
        return reasoner.rulebook(regime)
    except RuleError as error:
        fail(error.problems)


def _say(line: str) -> None:
    """One line of a rule pack's text, escaped: a pack is a file a user may have downloaded, and
    its strings must not drive the terminal."""
    click.echo(escape(line))


@rules.command("show")
@click.argument("rule_id")
@click.option("--lang", type=click.Choice(["en", "fr"]), default="en", show_default=True)
@click.pass_context
def rules_show(ctx: click.Context, rule_id: str, lang: str) -> None:
    """Show one rule in full."""
    reasoner = _reasoner(ctx)
    for regime in reasoner.regimes:
        book = _book(reasoner, regime)
        rule = book.by_id.get(rule_id)
        if rule:
            until = f" to {rule.in_force.to}" if rule.in_force.to else ""
            _say(f"{rule.id}  ({rule.file}:{rule.line}, regime {regime}, stratum {book.stratum[rule.id]})")
            _say(f"  cites:     {rule.cites}")
            _say(f"  url:       {rule.url}")
            _say(f"  in force:  from {rule.in_force.from_}{until}")
            if rule.time:
                chosen = "the date of judgment" if rule.time.basis == "judged_on" else "the facts' date"
                lenity = "; milder later law" if rule.lenient else ""
                _say(f"  version:   chosen by {chosen} ({rule.time.cites}{lenity})")
            if rule.continuing:
                _say(f"  lasting:   conduct judged by the law at its end ({rule.continuing.cites})")
            _say(f"  when:      {describe(rule.condition)}")
            _say(f"  concludes: {rule.conclusion}" + (f" (element {rule.element.get(lang)})" if rule.element else ""))
            _say(f"  strength:  {rule.strength}")
            if rule.penalty:
                _say(f"  penalty:   {rule.penalty}")
            _say(f"  because:   {rule.because.get(lang)}")
            return
    fail([f"no rule `{shown(rule_id)}` (see `liability rules list`)"])


@rules.command("lint", short_help="Check every pack; print the warnings.")
@click.pass_context
def rules_lint(ctx: click.Context) -> None:
    """Load and check every pack, the facts and the glossary; print warnings (exit 1 if any, 2 if broken)."""
    from .lint import lint, lint_folder

    reasoner = _reasoner(ctx)
    warnings: list[str] = []
    problems: list[str] = []
    count = 0
    heads: set[str] = set()
    checked: dict[str, bool] = {}
    for regime in reasoner.regimes:
        try:
            book = reasoner.rulebook(regime)
        except RuleError as error:
            problems.extend(error.problems)
            continue
        count += len(book.rules)
        heads |= set(book.heads)
        checked.update((rule.id, rule.checked is not None) for rule in book.rules)
        warnings.extend(w for w in lint(book) if w not in warnings)
    try:
        glossary = reasoner.glossary
    except RuleError as error:
        problems.extend(error.problems)
    if problems:
        fail(problems)
    warnings.extend(lint_folder(reasoner.directory, reasoner.declarations, glossary, heads))
    for warning in warnings:
        click.echo(f"warning: {warning}")
    if checked:
        share = sum(checked.values())
        click.echo(f"checked against an official source: {share} of {len(checked)} rules "
                   f"({100 * share // len(checked)}%)")
    click.echo(f"{_counted(count, 'rule', 'rules')} in {_counted(len(reasoner.regimes), 'regime', 'regimes')}: "
               f"{_counted(len(warnings), 'warning', 'warnings')}")
    if warnings:
        sys.exit(EXIT_MISMATCH)


@rules.command("graph", short_help="Draw the rules and how they connect.")
@click.option("--format", "fmt", type=click.Choice(["dot", "mermaid", "svg"]), default="dot", show_default=True,
              help="svg: laid out by graphviz's `dot`, which must be installed.")
@click.option("--regime", default=None, help="Regime to draw (default: the first, or the scenario's first).")
@click.option("--scenario", "scenario_file", default=None,
              help="A scenario file (or bundled id) whose run is drawn over the graph: the edges it used in bold.")
@click.option("--head", "head_id", default=None,
              help="Draw only the rules that bear on this head (a head id, as `liability rules list` shows them).")
@click.option("--lang", type=click.Choice(["en", "fr"]), default="en", show_default=True,
              help="Language of the legend.")
@click.pass_context
def rules_graph(ctx: click.Context, fmt: str, regime: str | None, scenario_file: str | None,
                head_id: str | None, lang: str) -> None:
    """Draw the rules of a regime across its instruments, with typed edges: a rule concludes, a
    conclusion supports a rule, or defeats it as an exception (same instrument) or by overriding
    it (another instrument)."""
    from .graph import GraphvizMissing, active_edges, head_rules, to_dot, to_mermaid, to_svg

    reasoner = _reasoner(ctx)
    active = None
    if scenario_file is None:
        book = _book(reasoner, regime or next(iter(reasoner.regimes)))
    else:
        scenario = _load(reasoner, _one_scenario(scenario_file, "rules graph --scenario"))
        chosen = regime or reasoner.regimes_for(scenario)[0]
        book = _book(reasoner, chosen)
        runs: list[Any] = []
        try:
            reasoner.assess(scenario, "en", [chosen], explain=False,
                            observe=lambda _book, _facts, run, _in_force: runs.append(run))
        except RuleError as error:
            fail(error.problems)
        run = runs[0]
        active = active_edges(book, {step.rule for step in run.trace}, set(run.closure.possible))
    rules = None
    if head_id is not None:
        if head_id not in book.heads:
            close = difflib.get_close_matches(head_id, list(book.heads), n=1)
            hint = f" - did you mean `{close[0]}`?" if close else f" (its heads: {', '.join(sorted(book.heads))})"
            fail([f"--head: no head `{head_id}` in regime {book.regime}{hint}"])
        rules = head_rules(book, head_id)
    if fmt == "mermaid":
        click.echo(to_mermaid(book, active, rules, lang), nl=False)
        return
    dot = to_dot(book, active, rules, lang)
    if fmt == "svg":
        try:
            dot = to_svg(dot)
        except GraphvizMissing as error:
            fail([f"--format svg: {error}"])
    click.echo(dot, nl=False)


@main.group()
def scenario() -> None:
    """Work with scenario files."""


@scenario.command("schema", short_help="The JSON Schema of scenario files.")
@click.pass_context
def scenario_schema(ctx: click.Context) -> None:
    """Print the JSON Schema of the scenario format (the facts of the rules folder in use)."""
    click.echo(json.dumps(_reasoner(ctx).vocabulary.json_schema(), indent=2, ensure_ascii=False))


@scenario.command("validate", short_help="Check scenario files.")
@click.argument("files", nargs=-1, required=True, shell_complete=complete_scenario)
@click.pass_context
def scenario_validate(ctx: click.Context, files: tuple[str, ...]) -> None:
    """Check scenario FILES (- for standard input) against the format and the rule packs (the
    regimes and heads they name); print one line per problem."""
    reasoner = _ready(_reasoner(ctx))
    entries = scenario_files(files)
    problems: list[str] = []
    for entry in entries:
        try:
            load(reasoner, entry)
            click.echo(f"{entry}: ok")
        except ScenarioError as error:
            problems.extend(error.problems)
    if problems:
        fail(problems)
    click.echo(f"{_counted(len(entries), 'file', 'files')} valid")


@scenario.command("facts", short_help="Every fact a scenario can state.")
@click.option("--lang", type=click.Choice(["en", "fr"]), default="en", show_default=True)
@click.pass_context
def scenario_facts(ctx: click.Context, lang: str) -> None:
    """List every key a scenario can state: the top-level keys (dates, posture, regimes...),
    then every fact with its kind, values and meaning, as the rules folder declares them."""
    vocabulary = _reasoner(ctx).vocabulary
    for name, text in vocabulary.keys.items():
        click.echo(f"{name:<40} {'':<9} {text.get(lang)}")
    proceedings = ", ".join(vocabulary.proceedings)
    click.echo(f"{'':<40} {'':<9} {'procédures' if lang == 'fr' else 'proceedings'}: {proceedings}")
    click.echo()
    for path, spec in vocabulary.facts.items():
        click.echo(f"{path:<40} {spec.kind:<9} {spec.help.get(lang) if spec.help else ''}")
        if spec.kind == "choice":
            click.echo(f"{'':<40} {'':<9} {'une valeur parmi' if lang == 'fr' else 'one of'}: {', '.join(spec.values)}")


@scenario.command("list")
@click.pass_context
def scenario_list(ctx: click.Context) -> None:
    """List the bundled example scenarios."""
    vocabulary = _reasoner(ctx).vocabulary
    items = []
    for path in _walk(scenarios_dir()):
        if isinstance(path, Unreadable):
            fail([path.problem])
        try:
            items.append(load_scenario(path, vocabulary))
        except ScenarioError as error:
            fail(error.problems)
    width = max((len(item.id) for item in items), default=0) + 2  # ids never run into titles
    for item in items:
        click.echo(f"{item.id:<{width}}{item.title or ''}")


def entry() -> None:
    """Console-script entry point: turn any unexpected failure into one line, not a traceback."""
    try:
        main(standalone_mode=True)
    except Exception as error:  # a bug, not bad input: say so plainly
        click.echo(f"internal error (please report it): {type(error).__name__}: {error}", err=True)
        sys.exit(3)
