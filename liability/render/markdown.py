"""Markdown memo: a report a student could hand in, from the memo of :mod:`memo`.

Every string is escaped, those of the scenario (titles, names) and those of the rule packs alike:
a pack is a file a user may have downloaded.
"""

from __future__ import annotations

from urllib.parse import quote

from ..findings import Document
from .memo import Heading, Item, Items, Para, Table, Tree, memo

_SPECIAL = str.maketrans({c: f"\\{c}" for c in "\\`*_[]<>#|"})
MARKS = {"met": "✔", "not_met": "✘", "unknown": "?"}


def escape(text: str) -> str:
    """Escape Markdown (and inline HTML) in user-supplied strings."""
    return text.translate(_SPECIAL)


def _link(url: str) -> str:
    return quote(url, safe=":/?#=&%.-_~")


def _items(items: tuple[Item, ...], depth: int, out: list[str]) -> None:
    for item in items:
        mark = f"{MARKS[item.mark]} " if item.mark in MARKS else ""
        link = f" ([↗]({_link(item.link)}))" if item.link else ""
        out.append(f"{'  ' * depth}- {mark}{escape(item.text)}{link}")
        _items(item.children, depth + 1, out)


def render(documents: list[Document], trace: bool = False, heads: set[str] | None = None,
           why_not: bool = False) -> str:
    out: list[str] = []
    for document in documents:
        report = memo(document, heads, why_not)
        out.append(f"# {escape(report.title)}\n")
        for block in report.blocks:
            if isinstance(block, Heading):
                out.append(f"{'#' * block.level} {escape(block.text)}\n")
            elif isinstance(block, Para):
                text = escape(block.text)
                out.append((f"**{text}**" if block.tone == "answer" else f"*{text}*" if block.tone else text) + "\n")
            elif isinstance(block, (Items, Tree)):
                _items(block.items, 0, out)
                out.append("")
            elif isinstance(block, Table):
                out.append("| " + " | ".join(escape(cell) for cell in block.header) + " |")
                out.append("|" + "---|" * len(block.header))
                for row in block.rows:
                    cells = [escape(cell) for cell in row]
                    cells[2] = f"**{cells[2]}**"
                    out.append("| " + " | ".join(cells) + " |")
                out.append("")
        if trace:
            _trace(document, out)
    return "\n".join(out).rstrip("\n") + "\n"


def _trace(document: Document, out: list[str]) -> None:
    from .words import LABELS

    words = LABELS[document.lang]
    for regime in document.regimes:
        out.append(f"## {words['trace']} ({regime.regime})\n")
        for step in regime.trace:
            kind = words["certain"] if step.certain else words["possible"]
            out.append(f"{step.step}. `{step.rule}` ({kind}, {escape(step.cites)}) -> `{step.concluded}`")
        out.append("")
