"""The dependency graph of a rulebook: strata, firing order, lint, and drawings.

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
from typing import TYPE_CHECKING

import networkx as nx

from .render import visible

if TYPE_CHECKING:
    from .rulebook import Rulebook


def dependency_graph(book: "Rulebook") -> nx.DiGraph:
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


def stratify(book: "Rulebook") -> None:
    """Compute each rule's stratum and the firing order; reject negation inside a cycle."""
    from .rulebook import RuleError

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


def lint(book: "Rulebook") -> list[str]:
    """Warnings that do not stop loading but that a reviewer should see."""
    from .rulebook import element_warnings

    warnings = element_warnings(book)
    used = {c for rule in book.rules for c in rule.premises | rule.negated}
    used |= {c for head in book.heads.values() for p in head.proceedings for c, _ in head.outcomes_for(p)}
    for conclusion, producers in book.producers.items():
        if conclusion not in used:
            ids = ", ".join(r.id for r in producers)
            warnings.append(f"{producers[0].file}: {ids}: concludes `{conclusion}`, which is neither a "
                            "head nor used by another rule")
    for rule in book.rules:
        if rule.strength == "arguable" and "?" not in rule.because.en and "open" not in rule.because.en.lower() \
                and "question" not in rule.because.en.lower():
            warnings.append(f"{rule.file}: {rule.id}: arguable, but `because` does not name the open question")
    return warnings


Edge = tuple[tuple[str, str], tuple[str, str]]
EDGE_TYPES = ("concludes", "supports", "exception", "overrides")


def edge_types(book: "Rulebook", graph: nx.DiGraph | None = None) -> dict[Edge, str]:
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


def active_edges(book: "Rulebook", fired: set[str], holding: set[str]) -> set[Edge]:
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


def to_dot(book: "Rulebook", active: set[Edge] | None = None) -> str:
    """Graphviz DOT: one cluster per instrument, rules as boxes, conclusions as ellipses (heads
    doubled), exceptions dashed and overrides red; with `active`, the edges of a run in bold."""
    lines = [f"digraph {_dot(book.regime)} {{", "  rankdir=LR;", '  node [fontname="Helvetica"];']
    types = edge_types(book)
    by_pack: dict[str, list[str]] = {}
    for rule in book.rules:
        by_pack.setdefault(rule.pack, []).append(rule.id)
    for index, (pack, rules) in enumerate(by_pack.items()):
        lines.append(f"  subgraph cluster_{index} {{ label={_dot(pack)}; style=rounded;")
        for rule_id in rules:
            label = _dot(rule_id, book.by_id[rule_id].cites)
            lines.append(f"    {_dot(rule_id)} [shape=box, label={label}];")
        lines.append("  }")
    for conclusion in sorted({rule.conclusion for rule in book.rules}):
        shape = "doublecircle" if conclusion in book.heads else "ellipse"
        lines.append(f"  {_dot(conclusion)} [shape={shape}];")
    for (source, target), kind in types.items():
        attributes = [a for a in (_DOT_STYLE[kind],) if a]
        if active is not None:
            attributes.append("penwidth=2.5" if (source, target) in active else 'color="#bbbbbb"')
        style = f" [{', '.join(attributes)}]" if attributes else ""
        lines.append(f"  {_dot(source[1])} -> {_dot(target[1])}{style};")
    lines.append("}")
    return "\n".join(lines) + "\n"


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


def to_mermaid(book: "Rulebook", active: set[Edge] | None = None) -> str:
    """Mermaid flowchart of the same graph, for Markdown viewers; with `active`, the edges of a
    run are thick."""
    graph = dependency_graph(book)
    types = edge_types(book, graph)
    ids = {node: f"n{index}" for index, node in enumerate(sorted(graph.nodes))}
    lines = ["flowchart LR"]
    for node in sorted(graph.nodes):
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
    return "\n".join(lines) + "\n"
