"""Vague counts: sums keep their uncertainty, unknown never becomes 0."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from minewatch.model import Count, When
from minewatch.reportdata import counts, dates


def test_sum_of_exact_and_vague_counts() -> None:
    assert counts.total([Count.exact(3), Count(10, 12, 14)]) == Count(13, 15, 17)
    # "multiple" has no best: the sum has none either, and no upper bound
    assert counts.total([Count.exact(5), Count(2, None, None)]) == Count(7, None, None)
    assert counts.total([None, None]) is None


def test_split_of_a_total_without_parts_is_unsplit() -> None:
    sp = counts.split(None, None, Count.exact(5))
    assert (sp.killed, sp.injured, sp.unsplit) == (None, None, Count.exact(5))


def test_split_with_one_known_part_leaves_the_rest_unsplit() -> None:
    sp = counts.split(Count.exact(2), None, Count.exact(5))
    assert sp.killed == Count.exact(2)
    assert sp.injured is None
    assert sp.unsplit == Count(3, 3, 3)


def test_split_when_both_parts_known_ignores_the_total() -> None:
    sp = counts.split(Count.exact(1), Count.exact(4), Count.exact(5))
    assert sp.unsplit is None


def test_words_for_counts() -> None:
    assert counts.fmt(None) == "not reported"
    assert counts.fmt(Count.exact(3)) == "3"
    assert counts.fmt(Count(10, 12, 14)) == "12 (10–14)"
    assert counts.fmt(Count(3, 3, None)) == "at least 3"
    assert counts.fmt(Count(2, None, None)).startswith("at least 2")
    assert counts.fmt(Count(3, 3, 9)) == "3 (up to 9)"
    assert counts.fmt(Count.exact(0)) == "0"


count_st = st.builds(
    lambda lo, extra, unb, nob: Count(lo, None if nob else lo, None if unb else lo + extra),
    st.integers(0, 50),
    st.integers(0, 50),
    st.booleans(),
    st.booleans(),
)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.one_of(st.none(), count_st), max_size=6))
def test_total_bounds_hold(cs: list[Count | None]) -> None:
    t = counts.total(cs)
    known = [c for c in cs if c is not None]
    if not known:
        assert t is None
        return
    assert t is not None
    assert t.low == sum(c.low for c in known)
    if t.best is not None:
        assert t.low <= t.best
    if t.high is not None and t.best is not None:
        assert t.best <= t.high
    assert (t.high is None) == any(c.high is None for c in known)


def test_dates_read_at_their_precision() -> None:
    assert dates.describe(When("2023-10-11", "2023-10-20", "month_part")) == "mid-October 2023"
    assert dates.describe(When("2023-09-01", "2023-09-30", "month")) == "September 2023"
    assert dates.describe(When("2023-09-01", "2023-12-31", "year_part")) == "late 2023"
    assert dates.describe(When("2023-08-01", None, "open")) == "since August 2023"
    assert dates.describe(When("2023-11-06", "2023-11-06", "day")) == "6 November 2023"
    assert dates.describe(When(None, None)) == "date unknown"
    assert dates.month_key(When("2023-09-01", "2023-12-31", "year_part")) is None
    assert dates.month_key(When("2023-10-11", "2023-10-20", "month_part")) == "2023-10"
