"""The direct engine fires the same rules in the same order as experta: same findings, same trace.

It is what batch commands use, so it must be indistinguishable from the experta engine on the
whole scenario library (byte for byte, as JSON) and on random scenarios over every fact.
"""

from __future__ import annotations

import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from liability.bundled import scenarios_dir
from liability.reasoner import Reasoner
from liability.scenario import (
    SCENARIO_SUFFIXES,
    Scenario,
    fact_vocabulary,
    load_scenario,
)

EXPERTA = Reasoner(engine="experta")
DIRECT = Reasoner(engine="direct")
LIBRARY = sorted(p for p in scenarios_dir().rglob("*") if p.suffix in SCENARIO_SUFFIXES)


def _json(reasoner: Reasoner, scenario: Scenario, lang: str = "en") -> str:
    return json.dumps(reasoner.assess(scenario, lang).as_json(), ensure_ascii=False, sort_keys=False)


@pytest.mark.parametrize("path", LIBRARY, ids=lambda p: p.stem)
def test_both_engines_give_byte_identical_findings_on_every_bundled_scenario(path) -> None:  # type: ignore[no-untyped-def]
    scenario = load_scenario(path)
    assert _json(DIRECT, scenario) == _json(EXPERTA, scenario)


VOCABULARY = fact_vocabulary()
COUNTRIES = st.lists(st.sampled_from(["FR", "US", "DE", "BE", "GB"]), max_size=3, unique=True)


def _value(spec):  # type: ignore[no-untyped-def]
    if spec.kind == "bool":
        return st.sampled_from([True, False, "unknown"])
    if spec.kind == "choice":
        return st.sampled_from([*spec.values, "unknown"])
    if spec.kind == "count":
        return st.sampled_from([0, 1, 2, 5, 50_000_000, "unknown"])
    if spec.kind == "country":
        return st.sampled_from(["FR", "US", "DE", "GB", "unknown"])
    if spec.kind == "countries":
        return st.one_of(COUNTRIES, st.just("unknown"))
    return st.just("x")


@st.composite
def scenarios(draw):  # type: ignore[no-untyped-def]
    data: dict = {"id": "random", "facts_date": draw(st.dates(min_value=__import__("datetime").date(1995, 1, 1),
                                                              max_value=__import__("datetime").date(2026, 1, 1))),
                  "judged_on": "2026-06-01"}
    for path, spec in VOCABULARY.items():
        section, name = path.split(".")
        data.setdefault(section, {})[name] = draw(_value(spec))
    return Scenario.model_validate(data)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(scenarios())
def test_both_engines_record_the_same_trace_on_random_scenarios(scenario: Scenario) -> None:
    for regime in EXPERTA.regimes:
        book = EXPERTA.rulebook(regime)
        in_force = book.select(scenario.facts_date, scenario.assessed_on).in_force
        experta = EXPERTA.engine(regime).run(scenario, in_force)
        direct = DIRECT.engine(regime).run(scenario, in_force)
        assert direct.trace == experta.trace
        assert direct.closure == experta.closure
