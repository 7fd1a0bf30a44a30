"""Time at document level (issue 9, points 2, 4, 10): `reported`, datelines, leads."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from minewatch.extract import extract_document
from minewatch.extract.dates import DateFinder, parse_published, reported_when
from minewatch.extract.rules import load_rules
from minewatch.model import DocumentMeta, Event

RULES = load_rules()
FINDER = DateFinder(RULES)


def events(text: str, published: str | None) -> list[Event]:
    return extract_document(text, DocumentMeta(id="x", input_id="x", published=published))


def casualty(text: str, published: str | None) -> Event:
    found = [e for e in events(text, published) if e.type == "casualty"]
    assert found, text
    return found[0]


def test_reported_days_is_a_named_default() -> None:
    assert RULES.reported_days == 30


@pytest.mark.parametrize(
    ("published", "start", "end"),
    [
        ("2023-11-07", "2023-10-08", "2023-11-07"),
        ("2020-10", "2020-09-01", "2020-10-31"),  # partial: the whole month, and 30 days
        ("2025", "2024-12-02", "2025-12-31"),
    ],
)
def test_an_undated_event_is_reported_before_publication(
    published: str, start: str, end: str
) -> None:
    ev = casualty("A farmer was killed when he stepped on a landmine near his house.", published)
    assert (ev.when.start, ev.when.end, ev.when.precision) == (start, end, "reported")


def test_no_publication_date_leaves_the_time_unknown() -> None:
    ev = casualty("A farmer was killed when he stepped on a landmine near his house.", None)
    assert ev.when.precision == "unknown" and ev.when.start is None


def test_recently_gives_no_time_of_its_own() -> None:
    ev = casualty("A landmine recently killed two shepherds in the hills.", "2024-05-01")
    assert ev.when.precision == "reported"


def test_a_statements_day_is_not_the_events_day() -> None:
    text = "Two soldiers were wounded by a landmine near the border, the army said on Monday."
    ev = casualty(text, "2023-11-09")
    assert ev.when.precision == "reported" and ev.when.end == "2023-11-09"


def test_a_day_told_in_the_next_sentence_dates_the_event() -> None:
    text = (
        "A land mine has killed at least five farmers in the north of the country.\n\n"
        "The blast occurred on Wednesday, according to a local resident."
    )
    ev = casualty(text, "2019-03-08")
    assert (ev.when.start, ev.when.precision) == ("2019-03-06", "day")


@pytest.mark.parametrize(
    ("text", "published", "day"),
    [
        # the dateline's day is the reference, and dates no event itself
        (
            "SA KAEW, Dec 13 – A ranger lost his leg when he stepped on a landmine on Monday"
            " near the border.",
            "2023-12-14",
            "2023-12-11",
        ),
        (
            "KYIV, Jan. 17 (Xinhua) -- Two civilians were killed yesterday when their car hit"
            " an anti-tank mine.",
            "2024-01-18",
            "2024-01-16",
        ),
        (
            "MOSCOW, August 18. /TASS/. Two sappers were injured on Tuesday when a mine went off.",
            "2022-08-19",
            "2022-08-16",
        ),
    ],
)
def test_datelines_anchor_relative_days(text: str, published: str, day: str) -> None:
    ev = casualty(text, published)
    assert (ev.when.start, ev.when.end) == (day, day)


def test_a_dateline_with_no_publication_and_no_year_guesses_nothing() -> None:
    text = "SA KAEW, Dec 13 – A ranger lost his leg when he stepped on a landmine on Monday."
    assert casualty(text, None).when.precision == "unknown"


def test_a_dated_lead_anchors_the_sentences_after_it() -> None:
    # a conflict-monitor note: no publication date, the lead is its only date
    text = (
        "On 9 May 2021, in Kyauk Taing village (Tamu Township, Tamu District, Sagaing Region),"
        " army troops shelled the village. A landmine exploded and killed 2 civilians."
    )
    ev = casualty(text, None)
    assert (ev.when.start, ev.when.end, ev.when.precision) == ("2021-05-09", "2021-05-09", "day")


def test_late_at_night_is_the_night_before_publication() -> None:
    ev = casualty("A farmer was killed by a landmine late at night in the village.", "2023-12-14")
    assert (ev.when.start, ev.when.end) == ("2023-12-13", "2023-12-14")


@settings(max_examples=100, deadline=None)
@given(
    st.integers(min_value=0, max_value=40),
    st.sampled_from(["less than", "within", "under"]),
    st.sampled_from(["days", "weeks", "months"]),
    st.dates(min_value=date(1990, 1, 1), max_value=date(2030, 12, 31)),
)
def test_within_never_gives_start_after_end(n: int, word: str, unit: str, pub: date) -> None:
    for te in FINDER.find(f"a mine went off {word} {n} {unit} ago", parse_published(str(pub))):
        if te.when.start and te.when.end:
            assert te.when.start <= te.when.end


def test_reported_when_without_publication_is_unknown() -> None:
    assert reported_when(None, 30).precision == "unknown"


def test_a_day_range_without_a_year_takes_the_leads_year() -> None:
    text = (
        "Around 20 May 2021 (between 18 and 22 May), in Kyaukme (Kyaukme Township, Kyaukme"
        " District, Shan-North), a civilian man stepped on a landmine and lost his leg."
    )
    ev = casualty(text, None)
    assert (ev.when.start, ev.when.end, ev.when.precision) == ("2021-05-18", "2021-05-22", "span")
    assert ev.status == "reported"  # the month May is no modal "may"
