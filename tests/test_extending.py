"""A new regime touches rules/ and scenarios/ only (docs/extending.md).

The walk-through's example (England and Wales, one offence of the Sexual Offences Act 2003, one
new fact, one scenario) is added to a copy of the bundled rules folder exactly as the guide says:
a folder with its pack and descriptor, a fact appended to facts.yaml, a regime appended to
regimes.yaml. Nothing in the package changes, and the new regime must then load, lint clean, pass
its scenario's expectations, render in every format in both languages, and compare with the
others.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from liability.bundled import rules_dir

EXAMPLE = Path(__file__).resolve().parent.parent / "docs" / "extending"
SCENARIO = EXAMPLE / "scenarios" / "uk-recruitment-ads-2019.yaml"


def liability(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "liability", *args], capture_output=True, text=True, timeout=120,
                          env={"LIABILITY_CACHE_DIR": "", "PATH": "/usr/bin:/bin"})


@pytest.fixture(scope="module")
def extended(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of the bundled rules with the guide's new regime added, as the guide adds it."""
    rules = tmp_path_factory.mktemp("extended") / "rules"
    shutil.copytree(rules_dir(), rules)
    shutil.copytree(EXAMPLE / "uk", rules / "uk")
    with (rules / "facts.yaml").open("a", encoding="utf-8") as facts:
        facts.write((EXAMPLE / "fact.yaml").read_text(encoding="utf-8"))
    with (rules / "regimes.yaml").open("a", encoding="utf-8") as regimes:
        regimes.write((EXAMPLE / "regime.yaml").read_text(encoding="utf-8"))
    return rules


def test_the_new_regime_lints_clean(extended: Path) -> None:
    result = liability("--rules", str(extended), "rules", "lint")
    assert result.returncode in (0, 1), result.stderr
    new = [line for line in result.stdout.splitlines() if line.startswith("warning: ") and "/uk/" in line]
    assert new == [] and "in 4 regimes: " in result.stdout


def test_its_scenario_passes_check(extended: Path) -> None:
    result = liability("--rules", str(extended), "check", str(SCENARIO.parent))
    assert result.returncode == 0, result.stdout + result.stderr
    assert "1 passed, 0 failed" in result.stdout


def test_its_new_fact_is_part_of_the_scenario_format(extended: Path) -> None:
    facts = liability("--rules", str(extended), "scenario", "facts", "--lang", "fr")
    assert "content.recruitment_ads" in facts.stdout and "recrutent des personnes" in facts.stdout
    schema = json.loads(liability("--rules", str(extended), "scenario", "schema").stdout)
    content = schema["$defs"]["Content"]["properties"]
    assert "recruitment_ads" in content
    bundled = liability("scenario", "validate", str(SCENARIO))
    assert bundled.returncode == 2 and "unknown key `content.recruitment_ads`" in bundled.stderr


@pytest.mark.parametrize("lang", ["en", "fr"])
@pytest.mark.parametrize("fmt", ["text", "md", "html", "json"])
def test_its_findings_render_in_every_format_and_both_languages(extended: Path, fmt: str, lang: str) -> None:
    result = liability("--rules", str(extended), "run", str(SCENARIO), "--format", fmt, "--lang", lang)
    assert result.returncode == 0, result.stderr
    assert "uk.soa2003.s52" in result.stdout or "s. 52" in result.stdout
    label = {"en": "criminal", "fr": "pénal"}[lang]
    assert label in result.stdout


def test_its_findings_state_the_penalty_and_labels_its_descriptor_declares(extended: Path) -> None:
    result = liability("--rules", str(extended), "run", str(SCENARIO), "--format", "json", "--lang", "fr")
    document = json.loads(result.stdout)
    (regime,) = [r for r in document["regimes"] if r["regime"] == "uk"]
    (finding,) = [f for f in regime["findings"] if f["head"] == "uk.soa2003.s52"]
    assert (finding["status"], finding["strength"], finding["proceeding_label"]) == ("liable", "arguable", "pénal")
    penalty = finding["penalties"]
    assert (penalty["prison_years"], penalty["fine"], penalty["nature"]) == (7, None, "either_way")
    assert penalty["nature_label"].startswith("infraction mixte")


def test_it_compares_with_the_other_regimes(extended: Path) -> None:
    result = liability("--rules", str(extended), "compare", str(SCENARIO), "--regimes", "uk,fr", "--format", "json")
    assert result.returncode == 0, result.stderr
    comparison = json.loads(result.stdout)
    assert [column["regime"] for column in comparison["columns"]] == ["uk", "fr"]


GUIDE = EXAMPLE.parent / "extending.md"


def _blocks(language: str) -> list[str]:
    """The guide's code blocks in `language`, each without the indent of the list item it is in."""
    fence = re.compile(rf"^( *)```{language}\n(.*?)^\1```", re.MULTILINE | re.DOTALL)
    return ["".join(line.removeprefix(match[1]) for line in match[2].splitlines(keepends=True))
            for match in fence.finditer(GUIDE.read_text(encoding="utf-8"))]


@pytest.mark.parametrize("example", ["fact.yaml", "regime.yaml"])
def test_the_guide_shows_the_example_files_as_they_are(example: str) -> None:
    assert (EXAMPLE / example).read_text(encoding="utf-8") in _blocks("yaml")


def test_the_guide_s_links_to_the_example_reach_files() -> None:
    text = GUIDE.read_text(encoding="utf-8")
    linked = {part.split(")", 1)[0] for part in text.split("](extending/")[1:]}
    assert linked == {"fact.yaml", "regime.yaml", "uk/jurisdiction.yaml", "uk/sexual-offences-act-2003.yaml",
                      "scenarios/uk-recruitment-ads-2019.yaml"}
    assert all((EXAMPLE / name).is_file() for name in linked)


def test_the_guide_s_output_format_runs_over_the_python_api(monkeypatch: pytest.MonkeyPatch) -> None:
    (code,) = _blocks("python")
    monkeypatch.chdir(EXAMPLE.parent.parent)
    namespace: dict[str, object] = {}
    exec(compile(code, str(GUIDE), "exec"), namespace)  # the guide's own example, run as its reader would
    report = str(namespace["report"])
    header, *rows = report.splitlines()
    assert header.split("\t") == ["regime", "head", "proceeding", "status", "strength", "prison_years"]
    assert all(len(row.split("\t")) == 6 for row in rows) and any("\tpénal\t" in row for row in rows)
