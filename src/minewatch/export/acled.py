"""CSV export: ACLED-compatible columns, then minewatch's own (see rows.py)."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from typing import Any

from minewatch.export.rows import COLUMNS


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def to_csv(rows: Iterable[dict[str, Any]]) -> str:
    """CSV text (RFC 4180, header row, ``\\r\\n`` line ends as csv writes them)."""
    buf = io.StringIO()
    w = csv.writer(buf)
    w.writerow(COLUMNS)
    for r in rows:
        w.writerow([_cell(r.get(c)) for c in COLUMNS])
    return buf.getvalue()
