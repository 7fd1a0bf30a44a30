"""Shared data model: the Event JSON interface and the incident records.

Every pipeline stage speaks these dataclasses. ``to_json`` produces exactly the
Event JSON of DESIGN.md (fields may be added, never renamed or removed);
``from_json`` reads it back. Unknown is ``None`` (JSON ``null``), never 0.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any, Literal

EventType = Literal[
    "casualty", "emplacement", "clearance", "displacement", "discovery", "policy", "detonation"
]
EVENT_TYPES: tuple[str, ...] = (
    "casualty",
    "emplacement",
    "clearance",
    "displacement",
    "discovery",
    "policy",
    "detonation",
)
#: How a mine was set off (DESIGN ``activation``): by its victim, on command, not said.
ACTIVATIONS: tuple[str, ...] = ("victim", "command", "unknown")
STATUSES: tuple[str, ...] = ("reported", "claimed", "possible", "denied")
VICTIM_GROUPS: tuple[str, ...] = ("civilian", "military", "deminer", "unknown")
DEVICES: tuple[str, ...] = (
    "AP mine",
    "AV mine",
    "improvised mine",
    "IED",
    "ERW",
    "UXO",
    "unspecified mine",
)
DATE_PRECISIONS: tuple[str, ...] = (
    "day",
    "span",
    "week",
    "month_part",
    "month",
    "year_part",
    "year",
    "open",
    "reported",
    "unknown",
)
RELATIONS: tuple[str, ...] = ("in", "near", "along", "between", "from")
REVIEW_STATES: tuple[str, ...] = ("unreviewed", "confirmed", "rejected")


@dataclass(frozen=True)
class Count:
    """A count read from text: ``best`` is the conservative reading.

    ``high is None`` means unbounded; ``best is None`` means "some, number
    unknown" (e.g. "multiple" -> low 2, best None, high None).
    """

    low: int
    best: int | None
    high: int | None

    def to_json(self) -> dict[str, int | None]:
        return {"low": self.low, "best": self.best, "high": self.high}

    @classmethod
    def from_json(cls, d: dict[str, Any] | None) -> Count | None:
        if d is None:
            return None
        return cls(low=d["low"], best=d.get("best"), high=d.get("high"))

    @classmethod
    def exact(cls, n: int) -> Count:
        return cls(n, n, n)


@dataclass(frozen=True)
class When:
    """A time interval with a precision; dates are ISO ``YYYY-MM-DD`` or None."""

    start: str | None
    end: str | None
    precision: str = "unknown"
    text: str = ""

    def to_json(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_json(cls, d: dict[str, Any] | None) -> When:
        if d is None:
            return cls(None, None, "unknown", "")
        return cls(d.get("start"), d.get("end"), d.get("precision", "unknown"), d.get("text", ""))


@dataclass
class Place:
    """One place an event happened: a gazetteer entry (or an unresolved mention).

    ``precision`` follows UCDP GED where_prec (1 exact .. 7 unknown). ``start``
    and ``end`` are character offsets of ``text`` in the document text (None if
    the place was inferred rather than read). ``border_segment`` is one of
    ``china``, ``dmz``, ``russia``, ``coast``, ``interior`` (or None), and
    ``border_distance_km`` the distance to the nearest border line.
    ``candidates`` keeps other gazetteer ids when the mention was ambiguous.
    ``admin1`` is the common English name of the first-level division (Kharkiv
    Oblast, Battambang); ``admin1_code`` its ISO 3166-2 code (``UA-63``) and
    ``admin1_iso`` its ISO 3166-2 name (Kharkivska oblast), when known; ``admin2``
    the second-level division when the text names it ("Glushkovo district").
    """

    text: str
    name: str | None = None
    place_id: str | None = None
    country: str | None = None
    admin1: str | None = None
    lat: float | None = None
    lon: float | None = None
    precision: int = 7
    relation: str = "in"
    start: int | None = None
    end: int | None = None
    kind: str | None = None
    border_segment: str | None = None
    border_distance_km: float | None = None
    candidates: list[str] = field(default_factory=list)
    admin1_code: str | None = None
    admin1_iso: str | None = None
    admin2: str | None = None

    def to_json(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_json(cls, d: dict[str, Any]) -> Place:
        known = {k: v for k, v in d.items() if k in cls.__dataclass_fields__}
        return cls(**known)


@dataclass(frozen=True)
class Evidence:
    """The text span ``[start, end)`` a field's value was read from."""

    field: str
    start: int
    end: int

    def to_json(self) -> dict[str, Any]:
        return {"field": self.field, "start": self.start, "end": self.end}

    @classmethod
    def from_json(cls, d: dict[str, Any]) -> Evidence:
        return cls(d["field"], int(d["start"]), int(d["end"]))


