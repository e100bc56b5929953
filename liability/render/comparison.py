"""Text and Markdown renderings of a comparison of regimes and dates."""

from __future__ import annotations

import io
import json
import re

from rich.console import Console, Group, RenderableType
from rich.table import Table
from rich.text import Text

from ..compare import Comparison, Entry, Row
from . import visible_strings
from .markdown import code, escape
from .text import Unbroken, _Item, _share, assignment, held
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


def text(comparison: Comparison, colour: bool = False, width: int = 160, layout: str | None = None) -> str:
    """The comparison laid out `width` columns wide: as a grid, a row per question and a column
    per regime and date, where every rule id, date, amount and citation fits its column whole;
    stacked otherwise, a block per question and in it a line per regime and date, since a grid
    of narrow columns would cut them. `layout` ("grid" or "stacked") imposes one."""
    comparison = visible_strings(comparison)
    buffer = io.StringIO()
    console = Console(file=buffer, force_terminal=colour, no_color=not colour, width=width, highlight=False,
                      emoji=False, soft_wrap=False)
    grid = None if layout == "stacked" else _grid(comparison, width, fits=layout != "grid")
    body = [grid] if grid is not None else _stacked(comparison, width)
    console.print(Group(Unbroken(comparison.title or comparison.scenario, style="bold"), *body,
                        *_differences_text(comparison, width)))  # one print: rich's cost is per print
    out = buffer.getvalue()
    return out if colour else "".join(line.rstrip() + "\n" for line in out.splitlines())


def _whole(words: str, room: int, level: int = 0) -> str:
    """`words` held on one line where they fit `room` columns; where they do not, broken first
    before a parenthesis (an aside), then after a comma, as few times as the room asks: the
    longest run of parts that fits is held together, and a part still too long is broken in its
    turn. A line is never wider than its width, and a long citation breaks where it reads on."""
    if len(words) <= room:
        return held(words)
    if level == len(_PARTS):
        return words
    groups: list[str] = []
    for part in _PARTS[level].split(words):
        if groups and len(groups[-1]) + 1 + len(part) <= room:
            groups[-1] += " " + part
        else:
            groups.append(part)
    return " ".join(_whole(group, room, level + 1) for group in groups)


_PARTS = (re.compile(r" (?=\()"), re.compile(r"(?<=,) "))
"""Where a citation too long for its line may break: before an opening parenthesis, then after a comma."""


def _cited(basis: str, lang: str, room: int) -> str:
    """The texts a penalty rests on, each held whole where it fits (see :func:`_whole`), and
    what they say, after the first colon, as prose that wraps at any space."""
    semicolon = LABELS[lang]["semicolon"]
    cites, colon, gloss = basis.partition(": ")
    held_cites = semicolon.join(_whole(typeset(cite.strip(), lang), room) for cite in cites.split(";"))
    return held_cites + (LABELS[lang]["colon"] + typeset(gloss, lang) if colon else "")


def _entry_lines(entries: list[Entry], lang: str, room: int) -> list[str]:
    """A cell's findings for the terminal, one a line: the head and its proceeding held together."""
    lines = []
    for entry in entries:
        strength = f" ({STRENGTH[lang][entry.strength]})" if entry.strength else ""
        lines.append(_whole(f"{entry.head} [{entry.proceeding_label}]", room)
                     + f"{LABELS[lang]['colon']}{STATUS[lang][entry.status]}{strength}")
    return lines


def _penalty_lines(entries: list[Entry], lang: str, room: int) -> list[str]:
    """The penalty at stake for the terminal: the sentence, then the head and the texts it rests
    on, each citation held whole where it fits, what they say free to wrap."""
    if not entries or entries[0].penalty is None:
        return []
    penalty = entries[0].penalty
    semicolon = LABELS[lang]["semicolon"]
    return [typeset(penalty_line(penalty, lang), lang),
            f"({_whole(entries[0].head, room)}{semicolon}{_cited(penalty.basis, lang, room)})"]


