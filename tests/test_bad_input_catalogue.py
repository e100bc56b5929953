"""A catalogue of bad input, fed to the commands a user runs on it.

Each case must end with exit code 2, messages on stderr that name the file and the line (or the
rule id) and what was expected, no Python traceback, and nothing half-written on stdout.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

HEAD = "id: bad-case\nfacts_date: 2019-06-01\n"

SCENARIOS: dict[str, tuple[str | bytes, str, str]] = {
    # name: (file content, expected fragment, file suffix)
    "yaml-syntax": ("id: x\nfacts_date: [2019\n", "YAML syntax error", ".yaml"),
    "json-syntax": ('{"id": "x", "facts_date": }', "JSON syntax error", ".json"),
    "empty": ("", "the file is empty", ".yaml"),
    "whitespace-only": ("   \n\n", "the file is empty", ".yaml"),
    "empty-json": ("", "the file is empty", ".json"),
    "binary": (b"\x00\x01\x02binary", "binary file", ".yaml"),
    "not-utf8": (b"id: caf\xe9\nfacts_date: 2019-06-01\n", "not valid UTF-8", ".yaml"),
    "unknown-top-key": (HEAD + "knowlege: {}\n", "did you mean `knowledge`", ".yaml"),
    "unknown-fact": (HEAD + "money:\n  posting_fee: true\n", "did you mean `posting_fees`", ".yaml"),
    "unknown-section-key-no-suggestion": (HEAD + "money:\n  zzzz: true\n", "expected one of", ".yaml"),
    "yes-for-boolean": (HEAD + "money:\n  posting_fees: yes\n", "expected true, false or unknown", ".yaml"),
    "string-for-boolean": (HEAD + "money:\n  posting_fees: \"true\"\n", "expected true, false or unknown", ".yaml"),
    "number-for-boolean": (HEAD + "money:\n  posting_fees: 1\n", "expected true, false or unknown", ".yaml"),
    "empty-boolean": (HEAD + "money:\n  posting_fees:\n", "expected true, false or unknown", ".yaml"),
    "enum-typo": (HEAD + "actor:\n  person: legall\n", "did you mean `legal`", ".yaml"),
    "enum-wrong-case": (HEAD + "service:\n  kind: Classifieds\n", "expected", ".yaml"),
    "negative-count": (HEAD + "victims:\n  count: -3\n", "greater than or equal to 0", ".yaml"),
    "float-count": (HEAD + "victims:\n  count: 2.5\n", "victims.count", ".yaml"),
    "string-count": (HEAD + "victims:\n  count: many\n", "victims.count", ".yaml"),
    "lowercase-country": (HEAD + "service:\n  established_in: fr\n", "ISO 3166 alpha-2", ".yaml"),
    "country-not-a-list": (HEAD + "service:\n  targets: FR\n", "service.targets", ".yaml"),
    "impossible-date": ("id: x\nfacts_date: 2019-02-30\n", "invalid value `2019-02-30`", ".yaml"),
    "month-13": ("id: x\nfacts_date: 2014-13-45\n", "invalid value", ".yaml"),
    "not-a-date": ("id: x\nfacts_date: yesterday\n", "facts_date", ".yaml"),
    "missing-facts-date": ("id: x\n", "missing required key `facts_date`", ".yaml"),
    "missing-id": ("facts_date: 2019-06-01\n", "missing required key `id`", ".yaml"),
    "bad-id": ("id: Bad Id\nfacts_date: 2019-06-01\n", "kebab-case", ".yaml"),
    "facts-end-before-start": (HEAD + "facts_end: 2019-01-01\n", "facts_end is before facts_date", ".yaml"),
    "judged-before-facts": (HEAD + "judged_on: 2018-01-01\n", "judged_on is before facts_date", ".yaml"),
    "duplicate-key": (HEAD + "money:\n  posting_fees: true\n  posting_fees: false\n", "duplicate key `posting_fees`", ".yaml"),
    "duplicate-json-key": ('{"id": "x", "id": "y", "facts_date": "2019-06-01"}', "duplicate key `id`", ".json"),
    "billion-laughs": ("a: &a [x, x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]\n"
                       "c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]\nd: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c, *c]\n"
                       "e: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d, *d]\nf: [*e, *e, *e, *e, *e, *e, *e, *e, *e, *e]\n",
                       "more than", ".yaml"),
    "deep-nesting": ("id: x\nfacts_date: 2019-06-01\ntitle: " + "[" * 60 + "]" * 60 + "\n", "nesting deeper than", ".yaml"),
    "very-deep-nesting": ("id: x\nfacts_date: 2019-06-01\ntitle: " + "[" * 5000 + "]" * 5000 + "\n", "nesting deeper than", ".yaml"),
    "deep-json": ('{"id": "x", "facts_date": "2019-06-01", "title": ' + "[" * 3000 + "]" * 3000 + "}", "nesting", ".json"),
    "top-level-list": ("- id: x\n", "must be a mapping", ".yaml"),
    "top-level-scalar": ("just text\n", "must be a mapping", ".yaml"),
    "python-tag": (HEAD + "title: !!python/object/apply:os.system [echo pwned]\n", "unsupported YAML", ".yaml"),
    "python-tag-on-mapping": (HEAD + "money: !!python/object:dict {posting_fees: true}\n", "unsupported YAML tag", ".yaml"),
    "unknown-proceeding": (HEAD + "proceedings: [appeal]\n", "proceedings", ".yaml"),
    "unknown-expected-status": (HEAD + "expect:\n  fr.proxenetisme: guilty\n", "expect", ".yaml"),
    "tab-indentation": ("id: x\nfacts_date: 2019-06-01\nmoney:\n\tposting_fees: true\n", "YAML syntax error", ".yaml"),
}


def liability(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "liability", *args], capture_output=True, text=True, cwd=cwd)


def write(tmp_path: Path, name: str) -> Path:
    content, _, suffix = SCENARIOS[name]
    path = tmp_path / f"case{suffix}"
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    return path


def assert_clean_failure(result: subprocess.CompletedProcess[str], path: Path, fragment: str) -> None:
    assert result.returncode == 2, (result.returncode, result.stdout, result.stderr)
    assert "Traceback" not in result.stderr and "Traceback" not in result.stdout
    assert result.stdout == "", "nothing may be written on stdout for a file that cannot be read"
    lines = [line for line in result.stderr.splitlines() if line]
    assert lines and all(line.startswith(f"error: {path}") for line in lines), result.stderr
    assert any(fragment in line for line in lines), result.stderr


def test_the_catalogue_holds_at_least_forty_cases() -> None:
    assert len(SCENARIOS) >= 40


@pytest.mark.parametrize("name", sorted(SCENARIOS))
def test_run_rejects_bad_input_with_one_located_message_and_exit_2(tmp_path: Path, name: str) -> None:
    path = write(tmp_path, name)
    assert_clean_failure(liability("run", str(path), "--format", "json"), path, SCENARIOS[name][1])


@pytest.mark.parametrize("name", ["yaml-syntax", "billion-laughs", "unknown-fact", "judged-before-facts", "binary"])
def test_validate_rejects_the_same_input_the_same_way(tmp_path: Path, name: str) -> None:
    path = write(tmp_path, name)
    assert_clean_failure(liability("scenario", "validate", str(path)), path, SCENARIOS[name][1])


def test_a_located_message_gives_the_line(tmp_path: Path) -> None:
    path = write(tmp_path, "unknown-fact")
    result = liability("run", str(path))
    assert f"error: {path}:4: unknown key `money.posting_fee`" in result.stderr


def test_an_oversized_file_is_refused_before_it_is_parsed(tmp_path: Path) -> None:
    path = tmp_path / "huge.yaml"
    path.write_text(HEAD + "title: " + "x" * (3 * 1024 * 1024) + "\n")
    assert_clean_failure(liability("run", str(path)), path, "the limit is")


def test_a_batch_reports_the_broken_file_and_goes_on_with_the_rest(tmp_path: Path) -> None:
    good = tmp_path / "a-good.yaml"
    good.write_text("id: good\nfacts_date: 2019-06-01\njudged_on: 2020-01-01\nregimes: [fr]\n")
    bad = tmp_path / "b-bad.yaml"
    bad.write_text(SCENARIOS["yes-for-boolean"][0])
    result = liability("run", str(tmp_path), "--format", "jsonl")
    assert result.returncode == 2
    document, error = result.stdout.splitlines()
    assert '"scenario":"good"' in document and json.loads(error)["file"] == str(bad)
    assert f"error: {bad}:4:" in result.stderr and "Traceback" not in result.stderr


def test_a_file_that_does_not_exist_is_bad_input(tmp_path: Path) -> None:
    result = liability("run", str(tmp_path / "missing.yaml"))
    assert result.returncode == 2 and "cannot read the file" in result.stderr and "Traceback" not in result.stderr


BROKEN_PACKS = {
    "unknown-fact": ("money.posting_fee", "", "unknown fact `money.posting_fee`"),
    "unknown-conclusion": ("tt.nowhere", "", "unknown conclusion `tt.nowhere`"),
    "negative-cycle": ("{all: [money.posting_fees, {not: tt.one}]}", "", "negation cannot be stratified"),
    "bad-url": ("money.posting_fees", "http://example.com/law", "not an https address on an official site"),
}


def _broken_rules(tmp_path: Path, kind: str) -> Path:
    from packs import PACK_HEADER, URL, rule, write_rules

    when, url, _ = BROKEN_PACKS[kind]
    rules = tmp_path / "rules"
    rules.mkdir()
    return write_rules(rules, PACK_HEADER + "rules:\n" + rule("tt.r.one", when, "tt.one", url=url or URL))


COMMANDS = [("run", "{scenario}"), ("check", "{scenario}"), ("compare", "{scenario}"),
            ("explain", "{scenario}", "--head", "tt.one"), ("rules", "list"), ("rules", "lint"), ("rules", "graph"),
            ("rules", "graph", "--scenario", "{scenario}"), ("rules", "show", "tt.r.one"),
            ("sweep", "{scenario}", "--vary", "money.posting_fees")]


@pytest.mark.parametrize("kind", sorted(BROKEN_PACKS))
@pytest.mark.parametrize("command", COMMANDS, ids=lambda c: " ".join(c[:2] + c[2:3] * (c[0] == "rules")))
def test_every_command_refuses_a_broken_rule_pack_with_the_rule_id_and_exit_2(tmp_path: Path, kind: str,
                                                                               command: tuple[str, ...]) -> None:
    rules = _broken_rules(tmp_path, kind)
    scenario = tmp_path / "case.yaml"
    scenario.write_text("id: case\nfacts_date: 2019-06-01\nexpect: {tt.one: liable}\n")
    args = [part.format(scenario=scenario) for part in command]
    result = liability("--rules", str(rules), *args)
    assert result.returncode == 2, (result.stdout, result.stderr)
    assert "Traceback" not in result.stderr and result.stdout == ""
    assert "tt.r.one" in result.stderr and BROKEN_PACKS[kind][2] in result.stderr


def test_a_parallel_batch_gives_the_same_lines_in_the_same_order_and_reports_broken_files(tmp_path: Path) -> None:
    for index in range(40):
        (tmp_path / f"s{index:02d}.yaml").write_text(
            f"id: s{index:02d}\nfacts_date: {2000 + index % 25}-06-01\njudged_on: 2026-01-01\n"
            f"money: {{posting_fees: {'true' if index % 2 else 'false'}}}\n")
    broken = tmp_path / "s20.yaml"
    broken.write_text(SCENARIOS["duplicate-key"][0])
    runs = [liability("run", str(tmp_path), "--format", "jsonl", "--jobs", jobs) for jobs in ("1", "2")]
    for result in runs:
        assert result.returncode == 2
        lines = result.stdout.splitlines()
        assert len(lines) == 40 and json.loads(lines[20])["file"] == str(broken)
        assert result.stderr.count("error: ") == 1 and f"error: {broken}:" in result.stderr
    assert runs[0].stdout == runs[1].stdout


@pytest.mark.parametrize("name", ["yaml-syntax", "unknown-fact", "duplicate-key", "billion-laughs"])
@pytest.mark.parametrize("command", [("explain", "{scenario}", "--head", "fr.proxenetisme"),
                                     ("rules", "graph", "--scenario", "{scenario}"),
                                     ("sweep", "{scenario}", "--vary", "money.posting_fees")], ids=lambda c: c[0] + " " + c[1])
def test_explain_and_the_run_overlay_refuse_a_bad_scenario_too(tmp_path: Path, name: str,
                                                               command: tuple[str, ...]) -> None:
    text, fragment = SCENARIOS[name][:2]
    scenario = tmp_path / "case.yaml"
    scenario.write_text(text)
    result = liability(*[part.format(scenario=scenario) for part in command])
    assert result.returncode == 2, (result.stdout, result.stderr)
    assert "Traceback" not in result.stderr and result.stdout == ""
    assert result.stderr.startswith(f"error: {scenario}") and fragment in result.stderr


@pytest.mark.parametrize("glossary, fragment", [
    ("questions:\n  money.posting_fees: {fr: \"Payant ?\", en: \"Paid?\"}\n", "unknown key `questions`"),
    ("terms:\n  - {id: x, fr: x, en: x, equivalence: close, heads: [tt.one], note: {fr: a, en: b}}\n", "equivalence"),
    ("terms: [1, 2\n", "YAML syntax error"),
])
def test_a_broken_glossary_is_bad_input_named_by_its_file(tmp_path: Path, glossary: str, fragment: str) -> None:
    from packs import PACK_HEADER, rule, write_rules

    rules = tmp_path / "rules"
    rules.mkdir()
    write_rules(rules, PACK_HEADER + "rules:\n" + rule("tt.r.one", "money.posting_fees", "tt.one"))
    (rules / "glossary.yaml").write_text(glossary)
    scenario = tmp_path / "case.yaml"
    scenario.write_text("id: case\nfacts_date: 2019-06-01\n")
    result = liability("--rules", str(rules), "run", str(scenario))
    assert result.returncode == 2, (result.stdout, result.stderr)
    assert "Traceback" not in result.stderr and result.stdout == ""
    assert result.stderr.startswith(f"error: {rules / 'glossary.yaml'}") and fragment in result.stderr
