"""One flat row per incident, shared by the CSV and GeoJSON exports.

ACLED-compatible columns come first, then minewatch's own. The mappings onto
ACLED's codes are documented in README.md (``## export``) and here:

* ``time_precision`` (ACLED 1-3) from our date precision: ``day`` -> 1;
  ``span``, ``week`` -> 2; ``month_part``, ``month`` and anything coarser
  (``year_part``, ``year``, ``open``) -> 3, ACLED's coarsest code; the exact
  interval stays in ``date_start``/``date_end``/``date_precision``. Undated
  incidents have an empty ``event_date`` and ``time_precision``.
* ``geo_precision`` (ACLED 1-3) from UCDP ``where_prec``: 1 (exact place) -> 1;
  2 (near a place), 3 (district) -> 2; 4 (province), 5 (zone/line such as the
  DMZ or the China border), 6 (country) -> 3; 7 (unknown) -> empty, with empty
  coordinates.
* ``event_date`` is the first day of the reported interval.
* ``fatalities``: the conservative reading of ``killed`` (best, else the low
  bound). Empty when no report gave a number killed: ACLED writes 0 there,
  but unknown is not zero, and 0 is kept for a reported zero.
"""

from __future__ import annotations

import csv
import io
import re
from functools import lru_cache
from importlib import resources
from typing import Any

import pycountry

from minewatch.model import Count, Incident
from minewatch.reportdata import (
    Citer,
    IncidentView,
    ReportData,
    ReportOptions,
    Source,
    counts,
    incident_view,
    places_of,
    public,
    select_incidents,
    sort_key,
)

#: ACLED's full column set, in ACLED's order (its standard export).
ACLED_COLUMNS = (
    "event_id_cnty",
    "event_date",
    "year",
    "time_precision",
    "disorder_type",
    "event_type",
    "sub_event_type",
    "actor1",
    "assoc_actor_1",
    "inter1",
    "actor2",
    "assoc_actor_2",
    "inter2",
    "interaction",
    "civilian_targeting",
    "iso",
    "region",
    "country",
    "admin1",
    "admin2",
    "admin3",
    "location",
    "latitude",
    "longitude",
    "geo_precision",
    "source",
    "source_scale",
    "notes",
    "fatalities",
    "tags",
    "timestamp",
)
OWN_COLUMNS = (
    "fatalities_reported",
    "incident_id",
    "type",
    "status",
    "review",
    "context",
    "date_start",
    "date_end",
    "date_precision",
    "date_text",
    "where_precision",
    "places",
    "killed_low",
    "killed_best",
    "killed_high",
    "injured_low",
    "injured_best",
    "injured_high",
    "casualties_low",
    "casualties_best",
    "casualties_high",
    "victims",
    "victim_role",
    "devices",
    "device_models",
    "independent_sources",
    "original_sources",
    "document_ids",
    "conflicts",
)
COLUMNS = ACLED_COLUMNS + OWN_COLUMNS

TIME_PRECISION = {
    "day": 1,
    "span": 2,
    "week": 2,
    "month_part": 3,
    "month": 3,
    "year_part": 3,
    "year": 3,
    "open": 3,
}
GEO_PRECISION = {1: 1, 2: 2, 3: 2, 4: 3, 5: 3, 6: 3}
#: Our event type -> (ACLED event_type, sub_event_type).
ACLED_TYPES = {
    "casualty": ("Explosions/Remote violence", "Remote explosive/landmine/IED"),
    "detonation": ("Explosions/Remote violence", "Remote explosive/landmine/IED"),
    "emplacement": ("Strategic developments", "Other"),
    "clearance": ("Strategic developments", "Disrupted weapons use"),
    "displacement": ("Strategic developments", "Other"),
    "discovery": ("Strategic developments", "Other"),
    "policy": ("Strategic developments", "Other"),
}
#: ACLED's disorder type by event type: explosions are political violence,
#: laying, clearing and statements strategic developments.
DISORDER = {"casualty": "Political violence", "detonation": "Political violence"}
#: Actor words that make an actor state forces (ACLED inter code "State forces").
STATE_WORDS = re.compile(
    r"\b(army|military|troops|soldiers|forces|authorities|guards?|police|government|"
    r"ministry|regime|people's army|jcs|chiefs of staff)\b|^(north|south) korea$",
    re.I,
)
REGIONS_FILE = "acled_regions.csv"
COUNTRY_NAMES = {"KP": "North Korea", "KR": "South Korea", "CN": "China", "RU": "Russia"}
TYPE_WORDS = {
    "casualty": "Mine casualties",
    "emplacement": "Mine laying",
    "clearance": "Mine clearance",
    "displacement": "Mines moved by water or landslides",
    "discovery": "Mine found",
    "policy": "Statement or decision on mines",
}


