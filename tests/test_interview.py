"""`liability interview`, driven through a real terminal (a pty, with pexpect) as a person would:
arrow keys and Enter in the lists, text typed at the prompts.

What it must do: ask only facts that can still change a finding (each fact asked is one the
findings shown just before said they would be decided by; a fact a scenario states, or a fact
once answered "don't know", is never asked), show the findings after each answer, stop when
nothing open can change a finding, and save a scenario whose `liability run` gives exactly the
findings it showed last. Ctrl-C and Ctrl-D stop it with exit 130, saving only when --save asked.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

import pexpect
import pytest
import yaml

from liability.render.words import status_label

CHECKOUT = Path(__file__).resolve().parent.parent
DOWN = "\x1b[B"
ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]|\x1b[()][0-9A-Za-z]|\r")
QUESTION = re.compile(r"\[([a-z_]+\.[a-z_0-9]+); ")
FINDING = re.compile(r"^  (\S+) (\S+) \[(.+?)\]\u00a0?: (.+?)(?:; (?:would be decided by|dépend de)\u00a0?: (.*))?$")
HEADINGS = {"en": ("So far:", "No open question can change a finding.", "Findings:"),
            "fr": ("À ce stade\u00a0:", "Aucune question ouverte ne peut plus changer une conclusion.", "Conclusions\u00a0:")}
SUGAR = "fr-sugar-dating-contact-unknown-2023"
"""A bundled French hypothetical whose one decisive open fact is whether there is physical contact."""


def _env() -> dict[str, str]:
    # no cursor-position request: a pty answers none, and prompt_toolkit would wait for it
    return {**os.environ, "PYTHONPATH": str(CHECKOUT), "PROMPT_TOOLKIT_NO_CPR": "1", "TERM": "xterm",
            "LIABILITY_CACHE_DIR": ""}


def _spawn(cwd: Path, *arguments: str) -> pexpect.spawn:
    return pexpect.spawn(sys.executable, ["-m", "liability", "interview", *arguments], env=_env(),
                         dimensions=(40, 120), encoding="utf-8", timeout=30, cwd=str(cwd))


def _plain(text: str) -> str:
    return ANSI.sub("", text)


@dataclass
class Findings:
    """One block of findings the interview printed: (regime, head, proceeding) -> status in
    words, and the facts it said would decide the undetermined ones."""

    statuses: dict[tuple[str, str, str], str] = field(default_factory=dict)
    deciding: set[str] = field(default_factory=set)


def _last_block(text: str, heading: str) -> Findings:
    block = Findings()
    for line in _plain(text).rpartition(heading)[2].split("\n")[1:]:
        match = FINDING.match(line)
        if not match:
            break
        regime, head, proceeding, status, deciding = match.groups()
        block.statuses[(regime, head, proceeding)] = status
        block.deciding |= set(deciding.split(", ")) if deciding else set()
    assert block.statuses, f"no findings after {heading!r} in: {_plain(text)[-2000:]}"
    return block


@dataclass
class Transcript:
    asked: list[str] = field(default_factory=list)
    last: Findings = field(default_factory=Findings)


def _answer_every_question(child: pexpect.spawn, lang: str, keys: dict[str, str], default: str,
                           after: str) -> Transcript:
    """Answer each question with the keys given for its fact (else `default`), checking that
    it is one the findings shown just before were waiting for, up to the final findings and the
    text that follows them (`after`); return the facts asked and the final findings."""
    so_far, done, final = HEADINGS[lang]
    child.expect_exact(so_far)
    transcript = Transcript()
    while True:
        index = child.expect([QUESTION, re.escape(done)])
        shown = _last_block(child.before, so_far)
        if index == 1:
            child.expect_exact(after)
            transcript.last = _last_block(child.before, final)
            assert transcript.last.statuses == shown.statuses, "the final findings are the last shown"
            return transcript
        fact = child.match.group(1)
        assert fact in shown.deciding, f"{fact} was asked, but no finding shown was waiting for it"
        assert fact not in transcript.asked, f"{fact} was asked twice"
        transcript.asked.append(fact)
        child.send(keys.get(fact, default))
        child.expect_exact(so_far)


def _run_statuses(path: Path, lang: str) -> dict[tuple[str, str, str], str]:
    result = subprocess.run([sys.executable, "-m", "liability", "run", str(path), "--format", "json", "--lang", lang],
                            env=_env(), capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    document = json.loads(result.stdout)
    documents = document if isinstance(document, list) else [document]
    return {(regime["regime"], f["head"], f["proceeding_label"]): status_label(f["status"], lang, f.get("kind"))
            for doc in documents for regime in doc["regimes"] for f in regime["findings"]}


def test_an_empty_interview_asks_the_scenario_s_keys_then_only_deciding_facts_and_saves_what_run_agrees_with(
        tmp_path: Path):
    saved = tmp_path / "case.yaml"
    child = _spawn(tmp_path, "--regime", "fr", "--save", str(saved))
    child.expect_exact("Scenario id")
    child.sendline("Not An Id")
    child.expect_exact("expected a kebab-case id")  # refused with the reason, and asked again
    child.expect_exact("Scenario id")
    child.sendline("escort-site-interview")
    child.expect_exact("Title")
    child.sendline("")
    child.expect_exact("Date of the facts")
    child.sendline("2020-13-01")
    child.expect("month value is outside expected range")
    child.expect_exact("Date of the facts")
    child.sendline("2020-06-01")
    child.expect_exact("Posture")
    child.send("\r")  # hypothetical, the first and default choice
    # Remunerated? no (one down): then no prostitution, and physical contact, which decided as
    # many findings before, can change nothing any more. Every other list: its first answer.
    transcript = _answer_every_question(child, "en", {"content.remunerated": DOWN + "\r"}, "\r", "Saved to")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0
    assert transcript.asked[0] == "content.remunerated"
    assert "content.physical_contact" not in transcript.asked
    assert saved.is_file()
    written = yaml.safe_load(saved.read_text(encoding="utf-8"))
    assert list(written)[:4] == ["id", "facts_date", "regimes", "posture"] and written["content"]["remunerated"] is False
    assert _run_statuses(saved, "en") == transcript.last.statuses


def test_an_interview_in_french_from_a_bundled_scenario_asks_none_of_its_stated_facts(tmp_path: Path):
    stated = {f"{section}.{name}" for section, facts in
              yaml.safe_load((CHECKOUT / "scenarios" / "fr" / f"{SUGAR}.yaml").read_text(encoding="utf-8")).items()
              if isinstance(facts, dict) for name in facts}
    child = _spawn(tmp_path, "--lang", "fr", "--from", SUGAR)
    # physical contact? oui (the first); every other question: je ne sais pas (the third)
    transcript = _answer_every_question(child, "fr", {"content.physical_contact": "\r"}, DOWN + DOWN + "\r",
                                        "Enregistrer le scénario dans")
    child.sendline("")  # the default: <id>.yaml here
    child.expect_exact("Enregistré dans")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0
    assert transcript.asked and transcript.asked[0] == "content.physical_contact"
    assert not stated & set(transcript.asked)
    saved = tmp_path / f"{SUGAR}.yaml"
    written = yaml.safe_load(saved.read_text(encoding="utf-8"))
    assert written["content"]["physical_contact"] is True
    assert all(written[path.split(".")[0]][path.split(".")[1]] == "unknown" for path in transcript.asked[1:])
    assert "expect" not in written
    assert _run_statuses(saved, "fr") == transcript.last.statuses
    assert "indéterminé" in transcript.last.statuses.values()  # the facts not known leave findings open

    # From the saved file, nothing is asked again: the unknown answers were written `unknown`.
    again = _spawn(tmp_path, "--lang", "fr", "--from", str(saved), "--save", str(tmp_path / "again.yaml"))
    again.expect_exact(HEADINGS["fr"][1])
    again.expect(pexpect.EOF)
    again.close()
    assert QUESTION.search(_plain(again.before)) is None
    assert again.exitstatus == 0


def test_ctrl_c_without_save_saves_nothing_and_exits_130(tmp_path: Path):
    child = _spawn(tmp_path, "--from", SUGAR)
    child.expect(QUESTION)
    child.sendcontrol("c")
    child.expect_exact("interrupted: nothing saved")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 130
    assert list(tmp_path.iterdir()) == []


def test_ctrl_d_with_save_keeps_the_answers_given(tmp_path: Path):
    saved = tmp_path / "partial.yaml"
    child = _spawn(tmp_path, "--from", SUGAR, "--save", str(saved))
    child.expect(QUESTION)
    assert child.match.group(1) == "content.physical_contact"
    child.send(DOWN + "\r")  # no
    child.expect_exact(HEADINGS["en"][0])
    child.expect(QUESTION)
    child.sendcontrol("d")
    child.expect_exact(f"interrupted: answers so far saved to {saved}")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 130
    assert yaml.safe_load(saved.read_text(encoding="utf-8"))["content"]["physical_contact"] is False
    assert _run_statuses(saved, "en")  # a complete scenario, which runs


def test_without_a_terminal_it_says_so_and_exits_2():
    result = subprocess.run([sys.executable, "-m", "liability", "interview"], env=_env(), capture_output=True,
                            text=True, timeout=60, stdin=subprocess.DEVNULL)
    assert result.returncode == 2
    assert result.stderr.count("\n") == 1 and "terminal" in result.stderr and "Traceback" not in result.stderr


@pytest.mark.parametrize("option, expected", [(["--from", "fr-sugar-dating-contact-unknwn-2023"], "did you mean"),
                                              (["--regime", "fx"], "--regime: unknown regime `fx`")])
def test_a_bad_option_is_one_line_and_exit_2(tmp_path: Path, option: list[str], expected: str):
    child = _spawn(tmp_path, *option)
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 2
    assert expected in child.before and "Traceback" not in child.before
