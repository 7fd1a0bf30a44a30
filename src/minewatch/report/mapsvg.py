"""The incident map: borders, DMZ and rivers from the gazetteer, incidents as
points sized by casualties; drawn offline with matplotlib and shapely.

Casualty incidents are filled circles whose area grows with the number of
people killed or injured (best estimate, else the low bound); incidents whose
count is unknown are hollow circles with a dashed edge, so "unknown" never
looks like a small number. Other incident types are small markers by type.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from importlib import resources
from typing import TYPE_CHECKING, Any

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
from matplotlib.lines import Line2D
from shapely.geometry import shape
from shapely.geometry.base import BaseGeometry

from minewatch.report.charts import RC, TYPE_COLOURS, figure_svg
from minewatch.reportdata import counts

if TYPE_CHECKING:
    from minewatch.report.profile import Profile

#: How each kind of background feature is drawn (see :func:`style_key`).
STYLES: dict[str, dict[str, Any]] = {
    "land": {"color": "#b9b4a8", "linewidth": 0.5, "zorder": 1, "fill": "#f3f0e8"},
    "border": {"color": "#555555", "linewidth": 1.0, "zorder": 2},
    "river": {"color": "#5dade2", "linewidth": 1.6, "zorder": 1.5},
    "dmz": {"color": "#e67e22", "linewidth": 0.6, "zorder": 2, "fill": "#f5cba7"},
    "mdl": {"color": "#c0392b", "linewidth": 0.8, "zorder": 3, "linestyle": "--"},
    "sea-line": {"color": "#7f8c8d", "linewidth": 0.6, "zorder": 2, "linestyle": ":"},
    "line": {"color": "#888888", "linewidth": 0.6, "zorder": 1},
}
LEGEND = (("border", "border"), ("dmz", "DMZ"), ("mdl", "MDL"), ("river", "river"))
#: Style by gazetteer id, for the shipped features whose kind alone is ambiguous.
STYLE_BY_ID = {
    "kp-kr-mdl": "mdl",
    "kp-kr-nll": "sea-line",
    "kp-kr-dmz": "dmz",
    "kp-kr-jsa": "dmz",
    "kp-cn-border": "border",
    "kp-ru-border": "border",
}


def style_key(fid: str | None, kind: str | None) -> str:
    """Which style draws a feature: by id for known lines, else by kind."""
    if fid in STYLE_BY_ID:
        return STYLE_BY_ID[fid]
    if kind == "country":
        return "land"
    if kind == "river":
        return "river"
    if kind == "zone":
        return "dmz"
    return "line"


MARKERS = {
    "emplacement": "^",
    "clearance": "s",
    "displacement": "D",
    "discovery": "P",
    "policy": "*",
}
#: The Korean peninsula (lon/lat) when nothing else sets the extent.
DEFAULT_EXTENT = {"KP": (124.0, 37.4, 131.0, 43.1), "KR": (125.5, 33.0, 130.0, 38.8)}


@dataclass
class MapLayer:
    kind: str
    name: str
    geometry: BaseGeometry


def bundled_layers() -> list[MapLayer]:
    """Background from the geo package's shipped ``features.geojson`` (offline)."""
    ref = resources.files("minewatch") / "geo" / "data" / "features.geojson"
    try:
        data = json.loads(ref.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return []
    layers = []
    for f in data.get("features", []):
        props = f.get("properties") or {}
        fid = props.get("id") or f.get("id")
        if not f.get("geometry"):
            continue
        geom = shape(f["geometry"])
        kind = props.get("kind") or (
            "country" if fid in ("KP", "KR") else "river" if str(fid).endswith("-river") else None
        )
        layers.append(MapLayer(style_key(fid, kind), str(props.get("name") or fid), geom))
    return layers


def gazetteer_layers(gazetteer: Any) -> list[MapLayer]:
    """Line and area features of a gazetteer (``minewatch.geo``) as map layers.

    Duck-typed so the map does not depend on the gazetteer's internals: a
    feature is anything with ``kind``/``id``/``name`` and a ``geometry`` (a
    GeoJSON dict or a shapely geometry) or a ``gazetteer.geometry(id)``. Without
    a gazetteer, or one that has no features, the shipped features are drawn.
    """
    if gazetteer is None or not hasattr(gazetteer, "features"):
        return bundled_layers()
    kinds = ("country", "river", "zone", "line")
    try:
        feats = list(gazetteer.features(kinds=kinds))
    except TypeError:
        feats = [f for f in gazetteer.features() if _get(f, "kind") in kinds]
    layers = []
    for f in feats:
        geom = _get(f, "geometry")
        if geom is None and hasattr(gazetteer, "geometry"):
            geom = gazetteer.geometry(_get(f, "id"))
        if isinstance(geom, dict):
            geom = shape(geom)
        if isinstance(geom, BaseGeometry) and not geom.is_empty:
            fid, kind = _get(f, "id"), _get(f, "kind")
            layers.append(MapLayer(style_key(fid, kind), str(_get(f, "name") or fid), geom))
    return layers or bundled_layers()


def _get(obj: Any, name: str) -> Any:
    return obj.get(name) if isinstance(obj, dict) else getattr(obj, name, None)


def _draw_geometry(ax: Any, geom: BaseGeometry, style: dict[str, Any]) -> None:
    style = dict(style)
    fill = style.pop("fill", None)
    gt = geom.geom_type
    if gt in ("Polygon", "MultiPolygon"):
        polys = list(getattr(geom, "geoms", [geom]))
        for p in polys:
            xs, ys = p.exterior.xy
            if fill:
                ax.fill(xs, ys, color=fill, alpha=0.6, zorder=style.get("zorder", 1), lw=0)
            ax.plot(xs, ys, **style)
    elif gt in ("LineString", "LinearRing"):
        xs, ys = geom.xy
        ax.plot(xs, ys, **style)
    elif gt in ("MultiLineString", "GeometryCollection"):
        for g in geom.geoms:
            _draw_geometry(ax, g, {**style, **({"fill": fill} if fill else {})})


def _size(n: int) -> float:
    """Marker area (pt²) for n casualties: area grows with n, never vanishes."""
    return 30.0 + 22.0 * n


def incident_map(profile: Profile, layers: list[MapLayer]) -> str | None:
    """The map as an SVG string, or None when no incident has coordinates."""
    pts = []
    for v in profile.incidents:
        if not v.counted:
            continue
        p = next((p for p in v.places if p.lat is not None and p.lon is not None), None)
        # a country-wide or unknown location has no point that means anything
        if p is not None and p.precision < 6:
            pts.append((v, p))
    if not pts:
        return None
    xs = [p.lon for _, p in pts if p.lon is not None]
    ys = [p.lat for _, p in pts if p.lat is not None]
    x0, y0, x1, y1 = DEFAULT_EXTENT.get(
        profile.country, (min(xs) - 1, min(ys) - 1, max(xs) + 1, max(ys) + 1)
    )
    x0, x1 = min(x0, min(xs) - 0.3), max(x1, max(xs) + 0.3)
    y0, y1 = min(y0, min(ys) - 0.3), max(y1, max(ys) + 0.3)
    with matplotlib.rc_context(RC):
        fig, ax = plt.subplots(figsize=(6.4, 6.4))
        for layer in layers:
            _draw_geometry(ax, layer.geometry, STYLES.get(layer.kind, STYLES["line"]))
        labelled: set[str] = set()
        placed: list[tuple[float, float]] = []
        for v, p in pts:
            assert p.lon is not None and p.lat is not None
            if v.type == "casualty":
                tot = v.split.total()
                if tot is None:
                    ax.scatter(
                        p.lon,
                        p.lat,
                        s=_size(2),
                        facecolors="none",
                        edgecolors="#c0392b",
                        linestyles="--",
                        linewidths=1.2,
                        zorder=5,
                    )
                    ax.annotate(
                        "?",
                        (p.lon, p.lat),
                        ha="center",
                        va="center",
                        fontsize=7,
                        color="#c0392b",
                        zorder=6,
                    )
                else:
                    ax.scatter(
                        p.lon,
                        p.lat,
                        s=_size(counts.plot_value(tot)),
                        color="#c0392b",
                        alpha=0.55,
                        edgecolors="#7b241c",
                        linewidths=0.6,
                        zorder=5,
                    )
            else:
                ax.scatter(
                    p.lon,
                    p.lat,
                    s=26,
                    marker=MARKERS.get(v.type, "o"),
                    color=TYPE_COLOURS.get(v.type, "#333333"),
                    zorder=4,
                    alpha=0.85,
                )
            if p.name not in labelled:
                labelled.add(p.name)
                # move a label down until it clears the labels already placed near it
                dpp = (y1 - y0) / 400  # degrees of latitude per point, roughly
                ly = p.lat + 4 * dpp
                while any(abs(y - ly) < 9 * dpp and abs(p.lon - x) < 2.5 for x, y in placed):
                    ly -= 10 * dpp
                placed.append((p.lon, ly))
                ax.annotate(
                    p.name,
                    (p.lon, p.lat),
                    xytext=(p.lon + 5 * dpp, ly),
                    textcoords="data",
                    fontsize=7,
                    color="#222222",
                    zorder=7,
                )
        ax.set_xlim(x0, x1)
        ax.set_ylim(y0, y1)
        ax.set_aspect(1 / math.cos(math.radians((y0 + y1) / 2)))
        ax.tick_params(labelsize=7)
        ax.grid(color="#eeeeee", linewidth=0.5, zorder=0)
        handles = [
            Line2D(
                [],
                [],
                marker="o",
                ls="",
                color="#c0392b",
                alpha=0.55,
                ms=6,
                label="casualties (area ∝ number)",
            ),
            Line2D(
                [],
                [],
                marker="o",
                ls="",
                mfc="none",
                mec="#c0392b",
                ms=7,
                label="casualties, number unknown",
            ),
        ]
        present = {v.type for v, _ in pts}
        for t, m in MARKERS.items():
            if t in present:
                handles.append(
                    Line2D([], [], marker=m, ls="", color=TYPE_COLOURS[t], ms=5, label=t)
                )
        kinds = {layer.kind for layer in layers}
        for k, lbl in LEGEND:
            if k in kinds:
                st = STYLES[k]
                handles.append(
                    Line2D(
                        [], [], color=st["color"], lw=1.2, ls=st.get("linestyle", "-"), label=lbl
                    )
                )
        ax.legend(handles=handles, fontsize=7, frameon=True, loc="upper left")
        ax.set_title("Where incidents were reported (first place named)", fontsize=9)
        return figure_svg(fig)
