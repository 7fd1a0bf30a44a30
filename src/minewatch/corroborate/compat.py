"""Can two events be the same real-world occurrence, and how well do they fit?

:meth:`Matcher.score` returns None when two events cannot describe one
incident (different type, disjoint time intervals, places neither the same,
nested nor close, different victim groups, counts too far apart) and
otherwise a score: higher means a more specific fit (same town rather than
same province, the same count, the same quoted words). Scores only rank
candidates; they are not probabilities.
"""

from __future__ import annotations

import math
from typing import Protocol

from minewatch.corroborate.records import (
    NEG_INF,
    PLACE_SPECIFICITY,
    POS_INF,
    CountT,
    PlaceLite,
    Rec,
)
from minewatch.geo.borders import SEGMENT_COUNTRIES, haversine_km
from minewatch.model import Place

#: Day intervals may miss each other by this much ("Monday" vs the next day's dispatch).
SLACK_DAYS = 1
#: Two counts of the same field are compatible when their ranges, each
#: widened by this factor, overlap ("about a dozen" vs "dozens" are; 3 vs 20 are not).
COUNT_FACTOR = 2.0
#: A later report of a blast dated to the same days may give a toll up to this many
#: times an earlier report's: tolls grow as the wounded are counted and the dead
#: identified (one patrol's blast: 1 injured the first day, 5 and 7 in later reports).
GROWTH_FACTOR = 10.0
#: Quantities agree after normalisation when within this relative tolerance.
QUANTITY_TOLERANCE = 0.10
#: Radius (km) of a place of a given precision, for "close" places.
PRECISION_RADIUS_KM = {1: 3.0, 2: 25.0, 3: 40.0}
KNOWN_GROUPS = frozenset({"civilian", "military", "deminer"})
#: A town within this distance of a line/zone feature is "along" it.
LINE_NEAR_KM = 25.0

#: Precisions that give the event no time of its own: their overlap says nothing.
_NO_TIME = frozenset({"unknown", "reported"})

W_TIME, W_PLACE, W_COUNTS, W_VICTIMS, W_DEVICES, W_QUANT, W_TEXT = (
    0.3,
    0.3,
    0.2,
    0.05,
    0.05,
    0.1,
    0.3,
)


class GazetteerLike(Protocol):
    """What corroboration needs from :mod:`minewatch.geo`'s gazetteer."""

    def contains(self, outer: str, inner: str) -> bool: ...


def intervals_meet(a: Rec, b: Rec) -> bool:
    """Do two events' time intervals overlap?

    Two short intervals (a week or less) may miss each other by ``SLACK_DAYS``
    ("Monday" in one report, the next day's dispatch in another); intervals
    read from month parts ("late July", "early August") may not.
    """
    slack = SLACK_DAYS if a.end - a.start <= 6 and b.end - b.start <= 6 else 0
    return a.start <= b.end + slack and b.start <= a.end + slack


def quantities_agree(a: tuple[float, float], b: tuple[float, float]) -> bool:
    """Do two normalised quantity ranges (low, high) agree within tolerance?

    60 m and 65 yards (59.4 m) agree; 800 miles (1287 km) and 880 km do not.
    """
    lo_a, hi_a = a[0] * (1 - QUANTITY_TOLERANCE), a[1] * (1 + QUANTITY_TOLERANCE)
    lo_b, hi_b = b[0] * (1 - QUANTITY_TOLERANCE), b[1] * (1 + QUANTITY_TOLERANCE)
    return lo_a <= hi_b and lo_b <= hi_a


def counts_compatible(a: CountT, b: CountT) -> bool:
    """Could two counts of the same field describe one incident?"""
    a_hi = math.inf if a[2] is None else a[2] * COUNT_FACTOR
    b_hi = math.inf if b[2] is None else b[2] * COUNT_FACTOR
    return a[0] / COUNT_FACTOR <= b_hi and b[0] / COUNT_FACTOR <= a_hi


