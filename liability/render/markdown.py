"""Markdown memo: a report a student could hand in, from the memo of :mod:`memo`.

Every string is escaped, those of the scenario (titles, names) and those of the rule packs alike:
a pack is a file a user may have downloaded. Links are kept only for official addresses.
"""

from __future__ import annotations

import re
from urllib.parse import quote

from ..findings import Document
from ..schema import link_host
from . import visible
from .memo import Heading, Item, Items, Para, Table, Tree, memo

_SPECIAL = str.maketrans({c: f"\\{c}" for c in "\\`*_[]<>#|~"})
_LINE_BREAK = re.compile(r"\r\n|[\r\n]")
_ENTITY = re.compile(r"&(?=#?\w+;)")
_LEADING_MARKER = re.compile(r"^(?:[-+]|\d{1,9}(?=[.)]))")
MARKS = {"met": "✔", "not_met": "✘", "unknown": "?"}


def escape(text: str) -> str:
    """A string from a file as inline Markdown that reads as written and cannot change the layout.

    Each string is put on a line of its own making (after `# `, `- `, `| ` or alone), so it must
    neither start a line nor begin a block: line breaks become spaces (a line of ``` or ~~~ would
    otherwise open a code block over the rest of the memo), a leading `-`, `+` or `1.` is escaped
    (a list), and so is every character that could open a heading, emphasis, code, a link, an HTML
    tag, a table cell, strikethrough or an entity. Control characters are shown (see `visible`).
    """
    text = visible(_LINE_BREAK.sub(" ", text).strip(" \t"))
    text = _ENTITY.sub("\\\\&", text.translate(_SPECIAL))
    return _LEADING_MARKER.sub(lambda m: m[0] + "\\" if m[0][0].isdigit() else "\\" + m[0], text)


def code(text: str) -> str:
    """A string from a file as a code span: fenced by one backquote more than its longest run of
    them, so that a backquote inside cannot close it, on one line so that it cannot open a block."""
    text = visible(_LINE_BREAK.sub(" ", text))
    fence = "`" * (max((len(run) for run in re.findall(r"`+", text)), default=0) + 1)
    pad = " " if text.startswith("`") or text.endswith("`") else ""
    return f"{fence}{pad}{text}{pad}{fence}"


def _link(url: str | None) -> str:
    """The link after an item, for a plain https address only (the packs' addresses were checked
    against their jurisdiction's official hosts when they were loaded): any other (`javascript:`,
    an address a browser reads as another host) is dropped rather than made clickable."""
    if not url or link_host(url) is None:
        return ""
    return f" ([↗]({quote(url, safe=':/?#=&%.-_~')}))"


def _items(items: tuple[Item, ...], depth: int, out: list[str]) -> None:
    for item in items:
        mark = f"{MARKS[item.mark]} " if item.mark in MARKS else ""
        out.append(f"{'  ' * depth}- {mark}{escape(item.text)}{_link(item.link)}")
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
        out.append(f"## {words['trace']} ({escape(regime.regime)})\n")
        for step in regime.trace:
            kind = words["certain"] if step.certain else words["possible"]
            out.append(f"{step.step}. {code(step.rule)} ({kind}, {escape(step.cites)}) -> {code(step.concluded)}")
        out.append("")
