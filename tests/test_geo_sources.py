"""GeoNames import, a user's CSV/GeoJSON places, the store, and the gazetteer CLI."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select
from typer.testing import CliRunner

from minewatch.cli import app
from minewatch.geo import (
    GazetteerEntry,
    GazetteerInputError,
    load_gazetteer,
    read_geonames,
    read_user_places,
    save_entries,
)
from minewatch.store import Store
from minewatch.store import schema as t


def gn_row(
    gid: int,
    name: str,
    alts: str,
    lat: float,
    lon: float,
    fclass: str,
    fcode: str,
    cc: str = "KP",
    adm1: str = "17",
    pop: int = 0,
) -> str:
    cols = [str(gid), name, name, alts, str(lat), str(lon), fclass, fcode, cc, "", adm1,
            "", "", "", str(pop), "", "0", "Asia/Pyongyang", "2024-01-01"]  # fmt: skip
    return "\t".join(cols)


GOOD = [
    gn_row(1, "Hamgyŏng-bukto", "Hamgyong-bukto,North Hamgyong,함경북도", 41.8, 129.6, "A", "ADM1"),
    gn_row(2, "North Korea", "DPRK", 40.0, 127.0, "A", "PCLI", adm1="00"),
    gn_row(3, "Sinhŭng-ri", "Sinhung-ri,Sinhung,신흥리", 42.31, 129.35, "P", "PPL", pop=900),
    gn_row(4, "Sŏngch'ŏn-gang", "Songchon-gang,Songchon River", 41.9, 129.5, "H", "STM"),
    gn_row(5, "Musan-ŭp", "Musan,Musan-up,무산읍", 42.2261, 129.2078, "P", "PPLA2", pop=21739),
]


def write(tmp_path: Path, name: str, lines: list[str]) -> Path:
    p = tmp_path / name
    p.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return p


def test_read_geonames(tmp_path: Path) -> None:
    entries = read_geonames(write(tmp_path, "KP.txt", GOOD), gazetteer=load_gazetteer())
    by_id = {e.id: e for e in entries}
    assert "geonames:2" not in by_id  # countries come from the curated data
    v = by_id["geonames:3"]
    assert (v.name, v.kind, v.country, v.admin1) == (
        "Sinhŭng-ri",
        "village",
        "KP",
        "North Hamgyong",
    )
    assert v.hangul == "신흥리" and "Sinhung-ri" in v.variants
    assert v.origin == "geonames" and "KP.txt" in v.source
    assert by_id["geonames:4"].kind == "river"
    assert by_id["geonames:1"].kind == "province"


def test_imported_places_are_matched_and_curated_ones_still_win(tmp_path: Path) -> None:
    gaz = load_gazetteer(extra=read_geonames(write(tmp_path, "KP.txt", GOOD), load_gazetteer()))
    places = gaz.find_places("Mines exploded near Sinhung-ri, north of Musan.", "KP")
    assert [p.place_id for p in places] == ["geonames:3", "kp-musan"]
    assert places[0].precision == 2 and places[0].admin1 == "North Hamgyong"
    assert places[0].border_segment == "china"


@pytest.mark.parametrize(
    ("bad", "message"),
    [
        ("\t".join(["6", "Short row", "x"]), "expected 19 tab-separated GeoNames columns"),
        (gn_row(6, "Far", "", 95.0, 129.0, "P", "PPL"), "coordinates out of range"),
        (gn_row(6, "Far", "", 42.0, 229.0, "P", "PPL"), "coordinates out of range"),
        (gn_row(3, "Again", "", 42.0, 129.0, "P", "PPL"), "duplicate geonameid 3"),
        (gn_row(6, "NaN", "", 42.0, 129.0, "P", "PPL").replace("\t42.0\t", "\tnorth\t"),
         "not numbers"),
    ],
)  # fmt: skip
def test_bad_geonames_rows_name_the_row(tmp_path: Path, bad: str, message: str) -> None:
    path = write(tmp_path, "KP.txt", [*GOOD[:3], bad, GOOD[3]])
    with pytest.raises(GazetteerInputError) as exc:
        read_geonames(path)
    assert exc.value.row == 4 and message in str(exc.value) and "KP.txt" in str(exc.value)


def test_store_round_trip_and_replace(tmp_path: Path) -> None:
    store = Store.memory()
    entries = user_rows(
        tmp_path,
        [
            "id,name,lat,lon,kind,country,admin1,variants",
            "user:field-7,Field Seven,42.1,129.1,village,KP,North Hamgyong,Field 7|F7 minefield",
        ],
    )
    assert save_entries(store, entries, origin="user") == 1
    assert save_entries(store, entries, origin="user") == 1  # same id replaced, not duplicated
    with store.engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(t.places)).scalar_one() == 1
    gaz = load_gazetteer(store=store)
    p = gaz.find_places("mines in Field Seven", "KP")[0]
    assert (p.place_id, p.admin1, p.precision) == ("user:field-7", "North Hamgyong", 1)
    assert any(e.action == "gazetteer.add" for e in store.log_entries())


def user_rows(tmp_path: Path, rows: list[str]) -> list[GazetteerEntry]:
    return read_user_places(write(tmp_path, "places.csv", rows))


@pytest.mark.parametrize(
    ("rows", "row", "message"),
    [
        (["id,name,lat", "a,A,1"], 1, "missing column(s): lon"),
        (["id,name,lat,lon", "a,A,1,2", "b,B,91,2"], 3, "coordinates out of range"),
        (["id,name,lat,lon", "a,A,1,2", "a,A2,1,2"], 3, "duplicate id 'a' (first on row 2)"),
        (["id,name,lat,lon", ",A,1,2"], 2, "missing id"),
        (["id,name,lat,lon,kind", "a,A,1,2,castle"], 2, "unknown kind"),
        (["id,name,lat,lon,country", "a,A,1,2,Korea"], 2, "ISO alpha-2"),
    ],
)
def test_bad_user_csv_names_the_row(
    tmp_path: Path, rows: list[str], row: int, message: str
) -> None:
    with pytest.raises(GazetteerInputError) as exc:
        user_rows(tmp_path, rows)
    assert exc.value.row == row and message in str(exc.value)


def _fc(*features: dict[str, Any]) -> str:
    return json.dumps({"type": "FeatureCollection", "features": list(features)})


def _feature(pid: str, geometry: dict[str, Any], **props: object) -> dict[str, Any]:
    return {"type": "Feature", "properties": {"id": pid, "name": pid.title(), **props},
            "geometry": geometry}  # fmt: skip


SQUARE = {"type": "Polygon", "coordinates": [[[129, 42], [129.1, 42], [129.1, 42.1], [129, 42]]]}
BOWTIE = {"type": "Polygon", "coordinates": [[[0, 0], [1, 1], [1, 0], [0, 1], [0, 0]]]}


def test_user_geojson(tmp_path: Path) -> None:
    path = tmp_path / "mine.geojson"
    path.write_text(
        _fc(
            _feature("user:minefield-a", SQUARE, kind="zone", country="KP"),
            _feature("user:post-3", {"type": "Point", "coordinates": [129.2, 42.2]}, kind="hill"),
        ),
        encoding="utf-8",
    )
    entries = read_user_places(path)
    zone = entries[0]
    assert zone.geometry is not None and zone.kind == "zone"
    assert 42.0 < zone.lat < 42.1 and 129.0 < zone.lon < 129.1  # type: ignore[operator]
    assert (entries[1].lat, entries[1].lon) == (42.2, 129.2)
    gaz = load_gazetteer(extra=entries)
    assert gaz.geometry("user:minefield-a").geom_type == "Polygon"  # type: ignore[union-attr]
    store = Store.memory()
    save_entries(store, entries, origin="user")
    back = load_gazetteer(store=store)
    assert back.geometry("user:minefield-a").equals(gaz.geometry("user:minefield-a"))  # type: ignore[union-attr]


def test_invalid_geojson_geometry_names_the_feature(tmp_path: Path) -> None:
    path = tmp_path / "bad.geojson"
    path.write_text(_fc(_feature("ok", SQUARE), _feature("user:bowtie", BOWTIE)), encoding="utf-8")
    with pytest.raises(GazetteerInputError) as exc:
        read_user_places(path)
    assert exc.value.row == "feature 2" and "invalid geometry" in str(exc.value)
    assert "Self-intersection" in str(exc.value)


# -- CLI ------------------------------------------------------------------------------


def _count(db: Path) -> int:
    store = Store.open(db)
    with store.engine.connect() as conn:
        return int(conn.execute(select(func.count()).select_from(t.places)).scalar_one())


def test_cli_import_add_lookup_parse(tmp_path: Path) -> None:
    runner = CliRunner()
    db = tmp_path / "mw.db"
    kp = write(tmp_path, "KP.txt", GOOD)
    res = runner.invoke(app, ["gazetteer", "import", str(kp), "--db", str(db)])
    assert res.exit_code == 0, res.output
    assert _count(db) == 4
    csv_path = write(tmp_path, "mine.csv", ["id,name,lat,lon", "user:x,Minefield Xray,42,129"])
    res = runner.invoke(app, ["gazetteer", "add", str(csv_path), "--db", str(db)])
    assert res.exit_code == 0 and _count(db) == 5
    res = runner.invoke(app, ["gazetteer", "lookup", "Sinhung-ri", "--db", str(db)])
    assert res.exit_code == 0 and "geonames:3" in res.output
    res = runner.invoke(app, ["gazetteer", "lookup", "Hamgyŏng-bukto", "--json"])
    assert json.loads(res.stdout)[0]["id"] == "kp-north-hamgyong"
    res = runner.invoke(
        app, ["gazetteer", "parse", "mines near Minefield Xray and Musan", "--db", str(db)]
    )
    ids = [json.loads(line)["place_id"] for line in res.stdout.splitlines()]
    assert ids == ["user:x", "kp-musan"]
    res = runner.invoke(app, ["gazetteer", "features", "--kind", "river"])
    assert len(json.loads(res.stdout)["features"]) == 3


def test_cli_bad_file_loads_nothing(tmp_path: Path) -> None:
    runner = CliRunner()
    db = tmp_path / "mw.db"
    bad = write(tmp_path, "KP.txt", [*GOOD, gn_row(9, "Far", "", 42.0, 229.0, "P", "PPL")])
    res = runner.invoke(app, ["gazetteer", "import", str(bad), "--db", str(db)])
    assert res.exit_code == 1
    assert "row 6" in res.output and "coordinates out of range" in res.output
    assert _count(db) == 0
