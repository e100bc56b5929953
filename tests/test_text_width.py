"""The terminal report fits the width it is laid out for: no line longer, no amount or word
broken across lines, a summary of one line per head first, the reasons only with --detail.

Checked for a few bundled scenarios (French classifieds, open facts, the DSA, a decided US case),
in both languages, at 60, 80, 120 and 200 columns; and, where tmux is installed, in a real
terminal of 80 and 200 columns (the captures are saved to /tmp/text-80.txt and /tmp/text-200.txt
for a person to look at).
"""

from __future__ import annotations

import functools
import json
import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from liability.compare import compare
from liability.reasoner import Reasoner
from liability.render import comparison, text
from liability.render.words import LABELS, penalty_range
from packs import read_scenario
from test_golden_reports import _scenario

REASONER = Reasoner(engine="direct")
SCENARIOS = ["fr-escort-classifieds-paid-2019", "fr-sugar-dating-contact-unknown-2023",
             "eu-dsa-article-18-breach-2024", "us-doe-backpage-1cir-2016"]
WIDTHS = [60, 80, 120, 200]
AMOUNT = re.compile(r"\d{1,3}(?:[,\u202f]\d{3})+")
"""An amount of a thousand or more, as either language groups it."""


@functools.cache
def document(scenario_id: str, lang: str):  # type: ignore[no-untyped-def]
    return REASONER.assess(_scenario(scenario_id), lang)


CASES = [pytest.param(s, lang, width, id=f"{s}-{lang}-{width}") for s in SCENARIOS for lang in ("en", "fr")
         for width in WIDTHS]


@pytest.mark.parametrize("scenario_id, lang, width", CASES)
def test_no_line_of_the_report_is_wider_than_its_width(scenario_id, lang, width):
    for detail in (False, True):
        out = text.render([document(scenario_id, lang)], trace=detail, width=width, detail=detail)
        assert [line for line in out.splitlines() if len(line) > width] == []


