"""The condition language of rule packs (DESIGN.md section 5): parsing, checking, Kleene logic, DNF."""

from __future__ import annotations

import itertools

import pytest

from liability.declarations import bundled_vocabulary
from liability import conditions
from liability.conditions import (
    Absent,
    All,
    Any_,
    ConditionError,
    FactTest,
    Holds,
    branches,
    conj,
    disj,
    evaluate,
    parse,
)

FACTS = bundled_vocabulary().facts
T, F, U = True, False, None


def rejects(data: object) -> str:
    """Parse `data`, expecting a ConditionError; return its message."""
    with pytest.raises(ConditionError) as caught:
        parse(data, FACTS)
    return str(caught.value)


# --- parsing: every form of the language -------------------------------------------------------

def test_a_bare_boolean_fact_means_the_fact_must_be_true():
    assert parse("money.posting_fees", FACTS) == FactTest("money.posting_fees", "true")


def test_a_bare_name_outside_the_scenario_sections_is_a_conclusion_that_must_hold():
    assert parse("zz.some-conclusion", FACTS) == Holds("zz.some-conclusion")


def test_is_tests_an_enumerated_fact_against_one_value():
    assert parse({"fact": "actor.person", "is": "legal"}, FACTS) == FactTest("actor.person", "is", "legal")


def test_is_may_require_a_boolean_fact_to_be_false():
    assert parse({"fact": "money.posting_fees", "is": False}, FACTS) == FactTest("money.posting_fees", "is", False)


def test_is_accepts_a_country_code_for_a_country_fact():
    assert parse({"fact": "service.established_in", "is": "FR"}, FACTS) == \
        FactTest("service.established_in", "is", "FR")


def test_in_tests_an_enumerated_fact_against_a_list_of_values_kept_in_order():
    parsed = parse({"fact": "content.kind", "in": ["trafficking_ads", "prostitution_ads"]}, FACTS)
    assert parsed == FactTest("content.kind", "in", ("trafficking_ads", "prostitution_ads"))


def test_at_least_tests_a_count_against_a_threshold():
    assert parse({"fact": "victims.count", "at_least": 2}, FACTS) == FactTest("victims.count", "at_least", 2)


def test_all_and_any_nest_and_keep_their_items_in_order():
    parsed = parse({"all": ["zz.a", {"any": ["money.posting_fees", {"not": "zz.b"}]}]}, FACTS)
    assert parsed == All((Holds("zz.a"), Any_((FactTest("money.posting_fees", "true"), Absent("zz.b")))))


def test_not_negates_a_conclusion():
    assert parse({"not": "zz.exempt"}, FACTS) == Absent("zz.exempt")


# --- rejection of malformed conditions, each with a message saying what was expected ----------

def test_an_unknown_fact_is_rejected_with_the_nearest_valid_fact():
    message = rejects("money.posting_fee")
    assert "unknown fact `money.posting_fee`" in message
    assert "did you mean `money.posting_fees`?" in message


def test_an_unknown_fact_in_a_fact_test_is_rejected_with_the_nearest_valid_fact():
    message = rejects({"fact": "knowledge.actual_knowlege", "is": True})
    assert "unknown fact `knowledge.actual_knowlege`" in message
    assert "did you mean `knowledge.actual_knowledge`?" in message


def test_a_bare_fact_that_is_not_boolean_is_rejected_and_the_message_shows_how_to_test_it():
    message = rejects("victims.count")
    assert "`victims.count` is not a true/false fact" in message
    assert "{fact: victims.count, is: ...}" in message


def test_not_on_a_fact_is_rejected_and_the_message_points_to_is_false():
    message = rejects({"not": "money.posting_fees"})
    assert "`not` negates a conclusion only" in message
    assert "{fact: path, is: false}" in message


def test_a_value_outside_an_enumeration_is_rejected_with_the_allowed_values():
    message = rejects({"fact": "content.kind", "is": "escort_ads"})
    assert "`content.kind` cannot be `escort_ads`" in message
    assert "prostitution_ads" in message and "trafficking_ads" in message


def test_a_value_outside_an_enumeration_is_rejected_inside_in_too():
    assert "cannot be `escort_ads`" in rejects({"fact": "content.kind", "in": ["csam", "escort_ads"]})


def test_a_boolean_fact_cannot_be_compared_with_a_string_such_as_yes():
    assert "`money.posting_fees` is true or false, not `yes`" in rejects({"fact": "money.posting_fees", "is": "yes"})


