"""Dates in the profile are worded at the precision they were reported."""

from __future__ import annotations

import pytest

from minewatch.model import When
from minewatch.reportdata.dates import describe


@pytest.mark.parametrize(
    ("when", "words"),
    [
        (When("2023-10-11", "2023-10-20", "month_part"), "mid-October 2023"),
        (When("2023-10-01", "2023-10-31", "month"), "October 2023"),
        # "less than 15 days since ..." in an article dated only 2020-10
        (When("2020-09-17", "2020-10-31", "month"), "September–October 2020"),
        (When("2023-12-01", "2024-01-31", "month"), "December 2023 – January 2024"),
        (When("2023-09-01", "2023-12-31", "year_part"), "late 2023"),
        (When("2023-09-01", "2024-04-30", "year_part"), "late 2023 – early 2024"),
        (When("2023-01-01", "2024-12-31", "year"), "2023–2024"),
        (When("2023-08-01", None, "open"), "since August 2023"),
        (When(None, None, "unknown"), "date unknown"),
    ],
)
def test_describe(when: When, words: str) -> None:
    assert describe(when) == words
