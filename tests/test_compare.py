"""`liability compare`: one row per question, one column per regime and date, and why they differ."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from packs import PACK_HEADER, rule, write_rules

HEADS = """\
heads:
  - id: tt.offence
    kind: offence
    topic: offences
    proceedings: [criminal]
    title: {fr: "Infraction", en: "Offence"}
    question: {fr: "Infraction ?", en: "Offence?"}
"""
LATE_RULE = rule("tt.r.late", "money.posting_fees", "tt.offence", in_force="{from: 2018-04-11}")


def run(tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    (tmp_path / "rules").mkdir(exist_ok=True)
    rules = write_rules(tmp_path / "rules", PACK_HEADER + HEADS + "rules:\n" + LATE_RULE)
    scenario = tmp_path / "case.yaml"
    scenario.write_text("id: case\ntitle: A <b>case</b>\nfacts_date: 2016-06-01\nmoney: {posting_fees: true}\n")
    return subprocess.run([sys.executable, "-m", "liability", "--rules", str(rules), "compare", str(scenario), *args],
                          capture_output=True, text=True)


def test_columns_at_two_dates_differ_and_the_rule_that_makes_them_differ_is_named(tmp_path: Path) -> None:
    result = run(tmp_path, "--as-of", "2016-06-01,2019-06-01", "--format", "json")
    assert result.returncode == 0, result.stderr
    comparison = json.loads(result.stdout)
    assert comparison["schema"] == "liability/comparison-v1"
    assert [c["facts_date"] for c in comparison["columns"]] == ["2016-06-01", "2019-06-01"]
    (row,) = [r for r in comparison["rows"] if r["topic"] == "offences"]
    assert [cell[0]["status"] for cell in row["cells"]] == ["not_applicable", "liable"]  # the text comes into force
    assert row["differs"] is True
    (difference,) = comparison["differences"]
    assert difference["rule"] == "tt.r.late"
    assert difference["drawn_in"] == ["tt @ 2019-06-01"] and difference["not_drawn_in"] == ["tt @ 2016-06-01"]
    assert difference["facts"] == {"money.posting_fees": True}


def test_facts_and_judgment_dates_can_differ_in_a_column(tmp_path: Path) -> None:
    result = run(tmp_path, "--as-of", "2016-06-01/2019-01-01", "--format", "json")
    assert result.returncode == 0, result.stderr
    (column,) = json.loads(result.stdout)["columns"]
    assert (column["facts_date"], column["judged_on"]) == ("2016-06-01", "2019-01-01")


def test_text_and_markdown_show_a_row_per_question_and_escape_the_title(tmp_path: Path) -> None:
    text = run(tmp_path, "--as-of", "2016-06-01,2019-06-01", "--width", "160")
    assert text.returncode == 0, text.stderr
    assert "tt @ 2016-06-01" in text.stdout and "Is the actor criminally liable? *" in text.stdout
    markdown = run(tmp_path, "--as-of", "2016-06-01,2019-06-01", "--format", "md")
    assert markdown.stdout.startswith("# A \\<b\\>case\\</b\\>\n")
    assert "| Question | tt @ 2016-06-01 | tt @ 2019-06-01 |" in markdown.stdout


def test_a_bad_as_of_date_is_bad_input(tmp_path: Path) -> None:
    for bad in ("2016-13-01", "2019-01-01/2016-01-01"):
        result = run(tmp_path, "--as-of", bad)
        assert result.returncode == 2 and "--as-of" in result.stderr and "Traceback" not in result.stderr


def test_an_unknown_regime_is_bad_input(tmp_path: Path) -> None:
    result = run(tmp_path, "--regimes", "tt,zz")
    assert result.returncode == 2 and "unknown regime `zz`" in result.stderr
