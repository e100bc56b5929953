"""Exact decisions, checked against the completions themselves (DESIGN.md section 5, issue 9).

For every undetermined finding, each completion of its `missing_facts` (the other unknown facts
left unknown) must decide it, and each listed fact must, alone, change its status in some
completion: the list is complete and minimal. A reason given in `because` must hold whatever the
unknown facts are; grounds that only might hold are `open_grounds`.
"""

from __future__ import annotations

import datetime as dt
import itertools
import random
from typing import Any

import pytest

from packs import read_scenario
from liability.declarations import bundled_vocabulary
from liability.bundled import scenarios_dir
from liability.conditions import FactTest
from liability.reasoner import Reasoner
from liability.scenario import SCENARIO_SUFFIXES, Scenario

VOCABULARY = bundled_vocabulary().facts
REASONER = Reasoner(engine="direct")
BUNDLED = sorted(p for p in scenarios_dir().rglob("*") if p.suffix in SCENARIO_SUFFIXES)
MAX_COMPLETIONS = 300
"""A finding with more completions than this is checked on a seeded sample of them."""


def _tests_of(path: str) -> list[FactTest]:
    return [atom for regime in REASONER.regimes for rule in REASONER.rulebook(regime).rules
            for atom in rule.fact_tests if atom.path == path]


def _domain(path: str) -> list[Any]:
    """Values for a fact, chosen from its kind and the rule packs, not from the decision code:
    every value of a closed list, each count threshold and the count just below it, every country
    code a rule names plus one none names, and lists of those codes."""
    spec = VOCABULARY[path]
    if spec.kind == "bool":
        return [True, False]
    if spec.kind == "choice":
        return list(spec.values)
    tests = _tests_of(path)
    if spec.kind == "count":
        thresholds = {t.value for t in tests if t.op == "at_least"}
        return sorted({0} | thresholds | {t - 1 for t in thresholds if t > 0})
    codes = sorted({code for t in tests for code in (t.value if isinstance(t.value, tuple) else (t.value,))})
    if spec.kind == "country":
        return codes + ["ZZ"]
    return [(), *((code,) for code in codes), tuple(codes)]  # lists, as tuples so completions hash


def _with(scenario: Scenario, values: dict[str, Any]) -> Scenario:
    sections: dict[str, dict[str, Any]] = {}
    for path, value in values.items():
        section, name = path.split(".", 1)
        sections.setdefault(section, {})[name] = list(value) if isinstance(value, tuple) else value
    update = {section: getattr(scenario, section).model_copy(update=changes) for section, changes in sections.items()}
    return scenario.model_copy(update=update)


def _status(scenario: Scenario, regime: str, head: str, proceeding: str) -> str:
    """The finding's status through the whole assessment. The findings of one regime share their
    completions, so each completion is assessed once for all of them."""
    key = (scenario.model_dump_json(), regime)
    if key not in _ASSESSED:
        if len(_ASSESSED) > 4096:
            _ASSESSED.clear()
        document = REASONER.assess(scenario, only=[regime], explain=False)
        _ASSESSED[key] = {(f.head, f.proceeding): f.status for f in document.regimes[0].findings}
    return _ASSESSED[key][(head, proceeding)]


_ASSESSED: dict[tuple[str, str], dict[tuple[str, str], str]] = {}


def _check_finding(scenario: Scenario, regime: str, finding, limit: int = MAX_COMPLETIONS) -> None:
    """Every completion of the finding's missing facts (past `limit`, a seeded sample of them)
    decides it, and for each listed fact the decision's witness (two completions that differ in
    that fact alone) is run through the whole assessment and gets two different statuses."""
    facts = list(finding.missing_facts)
    domains = [_domain(path) for path in facts]
    size = 1
    for domain in domains:
        size *= len(domain)
    if size <= limit:
        completions = itertools.product(*domains)
    else:
        rng = random.Random(f"{scenario.id}/{finding.head}/{finding.proceeding}")
        completions = (tuple(rng.choice(domain) for domain in domains) for _ in range(limit))
    for values in completions:
        assert _status(_with(scenario, dict(zip(facts, values))), regime, finding.head, finding.proceeding) \
            != "undetermined", (scenario.id, finding.head, dict(zip(facts, values)))
    decided = REASONER.decide(scenario, regime)
    diagrams = decided.statuses[(finding.head, finding.proceeding)].diagrams
    for path in facts:
        witness = decided.exact.witness(diagrams, path, facts)
        assert witness is not None, (scenario.id, finding.head, path)
        left, right = (_status(_with(scenario, completion), regime, finding.head, finding.proceeding)
                       for completion in witness)
        assert left != right and "undetermined" not in (left, right), \
            f"{scenario.id}: {finding.head} [{finding.proceeding}]: {path} is listed but changes nothing"


def _undetermined(scenario: Scenario):
    document = REASONER.assess(scenario, explain=False)
    return [(regime.regime, finding) for regime in document.regimes for finding in regime.findings
            if finding.status == "undetermined"]


