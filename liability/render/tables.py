"""Tidy tables as CSV: one record per line, a header of named fields, for spreadsheets and
`pandas.read_csv`.

A cell a spreadsheet would read as a formula (`=`, `+`, `-`, `@`, tab or carriage return first: CSV
injection) is written with a leading quote, so that a scenario's title or a pack's text can never
run as one; numbers stay numbers, and an empty cell is a missing value.
"""

from __future__ import annotations

import csv
import io
from typing import Any, Iterable, Sequence

_FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: Any) -> Any:
    """A value as a CSV cell: text that cannot start a formula, numbers as they are, None empty."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return value
    text = str(value)
    return f"'{text}" if text.startswith(_FORMULA_PREFIXES) else text


def records_csv(records: Iterable[dict[str, Any]], fields: Sequence[str] | None = None) -> str:
    """The records as CSV, with `fields` (default: the first record's keys) as the header."""
    records = list(records)
    names = list(fields if fields is not None else (records[0] if records else []))
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow([safe_cell(name) for name in names])
    for record in records:
        writer.writerow([safe_cell(record.get(name)) for name in names])
    return buffer.getvalue()
