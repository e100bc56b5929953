"""Plain-text report for a terminal, read by a law student: a summary, then on asking reasons and trace.

Built with rich: tables and colour on a terminal, plain text when piped, laid out for a width
(the terminal's, or one asked for) that no line exceeds and that breaks no word. User strings (titles,
names) go in as ``Text`` objects, never as markup, so a title containing ``[bold]`` prints as is.
"""

from __future__ import annotations

import io
import json
import re
from typing import TextIO

from rich.console import Console, Group, RenderableType
from rich.table import Table
from rich.text import Text

from ..dates import in_words
from ..findings import Document, Finding, RegimeFindings
from . import visible_strings
from .memo import MEMO, question_line, term_line
from .typography import typeset_document
from .words import (
    LABELS,
    STRENGTH,
    Values,
    open_ground_basis,
    proof_lines,
    penalty_line,
    penalty_range,
    question_words,
    settling_lines,
    status_label,
    strength_label,
    time_reasons,
    versions_line,
)

COLOURS = {"liable": "bold red", "met": "bold", "breached": "bold red", "lost": "bold red",
           "undetermined": "bold yellow", "not_liable": "green", "not_met": "green",
           "applies": "green", "complied": "green", "not_applicable": "dim"}
PIPE_WIDTH = 100
"""The width of a report written to a pipe or a file, where there is no terminal to measure."""
UNBOUNDED = 1 << 20
"""A width no report reaches, to measure a table's natural width (rich caps a measure at the width)."""
DETAIL_HINT = {"en": "Reasons, elements and penalties in full: --detail (and --trace for the rules fired); "
                     "one head: liability explain FILE --head ID.",
               "fr": "Motifs, éléments et peines en détail : --detail (et --trace pour les règles appliquées) ; "
                     "une seule question : liability explain FICHIER --head ID."}
_MASK = str.maketrans({"\u00a0": "\ue000", "\u202f": "\ue001"})
_UNMASK = str.maketrans({"\ue000": "\u00a0", "\ue001": "\u202f", "\ue002": " "})
_NUMBER_THEN_WORD = re.compile(r"(?<![\w.,-])(\d(?:[\d,.\u202f]*\d)?) (?=[^\W\d_])")
_WORD_THEN_NUMBER = re.compile(r"(?<=[^\W\d_]) (?=\d[\d,.\u202f]*(?![\w-]))|(?<=\b[nN]°) (?=\d)")
"""An ordinary space between a number and the word it goes with (« EUR 750,000 », « 7 years »,
« 000 euros », « n° 21-82.283 »): a line broken there would leave the number without its unit or
currency. A number is digits and their separators standing alone, ending with a digit, so
« 225-5 and » and « 2022/2065, art. » can break."""


NARROWEST = 60
"""The narrowest layout a report is laid out for (`--width`, or a narrower terminal): the words
that must never be cut and have no space to break at still fit a line under their indent. The
longest are a rule id after a trace step's number (47 characters and 5) and a fact's name under
a trace step (48 and 7, and its `=`; its value may go to the next line, see :func:`assignment`);
tests check that the packs' ids and the facts' names still fit."""


def assignment(path: str, value: object, room: int) -> str:
    """A fact and its value as the trace and the comparison print them, `path=value`; where that
    and a comma or bracket stuck to it do not fit `room` columns, with a space after the `=`, so
    that the line breaks between the fact's name and its value rather than inside the name."""
    shown = json.dumps(value, ensure_ascii=False)
    return f"{path}={shown}" if len(path) + len(shown) + 2 <= room else f"{path}= {shown}"


def held(words: str) -> str:
    """`words` that an :class:`Unbroken` keeps on one line, as it keeps an amount: a rule id with
    its proceeding, a citation, a column's label. Its ordinary spaces print as they are."""
    return words.replace(" ", "\ue002")


def terminal_width(stream: TextIO) -> int:
    """The width to lay a report out for on `stream`: the terminal's (rich reads `COLUMNS` first,
    then asks the terminal) but never less than NARROWEST, where the terminal itself wraps the
    longest lines rather than the report cut a rule id; or PIPE_WIDTH when it is not a terminal."""
    return max(Console(file=stream).width, NARROWEST) if stream.isatty() else PIPE_WIDTH


