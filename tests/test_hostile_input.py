"""Hostile and careless input: files that are not files, bytes that are not text, numbers YAML 1.1
reads differently from how they look, and values that would garble the terminal.

Each test states a rule and reproduces the input that broke it (a few check what must still work
beside it). Where the command line runs (in-process), a refusal is exit code 2 and one message on
one line that names the file, and the line where there is one, with nothing on stdout.
"""

from __future__ import annotations

import os
import shutil
import stat
import sys
import threading
from pathlib import Path
from typing import Callable, TypeVar

import pytest
from packs import write
from click.testing import CliRunner, Result

from packs import read_scenario
from liability import sources
from liability.cli import main
from liability.scenario import ScenarioError

HEAD = "id: demo\nfacts_date: 2014-06-01\n"
WAIT = 30  # seconds: far more than a refusal takes, far less than a hang
T = TypeVar("T")


def liability(*args: str) -> Result:
    """Run the command line in-process on the bundled rule packs."""
    return CliRunner().invoke(main, list(args), env={"LIABILITY_RULES": None})


def refusal(result: Result, path: Path | str, line: int | None = None) -> str:
    """The one line of a clean refusal of `path` (at `line`, if given)."""
    assert result.exit_code == 2, (result.exit_code, result.output, result.exception)
    assert result.stdout == ""
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    where = f"error: {path}:{line}: " if line else f"error: {path}: "
    assert lines[0].startswith(where), lines[0]
    return lines[0]


def refused(tmp_path: Path, text: str | bytes, line: int | None, name: str = "case.yaml") -> str:
    """Write `text` to a file, run it, and return its one refusal line."""
    path = write(tmp_path, text, name)
    return refusal(liability("run", str(path)), path, line)


# --- only regular files are read, and only so many bytes -----------------------------------------

def within(seconds: float, fifo: Path, action: Callable[[], T]) -> T:
    """`action`'s result, failing (not hanging) if it has not returned after `seconds`: a writer
    then opens `fifo`, which lets a reader blocked on it go."""
    results: list[T] = []
    worker = threading.Thread(target=lambda: results.append(action()), daemon=True)
    worker.start()
    worker.join(seconds)
    hung = worker.is_alive()
    if hung:
        os.close(os.open(fifo, os.O_WRONLY | os.O_NONBLOCK))
        worker.join(seconds)
    assert not hung, "reading a named pipe waited for a writer"
    return results[0]


def refusal_of_reading(path: Path) -> str:
    """The one problem reading `path` as a scenario gives."""
    with pytest.raises(ScenarioError) as caught:
        read_scenario(path)
    (problem,) = caught.value.problems
    return problem


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes are a POSIX feature")
def test_a_named_pipe_is_refused_at_once_not_waited_on(tmp_path):
    fifo = tmp_path / "case.yaml"
    os.mkfifo(fifo)
    assert within(WAIT, fifo, lambda: refusal_of_reading(fifo)) == f"{fifo}: not a regular file (a named pipe)"


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes are a POSIX feature")
def test_a_named_pipe_given_to_the_command_line_is_bad_input_not_a_hang(tmp_path):
    fifo = tmp_path / "case.yaml"
    os.mkfifo(fifo)
    refusal(within(WAIT, fifo, lambda: liability("run", str(fifo))), fifo)


@pytest.mark.skipif(not Path("/dev/zero").exists(), reason="no /dev/zero here")
def test_a_device_is_refused_without_being_read():
    assert refusal_of_reading(Path("/dev/zero")) == "/dev/zero: not a regular file (a character device)"
    refusal(liability("run", "/dev/zero"), "/dev/zero")


def test_a_folder_read_as_a_document_is_refused_as_not_a_regular_file(tmp_path):
    folder = tmp_path / "case.yaml"
    folder.mkdir()
    assert refusal_of_reading(folder) == f"{folder}: not a regular file (a folder)"


