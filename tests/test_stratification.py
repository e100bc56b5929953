"""Negation strata (DESIGN.md section 3): experta has no truth maintenance, so order is soundness."""

from __future__ import annotations

import datetime as dt
import itertools
from pathlib import Path

import networkx as nx
import pytest
from packs import pack, write_rules
from packs import rule as rule_text

from liability.declarations import bundled_vocabulary
from liability import evaluator
from liability.conditions import branches
from liability.engine import Engine
from liability.graph import dependency_graph
from liability.loading import load_rulebook
from liability.plan import scenario_facts
from liability.rulebook import RuleError, load_regimes
from liability.scenario import Scenario

STRATA = Path(__file__).parent / "fixtures" / "rules-strata"
ANCESTRY_OF_X = {"st.r.x-from-y", "st.r.y", "st.r.z", "st.r.x-direct"}


@pytest.fixture(scope="module")
def book():
    return load_rulebook(load_regimes(STRATA)["st"], STRATA)


@pytest.fixture(scope="module")
def engine(book):
    return Engine(book)


def compiled_rules(engine: Engine):
    """(salience, rule id, certain variant?) of every experta rule in the compiled engine class."""
    result = []
    for experta_rule in engine._engine.get_rules():
        fire = experta_rule._wrapped
        cells = dict(zip(fire.__code__.co_freevars, (c.cell_contents for c in fire.__closure__)))
        result.append((experta_rule.salience, cells["rule"].id, cells["certain"]))
    return result


def scenario(**sections) -> Scenario:
    """A scenario with the given sections; `None` stands for a fact written as `unknown`."""
    written = {name: {key: "unknown" if value is None else value for key, value in facts.items()}
               for name, facts in sections.items()}
    return bundled_vocabulary().model.model_validate({"id": "strata", "facts_date": "2014-06-01", **written})


def rule_ancestry(book, conclusion: str) -> set[str]:
    graph = dependency_graph(book)
    return {name for kind, name in nx.ancestors(graph, ("conclusion", conclusion)) if kind == "rule"}


def test_the_fixture_lists_the_negating_rule_before_every_producer_of_what_it_negates(book):
    positions = {rule.id: index for index, rule in enumerate(book.rules)}
    assert all(positions["st.r.free"] < positions[ancestor] for ancestor in ANCESTRY_OF_X)
    assert rule_ancestry(book, "st.x") == ANCESTRY_OF_X


def test_a_negative_cycle_is_rejected_at_load_time(tmp_path):
    write_rules(tmp_path, pack(
        rule_text("tt.r.x", "{all: [money.posting_fees, {not: tt.y}]}", "tt.x"),
        rule_text("tt.r.y", "{any: [tt.z, money.promotion_fees]}", "tt.y"),
        rule_text("tt.r.z", "tt.x", "tt.z")))
    with pytest.raises(RuleError) as caught:
        load_rulebook(load_regimes(tmp_path)["tt"], tmp_path)
    (problem,) = caught.value.problems
    assert problem.startswith(f"{tmp_path / 'a.yaml'}: tt.r.x: negates `tt.y`")
    assert "cycle through tt.x -> tt.y -> tt.z" in problem


def test_a_positive_cycle_is_allowed(tmp_path):
    write_rules(tmp_path, pack(
        rule_text("tt.r.a", "{any: [money.posting_fees, tt.b]}", "tt.a"),
        rule_text("tt.r.b", "tt.a", "tt.b")))
    book = load_rulebook(load_regimes(tmp_path)["tt"], tmp_path)
    assert book.stratum == {"tt.r.a": 0, "tt.r.b": 0}
    run = Engine(book).run(scenario(money={"posting_fees": True}), book.in_force_on(dt.date(2014, 6, 1)))
    assert run.closure.certain == {"tt.a", "tt.b"}


def test_a_rule_that_negates_x_is_in_a_higher_stratum_than_every_rule_in_xs_ancestry(book):
    assert book.stratum["st.r.free"] > max(book.stratum[r] for r in ANCESTRY_OF_X)
    for rule in book.rules:
        for negated in rule.negated:
            for ancestor in rule_ancestry(book, negated):
                assert book.stratum[rule.id] > book.stratum[ancestor], (rule.id, negated, ancestor)


