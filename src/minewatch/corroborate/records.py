"""Compact, comparison-ready views of events.

Clustering compares many pairs, so each event is reduced once to a small
record of plain values: its time interval as day ordinals, its places as
tuples, its counts as ``(low, best, high)`` tuples. Nothing here decides
whether two events match; see :mod:`minewatch.corroborate.compat`.
"""

from __future__ import annotations

import calendar
import itertools
import sys
from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from typing import Any

from minewatch.model import Count, DocumentMeta, Event, Place, event_key

#: Ordinal used for "no lower / upper bound" (unknown start, open end).
NEG_INF = -(10**9)
POS_INF = 10**9
#: An undated background mention is compared with events of this many days before
#: its publication.
UNDATED_LOOKBACK_DAYS = 3 * 365
#: A report with no time of its own (DESIGN's ``reported``: publication - 30 days ..
#: publication) is matched against this many days before its publication: rewrites
#: lag (seed 001 restates, six weeks later, a mid-October blast that 002 dated).
REPORTED_MATCH_DAYS = 90
#: An event may be dated this many days after its publication period (time zones,
#: a dispatch dated the next morning); later is a misread date.
SLACK_AFTER_DAYS = 1
#: Intervals longer than this (in days) make an event "vague" in time.
VAGUE_SPAN_DAYS = 62
#: Place precisions (UCDP where_prec) this coarse make an event "vague" in space.
VAGUE_PLACE_PRECISION = 5

#: Event types matched as one: a ``detonation`` (a mine went off, no toll
#: reported) may be a rewrite of a ``casualty`` report of the same blast.
TYPE_FAMILY = {"detonation": "casualty"}

COUNT_FIELDS: tuple[str, ...] = ("killed", "injured", "casualties")
#: The one empty set every record without devices or shingles points to
#: (``frozenset()`` makes a new 216-byte object each time).
NO_ITEMS: frozenset[Any] = frozenset()


@dataclass(frozen=True, slots=True)
class PlaceLite:
    """The parts of a :class:`Place` that matching needs."""

    place_id: str | None
    name: str | None
    country: str | None
    admin1: str | None
    lat: float | None
    lon: float | None
    precision: int
    border_segment: str | None
    #: A process-unique number (not part of equality): cheap memo keys.
    uid: int = field(default=-1, compare=False)

    @property
    def on_border(self) -> bool:
        """A border line or zone (the China border, the DMZ): in two countries at once."""
        return self.precision == 5 and self.border_segment is not None


#: A count as (low, best, high); high None = unbounded, best None = unknown.
CountT = tuple[int, int | None, int | None]


class Rec:
    """One event, reduced for matching. ``idx`` is its position in the input."""

    __slots__ = (
        "admin1",
        "background",
        "context",
        "country",
        "counts",
        "devices",
        "doc",
        "end",
        "idx",
        "key",
        "known",
        "places",
        "precision",
        "pub",
        "quantities",
        "role",
        "shingles",
        "spec",
        "start",
        "type",
        "vague",
        "victims",
    )

    def __init__(
        self,
        *,
        idx: int,
        key: str,
        doc: str,
        type: str,
        start: int,
        end: int,
        precision: str,
        places: tuple[PlaceLite, ...],
        counts: tuple[CountT | None, CountT | None, CountT | None],
        victims: str | None,
        role: str | None,
        devices: frozenset[str],
        quantities: tuple[tuple[str, float, float], ...],
        context: bool,
        shingles: frozenset[int] = NO_ITEMS,
        aggregate: bool = False,
        pub: int = NEG_INF,
    ) -> None:
        self.idx = idx
        self.key = key
        self.doc = doc
        self.type = type
        self.start = start
        self.end = end
        self.precision = precision
        self.places = places
        self.counts = counts
        self.victims = victims
        self.role = role
        self.devices = devices
        self.quantities = quantities
        self.context = context
        self.shingles = shingles
        #: first day ordinal of the document's publication (NEG_INF: unknown)
        self.pub = pub
        # Background (context) mentions and period totals never found an incident:
        # 0 = news, 1 = background that may attach to the incident it recalls,
        # 2 = a period total / statistic (never attached).
        self.background = 2 if aggregate else (1 if context else 0)
        self._derive()

    def _derive(self) -> None:
        """Blocking keys, vagueness, known-ness and specificity, from places and time."""
        places, start, end = self.places, self.start, self.end
        countries = {p.country for p in places if p.country and not p.on_border}
        admins = {p.admin1 for p in places if p.admin1}
        # A single country / admin1 is used for blocking; several (an event
        # spanning two provinces) fall back to the coarser level.
        self.country = next(iter(countries)) if len(countries) == 1 else None
        self.admin1 = next(iter(admins)) if len(admins) == 1 and self.country else None
        best_prec = min((p.precision for p in places), default=7)
        span = end - start
        self.vague = span > VAGUE_SPAN_DAYS or best_prec >= VAGUE_PLACE_PRECISION
        # Place and time both known: only then may the event join an incident
        # (one of them unknown makes it a candidate at most).
        place_known = any(p.country or p.on_border for p in places)
        time_known = start > NEG_INF and end < POS_INF and self.precision not in ("unknown", "")
        self.known = place_known and time_known
        self.spec = (
            _time_spec(span) + PLACE_SPECIFICITY.get(best_prec, 0.0) + _count_spec(self.counts)
        )

    def place_in_country(self, country: str) -> None:
        """Locate a record of no place in its document's country (see
        :func:`document_countries`): a country-level place, for matching only."""
        self.places = (place_lite(Place(text="", country=country, precision=6)),)
        self._derive()

    @property
    def best_place_precision(self) -> int:
        return min((p.precision for p in self.places), default=7)


