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


# --- the forms of an expectation -----------------------------------------------------------------

PAID = scenarios_dir() / "fr" / "fr-escort-classifieds-paid-2019.yaml"
"""A company whose 225-5 procuring is likely: no prison for a legal person, 5 x 150,000 EUR."""


def _mismatches_with(expect: dict) -> list[tuple[str, str | None, str, str, str]]:
    scenario = REASONER.load(PAID)
    data = {key: value for key, value in scenario.model_dump(exclude_none=True).items() if key != "expect"}
    scenario = type(scenario).model_validate({**data, "expect": expect})
    return [(m.head, m.proceeding, m.field, m.expected, m.got)
            for m in mismatches(scenario, REASONER.assess(scenario, explain=False))]


def test_an_expectation_may_pin_the_strength_and_the_penalty_at_stake():
    assert _mismatches_with({"fr.proxenetisme": {"status": "liable", "strength": "likely", "prison_years": None,
                                                 "fine": 750000, "currency": "EUR", "life": False}}) == []
    assert _mismatches_with({"fr.proxenetisme": {"criminal": {"status": "liable", "strength": "arguable",
                                                              "fine": 75000}}}) == [
        ("fr.proxenetisme", "criminal", "strength", "arguable", "likely"),
        ("fr.proxenetisme", "criminal", "fine", "75000", "750000")]


def test_a_pinned_penalty_is_compared_with_a_finding_without_one_as_null():
    assert _mismatches_with({"fr.prostitution": {"status": "met", "fine": 1}}) == [
        ("fr.prostitution", "criminal", "fine", "1", "null")]


BAD = {
    "{status: liabel, strength: likely}": "`expect.fr.proxenetisme.status` is `liabel`",
    "{criminal: {status: liable, fin: 3}}": "unknown key `expect.fr.proxenetisme.criminal.fin` - did you mean `fine`?",
    "{crimnal: liable}": "`expect.fr.proxenetisme.crimnal` is `crimnal`",
    "{status: liable, strength: probable}": "`expect.fr.proxenetisme.strength` is `probable`",
}


@pytest.mark.parametrize("written", sorted(BAD))
def test_a_bad_expectation_is_one_line_naming_the_file_line_and_key_and_exits_2(tmp_path, written):
    from click.testing import CliRunner
    from liability.cli import main

    text = PAID.read_text(encoding="utf-8")
    start = text.index("  fr.proxenetisme: {")
    line = text[start:text.index("\n", start)]
    case = tmp_path / "case.yaml"
    case.write_text(text.replace(line, f"  fr.proxenetisme: {written}"), encoding="utf-8")
    number = text[:start].count("\n") + 1
    result = CliRunner().invoke(main, ["check", str(tmp_path)])
    assert result.exit_code == 2
    errors = [line for line in result.output.splitlines() if line.startswith("error:")]
    assert errors == [errors[0]] and errors[0].startswith(f"error: {case}:{number}: ") and BAD[written] in errors[0]


def test_a_regime_written_with_a_colon_is_shown_the_slash(tmp_path):
    from click.testing import CliRunner
    from liability.cli import main

    case = tmp_path / "case.yaml"
    case.write_text(PAID.read_text(encoding="utf-8").replace("  fr.jurisdiction: met", "  fr:fr.jurisdiction: met"),
                    encoding="utf-8")
    result = CliRunner().invoke(main, ["check", str(tmp_path)])
    assert result.exit_code == 2 and "such as `fr/fr.jurisdiction`" in result.output
