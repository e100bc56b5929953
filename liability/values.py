"""Fact values in words, in the report's language.

A scenario file writes values as codes (`true`, `operator`, `>= 2`, `includes FR`), and the
findings and decisions describe classes of values in those codes. A report reads as prose: a French
one says « oui », « exploitant », « comprend FR », an English one "yes", "operator", "includes FR".
The words of a choice's values are the labels the facts file gives them; the few words that join
them are here. Country codes, fact paths and conclusion ids stay as written: they are identifiers.
"""

from __future__ import annotations

import re
from typing import Any, Mapping

from .conditions import FactTest

WORDS = {
    "en": {"true": "yes", "false": "no", "unknown": "unknown", "not_shown": "not shown", "or": "or", "and": "and",
           "another_country": "another country", "includes": "includes", "includes_one": "includes one of",
           "excludes": "does not include", "one_of": "one of: ", "absent": "not {conclusion}", "in": "in"},
    "fr": {"true": "oui", "false": "non", "unknown": "inconnu", "not_shown": "non établi", "or": "ou", "and": "et",
           "another_country": "un autre pays", "includes": "comprend", "includes_one": "comprend l'un de",
           "excludes": "ne comprend pas", "one_of": "l'une des valeurs\u00a0: ", "absent": "sans {conclusion}",
           "in": "parmi"},
}

_BOUNDS = re.compile(r"(>=|<) (\d+)(?: and < (\d+))?")
_LISTS = (("includes one of: ", "includes_one"), ("includes one of ", "includes_one"), ("one of: ", "one_of"),
          ("does not include ", "excludes"), ("includes ", "includes"))
"""How the findings write a set of values (longest prefix first), and the words for each."""


def number(value: int, lang: str) -> str:
    """A whole number with its thousands grouped: `45,000,000`, `45\u202f000\u202f000`."""
    return f"{value:,}".replace(",", "\u202f" if lang == "fr" else ",")


def value_words(value: Any, labels: Mapping[str, str], lang: str) -> str:
    """One value of a fact: yes / no / unknown / not shown, a choice's label (`labels`, by code), a count with
    its thousands grouped, a list of codes joined; anything else as the scenario writes it."""
    words = WORDS[lang]
    if isinstance(value, bool):
        return words["true" if value else "false"]
    if value is None:
        return words["unknown"]
    if isinstance(value, int):
        return number(value, lang)
    if isinstance(value, (list, tuple)):
        return ", ".join(value_words(item, labels, lang) for item in value)
    text = str(value)
    if text in ("true", "false", "unknown", "not_shown"):  # not_shown: what a closed record lacks
        return words[text]
    return labels.get(text, text)


def phrase_words(phrase: str, labels: Mapping[str, str], lang: str) -> str:
    """A value or a class of values as the findings write it (`true`, `legal or natural`,
    `includes one of FR, BE`, `does not include FR`, `>= 2 and < 10`, `one of: a, b`, `FR or
    another country`), in words."""
    words = WORDS[lang]
    bounds = _BOUNDS.fullmatch(phrase)
    if bounds:
        said = f"{bounds[1]} {number(int(bounds[2]), lang)}"
        return said + (f" {words['and']} < {number(int(bounds[3]), lang)}" if bounds[3] else "")
    for prefix, key in _LISTS:
        if phrase.startswith(prefix):
            items = ", ".join(value_words(item, labels, lang) for item in phrase[len(prefix):].split(", "))
            return f"{words[key]}{items}" if key == "one_of" else f"{words[key]} {items}"
    if " or " in phrase:
        return f" {words['or']} ".join(phrase_words(part, labels, lang) for part in phrase.split(" or "))
    if phrase == "another country":
        return words["another_country"]
    return value_words(phrase, labels, lang)


def absent_words(conclusion: str, lang: str) -> str:
    """A conclusion that must not hold: `not eu.dsa.vlop`, « sans eu.dsa.vlop »."""
    return WORDS[lang]["absent"].format(conclusion=conclusion)


def test_words(test: FactTest, labels: Mapping[str, str], lang: str) -> str:
    """A fact test in words (`actor.position = exploitant`, `service.targets comprend l'un de
    [FR, BE]`), the counterpart of :meth:`FactTest.describe` for prose."""
    words = WORDS[lang]
    if test.op == "true":
        return test.path
    if test.op == "at_least":
        return f"{test.path} >= {number(test.value, lang)}"
    if test.op == "is":
        return f"{test.path} = {value_words(test.value, labels, lang)}"
    items = ", ".join(value_words(item, labels, lang) for item in test.value)
    return f"{test.path} {words['in' if test.op == 'in' else 'includes_one']} [{items}]"
