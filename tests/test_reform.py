"""`liability reform`: an overlay on the rule packs, checked like a pack, never written into the
rules folder, and what it changes: over a library (as running each scenario under both rulebooks
says) and exactly (as every combination of the facts says)."""

from __future__ import annotations

import datetime as dt
import hashlib
import itertools
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from liability.bundled import rules_dir
from liability.overlay import load_reform
from liability.reasoner import Reasoner
from liability.formula import Literal
from liability.reform_changes import Where, compare_reform

FIXTURES = Path(__file__).parent / "fixtures"
RULES = FIXTURES / "rules-basic"
SCENARIOS = FIXTURES / "scenarios-basic"
REFORMS = Path(__file__).parent.parent / "reforms"
URL = "https://www.legifrance.gouv.fr/codes/article_lc/LEGIARTI000000000001"
HEADER = {"id": "test-reform", "title": {"fr": "Réforme d'essai", "en": "Test reform"},
          "cites": "Test code, art. 1", "url": URL}
DAY = dt.date(2016, 3, 14)

# The fixture's paid-ads rule rewritten: knowing generally no longer suffices, and advertising
# revenue, which the base rules never test, now counts as payment.
REWRITE_PAID_ADS = {"amend": "zz.demo.paid-ads",
                    "when": {"all": ["zz.host", {"any": ["money.posting_fees", "money.advertising_revenue"]},
                                     "knowledge.actual_knowledge"]}}


def liability(*args: str, rules: Path | None = RULES, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    environment = {k: v for k, v in os.environ.items() if k != "LIABILITY_RULES"} | (env or {})
    command = [sys.executable, "-m", "liability"] + (["--rules", str(rules)] if rules else []) + list(args)
    return subprocess.run(command, capture_output=True, text=True, env=environment, timeout=120)


def overlay(tmp_path: Path, *changes: dict, header: dict | None = None, name: str = "reform.yaml") -> Path:
    path = tmp_path / name
    path.write_text(yaml.safe_dump({"reform": header or HEADER, "changes": list(changes)}, sort_keys=False,
                                   allow_unicode=True))
    return path


def first_change(path: Path) -> int:
    """The line of the overlay's first change, where its problems are reported."""
    lines = path.read_text().splitlines()
    return lines.index("changes:") + 2


def one_error_line(result: subprocess.CompletedProcess[str]) -> str:
    """The run failed as bad input: exit 2, no traceback, one line on stderr, which is returned."""
    assert result.returncode == 2, (result.returncode, result.stdout, result.stderr)
    assert "Traceback" not in result.stderr and "internal error" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    return lines[0]


# --- an overlay is checked like a pack, and its problems are put to the change at fault ------------------

def test_an_unknown_rule_id_names_the_change_and_the_nearest_rule(tmp_path: Path):
    path = overlay(tmp_path, {"amend": "zz.demo.paid-add", "strength": "arguable"})
    line = one_error_line(liability("reform", str(path), str(SCENARIOS)))
    assert line.startswith(f"error: {path}:{first_change(path)}: change 1: amend: `zz.demo.paid-add`")
    assert "did you mean `zz.demo.paid-ads`?" in line


def test_a_bad_fact_path_in_an_amended_condition_is_the_loaders_message_at_the_overlays_line(tmp_path: Path):
    path = overlay(tmp_path, {"amend": "zz.demo.paid-ads", "when": {"all": ["zz.host", "money.posting_fee"]}})
    line = one_error_line(liability("reform", str(path), str(SCENARIOS)))
    assert line.startswith(f"error: {path}:{first_change(path)}: change 1: zz.demo.paid-ads: unknown fact `money.posting_fee`")
    assert "did you mean `money.posting_fees`?" in line


def test_a_change_that_cannot_be_stratified_is_refused(tmp_path: Path):
    # the offence would rest on the absence of the exemption, which rests on the absence of the offence
    path = overlay(tmp_path, {"amend": "zz.demo.paid-ads", "unless": ["zz.exempt"]})
    line = one_error_line(liability("reform", str(path), str(SCENARIOS)))
    assert f"{path}:{first_change(path)}: change 1: zz.demo." in line and "negation cannot be stratified" in line


def test_an_amended_url_off_the_official_sites_is_refused(tmp_path: Path):
    path = overlay(tmp_path, {"amend": "zz.demo.paid-ads", "url": "https://example.com/test-code"})
    line = one_error_line(liability("reform", str(path), str(SCENARIOS)))
    assert line.startswith(f"error: {path}:{first_change(path)}: change 1: zz.demo.paid-ads: url `https://example.com/test-code` "
                           "is not an https address on an official site")


def test_the_reforms_own_url_off_the_official_sites_is_refused(tmp_path: Path):
    path = overlay(tmp_path, {"amend": "zz.demo.paid-ads", "strength": "arguable"},
                   header={**HEADER, "url": "http://www.legifrance.gouv.fr/x"})
    line = one_error_line(liability("reform", str(path), str(SCENARIOS)))
    assert f"{path}:" in line and "reform: url `http://www.legifrance.gouv.fr/x`" in line


@pytest.mark.parametrize("on, expected", [
    ("1999-06-01", "in_force ends (1999-05-31) before it starts (2000-01-01)"),
    ("2016-02-30", "invalid value `2016-02-30`"),
])
def test_a_repeal_on_a_bad_date_is_refused(tmp_path: Path, on: str, expected: str):
    path = tmp_path / "reform.yaml"
    path.write_text(yaml.safe_dump({"reform": HEADER, "changes": []}).replace(
        "changes: []", f"changes:\n- repeal: zz.demo.paid-ads\n  on: {on}\n"))
    line = one_error_line(liability("reform", str(path), str(SCENARIOS)))
    assert expected in line and str(path) in line


def test_a_change_with_a_misspelt_verb_or_key_is_named_with_the_nearest(tmp_path: Path):
    path = overlay(tmp_path, {"amnd": "zz.demo.paid-ads"})
    line = one_error_line(liability("reform", str(path), str(SCENARIOS)))
    assert f"{path}:{first_change(path)}: change 1: a change has exactly one of amend, repeal, add, penalty" in line
    assert "did you mean `amend`?" in line
    path = overlay(tmp_path, {"amend": "zz.demo.paid-ads", "strenght": "likely"})
    line = one_error_line(liability("reform", str(path), str(SCENARIOS)))
    assert "change 1: unknown key `strenght` - did you mean `strength`?" in line


def test_repealing_a_rule_another_needs_is_put_to_the_repeal(tmp_path: Path):
    path = overlay(tmp_path, {"repeal": "zz.demo.hosts"})
    result = liability("reform", str(path), str(SCENARIOS))
    assert result.returncode == 2 and "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert lines and all(line.startswith(f"error: {path}:{first_change(path)}: change 1: repeal zz.demo.hosts: ")
                         for line in lines), result.stderr
    assert "`established_by` names `zz.demo.hosts`, which is not a rule of this pack" in result.stderr


