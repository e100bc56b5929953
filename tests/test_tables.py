"""Tables to load: `run --format csv`, `compare --format csv`, the comparison's tidy `records`, and
`run --format json --slim`, each read back by pandas into a clean table."""

from __future__ import annotations

import io
import json

import pandas
import pytest
from test_cli import assert_clean_failure, liability

from liability.render.tables import records_csv, safe_cell

PAID = "fr-escort-classifieds-paid-2019"


def run(*args: str):
    result = liability(*args, rules=None)
    assert result.returncode == 0, result.stderr
    return result.stdout


def test_run_as_csv_is_one_row_per_finding_that_pandas_reads():
    table = pandas.read_csv(io.StringIO(run("run", PAID, "--format", "csv")))
    document = json.loads(run("run", PAID, "--format", "json", "--slim"))
    findings = [(r["regime"], f["head"], f["proceeding"], f["status"]) for r in document["regimes"] for f in r["findings"]]
    assert list(zip(table["regime"], table["head"], table["proceeding"], table["status"])) == findings
    procuring = table[table["head"] == "fr.proxenetisme"].iloc[0]
    assert procuring.fine == 750000 and procuring.currency == "EUR"
    assert table["fine"].dtype.kind in "fi"  # numbers stay numbers


def test_several_files_make_one_table_with_one_header():
    text = run("run", PAID, "fr-sugar-dating-contact-unknown-2023", "--format", "csv")
    table = pandas.read_csv(io.StringIO(text))
    assert set(table.scenario) == {PAID, "fr-sugar-dating-contact-unknown-2023"}
    assert text.count("scenario,regime,") == 1


def test_compare_as_csv_and_its_tidy_records_load_into_the_same_table():
    arguments = ("compare", PAID, "--regimes", "fr,eu", "--as-of", "2016-06-01,2019-06-01/2020-01-01")
    table = pandas.read_csv(io.StringIO(run(*arguments, "--format", "csv")), dtype={"facts_date": str, "judged_on": str})
    records = pandas.json_normalize(json.loads(run(*arguments, "--format", "json"))["records"])
    assert list(table.columns) == list(records.columns)
    assert len(table) == len(records) > 0
    assert set(zip(table.regime, table.facts_date, table.judged_on)) == {
        ("fr", "2016-06-01", "2016-06-01"), ("fr", "2019-06-01", "2020-01-01"),
        ("eu", "2016-06-01", "2016-06-01"), ("eu", "2019-06-01", "2020-01-01")}
    assert not table[["regime", "head", "proceeding", "status"]].isna().any().any()
    # one record per regime x dates x head x proceeding
    assert not table.duplicated(["regime", "facts_date", "judged_on", "head", "proceeding"]).any()


def test_slim_json_leaves_out_derivations_analysis_and_near_misses_only():
    full = json.loads(run("run", PAID, "--format", "json"))
    slim = json.loads(run("run", PAID, "--format", "json", "--slim"))
    assert len(json.dumps(slim)) < len(json.dumps(full)) / 3
    for regime, thin in zip(full["regimes"], slim["regimes"]):
        for finding, lean in zip(regime["findings"], thin["findings"]):
            assert lean["derivation"] is None and lean["analysis"] is None and lean["near_misses"] is None
            assert {k: v for k, v in lean.items() if k not in ("derivation", "analysis", "near_misses")} == \
                {k: v for k, v in finding.items() if k not in ("derivation", "analysis", "near_misses")}


def test_slim_is_refused_beside_another_format():
    result = liability("run", PAID, "--slim", rules=None)
    assert_clean_failure(result)
    assert "--slim: applies to --format json only" in result.stderr


@pytest.mark.parametrize("cell", ["=HYPERLINK(\"http://x\")", "+1", "-2+3", "@SUM(A1)", "\tx"])
def test_a_cell_a_spreadsheet_would_run_as_a_formula_is_written_as_text(cell):
    assert safe_cell(cell) == "'" + cell
    assert pandas.read_csv(io.StringIO(records_csv([{"text": cell}])))["text"][0].startswith("'")


def test_numbers_and_missing_values_keep_their_kind():
    table = pandas.read_csv(io.StringIO(records_csv([{"a": 3, "b": None, "c": True}, {"a": -1, "b": 2, "c": False}])))
    assert list(table["a"]) == [3, -1] and table["b"].isna()[0] and list(table["c"]) == [True, False]
