"""One gazetteer entry: a named place, line or area with its variant spellings."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

#: Kinds an entry may have (DESIGN.md place section plus a few the data needs).
KINDS: tuple[str, ...] = (
    "country",
    "province",
    "special city",
    "prefecture",
    "county",
    "city",
    "town",
    "village",
    "river",
    "zone",
    "line",
    "road",
    "crossing",
    "hill",
    "mountain",
    "station",
    "landmark",
    "island",
    "region",
    "sea",
)
#: Kinds that are areas of administration (containment by admin1 name applies).
ADMIN1_KINDS = frozenset({"province", "special city"})
#: Kinds drawn as lines/areas, not points.
LINEAR_KINDS = frozenset({"river", "line", "road", "zone", "region", "sea"})

#: Where an entry came from; a user's entries win over every other origin.
ORIGINS: tuple[str, ...] = ("shipped", "pycountry", "geonames", "user")


@dataclass(eq=False, slots=True)
class GazetteerEntry:
    """A gazetteer entry.

    Attributes:
        id: stable id (``kp-musan``, ``KP``, ``MM-17``, ``geonames:2042738``).
        name: canonical English name.
        kind: one of :data:`KINDS`.
        country: ISO 3166-1 alpha-2, or None for features shared by countries
            (the DMZ, the Tumen); ``countries`` then lists them.
        admin1: canonical first-level division name (for an admin1 entry, its own name).
        lat, lon: a representative point (WGS84), None when unknown.
        variants: other spellings (a leading ``~`` marks a weak, shared variant).
        hangul: the Korean name, for Korean places.
        parent: id of the containing entry (county -> province -> country).
        geometry: GeoJSON geometry dict for lines and areas (None for points).
        source: where the name and coordinates came from.
        precision: UCDP where_prec override (None: the kind's default).
        border: border segment override (``china``, ``dmz``, ``russia``, ``coast``, ``interior``).
        iso: ISO 3166 code when the entry is a country or subdivision.
        iso_name: the ISO 3166-2 name when ``name`` is the common English one
            ("Kharkivska oblast" for Kharkiv Oblast); None when they agree.
        origin: ``shipped``, ``pycountry``, ``geonames`` or ``user``.
        countries: countries a shared feature touches.
        sides: admin1 per country for a feature that straddles a border line
            (Arrowhead Hill: ``{"KP": "Kangwon", "KR": "Gangwon"}``); the side
            is picked by context or :meth:`Gazetteer.side`.
        side_parents: the containing entry on each side (``{"KP": "kp-cholwon"}``).
        extra: anything else an importer kept (feature codes, population).
    """

    id: str
    name: str
    kind: str
    country: str | None = None
    admin1: str | None = None
    lat: float | None = None
    lon: float | None = None
    variants: tuple[str, ...] = ()
    hangul: str | None = None
    parent: str | None = None
    geometry: dict[str, Any] | None = None
    source: str = ""
    precision: int | None = None
    border: str | None = None
    iso: str | None = None
    iso_name: str | None = None
    origin: str = "user"
    countries: tuple[str, ...] = ()
    sides: dict[str, str] = field(default_factory=dict)
    side_parents: dict[str, str] = field(default_factory=dict)
    extra: dict[str, Any] = field(default_factory=dict)

    def names(self) -> list[tuple[str, bool]]:
        """All spellings with a flag ``weak`` (shared with another entry)."""
        out: list[tuple[str, bool]] = [(self.name, False)]
        if self.hangul:
            out.append((self.hangul, False))
        for v in self.variants:
            if v.startswith("~"):
                out.append((v[1:], True))
            elif v:
                out.append((v, False))
        return out

    def to_json(self) -> dict[str, Any]:
        d: dict[str, Any] = {
            "id": self.id,
            "name": self.name,
            "kind": self.kind,
            "country": self.country,
            "admin1": self.admin1,
            "lat": self.lat,
            "lon": self.lon,
            "variants": list(self.variants),
            "hangul": self.hangul,
            "parent": self.parent,
            "source": self.source,
            "precision": self.precision,
            "border": self.border,
            "iso": self.iso,
            "origin": self.origin,
            "countries": list(self.countries),
        }
        if self.iso_name:
            d["iso_name"] = self.iso_name
        if self.sides:
            d["sides"] = dict(self.sides)
        if self.side_parents:
            d["side_parents"] = dict(self.side_parents)
        if self.geometry is not None:
            d["geometry"] = self.geometry
        if self.extra:
            d["extra"] = self.extra
        return d

    @classmethod
    def from_json(cls, d: dict[str, Any]) -> GazetteerEntry:
        return cls(
            id=d["id"],
            name=d["name"],
            kind=d.get("kind", "village"),
            country=d.get("country"),
            admin1=d.get("admin1"),
            lat=d.get("lat"),
            lon=d.get("lon"),
            variants=tuple(d.get("variants") or ()),
            hangul=d.get("hangul"),
            parent=d.get("parent"),
            geometry=d.get("geometry"),
            source=d.get("source", ""),
            precision=d.get("precision"),
            border=d.get("border"),
            iso=d.get("iso"),
            iso_name=d.get("iso_name"),
            origin=d.get("origin", "user"),
            countries=tuple(d.get("countries") or ()),
            sides=dict(d.get("sides") or {}),
            side_parents=dict(d.get("side_parents") or {}),
            extra=dict(d.get("extra") or {}),
        )
