"""JSON export of a whole database, and its import.

The archive holds every document (metadata, SHA-256, the original bytes in
base64, the derived text), every event, incident, human decision, source link
and user-added gazetteer place, so ``import`` into an empty database gives
the same incidents and therefore the same report. Originals are re-hashed on
import: a byte that changed is refused, not silently stored. Confidential
documents are kept, marked (``"confidential": true``): the archive is a backup,
not a public export.
"""

from __future__ import annotations

import base64
import hashlib
import json
from typing import Any

from sqlalchemy import func, insert, select

from minewatch.model import Event, Incident
from minewatch.store import SourceLink, Store
from minewatch.store import schema as t

FORMAT = "minewatch-export"
VERSION = 1


class ArchiveError(ValueError):
    """The archive is malformed, altered, or the target database is not empty."""


def _text_info(store: Store) -> dict[str, tuple[str, str]]:
    """document id -> (text extractor, version); read-only look at the store."""
    with store.engine.connect() as conn:
        rows = conn.execute(
            select(t.texts.c.document_id, t.texts.c.extractor, t.texts.c.extractor_version)
        )
        return {r[0]: (r[1], r[2]) for r in rows}


def _extraction_versions(store: Store) -> dict[str, str]:
    """document id -> extractor version of its latest extraction run."""
    with store.engine.connect() as conn:
        rows = conn.execute(
            select(t.extraction_runs.c.document_id, t.extraction_runs.c.extractor_version).order_by(
                t.extraction_runs.c.id
            )
        )
        return {r[0]: r[1] for r in rows}


def _places(store: Store) -> list[dict[str, Any]]:
    with store.engine.connect() as conn:
        return [dict(r._mapping) for r in conn.execute(select(t.places).order_by(t.places.c.id))]


def export_archive(store: Store) -> dict[str, Any]:
    """Everything needed to rebuild the database, as JSON-ready data."""
    from minewatch import __version__

    texts = _text_info(store)
    versions = _extraction_versions(store)
    documents = []
    for m in store.documents():
        rec = store.get_document(m.id)
        assert rec is not None
        extractor, ext_version = texts.get(m.id, ("unknown", "unknown"))
        documents.append(
            {
                **m.to_json(),
                "sha256": m.sha256,
                "media_type": rec.media_type,
                "metadata": rec.metadata,
                "ingested_at": rec.ingested_at,
                "ingested_by": rec.ingested_by,
                "confidential": m.confidential,
                "text": store.text_of(m.id),
                "text_extractor": extractor,
                "text_extractor_version": ext_version,
                "original_base64": base64.b64encode(store.original_of(m.id)).decode("ascii"),
            }
        )
    by_doc: dict[str, list[dict[str, Any]]] = {}
    for meta, ev in store.events():
        by_doc.setdefault(meta.id, []).append(ev.to_json())
    events = [
        {"document_id": d, "extractor_version": versions.get(d, "unknown"), "events": evs}
        for d, evs in by_doc.items()
    ]
    return {
        "format": FORMAT,
        "version": VERSION,
        "minewatch": __version__,
        "documents": documents,
        "events": events,
        "incidents": [i.to_json() for i in store.incidents()],
        "decisions": [
            {
                "id": d.id,
                "kind": d.kind,
                "target": d.target,
                "payload": d.payload,
                "reason": d.reason,
                "who": d.who,
                "at": d.at,
            }
            for d in store.decisions()
        ],
        "source_links": [
            {
                "document_id": s.document_id,
                "original_source": s.original_source,
                "source_kind": s.source_kind,
                "method": s.method,
                "derived_from": s.derived_from,
                "evidence": s.evidence,
            }
            for s in store.source_links()
        ],
        "places": _places(store),
    }


def to_json(store: Store) -> str:
    return json.dumps(export_archive(store), ensure_ascii=False, indent=1) + "\n"


def _is_empty(store: Store) -> bool:
    with store.engine.connect() as conn:
        for table in (t.documents, t.incidents, t.decisions):
            if conn.execute(select(func.count()).select_from(table)).scalar_one():
                return False
    return True


def import_archive(
    store: Store, data: dict[str, Any], who: str | None = None, force: bool = False
) -> dict[str, int]:
    """Load an archive into ``store`` (empty unless ``force``); returns counts.

    Each original must hash to its recorded SHA-256. Decisions keep their
    original author in ``who``; their time is the import time (the original
    time is kept in the payload as ``imported_at_original``).
    """
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise ArchiveError(f"not a minewatch export (expected format {FORMAT!r})")
    if int(data.get("version", 0)) > VERSION:
        raise ArchiveError(f"export version {data.get('version')} is newer than {VERSION}")
    if not force and not _is_empty(store):
        raise ArchiveError("the database is not empty (import into a new one, or use --force)")
    # check every original before writing anything
    originals: dict[str, bytes] = {}
    for d in data.get("documents", []):
        raw = base64.b64decode(d["original_base64"], validate=True)
        digest = hashlib.sha256(raw).hexdigest()
        if digest != d.get("sha256") or d.get("id") != f"sha256:{digest}":
            raise ArchiveError(f"original of {d.get('input_id')} does not match its SHA-256")
        originals[d["id"]] = raw
    for d in data.get("documents", []):
        meta = {k: d.get(k) for k in ("title", "publisher", "published", "url", "language")}
        store.add_document(
            original=originals[d["id"]],
            media_type=d.get("media_type") or "application/octet-stream",
            input_id=d["input_id"],
            text=d["text"],
            extractor=d.get("text_extractor") or "import",
            extractor_version=d.get("text_extractor_version") or "unknown",
            metadata={**(d.get("metadata") or {}), **meta},
            who=who or d.get("ingested_by"),
            confidential=d.get("confidential") is True,
        )
    n_events = 0
    for group in data.get("events", []):
        evs = [Event.from_json(e) for e in group.get("events", [])]
        store.replace_events(
            group["document_id"], evs, group.get("extractor_version") or "unknown", who=who
        )
        n_events += len(evs)
    incidents = [Incident.from_json(i) for i in data.get("incidents", [])]
    store.replace_incidents(incidents, who=who)
    links = [SourceLink(**s) for s in data.get("source_links", [])]
    if links:
        store.replace_source_links(links, who=who)
    existing = {(d.kind, json.dumps(d.target, sort_keys=True)) for d in store.decisions()}
    n_dec = 0
    for d in data.get("decisions", []):
        if (d["kind"], json.dumps(d["target"], sort_keys=True)) in existing:
            continue
        payload = dict(d.get("payload") or {})
        payload.setdefault("imported_at_original", d.get("at"))
        store.add_decision(d["kind"], d["target"], payload, d.get("reason"), who=d.get("who"))
        n_dec += 1
    places = data.get("places") or []
    if places:
        with store.engine.begin() as conn:
            have = {r[0] for r in conn.execute(select(t.places.c.id))}
            new = [p for p in places if p.get("id") not in have]
            if new:
                conn.execute(insert(t.places), new)
    return {
        "documents": len(originals),
        "events": n_events,
        "incidents": len(incidents),
        "decisions": n_dec,
        "source_links": len(links),
        "places": len(places),
    }
