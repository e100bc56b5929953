"""Plain-text memo for a terminal or a file (`liability explain`), from the memo of :mod:`memo`."""

from __future__ import annotations

from ..findings import Document
from . import visible_strings
from .memo import Heading, Item, Items, Para, Table, Tree, memo
from .words import LABELS

MARKS = {"met": "[+]", "not_met": "[-]", "unknown": "[?]"}


def _items(items: tuple[Item, ...], depth: int, out: list[str]) -> None:
    for item in items:
        mark = f"{MARKS[item.mark]} " if item.mark in MARKS else ""
        out.append(f"{'    ' * depth}- {mark}{item.text}")
        _items(item.children, depth + 1, out)


def render(documents: list[Document], heads: set[str] | None = None, why_not: bool = False) -> str:
    out: list[str] = []
    for index, document in enumerate(documents):
        report = memo(visible_strings(document), heads, why_not)
        if index:
            out.append("")
        out += [report.title, "#" * len(report.title), ""]
        for block in report.blocks:
            if isinstance(block, Heading):
                underline = {2: "=", 3: "-"}.get(block.level)
                colon = LABELS[report.lang]["colon"].rstrip()
                out += [block.text, underline * len(block.text)] if underline else [block.text + colon]
                if block.level <= 3:
                    out.append("")
            elif isinstance(block, Para):
                out += [block.text, ""]
            elif isinstance(block, (Items, Tree)):
                _items(block.items, 0, out)
                out.append("")
            elif isinstance(block, Table):
                _table(block, out)
    return "\n".join(out).rstrip("\n") + "\n"


def _table(table: Table, out: list[str]) -> None:
    """Columns padded to their widest cell, the question last so that it may run on."""
    order = list(range(1, len(table.header))) + [0]
    rows = [table.header] + list(table.rows)
    widths = {i: max(len(row[i]) for row in rows) for i in order[:-1]}
    for row in rows:
        out.append("  ".join(row[i].ljust(widths[i]) if i in widths else row[i] for i in order).rstrip())
    out.append("")
