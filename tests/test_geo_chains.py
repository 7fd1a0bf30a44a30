"""Admin chains ("X village (Y district, Z oblast)") and divisions with generic names."""

from __future__ import annotations

import pytest

from minewatch.geo import Gazetteer, GazetteerEntry, load_gazetteer
from minewatch.geo.shipped import load_place_rules


def _small() -> Gazetteer:
    """Two provinces of one country, a town in each with nearly the same name, a district."""
    rules = load_place_rules()
    entries = [
        GazetteerEntry("XA", "Xland", "country", country="XA", iso="XA", origin="pycountry"),
        GazetteerEntry(
            "XA-N",
            "Norda Oblast",
            "province",
            country="XA",
            admin1="Norda Oblast",
            iso="XA-N",
            iso_name="Nordska oblast",
            variants=("Nordska oblast",),
            origin="pycountry",
        ),
        GazetteerEntry(
            "XA-S",
            "Suda Oblast",
            "province",
            country="XA",
            admin1="Suda Oblast",
            iso="XA-S",
            origin="pycountry",
        ),
        GazetteerEntry(
            "t1",
            "Markova",
            "town",
            country="XA",
            admin1="Suda Oblast",
            lat=50.0,
            lon=100.0,
            variants=("Markovo",),
            origin="geonames",
        ),
        GazetteerEntry(
            "t2",
            "Glush",
            "town",
            country="XA",
            admin1="Norda Oblast",
            lat=51.5,
            lon=34.3,
            origin="geonames",
        ),
    ]
    return Gazetteer(rules).extended(entries)


def test_unknown_village_takes_admin1_and_admin2_from_its_chain() -> None:
    gaz = _small()
    text = "On 27 May 2025, in Zvanno village (Kalin district, Norda oblast), a man was hurt."
    places = gaz.find_places(text)
    head = next(p for p in places if p.name == "Zvanno")
    assert (head.country, head.admin1, head.admin2) == ("XA", "Norda Oblast", "Kalin")
    assert (head.admin1_code, head.admin1_iso) == ("XA-N", "Nordska oblast")
    assert head.place_id is None and head.precision == 4 and head.lat is None
    assert text[head.start : head.end] == "Zvanno village (Kalin district, Norda oblast)"  # type: ignore[index]


def test_a_known_district_in_the_chain_places_the_village_near_it() -> None:
    gaz = _small()
    places = gaz.find_places("near Mentao (Glush district, Norda Oblast), troops were hit")
    head = next(p for p in places if p.name == "Mentao")
    assert (head.admin1, head.precision, head.relation) == ("Norda Oblast", 3, "near")
    assert (head.lat, head.lon) == (51.5, 34.3)


def test_the_chain_overrules_a_same_named_place_in_another_province() -> None:
    gaz = _small()
    text = "in Markovo village (Kalin district, Norda oblast), a car hit a mine"
    head = next(p for p in gaz.find_places(text) if p.start == text.index("Markovo"))
    assert (head.place_id, head.admin1, head.admin2) == (None, "Norda Oblast", "Kalin")
    # without the chain the name keeps its only entry
    alone = gaz.find_places("in Markovo village, a car hit a mine")
    assert [p.place_id for p in alone] == ["t1"]


def test_a_head_inside_the_chain_province_is_kept() -> None:
    gaz = _small()
    places = gaz.find_places("in Glush town (Kalin district, Norda Oblast), blasts")
    head = places[0]
    assert (head.place_id, head.admin1, head.admin2) == ("t2", "Norda Oblast", "Kalin")


def test_comma_chain_after_a_head_word() -> None:
    gaz = _small()
    text = "in Tinma village, Glush township, Norda Oblast, a mine went off"
    head = next(p for p in gaz.find_places(text) if p.name == "Tinma")
    assert (head.admin1, head.precision) == ("Norda Oblast", 3)
    # a comma list without a head word is no chain
    assert not any(p.name == "Tinma" for p in gaz.find_places("Tinma, Norda Oblast, said"))


def test_brackets_without_a_division_are_no_chain() -> None:
    gaz = _small()
    places = gaz.find_places("KALIN (AP) -- Mines were found in Norda Oblast (north).")
    assert [p.place_id for p in places] == ["XA-N"]


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("Land mines killed soldiers in the North region.", []),
        ("In Cameroon, a mine hit a truck in the North region.", ["CM", "CM-NO"]),
        ("Sea mines drifted in the Red Sea.", []),
        ("A mine killed a driver in Egypt's Red Sea governorate.", ["EG", "EG-BA"]),
    ],
)
def test_divisions_with_generic_names_need_their_country(text: str, found: list[str]) -> None:
    assert [p.place_id for p in load_gazetteer().find_places(text)] == found


def test_one_link_chain_with_in() -> None:
    gaz = _small()
    text = "a mine went off in Markovo village in Kalin district of Norda Oblast, police said"
    head = next(p for p in gaz.find_places(text) if p.start == text.index("Markovo"))
    assert (head.place_id, head.admin1) == (None, "Norda Oblast")
    # the town of X in Y: the prefix form of the head
    text = "it exploded in the town of Zvanno in the Norda Oblast countryside"
    head = next(p for p in gaz.find_places(text) if p.name == "Zvanno")
    assert head.admin1 == "Norda Oblast"


def test_comma_chain_after_the_village_of() -> None:
    gaz = _small()
    text = "hurt in the village of Markovo, Glush district, on Monday"
    head = next(p for p in gaz.find_places(text) if p.start == text.index("Markovo"))
    assert (head.place_id, head.admin1) == (None, "Norda Oblast")


def test_a_name_a_chain_placed_means_that_place_later_in_the_text() -> None:
    gaz = _small()
    text = "A mine hit Markovo village (Kalin district, Norda Oblast). In Markovo, two died."
    later = [p for p in gaz.find_places(text) if p.start and p.start > text.index(").")]
    assert [(p.admin1, p.place_id) for p in later] == [("Norda Oblast", None)]


def test_a_division_is_found_with_its_english_type_word() -> None:
    places = load_gazetteer().find_places("a mine went off in Azerbaijan's Gazakh District")
    assert [p.place_id for p in places][-1] == "AZ-QAZ"


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("a blast in Indian-controlled Kashmir", "IN-JK"),
        ("in central Iraq's Salahudin province", "IQ-SD"),
        ("in Burkina Faso's Center-North region", "BF-05"),
        ("in Somalia's Lower Shebelle region", "SO-SH"),
    ],
)
def test_divisions_in_the_spellings_the_press_uses(text: str, code: str) -> None:
    assert code in [p.place_id for p in load_gazetteer().find_places(text)]
