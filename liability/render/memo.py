"""The memo: a findings document laid out as a legal analysis, for the markdown, HTML and plain
text renderers to print.

For each finding: the question, the short answer, the analysis element by element (each with the
facts that met or failed it and the text it rests on), the reasons, why the rules that did not
conclude did not (for a head that does not hold, or on request), the questions that would decide
it, the penalty at stake and the derivation tree. Then, for the whole scenario, the open questions
ordered by how many findings each decides, and the terms that have no exact equivalent in the
other language's legal system. The memo is plain data; each renderer escapes and formats it.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ..dates import in_words
from ..analysis import Check, ElementCheck, NearMiss
from ..findings import DecidedFinding, Derivation, Document, Finding, Question, RegimeFindings, TermNote
from ..rulebook import CONCLUDED_STATUSES
from ..values import absent_words, phrase_words, value_words
from .typography import typeset, typeset_block
from .words import (
    LABELS,
    STRENGTH,
    Values,
    open_ground_basis,
    proof_lines,
    penalty_line,
    penalty_range,
    question_words,
    settling_lines,
    status_label,
    strength_label,
    time_reasons,
    versions_line,
)

PART_ORDER = ("legal", "element", "material", "mental", "mental_state", "condition", "duty", "immunity",
              "exception", "aggravating")

MEMO = {
    "en": {
        "parts": {"legal": "Legal element", "material": "Material element", "mental": "Mental element",
                  "aggravating": "Aggravating circumstances", "exception": "Exceptions and defences",
                  "element": "Elements", "mental_state": "Mental state", "immunity": "Immunity",
                  "condition": "Conditions", "duty": "Duties"},
        "marks": {"met": "met", "not_met": "not met", "unknown": "unknown"},
        "held": {"holds": "holds", "possible": "possible", "does not hold": "does not hold"},
        "short_answer": "Short answer", "analysis": "Analysis, element by element", "reasons": "Reasons",
        "why_not": "Why not", "open_questions": "Open questions", "derivation": "Derivation",
        "penalty": "Penalty at stake", "up_to": LABELS["en"]["up_to"], "as_list": "The same, as a list", "depending_on": "depending on",
        "alternatives": "alternatives, one suffices", "rules_drew": "drawn by", "in_force": "rules in force",
        "needed": "needed", "semicolon": "; ", "unknown_here": "unknown here", "see_also": "see also",
        "not_in_force": "not in force on {date} ({basis})", "abolished": "abolished by {date} (milder later law)",
        "basis": {"facts_date": "the facts' date", "facts_end": "the end of the conduct", "judged_on": "the date of judgment"},
        "failed": "its condition fails", "open": "its condition is open",
        "decides": "decides", "findings_word": "findings", "finding_word": "finding",
        "scenario_questions": "Questions that would decide the findings",
        "terms": "Terms without an exact equivalent", "no_equivalent": "no equivalent",
        "partial": "partial equivalent", "scenario": "Scenario", "no_elements": "No elements stated.",
        "possible": "possible", "open_grounds": LABELS["en"]["open_grounds"], "none_open": "None.",
        "facts": LABELS["en"]["facts"], "assessed": LABELS["en"]["assessed"], "posture": LABELS["en"]["posture"],
        "defences": LABELS["en"]["defences"], "lacking": LABELS["en"]["lacking"],
        "question": "Question", "versions": "Versions", "time": "Time", "cites": "Cites",
        "abolished_rules": LABELS["en"]["abolished"], "person": {"legal": "legal person", "natural": "natural person"},
        "version": LABELS["en"]["version"], "colon": LABELS["en"]["colon"],
    },
    "fr": {
        "parts": {"legal": "Élément légal", "material": "Élément matériel", "mental": "Élément moral",
                  "aggravating": "Circonstances aggravantes", "exception": "Exceptions et faits justificatifs",
                  "element": "Éléments constitutifs", "mental_state": "Élément intentionnel",
                  "immunity": "Immunité", "condition": "Conditions", "duty": "Obligations"},
        "marks": {"met": "rempli", "not_met": "non rempli", "unknown": "inconnu"},
        "held": {"holds": "retenue", "possible": "possible", "does not hold": "non retenue"},
        "short_answer": "Réponse courte", "analysis": "Analyse, élément par élément", "reasons": "Motifs",
        "why_not": "Pourquoi pas", "open_questions": "Questions ouvertes", "derivation": "Dérivation",
        "penalty": "Peine encourue", "up_to": LABELS["fr"]["up_to"], "as_list": "La même, sous forme de liste", "depending_on": "selon",
        "alternatives": "alternatives, une seule suffit", "rules_drew": "fondé sur", "in_force": "règles en vigueur",
        "needed": "il faudrait", "semicolon": "\u00a0; ", "unknown_here": "inconnu ici", "see_also": "voir aussi",
        "not_in_force": "non en vigueur le {date} ({basis})", "abolished": "abrogé au {date} (loi plus douce)",
        "basis": {"facts_date": "la date des faits", "facts_end": "la fin des agissements", "judged_on": "la date du jugement"},
        "failed": "sa condition n'est pas remplie", "open": "sa condition reste ouverte",
        "decides": "décide", "findings_word": "conclusions", "finding_word": "conclusion",
        "scenario_questions": "Questions qui décideraient des conclusions",
        "terms": "Termes sans équivalent exact", "no_equivalent": "sans équivalent",
        "partial": "équivalent partiel", "scenario": "Scénario", "no_elements": "Aucun élément énoncé.",
        "possible": "possible", "open_grounds": LABELS["fr"]["open_grounds"], "none_open": "Aucune.",
        "facts": LABELS["fr"]["facts"], "assessed": LABELS["fr"]["assessed"], "posture": LABELS["fr"]["posture"],
        "defences": LABELS["fr"]["defences"], "lacking": LABELS["fr"]["lacking"],
        "question": "Question", "versions": "Versions", "time": "Temps", "cites": "Textes",
        "abolished_rules": LABELS["fr"]["abolished"],
        "person": {"legal": "personne morale", "natural": "personne physique"},
        "version": LABELS["fr"]["version"], "colon": LABELS["fr"]["colon"],
    },
}


@dataclass(frozen=True)
class Item:
    """A line of a list, with an optional mark (met / not_met / unknown), link and sub-items."""

    text: str
    mark: str | None = None
    link: str | None = None
    children: tuple["Item", ...] = ()


@dataclass(frozen=True)
class Heading:
    level: int
    text: str
    status: str | None = None
    """A finding's status, for renderers that colour it."""
    anchor: str | None = None
    """A name other blocks link to (a regime, a finding), for renderers with links."""


