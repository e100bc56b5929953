"""Fixed wording shared by the human-readable renderers, in both languages."""

from __future__ import annotations

import re
from typing import Mapping

from ..dates import in_words
from ..findings import Finding, OpenGround, PenaltyAtStake
from ..sentence import sentence
from ..values import phrase_words

Values = Mapping[str, Mapping[str, str]]
"""The words for the choice facts' values, by fact then code, as a document carries them."""

LABELS = {
    "en": {
        "facts": "facts of", "assessed": "assessed on",
        "posture": {"hypothetical": "a hypothetical: unknown facts are left open",
                    "alleged": "on the allegations, taken as true: what is not alleged is not there",
                    "established": "on the record: what is not proven is not there"},
        "reasons": "Reasons", "trace": "Rule trace", "question": "Question", "status": "Finding",
        "strength": "Strength", "elements": "Elements", "penalty": "At stake", "cites": "Cites",
        "missing": "Would be decided by", "settles": "{status} if", "depends_also": "Also decided, with other facts, by",
        "open_grounds": "Would also hold if the unknown facts go a certain way", "needs": "needs",
        "none": "none", "if_holds": "if it holds", "plus": "plus", "certain": "certain", "possible": "possible",
        "legal": "legal person", "natural": "natural person", "version": "version in force from",
        "rules_in_force": "rules in force",
        "versions": "Versions", "chosen_by": {"facts_date": "facts' date", "facts_end": "end of the conduct", "judged_on": "date of judgment"},
        "since": "since", "until": "until", "time": "Time", "abolished": "Not applied (abolished before judgment)",
        "proceeding": "Proceeding", "rules_word": "rules", "rule_word": "rule", "colon": ": ", "semicolon": "; ", "up_to": "up to", "warning": "Warning",
        "had_it_been": {"alleged": "{status} had it been alleged that", "established": "{status} had it been proven that"},
        "defences": "Defences the actor could raise if the unknown facts they need were shown",
        "lacking": "What the record lacks",
    },
    "fr": {
        "facts": "faits du", "assessed": "appréciés au",
        "posture": {"hypothetical": "une hypothèse\u00a0: les faits inconnus restent ouverts",
                    "alleged": "sur les allégations, tenues pour vraies\u00a0: ce qui n'est pas allégué n'est pas retenu",
                    "established": "sur le dossier\u00a0: ce qui n'est pas prouvé n'est pas retenu"},
        "reasons": "Motifs", "trace": "Trace des règles", "question": "Question", "status": "Conclusion",
        "strength": "Force", "elements": "Éléments", "penalty": "Peine encourue", "cites": "Textes",
        "missing": "Dépend de", "settles": "{status} si", "depends_also": "Dépend aussi, avec d'autres faits, de",
        "open_grounds": "Serait aussi retenu si les faits inconnus vont dans un certain sens", "needs": "dépend de",
        "none": "aucun", "if_holds": "si elle est retenue", "plus": "et", "certain": "certaine", "possible": "possible",
        "legal": "personne morale", "natural": "personne physique", "version": "version en vigueur depuis le",
        "rules_in_force": "règles en vigueur",
        "versions": "Versions", "chosen_by": {"facts_date": "date des faits", "facts_end": "fin des agissements", "judged_on": "date du jugement"},
        "since": "depuis le", "until": "jusqu'au", "time": "Temps", "abolished": "Non appliqué (abrogé avant le jugement)",
        "proceeding": "Procédure", "rules_word": "règles", "rule_word": "règle", "colon": "\u00a0: ", "semicolon": "\u00a0; ", "up_to": "jusqu'à", "warning": "Attention",
        "had_it_been": {"alleged": "{status} s'il avait été allégué que", "established": "{status} s'il avait été prouvé que"},
        "defences": "Moyens de défense que l'acteur pourrait soulever si les faits inconnus qu'ils exigent étaient établis",
        "lacking": "Ce qui manque au dossier",
    },
}

STATUS = {
    "en": {"met": "met", "not_met": "not met", "liable": "liable", "not_liable": "not liable",
           "undetermined": "undetermined", "applies": "applies", "lost": "lost",
           "not_applicable": "not applicable", "breached": "breached", "complied": "complied"},
    "fr": {"met": "remplie", "not_met": "non remplie", "liable": "responsable", "not_liable": "non responsable",
           "undetermined": "indéterminé", "applies": "s'applique", "lost": "perdue",
           "not_applicable": "sans objet", "breached": "manquement", "complied": "respectées"},
}

OFFENCE_STATUS = {"fr": {"liable": "constituée", "not_liable": "non constituée"}}
"""An offence is constituted or not (« l'infraction est constituée »); "responsable" is said of a
person answering a claim."""


def status_label(status: str, lang: str, kind: str | None = None) -> str:
    """A status in words, as the head's kind says it."""
    if kind == "offence" and status in OFFENCE_STATUS.get(lang, {}):
        return OFFENCE_STATUS[lang][status]
    return STATUS[lang][status]


_STATUS_NAMED = re.compile(r"\((" + "|".join(STATUS["en"]) + r")\)")
"""A status code in parentheses, as a head's question may name its outcomes: « une poursuite
est-elle réaliste (met), ou seulement théorique (not_met) ? »."""


def question_words(finding: Finding, lang: str) -> str:
    """The finding's question, the statuses it names by their code said in words (« (remplie) »)."""
    return _STATUS_NAMED.sub(lambda match: f"({status_label(match[1], lang, finding.kind)})", finding.question)


