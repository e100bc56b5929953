"""Strings from files reach each output format as text, never as structure (issue 11, item 4).

A rule pack or a scenario is a file a user may have downloaded. Its addresses become links, and its
names, citations and titles are written into DOT, Mermaid, Markdown and HTML: each must read back
as the string it was, and none may add a node, a directive, a heading, a code block, a tag or a link.
Where a real parser is at hand (Graphviz, markdown-it-py, the standard HTML parser) the output is
read back with it; otherwise its structure is checked directly.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ElementTree
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from packs import pack, rule, write_rules

from packs import read_scenario
from liability.findings import Document
from liability.graph import to_dot, to_mermaid
from liability.loading import load_all, load_rulebook
from liability.reasoner import Reasoner
from liability.render import html, markdown, plain, text
from liability.declarations import bundled_declarations
from liability.jurisdiction import all_hosts
from liability.rulebook import RuleError, Rulebook, load_regimes
from liability.schema import official

try:
    from markdown_it import MarkdownIt
except ImportError:  # the structural reading below stands in for it
    MarkdownIt = None

FIXTURES = Path(__file__).parent / "fixtures"
LIABLE = FIXTURES / "scenarios-basic" / "liable.yaml"

HOSTS = all_hosts(bundled_declarations().jurisdictions.values())
"""Every official host the bundled jurisdictions declare."""


# --- helpers -------------------------------------------------------------------------------------

def yaml_string(text: str) -> str:
    """`text` as a YAML double-quoted scalar (a JSON string is one), whatever it contains."""
    return json.dumps(text)


def hostile_pack(name: str, cites: list[str], conclusions: list[str]) -> str:
    """A pack called `name` whose rule number i cites `cites[i]` and concludes `conclusions[i]`."""
    rules = [rule(f"tt.r.n{index}", "money.posting_fees", yaml_string(conclusion))
             .replace('cites: "Test code, art. 1"', f"cites: {yaml_string(cite)}")
             for index, (cite, conclusion) in enumerate(zip(cites, conclusions))]
    return pack(*rules).replace("pack: tt.pack", f"pack: {yaml_string(name)}")


def rulebook(tmp_path: Path, text: str) -> Rulebook:
    """The regime `tt` of a rules folder made of one pack."""
    tmp_path.mkdir(parents=True, exist_ok=True)
    directory = write_rules(tmp_path, text)
    return load_rulebook(load_regimes(directory)["tt"], directory)


def with_key(data: Any, key: str, value: Any) -> Any:
    """`data` (parsed JSON) with every `key` set to `value`, at any depth."""
    if isinstance(data, dict):
        return {k: value if k == key else with_key(v, key, value) for k, v in data.items()}
    if isinstance(data, list):
        return [with_key(item, key, value) for item in data]
    return data


def assessed(tmp_path: Path, title: str, replacements: dict[str, str] | None = None) -> Document:
    """The fixture scenario under a copy of the fixture rules, its title set to `title` and each
    key of `replacements` in the pack's text replaced by its value."""
    rules = tmp_path / "rules"
    shutil.copytree(FIXTURES / "rules-basic", rules)
    demo = rules / "zz" / "demo.yaml"
    text = demo.read_text(encoding="utf-8")
    for old, new in (replacements or {}).items():
        assert old in text, old
        text = text.replace(old, new)
    demo.write_text(text, encoding="utf-8")
    scenario = tmp_path / "scenario.yaml"
    scenario.write_text(LIABLE.read_text(encoding="utf-8").replace(
        "title: A host that charges for ads it knows about", f"title: {yaml_string(title)}"), encoding="utf-8")
    return Reasoner(rules).assess(read_scenario(scenario), "en")


# --- addresses -----------------------------------------------------------------------------------

