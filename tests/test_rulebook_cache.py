"""The rulebook cache: a speed-up that never changes an answer and never hides a broken pack."""

from __future__ import annotations

import pickle
import shutil
from pathlib import Path

import pytest
from packs import pack, rule, write_rules

from liability.bundled import rules_dir, scenarios_dir
from liability.reasoner import Reasoner
from liability.rulebook import RuleError, load_regimes, load_rulebook
from liability.rulebook_cache import cached_rulebook
from liability.scenario import load_scenario


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "cache"
    monkeypatch.setenv("LIABILITY_CACHE_DIR", str(folder))
    return folder


def _folder(path: Path) -> Path:
    path.mkdir()
    return path


def _regime(directory: Path, regime_id: str):
    return load_regimes(directory)[regime_id]


def test_a_cached_rulebook_gives_the_same_findings_byte_for_byte(cache: Path):
    scenario = load_scenario(next(scenarios_dir().rglob("platform-timeline-2015.yaml")))
    fresh = Reasoner().assess(scenario).json_line()
    assert sorted(p.name.split("-")[1] for p in cache.glob("*.pickle")) == ["eu", "fr", "us"]
    cached = Reasoner().assess(scenario).json_line()
    assert cached == fresh


def test_the_cache_is_read_rather_than_the_packs_when_they_are_unchanged(cache: Path, tmp_path: Path):
    rules = write_rules(_folder(tmp_path / "rules"), pack(rule("tt.a", "service.stores_user_content", "tt.x")))
    regime = _regime(rules, "tt")
    first = cached_rulebook(regime, rules)
    (entry,) = cache.glob("*.pickle")
    book = pickle.loads(entry.read_bytes())
    book.title = book.title.model_copy(update={"en": "From the cache"})
    entry.write_bytes(pickle.dumps(book))
    assert first.title.en == "Test"
    assert cached_rulebook(regime, rules).title.en == "From the cache"


def test_editing_a_pack_replaces_its_cached_rulebook(cache: Path, tmp_path: Path):
    rules = write_rules(_folder(tmp_path / "rules"), pack(rule("tt.a", "service.stores_user_content", "tt.x")))
    regime = _regime(rules, "tt")
    assert cached_rulebook(regime, rules).by_id["tt.a"].because.en == "Because."
    (rules / "a.yaml").write_text(pack(rule("tt.a", "service.stores_user_content", "tt.x",
                                            because='{fr: "Autre.", en: "Changed."}')), encoding="utf-8")
    assert cached_rulebook(regime, rules).by_id["tt.a"].because.en == "Changed."
    assert len(list(cache.glob("*.pickle"))) == 1


def test_a_broken_pack_is_never_cached_and_fails_on_every_load(cache: Path, tmp_path: Path):
    rules = write_rules(_folder(tmp_path / "rules"), pack(rule("tt.a", "service.no_such_fact", "tt.x")))
    regime = _regime(rules, "tt")
    for _ in range(2):
        with pytest.raises(RuleError, match="no_such_fact"):
            cached_rulebook(regime, rules)
    assert not list(cache.glob("*.pickle"))


def test_a_corrupt_cache_entry_is_a_miss_and_is_rewritten(cache: Path):
    regime = _regime(rules_dir(), "us")
    cached_rulebook(regime, rules_dir())
    (entry,) = cache.glob("rulebook-us-*.pickle")
    entry.write_bytes(b"not a pickle")
    assert len(cached_rulebook(regime, rules_dir()).rules) == len(load_rulebook(regime).rules)
    assert entry.read_bytes() != b"not a pickle"


def test_an_empty_cache_setting_turns_the_cache_off(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("LIABILITY_CACHE_DIR", "")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    cached_rulebook(_regime(rules_dir(), "eu"), rules_dir())
    assert not (tmp_path / "xdg").exists() and not (tmp_path / "home").exists()


def test_a_cache_folder_that_cannot_be_written_is_ignored(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    monkeypatch.setenv("LIABILITY_CACHE_DIR", str(blocker / "cache"))
    assert cached_rulebook(_regime(rules_dir(), "eu"), rules_dir()).regime == "eu"


def test_a_copied_rules_folder_has_entries_of_its_own(cache: Path, tmp_path: Path):
    copy = tmp_path / "copy"
    shutil.copytree(rules_dir(), copy)
    cached_rulebook(_regime(rules_dir(), "eu"), rules_dir())
    cached_rulebook(_regime(copy, "eu"), copy)
    assert len(list(cache.glob("rulebook-eu-*.pickle"))) == 2
