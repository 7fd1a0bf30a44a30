"""Find time expressions and resolve them into intervals with a precision.

Resolution follows DESIGN.md: against the (possibly partial) publication date;
a month or weekday with no year and no usable reference stays unknown. Month
names must be capitalised (so the modal "may" is never May). A month without a
year takes the last year written earlier in the same paragraph ("In September
2018 ... In November, ..."), else the publication year.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date, timedelta

from minewatch.extract.gate import Gate, lowered, refind
from minewatch.extract.rules import Rules
from minewatch.model import When

PRECISION_RANK = {
    "day": 0,
    "span": 1,
    "week": 2,
    "month_part": 3,
    "month": 4,
    "year_part": 5,
    "year": 6,
    "open": 7,
    "reported": 8,
    "unknown": 9,
}


@dataclass(frozen=True)
class RefDate:
    """The publication date as an interval (``precision`` day | month | year)."""

    start: date
    end: date
    precision: str

    @property
    def year(self) -> int:
        return self.start.year


def parse_published(published: str | None) -> RefDate | None:
    """``"2023-11-07"`` / ``"2020-10"`` / ``"2025"`` (or a longer ISO timestamp) -> RefDate."""
    if not published:
        return None
    m = re.match(r"^\s*(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?", published)
    if not m:
        return None
    try:
        y = int(m.group(1))
        if m.group(3):
            d = date(y, int(m.group(2)), int(m.group(3)))
            return RefDate(d, d, "day")
        if m.group(2):
            mo = int(m.group(2))
            return RefDate(date(y, mo, 1), _month_end(y, mo), "month")
        return RefDate(date(y, 1, 1), date(y, 12, 31), "year")
    except ValueError:
        return None


def reported_when(ref: RefDate | None, days: int) -> When:
    """The time of an event the text does not date: on or before publication, within
    ``days`` (``reported_days`` in times.yaml) before its start; ``unknown`` with no
    publication date."""
    if ref is None:
        return When(None, None, "unknown", "")
    start = ref.start - timedelta(days=days)
    return When(start.isoformat(), ref.end.isoformat(), "reported", "")


def statement_day(te: TimeExpr, weak: bool, event_type: str) -> bool:
    """Whether ``te`` is only the time of a statement about the event ("said on Monday"):
    it dates a policy event (the statement is the event), and a blast only when it is
    coarser than a few days ("In March, the military said ..." - March holds both)."""
    return weak and event_type != "policy" and PRECISION_RANK[te.when.precision] <= 1


def _month_end(y: int, m: int) -> date:
    return date(y, m, calendar.monthrange(y, m)[1])


@dataclass(frozen=True)
class TimeExpr:
    """A time expression found in the text and its resolved interval."""

    start: int
    end: int
    when: When
    explicit_year: bool

    @property
    def known(self) -> bool:
        return self.when.precision != "unknown"


class DateFinder:
    """Compiled date patterns built from the rules' month/weekday/period words."""

    def __init__(self, rules: Rules) -> None:
        self.rules = rules
        months = sorted(rules.months, key=len, reverse=True)
        mon = (
            "(?:"
            + "|".join(
                m.capitalize() + (r"\.?" if len(m) <= 4 and m != "june" else "") for m in months
            )
            + ")"
        )
        wd = "(?:" + "|".join(w.capitalize() for w in rules.weekdays) + ")"
        yr = r"(?:1[89]\d\d|20\d\d)"
        day = r"(?:[12]\d|3[01]|0?[1-9])(?:st|nd|rd|th)?"
        part = r"(?:[Ee]arly|[Mm]id|[Ll]ate|[Bb]eginning|[Ss]tart|[Mm]iddle|[Ee]nd)"
        self.year_re = re.compile(yr)
        pats = [
            # 18 June 2024, 3-5 June 2024, 3 and 11 April 2022
            (
                "dmy",
                rf"\b(?P<d1>{day})(?:\s*(?:-|–|to|and)\s*(?P<d2>{day}))?\s+(?P<m>{mon}),?\s+(?P<y>{yr})\b",
            ),
            # June 18, 2024 / June 18
            (
                "mdy",
                rf"(?P<m>{mon})\s+(?P<d1>{day})(?:\s*(?:-|–|to|and)\s*(?P<d2>{day}))?(?![\d:])(?:,?\s+(?P<y>{yr})\b)?",
            ),
            ("iso", rf"\b(?P<y>{yr})-(?P<mo>0[1-9]|1[0-2])-(?P<dd>0[1-9]|[12]\d|3[01])\b"),
            # mid-October, the end of July 2024, late 2023, early in 2024, the first half of 2024
            (
                "part",
                rf"\b(?P<part>{part}|first half|second half)(?:\s*-\s*|\s+of\s+|\s+in\s+|\s+)(?:(?P<m>{mon})(?:,?\s+(?P<y>{yr})\b)?|(?P<y2>{yr})\b)",  # noqa: E501
            ),
            ("my", rf"(?P<m>{mon}),?\s+(?P<y>{yr})\b"),
            # 4 August (no year)
            (
                "dm",
                rf"\b(?P<d1>{day})(?:\s*(?:-|–|to|and)\s*(?P<d2>{day}))?\s+(?P<m>{mon})(?!\w|\.?,?\s*\d)",
            ),
            # the second week of January (2024)
            (
                "wk",
                rf"\b(?:the\s+)?(?P<nth>first|second|third|fourth|last)\s+week\s+of\s+(?P<m>{mon})"
                rf"(?:,?\s+(?P<y>{yr})\b)?",
            ),
            # late last month, early this month
            ("prm", r"\b(?P<part>[Ee]arly|[Mm]id|[Ll]ate)[- ](?P<which>last|this) month\b"),
            (
                "pry",
                r"\b(?:the\s+)?(?P<part>[Ee]arly|[Mm]id|[Ll]ate|start|beginning|middle|end)"
                r"(?:[- ]|\s+of\s+)(?:in\s+)?(?P<which>last|this|the) year\b",
            ),
            (
                "mon",
                rf"(?P<pre>\b(?:in|In|since|Since|from|From|until|till|by|By|during|During|last|Last|this|This|this past|This past|past|of|on|through|between|and|or|to)\s+)(?P<m>{mon})(?!\w|\.?,?\s*\d)",  # noqa: E501
            ),
            ("decade", r"\b(?P<dec>1[89]\d0|20\d0)s\b"),
            ("yrange", rf"\b(?P<y>{yr})\s*(?:-|–|to)\s*(?P<y2>{yr}|\d\d)\b(?![\d,.]?\d)"),
            (
                "year",
                rf"(?P<pre>\b(?:in|In|since|Since|from|From|during|During|until|till|by|By|of|between|Between|before|Before|after|After|throughout|through|and|or|to|both|either|year)\s+)(?P<y>{yr})\b(?![\d,.]?\d|\s*(?:km|m\b|mines?|people|items?))",
            ),
            ("wd", rf"\b(?P<wd>{wd})\b"),
            (
                "rel",
                r"(?i)\b(?P<rel>(?:late )?last night|overnight|late at night|yesterday|today|the day before|(?:over|in|during) the (?:past|last) (?:week|seven days)|last (?:week|month|year)|this (?:week|month|year)|earlier (?:this|in the) (?:week|month|year)|the previous (?:day|week|month|year)|in recent (?:days|weeks|months|years))\b",  # noqa: E501
            ),
            (
                "ago",
                r"(?i)\b(?P<n>\d+|an?|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fifteen|twenty|thirty)\s+(?P<unit>days?|weeks?|months?|years?)\s+(?P<dir>ago|earlier|later|before|after)\b",
            ),
            (
                "within",
                r"(?i)\b(?:less than|under|within|fewer than|not even)\s+(?P<n>\d+|one|two|three|four|five|six|seven|eight|nine|ten|fifteen|twenty|thirty)\s+(?P<unit>days?|weeks?|months?)\b",  # noqa: E501
            ),
        ]
        self.patterns = [(k, re.compile(p)) for k, p in pats]
        # literal gates (see gate.py): most regions hold no month name, weekday, "ago"...
        # Patterns with the same literals (five need a month name) share one test.
        self._scans: list[tuple[str, re.Pattern[str], Gate, int]] = []
        tests: dict[str, int] = {}
        self._tests: list[tuple[re.Pattern[str] | None, bool]] = []  # (literals, on lower case)
        for kind, pat in [*self.patterns, *(("period", p.pattern) for p in rules.periods)]:
            gate = Gate(pat, min_literal=2) if kind != "period" else Gate(pat)
            key = f"{gate.fold}:{gate.need.pattern if gate.need else ''}"
            if key not in tests:
                tests[key] = len(self._tests)
                self._tests.append((gate.need, gate.fold))
            self._scans.append((kind, pat, gate, tests[key]))
        self.since = re.compile(r"\b(?:[Ss]ince|ever since|[Aa]fter the)\s+$")
        self.join = re.compile(r"^\s*(?:and|or|to|through|until|-|–)\s*(?:in\s+)?(?:either\s+)?$")

    # ------------------------------------------------------------------ finding
    def find(
        self,
        text: str,
        ref: RefDate | None,
        regions: list[tuple[int, int]] | None = None,
        anchors: list[int | None] | None = None,
    ) -> list[TimeExpr]:
        """Time expressions in ``text``, resolved, region by region (default: the whole text
        as one region). Within a region, years written earlier anchor months written later,
        and "a month later" counts from the time said before it; ``anchors`` gives each
        region's starting year anchor (a year said earlier in its paragraph)."""
        out: list[TimeExpr] = []
        spans = regions if regions else [(0, len(text))]
        low = lowered(text)
        for i, (lo, hi) in enumerate(spans):
            anchor = anchors[i] if anchors else None
            out += self._find_region(text, ref, lo, hi, anchor, low)
        return out

    def _find_region(
        self,
        text: str,
        ref: RefDate | None,
        lo: int,
        hi: int,
        anchor: int | None = None,
        low: str | None = None,
    ) -> list[TimeExpr]:
        raw: list[tuple[int, int, int, str, re.Match[str]]] = []
        passed: list[bool | None] = [None] * len(self._tests)
        for kind, pat, gate, test in self._scans:
            ok = passed[test]
            if ok is None:  # the gate test (Gate.may_match, inlined)
                need, fold = self._tests[test]
                subject = low if fold else text
                ok = need is None or subject is None or need.search(subject, lo, hi) is not None
                passed[test] = ok
            if not ok:
                continue
            found = (
                pat.finditer(text, lo, hi)
                if gate.folded is None or low is None
                else refind(pat, gate.folded, text, low, lo, hi)
            )
            for m in found:
                s, core = m.start(), m.start()
                if kind != "period" and "pre" in m.re.groupindex and m.group("pre"):
                    core = m.end("pre")
                raw.append((s, m.end(), core, kind, m))
        # longest matches win; no overlaps
        raw.sort(key=lambda r: (-(r[1] - r[2]), r[0]))
        taken = bytearray(hi - lo + 1)
        chosen: list[tuple[int, int, int, str, re.Match[str]]] = []
        for r in raw:
            if not any(taken[r[0] - lo : r[1] - lo]):
                chosen.append(r)
                taken[r[0] - lo : r[1] - lo] = b"\x01" * (r[1] - r[0])
        chosen.sort(key=lambda r: r[0])
        out: list[TimeExpr] = []
        year_anchor: int | None = anchor
        prev: TimeExpr | None = None
        for s, e, core, kind, m in chosen:
            te = self._resolve(kind, m, s, e, ref, year_anchor, prev)
            if te is None:
                continue
            # "since X": open interval
            sm = self.since.search(text, max(lo, core - 12), core)
            if sm and te.when.start:
                s2 = min(s, sm.start())
                te = TimeExpr(
                    s2, e, When(te.when.start, None, "open", text[s2:e]), te.explicit_year
                )
            # "late 2023 and early 2024", "2023 and 2024": one interval
            if out and te.known and out[-1].known and self.join.match(text[out[-1].end : core]):
                a = out[-1]
                if a.when.start and te.when.start and a.when.start <= te.when.start:
                    prec = max(
                        (a.when.precision, te.when.precision), key=lambda p: PRECISION_RANK[p]
                    )
                    end = None if prec == "open" else te.when.end
                    te = TimeExpr(
                        a.start,
                        e,
                        When(a.when.start, end, prec, text[a.start : e]),
                        a.explicit_year or te.explicit_year,
                    )
                    out.pop()
            out.append(te)
            if te.explicit_year and te.when.end:
                year_anchor = int(te.when.end[:4])
            if te.known:
                prev = te
        return out

    # --------------------------------------------------------------- resolving
    def _resolve(
        self,
        kind: str,
        m: re.Match[str],
        s: int,
        e: int,
        ref: RefDate | None,
        year_anchor: int | None,
        prev: TimeExpr | None,
    ) -> TimeExpr | None:
        txt = m.string[s:e]
        gd = m.groupdict()

        def w(start: date | None, end: date | None, prec: str, explicit: bool) -> TimeExpr:
            if start is None or (end is not None and end < start):
                return TimeExpr(s, e, When(None, None, "unknown", txt), explicit)
            return TimeExpr(
                s,
                e,
                When(start.isoformat(), end.isoformat() if end else None, prec, txt),
                explicit,
            )

        try:
            if kind == "period":
                for p in self.rules.periods:
                    if p.pattern.fullmatch(txt):
                        return w(
                            date.fromisoformat(p.start), date.fromisoformat(p.end), "year", True
                        )
                return None
            if kind in ("dmy", "mdy", "iso"):
                mo = int(gd["mo"]) if kind == "iso" else self._month(gd["m"])
                y = int(gd["y"]) if gd.get("y") else self._year_for(mo, ref, year_anchor)
                d1 = int(gd["dd"]) if kind == "iso" else _day(gd["d1"])
                if y is None:
                    return w(None, None, "unknown", False)
                start = date(y, mo, d1)
                if gd.get("d2"):
                    end = date(y, mo, _day(gd["d2"]))
                    if end < start:
                        return None
                    n = (end - start).days
                    return w(
                        start,
                        end,
                        "span" if n <= 6 else "week" if n <= 7 else "month",
                        bool(gd.get("y")),
                    )
                return w(start, start, "day", bool(gd.get("y")))
            if kind == "part":
                part = gd["part"].lower()
                if gd.get("m"):
                    mo = self._month(gd["m"])
                    y = int(gd["y"]) if gd.get("y") else self._year_for(mo, ref, year_anchor)
                    if y is None or part not in self.rules.month_parts:
                        return w(None, None, "unknown", False)
                    a, b = self.rules.month_parts[part]
                    last = calendar.monthrange(y, mo)[1]
                    return w(
                        date(y, mo, a), date(y, mo, min(b, last)), "month_part", bool(gd.get("y"))
                    )
                y = int(gd["y2"])
                if part not in self.rules.year_parts:
                    return None
                a, b = self.rules.year_parts[part]
                return w(date(y, a, 1), _month_end(y, b), "year_part", True)
            if kind == "my":
                mo = self._month(gd["m"])
                y = int(gd["y"])
                return w(date(y, mo, 1), _month_end(y, mo), "month", True)
            if kind == "mon":
                if gd["m"].rstrip(".") == "May" and gd["pre"].strip().lower() in (
                    "and",
                    "or",
                    "to",
                ):
                    return None
                mo = self._month(gd["m"])
                pre = gd["pre"].strip().lower()
                y = self._year_for(
                    mo, ref, None if pre in ("last", "this past", "past") else year_anchor
                )
                if y is None:
                    return w(None, None, "unknown", False)
                return w(date(y, mo, 1), _month_end(y, mo), "month", False)
            if kind == "decade":
                d0 = int(gd["dec"])
                return w(date(d0, 1, 1), date(d0 + 9, 12, 31), "year", True)
            if kind == "yrange":
                y1 = int(gd["y"])
                y2s = gd["y2"]
                y2 = int(y2s) if len(y2s) == 4 else (y1 // 100) * 100 + int(y2s)
                if not y1 < y2 <= y1 + 50:
                    return None
                return w(date(y1, 1, 1), date(y2, 12, 31), "year", True)
            if kind == "year":
                y = int(gd["y"])
                return w(date(y, 1, 1), date(y, 12, 31), "year", True)
            if kind == "wd":
                return self._weekday(gd["wd"], ref, w)
            if kind == "rel":
                rel = gd["rel"].lower()
                if rel == "the day before":
                    if prev is None or prev.when.start is None or prev.when.precision != "day":
                        return None
                    d = date.fromisoformat(prev.when.start) - timedelta(days=1)
                    return w(d, d, "day", False)
                return self._relative(rel, ref, w)
            if kind == "dm":
                mo = self._month(gd["m"])
                y = self._year_for(mo, ref, year_anchor)
                if y is None:
                    return w(None, None, "day", False)
                d = date(y, mo, _day(gd["d1"]))
                if gd.get("d2"):  # "between 18 and 22 May"
                    end = date(y, mo, _day(gd["d2"]))
                    n = (end - d).days
                    if n <= 0:
                        return None
                    return w(d, end, "span" if n <= 6 else "week" if n <= 7 else "month", False)
                return w(d, d, "day", False)
            if kind == "wk":
                mo = self._month(gd["m"])
                y = int(gd["y"]) if gd.get("y") else self._year_for(mo, ref, year_anchor)
                if y is None:
                    return w(None, None, "week", False)
                last = calendar.monthrange(y, mo)[1]
                nth = {"first": 1, "second": 8, "third": 15, "fourth": 22}.get(gd["nth"], last - 6)
                return w(
                    date(y, mo, nth), date(y, mo, min(nth + 6, last)), "week", bool(gd.get("y"))
                )
            if kind == "pry":
                if ref is None:
                    return w(None, None, "year_part", False)
                y = ref.year - (1 if gd["which"] == "last" else 0)
                a, b = self.rules.year_parts[gd["part"].lower()]
                return w(date(y, a, 1), _month_end(y, b), "year_part", False)
            if kind == "prm":
                if ref is None:
                    return w(None, None, "month_part", False)
                first = ref.start.replace(day=1)
                if gd["which"] == "last":
                    first = (first - timedelta(days=1)).replace(day=1)
                a, b = self.rules.month_parts[gd["part"].lower()]
                last = calendar.monthrange(first.year, first.month)[1]
                return w(first.replace(day=a), first.replace(day=min(b, last)), "month_part", False)
            if kind == "ago":
                return self._ago(gd, ref, prev, w)
            if kind == "within":
                if ref is None:
                    return w(None, None, "unknown", False)
                n = _num(gd["n"]) * _unit_days(gd["unit"])
                if re.match(r"(?i)less|under|fewer|not even", m.group()):
                    n -= 1  # "less than 15 days": at most 14 days back
                if n < 0:
                    return None  # "less than 0 days": no interval at all
                start = ref.start - timedelta(days=n)
                length = (ref.end - start).days
                prec = (
                    "span"
                    if length <= 6
                    else "week"
                    if length <= 13
                    else "month"
                    if length <= 62
                    else "year_part"
                )
                return w(start, ref.end, prec, False)
        except (ValueError, KeyError, OverflowError):
            return None
        return None

    def _month(self, name: str) -> int:
        return self.rules.months[name.rstrip(".").lower()]

    @staticmethod
    def _year_for(mo: int, ref: RefDate | None, anchor: int | None) -> int | None:
        if anchor is not None:
            return anchor
        if ref is None:
            return None
        if ref.precision == "year":
            return ref.year
        return ref.year if mo <= ref.start.month else ref.year - 1

    def _weekday(self, name: str, ref: RefDate | None, w):  # type: ignore[no-untyped-def]
        if ref is None:
            return w(None, None, "unknown", False)
        target = self.rules.weekdays[name.lower()]
        if ref.precision != "day":
            return w(ref.start - timedelta(days=6), ref.end, "month", False)
        back = (ref.start.weekday() - target) % 7
        d = ref.start - timedelta(days=back)
        return w(d, d, "day", False)

    @staticmethod
    def _relative(rel: str, ref: RefDate | None, w):  # type: ignore[no-untyped-def]
        if ref is None:
            return w(None, None, "unknown", False)
        r = ref.start
        if rel == "today":
            return w(ref.start, ref.end, ref.precision, False)
        if rel in ("last night", "late last night"):
            if ref.precision != "day":
                return w(ref.start - timedelta(days=1), ref.end, ref.precision, False)
            d = r - timedelta(days=1)
            return w(d, d, "day", False)
        if rel in ("overnight", "late at night"):  # the night before publication, or its own
            n1 = r - timedelta(days=1)
            return w(n1, ref.end, "span" if ref.precision == "day" else ref.precision, False)
        if rel == "yesterday":
            if ref.precision != "day":
                return w(ref.start - timedelta(days=1), ref.end, ref.precision, False)
            d = r - timedelta(days=1)
            return w(d, d, "day", False)
        if rel in ("last week", "the previous week"):
            monday = r - timedelta(days=r.weekday() + 7)
            return w(monday, monday + timedelta(days=6), "week", False)
        rel = rel.replace("earlier in the ", "earlier this ")
        if rel == "this week":
            monday = r - timedelta(days=r.weekday())
            return w(monday, min(monday + timedelta(days=6), ref.end), "week", False)
        if rel in ("last month", "the previous month"):
            first = (r.replace(day=1) - timedelta(days=1)).replace(day=1)
            return w(first, _month_end(first.year, first.month), "month", False)
        if rel == "earlier this week":
            monday = r - timedelta(days=r.weekday())
            return w(monday, ref.end, "week", False)
        if rel == "earlier this month":  # before publication: it ends there
            return w(r.replace(day=1), ref.end, "month", False)
        if rel == "earlier this year":
            return w(date(r.year, 1, 1), ref.end, "year", False)
        if rel in ("this month", "earlier this month"):
            return w(r.replace(day=1), _month_end(r.year, r.month), "month", False)
        if rel in (
            "over the past week",
            "in the past week",
            "during the past week",
            "over the last week",
            "in the last week",
            "over the past seven days",
            "in the past seven days",
            "over the last seven days",
        ):
            return w(ref.end - timedelta(days=7), ref.end, "week", False)
        if rel in ("last year", "the previous year"):
            return w(date(r.year - 1, 1, 1), date(r.year - 1, 12, 31), "year", False)
        if rel in ("this year", "earlier this year"):
            return w(date(r.year, 1, 1), date(r.year, 12, 31), "year", False)
        if rel == "in recent days":
            return w(r - timedelta(days=7), ref.end, "week", False)
        if rel == "in recent weeks":
            return w(r - timedelta(days=28), ref.end, "month", False)
        if rel == "in recent months":
            m0 = r.month - 3
            y0 = r.year + (m0 - 1) // 12
            m0 = (m0 - 1) % 12 + 1
            return w(date(y0, m0, 1), ref.end, "year_part", False)
        if rel == "in recent years":
            return w(date(r.year - 3, 1, 1), ref.end, "year", False)
        if rel == "the previous day":
            d = r - timedelta(days=1)
            return w(d, d, "day", False)
        return None

    @staticmethod
    def _ago(gd: dict[str, str], ref: RefDate | None, prev: TimeExpr | None, w):  # type: ignore[no-untyped-def]
        n = _num(gd["n"])
        unit = gd["unit"].rstrip("s")
        direction = gd["dir"]
        if direction == "ago":
            base = ref.start if ref else None
            sign = -1
        else:
            # "a month later" / "three days earlier": relative to the time said just before
            if prev is None or prev.when.start is None:
                return w(None, None, "unknown", False)
            base = date.fromisoformat(prev.when.start)
            sign = 1 if direction in ("later", "after") else -1
        if base is None:
            return w(None, None, "unknown", False)
        if unit == "day":
            d = base + timedelta(days=sign * n)
            return w(
                d,
                d,
                "day" if (ref is None or ref.precision == "day" or direction != "ago") else "month",
                False,
            )
        if unit == "week":
            d = base + timedelta(days=sign * 7 * n)
            monday = d - timedelta(days=d.weekday())
            return w(monday, monday + timedelta(days=6), "week", False)
        if unit == "month":
            m0 = base.month + sign * n
            y0 = base.year + (m0 - 1) // 12
            m0 = (m0 - 1) % 12 + 1
            return w(date(y0, m0, 1), _month_end(y0, m0), "month", False)
        y = base.year + sign * n
        return w(date(y, 1, 1), date(y, 12, 31), "year", False)


_NUMWORDS = {
    "a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
    "seven": 7, "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12,
    "fifteen": 15, "twenty": 20, "thirty": 30,
}  # fmt: skip


def _num(s: str) -> int:
    s = s.lower()
    return int(s) if s.isdigit() else _NUMWORDS[s]


def _day(s: str) -> int:
    return int(re.sub(r"\D", "", s))


def _unit_days(u: str) -> int:
    u = u.rstrip("s")
    return {"day": 1, "week": 7, "month": 31}.get(u, 1)
