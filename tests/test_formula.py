"""Formulas of outcomes over value classes, checked against brute-force truth tables.

A formula is built from a diagram over some facts' encodings; whatever the diagram, a combination
of classes must satisfy the formula exactly when the diagram holds in it, minimised or not, and the
words must say the facts and values as the facts file does, in English and in French.
"""

from __future__ import annotations

import itertools
import random

import pytest

from liability.formula import (MINIMISED_VARIABLES, Dimension, Formula, Literal, dimensions, formula_words,
                               formulas, formulas_of)
from liability.reasoner import Reasoner

REASONER = Reasoner(engine="direct")
ENCODINGS = REASONER.encodings("fr")
MANAGER = ENCODINGS.manager
FACTS = REASONER.vocabulary.facts
SMALL = ["money.posting_fees", "knowledge.actual_knowledge", "money.share_of_proceeds", "actor.position"]
"""Three true/false facts and a choice of seven classes (three variables, one code unused)."""


def _dims(paths: list[str]) -> list[Dimension]:
    return dimensions(MANAGER, [ENCODINGS.encodings[path] for path in paths])


def _points(dims: list[Dimension]) -> list[tuple[int, ...]]:
    return list(itertools.product(*(range(len(dim.classes)) for dim in dims)))


def _node(dims: list[Dimension], point: tuple[int, ...]):  # type: ignore[no-untyped-def]
    node = MANAGER.true
    for dim, index in zip(dims, point):
        node &= dim.nodes[index]
    return node


def _satisfies(formula: Formula, dims: list[Dimension], point: tuple[int, ...]) -> bool:
    label = {(dim.fact, dim.region): dim.classes[index] for dim, index in zip(dims, point)}
    return any(all(label[(lit.fact, lit.region)] in lit.classes for lit in term) for term in formula.terms)


def _random_table(dims: list[Dimension], seed: int, share: float) -> set[tuple[int, ...]]:
    chooser = random.Random(seed)
    return {point for point in _points(dims) if chooser.random() < share}


@pytest.mark.parametrize("seed", range(6))
def test_minimised_formula_holds_exactly_on_its_truth_table(seed: int) -> None:
    dims = _dims(SMALL)
    table = _random_table(dims, seed, share=(seed + 1) / 8)
    node = MANAGER.false
    for point in table:
        node |= _node(dims, point)
    (formula,) = formulas(MANAGER, {"liable": node}, dims)
    assert formula.minimised
    for point in _points(dims):
        assert _satisfies(formula, dims, point) == (point in table), point


def test_a_formula_over_too_many_variables_is_exact_and_says_it_is_not_minimised() -> None:
    paths = [path for path, encoding in ENCODINGS.encodings.items() if not encoding.regions][:12]
    dims = _dims(paths)
    assert sum(len(dim.variables) for dim in dims) > MINIMISED_VARIABLES
    chooser = random.Random(5)
    node = MANAGER.false
    for _ in range(6):  # six random products of one class of each of five facts
        term = MANAGER.true
        for dim in chooser.sample(dims, 5):
            term &= dim.nodes[chooser.randrange(len(dim.classes))]
        node |= term
    (formula,) = formulas(MANAGER, {"liable": node}, dims)
    assert not formula.minimised
    assert formula_words(formula, "liable", FACTS, "en").endswith("(exact, not minimised)")
    assert formula_words(formula, "constituée", FACTS, "fr").endswith("(exacte, non minimisée)")
    chooser = random.Random(9)
    for _ in range(2000):  # the truth table has millions of rows: a seeded sample of them
        point = tuple(chooser.randrange(len(dim.classes)) for dim in dims)
        assert _satisfies(formula, dims, point) == (MANAGER.let(_assignment(dims, point), node) == MANAGER.true)


def _assignment(dims: list[Dimension], point: tuple[int, ...]) -> dict[str, bool]:
    assignment: dict[str, bool] = {}
    for dim, index in zip(dims, point):
        assignment.update(MANAGER.pick(dim.nodes[index]) or {})
    return assignment


