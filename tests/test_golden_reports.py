"""Golden files: what the bundled scenarios come to, compared exactly with the files under tests/golden/.

- findings.json: for every bundled scenario, every finding's status, strength and penalty at stake,
  one finding per line, so that a change in the law shows as the lines it changes and nothing else.
- en/ and fr/: the text, markdown and HTML reports of four scenarios (see REPORTS), for a person to
  read: French classifieds, open facts, the DSA and a decided US case; and what `liability explain`
  and `liability compare` print for a few commands a user types (see COMMANDS).

After an intended change to the reports or the law, rewrite them with
``pytest tests/test_golden_reports.py --update-goldens`` and review the diff like any other.
"""

from __future__ import annotations

import datetime as dt
import difflib
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from packs import read_scenario
from liability.bundled import scenarios_dir
from liability.findings import PenaltyAtStake
from liability.reasoner import Reasoner
from liability.render import html, markdown, text
from liability.scenario import SCENARIO_SUFFIXES, Scenario

GOLDEN = Path(__file__).parent / "golden"
REPORTS = {
    "fr-escort-classifieds-paid-2019": None,  # French classifieds charging for escort ads: procuring, the LCEN
    "fr-sugar-dating-contact-unknown-2023": None,  # open facts: undetermined findings, their questions and ranges
    "eu-dsa-article-18-breach-2024": ["eu"],  # the DSA: its scope, a duty breached, the host exemption
    "us-doe-backpage-1cir-2016": None,  # a decided US case: section 230 against 1595 claims before FOSTA
}
"""The scenarios whose reports are kept for a person to read, each with the regimes it is run in
(None: the scenario's own). The compact golden covers every other scenario's findings."""
FORMATS = {"txt": lambda document: text.render([document], detail=True), "md": lambda document: markdown.render([document]),
           "html": lambda document: html.render([document])}
UNDATED_JUDGMENT = dt.date(2026, 1, 1)
"""Scenarios without `judged_on` are assessed on this date, not today, so that goldens stay put."""

REASONER = Reasoner()


def bundled_paths() -> list[Path]:
    """Every bundled scenario file, in the order of their paths."""
    return sorted(p for p in scenarios_dir().rglob("*") if p.suffix in SCENARIO_SUFFIXES)


def dated(path: Path) -> Scenario:
    """The scenario of `path`, judged on its `judged_on` or, without one, on UNDATED_JUDGMENT."""
    scenario = read_scenario(path)
    return scenario if scenario.judged_on else scenario.model_copy(update={"judged_on": UNDATED_JUDGMENT})


def _scenario(scenario_id: str) -> Scenario:
    (path,) = [p for p in bundled_paths() if p.stem == scenario_id]
    return dated(path)


def matches_golden(golden: Path, actual: str, request: pytest.FixtureRequest) -> None:
    """Fail, with the first lines of the difference, unless `actual` is exactly the golden file's
    text; with --update-goldens, write it there first."""
    __tracebackhide__ = True
    if request.config.getoption("--update-goldens"):
        golden.parent.mkdir(parents=True, exist_ok=True)
        golden.write_text(actual, encoding="utf-8")
    assert golden.is_file(), f"no golden file {golden}: run pytest with --update-goldens"
    expected = golden.read_text(encoding="utf-8")
    if actual != expected:
        diff = difflib.unified_diff(expected.splitlines(), actual.splitlines(), "golden", "now", lineterm="", n=1)
        pytest.fail(f"{golden.name} differs from its golden file (rewrite with --update-goldens):\n"
                    + "\n".join(list(diff)[:60]))


# --- every bundled finding, one a line -----------------------------------------------------------

def penalty_line(penalty: PenaltyAtStake | None) -> dict[str, Any] | None:
    """What a penalty puts at stake, without its wording: for a legal person, `fine` is already
    the legal person's (multiplied) fine and `prison_years` null."""
    if penalty is None:
        return None
    line = {"prison_years": penalty.prison_years, "life": penalty.life, "fine": penalty.fine,
            "currency": penalty.currency, "person": penalty.person}
    if penalty.fine_percent_turnover is not None:
        line["fine_percent_turnover"] = penalty.fine_percent_turnover
    return line


