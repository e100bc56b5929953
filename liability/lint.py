"""What `liability rules lint` warns about: gaps in a rules folder that do not stop it loading.

Loading refuses what cannot be reasoned with (an unknown fact, a proceeding no descriptor declares,
a cycle through a negation). These checks find what a reviewer of the law should see: a conclusion
nothing uses, an open question not named as one, a head whose analysis cannot be laid out, a text a
reader of one of the two languages would not get, a fact asked in words that are not a question, a
glossary term about a head no regime has. Each is a function of its own, so a test over the bundled
packs calls the check itself; :func:`lint` and :func:`lint_folder` run them all. Every warning reads
`file: rule id: problem`, `file: head id: problem`, or `file: fact or term: problem`.
"""

from __future__ import annotations

from pathlib import Path
from typing import Iterable

from .declarations import FACTS_FILE, Declarations
from .glossary import GLOSSARY_FILE, Glossary
from .rulebook import Rulebook, element_warnings
from .schema import Text, is_reference


def lint(book: Rulebook) -> list[str]:
    """Every warning about one regime's rulebook."""
    return (unchecked_rules(book) + element_warnings(book) + unused_conclusions(book) + unnamed_open_questions(book)
            + heads_without_elements(book) + one_language_texts(book))


def unchecked_rules(book: Rulebook) -> list[str]:
    """Rules with no record of when and against which official text or decision they were verified:
    nobody has signed them off, so a reader cannot know how far to trust them."""
    return [f"{rule.file}: {rule.id}: no `checked: {{on: DATE, source: URL}}`: say when and against which official "
            "text or decision the rule was verified" for rule in book.rules if rule.checked is None]


def lint_folder(directory: Path, declarations: Declarations, glossary: Glossary, heads: Iterable[str]) -> list[str]:
    """Every warning about what a rules folder declares beside its packs: its facts and glossary."""
    return facts_not_asked(declarations, directory / FACTS_FILE) + term_problems(glossary, directory / GLOSSARY_FILE,
                                                                                 heads)


def unused_conclusions(book: Rulebook) -> list[str]:
    """Conclusions drawn for nothing: neither a head nor a premise of another rule."""
    used = {c for rule in book.rules for c in rule.premises | rule.negated}
    used |= {c for head in book.heads.values() for p in head.proceedings for c, _ in head.outcomes_for(p)}
    return [f"{producers[0].file}: {', '.join(r.id for r in producers)}: concludes `{conclusion}`, which is neither "
            "a head nor used by another rule"
            for conclusion, producers in book.producers.items() if conclusion not in used]


def unnamed_open_questions(book: Rulebook) -> list[str]:
    """Arguable rules whose reason does not say what the open question is (DESIGN.md section 5)."""
    return [f"{rule.file}: {rule.id}: arguable, but `because` does not name the open question"
            for rule in book.rules
            if rule.strength == "arguable" and "?" not in rule.because.en
            and "open" not in rule.because.en.lower() and "question" not in rule.because.en.lower()]


def heads_without_elements(book: Rulebook) -> list[str]:
    """Heads that state no elements: their memo has no analysis element by element to show."""
    return [f"{pack.file}: head {head.id}: states no elements, so its analysis cannot be laid out element by element"
            for pack in book.packs for head in pack.heads if not book.elements.get(head.id)]


def one_language_texts(book: Rulebook) -> list[str]:
    """Reasons, head questions, element names and the element labels of rules copied from one
    language into the other: a report in one of them would show the other. (A title may be a
    proper name, and a label a bare reference to a text, the same in both.)"""
    problems = [f"{rule.file}: {rule.id}: `because` {problem}" for rule in book.rules
                for problem in _copied(rule.because)]
    problems += [f"{rule.file}: {rule.id}: element `{rule.element.en}` {problem}" for rule in book.rules
                 if rule.element and not is_reference(rule.element.en) for problem in _copied(rule.element)]
    for pack in book.packs:
        for head in pack.heads:
            where = f"{pack.file}: head {head.id}"
            problems += [f"{where}: question {problem}" for problem in _copied(head.question)]
            problems += [f"{where}: element `{element.name.en}`: name {problem}"
                         for element in book.elements.get(head.id, []) for problem in _copied(element.name)]
    return problems


def facts_not_asked(declarations: Declarations, file: Path) -> list[str]:
    """Facts whose question is not asked as a question in both languages, or whose help is a copy
    of one language in the other: the report and the interview ask the question as written."""
    problems = []
    for fact, spec in declarations.vocabulary.facts.items():
        problems += [f"{file}: fact {fact}: question {problem}" for problem in _copied(spec.question)]
        problems += [f"{file}: fact {fact}: help {problem}" for problem in _copied(spec.help)]
        problems += [f"{file}: fact {fact}: the {language} question does not end with a question mark"
                     for language, text in (("French", spec.question.fr), ("English", spec.question.en))
                     if not text.rstrip().endswith("?")]
    return problems


def term_problems(glossary: Glossary, file: Path, heads: Iterable[str]) -> list[str]:
    """Terms that name a head no regime declares: their note would never be shown."""
    known = set(heads)
    return [f"{file}: term {term.id}: names head `{head}`, which no regime declares"
            for term in glossary.terms for head in term.heads if head not in known]


def _copied(text: Text) -> list[str]:
    return ["is the same in French and in English"] if text.fr.strip() == text.en.strip() else []
