"""Chain of custody: the log as a hash chain, and hashes of what each entry records.

Each log entry carries ``prev_hash`` (the hash of the entry before it),
``subject_hash`` (a hash of the state of what it records, read back from the
database in the same transaction: the document row with its text, a
document's events, a decision, all incidents, all source links) and ``hash``
(over its own fields and those two). :func:`check_store` walks the chain and
compares each object's current state with the last entry that recorded it, so
a row rewritten behind minewatch's back, a forged or deleted entry, or a
dropped trigger is reported by row.

The chain has no secret: someone who rewrites every row *and* recomputes the
whole chain is caught only by a head hash noted elsewhere (``minewatch verify``
prints it; ``--expect-head`` checks it is still in the chain).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, Table, select

from minewatch.store import schema as t
from minewatch.store.backend import guard_triggers

#: The guard-rail triggers the migrations create (backend.forbid); verify checks them.
EXPECTED_TRIGGERS = (
    "documents_original_immutable",
    "documents_no_delete",
    "log_no_update",
    "log_no_delete",
    "decisions_no_update",
    "decisions_no_delete",
)

#: Actions whose entry records the state of one document (object_id = its id).
DOCUMENT_ACTIONS = frozenset({"ingest", "update_metadata", "mark_confidential", "import"})


def digest(value: Any) -> str:
    """SHA-256 of a value as canonical JSON (the one hash every state goes through)."""
    data = json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256(data.encode("utf-8", "surrogatepass")).hexdigest()


def entry_hash(
    *,
    id: int,
    prev_hash: str | None,
    at: str,
    who: str,
    action: str,
    object_type: str,
    object_id: str | None,
    detail: str,
    subject_hash: str | None,
) -> str:
    """The hash of one log entry (``detail`` as stored: JSON text)."""
    return digest([id, prev_hash, at, who, action, object_type, object_id, detail, subject_hash])


def _rows(conn: Connection, table: Table, *where: Any, skip: Iterable[str] = ()) -> list[Any]:
    cols = [c for c in table.c if c.name not in set(skip)]
    rows = conn.execute(select(*cols).where(*where))
    out = []
    for r in rows:
        out.append([bytes(v).hex() if isinstance(v, bytes | memoryview) else v for v in r])
    out.sort(key=lambda r: json.dumps(r, default=str, ensure_ascii=False))
    return out


def document_state(conn: Connection, doc_id: str) -> str:
    """Hash of a document's row (its original by SHA-256) and its derived text."""
    doc = _rows(conn, t.documents, t.documents.c.id == doc_id, skip=("original",))
    text = _rows(conn, t.texts, t.texts.c.document_id == doc_id, skip=("created_at",))
    return digest({"document": doc, "text": text})


def events_state(conn: Connection, doc_id: str) -> str:
    """Hash of a document's events with their evidence and places, and its latest run."""
    keys = [
        r[0] for r in conn.execute(select(t.events.c.key).where(t.events.c.document_id == doc_id))
    ]
    run = conn.execute(
        select(t.extraction_runs)
        .where(t.extraction_runs.c.document_id == doc_id)
        .order_by(t.extraction_runs.c.id.desc())
        .limit(1)
    ).first()
    return digest(
        {
            "events": _rows(conn, t.events, t.events.c.document_id == doc_id),
            "evidence": _rows(conn, t.evidence, t.evidence.c.event_key.in_(keys), skip=("id",)),
            "places": _rows(
                conn, t.event_places, t.event_places.c.event_key.in_(keys), skip=("id",)
            ),
            "run": list(run) if run is not None else None,
        }
    )


def decision_state(conn: Connection, decision_id: int) -> str:
    return digest(_rows(conn, t.decisions, t.decisions.c.id == decision_id))


def incidents_state(conn: Connection) -> str:
    return digest(
        {
            "incidents": _rows(conn, t.incidents),
            "members": _rows(conn, t.incident_members),
        }
    )


def source_links_state(conn: Connection) -> str:
    return digest(_rows(conn, t.source_links, skip=("id",)))


@dataclass(frozen=True)
class Problem:
    """One thing ``verify`` found wrong: which check, which row, what."""

    check: str  # chain | trigger | document | events | decision | incidents | source_links
    row: str  # e.g. "log 12", "document sha256:…", "decision 3"
    detail: str

    def __str__(self) -> str:
        return f"{self.check}: {self.row}: {self.detail}"


