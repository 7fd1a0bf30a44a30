"""Detection: which triggers report an event and which only describe one (sentences
written for these tests)."""

from __future__ import annotations

import pytest

from minewatch.extract import extract_document
from minewatch.model import DocumentMeta

META = DocumentMeta(id="sha256:d", input_id="d", published="2024-05-10")


def _types(text: str) -> list[str]:
    return [e.type for e in extract_document(text, META)]


@pytest.mark.parametrize(
    "text",
    [
        "Heavy rain has brought the province's buried mines back to the surface.",
        "Army orders 300 mine-resistant vehicles for its border units.",
        "It is one of the places worst affected by mines in the region.",
    ],
)
def test_a_laying_word_that_describes_is_no_emplacement(text: str) -> None:
    assert "emplacement" not in _types(text)


def test_soldiers_laying_mines_is_an_emplacement() -> None:
    assert _types("Soldiers planted new mines along the border road last week.") == ["emplacement"]


def test_who_laid_the_blast_mine_is_no_new_event() -> None:
    text = (
        "A landmine exploded under a tractor near Alpha village on 3 May, killing the driver. "
        "Villagers said the rebels had planted the mine a week before."
    )
    assert _types(text) == ["casualty"]


def test_a_later_laying_of_mines_is_still_news() -> None:
    text = (
        "A landmine exploded under a tractor near Alpha village on 3 May, killing the driver. "
        "On 9 May the rebels planted mines on the road to Beta."
    )
    assert sorted(_types(text)) == ["casualty", "emplacement"]


def test_found_and_destroyed_is_one_clearance() -> None:
    assert _types("In April the teams found and destroyed 1,200 landmines.") == ["clearance"]


def test_a_call_to_leave_the_treaty_is_a_policy_of_each_state() -> None:
    text = (
        "The defence ministers of Norland, Estonia, Latvia and Poland urged their "
        "governments to leave the Ottawa Convention on anti-personnel mines."
    )
    evs = extract_document(text, META)
    assert {e.type for e in evs} == {"policy"}
    assert sorted(p.country for e in evs for p in e.where) == ["EE", "LV", "PL"]


def test_signing_the_deed_of_commitment_is_a_policy() -> None:
    text = "On 3 June 2011 the rebel movement signed the Deed of Commitment banning landmines."
    assert _types(text) == ["policy"]


def test_states_that_are_not_the_parties_do_not_split() -> None:
    text = (
        "Officials said mines would deter Russia and Belarus, and that quitting the "
        "convention would let soldiers train with them."
    )
    assert len([e for e in extract_document(text, META) if e.type == "policy"]) <= 1


@pytest.mark.parametrize(
    "text",
    [
        "After the storm, the swollen river had carried an old landmine into the rice field.",
        "Landslides after the rains brought explosive ordnance down onto the village road.",
        "The ditches may still hold mines brought down by the water last month.",
    ],
)
def test_water_moving_mines_is_a_displacement(text: str) -> None:
    assert "displacement" in _types(text)


def test_a_person_carrying_a_mine_is_no_displacement() -> None:
    text = "A farmer carried an old landmine to the police post after the rainy season."
    assert "displacement" not in _types(text)


@pytest.mark.parametrize(
    "text",
    [
        "Engineers deactivated two anti-tank mines near the bridge on Monday.",
        "Over the year the agency released almost 12 square kilometres of mined land.",
        "West of the river, mines were also cleared from two farms in May.",
    ],
)
def test_clearing_in_other_words_is_a_clearance(text: str) -> None:
    assert "clearance" in _types(text)


@pytest.mark.parametrize(
    "text",
    [
        "Villagers have asked aid groups to come and remove the landmines from their fields.",
        "The country's humanitarian demining sector has grown since 2015.",
    ],
)
def test_asked_for_estimated_or_standing_is_no_event(text: str) -> None:
    assert _types(text) == []


def test_the_blast_mine_laid_long_ago_is_no_new_emplacement() -> None:
    text = (
        "A landmine exploded under a farmer near Gamma on 2 May, wounding him. "
        "That mine, too, had been planted by the army during the war."
    )
    assert _types(text) == ["casualty"]


def test_a_terse_toll_line_binds_to_the_blast_before() -> None:
    text = (
        "On 4 May 2022, near Delta village, rebels attacked a police truck of Unit No. 7 "
        "by activating explosive devices as it passed. The officers were on patrol. "
        "9 officers injured, according to the police."
    )
    (ev,) = extract_document(text, META)
    assert ev.type == "casualty" and ev.injured is not None and ev.injured.best == 9