def test_a_country_fact_takes_a_two_letter_upper_case_code():
    assert "country code" in rejects({"fact": "service.established_in", "is": "france"})


def test_at_least_on_a_fact_that_is_not_a_count_is_rejected():
    message = rejects({"fact": "money.posting_fees", "at_least": 1})
    assert "`at_least` applies to counts; `money.posting_fees` is a bool fact" in message


@pytest.mark.parametrize("threshold", [-1, 1.5, "2", True])
def test_at_least_takes_a_non_negative_integer(threshold):
    assert "`at_least` takes a non-negative integer" in rejects({"fact": "victims.count", "at_least": threshold})


@pytest.mark.parametrize("key", ["any", "all"])
def test_an_empty_any_or_all_is_rejected(key):
    assert f"`{key}` takes a non-empty list of conditions" in rejects({key: []})


def test_in_with_an_empty_list_is_rejected():
    assert "`in` takes a non-empty list of values" in rejects({"fact": "content.kind", "in": []})


def test_a_fact_test_with_two_operators_is_rejected():
    assert "exactly one of is, in, at_least" in rejects({"fact": "victims.count", "is": 1, "at_least": 1})


def test_unknown_condition_keys_are_rejected_with_the_keys_of_the_language():
    message = rejects({"either": ["zz.a"]})
    assert "unknown condition keys ['either']" in message and "all, any, not" in message


@pytest.mark.parametrize("data", [None, 3, [], {}, ["zz.a"]])
def test_a_condition_must_be_a_name_or_a_mapping(data):
    assert "expected a fact, a conclusion, or one of all/any/not/fact" in rejects(data)


def test_a_list_of_values_cannot_be_tested_with_is():
    assert "cannot be tested with `is`" in rejects({"fact": "service.targets", "is": "FR"})


# --- three-valued (Kleene) logic ----------------------------------------------------------------

CONJ_TABLE = {  # written out, not computed: the specification of Kleene's "and"
    (T, T): T, (T, F): F, (T, U): U,
    (F, T): F, (F, F): F, (F, U): F,
    (U, T): U, (U, F): F, (U, U): U,
}
DISJ_TABLE = {  # Kleene's "or"
    (T, T): T, (T, F): T, (T, U): T,
    (F, T): T, (F, F): F, (F, U): U,
    (U, T): T, (U, F): U, (U, U): U,
}


@pytest.mark.parametrize(("left", "right"), list(CONJ_TABLE))
def test_conjunction_follows_kleenes_truth_table(left, right):
    assert conj([left, right]) is CONJ_TABLE[left, right]


@pytest.mark.parametrize(("left", "right"), list(DISJ_TABLE))
def test_disjunction_follows_kleenes_truth_table(left, right):
    assert disj([left, right]) is DISJ_TABLE[left, right]


def test_an_empty_conjunction_is_true_and_an_empty_disjunction_is_false():
    assert conj([]) is True
    assert disj([]) is False


@pytest.mark.parametrize(("left", "right"), list(CONJ_TABLE))
def test_all_of_two_facts_evaluates_like_kleenes_and_with_unknown_facts(left, right):
    condition = parse({"all": ["money.posting_fees", "money.promotion_fees"]}, FACTS)
    facts = {"money.posting_fees": left, "money.promotion_fees": right}
    assert evaluate(condition, facts, set(), set()) is CONJ_TABLE[left, right]


@pytest.mark.parametrize(("left", "right"), list(DISJ_TABLE))
def test_any_of_two_facts_evaluates_like_kleenes_or_with_unknown_facts(left, right):
    condition = parse({"any": ["money.posting_fees", "money.promotion_fees"]}, FACTS)
    facts = {"money.posting_fees": left, "money.promotion_fees": right}
    assert evaluate(condition, facts, set(), set()) is DISJ_TABLE[left, right]


def test_an_omitted_fact_is_unknown_not_false():
    condition = parse("money.posting_fees", FACTS)
    assert evaluate(condition, {}, set(), set()) is None
    assert evaluate(parse({"fact": "money.posting_fees", "is": False}, FACTS), {}, set(), set()) is None


@pytest.mark.parametrize(("state", "holds", "absent"), [
    ("certain", T, F),
    ("possible", U, U),
    ("absent", F, T),
])
def test_a_conclusion_and_its_negation_take_their_value_from_certain_and_possible(state, holds, absent):
    certain = {"zz.x"} if state == "certain" else set()
    possible = {"zz.x"} if state in ("certain", "possible") else set()
    assert evaluate(Holds("zz.x"), {}, certain, possible) is holds
    assert evaluate(Absent("zz.x"), {}, certain, possible) is absent


