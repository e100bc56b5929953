"""Small rule packs and files written on the fly, for tests of loading, strata, the engine and the CLI."""

from __future__ import annotations

import textwrap
from pathlib import Path

URL = "https://www.legifrance.gouv.fr/codes/article_lc/LEGIARTI000000000001"

PACK_HEADER = """\
pack: tt.pack
jurisdiction: ZZ
title: {fr: "Essai", en: "Test"}
checked_on: 2024-01-01
"""


def rule(rule_id: str, when: str, conclude: str, *, unless: str = "", in_force: str = "{from: 2000-01-01}",
         url: str = URL, because: str = '{fr: "Parce que.", en: "Because."}', strength: str = "established",
         penalty: str = "", extra: str = "") -> str:
    """One rule as YAML text (a list item under `rules:`)."""
    text = f"""\
  - id: {rule_id}
    cites: "Test code, art. 1"
    url: {url}
    in_force: {in_force}
    when: {when}
"""
    if unless:
        text += f"    unless: {unless}\n"
    text += f"""\
    then: {{conclude: {conclude}, strength: {strength}{", penalty: " + penalty if penalty else ""}}}
    because: {because}
"""
    return text + extra


def write_rules(tmp_path: Path, *packs: str, regimes: str | None = None) -> Path:
    """A rules folder with one regime `tt` made of `packs` (YAML texts), named a.yaml, b.yaml..."""
    names = []
    for index, text in enumerate(packs):
        name = f"{chr(ord('a') + index)}.yaml"
        (tmp_path / name).write_text(text, encoding="utf-8")
        names.append(name)
    (tmp_path / "regimes.yaml").write_text(regimes or textwrap.dedent(f"""\
        regimes:
          - id: tt
            title: {{fr: "Essai", en: "Test"}}
            packs: [{", ".join(names)}]
        """), encoding="utf-8")
    return tmp_path


def pack(*rules: str, extra: str = "") -> str:
    return PACK_HEADER + extra + "rules:\n" + "".join(rules)


def write(tmp_path: Path, text: str | bytes, name: str = "case.yaml") -> Path:
    """A file of `text` (or raw bytes, for encodings a test breaks on purpose) in `tmp_path`."""
    path = tmp_path / name
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    return path
