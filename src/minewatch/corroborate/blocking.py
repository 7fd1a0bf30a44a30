"""Blocking: find the few events worth comparing with a given one.

Events are grouped by (type, country), then by first-level region (admin1),
and kept sorted by the start of their time interval. An event is compared only
with events of its type and country (or of unknown country), in its own
province or of unknown province (a whole-province query when its own province
is unknown), whose intervals can overlap its own. Events with short intervals
("narrow") are found by binary search on their start; the few with long or
open intervals ("wide") are scanned. So the work per event depends on how many
reports fall in its region and time window, not on the size of the database.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Sequence

from minewatch.corroborate.compat import SLACK_DAYS
from minewatch.corroborate.records import VAGUE_SPAN_DAYS, Rec

#: Events with an interval up to this many days long are indexed by start;
#: they are kept in classes by length so that a search looks back only as far
#: as the longest interval of the class.
NARROW_DAYS = VAGUE_SPAN_DAYS
SPAN_CLASSES = (7, 31, NARROW_DAYS)


class _Tier:
    """Narrow events sorted by start (one list per length class) plus wide ones."""

    __slots__ = ("classes", "wide")

    def __init__(self) -> None:
        # per class: (starts, idxs), parallel lists sorted by start
        self.classes: list[tuple[list[int], list[int]]] = [([], []) for _ in SPAN_CLASSES]
        self.wide: list[int] = []

    def add(self, pos: int, r: Rec) -> None:
        span = r.end - r.start
        for k, limit in enumerate(SPAN_CLASSES):
            if span <= limit:
                starts, idxs = self.classes[k]
                starts.append(r.start)
                idxs.append(pos)
                return
        self.wide.append(pos)

    def finish(self) -> None:
        for k, (starts, idxs) in enumerate(self.classes):
            order = sorted(range(len(idxs)), key=starts.__getitem__)
            self.classes[k] = ([starts[i] for i in order], [idxs[i] for i in order])

    def query(
        self, ends: Sequence[int], starts_of: Sequence[int], start: int, end: int
    ) -> list[int]:
        floor = start - SLACK_DAYS
        ceiling = end + SLACK_DAYS
        out: list[int] = []
        for limit, (starts, idxs) in zip(SPAN_CLASSES, self.classes, strict=True):
            if not idxs:
                continue
            lo = bisect_left(starts, floor - limit)
            hi = bisect_right(starts, ceiling)
            if lo < hi:
                out += [j for j in idxs[lo:hi] if ends[j] >= floor]
        if self.wide:
            out += [j for j in self.wide if ends[j] >= floor and starts_of[j] <= ceiling]
        return out


class _Block:
    __slots__ = ("all", "by_admin1")

    def __init__(self) -> None:
        self.all = _Tier()
        self.by_admin1: dict[str | None, _Tier] = {}


class BlockIndex:
    """Candidate search over a fixed list of records (found as positions in it)."""

    def __init__(self, recs: Sequence[Rec]) -> None:
        self.recs = recs
        self.ends = [r.end for r in recs]
        self.starts = [r.start for r in recs]
        self.blocks: dict[tuple[str, str | None], _Block] = {}
        self.types: dict[str, list[_Block]] = {}
        for pos, r in enumerate(recs):
            key = (r.type, r.country)
            block = self.blocks.get(key)
            if block is None:
                block = self.blocks[key] = _Block()
                self.types.setdefault(r.type, []).append(block)
            block.all.add(pos, r)
            tier = block.by_admin1.get(r.admin1)
            if tier is None:
                tier = block.by_admin1[r.admin1] = _Tier()
            tier.add(pos, r)
        for block in self.blocks.values():
            block.all.finish()
            for tier in block.by_admin1.values():
                tier.finish()

    def candidates(self, r: Rec) -> list[int]:
        """Positions of records that may match ``r`` (may include ``r`` itself)."""
        ends, starts, s, e = self.ends, self.starts, r.start, r.end
        if r.country is None:
            out: list[int] = []
            for block in self.types.get(r.type, []):
                out += block.all.query(ends, starts, s, e)
            return out
        out = []
        own = self.blocks.get((r.type, r.country))
        if own is not None:
            if r.admin1 is None:
                out += own.all.query(ends, starts, s, e)
            else:
                for admin in (r.admin1, None):
                    tier = own.by_admin1.get(admin)
                    if tier is not None:
                        out += tier.query(ends, starts, s, e)
        unknown = self.blocks.get((r.type, None))
        if unknown is not None:
            out += unknown.all.query(ends, starts, s, e)
        return out
