"""HTML memo: one self-contained page (inline style and drawings, no script, nothing fetched), with
each derivation drawn as a graph.

Every string is escaped with :func:`html.escape`, those of the scenario (titles, names) and those
of the rule packs alike, and links are kept only for official addresses.
"""

from __future__ import annotations

import html
from dataclasses import dataclass

from ..findings import Derivation, Document
from ..schema import link_host
from ..values import absent_words, value_words
from . import visible
from .memo import Heading, Item, Items, Memo, Para, Table, Tree, memo
from .typography import typeset
from .words import Values

MARKS = {"met": "✔", "not_met": "✘", "unknown": "?"}

STYLE = """
body{font-family:Georgia,'Times New Roman',serif;max-width:60rem;margin:2rem auto;padding:0 1rem;line-height:1.45;color:#1d1d1d}
h1{font-size:1.6rem}h2{border-bottom:1px solid #999;margin-top:2.2rem}h3{margin-top:1.8rem}
h4{margin-bottom:.3rem}h5{margin:.6rem 0 .2rem;font-style:italic}
ul{margin-top:.2rem}li{margin:.1rem 0}
.answer{font-weight:bold}.warning{color:#8a5a00}
.met{color:#1b6e20}.not_met{color:#9b1c1c}.unknown{color:#8a5a00}
h3.liable,h3.breached,h3.lost{border-left:.4rem solid #9b1c1c;padding-left:.5rem}
h3.undetermined{border-left:.4rem solid #c98a00;padding-left:.5rem}
h3.not_liable,h3.applies,h3.complied,h3.met,h3.not_met,h3.not_applicable{border-left:.4rem solid #1b6e20;padding-left:.5rem}
.graph{overflow-x:auto;border:1px solid #ddd;padding:.5rem;margin:.5rem 0}
.graph text{font-family:Helvetica,Arial,sans-serif;font-size:11px}
details summary{cursor:pointer}
table{border-collapse:collapse;margin:.5rem 0}th,td{border:1px solid #ccc;padding:.25rem .5rem;text-align:left;vertical-align:top}
"""

NODE_WIDTH, NODE_HEIGHT, GAP_X, GAP_Y = 210, 34, 16, 46
LABEL_CHARS = 34


def escape(text: str) -> str:
    """`text` as HTML text or attribute value, its control characters shown (see `visible`)."""
    return html.escape(visible(text), quote=True)


def _href(url: str | None) -> str | None:
    """The attribute value of a link, for a plain https address only (the packs' addresses were
    checked against their jurisdiction's official hosts when loaded): a prefix test would pass
    `https://evil.example\\@www.example.org/`, which a browser opens on evil.example."""
    return escape(url) if url and link_host(url) is not None else None


def _items(items: tuple[Item, ...], out: list[str]) -> None:
    out.append("<ul>")
    for item in items:
        mark = f'<span class="{item.mark}">{MARKS[item.mark]}</span> ' if item.mark in MARKS else ""
        text = escape(item.text)
        href = _href(item.link)
        if href:
            text += f' <a href="{href}" rel="noreferrer">↗</a>'
        out.append(f"<li>{mark}{text}")
        if item.children:
            _items(item.children, out)
        out.append("</li>")
    out.append("</ul>")


def render(documents: list[Document], trace: bool = False, heads: set[str] | None = None,
           why_not: bool = False) -> str:
    reports = [memo(document, heads, why_not) for document in documents]
    lang = documents[0].lang if documents else "en"
    title = escape(reports[0].title if len(reports) == 1 else "liability")
    out = [f'<!DOCTYPE html>\n<html lang="{escape(lang)}">\n<head>\n<meta charset="utf-8">\n'
           f'<meta name="viewport" content="width=device-width, initial-scale=1">\n'
           f"<title>{title}</title>\n<style>{STYLE}</style>\n</head>\n<body>"]
    for report in reports:
        _report(report, out)
    out.append("</body>\n</html>\n")
    return "\n".join(out)


