"""Time anchored at document level (issue 9, point 4).

- A **dateline** ("SA KAEW, Dec 13 –", "KYIV, Jan. 17 (Xinhua) --") dates the writing,
  not an event: its day becomes the reference for "Monday", "yesterday", "late at night"
  (resolved against the publication date for its year) and its span never dates an event.
- A **lead** that opens with a time ("On 9 May 2021, in X village (...), ...") dates the
  events of its paragraph that say no time of their own (conflict-monitor notes have no
  publication date: the lead is their only date).
- An event whose sentences say no time takes a day said in the next sentences that tell
  more about it ("... killed five farmers. The blast occurred on Wednesday."), unless
  such a sentence belongs to another event or the day is that of a statement.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

from minewatch.extract.dates import DateFinder, RefDate, TimeExpr, statement_day
from minewatch.extract.events import Draft
from minewatch.extract.mentions import Mention
from minewatch.extract.text import Sentence

# A dateline opens a paragraph: a place in capitals (optionally ", Country"), a date,
# an optional agency in brackets, then a dash. Only the first few paragraphs are read.
_DATELINE = re.compile(
    r"(?m)^[ \t]*(?P<place>[A-Z][A-Z'’.\- ]{1,40}?(?:,\s*[A-Z][\w'’.\- ]{1,30}?){0,2}),?\s+"
    r"(?P<date>[A-Z][a-z]{2,8}\.?\s+\d{1,2}(?:,?\s+\d{4})?|\d{1,2}\s+[A-Z][a-z]{2,8}\.?(?:\s+\d{4})?)"
    r"(?:\s*\([^)\n]{1,40}\))?\s*(?:-{1,2}|–|—|[.,]?\s*/[^/\n]{1,20}/\.?)\s"
)
DATELINE_WINDOW = 600  # characters from the start of the text where a dateline may stand
# how far a dateline may lie before the publication date and still be its writing date
DATELINE_MAX_DAYS = 14
# A lead opens with its time: "On 9 May 2021, ...", "9 May 2021 - ...".
_LEAD_OPEN = re.compile(r"\W*(?:(?:On|In|At|By|During)\s+)?$")
_LEAD_CLOSE = re.compile(r"\s*(?:,|-|–|—|:)")
LEAD_SENTENCES = 3  # the lead is among the first body sentences
# Days said in the sentences after an event bind to it only at these precisions.
FOLLOW_PRECISIONS = frozenset({"day", "span", "week", "month_part"})
FOLLOW_SENTENCES = 2
# "said on Friday", "told AFP on Monday": the statement's day
_STATEMENT_DAY = re.compile(
    r"\b(?:said|says|told|tells|announced|reported|stated|added|confirmed|wrote|"
    r"claimed|noted|explained|informed)\b(?:\s+[\w.'’]+){0,2}?\s+(?:on\s+|late\s+|early\s+)?$",
    re.IGNORECASE,
)
# "an army statement put out late Tuesday", "the ministry's announcement on Monday"
_STATEMENT_NOUN = re.compile(
    r"\b(?:statement|announcement|communiqu[eé]|press (?:release|conference)|briefing)\b"
    r"(?:\s+[\w'’]+){0,3}?\s+(?:on\s+|late\s+|early\s+)?$",
    re.IGNORECASE,
)
_SINCE = re.compile(r"\b(?:since|after|before|until)\s+(?:the\s+)?$", re.IGNORECASE)


@dataclass(frozen=True)
class Dateline:
    start: int  # span of the dateline's date
    end: int
    ref: RefDate | None  # its day (None when its year cannot be known)


def find_dateline(text: str, dates: DateFinder, ref: RefDate | None) -> Dateline | None:
    """The dateline of ``text`` (first paragraphs only), its date resolved against ``ref``."""
    m = _DATELINE.search(text, 0, min(len(text), DATELINE_WINDOW))
    if m is None:
        return None
    a, b = m.span("date")
    found = [t for t in dates.find(text, ref, [(a, b)]) if t.start == a and t.end == b]
    if not found:
        return None
    te = found[0]
    day: RefDate | None = None
    if te.when.precision == "day" and te.when.start:
        d = date.fromisoformat(te.when.start)
        if ref is None:
            day = RefDate(d, d, "day") if te.explicit_year else None
        elif ref.start - timedelta(days=DATELINE_MAX_DAYS) <= d <= ref.end:
            day = RefDate(d, d, "day")
    return Dateline(a, b, day)


def lead_time(text: str, sents: list[Sentence], times: list[TimeExpr]) -> TimeExpr | None:
    """The time a lead opens with ("On 9 May 2021, in ..."), if it is a known one."""
    body = [s for s in sents if not s.skip][:LEAD_SENTENCES]
    for s in body:
        for te in times:
            if not (s.start <= te.start < s.end) or not te.known:
                continue
            if te.when.precision not in FOLLOW_PRECISIONS | {"month"}:
                continue
            if _LEAD_OPEN.fullmatch(text, s.start, te.start) and _LEAD_CLOSE.match(text, te.end):
                return te
    return None


def _statement_day(text: str, te: TimeExpr, lo: int) -> bool:
    return (
        _STATEMENT_DAY.search(text, max(lo, te.start - 40), te.start) is not None
        or _STATEMENT_NOUN.search(text, max(lo, te.start - 50), te.start) is not None
        or _SINCE.search(text, max(lo, te.start - 12), te.start) is not None
    )


def following_time(
    text: str,
    sents: list[Sentence],
    times: list[TimeExpr],
    told: list[Sentence],
    foreign: set[int],
) -> TimeExpr | None:
    """A day told in the sentences just after those that tell the event (``told``, in
    text order) and that hold no other event's mention (``foreign``: their indexes)."""
    ordered = sorted(times, key=lambda t: t.start)
    own = {s.index for s in told}
    for first in told:
        for s in sents[first.index + 1 : first.index + 1 + FOLLOW_SENTENCES]:
            if s.index in foreign:
                break  # another event is told: days after it are its own
            if s.skip:
                continue
            for te in ordered:
                if not (s.start <= te.start < s.end) or not te.known:
                    continue
                if te.when.precision not in FOLLOW_PRECISIONS or _statement_day(text, te, s.start):
                    continue
                if s.index in own and te.start < first.end:
                    continue
                return te
    return None