@pytest.mark.skipif(not Path("/proc/self/status").exists(), reason="no /proc here")
def test_the_size_limit_counts_the_bytes_read_not_the_size_the_file_claims(monkeypatch):
    status = Path("/proc/self/status")  # a regular file whose stated size is 0
    assert status.stat().st_size == 0
    monkeypatch.setattr(sources, "MAX_BYTES", 64)
    with pytest.raises(sources.SourceError) as caught:
        sources.read_document(status)
    assert str(caught.value) == f"{status}: file is more than 64 bytes; the limit is 64"


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() == 0,
                    reason="root reads a file whatever its mode")
def test_an_unreadable_file_is_one_message_naming_the_reason(tmp_path):
    path = write(tmp_path, HEAD)
    path.chmod(0)
    try:
        assert "cannot read the file (Permission denied)" in refusal(liability("run", str(path)), path)
    finally:
        path.chmod(stat.S_IRUSR | stat.S_IWUSR)


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="/proc/self/mem is Linux's")
def test_a_file_that_fails_while_being_read_is_one_message_naming_the_reason():
    memory = Path("/proc/self/mem")  # opens, then fails to read at offset 0
    assert "cannot read the file (Input/output error)" in refusal(liability("run", str(memory)), memory)


# --- bytes that are not text ---------------------------------------------------------------------

def test_invalid_utf8_in_json_is_located_at_its_line(tmp_path):
    text = b'{"id": "demo",\n "facts_date": "2014-06-01",\n "title": "caf\xe9"}\n'
    assert "the file is not valid UTF-8 text" in refused(tmp_path, text, 3, "case.json")


def test_a_lone_surrogate_in_a_json_string_is_a_located_error_not_a_crash_on_output(tmp_path):
    text = '{"id": "demo",\n "facts_date": "2014-06-01",\n "title": "a\\ud800b"\n}\n'
    message = refused(tmp_path, text, 3, "case.json")
    assert "`title` contains the lone surrogate `\\ud800`" in message


def test_a_lone_surrogate_in_a_json_key_is_a_located_error(tmp_path):
    text = '{"id": "demo",\n "facts_date": "2014-06-01",\n "money": {"\\udc00": true}\n}\n'
    assert "contains the lone surrogate `\\udc00`" in refused(tmp_path, text, 3, "case.json")


def test_a_surrogate_pair_in_json_is_one_character_and_is_accepted(tmp_path):
    path = write(tmp_path, '{"id": "demo", "facts_date": "2014-06-01", "title": "\\ud83d\\ude00"}', "case.json")
    assert read_scenario(path).title == "\U0001f600"


def test_a_lone_surrogate_in_yaml_is_a_located_error(tmp_path):
    assert refused(tmp_path, HEAD + 'title: "a\\ud800b"\n', 3)


def test_a_character_yaml_forbids_is_one_line_naming_the_line_not_a_stream_position(tmp_path):
    message = refused(tmp_path, HEAD + "title: caf\u00e9 \x07 bell\n", 3)
    assert "U+0007" in message and "position" not in message


# --- numbers and dates mean what the schema checks, not what YAML 1.1 guesses --------------------

@pytest.mark.parametrize("written", ["010", "0x10", "0o10", "09", "1:30", "1_000", "-010", "0b11"])
def test_an_integer_that_is_not_plain_decimal_is_an_error_naming_the_key(tmp_path, written):
    message = refused(tmp_path, HEAD + f"victims:\n  count: {written}\n", 4)
    assert f"`victims.count` is `{written}`: write a plain decimal integer" in message


def test_an_ambiguous_number_is_refused_wherever_it_stands_even_where_text_is_expected(tmp_path):
    message = refused(tmp_path, HEAD + "title: 010\n", 3)
    assert "`title` is `010`: write a plain decimal integer" in message and "quote it" in message


def test_a_quoted_number_is_text(tmp_path):
    assert read_scenario(write(tmp_path, HEAD + 'title: "010"\n')).title == "010"


