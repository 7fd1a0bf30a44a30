"""Build the bundled base map from Natural Earth 1:10m (npm's ``world-atlas``).

Run at build time, never at run time: it takes the ``world-atlas`` package with
``npm pack`` (the ordinary npm client), decodes its ``countries-10m.json``
TopoJSON, clips every country to each region box below and writes
``src/minewatch/geo/data/basemap/<region>.geojson`` (country polygons with
ISO 3166 codes). Natural Earth is public domain; world-atlas is ISC-licensed.

    python scripts/build_basemap.py            # all regions
    python scripts/build_basemap.py --region east-asia --tarball world-atlas-2.0.2.tgz

Add a region by adding a line to REGIONS; ``minewatch.geo.basemap`` reads
whatever regions are bundled.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import tarfile
import tempfile
from pathlib import Path
from typing import Any

import pycountry
from shapely.geometry import MultiPolygon, Polygon, box, mapping
from shapely.ops import unary_union

WORLD_ATLAS = "world-atlas@2.0.2"
OUT = Path(__file__).resolve().parents[1] / "src/minewatch/geo/data/basemap"
#: region -> (west, south, east, north) in degrees; wide enough for a country
#: profile's map with its neighbours and the seas around it.
REGIONS = {"east-asia": (115.0, 30.0, 146.0, 50.0)}
#: ~300 m: below what a country map at 1:10m can show, keeps the file small.
SIMPLIFY_DEG = 0.003
DECIMALS = 4


def _fetch(tarball: Path | None) -> dict[str, Any]:
    with tempfile.TemporaryDirectory() as tmp:
        if tarball is None:
            subprocess.run(["npm", "pack", WORLD_ATLAS, "--silent"], cwd=tmp, check=True)
            tarball = next(Path(tmp).glob("world-atlas-*.tgz"))
        with tarfile.open(tarball) as tf:
            member = tf.extractfile("package/countries-10m.json")
            assert member is not None
            return dict(json.load(member))


def _arcs(topo: dict[str, Any]) -> list[list[tuple[float, float]]]:
    """Absolute coordinates of every arc (TopoJSON quantized delta encoding)."""
    (sx, sy), (tx, ty) = topo["transform"]["scale"], topo["transform"]["translate"]
    out = []
    for arc in topo["arcs"]:
        x = y = 0
        pts = []
        for dx, dy in arc:
            x, y = x + dx, y + dy
            pts.append((x * sx + tx, y * sy + ty))
        out.append(pts)
    return out


def _ring(indexes: list[int], arcs: list[list[tuple[float, float]]]) -> list[tuple[float, float]]:
    pts: list[tuple[float, float]] = []
    for i in indexes:
        a = arcs[i] if i >= 0 else arcs[~i][::-1]
        pts.extend(a[1:] if pts else a)
    return pts


def _geometry(geom: dict[str, Any], arcs: list[list[tuple[float, float]]]) -> MultiPolygon | None:
    polys = geom["arcs"] if geom["type"] == "MultiPolygon" else [geom["arcs"]]
    out = []
    for rings in polys:
        shell, *holes = (_ring(r, arcs) for r in rings)
        if len(shell) >= 4:
            out.append(Polygon(shell, [h for h in holes if len(h) >= 4]).buffer(0))
    return MultiPolygon([p for g in out for p in getattr(g, "geoms", [g])]) if out else None


def _alpha2(numeric: str | None, name: str) -> str | None:
    if numeric:
        c = pycountry.countries.get(numeric=numeric)
        if c is not None:
            return str(c.alpha_2)
    return None


def _rounded(obj: Any) -> Any:
    if isinstance(obj, float):
        return round(obj, DECIMALS)
    if isinstance(obj, list | tuple):
        return [_rounded(o) for o in obj]
    if isinstance(obj, dict):
        return {k: _rounded(v) for k, v in obj.items()}
    return obj


def build(region: str, topo: dict[str, Any]) -> dict[str, Any]:
    """The FeatureCollection of countries clipped to ``region``'s box."""
    frame = box(*REGIONS[region])
    arcs = _arcs(topo)
    features = []
    for g in topo["objects"]["countries"]["geometries"]:
        shape_ = _geometry(g, arcs)
        if shape_ is None or not shape_.intersects(frame):
            continue
        clipped = unary_union(shape_.intersection(frame)).simplify(SIMPLIFY_DEG)
        if clipped.is_empty:
            continue
        name = g.get("properties", {}).get("name", "")
        features.append(
            {
                "type": "Feature",
                "properties": {"iso_a2": _alpha2(g.get("id"), name), "name": name},
                "geometry": _rounded(mapping(clipped)),
            }
        )
    features.sort(key=lambda f: f["properties"]["name"])
    return {
        "type": "FeatureCollection",
        "source": f"Natural Earth 1:10m admin-0 countries v4.1.0 via npm {WORLD_ATLAS}",
        "license": "Natural Earth: public domain; world-atlas packaging: ISC",
        "region": region,
        "bbox": list(REGIONS[region]),
        "features": features,
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--region", choices=sorted(REGIONS), action="append")
    ap.add_argument("--tarball", type=Path, help="a world-atlas .tgz already packed")
    args = ap.parse_args()
    topo = _fetch(args.tarball)
    OUT.mkdir(parents=True, exist_ok=True)
    for region in args.region or sorted(REGIONS):
        fc = build(region, topo)
        path = OUT / f"{region}.geojson"
        path.write_text(json.dumps(fc, separators=(",", ":")) + "\n", encoding="utf-8")
        print(f"{path}: {len(fc['features'])} countries, {path.stat().st_size // 1024} KiB")


if __name__ == "__main__":
    main()
