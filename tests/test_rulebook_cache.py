"""The rulebook cache: a speed-up that never changes an answer, never runs code from a file and
never hides a broken pack."""

from __future__ import annotations

import hashlib
import json
import os
import pickle
import shutil
import stat
from pathlib import Path
from typing import Any, Callable

import pytest
from packs import pack, rule, write_rules

from packs import read_scenario
from liability import graph, rulebook_cache, sources
from liability.bundled import rules_dir, scenarios_dir
from liability.loading import load_rulebook
from liability.reasoner import Reasoner
from liability.rulebook import Regime, RuleError, load_regimes
from liability.rulebook_cache import cached_rulebook

US_CASE = "us-doe-backpage-1cir-2016.yaml"
"""A bundled case judged under US law alone, some of whose findings are established."""


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "cache"
    monkeypatch.setenv("LIABILITY_CACHE_DIR", str(folder))
    return folder


def _folder(path: Path) -> Path:
    path.mkdir()
    return path


def _regime(directory: Path, regime_id: str) -> Regime:
    return load_regimes(directory)[regime_id]


def _entries(cache: Path) -> list[Path]:
    return sorted(cache.glob("rulebook-*.json"))


def _findings(file_name: str) -> str:
    """The findings on a bundled scenario, as the JSON line `liability run` prints."""
    return Reasoner().assess(read_scenario(next(scenarios_dir().rglob(file_name)))).json_line()


def _findings_without_cache(file_name: str, monkeypatch: pytest.MonkeyPatch) -> str:
    with monkeypatch.context() as patch:
        patch.setenv("LIABILITY_CACHE_DIR", "")
        return _findings(file_name)


def _body(entry: Path) -> dict[str, Any]:
    """An entry's content, below the digest on its first line."""
    return json.loads(entry.read_bytes().partition(b"\n")[2])


def _rewrite(entry: Path, body: dict[str, Any], *, keep_digest: bool = False) -> None:
    """Write `body` into `entry`, under its old digest (an edit by hand) or a fresh one (a forgery
    by someone who knows the format)."""
    text = json.dumps(body).encode()
    digest = entry.read_bytes().partition(b"\n")[0] if keep_digest else hashlib.sha256(text).hexdigest().encode()
    entry.write_bytes(digest + b"\n" + text)


def _weakened(body: dict[str, Any]) -> int:
    """Make every established rule in the entry's documents arguable; how many were changed."""
    changed = 0
    for document in body["documents"]:
        for raw in document["data"]["rules"]:
            if raw["then"]["strength"] == "established":
                raw["then"]["strength"] = "arguable"
                changed += 1
    return changed


def _us_entry(cache: Path) -> Path:
    _findings(US_CASE)
    (entry,) = _entries(cache)
    return entry


def test_a_cached_rulebook_gives_the_same_findings_byte_for_byte(cache: Path):
    fresh = _findings("platform-timeline-2015.yaml")
    assert sorted(p.name.split("-")[1] for p in _entries(cache)) == ["eu", "fr", "us"]
    assert _findings("platform-timeline-2015.yaml") == fresh


def _forbidden(*_: object) -> None:
    raise AssertionError("a cache hit must not do this")


@pytest.mark.parametrize("regime_id", ["fr", "us", "eu"])
def test_a_hit_parses_no_pack_nor_stratifies_and_equals_a_fresh_load_in_every_field(
        cache: Path, monkeypatch: pytest.MonkeyPatch, regime_id: str):
    regime = _regime(rules_dir(), regime_id)
    fresh = cached_rulebook(regime, rules_dir())
    assert fresh == load_rulebook(regime, rules_dir())
    monkeypatch.setattr(sources, "_yaml_document", _forbidden)
    monkeypatch.setattr(graph, "stratify", _forbidden)
    assert cached_rulebook(regime, rules_dir()) == fresh


