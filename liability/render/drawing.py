"""A derivation drawn as SVG for the HTML memo: each conclusion and each rule once, in words.

A conclusion is named by the question it answers (or the element that reads it), with its id
underneath; a rule by the first clause of its reason, with the article it applies underneath. A
premise several rules rest on is drawn once, with an edge from each. Status shows by colour and
by shape at once, so that it survives a black-and-white printer: a conclusion is a rounded box, a
rule a square one; a solid border holds, a dashed one only possibly holds, a dotted one is
explained under its own finding; each node also carries a mark (see :data:`LEGEND`).

The drawing is laid out top-down while its widest row fits the page (:data:`PAGE_WIDTH`), and as
an indented column otherwise, which stays narrow however deep or wide the derivation is.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field
from urllib.parse import quote

from ..findings import Derivation
from ..schema import link_host
from ..values import absent_words, value_words
from . import visible
from .typography import typeset
from .words import Values

PAGE_WIDTH = 700
"""Pixels across a printed A4 page inside its margins, the width no drawing may exceed."""
NODE_WIDTH, NODE_HEIGHT, GAP_X, GAP_Y = 166, 62, 12, 28
COLUMN_WIDTH, INDENT, ROW_GAP = 360, 24, 8
"""The indented column's boxes, wider since they have the page to themselves."""
CHAR_WIDTH = 6.1
"""The advance of an average character of the drawing's 11px sans-serif, to wrap labels."""

STATUS = ("holds", "possible", "elsewhere")
MARKS = {"holds": "✔", "possible": "?", "elsewhere": "↗"}
COLOURS = {"holds": ("#e8f3e8", "#1b6e20", ""), "possible": ("#fdf3de", "#8a5a00", ' stroke-dasharray="5 3"'),
           "elsewhere": ("#f2f2f2", "#666666", ' stroke-dasharray="1.5 2.5"')}
"""Fill, border and dash of each status: colour and line pattern tell the same thing."""

LEGEND = {
    "en": {"conclusion": "conclusion", "rule": "rule (article underneath)", "holds": "holds",
           "possible": "possibly holds (unknown facts)", "elsewhere": "explained under its own finding"},
    "fr": {"conclusion": "conclusion", "rule": "règle (article en dessous)", "holds": "retenue",
           "possible": "possible (faits inconnus)", "elsewhere": "expliquée sous sa propre conclusion"},
}


def escape(text: str) -> str:
    return html.escape(visible(text), quote=True)


@dataclass
class _Node:
    key: tuple[str, str]
    """(`conclusion` or `rule`, its id)."""
    label: str
    under: str
    detail: str
    status: str
    link: str | None = None
    """An official address (a rule's article) or `#anchor` (a finding explaining a conclusion)."""
    children: list[tuple[str, str]] = field(default_factory=list)
    x: float = 0.0
    y: float = 0.0
    width: float = NODE_WIDTH


@dataclass
class _Graph:
    root: tuple[str, str]
    nodes: dict[tuple[str, str], _Node] = field(default_factory=dict)


def _first_clause(text: str) -> str:
    """A reason's opening clause, its short label: up to the first colon, semicolon or full stop."""
    match = re.match(r"(.+?)(?:\s*[:;]\s|\.\s|\.$)", text.strip())
    return match[1] if match else text.strip()


def _graph(derivation: Derivation, lang: str, values: Values, named: dict[str, str],
           explained: dict[str, str]) -> _Graph:
    graph = _Graph(("conclusion", derivation.conclusion))

    def conclusion(d: Derivation) -> tuple[str, str]:
        key = ("conclusion", d.conclusion)
        node = graph.nodes.get(key)
        if node is None:
            anchor = explained.get(d.conclusion)
            # Underneath, the id, unless no words name the conclusion and the id is its label.
            node = graph.nodes[key] = _Node(key, typeset(named.get(d.conclusion, d.conclusion), lang),
                                            d.conclusion if d.conclusion in named else "",
                                            d.conclusion, "elsewhere",
                                            "#" + quote(anchor, safe="/.-_") if anchor and not d.rules else None)
        for use in d.rules:
            rule_key = ("rule", use.rule)
            if rule_key not in graph.nodes:
                facts = [f"{path} = {value_words(value, values.get(path, {}), lang)}" for path, value in use.facts.items()]
                facts += [absent_words(absent, lang) for absent in use.absent]
                graph.nodes[rule_key] = _Node(rule_key, typeset(_first_clause(use.because), lang), typeset(use.cites, lang),
                                              typeset("\n".join([use.cites, use.because, *facts]), lang),
                                              "holds" if use.certain else "possible", use.url)
                graph.nodes[rule_key].children = [conclusion(p) for p in use.premises]
            if rule_key not in node.children:
                node.children.append(rule_key)
            if use.certain or node.status == "elsewhere":
                node.status = "holds" if use.certain else "possible"
            node.link = None if d.rules else node.link
        return key

    conclusion(derivation)
    return graph


