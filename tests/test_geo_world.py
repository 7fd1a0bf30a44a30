"""Beyond Korea: admin1 exonyms, diacritics, world towns, false friends; sides of the MDL."""

from __future__ import annotations

import csv
import io
from importlib import resources
from pathlib import Path

import pycountry
import pytest

from minewatch.geo import Gazetteer, load_gazetteer, read_geonames
from minewatch.geo.normalize import key
from minewatch.model import Place

DATA = resources.files("minewatch.geo").joinpath("data")
MINE_AFFECTED = (
    "UA", "RU", "MM", "AF", "YE", "SY", "IQ", "KH", "LA", "VN", "CO", "AO", "BA",
    "HR", "AZ", "AM", "TR", "LB", "PS", "LY", "SD", "ML", "BF", "NG", "SO", "ET",
)  # fmt: skip


def _csv(name: str) -> list[dict[str, str]]:
    text = DATA.joinpath(name).read_text(encoding="utf-8")
    lines = [ln for ln in text.splitlines() if ln and not ln.startswith("#")]
    return list(csv.DictReader(io.StringIO("\n".join(lines))))


@pytest.fixture(scope="module")
def gaz() -> Gazetteer:
    return load_gazetteer()


def _only(gaz: Gazetteer, text: str, hint: str | None = None) -> Place:
    places = gaz.find_places(text, hint)
    assert len(places) == 1, [(p.text, p.place_id) for p in places]
    return places[0]


# -- diacritics and transliteration marks ---------------------------------------------


@pytest.mark.parametrize(
    ("written", "plain"),
    [
        ("Tāʻizz", "Taizz"),
        ("Ta‘izz", "Taizz"),
        ("Ta'izz", "Taizz"),
        ("Maʿrib", "Marib"),
        ("Ma’rib", "Marib"),
        ("Ḩamāh", "Hamah"),
        ("Şanʻā’", "Sana"),
        ("Laçın", "Lacin"),
        ("Lənkəran", "Lankaran"),
        ("Dar'ā", "Dara"),
        ("Quảng Trị", "Quang Tri"),
        ("İsmayıllı", "Ismayilli"),
    ],
)
def test_diacritics_and_ayn_marks_fold_away(written: str, plain: str) -> None:
    assert key(written) == key(plain)


def test_iso_names_and_plain_spellings_reach_the_same_division(gaz: Gazetteer) -> None:
    for text in ("Tāʻizz", "Taizz", "Ta'izz", "Taiz"):
        assert _only(gaz, f"Shelling hit {text} again.").place_id == "YE-TA", text
    for text in ("Ḩamāh", "Hamah", "Hama province", "Hama Governorate"):
        p = _only(gaz, f"Deminers worked in {text} last year.")
        assert (p.place_id, p.admin1, p.precision) == ("SY-HM", "Hama", 4), text
        assert (p.admin1_code, p.admin1_iso) == ("SY-HM", "Ḩamāh"), text


# -- admin1 exonyms --------------------------------------------------------------------


def test_admin1_aliases_resolve_to_their_own_code(gaz: Gazetteer) -> None:
    rows = _csv("admin1_aliases.csv")
    countries = {c.alpha_2 for c in pycountry.countries}
    checked = 0
    for r in rows:
        sub = pycountry.subdivisions.get(code=r["code"])
        assert sub is not None, r["code"]
        assert r["code"].split("-")[0] in countries
        target = gaz.get(r["code"])
        assert target is not None, r["code"]
        for alias in r["aliases"].split("|"):
            hits = gaz.lookup(alias, sub.country_code)
            assert target in hits, (r["code"], alias, [e.id for e in hits])
            checked += 1
    assert checked > 900
    # the 36 mine-affected countries of the brief all have English names for their divisions
    covered = {r["code"].split("-")[0] for r in rows}
    needed = set(MINE_AFFECTED)
    assert needed <= covered, needed - covered


def test_iraqi_kurdistan_governorates_are_admin1(gaz: Gazetteer) -> None:
    p = _only(gaz, "Mines were cleared in Erbil governorate.")
    assert (p.place_id, p.admin1, p.admin1_iso) == ("IQ-AR", "Erbil", "Arbīl")
    assert gaz.get("IQ-SU") is not None and gaz.get("IQ-DA") is not None


def test_province_words_attach(gaz: Gazetteer) -> None:
    assert _only(gaz, "in Antioquia department").text == "in Antioquia department"
    assert _only(gaz, "in Lachin district").place_id == "AZ-LAC"
    p = _only(gaz, "the Kharkiv region")
    assert (p.place_id, p.admin1, p.precision) == ("UA-63", "Kharkiv Oblast", 4)


