"""The base map every minewatch map draws on: land, sea and national borders.

One geometry source for the report's map and the web app's map: Natural Earth
1:10m admin-0 countries (public domain), taken from npm's ``world-atlas`` at
build time by ``scripts/build_basemap.py`` and bundled, clipped to regions, in
``geo/data/basemap/<region>.geojson`` (GeoJSON FeatureCollections, WGS 84,
``[lon, lat]``, one feature per country with ``iso_a2`` and ``name``). Nothing
is downloaded at run time.

Land is the union of the country polygons, the sea is what lies outside them,
coastlines are their outer edges and borders the edges two countries share.

    from minewatch.geo.basemap import countries, region_for
    for c in countries(region_for(124.0, 37.5, 131.0, 43.0)):
        print(c.iso_a2, c.name, c.geometry.bounds)
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any

from shapely.geometry import shape
from shapely.geometry.base import BaseGeometry

_DIR = resources.files("minewatch.geo").joinpath("data", "basemap")


@dataclass(frozen=True)
class Country:
    """One country's land inside a region box."""

    iso_a2: str | None
    name: str
    geometry: BaseGeometry


def regions() -> dict[str, tuple[float, float, float, float]]:
    """Bundled regions and their (west, south, east, north) boxes."""
    out = {}
    for f in _DIR.iterdir():
        if f.name.endswith(".geojson"):
            w, s, e, n = _raw(f.name[: -len(".geojson")])["bbox"]
            out[f.name[: -len(".geojson")]] = (w, s, e, n)
    return out


def region_for(west: float, south: float, east: float, north: float) -> str | None:
    """The smallest bundled region holding the box, or None."""
    fits = [
        (abs((b[2] - b[0]) * (b[3] - b[1])), name)
        for name, b in regions().items()
        if b[0] <= west and b[1] <= south and b[2] >= east and b[3] >= north
    ]
    return min(fits)[1] if fits else None


@lru_cache(maxsize=4)
def _raw(region: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(_DIR.joinpath(f"{region}.geojson").read_text("utf-8"))
    return data


def geojson(region: str) -> dict[str, Any]:
    """The region's FeatureCollection as bundled (for a web map to serve as is)."""
    return _raw(region)


@lru_cache(maxsize=4)
def countries(region: str | None) -> tuple[Country, ...]:
    """The countries of a region (empty when ``region`` is None or not bundled)."""
    if region is None or region not in regions():
        return ()
    return tuple(
        Country(f["properties"].get("iso_a2"), f["properties"]["name"], shape(f["geometry"]))
        for f in _raw(region)["features"]
    )
