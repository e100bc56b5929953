"""The direct engine fires the same rules in the same order as experta: same findings, same trace.

It is what batch commands use, so it must be indistinguishable from the experta engine on the
whole scenario library (byte for byte, as JSON) and on random scenarios over every fact.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from types import FrameType
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from packs import write_declarations, read_scenario
from liability.declarations import bundled_vocabulary
from liability import direct as direct_engine
from liability.bundled import scenarios_dir
from liability.direct import DirectEngine
from liability.loading import load_rulebook
from liability.reasoner import Reasoner
from liability.rulebook import Rulebook, load_regimes
from liability.scenario import SCENARIO_SUFFIXES, Scenario
from liability.implications import respecting_implications

EXPERTA = Reasoner(engine="experta")
DIRECT = Reasoner(engine="direct")
LIBRARY = sorted(p for p in scenarios_dir().rglob("*") if p.suffix in SCENARIO_SUFFIXES)


def _json(reasoner: Reasoner, scenario: Scenario, lang: str = "en") -> str:
    return json.dumps(reasoner.assess(scenario, lang).as_json(), ensure_ascii=False, sort_keys=False)


@pytest.mark.parametrize("path", LIBRARY, ids=lambda p: p.stem)
def test_both_engines_give_byte_identical_findings_on_every_bundled_scenario(path) -> None:  # type: ignore[no-untyped-def]
    scenario = read_scenario(path)
    assert _json(DIRECT, scenario) == _json(EXPERTA, scenario)


VOCABULARY = bundled_vocabulary().facts
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
    respecting_implications(data, VOCABULARY)
    return bundled_vocabulary().model.model_validate(data)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(scenarios())
def test_both_engines_record_the_same_trace_on_random_scenarios(scenario: Scenario) -> None:
    for regime in EXPERTA.regimes:
        book = EXPERTA.rulebook(regime)
        in_force = book.select(scenario.facts_date, scenario.assessed_on, scenario.facts_end).in_force
        experta = EXPERTA.engine(regime).run(scenario, in_force)
        direct = DIRECT.engine(regime).run(scenario, in_force)
        assert direct.trace == experta.trace
        assert direct.closure == experta.closure


# --- the direct engine's work grows linearly with the rules --------------------------------------

PROPS = Path(__file__).parent / "fixtures" / "rules-props"


def _renamed(condition: Any, rename: dict[str, str]) -> Any:
    """A pack condition (as YAML data) with the conclusions it names renamed."""
    if isinstance(condition, str):
        return rename.get(condition, condition)
    if isinstance(condition, list):
        return [_renamed(item, rename) for item in condition]
    if isinstance(condition, dict) and "fact" not in condition:
        return {key: _renamed(value, rename) for key, value in condition.items()}
    return condition


def _replicated_props(tmp_path: Path, copies: int) -> Rulebook:
    """The property pack's rules `copies` times over, each copy with its own ids and conclusions."""
    data = yaml.safe_load((PROPS / "pp" / "props.yaml").read_text(encoding="utf-8"))
    tmp_path.mkdir()
    files = []
    for copy in range(copies):
        suffix = f".copy{copy}" if copy else ""  # the first copy keeps the names its heads answer
        rename = {rule["then"]["conclude"]: rule["then"]["conclude"] + suffix for rule in data["rules"]}
        rules = [{**rule, "id": rule["id"] + suffix, "when": _renamed(rule["when"], rename),
                  "unless": _renamed(rule.get("unless", []), rename),
                  "then": {**rule["then"], "conclude": rename[rule["then"]["conclude"]]},
                  **({"provision": rule["provision"] + suffix} if "provision" in rule else {})}
                 for rule in data["rules"]]
        pack = {**data, "pack": data["pack"] + suffix, "rules": rules}
        if copy:  # heads and penalties once: the copies' rules cite the first copy's penalties
            pack = {**pack, "heads": [], "penalties": []}
        (tmp_path / f"copy{copy}.yaml").write_text(yaml.safe_dump(pack, allow_unicode=True), encoding="utf-8")
        files.append(f"copy{copy}.yaml")
    (tmp_path / "regimes.yaml").write_text(yaml.safe_dump(
        {"regimes": [{"id": "pp", "title": {"fr": "Copies", "en": "Copies"}, "packs": files}]}), encoding="utf-8")
    write_declarations(tmp_path)
    return load_rulebook(load_regimes(tmp_path)["pp"], tmp_path)


def _work(engine: DirectEngine, scenario: Scenario, in_force: frozenset[str]) -> int:
    """Bytecodes the direct engine executes on one run: deterministic, unlike a clock."""
    engine.run(scenario, in_force)  # lays the period out, which is not the run's work
    source = direct_engine.__file__
    executed = 0

    def trace(frame: FrameType, event: str, arg: Any) -> Any:
        nonlocal executed
        if event == "opcode":
            executed += 1
        elif event == "call":
            if frame.f_code.co_filename != source:
                return None
            frame.f_trace_opcodes = True
        return trace

    sys.settrace(trace)
    try:
        engine.run(scenario, in_force)
    finally:
        sys.settrace(None)
    return executed


WORK_SCENARIOS = [
    read_scenario(Path(__file__).parent / "fixtures" / "scenarios-props" / "mixed.yaml"),
    bundled_vocabulary().model.model_validate({"id": "nothing-known", "facts_date": "2017-03-01"}),
    bundled_vocabulary().model.model_validate({"id": "old-and-busy", "facts_date": "2012-03-01", "money": {"posting_fees": True},
                             "knowledge": {"general_awareness": True, "actual_knowledge": True},
                             "conduct": {"edits_content": True}, "victims": {"count": 5, "minors": True}}),
]


@pytest.mark.parametrize("scenario", WORK_SCENARIOS, ids=lambda s: s.id)
def test_the_direct_engine_does_work_linear_in_the_number_of_rules(tmp_path, scenario: Scenario) -> None:
    work = {}
    for copies in (1, 8):
        book = _replicated_props(tmp_path / f"x{copies}", copies)
        in_force = book.in_force_on(scenario.facts_date)
        run = DirectEngine(book).run(scenario, in_force)
        assert len(run.trace) >= 3 * copies  # each copy fires, or the comparison says nothing
        work[copies] = _work(DirectEngine(book), scenario, in_force)
    # Linear: 8 copies cost 8 times one copy, give or take the fixed cost of a run. Rescanning the
    # candidates at each firing, as the first version did, costs about 8 x 8.
    assert work[8] <= 8 * work[1] * 1.2, work