def test_an_added_rule_joins_an_existing_pack_only(tmp_path: Path):
    added = {"id": "zz.demo.ad-revenue", "pack": "zz.dem", "cites": "Test code, art. 1, 2°", "url": URL,
             "in_force": {"from": "2000-01-01"}, "when": {"all": ["zz.host", "money.advertising_revenue"]},
             "then": {"conclude": "zz.offence", "strength": "arguable"},
             "because": {"fr": "Question ouverte : la publicité est-elle un profit ?",
                         "en": "Open question: is advertising profit?"}}
    line = one_error_line(liability("reform", str(overlay(tmp_path, {"add": added})), str(SCENARIOS)))
    assert "add: pack `zz.dem` is not one the regimes load - did you mean `zz.demo`?" in line
    result = liability("reform", str(overlay(tmp_path, {"add": {**added, "pack": "zz.demo"}})), str(SCENARIOS),
                       "--format", "json")
    assert result.returncode == 0, result.stderr
    # no scenario of the library says whether the host earns advertising revenue: the added rule
    # leaves open what was settled, and settles nothing
    changed = json.loads(result.stdout)["findings_changed"]
    assert changed and all(c["after"]["status"] == "undetermined" for c in changed)
    assert {c["head"] for c in changed} == {"zz.offence", "zz.exempt"}


# --- what the reform changes over a library is what running each scenario under both books says ---------