STRENGTH = {
    "en": {"established": "established", "likely": "likely", "arguable": "arguable"},
    "fr": {"established": "certaine", "likely": "probable", "arguable": "discutable"},
}


def penalty_line(penalty: PenaltyAtStake | None, lang: str) -> str:
    """One line: the sentence at stake, e.g. `7 years, a fine of EUR 150,000`."""
    words = LABELS[lang]
    if penalty is None:
        return words["none"]
    line = sentence(penalty.life, penalty.prison_years, penalty.fine, penalty.fine_percent_turnover,
                    penalty.currency, lang, penalty.min_prison_years, penalty.currency_name) or words["none"]
    if penalty.conditional:
        line += f" ({words['if_holds']})"
    return line


def strength_label(finding: Finding, lang: str) -> str:
    """The strength, said as that of the grounds that would hold where the finding is undetermined."""
    if not finding.strength:
        return ""
    label = STRENGTH[lang][finding.strength]
    return f"{label}, {LABELS[lang]['if_holds']}" if finding.status == "undetermined" else label


def settling_lines(finding: Finding, lang: str, values: Values) -> list[str]:
    """For an undetermined finding, which way its deciding facts push: for each status, the fact
    values that alone settle it ("liable if: money.share_of_proceeds = true; or ..."), then the
    facts that decide it only together with others. Most decisive first, as the findings order them."""
    words = LABELS[lang]
    settling: dict[str, list[str]] = {}
    others = []
    for fact in finding.deciding:
        alone = [(case.statuses[0], case.value) for case in fact.cases if len(case.statuses) == 1]
        for status, value in alone:
            settling.setdefault(status, []).append(fact_value_words(fact.fact, value, values, lang))
        if not alone:
            others.append(fact.fact)
    lines = []
    for status, values in settling.items():
        said = words["settles"].format(status=status_label(status, lang, finding.kind))
        lines.append(f"{said[0].upper()}{said[1:]}{words['colon']}{words['semicolon'].join(values)}")
    if others:
        lines.append(f"{words['depends_also']}{words['colon']}{', '.join(others)}")
    return lines


def proof_lines(finding: Finding, posture: str, lang: str, values: Values) -> list[str]:
    """On a closed record, what the record lacks: for each other status, the proofs (or
    allegations) that alone would have given it ("Liable had it been proven that: ...")."""
    words = LABELS[lang]
    wording = words["had_it_been"].get(posture)
    if wording is None:
        return []
    by_status: dict[str, list[str]] = {}
    for proof in finding.not_shown:
        by_status.setdefault(proof.status, []).append(fact_value_words(proof.fact, proof.value, values, lang))
    lines = []
    for status, values in by_status.items():
        said = wording.format(status=status_label(status, lang, finding.kind))
        lines.append(f"{said[0].upper()}{said[1:]}{words['colon']}{words['semicolon'].join(values)}")
    return lines


def open_ground_basis(ground: OpenGround, lang: str) -> str:
    """What a ground that would hold if unknown facts went a certain way rests on: its citation,
    its strength, and the facts it needs."""
    return f"{ground.cites}, {STRENGTH[lang][ground.strength]}{LABELS[lang]['semicolon']}{LABELS[lang]['needs']} {', '.join(ground.needs)}"


def fact_value_words(fact: str, value: str, values: Values, lang: str) -> str:
    """`fact = value` with the value in words (`actor.person = personne morale`), or `fact
    includes FR` for the classes that read as a phrase."""
    said = phrase_words(value, values.get(fact, {}), lang)
    return f"{fact} {said}" if value.startswith(("includes", "does not", ">", "<")) else f"{fact} = {said}"


def penalty_range(finding: Finding, lang: str) -> str:
    """The penalty at stake, and the upper end of its range when an unknown fact could raise it."""
    if finding.penalties is None:
        return ""
    line = penalty_line(finding.penalties, lang)
    if finding.penalties_up_to is not None:
        line += f" ({LABELS[lang]['up_to']} {penalty_line(finding.penalties_up_to, lang)})"
    return line


def versions_line(finding: Finding, lang: str) -> str | None:
    """Which date chose the versions used (counted), and the versions that have an end date."""
    words = LABELS[lang]
    counts: dict[tuple[str, str], int] = {}
    bounded = []
    for version in finding.versions:
        counts[(version.chosen_by, version.date)] = counts.get((version.chosen_by, version.date), 0) + 1
        if version.version_to:
            bounded.append(f"{version.rule} ({words['since']} {in_words(version.version_from, lang)} "
                           f"{words['until']} {in_words(version.version_to, lang)})")
    if not bounded and all(basis == "facts_date" for basis, _ in counts):
        return None
    chosen = [f"{words['chosen_by'][basis]} {in_words(day, lang)}{words['colon']}{n} "
              f"{words['rules_word'] if n > 1 else words['rule_word']}" for (basis, day), n in counts.items()]
    return words["semicolon"].join(chosen + bounded)


def time_reasons(finding: Finding, lang: str = "en") -> list[str]:
    """The legal reasons, once each, for versions chosen by a stated time rule."""
    return list(dict.fromkeys(f"{v.time_rule}{LABELS[lang]['colon']}{v.why}" for v in finding.versions if v.time_rule and v.why))
