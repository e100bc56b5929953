"""A batch finishes: one bad file is reported in its place and the others are still assessed.

Each test reproduces a defect found by running the command line as a careless user or an
attacker would: a batch stopped by one file, a folder that skipped entries without a word, a
Ctrl-C that left worker tracebacks and exit 1, `--jobs` forking far more processes than there
are processors, `*` taken for a bundled id, a date that depended on the time zone, and output
multiplied by a list of a hundred thousand items.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import select
import shutil
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from liability.bundled import scenarios_dir
from liability.cli import _processors, main
from liability.reasoner import Reasoner
from liability.scenario import MAX_COUNTRIES

FIXTURES = Path(__file__).parent / "fixtures"
RULES = FIXTURES / "rules-basic"
LIABLE = FIXTURES / "scenarios-basic" / "liable.yaml"
WAIT = 60  # seconds: far more than any of these batches takes, far less than a hang


def liability(*args: str, rules: Path | None = RULES, env: dict[str, str] | None = None,
              stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    """Run `python -m liability [--rules RULES] ARGS` and return the finished process."""
    environment = {k: v for k, v in os.environ.items() if k != "LIABILITY_RULES"} | (env or {})
    command = [sys.executable, "-m", "liability"] + (["--rules", str(rules)] if rules else []) + list(args)
    return subprocess.run(command, capture_output=True, text=True, env=environment, input=stdin, timeout=WAIT)


def library(folder: Path, count: int) -> list[Path]:
    """`count` good scenarios in `folder`, named so that their path order is their number order."""
    folder.mkdir(exist_ok=True)
    text = LIABLE.read_text()
    paths = []
    for number in range(1, count + 1):
        path = folder / f"case-{number:03}.yaml"
        path.write_text(text.replace("id: liable-host", f"id: case-{number:03}"))
        paths.append(path)
    return paths


def records(stdout: str) -> list[dict]:
    """Every line of a jsonl output, each of which must be one complete JSON document."""
    return [json.loads(line) for line in stdout.splitlines()]


def errors(stderr: str) -> list[str]:
    return [line for line in stderr.splitlines() if line.startswith("error: ")]


def assert_clean(result: subprocess.CompletedProcess[str], code: int) -> None:
    assert result.returncode == code, (result.returncode, result.stdout[-2000:], result.stderr)
    assert "Traceback" not in result.stderr and "internal error" not in result.stderr


# --- one bad file among good ones ----------------------------------------------------------------

def test_a_scenario_naming_an_unknown_regime_is_one_error_line_in_its_place_and_the_batch_goes_on(tmp_path):
    paths = library(tmp_path, 40)
    bad = paths[5]
    bad.write_text("id: case-006\nfacts_date: 2014-06-01\nregimes: [mars]\n")
    result = liability("run", str(tmp_path), "--format", "jsonl")
    assert_clean(result, 2)
    lines = records(result.stdout)
    assert len(lines) == 40
    assert [line.get("scenario") for line in lines[:5]] == [f"case-{n:03}" for n in range(1, 6)]
    assert lines[5]["file"] == str(bad) and "names `mars`, which no rule pack defines" in lines[5]["errors"][0]
    assert all(line["scenario"] == f"case-{n:03}" for n, line in enumerate(lines[6:], start=7))
    (error,) = errors(result.stderr)
    assert error.startswith(f"error: {bad}:")

    documents = liability("run", str(tmp_path), "--format", "json")
    assert_clean(documents, 2)
    assert len(json.loads(documents.stdout)) == 39

    checked = liability("check", str(tmp_path))
    assert_clean(checked, 2)
    assert "39 scenarios checked: 39 passed, 0 failed; 1 unreadable file" in checked.stdout


def test_every_kind_of_bad_content_is_one_line_for_its_file_and_the_batch_goes_on(tmp_path):
    library(tmp_path, 2)
    bad = {
        "bad-encoding.yaml": b"id: bad\nfacts_date: 2014-06-01\ntitle: caf\xe9\n",
        "lone-surrogate.json": b'{"id": "bad", "facts_date": "2014-06-01", "title": "\\ud800"}',
        "unknown-fact.yaml": b"id: bad\nfacts_date: 2014-06-01\nmoney: {posting_fee: true}\n",
        "empty.yaml": b"",
    }
    for name, content in bad.items():
        (tmp_path / name).write_bytes(content)
    results = {fmt: liability("run", str(tmp_path), "--format", fmt) for fmt in ("jsonl", "json", "text")}
    for result in results.values():
        assert_clean(result, 2)
        named = [line.split(":", 2)[1].strip() for line in errors(result.stderr)]
        assert sorted(named) == sorted(str(tmp_path / name) for name in bad)
    lines = records(results["jsonl"].stdout)
    assert [line.get("scenario") or Path(line["file"]).name for line in lines] == [
        "bad-encoding.yaml", "case-001", "case-002", "empty.yaml", "lone-surrogate.json", "unknown-fact.yaml"]
    assert [document["scenario"] for document in json.loads(results["json"].stdout)] == ["case-001", "case-002"]


def test_a_file_that_cannot_be_opened_is_reported_and_the_batch_goes_on(tmp_path, monkeypatch):
    _, locked, _ = library(tmp_path, 3)
    load = Reasoner.load

    def refusing(self: Reasoner, path: Path | str):  # type: ignore[no-untyped-def]
        if Path(path) == locked:  # what a file of mode 000 gives any user but root
            raise PermissionError(13, "Permission denied", str(path))
        return load(self, path)

    monkeypatch.setattr(Reasoner, "load", refusing)
    result = CliRunner().invoke(main, ["--rules", str(RULES), "run", str(tmp_path), "--format", "jsonl"])
    assert result.exit_code == 2, (result.output, result.exception)
    assert [line.get("scenario") for line in records(result.stdout)] == ["case-001", None, "case-003"]
    assert result.stderr == f"error: {locked}: cannot read the file (Permission denied)\n"


# --- folders say what they skip ------------------------------------------------------------------

@pytest.mark.skipif(not hasattr(os, "symlink"), reason="no symbolic links here")
def test_a_dangling_link_and_a_link_loop_in_a_folder_are_reported(tmp_path):
    library(tmp_path, 2)
    (tmp_path / "dangling.yaml").symlink_to(tmp_path / "nowhere.yaml")
    (tmp_path / "loop.yaml").symlink_to(tmp_path / "loop.yaml")
    (tmp_path / "nested").mkdir()
    (tmp_path / "nested" / "back").symlink_to(tmp_path, target_is_directory=True)
    result = liability("run", str(tmp_path), "--format", "jsonl")
    assert_clean(result, 2)
    assert errors(result.stderr) == [
        f"error: {tmp_path / 'dangling.yaml'}: a symbolic link to nothing (dangling)",
        f"error: {tmp_path / 'loop.yaml'}: a symbolic link loop",
        f"error: {tmp_path / 'nested' / 'back'}: a link to a folder that contains it (a loop); not followed",
    ]
    assert [line.get("scenario") for line in records(result.stdout)] == ["case-001", "case-002", None, None, None]


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes are a POSIX feature")
def test_a_named_pipe_in_a_folder_is_reported_and_not_waited_on(tmp_path):
    library(tmp_path, 2)
    fifo = tmp_path / "fifo.yaml"
    os.mkfifo(fifo)
    try:
        result = liability("run", str(tmp_path), "--format", "jsonl")
    except subprocess.TimeoutExpired:
        pytest.fail("the batch waited on a named pipe")
    assert_clean(result, 2)
    (error,) = errors(result.stderr)
    assert error.startswith(f"error: {fifo}: ") and "named pipe" in error
    assert len(records(result.stdout)) == 3


def test_an_unreadable_subfolder_is_reported(tmp_path, monkeypatch):
    library(tmp_path, 1)
    locked = tmp_path / "locked"
    locked.mkdir()
    scandir = os.scandir

    def refusing(path):  # type: ignore[no-untyped-def]
        if Path(path) == locked:  # what a folder of mode 000 gives any user but root
            raise PermissionError(13, "Permission denied", str(path))
        return scandir(path)

    monkeypatch.setattr(os, "scandir", refusing)
    result = CliRunner().invoke(main, ["--rules", str(RULES), "check", str(tmp_path)])
    assert result.exit_code == 2, (result.output, result.exception)
    assert result.stderr == f"error: {locked}: cannot read the folder (Permission denied)\n"
    assert "1 scenario checked: 1 passed, 0 failed; 1 unreadable file" in result.stdout


# --- processes and interruptions -----------------------------------------------------------------

def test_jobs_beyond_the_processors_available_are_capped_with_a_note():
    result = liability("run", str(FIXTURES / "scenarios-basic"), "--format", "jsonl", "--jobs", "1000")
    assert_clean(result, 0)
    available = _processors()
    assert result.stderr == f"note: --jobs 1000 capped at {available}, the processors available\n"
    assert result.stdout == liability("run", str(FIXTURES / "scenarios-basic"), "--format", "jsonl").stdout


@pytest.mark.skipif(not hasattr(os, "killpg"), reason="process groups are a POSIX feature")
def test_ctrl_c_stops_a_parallel_batch_cleanly_with_complete_lines_and_exit_130(tmp_path):
    for copy in range(8):  # the bundled library, eight times over: far longer than the test waits
        shutil.copytree(scenarios_dir(), tmp_path / f"copy-{copy}")
    environment = {k: v for k, v in os.environ.items() if k != "LIABILITY_RULES"}
    command = [sys.executable, "-m", "liability", "run", str(tmp_path), "--format", "jsonl", "--jobs", "2"]
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=environment,
                               start_new_session=True)
    try:
        first = _first_line(process)
        process.send_signal(signal.SIGINT)
        rest, errors = process.communicate(timeout=WAIT)
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
    stdout, stderr = (first + rest).decode(), errors.decode()
    assert process.returncode == 130, (process.returncode, stderr)
    assert "Traceback" not in stderr and "KeyboardInterrupt" not in stderr
    assert [line for line in stderr.splitlines() if not line.startswith("note: ")] == ["interrupted"]
    assert stdout.endswith("\n")
    lines = records(stdout)
    assert 1 <= len(lines) < 8 * len(list(scenarios_dir().rglob("*.yaml")))
    assert all(line["scenario"] for line in lines)
    with pytest.raises(ProcessLookupError):  # no worker outlives the command
        os.killpg(process.pid, 0)


def _first_line(process: subprocess.Popen[bytes]) -> bytes:
    """What the process printed up to its first complete line at least, read from the pipe itself
    (a buffered reader would keep some of the output from :meth:`~subprocess.Popen.communicate`)."""
    assert process.stdout is not None
    output = b""
    deadline = time.monotonic() + WAIT
    while b"\n" not in output and time.monotonic() < deadline and process.poll() is None:
        if select.select([process.stdout], [], [], 1)[0]:
            output += os.read(process.stdout.fileno(), 1 << 16)
    assert b"\n" in output, "no output line within the wait"
    return output


def test_ctrl_c_during_a_single_run_exits_130_with_one_line(monkeypatch):
    def interrupted(*args, **kwargs):  # type: ignore[no-untyped-def]
        raise KeyboardInterrupt

    monkeypatch.setattr(Reasoner, "assess", interrupted)
    result = CliRunner().invoke(main, ["--rules", str(RULES), "run", str(LIABLE)])
    assert result.exit_code == 130, (result.output, result.exception)
    assert result.stderr == "interrupted\n" and result.stdout == ""


def test_ctrl_c_while_the_engine_loads_exits_130_with_one_line():
    # the interruption is delivered exactly while the command's modules are being imported
    program = textwrap.dedent("""\
        import importlib.abc, sys
        class Interrupting(importlib.abc.MetaPathFinder):
            def find_spec(self, name, path, target=None):
                if name == "liability.cli":
                    raise KeyboardInterrupt
        sys.meta_path.insert(0, Interrupting())
        import liability
        liability.command()
        """)
    result = subprocess.run([sys.executable, "-c", program, "run", str(LIABLE)], capture_output=True, text=True,
                            timeout=WAIT)
    assert (result.returncode, result.stderr, result.stdout) == (130, "interrupted\n", "")


# --- what a name means ---------------------------------------------------------------------------

def test_a_dash_reads_one_scenario_from_standard_input():
    piped = liability("run", "-", "--format", "json", stdin=LIABLE.read_text())
    assert_clean(piped, 0)
    assert piped.stdout == liability("run", str(LIABLE), "--format", "json").stdout
    validated = liability("scenario", "validate", "-", stdin=LIABLE.read_text())
    assert_clean(validated, 0)
    assert validated.stdout.startswith("<stdin>: ok\n")
    wrong = liability("run", "-", stdin="id: piped\nfacts_date: 2014-06-01\nknowlege: {}\n")
    assert_clean(wrong, 2)
    assert wrong.stderr == "error: <stdin>:3: unknown key `knowlege` - did you mean `knowledge`?\n"


def test_standard_input_is_read_no_further_than_the_size_limit(monkeypatch):
    monkeypatch.setattr("liability.batch.MAX_BYTES", 64)
    result = CliRunner().invoke(main, ["--rules", str(RULES), "run", "-"], input=LIABLE.read_text())
    assert result.exit_code == 2, (result.output, result.exception)
    assert result.stderr == "error: <stdin>: more than 64 bytes; the limit is 64\n"


def test_a_bundled_id_is_matched_literally_not_as_a_pattern():
    star = liability("run", "*", rules=None)
    assert_clean(star, 2)
    assert star.stdout == ""
    assert star.stderr.startswith("error: *: no such file, and no bundled scenario has that id")
    near = liability("run", "us-platform-199", rules=None)
    assert_clean(near, 2)
    assert "did you mean `us-platform-1998`?" in near.stderr


# --- the same output anywhere, and of a bounded size ---------------------------------------------

def test_today_is_the_utc_date_whatever_the_time_zone(tmp_path):
    undated = tmp_path / "undated.yaml"
    undated.write_text("".join(line + "\n" for line in LIABLE.read_text().splitlines()
                               if not line.startswith("judged_on:")))
    for _attempt in range(2):  # once more if the UTC date changed between the two runs
        day = dt.datetime.now(dt.timezone.utc).date()
        east = liability("run", str(undated), "--format", "json", env={"TZ": "Pacific/Kiritimati"})
        west = liability("run", str(undated), "--format", "json", env={"TZ": "Etc/GMT+12"})
        if dt.datetime.now(dt.timezone.utc).date() == day:
            break
    assert_clean(east, 0)
    assert east.stdout == west.stdout
    assert json.loads(east.stdout)["regimes"][0]["judged_on"] == day.isoformat()


def test_a_list_longer_than_the_loader_allows_is_refused_with_the_limit_named(tmp_path):
    huge = tmp_path / "huge.yaml"
    huge.write_text("id: huge\nfacts_date: 2014-06-01\nservice:\n  targets: [" + ", ".join(["FR"] * 100_000) + "]\n")
    result = liability("run", str(huge), "--format", "json")
    assert_clean(result, 2)
    assert result.stdout == ""
    (error,) = errors(result.stderr)
    assert error.startswith(f"error: {huge}:4: `service.targets`") and f"at most {MAX_COUNTRIES} items" in error
