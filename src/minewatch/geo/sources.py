"""Gazetteer input: GeoNames country dumps, a user's CSV/GeoJSON places, the store.

Every reader validates the whole file before returning anything: a bad row
raises :class:`GazetteerInputError` naming the file and row, and nothing is
loaded (all or nothing, also in the store, which writes in one transaction).
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from shapely import wkt as shapely_wkt
from shapely.geometry import mapping, shape
from shapely.validation import explain_validity

from minewatch.geo.entry import KINDS, GazetteerEntry
from minewatch.geo.normalize import has_hangul

if TYPE_CHECKING:
    from minewatch.geo.gazetteer import Gazetteer
    from minewatch.store import Store

GEONAMES_COLUMNS = 19
_MAX_VARIANTS = 40


class GazetteerInputError(ValueError):
    """A gazetteer file that cannot be loaded; the message names file and row."""

    def __init__(self, path: str | Path, row: int | str, message: str) -> None:
        self.path = str(path)
        self.row = row
        self.reason = message
        super().__init__(f"{path}: row {row}: {message}")


# -- GeoNames ---------------------------------------------------------------------

_FEATURE_KINDS: dict[str, str] = {
    "A.ADM1": "province",
    "A.ADM1H": "province",
    "A.ADM2": "county",
    "A.ADM2H": "county",
    "A.ADM3": "county",
    "A.ADM4": "county",
    "A.ADMD": "county",
    "P.PPLC": "city",
    "P.PPLA": "city",
    "P.PPLA2": "city",
    "P.PPLA3": "town",
    "P.PPLA4": "town",
    "P.PPLX": "town",
    "H.STM": "river",
    "H.STMI": "river",
    "H.STMS": "river",
    "T.HLL": "hill",
    "T.HLLS": "hill",
    "T.MT": "mountain",
    "T.MTS": "mountain",
    "T.PK": "mountain",
    "T.PKS": "mountain",
    "T.ISL": "island",
    "T.ISLS": "island",
    "T.PASS": "crossing",
    "L.ZN": "zone",
    "L.ZNB": "zone",
    "L.AREA": "region",
    "L.RGN": "region",
    "S.BDG": "crossing",
    "S.STNR": "station",
    "S.BCN": "landmark",
    "R.RD": "road",
    "R.RR": "road",
    "R.TNL": "road",
}
_CLASS_KINDS = {
    "A": "county",
    "H": "landmark",
    "L": "region",
    "P": "village",
    "R": "road",
    "S": "landmark",
    "T": "landmark",
    "U": "sea",
    "V": "landmark",
}


def _geonames_kind(fclass: str, fcode: str, population: int) -> str:
    kind = _FEATURE_KINDS.get(f"{fclass}.{fcode}")
    if kind is None:
        kind = _CLASS_KINDS.get(fclass, "village")
        if fclass == "P":
            kind = "city" if population >= 100_000 else "town" if population >= 5_000 else kind
    return kind


def _coord(path: Path, row: int, lat_s: str, lon_s: str) -> tuple[float, float]:
    try:
        lat, lon = float(lat_s), float(lon_s)
    except ValueError:
        raise GazetteerInputError(
            path, row, f"coordinates are not numbers: lat={lat_s!r} lon={lon_s!r}"
        ) from None
    if not (-90.0 <= lat <= 90.0) or not (-180.0 <= lon <= 180.0):
        raise GazetteerInputError(path, row, f"coordinates out of range: lat={lat} lon={lon}")
    return lat, lon


def _clean_names(names: Iterable[str], main: str) -> list[str]:
    out: dict[str, None] = {}
    for n in names:
        n = n.strip()
        if len(n) < 3 or len(n) > 80 or n == main or n.startswith("http") or n.isdigit():
            continue
        out.setdefault(n, None)
        if len(out) >= _MAX_VARIANTS:
            break
    return list(out)


def read_geonames(path: str | Path, gazetteer: Gazetteer | None = None) -> list[GazetteerEntry]:
    """Read a GeoNames country dump (``KP.txt``: 19 tab-separated columns).

    Columns: geonameid, name, asciiname, alternatenames, latitude, longitude,
    feature class, feature code, country code, cc2, admin1 code, admin2 code,
    admin3 code, admin4 code, population, elevation, dem, timezone,
    modification date. Country rows (PCL*) are skipped: countries come from
    the curated data. Admin1 codes are named from the file's own ADM1 rows,
    mapped to the canonical admin1 name through ``gazetteer`` when it knows
    the division (Hamgyŏng-bukto -> North Hamgyong).
    """
    p = Path(path)
    rows: list[tuple[int, list[str]]] = []
    seen: dict[str, int] = {}
    with p.open(encoding="utf-8", newline="") as fh:
        for lineno, line in enumerate(fh, start=1):
            line = line.rstrip("\r\n")
            if not line.strip() or line.startswith("#"):
                continue
            cols = line.split("\t")
            if len(cols) != GEONAMES_COLUMNS:
                raise GazetteerInputError(
                    p,
                    lineno,
                    f"expected {GEONAMES_COLUMNS} tab-separated GeoNames columns, "
                    f"found {len(cols)}",
                )
            gid = cols[0].strip()
            if not gid.isdigit():
                raise GazetteerInputError(p, lineno, f"geonameid is not a number: {gid!r}")
            if gid in seen:
                raise GazetteerInputError(
                    p, lineno, f"duplicate geonameid {gid} (first on row {seen[gid]})"
                )
            seen[gid] = lineno
            if not cols[1].strip():
                raise GazetteerInputError(p, lineno, "empty name")
            _coord(p, lineno, cols[4], cols[5])
            cc = cols[8].strip()
            if cc and (len(cc) != 2 or not cc.isalpha()):
                raise GazetteerInputError(p, lineno, f"bad country code {cc!r}")
            rows.append((lineno, cols))
    admin1 = _admin1_names(rows, gazetteer)
    out: list[GazetteerEntry] = []
    for lineno, c in rows:
        fclass, fcode = c[6].strip(), c[7].strip()
        if fclass == "A" and fcode.startswith("PCL"):
            continue
        lat, lon = _coord(p, lineno, c[4], c[5])
        try:
            pop = int(c[14] or 0)
        except ValueError:
            raise GazetteerInputError(p, lineno, f"population is not a number: {c[14]!r}") from None
        country = c[8].strip().upper() or None
        name = c[1].strip()
        alts = c[3].split(",") if c[3] else []
        hangul = next((a.strip() for a in alts if has_hangul(a)), None)
        variants = _clean_names([c[2], *alts], name)
        out.append(
            GazetteerEntry(
                id=f"geonames:{c[0].strip()}",
                name=name,
                kind=_geonames_kind(fclass, fcode, pop),
                country=country,
                admin1=admin1.get((country or "", c[10].strip())),
                lat=lat,
                lon=lon,
                variants=tuple(v for v in variants if v != hangul),
                hangul=hangul,
                source=f"GeoNames dump {p.name}",
                origin="geonames",
                extra={"feature": f"{fclass}.{fcode}", "population": pop},
            )
        )
    return out


def _admin1_names(
    rows: list[tuple[int, list[str]]], gazetteer: Gazetteer | None
) -> dict[tuple[str, str], str]:
    names: dict[tuple[str, str], str] = {}
    for _lineno, c in rows:
        if c[6] == "A" and c[7] == "ADM1" and c[10].strip():
            cc = c[8].strip().upper()
            name = c[1].strip()
            canonical = None
            if gazetteer is not None:
                for cand in [name, c[2], *c[3].split(",")]:
                    hits = [
                        e
                        for e in gazetteer.lookup(cand, cc)
                        if e.admin1 and e.kind in ("province", "special city", "city")
                    ]
                    if hits:
                        canonical = hits[0].admin1
                        break
            names[(cc, c[10].strip())] = canonical or name
    return names


# -- a user's places: CSV or GeoJSON ---------------------------------------------------

USER_COLUMNS = (
    "id",
    "name",
    "kind",
    "country",
    "admin1",
    "lat",
    "lon",
    "variants",
    "hangul",
    "parent",
    "source",
    "precision",
    "border",
)


def read_user_places(path: str | Path) -> list[GazetteerEntry]:
    """Read a user's places from CSV (``.csv``) or GeoJSON (``.geojson``/``.json``).

    CSV columns: ``id``, ``name`` and ``lat``/``lon`` are required; optional
    ``kind``, ``country``, ``admin1``, ``variants`` ("|"-separated),
    ``hangul``, ``parent``, ``source``, ``precision``, ``border``. GeoJSON:
    a FeatureCollection whose features carry the same properties; lines and
    areas keep their geometry (which must be valid).
    """
    p = Path(path)
    if p.suffix.lower() in (".geojson", ".json"):
        entries = list(_read_geojson(p))
    else:
        entries = list(_read_csv(p))
    seen: dict[str, int | str] = {}
    for e in entries:
        row = e.extra.get("row", "?")
        if e.id in seen:
            raise GazetteerInputError(p, row, f"duplicate id {e.id!r} (first on row {seen[e.id]})")
        seen[e.id] = row
    for e in entries:
        e.extra.pop("row", None)
    return entries


def _entry(p: Path, row: int | str, d: dict[str, Any]) -> GazetteerEntry:
    pid = str(d.get("id") or "").strip()
    name = str(d.get("name") or "").strip()
    if not pid:
        raise GazetteerInputError(p, row, "missing id")
    if not name:
        raise GazetteerInputError(p, row, f"missing name for id {pid!r}")
    kind = str(d.get("kind") or "village").strip()
    if kind not in KINDS:
        raise GazetteerInputError(p, row, f"unknown kind {kind!r} (one of: {', '.join(KINDS)})")
    country = str(d.get("country") or "").strip().upper() or None
    if country is not None and (len(country) != 2 or not country.isalpha()):
        raise GazetteerInputError(p, row, f"country must be an ISO alpha-2 code, got {country!r}")
    prec_raw = d.get("precision")
    precision = None
    if prec_raw not in (None, ""):
        try:
            precision = int(str(prec_raw))
        except ValueError:
            precision = 0
        if not 1 <= precision <= 7:
            raise GazetteerInputError(p, row, f"precision must be 1..7, got {prec_raw!r}")
    variants = d.get("variants") or ()
    if isinstance(variants, str):
        variants = [v.strip() for v in variants.split("|") if v.strip()]
    return GazetteerEntry(
        id=pid,
        name=name,
        kind=kind,
        country=country,
        admin1=(str(d.get("admin1") or "").strip() or None),
        variants=tuple(str(v) for v in variants),
        hangul=(str(d.get("hangul") or "").strip() or None),
        parent=(str(d.get("parent") or "").strip() or None),
        source=str(d.get("source") or f"user file {p.name}"),
        precision=precision,
        border=(str(d.get("border") or "").strip() or None),
        origin="user",
        extra={"row": row},
    )


def _read_csv(p: Path) -> Iterator[GazetteerEntry]:
    with p.open(encoding="utf-8-sig", newline="") as fh:
        reader = csv.DictReader(fh)
        header = [h.strip() for h in (reader.fieldnames or [])]
        missing = [c for c in ("id", "name", "lat", "lon") if c not in header]
        if missing:
            raise GazetteerInputError(p, 1, f"missing column(s): {', '.join(missing)}")
        for n, raw in enumerate(reader, start=2):
            if None in raw or any(v is None for v in raw.values()):
                raise GazetteerInputError(p, n, "wrong number of fields")
            d = {k.strip(): (v or "").strip() for k, v in raw.items() if k}
            e = _entry(p, n, d)
            e.lat, e.lon = _coord(p, n, d["lat"], d["lon"])
            yield e


def _read_geojson(p: Path) -> Iterator[GazetteerEntry]:
    try:
        doc = json.loads(p.read_text(encoding="utf-8"))
    except json.JSONDecodeError as exc:
        raise GazetteerInputError(p, exc.lineno, f"not valid JSON: {exc.msg}") from None
    features = doc.get("features") if isinstance(doc, dict) else None
    if not isinstance(features, list):
        raise GazetteerInputError(p, "-", "expected a GeoJSON FeatureCollection")
    for n, f in enumerate(features, start=1):
        row = f"feature {n}"
        props = dict(f.get("properties") or {})
        if "id" not in props and f.get("id") is not None:
            props["id"] = f["id"]
        e = _entry(p, row, props)
        geom = f.get("geometry")
        if not geom:
            raise GazetteerInputError(p, row, f"missing geometry for id {e.id!r}")
        try:
            g = shape(geom)
        except Exception as exc:  # shapely raises several types for malformed input
            raise GazetteerInputError(p, row, f"unreadable geometry: {exc}") from None
        if g.is_empty or not g.is_valid:
            why = "empty" if g.is_empty else explain_validity(g)
            raise GazetteerInputError(p, row, f"invalid geometry for id {e.id!r}: {why}")
        minx, miny, maxx, maxy = g.bounds
        _coord(p, n, str(miny), str(minx))
        _coord(p, n, str(maxy), str(maxx))
        pt = g if g.geom_type == "Point" else g.representative_point()
        e.lat, e.lon = round(pt.y, 6), round(pt.x, 6)
        if g.geom_type != "Point":
            e.geometry = dict(mapping(g))
            if e.kind in ("village", "town", "city") and "kind" not in props:
                e.kind = "zone"
        e.extra = {"row": row}
        yield e


# -- the store --------------------------------------------------------------------


def save_entries(
    store: Store, entries: list[GazetteerEntry], *, origin: str, who: str | None = None
) -> int:
    """Write entries to the store's ``places`` table in one transaction.

    An existing row with the same id is replaced (re-importing a file is
    idempotent). Returns the number of rows written.
    """
    from sqlalchemy import delete, insert

    from minewatch.store import default_who, utc_now
    from minewatch.store import schema as t

    now = utc_now()
    rows = []
    for e in entries:
        variants = list(e.variants)
        if e.hangul and e.hangul not in variants:
            variants.append(e.hangul)
        rows.append(
            {
                "id": e.id,
                "name": e.name,
                "kind": e.kind,
                "country": e.country,
                "admin1": e.admin1,
                "lat": e.lat,
                "lon": e.lon,
                "geometry_wkt": shape(e.geometry).wkt if e.geometry else None,
                "variants_json": json.dumps(variants, ensure_ascii=False),
                "origin": origin,
                "source": e.source,
                "added_at": now,
            }
        )
    ids = [r["id"] for r in rows]
    with store.engine.begin() as conn:
        for i in range(0, len(ids), 500):
            conn.execute(delete(t.places).where(t.places.c.id.in_(ids[i : i + 500])))
        for i in range(0, len(rows), 5000):
            conn.execute(insert(t.places), rows[i : i + 5000])
        store._log(
            conn,
            who or default_who(),
            f"gazetteer.{'import' if origin == 'geonames' else 'add'}",
            "places",
            None,
            {"count": len(rows), "origin": origin},
        )
    return len(rows)


def entries_from_store(store: Store) -> list[GazetteerEntry]:
    """Places kept in the store (user entries and GeoNames imports)."""
    from sqlalchemy import select

    from minewatch.store import schema as t

    out: list[GazetteerEntry] = []
    with store.engine.connect() as conn:
        for r in conn.execute(select(t.places)):
            variants = json.loads(r.variants_json or "[]")
            hangul = next((v for v in variants if has_hangul(v)), None)
            geometry = dict(mapping(shapely_wkt.loads(r.geometry_wkt))) if r.geometry_wkt else None
            out.append(
                GazetteerEntry(
                    id=r.id,
                    name=r.name,
                    kind=r.kind,
                    country=r.country,
                    admin1=r.admin1,
                    lat=r.lat,
                    lon=r.lon,
                    variants=tuple(v for v in variants if v != hangul),
                    hangul=hangul,
                    geometry=geometry,
                    source=r.source,
                    origin=r.origin if r.origin in ("user", "geonames") else "user",
                )
            )
    return out
