"""Small rule packs and files written on the fly, for tests of loading, strata, the engine and the CLI."""

from __future__ import annotations

import textwrap
from pathlib import Path

from liability.bundled import rules_dir
from liability.declarations import bundled_vocabulary
from liability.scenario import Scenario, load_scenario

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
    checked: {{on: 2024-01-01, source: {URL}}}
"""
    return text + extra


TEST_JURISDICTION = """\
jurisdiction: ZZ
title: {fr: "Essai", en: "Test"}
checked_on: 2024-01-01
official_hosts: [legifrance.gouv.fr]
currencies:
  - {code: EUR, name: {fr: euro, en: euro}}
proceedings:
  criminal: {fr: pénal, en: criminal}
  civil: {fr: civil, en: civil}
penalty_natures:
  délit: {fr: délit, en: délit}
"""
"""The descriptor of the test packs' jurisdiction, ZZ."""


def write_declarations(folder: Path, packs_in: str = ".", jurisdiction: str = TEST_JURISDICTION,
                       facts: str | None = None) -> None:
    """What a rules folder declares besides its packs: the bundled facts file (or the `facts`
    given) and the descriptor of the jurisdiction of the packs kept in `packs_in`."""
    (folder / packs_in).mkdir(parents=True, exist_ok=True)
    (folder / packs_in / "jurisdiction.yaml").write_text(jurisdiction, encoding="utf-8")
    (folder / "facts.yaml").write_text(facts if facts is not None else
                                       (rules_dir() / "facts.yaml").read_text(encoding="utf-8"), encoding="utf-8")


def write_rules(tmp_path: Path, *packs: str, regimes: str | None = None, jurisdiction: str = TEST_JURISDICTION,
                facts: str | None = None) -> Path:
    """A rules folder with one regime `tt` made of `packs` (YAML texts), named a.yaml, b.yaml...,
    with the jurisdiction ZZ's descriptor and the bundled facts file (or the `facts` given)."""
    write_declarations(tmp_path, jurisdiction=jurisdiction, facts=facts)
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


def read_scenario(path: Path | str) -> Scenario:
    """A scenario file read against the bundled rules' vocabulary (no check of the regimes and
    heads it names: Reasoner.load does that)."""
    return load_scenario(path, bundled_vocabulary())