# -- world towns -------------------------------------------------------------------------


def test_world_towns_file_is_consistent(gaz: Gazetteer) -> None:
    rows = _csv("world_towns.csv")
    assert len(rows) > 8000
    ids = [r["geonameid"] for r in rows]
    assert len(ids) == len(set(ids))
    for r in rows:
        assert r["iso"].split("-")[0] == r["country"], r
        assert -90 <= float(r["lat"]) <= 90 and -180 <= float(r["lon"]) <= 180, r
        assert int(r["population"]) >= 1000, r
        e = gaz.get(f"geonames:{r['geonameid']}")
        assert e is not None and e.country == r["country"], r
        # every town has the canonical name of its ISO division
        assert e.admin1 is not None and e.admin1 == gaz.get(r["iso"]).admin1, r  # type: ignore[union-attr]
    table = _csv("geonames_admin1.csv")
    for r in table:
        if r["iso"]:
            assert r["iso"].split("-")[0] == r["country"], r
            assert pycountry.subdivisions.get(code=r["iso"]) is not None, r


@pytest.mark.parametrize(
    ("text", "hint", "place_id", "admin1"),
    [
        ("Mines were found in and around Izium.", "UA", "geonames:707292", "Kharkiv Oblast"),
        ("Ukraine said mines lay around Izium.", None, "geonames:707292", "Kharkiv Oblast"),
        ("Ukrainian deminers returned to Kharkov.", None, "geonames:706483", "Kharkiv Oblast"),
        ("A bus hit a mine west of Taiz city.", None, "geonames:70225", "Taiz"),
        ("Four died east of Salamiyah, in Syria.", None, "geonames:164947", "Hama"),
        ("Two were hurt in Demoso township.", None, None, "Kayah"),
        ("Farmland near Battambang was cleared.", "KH", "KH-2", "Battambang"),
        ("A blast in the town of Lashkar Gah killed one.", None, None, "Helmand"),
    ],
)
def test_towns_resolve_with_their_admin1(
    gaz: Gazetteer, text: str, hint: str | None, place_id: str | None, admin1: str
) -> None:
    towns = [p for p in gaz.find_places(text, hint) if p.admin1]
    assert towns, text
    p = towns[0]
    assert p.admin1 == admin1
    if place_id:
        assert p.place_id == place_id
    assert p.precision <= 4
    if p.kind in ("town", "city"):
        assert p.lat is not None and p.lon is not None


def test_a_town_needs_its_country_in_the_text(gaz: Gazetteer) -> None:
    # "Izium" alone in a text about nowhere in particular stays unmatched ...
    assert gaz.find_places("Izium was mentioned in passing.") == []
    # ... unless the text names Ukraine, a Ukrainian province, or calls it a town
    assert _only(gaz, "the town of Izium").place_id == "geonames:707292"
    found = gaz.find_places("Izium, in the Kharkiv region")
    assert [p.place_id for p in found] == ["geonames:707292", "UA-63"]


def test_a_town_inside_a_longer_name_is_not_that_town(gaz: Gazetteer) -> None:
    text = "Deminers near Cuito Cuanavale, in Cuando Cubango province, found mines."
    assert [p.place_id for p in gaz.find_places(text, "AO")] == ["AO-CCU"]


def test_a_province_and_its_capital_resolve_to_the_province(gaz: Gazetteer) -> None:
    p = _only(gaz, "Fighting went on in Kandahar.", "AF")
    assert p.place_id == "AF-KAN" and p.precision == 4
    assert any(c.startswith("geonames:") for c in p.candidates)


def test_a_geonames_import_replaces_a_shipped_town(gaz: Gazetteer, tmp_path: Path) -> None:
    row = ["707292", "Izium", "Izium", "Izyum,Izjum", "49.2", "37.27", "P", "PPLA3", "UA", "",
           "07", "", "", "", "45000", "", "0", "Europe/Kyiv", "2024-01-01"]  # fmt: skip
    path = tmp_path / "UA.txt"
    path.write_text("\t".join(row) + "\n", encoding="utf-8")
    g2 = gaz.extended(read_geonames(path, gaz))
    assert len([e for e in g2 if e.id == "geonames:707292"]) == 1
    assert g2.get("geonames:707292").source.endswith("UA.txt")  # type: ignore[union-attr]
    # the user's import is not held back by the context rule
    assert [p.place_id for p in g2.find_places("Izium was named.")] == ["geonames:707292"]


# -- false friends -------------------------------------------------------------------------

