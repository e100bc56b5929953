"""The text comparison fits its width: a grid where every token fits its column, stacked below,
and in either layout no line wider than the width and no rule id, date, amount or citation cut.

Checked for every bundled scenario that has findings in at least two of fr, us and eu, at its own
dates and at two dates (its own and 2024-03-01, after FOSTA and the DSA), in English and French, at
40, 60, 80, 100, 120 and 200 columns. The reference for "not cut" is the same layout laid out
1,024 columns wide, where nothing wraps: the same words, and each token as many times on a line.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from collections import Counter
from pathlib import Path

import pytest

from liability.bundled import scenarios_dir
from liability.compare import Comparison, compare
from liability.reasoner import Reasoner
from liability.render import comparison
from liability.render.typography import typeset
from liability.sentence import money
from packs import read_scenario

REASONER = Reasoner(engine="direct")
REGIMES = ["fr", "us", "eu"]
WIDTHS = [40, 60, 80, 100, 120, 200]
WIDE = 1024
LATER = dt.date(2024, 3, 1)
BOX = re.compile(r"^[\u2500-\u257f]+$")


@functools.cache
def _scenarios() -> dict[str, Path]:
    return {path.stem: path for path in sorted(Path(scenarios_dir()).rglob("*.yaml"))}


@functools.cache
def comparison_of(scenario_id: str, lang: str, two_dates: bool) -> Comparison:
    scenario = read_scenario(_scenarios()[scenario_id])
    dates = [(scenario.facts_date, scenario.assessed_on)] + ([(LATER, LATER)] if two_dates else [])
    return compare(REASONER, scenario, REGIMES, dates, lang)


def _makes_sense(scenario_id: str) -> bool:
    """Findings in at least two of the three regimes: a comparison, not one regime and blanks."""
    result = comparison_of(scenario_id, "en", False)
    return len({column.regime for row in result.rows for column, cell in zip(result.columns, row.cells) if cell}) >= 2


COMPARED = [s for s in _scenarios() if _makes_sense(s)]
CASES = [pytest.param(s, lang, two, id=f"{s}-{lang}-{'two-dates' if two else 'own-dates'}")
         for s in COMPARED for lang in ("en", "fr") for two in (False, True)]


def tokens(result: Comparison) -> set[str]:
    """What must never be cut, computed from the comparison: rule ids and heads, dates, amounts
    with their currency, and each citation a penalty or a difference rests on, as printed."""
    lang = result.lang
    found: set[str] = set()
    for column in result.columns:
        found |= {column.facts_date, column.judged_on}
    for row in result.rows:
        for cell in row.cells:
            for entry in cell:
                found.add(entry.head)
                penalty = entry.penalty
                if penalty is not None:
                    found |= {typeset(cite.strip(), lang) for cite in penalty.basis.split(";")}
                    if penalty.fine is not None:
                        found.add(money(penalty.fine, penalty.currency, lang, penalty.currency_name))
    for difference in result.differences:
        found.add(difference.rule)
        found |= set(re.findall(r"\d{4}-\d{2}-\d{2}", difference.version))
        found |= {typeset(cite.strip(), lang) for cite in difference.cites.split(";")}
    return {token for token in found if token}


def words(out: str) -> Counter[str]:
    """The words of a rendering, split at ordinary spaces and line ends only, the grid's rules left out."""
    return Counter(w for w in re.split(r"[ \n\u2502\u2503]+", out) if w and not BOX.match(w))


def on_lines(out: str, token: str) -> int:
    return sum(line.count(token) for line in out.splitlines())


def layout_of(out: str) -> str:
    return "grid" if "\u2503" in out else "stacked"


@pytest.mark.parametrize("scenario_id, lang, two_dates", CASES)
def test_no_line_is_wider_than_the_width_and_no_token_is_cut(scenario_id, lang, two_dates):
    result = comparison_of(scenario_id, lang, two_dates)
    expected = tokens(result)
    for width in WIDTHS:
        out = comparison.text(result, width=width)
        assert [line for line in out.splitlines() if len(line) > width] == [], width
        reference = comparison.text(result, width=WIDE, layout=layout_of(out))
        assert words(out) == words(reference), (width, (words(out) - words(reference)) or words(reference) - words(out))
        room = width - 8  # the deepest indent of the stacked layout, and a parenthesis either side
        cut = [t for t in expected if len(t) <= room and on_lines(out, t) != on_lines(reference, t)]
        assert cut == [], (width, cut)


def test_the_token_check_would_see_a_cut_rule_id():
    result = comparison_of("fr-escort-classifieds-paid-2019", "en", False)
    out = comparison.text(result, width=80)
    assert "fr.proxenetisme.aggravated" in tokens(result)
    broken = out.replace("fr.proxenetisme.aggravated", "fr.proxenetisme.\naggravated", 1)
    assert on_lines(broken, "fr.proxenetisme.aggravated") < on_lines(out, "fr.proxenetisme.aggravated")


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_the_grid_is_kept_where_it_fits_and_stacked_where_it_would_cut(lang):
    result = comparison_of("fr-escort-classifieds-paid-2019", lang, False)
    assert layout_of(comparison.text(result, width=200)) == "grid"
    narrow = comparison.text(result, width=60)
    assert layout_of(narrow) == "stacked"
    assert "  fr @ " in narrow and "    - fr.proxenetisme" in narrow


def test_most_three_regime_comparisons_are_grids_at_200_columns():
    grids = [s for s in COMPARED if layout_of(comparison.text(comparison_of(s, "en", False), width=200)) == "grid"]
    assert len(grids) == len(COMPARED)


def test_a_us_amount_in_french_stays_on_one_line_at_every_width():
    result = comparison_of("us-martono-cityxguide-2022", "fr", False)
    fines = {money(e.penalty.fine, e.penalty.currency, "fr", e.penalty.currency_name)
             for row in result.rows for cell in row.cells for e in cell if e.penalty and e.penalty.fine}
    assert any("dollars\u00a0des\u00a0États-Unis" in fine for fine in fines)
    for width in WIDTHS:
        out = comparison.text(result, width=width)
        assert all(any(fine in line for line in out.splitlines()) for fine in fines), width
