"""find_places: relation, precision, ambiguity, false friends, border facts."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from minewatch.geo import Gazetteer, GazetteerEntry, load_gazetteer
from minewatch.model import RELATIONS, Place


@pytest.fixture(scope="module")
def gaz() -> Gazetteer:
    return load_gazetteer()


def one(gaz: Gazetteer, text: str, hint: str | None = "KP") -> Place:
    places = gaz.find_places(text, hint)
    assert len(places) == 1, [p.text for p in places]
    return places[0]


@pytest.mark.parametrize(
    ("text", "place_id", "relation", "precision", "span"),
    [
        ("Mines went off near the city of Musan.", "kp-musan", "near", 2, "near the city of Musan"),
        ("A source in North Hamgyong Province said", "kp-north-hamgyong", "in", 4,
         "in North Hamgyong Province"),
        ("mines laid along the Tumen River", "tumen-river", "along", 5, "along the Tumen River"),
        ("placed around 60 metres from the Chinese border", "kp-cn-border", "from", 5,
         "60 metres from the Chinese border"),
        ("a mere 65 yards from the Sino-Korean border", "kp-cn-border", "from", 5,
         "65 yards from the Sino-Korean border"),
        ("soldiers died in the DMZ this year", "kp-kr-dmz", "in", 5, "in the DMZ"),
        ("it happened in Hyesan last week", "kp-hyesan", "in", 1, "in Hyesan"),
        ("it happened in Musan County", "kp-musan", "in", 3, "in Musan County"),
        ("in the town of Musan", "kp-musan", "in", 1, "in the town of Musan"),
        ("found in Musan-up", "kp-musan", "in", 1, "in Musan-up"),
        ("near Musan", "kp-musan", "near", 2, "near Musan"),
        ("mines on the Donghae road", "kp-kr-donghae", "along", 2, "on the Donghae road"),
        ("roughly 50 miles north-east of Seoul", "kr-seoul", "from", 5,
         "50 miles north-east of Seoul"),
        ("3 km from Hoeryong", "kp-hoeryong", "from", 2, "3 km from Hoeryong"),
        ("mining in the Baekmagoji area", "kr-baekmagoji", "in", 2, "in the Baekmagoji area"),
        ("removed from the Joint Security Area", "kp-kr-jsa", "in", 1, "the Joint Security Area"),
    ],
)  # fmt: skip
def test_relation_and_precision(
    gaz: Gazetteer, text: str, place_id: str, relation: str, precision: int, span: str
) -> None:
    p = one(gaz, text)
    assert (p.place_id, p.relation, p.precision, p.text) == (place_id, relation, precision, span)
    assert p.start is not None and p.end is not None and text[p.start : p.end] == span


def test_place_fields_filled(gaz: Gazetteer) -> None:
    p = one(gaz, "near the city of Musan")
    assert (p.name, p.country, p.admin1, p.kind) == ("Musan", "KP", "North Hamgyong", "county")
    assert p.lat == pytest.approx(42.23, abs=0.05) and p.lon == pytest.approx(129.21, abs=0.05)
    assert p.border_segment == "china" and p.border_distance_km is not None
    assert p.border_distance_km < 10


def test_country_mentions(gaz: Gazetteer) -> None:
    p = one(gaz, "fled from North Korea")
    assert (p.place_id, p.kind, p.precision) == ("KP", "country", 6)
    kinds = [(q.place_id, q.precision) for q in gaz.find_places("Cambodia, Russia and Ukraine")]
    assert kinds == [("KH", 6), ("RU", 6), ("UA", 6)]


def test_hamgyong_alone_resolved_by_china_border_context(gaz: Gazetteer) -> None:
    text = "Mines were laid on the border with China. A resident in Hamgyong said so."
    p = next(q for q in gaz.find_places(text, "KP") if q.text.endswith("Hamgyong"))
    assert p.place_id == "kp-north-hamgyong"
    assert p.candidates == ["kp-south-hamgyong"]


def test_hamgyong_without_context_stays_ambiguous(gaz: Gazetteer) -> None:
    p = one(gaz, "A resident of Hamgyong said so.", None)
    assert p.place_id is None and p.precision == 7 and p.country == "KP"
    assert set(p.candidates) == {"kp-north-hamgyong", "kp-south-hamgyong"}


def test_hamgyong_near_the_coast_context_goes_south(gaz: Gazetteer) -> None:
    text = "In Hamhung, and in Hamgyong more widely, mines were found."
    ids = [p.place_id for p in gaz.find_places(text, "KP")]
    assert ids == ["kp-hamhung", "kp-south-hamgyong"]


def test_spelling_and_admin_context_pick_south_korean_cheorwon(gaz: Gazetteer) -> None:
    text = "Arrowhead Hill (Hill 281) in Cheolwon, Gangwon province"
    ids = [p.place_id for p in gaz.find_places(text, "KP")]
    assert ids == ["kr-arrowhead-hill", "kr-arrowhead-hill", "kr-cheorwon", "kr-gangwon"]
    assert one(gaz, "the county of Chorwon").place_id == "kp-cholwon"


def test_korea_alone_uses_the_document_country(gaz: Gazetteer) -> None:
    assert one(gaz, "Korea", "KR").place_id == "KR"
    assert one(gaz, "Korea", "KP").place_id == "KP"
    p = one(gaz, "Korea", None)
    assert p.place_id is None and set(p.candidates) == {"KP", "KR"}


def test_the_tumen_is_the_river_tumen_city_is_the_city(gaz: Gazetteer) -> None:
    assert one(gaz, "they swam across the Tumen at night").place_id == "tumen-river"
    assert one(gaz, "traders in Tumen City").place_id == "cn-tumen"


@pytest.mark.parametrize(
    "text",
    [
        "Mine clearance continued.",
        "Hill forces took the ridge.",
        "Border guards were told to shoot.",
        "Speaking to Radio Free Asia, a source said",
        "The New York Times reported",
        "the Panmunjom Declaration was signed",
        "he said it was a mine of information along the way",
        "North Korean soldiers and Chinese residents",
    ],
)
def test_false_friends_are_not_places(gaz: Gazetteer, text: str) -> None:
    assert gaz.find_places(text, "KP") == []


def test_chinese_border_and_border_with_china(gaz: Gazetteer) -> None:
    for text in (
        "near the Chinese border",
        "along its border with China",
        "on the North Korea-China border",
        "on the China border",
        "along the North Korean-Chinese border",
    ):
        p = one(gaz, text)
        assert p.place_id == "kp-cn-border" and p.precision == 5 and p.country == "KP", text


def test_border_with_south_korea_is_the_dmz(gaz: Gazetteer) -> None:
    p = one(gaz, "used mines along its border with South Korea")
    assert (p.place_id, p.relation, p.border_segment) == ("kp-kr-dmz", "along", "dmz")
    assert one(gaz, "on the inter-Korean border").place_id == "kp-kr-dmz"


def test_bare_border_takes_the_border_the_text_is_about(gaz: Gazetteer) -> None:
    text = "Mines were laid along the Tumen River. They lie 200 meters from the border."
    places = gaz.find_places(text, "KP")
    assert [p.place_id for p in places] == ["tumen-river", "kp-cn-border"]
    assert places[1].relation == "from"
    text = "Troops worked in the DMZ. Some crossed the border by mistake."
    assert [p.place_id for p in gaz.find_places(text, "KP")] == ["kp-kr-dmz", "kp-kr-dmz"]


def test_unknown_border_pair_keeps_both_countries(gaz: Gazetteer) -> None:
    p = one(gaz, "mines along the Thai border", "MM")
    assert p.place_id is None and p.precision == 5 and p.country == "MM"
    assert p.name is not None and "Thailand" in p.name


def test_hangul_with_particles(gaz: Gazetteer) -> None:
    p = one(gaz, "무산군에서 지뢰가 터졌다")
    assert p.place_id == "kp-musan" and p.text == "무산군"


def test_lowercase_feature_names(gaz: Gazetteer) -> None:
    assert one(gaz, "crossing the demilitarized zone").place_id == "kp-kr-dmz"


def test_admin1_of_any_country(gaz: Gazetteer) -> None:
    p = one(gaz, "fighting in Shan State", "MM")
    assert (p.place_id, p.admin1, p.country, p.precision) == ("MM-17", "Shan", "MM", 4)
    assert one(gaz, "shelling in Kyiv Oblast", "UA").place_id == "UA-32"


def test_user_entries_win(gaz: Gazetteer) -> None:
    mine = GazetteerEntry(
        id="user:musan-field", name="Musan", kind="village", country="KP", lat=42.2, lon=129.1
    )
    g2 = load_gazetteer(extra=[mine])
    assert one(g2, "near Musan").place_id == "user:musan-field"
    assert one(gaz, "near Musan").place_id == "kp-musan"  # the shared base is untouched


def test_geonames_duplicate_yields_to_curated_entry(gaz: Gazetteer) -> None:
    dup = GazetteerEntry(
        id="geonames:1", name="Musan", kind="town", country="KP", lat=42.22, lon=129.2,
        origin="geonames",
    )  # fmt: skip
    other = GazetteerEntry(
        id="geonames:2", name="Saemaeul", kind="village", country="KP", lat=41.0, lon=127.0,
        origin="geonames",
    )  # fmt: skip
    g2 = load_gazetteer(extra=[dup, other])
    assert one(g2, "near Musan").place_id == "kp-musan"
    assert one(g2, "in Saemaeul").place_id == "geonames:2"


def test_contains(gaz: Gazetteer) -> None:
    assert gaz.contains("kp-north-hamgyong", "kp-musan")
    assert gaz.contains("KP", "kp-musan")
    assert gaz.contains("kp-ryanggang", "kp-hyesan")
    assert gaz.contains("kp-kr-dmz", "kp-kr-jsa")
    assert gaz.contains("kr-gangwon", "kr-arrowhead-hill")
    assert not gaz.contains("kp-south-hamgyong", "kp-musan")
    assert not gaz.contains("kp-musan", "kp-north-hamgyong")
    assert not gaz.contains("KR", "kp-musan")


def test_distance_and_geometry(gaz: Gazetteer) -> None:
    musan = one(gaz, "in Musan")
    hoeryong = one(gaz, "in Hoeryong")
    d = gaz.distance_km(musan, hoeryong)
    assert d is not None and 40 < d < 60  # about 47 km apart
    tumen = one(gaz, "the Tumen River")
    dt = gaz.distance_km(musan, tumen)
    assert dt is not None and dt < 5
    assert gaz.distance_km(musan, Place(text="x")) is None
    assert gaz.geometry("tumen-river").geom_type == "LineString"  # type: ignore[union-attr]
    assert gaz.geometry("kp-kr-dmz").geom_type == "Polygon"  # type: ignore[union-attr]
    assert gaz.geometry("kp-musan").geom_type == "Point"  # type: ignore[union-attr]


def test_features_for_maps(gaz: Gazetteer) -> None:
    ids = {e.id for e in gaz.features(("river", "line", "zone", "country"))}
    assert {"tumen-river", "yalu-river", "imjin-river", "kp-cn-border", "kp-kr-mdl"} <= ids
    assert {"kp-kr-dmz", "KP", "KR"} <= ids
    fc = gaz.features_geojson(("river",))
    assert {f["id"] for f in fc["features"]} == {"tumen-river", "yalu-river", "imjin-river"}


def test_border_segments(gaz: Gazetteer) -> None:
    assert gaz.border_facts("kp-sinuiju")[0] == "china"
    assert gaz.border_facts("kr-paju")[0] == "dmz"
    assert gaz.border_facts("kp-kr-panmunjom")[0] == "dmz"
    assert gaz.border_facts("kp-rajin")[0] in ("russia", "coast")
    assert gaz.border_facts("kp-pyongyang")[0] == "interior"
    assert gaz.border_facts("kp-wonsan")[0] == "coast"
    assert gaz.border_facts("KP") == (None, None)
    assert gaz.border_facts("MM-17") == (None, None)


def test_offsets_index_the_text(gaz: Gazetteer) -> None:
    text = "Daily NK: five killed near Musan; JSA and DMZ; Sinŭiju; 60 m from the border."
    for p in gaz.find_places(text, "KP"):
        assert p.start is not None and p.end is not None
        assert text[p.start : p.end] == p.text


def test_between_two_places(gaz: Gazetteer) -> None:
    places = gaz.find_places("the road between Hyesan and Musan was mined", "KP")
    assert [(p.place_id, p.relation, p.precision) for p in places] == [
        ("kp-hyesan", "between", 2),
        ("kp-musan", "between", 3),
    ]


_WORDS = [
    "Musan",
    "near",
    "the",
    "city",
    "of",
    "Hamgyŏng-bukto",
    "border",
    "with",
    "China",
    "60",
    "metres",
    "from",
    "DMZ",
    "무산군에서",
    "Tumen",
    "River",
    "Korea's",
    "N.",
    "Korea",
    "mine",
    "Hill",
    "281",
    "in",
    ",",
    ".",
    "-",
    "Sino-Korean",
    "Chinese",
]


@settings(max_examples=150, deadline=None)
@given(
    st.lists(
        st.one_of(st.sampled_from(_WORDS), st.text(min_size=1, max_size=6)),
        min_size=1,
        max_size=30,
    ),
    st.sampled_from([None, "KP", "KR", "MM"]),
)
def test_any_text_gives_well_formed_places(words: list[str], hint: str | None) -> None:
    gaz = load_gazetteer()
    text = " ".join(words)
    for p in gaz.find_places(text, hint):
        assert p.start is not None and p.end is not None and 0 <= p.start < p.end <= len(text)
        assert text[p.start : p.end] == p.text
        assert 1 <= p.precision <= 7 and p.relation in RELATIONS
        if p.place_id is not None:
            assert gaz.get(p.place_id) is not None and p.place_id not in p.candidates
        else:
            assert p.precision in (5, 7)


def test_border_as_an_adjective(gaz: Gazetteer) -> None:
    places = gaz.find_places("in the North Korean border city of Sinuiju", "KP")
    assert [p.place_id for p in places] == ["kp-sinuiju"]
    assert gaz.find_places("Chinese border guards arrested them", "KP") == []
    assert one(gaz, "in the Chinese city of Dandong").place_id == "cn-dandong"


def test_russian_border(gaz: Gazetteer) -> None:
    p = one(gaz, "workers crossed near the Russian border", "KP")
    assert (p.place_id, p.border_segment, p.relation) == ("kp-ru-border", "russia", "near")
    assert gaz.border_facts("ru-khasan")[0] == "russia"
    assert one(gaz, "the Tumangang station").place_id == "kp-tumangang"