@pytest.mark.parametrize("written", ["1_000.5", "1:30.5", "01.5"])
def test_a_number_with_a_fraction_that_is_not_plain_decimal_is_an_error_naming_the_key(tmp_path, written):
    path = write(tmp_path, f"penalty:\n  fine_percent_turnover: {written}\n")
    with pytest.raises(sources.SourceError) as caught:
        sources.read_document(path)
    assert str(caught.value) == (f"{path}:2: `penalty.fine_percent_turnover` is `{written}`: write a plain "
                                 "decimal number (no leading zero, `_` or `:`), or quote it if it is text")


def test_plain_numbers_keep_their_value(tmp_path):
    document = sources.read_document(write(tmp_path, "a: 10\nb: -3\nc: 0\nd: 2.5\ne: -0.25\nf: 1.0e+3\n"))
    assert document.data == {"a": 10, "b": -3, "c": 0, "d": 2.5, "e": -0.25, "f": 1000.0}


@pytest.mark.parametrize(("written", "advice"), [
    ("!!int 010", "write a plain decimal integer"),
    ("!!bool yes", "write true or false"),
    ("!!bool maybe", "write true or false"),
    ("!!timestamp 0", "write a date as YYYY-MM-DD"),
    ("!!null nothing", "write null"),
])
def test_an_explicit_tag_does_not_bring_back_yaml_1_1_readings(tmp_path, written, advice):
    message = refused(tmp_path, HEAD + f"victims:\n  count: {written}\n", 4)
    assert f"`victims.count` is `{written.split(' ', 1)[1]}`: {advice}" in message


def test_a_date_with_a_time_is_not_a_date(tmp_path):
    message = refused(tmp_path, "id: demo\nfacts_date: 2014-06-01 10:00:00\n", 2)
    assert "`facts_date` is `2014-06-01 10:00:00`: write a date as YYYY-MM-DD" in message


@pytest.mark.parametrize(("text", "name", "line"), [
    ("id: demo\nfacts_date: 0\n", "case.yaml", 2),
    ("id: demo\nfacts_date: 1600000000\n", "case.yaml", 2),
    ('{"id": "demo",\n "facts_date": 0}\n', "case.json", 2),
    ('{"id": "demo",\n "facts_date": "86400"}\n', "case.json", 2),
    ("id: demo\nfacts_date: 2014-06-01\njudged_on: 0\n", "case.yaml", 3),
    ("id: demo\nfacts_date: 2014-06-01\nfacts_end: true\n", "case.yaml", 3),
])
def test_a_number_where_a_date_is_expected_is_an_error_naming_the_key_not_1970(tmp_path, text, name, line):
    message = refused(tmp_path, text, line, name)
    assert "expected a date written YYYY-MM-DD" in message
    assert ("`judged_on`" if "judged_on" in text else "`facts_end`" if "facts_end" in text else "`facts_date`") \
        in message


def test_a_date_written_as_text_in_json_is_still_a_date(tmp_path):
    path = write(tmp_path, '{"id": "demo", "facts_date": "2014-06-01", "judged_on": "2015-01-02"}', "case.json")
    assert str(read_scenario(path).judged_on) == "2015-01-02"


def test_a_key_is_the_name_as_written_not_a_value_yaml_reads_into_it(tmp_path):
    message = refused(tmp_path, HEAD + "money:\n  010: true\n", 4)
    assert "unknown key `money.010`" in message


def test_a_key_that_yaml_would_read_as_an_impossible_date_is_a_name_not_a_crash(tmp_path):
    assert "unknown key `2019-02-30`" in refused(tmp_path, HEAD + "2019-02-30: 1\n", 3)


def test_a_merge_key_is_refused_with_a_plain_message(tmp_path):
    text = HEAD + "base: &base {posting_fees: true}\nmoney:\n  <<: *base\n"
    assert "merge keys (`<<`) are not supported" in refused(tmp_path, text, 5)


def test_an_equals_sign_is_text_not_a_yaml_1_1_value_key(tmp_path):
    assert read_scenario(write(tmp_path, HEAD + "title: =\n")).title == "="


def test_an_unsupported_tag_is_named_the_way_it_is_written(tmp_path):
    message = refused(tmp_path, HEAD + "title: !!binary aGVsbG8=\n", 3)
    assert "unsupported YAML value: the tag `!!binary` is not allowed" in message


