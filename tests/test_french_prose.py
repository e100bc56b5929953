"""French reports read as French, and English reports as English, in every format.

Run over every bundled scenario: the text, markdown and HTML reports and the explanation memo
(`liability explain --why-not`). A French report prints no choice value by its English code
(`operator`, `third_party`, `true`), writes money as « 750 000 euros » (narrow no-break spaces
between the groups, the currency in words, nothing to break a line inside the amount), and sets a
no-break space before « : ; ! ? » and inside guillemets. An English report writes `EUR 750,000`,
no French typography and no French word for a value or a status.
"""

from __future__ import annotations

import functools
import re
import shutil
from html.parser import HTMLParser

import pytest

from liability.bundled import rules_dir, scenarios_dir
from liability.declarations import FACTS_FILE, bundled_vocabulary, load_declarations
from liability.findings import Document
from liability.reasoner import Reasoner
from liability.render import html, markdown, plain, text
from liability.render.typography import french
from liability.render.words import STATUS
from liability.scenario import SCENARIO_SUFFIXES
from liability.schema import RuleError
from liability.sentence import money
from packs import read_scenario

REASONER = Reasoner(engine="direct")
SCENARIOS = sorted(p for p in scenarios_dir().rglob("*") if p.suffix in SCENARIO_SUFFIXES)
FORMATS = {
    "txt": lambda document: text.render([document], detail=True),
    "narrow-txt": lambda document: text.render([document], width=64, detail=True),
    "md": lambda document: markdown.render([document]),
    "html": lambda document: _html_text(html.render([document])),
    "explain": lambda document: plain.render([document], why_not=True),
}

_URL = re.compile(r"https?://\S+")
_IDENTIFIER = re.compile(r"`[^`]*`|\b[a-z][\w-]*(?:\.[\w*-]+)+\b")
"""Code spans, fact paths (`actor.position`), rule and conclusion ids (`fr.cp.225-5.x`)."""
_FRENCH_WORDS = {"forum", "public", "court"}
"""Codes that are also French words (« un forum », « le public », « court »): not a leak."""


def _codes() -> set[str]:
    """Every English code a value can be written in: the choices' values, true and false, a
    closed record's `not_shown`, and the statuses with an underscore."""
    codes = {value for spec in bundled_vocabulary().facts.values() if spec.kind == "choice"
             for value in spec.values}
    return (codes | {"true", "false", "not_shown"} | {s for s in STATUS["en"] if "_" in s}) - _FRENCH_WORDS


CODES = re.compile(r"\b(" + "|".join(sorted(_codes(), key=len, reverse=True)) + r")\b")
FRENCH_ONLY = sorted({label.get("fr") for spec in bundled_vocabulary().facts.values() for _, label in spec.labels
                      if label.get("fr") != label.get("en")} | {"remplie", "constituée", "indéterminé"})


class _Text(HTMLParser):
    """The text a browser shows (not the style sheet, not the attributes)."""

    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self.hidden = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.hidden += tag == "style"

    def handle_endtag(self, tag: str) -> None:
        self.hidden -= tag == "style"
        self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if not self.hidden:
            self.parts.append(data)


def _html_text(page: str) -> str:
    parser = _Text()
    parser.feed(page)
    return "".join(parser.parts)


@functools.cache
@functools.cache
def document(path_index: int, lang: str) -> Document:
    """A bundled scenario's findings, assessed once for every test that reads them."""
    return REASONER.assess(read_scenario(SCENARIOS[path_index]), lang)


@functools.cache
def rendered(path_index: int, lang: str, fmt: str) -> str:
    """A bundled scenario's report in one format, rendered once for every test that reads it."""
    return FORMATS[fmt](document(path_index, lang))


@functools.cache
def report(path_index: int, lang: str, fmt: str) -> str:
    """A report with what is not prose taken out: the scenario's own title and id (its author's
    words), the glossary's terms (given in both languages on purpose), web addresses, identifiers
    and the markers of lists. The rules' element labels stay: the packs give them in both languages."""
    doc = document(path_index, lang)
    out = rendered(path_index, lang, fmt)
    for own in filter(None, [doc.title, doc.title and french(doc.title), doc.scenario]):
        out = _wrapped(own).sub("", out)
    for note in doc.glossary:
        out = _wrapped(f"{note.fr} / {note.en}").sub("", out)
    out = re.sub(r"(?m)^(\s*[-*] )\? ", r"\1", out)
    return _IDENTIFIER.sub("", _URL.sub("", out))


def _wrapped(words: str) -> re.Pattern[str]:
    """`words` as a report prints them, wherever the width makes it break their lines."""
    return re.compile(r"\s+".join(map(re.escape, words.split())))


def without_additional_penalties(index: int, lang: str, fmt: str) -> str:
    """The report without what the packs write of a penalty in their own words, amounts included,
    and the renderers print as written: its additional penalties (« délit de 3 750 EUR
    d'amende ») and its basis (18 U.S.C. 3571(c)(3): "fined 500,000 USD")."""
    doc = document(index, lang)
    pack_words = {text for regime in doc.regimes for f in regime.findings
                  for p in (f.penalties, f.penalties_up_to) if p is not None
                  for text in p.additional + p.basis.split("; ")}
    out = report(index, lang, fmt)
    for words in sorted(pack_words, key=len, reverse=True):
        out = _wrapped(words).sub("", _wrapped(french(words)).sub("", out))
    return out


