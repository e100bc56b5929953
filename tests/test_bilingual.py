"""Both languages, everywhere a reader sees words: rule reasons, heads, elements, questions, the
renderers' own wording, and a glossary for the terms that do not translate one to one."""

from __future__ import annotations

import pytest

from liability.declarations import bundled_declarations, bundled_vocabulary
from liability.bundled import rules_dir
from liability.declarations import FACTS_FILE
from liability.glossary import GLOSSARY_FILE, load_glossary
from liability.interview import WORDS as INTERVIEW
from liability.lint import facts_not_asked, one_language_texts, term_problems
from liability.loading import load_all
from liability.render.memo import MEMO
from liability.render.words import LABELS, STATUS, STRENGTH
from liability.sentence import WORDS as SENTENCE

BOOKS = load_all()
GLOSSARY = load_glossary(rules_dir(), bundled_vocabulary())


@pytest.mark.parametrize("regime", sorted(BOOKS))
def test_every_reason_head_question_and_element_reads_in_french_and_in_english(regime):
    """Not a copy of one language in the other (`rules lint` says the same to any rules folder)."""
    assert one_language_texts(BOOKS[regime]) == []


def test_every_fact_is_asked_and_explained_in_both_languages():
    assert facts_not_asked(bundled_declarations(), rules_dir() / FACTS_FILE) == []


def test_every_proceeding_and_penalty_nature_is_labelled_in_both_languages():
    for jurisdiction in bundled_declarations().jurisdictions.values():
        for name, label in {**jurisdiction.proceedings, **jurisdiction.natures}.items():
            assert label.fr.strip() and label.en.strip(), (jurisdiction.code, name)


def test_glossary_terms_name_real_heads_and_say_what_differs():
    assert "proxenetisme" in [term.id for term in GLOSSARY.terms]
    heads = {head for book in BOOKS.values() for head in book.heads}
    assert term_problems(GLOSSARY, rules_dir() / GLOSSARY_FILE, heads) == []


@pytest.mark.parametrize("table", [LABELS, MEMO, STATUS, STRENGTH, SENTENCE, INTERVIEW],
                         ids=["labels", "memo", "status", "strength", "sentence", "interview"])
def test_the_renderers_wording_exists_in_both_languages(table):
    def shape(value):
        return {k: shape(v) for k, v in value.items()} if isinstance(value, dict) else None

    assert shape(table["fr"]) == shape(table["en"])