def counts_consistent(a: CountT, b: CountT) -> bool:
    """Do two counts' ranges overlap without widening (no visible conflict)?"""
    a_hi = math.inf if a[2] is None else a[2]
    b_hi = math.inf if b[2] is None else b[2]
    return a[0] <= b_hi and b[0] <= a_hi


def _count_pair_score(a: CountT, b: CountT) -> float:
    if a[1] is None or b[1] is None:
        return 0.35  # "multiple": consistent with nearly anything, so says little
    if a[1] == b[1]:
        return 1.0
    return 0.6 if counts_consistent(a, b) else 0.2


class Matcher:
    """Pairwise compatibility and fit of events, with a place-pair memo."""

    def __init__(self, gazetteer: GazetteerLike | None = None) -> None:
        self.gazetteer = gazetteer
        self._place_memo: dict[int, float | None] = {}

    # -- places ------------------------------------------------------------------

    def place_fit(self, a: PlaceLite, b: PlaceLite) -> float | None:
        """None if the two places cannot be the same location, else a fit score."""
        if a.uid < 0 or b.uid < 0:  # uid -1: built by hand, not shared
            return self._place_fit(a, b)
        memo = self._place_memo
        # one int per unordered pair (the fit of (a, b) is kept for (b, a) too)
        key = (a.uid << 32) | b.uid if a.uid < b.uid else (b.uid << 32) | a.uid
        try:
            return memo[key]
        except KeyError:
            pass
        got = self._place_fit(a, b)
        if len(memo) >= 500_000:
            memo.clear()
        memo[key] = got
        return got

    def _contains(self, outer: str, inner: str) -> bool:
        if self.gazetteer is None:
            return False
        try:
            return bool(self.gazetteer.contains(outer, inner))
        except (KeyError, ValueError):
            return False

    def _place_fit(self, a: PlaceLite, b: PlaceLite) -> float | None:
        # A match is only as telling as the coarser of the two places: the same
        # town says more than the same province.
        coarse = PLACE_SPECIFICITY.get(max(a.precision, b.precision), 0.05)
        if a.place_id and a.place_id == b.place_id:
            return coarse
        if a.on_border or b.on_border:
            # a border line belongs to the countries it separates, and only to them
            for line, other in ((a, b), (b, a)):
                if line.on_border and other.country and not other.on_border:
                    allowed = self._border_countries(line)
                    if allowed and other.country not in allowed:
                        return None
        elif a.country and b.country and a.country != b.country:
            return None
        if (
            a.place_id
            and b.place_id
            and (self._contains(a.place_id, b.place_id) or self._contains(b.place_id, a.place_id))
        ):
            return 0.9 * coarse
        if (
            a.lat is not None
            and b.lat is not None
            and a.lon is not None
            and b.lon is not None
            and a.precision in PRECISION_RADIUS_KM
            and b.precision in PRECISION_RADIUS_KM
        ):
            limit = PRECISION_RADIUS_KM[a.precision] + PRECISION_RADIUS_KM[b.precision]
            d = haversine_km(a.lat, a.lon, b.lat, b.lon)
            # Two located towns/districts: close enough, or different places.
            return coarse * (0.5 + 0.4 * (1 - d / limit)) if d <= limit else None
        if (
            a.border_segment
            and b.border_segment
            and a.border_segment != b.border_segment
            and (a.precision >= 5 or b.precision >= 5)
        ):
            return None  # the DMZ is not the China border
        line_fit = self._line_fit(a, b)
        if line_fit is not None:
            return line_fit if line_fit > 0 else None
        if a.admin1 and b.admin1:
            if a.admin1 != b.admin1:
                return None
            if (
                a.precision <= 2
                and b.precision <= 2
                and a.name
                and b.name
                and a.name != b.name
                and a.place_id != b.place_id
            ):
                return None  # two different named towns, no coordinates to say they are close
            return 0.8 * PLACE_SPECIFICITY[4]  # nested or side by side in one province
        if a.border_segment and a.border_segment == b.border_segment:
            return PLACE_SPECIFICITY[5]
        if a.country and b.country:
            return PLACE_SPECIFICITY[6]  # one is only known to the country
        return PLACE_SPECIFICITY[7]

    def _border_countries(self, line: PlaceLite) -> frozenset[str] | None:
        get = getattr(self.gazetteer, "get", None)
        if get is not None and line.place_id:
            entry = get(line.place_id)
            countries = getattr(entry, "countries", None)
            if countries:
                return frozenset(countries)
        return SEGMENT_COUNTRIES.get(line.border_segment or "")

    def _line_fit(self, a: PlaceLite, b: PlaceLite) -> float | None:
        """A located town against a line or zone (a river, the DMZ): near it or not.

        Uses the gazetteer's ``distance_km`` when it has one; returns None when
        that cannot be decided, 0.0 when the town is too far from the line.
        """
        dist = getattr(self.gazetteer, "distance_km", None)
        if dist is None:
            return None
        line, town = (a, b) if a.precision >= 5 else (b, a)
        if line.precision != 5 or not line.place_id or town.precision > 3 or town.lat is None:
            return None
        try:
            d = dist(_as_place(line), _as_place(town))
        except (KeyError, ValueError, TypeError):
            return None
        if d is None:
            return None
        return 0.9 * PLACE_SPECIFICITY[5] if d <= LINE_NEAR_KM else 0.0

    def places_fit(self, a: Rec, b: Rec) -> float | None:
        if not a.places or not b.places:
            return PLACE_SPECIFICITY[7]
        if len(a.places) == 1 and len(b.places) == 1:
            return self.place_fit(a.places[0], b.places[0])
        best: float | None = None
        for pa in a.places:
            for pb in b.places:
                f = self.place_fit(pa, pb)
                if f is not None and (best is None or f > best):
                    best = f
        return best

    # -- the whole pair ------------------------------------------------------------

    def score(self, a: Rec, b: Rec) -> float | None:
        """Fit of two events (higher is better), or None if incompatible."""
        if a.type != b.type:
            return None
        # time: intervals overlap (precision is already in the interval's width)
        if not intervals_meet(a, b):
            return None
        # victims: civilian and military casualties are different incidents
        va, vb = a.victims, b.victims
        if va in KNOWN_GROUPS and vb in KNOWN_GROUPS and va != vb:
            return None
        if a.precision == "open" and b.precision == "open":
            # reports of one ongoing series ("hurt in several blasts since spring"):
            # the tally grows from report to report, so counts cannot tell them apart
            counts: float | None = 0.3
        elif a.precision == "open" or b.precision == "open":
            # a dated blast within a series: its toll is a part of the series' tally
            series, blast = (a, b) if a.precision == "open" else (b, a)
            counts = 0.3 if _part_of(blast.counts, series.counts) else None
        else:
            counts = _counts_fit(a.counts, b.counts)
            if counts is None and _same_days(a, b) and _grown(a, b):
                counts = 0.1  # a toll that grew between reports: compatible, a weak fit
        if counts is None:
            return None
        place = self.places_fit(a, b)
        if place is None:
            return None
        time = 0.0  # an unknown or open-ended time matches nothing in particular
        if (
            a.start > NEG_INF
            and b.start > NEG_INF
            and a.end < POS_INF
            and b.end < POS_INF
            and a.precision not in _NO_TIME
            and b.precision not in _NO_TIME
        ):
            inter = max(1, min(a.end, b.end) - max(a.start, b.start) + 1)
            union = max(a.end, b.end) - min(a.start, b.start) + 1
            time = inter / union
        victims = 1.0 if (va in KNOWN_GROUPS and va == vb) else 0.5
        if a.role and a.role == b.role:
            victims = min(1.0, victims + 0.5)
        devices = _devices_fit(a.devices, b.devices)
        quant = _quantities_fit(a.quantities, b.quantities)
        text = 0.0
        if a.shingles and b.shingles:
            text = min(1.0, len(a.shingles & b.shingles) / 3)
        return (
            W_TIME * time
            + W_PLACE * place
            + W_COUNTS * counts
            + W_VICTIMS * victims
            + W_DEVICES * devices
            + W_QUANT * quant
            + W_TEXT * text
        )


