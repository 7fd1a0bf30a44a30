"""The number reader: numbers as written (issue 9, point 9) under DESIGN's count table."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from minewatch.extract import extract_document
from minewatch.extract.counts import EXACT, REFUSED, CountReader
from minewatch.extract.rules import load_rules
from minewatch.model import Count, DocumentMeta

READER = CountReader(load_rules())

_ONES = ["", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine"]
_TEENS = ["ten", "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen",
          "seventeen", "eighteen", "nineteen"]  # fmt: skip
_TENS = ["", "", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"]


def spell(n: int, *, hyphen: bool = True, use_and: bool = True) -> str:
    """An independent English speller for 1..999,999 (what a reporter writes)."""
    if n >= 1000:
        head, rest = divmod(n, 1000)
        tail = spell(rest, hyphen=hyphen, use_and=use_and) if rest else ""
        return f"{spell(head, hyphen=hyphen, use_and=use_and)} thousand" + (
            f" {tail}" if tail else ""
        )
    if n >= 100:
        head, rest = divmod(n, 100)
        joiner = " and " if use_and else " "
        return f"{_ONES[head]} hundred" + (
            joiner + spell(rest, hyphen=hyphen, use_and=use_and) if rest else ""
        )
    if n >= 20:
        t, o = divmod(n, 10)
        return _TENS[t] + (("-" if hyphen else " ") + _ONES[o] if o else "")
    return _TEENS[n - 10] if n >= 10 else _ONES[n]


def read(phrase: str) -> tuple[str, Count, int] | None:
    """The first count phrase of ``phrase``: its text, count and specificity."""
    for m in READER.pattern.finditer(phrase):
        cp = READER.read(m)
        if cp is not None:
            return phrase[cp.start : cp.end], cp.count, cp.specificity
    return None


@pytest.mark.parametrize(
    ("phrase", "count"),
    [
        ("a thousand people", Count(1000, 1000, 1000)),
        ("two hundred soldiers", Count(200, 200, 200)),
        ("one hundred and twenty civilians", Count(120, 120, 120)),
        ("half a dozen soldiers", Count(6, 6, 6)),
        ("about a dozen people", Count(10, 12, 14)),
        ("twenty-five soldiers", Count(25, 25, 25)),
        ("1,147 civilians", Count(1147, 1147, 1147)),
        ("at least 3 people", Count(3, 3, None)),
        ("more than 140 people", Count(141, 141, None)),
        ("two or three men", Count(2, 2, 3)),
        ("dozens of people", Count(24, 24, 99)),
        ("several children", Count(3, 3, 9)),
    ],
)
def test_numbers_as_written(phrase: str, count: Count) -> None:
    got = read(phrase)
    assert got is not None, phrase
    assert got[1] == count, phrase


def test_an_article_after_a_modifier_counts_nobody() -> None:
    # "about a ..." once read 1 (low 0): an article is no number
    assert read("about a mile from the village") is None
    assert read("over a week") is None


def test_decimals_and_words_that_are_no_whole_number() -> None:
    assert read("1.5 people") is None
    assert READER.value("two three") is None
    assert READER.value("1.25 thousand") == 1250
    assert READER.value("1.2") is None


@pytest.mark.parametrize("phrase", ["1.2 million people", "1 million people", "two million"])
def test_a_count_too_large_to_be_real_is_refused(phrase: str) -> None:
    got = read(phrase)
    assert got is not None and got[2] == REFUSED
    assert got[0] == phrase.removesuffix(" people")  # the whole figure is the evidence


def test_a_refused_count_is_evidence_not_a_value() -> None:
    text = "Landmines have killed 1 million people in the country, officials said."
    events = extract_document(text, DocumentMeta(id="x", input_id="x", published="2024-05-01"))
    assert events, "a refused count must not lose the event"
    ev = events[0]
    assert ev.killed is None and ev.casualties is None
    spans = [(e.start, e.end) for e in ev.evidence if e.field == "killed_refused"]
    assert spans and text[spans[0][0] : spans[0][1]] == "1 million"


@settings(max_examples=300, deadline=None)
@given(st.integers(min_value=1, max_value=199_999), st.booleans(), st.booleans())
def test_spelled_numbers_read_back(n: int, hyphen: bool, use_and: bool) -> None:
    words = spell(n, hyphen=hyphen, use_and=use_and)
    got = read(f"{words} people were hurt")
    assert got == (words, Count(n, n, n), EXACT)


@settings(max_examples=200, deadline=None)
@given(st.integers(min_value=1, max_value=199_999))
def test_digits_with_thousands_separators_read_back(n: int) -> None:
    got = read(f"killed {n:,} people")
    assert got is not None and got[1] == Count(n, n, n)


@settings(max_examples=200, deadline=None)
@given(st.integers(min_value=1, max_value=50_000), st.sampled_from(["about", "around", "nearly"]))
def test_approximate_counts_bound_the_figure(n: int, word: str) -> None:
    got = read(f"{word} {n} people")
    assert got is not None
    c = got[1]
    assert c.best == n and c.low <= n <= (c.high or n)
    assert c.low >= 0 and (n < 2 or c.low >= 1)


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet="abdehilnortuwy -,.0123456789", max_size=40))
def test_any_reading_is_a_well_formed_count(s: str) -> None:
    for m in READER.pattern.finditer(s):
        cp = READER.read(m)
        if cp is None:
            continue
        c = cp.count
        assert 0 <= cp.start < cp.end <= len(s)
        assert c.best is None or c.low <= c.best
        assert c.high is None or c.high >= (c.best if c.best is not None else c.low)
        assert cp.specificity == REFUSED or max(c.low, c.best or 0) <= READER.rules.max_people


def _casualty(text: str) -> tuple[Count | None, Count | None, Count | None]:
    evs = extract_document(text, DocumentMeta(id="x", input_id="x", published="2024-05-08"))
    ev = next(e for e in evs if e.type == "casualty")
    return ev.killed, ev.injured, ev.casualties


@pytest.mark.parametrize(
    ("text", "killed", "injured"),
    [
        # a harm verb's bare object
        ("A landmine exploded under a truck, killing two and wounding three.", 2, 3),
        ("Landmines injured more than 600 people and killed 95 across the country.", 95, 601),
        # a count right before its harm word beats a noun phrase further left
        ("A truck ran onto a landmine, leaving two soldiers dead and five wounded.", 2, 5),
        ("A land mine killed at least five farmers and left dozens wounded.", 5, 24),
        ("Two civilians were killed and four injured when their car hit a mine.", 2, 4),
        ("A truck hit a landmine, killing at least three personnel and wounding three more.", 3, 3),
    ],
)
def test_count_phrases_of_harm(text: str, killed: int, injured: int) -> None:
    k, i, c = _casualty(text)
    assert k is not None and i is not None and c is not None
    assert (k.best, i.best) == (killed, injured)
    assert c.low == k.low + i.low


def test_a_number_of_distance_is_no_bare_count() -> None:
    k, _, _ = _casualty("The mine went off 3 km from the village, killing one.")
    assert k == Count(1, 1, 1)


@pytest.mark.parametrize(
    "text",
    [
        "A roadside mine hit a car on Monday; casualties unknown.",
        "A landmine exploded under a truck near the village. The number of casualties is unknown.",
    ],
)
def test_casualties_unknown_is_null_not_zero(text: str) -> None:
    evs = extract_document(text, DocumentMeta(id="x", input_id="x", published="2024-05-08"))
    assert evs
    for ev in evs:
        assert ev.killed is None and ev.injured is None and ev.casualties is None
