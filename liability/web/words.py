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
        "whatif": "What if", "whatif_hint": "what if this fact had another value?", "whatif_none": "No finding changes.",
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
        "whatif": "Et si", "whatif_hint": "et si ce fait avait une autre valeur\u00a0?", "whatif_none": "Aucune conclusion ne change.",
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

MESSAGES: dict[str, dict[str, str]] = {
    "en": {
        "too_large": "request body: more than {limit} bytes; the limit is {limit}",
        "lang": "lang: unknown language `{lang}`; expected one of: {known}",
        "regimes": "regimes: unknown regime `{name}`; known: {known}",
        "as_of": "{option}: {error}; expected YYYY-MM-DD or FACTS/JUDGED, comma-separated",
        "not_utf8": "form: the body is not UTF-8 text",
        "whatif_form": "whatif: `{written}`: expected FACT=VALUE, a yes-or-no or choice fact and one of its values",
        "whatif_fact": "whatif: `{fact}` is not a yes-or-no or a choice fact of the vocabulary{hint}",
        "whatif_value": "whatif: `{value}` is not a value of `{fact}`; expected one of: {values}",
        "example": "example: no bundled scenario has the id `{name}`",
        "derivation": "derivation: no finding `{head}` in proceeding `{proceeding}` under regime `{regime}` "
                      "for this scenario",
        "did_you_mean": " - did you mean `{close}`?",
    },
    "fr": {
        "too_large": "corps de la requête\u00a0: plus de {limit} octets\u00a0; la limite est de {limit}",
        "lang": "lang\u00a0: langue inconnue `{lang}`\u00a0; attendu l'une de\u00a0: {known}",
        "regimes": "regimes\u00a0: régime inconnu `{name}`\u00a0; régimes connus\u00a0: {known}",
        "as_of": "{option}\u00a0: `{written}` n'est pas une date ou une paire de dates valable\u00a0; attendu "
                 "AAAA-MM-JJ ou FAITS/JUGEMENT (le jugement au plus tôt le jour des faits), séparées par des virgules",
        "not_utf8": "formulaire\u00a0: le corps de la requête n'est pas du texte UTF-8",
        "whatif_form": "whatif\u00a0: `{written}`\u00a0: attendu FAIT=VALEUR, un fait oui-ou-non ou à choix et l'une de ses valeurs",
        "whatif_fact": "whatif\u00a0: `{fact}` n'est pas un fait oui-ou-non ni un fait à choix du vocabulaire{hint}",
        "whatif_value": "whatif\u00a0: `{value}` n'est pas une valeur de `{fact}`\u00a0; attendu l'une de\u00a0: {values}",
        "example": "exemple\u00a0: aucun scénario fourni n'a l'identifiant `{name}`",
        "derivation": "dérivation\u00a0: aucune conclusion `{head}` dans la procédure `{proceeding}` sous le régime "
                      "`{regime}` pour ce scénario",
        "did_you_mean": " - vouliez-vous dire `{close}`\u00a0?",
    },
}
"""The server's own messages (bad requests), in the language of the page that sent the request."""
