"""HTML memo: one self-contained page (inline style and drawings, no script, nothing fetched), with
each derivation drawn as a graph (see :mod:`.drawing`).

The page opens with a summary (each regime's findings, one row each, linked to the finding) and a
table of contents, and prints as a memo: the summary alone on the first page, each finding kept
whole where it fits, table rows never split, the list version of each derivation shown in place
of its collapsed box, and the address of every link written out.

Every string is escaped with :func:`html.escape`, those of the scenario (titles, names) and those
of the rule packs alike, and links are kept only for official addresses.
"""

from __future__ import annotations

import html
from urllib.parse import quote

from ..findings import Document
from ..schema import link_host
from . import visible
from .drawing import legend, svg
from .memo import Block, Heading, Item, Items, Memo, Para, Table, Tree, memo

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
.graph{overflow-x:auto;margin:.5rem 0}
.graph svg{max-width:100%;height:auto}
.graph text{font-family:Helvetica,Arial,sans-serif;font-size:11px;fill:#1d1d1d}
.graph text .under{font-size:9.5px;fill:#555}
.legend{font-family:Helvetica,Arial,sans-serif;font-size:.8em;color:#333}
.key{display:inline-block;padding:0 .4rem;margin:.1rem .2rem;border:1.5px solid #666}
.key.conclusion{border-radius:.8rem}.key.rule{border-radius:0}
.key.holds{border-color:#1b6e20;background:#e8f3e8}.key.possible{border:1.5px dashed #8a5a00;background:#fdf3de}
.key.elsewhere{border:1.5px dotted #666;background:#f2f2f2}
details summary{cursor:pointer}
table{border-collapse:collapse;margin:.5rem 0}th,td{border:1px solid #ccc;padding:.25rem .5rem;text-align:left;vertical-align:top}
nav.contents ol{padding-left:1.2rem}nav.contents li{margin:.15rem 0}
.summary table{font-size:.92rem;width:100%}
@page{size:A4;margin:10mm 11mm}
@media print{
body{max-width:none;margin:0;padding:0;font-size:8.5pt;line-height:1.22}
h1{font-size:14pt;margin:0 0 .3rem}h2{font-size:12pt;margin:.8rem 0 .3rem}h3{font-size:10.5pt;margin:.7rem 0 .2rem}
h4{font-size:9pt;margin:.4rem 0 .1rem}h5{font-size:8.5pt;margin:.3rem 0 0}
p{margin:.2rem 0}ul{margin:.1rem 0;padding-left:1.1rem}li{margin:0}
li li{font-size:8pt}
h2,h3,h4,h5{break-after:avoid}
nav.contents{break-after:page}.summary table{font-size:8pt}td,th{padding:.1rem .3rem}
.regime{break-before:page}
section.finding+section.finding{border-top:1px solid #bbb;margin-top:.6rem}
tr,li,.graph,.legend{break-inside:avoid}
thead{display:table-header-group}
.graph{overflow:visible}
details>summary{list-style:none;font-style:italic}
details::details-content{content-visibility:visible;display:block}
a{color:inherit;text-decoration:none}
a[href^="https:"]::after{content:" " attr(href);font-size:7pt;color:#555;word-break:break-all}
.graph a::after{content:none}
}
"""

WORDS = {
    "en": {"summary": "Summary", "contents": "Contents"},
    "fr": {"summary": "Synthèse", "contents": "Sommaire"},
}


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
    for index, report in enumerate(reports):
        _report(report, f"r{index}-" if len(reports) > 1 else "", out)
    out.append("</body>\n</html>\n")
    return "\n".join(out)


def _id(prefix: str, anchor: str) -> str:
    """The value of an id attribute for a memo's anchor (several memos on a page get a prefix)."""
    return escape(prefix + anchor)


def _to(prefix: str, anchor: str) -> str:
    """A link to that id, within the page."""
    return "#" + escape(quote(prefix + anchor, safe="/.-_"))


def _report(report: Memo, prefix: str, out: list[str]) -> None:
    out.append(f"<article>\n<h1>{escape(report.title)}</h1>")
    first = next((i for i, b in enumerate(report.blocks) if isinstance(b, Heading)), len(report.blocks))
    for block in report.blocks[:first]:
        _block(block, report.lang, prefix, out)
    _summary(report, prefix, out)
    _contents(report, prefix, out)
    finding_open = False
    for block in report.blocks[first:]:
        if isinstance(block, Heading) and block.level <= 3 and finding_open:
            out.append("</section>")
            finding_open = False
        if isinstance(block, Heading) and block.level == 3:
            out.append('<section class="finding">')
            finding_open = True
        if isinstance(block, Table) and block.anchors:
            continue  # shown in the summary
        _block(block, report.lang, prefix, out)
    if finding_open:
        out.append("</section>")
    out.append("</article>")


def _summary(report: Memo, prefix: str, out: list[str]) -> None:
    """Each regime's findings, one row each, the question linked to its finding."""
    out.append(f'<section class="summary">\n<h2>{escape(WORDS[report.lang]["summary"])}</h2>')
    regime: Heading | None = None
    for block in report.blocks:
        if isinstance(block, Heading) and block.level == 2:
            regime = block
        elif isinstance(block, Table) and block.anchors:
            if regime is not None:
                out.append(f"<h3>{escape(regime.text)}</h3>")
            rows = [tuple(f'<a href="{_to(prefix, anchor)}">{escape(row[0])}</a>' if i == 0 else escape(cell)
                          for i, cell in enumerate(row)) for row, anchor in zip(block.rows, block.anchors)]
            _table(block.header, rows, out)
    out.append("</section>")


def _contents(report: Memo, prefix: str, out: list[str]) -> None:
    """The regimes and their findings, and the scenario's closing sections, as links."""
    sections: list[tuple[Heading, list[Heading]]] = []
    for block in report.blocks:
        if isinstance(block, Heading) and block.level == 2:
            sections.append((block, []))
        elif isinstance(block, Heading) and block.level == 3 and sections:
            sections[-1][1].append(block)
    out.append(f'<nav class="contents">\n<h2>{escape(WORDS[report.lang]["contents"])}</h2>\n<ol>')
    for section, findings in sections:
        out.append(f"<li>{_link(section, prefix)}")
        if findings:
            out.append("<ol>" + "".join(f"<li>{_link(finding, prefix)}</li>" for finding in findings) + "</ol>")
        out.append("</li>")
    out.append("</ol>\n</nav>")


def _link(heading: Heading, prefix: str) -> str:
    text = escape(heading.text)
    return f'<a href="{_to(prefix, heading.anchor)}">{text}</a>' if heading.anchor else text


def _table(header: tuple[str, ...], rows: list[tuple[str, ...]], out: list[str]) -> None:
    """A table whose cells are already HTML."""
    out.append("<table>\n<thead><tr>" + "".join(f"<th>{escape(cell)}</th>" for cell in header) + "</tr></thead>\n<tbody>")
    for row in rows:
        out.append("<tr>" + "".join(f"<td>{cell}</td>" for cell in row) + "</tr>")
    out.append("</tbody>\n</table>")


def _block(block: Block, lang: str, prefix: str, out: list[str]) -> None:
    if isinstance(block, Heading):
        status = f' class="{escape(block.status)}"' if block.status else ""
        if block.level == 2 and block.anchor:
            status = ' class="regime"'
        anchor = f' id="{_id(prefix, block.anchor)}"' if block.anchor else ""
        out.append(f"<h{block.level}{anchor}{status}>{escape(block.text)}</h{block.level}>")
    elif isinstance(block, Para):
        tone = f' class="{block.tone}"' if block.tone else ""
        out.append(f"<p{tone}>{escape(block.text)}</p>")
    elif isinstance(block, Tree):
        explained = {conclusion: prefix + anchor for conclusion, anchor in block.explained.items()}
        out.append(f'<div class="graph">{svg(block.derivation, block.lang, block.values, block.named, explained)}</div>')
        out.append(legend(lang))
        out.append(f"<details><summary>{escape(block.as_list)}</summary>")
        _items(block.items, out)
        out.append("</details>")
    elif isinstance(block, Items):
        _items(block.items, out)
    elif isinstance(block, Table):
        _table(block.header, [tuple(escape(cell) for cell in row) for row in block.rows], out)