ORDINARY_ENGLISH = """\
Human Rights Watch said on Monday that the report was long overdue. Kim and Anna read it twice.
Split decisions are common in such cases, and Bar none, it was the hardest week of the year.
Van drivers were told to wait. Sing along if you know the words; Tell them we said so.
Since then, Big changes have come: Can anyone say when the Bank will open? Off we go.
Marks on the Tank showed where the Cat had slept. Hit or miss, Luck plays a part.
Salem, Norton and Wellington are old family names. Florida oranges and Madrid cafes were mentioned.
Dire warnings about Drug prices led the news, and Era after era the same Pen wrote the rules.
"""


def test_a_paragraph_of_ordinary_english_has_no_places(gaz: Gazetteer) -> None:
    found = gaz.find_places(ORDINARY_ENGLISH)
    assert found == [], [(p.text, p.place_id, p.candidates) for p in found]
    for hint in ("UA", "IN", "TR", "KP"):
        found = gaz.find_places(ORDINARY_ENGLISH, hint)
        assert found == [], (hint, [(p.text, p.place_id) for p in found])


# -- sides of the MDL --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "hint", "country", "admin1"),
    [
        ("mines were laid near Arrowhead Hill", "KP", "KP", "Kangwon"),
        ("mines were cleared near Arrowhead Hill", "KR", "KR", "Gangwon"),
        ("North Korea laid mines close to Arrowhead Hill", None, "KP", "Kangwon"),
        ("South Korean troops searched Arrowhead Hill in Cheorwon", "KP", "KR", "Gangwon"),
        ("North Korean troops mined the Gyeongui railway line", None, "KP", "North Hwanghae"),
        ("South Korean engineers repaired the Gyeongui railway line", None, "KR", "Gyeonggi"),
        ("North Korea mined the Donghae road", None, "KP", "Kangwon"),
        ("engineers cleared mines at Baekmagoji", "KR", "KR", "Gangwon"),
    ],
)
def test_features_on_the_line_take_the_province_of_their_side(
    gaz: Gazetteer, text: str, hint: str | None, country: str, admin1: str
) -> None:
    p = next(p for p in gaz.find_places(text, hint) if p.kind in ("hill", "road"))
    assert (p.country, p.admin1) == (country, admin1)


def test_jsa_and_panmunjom_straddle_the_line_without_a_province(gaz: Gazetteer) -> None:
    for text in ("at Panmunjom", "in the Joint Security Area"):
        for hint in ("KP", "KR", None):
            p = _only(gaz, text, hint)
            assert p.admin1 is None and p.precision == 1, (text, hint)


def test_side_re_sides_a_place_for_the_actor(gaz: Gazetteer) -> None:
    p = _only(gaz, "mines were laid near Arrowhead Hill", "KR")
    assert p.admin1 == "Gangwon"
    north = gaz.side(p, "KP")
    assert (north.country, north.admin1, north.place_id) == ("KP", "Kangwon", p.place_id)
    assert (north.text, north.start, north.precision, north.relation) == (
        p.text,
        p.start,
        p.precision,
        p.relation,
    )
    assert gaz.side(north, "KR").admin1 == "Gangwon"
    jsa = _only(gaz, "in the Joint Security Area", "KP")
    assert (gaz.side(jsa, "KR").country, gaz.side(jsa, "KR").admin1) == ("KR", None)
    # places that belong to one country are returned as they are
    musan = _only(gaz, "near Musan", "KP")
    assert gaz.side(musan, "KR") is musan and gaz.side(musan, None) is musan


def test_side_resolves_an_ambiguous_mention_to_the_actors_candidate(gaz: Gazetteer) -> None:
    p = Place(text="Kosong", start=0, end=6, candidates=["kp-kosong", "kr-goseong"])
    north = gaz.side(p, "KP")
    assert (north.place_id, north.admin1, north.country) == ("kp-kosong", "Kangwon", "KP")
    assert north.candidates == ["kr-goseong"] and north.precision == 3
    assert gaz.side(p, "KR").place_id == "kr-goseong"
    assert gaz.side(p, "CN") is p


def test_country_of_names_the_actor(gaz: Gazetteer) -> None:
    assert gaz.country_of("North Korean troops") == "KP"
    assert gaz.country_of("South Korea's defence ministry") == "KR"
    assert gaz.country_of("Pyongyang") == "KP"
    assert gaz.country_of("Ukrainian forces") == "UA"
    assert gaz.country_of("the North", ["KP", "KR"]) == "KP"
    assert gaz.country_of("the South", ["KR", "KP"]) == "KR"
    # the North of what? no Korean context, no country
    assert gaz.country_of("the North") is None
    for vague in ("Korean engineers", "the two Koreas", "unknown groups", None, ""):
        assert gaz.country_of(vague, ["KP", "KR"]) is None, vague


