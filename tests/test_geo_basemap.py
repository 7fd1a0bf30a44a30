"""The bundled base map (Natural Earth 1:10m via world-atlas): integrity and use."""

from __future__ import annotations

from shapely.geometry import Point

from minewatch.geo import basemap


def test_east_asia_is_bundled_with_iso_codes() -> None:
    region = basemap.region_for(124.0, 37.5, 131.0, 43.0)
    assert region == "east-asia"
    codes = {c.iso_a2 for c in basemap.countries(region)}
    assert {"KP", "KR", "CN", "RU", "JP"} <= codes
    fc = basemap.geojson(region)
    assert "Natural Earth" in fc["source"]
    assert all(f["geometry"]["type"] in ("Polygon", "MultiPolygon") for f in fc["features"])


def test_places_fall_in_the_right_country_and_the_sea_in_none() -> None:
    by_code = {c.iso_a2: c.geometry for c in basemap.countries("east-asia")}
    assert by_code["KP"].contains(Point(125.75, 39.03))  # Pyongyang
    assert by_code["KR"].contains(Point(126.98, 37.57))  # Seoul
    assert by_code["CN"].contains(Point(129.5, 42.9))  # Yanji, across the Tumen
    yellow_sea = Point(124.0, 36.0)
    assert not any(g.contains(yellow_sea) for g in by_code.values())
    # a shared border: North Korea and China touch along the Yalu/Tumen
    assert by_code["KP"].buffer(0.01).intersects(by_code["CN"])


def test_unknown_region_is_empty() -> None:
    assert basemap.countries(None) == ()
    assert basemap.countries("atlantis") == ()
    assert basemap.region_for(-80, 0, -70, 10) is None