#: How specific a place is, by UCDP precision: it orders events (most specific
#: first) and weighs a place match (a match is only as telling as the coarser place).
PLACE_SPECIFICITY = {1: 1.0, 2: 0.9, 3: 0.7, 4: 0.4, 5: 0.25, 6: 0.1, 7: 0.05}


def _time_spec(span: int) -> float:
    if span <= 1:
        return 1.0
    if span <= 7:
        return 0.8
    if span <= 20:
        return 0.6
    if span <= 31:
        return 0.5
    if span <= 120:
        return 0.3
    if span <= 366:
        return 0.15
    return 0.0


def _count_spec(counts: tuple[CountT | None, ...]) -> float:
    return 0.1 if any(c is not None and c[0] == c[2] for c in counts) else 0.0


# --- dates ---------------------------------------------------------------------


@lru_cache(maxsize=65536)
def day_bounds(value: str | None) -> tuple[int, int] | None:
    """First and last day ordinal of a (possibly partial) ISO date.

    ``"2023-10-11"`` is one day, ``"2023-10"`` a month, ``"2023"`` a year.
    Returns None when the value is missing or unreadable.
    """
    if not value:
        return None
    parts = value.strip().split("-")
    try:
        nums = [int(p) for p in parts[:3]]
        if len(nums) == 3:
            d = date(nums[0], nums[1], nums[2]).toordinal()
            return d, d
        if len(nums) == 2:
            last = calendar.monthrange(nums[0], nums[1])[1]
            return (
                date(nums[0], nums[1], 1).toordinal(),
                date(nums[0], nums[1], last).toordinal(),
            )
        if len(nums) == 1:
            return date(nums[0], 1, 1).toordinal(), date(nums[0], 12, 31).toordinal()
    except ValueError:
        return None
    return None


def after_publication(event: Event, published: str | None) -> bool:
    """Is the event dated after its document's publication (a misread date)?

    A report tells what happened before it was published; only a ``possible``
    event (a warning) may look ahead. A date more than ``SLACK_AFTER_DAYS``
    past the publication period is no time the report can give ("1 March" read
    as 2024 in a 2020 article): the event is read as having no time of its own.
    """
    if event.status == "possible" or not published or not event.when.start:
        return False
    s, pub = day_bounds(event.when.start), day_bounds(published)
    return bool(s and pub and s[0] > pub[1] + SLACK_AFTER_DAYS)


def time_precision(event: Event, published: str | None) -> str:
    """The event's time precision, reading DESIGN's ``reported`` where extraction says
    ``unknown`` of a news event (not background) in a dated document: with no time of
    its own, it happened shortly before publication. An event dated after its
    publication (:func:`after_publication`) is ``reported`` too."""
    prec = event.when.precision or "unknown"
    if (
        prec == "unknown"
        and not event.context
        and published
        and not event.when.start
        and not event.when.end
    ) or after_publication(event, published):
        return "reported"
    return prec


def interval(event: Event, published: str | None) -> tuple[int, int]:
    """The event's time interval as inclusive day ordinals.

    A missing start is unbounded — except for a report with no time of its own
    (precision ``reported``, see :func:`time_precision`): the
    ``REPORTED_MATCH_DAYS`` before its publication; and a background mention of
    no time (``unknown``): the ``UNDATED_LOOKBACK_DAYS`` before publication.
    A missing end is bounded
    by the end of the publication date (a reported event happened before it
    was published), except for ``possible`` events (warnings may look ahead).
    """
    pub = day_bounds(published)
    if after_publication(event, published):
        assert pub is not None
        return pub[0] - REPORTED_MATCH_DAYS, pub[1]
    s = day_bounds(event.when.start)
    e = day_bounds(event.when.end)
    prec = time_precision(event, published)
    if pub and prec == "reported":
        start = min(s[0] if s else POS_INF, pub[0] - REPORTED_MATCH_DAYS)
    elif s:
        start = s[0]
    elif pub and prec in ("unknown", ""):
        # An undated mention is matched against the years before its publication only.
        start = pub[0] - UNDATED_LOOKBACK_DAYS
    else:
        start = NEG_INF
    if e:
        end = e[1]
    elif s and prec not in ("open", "unknown"):
        end = s[1]
    else:
        end = pub[1] if pub and event.status != "possible" else POS_INF
    if end < start:  # inconsistent input: keep it, but as a point at the start
        end = start
    return start, end


def ordinal_to_iso(n: int) -> str | None:
    if n <= NEG_INF or n >= POS_INF:
        return None
    return date.fromordinal(n).isoformat()


