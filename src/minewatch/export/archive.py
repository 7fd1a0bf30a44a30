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
import binascii
import hashlib
import json
from typing import Any

from sqlalchemy import func, insert, select

from minewatch.store import Store, default_who
from minewatch.store import schema as t
from minewatch.store.custody import digest, entry_hash

FORMAT = "minewatch-export"
VERSION = 2  # 2: the log (hash chain) is carried


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
        "log": _log_rows(store),
    }


def _log_rows(store: Store) -> list[dict[str, Any]]:
    """The log as stored (detail kept as its JSON text, so every hash re-computes)."""
    with store.engine.connect() as conn:
        return [dict(r._mapping) for r in conn.execute(select(t.log).order_by(t.log.c.id))]


def to_json(store: Store) -> str:
    return json.dumps(export_archive(store), ensure_ascii=False, indent=1) + "\n"


def _is_empty(store: Store) -> bool:
    with store.engine.connect() as conn:
        for table in (t.documents, t.incidents, t.decisions):
            if conn.execute(select(func.count()).select_from(table)).scalar_one():
                return False
    return True


def import_archive(
    store: Store,
    data: dict[str, Any],
    who: str | None = None,
    force: bool = False,
    gazetteer: Any = None,
) -> dict[str, int]:
    """Load an archive into ``store`` (empty unless ``force``); returns counts.

    Nothing derived is trusted: each original must hash to its recorded SHA-256,
    texts are re-derived from the originals and events re-extracted from those
    texts with the running extractor, and incidents and source links are rebuilt
    by corroboration (human decisions re-applied). The archive's log must be an
    unbroken hash chain; it is carried over, entry by entry, as ``archived:*``
    entries of this store's own chain. A decision keeps its author only if the
    archive's chain recorded exactly that decision; otherwise it is recorded by
    the importer with the claimed author in its payload (``unverified_who``).
    With ``force`` the archive is merged into a non-empty store (documents
    already present keep their events; decisions already present are not
    recorded twice), atomically: an error leaves the store as it was.

    Raises:
        ArchiveError: malformed or altered archive, or a non-empty store.
    """
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise ArchiveError(f"not a minewatch export (expected format {FORMAT!r})")
    try:
        version = int(data.get("version", 0))
    except (TypeError, ValueError):
        raise ArchiveError("export version is not a number") from None
    if version > VERSION:
        raise ArchiveError(f"export version {data.get('version')} is newer than {VERSION}")
    if not force and not _is_empty(store):
        raise ArchiveError("the database is not empty (import into a new one, or use --force)")
    try:
        originals = _originals(data)
        backed = _archived_decisions(data.get("log") or [])
        if gazetteer is None:  # loaded first: it reads the store on a connection of its own
            from minewatch.corroborate.service import default_gazetteer

            gazetteer = default_gazetteer(store)
        with store.transaction():
            counts = _load(store, data, originals, backed, who or default_who(), gazetteer)
    except ArchiveError:
        raise
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        raise ArchiveError(f"malformed archive: {type(exc).__name__}: {exc}") from None
    return counts


def _originals(data: dict[str, Any]) -> dict[str, bytes]:
    """Every original, checked against its SHA-256 before anything is written."""
    originals: dict[str, bytes] = {}
    for d in data.get("documents", []):
        try:
            raw = base64.b64decode(d["original_base64"], validate=True)
        except (binascii.Error, ValueError):
            raise ArchiveError(f"original of {d.get('input_id')} is not base64") from None
        digest = hashlib.sha256(raw).hexdigest()
        if digest != d.get("sha256") or d.get("id") != f"sha256:{digest}":
            raise ArchiveError(f"original of {d.get('input_id')} does not match its SHA-256")
        originals[d["id"]] = raw
    return originals


def _archived_decisions(log: list[dict[str, Any]]) -> dict[str, str]:
    """Check the archive's hash chain; decision id -> the state hash it recorded."""
    prev: str | None = None
    backed: dict[str, str] = {}
    for e in log:
        fields: dict[str, Any] = {
            k: e.get(k)
            for k in ("id", "prev_hash", "at", "who", "action", "object_type", "object_id")
        }
        if e.get("hash") is None:  # entries from before the chain: history only
            prev = None
            continue
        if e.get("prev_hash") != prev or entry_hash(
            **fields, detail=str(e.get("detail")), subject_hash=e.get("subject_hash")
        ) != e.get("hash"):
            raise ArchiveError(
                f"the archive's log is not an unbroken hash chain at entry {e.get('id')}"
            )
        prev = e["hash"]
        if e.get("object_type") == "decision" and e.get("subject_hash"):
            backed[str(e.get("object_id"))] = e["subject_hash"]
    return backed


