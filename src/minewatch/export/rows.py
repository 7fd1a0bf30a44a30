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

from typing import Any

from minewatch.model import Count, Incident
from minewatch.reportdata import (
    IncidentView,
    ReportData,
    ReportOptions,
    Source,
    counts,
    incident_views,
    places_of,
)

ACLED_COLUMNS = (
    "event_date",
    "time_precision",
    "event_type",
    "sub_event_type",
    "actor1",
    "country",
    "admin1",
    "admin2",
    "location",
    "latitude",
    "longitude",
    "geo_precision",
    "source",
    "source_scale",
    "notes",
    "fatalities",
)
OWN_COLUMNS = (
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
    "emplacement": ("Strategic developments", "Other"),
    "clearance": ("Strategic developments", "Disrupted weapons use"),
    "displacement": ("Strategic developments", "Other"),
    "discovery": ("Strategic developments", "Other"),
    "policy": ("Strategic developments", "Other"),
}
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
        import pycountry

        c = pycountry.countries.get(alpha_2=code.upper())
        return str(getattr(c, "common_name", None) or c.name) if c else code
    except (ImportError, LookupError):
        return code


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


def incident_row(v: IncidentView, inc: Incident, sources: dict[str, Source]) -> dict[str, Any]:
    """The row for one incident (values typed; None = empty/null)."""
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
    row: dict[str, Any] = {
        "event_date": v.when.start if v.year is not None else None,
        "time_precision": TIME_PRECISION.get(v.when.precision) if v.year is not None else None,
        "event_type": etype,
        "sub_event_type": sub,
        "actor1": v.actor,
        "country": country_name(country),
        "admin1": first.admin1 if first else None,
        "admin2": None,
        "location": first.name if first else None,
        "latitude": round(place.lat, 6) if place and place.lat is not None else None,
        "longitude": round(place.lon, 6) if place and place.lon is not None else None,
        "geo_precision": GEO_PRECISION.get(first.precision) if first else None,
        "source": "; ".join(publishers),
        "source_scale": None,
        "notes": notes(v),
        "fatalities": fatal,
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
        "original_sources": "; ".join(inc.original_sources),
        "document_ids": "; ".join(v.basis.documents),
        "conflicts": "; ".join(c.field for c in v.conflicts),
    }
    return row


def incident_rows(data: ReportData, opts: ReportOptions) -> list[dict[str, Any]]:
    """Rows for the incidents ``opts`` selects, in date order."""
    views, sources, _excluded = incident_views(data, opts)
    by_id = {i.id: i for i in data.incidents}
    src = {s.id: s for s in sources}
    return [incident_row(v, by_id[v.id], src) for v in views]
