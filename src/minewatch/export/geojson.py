"""GeoJSON export (RFC 7946): one Feature per incident, WGS 84 lon/lat.

Incidents without coordinates keep ``"geometry": null`` (allowed by RFC 7946
section 3.2) so nothing silently disappears; QGIS loads them as rows without
a geometry. Every geometry is a Point, so QGIS makes one point layer.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

from minewatch.export.rows import COLUMNS


def to_feature_collection(rows: Iterable[dict[str, Any]]) -> dict[str, Any]:
    feats = []
    for r in rows:
        lat, lon = r.get("latitude"), r.get("longitude")
        geom = None
        if lat is not None and lon is not None:
            geom = {"type": "Point", "coordinates": [round(lon, 6), round(lat, 6)]}
        feats.append(
            {
                "type": "Feature",
                "id": r["incident_id"],
                "geometry": geom,
                "properties": {c: r.get(c) for c in COLUMNS},
            }
        )
    return {"type": "FeatureCollection", "features": feats}


def to_geojson(rows: Iterable[dict[str, Any]]) -> str:
    return json.dumps(to_feature_collection(rows), ensure_ascii=False, indent=1) + "\n"
