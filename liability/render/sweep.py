"""A sweep as a decision table per head, then each status's formula: text, Markdown and CSV.

Text and Markdown speak the report's language (values and statuses in words, "any" /
« indifférent » for a fact that does not matter to a row); CSV keeps the codes a scenario file
writes, for a spreadsheet or a script, one line per row and one column per varied fact.
"""

from __future__ import annotations

import io

from rich.console import Console
from rich.table import Table
from rich.text import Text

from ..sweep_table import Column, HeadSweep, Sweep, column_name
from ..values import WORDS as VALUE_WORDS, phrase_words
from . import visible_strings
from .tables import records_csv
from .markdown import code, escape
from .text import Unbroken
from .typography import typeset
from .words import LABELS, status_label

WORDS = {
    "en": {"any": "any", "status": "Status", "formulas": "In words", "combinations": "{count} combinations",
           "inert": "No rule of the {regime} regime tests {facts}: they cannot change any status.",
           "regime": "regime", "head": "head", "proceeding": "proceeding"},
    "fr": {"any": "indifférent", "status": "Conclusion", "formulas": "En clair", "combinations": "{count} combinaisons",
           "inert": "Aucune règle du régime {regime} ne teste {facts}\u00a0: ils ne peuvent changer aucune conclusion.",
           "regime": "régime", "head": "question", "proceeding": "procédure"},
}


def _cell(column: Column, classes: list[str] | None, sweep: Sweep) -> str:
    lang = sweep.lang
    if classes is None:
        return WORDS[lang]["any"]
    labels = sweep.values.get(column.fact, {})
    return f" {VALUE_WORDS[lang]['or']} ".join(phrase_words(label, labels, lang) for label in classes)


def inert_note(sweep: Sweep) -> str:
    """The varied facts no rule of the regime tests, in one sentence."""
    return typeset(WORDS[sweep.lang]["inert"].format(regime=sweep.regime, facts=", ".join(sweep.inert)), sweep.lang)


def _title(result: HeadSweep, lang: str) -> str:
    return f"{result.head} ({result.proceeding_label}){LABELS[lang]['colon']}{result.question}"


def text(sweep: Sweep, colour: bool = False, width: int = 120) -> str:
    sweep = visible_strings(sweep)
    lang = sweep.lang
    words = WORDS[lang]
    buffer = io.StringIO()
    console = Console(file=buffer, force_terminal=colour, no_color=not colour, width=width, highlight=False,
                      emoji=False, soft_wrap=False)
    console.print(Text(f"{sweep.title or sweep.scenario} ({words['regime']} {sweep.regime})", style="bold"))
    if sweep.inert:
        console.print(Text(inert_note(sweep)))
    for result in sweep.results:
        console.print()
        console.print(Text(typeset(_title(result, lang), lang), style="bold"))
        console.print(Text(words["combinations"].format(count=result.combinations)))
        table = Table(show_lines=False, header_style="bold")
        for column in result.columns:
            table.add_column(column_name(column), overflow="fold")
        table.add_column(words["status"], overflow="fold")
        for row in result.rows:
            table.add_row(*(Unbroken(typeset(_cell(c, cell, sweep), lang)) for c, cell in zip(result.columns, row.cells)),
                          Unbroken(typeset(status_label(row.status, lang, result.kind), lang)))
        console.print(table)
        console.print(Text(words["formulas"], style="bold"))
        for formula in result.formulas:
            console.print(Text(f"- {typeset(formula.words, lang)}"))
    return buffer.getvalue()


def markdown(sweep: Sweep) -> str:
    lang = sweep.lang
    words = WORDS[lang]
    out = [f"# {escape(sweep.title or sweep.scenario)} ({words['regime']} {escape(sweep.regime)})\n"]
    if sweep.inert:
        out.append(escape(inert_note(sweep)) + "\n")
    for result in sweep.results:
        out.append(f"## {escape(typeset(_title(result, lang), lang))}\n")
        out.append(escape(words["combinations"].format(count=result.combinations)) + "\n")
        out.append("| " + " | ".join([*(code(column_name(c)) for c in result.columns), words["status"]]) + " |")
        out.append("|---" * (len(result.columns) + 1) + "|")
        for row in result.rows:
            cells = [escape(typeset(_cell(c, cell, sweep), lang)) for c, cell in zip(result.columns, row.cells)]
            out.append("| " + " | ".join([*cells, escape(typeset(status_label(row.status, lang, result.kind), lang))]) + " |")
        out.append(f"\n### {words['formulas']}\n")
        out.extend(f"- {escape(typeset(formula.words, lang))}" for formula in result.formulas)
        out.append("")
    return "\n".join(out) + "\n"


def csv_table(sweep: Sweep) -> str:
    """One line per row of every head (:meth:`Sweep.to_records`): head, proceeding, a column per
    varied fact (its classes as a scenario writes them, joined by ` or `; `any`), the status code."""
    records = sweep.to_records()
    return records_csv(records, list(records[0])[2:] if records else ["head", "proceeding", "status"])
