"""Golden reports: the text, markdown and HTML reports of a set of bundled scenarios, in English
and French, compared byte for byte with the files under tests/golden/.

After an intended change to the reports or the law, rewrite them with
``pytest tests/test_golden_reports.py --update-goldens`` and review the diff like any other.
The set covers each regime, an undetermined finding, aggravated and criminal procuring, and
decided cases; the reports run to tens of kilobytes each, so the whole library is left to
`liability check` and to the properties, which run every bundled scenario.
"""

from __future__ import annotations

import datetime as dt
import difflib
from pathlib import Path

import pytest

from packs import read_scenario
from liability.bundled import scenarios_dir
from liability.reasoner import Reasoner
from liability.render import html, markdown, text
from liability.scenario import SCENARIO_SUFFIXES

GOLDEN = Path(__file__).parent / "golden"
SCENARIOS = ["fr-escort-classifieds-paid-2019", "fr-sugar-dating-contact-unknown-2023",
             "fr-pimp-brothers-barbarity-2021", "eu-coded-ads-complete-notice-2020", "us-doe-backpage-1cir-2016",
             "fr-caming-2022"]
FORMATS = {"txt": lambda document: text.render([document]), "md": lambda document: markdown.render([document]),
           "html": lambda document: html.render([document])}
UNDATED_JUDGMENT = dt.date(2026, 1, 1)
"""Scenarios without `judged_on` are assessed on this date, not today, so that goldens stay put."""

REASONER = Reasoner()


def _scenario(scenario_id: str):
    (path,) = [p for p in scenarios_dir().rglob(f"{scenario_id}.*") if p.suffix in SCENARIO_SUFFIXES]
    scenario = read_scenario(path)
    return scenario if scenario.judged_on else scenario.model_copy(update={"judged_on": UNDATED_JUDGMENT})


@pytest.mark.parametrize("lang", ["en", "fr"])
@pytest.mark.parametrize("fmt", sorted(FORMATS))
@pytest.mark.parametrize("scenario_id", SCENARIOS)
def test_the_report_matches_its_golden_file(scenario_id: str, fmt: str, lang: str,
                                            request: pytest.FixtureRequest) -> None:
    report = FORMATS[fmt](REASONER.assess(_scenario(scenario_id), lang))
    golden = GOLDEN / lang / f"{scenario_id}.{fmt}"
    if request.config.getoption("--update-goldens"):
        golden.parent.mkdir(parents=True, exist_ok=True)
        golden.write_text(report, encoding="utf-8")
    assert golden.is_file(), f"no golden file {golden}: run pytest with --update-goldens"
    expected = golden.read_text(encoding="utf-8")
    if report != expected:
        diff = difflib.unified_diff(expected.splitlines(), report.splitlines(), "golden", "now", lineterm="", n=1)
        pytest.fail(f"{golden.name} differs from its golden file (rewrite with --update-goldens):\n"
                    + "\n".join(list(diff)[:60]))
