"""Complementary penalties are dated: only those the law provided on the day of the acts may be
pronounced (C. pén. 112-1, al. 2), so a ban added in 2014 is not at stake for acts of 2013, and
a penalty that never reached an offence is never listed for it."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from pydantic import ValidationError

from liability.reasoner import Reasoner
from liability.rulebook import Complementary

from test_rulebook_loading import GOOD, PENALTY, URL, assert_problem, load_problems, pack, write_rules

REASONER = Reasoner()
SCENARIOS = Path(__file__).parent.parent / "scenarios/fr"


def _additional(scenario: str, facts_date: str, head: str) -> list[str]:
    data = yaml.safe_load((SCENARIOS / f"{scenario}.yaml").read_text(encoding="utf-8"))
    data.pop("expect", None)
    data.update(facts_date=facts_date, judged_on=facts_date)
    document = REASONER.assess(REASONER.vocabulary.model.model_validate(data))
    finding = next(f for f in document.regimes[0].findings if f.head == head)
    assert finding.penalties is not None
    return finding.penalties.additional


@pytest.mark.parametrize(("facts_date", "listed"), [("2014-07-11", False), ("2014-07-12", True)])
def test_the_public_aid_ban_reaches_a_company_only_for_acts_from_12_july_2014(facts_date: str, listed: bool) -> None:
    additional = _additional("fr-escort-classifieds-company-hypothetical-2019", facts_date, "fr.proxenetisme")
    assert any("(131-39, 12°)" in item for item in additional) is listed


@pytest.mark.parametrize(("facts_date", "wording"), [
    ("2001-06-12", "in its wording before loi n° 2001-504"),
    ("2001-06-13", "at least three years' imprisonment"),
])
def test_dissolution_is_stated_in_the_wording_of_the_facts_date(facts_date: str, wording: str) -> None:
    additional = _additional("fr-escort-classifieds-company-hypothetical-2019", facts_date, "fr.proxenetisme")
    dissolution = [item for item in additional if "(131-39, 1°" in item]
    assert len(dissolution) == 1 and wording in dissolution[0]


@pytest.mark.parametrize("facts_date", ["2010-06-01", "2019-06-01", "2023-06-01"])
def test_clients_of_a_protected_person_never_face_exclusion_from_france(facts_date: str) -> None:
    """225-21 names sections 1 bis, 2, 2 ter and 2 quater, never section 2 bis (225-12-1 to 225-12-4)."""
    additional = _additional("fr-escort-site-pregnant-person-clients-2010", facts_date, "fr.clients")
    assert additional and not any("225-21" in item for item in additional)


@pytest.mark.parametrize(("facts_date", "listed"), [
    ("2007-03-06", False), ("2007-03-07", True), ("2020-03-23", True), ("2020-03-24", False)])
def test_the_parental_responsibility_course_of_225_20_8_runs_from_2007_to_2020(facts_date: str, listed: bool) -> None:
    additional = _additional("fr-escort-site-pregnant-person-clients-2010", facts_date, "fr.clients")
    assert any("(225-20, 8°)" in item for item in additional) is listed


def test_a_dated_complementary_penalty_must_name_its_provision() -> None:
    with pytest.raises(ValidationError, match="needs `ref`"):
        Complementary.model_validate({"fr": "interdiction", "en": "ban", "in_force": {"from": "2014-07-12"}})


def test_a_complementary_penalty_ending_before_it_starts_is_reported(tmp_path: Path) -> None:
    versions = "      - in_force: {from: 2000-01-01}\n        fine: 1000\n        currency: EUR"
    extra = PENALTY.format(url=URL, versions=versions) + (
        '    additional:\n      - {fr: "interdiction", en: "ban", ref: "art. 2", '
        "in_force: {from: 2010-01-01, to: 2009-01-01}}\n")
    directory = write_rules(tmp_path, pack(GOOD, extra=extra))
    assert_problem(load_problems(directory), tmp_path / "a.yaml", "penalty tt.p.one",
                   "additional `ban`: in_force ends (2009-01-01) before it starts (2010-01-01)")