@dataclass(frozen=True)
class Para:
    text: str
    tone: str | None = None
    """`answer`, `warning` or None."""


@dataclass(frozen=True)
class Items:
    items: tuple[Item, ...]


@dataclass(frozen=True)
class Tree:
    """A derivation: a nested list everywhere, and a drawn graph in HTML."""

    derivation: Derivation
    items: tuple[Item, ...]
    as_list: str
    """The label of the nested list where a drawing comes first."""
    lang: str = "en"
    values: Values = field(default_factory=dict)
    """The words for the values the drawing shows, as the document carries them."""
    named: dict[str, str] = field(default_factory=dict)
    """Each conclusion the drawing may show, in words: the question of the finding it answers, or
    the element of an analysis that reads it."""
    explained: dict[str, str] = field(default_factory=dict)
    """The anchor of the finding that explains each conclusion cut to a leaf here."""


@dataclass(frozen=True)
class Table:
    header: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    anchors: tuple[str, ...] = ()
    """For a regime's summary table, the anchor of the finding each row sums up: renderers with
    links gather these tables into one summary at the top, each row leading to its finding."""


Block = Heading | Para | Items | Tree | Table


@dataclass
class Memo:
    title: str
    lang: str
    blocks: list[Block] = field(default_factory=list)


def memo(document: Document, heads: set[str] | None = None, why_not: bool = False) -> Memo:
    """The memo of a findings document, for all its heads or those in `heads`.

    Near misses are shown for findings whose status no rule concluded (see
    :data:`~liability.rulebook.CONCLUDED_STATUSES`: not met, not liable, not applicable) or that
    are undetermined, and for every finding when `why_not` is set.
    """
    lang = document.lang
    words = MEMO[lang]
    result = Memo(document.title or document.scenario, lang)
    add = result.blocks.append
    add(Para(f"{words['scenario']}{words['colon']}{document.scenario}"))
    for regime in document.regimes:
        findings = [f for f in regime.findings if heads is None or f.head in heads]
        if not findings:
            continue
        add(Heading(2, f"{regime.title}{words['colon']}{words['facts']} {in_words(regime.facts_date, lang)}, "
                       f"{words['assessed']} {in_words(regime.judged_on, lang)} ({words['posture'][regime.posture]})",
                    anchor=regime.regime))
        for warning in regime.warnings:
            add(Para(f"{LABELS[lang]['warning']}{words['colon']}{warning}", "warning"))
        labels = LABELS[lang]
        add(Table((labels["question"], labels["proceeding"], labels["status"], labels["strength"], labels["penalty"]),
                  tuple((question_words(f, lang), f.proceeding_label, status_label(f.status, lang, f.kind),
                         strength_label(f, lang),
                         penalty_range(f, lang)) for f in findings),
                  tuple(finding_anchor(regime, f) for f in findings)))
        if regime.abolished:
            add(Para(f"{words['abolished_rules']}{words['colon']}{words['semicolon'].join(regime.abolished)}", "warning"))
        for finding in findings:
            _finding(result, document, regime, finding, why_not)
    questions = [q for q in document.questions if heads is None or any(d.head in heads for d in q.decides)]
    if questions:
        add(Heading(2, words["scenario_questions"], anchor="questions"))
        add(Items(tuple(Item(question_line(q, lang), children=tuple(Item(decided_line(d, lang)) for d in q.decides))
                        for q in questions)))
    if document.glossary:
        add(Heading(2, words["terms"], anchor="terms"))
        add(Items(tuple(Item(term_line(note, lang)) for note in document.glossary)))
    result.blocks = [typeset_block(block, lang) for block in result.blocks]
    return result