def _statuses(reasoner: Reasoner, path: Path) -> dict[tuple[str, str], tuple[str, str | None]]:
    document = reasoner.assess(reasoner.load(path), explain=False)
    return {(f.head, f.proceeding): (f.status, f.strength) for regime in document.regimes for f in regime.findings}


def test_the_counts_over_a_library_are_those_of_running_each_scenario_under_both_rulebooks(tmp_path: Path):
    library = tmp_path / "library"
    library.mkdir()
    for source in SCENARIOS.iterdir():
        (library / source.name).write_bytes(source.read_bytes())
    (library / "ads.yaml").write_text(yaml.safe_dump({
        "id": "ad-funded-host", "facts_date": "2014-06-01", "judged_on": "2016-03-14",
        "service": {"stores_user_content": True}, "money": {"posting_fees": False, "advertising_revenue": True},
        "knowledge": {"actual_knowledge": True}}))
    path = overlay(tmp_path, REWRITE_PAID_ADS, {"amend": "zz.demo.hosts", "strength": "likely"})
    base = Reasoner(RULES, "direct")
    reform = load_reform(path, base.regimes, base.directory, base.rulebook)
    reformed = Reasoner(RULES, "direct", reform.rulebooks)
    expected: dict[tuple, list[str]] = {}
    files = sorted(library.iterdir())
    for file in files:
        before, after = _statuses(base, file), _statuses(reformed, file)
        for key in before:
            if before[key] != after[key]:
                expected.setdefault((*key, before[key], after[key]), []).append(base.load(file).id)
    assert len(expected) >= 4  # statuses and strengths both change somewhere

    report = compare_reform(base, reform, files, DAY)
    got = {(t.head, t.proceeding, (t.before.status, t.before.strength), (t.after.status, t.after.strength)):
           sorted(t.scenarios) for t in report.transitions}
    assert got == {key: sorted(ids) for key, ids in expected.items()}
    assert report.scenarios == len(files) and not report.problems


# --- the exact change is what every combination of the facts says ------------------------------------------

FACTS = ["service.stores_user_content", "money.posting_fees", "money.advertising_revenue",
         "knowledge.general_awareness", "knowledge.actual_knowledge"]
"""Every fact either book tests (the base never tests advertising revenue, the reform does)."""

# A reform reaching children: the offence also needs a minor victim, or a child under 15; the facts
# file says that a child under 15 is a minor, so no combination with one and not the other exists.
CHILDREN = {"amend": "zz.demo.paid-ads",
            "when": {"all": ["zz.host", "money.posting_fees", "knowledge.general_awareness",
                             {"any": ["victims.under_15", {"fact": "victims.minors", "is": True}]}]}}
CHILDREN_FACTS = ["service.stores_user_content", "money.posting_fees", "knowledge.general_awareness",
                  "knowledge.actual_knowledge", "victims.minors", "victims.under_15"]


def _scenario(facts: list[str], combination: tuple[bool, ...]) -> bytes:
    data: dict = {"id": "combination", "facts_date": DAY.isoformat(), "judged_on": DAY.isoformat()}
    for path, value in zip(facts, combination):
        section, name = path.split(".")
        data.setdefault(section, {})[name] = value
    return yaml.safe_dump(data).encode()


def _possible(facts: list[str], combination: tuple[bool, ...]) -> bool:
    values = dict(zip(facts, combination))
    return not (values.get("victims.under_15") and values.get("victims.minors") is False)


def _holds(literal: Literal, facts: dict[str, bool]) -> bool:
    return str(facts[literal.fact]).lower() in literal.classes


def _satisfies(formula: Where, facts: dict[str, bool]) -> bool:
    return all(_holds(l, facts) for l in formula.common) and (
        not formula.alternatives or any(all(_holds(l, facts) for l in clause) for clause in formula.alternatives))


@pytest.mark.parametrize("change, facts", [(REWRITE_PAID_ADS, FACTS), (CHILDREN, CHILDREN_FACTS)],
                         ids=["advertising-revenue", "children"])
