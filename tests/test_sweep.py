"""`liability sweep`: every combination of the varied facts gets the status the pipeline gives.

The sweep reads its table off decision diagrams; the oracle here is the pipeline itself,
:meth:`Reasoner.decide` on the scenario with a combination's values set, one combination at a time.
Each combination must fall in exactly one row of the table, with that status, and satisfy exactly
the formula of that status.
"""

from __future__ import annotations

import csv
import io
import itertools
import json
import random
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from liability.bundled import scenarios_dir
from liability.cli import main
from liability.reasoner import Reasoner
from liability.changes import Change, with_changes
from liability.scenario import Scenario, ScenarioError
from liability.sweep_table import ALL_UNKNOWN, HeadSweep, Sweep, SweepError, sweep, varied_facts

REASONER = Reasoner(engine="direct")

OPEN_OPERATOR = (Path(__file__).parent / "fixtures" / "sweep" / "open-operator-2020.yaml").read_text(encoding="utf-8")
"""A legal person running an adult section, most facts open (the fixture says why it is shaped so)."""

ALLEGED_US = """\
id: alleged-us-site-2019
facts_date: 2019-01-01
judged_on: 2020-06-01
regimes: [us]
posture: alleged
actor: {person: legal, position: operator, nationality: US}
service: {kind: classifieds, established_in: US, targets: [US], audience: public, stores_user_content: true,
          adult_section: true}
content: {kind: prostitution_ads, remunerated: true, physical_contact: true, author: third_party}
victims: {minors: true}
"""


def _scenario(tmp_path: Path, text: str) -> Scenario:
    path = tmp_path / "scenario.yaml"
    path.write_text(text, encoding="utf-8")
    return REASONER.load(path)


def _bundled(name: str) -> Scenario:
    return REASONER.load(next(p for p in scenarios_dir().rglob("*.yaml") if p.stem == name))


def _combinations(result: HeadSweep) -> list[tuple[list[int], dict[str, Any]]]:
    """Every combination of the columns' classes, as class indexes and as the facts a row states."""
    found = []
    for indexes in itertools.product(*(range(len(column.classes)) for column in result.columns)):
        values: dict[str, Any] = {}
        for column, index in zip(result.columns, indexes):
            if column.region is None:
                values[column.fact] = column.values[index]
            else:  # a list of countries: the codes of the regions it includes
                values.setdefault(column.fact, [])
                if column.values[index] is not None:
                    values[column.fact].append(column.values[index])
        found.append((list(indexes), values))
    return found


def _pipeline_status(scenario: Scenario, regime: str, values: dict[str, Any], head: str, proceeding: str) -> str | None:
    """The status `run` gives the scenario with these values stated; None for a combination the
    loader refuses (a child under 15 who is not a minor), which no scenario can state."""
    try:
        changed = with_changes(scenario, [Change(path, value, str(value)) for path, value in values.items()])
    except ScenarioError:
        return None
    decided = REASONER.decide(changed, regime).statuses[(head, proceeding)]
    return decided.status or "undetermined"


def _holds(terms: list[list[Any]], labels: dict[tuple[str, str | None], str]) -> bool:
    return any(all(labels[(lit.fact, lit.region)] in lit.classes for lit in term) for term in terms)


def _check_against_pipeline(scenario: Scenario, regime: str, result: Sweep) -> int:
    checked = 0
    for head in result.results:
        for indexes, values in _combinations(head):
            expected = _pipeline_status(scenario, regime, values, head.head, head.proceeding)
            labels = {(c.fact, c.region): c.classes[i] for c, i in zip(head.columns, indexes)}
            matching = [row for row in head.rows
                        if all(cell is None or labels[(c.fact, c.region)] in cell for c, cell in zip(head.columns, row.cells))]
            if expected is None:  # no scenario states it: in no row, and a don't-care of the formulas
                assert not matching, (head.head, head.proceeding, values)
                continue
            assert [row.status for row in matching] == [expected], (head.head, head.proceeding, values)
            holding = [formula.status for formula in head.formulas if _holds(formula.terms, labels)]
            assert holding == [expected], (head.head, head.proceeding, values, holding)
            checked += 1
    return checked


def _random_sets(scenario: Scenario, regime: str, seed: int, count: int) -> list[list[str]]:
    encoded = sorted(REASONER.encodings(regime).encodings)
    chooser = random.Random(seed)
    return [chooser.sample(encoded, chooser.randint(2, 4)) for _ in range(count)]


