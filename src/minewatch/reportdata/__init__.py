"""What report and export both show of incidents: the shared view layer.

``ReportData`` (incidents, document metadata, texts) is turned into
``IncidentView`` objects - chosen values in words, conflicts side by side,
evidence quotes, numbered sources and what each statement rests on - by
:func:`incident_views`. The country profile (``minewatch.report``) and the
exports (``minewatch.export``) both build on it; neither imports the other.

Confidential documents (``DocumentMeta.confidential``, set at ingest) never
reach a view: an incident resting only on them is left out, and their
readings, quotes and sources are dropped from the others.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from minewatch.model import DocumentMeta, Incident, Place, When
from minewatch.reportdata import background, counts, dates, footnotes, public, quotes

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
    #: ids of confidential documents besides those whose metadata says so
    confidential: frozenset[str] = frozenset()
    #: history the documents recall only as background (no incident's report):
    #: one incident per event of history (see :mod:`.background`), never counted
    background: list[Incident] = field(default_factory=list)

    def is_confidential(self, doc_id: str) -> bool:
        return doc_id in self.confidential or public.is_confidential(self.documents.get(doc_id))


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
    #: internal use: show reviewers' names and reasons (never in a public profile)
    internal: bool = False
    #: neighbour ISO code -> event types of that country also kept (a profile's
    #: facts file sets it: South Korea's DMZ clearance in the North Korea profile)
    neighbours: dict[str, tuple[str, ...]] | None = None


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
    #: footnotes of a secondary report marked on this sentence: (number, original)
    notes: list[tuple[int, str]] = dataclasses.field(default_factory=list)
    #: the secondary report, for citing: publisher and year
    cited_in: str = ""


@dataclass
class Citation:
    """A claim of a secondary report cited by its original:
    ``Newsweek, 30 April 2024, cited in [5] n. 11``."""

    ref: int
    note: int
    original: str
    #: the secondary report: ``Mine Action Review 2025``
    cited_in: str = ""


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
    country: str | None = None
    #: originals cited by the footnotes of the secondary reports quoted
    citations: list[Citation] = field(default_factory=list)

    @property
    def refs(self) -> list[int]:
        return self.basis.refs

    @property
    def counted(self) -> bool:
        return self.status in FACTUAL


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


def countries_of(inc: Incident) -> set[str]:
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


def without_confidential(inc: Incident, is_confidential: Callable[[str], bool]) -> Incident | None:
    """``inc`` with confidential documents removed; None if nothing else is left.

    A value chosen from confidential reports only is replaced by the first
    reading of the others; the independent source count is capped by the
    documents that remain (which original source came from a confidential
    document is not known, so none is named).
    """
    gone = {d for d in inc.document_ids if is_confidential(d)}
    if not gone:
        return inc
    members = [m for m in inc.members if m.document_id not in gone]
    if not any(getattr(m, "role", "member") != "mention" for m in members):
        return None
    fields = {}
    for name, fc in inc.fields.items():
        kept = [rv for rv in fc.reported if rv.document_id not in gone]
        if not kept and fc.reported:
            continue
        value, rule = fc.value, fc.rule
        if kept and all(rv.value != fc.value for rv in kept):
            value, rule = kept[0].value, "first report (others withheld)"
        distinct = {repr(rv.value) for rv in kept}
        fields[name] = dataclasses.replace(
            fc, value=value, rule=rule, reported=kept, conflict=fc.conflict and len(distinct) > 1
        )
    docs = {m.document_id for m in members}
    return dataclasses.replace(
        inc,
        fields=fields,
        members=members,
        original_sources=[],
        independent_sources=max(1, min(inc.independent_sources, len(docs))),
    )


def select_incidents(
    incidents: Iterable[Incident],
    opts: ReportOptions,
    confidential: Callable[[str], bool] | None = None,
) -> tuple[list[Incident], dict[str, int]]:
    """Apply confidentiality, country, review and period filters; count what was left out."""
    keep: list[Incident] = []
    excluded = {
        "confidential": 0,
        "rejected": 0,
        "unreviewed": 0,
        "outside_period": 0,
        "undated": 0,
        "no_country": 0,
    }
    allowed = {"confirmed", "unreviewed"} if opts.include_unconfirmed else {"confirmed"}
    period = opts.date_from is not None or opts.date_to is not None
    for inc in incidents:
        if confidential is not None:
            stripped = without_confidential(inc, confidential)
            if stripped is None:
                excluded["confidential"] += 1
                continue
            inc = stripped
        if opts.country:
            countries = countries_of(inc)
            if not countries:
                excluded["no_country"] += 1
            if opts.country.upper() not in countries and not any(
                inc.type in (opts.neighbours or {}).get(c, ()) for c in countries
            ):
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


class Citer:
    """Numbers documents (sorted by publication date) and makes Basis objects."""

    def __init__(
        self,
        incidents: list[Incident],
        documents: dict[str, DocumentMeta],
        internal: bool = False,
    ) -> None:
        self.internal = internal
        self.documents = documents
        self.notes: dict[str, dict[int, footnotes.Original]] = {}
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
                Source(
                    n,
                    doc_id,
                    public.file_name(m.input_id),
                    m.publisher,
                    m.title,
                    m.published,
                    m.url,
                    m.sha256,
                )
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
    """Documents an incident rests on: members, not mentions or background recalls."""
    seen: dict[str, None] = {}
    for m in inc.members:
        if getattr(m, "role", "member") == "member":
            seen.setdefault(m.document_id, None)
    return list(seen)


def mention_documents(inc: Incident) -> list[str]:
    """Documents that mention the incident among others or recall it as background
    (roles ``mention`` and ``background``: shown, never counted)."""
    members = set(member_documents(inc))
    seen: dict[str, None] = {}
    for m in inc.members:
        if getattr(m, "role", "member") != "member" and m.document_id not in members:
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


def _quotes(inc: Incident, citer: Citer, text_of: Callable[[str], str | None]) -> list[Quote]:
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
        if did not in citer.notes:
            citer.notes[did] = footnotes.notes(text)
        listed = citer.notes[did]
        marked = [n for n in footnotes.marks(text, s0, s1) if n in listed]
        out.append(
            Quote(
                citer.number.get(did, 0),
                ", ".join(sorted(fields)),
                "".join(t for t, _m in segs),
                segs,
                [(n, listed[n].short) for n in dict.fromkeys(marked)],
                _cited_in(citer.documents.get(did)),
            )
        )
    # nested windows of one long sentence can repeat a passage: keep the first
    uniq: dict[tuple[int, str], Quote] = {}
    for q in sorted(out, key=lambda q: q.ref):
        uniq.setdefault((q.ref, q.text), q)
    return list(uniq.values())


def _cited_in(meta: DocumentMeta | None) -> str:
    if meta is None:
        return ""
    year = (meta.published or "")[:4]
    return " ".join(x for x in (meta.publisher or meta.title or "", year) if x)


def _citations(qs: list[Quote]) -> list[Citation]:
    """Originals of the claim: the footnotes on the sentence that dates it (else
    on the sentences that name the event), not every note of every sentence quoted."""
    for wanted in ("when", "type", ""):
        chosen = [q for q in qs if (q.notes and wanted in q.field.split(", ")) or not wanted]
        if any(q.notes for q in chosen):
            break
    seen: dict[tuple[int, str], Citation] = {}  # one original once, at its first note
    for q in chosen:
        for n, original in q.notes:
            seen.setdefault((q.ref, original), Citation(q.ref, n, original, q.cited_in))
    return sorted(seen.values(), key=lambda c: (c.ref, c.note))


def coverage(meta: DocumentMeta | None) -> tuple[date, date] | None:
    """The period a document reports as its news.

    An annual report (published to the year, "2025") covers the two years
    before and its own year, as Mine Action Review and Landmine Monitor do;
    any other document the year up to its publication. Events it mentions
    inside that period are news, whatever the wording; older ones may be
    background.
    """
    if meta is None or not meta.published:
        return None
    parts = meta.published.split("-")
    try:
        y = int(parts[0])
        if len(parts) == 1:
            return date(y - 2, 1, 1), date(y, 12, 31)
        m = int(parts[1])
        d = int(parts[2]) if len(parts) > 2 else 28
        end = date(y, m, d)
    except (ValueError, IndexError):
        return None
    return date(end.year - 1, end.month, min(end.day, 28)), end


def is_background(inc: Incident, documents: dict[str, DocumentMeta]) -> bool:
    """Background only when marked so and outside every reporting document's period."""
    if not inc.value("context"):
        return False
    w = dates.as_when(inc.value("when"))
    for doc_id in member_documents(inc):
        window = coverage(documents.get(doc_id))
        if window and dates.start_date(w) and dates.overlaps(w, window[0], window[1]):
            return False
    return True


