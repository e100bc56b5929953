"""`liability check` as a test: each bundled scenario's `expect` block, one test id per file, so that
a failing expectation names its scenario; and what `check` must compare (issue 13).

An expectation keyed by a head alone holds only if every regime that answers the head agrees with
it; a key `regime/head` pins one regime. A check that read only the first regime's finding would
pass a scenario whose other regime contradicts it.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from liability.bundled import scenarios_dir
from liability.reasoner import Reasoner, mismatches
from liability.scenario import SCENARIO_SUFFIXES

REASONER = Reasoner(engine="direct")  # what `liability check` runs by default
LIBRARY = sorted(p for p in scenarios_dir().rglob("*") if p.suffix in SCENARIO_SUFFIXES)
DISAGREEING = scenarios_dir() / "fr-eu" / "fr-classifieds-victim-data-without-consent-2022.yaml"
"""The French regime leaves the Directive's exemption to the LCEN (not applicable), the EU regime
finds it lost in civil proceedings."""


@pytest.mark.parametrize("path", LIBRARY, ids=[str(p.relative_to(scenarios_dir())) for p in LIBRARY])
def test_the_bundled_scenario_meets_its_expectations(path: Path) -> None:
    scenario = REASONER.load(path)
    if not scenario.expect:
        pytest.skip("no expect block")
    problems = mismatches(scenario, REASONER.assess(scenario, explain=False))
    assert not problems, "\n".join(f"{m.head} [{m.proceeding}]: expected {m.expected}, got {m.got}" for m in problems)


def _checked(expect: dict) -> list[tuple[str, str | None, str, str]]:
    scenario = REASONER.load(DISAGREEING).model_copy(update={"expect": expect})
    document = REASONER.assess(scenario, explain=False)
    statuses = {(r.regime, f.proceeding): f.status for r in document.regimes for f in r.findings
                if f.head == "eu.host-exemption"}
    assert statuses[("fr", "civil")] == "not_applicable" and statuses[("eu", "civil")] == "lost"
    return [(m.head, m.proceeding, m.expected, m.got) for m in mismatches(scenario, document)]


@pytest.mark.parametrize("status, contradicted_by", [("lost", "not_applicable"), ("not_applicable", "lost")])
def test_a_head_alone_must_hold_in_every_regime_that_answers_it(status, contradicted_by):
    # whichever regime comes first, the other one contradicts the expectation
    assert _checked({"eu.host-exemption": {"civil": status}}) == [
        ("eu.host-exemption", "civil", status, contradicted_by)]


def test_a_regime_qualified_key_checks_that_regime_only():
    assert _checked({"eu/eu.host-exemption": {"civil": "lost"}, "fr/eu.host-exemption": {"civil": "not_applicable"}}) == []
    assert _checked({"fr/eu.host-exemption": {"civil": "lost"}}) == [
        ("fr/eu.host-exemption", "civil", "lost", "not_applicable")]
