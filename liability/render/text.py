"""Plain-text report for a terminal, read by a law student: findings, then reasons, then trace.

Built with rich: tables and colour on a terminal, plain text when piped. User strings (titles,
names) go in as ``Text`` objects, never as markup, so a title containing ``[bold]`` prints as is.
"""

from __future__ import annotations

import io
import json

from rich.console import Console
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
_MASK = str.maketrans({"\u00a0": "\ue000", "\u202f": "\ue001"})
_UNMASK = str.maketrans({"\ue000": "\u00a0", "\ue001": "\u202f"})


class Unbroken(Text):
    """A table cell that rich wraps at its spaces but never at a no-break space (rich takes any
    Unicode space for a break): « 7 500 000 euros » and « question ? » stay whole. The no-break
    spaces are swapped for private-use characters of the same width while rich measures and wraps."""

    def _masked(self) -> Text:
        masked = self.copy()
        masked.plain = self.plain.translate(_MASK)
        return masked

    def __rich_measure__(self, console, options):  # type: ignore[no-untyped-def]
        return self._masked().__rich_measure__(console, options)

    def wrap(self, console, width, **options):  # type: ignore[no-untyped-def, override]
        lines = self._masked().wrap(console, width, **options)
        for line in lines:
            line.plain = line.plain.translate(_UNMASK)
        return lines


def _summary(regime: RegimeFindings, lang: str) -> Table:
    words = LABELS[lang]
    table = Table(show_header=True, header_style="bold", box=None, pad_edge=False)
    several = len({f.proceeding for f in regime.findings}) > 1
    table.add_column(words["question"], overflow="fold", ratio=3)
    if several:
        table.add_column(words["proceeding"], no_wrap=True)
    table.add_column(words["status"], no_wrap=True)
    table.add_column(words["strength"], no_wrap=True)
    table.add_column(words["penalty"], overflow="fold", ratio=2)
    for finding in regime.findings:
        cells = [Unbroken(question_words(finding, lang))]
        if several:
            cells.append(Text(finding.proceeding_label))
        table.add_row(
            *cells,
            Text(status_label(finding.status, lang, finding.kind), style=COLOURS.get(finding.status, "")),
            Text(strength_label(finding, lang)),
            Unbroken(penalty_range(finding, lang)))
    return table


def _reasons(console: Console, finding: Finding, posture: str, lang: str, values: Values) -> None:
    words = LABELS[lang]
    header = Text(f"{finding.head}", style="bold")
    header.append(f" [{finding.proceeding_label}]")
    header.append(f"  {status_label(finding.status, lang, finding.kind)}", style=COLOURS.get(finding.status, ""))
    if finding.strength:
        header.append(f" ({strength_label(finding, lang)})")
    console.print(header)
    for reason in finding.because:
        console.print(Text(f"  - {reason}"))
    if finding.open_grounds:
        console.print(Text(f"  {words['open_grounds']}{words['colon']}", style="yellow"))
        for ground in finding.open_grounds:
            console.print(Text(f"  ? {ground.because} [{open_ground_basis(ground, lang)}]", style="yellow"))
    if finding.possible_defences:
        console.print(Text(f"  {words['defences']}{words['colon']}", style="yellow"))
        for ground in finding.possible_defences:
            console.print(Text(f"  ? {ground.because} [{open_ground_basis(ground, lang)}]", style="yellow"))
    for line in proof_lines(finding, posture, lang, values):
        console.print(Text(f"  {line}", style="yellow"))
    if finding.elements:
        console.print(Text(f"  {words['elements']}{words['colon']}{', '.join(finding.elements)}"))
    if finding.cites:
        console.print(Text(f"  {words['cites']}{words['colon']}{words['semicolon'].join(finding.cites)}"))
    if finding.penalties:
        p = finding.penalties
        version = f"{words['version']} {in_words(p.version_from, lang)}{words['colon']}{p.version_reason}"
        console.print(Text(f"  {words['penalty']}{words['colon']}{penalty_line(p, lang)} "
                           f"[{words['semicolon'].join([words[p.person], p.basis, version, p.rule])}, {STRENGTH[lang][p.strength]}]"))
        if p.additional:
            console.print(Text(f"    {words['plus']}{words['colon']}" + words['semicolon'].join(p.additional)))
        worst = finding.penalties_up_to
        if worst is not None:
            console.print(Text(f"  {words['up_to']} {penalty_line(worst, lang)} [{worst.basis}{words['semicolon']}{worst.rule}] "
                               f"{MEMO[lang]['depending_on']} {', '.join(worst.depends_on)}", style="yellow"))
    versions = versions_line(finding, lang)
    if versions:  # the rule of time matters to the reader only where a date chose a version
        console.print(Text(f"  {words['versions']}{words['colon']}{versions}"))
        for reason in time_reasons(finding, lang):
            console.print(Text(f"  {words['time']}{words['colon']}{reason}"))
    if finding.missing_facts:
        console.print(Text(f"  {words['missing']}{words['colon']}{', '.join(finding.missing_facts)}", style="yellow"))
        for line in settling_lines(finding, lang, values):
            console.print(Text(f"    {line}", style="yellow"))


