"""The command line end to end, in a subprocess (DESIGN.md sections 7 and 8)."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from packs import pack, rule, write_rules

from liability.findings import Document
from liability.render.text import NARROWEST

FIXTURES = Path(__file__).parent / "fixtures"
RULES = FIXTURES / "rules-basic"
SCENARIOS = FIXTURES / "scenarios-basic"
LIABLE = SCENARIOS / "liable.yaml"
OPEN = SCENARIOS / "open.yaml"
EXEMPT = SCENARIOS / "exempt.yaml"


def liability(*args: str, rules: Path | None = RULES, env: dict[str, str] | None = None,
              cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    """Run `python -m liability [--rules RULES] ARGS` and return the finished process."""
    environment = {k: v for k, v in os.environ.items() if k != "LIABILITY_RULES"} | (env or {})
    command = [sys.executable, "-m", "liability"] + (["--rules", str(rules)] if rules else []) + list(args)
    return subprocess.run(command, capture_output=True, text=True, env=environment, cwd=cwd, timeout=120)


def assert_clean_failure(result: subprocess.CompletedProcess[str], code: int = 2) -> None:
    assert result.returncode == code, (result.returncode, result.stdout, result.stderr)
    assert "Traceback" not in result.stderr and "Traceback" not in result.stdout
    assert "internal error" not in result.stderr


def findings_of(document: dict, head: str, proceeding: str | None = None) -> dict:
    (regime,) = document["regimes"]
    found = [f for f in regime["findings"] if f["head"] == head and (proceeding is None or f["proceeding"] == proceeding)]
    assert found, f"no finding for {head} {proceeding or ''}"
    return found[0]


# --- the package imports and runs on this Python --------------------------------------------------

def test_the_package_imports_in_a_fresh_interpreter():
    result = subprocess.run([sys.executable, "-c", "import liability, liability.engine; print(liability.__version__)"],
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert re.fullmatch(r"\d+\.\d+\.\d+\s*", result.stdout)


def test_importing_the_package_does_not_leave_experta_logging_on_stderr():
    code = "import logging, liability.engine; logging.getLogger('experta').warning('noise')"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0 and "noise" not in result.stderr


# --- run -----------------------------------------------------------------------------------------

def test_run_prints_a_summary_line_per_head_and_keeps_the_reasons_for_detail():
    result = liability("run", str(LIABLE))
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "A host that charges for ads it knows about" in out
    assert "Test regime: facts of 1 June 2014, assessed on 14 March 2016" in out
    assert re.search(r"\nTest offence +criminal +liable +likely +a fine of EUR\u00a0750,000\n", out)
    assert "It charges for ads it knows to be unlawful." not in out and "--detail" in out
    assert "Rule trace" not in out


def test_run_with_detail_gives_each_finding_its_question_and_reasons_after_the_summary():
    out = liability("run", str(LIABLE), "--detail").stdout
    summary, reasons = out.index("Test offence  "), out.index("Reasons\n")
    assert summary < reasons < out.index("Is the actor liable for the test offence?")
    assert "It charges for ads it knows to be unlawful." in out[reasons:]


def test_run_refuses_a_width_too_narrow_for_a_rule_id_in_one_line():
    result = liability("run", str(LIABLE), "--width", "20")
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert "--width" in result.stderr and "20" in result.stderr


@pytest.mark.parametrize("command", ["run", "compare"])
def test_the_narrowest_width_is_taken_and_one_column_less_refused_in_one_line(command):
    refused = liability(command, "fr-escort-classifieds-paid-2019", "--width", str(NARROWEST - 1), rules=None)
    assert_clean_failure(refused)
    assert refused.stderr.count("\n") == 1 and f"--width: {NARROWEST - 1} columns" in refused.stderr
    assert f"at least {NARROWEST}" in refused.stderr
    taken = liability(command, "fr-escort-classifieds-paid-2019", "--width", str(NARROWEST), rules=None)
    assert taken.returncode == 0, taken.stderr
    assert max(len(line) for line in taken.stdout.splitlines()) <= NARROWEST
    assert f"at least {NARROWEST}," in " ".join(liability(command, "--help", rules=None).stdout.split())


def test_run_with_trace_lists_each_rule_that_fired_in_order():
    result = liability("run", str(LIABLE), "--trace")
    assert result.returncode == 0, result.stderr
    trace = result.stdout[result.stdout.index("Rule trace (zz)"):]
    assert re.search(r"1\. zz\.demo\.hosts \[certain\] -> zz\.host\n", trace)
    assert re.search(r"2\. zz\.demo\.paid-ads \[certain\] -> zz\.offence \(art\. 1 2°\)", trace)
    assert "money.posting_fees=true" in trace


def test_run_in_french_uses_the_french_texts():
    result = liability("run", str(LIABLE), "--lang", "fr", "--detail")
    assert result.returncode == 0, result.stderr
    assert "Régime d'essai" in result.stdout and "responsable" in result.stdout
    assert "Il fait payer des annonces qu'il sait illicites." in result.stdout


def test_run_as_markdown_prints_a_table_and_with_trace_a_numbered_trace():
    result = liability("run", str(LIABLE), "--format", "md", "--trace")
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert out.startswith("# A host that charges for ads it knows about\n")
    assert "| Question | Proceeding | Finding | Strength | At stake |" in out
    assert re.search(r"\| Is the actor liable for the test offence\? \| criminal \| \*\*liable\*\* \| likely \|", out)
    assert re.search(r"^2\. `zz\.demo\.paid-ads` \(certain, .*\) -> `zz\.offence`$", out, re.MULTILINE)


def test_run_as_json_follows_the_findings_v1_contract():
    result = liability("run", str(LIABLE), "--format", "json")
    assert result.returncode == 0, result.stderr
    document = json.loads(result.stdout)
    assert list(document)[:3] == ["schema", "engine", "scenario"]
    assert document["schema"] == "liability/findings-v1"
    assert document["engine"].startswith("liability ")
    assert document["scenario"] == "liable-host"
    (regime,) = document["regimes"]
    assert {"regime": "zz", "facts_date": "2014-06-01", "judged_on": "2016-03-14"}.items() <= regime.items()
    for finding in regime["findings"]:
        assert {"head", "proceeding", "status", "strength", "cites", "because", "derivation", "penalties",
                "missing_facts"} <= set(finding)
        assert isinstance(finding["cites"], list) and isinstance(finding["because"], list)
    for index, step in enumerate(regime["trace"], start=1):
        assert step["step"] == index
        assert {"rule", "cites", "matched", "concluded"} <= set(step)
    # the document is exactly what the pydantic contract model accepts
    Document.model_validate({("schema_" if key == "schema" else key): value for key, value in document.items()})


def test_json_findings_give_status_strength_citations_reasons_and_penalties():
    document = json.loads(liability("run", str(LIABLE), "--format", "json").stdout)
    assert [(f["head"], f["proceeding"], f["status"]) for f in document["regimes"][0]["findings"]] == [
        ("zz.host", "criminal", "met"), ("zz.offence", "criminal", "liable"), ("zz.offence", "civil", "liable"),
        ("zz.exempt", "civil", "not_met")]
    offence = findings_of(document, "zz.offence", "criminal")
    assert offence["strength"] == "likely"
    assert offence["cites"] == ["Test code, art. 1, 2°"]
    assert offence["because"] == ["It charges for ads it knows to be unlawful."]
    assert offence["derivation"]["conclusion"] == "zz.offence"
    assert [use["rule"] for use in offence["derivation"]["rules"]] == ["zz.demo.paid-ads"]
    assert offence["missing_facts"] == []
    penalty = offence["penalties"]
    # a legal person: no prison, the fine multiplied, the version in force on the facts' date
    assert penalty["prison_years"] is None and penalty["fine"] == 750000 and penalty["currency"] == "EUR"
    assert penalty["version_from"] == "2010-01-01"
    assert [step["rule"] for step in document["regimes"][0]["trace"]] == ["zz.demo.hosts", "zz.demo.paid-ads"]
    step = document["regimes"][0]["trace"][1]
    assert step["matched"]["facts"] == {"money.posting_fees": True, "knowledge.general_awareness": True}
    assert step["matched"]["conclusions"] == ["zz.host"]


def test_json_for_an_unknown_fact_gives_undetermined_with_the_facts_that_would_decide_it():
    document = json.loads(liability("run", str(OPEN), "--format", "json").stdout)
    offence = findings_of(document, "zz.offence", "criminal")
    assert offence["status"] == "undetermined"
    assert offence["missing_facts"] == ["knowledge.general_awareness", "knowledge.actual_knowledge"]
    assert offence["penalties"]["conditional"] is True
    assert offence["penalties"]["prison_years"] == 7
    assert findings_of(document, "zz.exempt")["status"] == "undetermined"


def test_json_for_a_head_that_does_not_hold_says_which_condition_failed():
    document = json.loads(liability("run", str(EXEMPT), "--format", "json").stdout)
    offence = findings_of(document, "zz.offence", "civil")
    assert offence["status"] == "not_liable"
    assert offence["derivation"] is None and offence["penalties"] is None
    assert any("zz.demo.paid-ads" in reason and "money.posting_fees" in reason for reason in offence["because"])
    assert findings_of(document, "zz.exempt")["status"] == "met"


def test_run_keeps_only_the_proceedings_a_scenario_asks_for_and_says_when_facts_are_alleged(tmp_path):
    case = tmp_path / "alleged.yaml"
    case.write_text(LIABLE.read_text().replace("id: liable-host", "id: alleged-host")
                    + "posture: alleged\nproceedings: [civil]\n")
    document = json.loads(liability("run", str(case), "--format", "json").stdout)
    (regime,) = document["regimes"]
    assert regime["posture"] == "alleged"
    assert [(f["head"], f["proceeding"]) for f in regime["findings"]] == [("zz.offence", "civil"), ("zz.exempt", "civil")]
    text = liability("run", str(case), "--width", "200").stdout
    assert "(on the allegations, taken as true: what is not alleged is not there)" in text


def test_run_on_a_folder_prints_one_json_document_per_scenario_in_path_order():
    result = liability("run", str(SCENARIOS), "--format", "json")
    assert result.returncode == 0, result.stderr
    documents = json.loads(result.stdout)
    assert [d["scenario"] for d in documents] == ["exempt-host", "liable-host", "open-knowledge"]


def test_the_rules_folder_can_be_given_by_the_environment():
    result = liability("run", str(LIABLE), "--format", "json", rules=None, env={"LIABILITY_RULES": str(RULES)})
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["regimes"][0]["regime"] == "zz"


def test_an_unknown_regime_is_bad_input():
    result = liability("run", str(LIABLE), "--regime", "mars")
    assert_clean_failure(result)
    assert "unknown regime `mars`; known: zz" in result.stderr


def test_a_bad_scenario_exits_2_with_its_location_on_stderr_and_no_traceback(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("id: bad\nfacts_date: 2014-06-01\nknowlege:\n  actual_knowledge: true\n")
    result = liability("run", str(bad))
    assert_clean_failure(result)
    assert result.stdout == ""
    assert result.stderr.strip() == f"error: {bad}:3: unknown key `knowlege` - did you mean `knowledge`?"


def test_a_missing_scenario_file_is_bad_input(tmp_path):
    result = liability("run", str(tmp_path / "absent.yaml"))
    assert_clean_failure(result)
    assert "absent.yaml" in result.stderr


def test_a_deeply_nested_scenario_is_bad_input_not_an_internal_error(tmp_path):
    bad = tmp_path / "deep.yaml"
    bad.write_text("id: deep\nfacts_date: 2014-06-01\ntitle: " + "[" * 5000 + "]" * 5000 + "\n")
    assert_clean_failure(liability("scenario", "validate", str(bad)))


def _broken_rules(tmp_path: Path) -> Path:
    return write_rules(tmp_path, pack(rule("tt.r.one", "money.posting_fee", "tt.one")))


def test_a_bad_rule_pack_exits_2_with_file_rule_and_problem_on_stderr(tmp_path):
    rules = _broken_rules(tmp_path)
    result = liability("run", str(LIABLE), rules=rules)
    assert_clean_failure(result)
    assert f"error: {rules / 'a.yaml'}:6: tt.r.one: unknown fact `money.posting_fee`" in result.stderr


def test_a_bad_rule_pack_named_by_the_environment_is_bad_input_too(tmp_path):
    rules = _broken_rules(tmp_path)
    result = liability("rules", "lint", rules=None, env={"LIABILITY_RULES": str(rules)})
    assert_clean_failure(result)
    assert "tt.r.one: unknown fact" in result.stderr


def test_a_rules_folder_without_regimes_is_bad_input(tmp_path):
    result = liability("rules", "list", rules=tmp_path)
    assert_clean_failure(result)
    assert str(tmp_path / "regimes.yaml") in result.stderr


# --- check ---------------------------------------------------------------------------------------

def test_check_exits_0_when_every_expectation_holds():
    result = liability("check", str(SCENARIOS))
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.strip().endswith("3 scenarios checked: 3 passed, 0 failed")


def test_check_exits_1_and_prints_expected_and_got_for_each_mismatch():
    result = liability("check", str(FIXTURES / "scenarios-mismatch"))
    assert result.returncode == 1, result.stdout + result.stderr
    wrong = FIXTURES / "scenarios-mismatch" / "wrong.yaml"
    assert f"{wrong}: zz.offence [criminal]: expected liable, got not_liable" in result.stdout
    assert f"{wrong}: zz.offence [civil]: expected liable, got not_liable" in result.stdout
    assert "1 scenario checked: 0 passed, 1 failed" in result.stdout


def test_check_refuses_an_expectation_for_a_head_the_regime_does_not_have_with_its_line(tmp_path):
    (tmp_path / "case.yaml").write_text("id: case\nfacts_date: 2014-06-01\nexpect: {zz.nothing: liable}\n")
    result = liability("check", str(tmp_path))
    assert_clean_failure(result)
    assert f"{tmp_path / 'case.yaml'}:3: `expect` names `zz.nothing`, which no regime" in result.stderr


def test_check_exits_2_when_a_scenario_cannot_be_read(tmp_path):
    (tmp_path / "good.yaml").write_text(LIABLE.read_text())
    (tmp_path / "bad.yaml").write_text("id: bad\nfacts_date: 2014-06-01\nmoney: {posting_fees: yes}\n")
    result = liability("check", str(tmp_path))
    assert_clean_failure(result)
    assert f"{tmp_path / 'bad.yaml'}:3: `money.posting_fees` is `yes`" in result.stderr
    assert "1 scenario checked: 1 passed, 0 failed; 1 unreadable file" in result.stdout


# --- rules ---------------------------------------------------------------------------------------

def test_rules_list_prints_each_rule_with_citation_conclusion_strength_and_dates():
    result = liability("rules", "list")
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert [line.split()[0] for line in lines] == ["zz.demo.hosts", "zz.demo.paid-ads", "zz.demo.exempt"]
    assert re.search(r"Test code, art\. 1, 2°\s+-> zz\.offence \(likely; from 2000-01-01\)", lines[1])


def test_rules_show_prints_one_rule_in_full():
    result = liability("rules", "show", "zz.demo.paid-ads")
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert out.startswith("zz.demo.paid-ads  (")
    assert "regime zz, stratum 0" in out
    assert "when:      (zz.host and money.posting_fees and (knowledge.general_awareness or "\
           "knowledge.actual_knowledge))" in out
    assert "concludes: zz.offence (element art. 1 2°)" in out
    assert "penalty:   zz.p.offence" in out
    exempt = liability("rules", "show", "zz.demo.exempt")
    assert "when:      (zz.host and not zz.offence)" in exempt.stdout
    assert "stratum 1" in exempt.stdout


def test_rules_show_of_an_unknown_id_is_bad_input():
    result = liability("rules", "show", "zz.demo.nothing")
    assert_clean_failure(result)
    assert "no rule `zz.demo.nothing`" in result.stderr


def test_rules_lint_exits_0_on_a_clean_pack():
    result = liability("rules", "lint")
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.splitlines() == ["checked against an official source: 3 of 3 rules (100%)",
                                          "3 rules in 1 regime: 0 warnings"]


def test_rules_lint_exits_1_with_one_warning_line_per_problem(tmp_path):
    write_rules(tmp_path, pack(rule("tt.r.loose", "money.posting_fees", "tt.loose", strength="arguable",
                                    because='{fr: "Peut-être.", en: "Maybe."}')))
    result = liability("rules", "lint", rules=tmp_path)
    assert result.returncode == 1, result.stdout + result.stderr
    warnings = [line for line in result.stdout.splitlines() if line.startswith("warning: ")]
    assert any("tt.r.loose: concludes `tt.loose`, which is neither a head nor used" in w for w in warnings)
    assert any("tt.r.loose: arguable, but `because` does not name the open question" in w for w in warnings)
    assert result.stdout.strip().endswith("1 rule in 1 regime: 2 warnings")


def test_rules_graph_dot_draws_rules_conclusions_and_typed_edges():
    result = liability("rules", "graph", "--format", "dot")
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert out.startswith('digraph "zz" {') and out.rstrip().endswith("}")
    assert '"zz.demo.paid-ads" -> "zz.offence";' in out
    assert '"zz.host" -> "zz.demo.paid-ads";' in out
    assert '"zz.offence" -> "zz.demo.exempt" [style=dashed, label="exception"];' in out
    assert '"zz.offence" [shape=ellipse, peripheries=2];' in out
    assert '"zz.demo.hosts" [shape=box' in out


def test_rules_graph_marks_a_defeat_drawn_by_another_instrument_as_an_override(tmp_path):
    rules = write_rules(
        tmp_path,
        pack(rule("tt.penal.hosting", "service.stores_user_content", "tt.offence", unless="[tt.exempt]"),
             rule("tt.penal.inner", "conduct.edits_content", "tt.inner"),
             rule("tt.penal.inner-defeated", "service.adult_section", "tt.offence", unless="[tt.inner]")),
        pack(rule("tt.host.exemption", "service.stores_user_content", "tt.exempt")).replace("tt.pack", "tt.host"))
    out = liability("rules", "graph", rules=rules).stdout
    assert '"tt.exempt" -> "tt.penal.hosting" [style=dashed, color="#9b1c1c", label="overrides"];' in out
    assert '"tt.inner" -> "tt.penal.inner-defeated" [style=dashed, label="exception"];' in out
    assert 'subgraph cluster_0 { label="tt.pack";' in out and 'subgraph cluster_1 { label="tt.host";' in out


def test_rules_graph_overlays_the_edges_a_scenario_used():
    result = liability("rules", "graph", "--scenario", str(LIABLE))
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert '"zz.demo.paid-ads" -> "zz.offence" [penwidth=2.5];' in out
    assert 'color="#bbbbbb"' in out


def test_rules_graph_mermaid_draws_the_same_graph():
    result = liability("rules", "graph", "--format", "mermaid")
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0] == "flowchart LR"
    ids = {m.group(2): m.group(1) for m in (re.match(r'\s+(n\d+)\S*?"(zz\.[a-z.\-]+)', line) for line in lines) if m}
    assert f"  {ids['zz.offence']} -. exception .-> {ids['zz.demo.exempt']}" in lines
    assert f"  {ids['zz.demo.paid-ads']} --> {ids['zz.offence']}" in lines
    legend = next(i for i, line in enumerate(lines) if line.startswith("  subgraph legend["))
    assert sum("-->" in line or ".->" in line for line in lines[:legend]) == 6
    assert lines[-1] == "  end"


# --- scenario ------------------------------------------------------------------------------------

def test_scenario_schema_prints_a_json_schema():
    result = liability("scenario", "schema", rules=None)
    assert result.returncode == 0, result.stderr
    schema = json.loads(result.stdout)
    assert {"id", "facts_date", "money", "knowledge", "expect"} <= set(schema["properties"])


def test_scenario_validate_accepts_good_files_and_says_so():
    result = liability("scenario", "validate", str(LIABLE), str(EXEMPT))
    assert result.returncode == 0, result.stderr
    assert f"{LIABLE}: ok" in result.stdout and f"{EXEMPT}: ok" in result.stdout
    assert result.stdout.strip().endswith("2 files valid")


def test_scenario_validate_reports_every_problem_of_every_file_and_exits_2(tmp_path):
    one, two = tmp_path / "one.yaml", tmp_path / "two.json"
    one.write_text("id: one\nfacts_date: 2014-13-45\n")
    two.write_text('{"id": "two", "facts_date": "2014-06-01", "service": {"kind": "blog"}}')
    result = liability("scenario", "validate", str(one), str(two), str(LIABLE))
    assert_clean_failure(result)
    errors = [line for line in result.stderr.splitlines() if line.startswith("error: ")]
    assert len(errors) == 2
    assert errors[0].startswith(f"error: {one}:2: invalid value `2014-13-45`")
    assert errors[1].startswith(f"error: {two}:1: `service.kind` is `blog`")
