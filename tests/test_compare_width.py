"""The text comparison fits its width: a grid where every token fits its column, stacked below,
and in either layout no line wider than the width and no rule id, date, amount or citation cut.

Checked for every bundled scenario that has findings in at least two of fr, us and eu, at its own
dates and at two dates (its own and 2024-03-01, after FOSTA and the DSA), in English and French, at
the narrowest width a report is laid out for and at 80, 120 and 200 columns. The reference for
"not cut" is the same layout laid out 1,024 columns wide, where nothing wraps: the same words, and
each token as many times whole on a line.

What must never be cut: rule ids and heads, dates and amounts, always (the narrowest width is
chosen so that they fit); a citation, where it fits its line. A penalty's basis may go on, after a
colon, to say what its texts provide (`18 U.S.C. 3571(c)(3): an organization may be fined...`):
that is prose, free to wrap at any space, and not a citation.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from collections import Counter
from pathlib import Path

import pytest

from liability.bundled import scenarios_dir
from liability.compare import Comparison, Difference, compare
from liability.declarations import bundled_vocabulary
from liability.reasoner import Reasoner
from liability.render import comparison
from liability.render.text import NARROWEST
from liability.render.typography import typeset
from liability.rulebook import checked_rulebook, load_regimes
from liability.sentence import money
from packs import read_scenario

REASONER = Reasoner(engine="direct")
REGIMES = ["fr", "us", "eu"]
WIDTHS = [NARROWEST, 80, 120, 200]
"""The widths a single comparison is checked at (each scenario is checked at three of them, below)."""
WIDE = 1024
LATER = dt.date(2024, 3, 1)
BOX = re.compile(r"^[\u2500-\u257f]+$")
CELL = 40
"""The longest citation a grid's cell keeps on one line."""
STACKED_INDENT = len("    - ") + len("(") + len("\u00a0;")
"""What the stacked layout takes of a line before a citation and stuck to it: the indent of a
finding, an opening parenthesis, and the French semicolon with its no-break space."""


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
PAIRS = [("en", False, (80, 120, 200)), ("fr", True, (NARROWEST, 200))]
"""Each scenario in English at its own dates, and in French at two: French sets its high
punctuation and its amounts with no-break spaces, and two dates double the columns and add the
differences between them, so that the second is the harder pairing, checked at the narrowest
width (and at 200 columns, where a few are grids); the first is most often a grid, at 200
columns always, at 120 sometimes. The four pairings at the four widths take four times as long
(CI's budget is tight); they passed too when these were chosen."""
CASES = [pytest.param(s, lang, two, widths, id=f"{s}-{lang}-{'two-dates' if two else 'own-dates'}")
         for s in COMPARED for lang, two, widths in PAIRS]


def citations(cites: str, lang: str) -> set[str]:
    """The citations of a `cites` or a penalty's `basis`, as printed: its texts, between
    semicolons, up to the colon after which a basis says in prose what they provide."""
    return {typeset(cite.strip(), lang) for cite in cites.partition(": ")[0].split(";")} - {""}


def tokens(result: Comparison) -> tuple[set[str], set[str]]:
    """What must never be cut, computed from the comparison: the words that always fit a line
    (rule ids and heads, dates, amounts with their currency), and the citations a penalty or a
    difference rests on, which are kept whole where they fit."""
    lang = result.lang
    atoms: set[str] = set()
    cites: set[str] = set()
    for column in result.columns:
        atoms |= {column.facts_date, column.judged_on}
    for row in result.rows:
        for cell in row.cells:
            for entry in cell:
                atoms.add(entry.head)
                penalty = entry.penalty
                if penalty is not None:
                    cites |= citations(penalty.basis, lang)
                    if penalty.fine is not None:
                        atoms.add(money(penalty.fine, penalty.currency, lang, penalty.currency_name))
    for difference in result.differences:
        atoms.add(difference.rule)
        atoms |= set(re.findall(r"\d{4}-\d{2}-\d{2}", difference.version))
        cites |= citations(difference.cites, lang)
    return atoms - {""}, cites


