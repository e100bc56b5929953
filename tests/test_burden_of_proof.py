"""A pleading or a trial record is decided as a court decides it: by the burden of proof.

A hypothetical leaves unknown facts open; a closed record (`alleged`, `established`) does not:
what was not alleged or not proven is not there. A defence nobody raised blocks nothing, in any
posture; a court's deductions (a company's fee policy is its management's act) fill what the
file leaves unstated, and say so.
"""

from __future__ import annotations

import copy
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from packs import read_scenario
from liability.declarations import bundled_vocabulary
from liability.bundled import scenarios_dir
from liability.decide import tests_by_fact as fact_tests_of, value_classes
from liability.findings import Finding
from liability.reasoner import Reasoner
from liability.scenario import NOT_SHOWN, SCENARIO_SUFFIXES, Scenario

REASONER = Reasoner()
VOCABULARY = bundled_vocabulary().facts

COMPANY: dict[str, Any] = {
    "id": "company", "facts_date": "2019-06-01", "judged_on": "2022-03-01", "regimes": ["fr"],
    "proceedings": ["criminal"],
    "actor": {"person": "legal", "position": "operator", "nationality": "FR"},
    "service": {"kind": "classifieds", "established_in": "FR", "targets": ["FR"], "audience": "public",
                "stores_user_content": True, "adult_section": True},
    "content": {"kind": "prostitution_ads", "remunerated": True, "physical_contact": True, "author": "third_party"},
    "money": {"posting_fees": True},
    "knowledge": {"general_awareness": True},
}
"""A company charging for ads in the escort section it runs, knowing what they are; nothing is
said about its organs."""


def scenario(base: dict[str, Any], posture: str, **sections: dict[str, Any]) -> Scenario:
    data = copy.deepcopy(base)
    data["posture"] = posture
    for section, values in sections.items():
        data.setdefault(section, {}).update(values)
    return bundled_vocabulary().model.model_validate(data)


def finding(s: Scenario, head: str, proceeding: str | None = None) -> Finding:
    document = REASONER.assess(s)
    return next(f for r in document.regimes for f in r.findings
                if f.head == head and (proceeding is None or f.proceeding == proceeding))


def _bundled() -> list[Scenario]:
    return [read_scenario(p) for p in sorted(scenarios_dir().rglob("*")) if p.suffix in SCENARIO_SUFFIXES]


# --- deductions -------------------------------------------------------------------------------

@pytest.mark.parametrize("posture", ["established", "hypothetical"])
def test_a_company_charging_for_ads_in_its_escort_section_is_liable_without_a_word_about_its_organs(posture):
    result = finding(scenario(COMPANY, posture), "fr.proxenetisme")
    assert result.status == "liable"
    assert any(reason.startswith("Deduced:") and "18 June 2013" in reason for reason in result.because)
    assert result.strength in ("likely", "arguable")  # never stronger than the deduction


def test_a_stated_fact_wins_over_the_deduction():
    denied = scenario(COMPANY, "established", actor={"organs_acted_on_its_behalf": False})
    assert finding(denied, "fr.proxenetisme").status == "not_liable"
    document = REASONER.assess(denied)
    assert document.regimes[0].deduced == []


def test_on_a_trial_record_the_proof_that_rebuts_a_deduction_is_among_what_the_record_lacks():
    result = finding(scenario(COMPANY, "established"), "fr.proxenetisme")
    assert ("actor.organs_acted_on_its_behalf", "false", "not_liable") in \
        {(p.fact, p.value, p.status) for p in result.not_shown}


def test_without_a_business_model_to_deduce_from_the_organs_stay_an_open_question():
    recruiting = scenario(COMPANY, "hypothetical", money={"posting_fees": False},
                          service={"adult_section": False}, conduct={"recruits_for_prostitution": True})
    result = finding(recruiting, "fr.proxenetisme")
    assert result.status == "undetermined"
    assert "actor.organs_acted_on_its_behalf" in result.missing_facts


# --- closed records -----------------------------------------------------------------------------

def test_on_a_closed_record_no_finding_is_undetermined():
    for bundled in _bundled():
        for posture in ("alleged", "established"):
            document = REASONER.assess(bundled.model_copy(update={"posture": posture}), explain=False)
            undetermined = [(r.regime, f.head) for r in document.regimes for f in r.findings
                            if f.status == "undetermined" or f.missing_facts]
            assert not undetermined, (bundled.id, posture, undetermined)


def test_what_the_record_does_not_state_fails_the_party_that_relied_on_it():
    silent = scenario(COMPANY, "established", money={"posting_fees": "unknown"}, knowledge={"general_awareness": "unknown"})
    result = finding(silent, "fr.proxenetisme")
    assert result.status == "not_liable"
    assert any("money.posting_fees not proven" in reason for reason in result.because)
    assert not any("= not_shown" in reason for reason in result.because)
    pleading = silent.model_copy(update={"posture": "alleged"})
    assert any("for want of an allegation that" in reason for reason in finding(pleading, "fr.proxenetisme").because)


def _statuses_with(record: Scenario, regime: str) -> dict[tuple[str, str], str]:
    """The status of each finding of `record` under `regime`, by head and proceeding."""
    document = REASONER.assess(record, only=[regime], explain=False)
    return {(f.head, f.proceeding): f.status for f in document.regimes[0].findings}


