"""The country of an event's places: victims' side for casualties, borders, places abroad."""

from __future__ import annotations

from minewatch.extract import extract_document
from minewatch.geo import load_gazetteer
from minewatch.model import DocumentMeta, Event

META = DocumentMeta(id="sha256:x", input_id="x", published="2023-11-28")


def _events(text: str) -> list[Event]:
    return extract_document(text, META, gazetteer=load_gazetteer())


def _countries(ev: Event) -> dict[str | None, str | None]:
    return {p.name: p.country for p in ev.where}


def test_a_casualty_is_on_the_side_of_its_victims() -> None:
    text = (
        "In 2015 the North crossed the demilitarized zone and planted landmines that "
        "maimed two South Korean soldiers."
    )
    cas = next(e for e in _events(text) if e.type == "casualty")
    assert _countries(cas).get("Korean Demilitarized Zone") == "KR"


def test_soldiers_laying_mines_are_their_own_countrys_casualties() -> None:
    text = (
        "North Korean soldiers were injured by landmines while laying them in the "
        "demilitarized zone last month."
    )
    cas = next(e for e in _events(text) if e.type == "casualty")
    assert _countries(cas).get("Korean Demilitarized Zone") == "KP"


def test_provinces_bordering_a_country_are_not_in_it() -> None:
    gaz = load_gazetteer()
    text = "Troops sustained injuries as they emplaced mines in two provinces bordering China."
    places = gaz.find_places(text, "KP")
    assert [(p.place_id, p.country) for p in places] == [("kp-cn-border", "KP")]
    assert "CN" not in {p.country for p in places}


def test_a_town_abroad_stays_abroad() -> None:
    text = "North Korean soldiers laid landmines on the riverbank facing Dandong last month."
    ev = next(e for e in _events(text) if e.type == "emplacement")
    assert _countries(ev).get("Dandong") == "CN"
