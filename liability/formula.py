"""The combinations of facts that lead to each outcome, as a minimal formula said in words.

A sweep (and any command that asks "in which combinations does X happen?") ends with a diagram per
outcome over the encodings of some facts. A reader wants it as a rule of thumb: "liable when:
charges to publish in the adult section and knows of specific illicit items, or takes a share of
prostitution earnings". That is a sum of products of the facts' value classes, and the shortest one
is found by sympy's Quine-McCluskey minimiser (:func:`sympy.logic.SOPform`), given the codes no
class uses as don't-cares.

Quine-McCluskey works on every point where the function holds or may hold, so its cost grows with
their number. An outcome over more than :data:`MINIMISED_VARIABLES` diagram variables and with more
than :data:`MINIMISED_POINTS` such points is not minimised: its formula is the diagram's own
disjoint cubes, still exact, and says so (``minimised`` false), never silently.

A fact's dimension is one column of a decision table: a true/false, choice or count fact is one
dimension whose classes are its value classes; a list of countries has one dimension per region of
codes the rules test ("includes FR" / "does not include FR").
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Iterable, Iterator, Mapping, Sequence

from .decide import Encoding, FactEncodings, Node
from .scenario import FactSpec
from .values import WORDS, phrase_words

MINIMISED_VARIABLES = 8
"""Diagram variables an outcome may always depend on and still be minimised: Quine-McCluskey takes
about 0.4 s on the worst function of 8 variables here, and several times more with each further one."""
MAX_TERMS = 2_000
"""Products a formula or a table lists at most: beyond, it is refused (:class:`TooManyTerms`),
never cut short (a table of 2,000 rows is already past reading)."""


class TooManyTerms(ValueError):
    """A set of combinations whose exact listing would exceed :data:`MAX_TERMS` products."""


MINIMISED_POINTS = 160
"""Over more variables, the points (combinations where the outcome holds, and unused codes) it may
have and still be minimised: about 0.5 s at worst here, whatever the number of variables."""


@dataclass(frozen=True)
class Dimension:
    """One column of a decision table: a fact, or one region of a list of countries."""

    fact: str
    region: str | None
    """For a list of countries, the codes of the region (else None)."""
    variables: tuple[str, ...]
    classes: tuple[str, ...]
    """The class labels, as a scenario file writes them (`true`, `operator or executive`...)."""
    nodes: tuple[Node, ...]
    """Each class's diagram, exactly: a code no class uses belongs to none."""
    values: tuple[Any, ...]
    """A value standing for each class (for a region, its first code when included, else None)."""

    @property
    def name(self) -> str:
        return self.fact if self.region is None else f"{self.fact} [{self.region}]"


@dataclass(frozen=True)
class Literal:
    """A dimension restricted to some of its classes (a test of one fact in a product)."""

    fact: str
    region: str | None
    classes: tuple[str, ...]


@dataclass(frozen=True)
class Formula:
    """The combinations leading to one outcome: a sum of products of literals."""

    outcome: str
    terms: tuple[tuple[Literal, ...], ...]
    """() for no combination; ((),) for every combination."""
    minimised: bool
    """False when the formula is the diagram's disjoint cubes (exact, not minimised)."""


def dimensions(manager: Any, encodings: Sequence[Encoding]) -> list[Dimension]:
    """The dimensions of these facts' encodings, in their order."""
    found = []
    for encoding in encodings:
        if encoding.regions:
            for index in range(0, len(encoding.classes), 2):
                included, excluded = encoding.classes[index], encoding.classes[index + 1]
                region = included.label.removeprefix("includes ").removeprefix("one of ")
                found.append(Dimension(encoding.path, region, (included.assignment[0][0],),
                                       (included.label, excluded.label), (included.selector, excluded.selector),
                                       (included.value, None)))
            continue
        exact = [_exact_code(manager, encoding.variables, code) for code in range(len(encoding.classes))]
        found.append(Dimension(encoding.path, None, encoding.variables, tuple(c.label for c in encoding.classes),
                               tuple(exact), tuple(c.value for c in encoding.classes)))
    return found


def _exact_code(manager: Any, variables: tuple[str, ...], code: int) -> Node:
    node = manager.true
    for bit, variable in enumerate(variables):
        literal = manager.var(variable)
        node &= literal if code >> bit & 1 else ~literal
    return node


def valid(manager: Any, dims: Sequence[Dimension]) -> Node:
    """The assignments in which every dimension takes one of its classes (no unused code)."""
    node = manager.true
    for dim in dims:
        some = manager.false
        for class_node in dim.nodes:
            some |= class_node
        node &= some
    return node