def _depths(graph: _Graph) -> dict[tuple[str, str], int]:
    """Each node's row in the top-down layout: the longest path to it from the root, so that every
    edge points down (relaxed at most once per node, which a cycle cannot defeat)."""
    depth = {graph.root: 0}
    for _ in range(len(graph.nodes)):
        changed = False
        for key, node in graph.nodes.items():
            if key not in depth:
                continue
            for child in node.children:
                if depth.get(child, -1) < depth[key] + 1:
                    depth[child] = depth[key] + 1
                    changed = True
        if not changed:
            break
    return depth


def _preorder(graph: _Graph) -> list[tuple[tuple[str, str], int, tuple[str, str] | None]]:
    """Each node once, depth first from the root: (node, depth at first sight, parent then)."""
    order, seen = [], set()
    pending: list[tuple[tuple[str, str], int, tuple[str, str] | None]] = [(graph.root, 0, None)]
    while pending:
        key, depth, parent = pending.pop()
        if key in seen:
            continue
        seen.add(key)
        order.append((key, depth, parent))
        pending.extend((child, depth + 1, key) for child in reversed(graph.nodes[key].children))
    return order


def _layered(graph: _Graph) -> tuple[float, float] | None:
    """Top-down rows, each ordered under its parents; None if the widest row overflows the page."""
    depth = _depths(graph)
    rows: dict[int, list[tuple[str, str]]] = {}
    for key, _, _ in _preorder(graph):
        rows.setdefault(depth[key], []).append(key)
    widest = max(len(row) for row in rows.values())
    width = widest * NODE_WIDTH + (widest - 1) * GAP_X
    if width > PAGE_WIDTH:
        return None
    parents: dict[tuple[str, str], list[tuple[str, str]]] = {}
    for key, node in graph.nodes.items():
        for child in node.children:
            parents.setdefault(child, []).append(key)
    for level in sorted(rows):
        row = rows[level]
        if level:
            row.sort(key=lambda k: sum(graph.nodes[p].x for p in parents[k]) / len(parents[k]))
        left = (width - (len(row) * NODE_WIDTH + (len(row) - 1) * GAP_X)) / 2
        for index, key in enumerate(row):
            graph.nodes[key].x = left + index * (NODE_WIDTH + GAP_X)
            graph.nodes[key].y = level * (NODE_HEIGHT + GAP_Y)
    return width, (max(rows) + 1) * (NODE_HEIGHT + GAP_Y) - GAP_Y


def _column(graph: _Graph) -> tuple[float, float]:
    """An indented column, as a nested list reads: each node on its own row under its first parent."""
    order = _preorder(graph)
    for row, (key, depth, _) in enumerate(order):
        node = graph.nodes[key]
        node.x, node.y, node.width = depth * INDENT, row * (NODE_HEIGHT + ROW_GAP), COLUMN_WIDTH
    width = max(depth for _, depth, _ in order) * INDENT + COLUMN_WIDTH + 2 * INDENT
    return width, len(order) * (NODE_HEIGHT + ROW_GAP) - ROW_GAP


def _lines(text: str, width: float, count: int) -> list[str]:
    """`text` wrapped into exactly `count` lines of `width` pixels (blank ones at the end, an
    ellipsis where it is cut): the same markup whatever the text."""
    chars = max(8, int(width / CHAR_WIDTH))
    lines = [""]
    words = [word for word in text.split(" ") if word]  # a no-break space (French) never breaks
    for index, word in enumerate(words):
        candidate = f"{lines[-1]} {word}".strip()
        if len(candidate) <= chars or not lines[-1]:
            lines[-1] = candidate
        elif len(lines) < count:
            lines.append(word)
        else:
            lines[-1] = lines[-1][:chars - 1].rstrip() + "…"
            break
    lines = [line if len(line) <= chars else line[:chars - 1] + "…" for line in lines]
    return lines + [""] * (count - len(lines))


