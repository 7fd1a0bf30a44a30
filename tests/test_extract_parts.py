"""Dates, counts, quantities and single-sentence extraction, with fixtures built in code."""

from __future__ import annotations

import pytest

from minewatch.extract import extract_document
from minewatch.extract.counts import CountReader
from minewatch.extract.dates import DateFinder, parse_published
from minewatch.extract.places import PlaceFinder
from minewatch.extract.rules import load_rules
from minewatch.model import Count, DocumentMeta, Event, Place


def meta(published: str | None = "2023-11-07") -> DocumentMeta:
    return DocumentMeta(id="sha256:test", input_id="t", published=published)


class NoPlaces:
    def find_places(self, text: str, country_hint: str | None = None) -> list[Place]:
        return []


def run(text: str, published: str | None = "2023-11-07") -> list[Event]:
    return extract_document(text, meta(published), gazetteer=NoPlaces())


@pytest.mark.parametrize(
    ("text", "published", "start", "end", "precision"),
    [
        ("in mid-October", "2023-11-07", "2023-10-11", "2023-10-20", "month_part"),
        ("this past September", "2023-11-07", "2023-09-01", "2023-09-30", "month"),
        ("since August", "2023-11-07", "2023-08-01", None, "open"),
        ("in late 2023", "2025", "2023-09-01", "2023-12-31", "year_part"),
        ("on Monday", "2023-11-07", "2023-11-06", "2023-11-06", "day"),
        ("in early December 2023", None, "2023-12-01", "2023-12-10", "month_part"),
        ("last year", "2023-11-07", "2022-01-01", "2022-12-31", "year"),
        ("in recent months", "2023-11-07", "2023-08-01", "2023-11-07", "year_part"),
        ("less than 15 days since", "2020-10-22", "2020-10-08", "2020-10-22", "month"),
        ("on June 18, 2024", None, "2024-06-18", "2024-06-18", "day"),
        ("since the Korean War", "2023-11-07", "1950-06-25", None, "open"),
    ],
)
def test_time_expressions_resolve(
    text: str, published: str | None, start: str, end: str | None, precision: str
) -> None:
    found = DateFinder(load_rules()).find(text, parse_published(published), None)
    assert found, text
    w = found[0].when
    assert (w.start, w.end, w.precision) == (start, end, precision)


def test_month_without_year_and_without_publication_stays_unknown() -> None:
    found = DateFinder(load_rules()).find("in September", None, None)
    assert found and found[0].when.start is None


def test_modal_may_is_not_a_month() -> None:
    assert DateFinder(load_rules()).find("mines may float", parse_published("2024"), None) == []


@pytest.mark.parametrize(
    ("words", "count"),
    [
        ("five", Count(5, 5, 5)),
        ("about a dozen", Count(10, 12, 14)),
        ("several", Count(3, 3, 9)),
        ("at least 3", Count(3, 3, None)),
        ("more than 600", Count(601, 601, None)),
        ("two or three", Count(2, 2, 3)),
        ("dozens of", Count(24, 24, 99)),
        ("a number of", Count(2, None, None)),
        ("twenty-five", Count(25, 25, 25)),
    ],
)
def test_count_phrases(words: str, count: Count) -> None:
    reader = CountReader(load_rules())
    m = reader.pattern.search(words)
    assert m is not None
    cp = reader.read(m)
    assert cp is not None and cp.count == count


def test_wounded_or_killed_is_an_unsplit_total() -> None:
    (ev,) = run("Five would-be defectors were wounded or killed by landmines near the river.")
    assert ev.type == "casualty"
    assert ev.casualties == Count(5, 5, 5)
    assert ev.killed is None and ev.injured is None
    assert ev.victims == "civilian" and ev.victim_role == "defector"


def test_killed_and_injured_sum_to_casualties() -> None:
    (ev,) = run("A landmine blast killed two soldiers and injured three others on Monday.")
    assert ev.killed == Count(2, 2, 2) and ev.injured == Count(3, 3, 3)
    assert ev.casualties == Count(5, 5, 5)
    assert ev.when.start == "2023-11-06"


def test_no_number_is_null_not_zero() -> None:
    (ev,) = run("Soldiers were injured when a mine exploded near the border.")
    assert ev.injured is None and ev.killed is None and ev.casualties is None


@pytest.mark.parametrize(
    "text",
    [
        "Twelve miners were killed in a coal mine explosion on Monday.",
        "The new rules are a political minefield for the government.",
        "That decision is mine, the minister said.",
        "Shelling killed three civilians in the village.",
        "A gas explosion injured four people in the capital.",
    ],
)
def test_false_friends_give_no_event(text: str) -> None:
    assert run(text) == []


def test_status_possible_claimed_denied() -> None:
    (p,) = run("Officials warned that mines could float into the South after the rains.")
    assert p.type == "displacement" and p.status == "possible"
    (c,) = run("The army accused rebels of planting landmines along the road last week.")
    assert c.type == "emplacement" and c.status == "claimed"
    (d,) = run("The ministry denied that its troops had laid mines near the border.")
    assert d.status == "denied"


def test_background_event_is_context() -> None:
    evs = run(
        "In 2015, a mine blast maimed two soldiers in the DMZ. On Monday a farmer was killed."
    )
    assert [e.context for e in evs] == [True, False]


def test_quantities_are_normalised() -> None:
    (ev,) = run("Mines were laid 65 yards from the border, with a kill radius of 10 feet.")
    kinds = {q.kind: q for q in ev.quantities}
    assert kinds["distance_to_border"].value == pytest.approx(59.436)
    assert kinds["kill_radius"].value == pytest.approx(3.048)
    assert all(q.unit == "m" for q in ev.quantities)


def test_attribution_is_kept() -> None:
    (ev,) = run(
        "A source in Ryanggang told Radio Free Asia that mines had been laid along the river."
    )
    assert ev.attributed_to == ["A source in Ryanggang (Radio Free Asia)"]


def test_every_filled_field_has_evidence_inside_the_text() -> None:
    text = "On Monday, a landmine killed two children near the village of Koh Kong, police said."
    (ev,) = extract_document(text, meta(), gazetteer=PlaceFinder())
    fields = {e.field for e in ev.evidence}
    assert {"type", "when", "killed", "victims", "attributed_to"} <= fields
    for e in ev.evidence:
        assert 0 <= e.start < e.end <= len(text)
    assert ev.summary and "\n" not in ev.summary


def test_ids_follow_text_order() -> None:
    evs = run("Troops laid mines on the road in March. In May, a mine killed a farmer there.")
    assert [e.id for e in evs] == ["e1", "e2"]
    assert [e.type for e in evs] == ["emplacement", "casualty"]
