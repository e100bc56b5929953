"""`liability rules lint`: the checks over a rules folder that do not stop it loading, each
reported as `file: rule id: problem`, `file: head id: problem` or `file: fact or term: problem`,
exit 1 when there is any, so an author of `--rules DIR` sees what the bundled packs' tests see."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from packs import PACK_HEADER, URL, rule, write_rules
from liability.bundled import rules_dir

HEAD = f"""\
heads:
  - id: tt.offence
    kind: offence
    proceedings: [criminal]
    title: {{fr: "Offence", en: "Offence"}}
    question: {{fr: "Offence?", en: "Offence?"}}
    elements:
      - part: material
        name: {{fr: "Fait payer", en: "Fait payer"}}
        cites: "Test code, art. 1"
        url: {URL}
        when: {{all: [money.posting_fees, knowledge.actual_knowledge]}}
  - id: tt.bare
    kind: threshold
    proceedings: [criminal]
    title: {{fr: "Seuil", en: "Threshold"}}
    question: {{fr: "Seuil ?", en: "Threshold?"}}
"""
RULES = ("rules:\n" + rule("tt.r.offence", "money.posting_fees", "tt.offence")
         + rule("tt.r.bare", "money.promotion_fees", "tt.bare", because='{fr: "Because.", en: "Because."}'))
GLOSSARY = """\
terms:
  - id: seuil
    fr: seuil
    en: threshold
    equivalence: partial
    heads: [tt.bare, tt.nowhere]
    note: {fr: "Une note.", en: "A note."}
"""


def lint(rules: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "liability", "--rules", str(rules), "rules", "lint"],
                          capture_output=True, text=True, timeout=120)


def warnings(result: subprocess.CompletedProcess[str]) -> list[str]:
    return [line.removeprefix("warning: ") for line in result.stdout.splitlines() if line.startswith("warning: ")]


def test_a_head_without_elements_and_texts_copied_across_languages_are_warned_about_by_file_and_id(tmp_path):
    rules = write_rules(tmp_path, PACK_HEADER + HEAD + RULES)
    result = lint(rules)
    assert result.returncode == 1, result.stdout + result.stderr
    pack = rules / "a.yaml"
    assert sorted(warnings(result)) == sorted([
        f"{pack}: head tt.bare: states no elements, so its analysis cannot be laid out element by element",
        f"{pack}: head tt.offence: question is the same in French and in English",
        f"{pack}: head tt.offence: element `Fait payer`: name is the same in French and in English",
        f"{pack}: tt.r.bare: `because` is the same in French and in English",
    ])
    assert result.stdout.strip().endswith("2 rules in 1 regimes: 4 warnings")


def test_a_fact_not_asked_as_a_question_and_a_term_about_an_unknown_head_are_warned_about(tmp_path):
    facts = (rules_dir() / "facts.yaml").read_text(encoding="utf-8")
    asked = "fr: \"Le service fait-il payer la publication d'annonces dans sa rubrique adulte ?\""
    assert asked in facts, "the bundled question this test edits has moved"
    facts = facts.replace(asked, "fr: \"Dites si le service fait payer la publication des annonces.\"")
    rules = write_rules(tmp_path, PACK_HEADER + HEAD + RULES, facts=facts)
    (rules / "glossary.yaml").write_text(GLOSSARY, encoding="utf-8")
    found = warnings(lint(rules))
    assert (f"{rules / 'facts.yaml'}: fact money.posting_fees: the French question does not end with a question mark"
            in found)
    assert f"{rules / 'glossary.yaml'}: term seuil: names head `tt.nowhere`, which no regime declares" in found
    assert not any("`tt.bare`" in line for line in found)


def test_the_bundled_rules_folder_lints_clean():
    result = subprocess.run([sys.executable, "-m", "liability", "rules", "lint"], capture_output=True, text=True,
                            timeout=120)
    assert result.returncode == 0, result.stdout
    assert result.stdout.strip().endswith(": 0 warnings")


def test_a_rule_without_a_checked_record_is_warned_about_and_the_share_checked_is_printed(tmp_path):
    unchecked = rule("tt.r.unchecked", "money.posting_fees", "tt.offence").replace(
        f"    checked: {{on: 2024-01-01, source: {URL}}}\n", "")
    rules = write_rules(tmp_path, PACK_HEADER + HEAD.split("  - id: tt.bare")[0] + "rules:\n" + unchecked
                        + rule("tt.r.offence", "money.promotion_fees", "tt.offence"))
    result = lint(rules)
    assert f"{rules / 'a.yaml'}: tt.r.unchecked: no `checked: {{on: DATE, source: URL}}`: say when and against " \
           "which official text or decision the rule was verified" in warnings(result)
    assert "checked against an official source: 1 of 2 rules (50%)" in result.stdout.splitlines()


def test_a_checked_record_must_cite_an_official_source_on_a_day_that_has_come(tmp_path):
    bad = (rule("tt.r.a", "money.posting_fees", "tt.offence").replace(f"source: {URL}", "source: https://example.com/x")
           + rule("tt.r.b", "money.promotion_fees", "tt.offence").replace("on: 2024-01-01", "on: 2999-01-01"))
    rules = write_rules(tmp_path, PACK_HEADER + "rules:\n" + bad)
    result = lint(rules)
    assert result.returncode == 2 and result.stdout == ""
    lines = result.stderr.splitlines()
    assert any(": tt.r.a: checked: source `https://example.com/x` is not an https address on an official site" in line
               for line in lines), lines
    assert any(": tt.r.b: checked: on 2999-01-01 is after today" in line for line in lines), lines
