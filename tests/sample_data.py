"""A small hand-built incident set for tests and template work.

It restates, in our own words, the North Korean events of the seed documents
(China-border mine laying in 2020 and 2023, the 2023 defector casualties near
Musan, the 2023-24 DMZ casualties, the 2018 JSA clearance, the 2024 flood
warning). Offsets of the evidence index the short texts below, not the seeds.
"""

from __future__ import annotations

import hashlib
from typing import Any

from minewatch.model import (
    Count,
    DocumentMeta,
    Event,
    Evidence,
    FieldChoice,
    Incident,
    IncidentMember,
    Place,
    ReportedValue,
    When,
)
from minewatch.report.profile import ReportData

TEXTS: dict[str, tuple[dict[str, str | None], str]] = {
    "tabloid": (
        {
            "title": "Soldiers hurt laying mines on the China border",
            "publisher": "Syndicated tabloid",
            "published": "2020-10",
            "url": "https://example.org/tabloid/2020/soldiers-mines",
        },
        "Border guards in Ryanggang were hurt when a mine went off while they buried it; "
        "about a dozen soldiers were injured. In Hamgyong several soldiers were injured in a "
        "similar blast. Dozens of soldiers were injured in all, sources say. The guards have "
        "been laying mines near the China border since August.",
    ),
    "dailynk": (
        {
            "title": "Defectors killed and maimed by mines near Musan",
            "publisher": "Daily NK",
            "published": "2023-11-07",
            "url": "https://example.org/dailynk/2023/musan",
        },
        "Five would-be defectors were wounded or killed by mines near Musan in mid-October. "
        "Three other people died near Musan this past September. The authorities have been "
        "laying mines along the China border since August.",
    ),
    "blog": (
        {
            "title": "Defectors killed by landmines",
            "publisher": "Crossing Borders (blog)",
            "published": "2023-11-28",
            "url": "https://example.org/blog/2023/landmines",
        },
        "Five people from North Hamgyong were injured or killed crossing the Tumen River, a "
        "month after three people were killed near Musan.",
    ),
    "aggregator": (
        {
            "title": "Troops lost to DMZ mines",
            "publisher": "News aggregator",
            "published": "2024-06",
            "url": None,
        },
        "Since November 2023 North Korea has lost numerous soldiers to mines in the DMZ, "
        "according to the South Korean military.",
    ),
    "mar": (
        {
            "title": "Clearing the Mines 2025: North Korea",
            "publisher": "Mine Action Review",
            "published": "2025",
            "url": None,
        },
        "In late 2018 North Korea removed more than 600 AP mines from the JSA. Late in 2023 "
        "the army re-mined a road near Arrowhead Hill. Chinese authorities warned in August "
        "2024 that mines may have been carried into China by floods on the Yalu River.",
    ),
}


def doc_id(key: str) -> str:
    return "sha256:" + hashlib.sha256(TEXTS[key][1].encode()).hexdigest()


def documents() -> dict[str, DocumentMeta]:
    out = {}
    for key, (meta, _text) in TEXTS.items():
        did = doc_id(key)
        out[did] = DocumentMeta.from_json(
            {"id": did, "input_id": f"{key}.txt", "language": "en", **meta}
        )
    return out


def _span(key: str, phrase: str, name: str) -> Evidence:
    text = TEXTS[key][1]
    start = text.index(phrase)
    return Evidence(name, start, start + len(phrase))


def _fc(
    name: str,
    value: Any,
    reads: list[tuple[str, Any, str | None]],
    rule: str = "agree",
    conflict: bool = False,
) -> FieldChoice:
    """A field: chosen ``value`` and one reading per (doc key, value, evidence phrase)."""
    reported = [
        ReportedValue(
            v, f"{doc_id(k)}#e1", doc_id(k), f"{k}.txt", [_span(k, ph, name)] if ph else []
        )
        for k, v, ph in reads
    ]
    return FieldChoice(value, rule, reported, conflict)


