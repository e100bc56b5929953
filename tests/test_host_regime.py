"""The host regime (rules/fr/lcen.yaml, rules/eu/ecd.yaml, rules/eu/dsa.yaml): how its strengths
combine and what its reasons may say.

- An exemption whose conditions are established but which a ground of loss defeats only
  arguably is `lost`, strength `arguable`, and says both why the actor is a host and what the open
  question is (docs/rule-packs.md, "How strong a status is, when outcomes compete").
- A reason in these packs that says the host actually knew of the content belongs to a rule that
  tests that knowledge: no ground may state knowledge the facts do not give.
"""

from __future__ import annotations

from packs import read_scenario
from liability.bundled import scenarios_dir
from liability.reasoner import Reasoner

REASONER = Reasoner()
HOST_PACKS = {"fr.lcen", "eu.ecd", "eu.dsa"}
ACTUAL_KNOWLEDGE_WORDS = ("effectivement connaissance", "connaît effectivement", "actually knew", "actually knows")


def _finding(scenario_id: str, regime: str, head: str, proceeding: str, lang: str = "en"):
    (path,) = scenarios_dir().rglob(f"{scenario_id}.yaml")
    document = REASONER.assess(read_scenario(path), lang)
    (assessed,) = [r for r in document.regimes if r.regime == regime]
    return next(f for f in assessed.findings if f.head == head and f.proceeding == proceeding), assessed


def test_an_established_exemption_lost_only_on_an_arguable_ground_is_lost_arguably() -> None:
    finding, _ = _finding("fr-escort-section-general-awareness-2019", "fr", "fr.lcen.host-exemption", "criminal")
    assert (finding.status, finding.strength) == ("lost", "arguable")
    assert any("host" in reason or "stores" in reason for reason in finding.because), finding.because
    assert any("Open question" in reason for reason in finding.because), finding.because


def test_a_settled_ground_of_loss_gives_a_loss_as_strong_as_the_settled_line() -> None:
    finding, _ = _finding("fr-classifieds-sanitises-escort-ads-2018", "fr", "fr.lcen.host-exemption", "criminal")
    assert finding.status == "lost" and finding.strength in ("likely", "established"), (finding.status, finding.strength)


def test_ads_removed_promptly_after_a_notice_are_not_the_hosts_own_offence() -> None:
    finding, assessed = _finding("fr-paid-ads-notice-removed-promptly-2019", "fr", "fr.lcen.host-exemption", "criminal")
    assert finding.status == "applies"
    fired = {step.rule for step in assessed.trace if step.certain}
    assert "fr.lcen.6-i-3.own-offence.paid-known" not in fired


def test_a_reason_that_states_actual_knowledge_belongs_to_a_rule_that_tests_it() -> None:
    book = REASONER.rulebook("eu")
    rules = list(book.rules) + [r for r in REASONER.rulebook("fr").rules if r.pack == "fr.lcen"]
    stating = [rule for rule in rules if rule.pack in HOST_PACKS
               and any(word in (rule.because.fr + " " + rule.because.en) for word in ACTUAL_KNOWLEDGE_WORDS)]
    assert stating, "the packs were expected to have rules on actual knowledge"
    untested = [rule.id for rule in stating
                if not any(test.path == "knowledge.actual_knowledge" for test in rule.fact_tests)]
    assert not untested, f"these rules say the host actually knew without testing it: {untested}"