@pytest.mark.parametrize("path", BUNDLED, ids=lambda p: p.stem)
def test_every_completion_of_the_missing_facts_decides_a_bundled_finding_and_each_fact_matters(path):
    scenario = read_scenario(path)
    for regime, finding in _undetermined(scenario):
        assert finding.missing_facts, (scenario.id, finding.head)
        _check_finding(scenario, regime, finding)


def _random_scenario(seed: int, unknown: float) -> Scenario:
    rng = random.Random(seed)
    data: dict[str, Any] = {"id": f"random-{seed}", "facts_date": dt.date(2005, 1, 1) + dt.timedelta(days=rng.randrange(7000)),
                            "judged_on": dt.date(2026, 1, 1)}
    for path, spec in VOCABULARY.items():
        if spec.kind == "text" or rng.random() < unknown:
            continue
        section, name = path.split(".", 1)
        value = rng.choice(_domain(path))
        data.setdefault(section, {})[name] = list(value) if isinstance(value, tuple) else value
    if data.get("victims", {}).get("minors") is False and data["victims"].get("under_15") is True:
        data["victims"]["under_15"] = False  # a child under 15 is a minor: the scenario would be refused
    return bundled_vocabulary().model.model_validate(data)


@pytest.mark.parametrize("unknown", [0.5, 0.9])
@pytest.mark.parametrize("seed", range(4))
def test_random_scenarios_with_many_unknown_facts_get_exact_findings(seed, unknown):
    scenario = _random_scenario(seed, unknown)
    for regime, finding in _undetermined(scenario):
        assert finding.missing_facts
        _check_finding(scenario, regime, finding, limit=12)


def _nearly_empty() -> Scenario:
    return bundled_vocabulary().model.model_validate({"id": "nearly-empty", "title": "A company, and nothing else",
                                    "facts_date": "2020-06-01", "judged_on": "2021-01-01",
                                    "actor": {"person": "legal"}})


def test_a_nearly_empty_scenario_gives_only_reasons_of_rules_that_certainly_hold():
    document = REASONER.assess(_nearly_empty(), explain=False)
    for regime in document.regimes:
        book = REASONER.rulebook(regime.regime)
        certain = {book.by_id[step.rule].because.en for step in regime.trace if step.certain}
        for finding in regime.findings:
            assert set(finding.because) <= certain | {"It holds whichever way the unknown facts turn out, on one or "
                                                      "another of the grounds that would also hold."} \
                or finding.status not in ("undetermined",) and not finding.derivation, finding.head
            if finding.status == "undetermined":
                assert finding.missing_facts and finding.deciding


def test_money_and_knowledge_left_out_are_not_reported_as_facts():
    scenario = read_scenario(next(p for p in BUNDLED if p.stem == "fr-escort-classifieds-paid-2019"))
    blank = {section: bundled_vocabulary().sections[section]() for section in ("money", "knowledge")}
    document = REASONER.assess(scenario.model_copy(update=blank), explain=False)
    because = [reason for regime in document.regimes for f in regime.findings for reason in f.because]
    grounds = [g.because for regime in document.regimes for f in regime.findings for g in f.open_grounds]
    assert not any("takes a cut" in reason or "share of" in reason for reason in because)
    assert any("charges for posting" in ground for ground in grounds)


def test_a_head_whose_texts_are_not_yet_in_force_is_not_applicable_not_unmet():
    scenario = bundled_vocabulary().model.model_validate({"id": "before-fosta", "facts_date": "2014-06-01", "judged_on": "2016-01-01",
                                        "regimes": ["us"]})
    document = REASONER.assess(scenario, explain=False)
    finding = next(f for f in document.regimes[0].findings if f.head == "us.2421a")
    assert finding.status == "not_applicable"
    assert any("not in force on 1 June 2014" in reason for reason in finding.because)


def test_facts_older_than_every_text_of_a_regime_are_warned_about():
    scenario = bundled_vocabulary().model.model_validate({"id": "too-old", "facts_date": "1980-01-01", "judged_on": "1981-01-01",
                                        "regimes": ["fr"]})
    (regime,) = REASONER.assess(scenario, explain=False).regimes
    assert regime.warnings and "1 January 1980" in regime.warnings[0]
    assert {f.status for f in regime.findings} == {"not_applicable"}


def test_closing_questions_ask_only_about_the_regimes_asked_for_most_decisive_first():
    scenario = _nearly_empty().model_copy(update={"regimes": ["fr"]})
    document = REASONER.assess(scenario, explain=False)
    assert document.questions
    assert all(decided.regime == "fr" for q in document.questions for decided in q.decides)
    counts = [len(q.decides) for q in document.questions]
    assert counts == sorted(counts, reverse=True)
    only_us = REASONER.assess(_nearly_empty(), only=["us"], explain=False)
    assert all(decided.regime == "us" for q in only_us.questions for decided in q.decides)
