"""The dependency graph of a rulebook: strata, firing order, and drawings.

Nodes are rules and conclusions; an edge runs from a rule to the conclusion it draws, and from a
conclusion to each rule that uses it, signed ``+`` (must hold) or ``-`` (must not hold).

experta has no truth maintenance, so negation as failure is only sound if a rule that tests
``not X`` fires after every rule that could conclude X. Stratification guarantees it: a rule's
stratum is the highest stratum among its premises' producers, plus one across a negated premise.
A negated edge inside a cycle cannot be stratified and is a load error. Each rule then gets its
place in one total order (stratum first, then pack order), from which the engine derives a
distinct salience per compiled rule: distinct saliences also make traces reproducible.
"""

from __future__ import annotations

import re
import shutil
import subprocess

import networkx as nx

from .render import visible
from .rulebook import RuleError, Rulebook


def dependency_graph(book: Rulebook) -> nx.DiGraph:
    """Rules and conclusions as a signed directed graph."""
    graph = nx.DiGraph()
    for rule in book.rules:
        graph.add_node(("rule", rule.id), kind="rule")
        graph.add_node(("conclusion", rule.conclusion), kind="conclusion")
        graph.add_edge(("rule", rule.id), ("conclusion", rule.conclusion), sign="+")
    for rule in book.rules:
        for premise in rule.premises:
            graph.add_edge(("conclusion", premise), ("rule", rule.id), sign="+")
        for negated in rule.negated:
            sign = "-" if not graph.has_edge(("conclusion", negated), ("rule", rule.id)) else "+-"
            graph.add_edge(("conclusion", negated), ("rule", rule.id), sign=sign)
    return graph


def stratify(book: Rulebook) -> None:
    """Compute each rule's stratum and the firing order; reject negation inside a cycle."""
    graph = dependency_graph(book)
    condensed = nx.condensation(graph)
    members = condensed.graph["mapping"]
    problems = []
    for component in condensed.nodes:
        nodes = condensed.nodes[component]["members"]
        if len(nodes) == 1:
            (node,) = nodes
            if not graph.has_edge(node, node):
                continue
        for source, target, sign in graph.subgraph(nodes).edges(data="sign"):
            if "-" in sign:
                rule = book.by_id[target[1]]
                cycle = " -> ".join(sorted(n[1] for n in nodes if n[0] == "conclusion"))
                problems.append(
                    f"{rule.file}: {rule.id}: negates `{source[1]}`, which depends on this rule's own "
                    f"conclusion (cycle through {cycle}); negation cannot be stratified")
    if problems:
        raise RuleError(problems)

    stratum: dict[tuple[str, str], int] = {}
    sequence: dict[str, int] = {}
    cyclic: set[str] = set()
    position = {rule.id: index for index, rule in enumerate(book.rules)}
    for component in nx.lexicographical_topological_sort(condensed, key=lambda c: min(
            position.get(n[1], len(position)) for n in condensed.nodes[c]["members"])):
        nodes = condensed.nodes[component]["members"]
        for node in sorted(nodes, key=lambda n: position.get(n[1], 0)):
            if node[0] == "rule":
                sequence[node[1]] = len(sequence)
                if len(nodes) > 1:
                    cyclic.add(node[1])
        level = 0
        for node in nodes:
            for source, _, sign in graph.in_edges(node, data="sign"):
                if members[source] == component:
                    continue
                level = max(level, stratum[source] + (1 if "-" in sign else 0))
        for node in nodes:
            stratum[node] = level
    book.stratum = {rule.id: stratum[("rule", rule.id)] for rule in book.rules}
    book.order = sorted(book.rules, key=lambda r: (book.stratum[r.id], position[r.id]))
    book.sequence = sequence
    book.cyclic = frozenset(cyclic)


Edge = tuple[tuple[str, str], tuple[str, str]]
EDGE_TYPES = ("concludes", "supports", "exception", "overrides")


def edge_types(book: Rulebook, graph: nx.DiGraph | None = None) -> dict[Edge, str]:
    """Each edge of the dependency graph typed for a reader of the law's defeasibility structure.

    A rule `concludes` what it draws; a conclusion it needs `supports` it; a conclusion whose
    presence defeats it is an `exception` when drawn within the same instrument, and `overrides`
    it when drawn by another instrument (the host exemption of the LCEN setting aside the Code
    pénal's hosting rules, the FOSTA carve-outs lifting section 230).
    """
    graph = dependency_graph(book) if graph is None else graph
    packs = {rule.id: rule.pack for rule in book.rules}
    types: dict[Edge, str] = {}
    for source, target, sign in graph.edges(data="sign"):
        if source[0] == "rule":
            types[(source, target)] = "concludes"
        elif sign == "+":
            types[(source, target)] = "supports"
        else:
            drawn_by = {packs[r.id] for r in book.producers.get(source[1], [])}
            types[(source, target)] = "exception" if drawn_by <= {packs[target[1]]} else "overrides"
    return types


