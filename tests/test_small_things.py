"""The command line's small courtesies: counts in the singular, aligned lists, no silent skip,
help summaries that are not cut, and shell completion of scenario ids and heads."""

from __future__ import annotations

import os
import subprocess
import sys

from test_cli import liability


def run(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return liability(*args, rules=None, env=env)


def test_one_file_is_one_file():
    result = run("scenario", "validate", "fr-escort-classifieds-paid-2019")
    assert result.stdout.splitlines()[-1] == "1 file valid"


def test_a_file_without_expectations_is_named_not_skipped_in_silence(tmp_path):
    bare = tmp_path / "bare.yaml"
    bare.write_text("id: bare\nfacts_date: 2020-01-01\nregimes: [fr]\n", encoding="utf-8")
    result = run("check", str(bare))
    assert f"{bare}: no `expect` block: not checked" in result.stdout
    assert "1 file without an `expect` block, not checked" in result.stdout


def test_scenario_ids_never_run_into_their_titles():
    lines = run("scenario", "list").stdout.splitlines()
    starts = {len(line) - len(line.split(" ", 1)[1].lstrip()) for line in lines}
    assert len(starts) == 1  # every title starts in the same column, after the longest id


def test_no_help_summary_is_cut():
    for group in ([], ["rules"], ["scenario"]):
        result = run(*group, "--help", env={"COLUMNS": "80"})
        commands = result.stdout.split("Commands:")[1]
        assert "..." not in commands, commands


def complete(words: str, index: int) -> list[str]:
    environment = {**os.environ, "COMP_WORDS": words, "COMP_CWORD": str(index), "_LIABILITY_COMPLETE": "bash_complete"}
    environment.pop("LIABILITY_RULES", None)
    script = "import sys; from liability import command; sys.argv = ['liability']; command()"
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, env=environment, timeout=60)
    return [line.split(",", 1)[1] for line in result.stdout.splitlines()]


def test_the_shell_completes_bundled_scenario_ids_and_heads():
    assert "fr-escort-classifieds-paid-2019" in complete("liability run fr-escort-classifieds-p", 2)
    heads = complete("liability explain fr-escort-classifieds-paid-2019 --head fr.proxen", 4)
    assert heads == ["fr.proxenetisme", "fr.proxenetisme.aggravated", "fr.proxenetisme.crime"]
