"""CSV export: ACLED-compatible columns, then minewatch's own (see rows.py).

Formula injection (OWASP "CSV Injection"): a spreadsheet runs a cell that
starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return as a
formula (``=HYPERLINK(...)`` from a document's publisher or a place name).
Every text cell starting so is written with a leading apostrophe, which
spreadsheets show as text and do not evaluate; numbers (a negative longitude)
are written as numbers.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from typing import Any

from minewatch.export.rows import COLUMNS

#: First characters that make a spreadsheet evaluate a cell (OWASP).
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def neutralise(text: str) -> str:
    """A text cell that a spreadsheet will not evaluate as a formula."""
    return "'" + text if text.startswith(FORMULA_START) else text


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return str(value)
    return neutralise(str(value))


def to_csv(rows: Iterable[dict[str, Any]]) -> str:
    """CSV text (RFC 4180, header row, ``\\r\\n`` line ends as csv writes them)."""
    buf = io.StringIO()
    w = csv.writer(buf)
    w.writerow(COLUMNS)
    for r in rows:
        w.writerow([_cell(r.get(c)) for c in COLUMNS])
    return buf.getvalue()