@pytest.mark.parametrize("scenario_id", ["us-lacey-backpage-trial-2023-lacey", "fr-escort-classifieds-company-trial-2019",
                                         "us-pleading-third-party-ads-no-design-2019"])
def test_not_shown_lists_exactly_the_single_proofs_that_change_a_finding(scenario_id):
    closed = next(s for s in _bundled() if s.id == scenario_id)
    for regime in REASONER.regimes_for(closed):
        decided = REASONER.decide(closed, regime)
        book = decided.book
        tests = fact_tests_of(rule for rule in book.rules if rule.id in decided.selection.in_force)
        document = REASONER.assess(closed, only=[regime], explain=False)
        proofs = {(path, label): _statuses_with(closed.with_facts({path: value}), regime)
                  for path in tests if decided.facts.get(path) is NOT_SHOWN or path in decided.deduced
                  for label, value in value_classes(VOCABULARY[path], tests[path])}
        for result in document.regimes[0].findings:
            if result.status == "not_applicable":
                continue
            listed = {(p.fact, p.value): p.status for p in result.not_shown}
            for (path, label), statuses in proofs.items():
                status = statuses[(result.head, result.proceeding)]
                if status == result.status:
                    assert (path, label) not in listed, (result.head, path, label)
                else:
                    assert listed.get((path, label)) == status, (result.head, path, label, status)


def test_a_pleading_over_third_party_ads_that_alleges_no_design_defect_keeps_section_230():
    pleading = next(s for s in _bundled() if s.id == "us-pleading-third-party-ads-no-design-2019")
    result = finding(pleading, "us.section230", "state_civil")
    assert result.status == "applies"
    assert any("taken as alleged" in reason for reason in result.because)
    designed = pleading.with_facts({"conduct.harm_from_own_design": True})
    assert finding(designed, "us.section230", "state_civil").status != "applies"


# --- defences -----------------------------------------------------------------------------------

SITE_2421A: dict[str, Any] = {
    "id": "site", "facts_date": "2019-06-01", "judged_on": "2022-03-01", "regimes": ["us"],
    "proceedings": ["federal_criminal"],
    "actor": {"person": "natural", "position": "operator", "nationality": "US"},
    "service": {"kind": "classifieds", "established_in": "US", "targets": ["US"], "audience": "public",
                "stores_user_content": True, "adult_section": True},
    "content": {"kind": "prostitution_ads", "remunerated": True, "physical_contact": True, "author": "third_party"},
    "victims": {"count": 1, "minors": False, "coercion": False},
    "conduct": {"intent_to_facilitate": True, "recruits_for_prostitution": False},
}


@pytest.mark.parametrize("posture", ["hypothetical", "alleged", "established"])
def test_a_defence_nobody_raised_never_blocks_a_conviction(posture):
    site = scenario(SITE_2421A, posture)
    result = finding(site, "us.2421a")
    assert result.status == "liable"
    assert "content.promotion_legal_where_targeted" not in result.missing_facts
    named = [d.rule for d in result.possible_defences]
    assert named == (["us.2421a.e.legal-where-targeted"] if posture == "hypothetical" else [])
    raised = site.with_facts({"content.promotion_legal_where_targeted": True})
    assert finding(raised, "us.2421a").status == "not_liable"


# --- the scenario contract -----------------------------------------------------------------------

def _cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "liability", *args], capture_output=True, text=True)


@pytest.mark.parametrize("body, line, message", [
    ("victims: {minors: false, under_15: true}\n", 4, "a person under 15 is a minor"),
    ("regimes: [fr, uk]\n", 4, "`regimes` names `uk`, which no rule pack defines"),
    ("expect:\n  fr.procuring: liable\n", 5, "which no regime of this scenario"),
    ("regimes: [fr]\nexpect:\n  fr.proxenetisme: {civil: liable}\n", 6, "names the proceeding `civil`"),
])
def test_contradictions_and_references_to_nothing_are_refused_with_their_line(tmp_path: Path, body, line, message):
    path = tmp_path / "bad.yaml"
    path.write_text("id: bad\nfacts_date: 2019-01-01\njudged_on: 2020-01-01\n" + body)
    for command in (["scenario", "validate"], ["run"]):
        result = _cli(*command, str(path))
        assert result.returncode == 2, result.stderr
        assert f"{path}:{line}:" in result.stderr and message in result.stderr
        assert "Traceback" not in result.stderr


def test_facts_dated_after_today_need_a_date_of_assessment(tmp_path: Path):
    path = tmp_path / "future.yaml"
    path.write_text("id: future\nfacts_date: 2999-01-01\n")
    result = _cli("scenario", "validate", str(path))
    assert result.returncode == 2 and f"{path}:2:" in result.stderr and "after today" in result.stderr


def test_a_regime_that_yields_no_finding_is_a_warning_and_a_report_of_nothing_is_refused(tmp_path: Path):
    path = tmp_path / "empty.yaml"
    path.write_text("id: empty\nfacts_date: 2019-01-01\njudged_on: 2020-01-01\nproceedings: [criminal]\n")
    result = _cli("run", str(path), "--regime", "us")
    assert result.returncode == 2
    assert "no finding" in result.stderr and "federal_criminal" in result.stderr