def active_edges(book: Rulebook, fired: set[str], holding: set[str]) -> set[Edge]:
    """The edges a run used: rules that fired and what they drew, conclusions that held and the
    rules they supported, and exceptions that held and so defeated a rule."""
    active = set()
    for (source, target), kind in edge_types(book).items():
        if kind == "concludes" and source[1] in fired:
            active.add((source, target))
        elif kind == "supports" and source[1] in holding and target[1] in fired:
            active.add((source, target))
        elif kind in ("exception", "overrides") and source[1] in holding:
            active.add((source, target))
    return active


_LINE_BREAK = re.compile(r"\r\n|[\r\n\x85\u2028\u2029]")


def _dot(*lines: str) -> str:
    """`lines` as one DOT quoted string, broken into lines where Graphviz draws a label.

    Names and citations come from pack files. In a quoted DOT string `\\"` is a quote, so a
    citation ending in a backslash would escape its closing quote and the rest of the file would be
    read as its label; Graphviz also reads `\\n`, `\\N` and the like in labels. Doubling every
    backslash and escaping every quote keeps each string one string that reads back as written.
    """
    parts = [part for line in lines for part in _LINE_BREAK.split(line)]
    return '"' + "\\n".join(visible(p).replace("\\", "\\\\").replace('"', '\\"') for p in parts) + '"'


_DOT_STYLE = {"concludes": "", "supports": "", "exception": 'style=dashed, label="exception"',
              "overrides": 'style=dashed, color="#9b1c1c", label="overrides"'}

LEGEND = {
    "en": {"title": "Legend", "rule": "rule\n(its article)", "conclusion": "conclusion", "head": "head\n(a question answered)",
           "concludes": "draws", "supports": "supports", "exception": "exception (same instrument)",
           "overrides": "overrides (another instrument)", "active": "used by the scenario's run"},
    "fr": {"title": "Légende", "rule": "règle\n(son article)", "conclusion": "conclusion",
           "head": "question\nà trancher",
           "concludes": "conclut", "supports": "fonde", "exception": "exception (même texte)",
           "overrides": "écarte (un autre texte)", "active": "employée par le scénario"},
}
"""The words of the drawings' key, in each language; a line break breaks the label."""


class GraphvizMissing(Exception):
    """Graphviz's `dot`, which lays out an SVG, is not installed."""


def head_rules(book: Rulebook, head_id: str) -> frozenset[str]:
    """The rules that bear on a head in any of its proceedings: its ancestry, down to the
    conclusions that answer other heads, which are drawn as leaves (their own `--head` draws them)."""
    return frozenset().union(*(book.bearing(head_id, proceeding) for proceeding in book.heads[head_id].proceedings))


def _kept(book: Rulebook, rules: frozenset[str] | None) -> set[tuple[str, str]]:
    """The nodes drawn: every one, or `rules` with what they conclude and what they test."""
    if rules is None:
        return set(dependency_graph(book).nodes)
    kept = {("rule", rule_id) for rule_id in rules}
    for rule_id in rules:
        rule = book.by_id[rule_id]
        kept |= {("conclusion", c) for c in {rule.conclusion} | rule.premises | rule.negated}
    return kept


def _dot_legend(lang: str, active: bool) -> list[str]:
    words = LEGEND[lang]
    lines = [f"  subgraph cluster_legend {{ label={_dot(words['title'])}; style=rounded; color=\"#999999\";",
             f"    \"legend:rule\" [shape=box, label={_dot(words['rule'])}];",
             f"    \"legend:conclusion\" [shape=ellipse, label={_dot(words['conclusion'])}];",
             f"    \"legend:head\" [shape=ellipse, peripheries=2, label={_dot(words['head'])}];"]
    for kind in ("exception", "overrides"):
        lines.append(f"    \"legend:{kind}\" [shape=plaintext, label={_dot(words[kind])}];")
    lines += ["    \"legend:conclusion\" -> \"legend:rule\" [label=" + _dot(words["supports"]) + "];",
              "    \"legend:rule\" -> \"legend:head\" [label=" + _dot(words["concludes"]) + "];",
              "    \"legend:conclusion\" -> \"legend:exception\" [style=dashed];",
              "    \"legend:conclusion\" -> \"legend:overrides\" [style=dashed, color=\"#9b1c1c\"];"]
    if active:
        lines += [f"    \"legend:active\" [shape=plaintext, label={_dot(words['active'])}];",
                  "    \"legend:conclusion\" -> \"legend:active\" [penwidth=2.5];"]
    lines.append("  }")
    return lines


