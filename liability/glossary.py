"""Words that are data: the question behind each fact, and the terms that do not translate.

Each fact's plain-language question (in French and English) is declared with the fact, in the
facts file; `rules/glossary.yaml` holds, beside the packs, the legal terms whose equivalent in the
other language's system is only partial or missing (proxénétisme is wider than pimping; section
230 has no French counterpart). A findings document turns its missing facts into questions,
ordered by how many findings each decides, and carries a note for each such term its findings
rely on.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from pydantic import Field, ValidationError

from .findings import DecidedFinding, Document, Question, TermNote
from .scenario import Vocabulary
from .schema import RuleError, Strict, Text, pydantic_problems
from .sources import SourceError, read_document

GLOSSARY_FILE = "glossary.yaml"


class Term(Strict):
    id: str
    fr: str = Field(min_length=1)
    en: str = Field(min_length=1)
    equivalence: Literal["exact", "partial", "none"]
    heads: list[str] = Field(min_length=1)
    """The heads whose findings use the term."""
    note: Text


class _GlossaryData(Strict):
    terms: list[Term] = []


@dataclass(frozen=True)
class Glossary:
    vocabulary: Vocabulary
    terms: tuple[Term, ...] = ()

    def question(self, fact: str, lang: str) -> str:
        """The question the facts file declares for the fact."""
        spec = self.vocabulary.facts.get(fact)
        return spec.question.get(lang) if spec and spec.question else fact

    def annotate(self, document: Document, lang: str) -> Document:
        """The document with its questions (most decisive first), the question behind each fact
        its explanations test, and its untranslatable terms."""
        decides: dict[str, list[DecidedFinding]] = {}
        heads: set[str] = set()
        for regime in document.regimes:
            for finding in regime.findings:
                heads.add(finding.head)
                for fact in finding.missing_facts:
                    decides.setdefault(fact, []).append(DecidedFinding(regime=regime.regime, head=finding.head,
                                                                       proceeding=finding.proceeding,
                                                                       proceeding_label=finding.proceeding_label))
                checks = [c for e in finding.analysis or [] for c in e.checks]
                checks += [c for m in finding.near_misses or [] for c in m.failed + m.unknown]
                checks += [inner for c in checks for inner in c.because_of]
                for check in checks:
                    if check.fact is not None:
                        check.question = self.question(check.fact, lang)
        order = {fact: index for index, fact in enumerate(self.vocabulary.facts)}
        ranked = sorted(decides, key=lambda fact: (-len(decides[fact]), order.get(fact, len(order)), fact))
        questions = [Question(fact=fact, question=self.question(fact, lang), decides=decides[fact]) for fact in ranked]
        notes = [TermNote(term=term.id, fr=term.fr, en=term.en, equivalence=term.equivalence,
                          note=term.note.get(lang))
                 for term in self.terms if term.equivalence != "exact" and heads.intersection(term.heads)]
        return document.model_copy(update={"questions": questions, "glossary": notes})


def load_glossary(directory: Path, vocabulary: Vocabulary) -> Glossary:
    """The rules folder's glossary of terms (none when the folder has no glossary file)."""
    path = directory / GLOSSARY_FILE
    if not path.is_file():
        return Glossary(vocabulary)
    try:
        document = read_document(path)
    except SourceError as error:
        raise RuleError([str(error)]) from None
    try:
        data = _GlossaryData.model_validate(document.data)
    except ValidationError as error:
        raise RuleError(pydantic_problems(str(path), error, document, document.data)) from None
    ids = [term.id for term in data.terms]
    problems = [f"{path}: term `{term}` is declared twice" for term in sorted({i for i in ids if ids.count(i) > 1})]
    if problems:
        raise RuleError(problems)
    return Glossary(vocabulary, tuple(data.terms))