def compact_findings() -> str:
    """Every finding of every bundled scenario, sorted, one JSON object a line.

    The direct engine gives the same findings as experta (tests/test_direct_engine.py) in a fifth
    of the time; documents are built without explanations, which a status does not depend on."""
    reasoner = Reasoner(engine="direct")
    lines = []
    for path in bundled_paths():
        document = reasoner.assess(dated(path), "en", explain=False)
        for regime in document.regimes:
            for finding in regime.findings:
                line = {"scenario": document.scenario, "regime": regime.regime, "head": finding.head,
                        "proceeding": finding.proceeding, "status": finding.status, "strength": finding.strength,
                        "penalty": penalty_line(finding.penalties)}
                if finding.penalties_up_to is not None:
                    line["up_to"] = penalty_line(finding.penalties_up_to)
                lines.append(json.dumps(line, ensure_ascii=False))
    return "[\n" + ",\n".join(sorted(lines)) + "\n]\n"


def test_every_bundled_finding_matches_the_compact_golden(request: pytest.FixtureRequest) -> None:
    findings = compact_findings()
    assert len({row["scenario"] for row in json.loads(findings)}) == len(bundled_paths())
    matches_golden(GOLDEN / "findings.json", findings, request)


# --- reports for a person to read ----------------------------------------------------------------

@pytest.mark.parametrize("lang", ["en", "fr"])
@pytest.mark.parametrize("fmt", sorted(FORMATS))
@pytest.mark.parametrize("scenario_id", sorted(REPORTS))
def test_the_report_matches_its_golden_file(scenario_id: str, fmt: str, lang: str,
                                            request: pytest.FixtureRequest) -> None:
    report = FORMATS[fmt](REASONER.assess(_scenario(scenario_id), lang, REPORTS[scenario_id]))
    matches_golden(GOLDEN / lang / f"{scenario_id}.{fmt}", report, request)


# --- explain and compare, as a user runs them ----------------------------------------------------

COMMANDS = {
    "explain-us-doe-backpage-1cir-2016": ["explain", "us-doe-backpage-1cir-2016", "--head", "us.section230"],
    "explain-eu-dsa-article-18-breach-2024": ["explain", "eu-dsa-article-18-breach-2024", "--head", "eu.dsa.duties",
                                              "--regime", "eu", "--why-not"],
    "compare-platform-timeline-2016-judged-2017": ["compare", "platform-timeline-2016-judged-2017", "--regimes", "fr,us",
                                                   "--as-of", "2016-06-01/2017-01-01,2019-06-01/2020-01-01"],
}
"""Commands on dated scenarios (their output does not depend on today), by the golden file's name.
The comparison puts the same facts before and after FOSTA (11 April 2018), in France and the US."""


@pytest.mark.parametrize("lang", ["en", "fr"])
@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_what_the_command_prints_matches_its_golden_file(name: str, lang: str, request: pytest.FixtureRequest) -> None:
    environment = {key: value for key, value in os.environ.items() if key != "LIABILITY_RULES"}
    result = subprocess.run([sys.executable, "-m", "liability", *COMMANDS[name], "--lang", lang],
                            capture_output=True, text=True, encoding="utf-8", env=environment, timeout=120)
    assert result.returncode == 0 and result.stderr == "", (result.returncode, result.stderr)
    matches_golden(GOLDEN / lang / f"{name}.txt", result.stdout, request)


# --- no rewriting under CI -----------------------------------------------------------------------

def pytest_in(folder: Path, ci: str, *args: str) -> subprocess.CompletedProcess[str]:
    """pytest run on the compact golden's test, copied to `folder`, with CI set to `ci` and
    --update-goldens: if the refusal failed, only the copy's golden would be rewritten."""
    tests = Path(__file__).parent
    for name in ("conftest.py", "packs.py", Path(__file__).name):
        (folder / name).write_bytes((tests / name).read_bytes())
    (folder / "golden").mkdir()
    environment = {**os.environ, "CI": ci}
    return subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "--rootdir", str(folder),
                           str(folder / Path(__file__).name), "--update-goldens", "-k", "compact_golden", *args],
                          capture_output=True, text=True, cwd=folder, env=environment, timeout=300)


def test_update_goldens_is_refused_under_ci_in_one_line(tmp_path: Path) -> None:
    result = pytest_in(tmp_path, "1")
    assert result.returncode == pytest.ExitCode.USAGE_ERROR, (result.returncode, result.stdout, result.stderr)
    assert result.stderr.strip().splitlines() == [
        "ERROR: --update-goldens is refused under CI (CI is set): golden files are rewritten on a developer's "
        "machine and their diff reviewed"], result.stderr
    assert list((tmp_path / "golden").iterdir()) == []


def test_update_goldens_is_accepted_when_ci_is_empty(tmp_path: Path) -> None:
    result = pytest_in(tmp_path, "", "--collect-only")
    assert result.returncode == pytest.ExitCode.OK, (result.returncode, result.stdout, result.stderr)
