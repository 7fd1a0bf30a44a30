"""Build-time tool: write ``data/features.geojson`` from the vertex lists below.

Run ``python -m minewatch.geo._build_features`` after editing a vertex list. The
vertices were compiled by hand from public maps (Wikipedia, OpenStreetMap
renderings) and are approximate (a few km); they are good enough to draw the
borders on a profile map and to classify a place by its nearest border. The
DMZ polygon is derived: a 2 km buffer on each side of the MDL line (the DMZ is
about 4 km deep), and the China-North Korea border joins the Yalu, Mount
Paektu and the Tumen up to the Russian tripoint. Not used at run time.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from shapely.geometry import LineString, Point, Polygon, mapping
from shapely.geometry.base import BaseGeometry

from minewatch.geo.borders import line_length_km, project, unproject

DATA = Path(__file__).with_name("data")

# (lon, lat), source to mouth.
YALU = [
    (128.06, 41.98), (128.20, 41.80), (128.28, 41.62), (128.22, 41.47), (128.18, 41.40),
    (127.98, 41.45), (127.83, 41.52), (127.55, 41.42), (127.30, 41.52), (127.15, 41.62),
    (126.95, 41.75), (126.89, 41.79), (126.70, 41.60), (126.50, 41.40), (126.29, 41.16),
    (126.19, 41.10), (126.03, 40.90), (125.80, 40.83), (125.60, 40.75), (125.44, 40.62),
    (125.20, 40.46), (124.97, 40.47), (124.75, 40.35), (124.53, 40.22), (124.40, 40.11),
    (124.30, 39.95), (124.20, 39.83),
]  # fmt: skip
TUMEN = [
    (128.25, 42.00), (128.50, 42.05), (128.78, 42.10), (129.00, 42.15), (129.21, 42.24),
    (129.45, 42.35), (129.73, 42.46), (129.80, 42.65), (129.85, 42.85), (129.86, 42.96),
    (130.00, 42.98), (130.15, 42.90), (130.22, 42.80), (130.32, 42.65), (130.40, 42.53),
    (130.55, 42.46), (130.62, 42.42), (130.67, 42.35), (130.70, 42.29),
]  # fmt: skip
TRIPOINT = (130.62, 42.42)
PAEKTU = (128.0775, 41.9936)
IMJIN = [
    (127.45, 39.00), (127.35, 38.85), (127.20, 38.65), (127.10, 38.45), (127.03, 38.25),
    (127.02, 38.12), (127.00, 38.05), (126.92, 37.97), (126.85, 37.92), (126.78, 37.87),
    (126.68, 37.77),
]  # fmt: skip
# Military Demarcation Line, west (Han estuary) to east (coast north of Goseong).
MDL = [
    (126.66, 37.78), (126.68, 37.88), (126.677, 37.956), (126.75, 38.00), (126.87, 38.06),
    (126.98, 38.12), (127.10, 38.22), (127.20, 38.27), (127.30, 38.30), (127.45, 38.31),
    (127.60, 38.31), (127.75, 38.30), (127.90, 38.30), (128.05, 38.31), (128.20, 38.35),
    (128.28, 38.45), (128.33, 38.55), (128.36, 38.61),
]  # fmt: skip
# Northern Limit Line, east (Han estuary) to west (beyond Baengnyeong).
NLL = [
    (126.55, 37.70), (126.30, 37.70), (126.05, 37.72), (125.80, 37.70), (125.65, 37.72),
    (125.40, 37.78), (125.10, 37.85), (124.85, 37.95), (124.70, 38.00), (124.55, 38.03),
    (124.40, 38.00),
]  # fmt: skip
NK_EAST_COAST = [
    (130.42, 42.32), (130.30, 42.24), (130.05, 42.10), (129.78, 41.77), (129.65, 41.45),
    (129.50, 41.10), (129.25, 40.72), (128.90, 40.45), (128.65, 40.30), (128.20, 40.03),
    (127.85, 39.85), (127.60, 39.78), (127.45, 39.50), (127.45, 39.25), (127.50, 39.15),
    (127.70, 39.05), (127.95, 38.90), (128.15, 38.80), (128.30, 38.68),
]  # fmt: skip
NK_WEST_COAST = [
    (126.55, 37.80), (126.30, 37.85), (126.15, 37.88), (125.90, 37.90), (125.70, 37.95),
    (125.50, 37.88), (125.30, 37.90), (125.05, 37.98), (124.75, 38.12), (124.90, 38.35),
    (125.10, 38.55), (125.20, 38.70), (125.15, 38.95), (125.30, 39.30), (125.15, 39.55),
    (124.85, 39.60), (124.60, 39.62), (124.40, 39.75),
]  # fmt: skip
SK_COAST = [
    (128.50, 38.30), (128.60, 38.21), (128.75, 37.95), (128.95, 37.77), (129.10, 37.55),
    (129.35, 37.10), (129.42, 36.80), (129.40, 36.40), (129.58, 36.05), (129.45, 35.70),
    (129.40, 35.50), (129.25, 35.25), (129.05, 35.07), (128.70, 35.00), (128.40, 34.85),
    (128.00, 34.85), (127.70, 34.70), (127.30, 34.60), (126.90, 34.45), (126.55, 34.30),
    (126.35, 34.65), (126.38, 34.80), (126.40, 35.20), (126.50, 35.60), (126.65, 35.98),
    (126.55, 36.30), (126.20, 36.75), (126.55, 36.95), (126.80, 37.00), (126.65, 37.15),
    (126.60, 37.45), (126.55, 37.65),
]  # fmt: skip


def _round(geom: BaseGeometry) -> dict[str, Any]:
    def r(obj: Any) -> Any:
        if isinstance(obj, (list, tuple)):
            if obj and isinstance(obj[0], float):
                return [round(v, 4) for v in obj]
            return [r(o) for o in obj]
        return obj

    m = dict(mapping(geom))
    m["coordinates"] = r(m["coordinates"])
    return m


def build() -> dict[str, Any]:
    """All features keyed by gazetteer id."""
    china = [*reversed(YALU), PAEKTU, *TUMEN[: TUMEN.index(TRIPOINT) + 1]]
    russia = TUMEN[TUMEN.index(TRIPOINT) :]
    mdl = LineString(MDL)
    dmz = unproject(project(mdl).buffer(2.0, cap_style="flat"))
    jsa = unproject(project(Point(126.6772, 37.9558)).buffer(0.4))
    nk = Polygon([*china, *russia, *NK_EAST_COAST, *reversed(MDL), *NK_WEST_COAST])
    sk = Polygon([*MDL, *SK_COAST])
    geoms: dict[str, BaseGeometry] = {
        "yalu-river": LineString(YALU),
        "tumen-river": LineString(TUMEN),
        "imjin-river": LineString(IMJIN),
        "kp-kr-mdl": mdl,
        "kp-kr-nll": LineString(NLL),
        "kp-kr-dmz": dmz,
        "kp-kr-jsa": jsa,
        "kp-cn-border": LineString(china),
        "kp-ru-border": LineString(russia),
        "KP": nk,
        "KR": sk,
    }
    for key, g in geoms.items():
        if not g.is_valid:
            raise SystemExit(f"invalid geometry for {key}")
    features = [
        {"type": "Feature", "properties": {"id": key}, "geometry": _round(g)}
        for key, g in geoms.items()
    ]
    return {
        "type": "FeatureCollection",
        "comment": (
            "Generated by minewatch.geo._build_features from hand-compiled vertices "
            "(approximate, public maps); DMZ = MDL buffered 2 km each side."
        ),
        "features": features,
    }


def main() -> None:
    fc = build()
    path = DATA / "features.geojson"
    path.write_text(json.dumps(fc, ensure_ascii=False, indent=None) + "\n", encoding="utf-8")
    for f in fc["features"]:
        from shapely.geometry import shape

        g = shape(f["geometry"])
        size = line_length_km(g) if g.geom_type == "LineString" else project(g).area
        print(f"{f['properties']['id']:14s} {g.geom_type:10s} {size:10.1f}")


if __name__ == "__main__":
    main()