def test_a_rule_is_in_no_lower_stratum_than_the_producers_of_its_premises(book):
    for rule in book.rules:
        for premise in rule.premises:
            for producer in book.producers[premise]:
                assert book.stratum[rule.id] >= book.stratum[producer.id], (rule.id, producer.id)


def test_strata_are_the_smallest_that_respect_negation(book):
    assert book.stratum == {"st.r.x-from-y": 0, "st.r.y": 0, "st.r.z": 0, "st.r.x-direct": 0,
                            "st.r.twin-a": 0, "st.r.twin-b": 0,
                            "st.r.free": 1, "st.r.w": 1, "st.r.late": 2}


def test_the_firing_order_is_stratum_first_then_pack_order(book):
    assert [rule.id for rule in book.order] == [
        "st.r.x-from-y", "st.r.y", "st.r.z", "st.r.x-direct", "st.r.twin-a", "st.r.twin-b",
        "st.r.free", "st.r.w", "st.r.late"]


THREE = [True, False, None]


@pytest.mark.parametrize(("posting", "promotion", "awareness", "editing"),
                         list(itertools.product(THREE, repeat=4)))
def test_in_the_trace_a_rule_that_negates_x_never_fires_before_a_producer_of_x(
        book, engine, posting, promotion, awareness, editing):
    case = scenario(money={"posting_fees": posting, "promotion_fees": promotion},
                    knowledge={"general_awareness": awareness}, conduct={"edits_content": editing})
    run = engine.run(case, book.in_force_on(case.facts_date))
    steps = [step.rule for step in run.trace]
    negating = [index for index, rule in enumerate(steps) if rule == "st.r.free"]
    producing = [index for index, rule in enumerate(steps) if rule in ANCESTRY_OF_X]
    if negating and producing:
        assert max(producing) < min(negating), steps
    expected = evaluator.closure(book.order, book, scenario_facts(case))
    assert run.closure == expected


def test_a_negation_is_not_concluded_when_a_later_listed_rule_establishes_what_it_negates(book, engine):
    case = scenario(money={"posting_fees": True, "promotion_fees": True},
                    knowledge={"general_awareness": True},
                    conduct={"edits_content": False, "coaches_posters": True})
    run = engine.run(case, book.in_force_on(case.facts_date))
    assert "st.x" in run.closure.certain
    assert "st.free" not in run.closure.possible
    assert "st.late" in run.closure.certain  # `unless: [st.free]` holds because st.free was never drawn


def test_a_negation_of_a_merely_possible_conclusion_is_itself_only_possible(book, engine):
    case = scenario(money={"posting_fees": True, "promotion_fees": True},
                    knowledge={"general_awareness": None}, conduct={"edits_content": False})
    run = engine.run(case, book.in_force_on(case.facts_date))
    assert "st.x" in run.closure.possible - run.closure.certain
    assert "st.free" in run.closure.possible - run.closure.certain


def test_every_compiled_rule_has_its_own_salience(book, engine):
    compiled = compiled_rules(engine)
    saliences = [salience for salience, _, _ in compiled]
    assert len(set(saliences)) == len(saliences)
    expected = sum(2 * len(branches(rule.condition)) for rule in book.rules)
    assert len(compiled) == expected


def test_saliences_decrease_with_the_stratum_and_certain_variants_come_before_possible_ones(book, engine):
    compiled = compiled_rules(engine)
    for (s1, r1, c1), (s2, r2, c2) in itertools.product(compiled, repeat=2):
        if book.stratum[r1] < book.stratum[r2]:
            assert s1 > s2, (r1, r2)
        if book.stratum[r1] == book.stratum[r2] and c1 and not c2:
            assert s1 > s2, (r1, r2)


def test_two_rules_with_the_same_condition_both_fire(book, engine):
    case = scenario(money={"posting_fees": True})
    run = engine.run(case, book.in_force_on(case.facts_date))
    assert [s.rule for s in run.trace if s.concluded == "st.twin"] == ["st.r.twin-a", "st.r.twin-b"]
