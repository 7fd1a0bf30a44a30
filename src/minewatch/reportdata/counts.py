"""Arithmetic and wording for vague counts (low/best/high, DESIGN.md).

A sum of counts keeps its uncertainty: lows add up, bests add up only while
every part has one (``best is None`` means "some, number unknown"), highs add up
only while every part is bounded. Unknown is never turned into zero.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from minewatch.model import Count


def as_count(value: Any) -> Count | None:
    """Read a Count from an incident field value (a Count, a dict or None)."""
    if value is None:
        return None
    if isinstance(value, Count):
        return value
    if isinstance(value, dict) and "low" in value:
        return Count.from_json(value)
    if isinstance(value, int) and not isinstance(value, bool):
        return Count.exact(value)
    return None


def add(a: Count | None, b: Count | None) -> Count | None:
    """Sum two counts; ``None`` (not reported) plus a count is that count."""
    if a is None:
        return b
    if b is None:
        return a
    best = None if a.best is None or b.best is None else a.best + b.best
    high = None if a.high is None or b.high is None else a.high + b.high
    return Count(a.low + b.low, best, high)


def total(counts: Iterable[Count | None]) -> Count | None:
    """Sum of the reported counts; None when none was reported."""
    acc: Count | None = None
    for c in counts:
        acc = add(acc, c)
    return acc


def remainder(whole: Count, part: Count) -> Count | None:
    """What is left of ``whole`` after ``part`` (a total minus a known split).

    Returns None when nothing can be left over for sure and nothing may be.
    """
    low = max(0, whole.low - part.high) if part.high is not None else 0
    best = None
    if whole.best is not None and part.best is not None:
        best = max(0, whole.best - part.best)
    high = None if whole.high is None else max(0, whole.high - part.low)
    if high == 0:
        return None
    return Count(low, best, high)


@dataclass(frozen=True)
class Split:
    """The casualties of one incident as killed / injured / unsplit."""

    killed: Count | None
    injured: Count | None
    unsplit: Count | None

    @property
    def any(self) -> bool:
        return not (self.killed is None and self.injured is None and self.unsplit is None)

    def total(self) -> Count | None:
        return total([self.killed, self.injured, self.unsplit])


def split(killed: Count | None, injured: Count | None, casualties: Count | None) -> Split:
    """Split an incident's counts into killed / injured / unsplit.

    ``casualties`` is a total: when both parts are known it adds nothing; when
    neither is, all of it is unsplit; when one part is known, the rest of the
    total (total minus the known part) is unsplit.
    """
    if casualties is None or (killed is not None and injured is not None):
        return Split(killed, injured, None)
    if killed is None and injured is None:
        return Split(None, None, casualties)
    known = killed if killed is not None else injured
    assert known is not None
    return Split(killed, injured, remainder(casualties, known))


def fmt(c: Count | None, unknown: str = "not reported") -> str:
    """Words for a count: ``5``, ``12 (10–14)``, ``at least 3``, ``3 (3–9)``."""
    if c is None:
        return unknown
    if c.best is None:
        return f"at least {c.low} (exact number unknown)" if c.low else "unknown"
    if c.low == c.best == c.high:
        return str(c.best)
    if c.high is None:
        return f"at least {c.low}" if c.low == c.best else f"{c.best} (at least {c.low})"
    if c.low == c.best:
        return f"{c.best} (up to {c.high})"
    return f"{c.best} ({c.low}–{c.high})"


def plot_value(c: Count | None) -> int:
    """The number to draw for a count: best, else the low bound."""
    if c is None:
        return 0
    return c.best if c.best is not None else c.low


def is_vague(c: Count | None) -> bool:
    return c is not None and not (c.low == c.best == c.high)
