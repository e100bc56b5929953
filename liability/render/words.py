"""Fixed wording shared by the human-readable renderers, in both languages."""

from __future__ import annotations

from ..findings import PenaltyAtStake

LABELS = {
    "en": {
        "facts": "facts of", "assessed": "assessed on", "alleged": "on the allegations, taken as true",
        "reasons": "Reasons", "trace": "Rule trace", "question": "Question", "status": "Finding",
        "strength": "Strength", "elements": "Elements", "penalty": "At stake", "cites": "Cites",
        "missing": "Would be decided by", "approximate": "approximate: too many unknown facts to enumerate",
        "none": "none", "if_holds": "if it holds", "years": "years", "life": "life imprisonment",
        "fine": "fine", "plus": "plus", "certain": "certain", "possible": "possible",
        "legal": "legal person", "natural": "natural person", "version": "version in force from",
        "rules_in_force": "rules in force",
    },
    "fr": {
        "facts": "faits du", "assessed": "appréciés au", "alleged": "sur les allégations, tenues pour vraies",
        "reasons": "Motifs", "trace": "Trace des règles", "question": "Question", "status": "Conclusion",
        "strength": "Force", "elements": "Éléments", "penalty": "Peine encourue", "cites": "Textes",
        "missing": "Dépend de", "approximate": "approximatif : trop de faits inconnus pour les énumérer",
        "none": "aucun", "if_holds": "si elle est retenue", "years": "ans", "life": "réclusion à perpétuité",
        "fine": "amende", "plus": "et", "certain": "certaine", "possible": "possible",
        "legal": "personne morale", "natural": "personne physique", "version": "version en vigueur depuis le",
        "rules_in_force": "règles en vigueur",
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

STRENGTH = {
    "en": {"established": "established", "likely": "likely", "arguable": "arguable"},
    "fr": {"established": "certaine", "likely": "probable", "arguable": "discutable"},
}


def money(amount: int, currency: str | None, lang: str) -> str:
    grouped = f"{amount:,}".replace(",", "\u202f" if lang == "fr" else ",")
    return f"{grouped} {currency or ''}".strip()


def penalty_line(penalty: PenaltyAtStake | None, lang: str) -> str:
    """One line: the sentence at stake, e.g. `7 years, fine 150,000 EUR`."""
    words = LABELS[lang]
    if penalty is None:
        return words["none"]
    parts = []
    if penalty.life:
        parts.append(words["life"])
    elif penalty.prison_years:
        parts.append(f"{penalty.prison_years} {words['years']}")
    if penalty.fine is not None:
        parts.append(f"{words['fine']} {money(penalty.fine, penalty.currency, lang)}")
    line = ", ".join(parts) or words["none"]
    if penalty.conditional:
        line += f" ({words['if_holds']})"
    return line