def _place(
    name: str,
    lat: float | None,
    lon: float | None,
    precision: int,
    admin1: str | None,
    relation: str = "in",
    kind: str | None = None,
) -> dict[str, Any]:
    return {
        "text": name,
        "name": name,
        "place_id": None,
        "country": "KP",
        "admin1": admin1,
        "lat": lat,
        "lon": lon,
        "precision": precision,
        "relation": relation,
        "kind": kind,
    }


def _incident(
    iid: str,
    etype: str,
    docs: list[str],
    fields: dict[str, FieldChoice],
    sources: list[str],
    review: str = "unreviewed",
) -> Incident:
    return Incident(
        id=iid,
        type=etype,
        fields=fields,
        members=[IncidentMember(_event_key(iid, k), doc_id(k), f"{k}.txt") for k in docs],
        independent_sources=len(sources),
        original_sources=sources,
        review=review,
        country="KP",
    )


_EVENT_NO: dict[tuple[str, str], str] = {}


def _event_key(iid: str, key: str) -> str:
    """A stable event key per (incident, document): ``sha256:...#e<n>``."""
    if (iid, key) not in _EVENT_NO:
        n = sum(1 for (_i, k) in _EVENT_NO if k == key) + 1
        _EVENT_NO[(iid, key)] = f"e{n}"
    return f"{doc_id(key)}#{_EVENT_NO[(iid, key)]}"


def _when(start: str, end: str, precision: str, text: str) -> dict[str, Any]:
    return {"start": start, "end": end, "precision": precision, "text": text}


