"""The gazetteer: entries, a name index, containment, distances and geometries."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import replace
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from shapely.geometry import Point, shape
from shapely.geometry.base import BaseGeometry
from shapely.ops import unary_union

from minewatch.geo import borders
from minewatch.geo.entry import ADMIN1_KINDS, GazetteerEntry
from minewatch.geo.normalize import join_variants, tokens
from minewatch.geo.shipped import (
    PlaceRules,
    curated_entries,
    load_place_rules,
    pycountry_entries,
    world_town_entries,
)
from minewatch.model import Place

if TYPE_CHECKING:
    from minewatch.store import Store

#: Weight of a spelling by the entry's origin: (main name, variant, weak variant).
#: A user's entries outweigh everything; GeoNames imports yield to curated entries.
_WEIGHTS: dict[str, tuple[float, float, float]] = {
    "shipped": (1.0, 0.9, 0.4),
    "pycountry": (0.8, 0.7, 0.3),
    "geonames": (0.6, 0.5, 0.25),
    "user": (3.0, 2.9, 2.0),
}
#: World towns below this many people are villages: matched only with their province named.
SMALL_TOWN_POPULATION = 5_000
#: A country name outweighs a province of the same name (Georgia) without context.
_COUNTRY_BONUS = 0.25

Posting = tuple[int, float]


class Gazetteer:
    """An in-memory gazetteer with a token index for matching names in text.

    Build it with :func:`load_gazetteer`; it is read-only afterwards (adding
    entries returns a new gazetteer that shares the shipped data).
    """

    def __init__(self, rules: PlaceRules) -> None:
        self.rules = rules
        self.entries: list[GazetteerEntry] = []
        self._by_id: dict[str, int] = {}
        self._alias: dict[str, str] = {}
        self._dead: set[int] = set()
        self._index: dict[str, tuple[Posting, ...]] = {}
        self._first: dict[str, int] = {}
        self._facts: dict[int, tuple[str | None, float | None]] = {}
        self._geoms: dict[int, BaseGeometry | None] = {}
        self._lines: dict[str, BaseGeometry] | None = None
        self._segment_lines: dict[str, int | None] | None = None
        #: shipped world towns: matched only with their country in context (see parse)
        self._gated: frozenset[int] = frozenset()
        #: the small tier of those towns (villages): matched only with their province named
        self._small: frozenset[int] = frozenset()
        self._admin1: dict[tuple[str, str], tuple[str, str]] | None = None

    # -- building ---------------------------------------------------------------

    def _add(self, entry: GazetteerEntry) -> None:
        old = self._by_id.get(entry.id)
        if old is not None:
            self._dead.add(old)
        idx = len(self.entries)
        self.entries.append(entry)
        self._by_id[entry.id] = idx
        if entry.iso and entry.iso != entry.id:
            self._alias.setdefault(entry.iso, entry.id)
        main, variant, weak = _WEIGHTS.get(entry.origin, _WEIGHTS["user"])
        bonus = _COUNTRY_BONUS if entry.kind == "country" else 0.0
        # best weight per key for this entry, then one posting per key
        keys: dict[str, float] = {}
        curated = entry.origin == "shipped"
        for n, (name, is_weak) in enumerate(entry.names()):
            w = (weak if is_weak else main if n == 0 else variant) + bonus
            toks = tokens(name)
            if not toks:
                continue
            # glued forms (Musan-ri / Musanri) for curated names and hyphenated imports only
            forms = join_variants(toks) if curated or "-" in name else (" ".join(toks),)
            for k in forms:
                if keys.get(k, -1.0) < w:
                    keys[k] = w
        index = self._index
        first = self._first
        for k, w in keys.items():
            cur = index.get(k)
            index[k] = ((idx, w),) if cur is None else (*cur, (idx, w))
            head, sep, _ = k.partition(" ")
            n_tok = k.count(" ") + 1 if sep else 1
            if first.get(head, 0) < n_tok:
                first[head] = n_tok

    def _add_demonyms(self) -> None:
        for k in [*self.rules.demonyms, *self.rules.not_places]:
            first, _, _ = k.partition(" ")
            n = k.count(" ") + 1
            if self._first.get(first, 0) < n:
                self._first[first] = n

    def extended(self, extra: Iterable[GazetteerEntry]) -> Gazetteer:
        """A new gazetteer with ``extra`` entries added (same id replaces)."""
        new = Gazetteer(self.rules)
        new.entries = list(self.entries)
        new._by_id = dict(self._by_id)
        new._alias = dict(self._alias)
        new._dead = set(self._dead)
        new._index = dict(self._index)
        new._first = dict(self._first)
        new._facts = dict(self._facts)
        new._lines = self._lines
        new._gated = self._gated
        new._small = self._small
        for e in extra:
            new._add(e)
        return new

    def __len__(self) -> int:
        return len(self.entries) - len(self._dead)

    def __iter__(self) -> Any:
        return (e for i, e in enumerate(self.entries) if i not in self._dead)

    # -- look-ups ---------------------------------------------------------------

    def get(self, place_id: str) -> GazetteerEntry | None:
        """The entry with this id (or ISO 3166 code), None if unknown."""
        idx = self._idx(place_id)
        return None if idx is None else self.entries[idx]

    def _idx(self, place_id: str | None) -> int | None:
        if place_id is None:
            return None
        idx = self._by_id.get(place_id)
        if idx is None and place_id in self._alias:
            idx = self._by_id.get(self._alias[place_id])
        return idx

    def postings(self, key: str) -> tuple[Posting, ...]:
        """Live (entry index, weight) pairs for a folded key."""
        found = self._index.get(key, ())
        if self._dead and found:
            return tuple(p for p in found if p[0] not in self._dead)
        return found

    def lookup(self, name: str, country: str | None = None) -> list[GazetteerEntry]:
        """Entries a name may refer to, best spelling match first."""
        key = " ".join(tokens(name))
        posts = sorted(self.postings(key), key=lambda p: -p[1])
        out = [self.entries[i] for i, _ in posts]
        if country:
            out = [e for e in out if e.country == country or country in e.countries]
        return out

    def search(self, prefix: str, limit: int = 20) -> list[GazetteerEntry]:
        """Entries with a spelling starting with ``prefix`` (for the CLI)."""
        p = " ".join(tokens(prefix))
        seen: dict[int, None] = {}
        for k, posts in self._index.items():
            if k.startswith(p):
                for i, _ in posts:
                    if i not in self._dead:
                        seen.setdefault(i, None)
            if len(seen) >= limit:
                break
        return [self.entries[i] for i in list(seen)[:limit]]

    def admin1_facts(
        self, country: str | None, admin1: str | None
    ) -> tuple[str | None, str | None]:
        """(ISO 3166-2 code, ISO 3166-2 name) of the division ``admin1`` of ``country``.

        ``("UA", "Kharkiv Oblast")`` -> ``("UA-63", "Kharkivska oblast")``; (None, None)
        when the gazetteer has no such division (a user's admin1 of their own).
        """
        if not country or not admin1:
            return (None, None)
        if self._admin1 is None:
            index: dict[tuple[str, str], tuple[str, str]] = {}
            for i, e in enumerate(self.entries):
                if i in self._dead or not e.iso or not e.country or not _is_admin1(e):
                    continue
                index.setdefault((e.country, e.admin1 or e.name), (e.iso, e.iso_name or e.name))
            self._admin1 = index
        return self._admin1.get((country, admin1), (None, None))

    def admin1_code(self, country: str | None, name: str | None) -> str | None:
        """ISO 3166-2 code of the division of ``country`` written ``name`` in any spelling.

        "Kharkivska oblast", "Kharkiv Oblast" and "Kharkiv region" all give ``UA-63``,
        so two spellings of one division compare equal.
        """
        code = self.admin1_facts(country, name)[0]
        if code is None and country and name:
            hits = [e for e in self.lookup(name, country) if e.iso and _is_admin1(e)]
            code = hits[0].iso if hits else None
        return code

    def with_admin1_facts(self, place: Place) -> Place:
        """``place`` with ``admin1_code``/``admin1_iso`` filled from its country and admin1."""
        code, iso = self.admin1_facts(place.country, place.admin1)
        if (code, iso) == (place.admin1_code, place.admin1_iso):
            return place
        return replace(place, admin1_code=code, admin1_iso=iso)

    # -- containment ------------------------------------------------------------

    def contains(self, outer_id: str, inner_id: str) -> bool:
        """True if ``inner`` lies within ``outer`` (county in province, JSA in DMZ)."""
        o, i = self.get(outer_id), self.get(inner_id)
        if o is None or i is None or o is i:
            return False
        # walk up the parents (both sides' parents for a feature on the MDL)
        seen: set[str] = set()
        todo = [i.parent, *i.side_parents.values()]
        while todo:
            p = todo.pop()
            if not p or p in seen:
                continue
            seen.add(p)
            pe = self.get(p)
            if pe is None:
                continue
            if pe is o:
                return True
            todo.append(pe.parent)
            todo.extend(pe.side_parents.values())
        if o.kind == "country":
            return i.country is not None and i.country == o.country
        if _is_admin1(o):
            return (
                i.country == o.country and i.admin1 is not None and i.admin1 == o.admin1
            ) and not (i.kind == o.kind and i.admin1 == i.name)
        if o.geometry is not None and o.geometry.get("type") in ("Polygon", "MultiPolygon"):
            og, ig = self.geometry(o.id), self.geometry(i.id)
            if og is None or ig is None or ig.geom_type in ("LineString", "MultiLineString"):
                return False
            return bool(og.contains(ig))
        return False

    # -- geometry and distances ---------------------------------------------------

    def geometry(self, place_id: str) -> BaseGeometry | None:
        """The entry's shapely geometry (a Point when it has only coordinates)."""
        idx = self._idx(place_id)
        if idx is None:
            return None
        if idx not in self._geoms:
            e = self.entries[idx]
            g: BaseGeometry | None = None
            if e.geometry is not None:
                g = shape(e.geometry)
            elif e.lat is not None and e.lon is not None:
                g = Point(e.lon, e.lat)
            self._geoms[idx] = g
        return self._geoms[idx]

    def features(self, kinds: Sequence[str] | None = None) -> list[GazetteerEntry]:
        """Entries drawn as lines or areas (borders, DMZ, rivers, country outlines).

        ``kinds`` filters by kind, e.g. ``("river", "line", "zone", "country")``.
        Each returned entry has ``geometry`` (GeoJSON); ``Gazetteer.geometry(id)``
        gives the shapely object.
        """
        return [e for e in self if e.geometry is not None and (not kinds or e.kind in kinds)]

    def features_geojson(self, kinds: Sequence[str] | None = None) -> dict[str, Any]:
        """The same features as a GeoJSON FeatureCollection."""
        return {
            "type": "FeatureCollection",
            "features": [
                {
                    "type": "Feature",
                    "id": e.id,
                    "properties": {"id": e.id, "name": e.name, "kind": e.kind, "source": e.source},
                    "geometry": e.geometry,
                }
                for e in self.features(kinds)
            ],
        }

    def _border_lines(self) -> dict[str, BaseGeometry]:
        if self._lines is None:
            lines: dict[str, BaseGeometry] = {}
            for seg, lid in borders.SEGMENT_LINES.items():
                g = self.geometry(lid)
                if g is not None:
                    lines[seg] = borders.project(g)
            outlines = [self.geometry(c) for c in ("KP", "KR")]
            polys = [borders.project(g) for g in outlines if g is not None]
            if polys:
                land = unary_union(list(lines.values())).buffer(3.0) if lines else None
                coast = unary_union([p.boundary for p in polys])
                if land is not None:
                    coast = coast.difference(land)
                lines["coast"] = coast
            self._lines = lines
        return self._lines

    def segment_lines(self) -> dict[str, int | None]:
        """Entry index of the feature that stands for each border segment."""
        if self._segment_lines is None:
            self._segment_lines = {
                seg: self._idx(lid)
                for seg, lid in (
                    ("china", "kp-cn-border"),
                    ("dmz", "kp-kr-dmz"),
                    ("russia", "kp-ru-border"),
                )
            }
        return self._segment_lines

    def border_facts(self, place_id: str) -> tuple[str | None, float | None]:
        """(border segment, km to the nearest border line) of an entry.

        Segments: ``china``, ``dmz``, ``russia`` (within 30 km of that line),
        ``coast`` (within 12 km of the sea), ``interior``. Computed for places
        on and around the Korean peninsula; (None, None) elsewhere.
        """
        idx = self._idx(place_id)
        if idx is None:
            return (None, None)
        if idx not in self._facts:
            self._facts[idx] = self._compute_facts(self.entries[idx])
        return self._facts[idx]

    def _compute_facts(self, e: GazetteerEntry) -> tuple[str | None, float | None]:
        if e.kind in ("country", "sea", "region") or not borders.in_region(e.lat, e.lon):
            return (e.border, None)
        g = self.geometry(e.id)
        lines = self._border_lines()
        if g is None or not lines:
            return (e.border, None)
        pg = borders.project(g)
        dists = [(seg, float(pg.distance(lines[seg]))) for seg in borders.SEGMENTS if seg in lines]
        coast = float(pg.distance(lines["coast"])) if "coast" in lines else None
        seg, dist = borders.nearest_segment(dists, coast, e.country)
        if dist is not None:
            dist = round(dist, 1)
        return (e.border or seg, dist)

    def distance_km(self, a: Place, b: Place) -> float | None:
        """Distance between two places in km (0 when one lies on the other's line/area).

        Points use great-circle distance; when either place is a line or area
        entry (the Tumen, the DMZ) the distance is to its nearest part.
        """
        ga = self._place_geom(a)
        gb = self._place_geom(b)
        if ga is None or gb is None:
            return None
        if isinstance(ga, Point) and isinstance(gb, Point):
            return round(borders.haversine_km(ga.y, ga.x, gb.y, gb.x), 3)
        return round(float(borders.project(ga).distance(borders.project(gb))), 3)

    def _place_geom(self, p: Place) -> BaseGeometry | None:
        if p.place_id is not None:
            g = self.geometry(p.place_id)
            if g is not None:
                return g
        if p.lat is not None and p.lon is not None:
            return Point(p.lon, p.lat)
        return None

    # -- matching ---------------------------------------------------------------

    def country_of(self, phrase: str | None, context: Iterable[str] = ()) -> str | None:
        """The one country a phrase such as an event's actor names, else None.

        "North Korean troops" -> KP, "South Korea's army" -> KR, "Pyongyang" ->
        KP, "the North" -> KP when ``context`` (the document's countries)
        holds both Koreas; "Korean engineers" or "the two Koreas" -> None.
        """
        if not phrase:
            return None
        toks = tokens(phrase)
        joined = f" {' '.join(toks)} "
        found: set[str] = set()
        for k, codes in self.rules.demonyms.items():
            if len(codes) == 1 and "+" not in codes[0] and f" {k} " in joined:
                found.add(codes[0])
        for p in self.find_places(phrase):
            if p.country and p.kind != "border":
                found.add(p.country)
        if not found and {"KP", "KR"} <= set(context):
            # "the North", "the South" in a story about the two Koreas
            sides = {"KP" for t in toks if t == "north"} | {"KR" for t in toks if t == "south"}
            found = sides
        return found.pop() if len(found) == 1 else None

    def side(self, place: Place, country: str | None) -> Place:
        """``place`` as seen from ``country``'s side of a border line.

        Extraction calls this once it knows who acted (the event's country):
        a feature that straddles the MDL takes that side's province (North
        Korean mining near Arrowhead Hill -> Kangwon, South Korean clearance
        there -> Gangwon); a shared feature without provinces (the JSA, the DMZ)
        only takes the country; an unresolved mention with exactly one
        candidate in ``country`` resolves to it (the others stay candidates).
        Anything else is returned unchanged, so calling it is always safe.
        """
        if not country:
            return place
        country = country.upper()
        e = self.get(place.place_id) if place.place_id else None
        if e is not None:
            if country in e.sides:
                if place.country == country and place.admin1 == e.sides[country]:
                    return place
                moved = replace(place, country=country, admin1=e.sides[country])
                return self.with_admin1_facts(moved)
            if e.country is None and country in e.countries and place.country != country:
                return self.with_admin1_facts(replace(place, country=country))
            return place
        cands = [
            c
            for c in (self.get(i) for i in place.candidates)
            if c is not None and (c.country == country or country in c.sides)
        ]
        if len(cands) != 1:
            return place
        c = cands[0]
        seg, dist = self.border_facts(c.id)
        resolved = replace(
            place,
            name=c.name,
            place_id=c.id,
            country=country,
            admin1=c.sides.get(country, c.admin1),
            lat=c.lat,
            lon=c.lon,
            precision=_side_precision(self.rules, c, place.relation),
            kind=c.kind,
            border_segment=seg,
            border_distance_km=dist,
            candidates=[i for i in place.candidates if i != c.id],
        )
        return self.with_admin1_facts(resolved)

    def find_places(self, text: str, country_hint: str | None = None) -> list[Place]:
        """Every place mention in ``text``, resolved against the gazetteer.

        See :mod:`minewatch.geo.parse` for the rules (relation, precision,
        ambiguity). ``country_hint`` is the document's country (ISO alpha-2).
        """
        from minewatch.geo.parse import find_places

        return find_places(self, text, country_hint)


def _side_precision(rules: PlaceRules, e: GazetteerEntry, relation: str) -> int:
    """Precision of a mention resolved after the fact (no suffix or distance known)."""
    base = e.precision or rules.kind_precision.get(e.kind, 7)
    if relation in ("near", "between") and (base == 1 or e.kind == "county"):
        return 2
    if relation == "from":
        return 5
    return base


def _is_admin1(e: GazetteerEntry) -> bool:
    return e.kind in ADMIN1_KINDS or (
        e.kind != "country" and e.iso is not None and e.admin1 == e.name
    )


def _generic_name(rules: PlaceRules, name: str) -> bool:
    """A division named with words any country uses ("North", "Red Sea", "Upper Nile")."""
    words = tokens(name)
    return bool(words) and all(w in rules.generic_division_words for w in words)


@lru_cache(maxsize=1)
def _shipped() -> Gazetteer:
    rules = load_place_rules()
    gaz = Gazetteer(rules)
    curated = curated_entries()
    claimed = {e.iso for e in curated if e.iso}
    for e in curated:
        gaz._add(e)
    generic: list[int] = []
    for e in pycountry_entries(claimed, rules.stoplist):
        if e.kind == "province" and _generic_name(rules, e.name):
            generic.append(len(gaz.entries))
        gaz._add(e)
    admin1_of = {e.iso: e.admin1 for e in gaz.entries if e.iso and e.admin1}
    first_town = len(gaz.entries)
    for e in world_town_entries(admin1_of):
        gaz._add(e)
    gaz._gated = frozenset([*generic, *range(first_town, len(gaz.entries))])
    gaz._small = frozenset(
        i
        for i in range(first_town, len(gaz.entries))
        if gaz.entries[i].extra.get("population", 0) < SMALL_TOWN_POPULATION
    )
    gaz._add_demonyms()
    gaz._border_lines()
    return gaz


def load_gazetteer(extra: Iterable[GazetteerEntry] = (), store: Store | None = None) -> Gazetteer:
    """The shipped gazetteer plus places from ``store`` and ``extra``.

    The shipped part is parsed once per process and shared. Entries from the
    store (``minewatch gazetteer import`` / ``add``) and ``extra`` are added on
    top; an entry with the id of an existing one replaces it, and a user's
    entries win over shipped ones when both match a name.
    """
    base = _shipped()
    added: list[GazetteerEntry] = []
    if store is not None:
        from minewatch.geo.sources import entries_from_store

        added.extend(entries_from_store(store))
    added.extend(extra)
    if not added:
        return base
    return base.extended(added)
