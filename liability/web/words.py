"""The page's own words, in both languages; the law's words come from the packs and the facts file."""

from __future__ import annotations

WORDS: dict[str, dict[str, str]] = {
    "en": {
        "title": "liability: assess a scenario", "lead": "Fill in what you know; leave the rest unknown. "
        "The findings update as you change a field.",
        "scenario": "Scenario", "id": "Scenario id", "scenario_title": "Title", "facts_date": "Date of the facts",
        "facts_end": "End of the conduct", "judged_on": "Judged on", "regimes": "Regimes", "posture": "Posture",
        "hypothetical": "hypothetical (unknown facts stay open)", "alleged": "alleged (pleading stage)",
        "established": "established (trial record)", "unknown": "unknown", "yes": "yes", "no": "no",
        "facts": "Facts", "load": "Load a scenario (YAML)", "save": "Save as YAML", "assess": "Assess",
        "findings": "Findings", "questions": "Open questions", "decides": "decides",
        "no_questions": "No unknown fact can change a finding.", "derivation": "Derivation",
        "whatif": "What if", "whatif_hint": "what if otherwise?", "whatif_none": "No finding changes.",
        "whatif_changes": "{count} finding(s) change; {unchanged} stay as they were.",
        "compare": "Compare regimes and dates", "as_of": "Other dates (DATE or FACTS/JUDGED, comma-separated)",
        "differs": "differs", "language": "Language", "problems": "The scenario cannot be assessed",
        "before": "before", "after": "after", "missing": "Would be decided by", "penalty": "At stake",
        "strength": "Strength", "reasons": "Reasons", "question": "Question", "status": "Finding",
        "no_reasons": "no reason holds yet", "wait": "assessing…", "list_hint": "ISO codes, comma-separated",
        "colon": ": ", "example": "or start from a bundled example",
    },
    "fr": {
        "title": "liability : apprécier un scénario", "lead": "Renseignez ce que vous savez ; laissez le reste "
        "inconnu. Les conclusions se mettent à jour à chaque changement.",
        "scenario": "Scénario", "id": "Identifiant du scénario", "scenario_title": "Titre",
        "facts_date": "Date des faits", "facts_end": "Fin des agissements", "judged_on": "Jugé le",
        "regimes": "Régimes", "posture": "Position", "hypothetical": "hypothèse (les faits inconnus restent ouverts)",
        "alleged": "allégations (stade des écritures)", "established": "établis (dossier du procès)",
        "unknown": "inconnu", "yes": "oui", "no": "non", "facts": "Faits",
        "load": "Charger un scénario (YAML)", "save": "Enregistrer en YAML", "assess": "Apprécier",
        "findings": "Conclusions", "questions": "Questions ouvertes", "decides": "décide",
        "no_questions": "Aucun fait inconnu ne peut changer une conclusion.", "derivation": "Dérivation",
        "whatif": "Et si", "whatif_hint": "et si c'était autrement ?", "whatif_none": "Aucune conclusion ne change.",
        "whatif_changes": "{count} conclusion(s) changent ; {unchanged} restent inchangées.",
        "compare": "Comparer régimes et dates", "as_of": "Autres dates (DATE ou FAITS/JUGEMENT, séparées par des virgules)",
        "differs": "diffère", "language": "Langue", "problems": "Le scénario ne peut pas être apprécié",
        "before": "avant", "after": "après", "missing": "Dépend de", "penalty": "Peine encourue",
        "strength": "Force", "reasons": "Motifs", "question": "Question", "status": "Conclusion",
        "no_reasons": "aucun motif n'est encore retenu", "wait": "appréciation…",
        "list_hint": "codes ISO, séparés par des virgules", "colon": "\u00a0: ",
        "example": "ou partir d'un exemple fourni",
    },
}
