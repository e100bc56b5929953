"""Text and Markdown renderings of a comparison of regimes and dates."""

from __future__ import annotations

import io
import json

from rich.console import Console
from rich.table import Table
from rich.text import Text

from ..compare import Comparison, Entry
from . import visible_strings
from .markdown import code, escape
from .text import Unbroken
from .typography import typeset
from .words import LABELS, STATUS, STRENGTH, penalty_line

DIFFERENCES = {"en": "Why the columns differ", "fr": "Pourquoi les colonnes diffèrent"}
DRAWN = {"en": ("drawn in", "not in", "in force"), "fr": ("retenue dans", "pas dans", "en vigueur")}


def _cell(entries: list[Entry], lang: str) -> str:
    lines = []
    for entry in entries:
        proceeding = entry.proceeding_label
        strength = f" ({STRENGTH[lang][entry.strength]})" if entry.strength else ""
        lines.append(f"{entry.head} [{proceeding}]{LABELS[lang]['colon']}{STATUS[lang][entry.status]}{strength}")
    return "\n".join(lines) or "-"


def _penalty_cell(entries: list[Entry], lang: str) -> str:
    if not entries or entries[0].penalty is None:
        return "-"
    penalty = entries[0].penalty
    return f"{penalty_line(penalty, lang)}\n({entries[0].head}{LABELS[lang]['semicolon']}{penalty.basis})"


def text(comparison: Comparison, colour: bool = False, width: int = 160) -> str:
    comparison = visible_strings(comparison)
    lang = comparison.lang
    buffer = io.StringIO()
    console = Console(file=buffer, force_terminal=colour, no_color=not colour, width=width, highlight=False,
                      emoji=False, soft_wrap=False)
    console.print(Text(comparison.title or comparison.scenario, style="bold"))
    table = Table(show_lines=True, header_style="bold")
    table.add_column(LABELS[lang]["question"], overflow="fold")
    for column in comparison.columns:
        table.add_column(column.label, overflow="fold")
    for row in comparison.rows:
        render = _penalty_cell if row.topic == "penalties" else _cell
        marker = " *" if row.differs else ""
        table.add_row(Unbroken(typeset(row.question, lang) + marker),
                      *(Unbroken(typeset(render(cell, lang), lang)) for cell in row.cells))
    console.print(table)
    _differences_text(console, comparison)
    return buffer.getvalue()


def _differences_text(console: Console, comparison: Comparison) -> None:
    if not comparison.differences:
        return
    lang = comparison.lang
    drawn, missing, in_force = DRAWN[lang]
    colon, semicolon = LABELS[lang]["colon"], LABELS[lang]["semicolon"]
    console.print(Text(f"* {DIFFERENCES[lang]}", style="bold"))
    for difference in comparison.differences:
        facts = ", ".join(f"{k}={json.dumps(v, ensure_ascii=False)}" for k, v in difference.facts.items())
        console.print(Text(f"- {difference.rule} ({difference.cites}{semicolon}{in_force} {difference.version}){colon}"
                           f"{drawn} {', '.join(difference.drawn_in)}{semicolon}{missing} {', '.join(difference.not_drawn_in)}"
                           + (f" [{facts}]" if facts else "")))


def markdown(comparison: Comparison) -> str:
    lang = comparison.lang
    out = [f"# {escape(comparison.title or comparison.scenario)}\n"]
    out.append("| " + LABELS[lang]["question"] + " | " + " | ".join(escape(c.label) for c in comparison.columns) + " |")
    out.append("|---" * (len(comparison.columns) + 1) + "|")
    for row in comparison.rows:
        render = _penalty_cell if row.topic == "penalties" else _cell
        cells = ["<br>".join(escape(typeset(line, lang)) for line in render(cell, lang).split("\n")) for cell in row.cells]
        marker = " \\*" if row.differs else ""
        out.append(f"| {escape(typeset(row.question, lang))}{marker} | " + " | ".join(cells) + " |")
    if comparison.differences:
        drawn, missing, in_force = DRAWN[lang]
        colon, semicolon = LABELS[lang]["colon"], LABELS[lang]["semicolon"]
        out.append(f"\n## {DIFFERENCES[lang]}\n")
        for d in comparison.differences:
            facts = ", ".join(code(f"{k}={json.dumps(v, ensure_ascii=False)}") for k, v in d.facts.items())
            out.append(f"- {code(d.rule)} ({escape(d.cites)}{semicolon}{in_force} {escape(d.version)}){colon}{drawn} "
                       f"{', '.join(map(escape, d.drawn_in))}{semicolon}{missing} {', '.join(map(escape, d.not_drawn_in))}"
                       + (f"{semicolon}{facts}" if facts else ""))
    return "\n".join(out) + "\n"