def to_dot(book: Rulebook, active: set[Edge] | None = None, rules: frozenset[str] | None = None,
           lang: str = "en") -> str:
    """Graphviz DOT: one cluster per instrument, rules as boxes, conclusions as ellipses (heads
    with a double outline), exceptions dashed and overrides red, and a legend; with `active`, the edges of a
    run in bold; with `rules`, only those rules and the conclusions they draw and test."""
    kept = _kept(book, rules)
    lines = [f"digraph {_dot(book.regime)} {{", "  rankdir=LR;", '  node [fontname="Helvetica"];',
             '  edge [fontname="Helvetica", fontsize=10];']
    types = edge_types(book)
    by_pack: dict[str, list[str]] = {}
    for rule in book.rules:
        if ("rule", rule.id) in kept:
            by_pack.setdefault(rule.pack, []).append(rule.id)
    for index, (pack, pack_rules) in enumerate(by_pack.items()):
        lines.append(f"  subgraph cluster_{index} {{ label={_dot(pack)}; style=rounded;")
        for rule_id in pack_rules:
            label = _dot(rule_id, book.by_id[rule_id].cites)
            lines.append(f"    {_dot(rule_id)} [shape=box, label={label}];")
        lines.append("  }")
    for conclusion in sorted({rule.conclusion for rule in book.rules} | {n[1] for n in kept if n[0] == "conclusion"}):
        if ("conclusion", conclusion) not in kept:
            continue
        shape = "ellipse, peripheries=2" if conclusion in book.heads else "ellipse"
        lines.append(f"  {_dot(conclusion)} [shape={shape}];")
    for (source, target), kind in types.items():
        if source not in kept or target not in kept:
            continue
        attributes = [a for a in (_DOT_STYLE[kind],) if a]
        if active is not None:
            attributes.append("penwidth=2.5" if (source, target) in active else 'color="#bbbbbb"')
        style = f" [{', '.join(attributes)}]" if attributes else ""
        lines.append(f"  {_dot(source[1])} -> {_dot(target[1])}{style};")
    lines += _dot_legend(lang, active is not None)
    lines.append("}")
    return "\n".join(lines) + "\n"


def to_svg(dot: str) -> str:
    """The DOT text laid out by Graphviz as SVG; :class:`GraphvizMissing` without `dot`."""
    program = shutil.which("dot")
    if program is None:
        raise GraphvizMissing("graphviz's dot is not installed; use --format dot and render it elsewhere")
    done = subprocess.run([program, "-Tsvg"], input=dot, capture_output=True, text=True, timeout=120)
    if done.returncode != 0:
        raise GraphvizMissing(f"graphviz's dot failed: {done.stderr.strip().splitlines()[-1:]}")
    return done.stdout


_MERMAID_ENTITIES = {character: f"#{ord(character)};" for character in '#"&<>%`'}


def _mermaid(*lines: str) -> str:
    """`lines` as the quoted text of a Mermaid node, broken where Mermaid breaks a label.

    Mermaid has no backslash escape: a quote ends the text, whatever precedes it, and what follows
    is read as diagram source (`click n1 href "javascript:..."`). It reads `%%{...}%%` as a
    directive anywhere in the file, a backquote after the opening quote as Markdown, and the label
    as HTML. Each of these characters is written as the entity code Mermaid decodes for display
    (`#34;`), `#` among them so that a `#34;` in a name stays text.
    """
    parts = [part for line in lines for part in _LINE_BREAK.split(line)]
    escaped = ("".join(_MERMAID_ENTITIES.get(c, c) for c in visible(part)) for part in parts)
    return '"' + "<br/>".join(escaped) + '"'


def to_mermaid(book: Rulebook, active: set[Edge] | None = None, rules: frozenset[str] | None = None,
               lang: str = "en") -> str:
    """Mermaid flowchart of the same graph, for Markdown viewers, with a legend; with `active`,
    the edges of a run are thick; with `rules`, only those rules and what they draw and test."""
    graph = dependency_graph(book)
    kept = _kept(book, rules)
    types = {edge: kind for edge, kind in edge_types(book, graph).items() if edge[0] in kept and edge[1] in kept}
    nodes = sorted(n for n in graph.nodes if n in kept)
    ids = {node: f"n{index}" for index, node in enumerate(nodes)}
    lines = ["flowchart LR"]
    for node in nodes:
        kind, name = node
        if kind == "rule":
            rule = book.by_id[name]
            lines.append(f"  {ids[node]}[{_mermaid(name, rule.cites)}]")
        elif name in book.heads:
            lines.append(f"  {ids[node]}((({_mermaid(name)})))")
        else:
            lines.append(f"  {ids[node]}([{_mermaid(name)}])")
    for source, target in sorted(types):
        kind = types[(source, target)]
        thick = active is not None and (source, target) in active
        if kind in ("exception", "overrides"):
            arrow = f"-. {kind} .->" if not thick else f"== {kind} ==>"
        else:
            arrow = "==>" if thick else "-->"
        lines.append(f"  {ids[source]} {arrow} {ids[target]}")
    words = LEGEND[lang]
    lines += [f"  subgraph legend[{_mermaid(words['title'])}]",
              f"    l1[{_mermaid(*words['rule'].split(chr(10)))}]", f"    l2([{_mermaid(words['conclusion'])}])",
              f"    l3((({_mermaid(*words['head'].split(chr(10)))})))",
              f"    l2 -- {_mermaid(words['supports'])} --> l1", f"    l1 -- {_mermaid(words['concludes'])} --> l3",
              f"    l2 -. {_mermaid(words['exception'])} .-> l1"]
    if active is not None:
        lines.append(f"    l2 == {_mermaid(words['active'])} ==> l3")
    lines.append("  end")
    return "\n".join(lines) + "\n"