class Unbroken(Text):
    """Text that rich wraps at its spaces but never at a no-break space (rich takes any Unicode
    space for a break) nor between a number and its word: « 7 500 000 euros », « EUR 750,000 » and
    « question ? » stay whole. Those spaces are swapped for private-use characters of the same
    width while rich measures and wraps, and given back as they were. Printed on its own line, it
    goes in a ``Group``: `Console.print` joins bare texts into a plain ``Text``, which would not."""

    def _masked(self) -> Text:
        masked = self.copy()
        bound = _WORD_THEN_NUMBER.sub("\ue002", _NUMBER_THEN_WORD.sub("\\1\ue002", self.plain))
        masked.plain = bound.translate(_MASK)
        return masked

    def __rich_measure__(self, console, options):  # type: ignore[no-untyped-def]
        return self._masked().__rich_measure__(console, options)

    def wrap(self, console, width, **options):  # type: ignore[no-untyped-def, override]
        lines = self._masked().wrap(console, width, **options)
        for line in lines:
            line.plain = line.plain.translate(_UNMASK)
        return lines


class _Item:
    """One line of a list, `marker` before it, wrapped under its own first word (a hanging indent).
    Wrapped here, once, rather than as a two-column grid: a report has hundreds of these lines."""

    def __init__(self, marker: str, text: str, style: str = "") -> None:
        self.marker, self.text, self.style = marker, text, style

    def __rich_console__(self, console, options):  # type: ignore[no-untyped-def]
        indent = len(self.marker)
        for number, line in enumerate(Unbroken(self.text, style=self.style).wrap(console, options.max_width - indent)):
            yield Text(self.marker if number == 0 else " " * indent, style=self.style) + line


def _summary(regime: RegimeFindings, lang: str, width: int) -> RenderableType:
    """One line per head: its title, the finding, its strength and what is at stake. Where the
    lines do not fit `width`, the columns share it in fixed proportions, so that the titles keep
    room, rather than rich's default of narrowing the widest column first; where even the words
    do not fit, the proceeding leaves its column for a place after the title; where they still
    do not, the heads are stacked (:func:`_stacked_summary`) rather than cut inside a word."""
    several = len({f.proceeding for f in regime.findings}) > 1
    return (_columns(regime, lang, width, several) or _columns(regime, lang, width, several, apart=False)
            or _stacked_summary(regime, lang))


def _stacked_summary(regime: RegimeFindings, lang: str) -> Group:
    """A block per head, for a width whose columns would cut words or amounts: its title (and
    proceeding), then under it the finding and strength, and what is at stake."""
    words = LABELS[lang]
    several = len({f.proceeding for f in regime.findings}) > 1
    blocks: list[RenderableType] = []
    for finding in regime.findings:
        title = finding.title or question_words(finding, lang)
        blocks.append(_Item("", title + (f" [{finding.proceeding_label}]" if several else ""), "bold"))
        strength = strength_label(finding, lang)
        blocks.append(_Item("  ", status_label(finding.status, lang, finding.kind) + (f" ({strength})" if strength else ""),
                            COLOURS.get(finding.status, "")))
        at_stake = penalty_range(finding, lang)
        if at_stake:
            blocks.append(_Item("  ", f"{words['penalty']}{words['colon']}{at_stake}"))
    return Group(*blocks)


def _columns(regime: RegimeFindings, lang: str, width: int, several: bool, apart: bool = True,
             fits: bool = True) -> Table | None:
    """The summary table, the proceedings `apart` in a column or after each title, or None when
    `fits` asks for one whose every word fits its column within `width` and none does."""
    words = LABELS[lang]
    table = Table(show_header=True, header_style="bold", box=None, pad_edge=False)
    apart = apart and several
    shares = [5] + ([2] if apart else []) + [2, 2, 3]
    table.add_column(words["question"], overflow="fold")
    if apart:
        table.add_column(words["proceeding"], overflow="fold")
    table.add_column(words["status"], overflow="fold")
    table.add_column(words["strength"], overflow="fold")
    table.add_column(words["penalty"], overflow="fold")
    rows = []
    for finding in regime.findings:
        cells = [Unbroken(finding.title or question_words(finding, lang))]
        if apart:
            cells.append(Unbroken(finding.proceeding_label))
        elif several:
            cells[0].append(f" [{finding.proceeding_label}]")
        rows.append([*cells,
                     Unbroken(status_label(finding.status, lang, finding.kind), style=COLOURS.get(finding.status, "")),
                     Unbroken(strength_label(finding, lang)), Unbroken(penalty_range(finding, lang))])
        table.add_row(*rows[-1])
    fitted = _share(table, [[Unbroken(str(column.header)) for column in table.columns], *rows], shares, width)
    return table if fitted or not fits else None


