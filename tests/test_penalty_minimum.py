"""Mandatory minimum terms: a penalty version may set one under its maximum, the sentence says it
in both languages, and 18 U.S.C. 1591(b) carries the maxima and minima of the date of the facts."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import yaml

import pytest
from pydantic import ValidationError

from liability.reasoner import Reasoner
from liability.rulebook import PenaltyVersion
from liability.sentence import sentence

REASONER = Reasoner()
SCENARIO = Path(__file__).parent.parent / "scenarios/us/us-escort-agency-recruits-minor-2007.yaml"


def test_a_minimum_above_the_maximum_is_refused() -> None:
    with pytest.raises(ValidationError, match="above prison_years"):
        PenaltyVersion.model_validate({"in_force": {"from": "2000-01-01"}, "prison_years": 10, "min_prison_years": 15})


def test_a_minimum_without_a_maximum_is_refused() -> None:
    with pytest.raises(ValidationError, match="needs prison_years or life"):
        PenaltyVersion.model_validate({"in_force": {"from": "2000-01-01"}, "min_prison_years": 15})


@pytest.mark.parametrize(("life", "years", "lang", "said"), [
    (True, None, "en", "15 years to life imprisonment, a fine of USD\u00a0250,000"),
    (True, None, "fr", "de 15 ans à la perpétuité et 250\u202f000\u00a0USD d'amende"),
    (False, 20, "en", "15 to 20 years, a fine of USD\u00a0250,000"),
    (False, 20, "fr", "de 15 à 20 ans d'emprisonnement et 250\u202f000\u00a0USD d'amende"),
])
def test_the_sentence_runs_from_the_minimum(life: bool, years: int | None, lang: str, said: str) -> None:
    assert sentence(life, years, 250_000, None, "USD", lang, 15) == said


@pytest.mark.parametrize(("facts_date", "years", "life", "minimum"), [
    ("2002-06-01", 20, False, None),   # TVPA 2000: not more than 20 years
    ("2005-06-01", 40, False, None),   # PROTECT Act 2003: 40 years
    ("2007-03-01", None, True, 10),    # Adam Walsh Act 2006: 10 years to life
])
def test_the_14_to_17_tier_of_1591_carries_the_sentence_of_the_facts_date(
        facts_date: str, years: int | None, life: bool, minimum: int | None) -> None:
    data = yaml.safe_load(SCENARIO.read_text(encoding="utf-8"))
    data.update(facts_date=facts_date, judged_on=facts_date)
    document = REASONER.assess(REASONER.vocabulary.model.model_validate(data))
    finding = next(f for f in document.regimes[0].findings if f.head == "us.1591")
    penalty = finding.penalties
    assert penalty is not None
    assert (penalty.prison_years, penalty.life, penalty.min_prison_years) == (years, life, minimum)


def test_force_fraud_or_coercion_carries_a_15_year_minimum_only_from_27_july_2006() -> None:
    book = REASONER.rulebook("us")
    b1 = book.penalties["us.1591.b1"]
    before, after = (b1.version_on(dt.date.fromisoformat(d)) for d in ("2006-07-26", "2006-07-27"))
    assert before is not None and after is not None
    assert (before.life, before.min_prison_years) == (True, None)
    assert (after.life, after.min_prison_years) == (True, 15)