def finding_anchor(regime: RegimeFindings, finding: Finding) -> str:
    """The name a finding's heading is linked by: its regime, head and proceeding."""
    return f"{regime.regime}/{finding.head}/{finding.proceeding}"


def question_line(question: Question, lang: str) -> str:
    """An open question and how many findings it decides."""
    words = MEMO[lang]
    count = len(question.decides)
    noun = words["findings_word"] if count > 1 else words["finding_word"]
    return f"{question.question} ({question.fact}){words['colon']}{words['decides']} {count} {noun}"


def decided_line(decided: DecidedFinding, lang: str) -> str:
    """A finding an open question decides, named as the finding's own heading names it."""
    return f"{decided.regime}{MEMO[lang]['colon']}{decided.head} [{decided.proceeding_label}]"


def term_line(note: TermNote, lang: str) -> str:
    """A term without an exact equivalent, and what differs."""
    words = MEMO[lang]
    kind = words["no_equivalent"] if note.equivalence == "none" else words["partial"]
    return f"{note.fr} / {note.en} ({kind}){words['colon']}{note.note}"


def _finding(result: Memo, document: Document, regime: RegimeFindings, finding: Finding, why_not: bool) -> None:
    lang = document.lang
    words = MEMO[lang]
    add = result.blocks.append
    values = document.values
    add(Heading(3, f"{question_words(finding, lang)} ({finding.proceeding_label})", finding.status,
                finding_anchor(regime, finding)))
    add(Para(f"{finding.head} [{finding.proceeding_label}]"))
    add(Heading(4, words["short_answer"]))
    add(Para(_short_answer(finding, lang), "answer"))
    add(Heading(4, words["analysis"]))
    if finding.analysis:
        for part in sorted({e.part for e in finding.analysis}, key=PART_ORDER.index):
            add(Heading(5, words["parts"][part]))
            add(Items(tuple(_element(e, lang, values) for e in finding.analysis if e.part == part)))
    else:
        add(Para(words["no_elements"]))
    if finding.penalties:
        add(Heading(5, words["penalty"]))
        add(Items(_penalty_items(finding, lang)))
    add(Heading(4, words["reasons"]))
    add(Items(tuple(Item(reason) for reason in finding.because)))
    if finding.open_grounds:
        add(Heading(4, words["open_grounds"]))
        add(Items(tuple(Item(f"{g.because} ({open_ground_basis(g, lang)})", "unknown", g.url)
                        for g in finding.open_grounds)))
    if finding.possible_defences:
        add(Heading(4, words["defences"]))
        add(Items(tuple(Item(f"{g.because} ({open_ground_basis(g, lang)})", "unknown", g.url)
                        for g in finding.possible_defences)))
    lacking = proof_lines(finding, regime.posture, lang, values)
    if lacking:
        add(Heading(4, words["lacking"]))
        add(Items(tuple(Item(line) for line in lacking)))
    if finding.cites:
        add(Para(f"{words['cites']}{words['colon']}{words['semicolon'].join(finding.cites)}"))
    versions = versions_line(finding, lang)
    if versions:
        add(Para(f"{words['versions']}{words['colon']}{versions}"))
        for reason in time_reasons(finding, lang):
            add(Para(f"{words['time']}{words['colon']}{reason}"))
    concluded = finding.status in CONCLUDED_STATUSES
    misses = [m for m in finding.near_misses or [] if why_not or not concluded]
    if misses:
        add(Heading(4, words["why_not"]))
        add(Items(tuple(_near_miss(m, lang, values) for m in misses)))
    if finding.missing_facts:
        asked = {q.fact: q.question for q in document.questions}
        add(Heading(4, words["open_questions"]))
        add(Items(tuple(Item(f"{asked.get(fact, fact)} ({fact})") for fact in finding.missing_facts)))
        add(Items(tuple(Item(line) for line in settling_lines(finding, lang, values))))
    if finding.derivation is not None:
        add(Heading(4, words["derivation"]))
        others = frozenset(f.derivation.conclusion for f in regime.findings
                           if f.derivation is not None and f.head != finding.head)
        derivation = _pruned(finding.derivation, others)
        add(Tree(derivation, (_derivation(derivation, lang, values),), words["as_list"], lang, values,
                 conclusion_words(regime, lang), {f.derivation.conclusion: finding_anchor(regime, f)
                                                  for f in regime.findings if f.derivation is not None
                                                  and f.derivation.conclusion in others}))


