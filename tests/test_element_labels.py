"""The element a rule establishes (`then: {element: ...}`) is named in the report's language.

A pack gives each label with words in French and in English; a plain string is accepted only for
a bare reference to a text (numbers and abbreviations), which both languages write alike. A
French report of a US case therefore names the US elements in French, an English report of a
French case the French ones in English, and the findings JSON keeps `elements` a list of strings.
"""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from liability.loading import load_all
from liability.schema import is_reference
from packs import PACK_HEADER, rule, write_rules

BOOKS = load_all()


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "liability", *args], capture_output=True, text=True, timeout=120)


def elements(scenario: str, lang: str) -> list[str]:
    """Every element label the findings of a bundled scenario list, in `lang`, as the JSON has them."""
    result = run("run", scenario, "--format", "json", "--lang", lang)
    assert result.returncode == 0, result.stderr
    document = json.loads(result.stdout)
    found = [f["elements"] for regime in document["regimes"] for f in regime["findings"]]
    assert all(isinstance(label, str) for labels in found for label in labels)
    return [label for labels in found for label in labels]


def test_an_english_report_of_a_french_case_names_the_french_elements_in_english():
    named = elements("fr-tiscali-2010", "en")
    assert "43-8 (Tiscali case law)" in named
    assert "43-8 (jurisprudence Tiscali)" not in named


def test_a_french_report_of_a_us_case_names_the_us_elements_in_french():
    named = elements("us-doe-backpage-1cir-2016", "fr")
    assert "établi aux États-Unis" in named and "ressortissant américain" in named
    assert not {"established in the US", "US national"} & set(named)


def test_the_terminal_report_prints_the_labels_in_its_language():
    out = run("run", "us-doe-backpage-1cir-2016", "--lang", "fr", "--detail", "--width", "200").stdout
    assert "230(c)(1) traité comme éditeur" in out
    assert "treated as publisher" not in out


@pytest.mark.parametrize("regime", sorted(BOOKS))
def test_every_bundled_label_with_words_is_given_in_both_languages(regime):
    copied = [(rule.id, rule.element.fr) for rule in BOOKS[regime].rules
              if rule.element and rule.element.fr == rule.element.en and not is_reference(rule.element.fr)]
    assert copied == []


def test_a_bare_reference_reads_alike_in_both_languages_and_a_label_with_words_does_not():
    assert all(is_reference(label) for label in ("225-5 2°", "art. 16, par. 3", "230(c)(1)", "s. 52(1)", "6-I-2 al. 2"))
    assert not any(is_reference(label) for label in ("US national", "6-I-2 (hébergeur)", "entraide", ""))


def _pack_with_element(label: str) -> str:
    return PACK_HEADER + "rules:\n" + rule("tt.r.paid", "money.posting_fees", "tt.paid").replace(
        "strength: established", f"element: {label}, strength: established")


def test_the_lint_warns_about_a_label_with_words_that_is_the_same_in_both_languages(tmp_path):
    rules = write_rules(tmp_path, _pack_with_element('{fr: "fait payer", en: "fait payer"}'))
    result = run("--rules", str(rules), "rules", "lint")
    assert result.returncode == 1, result.stdout + result.stderr
    assert f"warning: {rules / 'a.yaml'}: tt.r.paid: element `fait payer` is the same in French and in English" \
        in result.stdout.splitlines()


def test_a_bare_reference_written_once_passes_the_lint(tmp_path):
    rules = write_rules(tmp_path, _pack_with_element('"art. 1, 2°"'))
    result = run("--rules", str(rules), "rules", "lint")
    assert "element" not in result.stdout + result.stderr


def test_a_plain_string_label_with_words_is_refused_naming_the_file_rule_and_key(tmp_path):
    rules = write_rules(tmp_path, _pack_with_element('"own act"'))
    result = run("--rules", str(rules), "rules", "lint")
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    line, = [line for line in result.stderr.splitlines() if "own act" in line]
    assert str(rules / "a.yaml") in line and "tt.r.paid: then.element:" in line
    assert 'write the element as {fr: "...", en: "..."}' in line


def test_a_label_in_one_language_only_is_refused(tmp_path):
    rules = write_rules(tmp_path, _pack_with_element('{fr: "fait payer"}'))
    result = run("--rules", str(rules), "rules", "lint")
    assert result.returncode == 2
    assert "missing required key `en`" in result.stderr and "tt.r.paid" in result.stderr
