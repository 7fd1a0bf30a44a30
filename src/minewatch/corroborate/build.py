"""From (document, event) pairs to incidents: the corroboration entry point."""

from __future__ import annotations

import hashlib
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, cast

from minewatch.corroborate import textsim
from minewatch.corroborate.cluster import Clustering, RunParts, cluster_records, gc_paused
from minewatch.corroborate.compat import GazetteerLike, Matcher
from minewatch.corroborate.confidence import incident_confidence
from minewatch.corroborate.decisions import (
    DecisionLike,
    KeyResolver,
    apply_reviews,
    constraints,
    fingerprint,
)
from minewatch.corroborate.fields import MemberView, Shared, choose_fields
from minewatch.corroborate.records import (
    NEG_INF,
    NO_ITEMS,
    POS_INF,
    Rec,
    forget_shared,
    locate_in_documents,
    make_record,
)
from minewatch.corroborate.sources import (
    Origin,
    SourceAnalysis,
    analyse_sources,
    independent_sources,
)
from minewatch.model import (
    DocumentMeta,
    Event,
    FieldChoice,
    Incident,
    IncidentMember,
    ReportedValue,
)


@dataclass
class LooseEvent:
    """An event that is no report of any incident: a candidate or background only.

    ``incidents`` are the ids of the incidents a candidate could belong to (for
    a reviewer; empty for background only). Kept apart from the incidents, so
    that nothing reading an incident counts it as one of its reports.
    """

    event_key: str
    document_id: str
    input_id: str | None
    type: str
    incidents: list[str] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        return dict(self.__dict__)


@dataclass
class CorroborationResult:
    incidents: list[Incident]
    analysis: SourceAnalysis
    clustering: Clustering
    problems: list[tuple[int, str]] = field(default_factory=list)
    #: process CPU seconds per phase (sources, records, clustering, incidents, decisions)
    timings: dict[str, float] = field(default_factory=dict)
    #: events of unknown place or time that fit some incidents (never their reports)
    candidates: list[LooseEvent] = field(default_factory=list)
    #: background mentions and period totals that recall no incident
    background_only: list[LooseEvent] = field(default_factory=list)

    def source_links(self) -> list[dict[str, Any]]:
        return self.analysis.links()


def incident_id(anchor_key: str) -> str:
    """Stable id of an incident, derived from its anchor event's key."""
    return "inc-" + hashlib.sha256(anchor_key.encode("utf-8")).hexdigest()[:12]


def event_shingles(
    text: str, event: Event, bounds: list[tuple[int, int]] | None = None
) -> frozenset[int]:
    """Word 5-grams of the sentences an event's evidence lies in."""
    if not text:
        return NO_ITEMS
    spans = [(e.start, e.end) for e in event.evidence]
    spans += [(q.start, q.end) for q in event.quantities]
    if not spans:
        return NO_ITEMS
    bounds = bounds if bounds is not None else textsim.sentence_bounds(text)
    return frozenset(textsim.shingles_of(text, textsim.expand_to_sentences(bounds, spans)))


def corroborate(
    items: Sequence[tuple[DocumentMeta, Event]],
    texts: dict[str, str] | None = None,
    *,
    gazetteer: GazetteerLike | None = None,
    decisions: Sequence[DecisionLike] = (),
    run_parts: RunParts | None = None,
) -> CorroborationResult:
    """Build incidents from events of many documents.

    Args:
        items: every (document, event) pair to corroborate.
        texts: document id -> extracted text (for shared quotes, near-duplicate
            passages, attributions and footnotes); documents without text
            still cluster, with publisher-only source information.
        gazetteer: for nested places (``contains(outer_id, inner_id)``); without
            it, places compare by id, coordinates, province and country.
        decisions: human decisions, re-applied after clustering.
        run_parts: cluster the independent parts elsewhere (a Dask cluster:
            :func:`minewatch.corroborate.parallel.dask_parts`); same result.
    """
    try:
        with gc_paused():
            return _corroborate(items, texts or {}, gazetteer, decisions, run_parts)
    finally:
        forget_shared()