def _counts_fit(
    a: tuple[CountT | None, CountT | None, CountT | None],
    b: tuple[CountT | None, CountT | None, CountT | None],
) -> float | None:
    """Mean fit of comparable counts; None when some pair is far apart."""
    scores: list[float] = []
    for ca, cb in zip(a, b, strict=True):
        if ca is not None and cb is not None:
            if not counts_compatible(ca, cb):
                return None
            scores.append(_count_pair_score(ca, cb))
    if scores:
        return sum(scores) / len(scores)
    # A total on one side, a part (killed or injured) on the other: the total
    # must be at least the part.
    for total, parts in ((a[2], b), (b[2], a)):
        if total is None:
            continue
        for part in (parts[0], parts[1]):
            if part is not None and total[2] is not None and total[2] * COUNT_FACTOR < part[0]:
                return None
        k, i = parts[0], parts[1]
        if k is not None and i is not None and k[1] is not None and i[1] is not None:
            return 0.9 if total[1] == k[1] + i[1] else 0.3
        if parts[0] is not None or parts[1] is not None:
            return 0.3
    return 0.3


def _same_days(a: Rec, b: Rec) -> bool:
    """Both events dated by their own reports to a few days (their intervals met)."""
    return (
        a.end - a.start <= 6
        and b.end - b.start <= 6
        and a.precision not in _NO_TIME
        and b.precision not in _NO_TIME
        and a.precision != "open"
        and b.precision != "open"
    )