def _trace(console: Console, regime: RegimeFindings, lang: str) -> None:
    words = LABELS[lang]
    console.print(Text(f"{words['trace']} ({regime.regime})", style="bold underline"))
    for step in regime.trace:
        kind = words["certain"] if step.certain else words["possible"]
        line = Text(f"{step.step:>3}. {step.rule} [{kind}] -> {step.concluded}")
        if step.element:
            line.append(f" ({step.element})")
        console.print(line)
        matched = [f"{path}={json.dumps(value, ensure_ascii=False)}" for path, value in step.matched.facts.items()]
        matched += step.matched.conclusions + [f"not {c}" for c in step.matched.absent]
        console.print(Text(f"       {step.cites}; " + ", ".join(matched), style="dim"))


def render(documents: list[Document], trace: bool = False, colour: bool = False, width: int = 100) -> str:
    buffer = io.StringIO()
    console = Console(file=buffer, force_terminal=colour, no_color=not colour, width=width, soft_wrap=True,
                      highlight=False, emoji=False)
    for index, document in enumerate(typeset_document(visible_strings(document)) for document in documents):
        lang = document.lang
        words = LABELS[lang]
        if index:
            console.print()
        title = Text(document.title or document.scenario, style="bold")
        title.append(f"  ({document.scenario})", style="dim")
        console.print(title)
        for regime in document.regimes:
            console.print()
            heading = Text(f"{regime.title}{words['colon']}{words['facts']} {in_words(regime.facts_date, lang)}, "
                           f"{words['assessed']} {in_words(regime.judged_on, lang)}", style="bold underline")
            heading.append(f" ({words['posture'][regime.posture]})")
            console.print(heading)
            for warning in regime.warnings:
                console.print(Text(f"{words['warning']}{words['colon']}{warning}", style="bold yellow"))
            console.print(_summary(regime, lang))
            console.print()
            console.print(Text(words["reasons"], style="bold"))
            for finding in regime.findings:
                _reasons(console, finding, regime.posture, lang, document.values)
            if regime.abolished:
                console.print(Text(f"{words['abolished']}{words['colon']}{words['semicolon'].join(regime.abolished)}"))
            if trace:
                console.print()
                _trace(console, regime, lang)
        _questions_and_terms(console, document)
    return buffer.getvalue()


def _questions_and_terms(console: Console, document: Document) -> None:
    """The open questions, most decisive first, and the terms that do not translate exactly."""
    words = MEMO[document.lang]
    if document.questions:
        console.print()
        console.print(Text(words["scenario_questions"], style="bold"))
        for question in document.questions:
            console.print(Text(f"  - {question_line(question, document.lang)}", style="yellow"))
    if document.glossary:
        console.print()
        console.print(Text(words["terms"], style="bold"))
        for note in document.glossary:
            console.print(Text(f"  - {term_line(note, document.lang)}"))