def _share(table: Table, rows: list[list[Unbroken]], shares: list[int], width: int, frame: int | None = None) -> bool:
    """Fix the widths of `table`'s columns so that it fits `width`: each column at least its
    longest word, the room left shared in the proportions `shares` up to what a column needs,
    rather than rich's default of narrowing the widest column first (titles would lose room to
    short words). `frame` is what the rules and padding take of the width (by default a box-less
    table's: a space either side of each inner rule). False for a table whose words alone are
    wider than `width` (rich then folds them)."""
    measuring = Console(width=UNBOUNDED)
    measures = [[measuring.measure(cell) for cell in column] for column in zip(*rows)]
    least = [max(m.minimum for m in column) for column in measures]
    most = [max(m.maximum for m in column) for column in measures]
    room = width - (2 * (len(least) - 1) if frame is None else frame)
    widths = list(least)
    while (growing := [i for i, (w, m) in enumerate(zip(widths, most)) if w < m]) and sum(widths) < room:
        spare, total = room - sum(widths), sum(shares[i] for i in growing)
        steps = [spare * shares[i] // total for i in growing]  # never more than `spare` in all
        if not any(steps):  # a few columns left to round up: one more each, as far as it goes
            steps = [1 if n < spare else 0 for n in range(len(growing))]
        for i, step in zip(growing, steps):
            widths[i] = min(most[i], widths[i] + step)
    for column, fixed in zip(table.columns, widths):
        column.width = fixed
    return sum(least) <= room


def _reasons(console: Console, finding: Finding, posture: str, lang: str, values: Values) -> None:
    """A finding in full: its question, reasons, open grounds, elements, texts, penalties, the
    versions a date chose and the facts that would decide it."""
    words = LABELS[lang]
    semicolon = words["semicolon"]
    header = Unbroken(finding.title or finding.head, style="bold")
    header.append(f" ({finding.head}) [{finding.proceeding_label}]")
    header.append(f"  {status_label(finding.status, lang, finding.kind)}", style=COLOURS.get(finding.status, ""))
    if finding.strength:
        header.append(f" ({strength_label(finding, lang)})")
    console.print(Group(header))
    console.print(_Item("  ", question_words(finding, lang), "italic"))
    for reason in finding.because:
        console.print(_Item("  - ", reason))
    for label, grounds in (("open_grounds", finding.open_grounds), ("defences", finding.possible_defences)):
        if grounds:
            console.print(_Item("  ", f"{words[label]}{words['colon']}", "yellow"))
            for ground in grounds:
                console.print(_Item("  ? ", f"{ground.because} [{open_ground_basis(ground, lang)}]", "yellow"))
    for line in proof_lines(finding, posture, lang, values):
        console.print(_Item("  ", line, "yellow"))
    if finding.elements:
        console.print(_Item("  ", f"{words['elements']}{words['colon']}{', '.join(finding.elements)}"))
    if finding.cites:
        console.print(_Item("  ", f"{words['cites']}{words['colon']}{semicolon.join(finding.cites)}"))
    if finding.penalties:
        p = finding.penalties
        version = f"{words['version']} {in_words(p.version_from, lang)}{words['colon']}{p.version_reason}"
        console.print(_Item("  ", f"{words['penalty']}{words['colon']}{penalty_line(p, lang)} "
                                  f"[{semicolon.join([words[p.person], p.basis, version, p.rule])}, "
                                  f"{STRENGTH[lang][p.strength]}]"))
        if p.additional:
            console.print(_Item("    ", f"{words['plus']}{words['colon']}" + semicolon.join(p.additional)))
        worst = finding.penalties_up_to
        if worst is not None:
            console.print(_Item("  ", f"{words['up_to']} {penalty_line(worst, lang)} [{worst.basis}{semicolon}"
                                      f"{worst.rule}] {MEMO[lang]['depending_on']} {', '.join(worst.depends_on)}",
                                "yellow"))
    versions = versions_line(finding, lang)
    if versions:  # the rule of time matters to the reader only where a date chose a version
        console.print(_Item("  ", f"{words['versions']}{words['colon']}{versions}"))
        for reason in time_reasons(finding, lang):
            console.print(_Item("  ", f"{words['time']}{words['colon']}{reason}"))
    if finding.missing_facts:
        console.print(_Item("  ", f"{words['missing']}{words['colon']}{', '.join(finding.missing_facts)}", "yellow"))
        for line in settling_lines(finding, lang, values):
            console.print(_Item("    ", line, "yellow"))


def _trace(console: Console, regime: RegimeFindings, lang: str) -> None:
    words = LABELS[lang]
    console.print(Text(f"{words['trace']} ({regime.regime})", style="bold underline"))
    for step in regime.trace:
        kind = words["certain"] if step.certain else words["possible"]
        line = f"{step.rule} [{kind}] -> {step.concluded}" + (f" ({step.element})" if step.element else "")
        console.print(_Item(f"{step.step:>3}. ", line))
        room = console.width - len(TRACE_INDENT)
        matched = [assignment(path, value, room) for path, value in step.matched.facts.items()]
        matched += step.matched.conclusions + [f"not {c}" for c in step.matched.absent]
        console.print(_Item(TRACE_INDENT, f"{step.cites}; " + ", ".join(matched), "dim"))


TRACE_INDENT = "       "
"""The indent of what a trace step read, under the rule it names."""


def render(documents: list[Document], trace: bool = False, colour: bool = False, width: int = PIPE_WIDTH,
           detail: bool = False) -> str:
    """The documents laid out `width` columns wide: per regime a summary, one line per head, then
    with `detail` every finding's reasons, and with `trace` the rules fired; then the questions
    that would decide the findings, and with `detail` the terms that do not translate exactly."""
    buffer = io.StringIO()
    console = Console(file=buffer, force_terminal=colour, no_color=not colour, width=width, soft_wrap=False,
                      highlight=False, emoji=False)
    for index, document in enumerate(typeset_document(visible_strings(document)) for document in documents):
        lang = document.lang
        words = LABELS[lang]
        if index:
            console.print()
        title = Unbroken(document.title or document.scenario, style="bold")
        title.append(f"  ({document.scenario})", style="dim")
        console.print(Group(title))
        for regime in document.regimes:
            console.print()
            heading = Unbroken(f"{regime.title}{words['colon']}{words['facts']} {in_words(regime.facts_date, lang)}, "
                               f"{words['assessed']} {in_words(regime.judged_on, lang)}", style="bold underline")
            heading.append(f" ({words['posture'][regime.posture]})")
            console.print(Group(heading))
            for warning in regime.warnings:
                console.print(Group(Unbroken(f"{words['warning']}{words['colon']}{warning}", style="bold yellow")))
            console.print(_summary(regime, lang, width))
            if detail:
                console.print()
                console.print(Text(words["reasons"], style="bold"))
                for finding in regime.findings:
                    _reasons(console, finding, regime.posture, lang, document.values)
                if regime.abolished:
                    console.print(Group(Unbroken(f"{words['abolished']}{words['colon']}"
                                                 f"{words['semicolon'].join(regime.abolished)}")))
            if trace:
                console.print()
                _trace(console, regime, lang)
        _questions_and_terms(console, document, detail)
        if not detail:
            console.print()
            console.print(Group(Unbroken(DETAIL_HINT[lang], style="dim")))
    out = buffer.getvalue()
    return out if colour else "".join(line.rstrip() + "\n" for line in out.splitlines())


def _questions_and_terms(console: Console, document: Document, terms: bool) -> None:
    """The open questions, most decisive first, and with `terms` those that do not translate exactly."""
    words = MEMO[document.lang]
    if document.questions:
        console.print()
        console.print(Text(words["scenario_questions"], style="bold"))
        for question in document.questions:
            console.print(_Item("  - ", question_line(question, document.lang), "yellow"))
    if terms and document.glossary:
        console.print()
        console.print(Text(words["terms"], style="bold"))
        for note in document.glossary:
            console.print(_Item("  - ", term_line(note, document.lang)))