@dataclass
class CustodyReport:
    """What :func:`check_store` checked and found."""

    entries: int = 0
    head: str | None = None
    objects: int = 0
    unsealed: int = 0  # objects last recorded before the chain existed (no subject hash)
    problems: list[Problem] | None = None

    def __post_init__(self) -> None:
        if self.problems is None:
            self.problems = []


def check_store(conn: Connection, *, expect_head: str | None = None) -> CustodyReport:
    """Check the log chain, the triggers and every object against its last log entry."""
    rep = CustodyReport()
    problems: list[Problem] = rep.problems or []
    rep.problems = problems
    for name in sorted(set(EXPECTED_TRIGGERS) - guard_triggers(conn)):
        problems.append(Problem("trigger", name, "missing: the guard rail was dropped"))

    latest: dict[tuple[str, str | None], Any] = {}
    decision_entries: dict[str, Any] = {}
    prev: str | None = None
    seen_hashes: set[str] = set()
    for r in conn.execute(select(t.log).order_by(t.log.c.id)):
        rep.entries += 1
        where = f"log {r.id}"
        if r.hash is None:
            problems.append(Problem("chain", where, "entry has no hash (added outside minewatch)"))
            prev = None
            continue
        if r.prev_hash != prev and not (prev is None and r.prev_hash is None):
            problems.append(Problem("chain", where, "does not follow the entry before it"))
        fields = {
            k: getattr(r, k)
            for k in ("id", "prev_hash", "at", "who", "action", "object_type", "object_id")
        }
        if entry_hash(**fields, detail=r.detail, subject_hash=r.subject_hash) != r.hash:
            problems.append(Problem("chain", where, "content does not match its hash (rewritten)"))
        prev = r.hash
        seen_hashes.add(r.hash)
        if r.object_type == "document" and r.action in DOCUMENT_ACTIONS:
            latest[("document", r.object_id)] = r
        elif r.action == "extract":
            latest[("events", r.object_id)] = r
        elif r.object_type == "decision":
            decision_entries[str(r.object_id)] = r
        elif r.action == "corroborate":
            latest[("incidents", None)] = r
        elif r.action == "source_links":
            latest[("source_links", None)] = r
    rep.head = prev
    if expect_head and expect_head not in seen_hashes:
        problems.append(Problem("chain", "head", f"{expect_head} is no longer in the chain"))

    def compare(check: str, row: str, entry: Any, actual: str) -> None:
        rep.objects += 1
        if entry is None:
            problems.append(Problem(check, row, "no log entry records it"))
        elif entry.subject_hash is None:
            rep.unsealed += 1
        elif entry.subject_hash != actual:
            problems.append(
                Problem(check, row, f"differs from what log {entry.id} recorded (altered)")
            )

    doc_ids = [r[0] for r in conn.execute(select(t.documents.c.id).order_by(t.documents.c.id))]
    with_events = {
        r[0] for r in conn.execute(select(t.extraction_runs.c.document_id).distinct())
    } | {r[0] for r in conn.execute(select(t.events.c.document_id).distinct())}
    for d in doc_ids:
        compare(
            "document", f"document {d}", latest.pop(("document", d), None), document_state(conn, d)
        )
        entry = latest.pop(("events", d), None)
        if d in with_events or entry is not None:
            compare("events", f"events of {d}", entry, events_state(conn, d))
    for key, entry in latest.items():
        if key[0] in ("document", "events"):
            problems.append(
                Problem(key[0], f"{key[0]} {key[1]}", f"log {entry.id} records it: row deleted")
            )
    for (dec_id,) in conn.execute(select(t.decisions.c.id).order_by(t.decisions.c.id)):
        entry = decision_entries.pop(str(dec_id), None)
        compare("decision", f"decision {dec_id}", entry, decision_state(conn, dec_id))
    for dec_id, entry in decision_entries.items():
        problems.append(Problem("decision", f"decision {dec_id}", f"log {entry.id}: row missing"))
    n_inc = conn.execute(select(t.incidents.c.id).limit(1)).first()
    if n_inc is not None or ("incidents", None) in latest:
        compare("incidents", "incidents", latest.get(("incidents", None)), incidents_state(conn))
    n_links = conn.execute(select(t.source_links.c.id).limit(1)).first()
    if n_links is not None or ("source_links", None) in latest:
        compare(
            "source_links",
            "source links",
            latest.get(("source_links", None)),
            source_links_state(conn),
        )
    return rep
