"""The offline basemap for Leaflet: the report's map layers as GeoJSON.

The same geometry as the country profile's SVG map (``minewatch.report.mapsvg``:
the gazetteer's countries, borders, DMZ and rivers, else the shipped features),
simplified for the browser. No tile server is ever contacted.
"""

from __future__ import annotations

import json
from functools import lru_cache
from typing import Any

from shapely.geometry import mapping

#: Simplification tolerance in degrees (about 1 km): enough for a review map.
TOLERANCE = 0.01


@lru_cache(maxsize=1)
def basemap_json() -> bytes:
    """GeoJSON FeatureCollection of the basemap (computed once per process)."""
    from minewatch.corroborate.service import default_gazetteer
    from minewatch.report.mapsvg import gazetteer_layers

    layers = gazetteer_layers(default_gazetteer())
    features: list[dict[str, Any]] = []
    for layer in layers:
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