def test_an_address_with_userinfo_behind_a_backslash_is_refused_by_rules_lint(tmp_path):
    # A browser reads the backslash as a slash: the link opens evil.example, whatever follows.
    url = "https://evil.example\\@www.legifrance.gouv.fr/"
    write_rules(tmp_path, pack(rule("tt.r.one", "money.posting_fees", "tt.one", url=yaml_string(url))))
    result = subprocess.run([sys.executable, "-m", "liability", "--rules", str(tmp_path), "rules", "lint"],
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 2, (result.stdout, result.stderr)
    assert "Traceback" not in result.stderr
    (line,) = result.stderr.strip().splitlines()
    assert str(tmp_path / "a.yaml") in line and "tt.r.one" in line and "url" in line, line


@pytest.mark.parametrize("url", [
    "https://evil.example@www.legifrance.gouv.fr/",
    "https://evil.example\t@www.legifrance.gouv.fr/",
    "https://evil.example\\www.legifrance.gouv.fr/",
    "https://www.legifrance.gouv.fr:8443/",
    "https://evil.example%2e.legifrance.gouv.fr/",
    "https://www\u3002legifrance\u3002gouv\u3002fr/",
    "https://evil.example\uff0f.legifrance.gouv.fr/",
    "https://www.legifrance.gouv.fr/\nhttps://evil.example/",
    "https:///evil.example/?www.legifrance.gouv.fr",
    "https://legifrance.gouv.fr.evil.example/",
], ids=["userinfo", "tab-before-userinfo", "backslash", "port", "percent-dot", "ideographic-dot",
        "fullwidth-slash", "newline", "empty-authority", "official-name-as-subdomain"])
def test_an_address_a_browser_could_read_as_another_host_is_refused_on_load(tmp_path, url):
    with pytest.raises(RuleError) as caught:
        rulebook(tmp_path, pack(rule("tt.r.one", "money.posting_fees", "tt.one", url=yaml_string(url))))
    assert any("tt.r.one: url `" in problem for problem in caught.value.problems), caught.value.problems


@pytest.mark.parametrize("url", [
    "https://www.legifrance.gouv.fr/codes/article_lc/LEGIARTI000006417678",
    "https://eur-lex.europa.eu/legal-content/FR/TXT/?uri=CELEX:32000L0031#d1e40",
    "https://legifrance.gouv.fr",
    "HTTPS://WWW.LEGIFRANCE.GOUV.FR/x",
    "https://www.law.cornell.edu:443/uscode/text/47/230",
])
def test_an_official_address_in_any_of_its_usual_spellings_is_accepted(url):
    assert official(url, HOSTS)


def test_a_report_links_only_official_addresses(tmp_path):
    # A document built by a program, not loaded from packs, carries whatever addresses it was given.
    document = assessed(tmp_path, "A host")
    forged = Document.model_validate(with_key(document.as_json(), "url", "https://evil.example\\@www.legifrance.gouv.fr/"))
    for report in (html.render([forged]), markdown.render([forged])):
        assert "evil.example" not in report
    assert "legifrance.gouv.fr" in html.render([document]) and "legifrance.gouv.fr" in markdown.render([document])


# --- DOT -----------------------------------------------------------------------------------------

DOT_NAME = 'tt.pack"; } digraph x { "a'
DOT_CITES = ['Art. 1 "quoted" <b> {x|y}; -> \\', "Art. 2\nsecond line \\N"]
DOT_CONCLUSIONS = ['tt.c"; x -> y; // \\', "tt.two"]
DOT_TOKEN = re.compile(r'\s+|"((?:[^"\\]|\\.)*)"|->|[{}\[\];,=]|[\w.#]+', re.DOTALL)


def dot_tokens(text: str) -> tuple[list[str], list[str]]:
    """The structure of a DOT file (its tokens, each quoted string as `"`) and the text of its
    quoted strings as Graphviz draws them, split at line breaks: `\\"` is a quote, then in a label
    `\\n` a line break and `\\\\` a backslash."""
    structure, strings, position = [], [], 0
    while position < len(text):
        match = DOT_TOKEN.match(text, position)
        assert match, f"not DOT at {text[position:position + 40]!r}"
        if match[1] is not None:
            structure.append('"')
            drawn = re.sub(r"\\(.)", lambda m: "\n" if m[1] in "nlr" else m[1], match[1], flags=re.DOTALL)
            strings += drawn.split("\n")
        elif not match[0].isspace():
            structure.append(match[0])
        position = match.end()
    return structure, strings


def graphviz_drawing(text: str) -> tuple[list[str], int, int]:
    """The lines of text Graphviz draws from a DOT file, with its numbers of nodes and edges."""
    svg = subprocess.run(["dot", "-Tsvg"], input=text, capture_output=True, text=True, check=True, timeout=60).stdout
    root = ElementTree.fromstring(svg)
    groups = [g.get("class") for g in root.iter("{http://www.w3.org/2000/svg}g")]
    texts = [t.text or "" for t in root.iter("{http://www.w3.org/2000/svg}text")]
    return texts, groups.count("node"), groups.count("edge")


def without_legend(dot: str) -> str:
    """A DOT file without its legend (whose words are the renderer's own, not the pack's)."""
    return re.sub(r"(?ms)^  subgraph cluster_legend .*?^  }\n", "", dot)


def test_dot_draws_names_conclusions_and_citations_as_written(tmp_path):
    hostile = without_legend(to_dot(rulebook(tmp_path / "hostile", hostile_pack(DOT_NAME, DOT_CITES, DOT_CONCLUSIONS))))
    plain = without_legend(to_dot(rulebook(tmp_path / "plain", hostile_pack("tt.pack", ["Art. 1", "Art. 2"], ["tt.c", "tt.two"]))))
    drawn = [DOT_NAME, "tt.r.n0", DOT_CITES[0], "tt.r.n1", *DOT_CITES[1].split("\n"), *DOT_CONCLUSIONS]
    if shutil.which("dot"):
        texts, nodes, edges = graphviz_drawing(hostile)
        assert sorted(texts) == sorted(drawn) and (nodes, edges) == (4, 2)
    else:
        structure, strings = dot_tokens(hostile)
        assert structure == dot_tokens(plain)[0]
        assert set(drawn) <= set(strings)


# --- Mermaid -------------------------------------------------------------------------------------

BREAKOUT = '"]; click A href "javascript:alert(1)"'
MERMAID_CONCLUSIONS = [f"tt.c{BREAKOUT}", 'tt.d"])\n  click n0 href "https://evil.example/"\n  x(["']
MERMAID_CITES = ["Art. 1 %%{init: {'securityLevel': 'loose'}}%% --> `md` <img src=x> #quot;", "Art. 2 ]; {x|y}"]
MERMAID_LINE = re.compile(r'  n\d+(?:\["(?P<box>[^"]*)"\]|\(\["(?P<round>[^"]*)"\]\)|\(\(\("(?P<head>[^"]*)"\)\)\))'
                          r'|  n\d+ (?:-->|==>|-\. \w+ \.->|== \w+ ==>) n\d+|flowchart LR')


def mermaid_labels(out: str) -> list[str]:
    """The labels of a Mermaid flowchart as Mermaid shows them, after checking that each line is
    the header, one node with one quoted label, or one edge, and that no directive is left."""
    assert "%%" not in out and "`" not in out
    labels = []
    legend = out.index("\n  subgraph legend[")
    assert out.endswith("\n  end\n")
    for line in out[:legend].splitlines():
        match = MERMAID_LINE.fullmatch(line)
        assert match, f"not a node, an edge or the header: {line!r}"
        label = match["box"] or match["round"] or match["head"]
        if label is not None:
            labels.append("\n".join(re.sub(r"#(\d+);", lambda m: chr(int(m[1])), part) for part in label.split("<br/>")))
    return labels


def test_a_mermaid_label_cannot_leave_its_node_or_add_a_directive(tmp_path):
    labels = mermaid_labels(to_mermaid(rulebook(tmp_path, hostile_pack("tt.pack", MERMAID_CITES, MERMAID_CONCLUSIONS))))
    assert sorted(labels) == sorted([f"tt.r.n0\n{MERMAID_CITES[0]}", f"tt.r.n1\n{MERMAID_CITES[1]}", *MERMAID_CONCLUSIONS])



def test_every_bundled_regime_draws_in_mermaid_with_its_citations_intact():
    # US citations quote the statute ("advertises"): a bare quote used to end the label.
    for book in load_all().values():
        labels = mermaid_labels(to_mermaid(book))
        assert {f"{rule.id}\n{rule.cites}" for rule in book.rules} <= set(labels)


# --- Markdown ------------------------------------------------------------------------------------

def markdown_structure(text: str) -> dict[str, Any]:
    """What a Markdown reader makes of `text`: heading texts, code blocks, HTML, link targets, list
    items and the number of cells of each table row; by markdown-it-py (CommonMark with GitHub's
    tables and strikethrough) if installed, else by reading the lines the way CommonMark does."""
    if MarkdownIt is not None:
        tokens = MarkdownIt("commonmark").enable(["table", "strikethrough"]).parse(text)
        inline = [child for token in tokens for child in token.children or []]
        rows, cells = [], 0
        for token in tokens:
            if token.type in ("td_open", "th_open"):
                cells += 1
            elif token.type == "tr_close":
                rows, cells = rows + [cells], 0
        return {"headings": ["".join(c.content for c in tokens[i + 1].children if c.type in ("text", "text_special"))
                             for i, t in enumerate(tokens) if t.type == "heading_open"],
                "code": [t.content for t in tokens if t.type in ("fence", "code_block")],
                "html": [t.content for t in tokens + inline if t.type in ("html_block", "html_inline")],
                "links": [t.attrs["href"] for t in inline if t.type == "link_open"],
                "items": sum(t.type == "list_item_open" for t in tokens),
                "rows": rows}
    unescaped = r"(?<!\\)(?:\\\\)*"
    lines = text.splitlines()
    return {"headings": [re.sub(r"\\(.)", r"\1", line.lstrip("#").strip()) for line in lines if re.match(r"#{1,6} ", line)],
            "code": [line for line in lines if re.match(r"\s*(```|~~~)", line)],
            "html": re.findall(unescaped + r"<[A-Za-z/!?]", text),
            "links": re.findall(unescaped + r"\]\(([^)\s]*)\)", text),
            "items": sum(len(re.findall(r"(?:[-+*]|\d{1,9}[.)])\s+", re.match(r"\s*(?:(?:[-+*]|\d{1,9}[.)])\s+)*", line)[0]))
                         for line in lines),
            "rows": [len(re.split(unescaped + r"\|", line)) - 2 for line in lines
                     if line.startswith("|") and not line.startswith("|-")]}


@pytest.mark.parametrize("fence", ["```", "~~~"])
def test_a_fence_in_a_scenario_title_does_not_turn_the_memo_into_code(tmp_path, fence):
    plain = markdown_structure(markdown.render([assessed(tmp_path / "plain", "A host")]))
    hostile = markdown_structure(markdown.render([assessed(tmp_path / "hostile", f"A host\n{fence}\nrest")]))
    assert hostile["code"] == [] and hostile["headings"][1:] == plain["headings"][1:]
    assert hostile["headings"][0] == f"A host {fence} rest"


HOSTILE_QUESTION = "# Liable? | forged cell | <b>bold</b> [x](javascript:alert(1)) ~~struck~~ &amp;"
HOSTILE_BECAUSE = "- 1. <script>alert(1)</script>\n# Not a heading\n    code?\n[y]: javascript:alert(2)"
HOSTILE_CITES = "Test code, art. 10 `x` &lt; \\\\"


def test_strings_from_files_add_no_heading_table_cell_html_or_link_to_a_markdown_memo(tmp_path):
    document = assessed(tmp_path, "# A host <i>", {
        '"Is the actor liable for the test offence?"': yaml_string(HOSTILE_QUESTION),
        '"It stores what its users post."': yaml_string(HOSTILE_BECAUSE),
        '"Test code, art. 10"': yaml_string(HOSTILE_CITES)})
    plain = markdown_structure(markdown.render([assessed(tmp_path / "plain", "A host")], trace=True))
    hostile = markdown_structure(markdown.render([document], trace=True))
    assert len(hostile["headings"]) == len(plain["headings"]) and hostile["rows"] == plain["rows"]
    assert hostile["items"] == plain["items"]
    assert hostile["code"] == [] and hostile["html"] == []
    assert hostile["links"] and all(official(link, HOSTS) for link in hostile["links"])
    assert HOSTILE_QUESTION in " ".join(hostile["headings"])


def test_a_backquote_in_a_conclusion_cannot_close_its_code_span_in_the_trace(tmp_path):
    odd = rule("zz.demo.odd", "service.stores_user_content", "'zz.odd`x` *y*'")
    document = assessed(tmp_path, "A host", {"rules:\n": "rules:\n" + odd})
    out = markdown.render([document], trace=True)
    if MarkdownIt is not None:
        spans = [child.content for token in MarkdownIt("commonmark").parse(out) for child in token.children or []
                 if child.type == "code_inline"]
        assert "zz.odd`x` *y*" in spans
    else:
        assert "``zz.odd`x` *y*``" in out


# --- HTML ----------------------------------------------------------------------------------------

class Elements(HTMLParser):
    """The start tags and link targets of an HTML page, as a browser's parser finds them."""

    def __init__(self, text: str) -> None:
        super().__init__()
        self.tags: list[str] = []
        self.links: list[str] = []
        self.feed(text)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        self.links += [value or "" for name, value in attrs if name == "href"]


def test_html_escapes_a_script_in_a_title_and_markup_in_pack_strings(tmp_path):
    document = assessed(tmp_path, "<script>alert(1)</script> A host", {
        '"Is the actor liable for the test offence?"': yaml_string(HOSTILE_QUESTION),
        '"It stores what its users post."': yaml_string(HOSTILE_BECAUSE)})
    page = html.render([document])
    plain = Elements(html.render([assessed(tmp_path / "plain", "A host")]))
    hostile = Elements(page)
    assert hostile.tags == plain.tags
    assert all(official(link, HOSTS) or link.startswith("#") for link in hostile.links)
    assert [link for link in hostile.links if link.startswith("#")] == [link for link in plain.links if link.startswith("#")]
    assert "&lt;script&gt;alert(1)&lt;/script&gt; A host" in page


# --- terminals -----------------------------------------------------------------------------------

def test_control_characters_from_a_file_are_shown_not_sent_to_the_terminal(tmp_path):
    # An escape sequence would plant a hidden hyperlink; a carriage return would overwrite the line.
    document = assessed(tmp_path, "A host \x1b]8;;https://evil.example\x07here\x1b]8;;\x07 \x1b[2J\r\x9b", {
        '"It stores what its users post."': yaml_string("It stores \x1b[8mhidden\x1b[0m posts.")})
    for report in (text.render([document], detail=True), plain.render([document]), markdown.render([document]),
                   html.render([document])):
        assert not re.search(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]", report)
        assert "x1b" in report and "evil.example" in report and "hidden" in report
    coloured = text.render([document], colour=True, detail=True)
    assert "\x1b]8" not in coloured and "\x1b[8m" not in coloured and "\x1b[2J" not in coloured


class Cells(HTMLParser):
    """The text of each table cell of an HTML page, as a browser reads it back."""

    def __init__(self, text: str) -> None:
        super().__init__(convert_charrefs=True)
        self.cells: list[str] = []
        self._open = False
        self.feed(text)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("td", "th"):
            self._open = True
            self.cells.append("")

    def handle_endtag(self, tag: str) -> None:
        if tag in ("td", "th"):
            self._open = False

    def handle_data(self, data: str) -> None:
        if self._open:
            self.cells[-1] += data


def test_an_html_summary_table_cell_reads_back_as_the_question_the_pack_wrote(tmp_path):
    document = assessed(tmp_path, "A host", {
        '"Is the actor liable for the test offence?"': yaml_string(HOSTILE_QUESTION)})
    cells = Cells(html.render([document])).cells
    assert HOSTILE_QUESTION in cells