@dataclass(frozen=True)
class Quantity:
    """A measured quantity, normalised: lengths in ``m``, areas in ``m2``.

    ``kind`` e.g. ``distance_to_border``, ``kill_radius``, ``area_cleared``,
    ``border_length``, ``mines_count``, ``uxo_count``, ``explosive_mass``; ``low``/``high``
    bound a range ("3 to 3.5 meters"); ``text`` is the span as written.
    """

    kind: str
    value: float
    unit: str
    text: str
    start: int
    end: int
    low: float | None = None
    high: float | None = None
    original_value: float | None = None
    original_unit: str | None = None
    device: str | None = None  # a count of devices: their class ("AP mine", "UXO")

    def to_json(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_json(cls, d: dict[str, Any]) -> Quantity:
        known = {k: v for k, v in d.items() if k in cls.__dataclass_fields__}
        return cls(**known)


@dataclass(frozen=True)
class ReportedCount:
    """A toll as the document stated it, kept beside the one chosen for the event: an
    earlier figure revised later ("the toll rose to five"), or a headline's figure that
    differs from the body's ("DOZENS" over "about a dozen"), so conflicts stay visible."""

    field: str  # killed | injured | casualties
    count: Count
    start: int
    end: int
    role: str = "earlier"  # earlier (revised later) | headline

    def to_json(self) -> dict[str, Any]:
        return {
            "field": self.field,
            "count": self.count.to_json(),
            "start": self.start,
            "end": self.end,
            "role": self.role,
        }

    @classmethod
    def from_json(cls, d: dict[str, Any]) -> ReportedCount:
        c = Count.from_json(d["count"])
        if c is None:
            raise ValueError("a reported count needs its count")
        return cls(d["field"], c, int(d["start"]), int(d["end"]), d.get("role", "earlier"))


def _count_json(c: Count | None) -> dict[str, int | None] | None:
    return None if c is None else c.to_json()


@dataclass
class Event:
    """One landmine event read from one document (DESIGN.md, Event JSON)."""

    id: str
    type: str
    status: str = "reported"
    context: bool = False
    when: When = field(default_factory=lambda: When(None, None, "unknown", ""))
    where: list[Place] = field(default_factory=list)
    killed: Count | None = None
    injured: Count | None = None
    casualties: Count | None = None
    victims: str | None = None
    victim_role: str | None = None
    devices: list[str] = field(default_factory=list)
    device_models: list[str] = field(default_factory=list)
    actor: str | None = None
    attributed_to: list[str] = field(default_factory=list)
    quantities: list[Quantity] = field(default_factory=list)
    evidence: list[Evidence] = field(default_factory=list)
    confidence: float = 0.5
    summary: str = ""
    # added after the first release (Event JSON only gains fields)
    activation: str | None = None  # victim | command | unknown (casualty, detonation)
    aggregate: bool = False  # a period total or statistic: always context, never an incident
    reported_counts: list[ReportedCount] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "type": self.type,
            "status": self.status,
            "context": self.context,
            "when": self.when.to_json(),
            "where": [p.to_json() for p in self.where],
            "killed": _count_json(self.killed),
            "injured": _count_json(self.injured),
            "casualties": _count_json(self.casualties),
            "victims": self.victims,
            "victim_role": self.victim_role,
            "devices": list(self.devices),
            "device_models": list(self.device_models),
            "actor": self.actor,
            "attributed_to": list(self.attributed_to),
            "quantities": [q.to_json() for q in self.quantities],
            "evidence": [e.to_json() for e in self.evidence],
            "confidence": self.confidence,
            "summary": self.summary,
            "activation": self.activation,
            "aggregate": self.aggregate,
            "reported_counts": [r.to_json() for r in self.reported_counts],
        }

    @classmethod
    def from_json(cls, d: dict[str, Any]) -> Event:
        return cls(
            id=d["id"],
            type=d["type"],
            status=d.get("status", "reported"),
            context=bool(d.get("context", False)),
            when=When.from_json(d.get("when")),
            where=[Place.from_json(p) for p in d.get("where", [])],
            killed=Count.from_json(d.get("killed")),
            injured=Count.from_json(d.get("injured")),
            casualties=Count.from_json(d.get("casualties")),
            victims=d.get("victims"),
            victim_role=d.get("victim_role"),
            devices=list(d.get("devices", [])),
            device_models=list(d.get("device_models", [])),
            actor=d.get("actor"),
            attributed_to=list(d.get("attributed_to", [])),
            quantities=[Quantity.from_json(q) for q in d.get("quantities", [])],
            evidence=[Evidence.from_json(e) for e in d.get("evidence", [])],
            confidence=float(d.get("confidence", 0.5)),
            summary=d.get("summary", ""),
            activation=d.get("activation"),
            aggregate=bool(d.get("aggregate", False)),
            reported_counts=[ReportedCount.from_json(r) for r in d.get("reported_counts", [])],
        )