def formulas_of(encodings: FactEncodings, diagrams: Mapping[str, Node]) -> tuple[list[Dimension], list[Formula]]:
    """For diagrams over any of a regime's facts (the combinations where a reform changes the
    outcome, say): the dimensions of the facts they depend on, in the vocabulary's order, and each
    outcome's formula over them."""
    manager = encodings.manager
    support = {variable for node in diagrams.values() for variable in manager.support(node)}
    owners = {encodings.owner[variable] for variable in support}
    dims = dimensions(manager, [encoding for path, encoding in encodings.encodings.items() if path in owners])
    return dims, formulas(manager, diagrams, dims)


def formulas(manager: Any, diagrams: Mapping[str, Node], dims: Sequence[Dimension],
             possible: Node | None = None) -> list[Formula]:
    """Each outcome's diagram (over the variables of `dims` only) as a formula, minimised where it
    depends on at most :data:`MINIMISED_VARIABLES` variables, exact either way. Only the codes of
    classes count, and only the combinations in `possible` (default: all; a combination a scenario
    cannot state, such as a child under 15 who is not a minor, is outside it): what a diagram says
    elsewhere is ignored."""
    known = {variable for dim in dims for variable in dim.variables}
    result = []
    for outcome, node in diagrams.items():
        stray = set(manager.support(node)) - known
        if stray:
            raise ValueError(f"the diagram of `{outcome}` depends on variables outside the dimensions: {sorted(stray)}")
        result.append(_formula(manager, outcome, node, dims, manager.true if possible is None else possible))
    return result


def _formula(manager: Any, outcome: str, node: Node, dims: Sequence[Dimension], possible: Node) -> Formula:
    if node & valid(manager, dims) & possible == manager.false:
        return Formula(outcome, (), True)
    support = set(manager.support(node))
    touched = [dim for dim in dims if support & set(dim.variables)]
    variables = [variable for dim in touched for variable in dim.variables]
    if not variables:
        return Formula(outcome, ((),), True)
    # a combination of the touched facts counts if some combination of the others makes it possible
    others = set(manager.support(possible)) - set(variables)
    everywhere = valid(manager, touched) & (manager.exist(others, possible) if others else possible)
    if not _small(manager, node, variables, everywhere):
        return Formula(outcome, tuple(disjoint_terms(manager, node & everywhere, touched)), False)
    return Formula(outcome, _minimal(manager, node, touched, variables, everywhere), True)


def _small(manager: Any, node: Node, variables: list[str], everywhere: Node) -> bool:
    """Whether Quine-McCluskey can minimise the outcome within the bounds above."""
    if len(variables) <= MINIMISED_VARIABLES:
        return True
    width = len(variables)
    points = manager.count(node & everywhere, nvars=width) + (1 << width) - manager.count(everywhere, nvars=width)
    return points <= MINIMISED_POINTS


def disjoint_terms(manager: Any, node: Node, dims: Sequence[Dimension]) -> list[tuple[Literal, ...]]:
    """The diagram's paths as products of literals: every combination of classes the diagram holds
    in is in exactly one of them."""
    found: dict[tuple[Literal, ...], None] = {}
    for cube in cubes(manager, node):
        term = literals(manager, cube, dims)
        if term is not None:
            found[term] = None
            if len(found) > MAX_TERMS:
                raise TooManyTerms(f"more than {MAX_TERMS:,} products")
    return list(found)


def _minimal(manager: Any, node: Node, dims: Sequence[Dimension], variables: list[str],
             everywhere: Node) -> tuple[tuple[Literal, ...], ...]:
    """The shortest sum of products, by sympy, the unused codes and impossible combinations given
    as don't-cares."""
    from sympy import And, Not, Or, Symbol, false, true
    from sympy.logic import SOPform

    symbols = [Symbol(variable) for variable in variables]
    position = {variable: index for index, variable in enumerate(variables)}
    minterms = []
    for assignment in manager.pick_iter(node & everywhere, care_vars=set(variables)):
        point = [0] * len(variables)
        for variable, value in assignment.items():
            point[position[variable]] = int(value)
        minterms.append(point)
    dontcares = []
    for assignment in manager.pick_iter(~everywhere, care_vars=set(variables)):
        point = [0] * len(variables)
        for variable, value in assignment.items():
            point[position[variable]] = int(value)
        dontcares.append(point)
    expression = SOPform(symbols, minterms, dontcares)
    if expression == true:
        return ((),)
    if expression == false:
        return ()
    terms = expression.args if isinstance(expression, Or) else (expression,)
    found = []
    for term in terms:
        parts = term.args if isinstance(term, And) else (term,)
        cube = {}
        for part in parts:
            if isinstance(part, Not):
                cube[str(part.args[0])] = False
            else:
                cube[str(part)] = True
        term = literals(manager, cube, dims)
        if term is not None:
            found.append(term)
    return tuple(sorted(_dedup(found), key=lambda term: (len(term), [(lit.fact, lit.classes) for lit in term])))


