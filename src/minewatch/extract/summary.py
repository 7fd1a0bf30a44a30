"""One-line event summaries in our own words, built only from extracted fields."""

from __future__ import annotations

import calendar
from datetime import date

from minewatch.model import Count, Event, When

_TYPE_PHRASE = {
    "emplacement": "mines laid",
    "clearance": "mines cleared",
    "displacement": "mines moved by water or land",
    "discovery": "mine found",
    "policy": "policy statement on mines",
    "detonation": "mine went off (no toll reported)",
}
_VICTIM_PLURAL = {
    "civilian": "civilians",
    "military": "military personnel",
    "deminer": "deminers",
    "unknown": "people of unknown status",
}
_PART = {(1, 10): "early", (11, 20): "mid", (21, 31): "late"}
# read once: calendar.month_name formats a date on every look-up
_MONTH_NAME = tuple(calendar.month_name)


def count_text(c: Count) -> str:
    """``Count(10, 12, 14)`` -> "about 12"; ``Count(2, None, None)`` -> "several"."""
    if c.best is None:
        return "an unknown number of"
    if c.low == c.best == c.high:
        return str(c.best)
    if c.high is None:
        return f"at least {c.low}"
    if c.low == c.best:
        return f"{c.low} to {c.high}"
    return f"about {c.best}"


def when_text(w: When) -> str:
    """A human phrase for an interval: "mid-October 2023", "since August 2023"."""
    if w.start is None:
        return ""
    s = date.fromisoformat(w.start)
    e = date.fromisoformat(w.end) if w.end else None
    month = _MONTH_NAME[s.month]
    if w.precision == "day":
        return f"{s.day} {month} {s.year}"
    if w.precision == "month_part" and e is not None:
        last = calendar.monthrange(s.year, s.month)[1]
        part = _PART.get((s.day, min(e.day, 31) if e.day != last else 31), "")
        return f"{part}-{month} {s.year}" if part else f"{month} {s.year}"
    if w.precision == "month" and e is not None and s.day == 1 and (e - s).days < 31:
        return f"{month} {s.year}"
    if w.precision == "year_part" and e is not None and s.year == e.year:
        part = {1: "early", 5: "mid", 9: "late"}.get(s.month, "")
        return f"{part} {s.year}".strip()
    if w.precision == "year" and e is not None:
        return str(s.year) if s.year == e.year else f"{s.year}-{e.year}"
    if w.precision == "open":
        return f"since {month} {s.year}" if s.day == 1 else f"since {s.isoformat()}"
    return f"between {s.isoformat()} and {e.isoformat()}" if e else f"from {s.isoformat()}"


def summarise(ev: Event) -> str:
    parts: list[str] = []
    if ev.type == "casualty":
        bits: list[str] = []
        if ev.killed is not None:
            bits.append(f"{count_text(ev.killed)} killed")
        if ev.injured is not None:
            bits.append(f"{count_text(ev.injured)} injured")
        if not bits and ev.casualties is not None:
            bits.append(f"{count_text(ev.casualties)} casualties (killed or injured)")
        head = " and ".join(bits) if bits else "casualties (number not given)"
        if ev.victims:
            who = _VICTIM_PLURAL.get(ev.victims, ev.victims)
            if ev.victim_role:
                who += f" ({ev.victim_role}s)" if not ev.victim_role.endswith("s") else ""
            head += f" among {who}"
        head += " by a mine explosion"
        parts.append(head)
    else:
        parts.append(_TYPE_PHRASE.get(ev.type, ev.type))
    if ev.where:
        p = ev.where[0]
        parts.append(f"{p.relation} {p.name or p.text}")
    wt = when_text(ev.when)
    if wt:
        parts.append(wt)
    line = ", ".join([parts[0], " ".join(parts[1:])]) if len(parts) > 1 else parts[0]
    flags = []
    if ev.status != "reported":
        flags.append(ev.status)
    if ev.context:
        flags.append("background")
    if flags:
        line += f" ({', '.join(flags)})"
    return line[0].upper() + line[1:]