def _report(report: Memo, out: list[str]) -> None:
    out.append(f"<article>\n<h1>{escape(report.title)}</h1>")
    for block in report.blocks:
        if isinstance(block, Heading):
            status = f' class="{escape(block.status)}"' if block.status else ""
            out.append(f"<h{block.level}{status}>{escape(block.text)}</h{block.level}>")
        elif isinstance(block, Para):
            tone = f' class="{block.tone}"' if block.tone else ""
            out.append(f"<p{tone}>{escape(block.text)}</p>")
        elif isinstance(block, Tree):
            out.append(f'<div class="graph">{svg(block.derivation, block.lang, block.values)}</div>')
            out.append(f"<details><summary>{escape(block.as_list)}</summary>")
            _items(block.items, out)
            out.append("</details>")
        elif isinstance(block, Items):
            _items(block.items, out)
        elif isinstance(block, Table):
            out.append("<table>\n<tr>" + "".join(f"<th>{escape(cell)}</th>" for cell in block.header) + "</tr>")
            for row in block.rows:
                out.append("<tr>" + "".join(f"<td>{escape(cell)}</td>" for cell in row) + "</tr>")
            out.append("</table>")
    out.append("</article>")


@dataclass
class _Node:
    label: str
    detail: str
    kind: str
    """`conclusion`, `rule` or `possible` (a rule that only possibly applies)."""
    url: str | None
    children: list["_Node"]
    x: float = 0.0
    depth: int = 0


def _tree(derivation: Derivation, lang: str, values: Values) -> _Node:
    uses = []
    for use in derivation.rules:
        facts = [f"{path} = {value_words(value, values.get(path, {}), lang)}" for path, value in use.facts.items()]
        facts += [absent_words(absent, lang) for absent in use.absent]
        uses.append(_Node(use.rule, typeset(f"{use.cites}\n" + "\n".join(facts), lang),
                          "rule" if use.certain else "possible", use.url,
                          [_tree(p, lang, values) for p in use.premises]))
    return _Node(derivation.conclusion, derivation.conclusion, "conclusion", None, uses)


def _place(node: _Node, depth: int, next_x: list[float]) -> None:
    """A tidy top-down layout: leaves side by side, each parent centred over its children."""
    node.depth = depth
    for child in node.children:
        _place(child, depth + 1, next_x)
    if node.children:
        node.x = (node.children[0].x + node.children[-1].x) / 2
    else:
        node.x = next_x[0]
        next_x[0] += NODE_WIDTH + GAP_X


def _walk(node: _Node) -> list[_Node]:
    return [node] + [n for child in node.children for n in _walk(child)]


def _short(text: str) -> str:
    return text if len(text) <= LABEL_CHARS else text[:LABEL_CHARS - 1] + "…"


def svg(derivation: Derivation, lang: str = "en", values: Values | None = None) -> str:
    """The derivation as an SVG drawing: conclusions in rounded boxes, the rules that drew them
    below (dashed when they only possibly apply), premises further down; hover shows the facts,
    their values in words in `lang`."""
    root = _tree(derivation, lang, values or {})
    _place(root, 0, [0.0])
    nodes = _walk(root)
    width = max(n.x for n in nodes) + NODE_WIDTH
    height = (max(n.depth for n in nodes) + 1) * (NODE_HEIGHT + GAP_Y) - GAP_Y
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width:.0f}" height="{height:.0f}" '
             f'viewBox="0 0 {width:.0f} {height:.0f}" role="img">']
    for node in nodes:
        top = node.depth * (NODE_HEIGHT + GAP_Y)
        for child in node.children:
            child_top = child.depth * (NODE_HEIGHT + GAP_Y)
            parts.append(f'<line x1="{node.x + NODE_WIDTH / 2:.0f}" y1="{top + NODE_HEIGHT}" '
                         f'x2="{child.x + NODE_WIDTH / 2:.0f}" y2="{child_top}" stroke="#777"/>')
    for node in nodes:
        top = node.depth * (NODE_HEIGHT + GAP_Y)
        fill, dash, radius = {"conclusion": ("#eef3fb", "", 14), "rule": ("#ffffff", "", 2),
                              "possible": ("#ffffff", ' stroke-dasharray="4 3"', 2)}[node.kind]
        box = (f'<g><title>{escape(node.detail)}</title><rect x="{node.x:.0f}" y="{top}" width="{NODE_WIDTH}" '
               f'height="{NODE_HEIGHT}" rx="{radius}" fill="{fill}" stroke="#444"{dash}/>'
               f'<text x="{node.x + NODE_WIDTH / 2:.0f}" y="{top + NODE_HEIGHT / 2 + 4}" '
               f'text-anchor="middle">{escape(_short(node.label))}</text></g>')
        href = _href(node.url)
        parts.append(f'<a href="{href}">{box}</a>' if href else box)
    parts.append("</svg>")
    return "".join(parts)