def _lines_with(pattern: re.Pattern[str], out: str) -> list[str]:
    return [line.strip()[:200] for line in out.splitlines() if pattern.search(line)][:5]


CASES = [pytest.param(index, fmt, id=f"{path.stem}-{fmt}") for index, path in enumerate(SCENARIOS)
         for fmt in FORMATS]


@pytest.mark.parametrize("index, fmt", CASES)
def test_a_french_report_prints_no_english_code_for_a_value(index, fmt):
    assert _lines_with(CODES, report(index, "fr", fmt)) == []


@pytest.mark.parametrize("index, fmt", CASES)
def test_a_french_report_sets_a_no_break_space_before_high_punctuation_and_inside_guillemets(index, fmt):
    out = report(index, "fr", fmt)
    assert _lines_with(re.compile(r"(?:(?<=[^\s!?])|(?<=[^\s] ))[:;!?](?=\s|$)"), out) == []
    assert _lines_with(re.compile(r"«(?![\u00a0\u202f])|(?<![\u00a0\u202f])»"), out) == []


@pytest.mark.parametrize("index, fmt", CASES)
def test_a_french_report_writes_money_in_words_grouped_by_narrow_no_break_spaces(index, fmt):
    out = without_additional_penalties(index, "fr", fmt)
    assert _lines_with(re.compile(r"\d\s?(EUR|USD|FRF)\b|\b(EUR|USD|FRF)\s?\d"), out) == []
    assert _lines_with(re.compile(r"\d[ ,]\d{3}\b(?!\.)"), out) == []  # a thousand grouped otherwise
    assert _lines_with(re.compile(r"\d{5,}\s(euro|franc|dollar)"), out) == []  # not grouped at all


@pytest.mark.parametrize("index", range(len(SCENARIOS)), ids=[p.stem for p in SCENARIOS])
@pytest.mark.parametrize("lang", ["fr", "en"])
def test_an_amount_is_never_broken_across_lines_of_the_terminal_report(index, lang):
    doc = document(index, lang)
    fines = {(p.fine, p.currency, p.currency_name) for regime in doc.regimes for f in regime.findings
             for p in (f.penalties, f.penalties_up_to) if p is not None and p.fine is not None}
    for fmt in ("narrow-txt", "txt"):  # 64 columns, and the 100 a pipe gets, reasons included
        out = rendered(index, lang, fmt)
        for fine, currency, name in fines:  # the amount with its currency (« 250 000 dollars »; a name
            # of several words may then break: « des États-Unis » would not fit a narrow column)
            assert money(fine, currency, lang, name).split(" ")[0] in out, (fine, fmt)


@pytest.mark.parametrize("index, fmt", CASES)
def test_an_english_report_has_no_french_typography_no_french_value_or_status(index, fmt):
    out = report(index, "en", fmt)
    assert _lines_with(re.compile(r"[\u00a0\u202f][:;!?]"), out) == []
    assert _lines_with(re.compile(r"\b(" + "|".join(map(re.escape, FRENCH_ONLY)) + r")\b"), out) == []
    assert _lines_with(re.compile(r"\d\s(EUR|USD|FRF)\b|\d\u202f\d"), without_additional_penalties(index, "en", fmt)) == []


def test_money_reads_as_each_language_writes_it():
    assert money(750_000, "EUR", "fr", "euro") == "750\u202f000\u00a0euros"
    assert money(1, "EUR", "fr", "euro") == "1\u00a0euro"
    assert money(250_000, "USD", "fr", "dollar des États-Unis") == "250\u202f000\u00a0dollars\u00a0des\u00a0États-Unis"
    assert money(750_000, "EUR", "en", "euro") == "EUR\u00a0750,000"


def test_french_typography_leaves_addresses_and_identifiers_alone():
    assert french("Textes : voir https://eur-lex.europa.eu/x?uri=CELEX:1 ; fr.cp.225-5 à 14:00 ?") == \
        "Textes\u00a0: voir https://eur-lex.europa.eu/x?uri=CELEX:1\u00a0; fr.cp.225-5 à 14:00\u00a0?"
    assert french("« escort »") == "«\u00a0escort\u00a0»"
    assert french("réaliste\u00a0?") == "réaliste\u00a0?"


def test_every_choice_value_has_words_in_both_languages():
    unlabelled = [(spec.path, value) for spec in bundled_vocabulary().facts.values() if spec.kind == "choice"
                  for value in spec.values if not (spec.label(value, "fr") and spec.label(value, "en"))]
    assert unlabelled == []


@pytest.mark.parametrize(("labels", "problem"), [
    ('{legal: {fr: "personne morale", en: "legal person"}, company: {fr: "société", en: "company"}}',
     "`company` is not one of its values"),
    ('{legal: {fr: "personne morale", en: "legal person"}}', "no label for `natural`"),
])
def test_the_facts_file_refuses_labels_that_do_not_name_each_value_once(tmp_path, labels, problem):
    shutil.copytree(rules_dir(), tmp_path / "rules")
    facts = tmp_path / "rules" / FACTS_FILE
    text = facts.read_text(encoding="utf-8")
    start = text.index("  actor.person:")
    block_start = text.index("    labels:", start)
    block_end = text.index("    question:", block_start)
    facts.write_text(text[:block_start] + f"    labels: {labels}\n" + text[block_end:], encoding="utf-8")
    with pytest.raises(RuleError, match=re.escape(problem)):
        load_declarations(tmp_path / "rules")
