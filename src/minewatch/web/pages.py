"""Read-only pages: incident list, incident, document, search, audit log, users."""

from __future__ import annotations

import json
from typing import Any

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response

from minewatch.corroborate.decisions import EDITABLE_FIELDS
from minewatch.corroborate.present import SHOW_FIELDS, conflicts, incident_row, side_by_side
from minewatch.corroborate.service import incident_version
from minewatch.model import Incident, event_key
from minewatch.store.web import ROLES, SORTS, IncidentFilter
from minewatch.web.core import Web
from minewatch.web.highlight import Span, segments

PAGE_SIZE = 50
#: Fields offered by the edit form; a country edit is offered even where the
#: decisions API edits it through ``where`` (see actions.edit_incident).
EDIT_FIELDS = (*EDITABLE_FIELDS, *(() if "country" in EDITABLE_FIELDS else ("country",)))


def _int(v: str | None) -> int | None:
    try:
        return int(v) if v not in (None, "") else None
    except ValueError:
        return None


def _float(v: str | None) -> float | None:
    try:
        return float(v) if v not in (None, "") else None
    except ValueError:
        return None


def incident_list(web: Web, request: Request) -> Response:
    sess = web.require(request)
    q = request.query_params
    flt = IncidentFilter(
        country=q.get("country") or None,
        type=q.get("type") or None,
        year=_int(q.get("year")),
        review=q.get("review") or None,
        min_confidence=_float(q.get("min_confidence")),
        source=q.get("source") or None,
        sort=str(q.get("sort")) if q.get("sort") in SORTS else "when",
        descending=q.get("desc") == "1",
        hide_documents=web.hidden_documents(sess),
    )
    page = max(1, _int(q.get("page")) or 1)
    total, incs = web.store.query_incidents(flt, limit=PAGE_SIZE, offset=(page - 1) * PAGE_SIZE)
    args = {k: v for k, v in q.items() if k != "page" and v}
    return web.render(
        request,
        "incidents.j2",
        sess,
        rows=[incident_row(i) for i in incs],
        total=total,
        page=page,
        pages=max(1, -(-total // PAGE_SIZE)),
        flt=flt,
        args=args,
        facets=web.store.incident_facets(flt.hide_documents),
        sorts=list(SORTS),
    )


def _visible_incident(web: Web, request: Request, incident_id: str) -> tuple[Any, Incident, str]:
    sess = web.require(request)
    payload = web.store.incident_payload(incident_id)
    if payload is None:
        raise HTTPException(404, f"no incident {incident_id} (decisions may have regrouped it)")
    inc = Incident.from_json(json.loads(payload))
    hidden = web.hidden_documents(sess)
    if hidden and any(m.document_id in hidden for m in inc.members):
        raise HTTPException(404, f"no incident {incident_id}")
    return sess, inc, payload


def incident_page(web: Web, request: Request) -> Response:
    sess, inc, payload = _visible_incident(web, request, request.path_params["incident_id"])
    store = web.store
    member_keys = [m.event_key for m in inc.members]
    recs = {d: store.get_document(d) for d in inc.document_ids}
    docs = {d: r.meta for d, r in recs.items() if r is not None}
    texts: list[dict[str, Any]] = []
    anchors: dict[tuple[str, int, int], str] = {}
    for n, doc_id in enumerate(inc.document_ids):
        spans: list[Span] = []
        for ev in store.document_events(doc_id):
            key = event_key(doc_id, ev.id)
            if key not in member_keys:
                continue
            for k, e in enumerate(ev.evidence):
                anchor = f"ev-{n}-{ev.id}-{k}"
                anchors.setdefault((key, e.start, e.end), anchor)
                spans.append(Span(anchors[(key, e.start, e.end)], e.start, e.end, e.field, ev.id))
        texts.append(
            {"doc": docs.get(doc_id), "id": doc_id, "lines": segments(store.text_of(doc_id), spans)}
        )
    rows = side_by_side(inc, store.text_of)
    where = inc.value("where")
    places = [where] if isinstance(where, dict) else list(where or [])
    points = [
        {"lat": p["lat"], "lon": p["lon"], "name": p.get("name") or p.get("text") or "?"}
        for p in places
        if isinstance(p, dict) and p.get("lat") is not None and p.get("lon") is not None
    ]
    others = [
        i
        for i in store.query_incidents(
            # merge suggestions: the same type (and country, when known), the first 50 by date
            IncidentFilter(
                type=inc.type, country=inc.country, hide_documents=web.hidden_documents(sess)
            ),
            limit=50,
        )[1]
        if i.id != inc.id
    ]
    return web.render(
        request,
        "incident.j2",
        sess,
        inc=inc,
        row=incident_row(inc),
        rows=rows,
        anchors=anchors,
        texts=texts,
        docs=docs,
        conflicts=conflicts(inc),
        points=json.dumps(points),
        version=incident_version(payload),
        decisions=store.decisions_about(member_keys, inc.id),
        others=others,
        edit_fields=EDIT_FIELDS,
        show_fields=SHOW_FIELDS,
    )


def document_page(web: Web, request: Request) -> Response:
    sess = web.require(request)
    store = web.store
    doc_id = store.resolve(request.path_params["doc"])
    if doc_id is None or doc_id in web.hidden_documents(sess):
        raise HTTPException(404, "no such document")
    rec = store.get_document(doc_id)
    assert rec is not None
    events = store.document_events(doc_id)
    spans = [
        Span(f"ev-{ev.id}-{k}", e.start, e.end, e.field, ev.id)
        for ev in events
        for k, e in enumerate(ev.evidence)
    ]
    text = store.text_of(doc_id)
    return web.render(
        request,
        "document.j2",
        sess,
        rec=rec,
        sha256=doc_id.removeprefix("sha256:"),
        events=events,
        lines=segments(text, spans),
        text_length=len(text),
        incidents=store.incidents_of_documents([doc_id]).get(doc_id, []),
        confidential=doc_id in store.confidential_document_ids(),
    )


def search_page(web: Web, request: Request) -> Response:
    sess = web.require(request)
    query = request.query_params.get("q", "").strip()
    hits = web.store.search_documents(query, hide=web.hidden_documents(sess)) if query else []
    return web.render(
        request,
        "search.j2",
        sess,
        query=query,
        hits=[{"meta": h.meta, "parts": _snippet_parts(h.snippet)} for h in hits],
    )


def _snippet_parts(snippet: str) -> list[tuple[str, bool]]:
    """FTS snippet with \\x02..\\x03 hit markers -> (text, is_hit) pieces to escape."""
    parts: list[tuple[str, bool]] = []
    for i, chunk in enumerate(snippet.split("\x02")):
        if i == 0:
            parts.append((chunk, False))
            continue
        hit, _, rest = chunk.partition("\x03")
        parts.extend([(hit, True), (rest, False)])
    return [p for p in parts if p[0]]


def audit_page(web: Web, request: Request) -> Response:
    sess = web.require(request, "reviewer")
    entries = web.store.log_entries()
    entries.reverse()
    return web.render(request, "audit.j2", sess, entries=entries[:300], total=len(entries))


def users_page(web: Web, request: Request) -> Response:
    sess = web.require(request, "admin")
    return web.render(request, "users.j2", sess, users=web.store.users(), roles=ROLES)
