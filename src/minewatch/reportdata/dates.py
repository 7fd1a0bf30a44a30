"""Words for an event's time interval, at the precision it was reported."""

from __future__ import annotations

from datetime import date
from typing import Any

from minewatch.model import When

# not calendar.month_name: that follows the locale
MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)


def as_when(value: Any) -> When:
    """Read a When from an incident field value (a When, a dict or None)."""
    if isinstance(value, When):
        return value
    if isinstance(value, dict):
        return When.from_json(value)
    return When(None, None, "unknown", "")


def _d(s: str | None) -> date | None:
    if not s:
        return None
    try:
        parts = [int(p) for p in s.split("-")]
    except ValueError:
        return None
    while len(parts) < 3:
        parts.append(1)
    try:
        return date(parts[0], parts[1], parts[2])
    except ValueError:
        return None


def start_date(w: When) -> date | None:
    return _d(w.start)


def end_date(w: When) -> date | None:
    """End of the interval; an open or missing end is the start."""
    return _d(w.end) or _d(w.start)


def year_of(w: When) -> int | None:
    s = start_date(w)
    return s.year if s else None


def month_key(w: When) -> str | None:
    """``YYYY-MM`` when the interval is known to a month or better, else None."""
    s = start_date(w)
    if s is None or w.precision not in ("day", "span", "week", "month_part", "month"):
        return None
    e = end_date(w)
    if e is not None and (e.year, e.month) != (s.year, s.month):
        return None
    return f"{s.year:04d}-{s.month:02d}"


#: Longest interval the events chart spreads over its months (a year).
SPREAD_MONTHS = 12


def month_weights(w: When) -> dict[str, float]:
    """Months of a dated interval with the share of the event each gets.

    One month: all of it. An interval over several months ("September-October
    2020", "late 2023") is shared equally among them, so the chart still
    shows the event. Open, undated or longer intervals: no months.
    """
    s, e = start_date(w), end_date(w)
    if s is None or e is None or e < s:
        return {}
    n = (e.year - s.year) * 12 + e.month - s.month + 1
    if n > SPREAD_MONTHS:
        return {}
    out = {}
    y, m = s.year, s.month
    for _ in range(n):
        out[f"{y:04d}-{m:02d}"] = 1.0 / n
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    return out


def describe(w: When) -> str:
    """``7 November 2023``, ``mid-October 2023``, ``since August 2023``, ``late 2023``."""
    s, e = start_date(w), end_date(w)
    if s is None:
        return "date unknown"
    p = w.precision
    month = f"{MONTHS[s.month - 1]} {s.year}"
    if p == "day":
        return f"{s.day} {month}"
    if p in ("span", "week"):
        if e and e != s:
            if (e.year, e.month) == (s.year, s.month):
                return f"{s.day}–{e.day} {month}"
            return f"{s.day} {month} – {e.day} {MONTHS[e.month - 1]} {e.year}"
        return f"{s.day} {month}"
    if p == "month_part":
        part = "early" if s.day <= 10 else "mid" if s.day <= 20 else "late"
        return f"{part}-{month}"
    # an interval may run across months, year parts or years: name both ends
    if p == "month":
        if e and (e.year, e.month) != (s.year, s.month):
            if e.year == s.year:
                return f"{MONTHS[s.month - 1]}–{MONTHS[e.month - 1]} {s.year}"
            return f"{month} – {MONTHS[e.month - 1]} {e.year}"
        return month
    if p == "year_part":
        first, last = f"{_part(s.month)} {s.year}", f"{_part(e.month)} {e.year}" if e else ""
        return first if not last or last == first else f"{first} – {last}"
    if p == "year":
        return str(s.year) if not e or e.year == s.year else f"{s.year}–{e.year}"
    if p == "open":
        return f"since {month}"
    # unknown precision with a start: say what we have without inventing a day
    if e and e != s:
        return f"between {s.isoformat()} and {e.isoformat()}"
    return f"around {s.isoformat()}"


def _part(month: int) -> str:
    """DESIGN's year parts: early = Jan-Apr, mid = May-Aug, late = Sep-Dec."""
    return "early" if month <= 4 else "mid" if month <= 8 else "late"


def overlaps(w: When, start: date | None, end: date | None) -> bool:
    """Whether the interval meets ``[start, end]``; undated never does."""
    s, e = start_date(w), end_date(w)
    if s is None or e is None:
        return False
    if start is not None and e < start:
        return False
    return not (end is not None and s > end)