def conclusion_words(regime: RegimeFindings, lang: str) -> dict[str, str]:
    """Each conclusion of a regime that its findings name, in words: a finding's derivation and
    its head by the finding's question, any other by the first element whose test reads it."""
    named: dict[str, str] = {}
    for finding in regime.findings:
        question = question_words(finding, lang)
        named.setdefault(finding.head, question)
        if finding.derivation is not None:
            named.setdefault(finding.derivation.conclusion, question)
    for finding in regime.findings:
        for element in finding.analysis:
            for check in element.checks:
                if check.conclusion is not None and not check.test.startswith("not "):
                    named.setdefault(check.conclusion, element.name)
    return {conclusion: typeset(words, lang) for conclusion, words in named.items()}


def _short_answer(finding: Finding, lang: str) -> str:
    words = MEMO[lang]
    answer = status_label(finding.status, lang, finding.kind)
    answer = answer[0].upper() + answer[1:]
    if finding.strength:
        answer += f" ({strength_label(finding, lang)})"
    if finding.penalties:
        answer += f". {words['penalty']}{words['colon']}{penalty_line(finding.penalties, lang)}"
        if finding.penalties_up_to:
            answer += (f"{words['semicolon']}{words['up_to']} {penalty_line(finding.penalties_up_to, lang)} "
                       f"{words['depending_on']} {', '.join(finding.penalties_up_to.depends_on)}")
    if finding.missing_facts:
        answer += f". {LABELS[lang]['missing']}{words['colon']}{', '.join(finding.missing_facts)}"
    return answer + "."


def _element(element: ElementCheck, lang: str, values: Values) -> Item:
    words = MEMO[lang]
    group = f" [{words['alternatives']}{words['colon']}{element.group}]" if element.group else ""
    children = [Item(_check(c, lang, values), c.result, children=tuple(Item(_check(below, lang, values), below.result)
                                                               for below in c.because_of))
                for c in element.checks]
    if element.rules:
        label = words["rules_drew"] if element.checks else words["in_force"]
        children.append(Item(f"{label}{words['colon']}{words['semicolon'].join(element.rules)}"))
    return Item(f"{element.name} ({element.cites}){group}{words['colon']}{words['marks'][element.status]}", element.status,
                element.url, tuple(children))