@dataclass
class DocumentMeta:
    """A document's identity and metadata. ``published`` may be partial
    (``2020-10``, ``2025``) and is never padded to a full date."""

    id: str  # "sha256:<hex>" of the original bytes
    input_id: str
    title: str | None = None
    publisher: str | None = None
    published: str | None = None
    url: str | None = None
    language: str | None = None
    #: Marked confidential (at ingest or by a later decision): never shown in a
    #: report, a public export or to a viewer. ``Store.confidential_document_ids``
    #: lists them without loading documents.
    confidential: bool = False

    def to_json(self) -> dict[str, Any]:
        d = asdict(self)
        # Event JSON is a stable interface: the key appears only when it is true.
        if not self.confidential:
            del d["confidential"]
        return d

    @classmethod
    def from_json(cls, d: dict[str, Any]) -> DocumentMeta:
        known = {k: v for k, v in d.items() if k in cls.__dataclass_fields__}
        known["confidential"] = bool(known.get("confidential", False))
        return cls(**known)

    @property
    def sha256(self) -> str:
        return self.id.split(":", 1)[1] if ":" in self.id else self.id


@dataclass
class DocumentEvents:
    """One line of ``minewatch extract --format jsonl``."""

    document: DocumentMeta
    events: list[Event] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        return {
            "document": self.document.to_json(),
            "events": [e.to_json() for e in self.events],
        }

    @classmethod
    def from_json(cls, d: dict[str, Any]) -> DocumentEvents:
        return cls(
            DocumentMeta.from_json(d["document"]),
            [Event.from_json(e) for e in d.get("events", [])],
        )


def event_key(document_id: str, event_id: str) -> str:
    """Global key of an event: ``sha256:<hex>#e1``."""
    return f"{document_id}#{event_id}"


# --- corroboration -----------------------------------------------------------