def test_border_phrases_with_possessives_and_ends_are_places(gaz: Gazetteer) -> None:
    text = "Troops worked in Cheorwon. Mines are buried in the South's border areas."
    p = gaz.find_places(text, "KR")[-1]
    assert (p.text, p.place_id, p.relation, p.admin1) == (
        "in the South's border areas",
        "kp-kr-dmz",
        "in",
        None,
    )
    text = "Mines were laid close to Arrowhead Hill and at either end of the border."
    p = gaz.find_places(text, "KP")[-1]
    assert (p.text, p.place_id, p.relation) == ("either end of the border", "kp-kr-dmz", "along")
    # a border with no located cue is still not a place ("the border guards")
    assert gaz.find_places("Arrowhead Hill. The border guards left.", "KP")[-1].kind == "hill"


# -- common English names of divisions ---------------------------------------------------


def test_admin1_names_table_is_consistent(gaz: Gazetteer) -> None:
    rows = _csv("admin1_names.csv")
    codes = [r["code"] for r in rows]
    assert len(codes) == len(set(codes)) and len(rows) > 400
    for r in rows:
        sub = pycountry.subdivisions.get(code=r["code"])
        assert sub is not None, r
        # listed only where the English name is not the ISO name written another way
        assert key(r["name"]) != key(sub.name), r
        e = gaz.get(r["code"])
        assert e is not None and e.iso == r["code"], r
        if e.origin == "pycountry":
            assert (e.name, e.admin1, e.iso_name) == (r["name"], r["name"], sub.name), r
            # both names still find it
            assert e in gaz.lookup(r["name"], sub.country_code), r
            assert e in gaz.lookup(sub.name, sub.country_code), r
        assert gaz.admin1_facts(sub.country_code, r["name"]) == (r["code"], sub.name), r


@pytest.mark.parametrize(
    ("text", "admin1", "code", "iso"),
    [
        ("Mines were cleared in Battambang province.", "Battambang", "KH-2", "Baat Dambang"),
        (
            "Deminers returned to the Kharkiv region.",
            "Kharkiv Oblast",
            "UA-63",
            "Kharkivska oblast",
        ),
        ("A blast hit Deir ez-Zor governorate.", "Deir ez-Zor", "SY-DY", "Dayr az Zawr"),
        ("Fighting went on in Sagaing Region.", "Sagaing", "MM-01", "Sagaing"),
        ("Villagers fled northern Shan State.", "Shan", "MM-17", "Shan"),
        ("Two died in Kursk Oblast.", "Kursk Oblast", "RU-KRS", "Kurskaya oblast'"),
        ("Mines were found in Ryanggang Province.", "Ryanggang", "KP-10", "Ryangkangto"),
    ],
)
def test_admin1_is_the_english_name_with_the_iso_form_beside_it(
    gaz: Gazetteer, text: str, admin1: str, code: str, iso: str
) -> None:
    p = next(p for p in gaz.find_places(text) if p.admin1)
    assert (p.admin1, p.admin1_code, p.admin1_iso) == (admin1, code, iso)


def test_spellings_of_one_division_share_its_code(gaz: Gazetteer) -> None:
    for name in ("Kharkivska oblast", "Kharkiv Oblast", "Kharkiv region", "Kharkov Oblast"):
        assert gaz.admin1_code("UA", name) == "UA-63", name
    assert gaz.admin1_code("UA", "Atlantis") is None
    assert gaz.admin1_code(None, "Kharkiv Oblast") is None


# -- villages (the 1,000+ tier) and names inside longer names -----------------------------


def test_a_village_needs_its_province_named(gaz: Gazetteer) -> None:
    named = gaz.find_places("A tractor hit a mine near Nova Basan in the Chernihiv region.", "UA")
    assert "geonames:699887" in [p.place_id for p in named]
    alone = gaz.find_places("A tractor hit a mine near Nova Basan.", "UA")
    assert "geonames:699887" not in [p.place_id for p in alone]


@pytest.mark.parametrize(
    ("text", "hint"),
    [
        ("They told Major Nguyen Thanh Vinh, head of the commune police.", "VN"),
        ("It went to the Vehicle Factory Jabalpur for testing.", "IN"),
    ],
)
def test_a_town_name_ending_a_longer_name_is_no_place(gaz: Gazetteer, text: str, hint: str) -> None:
    assert [p for p in gaz.find_places(text, hint) if p.kind in ("town", "city")] == []


def test_a_count_before_a_town_is_no_name(gaz: Gazetteer) -> None:
    assert [p.name for p in gaz.find_places("Two Juba boys were killed.", "SS")] == ["Juba"]