@pytest.mark.parametrize("regime", ["fr", "us", "eu"])
def test_every_row_is_the_pipeline_status_on_an_open_scenario(tmp_path: Path, regime: str) -> None:
    scenario = _scenario(tmp_path, OPEN_OPERATOR.replace("regimes: [fr]", f"regimes: [{regime}]"))
    checked = sum(_check_against_pipeline(scenario, regime, sweep(REASONER, scenario, regime, vary))
                  for vary in _random_sets(scenario, regime, seed=7, count=4))
    assert checked > 50


def test_rows_see_the_deduction_of_the_organs_act_as_the_pipeline_does(tmp_path: Path) -> None:
    """Fees and editing are grounds of the deduction that a company's organs acted: varying them
    fills that fact in some rows and not in others, as deducing it on each row would."""
    scenario = _scenario(tmp_path, OPEN_OPERATOR)
    vary = ["money.posting_fees", "conduct.edits_content", "knowledge.actual_knowledge"]
    result = sweep(REASONER, scenario, "fr", vary, head="fr.proxenetisme")
    assert _check_against_pipeline(scenario, "fr", result) == 8
    assert {row.status for row in result.results[0].rows} >= {"liable", "undetermined"}


def test_rows_vary_who_the_actor_is_under_the_deduction(tmp_path: Path) -> None:
    """Whether the actor is a legal person and the operator are grounds of the same deduction:
    only the rows of a company running the site deduce that its organs acted."""
    scenario = _scenario(tmp_path, OPEN_OPERATOR.replace("person: legal, position: operator, ", ""))
    vary = ["actor.person", "actor.position", "money.posting_fees"]
    result = sweep(REASONER, scenario, "fr", vary, head="fr.proxenetisme")
    assert _check_against_pipeline(scenario, "fr", result) == 2 * len(result.results[0].columns[1].classes) * 2


def test_a_closed_record_is_decided_in_every_row(tmp_path: Path) -> None:
    scenario = _scenario(tmp_path, ALLEGED_US)
    for vary in _random_sets(scenario, "us", seed=3, count=3):
        result = sweep(REASONER, scenario, "us", vary)
        _check_against_pipeline(scenario, "us", result)
        assert all(row.status != "undetermined" for head in result.results for row in head.rows)


@pytest.mark.parametrize("name, regime", [("fr-classifieds-coaches-posters-2017", "fr"),
                                          ("us-doe-backpage-1cir-2016", "us"),
                                          ("eu-marketplace-general-awareness-2022", "eu")])
def test_bundled_scenarios_with_random_facts_varied(name: str, regime: str) -> None:
    scenario = _bundled(name)
    for vary in _random_sets(scenario, regime, seed=11, count=3):
        _check_against_pipeline(scenario, regime, sweep(REASONER, scenario, regime, vary))


@pytest.mark.parametrize("money", ["", "money: {posting_fees: true}\n"])
def test_all_unknown_varies_the_facts_the_head_depends_on(tmp_path: Path, money: str) -> None:
    """With the fees stated, the organs' act is deduced, so it is no longer open."""
    scenario = _scenario(tmp_path, OPEN_OPERATOR + money)
    result = sweep(REASONER, scenario, "fr", None, head="fr.proxenetisme")
    (head,) = result.results
    expected = REASONER.decide(scenario, "fr").statuses[("fr.proxenetisme", head.proceeding)].missing_facts
    assert len(expected) > 3
    assert [column.fact for column in head.columns] == list(expected)


def test_a_fact_no_rule_tests_is_said_to_change_nothing(tmp_path: Path) -> None:
    scenario = _scenario(tmp_path, OPEN_OPERATOR.replace("regimes: [fr]", "regimes: [us]"))
    tested = sorted(REASONER.encodings("us").encodings)
    untested = next(path for path, spec in REASONER.vocabulary.facts.items()
                    if path not in tested and spec.kind not in ("text", "date"))
    result = sweep(REASONER, scenario, "us", [untested, tested[0]])
    assert result.inert == [untested]
    with pytest.raises(SweepError, match="nothing can change"):
        sweep(REASONER, scenario, "us", [untested])


def test_a_misspelt_fact_is_refused_with_the_nearest_one() -> None:
    with pytest.raises(SweepError, match=r"--vary: `money\.postng_fees` is not a fact - did you mean `money\.posting_fees`\?"):
        varied_facts(REASONER, ["money.postng_fees"])


# -- the command ------------------------------------------------------------------------------------

def _run(*args: str) -> Any:
    return CliRunner().invoke(main, ["sweep", *args])


def _write(tmp_path: Path) -> str:
    path = tmp_path / "open-operator-2020.yaml"
    path.write_text(OPEN_OPERATOR, encoding="utf-8")
    return str(path)


VARY = "money.posting_fees,knowledge.actual_knowledge,money.share_of_proceeds"