def sample_incidents() -> list[Incident]:
    dozen = Count(10, 12, 14).to_json()
    dozens = Count(24, 24, 99).to_json()
    china = _place("China border", 41.8, 128.3, 5, None, "along", "border")
    return [
        _incident(
            "inc-2020-ryanggang",
            "casualty",
            ["tabloid"],
            {
                "when": _fc(
                    "when",
                    _when("2020-10-01", "2020-10-31", "month", "October"),
                    [("tabloid", _when("2020-10-01", "2020-10-31", "month", ""), None)],
                ),
                "where": _fc(
                    "where",
                    [_place("Ryanggang", 41.4, 128.2, 4, "Ryanggang")],
                    [("tabloid", [], "Ryanggang")],
                ),
                "injured": _fc(
                    "injured",
                    dozen,
                    [
                        ("tabloid", dozen, "about a dozen soldiers were injured"),
                        ("tabloid", dozens, "Dozens of soldiers were injured"),
                    ],
                    rule="conservative: the lowest best reading",
                    conflict=True,
                ),
                "victims": _fc("victims", "military", [("tabloid", "military", None)]),
                "victim_role": _fc("victim_role", "soldier laying mines", []),
                "devices": _fc("devices", ["AP mine"], []),
                "status": _fc("status", "reported", []),
            },
            ["Radio Free Asia"],
        ),
        _incident(
            "inc-2020-hamgyong",
            "casualty",
            ["tabloid"],
            {
                "when": _fc("when", _when("2020-10-01", "2020-10-31", "month", "October"), []),
                "where": _fc(
                    "where",
                    [_place("North Hamgyong", 42.0, 129.5, 4, "North Hamgyong")],
                    [("tabloid", [], "In Hamgyong")],
                ),
                "injured": _fc(
                    "injured",
                    Count(3, 3, 9).to_json(),
                    [("tabloid", Count(3, 3, 9).to_json(), "several soldiers were injured")],
                ),
                "victims": _fc("victims", "military", []),
                "victim_role": _fc("victim_role", "soldier laying mines", []),
                "status": _fc("status", "reported", []),
            },
            ["Radio Free Asia"],
        ),
        _incident(
            "inc-2020-china-border-use",
            "emplacement",
            ["tabloid", "mar"],
            {
                "when": _fc(
                    "when",
                    _when("2020-08-01", "2020-10-31", "open", "since August"),
                    [("tabloid", None, "since August")],
                ),
                "where": _fc("where", [china], []),
                "actor": _fc(
                    "actor", "North Korean border guards", [("tabloid", "", "Border guards")]
                ),
                "devices": _fc("devices", ["AP mine"], []),
                "device_models": _fc("device_models", ["BBM-82"], []),
                "status": _fc("status", "reported", []),
            },
            ["Radio Free Asia", "Mine Action Review"],
            review="confirmed",
        ),
        _incident(
            "inc-2023-09-musan",
            "casualty",
            ["dailynk", "blog"],
            {
                "when": _fc(
                    "when",
                    _when("2023-09-01", "2023-09-30", "month", "this past September"),
                    [("dailynk", None, "this past September")],
                ),
                "where": _fc(
                    "where",
                    [_place("Musan", 42.23, 129.22, 2, "North Hamgyong", "near")],
                    [("dailynk", None, "near Musan this past")],
                ),
                "killed": _fc(
                    "killed",
                    Count.exact(3).to_json(),
                    [
                        ("dailynk", Count.exact(3).to_json(), "Three other people died"),
                        ("blog", Count.exact(3).to_json(), "three people were killed"),
                    ],
                ),
                "victims": _fc("victims", "civilian", []),
                "victim_role": _fc("victim_role", "defector", []),
                "status": _fc("status", "reported", []),
            },
            ["Daily NK"],
        ),
        _incident(
            "inc-2023-10-musan",
            "casualty",
            ["dailynk", "blog"],
            {
                "when": _fc(
                    "when",
                    _when("2023-10-11", "2023-10-20", "month_part", "mid-October"),
                    [("dailynk", None, "in mid-October")],
                ),
                "where": _fc(
                    "where", [_place("Musan", 42.23, 129.22, 2, "North Hamgyong", "near")], []
                ),
                "casualties": _fc(
                    "casualties",
                    Count.exact(5).to_json(),
                    [
                        (
                            "dailynk",
                            Count.exact(5).to_json(),
                            "Five would-be defectors were wounded or killed",
                        ),
                        ("blog", Count.exact(5).to_json(), "Five people"),
                    ],
                ),
                "victims": _fc("victims", "civilian", []),
                "victim_role": _fc("victim_role", "defector", []),
                "status": _fc("status", "reported", []),
            },
            ["Daily NK"],
        ),
        _incident(
            "inc-2023-china-border-use",
            "emplacement",
            ["dailynk", "blog", "mar"],
            {
                "when": _fc(
                    "when",
                    _when("2023-08-01", "2023-11-07", "open", "since August"),
                    [("dailynk", None, "since August")],
                ),
                "where": _fc("where", [china], []),
                "actor": _fc(
                    "actor",
                    "North Korean authorities",
                    [("dailynk", "North Korean authorities", "The authorities")],
                ),
                "status": _fc("status", "reported", []),
            },
            ["Daily NK", "Mine Action Review"],
        ),
        _incident(
            "inc-2023-dmz-soldiers",
            "casualty",
            ["aggregator"],
            {
                "when": _fc(
                    "when",
                    _when("2023-11-01", "2024-06-18", "open", "since November 2023"),
                    [("aggregator", None, "Since November 2023")],
                ),
                "where": _fc("where", [_place("DMZ", 38.3, 127.2, 5, None, "in", "dmz")], []),
                "casualties": _fc(
                    "casualties",
                    {"low": 2, "best": None, "high": None},
                    [
                        (
                            "aggregator",
                            {"low": 2, "best": None, "high": None},
                            "lost numerous soldiers",
                        )
                    ],
                ),
                "victims": _fc("victims", "military", []),
                "status": _fc("status", "reported", []),
            },
            ["Joint Chiefs of Staff (South Korea)"],
        ),
        _incident(
            "inc-2023-arrowhead-use",
            "emplacement",
            ["mar"],
            {
                "when": _fc(
                    "when",
                    _when("2023-09-01", "2023-12-31", "year_part", "late 2023"),
                    [("mar", None, "Late in 2023")],
                ),
                "where": _fc(
                    "where",
                    [_place("Arrowhead Hill", 38.27, 127.23, 2, "Kangwon", "near")],
                    [("mar", None, "near Arrowhead Hill")],
                ),
                "actor": _fc("actor", "Korean People's Army", []),
                "status": _fc("status", "reported", []),
            },
            ["Mine Action Review"],
        ),
        _incident(
            "inc-2018-jsa-clearance",
            "clearance",
            ["mar"],
            {
                "when": _fc(
                    "when", _when("2018-09-01", "2018-12-31", "year_part", "late 2018"), []
                ),
                "where": _fc(
                    "where", [_place("Joint Security Area", 37.956, 126.677, 1, None)], []
                ),
                "quantities": _fc(
                    "quantities",
                    [
                        {
                            "kind": "mines_count",
                            "value": 601,
                            "unit": "mines",
                            "text": "more than 600 AP mines",
                        }
                    ],
                    [("mar", None, "more than 600 AP mines")],
                ),
                "actor": _fc("actor", "Korean People's Army", []),
                "status": _fc("status", "reported", []),
            },
            ["Mine Action Review"],
        ),
        _incident(
            "inc-2024-yalu-flood",
            "displacement",
            ["mar"],
            {
                "when": _fc("when", _when("2024-07-21", "2024-08-13", "open", "end of July"), []),
                "where": _fc(
                    "where",
                    [_place("Yalu River", 40.1, 124.4, 5, None, "along", "river")],
                    [("mar", None, "Yalu River")],
                ),
                "status": _fc("status", "possible", []),
            },
            ["Rimjin-Gang"],
        ),
        _incident(
            "inc-rejected-coal",
            "casualty",
            ["dailynk"],
            {
                "when": _fc("when", _when("2023-05-01", "2023-05-31", "month", "May"), []),
                "killed": _fc("killed", Count.exact(9).to_json(), []),
                "status": _fc("status", "reported", []),
            },
            ["Daily NK"],
            review="rejected",
        ),
    ]