def test_the_shortest_sum_of_products_is_found() -> None:
    """(fees and knowledge) or share, written as its six minterms, comes back as two products."""
    dims = _dims(SMALL[:3])
    fees, knows, share = (dim.nodes[dim.classes.index("true")] for dim in dims)
    (formula,) = formulas(MANAGER, {"liable": (fees & knows) | share}, dims)
    assert formula.terms == ((Literal("money.share_of_proceeds", None, ("true",)),),
                             (Literal("money.posting_fees", None, ("true",)),
                              Literal("knowledge.actual_knowledge", None, ("true",))))


def test_classes_that_share_an_outcome_are_one_literal() -> None:
    dims = _dims(["actor.position"])
    (position,) = dims
    chosen = position.nodes[0] | position.nodes[1]
    (formula,) = formulas(MANAGER, {"liable": chosen}, dims)
    assert formula.terms == ((Literal("actor.position", None, tuple(position.classes[:2])),),)


@pytest.mark.parametrize("lang, expected", [
    ("en", "liable when: takes a share of prostitution earnings; or charges to publish in the adult section "
           "and not (knows of specific illicit items)"),
    ("fr", "constituée si\u00a0: prend une part des gains de la prostitution\u00a0; ou fait payer la publication "
           "dans la rubrique adulte et non (connaît des contenus illicites précis)"),
])
def test_words_in_both_languages(lang: str, expected: str) -> None:
    dims = _dims(SMALL[:3])
    fees, knows, share = (dim.nodes[dim.classes.index("true")] for dim in dims)
    (formula,) = formulas(MANAGER, {"liable": (fees & ~knows) | share}, dims)
    outcome = "liable" if lang == "en" else "constituée"
    assert formula_words(formula, outcome, FACTS, lang) == expected


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_a_choice_reads_with_its_labels(lang: str) -> None:
    dims = _dims(["actor.position"])
    (formula,) = formulas(MANAGER, {"liable": dims[0].nodes[0]}, dims)
    words = formula_words(formula, "x", FACTS, lang)
    assert FACTS["actor.position"].label("operator", lang) in words


def test_never_and_always() -> None:
    dims = _dims(SMALL[:2])
    never, always = formulas(MANAGER, {"a": MANAGER.false, "b": MANAGER.true}, dims)
    assert never.terms == () and always.terms == ((),)
    assert formula_words(never, "liable", FACTS, "en") == "liable when: in no combination"
    assert formula_words(always, "responsable", FACTS, "fr") == "responsable si\u00a0: dans toutes les combinaisons"


def test_a_diagram_over_other_facts_is_refused() -> None:
    dims = _dims(SMALL[:1])
    other = _dims(SMALL[1:2])[0].nodes[0]
    with pytest.raises(ValueError, match="outside the dimensions"):
        formulas(MANAGER, {"liable": other}, dims)


def test_a_diagram_over_any_facts_of_a_regime_finds_its_own_dimensions() -> None:
    """What another command holds (a reform's changed combinations) is a diagram over whichever
    facts: the formula is read over the facts it depends on, and only those."""
    fees, _, share, position = _dims(SMALL)
    dims, (formula,) = formulas_of(ENCODINGS, {"changed": fees.nodes[0] & ~share.nodes[0] & position.nodes[0]})
    assert [dim.fact for dim in dims] == [dim.fact for dim in sorted(
        (fees, share, position), key=lambda dim: list(ENCODINGS.encodings).index(dim.fact))]
    assert formula.minimised and len(formula.terms) == 1 and len(formula.terms[0]) == 3


def test_a_rare_outcome_over_many_facts_is_still_minimised() -> None:
    """Few combinations reach it, so Quine-McCluskey has few points to work on, whatever the
    number of facts."""
    paths = [path for path, encoding in ENCODINGS.encodings.items() if len(encoding.variables) == 1
             and not encoding.regions][:12]
    dims = _dims(paths)
    assert len(dims) == 12 > MINIMISED_VARIABLES
    node = MANAGER.true
    for dim in dims[:11]:
        node &= dim.nodes[0]
    (formula,) = formulas(MANAGER, {"liable": node}, dims)  # 2 points: the twelfth fact either way
    assert formula.minimised
    assert formula.terms == (tuple(Literal(dim.fact, None, (dim.classes[0],)) for dim in dims[:11]),)
