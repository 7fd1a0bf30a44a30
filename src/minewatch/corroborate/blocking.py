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
from collections.abc import Iterator, Sequence

from minewatch.corroborate.compat import SLACK_DAYS
from minewatch.corroborate.records import VAGUE_SPAN_DAYS, Rec

#: Events with an interval up to this many days long are indexed by start.
NARROW_DAYS = VAGUE_SPAN_DAYS


class _Tier:
    """Narrow events sorted by start (parallel lists) plus a list of wide ones."""

    __slots__ = ("idxs", "starts", "wide")

    def __init__(self) -> None:
        self.starts: list[int] = []
        self.idxs: list[int] = []
        self.wide: list[int] = []

    def finish(self, recs: Sequence[Rec]) -> None:
        order = sorted(range(len(self.idxs)), key=lambda k: self.starts[k])
        self.idxs = [self.idxs[k] for k in order]
        self.starts = [self.starts[k] for k in order]

    def query(self, recs: Sequence[Rec], start: int, end: int) -> Iterator[int]:
        lo = bisect_left(self.starts, start - NARROW_DAYS - SLACK_DAYS)
        hi = bisect_right(self.starts, end + SLACK_DAYS)
        idxs = self.idxs
        floor = start - SLACK_DAYS
        for k in range(lo, hi):
            j = idxs[k]
            if recs[j].end >= floor:
                yield j
        ceiling = end + SLACK_DAYS
        for j in self.wide:
            r = recs[j]
            if r.end >= floor and r.start <= ceiling:
                yield j


class _Block:
    __slots__ = ("all", "by_admin1")

    def __init__(self) -> None:
        self.all = _Tier()
        self.by_admin1: dict[str | None, _Tier] = {}


class BlockIndex:
    """Candidate search over a fixed list of records."""

    def __init__(self, recs: Sequence[Rec]) -> None:
        self.recs = recs
        self.blocks: dict[tuple[str, str | None], _Block] = {}
        self.types: dict[str, list[_Block]] = {}
        for r in recs:
            key = (r.type, r.country)
            block = self.blocks.get(key)
            if block is None:
                block = self.blocks[key] = _Block()
                self.types.setdefault(r.type, []).append(block)
            tiers = (block.all, block.by_admin1.setdefault(r.admin1, _Tier()))
            narrow = r.end - r.start <= NARROW_DAYS
            for tier in tiers:
                if narrow:
                    tier.starts.append(r.start)
                    tier.idxs.append(r.idx)
                else:
                    tier.wide.append(r.idx)
        for block in self.blocks.values():
            block.all.finish(recs)
            for tier in block.by_admin1.values():
                tier.finish(recs)

    def candidates(self, r: Rec) -> Iterator[int]:
        """Indexes of records that may match ``r`` (may include ``r`` itself)."""
        if r.country is None:
            blocks = self.types.get(r.type, [])
            for block in blocks:
                yield from block.all.query(self.recs, r.start, r.end)
            return
        own = self.blocks.get((r.type, r.country))
        if own is not None:
            if r.admin1 is None:
                yield from own.all.query(self.recs, r.start, r.end)
            else:
                for admin in (r.admin1, None):
                    tier = own.by_admin1.get(admin)
                    if tier is not None:
                        yield from tier.query(self.recs, r.start, r.end)
        unknown = self.blocks.get((r.type, None))
        if unknown is not None:
            yield from unknown.all.query(self.recs, r.start, r.end)
