"""The evidence store: one SQLite file (PostgreSQL later) behind a typed API.

Originals are immutable and content-addressed by SHA-256; text, events and
incidents are derived and may be replaced; human decisions and the log are
append-only. Every public write runs in one transaction, so an interrupt never
leaves half a document or half an extraction run.
"""

from __future__ import annotations

import functools
import getpass
import hashlib
import json
import random
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, TypeVar

from sqlalchemy import Connection, Engine, delete, func, insert, select
from sqlalchemy.exc import DBAPIError
from sqlalchemy.pool import StaticPool

from minewatch import __version__
from minewatch.model import DocumentMeta, Event, Incident, event_key
from minewatch.store import custody
from minewatch.store import schema as t
from minewatch.store.backend import (
    database_url,
    dialect_of,
    is_transient,
    make_engine,
    write_lock,
)
from minewatch.store.migrate import current_revision, upgrade
from minewatch.store.web import WebStoreMixin

META_FIELDS = ("title", "publisher", "published", "url", "language")

#: Largest count kept in an indexed integer column (PostgreSQL INTEGER); a larger
#: one stays in the Event JSON payload and the column is null (unknown).
MAX_DB_INT = 2**31 - 1


def utc_now() -> str:
    """Current UTC time, ISO 8601 with seconds."""
    return datetime.now(UTC).replace(microsecond=0).isoformat()


def default_who() -> str:
    """Who is acting, for the log: the OS user and this program's version."""
    try:
        user = getpass.getuser()
    except Exception:  # no user database in some containers
        user = "unknown"
    return f"{user} (minewatch {__version__})"


def sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


@dataclass(frozen=True)
class DocumentRecord:
    """A stored document: its metadata plus custody facts."""

    meta: DocumentMeta
    media_type: str
    size: int
    ingested_at: str
    ingested_by: str
    metadata: dict[str, Any]


@dataclass(frozen=True)
class Decision:
    id: int
    kind: str
    target: dict[str, Any]
    payload: dict[str, Any]
    reason: str | None
    who: str
    at: str


@dataclass(frozen=True)
class LogEntry:
    id: int
    at: str
    who: str
    action: str
    object_type: str
    object_id: str | None
    detail: dict[str, Any]
    #: Hash chain (see :mod:`minewatch.store.custody`); None for entries made before it.
    prev_hash: str | None = None
    subject_hash: str | None = None
    hash: str | None = None


@dataclass(frozen=True)
class Mismatch:
    """An original whose bytes no longer hash to its recorded SHA-256."""

    document_id: str
    input_id: str
    expected: str
    actual: str


@dataclass(frozen=True)
class SourceLink:
    document_id: str
    original_source: str
    source_kind: str | None
    method: str
    derived_from: str | None = None
    evidence: str | None = None


#: Attempts of a write that another process's concurrent write made fail.
WRITE_ATTEMPTS = 5

F = TypeVar("F", bound=Callable[..., Any])


def _retried(fn: F) -> F:
    """Run a one-transaction write again when a concurrent writer made it fail
    (two ingests of the same bytes, two extractions of one document): the retry
    sees the other's committed rows, so nothing is lost and nothing doubled."""

    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        for attempt in range(WRITE_ATTEMPTS):
            try:
                return fn(*args, **kwargs)
            except DBAPIError as e:
                if attempt == WRITE_ATTEMPTS - 1 or not is_transient(e):
                    raise
                time.sleep(0.05 * (attempt + 1) * (1 + random.random()))
        raise AssertionError("unreachable")

    return wrapper  # type: ignore[return-value]