def _dedup(terms: Iterable[tuple[Literal, ...]]) -> list[tuple[Literal, ...]]:
    return list(dict.fromkeys(terms))


def cubes(manager: Any, node: Node) -> Iterator[dict[str, bool]]:
    """The diagram's paths to true: disjoint partial assignments whose union is the diagram."""
    if node == manager.false:
        return
    if node == manager.true:
        yield {}
        return
    variable = node.var
    for value in (False, True):
        for cube in cubes(manager, manager.let({variable: value}, node)):
            yield {variable: value, **cube}


def literals(manager: Any, cube: Mapping[str, bool], dims: Sequence[Dimension]) -> tuple[Literal, ...] | None:
    """A partial assignment as one literal per dimension it restricts (all classes: no literal);
    None when it leaves some dimension no class (it covers unused codes only)."""
    found = []
    for dim in dims:
        part = {variable: value for variable, value in cube.items() if variable in dim.variables}
        if not part:
            continue
        allowed = tuple(label for label, class_node in zip(dim.classes, dim.nodes)
                        if manager.let(part, class_node) != manager.false)
        if not allowed:
            return None
        if len(allowed) < len(dim.classes):
            found.append(Literal(dim.fact, dim.region, allowed))
    return tuple(found)


# -- in words -----------------------------------------------------------------------------------------

PHRASES = {
    "en": {"when": "{outcome} when: {formula}", "never": "in no combination", "always": "in every combination",
           "not": "not ({fact})", "or": "; or ", "and": " and ", "not_minimised": " (exact, not minimised)",
           "values": "{fact}: {values}"},
    "fr": {"when": "{outcome} si\u00a0: {formula}", "never": "dans aucune combinaison",
           "always": "dans toutes les combinaisons", "not": "non ({fact})", "or": "\u00a0; ou ", "and": " et ",
           "not_minimised": " (exacte, non minimisée)", "values": "{fact}\u00a0: {values}"},
}

_TRAILING_NOTE = re.compile(r"\s*\([^()]*\)\s*$")


def short_name(spec: FactSpec | None, lang: str, path: str) -> str:
    """A fact in a few words: its help text from the facts file, without a closing note in
    parentheses, starting lower-case; the path when the facts file gives no help."""
    text = spec.help.get(lang) if spec is not None and spec.help is not None else None
    if not text:
        return path
    text = _TRAILING_NOTE.sub("", text) or text
    return text[:1].lower() + text[1:]


def literal_words(literal: Literal, facts: Mapping[str, FactSpec], lang: str) -> str:
    """One literal in words: `charges to publish in the adult section`, `not (...)`, `what kind
    of service it is: classifieds or forum`."""
    spec = facts.get(literal.fact)
    name = short_name(spec, lang, literal.fact)
    phrases = PHRASES[lang]
    if spec is not None and spec.kind == "bool" and len(literal.classes) == 1:
        return name if literal.classes[0] == "true" else phrases["not"].format(fact=name)
    labels = spec.labels_in(lang) if spec is not None else {}
    said = f" {WORDS[lang]['or']} ".join(phrase_words(label, labels, lang) for label in literal.classes)
    return phrases["values"].format(fact=name, values=said)


def formula_words(formula: Formula, outcome_words: str, facts: Mapping[str, FactSpec], lang: str) -> str:
    """The formula as a sentence: "liable when: a and b; or c"."""
    phrases = PHRASES[lang]
    if not formula.terms:
        body = phrases["never"]
    elif formula.terms == ((),):
        body = phrases["always"]
    else:
        body = phrases["or"].join(phrases["and"].join(literal_words(lit, facts, lang) for lit in term)
                                  for term in formula.terms)
    sentence = phrases["when"].format(outcome=outcome_words, formula=body)
    return sentence + ("" if formula.minimised else phrases["not_minimised"])
