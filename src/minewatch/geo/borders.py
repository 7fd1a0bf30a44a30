"""Distances in kilometres and the border facts derived for every place.

Geometries are stored in WGS84 (lon, lat). For distances we project to a
sinusoidal projection centred on the Korean peninsula (127.5 E): over the
peninsula and its borders (about 33-44 N, 124-131 E) it keeps distances within
a few per cent, which is what "60 metres from the border" or "50 miles
north-east of Seoul" need. Points anywhere on Earth use the haversine formula.
"""

from __future__ import annotations

import math
from collections.abc import Iterable

import numpy as np
import numpy.typing as npt
from shapely import transform
from shapely.geometry.base import BaseGeometry

EARTH_RADIUS_KM = 6371.0088
_LON0 = 127.5
_DEG = math.pi / 180.0

#: Border segments, nearest first wins on ties (a river on two borders -> china).
SEGMENTS: tuple[str, ...] = ("china", "dmz", "russia")
#: Lines whose distance defines each segment.
SEGMENT_LINES: dict[str, str] = {
    "china": "kp-cn-border",
    "dmz": "kp-kr-mdl",
    "russia": "kp-ru-border",
}
#: A place within this distance of a border line belongs to that segment.
BORDER_KM = 30.0
#: A place within this distance of the coast (and not of a land border) is "coast".
COAST_KM = 12.0
#: Region where the derived facts are computed (lon_min, lat_min, lon_max, lat_max).
REGION = (120.0, 32.0, 136.0, 46.0)


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance between two WGS84 points in kilometres."""
    p1, p2 = lat1 * _DEG, lat2 * _DEG
    dp = p2 - p1
    dl = (lon2 - lon1) * _DEG
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(a)))


def project_xy(lon: float, lat: float) -> tuple[float, float]:
    """Sinusoidal projection (km) centred on 127.5 E."""
    return (
        EARTH_RADIUS_KM * (lon - _LON0) * _DEG * math.cos(lat * _DEG),
        EARTH_RADIUS_KM * lat * _DEG,
    )


def unproject_xy(x: float, y: float) -> tuple[float, float]:
    """Inverse of :func:`project_xy`: (lon, lat) from km."""
    lat = y / (EARTH_RADIUS_KM * _DEG)
    c = math.cos(lat * _DEG)
    lon = _LON0 + (x / (EARTH_RADIUS_KM * _DEG * c) if c > 1e-9 else 0.0)
    return lon, lat


def project(geom: BaseGeometry) -> BaseGeometry:
    """A WGS84 geometry in the km projection."""

    def fwd(coords: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
        lon = coords[:, 0]
        lat = coords[:, 1]
        out = coords.copy()
        out[:, 0] = EARTH_RADIUS_KM * (lon - _LON0) * _DEG * np.cos(lat * _DEG)
        out[:, 1] = EARTH_RADIUS_KM * lat * _DEG
        return out

    return transform(geom, fwd)


def unproject(geom: BaseGeometry) -> BaseGeometry:
    """A km-projected geometry back in WGS84."""

    def inv(coords: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
        out = coords.copy()
        lat = coords[:, 1] / (EARTH_RADIUS_KM * _DEG)
        out[:, 1] = lat
        out[:, 0] = _LON0 + coords[:, 0] / (EARTH_RADIUS_KM * _DEG * np.cos(lat * _DEG))
        return out

    return transform(geom, inv)


def in_region(lat: float | None, lon: float | None) -> bool:
    if lat is None or lon is None:
        return False
    return REGION[0] <= lon <= REGION[2] and REGION[1] <= lat <= REGION[3]


def line_length_km(geom: BaseGeometry) -> float:
    return float(project(geom).length)


#: Countries on each side of a border segment.
SEGMENT_COUNTRIES: dict[str, frozenset[str]] = {
    "china": frozenset({"KP", "CN"}),
    "dmz": frozenset({"KP", "KR"}),
    "russia": frozenset({"KP", "RU"}),
}


def nearest_segment(
    distances: Iterable[tuple[str, float]], coast_km: float | None, country: str | None = None
) -> tuple[str, float | None]:
    """Border segment from distances (km) to each border line and to the coast.

    Returns the segment name and the distance to the nearest border line (the
    nearest land border even when the place is classed coast or interior).
    Near a tripoint, a segment the place's own country lies on wins (Khasan is
    on the Russian border, not the Chinese one).
    """
    dists = list(distances)
    best: tuple[str, float] | None = None
    for name, d in dists:
        if best is None or d < best[1] - 1e-9:
            best = (name, d)
    if best is None:
        return ("interior", None)
    if best[1] <= BORDER_KM:
        own = [
            (name, d)
            for name, d in dists
            if d <= BORDER_KM and country in SEGMENT_COUNTRIES.get(name, frozenset())
        ]
        if country and country != "KP" and own:
            return min(own, key=lambda x: x[1])[0], best[1]
        return (best[0], best[1])
    if coast_km is not None and coast_km <= COAST_KM:
        return ("coast", best[1])
    return ("interior", best[1])
