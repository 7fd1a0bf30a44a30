"""Every place the seed documents name resolves to the right entry and precision."""

from __future__ import annotations

from pathlib import Path

import pytest

from minewatch.geo import Gazetteer, load_gazetteer
from minewatch.model import Place


@pytest.fixture(scope="module")
def gaz() -> Gazetteer:
    return load_gazetteer()


def _places(seeds_dir: Path, prefix: str, gaz: Gazetteer) -> list[Place]:
    path = next(seeds_dir.glob(f"{prefix}_*.txt"))
    text = path.read_text(encoding="utf-8")
    places = gaz.find_places(text, "KP")
    for p in places:
        assert p.start is not None and text[p.start : p.end] == p.text
    return places


def _find(places: list[Place], span: str) -> Place:
    hits = [p for p in places if p.text == span]
    assert hits, f"no mention {span!r} in {[p.text for p in places]}"
    return hits[0]


# (seed, mention text, place id, relation, precision)
EXPECTED = [
    ("000", "on China border", "kp-cn-border", "along", 5),
    ("000", "in Pyongyang", "kp-pyongyang", "in", 1),
    ("000", "province of Ryanggang", "kp-ryanggang", "in", 4),
    ("000", "60 metres from the Chinese border", "kp-cn-border", "from", 5),
    ("000", "Hamgyong", "kp-north-hamgyong", "in", 4),
    ("000", "along its border with South Korea", "kp-kr-dmz", "along", 5),
    ("000", "at the North Korea-China border", "kp-cn-border", "in", 5),
    ("000", "South Korea", "KR", "in", 6),
    ("000", "into China", "CN", "in", 6),
    ("001", "North Hamgyong Province", "kp-north-hamgyong", "in", 4),
    ("001", "cross the Tumen River", "tumen-river", "along", 5),
    ("001", "near Musan", "kp-musan", "near", 2),
    ("001", "in the Joint Security Area", "kp-kr-jsa", "in", 1),
    ("001", "in Panmunjom", "kp-kr-panmunjom", "in", 1),
    ("001", "Sino-Korean border", "kp-cn-border", "in", 5),
    ("001", "65 yards from the border", "kp-cn-border", "from", 5),
    ("001", "Ryanggang Province", "kp-ryanggang", "in", 4),
    ("002", "in North Hamgyong Province", "kp-north-hamgyong", "in", 4),
    ("002", "cross the Tumen River", "tumen-river", "along", 5),
    ("002", "near the city of Musan", "kp-musan", "near", 2),
    ("002", "near Musan", "kp-musan", "near", 2),
    ("002", "near the Tumen River", "tumen-river", "near", 5),
    ("002", "around the border with China", "kp-cn-border", "near", 5),
    ("003", "in the DMZ", "kp-kr-dmz", "in", 5),
    ("003", "Demilitarized Zone", "kp-kr-dmz", "in", 5),
    ("003", "Russia", "RU", "in", 6),
    ("003", "in Pyongyang", "kp-pyongyang", "in", 1),
    ("003", "in Ukraine", "UA", "in", 6),
    ("003", "between Moscow", "ru-moscow", "between", 2),
    ("003", "North Korea", "KP", "in", 6),
    ("004", "in the Demilitarized Zone", "kp-kr-dmz", "in", 5),
    ("004", "the Joint Security Area", "kp-kr-jsa", "in", 1),
    ("004", "at Panmunjom", "kp-kr-panmunjom", "in", 1),
    ("004", "around Arrowhead Hill", "kr-arrowhead-hill", "near", 2),
    ("004", "Hill 281", "kr-arrowhead-hill", "in", 1),
    ("004", "in Cheolwon", "kr-cheorwon", "in", 3),
    ("004", "Gangwon province", "kr-gangwon", "in", 4),
    ("004", "in the Baekmagoji area", "kr-baekmagoji", "in", 2),
    ("004", "50 miles north-east of Seoul", "kr-seoul", "from", 5),
    ("004", "on the Gyeongui road", "kp-kr-gyeongui", "along", 2),
    ("004", "Paju", "kr-paju", "in", 1),
    ("004", "Kaesong", "kp-kaesong", "in", 1),
    ("004", "around the Gyeongui Line railroad", "kp-kr-gyeongui", "near", 2),
    ("004", "on the Donghae road", "kp-kr-donghae", "along", 2),
    ("004", "the Yalu River", "yalu-river", "in", 5),
    ("004", "along the North Korean-Chinese border", "kp-cn-border", "along", 5),
    ("004", "North Hamgyong Province", "kp-north-hamgyong", "in", 4),
    ("004", "Cambodia", "KH", "in", 6),
    ("004", "in North Korea", "KP", "in", 6),
    ("004", "the United States", "US", "in", 6),
    ("004", "the Korean Peninsula", "korean-peninsula", "in", 5),
]


@pytest.mark.shared
@pytest.mark.parametrize(("seed", "span", "place_id", "relation", "precision"), EXPECTED)
def test_seed_place(
    seeds_dir: Path,
    gaz: Gazetteer,
    seed: str,
    span: str,
    place_id: str,
    relation: str,
    precision: int,
) -> None:
    p = _find(_places(seeds_dir, seed, gaz), span)
    assert (p.place_id, p.relation, p.precision) == (place_id, relation, precision)
    entry = gaz.get(place_id)
    assert entry is not None
    # a feature on the MDL takes the province of the side it is on
    assert p.admin1 == (entry.sides[p.country or ""] if entry.sides else entry.admin1)


# features on the MDL: the side follows the places named with them, else the document (KP)
SIDES = [
    ("004", "around Arrowhead Hill", "Gangwon"),  # "... in Cheolwon, Gangwon province"
    ("004", "near Arrowhead Hill", "Kangwon"),  # the North re-mined a road there
    ("004", "around the Gyeongui Line railroad", "North Hwanghae"),
    ("004", "on the Donghae road", "Kangwon"),
    ("004", "at Panmunjom", None),  # the JSA straddles the line: no province
]


@pytest.mark.shared
@pytest.mark.parametrize(("seed", "span", "admin1"), SIDES)
def test_seed_side_of_the_line(
    seeds_dir: Path, gaz: Gazetteer, seed: str, span: str, admin1: str | None
) -> None:
    assert _find(_places(seeds_dir, seed, gaz), span).admin1 == admin1


@pytest.mark.shared
def test_seed_000_hamgyong_keeps_candidates(seeds_dir: Path, gaz: Gazetteer) -> None:
    p = _find(_places(seeds_dir, "000", gaz), "Hamgyong")
    assert p.candidates == ["kp-south-hamgyong"]


@pytest.mark.shared
def test_no_seed_mention_is_a_false_friend(seeds_dir: Path, gaz: Gazetteer) -> None:
    for prefix in ("000", "001", "002", "003", "004"):
        for p in _places(seeds_dir, prefix, gaz):
            words = p.text.lower().split()
            if len(words) == 1:
                assert words[0] not in ("mine", "mines", "hill", "free", "border"), p.text
            assert "free asia" not in p.text.lower() and "times" not in words, p.text
            assert p.place_id is not None or p.kind == "border", (prefix, p.text, p.candidates)