class Store(WebStoreMixin):
    """Typed access to a minewatch database. Use :meth:`open` or :meth:`memory`."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        #: The connection of an open :meth:`transaction`, which every call joins.
        self._outer: Connection | None = None

    # -- opening --------------------------------------------------------------

    @classmethod
    def open(cls, target: str | Path, *, migrate: bool = True) -> Store:
        """Open (creating if needed) a database by path or SQLAlchemy URL.

        A string with a ``scheme://`` is a URL (``postgresql+psycopg://user@host/db``),
        never a path; anything else is a SQLite file. Raises
        :class:`~minewatch.store.backend.BackendError` for a URL minewatch cannot use.

        Writers are serialised: each write transaction takes the write lock
        first (``BEGIN IMMEDIATE`` on SQLite, waiting out the busy timeout for
        another process), so two commands on one database give the result of one
        run after the other. Migrations run under the same lock.
        """
        store = cls(make_engine(database_url(target)))
        if migrate:
            store.migrate()
        return store

    @classmethod
    def memory(cls) -> Store:
        """A fresh in-memory database (for tests and ``--no-store`` runs)."""
        engine = make_engine(
            "sqlite://", poolclass=StaticPool, connect_args={"check_same_thread": False}
        )
        store = cls(engine)
        store.migrate()
        return store

    def migrate(self, revision: str = "head") -> None:
        """Bring the schema to ``revision`` through the versioned migrations."""
        upgrade(self.engine, revision)

    def revision(self) -> str | None:
        return current_revision(self.engine)

    def close(self) -> None:
        self.engine.dispose()

    def label(self) -> str:
        """The database's URL for messages and the log (password hidden)."""
        return self.engine.url.render_as_string(hide_password=True)

    @contextmanager
    def transaction(self) -> Iterator[Connection]:
        """One transaction around many store calls: all of them land, or none.

        Every store method called inside joins it (reads see its writes); an
        exception rolls everything back. Used by ``import --force`` to merge an
        archive atomically. Not for use from several threads at once, and code
        that opens its own connection (``store.engine.connect()``) inside it does
        not see its writes (on an in-memory store it would even end it: load such
        things, like a gazetteer, before).
        """
        if self._outer is not None:  # already inside one: join it
            yield self._outer
            return
        with self.engine.begin() as conn:
            begin_write(conn)
            self._outer = conn
            try:
                yield conn
            finally:
                self._outer = None

    @contextmanager
    def _read(self) -> Iterator[Connection]:
        if self._outer is not None:
            yield self._outer
            return
        with self.engine.connect() as conn:
            yield conn

    def write(self) -> AbstractContextManager[Connection]:
        """A write transaction for code outside the store (``with store.write() as conn``).

        It holds the write lock from its first statement, like every store write.
        """
        return self._begin()

    @contextmanager
    def _begin(self) -> Iterator[Connection]:
        """A write transaction holding the write lock from its first statement."""
        if self._outer is not None:
            with self._outer.begin_nested():  # a savepoint: this call alone can fail
                yield self._outer
            return
        with self.engine.begin() as conn:
            begin_write(conn)
            yield conn

    # -- log ------------------------------------------------------------------

    @staticmethod
    def _log(
        conn: Connection,
        who: str,
        action: str,
        object_type: str,
        object_id: str | None,
        detail: dict[str, Any] | None = None,
        subject: str | None = None,
    ) -> None:
        """Append a log entry chained to the last one (call inside :meth:`_begin`).

        ``subject`` is the hash of the state the entry records (store/custody.py).
        On SQLite one writer at a time holds the database, so the last entry read
        here stays the last; PostgreSQL needs the log locked for that (a caller's
        transaction that did not start with :func:`begin_write` gets it here).
        """
        if dialect_of(conn) != "sqlite":
            write_lock(conn, t.log.name)
        last = conn.execute(
            select(t.log.c.id, t.log.c.hash).order_by(t.log.c.id.desc()).limit(1)
        ).first()
        entry: dict[str, Any] = {
            "id": (last.id + 1) if last is not None else 1,
            "prev_hash": last.hash if last is not None else None,
            "at": utc_now(),
            "who": who,
            "action": action,
            "object_type": object_type,
            "object_id": object_id,
            "detail": json.dumps(detail or {}, ensure_ascii=False, sort_keys=True),
            "subject_hash": subject,
        }
        conn.execute(insert(t.log).values(**entry, hash=custody.entry_hash(**entry)))

    def log(
        self,
        action: str,
        object_type: str,
        object_id: str | None,
        detail: dict[str, Any] | None = None,
        *,
        who: str | None = None,
    ) -> None:
        """Append one entry to the audit log in its own transaction."""
        with self._begin() as conn:
            self._log(conn, who or default_who(), action, object_type, object_id, detail)

    def log_entries(self, *, limit: int | None = None) -> list[LogEntry]:
        q = select(t.log).order_by(t.log.c.id)
        if limit is not None:
            q = q.limit(limit)
        with self._read() as conn:
            return [
                LogEntry(
                    r.id,
                    r.at,
                    r.who,
                    r.action,
                    r.object_type,
                    r.object_id,
                    json.loads(r.detail),
                    r.prev_hash,
                    r.subject_hash,
                    r.hash,
                )
                for r in conn.execute(q)
            ]

    # -- documents ------------------------------------------------------------

    @_retried
    def add_document(
        self,
        *,
        original: bytes,
        media_type: str,
        input_id: str,
        text: str,
        extractor: str,
        extractor_version: str,
        metadata: dict[str, Any] | None = None,
        who: str | None = None,
        confidential: bool = False,
    ) -> tuple[str, str]:
        """Store an original and its derived text, in one transaction.

        Returns ``(document_id, status)`` where status is ``added``,
        ``present`` (same bytes, same metadata) or ``updated`` (same bytes,
        metadata changed: recorded in the log with old and new values).
        ``confidential`` marks the document (a document already stored is
        marked too, never unmarked: only :meth:`set_confidential` unmarks).
        """
        who = who or default_who()
        metadata = dict(metadata or {})
        digest = sha256_hex(original)
        doc_id = f"sha256:{digest}"
        cols = {k: metadata.get(k) for k in META_FIELDS}
        extra = {k: v for k, v in metadata.items() if k not in META_FIELDS and v is not None}
        with self._begin() as conn:
            row = conn.execute(select(t.documents).where(t.documents.c.id == doc_id)).first()
            if row is None:
                conn.execute(
                    insert(t.documents).values(
                        id=doc_id,
                        sha256=digest,
                        original=original,
                        size=len(original),
                        media_type=media_type,
                        input_id=input_id,
                        metadata_json=json.dumps(extra, ensure_ascii=False, sort_keys=True),
                        ingested_at=utc_now(),
                        ingested_by=who,
                        confidential=confidential,
                        **cols,
                    )
                )
                conn.execute(
                    insert(t.texts).values(
                        document_id=doc_id,
                        text=text,
                        extractor=extractor,
                        extractor_version=extractor_version,
                        created_at=utc_now(),
                    )
                )
                self._log(
                    conn,
                    who,
                    "ingest",
                    "document",
                    doc_id,
                    {
                        "input_id": input_id,
                        "media_type": media_type,
                        "size": len(original),
                        **({"confidential": True} if confidential else {}),
                    },
                    custody.document_state(conn, doc_id),
                )
                return doc_id, "added"
            # Same bytes again: never a second copy. Only metadata may change.
            changes = {
                k: {"old": row._mapping[k], "new": v}
                for k, v in cols.items()
                if v is not None and v != row._mapping[k]
            }
            old_extra = json.loads(row.metadata_json or "{}")
            new_extra = {**old_extra, **extra}
            if new_extra != old_extra:
                changes["metadata_json"] = {"old": old_extra, "new": new_extra}
            if confidential and not row.confidential:
                changes["confidential"] = {"old": False, "new": True}
            if not changes:
                return doc_id, "present"
            values: dict[str, Any] = {
                k: c["new"] for k, c in changes.items() if k in (*META_FIELDS, "confidential")
            }
            if "metadata_json" in changes:
                values["metadata_json"] = json.dumps(new_extra, ensure_ascii=False, sort_keys=True)
            conn.execute(t.documents.update().where(t.documents.c.id == doc_id).values(**values))
            self._log(
                conn,
                who,
                "update_metadata",
                "document",
                doc_id,
                changes,
                custody.document_state(conn, doc_id),
            )
            return doc_id, "updated"

    def _resolve_ref(self, conn: Connection, ref: str) -> str | None:
        if ref.startswith("sha256:"):
            ref = ref[7:]
        exact = conn.execute(select(t.documents.c.id).where(t.documents.c.input_id == ref)).all()
        if len(exact) == 1:
            return str(exact[0][0])
        # A file name alone finds a document ingested as "dir/name" (if unambiguous).
        pattern = "%/" + ref.replace("\\", "").replace("%", "").replace("_", "\\_")
        tail = conn.execute(
            select(t.documents.c.id).where(t.documents.c.input_id.like(pattern, escape="\\"))
        ).all()
        if len(tail) == 1:
            return str(tail[0][0])
        if len(ref) >= 6 and all(c in "0123456789abcdef" for c in ref.lower()):
            rows = conn.execute(
                select(t.documents.c.id).where(t.documents.c.sha256.like(ref.lower() + "%"))
            ).all()
            if len(rows) == 1:
                return str(rows[0][0])
        return None

    def resolve(self, ref: str) -> str | None:
        """Document id for a reference: full id, SHA-256 prefix (>= 6) or input_id."""
        with self._read() as conn:
            return self._resolve_ref(conn, ref)

    @staticmethod
    def _meta(row: Any) -> DocumentMeta:
        return DocumentMeta(
            id=row.id,
            input_id=row.input_id,
            title=row.title,
            publisher=row.publisher,
            published=row.published,
            url=row.url,
            language=row.language,
            confidential=bool(row.confidential),
        )

    def get_document(self, ref: str) -> DocumentRecord | None:
        with self._read() as conn:
            doc_id = self._resolve_ref(conn, ref)
            if doc_id is None:
                return None
            row = conn.execute(select(t.documents).where(t.documents.c.id == doc_id)).one()
            return DocumentRecord(
                meta=self._meta(row),
                media_type=row.media_type,
                size=row.size,
                ingested_at=row.ingested_at,
                ingested_by=row.ingested_by,
                metadata=json.loads(row.metadata_json or "{}"),
            )

    def documents(self) -> list[DocumentMeta]:
        """All documents, in ingest order."""
        cols = [c for c in t.documents.c if c.name != "original"]
        with self._read() as conn:
            rows = conn.execute(select(*cols).order_by(t.documents.c.ingested_at, t.documents.c.id))
            return [self._meta(r) for r in rows]

    def original_of(self, doc_id: str) -> bytes:
        with self._read() as conn:
            return bytes(
                conn.execute(
                    select(t.documents.c.original).where(t.documents.c.id == doc_id)
                ).scalar_one()
            )

    def text_of(self, doc_id: str) -> str:
        with self._read() as conn:
            return str(
                conn.execute(
                    select(t.texts.c.text).where(t.texts.c.document_id == doc_id)
                ).scalar_one()
            )

    # -- confidentiality ----------------------------------------------------------

    def confidential_document_ids(self) -> frozenset[str]:
        """Ids (``sha256:<hex>``) of the documents marked confidential.

        Reports, public exports and the web app's viewer pages leave out these
        documents and everything derived from them only (events, quotes,
        sources); the JSON archive keeps them, marked. A document is marked by
        ``ingest --confidential``, a ``confidential`` sidecar column, or
        :meth:`set_confidential` (a logged human decision).
        """
        with self._read() as conn:
            rows = conn.execute(
                select(t.documents.c.id).where(t.documents.c.confidential.is_(True))
            )
            return frozenset(str(r[0]) for r in rows)

    def is_confidential(self, doc_id: str) -> bool:
        """Whether the document ``doc_id`` is marked confidential (False if unknown)."""
        with self._read() as conn:
            value = conn.execute(
                select(t.documents.c.confidential).where(t.documents.c.id == doc_id)
            ).scalar()
            return bool(value)

    def set_confidential(
        self,
        doc_id: str,
        confidential: bool = True,
        *,
        reason: str | None = None,
        who: str | None = None,
    ) -> int:
        """Mark (or unmark) a stored document confidential: a human decision.

        Recorded as decision kind ``confidential`` (target ``{"document":
        id}``, payload ``{"confidential": bool}``) and logged, in the same
        transaction as the flag. Returns the decision id.

        Raises:
            KeyError: no document has this id.
        """
        who = who or default_who()
        target = {"document": doc_id}
        payload = {"confidential": bool(confidential)}
        with self._begin() as conn:
            found = conn.execute(
                t.documents.update()
                .where(t.documents.c.id == doc_id)
                .values(confidential=bool(confidential))
            ).rowcount
            if not found:
                raise KeyError(doc_id)
            dec_id = conn.execute(
                insert(t.decisions).values(
                    kind="confidential",
                    target=json.dumps(target, sort_keys=True),
                    payload=json.dumps(payload, sort_keys=True),
                    reason=reason,
                    who=who,
                    at=utc_now(),
                )
            ).inserted_primary_key[0]  # type: ignore[index]
            self._log(
                conn,
                who,
                "decision:confidential",
                "decision",
                str(dec_id),
                {"target": target, "payload": payload, "reason": reason},
                custody.decision_state(conn, int(dec_id)),
            )
            self._log(
                conn,
                who,
                "mark_confidential",
                "document",
                doc_id,
                {"decision": int(dec_id), **payload},
                custody.document_state(conn, doc_id),
            )
            return int(dec_id)

    def custody(self, *, expect_head: str | None = None) -> custody.CustodyReport:
        """Check the log's hash chain, the guard-rail triggers, and every document,
        event set, decision, incident set and source-link set against the log entry
        that last recorded it (see :mod:`minewatch.store.custody`)."""
        with self._read() as conn:
            return custody.check_store(conn, expect_head=expect_head)

    def text_info(self, doc_id: str) -> tuple[str, str]:
        """``(extractor, extractor version)`` that derived a document's stored text."""
        with self._read() as conn:
            row = conn.execute(
                select(t.texts.c.extractor, t.texts.c.extractor_version).where(
                    t.texts.c.document_id == doc_id
                )
            ).one()
            return str(row[0]), str(row[1])

    def last_extraction_version(self, doc_id: str) -> str | None:
        """Extractor version of a document's latest extraction run (None: never extracted)."""
        with self._read() as conn:
            v = conn.execute(
                select(t.extraction_runs.c.extractor_version)
                .where(t.extraction_runs.c.document_id == doc_id)
                .order_by(t.extraction_runs.c.id.desc())
                .limit(1)
            ).scalar()
            return None if v is None else str(v)

    def verify(self) -> Iterator[tuple[DocumentMeta, Mismatch | None]]:
        """Re-hash every original; yields each document with its mismatch (or None)."""
        with self._read() as conn:
            ids = [r[0] for r in conn.execute(select(t.documents.c.id).order_by(t.documents.c.id))]
        for doc_id in ids:
            with self._read() as conn:
                row = conn.execute(select(t.documents).where(t.documents.c.id == doc_id)).one()
            actual = sha256_hex(bytes(row.original))
            expected = row.sha256
            bad = actual != expected or doc_id != f"sha256:{expected}"
            yield (
                self._meta(row),
                (Mismatch(doc_id, row.input_id, expected, actual) if bad else None),
            )

    # -- events ---------------------------------------------------------------

    @_retried
    def replace_events(
        self,
        doc_id: str,
        events: Sequence[Event],
        extractor_version: str,
        who: str | None = None,
    ) -> int:
        """Replace a document's events with a new extraction run (one transaction).

        Re-extraction never duplicates; human decisions live elsewhere and are
        untouched. Returns the run id.
        """
        who = who or default_who()
        with self._begin() as conn:
            old = [
                r[0]
                for r in conn.execute(
                    select(t.events.c.key).where(t.events.c.document_id == doc_id)
                )
            ]
            if old:
                conn.execute(delete(t.evidence).where(t.evidence.c.event_key.in_(old)))
                conn.execute(delete(t.event_places).where(t.event_places.c.event_key.in_(old)))
                conn.execute(delete(t.events).where(t.events.c.document_id == doc_id))
            run_id = conn.execute(
                insert(t.extraction_runs).values(
                    document_id=doc_id,
                    extractor_version=extractor_version,
                    n_events=len(events),
                    at=utc_now(),
                    who=who,
                )
            ).inserted_primary_key[0]  # type: ignore[index]
            for ev in events:
                key = event_key(doc_id, ev.id)
                conn.execute(
                    insert(t.events).values(
                        key=key,
                        document_id=doc_id,
                        local_id=ev.id,
                        run_id=run_id,
                        type=ev.type,
                        status=ev.status,
                        context=ev.context,
                        when_start=ev.when.start,
                        when_end=ev.when.end,
                        when_precision=ev.when.precision,
                        killed_best=_db_int(ev.killed.best) if ev.killed else None,
                        injured_best=_db_int(ev.injured.best) if ev.injured else None,
                        casualties_best=_db_int(ev.casualties.best) if ev.casualties else None,
                        victims=ev.victims,
                        confidence=ev.confidence,
                        payload=json.dumps(ev.to_json(), ensure_ascii=False),
                    )
                )
                if ev.evidence:
                    conn.execute(
                        insert(t.evidence),
                        [
                            {"event_key": key, "field": e.field, "start": e.start, "end": e.end}
                            for e in ev.evidence
                        ],
                    )
                if ev.where:
                    conn.execute(
                        insert(t.event_places),
                        [
                            {
                                "event_key": key,
                                "text": p.text,
                                "place_id": p.place_id,
                                "name": p.name,
                                "country": p.country,
                                "admin1": p.admin1,
                                "lat": p.lat,
                                "lon": p.lon,
                                "precision": p.precision,
                                "relation": p.relation,
                            }
                            for p in ev.where
                        ],
                    )
            self._log(
                conn,
                who,
                "extract",
                "document",
                doc_id,
                {
                    "run_id": run_id,
                    "extractor_version": extractor_version,
                    "events": len(events),
                    "replaced": len(old),
                },
                custody.events_state(conn, doc_id),
            )
            return int(run_id)

    def events(self, document_id: str | None = None) -> list[tuple[DocumentMeta, Event]]:
        """Stored events with their documents, in document then event order."""
        cols = [c for c in t.documents.c if c.name != "original"]
        q = (
            select(t.events.c.payload, *cols)
            .join(t.documents, t.documents.c.id == t.events.c.document_id)
            .order_by(t.documents.c.ingested_at, t.documents.c.id, t.events.c.key)
        )
        if document_id is not None:
            q = q.where(t.events.c.document_id == document_id)
        with self._read() as conn:
            out = [(self._meta(r), Event.from_json(json.loads(r.payload))) for r in conn.execute(q)]
        # e2 < e10: order events numerically within a document
        out.sort(key=lambda de: (de[0].id, _local_num(de[1].id)))
        order = {d.id: i for i, d in enumerate(self.documents())}
        out.sort(key=lambda de: order.get(de[0].id, 0))
        return out

    # -- incidents --------------------------------------------------------------

    @_retried
    def replace_incidents(self, incidents: Sequence[Incident], who: str | None = None) -> None:
        """Replace all derived incidents (decisions are kept and re-applied upstream)."""
        who = who or default_who()
        with self._begin() as conn:
            conn.execute(delete(t.incident_members))
            conn.execute(delete(t.incidents))
            now = utc_now()
            for inc in incidents:
                when = inc.value("when") or {}
                conn.execute(
                    insert(t.incidents).values(
                        id=inc.id,
                        type=inc.type,
                        country=inc.country,
                        review=inc.review,
                        confidence=inc.confidence,
                        independent_sources=inc.independent_sources,
                        when_start=when.get("start") if isinstance(when, dict) else None,
                        payload=json.dumps(inc.to_json(), ensure_ascii=False),
                        built_at=now,
                    )
                )
                members = {m.event_key: m for m in inc.members}
                if members:
                    conn.execute(
                        insert(t.incident_members),
                        [
                            {"incident_id": inc.id, "event_key": k, "document_id": m.document_id}
                            for k, m in members.items()
                        ],
                    )
            self._log(
                conn,
                who,
                "corroborate",
                "incidents",
                None,
                {"incidents": len(incidents)},
                custody.incidents_state(conn),
            )

    def incidents(self) -> list[Incident]:
        q = select(t.incidents.c.payload).order_by(t.incidents.c.when_start, t.incidents.c.id)
        with self._read() as conn:
            return [Incident.from_json(json.loads(r.payload)) for r in conn.execute(q)]

    # -- human decisions ----------------------------------------------------------

    def add_decision(
        self,
        kind: str,
        target: dict[str, Any],
        payload: dict[str, Any] | None = None,
        reason: str | None = None,
        who: str | None = None,
    ) -> int:
        """Record a human decision (append-only) and log it."""
        who = who or default_who()
        with self._begin() as conn:
            dec_id = conn.execute(
                insert(t.decisions).values(
                    kind=kind,
                    target=json.dumps(target, ensure_ascii=False, sort_keys=True),
                    payload=json.dumps(payload or {}, ensure_ascii=False, sort_keys=True),
                    reason=reason,
                    who=who,
                    at=utc_now(),
                )
            ).inserted_primary_key[0]  # type: ignore[index]
            self._log(
                conn,
                who,
                f"decision:{kind}",
                "decision",
                str(dec_id),
                {"target": target, "payload": payload or {}, "reason": reason},
                custody.decision_state(conn, int(dec_id)),
            )
            return int(dec_id)

    def decisions(self) -> list[Decision]:
        with self._read() as conn:
            return [
                Decision(
                    r.id, r.kind, json.loads(r.target), json.loads(r.payload), r.reason, r.who, r.at
                )
                for r in conn.execute(select(t.decisions).order_by(t.decisions.c.id))
            ]

    # -- source links ---------------------------------------------------------------

    @_retried
    def replace_source_links(self, links: Sequence[SourceLink], who: str | None = None) -> None:
        """Replace the derived attribution chains (document -> original source)."""
        who = who or default_who()
        with self._begin() as conn:
            conn.execute(delete(t.source_links))
            if links:
                conn.execute(
                    insert(t.source_links),
                    [
                        {
                            "document_id": s.document_id,
                            "original_source": s.original_source,
                            "source_kind": s.source_kind,
                            "method": s.method,
                            "derived_from": s.derived_from,
                            "evidence": s.evidence,
                        }
                        for s in links
                    ],
                )
            self._log(
                conn,
                who,
                "source_links",
                "source_links",
                None,
                {"links": len(links)},
                custody.source_links_state(conn),
            )

    def source_links(self) -> list[SourceLink]:
        with self._read() as conn:
            return [
                SourceLink(
                    r.document_id,
                    r.original_source,
                    r.source_kind,
                    r.method,
                    r.derived_from,
                    r.evidence,
                )
                for r in conn.execute(select(t.source_links).order_by(t.source_links.c.id))
            ]

    # -- stats ------------------------------------------------------------------------

    def stats(self) -> dict[str, Any]:
        """Row counts per table plus events/incidents by type."""
        out: dict[str, Any] = {}
        with self._read() as conn:
            for table in (
                t.documents,
                t.texts,
                t.events,
                t.evidence,
                t.places,
                t.incidents,
                t.decisions,
                t.source_links,
                t.log,
            ):
                out[table.name] = conn.execute(select(func.count()).select_from(table)).scalar_one()
            out["events_by_type"] = dict(
                conn.execute(select(t.events.c.type, func.count()).group_by(t.events.c.type)).all()
            )
            out["incidents_by_type"] = dict(
                conn.execute(
                    select(t.incidents.c.type, func.count()).group_by(t.incidents.c.type)
                ).all()
            )
            out["incidents_by_review"] = dict(
                conn.execute(
                    select(t.incidents.c.review, func.count()).group_by(t.incidents.c.review)
                ).all()
            )
        out["schema_revision"] = self.revision()
        return out


def begin_write(conn: Connection) -> None:
    """Take the write lock at the start of a write transaction.

    SQLite: ``BEGIN IMMEDIATE`` (two writers queue on the busy timeout instead
    of one failing on a lock upgrade, and the last log entry read for the hash
    chain stays the last until commit); PostgreSQL: the log table is locked
    (:func:`~minewatch.store.backend.write_lock`).
    """
    if dialect_of(conn) == "sqlite":
        conn.exec_driver_sql("BEGIN IMMEDIATE")
    else:
        write_lock(conn, t.log.name)


def _db_int(value: int | None) -> int | None:
    """A count for an indexed column: beyond :data:`MAX_DB_INT` it is null there
    (the Event JSON payload keeps the number as written)."""
    if value is None or not -MAX_DB_INT <= value <= MAX_DB_INT:
        return None
    return value


def _local_num(local_id: str) -> int:
    digits = "".join(c for c in local_id if c.isdigit())
    return int(digits) if digits else 0