def sample_data() -> ReportData:
    texts = {doc_id(k): t for k, (_m, t) in TEXTS.items()}
    return ReportData(sample_incidents(), documents(), texts.get)


def sample_events() -> dict[str, list[Event]]:
    """One event per (incident, document), with the incident's chosen values."""
    out: dict[str, list[Event]] = {}
    for inc in sample_incidents():
        for m in inc.members:
            w = inc.value("when") or {}
            out.setdefault(m.document_id, []).append(
                Event(
                    id=m.event_key.split("#", 1)[1],
                    type=inc.type,
                    status=inc.value("status") or "reported",
                    when=When.from_json(w),
                    where=[Place.from_json(p) for p in inc.value("where") or []],
                    killed=Count.from_json(inc.value("killed")),
                    injured=Count.from_json(inc.value("injured")),
                    casualties=Count.from_json(inc.value("casualties")),
                    victims=inc.value("victims"),
                    evidence=[
                        e
                        for fc in inc.fields.values()
                        for rv in fc.reported
                        if rv.document_id == m.document_id
                        for e in rv.evidence
                    ],
                )
            )
    return out


def populate(store: Any, who: str = "sample") -> None:
    """Fill a ``minewatch.store.Store`` with the sample documents, events, incidents."""
    for key, (meta, text) in TEXTS.items():
        store.add_document(
            original=text.encode("utf-8"),
            media_type="text/plain",
            input_id=f"{key}.txt",
            text=text,
            extractor="plain",
            extractor_version="sample",
            metadata={**meta, "language": "en"},
            who=who,
        )
    for did, events in sample_events().items():
        store.replace_events(did, events, "sample", who=who)
    store.replace_incidents(sample_incidents(), who=who)
