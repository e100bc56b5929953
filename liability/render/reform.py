"""Text and Markdown renderings of what a reform changes, in English or French.

The words come from here and from :mod:`words`; the reform's title, the rules' ids and the facts
come from files a user may have downloaded, so every string is escaped for its format: control
characters shown in text, Markdown's specials escaped or put in code spans.
"""

from __future__ import annotations

from typing import Callable

from ..formula import PHRASES, Literal, literal_words
from ..reform_changes import Outcome, ReformReport, StatusChange, Transition, Where
from ..sentence import sentence
from . import visible
from .markdown import code, escape
from .typography import typeset
from .words import LABELS, STATUS, STRENGTH

WORDS = {
    "en": {
        "reform": "Reform", "changes": "Changes", "warnings": "Warnings", "verbs": {
            "amend": "amends", "repeal": "repeals", "add": "adds", "penalty": "rewrites the penalty"},
        "library": "Findings that change over {count} scenarios",
        "regimes": "regimes run", "no_regime": "no regime's packs are changed: nothing can change",
        "none_changed": "no finding changes", "scenario": "scenario", "scenarios": "scenarios",
        "exact": "Exactly, with every fact open, for conduct and judgment on {day}",
        "none_exact": "no status changes, whatever the facts",
        "makes": "the reform makes it {after} (it was {before}) where",
        "all_of": "in every such case", "one_of": "and one of these holds",
        "one_of_paths": "and one of these holds (exact, not minimised: too many facts remain open)",
        "more": "more than {count} alternatives: the others are not listed",
        "strength_note": "Strengths and penalties are compared over the scenarios; the exact part compares statuses.",
        "errors": "scenarios not assessed", "penalty": "at stake",
    },
    "fr": {
        "reform": "Réforme", "changes": "Modifications", "warnings": "Avertissements", "verbs": {
            "amend": "modifie", "repeal": "abroge", "add": "ajoute", "penalty": "réécrit la peine"},
        "library": "Conclusions modifiées sur {count} scénarios",
        "regimes": "régimes examinés", "no_regime": "la réforme ne touche les règles d'aucun régime : rien ne peut changer",
        "none_changed": "aucune conclusion ne change", "scenario": "scénario", "scenarios": "scénarios",
        "exact": "Exactement, tous les faits ouverts, pour des faits et un jugement au {day}",
        "none_exact": "aucun statut ne change, quels que soient les faits",
        "makes": "la réforme rend la conclusion « {after} » (elle était « {before} ») lorsque",
        "all_of": "dans chacun de ces cas", "one_of": "et l'une de ces conditions est remplie",
        "one_of_paths": "et l'une de ces conditions est remplie (exactes, non minimisées : trop de faits restent ouverts)",
        "more": "plus de {count} possibilités : les autres ne sont pas énumérées",
        "strength_note": "Les forces et les peines sont comparées sur les scénarios ; la partie exacte compare les statuts.",
        "errors": "scénarios non examinés", "penalty": "peine encourue",
    },
}


def _outcome(outcome: Outcome, lang: str) -> str:
    said = STATUS[lang][outcome.status]
    if outcome.strength:
        said += f" ({STRENGTH[lang][outcome.strength]})"
    stake = outcome.penalty
    if stake is not None:
        line = sentence(stake.life, stake.prison_years, stake.fine, stake.fine_percent_turnover, stake.currency, lang,
                        stake.min_prison_years)
        if line:
            said += f"{LABELS[lang]['semicolon']}{WORDS[lang]['penalty']}{LABELS[lang]['colon']}{line}"
    return said


def _literal(literal: Literal, report: ReformReport, lang: str) -> str:
    return literal_words(literal, report.facts, lang)


def _where(report: ReformReport, regime: str, head: str, proceedings: list[str], lang: str,
           said: Callable[[str], str]) -> str:
    title = report.titles.get(head)
    named = [report.proceedings[p].get(lang) if p in report.proceedings else p for p in proceedings]
    return said(f"{regime} {head}" + (f" ({title.get(lang)})" if title else "") + f" [{', '.join(named)}]")


