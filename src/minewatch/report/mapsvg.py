"""The incident map: land, sea and borders from the bundled base map
(Natural Earth 1:10m, ``minewatch.geo.basemap``), the DMZ, MDL and rivers
from the gazetteer, incidents as points sized by casualties; country and sea
names, a scale bar, place labels that do not overlap. Drawn offline with
matplotlib and shapely.

A place known only to its province is drawn at the province's centre
(``report/data/map_points.csv``), not at its capital, which may sit on a
border river.

Casualty incidents are filled circles whose area grows with the number of
people killed or injured (best estimate, else the low bound); incidents whose
count is unknown are hollow circles with a dashed edge, so "unknown" never
looks like a small number. Other incident types are small markers by type.
"""

from __future__ import annotations

import csv
import io
import json
import math
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import TYPE_CHECKING, Any

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
from matplotlib.lines import Line2D
from shapely.geometry import Point, box, shape
from shapely.geometry.base import BaseGeometry
from shapely.ops import polylabel, unary_union

from minewatch.geo import basemap
from minewatch.report.charts import RC, TYPE_COLOURS, figure_svg
from minewatch.reportdata import counts

if TYPE_CHECKING:
    from minewatch.report.profile import Profile
    from minewatch.reportdata import IncidentView, PlaceView

#: How each kind of background feature is drawn (see :func:`style_key`).
STYLES: dict[str, dict[str, Any]] = {
    "land": {"color": "#b9b4a8", "linewidth": 0.5, "zorder": 1, "fill": "#f3f0e8"},
    "coast": {"color": "#8fa9bf", "linewidth": 0.5, "zorder": 1.2},
    "national-border": {"color": "#555555", "linewidth": 0.9, "zorder": 2.2, "linestyle": "-."},
    "border": {"color": "#555555", "linewidth": 1.0, "zorder": 2},
    "river": {"color": "#5dade2", "linewidth": 1.6, "zorder": 1.5},
    "dmz": {"color": "#e67e22", "linewidth": 0.6, "zorder": 2, "fill": "#f5cba7"},
    "mdl": {"color": "#c0392b", "linewidth": 0.8, "zorder": 3, "linestyle": "--"},
    "sea-line": {"color": "#7f8c8d", "linewidth": 0.6, "zorder": 2, "linestyle": ":"},
    "line": {"color": "#888888", "linewidth": 0.6, "zorder": 1},
}
LEGEND = (
    ("national-border", "international border"),
    ("dmz", "DMZ"),
    ("mdl", "MDL"),
    ("river", "river"),
)
SEA = "#dcebf5"
LAND = "#f7f4ec"
LAND_OWN = "#fffdf6"  # the profile's own country, a shade lighter
#: Layers the base map replaces (the gazetteer's rough country shapes and borders).
REPLACED = frozenset({"land", "border"})
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
DEFAULT_EXTENT = {"KP": (124.0, 36.8, 131.0, 43.1), "KR": (125.5, 33.0, 130.0, 38.8)}


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


@lru_cache(maxsize=1)
def map_points() -> dict[tuple[str, str, str], tuple[float, float]]:
    """(kind, country, name) -> (lat, lon) from ``report/data/map_points.csv``."""
    text = resources.files("minewatch.report").joinpath("data", "map_points.csv").read_text("utf-8")
    lines = [ln for ln in text.splitlines() if ln and not ln.startswith("#")]
    return {
        (r["kind"], r["country"], r["name"]): (float(r["lat"]), float(r["lon"]))
        for r in csv.DictReader(io.StringIO("\n".join(lines)))
    }


def point_of(p: PlaceView, country: str) -> tuple[float, float] | None:
    """(lon, lat) where a place is drawn: a province at its centre, else its point."""
    if p.precision == 4 and p.admin1:
        for cc in (country, "KP", "KR"):
            hit = map_points().get(("admin1", cc, p.admin1))
            if hit:
                return hit[1], hit[0]
    if p.lat is None or p.lon is None:
        return None
    return p.lon, p.lat


def _extent(profile: Profile, pts: list[tuple[float, float]]) -> tuple[float, float, float, float]:
    xs, ys = [x for x, _ in pts], [y for _, y in pts]
    x0, y0, x1, y1 = DEFAULT_EXTENT.get(
        profile.country, (min(xs) - 1, min(ys) - 1, max(xs) + 1, max(ys) + 1)
    )
    return (
        min(x0, min(xs) - 0.3),
        min(y0, min(ys) - 0.3),
        max(x1, max(xs) + 0.3),
        max(y1, max(ys) + 0.3),
    )