# --- building records ------------------------------------------------------------------


_place_uids = itertools.count()
#: PlaceLite fields (but uid) -> the shared PlaceLite: the key tuple equals and
#: hashes as the PlaceLite would, without building one per lookup.
_places: dict[tuple[object, ...], PlaceLite] = {}


def place_lite(p: Place) -> PlaceLite:
    """The shared :class:`PlaceLite` of a place (one object, one uid per distinct place)."""
    key = (
        p.place_id,
        p.name,
        p.country,
        p.admin1,
        p.lat,
        p.lon,
        int(p.precision) if p.precision is not None else 7,
        p.border_segment,
    )
    got = _places.get(key)
    if got is None:
        if len(_places) > 200_000:
            _places.clear()  # uids stay unique: a cleared place just gets a new one
        got = _places[key] = PlaceLite(*key, uid=next(_place_uids))
    return got


def forget_shared() -> None:
    """Drop the shared places (records already made keep theirs).

    Called after each corroboration run, so that a million events' worth of
    shared places does not stay in memory until the next run.
    """
    _places.clear()


def count_tuple(c: Count | None) -> CountT | None:
    if c is None:
        return None
    # (not interned: at 100k events sharing equal tuples saved 1 MB of a 588 MB peak)
    return (c.low, c.best, c.high)


def primary_places(places: list[Place]) -> list[PlaceLite]:
    """The places that locate the event.

    Extraction lists every place of the event's sentences ("near Musan, North
    Hamgyong, fleeing into China", or "a Seoul-based outlet"); comparing all
    of them would make any two events look co-located. So: reference points
    ("50 km from Seoul") are left out; an event happens in one country, so
    places of a country other than the one most of its places are in (border
    lines count for no country) are left out; of the rest, the most specific.
    """
    lites: list[PlaceLite] = []
    for p in places:
        if p.relation != "from":
            lite = place_lite(p)
            if lite not in lites:
                lites.append(lite)
    if not lites:
        lites = list(dict.fromkeys(place_lite(p) for p in places))
    if len({p.country for p in lites if p.country and not p.on_border}) > 1:
        votes = Counter(p.country for p in lites if p.country and not p.on_border)
        ranked = votes.most_common()
        if ranked[0][1] > ranked[1][1]:
            country = ranked[0][0]
            lites = [p for p in lites if p.on_border or p.country in (None, country)]
    if not lites:
        return []
    best = min(p.precision for p in lites)
    return [p for p in lites if p.precision == best]


_NO_OWN_TIME = frozenset({"reported", "unknown", ""})


def locate_in_documents(recs: list[Rec]) -> None:
    """Give each record of no place its document's country, when the document has one.

    A report names its place once ("six Colombian soldiers were killed in
    Valdivia") and tells the rest without it ("two more were wounded"). When
    every located event of a document (background included) lies in one
    country, an event of that document with no place of its own is placed in
    that country at country precision: for matching only (the incident's
    reported places stay what the text says). Only an event with a time of its
    own is placed so: with neither its own place nor its own time (``reported``)
    nothing of the event itself would tie it to an incident. A document whose
    events lie in several countries, or in none, locates nothing.
    """
    countries: dict[str, set[str]] = {}
    for r in recs:
        if r.places:
            # (a border line counts as the country the gazetteer gives it)
            countries.setdefault(r.doc, set()).update(p.country for p in r.places if p.country)
    for r in recs:
        if not r.places and r.precision not in _NO_OWN_TIME:
            here = countries.get(r.doc)
            if here and len(here) == 1:
                r.place_in_country(next(iter(here)))


def _devices(event: Event) -> frozenset[str]:
    if not event.devices and not event.device_models:
        return NO_ITEMS
    return frozenset(event.devices) | frozenset(event.device_models)


def make_record(
    idx: int, meta: DocumentMeta, event: Event, shingles: frozenset[int] = NO_ITEMS
) -> Rec:
    """Reduce one (document, event) pair to a :class:`Rec`."""
    start, end = interval(event, meta.published)
    quantities = tuple(
        (
            q.kind,
            q.low if q.low is not None else q.value,
            q.high if q.high is not None else q.value,
        )
        for q in event.quantities
    )
    return Rec(
        idx=idx,
        key=event_key(meta.id, event.id),
        doc=meta.id,  # (not interned: a million ids would grow the interpreter's table for good)
        # a blast with no reported toll and a report of its casualties are one incident
        type=sys.intern(TYPE_FAMILY.get(event.type, event.type)),
        start=start,
        end=end,
        precision=time_precision(event, meta.published),
        places=tuple(primary_places(event.where)),
        counts=(
            count_tuple(event.killed),
            count_tuple(event.injured),
            count_tuple(event.casualties),
        ),
        victims=event.victims,
        role=event.victim_role,
        devices=_devices(event),
        quantities=quantities,
        context=event.context or bool(getattr(event, "aggregate", False)),
        shingles=shingles,
        aggregate=bool(getattr(event, "aggregate", False)),
        pub=pub[0] if (pub := day_bounds(meta.published)) else NEG_INF,
    )