def country_name(code: str | None) -> str:
    if not code:
        return ""
    if code.upper() in COUNTRY_NAMES:
        return COUNTRY_NAMES[code.upper()]
    try:
        c = pycountry.countries.get(alpha_2=code.upper())
        return str(getattr(c, "common_name", None) or c.name) if c else code
    except LookupError:
        return code


@lru_cache(maxsize=1)
def acled_regions() -> dict[str, str]:
    """ISO alpha-2 -> ACLED region, from ``export/data/acled_regions.csv``."""
    text = resources.files("minewatch.export").joinpath("data", REGIONS_FILE).read_text("utf-8")
    lines = [ln for ln in text.splitlines() if ln and not ln.startswith("#")]
    return {r["iso2"]: r["region"] for r in csv.DictReader(io.StringIO("\n".join(lines)))}


def _iso(code: str | None) -> tuple[int | None, str | None]:
    """ISO 3166-1 numeric and alpha-3 of an alpha-2 code."""
    c = pycountry.countries.get(alpha_2=code.upper()) if code else None
    return (int(c.numeric), str(c.alpha_3)) if c else (None, None)


def _actors(v: IncidentView, country: str) -> dict[str, str | None]:
    """ACLED actor columns: the actor who laid or set off mines, the victims.

    ``inter1`` is "State forces" when the actor is an army, troops or
    authorities; civilian victims are ``actor2`` "Civilians (Country)".
    """
    inter1 = "State forces" if v.actor and STATE_WORDS.search(v.actor) else None
    civilians = v.type in ("casualty", "detonation") and v.victims == "civilian"
    actor2 = f"Civilians ({country})" if civilians and country else None
    inter2 = "Civilians" if actor2 else None
    if inter1 and inter2:
        interaction = f"{inter1}-{inter2}"
    elif inter1 or inter2:
        interaction = f"{inter1 or inter2} only"
    else:
        interaction = None
    return {
        "actor1": v.actor,
        "assoc_actor_1": None,
        "inter1": inter1,
        "actor2": actor2,
        "assoc_actor_2": None,
        "inter2": inter2,
        "interaction": interaction,
        "civilian_targeting": "Civilian targeting" if civilians else None,
    }


def _count_cols(prefix: str, c: Count | None) -> dict[str, int | None]:
    return {
        f"{prefix}_low": None if c is None else c.low,
        f"{prefix}_best": None if c is None else c.best,
        f"{prefix}_high": None if c is None else c.high,
    }


def notes(v: IncidentView) -> str:
    """A generated one-line description with what it rests on."""
    parts = [f"{TYPE_WORDS.get(v.type, v.type)} {v.place_text}, {v.date_text}"]
    if v.status != "reported":
        parts[0] += f" ({v.status})"
    if v.casualties_text:
        who = ", ".join(x for x in (v.victims, v.victim_role) if x)
        parts.append(v.casualties_text + (f" ({who})" if who else ""))
    if v.actor:
        parts.append(f"attributed to {v.actor}")
    if v.devices or v.device_models:
        parts.append("devices: " + ", ".join(v.device_models or v.devices))
    parts.append(f"rests on {v.basis.phrase}")
    return "; ".join(parts) + "."