def _draw_basemap(ax: Any, extent: tuple[float, float, float, float], own: str) -> bool:
    """Countries, coastlines and borders of the bundled base map; False if none covers it."""
    countries = basemap.countries(basemap.region_for(*extent))
    if not countries:
        return False
    frame = box(*extent).buffer(0.5)
    ax.set_facecolor(SEA)
    shapes = [(c, c.geometry.intersection(frame)) for c in countries]
    shapes = [(c, g) for c, g in shapes if not g.is_empty]
    for c, g in shapes:
        for poly in getattr(g, "geoms", [g]):
            if poly.geom_type != "Polygon":
                continue
            xs, ys = poly.exterior.xy
            ax.fill(xs, ys, color=LAND_OWN if c.iso_a2 == own else LAND, zorder=0.5, lw=0)
    land = unary_union([g for _c, g in shapes])
    _draw_geometry(ax, land.boundary, STYLES["coast"])
    # a border is where two countries' outlines meet
    for i, (_a, ga) in enumerate(shapes):
        for _b, gb in shapes[i + 1 :]:
            if ga.distance(gb) < 0.01:
                line = ga.boundary.intersection(gb.buffer(0.005))
                if not line.is_empty:
                    _draw_geometry(ax, line, STYLES["national-border"])
    view = box(*extent)
    for c, g in shapes:
        inside = g.intersection(view)
        if inside.is_empty or inside.area < 0.15 or not c.iso_a2:
            continue
        big = max(getattr(inside, "geoms", [inside]), key=lambda q: q.area)
        at = polylabel(big, tolerance=0.05) if big.geom_type == "Polygon" else big.centroid
        ax.annotate(
            c.name.upper(),
            (at.x, at.y),
            ha="center",
            va="center",
            fontsize=9 if c.iso_a2 == own else 7.5,
            color="#8a8577",
            zorder=3,
            fontweight="bold" if c.iso_a2 == own else "normal",
        )
    for (kind, _cc, name), (lat, lon) in map_points().items():
        if kind == "sea" and view.contains(Point(lon, lat)) and not land.contains(Point(lon, lat)):
            ax.annotate(
                name,
                (lon, lat),
                ha="center",
                va="center",
                fontsize=7,
                color="#5b7c99",
                style="italic",
                zorder=3,
            )
    return True


def _scale_bar(ax: Any, extent: tuple[float, float, float, float]) -> None:
    """A bar of a round number of km in the lower right corner."""
    x0, y0, x1, y1 = extent
    km_per_deg = 111.32 * math.cos(math.radians((y0 + y1) / 2))
    target = (x1 - x0) * km_per_deg / 5
    km = max(k for k in (10, 20, 25, 50, 100, 200, 250, 500, 1000) if k <= max(target, 10))
    length = km / km_per_deg
    xa, ya = x1 - (x1 - x0) * 0.05 - length, y0 + (y1 - y0) * 0.04
    ax.plot([xa, xa + length], [ya, ya], color="#333333", lw=2.2, zorder=8, solid_capstyle="butt")
    for x in (xa, xa + length):
        ax.plot(
            [x, x],
            [ya - (y1 - y0) * 0.006, ya + (y1 - y0) * 0.006],
            color="#333333",
            lw=1,
            zorder=8,
        )
    ax.annotate(
        f"{km} km",
        (xa + length / 2, ya + (y1 - y0) * 0.012),
        ha="center",
        va="bottom",
        fontsize=7,
        zorder=8,
    )


Box = tuple[float, float, float, float]


class _Labeller:
    """Places labels beside their points without overlapping each other or markers.

    Works in display points: each label tries positions around its point
    (right, left, above, below, the diagonals, then further out) and takes the
    first whose box overlaps no label or marker already placed; if none is
    free it goes where it overlaps least, with a leader line.
    """

    OFFSETS = ((6, -3), (-6, -3), (0, 6), (0, -11), (6, 5), (-6, 5), (6, -11), (-6, -11))

    def __init__(self, ax: Any, fontsize: float) -> None:
        self.ax, self.fs = ax, fontsize
        self.boxes: list[Box] = []

    def block(self, x: float, y: float, r: float) -> None:
        dx, dy = self.ax.transData.transform((x, y))
        self.boxes.append((dx - r, dy - r, dx + r, dy + r))

    @staticmethod
    def _overlap(
        a: tuple[float, float, float, float], b: tuple[float, float, float, float]
    ) -> float:
        w = min(a[2], b[2]) - max(a[0], b[0])
        h = min(a[3], b[3]) - max(a[1], b[1])
        return w * h if w > 0 and h > 0 else 0.0

    def place(self, text: str, x: float, y: float) -> None:
        px, py = self.ax.transData.transform((x, y))
        w, h = 0.56 * self.fs * len(text), self.fs * 1.1
        frame = self.ax.bbox.extents
        best: tuple[float, float, float, Box] | None = None
        for scale in (1, 2, 3):
            for bx, by in self.OFFSETS:
                ox, oy = float(bx * scale), float(by * scale)
                x0 = px + ox if ox >= 0 else px + ox - w
                x0 = x0 - w / 2 - ox if ox == 0 else x0
                b = (x0, py + oy, x0 + w, py + oy + h)
                cost = sum(self._overlap(b, o) for o in self.boxes)
                if b[0] < frame[0] or b[2] > frame[2] or b[1] < frame[1] or b[3] > frame[3]:
                    cost += w * h
                if best is None or cost < best[0]:
                    best = (cost, ox, oy, b)
                if cost == 0:
                    break
            if best is not None and best[0] == 0:
                break
        assert best is not None
        _cost, ox, oy, b = best
        self.boxes.append(b)
        far = abs(ox) > 6 or abs(oy) > 11
        self.ax.annotate(
            text,
            (x, y),
            xytext=(b[0] - px, b[1] - py),
            textcoords="offset points",
            fontsize=self.fs,
            color="#222222",
            zorder=9,
            bbox={"boxstyle": "square,pad=0.1", "fc": "white", "ec": "none", "alpha": 0.7},
            arrowprops={"arrowstyle": "-", "color": "#777777", "lw": 0.5} if far else None,
        )