def test_the_exact_change_formula_is_the_set_of_combinations_whose_status_changes(tmp_path: Path, change: dict,
                                                                                 facts: list[str]):
    base = Reasoner(RULES, "direct")
    reform = load_reform(overlay(tmp_path, change), base.regimes, base.directory, base.rulebook)
    reformed = Reasoner(RULES, "direct", reform.rulebooks)
    report = compare_reform(base, reform, [], DAY)
    assert all(change.where.complete and change.where.minimised for change in report.changes)
    combinations = list(itertools.product([True, False], repeat=len(facts)))
    moved: dict[tuple[str, str, str, str], set[tuple[bool, ...]]] = {}
    for combination in filter(lambda c: _possible(facts, c), combinations):
        scenario = base.load("combination.yaml", _scenario(facts, combination))
        before, after = base.decide(scenario, "zz"), reformed.decide(scenario, "zz")
        for (head, proceeding), decision in before.statuses.items():
            was, becomes = decision.status, after.statuses[(head, proceeding)].status
            assert was is not None and becomes is not None  # every fact stated
            if was != becomes:
                moved.setdefault((head, proceeding, was, becomes), set()).add(combination)
    assert moved  # the reform changes something
    described = {}
    for change in report.changes:
        for proceeding in change.proceedings:
            described[(change.head, proceeding, change.before, change.after)] = {
                combination for combination in combinations if _satisfies(change.where, dict(zip(facts, combination)))}
    assert described == moved  # impossible combinations included: the formula names none


def test_the_exact_change_says_in_words_what_the_reform_makes_of_the_offence(tmp_path: Path):
    path = overlay(tmp_path, REWRITE_PAID_ADS)
    english = liability("reform", str(path), str(SCENARIOS), "--as-of", DAY.isoformat())
    assert english.returncode == 0, english.stderr
    assert "the reform makes it liable (it was not liable) where" in english.stdout
    assert "earns indirect revenue from the audience and knows of specific illicit items" in english.stdout
    french = liability("reform", str(path), str(SCENARIOS), "--as-of", DAY.isoformat(), "--lang", "fr")
    assert french.returncode == 0, french.stderr
    assert "la réforme rend la conclusion" in french.stdout and "(elle était" in french.stdout
    assert "money.advertising_revenue" not in french.stdout


# --- the rules folder and the cache are left as they were ---------------------------------------------------

def _digest(folder: Path) -> str:
    digest = hashlib.sha256()
    for file in sorted(folder.rglob("*")):
        if file.is_file():
            digest.update(str(file.relative_to(folder)).encode() + b"\0" + file.read_bytes())
    return digest.hexdigest()


def test_a_reform_over_the_bundled_rules_leaves_rules_and_the_cache_of_the_packs_untouched(tmp_path: Path):
    cache = tmp_path / "cache"
    environment = {"LIABILITY_CACHE_DIR": str(cache)}
    before = _digest(rules_dir())
    assert liability("rules", "list", rules=None, env=environment).returncode == 0  # the packs' own entries
    entries = {entry.name: entry.read_bytes() for entry in cache.iterdir()}
    result = liability("reform", str(REFORMS / "fr-advertising-profit.yaml"), "--format", "json", rules=None,
                       env=environment)
    assert result.returncode == 0, result.stderr
    assert _digest(rules_dir()) == before
    assert {entry.name: entry.read_bytes() for entry in cache.iterdir()} == entries
    report = json.loads(result.stdout)
    assert report["regimes"] == ["fr"] and report["findings_changed"]
    # the base findings still come from the packs as written: the reform's changes do not leak
    assert liability("check", rules=None, env=environment).returncode == 0


def test_markdown_escapes_what_the_overlay_says(tmp_path: Path):
    header = {**HEADER, "title": {"fr": "Réforme <b>*gras*</b>", "en": "Reform <script>*x*</script>"}}
    path = overlay(tmp_path, REWRITE_PAID_ADS, header=header)
    result = liability("reform", str(path), str(SCENARIOS), "--format", "md", "--as-of", DAY.isoformat())
    assert result.returncode == 0, result.stderr
    assert "<script>" not in result.stdout and "\\<script\\>" in result.stdout


# --- penalties, lint, the bundled examples ---------------------------------------------------------------

