"""A day as a reader of each language writes it: `1er octobre 2022`, `1 October 2022`.

The findings keep ISO dates (`2022-10-01`), which a program reads; every report shows them in words.
"""

from __future__ import annotations

import datetime as dt

MONTHS = {
    "fr": ("janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre",
           "novembre", "décembre"),
    "en": ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
           "November", "December"),
}


def in_words(day: dt.date | str, lang: str) -> str:
    """`day` (a date or an ISO string) in words; a string that is not an ISO date is returned as is."""
    if isinstance(day, str):
        try:
            day = dt.date.fromisoformat(day)
        except ValueError:
            return day
    number = "1er" if lang == "fr" and day.day == 1 else str(day.day)
    return f"{number} {MONTHS[lang][day.month - 1]} {day.year}"
