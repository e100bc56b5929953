"""Whatever a file holds, the command line answers with a finding, an expectation failure or a
located refusal: exit 0, 1 or 2, never a traceback or an internal error (exit 3).

Hypothesis mutates bundled scenarios and a small rule pack line by line (hostile tokens, YAML
1.1 oddities, terminal escapes, fences, huge values, broken structure) and runs the CLI in
process on each mutant. The budget keeps the whole file under a minute.
"""

from __future__ import annotations

import json
from pathlib import Path

import yaml
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from packs import write_declarations
from liability.bundled import scenarios_dir
from liability.cli import main

FIXTURES = Path(__file__).parent / "fixtures"
SEEDS = [scenarios_dir() / "fr" / "fr-escort-classifieds-paid-2019.yaml",
         scenarios_dir() / "cases" / "us-doe-reddit-2022.yaml",
         scenarios_dir() / "fr-eu" / "eu-coded-ads-complete-notice-2020.yaml"]
PACK_SEED = next((FIXTURES / "rules-basic" / "zz").glob("*.yaml"))

HOSTILE = ["010", "0x10", "0o17", "1:30", "1_000", "-1", "1e400", ".nan", "0", "2019-02-30", "9999-12-31",
           "yes", "off", "~", "null", "unknown", "[]", "{}", "[[[[", "{a: b}", "&a [1]", "*a", "<<: *a",
           "!!python/object/apply:os.system ['true']", "!!binary aGk=", "\x1b[31mred\x1b[0m", "\x00", "\u202e",
           "'\\ud800'", '"\\ud800"', "```", "~~~", "# heading", "<script>alert(1)</script>", "\\",
           "https://evil.example\\@www.legifrance.gouv.fr/", "x" * 5000, "- - - -", "key: value: other",
           "\t", "é" * 100, "%YAML 1.1", "---", "..."]


def _mutate(text: str, data: st.DataObject) -> str:
    """One to four edits of `text`: a value replaced, a line dropped, doubled or cut, a token inserted."""
    lines = text.splitlines()
    for _ in range(data.draw(st.integers(1, 4))):
        if not lines:
            lines = [""]
        index = data.draw(st.integers(0, len(lines) - 1))
        token = data.draw(st.sampled_from(HOSTILE) | st.text(max_size=12))
        # mostly values, so that most mutants still parse and reach validation and the engine
        kind = data.draw(st.sampled_from(["value"] * 6 + ["drop", "double", "cut", "insert", "indent"]))
        line = lines[index]
        if kind == "value" and ":" in line:
            lines[index] = line[: line.index(":") + 1] + " " + token
        elif kind == "drop":
            del lines[index]
        elif kind == "double":
            lines.insert(index, line)
        elif kind == "cut":
            lines[index] = line[: data.draw(st.integers(0, max(len(line), 0)))]
        elif kind == "indent":
            lines[index] = "  " + line
        else:
            lines.insert(index, token)
    return "\n".join(lines) + "\n"


def seed_text(seed: Path, suffix: str) -> str:
    """The seed scenario as YAML, or as JSON one key per line (so that line edits hit values)."""
    text = seed.read_text(encoding="utf-8")
    return text if suffix == ".yaml" else json.dumps(yaml.safe_load(text), indent=1, default=str, ensure_ascii=False)


def _assert_clean(args: list[str]) -> None:
    result = CliRunner().invoke(main, args, catch_exceptions=True)
    crashed = result.exception is not None and not isinstance(result.exception, SystemExit)
    assert not crashed, (args, repr(result.exception))
    assert result.exit_code in (0, 1, 2), (args, result.exit_code, result.output[-2000:])
    assert "Traceback" not in result.output


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                 HealthCheck.too_slow])
@given(seed=st.sampled_from(SEEDS), suffix=st.sampled_from([".yaml", ".json"]),
       fmt=st.sampled_from(["json", "text", "md"]), data=st.data())
def test_a_mutated_scenario_is_assessed_or_refused_never_crashes(tmp_path_factory, seed: Path, suffix: str, fmt: str,
                                                                  data: st.DataObject) -> None:
    folder = tmp_path_factory.mktemp("fuzz")
    path = folder / f"mutant{suffix}"
    path.write_text(_mutate(seed_text(seed, suffix), data), encoding="utf-8", errors="surrogatepass")
    _assert_clean(["run", str(path), "--format", fmt, "--engine", "direct"])
    _assert_clean(["scenario", "validate", str(path)])


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                 HealthCheck.too_slow])
@given(data=st.data())
def test_a_mutated_rule_pack_is_loaded_or_refused_never_crashes(tmp_path_factory, data: st.DataObject) -> None:
    folder = tmp_path_factory.mktemp("rules")
    write_declarations(folder, "zz")
    (folder / "regimes.yaml").write_text((FIXTURES / "rules-basic" / "regimes.yaml").read_text(encoding="utf-8"),
                                         encoding="utf-8")
    (folder / "zz" / PACK_SEED.name).write_text(_mutate(PACK_SEED.read_text(encoding="utf-8"), data),
                                                encoding="utf-8", errors="surrogatepass")
    scenario = FIXTURES / "scenarios-basic" / "liable.yaml"
    _assert_clean(["--rules", str(folder), "rules", "lint"])
    _assert_clean(["--rules", str(folder), "run", str(scenario), "--format", "json"])
