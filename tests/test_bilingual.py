"""Both languages, everywhere a reader sees words: rule reasons, heads, elements, questions, the
renderers' own wording, and a glossary for the terms that do not translate one to one."""

from __future__ import annotations

import pytest

from liability.declarations import bundled_declarations, bundled_vocabulary
from liability.bundled import rules_dir
from liability.glossary import load_glossary
from liability.loading import load_all
from liability.render.memo import MEMO
from liability.render.words import LABELS, STATUS, STRENGTH
from liability.sentence import WORDS as SENTENCE

BOOKS = load_all()
RULES = {rule.id: rule for book in BOOKS.values() for rule in book.rules}
GLOSSARY = load_glossary(rules_dir(), bundled_vocabulary())


@pytest.mark.parametrize("rule_id", sorted(RULES))
def test_every_rule_gives_its_reason_in_french_and_in_english(rule_id):
    because = RULES[rule_id].because
    assert because.fr.strip() and because.en.strip()
    assert because.fr != because.en, "the French reason is a copy of the English one"


def test_every_head_and_element_is_named_in_both_languages():
    for book in BOOKS.values():
        for head in book.heads.values():
            assert head.title.fr != head.title.en or head.id.startswith("us."), head.id
            assert head.question.fr != head.question.en, head.id
            for element in book.elements.get(head.id, []):
                assert element.name.fr.strip() and element.name.en.strip()
                assert element.name.fr != element.name.en, (head.id, element.name.en)


def test_every_fact_is_asked_and_explained_in_both_languages():
    for fact, spec in bundled_vocabulary().facts.items():
        assert spec.question.fr.rstrip().endswith("?") and spec.question.en.rstrip().endswith("?"), fact
        assert spec.help.fr != spec.help.en, fact


def test_every_proceeding_and_penalty_nature_is_labelled_in_both_languages():
    for jurisdiction in bundled_declarations().jurisdictions.values():
        for name, label in {**jurisdiction.proceedings, **jurisdiction.natures}.items():
            assert label.fr.strip() and label.en.strip(), (jurisdiction.code, name)


def test_glossary_terms_name_real_heads_and_say_what_differs():
    heads = {head for book in BOOKS.values() for head in book.heads}
    ids = [term.id for term in GLOSSARY.terms]
    assert "proxenetisme" in ids
    for term in GLOSSARY.terms:
        assert set(term.heads) <= heads, (term.id, set(term.heads) - heads)
        assert term.note.fr.strip() and term.note.en.strip()


@pytest.mark.parametrize("table", [LABELS, MEMO, STATUS, STRENGTH, SENTENCE],
                         ids=["labels", "memo", "status", "strength", "sentence"])
def test_the_renderers_wording_exists_in_both_languages(table):
    def shape(value):
        return {k: shape(v) for k, v in value.items()} if isinstance(value, dict) else None

    assert shape(table["fr"]) == shape(table["en"])