def incident_map(profile: Profile, layers: list[MapLayer]) -> str | None:
    """The map as an SVG string, or None when no incident has a point to draw."""
    pts: list[tuple[IncidentView, PlaceView, float, float]] = []
    for v in profile.incidents:
        if not v.counted:
            continue
        # a country-wide or unknown location has no point that means anything
        for p in v.places:
            # a country or a region ("Korean Peninsula") has no point that means anything
            drawable = p.precision < 6 and p.kind not in ("region", "country")
            xy = point_of(p, profile.country) if drawable else None
            if xy is not None:
                pts.append((v, p, xy[0], xy[1]))
                break
    if not pts:
        return None
    extent = _extent(profile, [(x, y) for _v, _p, x, y in pts])
    x0, y0, x1, y1 = extent
    with matplotlib.rc_context(RC):
        fig, ax = plt.subplots(figsize=(6.4, 7.4))
        has_base = _draw_basemap(ax, extent, profile.country)
        for layer in layers:
            if has_base and layer.kind in REPLACED:
                continue
            _draw_geometry(ax, layer.geometry, STYLES.get(layer.kind, STYLES["line"]))
        ax.set_xlim(x0, x1)
        ax.set_ylim(y0, y1)
        ax.set_aspect(1 / math.cos(math.radians((y0 + y1) / 2)))
        ax.apply_aspect()
        labels = _Labeller(ax, 7)
        for v, _p, x, y in pts:
            r = math.sqrt(_size(counts.plot_value(v.split.total()) if v.split.total() else 2)) / 2
            labels.block(x, y, r if v.type == "casualty" else 4)
        _draw_markers(ax, pts)
        for name, (x, y) in {p.name: (x, y) for _v, p, x, y in pts}.items():
            labels.place(name, x, y)
        _scale_bar(ax, extent)
        ax.tick_params(labelsize=7)
        ax.xaxis.set_major_formatter(lambda v, _pos: f"{v:g}°E")
        ax.yaxis.set_major_formatter(lambda v, _pos: f"{v:g}°N")
        ax.grid(color="#ffffff", linewidth=0.4, zorder=0.6, alpha=0.6)
        # below the map, where it hides no place
        ax.legend(
            handles=_legend(pts, layers, has_base),
            fontsize=7,
            frameon=False,
            loc="upper center",
            bbox_to_anchor=(0.5, -0.05),
            ncols=3,
        )
        ax.set_title("Where incidents were reported (first place named)", fontsize=9)
        return figure_svg(fig)


def _draw_markers(ax: Any, pts: list[tuple[IncidentView, PlaceView, float, float]]) -> None:
    for v, _p, x, y in pts:
        if v.type == "casualty":
            tot = v.split.total()
            if tot is None:
                ax.scatter(
                    x,
                    y,
                    s=_size(2),
                    facecolors="none",
                    edgecolors="#c0392b",
                    linestyles="--",
                    linewidths=1.2,
                    zorder=5,
                )
                ax.annotate(
                    "?", (x, y), ha="center", va="center", fontsize=7, color="#c0392b", zorder=6
                )
            else:
                ax.scatter(
                    x,
                    y,
                    s=_size(counts.plot_value(tot)),
                    color="#c0392b",
                    alpha=0.55,
                    edgecolors="#7b241c",
                    linewidths=0.6,
                    zorder=5,
                )
        else:
            ax.scatter(
                x,
                y,
                s=26,
                marker=MARKERS.get(v.type, "o"),
                color=TYPE_COLOURS.get(v.type, "#333333"),
                zorder=4,
                alpha=0.85,
            )


def _legend(
    pts: list[tuple[IncidentView, PlaceView, float, float]], layers: list[MapLayer], base: bool
) -> list[Line2D]:
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
    present = {v.type for v, *_ in pts}
    for t, m in MARKERS.items():
        if t in present:
            handles.append(Line2D([], [], marker=m, ls="", color=TYPE_COLOURS[t], ms=5, label=t))
    kinds = {layer.kind for layer in layers} | ({"national-border"} if base else set())
    for k, lbl in LEGEND:
        if k in kinds:
            st = STYLES[k]
            handles.append(
                Line2D([], [], color=st["color"], lw=1.2, ls=st.get("linestyle", "-"), label=lbl)
            )
    return handles