def test_entries_are_json_private_to_their_user_in_a_private_folder(cache: Path):
    cached_rulebook(_regime(rules_dir(), "us"), rules_dir())
    assert stat.S_IMODE(cache.stat().st_mode) == 0o700
    (entry,) = _entries(cache)
    assert stat.S_IMODE(entry.stat().st_mode) == 0o600
    assert _body(entry)["built_from"]["regime"] == repr(_regime(rules_dir(), "us"))
    assert [p.name for p in cache.iterdir()] == [entry.name]  # no temporary file left behind


def test_a_pickle_planted_as_an_entry_runs_no_code_and_changes_no_finding(cache: Path, tmp_path: Path,
                                                                          monkeypatch: pytest.MonkeyPatch):
    marker = tmp_path / "code-ran"

    class Payload:
        def __reduce__(self) -> tuple[Callable[..., Any], tuple[str]]:
            return exec, (f"open({str(marker)!r}, 'w').close()",)

    entry = _us_entry(cache)
    entry.write_bytes(pickle.dumps(Payload()))
    assert _findings(US_CASE) == _findings_without_cache(US_CASE, monkeypatch)
    assert not marker.exists()
    assert _body(entry)["built_from"]  # the planted file was replaced by a real entry


def test_an_edited_entry_that_weakens_rules_changes_no_finding(cache: Path, monkeypatch: pytest.MonkeyPatch):
    entry = _us_entry(cache)
    body = _body(entry)
    assert _weakened(body) > 0
    _rewrite(entry, body, keep_digest=True)
    assert _findings(US_CASE) == _findings_without_cache(US_CASE, monkeypatch)
    assert '"established"' in _findings(US_CASE)  # what the edit would have turned to arguable


