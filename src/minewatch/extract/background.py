"""When an event is background rather than the document's news (DESIGN ``context``).

By time: an event that began over a year before the publication period and ended over a
quarter before it is background; an open interval ("since X") only when X is 3+ years
back. A report has a **coverage period** of its own (a 2025 annual review covering
2023-2024): what happened in it is the report's news however old it is at publication,
and only what ended before it is background. The coverage period is read from the text:
a coverage cue before a year ("covering 2023-2024", "the reporting period 2022"), or a
summary heading ("Key developments") whose paragraph opens with a year ("In 2023 and
2024, ..."). Cues and headings are in ``times.yaml`` (``coverage``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import date, timedelta
from typing import TYPE_CHECKING

from minewatch.extract.dates import RefDate, TimeExpr
from minewatch.extract.mentions import Mention
from minewatch.extract.rules import Rules
from minewatch.extract.summary import summarise
from minewatch.extract.text import Sentence
from minewatch.model import Event, Evidence

if TYPE_CHECKING:
    from minewatch.extract.events import Draft

# A year or a range of years right after a coverage cue or summary heading.
_YEARS = re.compile(
    r"[\s:,(]*(?:(?:in|for|during|from|the|period|year|years|calendar)\s+)*"
    r"(?P<y1>(?:19|20)\d\d)(?:\s*(?:-|–|—|to|and|through|until)\s*(?P<y2>(?:19|20)\d\d|\d\d))?"
    r"(?![\d,.]?\d)",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Coverage:
    """The period a report covers, and the span of text that says it."""

    start: date
    end: date
    text_start: int
    text_end: int


class CoverageFinder:
    def __init__(self, rules: Rules) -> None:
        cov = rules.coverage
        self.cue = re.compile(cov["cue"], re.IGNORECASE)
        self.window = int(cov["window"])
        self.max_years = int(cov["max_years_before"])
        heads = "|".join(re.escape(h) for h in cov["headings"])
        self.heading = re.compile(rf"(?im)^[ \t]*(?:{heads})[ \t:]*\n\s*\n?", re.IGNORECASE)

    def find(self, text: str, ref: RefDate | None) -> Coverage | None:
        """The coverage period of ``text``, if it states one that fits its publication."""
        if ref is None:
            return None
        starts = [m.end() for m in self.cue.finditer(text)]
        starts += [m.end() for m in self.heading.finditer(text)]
        for lo in sorted(starts):
            m = _YEARS.match(text, lo, min(len(text), lo + self.window))
            if m is None:
                continue
            y1 = int(m.group("y1"))
            y2 = int(m.group("y2")) if m.group("y2") else y1
            if y2 < 100:
                y2 += y1 // 100 * 100  # "2023-24"
            if not y1 <= y2 <= ref.end.year or y1 < ref.start.year - self.max_years:
                continue
            return Coverage(date(y1, 1, 1), date(y2, 12, 31), m.start("y1"), m.end())
        return None


def background_by_time(
    te: TimeExpr | None, ref: RefDate | None, coverage: Coverage | None = None
) -> bool | None:
    """Whether an event at ``te`` is background (None: time says nothing)."""
    if te is None or ref is None or te.when.start is None:
        return None
    start = date.fromisoformat(te.when.start)
    if te.when.precision == "open" or te.when.end is None:
        return start < ref.start - timedelta(days=4 * 365)
    end = date.fromisoformat(te.when.end)
    if coverage is not None:
        return end < coverage.start  # in (or after) the report's own period: its news
    return start < ref.start - timedelta(days=365) and end < ref.start - timedelta(days=90)


ADMISSION_WINDOW = 40  # characters before a deed's trigger where its admission verb stands


def admissions(text: str, mentions: list[Mention], rules: Rules) -> list[Mention]:
    """Split a deed told as the object of an admission into the admission (a ``policy``
    mention that keeps the time) and the deed (background, with no time of its own).
    Returns the mentions with the admissions added, in text order."""
    added: list[Mention] = []
    for m in mentions:
        if m.type != "emplacement" or m.support_only:
            continue
        t0 = m.triggers[0][0]
        lo = max(m.sent.start, t0 - ADMISSION_WINDOW)
        verb = None
        for vm in rules.admission.finditer(text, lo, t0):
            if rules.admission_bridge.fullmatch(text, vm.end(), t0):
                verb = vm
        if verb is None:
            continue
        added.append(
            replace(
                m,
                type="policy",
                triggers=[verb.span()],
                counts={},
                quantities=[],
                places=list(m.places),
            )
        )
        # the deed predates its admission: background, undated
        m.time, m.time_weak, m.time_inherited = None, False, False
        m.context_cue = verb.span()
    if not added:
        return mentions
    return sorted([*mentions, *added], key=lambda x: x.triggers[0][0])


class RecallFinder:
    """Marks recalled earlier incidents of a news report as background (cues.yaml
    ``recall``). The report's news is its first casualty or detonation that is not
    already background; a later one is recalled when it is told in a later paragraph,
    has an explicit time of its own that ended before the news began (or any explicit
    time when the news has none), and either its sentence holds a recall cue or it
    ended ``min_days`` or more before the news."""

    KINDS = ("casualty", "detonation")

    def __init__(self, rules: Rules) -> None:
        cfg = rules.raw["cues"]["recall"]
        self.cue = re.compile(cfg["cue"], re.IGNORECASE)
        self.ordinal = re.compile(cfg["ordinal"], re.IGNORECASE)
        self.min_days = int(cfg["min_days"])

    def mark(
        self, text: str, sents: list[Sentence], drafts: list[Draft], events: list[Event]
    ) -> None:
        """Set ``context`` (with its evidence) on the recalled events, in place."""
        pairs = [
            (d, e)
            for d, e in zip(drafts, events, strict=True)
            if e.type in self.KINDS and not e.aggregate
        ]
        news = next(((d, e) for d, e in pairs if not e.context), None)
        if news is None:
            return
        nd, ne = news
        n_start = _news_day(nd, ne)
        for d, e in pairs:
            if d is nd or e.context or d.first.sent.para <= nd.first.sent.para:
                continue
            te = d.time
            if te is None or d.time_weak or d.time_inherited or te.when.end is None:
                continue
            end = date.fromisoformat(te.when.end)
            if n_start is not None and end >= n_start:
                continue
            sent = d.first.sent
            cue = self.cue.search(text, sent.start, sent.end)
            if cue is None and sent.index > 0 and sents[sent.index - 1].para == sent.para:
                prev = sents[sent.index - 1]
                cue = self.ordinal.search(text, prev.start, prev.end)
            if cue is None and (n_start is None or (n_start - end).days < self.min_days):
                continue
            span = cue.span() if cue is not None else (te.start, te.end)
            e.context = True
            e.evidence = sorted(
                [*e.evidence, Evidence("context", *span)], key=lambda v: (v.start, v.end, v.field)
            )
            e.summary = summarise(e)


def _news_day(d: Draft, e: Event) -> date | None:
    """The day the news began: its own explicit time's start, else (undated news, a time
    taken from the dateline) the end of the event's interval, the publication day."""
    te = d.time
    if te is not None and not d.time_weak and not d.time_inherited and te.when.start:
        return date.fromisoformat(te.when.start)
    day = e.when.end or e.when.start
    return date.fromisoformat(day) if day else None