def _corroborate(
    items: Sequence[tuple[DocumentMeta, Event]],
    texts: dict[str, str],
    gazetteer: GazetteerLike | None,
    decisions: Sequence[DecisionLike],
    run_parts: RunParts | None = None,
) -> CorroborationResult:
    clock = _Clock()
    metas: dict[str, DocumentMeta] = {}
    for meta, _ in items:
        metas.setdefault(meta.id, meta)
    analysis = analyse_sources(metas.values(), texts)
    clock.lap("sources")
    matcher = Matcher(gazetteer)
    recs = _records(items, texts)
    clock.lap("records")
    keys = [r.key for r in recs]
    # Fingerprints (to find renumbered events) only matter to decisions.
    resolver = KeyResolver(keys, [fingerprint(ev) for _, ev in items]) if decisions else None
    must, cannot = constraints(decisions, resolver) if resolver else ([], [])
    clustering = cluster_records(
        recs, matcher, must_link=must, cannot_link=cannot, run_parts=run_parts
    )
    clock.lap("clustering")

    mentions_of: dict[int, list[tuple[int, str]]] = {}
    # A record is dropped once the last incident it is part of is assembled,
    # so the records shrink while the incidents grow (100k events: peak 588 MB, 610 kept).
    uses = [1] * len(recs)
    for table, role in ((clustering.mentions, "mention"), (clustering.background, "background")):
        for i, cids in table.items():
            uses[i] = len(cids)
            for cid in cids:
                mentions_of.setdefault(cid, []).append((i, role))
    live: list[Rec | None] = list(recs)
    del recs
    shared = Shared()
    clusters = clustering.clusters
    built: list[Incident | None] = [None] * len(clusters)
    views: list[MemberView] = []  # bound even with no clusters (a store with no events)
    # in input order of their first event: the events are read in the order
    # they sit in memory (the list keeps incident-number order)
    for cid in sorted(range(len(clusters)), key=lambda c: min(clusters[c])):
        member_idx = clusters[cid]
        attached = sorted(mentions_of.pop(cid, ()), key=lambda ir: keys[ir[0]])
        member_idx = sorted(member_idx, key=lambda i: (items[i][0].published or "9999", keys[i]))
        views = [_view(i, items, live, "member") for i in member_idx]
        views += [_view(i, items, live, role) for i, role in attached]
        built[cid] = _assemble(views, matcher, analysis, shared)
        for i in (*member_idx, *(i for i, _ in attached)):
            uses[i] -= 1
            if not uses[i]:
                live[i] = None
    del live  # (no `views` when there are no events)
    incidents = cast(list[Incident], built)
    ids = [inc.id for inc in incidents]
    candidates = [
        _loose(items[i], keys[i], [ids[c] for c in cids])
        for i, cids in sorted(clustering.candidates.items())
    ]
    background_only = [_loose(items[i], keys[i], []) for i in clustering.background_only]
    clock.lap("incidents")

    # Decisions recorded against events that were renumbered: map old -> new keys.
    key_map: dict[str, str] = {}
    for d in decisions:
        assert resolver is not None
        fps = dict(d.target.get("fingerprints") or {})
        for k in d.target.get("events", []):
            j = resolver.resolve(k, fps)
            if j is not None:
                key_map[k] = keys[j]
    problems = apply_reviews(incidents, decisions, key_map)
    for inc in incidents:
        if inc.review == "confirmed":
            inc.confidence = max(inc.confidence, 0.95)
        elif inc.review == "rejected":
            inc.confidence = 0.0
    incidents = _by_start(incidents)
    clock.lap("decisions")
    return CorroborationResult(
        incidents, analysis, clustering, problems, clock.laps, candidates, background_only
    )


def _loose(item: tuple[DocumentMeta, Event], key: str, incident_ids: list[str]) -> LooseEvent:
    meta, ev = item
    return LooseEvent(key, meta.id, meta.input_id, ev.type, incident_ids)


class _Clock:
    """Process CPU time per phase."""

    def __init__(self) -> None:
        self.laps: dict[str, float] = {}
        self._last = time.process_time()

    def lap(self, name: str) -> None:
        now = time.process_time()
        self.laps[name] = round(now - self._last, 3)
        self._last = now


def _records(items: Sequence[tuple[DocumentMeta, Event]], texts: dict[str, str]) -> list[Rec]:
    """One record per event; shingles from the text of its document, if any."""
    recs: list[Rec] = []
    bounds_doc, bounds = "", None  # sentence bounds of the last document seen
    for i, (meta, ev) in enumerate(items):
        text = texts.get(meta.id, "")
        sh: frozenset[int] = NO_ITEMS
        if text:
            if bounds_doc != meta.id or bounds is None:
                # events of a document usually come together: one document's
                # bounds at a time, not every document's at once
                bounds_doc, bounds = meta.id, textsim.sentence_bounds(text)
            sh = event_shingles(text, ev, bounds)
        recs.append(make_record(i, meta, ev, sh))
    locate_in_documents(recs)
    return recs


def _view(
    i: int, items: Sequence[tuple[DocumentMeta, Event]], live: list[Rec | None], role: str
) -> MemberView:
    rec = live[i]
    assert rec is not None, "record used after its last incident"
    return MemberView(rec.key, items[i][0], items[i][1], rec, role)