def _edges(graph: _Graph, vertical: bool) -> list[str]:
    parts = []
    first_parent = {key: parent for key, _, parent in _preorder(graph)} if vertical else {}
    for node in graph.nodes.values():
        for key in node.children:
            child = graph.nodes[key]
            if not vertical:
                d = (f"M{node.x + node.width / 2:.0f},{node.y + NODE_HEIGHT} "
                     f"L{child.x + child.width / 2:.0f},{child.y}")
            elif first_parent[key] == node.key:
                d = f"M{node.x + 10:.0f},{node.y + NODE_HEIGHT} V{child.y + NODE_HEIGHT / 2:.0f} H{child.x:.0f}"
            else:
                # A premise drawn earlier: an arc on the right, from this node to where it stands.
                right = max(node.x + node.width, child.x + child.width)
                d = (f"M{node.x + node.width:.0f},{node.y + NODE_HEIGHT / 2:.0f} "
                     f"C{right + 2 * INDENT:.0f},{node.y + NODE_HEIGHT / 2:.0f} {right + 2 * INDENT:.0f},"
                     f"{child.y + NODE_HEIGHT / 2:.0f} {child.x + child.width:.0f},{child.y + NODE_HEIGHT / 2:.0f}")
            parts.append(f'<path d="{d}" fill="none" stroke="#888"/>')
    return parts


def _box(node: _Node) -> str:
    fill, stroke, dash = COLOURS[node.status]
    radius = 16 if node.key[0] == "conclusion" else 1
    label = _lines(f"{MARKS[node.status]} {node.label}", node.width - 12, 3)
    under = _lines(node.under, node.width - 12, 1)[0]
    centre = node.x + node.width / 2
    lines = "".join(f'<tspan x="{centre:.0f}" y="{node.y + 15 + 13 * index:.0f}">{escape(line)}</tspan>'
                    for index, line in enumerate(label))
    box = (f'<g class="{node.key[0]} {node.status}"><title>{escape(node.detail)}</title>'
           f'<rect x="{node.x:.0f}" y="{node.y:.0f}" width="{node.width:.0f}" height="{NODE_HEIGHT}" rx="{radius}" '
           f'fill="{fill}" stroke="{stroke}" stroke-width="1.4"{dash}/>'
           f'<text text-anchor="middle">{lines}<tspan class="under" x="{centre:.0f}" '
           f'y="{node.y + NODE_HEIGHT - 7:.0f}">{escape(under)}</tspan></text></g>')
    if node.link and node.link.startswith("#"):
        return f'<a href="{escape(node.link)}">{box}</a>'
    if node.link and link_host(node.link) is not None:
        return f'<a href="{escape(node.link)}">{box}</a>'
    return box


def svg(derivation: Derivation, lang: str = "en", values: Values | None = None,
        named: dict[str, str] | None = None, explained: dict[str, str] | None = None) -> str:
    """The derivation as one SVG drawing (see the module's description), sized to fit the page;
    hovering a rule shows its article, reason and the facts it read, in `lang`."""
    graph = _graph(derivation, lang, values or {}, named or {}, explained or {})
    size = _layered(graph)
    vertical = size is None
    width, height = _column(graph) if size is None else size
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width:.0f}" height="{height:.0f}" '
             f'viewBox="-2 -2 {width + 4:.0f} {height + 4:.0f}" role="img" class="derivation">']
    parts += _edges(graph, vertical)
    parts += [_box(node) for node in graph.nodes.values()]
    parts.append("</svg>")
    return "".join(parts)


def legend(lang: str) -> str:
    """The key to the drawings' shapes and colours, in HTML."""
    words = LEGEND[lang]
    keys = [f'<span class="key conclusion">{escape(words["conclusion"])}</span>',
            f'<span class="key rule">{escape(words["rule"])}</span>']
    keys += [f'<span class="key {status}">{MARKS[status]} {escape(words[status])}</span>' for status in STATUS]
    return '<p class="legend">' + " ".join(keys) + "</p>"