def time_regions(
    sents: list[Sentence], mention_sents: list[Sentence], dateline: Dateline | None
) -> list[tuple[int, int]]:
    """Where to look for times: each mention's sentence with the one before (same
    paragraph) and the ones after it (:data:`FOLLOW_SENTENCES`), the lead, the dateline;
    merged, in text order."""
    spans: list[tuple[int, int]] = []
    for s in mention_sents:
        i = s.index
        lo = sents[i - 1].start if i > 0 and sents[i - 1].para == s.para else s.start
        hi = sents[min(len(sents) - 1, i + FOLLOW_SENTENCES)].end
        spans.append((lo, hi))
    spans += [(s.start, s.end) for s in [s for s in sents if not s.skip][:LEAD_SENTENCES]]
    if dateline is not None:
        spans.append((dateline.start, dateline.end))
    spans.sort()
    out: list[tuple[int, int]] = []
    for lo, hi in spans:
        if out and lo <= out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], hi))
        else:
            out.append((lo, hi))
    return out


def lead_anchor(
    text: str, sents: list[Sentence], times: list[TimeExpr], mentions: list[Mention]
) -> None:
    """Mentions after a dated lead, in its paragraph, with no time of their own take the
    lead's time (as an inherited one: their own, if any, wins when events merge)."""
    lead = lead_time(text, sents, times)
    if lead is None:
        return
    para = next(s for s in sents if s.start <= lead.start < s.end)
    for m in mentions:
        if m.time is None and m.sent.para == para.para and m.sent.index > para.index:
            m.time, m.time_weak, m.time_inherited = lead, False, True


def bind_following_times(
    text: str, sents: list[Sentence], times: list[TimeExpr], drafts: list[Draft]
) -> None:
    """Undated news events take the day told in the next sentences about them."""
    owner: dict[int, set[int]] = {}
    for k, d in enumerate(drafts):
        for m in d.mentions:
            owner.setdefault(m.sent.index, set()).add(k)
    for k, d in enumerate(drafts):
        if d.time is not None and not statement_day(d.time, d.time_weak, d.type):
            continue
        if d.context or d.status in ("claimed", "denied"):
            continue  # an allegation's next sentences date the telling, not the deed
        foreign = {i for i, ks in owner.items() if ks - {k}}
        told = sorted({m.sent.index: m.sent for m in d.mentions}.values(), key=lambda x: x.index)
        te = following_time(text, sents, times, told, foreign)
        if te is not None:
            d.time, d.time_weak, d.time_inherited = te, False, True