@pytest.mark.parametrize(("value", "expected"), [
    ("trafficking_ads", T), ("prostitution_ads", T), ("csam", F), (None, U),
])
def test_in_is_true_for_a_listed_value_false_for_another_and_unknown_for_unknown(value, expected):
    condition = parse({"fact": "content.kind", "in": ["prostitution_ads", "trafficking_ads"]}, FACTS)
    assert evaluate(condition, {"content.kind": value}, set(), set()) is expected


@pytest.mark.parametrize(("count", "expected"), [(0, F), (1, F), (2, T), (7, T), (None, U)])
def test_at_least_compares_a_count_with_its_threshold(count, expected):
    condition = parse({"fact": "victims.count", "at_least": 2}, FACTS)
    assert evaluate(condition, {"victims.count": count}, set(), set()) is expected


def test_a_boolean_test_does_not_match_the_integer_one_and_a_count_test_does_not_match_true():
    # experta's L(True) matches 1; the engine's predicates must not (DESIGN.md section 3 pitfalls).
    assert FactTest("money.posting_fees", "true").evaluate(1) is False
    assert FactTest("money.posting_fees", "is", True).evaluate(1) is False
    assert FactTest("victims.count", "at_least", 1).evaluate(True) is False
    assert FactTest("content.kind", "in", ("csam",)).evaluate(("csam",)) is False


# --- branches: the disjunctive normal form compiled into experta rules --------------------------

BOOL_FACTS = ["money.posting_fees", "money.promotion_fees", "knowledge.general_awareness",
              "knowledge.actual_knowledge"]
FORMULA = {
    "all": [
        {"any": ["money.posting_fees", {"all": ["money.promotion_fees", "zz.x"]}]},
        {"any": ["knowledge.general_awareness", {"not": "zz.y"}, "knowledge.actual_knowledge"]},
        {"any": [{"not": "zz.x"}, "money.posting_fees"]},
    ]
}


def _value_of_branches(condition, facts, certain, possible):
    return disj(conj(evaluate(atom, facts, certain, possible) for atom in branch)
                for branch in branches(condition))


def test_branches_are_conjunctions_of_atoms_only():
    result = branches(parse(FORMULA, FACTS))
    assert len(result) == 2 * 3 * 2
    assert all(isinstance(atom, (FactTest, Holds, Absent)) for branch in result for atom in branch)


def test_a_repeated_atom_appears_once_in_its_branch():
    condition = parse({"all": ["money.posting_fees", {"any": ["money.posting_fees", "zz.x"]}]}, FACTS)
    assert branches(condition) == [
        (FactTest("money.posting_fees", "true"),),
        (FactTest("money.posting_fees", "true"), Holds("zz.x")),
    ]


def test_branches_equal_direct_evaluation_on_every_three_valued_assignment():
    condition = parse(FORMULA, FACTS)
    states = {"certain": ({"c"}, {"c"}), "possible": (set(), {"c"}), "absent": (set(), set())}
    checked = 0
    for values in itertools.product([T, F, U], repeat=len(BOOL_FACTS)):
        facts = dict(zip(BOOL_FACTS, values))
        for x_state, y_state in itertools.product(states, repeat=2):
            certain = {f"zz.{name}" for name, state in (("x", x_state), ("y", y_state))
                       if state == "certain"}
            possible = {f"zz.{name}" for name, state in (("x", x_state), ("y", y_state))
                        if state != "absent"}
            direct = evaluate(condition, facts, certain, possible)
            assert _value_of_branches(condition, facts, certain, possible) is direct, (facts, certain, possible)
            checked += 1
    assert checked == 3 ** 4 * 3 ** 2


def test_a_condition_with_too_many_alternatives_is_rejected():
    pairs = [{"any": [f"zz.a{i}", f"zz.b{i}"]} for i in range(conditions.MAX_BRANCHES.bit_length())]
    with pytest.raises(ConditionError, match="more than 64 alternatives"):
        branches(parse({"all": pairs}, FACTS))


def test_describe_writes_a_condition_on_one_line():
    condition = parse({"all": ["zz.a", {"fact": "victims.count", "at_least": 2},
                               {"any": [{"not": "zz.b"}, {"fact": "content.kind", "in": ["csam", "other"]}]}]},
                      FACTS)
    assert conditions.describe(condition) == "(zz.a and victims.count >= 2 and (not zz.b or content.kind in [csam, other]))"
