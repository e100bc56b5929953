"""Where the shipped rule packs and example scenarios live.

In a source checkout they are the top-level ``rules/``, ``scenarios/`` and ``reforms/`` folders; in an
installed wheel they are copied under ``liability/_data/`` (see ``pyproject.toml``), so that
``pip install .`` works from any directory. ``LIABILITY_RULES`` points at another rules folder,
for people writing their own packs.
"""

from __future__ import annotations

import os
from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent


def _bundled(name: str) -> Path:
    packaged = _PACKAGE / "_data" / name
    return packaged if packaged.is_dir() else _PACKAGE.parent / name


def rules_dir() -> Path:
    """The rules folder in use: ``LIABILITY_RULES`` if set, else the bundled packs."""
    override = os.environ.get("LIABILITY_RULES")
    return Path(override) if override else _bundled("rules")


def scenarios_dir() -> Path:
    """The bundled example scenarios."""
    return _bundled("scenarios")


def reforms_dir() -> Path:
    """The bundled example reforms (overlays on the bundled packs)."""
    return _bundled("reforms")