def _grown(a: Rec, b: Rec) -> bool:
    """Could the later-published report's counts be the earlier one's, grown?

    Each count of the later report is at least the earlier's (within
    ``COUNT_FACTOR``) and at most ``GROWTH_FACTOR`` times it; reports of
    unknown or equal publication may be either. Totals and parts are compared
    as :func:`_counts_fit` does, on the grown side.
    """
    if a.pub == NEG_INF or b.pub == NEG_INF:
        return False
    orders = [(a, b)] if a.pub < b.pub else [(b, a)] if b.pub < a.pub else [(a, b), (b, a)]
    for early, late in orders:
        ok = True
        for ce, cl in zip(early.counts, late.counts, strict=True):
            if ce is None or cl is None:
                continue
            e_hi = math.inf if ce[2] is None else ce[2]
            l_hi = math.inf if cl[2] is None else cl[2]
            if not (cl[0] <= e_hi * GROWTH_FACTOR and ce[0] <= l_hi * COUNT_FACTOR):
                ok = False
                break
        if ok:
            return True
    return False


def _part_of(
    part: tuple[CountT | None, CountT | None, CountT | None],
    whole: tuple[CountT | None, CountT | None, CountT | None],
) -> bool:
    """Can each of ``part``'s counts be a part of ``whole``'s (not more than it)?"""
    for p, w in zip(part, whole, strict=True):
        if p is not None and w is not None and w[2] is not None and p[0] > w[2] * COUNT_FACTOR:
            return False
    return True


def _devices_fit(a: frozenset[str], b: frozenset[str]) -> float:
    if not a or not b:
        return 0.5
    specific = (a & b) - {"unspecified mine"}
    return 1.0 if specific else 0.3


def _quantities_fit(
    a: tuple[tuple[str, float, float], ...], b: tuple[tuple[str, float, float], ...]
) -> float:
    if not a or not b:
        return 0.0
    agree = disagree = 0
    for ka, lo_a, hi_a in a:
        for kb, lo_b, hi_b in b:
            if ka == kb:
                if quantities_agree((lo_a, hi_a), (lo_b, hi_b)):
                    agree += 1
                else:
                    disagree += 1
    if agree + disagree == 0:
        return 0.0
    return agree / (agree + disagree)


def _as_place(p: PlaceLite) -> Place:
    return Place(
        text=p.name or p.place_id or "",
        name=p.name,
        place_id=p.place_id,
        country=p.country,
        admin1=p.admin1,
        lat=p.lat,
        lon=p.lon,
        precision=p.precision,
        border_segment=p.border_segment,
    )