# --- what a file says is shown, not obeyed -------------------------------------------------------

def test_an_escape_sequence_in_a_value_is_shown_escaped(tmp_path):
    message = refused(tmp_path, 'id: "\\e[2J\\e[31mgotcha"\nfacts_date: 2014-06-01\n', 1)
    assert "\x1b" not in message and "`id` is `\\x1b[2J\\x1b[31mgotcha`" in message


def test_an_escape_sequence_in_a_key_is_shown_escaped(tmp_path):
    message = refused(tmp_path, HEAD + '"\\e]0;owned\\a": 1\n', 3)
    assert "\x1b" not in message and "\x07" not in message and "unknown key `\\x1b]0;owned\\x07`" in message


def test_a_line_break_in_a_value_cannot_forge_a_second_message(tmp_path):
    message = refused(tmp_path, HEAD + 'regimes: ["fr\\nerror: all is fine"]\n', 3)
    assert "`fr\\nerror: all is fine`" in message


def test_a_megabyte_value_is_cut_in_the_message(tmp_path):
    message = refused(tmp_path, f"id: {'A' * 1_000_000}\nfacts_date: 2014-06-01\n", 1)
    assert f"`id` is `{'A' * 80}...`" in message and len(message) < 400


def test_a_megabyte_key_is_cut_in_the_message(tmp_path):
    message = refused(tmp_path, HEAD + f"? {'k' * 1_000_000}\n: 1\n", 3)
    assert f"unknown key `{'k' * 80}...`" in message and len(message) < 1000


def test_a_duplicate_key_in_json_is_located_at_its_second_occurrence(tmp_path):
    text = '{"id": "demo",\n "facts_date": "2014-06-01",\n "id": "other"}\n'
    assert "duplicate key `id` (first given on line 1)" in refused(tmp_path, text, 3, "case.json")


# --- rule packs are files too ------------------------------------------------------------------

def _pack_with(tmp_path: Path, old: str, new: str) -> Path:
    """The test rule base, with one text of its pack replaced."""
    rules = tmp_path / "rules"
    shutil.copytree(Path(__file__).parent / "fixtures" / "rules-basic", rules)
    pack = rules / "zz" / "demo.yaml"
    text = pack.read_text(encoding="utf-8")
    assert old in text
    pack.write_text(text.replace(old, new, 1), encoding="utf-8")
    return rules


def test_a_number_where_a_pack_expects_a_date_is_an_error_naming_the_key_not_1970(tmp_path):
    rules = _pack_with(tmp_path, "in_force: {from: 2000-01-01}", "in_force: {from: 0}")
    result = CliRunner().invoke(main, ["--rules", str(rules), "rules", "lint"])
    assert result.exit_code == 2
    assert "in_force.from: expected a date written YYYY-MM-DD" in result.stderr


def test_a_pack_url_with_a_line_break_is_refused_in_one_escaped_line(tmp_path):
    rules = _pack_with(tmp_path, "url: https://", 'url: "https://www.legifrance.gouv.fr/\\nerror: forged"\n    x-url: https://')
    result = CliRunner().invoke(main, ["--rules", str(rules), "rules", "lint"])
    assert result.exit_code == 2
    assert not any(line.startswith("error: forged") for line in result.stderr.splitlines())


def test_rules_show_prints_a_pack_string_escaped(tmp_path):
    rules = _pack_with(tmp_path, 'cites: "Test code, art. 10"', 'cites: "Test code, art. 10\\e[2J"')
    result = CliRunner().invoke(main, ["--rules", str(rules), "rules", "show", "zz.demo.hosts"])
    assert result.exit_code == 0, result.output
    assert "cites:     Test code, art. 10\\x1b[2J" in result.output and "\x1b" not in result.output


def test_a_scenario_naming_only_unknown_regimes_gets_that_one_message_not_follow_on_ones(tmp_path):
    result = liability("run", str(write(tmp_path, HEAD + "regimes: [zz]\nexpect:\n  fr.proxenetisme: liable\n")))
    assert "`regimes` names `zz`" in refusal(result, tmp_path / "case.yaml", 3)