def test_a_truncated_entry_is_a_miss_and_is_rewritten_whole(cache: Path, monkeypatch: pytest.MonkeyPatch):
    entry = _us_entry(cache)
    whole = entry.read_bytes()
    entry.write_bytes(whole[: len(whole) // 2])
    assert _findings(US_CASE) == _findings_without_cache(US_CASE, monkeypatch)
    assert entry.read_bytes() == whole


def test_a_valid_entry_filed_under_other_sources_is_refused(cache: Path, tmp_path: Path):
    rules = write_rules(_folder(tmp_path / "rules"), pack(rule("tt.a", "service.stores_user_content", "tt.x")))
    regime = _regime(rules, "tt")
    cached_rulebook(regime, rules)
    (old,) = _entries(cache)
    old_bytes = old.read_bytes()
    (rules / "a.yaml").write_text(pack(rule("tt.a", "service.stores_user_content", "tt.x",
                                            because='{fr: "Autre.", en: "Changed."}')), encoding="utf-8")
    cached_rulebook(regime, rules)
    (new,) = _entries(cache)
    new.write_bytes(old_bytes)  # intact, digest and all, but built from the pack's former bytes
    assert cached_rulebook(regime, rules).by_id["tt.a"].because.en == "Changed."


def _drop_last_rule_from_order(body: dict[str, Any]) -> None:
    body["strata"]["order"].pop()


def _negative_stratum(body: dict[str, Any]) -> None:
    first = next(iter(body["strata"]["stratum"]))
    body["strata"]["stratum"][first] = -1


def _line_as_text(body: dict[str, Any]) -> None:
    body["documents"][0]["lines"][0] = "1"


def _missing_document(body: dict[str, Any]) -> None:
    body["documents"].pop()


def _unknown_key(body: dict[str, Any]) -> None:
    body["extra"] = True


def _other_interpreter(body: dict[str, Any]) -> None:
    body["built_from"]["python"] = "2.7"


def _invalid_pack(body: dict[str, Any]) -> None:
    del body["documents"][0]["data"]["rules"]


@pytest.mark.parametrize("damage", [_drop_last_rule_from_order, _negative_stratum, _line_as_text, _missing_document,
                                    _unknown_key, _other_interpreter, _invalid_pack],
                         ids=lambda damage: damage.__name__.lstrip("_"))
def test_an_entry_of_the_wrong_shape_is_a_miss_even_under_a_matching_digest(cache: Path,
                                                                            damage: Callable[[dict[str, Any]], None]):
    regime = _regime(rules_dir(), "us")
    cached_rulebook(regime, rules_dir())
    (entry,) = _entries(cache)
    body = _body(entry)
    damage(body)
    _rewrite(entry, body)
    assert cached_rulebook(regime, rules_dir()) == load_rulebook(regime, rules_dir())
    assert _body(entry) != body


def test_a_folder_others_can_write_is_refused_with_one_warning(cache: Path, monkeypatch: pytest.MonkeyPatch,
                                                               capsys: pytest.CaptureFixture[str]):
    entry = _us_entry(cache)
    body = _body(entry)
    assert _weakened(body) > 0
    _rewrite(entry, body)  # a forgery that only the folder's privacy keeps out
    forged = entry.read_bytes()
    os.chmod(cache, 0o777)
    capsys.readouterr()
    assert _findings("platform-timeline-2015.yaml") == _findings_without_cache("platform-timeline-2015.yaml",
                                                                                monkeypatch)
    assert _findings(US_CASE) == _findings_without_cache(US_CASE, monkeypatch)
    warnings = capsys.readouterr().err.splitlines()
    assert len(warnings) == 1 and "can be written by other users" in warnings[0] and str(cache) in warnings[0]
    assert entry.read_bytes() == forged and _entries(cache) == [entry]  # nothing written there either


def test_an_entry_others_can_write_is_refused_and_replaced(cache: Path, monkeypatch: pytest.MonkeyPatch):
    entry = _us_entry(cache)
    body = _body(entry)
    assert _weakened(body) > 0
    _rewrite(entry, body)
    os.chmod(entry, 0o666)  # rewritable by anyone who may enter the folder, as a 0755 one allows
    assert _findings(US_CASE) == _findings_without_cache(US_CASE, monkeypatch)
    assert stat.S_IMODE(entry.stat().st_mode) == 0o600 and _body(entry) != body


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() != 0, reason="giving a folder away needs root")
def test_a_folder_another_user_owns_is_refused_with_one_warning(cache: Path, monkeypatch: pytest.MonkeyPatch,
                                                                capsys: pytest.CaptureFixture[str]):
    entry = _us_entry(cache)
    body = _body(entry)
    _weakened(body)
    _rewrite(entry, body)
    os.chown(cache, 65534, 65534)
    os.chown(entry, 65534, 65534)
    capsys.readouterr()
    assert _findings(US_CASE) == _findings_without_cache(US_CASE, monkeypatch)
    warnings = capsys.readouterr().err.splitlines()
    assert len(warnings) == 1 and "belongs to another user" in warnings[0]


def test_a_pack_saved_while_it_is_loaded_is_cached_under_the_bytes_that_were_parsed(
        cache: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    before = pack(rule("tt.a", "service.stores_user_content", "tt.x"))
    after = pack(rule("tt.a", "service.stores_user_content", "tt.x", because='{fr: "Autre.", en: "Changed."}'))
    rules = write_rules(_folder(tmp_path / "rules"), before)
    regime = _regime(rules, "tt")
    read_bytes = rulebook_cache.read_bytes

    def read_then_save(path: Path) -> bytes:
        content = read_bytes(path)
        path.write_text(after, encoding="utf-8")  # the user saves just after the cache read the pack
        return content

    monkeypatch.setattr(rulebook_cache, "read_bytes", read_then_save)
    assert cached_rulebook(regime, rules).by_id["tt.a"].because.en == "Because."
    monkeypatch.setattr(rulebook_cache, "read_bytes", read_bytes)
    (rules / "a.yaml").write_text(before, encoding="utf-8")  # the user undoes the change
    assert cached_rulebook(regime, rules).by_id["tt.a"].because.en == "Because."
    (rules / "a.yaml").write_text(after, encoding="utf-8")
    assert cached_rulebook(regime, rules).by_id["tt.a"].because.en == "Changed."


def test_a_relative_cache_folder_is_ignored_with_one_warning(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                             capsys: pytest.CaptureFixture[str]):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("LIABILITY_CACHE_DIR", "relative/cache")
    capsys.readouterr()
    assert _findings("platform-timeline-2015.yaml") == _findings_without_cache("platform-timeline-2015.yaml",
                                                                                monkeypatch)
    warnings = capsys.readouterr().err.splitlines()
    assert warnings == ["warning: rulebook cache off: LIABILITY_CACHE_DIR `relative/cache` is not an absolute path"]
    assert not (tmp_path / "relative").exists()


def test_the_cache_folder_is_created_private(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.delenv("LIABILITY_CACHE_DIR", raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    cached_rulebook(_regime(rules_dir(), "eu"), rules_dir())
    assert stat.S_IMODE((tmp_path / "xdg" / "liability").stat().st_mode) == 0o700


def test_editing_a_pack_replaces_its_cached_rulebook(cache: Path, tmp_path: Path):
    rules = write_rules(_folder(tmp_path / "rules"), pack(rule("tt.a", "service.stores_user_content", "tt.x")))
    regime = _regime(rules, "tt")
    assert cached_rulebook(regime, rules).by_id["tt.a"].because.en == "Because."
    (rules / "a.yaml").write_text(pack(rule("tt.a", "service.stores_user_content", "tt.x",
                                            because='{fr: "Autre.", en: "Changed."}')), encoding="utf-8")
    assert cached_rulebook(regime, rules).by_id["tt.a"].because.en == "Changed."
    assert len(_entries(cache)) == 1


def test_a_broken_pack_is_never_cached_and_fails_on_every_load(cache: Path, tmp_path: Path):
    rules = write_rules(_folder(tmp_path / "rules"), pack(rule("tt.a", "service.no_such_fact", "tt.x")))
    regime = _regime(rules, "tt")
    for _ in range(2):
        with pytest.raises(RuleError, match="no_such_fact"):
            cached_rulebook(regime, rules)
    assert not _entries(cache)


def test_a_missing_pack_is_reported_as_without_the_cache(cache: Path, tmp_path: Path):
    rules = write_rules(_folder(tmp_path / "rules"), pack(rule("tt.a", "service.stores_user_content", "tt.x")))
    regime = _regime(rules, "tt")
    (rules / "a.yaml").unlink()
    with pytest.raises(RuleError, match="a.yaml: cannot read the file"):
        cached_rulebook(regime, rules)
    assert not _entries(cache)


def test_an_empty_cache_setting_turns_the_cache_off(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                    capsys: pytest.CaptureFixture[str]):
    monkeypatch.setenv("LIABILITY_CACHE_DIR", "")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    cached_rulebook(_regime(rules_dir(), "eu"), rules_dir())
    assert not (tmp_path / "xdg").exists() and not (tmp_path / "home").exists()
    assert capsys.readouterr().err == ""


def test_without_owners_and_modes_to_check_there_is_no_cache(cache: Path, monkeypatch: pytest.MonkeyPatch,
                                                              capsys: pytest.CaptureFixture[str]):
    monkeypatch.setattr(rulebook_cache, "_PRIVACY_CHECKABLE", False)
    assert cached_rulebook(_regime(rules_dir(), "eu"), rules_dir()).regime == "eu"
    assert not cache.exists() and capsys.readouterr().err == ""


def test_a_cache_folder_that_cannot_be_created_is_ignored_with_one_warning(tmp_path: Path,
                                                                          monkeypatch: pytest.MonkeyPatch,
                                                                          capsys: pytest.CaptureFixture[str]):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    monkeypatch.setenv("LIABILITY_CACHE_DIR", str(blocker / "cache"))
    for regime_id in ("eu", "us"):
        assert cached_rulebook(_regime(rules_dir(), regime_id), rules_dir()).regime == regime_id
    (warning,) = capsys.readouterr().err.splitlines()
    assert warning.startswith(f"warning: rulebook cache off: cannot use `{blocker / 'cache'}`")


def test_a_copied_rules_folder_has_entries_of_its_own(cache: Path, tmp_path: Path):
    copy = tmp_path / "copy"
    shutil.copytree(rules_dir(), copy)
    cached_rulebook(_regime(rules_dir(), "eu"), rules_dir())
    cached_rulebook(_regime(copy, "eu"), copy)
    assert len(list(cache.glob("rulebook-eu-*.json"))) == 2