def test_bad_vary_path_exits_2_with_did_you_mean(tmp_path: Path) -> None:
    result = _run(_write(tmp_path), "--vary", "money.posting_fes,knowledge.actual_knowledge")
    assert result.exit_code == 2
    assert "did you mean `money.posting_fees`?" in result.output
    assert "Traceback" not in result.output


def test_bad_head_exits_2_with_did_you_mean(tmp_path: Path) -> None:
    result = _run(_write(tmp_path), "--vary", VARY, "--head", "fr.proxenetism")
    assert result.exit_code == 2
    assert "did you mean `fr.proxenetisme`?" in result.output


def test_csv_loads_with_the_csv_module_one_column_per_fact(tmp_path: Path) -> None:
    result = _run(_write(tmp_path), "--vary", VARY, "--head", "fr.proxenetisme", "--format", "csv")
    assert result.exit_code == 0, result.output
    rows = list(csv.reader(io.StringIO(result.output)))
    assert rows[0] == ["head", "proceeding", *VARY.split(","), "status"]
    assert {row[-1] for row in rows[1:]} <= {"liable", "not_liable", "undetermined"}
    assert all(len(row) == len(rows[0]) for row in rows)


def test_json_is_the_sweep_model(tmp_path: Path) -> None:
    result = _run(_write(tmp_path), "--vary", VARY, "--head", "fr.proxenetisme", "--format", "json")
    assert result.exit_code == 0, result.output
    document = Sweep.model_validate(json.loads(result.output))
    assert document.schema_ == "liability/sweep-v1"
    assert [c.fact for c in document.results[0].columns] == VARY.split(",")


@pytest.mark.parametrize("lang, words", [("en", ("liable when", "any")), ("fr", ("constituée si", "indifférent"))])
def test_text_and_markdown_in_both_languages(tmp_path: Path, lang: str, words: tuple[str, str]) -> None:
    for fmt in ("text", "md"):
        result = _run(_write(tmp_path), "--vary", VARY, "--head", "fr.proxenetisme", "--format", fmt, "--lang", lang)
        assert result.exit_code == 0, result.output
        for word in words:
            assert word in result.output, (fmt, lang, word)


def test_all_unknown_on_the_command_line(tmp_path: Path) -> None:
    result = _run(_write(tmp_path), "--vary", ALL_UNKNOWN, "--head", "fr.proxenetisme", "--format", "json")
    assert result.exit_code == 0, result.output
    assert Sweep.model_validate(json.loads(result.output)).results[0].columns


def test_strings_from_the_scenario_reach_the_outputs_escaped(tmp_path: Path) -> None:
    path = tmp_path / "hostile-2020.yaml"
    path.write_text(OPEN_OPERATOR.replace("id: open-operator-2020", 'id: hostile-2020\ntitle: "x | <b>y</b> \\e[2J"'),
                    encoding="utf-8")
    markdown = _run(str(path), "--vary", VARY, "--head", "fr.proxenetisme", "--format", "md")
    assert markdown.exit_code == 0, markdown.output
    assert "<b>" not in markdown.output and "x \\| \\<b\\>y\\</b\\>" in markdown.output
    text = _run(str(path), "--vary", VARY, "--head", "fr.proxenetisme")
    assert "\x1b" not in text.output and "\\x1b[2J" in text.output


def test_a_combination_no_scenario_can_state_is_in_no_row_and_counts_for_nothing():
    # a child under 15 is a minor: "under 15, no minors" is refused by the loader, so the sweep
    # has three combinations, not four, and the formula may treat the fourth as it likes
    scenario = _bundled("fr-classifieds-minors-under-15-2022")
    result = sweep(REASONER, scenario, "fr", ["victims.under_15", "victims.minors"], "fr.proxenetisme.crime")
    (head,) = result.results
    assert head.combinations == 3
    cells = [(row.cells, row.status) for row in head.rows]
    assert ([["true"], ["true"]], "liable") in cells
    assert all(cell != [["true"], ["false"]] for cell, _ in cells)
    liable = next(formula for formula in head.formulas if formula.status == "liable")
    assert [[(lit.fact, lit.classes) for lit in term] for term in liable.terms] == [[("victims.under_15", ["true"])]]


def test_a_table_too_large_to_read_is_refused_not_cut(tmp_path):
    sparse = tmp_path / "sparse.yaml"
    sparse.write_text("id: sparse\nfacts_date: 2023-10-01\nregimes: [fr]\n"
                      "actor: {person: legal, position: operator}\nservice: {kind: classifieds}\n", encoding="utf-8")
    with pytest.raises(SweepError, match=r"more than 2,000 products to say exactly; vary fewer facts"):
        sweep(REASONER, REASONER.load(sparse), "fr", None, "fr.proxenetisme")
