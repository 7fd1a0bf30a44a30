"""Country facts that do not come from news: a user-editable YAML file per country.

The shipped files live in ``minewatch/data/countries/<CC>.yaml``; a user can
point at their own with ``--facts FILE``. Every fact cites sources of its own.
Land release values are a number (``0`` is a real zero), ``"not reported"``
(the cited source says it was not reported) or ``null`` (not compiled here).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

NOT_REPORTED = "not reported"


class FactsError(ValueError):
    """A country facts file is malformed."""


@dataclass(frozen=True)
class FactSource:
    key: str
    publisher: str
    title: str
    year: int | None = None
    url: str | None = None


@dataclass(frozen=True)
class Fact:
    key: str
    label: str
    value: str
    sources: tuple[str, ...] = ()


@dataclass
class LandReleaseYear:
    year: int
    values: dict[str, float | int | str | None]
    sources: tuple[str, ...] = ()


#: The narrative sections of a Mine Action Review profile a facts file can fill
#: (each a list of items with sources), in the profile's order.
SECTIONS = {
    "recommendations": "Recommendations for action",
    "management": "Management",
    "national_operators": "National operators",
    "international_operators": "International operators",
    "other_actors": "Other actors",
    "programme_management": "Programme management",
    "gender": "Gender and diversity",
    "environment": "Environmental policies and action",
    "victim_assistance": "Victim assistance",
}


@dataclass
class Item:
    """One compiled statement of a section, with its sources."""

    text: str
    sources: tuple[str, ...] = ()


@dataclass
class CountryFacts:
    country: str
    name: str
    official_name: str | None = None
    sources: dict[str, FactSource] = field(default_factory=dict)
    facts: list[Fact] = field(default_factory=list)
    land_release_rows: dict[str, str] = field(default_factory=dict)
    land_release: list[LandReleaseYear] = field(default_factory=list)
    land_release_note: str | None = None
    path: str | None = None
    #: section key (see SECTIONS) -> compiled items
    sections: dict[str, list[Item]] = field(default_factory=dict)
    #: neighbour ISO code -> event types of that country shown in this profile
    #: (South Korea's DMZ clearance in the North Korea profile)
    neighbours: dict[str, tuple[str, ...]] = field(default_factory=dict)

    def fact(self, key: str) -> Fact | None:
        return next((f for f in self.facts if f.key == key), None)


def shipped_facts_path(country: str) -> Path | None:
    """Path of the shipped facts file for ISO code ``country`` (or None)."""
    ref = resources.files("minewatch") / "data" / "countries" / f"{country.upper()}.yaml"
    p = Path(str(ref))
    return p if p.is_file() else None


def load_country_facts(country: str, path: Path | None = None) -> CountryFacts:
    """Load facts for ``country`` from ``path`` or the shipped file.

    A country without a facts file gets an empty record (the profile then says
    the facts were not compiled) rather than an error.
    """
    p = path or shipped_facts_path(country)
    if p is None:
        return CountryFacts(country=country.upper(), name=country.upper())
    data = yaml.safe_load(Path(p).read_text(encoding="utf-8"))
    facts = parse_country_facts(data)
    facts.path = str(p)
    return facts


def _cell(value: Any, where: str) -> float | int | str | None:
    if value is None or (isinstance(value, int | float) and not isinstance(value, bool)):
        return value
    if isinstance(value, str) and value.strip().lower() == NOT_REPORTED:
        return NOT_REPORTED
    raise FactsError(f"{where}: expected a number, 'not reported' or null, got {value!r}")


def parse_country_facts(data: Any) -> CountryFacts:
    """Validate and read the YAML structure (see the shipped files)."""
    if not isinstance(data, dict) or "country" not in data:
        raise FactsError("a facts file is a mapping with at least 'country'")
    sources: dict[str, FactSource] = {}
    for key, s in (data.get("sources") or {}).items():
        if not isinstance(s, dict) or not s.get("title") or not s.get("publisher"):
            raise FactsError(f"source {key!r} needs a title and a publisher")
        sources[str(key)] = FactSource(
            str(key), str(s["publisher"]), str(s["title"]), s.get("year"), s.get("url")
        )

    def refs(items: Any, where: str) -> tuple[str, ...]:
        out = tuple(str(x) for x in (items or []))
        for r in out:
            if r not in sources:
                raise FactsError(f"{where}: unknown source {r!r}")
        return out

    facts = []
    for i, f in enumerate(data.get("facts") or []):
        if not isinstance(f, dict) or not f.get("label") or f.get("value") is None:
            raise FactsError(f"fact #{i + 1} needs a label and a value")
        key = str(f.get("key") or f"fact{i + 1}")
        facts.append(
            Fact(key, str(f["label"]), str(f["value"]).strip(), refs(f.get("sources"), key))
        )

    lr = data.get("land_release") or {}
    rows = {str(k): str(v) for k, v in (lr.get("rows") or {}).items()}
    years = []
    for year, vals in sorted((lr.get("years") or {}).items()):
        vals = dict(vals or {})
        srcs = refs(vals.pop("sources", None), f"land release {year}")
        unknown = set(vals) - set(rows)
        if unknown:
            raise FactsError(f"land release {year}: unknown rows {sorted(unknown)}")
        cells = {r: _cell(vals.get(r), f"land release {year} {r}") for r in rows}
        years.append(LandReleaseYear(int(year), cells, srcs))
    sections: dict[str, list[Item]] = {}
    for key, items in (data.get("sections") or {}).items():
        if key not in SECTIONS:
            raise FactsError(f"unknown section {key!r} (one of {', '.join(SECTIONS)})")
        out = []
        for i, it in enumerate(items or []):
            if not isinstance(it, dict) or not it.get("text"):
                raise FactsError(f"section {key} item #{i + 1} needs a text")
            out.append(Item(str(it["text"]).strip(), refs(it.get("sources"), f"{key} #{i + 1}")))
        sections[str(key)] = out
    neighbours = {
        str(k).upper(): tuple(str(t) for t in (v or []))
        for k, v in (data.get("neighbours") or {}).items()
    }
    return CountryFacts(
        sections=sections,
        neighbours=neighbours,
        country=str(data["country"]).upper(),
        name=str(data.get("name") or data["country"]),
        official_name=data.get("official_name"),
        sources=sources,
        facts=facts,
        land_release_rows=rows,
        land_release=years,
        land_release_note=(str(lr["note"]).strip() if lr.get("note") else None),
    )


def fmt_cell(value: float | int | str | None) -> str:
    """Words for a land release cell: a number, "Not reported" or "Not compiled"."""
    if value is None:
        return "Not compiled"
    if value == NOT_REPORTED:
        return "Not reported"
    if isinstance(value, float) and not value.is_integer():
        return f"{value:,.3f}".rstrip("0").rstrip(".")
    return f"{int(value):,}"