def _lines(row: Row, cell: list[Entry], lang: str, room: int) -> list[str]:
    if row.topic == "penalties":
        return _penalty_lines(cell, lang, room)
    return [typeset(line, lang) for line in _entry_lines(cell, lang, room)]


def _marker(row: Row) -> str:
    """The mark of a question whose answers differ, held to its last word."""
    return held(" *") if row.differs else ""


CELL = 40
"""The longest citation a grid's cell holds on one line: a longer one breaks by its parts, so
that one citation does not widen its column at the expense of the others."""


def _grid(comparison: Comparison, width: int, fits: bool = True) -> Table | None:
    """The grid, its columns' widths fixed so that none is narrower than its longest unbroken
    token; None (with `fits`) when those tokens alone are wider than `width`."""
    lang = comparison.lang
    table = Table(show_lines=True, header_style="bold")
    headers = [Unbroken(LABELS[lang]["question"])] + [Unbroken(held(c.label)) for c in comparison.columns]
    for header in headers:
        table.add_column(header, overflow="fold")
    rows = []
    for row in comparison.rows:
        rows.append([Unbroken(typeset(row.question, lang) + _marker(row)),
                     *(Unbroken("\n".join(_lines(row, cell, lang, CELL)) or "-") for cell in row.cells)])
        table.add_row(*rows[-1])
    shares = [2] + [3] * len(comparison.columns)
    frame = 3 * len(headers) + 1  # a rule before each column and after the last, a space either side of each
    fitted = _share(table, [headers, *rows], shares, width, frame)
    return table if fitted or not fits else None


def _stacked(comparison: Comparison, width: int) -> list[RenderableType]:
    """A block per question (marked `*` where the regimes or dates differ), and in it the regimes
    and dates, those that answer alike named together, then their findings, one a line, wrapped
    under their own first word."""
    lang = comparison.lang
    colon = LABELS[lang]["colon"]
    blocks: list[RenderableType] = []
    for row in comparison.rows:
        blocks += [Text(), Unbroken(typeset(row.question, lang) + _marker(row), style="bold")]
        alike: dict[tuple[str, ...], list[str]] = {}
        for column, cell in zip(comparison.columns, row.cells):
            lines = _lines(row, cell, lang, width - len(ENTRY) - _stuck(lang))
            alike.setdefault(tuple([" ".join(lines)] if row.topic == "penalties" and lines else lines),
                             []).append(held(column.label))
        for lines, labels in alike.items():
            blocks.append(_Item(COLUMN, ", ".join(labels) + ("" if lines else f"{colon}-")))
            blocks += [_Item(ENTRY, line) for line in lines]
    return blocks


COLUMN, ENTRY = "  ", "    - "
"""The indents of the stacked layout: a regime and date under its question, a finding under them."""


def _differences_text(comparison: Comparison, width: int) -> list[RenderableType]:
    if not comparison.differences:
        return []
    lang = comparison.lang
    drawn, missing, in_force = DRAWN[lang]
    colon, semicolon = LABELS[lang]["colon"], LABELS[lang]["semicolon"]
    room = width - len(DIFFERENCE) - _stuck(lang)
    blocks: list[RenderableType] = [Text(), Unbroken(f"* {DIFFERENCES[lang]}", style="bold")]
    for difference in comparison.differences:
        facts = ", ".join(assignment(k, v, width - len(DIFFERENCE) - len("[")) for k, v in difference.facts.items())
        blocks.append(_Item(DIFFERENCE, f"{_whole(difference.rule, room)} ({_cited(difference.cites, lang, room)}{semicolon}{in_force} "
                                        f"{held(difference.version)}){colon}{drawn} "
                                        f"{', '.join(map(held, difference.drawn_in))}{semicolon}{missing} "
                                        f"{', '.join(map(held, difference.not_drawn_in))}"
                                        + (f" [{facts}]" if facts else "")))
    return blocks


DIFFERENCE = "- "


def _stuck(lang: str) -> int:
    """What a held citation may carry stuck to it on its line: an opening parenthesis before it,
    and after it a closing one or the language's semicolon (`\u00a0;` in French)."""
    return len("(") + len(LABELS[lang]["semicolon"].rstrip())


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