@dataclass
class ReportedValue:
    """One document's value for one incident field, with where it was read."""

    value: Any  # JSON-serialisable (a Count dict, a When dict, a Place dict, a str ...)
    event_key: str
    document_id: str
    input_id: str | None = None
    evidence: list[Evidence] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        return {
            "value": self.value,
            "event_key": self.event_key,
            "document_id": self.document_id,
            "input_id": self.input_id,
            "evidence": [e.to_json() for e in self.evidence],
        }

    @classmethod
    def from_json(cls, d: dict[str, Any]) -> ReportedValue:
        return cls(
            d["value"],
            d["event_key"],
            d["document_id"],
            d.get("input_id"),
            [Evidence.from_json(e) for e in d.get("evidence", [])],
        )


@dataclass
class FieldChoice:
    """The value chosen for an incident field, the rule that chose it, and
    every reported value (conflicts stay visible)."""

    value: Any
    rule: str
    reported: list[ReportedValue] = field(default_factory=list)
    conflict: bool = False

    def to_json(self) -> dict[str, Any]:
        return {
            "value": self.value,
            "rule": self.rule,
            "conflict": self.conflict,
            "reported": [r.to_json() for r in self.reported],
        }

    @classmethod
    def from_json(cls, d: dict[str, Any]) -> FieldChoice:
        return cls(
            d["value"],
            d["rule"],
            [ReportedValue.from_json(r) for r in d.get("reported", [])],
            bool(d.get("conflict", False)),
        )


@dataclass
class IncidentMember:
    event_key: str
    document_id: str
    input_id: str | None = None
    # "member" (part of the incident), "mention" (a report that fits several
    # incidents equally, e.g. a summary of two) or "background" (a background
    # mention that recalls it): mentions and background are shown, never counted
    # or chosen.
    role: str = "member"

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class Incident:
    """One real-world occurrence, grouping events from one or more documents.

    ``fields`` holds a FieldChoice for: when, where, killed, injured,
    casualties, victims, victim_role, devices, actor, quantities, status,
    context. ``review`` is the human decision state.
    """

    id: str
    type: str
    fields: dict[str, FieldChoice] = field(default_factory=dict)
    members: list[IncidentMember] = field(default_factory=list)
    independent_sources: int = 1
    original_sources: list[str] = field(default_factory=list)
    source_kinds: list[str] = field(default_factory=list)
    confidence: float = 0.5
    review: str = "unreviewed"
    country: str | None = None

    @property
    def document_ids(self) -> list[str]:
        seen: dict[str, None] = {}
        for m in self.members:
            seen.setdefault(m.document_id, None)
        return list(seen)

    def value(self, name: str) -> Any:
        fc = self.fields.get(name)
        return None if fc is None else fc.value

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "type": self.type,
            "country": self.country,
            "review": self.review,
            "confidence": self.confidence,
            "independent_sources": self.independent_sources,
            "original_sources": list(self.original_sources),
            "source_kinds": list(self.source_kinds),
            "documents": self.document_ids,
            # the chosen value of every field, and the fields whose reports disagree:
            # derived from ``fields`` (one shape for the store and ``incidents --json``)
            "values": {k: v.value for k, v in self.fields.items()},
            "conflicts": [k for k, f in self.fields.items() if f.conflict and k != "quantities"],
            "fields": {k: v.to_json() for k, v in self.fields.items()},
            "members": [m.to_json() for m in self.members],
        }

    @classmethod
    def from_json(cls, d: dict[str, Any]) -> Incident:
        return cls(
            id=d["id"],
            type=d["type"],
            fields={k: FieldChoice.from_json(v) for k, v in d.get("fields", {}).items()},
            members=[IncidentMember(**m) for m in d.get("members", [])],
            independent_sources=int(d.get("independent_sources", 1)),
            original_sources=list(d.get("original_sources", [])),
            source_kinds=list(d.get("source_kinds", [])),
            confidence=float(d.get("confidence", 0.5)),
            review=d.get("review", "unreviewed"),
            country=d.get("country"),
        )
