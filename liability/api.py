"""The library's functions for notebooks and scripts: each returns the pydantic document the
command line renders.

    >>> from liability import assess, whatif, flips, sweep, reform
    >>> document = assess("fr-escort-classifieds-paid-2019")
    >>> rows = document.to_records()          # a tidy table: one flat dict per finding

A scenario is given as a path, the id of a bundled scenario, a mapping written as a scenario file
would be, or a :class:`~liability.scenario.Scenario` already loaded. Bad input raises
:class:`~liability.scenario.ScenarioError` (its `problems` are the command line's messages).
Rulebooks and engines are loaded once per process and rules folder, and reused.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any, Iterable, Mapping, Union

from .bundled import scenarios_dir
from .changes import change_of
from .findings import Document
from .flip_search import Flips
from .flip_search import flips as _flips
from .overlay import load_reform
from .reasoner import Reasoner
from .reform_changes import ReformReport, compare_reform
from .scenario import Scenario, ScenarioError, parse_scenario, utc_today
from .sources import Document as Source
from .sweep_table import Sweep, default_regime, varied_facts
from .sweep_table import sweep as _sweep
from .what_if import WhatIf, what_if

ScenarioLike = Union[Scenario, str, Path, Mapping[str, Any]]

_REASONERS: dict[tuple[str | None, str], Reasoner] = {}


def reasoner(rules: str | Path | None = None, engine: str = "direct") -> Reasoner:
    """The process's reasoner for a rules folder (default: the bundled packs) and engine."""
    key = (str(rules) if rules else None, engine)
    if key not in _REASONERS:
        _REASONERS[key] = Reasoner(Path(rules) if rules else None, engine)
    return _REASONERS[key]


def scenario(value: ScenarioLike, rules: str | Path | None = None) -> Scenario:
    """A scenario from a path, a bundled id, a mapping, or as it is."""
    if isinstance(value, Scenario):
        return value
    chosen = reasoner(rules)
    if isinstance(value, Mapping):
        return parse_scenario(Source("<scenario>", dict(value)), chosen.vocabulary)
    path = Path(value)
    if not path.exists():
        bundled = {found.stem: found for found in scenarios_dir().rglob("*.yaml")}
        if str(value) not in bundled:
            raise ScenarioError([f"{value}: no such file, and no bundled scenario has that id"])
        path = bundled[str(value)]
    return chosen.load(path)


def _only(regimes: str | Iterable[str] | None) -> list[str] | None:
    if regimes is None:
        return None
    return [regimes] if isinstance(regimes, str) else list(regimes)


def assess(value: ScenarioLike, *, regimes: str | Iterable[str] | None = None, lang: str = "en",
           explain: bool = True, changes: Mapping[str, Any] | None = None, engine: str = "direct",
           rules: str | Path | None = None) -> Document:
    """The findings document (`liability/findings-v1`), as `liability run --format json` prints it;
    `changes` sets facts first, as `--set` does (`{"money.posting_fees": False}`)."""
    chosen = reasoner(rules, engine)
    loaded = scenario(value, rules)
    if changes:
        from .changes import with_changes

        loaded = with_changes(loaded, [change_of(path, v, chosen.vocabulary) for path, v in changes.items()])
    return chosen.assess(loaded, lang, _only(regimes), explain=explain)


def whatif(value: ScenarioLike, changes: Mapping[str, Any], *, regimes: str | Iterable[str] | None = None,
           lang: str = "en", rules: str | Path | None = None) -> WhatIf:
    """The findings the changes alter, before and after (`liability whatif`)."""
    chosen = reasoner(rules)
    return what_if(chosen, scenario(value, rules), [change_of(path, v, chosen.vocabulary) for path, v in changes.items()],
                   lang, _only(regimes))


def flips(value: ScenarioLike, *, heads: Iterable[str] = (), keep: Iterable[str] = (), max_changes: int = 3,
          regimes: str | Iterable[str] | None = None, lang: str = "en", rules: str | Path | None = None) -> Flips:
    """The smallest sets of fact changes that give each finding each other status (`liability flips`)."""
    return _flips(reasoner(rules), scenario(value, rules), heads, keep, max_changes, lang, _only(regimes))


def reform(overlay: str | Path, scenarios: Iterable[str | Path] | None = None, *,
           regimes: str | Iterable[str] | None = None, as_of: dt.date | None = None,
           rules: str | Path | None = None) -> ReformReport:
    """What a reform overlay changes (`liability reform`): the findings over `scenarios` (files or
    folders; default: the bundled library) and, exactly, the combinations of facts whose status it
    changes on `as_of` (default: today). Bad input raises
    :class:`~liability.rulebook.RuleError`. `.as_json()` is what `--format json` prints."""
    chosen = reasoner(rules)
    loaded = load_reform(overlay, chosen.regimes, chosen.directory, chosen.rulebook)
    paths = [Path(p) for p in scenarios] if scenarios is not None else [scenarios_dir()]
    files = [found for path in paths for found in (sorted(path.rglob("*.yaml")) if path.is_dir() else [path])]
    return compare_reform(chosen, loaded, files, as_of or utc_today(), _only(regimes))


def sweep(value: ScenarioLike, vary: Iterable[str] | None = None, *, head: str | None = None,
          regime: str | None = None, lang: str = "en", rules: str | Path | None = None) -> Sweep:
    """A head's status (every head without `head`) over every combination of the `vary` facts'
    value classes, with each status's formula in words (`liability sweep`); `vary` None: the
    unknown facts each head depends on (`--vary all-unknown`). A bad fact or head raises
    :class:`~liability.sweep_table.SweepError`."""
    chosen = reasoner(rules)
    loaded = scenario(value, rules)
    facts = None if vary is None else varied_facts(chosen, list(vary))
    return _sweep(chosen, loaded, regime or default_regime(chosen, loaded, head), facts, head, lang)