def words(out: str) -> Counter[str]:
    """The words of a rendering, split at ordinary spaces and line ends only, the grid's rules left
    out; a fact's value that went to the next line after its `=` counted with it."""
    out = re.sub(r"(?<=\w)= +|(?<=\w)=\n +", "=", out)
    return Counter(w for w in re.split(r"[ \n\u2502\u2503]+", out) if w and not BOX.match(w))


@functools.cache
def _alone(token: str) -> re.Pattern[str]:
    """`token` standing by itself: not the start or the end of a longer word, number or id
    (`C. pén., art. 113-2` is not printed in `C. pén., art. 113-2-1`, nor `fr.proxenetisme` in
    `fr.proxenetisme.aggravated`)."""
    return re.compile(rf"(?<![\w.-]){re.escape(token)}(?![\w-]|\.\w)")


def whole_on_lines(out: str, among: set[str]) -> Counter[str]:
    """How many times each of `among` is printed whole on a line by itself, not as a part of a
    longer one (`Règlement (UE) 2022/2065, art. 6` inside `..., art. 6 et 93`): a longer citation
    may break where it does not fit, and that is its own check. The longest are counted first,
    and each taken out of its line once counted."""
    counts: Counter[str] = Counter()
    lines = out.splitlines()
    for token in sorted(among, key=lambda t: (-len(t), t)):
        for number, line in enumerate(lines):
            if token in line:
                lines[number], found = _alone(token).subn("\0", line)
                counts[token] += found
    return counts


def layout_of(out: str) -> str:
    return "grid" if "\u2503" in out else "stacked"


def cut_in(out: str, reference: str, width: int, atoms: set[str], cites: set[str]) -> list[str]:
    """The tokens printed whole fewer times in `out` than in `reference`: every atom, and the
    citations that fit their line (a grid's cell, or a line of the stacked layout)."""
    room = CELL if layout_of(out) == "grid" else width - STACKED_INDENT
    every = atoms | cites
    printed, expected = whole_on_lines(out, every), whole_on_lines(reference, every)
    return sorted(t for t in every if (t in atoms or len(t) <= room) and printed[t] < expected[t])


@pytest.mark.parametrize("scenario_id, lang, two_dates, widths", CASES)
def test_no_line_is_wider_than_the_width_and_no_token_is_cut(scenario_id, lang, two_dates, widths):
    result = comparison_of(scenario_id, lang, two_dates)
    atoms, cites = tokens(result)
    references: dict[str, str] = {}
    for width in widths:
        out = comparison.text(result, width=width)
        if width == 200 and not two_dates:  # three regimes side by side fit 200 columns
            assert layout_of(out) == "grid"
        assert [line for line in out.splitlines() if len(line) > width] == [], width
        layout = layout_of(out)
        if layout not in references:
            references[layout] = comparison.text(result, width=WIDE, layout=layout)
        reference = references[layout]
        assert words(out) == words(reference), (width, (words(out) - words(reference)) or words(reference) - words(out))
        assert cut_in(out, reference, width, atoms, cites) == [], width


def test_the_token_check_would_see_a_cut_rule_id_or_citation():
    result = comparison_of("fr-escort-classifieds-paid-2019", "en", False)
    out = comparison.text(result, width=80)
    reference = comparison.text(result, width=WIDE, layout=layout_of(out))
    atoms, cites = tokens(result)
    assert "fr.proxenetisme.aggravated" in atoms and "C. pén., art. 225-7" in cites
    assert cut_in(out, reference, 80, atoms, cites) == []
    for token, broken in (("fr.proxenetisme.aggravated", "fr.proxenetisme.\naggravated"),
                          ("C. pén., art. 225-7", "C. pén.,\nart. 225-7")):
        assert token in cut_in(out.replace(token, broken, 1), reference, 80, atoms, cites)