def incident_row(
    v: IncidentView,
    inc: Incident,
    sources: dict[str, Source],
    acled_zero: bool = False,
    timestamp: int | None = None,
) -> dict[str, Any]:
    """The row for one incident (values typed; None = empty/null).

    ``acled_zero``: write unknown fatalities as 0, ACLED's own convention,
    instead of empty; ``fatalities_reported`` still tells the two apart.
    """
    killed = counts.as_count(inc.value("killed"))
    injured = counts.as_count(inc.value("injured"))
    casualties = counts.as_count(inc.value("casualties"))
    country = inc.country or next((p.country for p in places_of(inc) if p.country), None)
    place = next((p for p in v.places if p.lat is not None and p.lon is not None), None)
    first = place or (v.places[0] if v.places else None)
    etype, sub = ACLED_TYPES.get(v.type, ("Strategic developments", "Other"))
    publishers = sorted(
        {sources[d].publisher or "unknown" for d in v.basis.documents if d in sources}
    )
    fatal = None if killed is None else counts.plot_value(killed)
    numeric, alpha3 = _iso(country)
    name = country_name(country)
    row: dict[str, Any] = {
        "event_id_cnty": f"{alpha3 or 'XXX'}{v.id}",
        "event_date": v.when.start if v.year is not None else None,
        "year": v.year,
        "time_precision": TIME_PRECISION.get(v.when.precision) if v.year is not None else None,
        "disorder_type": DISORDER.get(v.type, "Strategic developments"),
        "event_type": etype,
        "sub_event_type": sub,
        **_actors(v, name),
        "iso": numeric,
        "region": acled_regions().get((country or "").upper()),
        "country": name,
        "admin1": first.admin1 if first else None,
        "admin2": None,
        "admin3": None,
        "location": first.name if first else None,
        "latitude": round(place.lat, 6) if place and place.lat is not None else None,
        "longitude": round(place.lon, 6) if place and place.lon is not None else None,
        "geo_precision": GEO_PRECISION.get(first.precision) if first else None,
        "source": "; ".join(publishers),
        "source_scale": None,
        "notes": notes(v),
        "fatalities": 0 if fatal is None and acled_zero else fatal,
        "tags": None if v.status == "reported" else f"status: {v.status}",
        "timestamp": timestamp,
        "fatalities_reported": fatal is not None,
        "incident_id": v.id,
        "type": v.type,
        "status": v.status,
        "review": v.review,
        "context": v.context,
        "date_start": v.when.start,
        "date_end": v.when.end,
        "date_precision": v.when.precision,
        "date_text": v.date_text,
        "where_precision": first.precision if first else None,
        "places": "; ".join(p.name for p in v.places),
        **_count_cols("killed", killed),
        **_count_cols("injured", injured),
        **_count_cols("casualties", casualties),
        "victims": v.victims,
        "victim_role": v.victim_role,
        "devices": "; ".join(v.devices),
        "device_models": "; ".join(v.device_models),
        "independent_sources": v.basis.independent_sources,
        "original_sources": "; ".join(public.scrub_paths(o) for o in inc.original_sources),
        "document_ids": "; ".join(v.basis.documents),
        "conflicts": "; ".join(c.field for c in v.conflicts),
    }
    return row


def incident_rows(
    data: ReportData,
    opts: ReportOptions,
    acled_zero: bool = False,
    timestamp: int | None = None,
) -> list[dict[str, Any]]:
    """Rows for the incidents ``opts`` selects, in date order (see incident_row)."""
    # the selected incidents as selected: confidential reports already removed
    incidents, _excluded = select_incidents(data.incidents, opts, data.is_confidential)
    citer = Citer(incidents, data.documents, internal=opts.internal)
    by_id = {i.id: i for i in incidents}
    views = sorted((incident_view(i, citer, data.text_of) for i in incidents), key=sort_key)
    src = {s.id: s for s in citer.sources}
    return [incident_row(v, by_id[v.id], src, acled_zero, timestamp) for v in views]
