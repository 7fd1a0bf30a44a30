"""The offline basemap for Leaflet, as GeoJSON.

Land and national borders from the bundled Natural Earth countries
(``minewatch.geo.basemap``, the geometry the report's map shares), then the
report map's own line and zone features (``minewatch.report.mapsvg``: the
DMZ, the MDL, rivers, border segments), simplified for the browser. When no
region is bundled, the report's country outlines stand in. No tile server is
ever contacted.
"""

from __future__ import annotations

import json
from functools import lru_cache
from typing import Any

from shapely.geometry import mapping

#: Simplification tolerance in degrees (about 1 km): enough for a review map.
TOLERANCE = 0.01
#: Coarser for the Natural Earth coastlines (about 2 km): half the bytes.
LAND_TOLERANCE = 0.02


@lru_cache(maxsize=1)
def basemap_json() -> bytes:
    """GeoJSON FeatureCollection of the basemap (computed once per process)."""
    from minewatch.corroborate.service import default_gazetteer
    from minewatch.geo import basemap
    from minewatch.report.mapsvg import gazetteer_layers

    features: list[dict[str, Any]] = []
    for region in sorted(basemap.regions()):
        for country in basemap.countries(region):
            geom = country.geometry.simplify(LAND_TOLERANCE, preserve_topology=True)
            if not geom.is_empty:
                props = {"kind": "land", "name": country.name, "iso_a2": country.iso_a2}
                features.append(
                    {"type": "Feature", "properties": props, "geometry": _rounded(mapping(geom))}
                )
    have_land = bool(features)
    for layer in gazetteer_layers(default_gazetteer()):
        if have_land and layer.kind == "land":
            continue
        geom = layer.geometry.simplify(TOLERANCE, preserve_topology=True)
        if geom.is_empty:
            continue
        features.append(
            {
                "type": "Feature",
                "properties": {"kind": layer.kind, "name": layer.name},
                "geometry": _rounded(mapping(geom)),
            }
        )
    data = {"type": "FeatureCollection", "features": features}
    return json.dumps(data, separators=(",", ":")).encode("utf-8")


def _rounded(obj: Any) -> Any:
    """Coordinates to 4 decimals (about 10 m): a third of the bytes."""
    if isinstance(obj, float):
        return round(obj, 4)
    if isinstance(obj, (list, tuple)):
        return [_rounded(x) for x in obj]
    if isinstance(obj, dict):
        return {k: _rounded(v) for k, v in obj.items()}
    return obj
