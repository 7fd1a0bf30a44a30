"""Integrity of the shipped gazetteer data (ids, coordinates, admin1, geometry, Hangul)."""

from __future__ import annotations

import csv
import io
from importlib import resources

import pycountry
import pytest
import yaml
from shapely.geometry import shape

from minewatch.geo import KINDS, Gazetteer, GazetteerEntry, load_gazetteer
from minewatch.geo.normalize import has_hangul
from minewatch.geo.shipped import curated_entries, load_features

DATA = resources.files("minewatch.geo").joinpath("data")


def _csv(name: str) -> list[dict[str, str]]:
    text = DATA.joinpath(name).read_text(encoding="utf-8")
    lines = [ln for ln in text.splitlines() if ln and not ln.startswith("#")]
    return list(csv.DictReader(io.StringIO("\n".join(lines))))


@pytest.fixture(scope="module")
def gaz() -> Gazetteer:
    return load_gazetteer()


@pytest.fixture(scope="module")
def curated() -> list[GazetteerEntry]:
    return curated_entries()


def test_ids_unique_and_columns_complete() -> None:
    rows = _csv("places.csv")
    ids = [r["id"] for r in rows]
    assert len(ids) == len(set(ids))
    assert len(rows) >= 140
    for r in rows:
        assert None not in r, f"row {r.get('id')} has extra fields"
        assert r["name"] and r["kind"] and r["source"], r["id"]


def test_kinds_and_precision_known(curated: list[GazetteerEntry], gaz: Gazetteer) -> None:
    for e in curated:
        assert e.kind in KINDS, e.id
        assert e.precision is None or 1 <= e.precision <= 7, e.id
        assert e.border in (None, "china", "dmz", "russia", "coast", "interior"), e.id
    assert set(gaz.rules.kind_precision) <= set(KINDS) | {"border"}


def test_no_id_collides_across_sources(gaz: Gazetteer) -> None:
    ids = [e.id for e in gaz]
    assert len(ids) == len(set(ids))


def test_coordinates_inside_country_bbox(curated: list[GazetteerEntry]) -> None:
    boxes = {r["country"]: r for r in _csv("bboxes.csv")}
    checked = 0
    for e in curated:
        if e.lat is None or e.lon is None or e.kind in ("country", "sea", "region"):
            continue
        for c in (e.country,) if e.country else e.countries:
            assert c in boxes, f"{e.id}: no bounding box for {c}"
        if e.country is None:
            # shared features: inside the union of their countries' boxes
            ok = any(_inside(boxes[c], e.lat, e.lon) for c in e.countries)
        else:
            ok = _inside(boxes[e.country], e.lat, e.lon)
        assert ok, f"{e.id} at {e.lat},{e.lon} outside {e.country or e.countries}"
        checked += 1
    assert checked > 120


def _inside(box: dict[str, str], lat: float, lon: float) -> bool:
    return float(box["lat_min"]) <= lat <= float(box["lat_max"]) and float(
        box["lon_min"]
    ) <= lon <= float(box["lon_max"])


def test_admin1_exists(gaz: Gazetteer, curated: list[GazetteerEntry]) -> None:
    admin1 = {(e.country, e.admin1) for e in gaz if e.admin1 and (e.iso or e.kind == "province")}
    for e in curated:
        if e.admin1:
            assert (e.country, e.admin1) in admin1, f"{e.id}: admin1 {e.admin1!r} unknown"


def test_parents_exist_and_agree(gaz: Gazetteer, curated: list[GazetteerEntry]) -> None:
    for e in curated:
        if e.parent is None:
            continue
        p = gaz.get(e.parent)
        assert p is not None, f"{e.id}: parent {e.parent} missing"
        assert p.country in (e.country, None), e.id
        if p.kind != "country" and e.admin1:
            assert p.admin1 == e.admin1, f"{e.id}: admin1 differs from parent {p.id}"
        assert gaz.contains(p.id, e.id), f"{p.id} should contain {e.id}"


def test_every_korean_place_has_hangul(curated: list[GazetteerEntry]) -> None:
    for e in curated:
        korean = e.country in ("KP", "KR") or bool({"KP", "KR"} & set(e.countries))
        if korean and e.kind not in ("sea",):
            assert e.hangul and has_hangul(e.hangul), f"{e.id} lacks Hangul"


def test_geometries_valid_and_named() -> None:
    feats = load_features()
    ids = {r["id"] for r in _csv("places.csv")}
    assert set(feats) <= ids
    for fid, geom in feats.items():
        g = shape(geom)
        assert g.is_valid and not g.is_empty, fid
    for needed in ("tumen-river", "yalu-river", "imjin-river", "kp-kr-mdl", "kp-kr-dmz",
                   "kp-kr-nll", "kp-cn-border", "KP", "KR"):  # fmt: skip
        assert needed in feats


def test_dmz_shape_is_a_strip_about_4_km_deep(gaz: Gazetteer) -> None:
    from minewatch.geo.borders import line_length_km, project

    dmz = project(gaz.geometry("kp-kr-dmz"))  # type: ignore[arg-type]
    mdl_km = line_length_km(gaz.geometry("kp-kr-mdl"))  # type: ignore[arg-type]
    assert 180 < mdl_km < 260
    assert 3.5 < dmz.area / mdl_km < 4.5


def test_aliases_name_real_codes() -> None:
    for r in _csv("admin1_aliases.csv"):
        assert pycountry.subdivisions.get(code=r["code"]) is not None, r["code"]
    for r in _csv("country_aliases.csv"):
        assert pycountry.countries.get(alpha_2=r["code"]) is not None, r["code"]


def test_rules_file_is_consistent(gaz: Gazetteer) -> None:
    raw = yaml.safe_load(DATA.joinpath("rules.yaml").read_text(encoding="utf-8"))
    for spec in raw["suffixes"].values():
        assert set(spec["kinds"]) <= set(KINDS) | {"any"}
    for group in raw["prefixes"].values():
        assert group in raw["suffixes"]
    for _a, _b, eid in raw["border_pairs"]:
        assert gaz.get(eid) is not None
    assert "mine" in gaz.rules.stoplist and "hill" in gaz.rules.stoplist


def test_every_country_and_admin1_from_pycountry(gaz: Gazetteer) -> None:
    assert len([e for e in gaz if e.kind == "country"]) >= len(pycountry.countries)
    assert gaz.get("MM-17") is not None and gaz.get("MM-17").country == "MM"  # type: ignore[union-attr]
    # curated Korean provinces stand in for their ISO codes
    assert gaz.get("KP-09").id == "kp-north-hamgyong"  # type: ignore[union-attr]