def _formula_lines(formula: Where, report: ReformReport, lang: str, item: Callable[[str], str]) -> list[str]:
    """The combinations in words: what they all share, then one line per alternative."""
    words = WORDS[lang]
    both = PHRASES[lang]["and"]
    lines = []
    shared = both.join(item(_literal(literal, report, lang)) for literal in formula.common)
    if formula.common and not formula.alternatives:
        lines.append(f"  {shared}")
    elif formula.common:
        lines.append(f"  {words['all_of']}{LABELS[lang]['colon']}{shared}")
    if formula.alternatives:
        lines.append(f"  {words['one_of' if formula.minimised else 'one_of_paths']}{LABELS[lang]['colon']}")
        lines.extend("    - " + both.join(item(_literal(literal, report, lang)) for literal in term)
                     for term in formula.alternatives)
    if not formula.complete:
        lines.append("    - " + words["more"].format(count=len(formula.alternatives)))
    return lines


def _sections(report: ReformReport, lang: str, item: Callable[[str], str], heading: Callable[[str], str],
              said: Callable[[str], str]) -> list[str]:
    """The report's lines; `item` renders a fact or an id, `heading` a title, `said` a text of a file."""
    words = WORDS[lang]
    colon = LABELS[lang]["colon"]
    header = report.reform.header
    out = [heading(f"{words['reform']} {said(header.id)}{colon}{said(header.title.get(lang))}"),
           f"{said(header.cites)} - {said(header.url)}", "",
           heading(words["changes"])]
    out += [f"{change.number}. {words['verbs'][change.verb]} {item(change.target)}" for change in report.reform.changes]
    if report.reform.warnings:
        out += ["", heading(words["warnings"])] + [f"- {said(warning)}" for warning in report.reform.warnings]
    out += ["", heading(words["library"].format(count=report.scenarios))]
    if not report.regimes:
        out.append(words["no_regime"])
        return out
    out.append(f"{words['regimes']}{colon}{', '.join(report.regimes)}")
    if report.problems:
        out.append(f"{words['errors']}{colon}{len(report.problems)}")
    if not report.transitions:
        out.append(words["none_changed"])
    for transition in report.transitions:
        out.append(_transition_line(transition, report, lang, said))
        out.append("  " + ", ".join(item(s) for s in transition.scenarios))
    out += ["", heading(words["exact"].format(day=report.on.isoformat())), words["strength_note"]]
    if not report.changes:
        out.append(words["none_exact"])
    for change in report.changes:
        out.append(_change_line(change, report, lang, said))
        out += _formula_lines(change.where, report, lang, said)
    return out


def _transition_line(transition: Transition, report: ReformReport, lang: str, said: Callable[[str], str]) -> str:
    count = len(transition.scenarios)
    noun = WORDS[lang]["scenario" if count == 1 else "scenarios"]
    where = _where(report, transition.regime, transition.head, [transition.proceeding], lang, said)
    return (f"- {where}{LABELS[lang]['colon']}{_outcome(transition.before, lang)} -> "
            f"{_outcome(transition.after, lang)}{LABELS[lang]['colon']}{count} {noun}")


def _change_line(change: StatusChange, report: ReformReport, lang: str, said: Callable[[str], str]) -> str:
    makes = WORDS[lang]["makes"].format(after=STATUS[lang][change.after], before=STATUS[lang][change.before])
    return f"- {_where(report, change.regime, change.head, change.proceedings, lang, said)}{LABELS[lang]['colon']}{makes}"


def text(report: ReformReport, lang: str) -> str:
    """The report for a terminal: plain lines, control characters shown."""
    lines = _sections(report, lang, visible, visible, visible)
    return "\n".join(typeset(line, lang) for line in lines) + "\n"


def markdown(report: ReformReport, lang: str) -> str:
    """The report as Markdown, every string from a file escaped or in a code span."""
    lines = _sections(report, lang, code, lambda s: f"## {s}", escape)
    spaced: list[str] = []
    for line in lines:  # a heading, and a list after a paragraph, stand apart from what precedes
        starts_list = line.startswith(("- ", "1. ")) and spaced and spaced[-1] and not spaced[-1].startswith(("- ", "  ", "1"))
        if spaced and spaced[-1] and (line.startswith("## ") or starts_list):
            spaced.append("")
        spaced.append(line)
        if line.startswith("## "):
            spaced.append("")
    return "\n".join(typeset(line, lang) for line in spaced) + "\n"