def field_label(name: str) -> str:
    """``quantity:kill_radius`` -> ``kill radius``; ``victim_role`` -> ``victim role``."""
    return name.split(":", 1)[-1].replace("_", " ")


def _conflicts(inc: Incident, citer: Citer) -> list[Conflict]:
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
                public.public_rule(fc.rule, citer.internal),
                [Reading(t, citer.refs(ds)) for t, ds in readings.items()],
            )
        )
    return out


def incident_view(
    inc: Incident, citer: Citer, text_of: Callable[[str], str | None]
) -> IncidentView:
    w = dates.as_when(inc.value("when"))
    places = places_of(inc)
    qs = _quotes(inc, citer, text_of)
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
        context=is_background(inc, citer.documents),
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
        quotes=qs,
        summary=str(inc.value("summary") or ""),
        mentions=citer.refs(mention_documents(inc)),
        country=inc.country,
        citations=_citations(qs),
    )


def sort_key(v: IncidentView) -> tuple[str, str, str]:
    return (v.when.start or "9999", v.when.end or "", v.id)


def incident_views(
    data: ReportData, opts: ReportOptions
) -> tuple[list[IncidentView], list[Source], dict[str, int]]:
    """The selected incidents as views (date order), their sources, what was left out."""
    incidents, excluded = select_incidents(data.incidents, opts, data.is_confidential)
    citer = Citer(incidents, data.documents, internal=opts.internal)
    views = sorted((incident_view(i, citer, data.text_of) for i in incidents), key=sort_key)
    return views, citer.sources, excluded


def report_data_from_store(store: Any) -> ReportData:
    """Incidents, document metadata and texts from a ``minewatch.store.Store``."""
    docs = {m.id: m for m in store.documents()}

    def text_of(doc_id: str) -> str | None:
        try:
            return store.text_of(doc_id)
        except Exception:  # no text stored: the profile just shows no quote
            return None

    # the store's list of confidential documents, where the store keeps one
    # (beside the flag on each document's metadata, which ReportData reads too)
    listed = getattr(store, "confidential_document_ids", None)
    confidential = frozenset(listed() if callable(listed) else ())
    incidents = list(store.incidents())
    history: list[Incident] = []
    recalled = background.background_events(store.events(), incidents)
    if recalled:
        from minewatch.corroborate.service import default_gazetteer

        history = background.background_incidents(recalled, text_of, default_gazetteer(store))
    return ReportData(
        incidents=incidents,
        documents=docs,
        text_of=text_of,
        confidential=confidential,
        background=history,
    )
