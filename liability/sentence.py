"""A penalty in words, as the findings and every report say it: `7 years, a fine of EUR 150,000`,
`7 ans d'emprisonnement et 150\u202f000 euros d'amende`.

The findings write a sentence into their prose (for lasting conduct, the sentence that still
governs the part of it before a later version), and the renderers write one for each penalty at
stake. Both say it through :func:`sentence`, so that a sentence reads the same wherever it appears,
in the language the document is built in.
"""

from __future__ import annotations

from .values import number

WORDS = {
    "en": {"year": "{n} year", "years": "{n} years", "life": "life imprisonment", "fine": "a fine of {amount}",
           "min_to_life": "{min} years to life imprisonment", "min_to_years": "{min} to {n} years",
           "turnover": "a fine of {share}% of worldwide annual turnover"},
    "fr": {"year": "{n} an d'emprisonnement", "years": "{n} ans d'emprisonnement", "life": "réclusion à perpétuité",
           "min_to_life": "de {min} ans à la perpétuité", "min_to_years": "de {min} à {n} ans d'emprisonnement",
           "fine": "{amount} d'amende", "turnover": "amende de {share}\u00a0% du chiffre d'affaires mondial annuel"},
}


def money(amount: int, currency: str | None, lang: str, name: str | None = None) -> str:
    """An amount as each language writes it: `EUR 1,500,000` in English, the currency's code
    first; `1\u202f500\u202f000 euros` in French, the currency in words (`name`, as its
    jurisdiction names it) after the amount, plural from two on, the code where it has no name.
    The groups, the currency and the words of its name (`dollars des États-Unis`) are held
    together by no-break spaces, so that a line is never broken inside an amount."""
    grouped = number(amount, lang)
    if lang != "fr":
        return f"{currency}\u00a0{grouped}" if currency else grouped
    unit = (_plural(name) if amount >= 2 else name) if name else currency
    return f"{grouped}\u00a0{unit.replace(' ', NO_BREAK)}" if unit else grouped


NO_BREAK = "\u00a0"


def _plural(name: str) -> str:
    """A French currency name in the plural: its first word takes an s (`dollars des États-Unis`)."""
    first, space, rest = name.partition(" ")
    return name if first.endswith(("s", "x")) else f"{first}s{space}{rest}"


def sentence(life: bool, prison_years: int | None, fine: int | None, fine_percent_turnover: float | None,
             currency: str | None, lang: str, min_prison_years: int | None = None,
             currency_name: str | None = None) -> str:
    """The sentence for the person judged: life or the years of prison (from the mandatory
    minimum, where the text sets one), then the fine, in an amount or as a share of turnover;
    empty when the text sets none of them."""
    words = WORDS[lang]
    parts = []
    if life:
        parts.append(words["min_to_life"].format(min=min_prison_years) if min_prison_years else words["life"])
    elif prison_years and min_prison_years:
        parts.append(words["min_to_years"].format(min=min_prison_years, n=prison_years))
    elif prison_years:
        parts.append(words["year" if prison_years == 1 else "years"].format(n=prison_years))
    if fine is not None:
        parts.append(words["fine"].format(amount=money(fine, currency, lang, currency_name)))
    if fine_percent_turnover is not None:
        parts.append(words["turnover"].format(share=f"{fine_percent_turnover:g}"))
    if lang == "fr" and len(parts) > 1:  # « 7 ans d'emprisonnement et 100 000 EUR d'amende »
        return f"{', '.join(parts[:-1])} et {parts[-1]}"
    return ", ".join(parts)