def _check(check: Check, lang: str, values: Values) -> str:
    """A test and how the case answers it, the fact's question where the glossary has one; a failed
    test also says what it needed, so a line never reads as its own contradiction. Values are
    said in words: yes / no / unknown, a choice's label."""
    words = MEMO[lang]
    if check.conclusion is not None:
        test = absent_words(check.conclusion, lang) if check.test.startswith("not ") else check.test
        return f"{test}{words['colon']}{words['held'][check.value]}"
    labels = values.get(check.fact or "", {})
    answer = value_words(check.value, labels, lang)
    if check.result == "not_met" and check.wanted is not None:
        answer += f"{words['semicolon']}{words['needed']} {phrase_words(check.wanted, labels, lang)}"
    if check.question:
        return f"{check.question} {answer} ({check.fact})"
    return f"{check.fact}{words['colon']}{answer}"


def _near_miss(miss: NearMiss, lang: str, values: Values) -> Item:
    words = MEMO[lang]
    head = f"{miss.cites} ({miss.rule}, {STRENGTH[lang][miss.strength]})"
    if miss.why in ("not_in_force", "abolished"):
        basis = words["basis"][miss.basis or "facts_date"]
        said = words[miss.why].format(date=in_words(miss.date or "", lang), basis=basis)
        return Item(f"{head}{words['colon']}{said}", "not_met", miss.url)
    children = [Item(_check(c, lang, values), "not_met",
                     children=tuple(Item(_check(below, lang, values), below.result) for below in c.because_of))
                for c in miss.failed]
    children += [Item(_check(c, lang, values), "unknown") for c in miss.unknown]
    children += [Item(f"{words['see_also']}{words['colon']}{other}") for other in miss.see_also]
    children.append(Item(miss.because))
    why = words["failed"] if miss.why == "failed" else words["open"]
    return Item(f"{head}{words['colon']}{why}", "not_met" if miss.why == "failed" else "unknown", miss.url, tuple(children))


def _penalty_items(finding: Finding, lang: str) -> tuple[Item, ...]:
    words = MEMO[lang]
    items = []
    for penalty in (finding.penalties, finding.penalties_up_to):
        if penalty is None:
            continue
        prefix = f"{words['up_to']} " if penalty is finding.penalties_up_to else ""
        children = [Item(f"{words['version']} {in_words(penalty.version_from, lang)}{words['colon']}{penalty.version_reason}")]
        children += [Item(extra) for extra in penalty.additional]
        items.append(Item(f"{prefix}{penalty_line(penalty, lang)} ({words['person'][penalty.person]}{words['semicolon']}"
                          f"{words['semicolon'].join(penalty.basis.split('; '))}{words['semicolon']}{penalty.rule}, {STRENGTH[lang][penalty.strength]})", None, penalty.url, tuple(children)))
    return tuple(items)


def _pruned(derivation: Derivation, stop: frozenset[str]) -> Derivation:
    """The derivation with the conclusions other findings explain cut to leaves: each of those
    findings shows its own derivation, and repeating it would bury this one."""
    return derivation.model_copy(update={"rules": [
        use.model_copy(update={"premises": [
            Derivation(conclusion=p.conclusion, rules=[]) if p.conclusion in stop else _pruned(p, stop)
            for p in use.premises]})
        for use in derivation.rules]})


def _derivation(derivation: Derivation, lang: str, values: Values) -> Item:
    words = MEMO[lang]
    uses = []
    for use in derivation.rules:
        possible = "" if use.certain else f", {words['possible']}"
        children = [Item(f"{path}{words['colon']}{value_words(value, values.get(path, {}), lang)}")
                    for path, value in use.facts.items()]
        children += [Item(absent_words(absent, lang)) for absent in use.absent]
        children += [_derivation(premise, lang, values) for premise in use.premises]
        uses.append(Item(f"{use.cites} ({use.rule}, {STRENGTH[lang][use.strength]}{possible})", None, use.url,
                         tuple(children)))
    return Item(derivation.conclusion, None, None, tuple(uses))
