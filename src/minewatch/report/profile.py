"""The country profile as data: what the templates render.

``build_profile`` turns incidents (from corroboration), the metadata of the
documents behind them and their texts into a :class:`Profile`: key data, key
developments by year, a casualty table, a use-of-mines timeline, clearance,
displacement, a register of incidents with conflicts and evidence quotes, and
the numbered sources every figure and sentence cites.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from minewatch.model import Count, DocumentMeta, Incident, Place, When
from minewatch.report import counts, dates, quotes
from minewatch.report.facts import CountryFacts

#: Event statuses that count as something that happened.
FACTUAL = ("reported", "claimed")
VICTIM_ORDER = ("civilian", "military", "deminer", "unknown")
TYPE_TITLES = {
    "emplacement": "New use",
    "casualty": "Casualties",
    "clearance": "Clearance",
    "displacement": "Displacement",
    "discovery": "Discoveries",
    "policy": "Policy",
}
#: Place kinds that are lines: "along the Yalu River", not "in".
LINEAR_KINDS = frozenset({"river", "line", "road", "border"})
#: How a place relation reads before the place name ("from": a distance was given).
RELATION_WORDS = {
    "in": "in",
    "near": "near",
    "along": "along",
    "between": "between",
    "from": "near",
}


@dataclass
class ReportData:
    """Everything a profile is built from."""

    incidents: list[Incident]
    documents: dict[str, DocumentMeta]
    text_of: Callable[[str], str | None] = field(default=lambda _doc_id: None)


@dataclass
class ReportOptions:
    """What goes into the profile.

    ``date_from``/``date_to`` keep incidents whose reported interval overlaps
    the period (undated incidents are then left out and counted in the
    methods note). ``include_unconfirmed`` (default) keeps confirmed and
    unreviewed incidents; False keeps confirmed only. Rejected: never.
    """

    country: str | None = "KP"
    date_from: date | None = None
    date_to: date | None = None
    include_unconfirmed: bool = True
    generated: str | None = None


@dataclass
class Source:
    """A document in the numbered list of sources."""

    n: int
    id: str
    input_id: str | None
    publisher: str | None
    title: str | None
    published: str | None
    url: str | None
    sha256: str


@dataclass
class Basis:
    """What a statement rests on: incidents, documents, independent sources."""

    incidents: list[str]
    documents: list[str]
    independent_sources: int
    refs: list[int] = field(default_factory=list)

    @property
    def phrase(self) -> str:
        """e.g. ``2 incidents from 4 reports, 2 independent sources``."""
        i, d, s = len(self.incidents), len(self.documents), self.independent_sources
        return (
            f"{i} incident{'s' * (i != 1)} from {d} report{'s' * (d != 1)}, "
            f"{s} independent source{'s' * (s != 1)}"
        )


@dataclass
class Quote:
    """A sentence of a document, with the evidence spans in it marked."""

    ref: int
    field: str
    text: str
    segments: list[tuple[str, bool]] = dataclasses.field(default_factory=list)


@dataclass
class Reading:
    """One value as reported, with the sources that reported it."""

    text: str
    refs: list[int]


@dataclass
class Conflict:
    field: str
    chosen: str
    rule: str
    readings: list[Reading]


@dataclass
class PlaceView:
    name: str
    admin1: str | None
    lat: float | None
    lon: float | None
    precision: int
    relation: str
    kind: str | None


@dataclass
class IncidentView:
    """One incident, ready for display."""

    id: str
    type: str
    review: str
    status: str
    context: bool
    when: When
    date_text: str
    year: int | None
    places: list[PlaceView]
    place_text: str
    actor: str | None
    attributed_to: list[str]
    devices: list[str]
    device_models: list[str]
    victims: str | None
    victim_role: str | None
    split: counts.Split
    casualties_text: str
    quantities: list[str]
    basis: Basis
    conflicts: list[Conflict]
    quotes: list[Quote]
    summary: str
    mentions: list[int] = field(default_factory=list)

    @property
    def refs(self) -> list[int]:
        return self.basis.refs

    @property
    def counted(self) -> bool:
        return self.status in FACTUAL


@dataclass
class CasualtyCell:
    """One row of the casualty table: a year and a victim group."""

    year: int | None
    group: str
    killed: Count | None
    injured: Count | None
    unsplit: Count | None
    roles: list[str]
    basis: Basis
    unknown_count_incidents: int

    @property
    def vague(self) -> bool:
        return any(counts.is_vague(c) for c in (self.killed, self.injured, self.unsplit))


@dataclass
class Development:
    """A generated statement of the key developments of one year."""

    kind: str
    year: int | None
    basis: Basis
    places: list[str]
    dates: list[str]
    actors: list[str] = field(default_factory=list)
    groups: list[str] = field(default_factory=list)
    split: counts.Split | None = None
    quantities: list[str] = field(default_factory=list)
    devices: list[str] = field(default_factory=list)
    unknown_counts: int = 0


@dataclass
class Profile:
    country: str
    name: str
    facts: CountryFacts
    options: ReportOptions
    generated: str
    period: str
    incidents: list[IncidentView]
    developments: list[tuple[int | None, list[Development]]]
    casualty_rows: list[CasualtyCell]
    casualty_total: CasualtyCell | None
    use_timeline: list[IncidentView]
    clearance: list[IncidentView]
    displacement: list[IncidentView]
    other: list[IncidentView]
    not_counted: list[IncidentView]
    sources: list[Source]
    excluded: dict[str, int]
    all_basis: Basis
    charts: dict[str, str] = field(default_factory=dict)
    map_svg: str | None = None

    def fact_refs(self) -> dict[str, int]:
        """Fact source key -> its number in the facts source list (F1, F2 ...)."""
        return {k: i + 1 for i, k in enumerate(self.facts.sources)}


# --- reading incident fields --------------------------------------------------


def places_of(inc: Incident) -> list[Place]:
    value = inc.value("where")
    if value is None:
        return []
    items = value if isinstance(value, list) else [value]
    out = []
    for p in items:
        if isinstance(p, Place):
            out.append(p)
        elif isinstance(p, dict):
            out.append(Place.from_json(p))
    return out


def _place_name(p: Place) -> str:
    return p.name or p.text or "unnamed place"


def place_text(places: list[Place]) -> str:
    """``near Musan (North Hamgyong); along China border``; ``place unknown`` if none."""
    parts = []
    for p in places:
        name = _place_name(p)
        rel = RELATION_WORDS.get(p.relation, "in")
        if rel == "in" and p.kind in LINEAR_KINDS:
            rel = "along"  # "in Yalu River" reads wrong
        admin = f" ({p.admin1})" if p.admin1 and p.admin1 != name else ""
        parts.append(f"{rel} {name}{admin}")
    return "; ".join(dict.fromkeys(parts)) or "place unknown"


def _str_list(value: Any) -> list[str]:
    if value is None:
        return []
    if isinstance(value, list | tuple):
        return [str(v) for v in value if v not in (None, "")]
    return [str(value)]


def _quantity_text(q: Any) -> str:
    if isinstance(q, dict):
        text = q.get("text") or f"{q.get('value')} {q.get('unit', '')}".strip()
        kind = str(q.get("kind", "")).replace("_", " ")
        return f"{kind}: {text}" if kind else str(text)
    return str(q)


def value_text(name: str, value: Any) -> str:
    """Words for any incident field value (used for conflicts)."""
    if value is None:
        return "not reported"
    if name in ("killed", "injured", "casualties"):
        return counts.fmt(counts.as_count(value))
    if name == "when":
        return dates.describe(dates.as_when(value))
    if name == "where":
        items = value if isinstance(value, list) else [value]
        return place_text([Place.from_json(p) if isinstance(p, dict) else p for p in items])
    if name == "quantities" or name.startswith("quantity:"):
        items = value if isinstance(value, list) else [value]
        return "; ".join(_quantity_text(q) for q in items) or "none"
    if isinstance(value, list):
        return ", ".join(str(v) for v in value) or "none"
    if isinstance(value, bool):
        return "yes" if value else "no"
    return str(value)


# --- building -----------------------------------------------------------------


def _country_of(inc: Incident) -> set[str]:
    """Countries an incident belongs to: its own, its places', and every country
    of a shared feature it lies on (gazetteer ids such as ``kp-cn-border`` or
    ``kp-kr-dmz`` start with the codes of the countries they separate)."""
    out = {inc.country.upper()} if inc.country else set()
    for p in places_of(inc):
        if p.country:
            out.add(p.country.upper())
        for part in (p.place_id or "").split("-")[:-1]:
            if len(part) != 2 or not part.isalpha():
                break
            out.add(part.upper())
    return out


def select_incidents(
    incidents: Iterable[Incident], opts: ReportOptions
) -> tuple[list[Incident], dict[str, int]]:
    """Apply country, review and period filters; count what was left out."""
    keep: list[Incident] = []
    excluded = {"rejected": 0, "unreviewed": 0, "outside_period": 0, "undated": 0, "no_country": 0}
    allowed = {"confirmed", "unreviewed"} if opts.include_unconfirmed else {"confirmed"}
    period = opts.date_from is not None or opts.date_to is not None
    for inc in incidents:
        if opts.country:
            countries = _country_of(inc)
            if not countries:
                excluded["no_country"] += 1
            if opts.country.upper() not in countries:
                continue
        if inc.review not in allowed:
            key = "rejected" if inc.review == "rejected" else "unreviewed"
            excluded[key] += 1
            continue
        w = dates.as_when(inc.value("when"))
        if period and not dates.overlaps(w, opts.date_from, opts.date_to):
            excluded["undated" if dates.start_date(w) is None else "outside_period"] += 1
            continue
        keep.append(inc)
    return keep, excluded


class _Citer:
    """Numbers documents (sorted by publication date) and makes Basis objects."""

    def __init__(self, incidents: list[Incident], documents: dict[str, DocumentMeta]) -> None:
        ids: dict[str, None] = {}
        for inc in incidents:
            for d in inc.document_ids:
                ids.setdefault(d, None)
            for fc in inc.fields.values():
                for rv in fc.reported:
                    ids.setdefault(rv.document_id, None)

        def key(doc_id: str) -> tuple[str, str, str, str]:
            m = documents.get(doc_id)
            if m is None:
                return ("9999", "", "", doc_id)
            return (m.published or "9999", m.publisher or "", m.title or "", doc_id)

        self.sources: list[Source] = []
        self.number: dict[str, int] = {}
        for n, doc_id in enumerate(sorted(ids, key=key), start=1):
            m = documents.get(doc_id) or DocumentMeta(id=doc_id, input_id="")
            self.number[doc_id] = n
            self.sources.append(
                Source(n, doc_id, m.input_id, m.publisher, m.title, m.published, m.url, m.sha256)
            )
        self.by_id = {i.id: i for i in incidents}

    def refs(self, doc_ids: Iterable[str]) -> list[int]:
        return sorted({self.number[d] for d in doc_ids if d in self.number})

    def basis(self, incidents: Iterable[Incident]) -> Basis:
        incs = list(incidents)
        docs: dict[str, None] = {}
        for inc in incs:
            for d in member_documents(inc):
                docs.setdefault(d, None)
        return Basis([i.id for i in incs], list(docs), independent_sources(incs), self.refs(docs))


def member_documents(inc: Incident) -> list[str]:
    """Documents an incident rests on: members, not mere mentions."""
    seen: dict[str, None] = {}
    for m in inc.members:
        if getattr(m, "role", "member") != "mention":
            seen.setdefault(m.document_id, None)
    return list(seen)


def mention_documents(inc: Incident) -> list[str]:
    """Documents that mention the incident among others (shown, never counted)."""
    members = set(member_documents(inc))
    seen: dict[str, None] = {}
    for m in inc.members:
        if getattr(m, "role", "member") == "mention" and m.document_id not in members:
            seen.setdefault(m.document_id, None)
    return list(seen)


def independent_sources(incs: list[Incident]) -> int:
    """Distinct original sources behind a set of incidents.

    When every incident names its original sources the union is counted;
    otherwise the largest single count is a safe lower bound (summing could
    count one outlet twice).
    """
    if not incs:
        return 0
    if all(i.original_sources for i in incs):
        return len({s for i in incs for s in i.original_sources})
    return max(max(i.independent_sources, 1) for i in incs)


def _quotes(inc: Incident, citer: _Citer, text_of: Callable[[str], str | None]) -> list[Quote]:
    """One quote per (document, sentence) holding evidence of this incident."""
    groups: dict[tuple[str, int, int], tuple[set[str], list[tuple[int, int]]]] = {}
    cache: dict[str, str | None] = {}
    for name, fc in inc.fields.items():
        for rv in fc.reported:
            did = rv.document_id
            if did not in cache:
                cache[did] = text_of(did)
            text = cache[did]
            if not text:
                continue
            for ev in rv.evidence:
                if not 0 <= ev.start < ev.end <= len(text):
                    continue
                s0, s1 = quotes.sentence_bounds(text, ev.start, ev.end)
                fields, spans = groups.setdefault((did, s0, s1), (set(), []))
                fields.add(field_label(ev.field or name))
                spans.append((ev.start, ev.end))
    out = []
    for (did, s0, s1), (fields, spans) in sorted(
        groups.items(), key=lambda kv: (citer.number.get(kv[0][0], 0), kv[0][1])
    ):
        text = cache[did] or ""
        segs = quotes.segments(text, s0, s1, spans)
        out.append(
            Quote(
                citer.number.get(did, 0),
                ", ".join(sorted(fields)),
                "".join(t for t, _m in segs),
                segs,
            )
        )
    # nested windows of one long sentence can repeat a passage: keep the first
    uniq: dict[tuple[int, str], Quote] = {}
    for q in sorted(out, key=lambda q: q.ref):
        uniq.setdefault((q.ref, q.text), q)
    return list(uniq.values())


def field_label(name: str) -> str:
    """``quantity:kill_radius`` -> ``kill radius``; ``victim_role`` -> ``victim role``."""
    return name.split(":", 1)[-1].replace("_", " ")


def _conflicts(inc: Incident, citer: _Citer) -> list[Conflict]:
    out = []
    per_kind = any(n.startswith("quantity:") for n in inc.fields)
    for name, fc in inc.fields.items():
        if not fc.conflict or (name == "quantities" and per_kind):
            continue  # the per-kind quantity fields already show it
        readings: dict[str, set[str]] = {}
        for rv in fc.reported:
            readings.setdefault(value_text(name, rv.value), set()).add(rv.document_id)
        out.append(
            Conflict(
                field_label(name),
                value_text(name, fc.value),
                fc.rule,
                [Reading(t, citer.refs(ds)) for t, ds in readings.items()],
            )
        )
    return out


def _view(inc: Incident, citer: _Citer, text_of: Callable[[str], str | None]) -> IncidentView:
    w = dates.as_when(inc.value("when"))
    places = places_of(inc)
    sp = counts.split(
        counts.as_count(inc.value("killed")),
        counts.as_count(inc.value("injured")),
        counts.as_count(inc.value("casualties")),
    )
    if sp.any:
        parts = []
        if sp.killed is not None:
            parts.append(f"{counts.fmt(sp.killed)} killed")
        if sp.injured is not None:
            parts.append(f"{counts.fmt(sp.injured)} injured")
        if sp.unsplit is not None:
            parts.append(f"{counts.fmt(sp.unsplit)} killed or injured")
        cas = ", ".join(parts)
    else:
        cas = "number unknown" if inc.type == "casualty" else ""
    return IncidentView(
        id=inc.id,
        type=inc.type,
        review=inc.review,
        status=str(inc.value("status") or "reported"),
        context=bool(inc.value("context") or False),
        when=w,
        date_text=dates.describe(w),
        year=dates.year_of(w),
        places=[
            PlaceView(_place_name(p), p.admin1, p.lat, p.lon, p.precision, p.relation, p.kind)
            for p in places
        ],
        place_text=place_text(places),
        actor=inc.value("actor"),
        attributed_to=_str_list(inc.value("attributed_to")),
        devices=_str_list(inc.value("devices")),
        device_models=_str_list(inc.value("device_models")),
        victims=inc.value("victims"),
        victim_role=inc.value("victim_role"),
        split=sp,
        casualties_text=cas,
        quantities=[_quantity_text(q) for q in (inc.value("quantities") or [])],
        basis=citer.basis([inc]),
        conflicts=_conflicts(inc, citer),
        quotes=_quotes(inc, citer, text_of),
        summary=str(inc.value("summary") or ""),
        mentions=citer.refs(mention_documents(inc)),
    )


def _sort_key(v: IncidentView) -> tuple[str, str, str]:
    return (v.when.start or "9999", v.when.end or "", v.id)


def _casualty_cells(views: list[IncidentView], citer: _Citer) -> list[CasualtyCell]:
    groups: dict[tuple[int | None, str], list[IncidentView]] = {}
    for v in views:
        if v.type == "casualty" and v.counted:
            g = v.victims if v.victims in VICTIM_ORDER else "unknown"
            groups.setdefault((v.year, g), []).append(v)
    rows = []
    for (year, g), vs in sorted(
        groups.items(),
        key=lambda kv: (kv[0][0] is None, kv[0][0] or 0, VICTIM_ORDER.index(kv[0][1])),
    ):
        rows.append(_cell(year, g, vs, citer))
    return rows


def _cell(year: int | None, group: str, vs: list[IncidentView], citer: _Citer) -> CasualtyCell:
    return CasualtyCell(
        year=year,
        group=group,
        killed=counts.total(v.split.killed for v in vs),
        injured=counts.total(v.split.injured for v in vs),
        unsplit=counts.total(v.split.unsplit for v in vs),
        roles=sorted({v.victim_role for v in vs if v.victim_role}),
        basis=citer.basis(citer.by_id[v.id] for v in vs),
        unknown_count_incidents=sum(1 for v in vs if not v.split.any),
    )


_DEV_KINDS = (
    ("emplacement", "use"),
    ("casualty", "casualties"),
    ("clearance", "clearance"),
    ("displacement", "displacement"),
    ("discovery", "discovery"),
    ("policy", "policy"),
)


def _developments(
    views: list[IncidentView], citer: _Citer
) -> list[tuple[int | None, list[Development]]]:
    years = sorted({v.year for v in views}, key=lambda y: (y is None, y or 0))
    out = []
    for year in years:
        items = []
        in_year = [v for v in views if v.year == year]
        for etype, kind in _DEV_KINDS:
            vs = [v for v in in_year if v.type == etype and v.counted]
            if not vs:
                continue
            dev = Development(
                kind=kind,
                year=year,
                basis=citer.basis(citer.by_id[v.id] for v in vs),
                places=list(dict.fromkeys(v.place_text for v in vs if v.places)),
                dates=list(dict.fromkeys(v.date_text for v in vs)),
                actors=list(dict.fromkeys(v.actor for v in vs if v.actor)),
                groups=list(
                    dict.fromkeys(
                        f"{v.victims or 'unknown'}"
                        + (f" ({v.victim_role})" if v.victim_role else "")
                        for v in vs
                    )
                ),
                quantities=[q for v in vs for q in v.quantities],
                devices=list(dict.fromkeys(d for v in vs for d in v.device_models or v.devices)),
            )
            if etype == "casualty":
                dev.split = counts.Split(
                    counts.total(v.split.killed for v in vs),
                    counts.total(v.split.injured for v in vs),
                    counts.total(v.split.unsplit for v in vs),
                )
                dev.unknown_counts = sum(1 for v in vs if not v.split.any)
            items.append(dev)
        uncounted = [v for v in in_year if not v.counted]
        if uncounted:
            items.append(
                Development(
                    kind="warning",
                    year=year,
                    basis=citer.basis(citer.by_id[v.id] for v in uncounted),
                    places=list(dict.fromkeys(v.place_text for v in uncounted if v.places)),
                    dates=list(dict.fromkeys(v.date_text for v in uncounted)),
                )
            )
        if items:
            out.append((year, items))
    return out


def _period(opts: ReportOptions, views: list[IncidentView]) -> str:
    if opts.date_from or opts.date_to:
        a = opts.date_from.isoformat() if opts.date_from else "the earliest report"
        b = opts.date_to.isoformat() if opts.date_to else "the latest report"
        return f"{a} to {b}"
    ys = [v.year for v in views if v.year is not None]
    if not ys:
        return "all dates"
    return f"{min(ys)}–{max(ys)}" if min(ys) != max(ys) else str(ys[0])


def incident_views(
    data: ReportData, opts: ReportOptions
) -> tuple[list[IncidentView], list[Source], dict[str, int]]:
    """The selected incidents as views (date order), their sources, what was left out."""
    incidents, excluded = select_incidents(data.incidents, opts)
    citer = _Citer(incidents, data.documents)
    views = sorted((_view(i, citer, data.text_of) for i in incidents), key=_sort_key)
    return views, citer.sources, excluded


def build_profile(data: ReportData, facts: CountryFacts, opts: ReportOptions) -> Profile:
    """Select the incidents for ``opts`` and arrange them into a Profile."""
    incidents, excluded = select_incidents(data.incidents, opts)
    citer = _Citer(incidents, data.documents)
    views = sorted((_view(i, citer, data.text_of) for i in incidents), key=_sort_key)
    counted = [v for v in views if v.counted]
    cells = _casualty_cells(views, citer)
    casualty_views = [v for v in counted if v.type == "casualty"]
    total = _cell(None, "all", casualty_views, citer) if casualty_views else None
    return Profile(
        country=(opts.country or facts.country).upper(),
        name=facts.name,
        facts=facts,
        options=opts,
        generated=opts.generated or date.today().isoformat(),
        period=_period(opts, views),
        incidents=views,
        developments=_developments(views, citer),
        casualty_rows=cells,
        casualty_total=total,
        use_timeline=[v for v in counted if v.type == "emplacement"],
        clearance=[v for v in counted if v.type == "clearance"],
        displacement=[v for v in counted if v.type == "displacement"],
        other=[v for v in counted if v.type in ("discovery", "policy")],
        not_counted=[v for v in views if not v.counted],
        sources=citer.sources,
        excluded=excluded,
        all_basis=citer.basis(incidents),
    )
