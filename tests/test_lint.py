"""`liability rules lint`: the checks over a rules folder that do not stop it loading, each
reported as `file: rule id: problem`, `file: head id: problem` or `file: fact or term: problem`,
exit 1 when there is any, so an author of `--rules DIR` sees what the bundled packs' tests see."""

from __future__ import annotations

import re
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
    assert result.stdout.strip().endswith("2 rules in 1 regime: 4 warnings")


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


UNCHECKED = ": no `checked: {on: DATE, source: URL}`:"
"""The one warning the bundled rules still give: the review that records each rule's check against its
official source is under way, pack by pack (the share checked is printed, and shown in the README)."""


def test_the_bundled_rules_folder_lints_clean_but_for_rules_not_yet_checked():
    result = subprocess.run([sys.executable, "-m", "liability", "rules", "lint"], capture_output=True, text=True,
                            timeout=120)
    assert result.returncode in (0, 1), result.stderr
    assert [line for line in warnings(result) if UNCHECKED not in line] == []
    assert any(line.startswith("checked against an official source: ") for line in result.stdout.splitlines())


def test_the_readme_states_the_share_of_rules_checked_that_lint_counts():
    result = subprocess.run([sys.executable, "-m", "liability", "rules", "lint"], capture_output=True, text=True,
                            timeout=120)
    counted = re.search(r"^checked against an official source: (\d+) of (\d+) rules \((\d+)%\)$",
                        result.stdout, re.MULTILINE)
    assert counted, result.stdout
    readme = " ".join((Path(__file__).parent.parent / "README.md").read_text(encoding="utf-8").split())
    checked, total, percent = counted.groups()
    assert f"Rules checked against an official source: {checked} of {total} ({percent}%)" in readme
