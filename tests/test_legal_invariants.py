"""Properties the law guarantees, checked on random scenarios over the whole fact vocabulary.

Each invariant names the text that makes it true. They run on the direct engine, which a separate
test proves identical to experta.
"""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from liability.declarations import bundled_vocabulary
from liability.findings import Document
from liability.reasoner import Reasoner
from liability.implications import respecting_implications

REASONER = Reasoner(engine="direct")
VOCABULARY = bundled_vocabulary().facts
SETTINGS = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _value(spec: Any) -> Any:
    if spec.kind == "bool":
        return st.sampled_from([True, False, "unknown"])
    if spec.kind == "choice":
        return st.sampled_from([*spec.values, "unknown"])
    if spec.kind == "count":
        return st.sampled_from([0, 1, 2, 5, "unknown"])
    if spec.kind == "country":
        return st.sampled_from(["FR", "US", "DE", "unknown"])
    if spec.kind == "countries":
        return st.lists(st.sampled_from(["FR", "US", "DE"]), max_size=2, unique=True)
    return st.just("x")


@st.composite
def facts(draw: Any) -> dict[str, Any]:
    data: dict[str, Any] = {"id": "random", "judged_on": "2026-06-01",
                            "facts_date": draw(st.dates(dt.date(1995, 1, 1), dt.date(2026, 1, 1)))}
    for path, spec in VOCABULARY.items():
        section, name = path.split(".")
        data.setdefault(section, {})[name] = draw(_value(spec))
    respecting_implications(data, VOCABULARY)
    return data


def assess(data: dict[str, Any]) -> Document:
    return REASONER.assess(bundled_vocabulary().model.model_validate(data))


def statuses(document: Document, head: str) -> list[str]:
    return [f.status for r in document.regimes for f in r.findings if f.head == head]


@SETTINGS
@given(facts())
def test_no_crash_on_any_valid_scenario_and_every_status_is_a_contract_word(data: dict[str, Any]) -> None:
    words = {"met", "not_met", "liable", "not_liable", "applies", "lost", "not_applicable", "breached",
             "complied", "undetermined"}
    document = assess(data)
    assert {f.status for r in document.regimes for f in r.findings} <= words


@SETTINGS
@given(facts())
def test_without_physical_contact_there_is_no_prostitution_so_no_procuring(data: dict[str, Any]) -> None:
    # Prostitution needs paid physical contact (Cass. crim. 27 March 1996; 18 May 2022), and every
    # procuring offence of C. pén. 225-5 to 225-9 presupposes the prostitution of others.
    data["content"]["physical_contact"] = False
    document = assess(data)
    for head in ("fr.prostitution", "fr.proxenetisme", "fr.proxenetisme.aggravated", "fr.proxenetisme.crime"):
        assert set(statuses(document, head)) <= {"not_met", "not_liable"}, head


@SETTINGS
@given(facts())
def test_section_230_never_bars_a_federal_prosecution(data: dict[str, Any]) -> None:
    # 47 U.S.C. 230(e)(1): nothing in section 230 impairs the enforcement of federal criminal law.
    document = assess(data)
    federal = [f.status for r in document.regimes for f in r.findings
               if f.head == "us.section230" and f.proceeding == "federal_criminal"]
    assert "applies" not in federal and "undetermined" not in federal


AGGRAVATING = [("victims", "minors"), ("victims", "vulnerable"), ("victims", "recruited_abroad"),
               ("victims", "coercion"), ("conduct", "several_perpetrators"), ("victims", "under_15"),
               ("conduct", "organised_gang"), ("victims", "torture_or_barbarity")]


def _most_severe(document: Document) -> tuple[Any, ...]:
    """The most severe sentence certainly at stake for the actor under French criminal law."""
    worst: tuple[Any, ...] = (0, 0, 0)
    for regime in document.regimes:
        for finding in regime.findings:
            p = finding.penalties
            if regime.regime == "fr" and finding.subject == "actor" and finding.status == "liable" and p:
                worst = max(worst, (1 if p.life else 0, p.prison_years or 0, p.fine or 0))
    return worst


@SETTINGS
@given(facts(), st.sampled_from(AGGRAVATING))
def test_adding_an_aggravating_fact_never_lowers_the_maximum_penalty(data: dict[str, Any], fact: tuple[str, str]) -> None:
    # C. pén. 225-7 to 225-9 only add circumstances that raise the sentence of 225-5; none lowers it.
    section, name = fact
    data["regimes"] = ["fr"]
    data[section][name] = False
    if name in ("under_15", "minors"):
        data["victims"]["minors"] = False
        data["victims"]["under_15"] = False  # a child under 15 is a minor
    if name == "vulnerable":
        data["victims"]["vulnerable_health"] = False  # a vulnerability due to health is a vulnerability
    before = _most_severe(assess(data))
    data[section][name] = True
    if name == "under_15":
        data["victims"]["minors"] = True
    after = _most_severe(assess(data))
    assert after >= before


def test_the_library_gives_byte_identical_json_across_hash_seeds() -> None:
    outputs = []
    for seed in ("1", "4242"):
        env = {**os.environ, "PYTHONHASHSEED": seed}
        done = subprocess.run([sys.executable, "-m", "liability", "run", "scenarios", "--format", "jsonl"],
                              capture_output=True, text=True, env=env,
                              cwd=os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
        assert done.returncode == 0, done.stderr
        outputs.append(done.stdout)
    assert outputs[0] == outputs[1] and outputs[0].count("\n") >= 70
