"""What if: `run --set` and `whatif` assess a scenario with facts changed, checked as a file is."""

from __future__ import annotations

import json

import pytest
from test_cli import assert_clean_failure, liability

from liability.bundled import scenarios_dir
from liability.changes import parse_changes, with_changes
from liability.reasoner import Reasoner
from liability.scenario import ScenarioError
from liability.what_if import what_if

PAID = "fr-escort-classifieds-paid-2019"


def bundled(scenario_id: str):
    return next(scenarios_dir().rglob(f"{scenario_id}.yaml"))


@pytest.fixture(scope="module")
def reasoner() -> Reasoner:
    return Reasoner(engine="direct")


def run(*args: str):
    return liability(*args, rules=None)


def statuses(document: dict) -> dict[tuple[str, str, str], str]:
    return {(r["regime"], f["head"], f["proceeding"]): f["status"] for r in document["regimes"] for f in r["findings"]}


def answers(document: dict) -> dict[tuple[str, str, str], tuple[str, str | None]]:
    return {(r["regime"], f["head"], f["proceeding"]): (f["status"], f["strength"])
            for r in document["regimes"] for f in r["findings"]}


def test_run_with_set_gives_the_findings_of_the_file_that_states_the_change(tmp_path):
    text = bundled(PAID).read_text(encoding="utf-8").replace("posting_fees: true", "posting_fees: false") \
        .replace("promotion_fees: true", "promotion_fees: false")
    edited = tmp_path / "edited.yaml"
    edited.write_text(text, encoding="utf-8")
    changed = run("run", PAID, "--format", "json", "--set", "money.posting_fees=false",
                  "--set", "money.promotion_fees=false")
    written = run("run", str(edited), "--format", "json")
    assert changed.returncode == 0 and written.returncode == 0, changed.stderr
    assert answers(json.loads(changed.stdout)) == answers(json.loads(written.stdout))
    assert answers(json.loads(changed.stdout)) != answers(json.loads(run("run", PAID, "--format", "json").stdout))


def test_set_applies_to_every_file_of_a_batch(tmp_path):
    result = run("run", str(bundled(PAID)), str(bundled("fr-sugar-dating-contact-unknown-2023")), "--format", "jsonl",
                 "--set", "content.physical_contact=false")
    assert result.returncode == 0, result.stderr
    for line in result.stdout.splitlines():
        found = statuses(json.loads(line))
        assert found[("fr", "fr.prostitution", "criminal")] == "not_met"


@pytest.mark.parametrize("setting, message", [
    ("money.postingfees=false", "unknown fact `money.postingfees` - did you mean `money.posting_fees`?"),
    ("money.posting_fees=maybe", "`money.posting_fees` is `maybe`; expected true, false or unknown"),
    ("service.kind=clasifieds", "did you mean `classifieds`?"),
    ("victims.count=010", "plain decimal integer"),
    ("money.posting_fees", "expected FACT=VALUE"),
    ("facts_date=2019-02-30", "facts_date"),
])
def test_a_bad_setting_is_one_line_naming_the_option_and_exit_2(setting, message):
    for command in (["run", PAID], ["whatif", PAID]):
        result = run(*command, "--set", setting)
        assert_clean_failure(result)
        assert f"--set {setting}" in result.stderr and message in result.stderr
        assert len(result.stderr.strip().splitlines()) == 1


def test_a_setting_that_contradicts_another_fact_gets_the_loader_message(reasoner):
    scenario = reasoner.load(bundled(PAID))
    with pytest.raises(ScenarioError, match="a person under 15 is a minor"):
        with_changes(scenario, parse_changes(["victims.under_15=true", "victims.minors=false"], reasoner.vocabulary))


def test_a_fact_set_twice_is_refused(reasoner):
    with pytest.raises(ScenarioError, match="set twice"):
        parse_changes(["money.posting_fees=true", "money.posting_fees=false"], reasoner.vocabulary)


def test_unknown_reopens_a_stated_fact(reasoner):
    scenario = reasoner.load(bundled(PAID))
    changed = with_changes(scenario, parse_changes(["content.physical_contact=unknown"], reasoner.vocabulary))
    assert scenario.fact("content.physical_contact") is True and changed.fact("content.physical_contact") is None
    assert reasoner.decide(changed, "fr").statuses[("fr.prostitution", "criminal")].status is None


def test_whatif_lists_exactly_the_findings_that_differ_before_and_after(reasoner):
    scenario = reasoner.load(bundled(PAID))
    changes = parse_changes(["money.posting_fees=false", "money.promotion_fees=false", "actor.position=vendor"],
                            reasoner.vocabulary)
    result = what_if(reasoner, scenario, changes)
    before = reasoner.assess(scenario, explain=False)
    after = reasoner.assess(with_changes(scenario, changes), explain=False)
    pairs = {(r.regime, f.head, f.proceeding): (f.status, f.strength, f.penalties)
             for r in before.regimes for f in r.findings}
    differing = {(r.regime, f.head, f.proceeding) for r in after.regimes for f in r.findings
                 if pairs[(r.regime, f.head, f.proceeding)] != (f.status, f.strength, f.penalties)}
    assert {(f.regime, f.head, f.proceeding) for f in result.findings} == differing
    assert result.unchanged == sum(len(r.findings) for r in after.regimes) - len(differing)
    procuring = next(f for f in result.findings if f.head == "fr.proxenetisme")
    assert (procuring.before.status, procuring.after.status) == ("liable", "not_liable")
    assert procuring.no_longer  # the reasons that stop holding are given


def test_the_whatif_command_in_text_markdown_json_and_french():
    english = run("whatif", PAID, "--set", "money.posting_fees=false", "--set", "money.promotion_fees=false")
    assert english.returncode == 0, english.stderr
    assert "money.posting_fees: yes → no" in english.stdout and "liable (likely) → liable (arguable)" in english.stdout
    french = run("whatif", PAID, "--set", "money.posting_fees=false", "--set", "money.promotion_fees=false",
                 "--lang", "fr")
    assert "money.posting_fees\u00a0: oui → non" in french.stdout and "constituée (probable) → constituée (discutable)" \
        in french.stdout
    markdown = run("whatif", PAID, "--set", "money.posting_fees=false", "--format", "md")
    assert markdown.stdout.startswith("# What if") and "money.posting\\_fees" in markdown.stdout
    document = json.loads(run("whatif", PAID, "--set", "money.posting_fees=false", "--set",
                              "money.promotion_fees=false", "--format", "json").stdout)
    assert document["schema"] == "liability/whatif-v1"
    assert document["changes"] == [{"fact": "money.posting_fees", "before": True, "after": False},
                                   {"fact": "money.promotion_fees", "before": True, "after": False}]


def test_a_change_that_changes_nothing_says_so():
    result = run("whatif", PAID, "--set", "money.posting_fees=true")
    assert result.returncode == 0 and "No finding changes." in result.stdout