def _assemble(
    views: list[MemberView], matcher: Matcher, analysis: SourceAnalysis, shared: Shared
) -> Incident:
    full = [v for v in views if v.role == "member"]
    anchor = full[0]
    fields = choose_fields(views, matcher, shared)
    indep = independent_sources([(v.key, v.meta, v.event) for v in full], analysis)
    types = {v.event.type for v in full}
    inc = Incident(
        id=incident_id(anchor.key),
        # a blast without a toll in one report, with casualties in another: a casualty
        type="casualty" if "casualty" in types else anchor.event.type,
        fields=fields,
        members=[IncidentMember(v.key, v.meta.id, v.meta.input_id, v.role) for v in views],
        independent_sources=indep.count,
        original_sources=indep.sources,
        source_kinds=indep.kinds,
    )
    inc.fields["country"] = _country_field(full, inc.value("where"), shared)
    inc.country = inc.fields["country"].value
    when = inc.value("when")
    chosen = next((v for v in full if shared.when(v.event.when) == when), None)
    span = None
    if chosen is not None and chosen.rec.start > NEG_INF and chosen.rec.end < POS_INF:
        span = chosen.rec.end - chosen.rec.start + 1
    inc.confidence = incident_confidence(
        independent_sources=indep.count,
        kinds=indep.kinds,
        fields=fields,
        time_span_days=span,
        member_confidences=[v.event.confidence for v in full],
    )
    # keep the per-member origin (the attribution chain) visible in the record
    inc.fields["sources"] = _sources_field(views, indep.origin_of, analysis, shared)
    return inc


def _country_field(full: list[MemberView], where: Any, shared: Shared) -> FieldChoice:
    """Where it happened: the chosen place's country, unless that place is a border line
    or most members place the event in another country.

    A border line (the China border, the DMZ) belongs to both countries it
    separates, so it does not say whose incident it is: then most members
    decide, each by the country of its own located places (after dropping
    places of other countries than most of its places) or else of the line
    as the gazetteer read it for the text's side ("North Korean soldiers hurt
    laying mines in provinces bordering China" are in North Korea); a tie goes
    to the line's own country.
    """
    reported = []
    for v in full:
        located = [p.country for p in v.rec.places if p.country and not p.on_border]
        c = max(sorted(set(located)), key=located.count) if located else None
        if c is None:
            c = next((p.country for p in v.rec.places if p.country), None)
        reported.append(ReportedValue(c, v.key, v.meta.id, v.meta.input_id, shared.empty))
    values = [r.value for r in reported if r.value]
    on_line = (
        isinstance(where, dict)
        and (where.get("precision") == 5)
        and bool(where.get("border_segment"))
    )
    chosen = where.get("country") if isinstance(where, dict) else None
    if chosen and not on_line and values.count(chosen) * 2 >= len(values):
        value, rule = chosen, "country of the chosen place"
    elif values:
        # most members' countries; a tie goes to the chosen place's (for a line: the
        # side the gazetteer read it for), not to a place across the border
        value = max(sorted(set(values)), key=lambda c: (values.count(c), c == chosen))
        rule = (
            "most members' countries (the chosen place is a border line)"
            if on_line
            else "most members' countries (the chosen place lies across the border)"
        )
    else:
        value, rule = None, "no member names a country"
    return FieldChoice(value, rule, reported, len(set(values)) > 1)


def _sources_field(
    views: list[MemberView],
    origin_of: dict[str, Origin],
    analysis: SourceAnalysis,
    shared: Shared,
) -> FieldChoice:
    reported = []
    for v in views:
        o = origin_of.get(v.key) or analysis.origin_of(v.meta, v.event)
        value = {
            "source": o.source,
            "kind": o.kind,
            "method": o.method,
            "derived_from": o.derived_from,
            "role": v.role,
        }
        reported.append(ReportedValue(value, v.key, v.meta.id, v.meta.input_id, shared.empty))
    names = sorted({o.source for k, o in origin_of.items()})
    return FieldChoice(names, "original source of each member report", reported, False)


def _start_of(inc: Incident) -> str:
    when = inc.value("when")
    if isinstance(when, dict) and when.get("start"):
        return str(when["start"])
    return "9999"


def _by_start(incidents: list[Incident]) -> list[Incident]:
    """Incidents sorted by (start, id).

    One string per incident ("start NUL id" orders exactly as the pair does),
    built in a single pass: a million pairs of scattered objects sort slowly.
    """
    starts = [_start_of(inc) for inc in incidents]
    if any("\0" in s for s in starts):
        return sorted(incidents, key=lambda inc: (_start_of(inc), inc.id))
    keys = [f"{s}\0{inc.id}" for s, inc in zip(starts, incidents, strict=True)]
    return [incidents[i] for i in sorted(range(len(keys)), key=keys.__getitem__)]