def test_a_longer_citation_that_breaks_does_not_count_as_a_shorter_one_cut():
    cites = {"Règlement (UE) 2022/2065, art. 6", "Règlement (UE) 2022/2065, art. 6 et 93"}
    broken = "  (Règlement (UE) 2022/2065,\n  art. 6 et 93; Règlement (UE) 2022/2065, art. 6)\n"
    whole = "  (Règlement (UE) 2022/2065, art. 6 et 93; Règlement (UE) 2022/2065, art. 6)\n"
    assert [whole_on_lines(text, cites)["Règlement (UE) 2022/2065, art. 6"] for text in (broken, whole)] == [1, 1]
    assert whole_on_lines("C. pén., art. 113-2-1\n", {"C. pén., art. 113-2"}) == Counter()
    assert whole_on_lines("fr.proxenetisme.aggravated\n", {"fr.proxenetisme"}) == Counter()


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_the_grid_is_kept_where_it_fits_and_stacked_where_it_would_cut(lang):
    result = comparison_of("fr-escort-classifieds-paid-2019", lang, False)
    assert layout_of(comparison.text(result, width=200)) == "grid"
    narrow = comparison.text(result, width=NARROWEST)
    assert layout_of(narrow) == "stacked"
    assert "  fr @ " in narrow and "    - fr.proxenetisme" in narrow


def test_a_us_amount_in_french_stays_on_one_line_at_every_width():
    result = comparison_of("us-martono-cityxguide-2022", "fr", False)
    fines = {money(e.penalty.fine, e.penalty.currency, "fr", e.penalty.currency_name)
             for row in result.rows for cell in row.cells for e in cell if e.penalty and e.penalty.fine}
    assert any("dollars\u00a0des\u00a0États-Unis" in fine for fine in fines)
    for width in WIDTHS:
        out = comparison.text(result, width=width)
        assert all(any(fine in line for line in out.splitlines()) for fine in fines), width


def test_a_penalty_basis_holds_its_citations_and_lets_what_they_say_wrap():
    result = comparison_of("platform-timeline-2015", "en", False)  # a company: the fine of an organization
    out = comparison.text(result, width=NARROWEST, layout="stacked")
    lines = out.splitlines()
    assert any("18 U.S.C. 3571(c)(3): an" in line for line in lines)  # the prose goes on after its colon
    assert not any(line.strip() == "fined 500,000 USD for a felony," for line in lines)  # not held by its commas


def test_the_narrowest_width_holds_the_longest_rule_id_and_fact_of_the_packs():
    """NARROWEST is chosen for the packs' longest rule id and the longest fact with its value:
    a pack that adds a longer one fails here, rather than have its id cut at the narrowest width."""
    rules = {rule.id for regime in load_regimes().values() for rule in checked_rulebook(regime).rules}
    rule = max(sorted(rules), key=len)
    fact = max(sorted(bundled_vocabulary().facts), key=len)
    result = comparison_of("fr-escort-classifieds-paid-2019", "fr", True)
    longest = Difference(rule=rule, cites="C. pén., art. 225-5", drawn_in=["fr"], not_drawn_in=["us"],
                         version="1994-03-01 ..", facts={fact: "unknown", "actor.person": "legal"})
    result = result.model_copy(update={"differences": [longest]})
    out = comparison.text(result, width=NARROWEST)
    assert max(len(line) for line in out.splitlines()) <= NARROWEST
    assert words(out) == words(comparison.text(result, width=WIDE, layout=layout_of(out)))
    assert any(line.endswith(rule) or f"{rule} " in line for line in out.splitlines())
    assert any(f"[{fact}=" in line for line in out.splitlines())  # its value may follow on the next line
    assert len(f"{999:>3}. {rule}") <= NARROWEST  # a step of the trace names its rule after its number
    assert len(f"{' ' * 7}{fact}=,") <= NARROWEST  # a step's facts, under it