def test_a_rewritten_penalty_changes_the_penalty_at_stake_where_its_rule_fires(tmp_path: Path):
    versions = [{"in_force": {"from": "2000-01-01", "to": "2009-12-31"}, "prison_years": 5, "fine": 75000,
                 "currency": "EUR"},
                {"in_force": {"from": "2010-01-01"}, "prison_years": 10, "fine": 300000, "currency": "EUR"}]
    path = overlay(tmp_path, {"penalty": "zz.p.offence", "versions": versions})
    result = liability("reform", str(path), str(SCENARIOS / "liable.yaml"), "--format", "json")
    assert result.returncode == 0, result.stderr
    changed = {(c["head"], c["proceeding"]): c for c in json.loads(result.stdout)["findings_changed"]}
    assert set(changed) == {("zz.offence", "criminal"), ("zz.offence", "civil")}
    for change in changed.values():  # a legal person: the fine, five times
        assert (change["before"]["penalty"]["fine"], change["after"]["penalty"]["fine"]) == (750000, 1500000)
        assert change["before"]["status"] == change["after"]["status"] == "liable"
        assert change["scenarios"] == ["liable-host"]
    gap = [versions[0], {**versions[1], "in_force": {"from": "2010-02-01"}}]
    line = one_error_line(liability("reform", str(overlay(tmp_path, {"penalty": "zz.p.offence", "versions": gap})),
                                    str(SCENARIOS)))
    assert "change 1: penalty zz.p.offence: gap between versions: one ends 2009-12-31, the next starts 2010-02-01" in line


def test_what_lint_would_say_of_the_reformed_rules_is_warned_about(tmp_path: Path):
    path = overlay(tmp_path, {"amend": "zz.demo.paid-ads", "strength": "arguable",
                              "because": {"fr": "Il fait payer des annonces.", "en": "It charges for ads."}})
    result = liability("reform", str(path), str(SCENARIOS))
    assert result.returncode == 0, result.stderr
    assert f"warning: {path}:{first_change(path)}: change 1: zz.demo.paid-ads: arguable, but `because` does not " \
           "name the open question" in result.stderr


def test_a_bundled_reform_is_named_by_its_id(tmp_path: Path):
    result = liability("reform", "fr-advertising-proft", rules=None)
    assert "no bundled reform has that id - did you mean `fr-advertising-profit`?" in one_error_line(result)
    for example in sorted(REFORMS.glob("*.yaml")):
        result = liability("reform", example.stem, str(SCENARIOS.parent.parent.parent / "scenarios" / "fr"),
                           "--format", "json", rules=None)
        assert result.returncode == 0, result.stderr
        assert json.loads(result.stdout)["reform"]["id"] == example.stem


def test_a_broken_scenario_in_the_library_is_reported_and_the_others_are_compared(tmp_path: Path):
    library = tmp_path / "library"
    library.mkdir()
    (library / "liable.yaml").write_bytes((SCENARIOS / "liable.yaml").read_bytes())
    (library / "broken.yaml").write_text("id: broken\nmoney: {posting_fee: true}\n")
    result = liability("reform", str(overlay(tmp_path, REWRITE_PAID_ADS)), str(library), "--format", "json")
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert "broken.yaml" in result.stderr and "did you mean `posting_fees`?" in result.stderr
    report = json.loads(result.stdout)
    assert report["scenarios"] == 1 and report["findings_changed"]


def test_a_regime_the_reform_does_not_touch_can_change_nothing(tmp_path: Path):
    result = liability("reform", "fr-advertising-profit", "--regime", "us", "--format", "json", rules=None)
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert report["regimes"] == [] and report["findings_changed"] == [] and report["exact"]["status_changes"] == []
    text = liability("reform", "fr-advertising-profit", "--regime", "us", rules=None)
    assert "no regime's packs are changed: nothing can change" in text.stdout
    assert "--regime: unknown regime `uk`" in one_error_line(liability("reform", "fr-advertising-profit", "--regime",
                                                                       "uk", rules=None))


def test_the_library_function_gives_the_report_the_command_prints(tmp_path: Path):
    import liability

    path = overlay(tmp_path, REWRITE_PAID_ADS)
    report = liability.reform(path, [SCENARIOS], as_of=DAY, rules=RULES)
    printed = json.loads(liability_json := liability_run_json(path))
    assert report.as_json() == printed, liability_json


def liability_run_json(path: Path) -> str:
    result = liability("reform", str(path), str(SCENARIOS), "--as-of", DAY.isoformat(), "--format", "json")
    assert result.returncode == 0, result.stderr
    return result.stdout