@pytest.mark.parametrize("scenario_id, lang, width", CASES)
def test_no_amount_or_word_is_split_across_lines(scenario_id, lang, width):
    doc = document(scenario_id, lang)
    wide = text.render([doc], width=text.UNBOUNDED // 1024, detail=True)
    narrow = text.render([doc], width=width, detail=True)
    lines = narrow.splitlines()
    for amount in set(AMOUNT.findall(wide)):
        assert any(amount in line for line in lines), amount
    fines = {penalty_range(f, lang) for regime in doc.regimes for f in regime.findings if f.penalties}
    for fine in fines:  # « a fine of EUR 750,000 »: the currency stays with its amount
        for bound in re.findall(r"\S*\d[\d,.\u202f]*(?:\u00a0\S+)?", fine):
            assert any(bound in line for line in lines), bound
    words = set(re.findall(r"[^\W\d_]{4,}", wide))
    assert {w for w in set(re.findall(r"[^\W\d_]{4,}", narrow)) if w not in words} == set()


@pytest.mark.parametrize("scenario_id", SCENARIOS)
@pytest.mark.parametrize("lang", ["en", "fr"])
def test_the_report_opens_with_a_summary_and_keeps_the_reasons_for_detail(scenario_id, lang):
    doc = document(scenario_id, lang)
    short = text.render([doc], width=80)
    full = text.render([doc], width=80, detail=True)
    reasons = f"\n{LABELS[lang]['reasons']}\n"
    assert reasons not in short and reasons in full
    first_reason = next(f.because[0] for r in doc.regimes for f in r.findings if f.because)
    assert first_reason.split()[0] in full[full.index(reasons):]
    wide = text.render([doc], width=200, detail=True)
    summary = wide[:wide.index(reasons)].splitlines()  # the first regime's, up to its reasons
    for finding in doc.regimes[0].findings:  # at 200 columns, one line per head
        assert any(line.startswith(finding.title) for line in summary), finding.title
    assert len(short.splitlines()) <= 100  # two screens of 50 lines at most


def test_the_detail_names_each_heads_question_and_id():
    doc = document("fr-escort-classifieds-paid-2019", "en")
    full = " ".join(text.render([doc], width=200, detail=True).split())
    for finding in doc.regimes[0].findings:
        assert f"({finding.head}) [{finding.proceeding_label}]" in full
        assert " ".join(finding.question.split()) in full


@pytest.mark.parametrize("width", [80, 120, 200])
def test_a_comparison_of_three_regimes_fits_its_width(width):
    scenario = read_scenario(next(Path("scenarios").rglob("fr-escort-classifieds-paid-2019.yaml")))
    result = compare(REASONER, scenario, ["fr", "eu", "us"], [(scenario.facts_date, scenario.assessed_on)], "en")
    out = comparison.text(result, width=width)
    assert [line for line in out.splitlines() if len(line) > width] == []
    lines = out.splitlines()
    amounts = set(AMOUNT.findall(comparison.text(result, width=400)))
    assert amounts and all(any(amount in line for line in lines) for amount in amounts)


def _tmux_capture(width: int, tmp_path: Path) -> str:
    """The report as a real terminal `width` columns wide shows it, scrolled back in full."""
    session = f"liability-width-{os.getpid()}-{width}"
    done = tmp_path / f"done-{width}"
    command = (f"cd {Path.cwd()} && PYTHONPATH={Path.cwd()} {sys.executable} -m liability run "
               f"fr-escort-classifieds-paid-2019; touch {done}")
    subprocess.run(["tmux", "new-session", "-d", "-s", session, "-x", str(width), "-y", "50",
                    "bash", "--norc", "-c", f"sleep 0.5; {command}; sleep 30"], check=True)
    subprocess.run(["tmux", "resize-window", "-t", session, "-x", str(width), "-y", "50"], check=True)
    try:
        for _ in range(600):
            if done.exists():
                break
            time.sleep(0.1)
        assert done.exists(), "the report did not finish in a minute"
        capture = subprocess.run(["tmux", "capture-pane", "-p", "-J", "-S", "-", "-t", session],
                                 capture_output=True, text=True, check=True).stdout
    finally:
        subprocess.run(["tmux", "kill-session", "-t", session], capture_output=True)
    return capture


@pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed")
@pytest.mark.parametrize("width", [80, 200])
def test_in_a_real_terminal_the_report_takes_the_terminals_width(width, tmp_path):
    capture = _tmux_capture(width, tmp_path)
    Path(f"/tmp/text-{width}.txt").write_text(capture, encoding="utf-8")
    lines = [line for line in capture.splitlines() if line.strip()]
    assert lines and max(len(line) for line in lines) <= width
    assert max(len(line) for line in lines) > min(width, 120) - 20  # it used the room it had
    assert "Procuring (arts 225-5 and 225-6)" in capture.replace("\n", " ") or width < 100
    assert "EUR 750,000" in capture.replace("\u00a0", " ")


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_at_the_narrowest_width_the_trace_cuts_no_rule_id_nor_fact_and_value(lang):
    """The longest fact name, read as unknown by a step (`...operator_trafficking="unknown"`),
    does not fit under the step with its value: the value goes to the next line, whole, and the
    name stays whole."""
    doc = document("platform-timeline-2019", lang)
    out = text.render([doc], trace=True, width=text.NARROWEST)
    lines = out.splitlines()
    assert max(len(line) for line in lines) <= text.NARROWEST
    steps = [step for regime in doc.regimes for step in regime.trace]
    assert "knowledge.should_have_known_operator_trafficking" in {p for step in steps for p in step.matched.facts}
    assert [rule for rule in {step.rule for step in steps}
            if not any(re.search(rf"(?<![\w.]){re.escape(rule)}(?![\w-]|\.\w)", line) for line in lines)] == []
    joined = re.sub(r"=\n *", "=", out.replace("= ", "="))  # a value after its name, on the next line
    read = {f"{path}={json.dumps(value, ensure_ascii=False)}" for step in steps for path, value in step.matched.facts.items()}
    assert [fact for fact in read if not re.search(rf"(?<![\w.]){re.escape(fact)}(?![\w-])", joined)] == []
