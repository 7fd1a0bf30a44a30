"""Document-level places: datelines and lead adverbials anchor mentions with no place."""

from __future__ import annotations

import pytest

from minewatch.extract import extract_document
from minewatch.extract.places import place_anchors
from minewatch.extract.text import split_sentences
from minewatch.geo import Gazetteer, GazetteerEntry
from minewatch.geo.shipped import load_place_rules
from minewatch.model import DocumentMeta, Place


def _gaz() -> Gazetteer:
    rules = load_place_rules()
    entries = [
        GazetteerEntry("XA", "Xland", "country", country="XA", iso="XA", origin="pycountry"),
        GazetteerEntry(
            "XA-C",
            "Capital City",
            "province",
            country="XA",
            admin1="Capital City",
            iso="XA-C",
            origin="pycountry",
        ),
        GazetteerEntry(
            "XA-K",
            "Kherva Oblast",
            "province",
            country="XA",
            admin1="Kherva Oblast",
            iso="XA-K",
            variants=("Kherva region",),
            origin="pycountry",
        ),
        GazetteerEntry(
            "t-cap",
            "Kyva",
            "city",
            country="XA",
            admin1="Capital City",
            lat=50.4,
            lon=30.5,
            origin="shipped",
        ),
        GazetteerEntry(
            "t-sak",
            "Sa Kaew",
            "town",
            country="XA",
            admin1="Kherva Oblast",
            lat=13.8,
            lon=102.1,
            origin="shipped",
        ),
    ]
    return Gazetteer(rules).extended(entries)


def _where(text: str) -> list[list[str | None]]:
    meta = DocumentMeta(id="sha256:x", input_id="x", published="2024-01-20")
    events = extract_document(text, meta, gazetteer=_gaz())
    assert events, text
    return [[p.name for p in e.where] for e in events]


def _anchors(text: str) -> tuple[list[Place], object]:
    return place_anchors(text, _gaz().find_places(text), split_sentences(text))


@pytest.mark.parametrize(
    "head",
    [
        "KYVA, Jan. 17 (Xinhua) -- ",
        "KYVA (AP) — ",
        "KYVA: ",
        "Kyva, Jan 17: ",
        "KYVA, Xland – ",
        "KYVA, 17 January 2024 – ",
        "Kyva, 17 Jan: ",
    ],
)
def test_dateline_shapes(head: str) -> None:
    text = head + "A landmine killed two farmers in the Kherva region on Wednesday."
    own, anchors = _anchors(text)
    assert next(p.name for p in anchors.datelines) == "Kyva"  # type: ignore[attr-defined]
    assert "Kyva" not in [p.name for p in own]


@pytest.mark.parametrize(
    "text", ["Kyva: more than a dozen dead in blasts", "Kyva farmers said a mine killed two."]
)
def test_headlines_are_no_datelines(text: str) -> None:
    _own, anchors = _anchors(text)
    assert anchors.datelines == ()  # type: ignore[attr-defined]


def test_the_dateline_never_outranks_the_events_own_place() -> None:
    text = (
        "KYVA, Jan. 17 (Xinhua) -- A landmine killed two farmers in the Kherva region on Wednesday."
    )
    assert _where(text) == [["Kherva Oblast"]]


def test_an_event_placed_nowhere_else_takes_the_dateline() -> None:
    text = "SA KAEW, Jan 13 – A soldier stepped on a landmine on Friday and lost his leg."
    assert _where(text) == [["Sa Kaew"]]


def test_a_lead_place_anchors_the_sentences_after_it() -> None:
    text = (
        "KYVA, Jan. 17 (Xinhua) -- Officials met on Monday.\n\n"
        "On 9 January 2024, in Tor village (Bel township, Kherva region), troops patrolled.\n\n"
        "Later a landmine exploded and killed two soldiers."
    )
    _own, anchors = _anchors(text)
    lead = anchors.place_for(text.index("Later"))  # type: ignore[attr-defined]
    assert lead is not None and (lead.name, lead.admin1) == ("Tor", "Kherva Oblast")
    assert anchors.place_for(0).name == "Kyva"  # type: ignore[attr-defined]
    assert ["Tor" in names for names in _where(text)] == [True]


@pytest.mark.parametrize(
    "tail",
    [
        "The wounded were taken to hospital in Kyva.",
        "Two of them were moved to the Central Hospital in Kyva.",
        "Both are treated in a Kyva public hospital.",
        "The agency's office in Kyva reported it.",
    ],
)
def test_where_victims_are_treated_is_not_the_events_place(tail: str) -> None:
    text = f"A landmine killed a farmer and wounded two in the Kherva region. {tail}"
    own, _ = _anchors(text)
    assert [p.name for p in own] == ["Kherva Oblast"]
    assert _where(text) == [["Kherva Oblast"]]


def test_a_place_next_to_hospital_staff_is_still_a_place() -> None:
    text = "A landmine exploded in Kyva on Monday, hospital staff said; two were hurt."
    own, _ = _anchors(text)
    assert [p.name for p in own] == ["Kyva"]


def test_a_blast_placed_by_its_country_takes_the_province_told_next() -> None:
    text = (
        "KYVA (AP) — A landmine killed two children in Xland, an official said.\n\n"
        "It happened on Monday in a far district of the Kherva region."
    )
    assert _where(text) == [["Kherva Oblast", "Xland"]]


@pytest.mark.parametrize(
    "text",
    [
        "Landmines killed 95 people across the country last year; Kherva region counts most.",
        "Mines killed 95 people nationwide last year, officials in the Kherva region said.",
        "Deminers cleared 40 square kilometres in 119 districts of the country in Kherva.",
    ],
)
def test_a_country_wide_figure_takes_no_province(text: str) -> None:
    assert all(
        "Kherva Oblast" not in names for names in _where(f"KYVA (AP) — Officials met. {text}")
    )


def test_a_blast_in_a_province_is_not_country_wide() -> None:
    text = "A landmine killed two farmers in the Kherva region, the deadliest blast in Xland."
    assert _where(text) == [["Kherva Oblast", "Xland"]]