def _load(
    store: Store,
    data: dict[str, Any],
    originals: dict[str, bytes],
    backed: dict[str, str],
    who: str,
    gazetteer: Any,
) -> dict[str, int]:
    from minewatch.corroborate.service import rebuild
    from minewatch.extract import EXTRACTOR_VERSION, extract_document
    from minewatch.ingest import Refused
    from minewatch.ingest.formats import read_document

    archived_events = {
        g["document_id"]: g.get("events", []) for g in data.get("events", []) if "document_id" in g
    }
    counts = dict.fromkeys(
        ("documents", "events", "texts_differing", "events_differing", "decisions"), 0
    )
    counts["decisions_unverified"] = 0
    for d in data.get("documents", []):
        raw = originals[d["id"]]
        kind = "html" if str(d.get("media_type", "")).startswith("text/html") else "text"
        try:
            doc = read_document(raw, kind, input_id=d["input_id"], path=d["input_id"])
        except Refused as exc:
            raise ArchiveError(
                f"original of {d['input_id']} no longer reads: {exc.reason}"
            ) from None
        if doc.text != d.get("text"):
            counts["texts_differing"] += 1
        meta = {k: d.get(k) for k in ("title", "publisher", "published", "url", "language")}
        doc_id, status = store.add_document(
            original=raw,
            media_type=doc.media_type,
            input_id=d["input_id"],
            text=doc.text,
            extractor=doc.extractor,
            extractor_version=doc.extractor_version,
            metadata={**(d.get("metadata") or {}), **meta},
            who=who,
            confidential=d.get("confidential") is True,
        )
        counts["documents"] += 1
        if status != "added" and store.last_extraction_version(doc_id) is not None:
            continue  # merging: a document already here keeps its own events
        rec = store.get_document(doc_id)
        assert rec is not None
        events = extract_document(store.text_of(doc_id), rec.meta, gazetteer=gazetteer)
        if doc_id in archived_events or events:
            store.replace_events(doc_id, events, EXTRACTOR_VERSION, who=who)
        fresh = [json.loads(json.dumps(e.to_json(), sort_keys=True)) for e in events]
        given = [json.loads(json.dumps(e, sort_keys=True)) for e in archived_events.get(doc_id, [])]
        if fresh != given:
            counts["events_differing"] += 1
        counts["events"] += len(events)
    existing = {(x.kind, json.dumps(x.target, sort_keys=True)) for x in store.decisions()}
    for dec in data.get("decisions", []):
        if (dec["kind"], json.dumps(dec["target"], sort_keys=True)) in existing:
            continue
        payload = dict(dec.get("payload") or {})
        payload.setdefault("imported_at_original", dec.get("at"))
        author = dec.get("who")
        if backed.get(str(dec.get("id"))) != _decision_hash(dec):
            counts["decisions_unverified"] += 1
            payload["unverified_who"] = author
            author = who
        store.add_decision(dec["kind"], dec["target"], payload, dec.get("reason"), who=author)
        counts["decisions"] += 1
    places = data.get("places") or []
    if places:
        with store.write() as conn:
            have = {r[0] for r in conn.execute(select(t.places.c.id))}
            new = [p for p in places if p.get("id") not in have]
            if new:
                conn.execute(insert(t.places), new)
    log = data.get("log") or []
    for e in log:
        store.log(
            f"archived:{e.get('action')}",
            str(e.get("object_type")),
            e.get("object_id"),
            {"entry": {k: v for k, v in e.items()}},
            who=who,
        )
    result = rebuild(store, gazetteer=gazetteer, who=who)
    counts.update(
        incidents=len(result.incidents),
        source_links=len(result.source_links()),
        places=len(places),
        log_entries=len(log),
    )
    return counts


def _decision_hash(dec: dict[str, Any]) -> str:
    """The state hash the store's log records for this decision (custody.decision_state)."""
    row = [
        dec.get("id"),
        dec.get("kind"),
        json.dumps(dec.get("target"), ensure_ascii=False, sort_keys=True),
        json.dumps(dec.get("payload") or {}, ensure_ascii=False, sort_keys=True),
        dec.get("reason"),
        dec.get("who"),
        dec.get("at"),
    ]
    return digest([row])
