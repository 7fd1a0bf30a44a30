"""The evidence store: migrations, immutability, idempotence, verification."""

from __future__ import annotations

from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import create_engine, inspect, text
from sqlalchemy.exc import IntegrityError

from minewatch.model import Count, Event, Evidence, Place, When
from minewatch.store import Store
from minewatch.store.backend import guard_triggers
from minewatch.store.migrate import upgrade
from minewatch.store.schema import is_declared, metadata


def _schema(db: Path) -> dict[str, object]:
    """Tables, columns, indexes and triggers of a SQLite file, comparable."""
    engine = create_engine(f"sqlite:///{db}")
    insp = inspect(engine)
    out: dict[str, object] = {}
    for name in sorted(insp.get_table_names()):
        cols = [(c["name"], str(c["type"]), c["nullable"]) for c in insp.get_columns(name)]
        idx = sorted((i["name"] or "", tuple(i["column_names"])) for i in insp.get_indexes(name))
        out[name] = (cols, idx)
    with engine.connect() as conn:
        out["triggers"] = sorted(
            r[0] for r in conn.execute(text("SELECT name FROM sqlite_master WHERE type='trigger'"))
        )
    engine.dispose()
    return out


def _add(store: Store, body: bytes = b"A mine exploded near Musan.", **meta: str) -> str:
    doc_id, _ = store.add_document(
        original=body,
        media_type="text/plain",
        input_id="a.txt",
        text=body.decode(),
        extractor="plain",
        extractor_version="1",
        metadata=dict(meta),
        who="test",
    )
    return doc_id


def test_fresh_and_upgraded_databases_end_at_the_same_schema(tmp_path: Path) -> None:
    fresh = tmp_path / "fresh.db"
    Store.open(fresh).close()

    old = tmp_path / "old.db"
    engine = create_engine(f"sqlite:///{old}")
    upgrade(engine, "0001")  # a database made by the first release
    engine.dispose()
    early = Store.open(old, migrate=False)
    assert early.revision() == "0001"
    with early.engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO documents (id, sha256, original, size, media_type, input_id, "
                "metadata_json, ingested_at, ingested_by) VALUES "
                "('sha256:' || :h, :h, :b, 3, 'text/plain', 'x.txt', '{}', 'now', 'test')"
            ),
            {"h": "ab" * 32, "b": b"abc"},
        )
    early.close()

    upgraded = Store.open(old)
    assert upgraded.revision() == Store.open(fresh).revision()
    assert [d.input_id for d in upgraded.documents()] == ["x.txt"]  # data survives
    upgraded.close()
    assert _schema(fresh) == _schema(old)


# the full-text indexes are dialect-specific and not declared in schema.py: SQLite's FTS5
# virtual table (and its shadow tables), PostgreSQL's tsvector indexes (named *_fts)
_OPTS = {
    "include_name": lambda name, kind, _p: (
        is_declared(name) if kind == "table" else not (kind == "index" and name.endswith("_fts"))
    )
}

GUARDS = {
    "documents_original_immutable",
    "documents_no_delete",
    "log_no_update",
    "log_no_delete",
    "decisions_no_update",
    "decisions_no_delete",
}


def test_migrations_match_the_declared_schema(db_url: str) -> None:
    store = Store.open(db_url)
    with store.engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn, opts=_OPTS), metadata)
        triggers = guard_triggers(conn)
    store.close()
    assert diff == []
    assert triggers >= GUARDS


def test_an_upgraded_database_keeps_its_data_and_gains_every_guard(db_url: str) -> None:
    early = Store.open(db_url, migrate=False)
    upgrade(early.engine, "0001")
    with early.engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO documents (id, sha256, original, size, media_type, input_id, "
                "metadata_json, ingested_at, ingested_by) VALUES "
                "(:id, :h, :b, 3, 'text/plain', 'x.txt', '{}', 'now', 'test')"
            ),
            {"id": "sha256:" + "ab" * 32, "h": "ab" * 32, "b": b"abc"},
        )
        assert guard_triggers(conn) >= {"documents_no_delete", "log_no_delete"}
    early.close()
    store = Store.open(db_url)
    assert [d.input_id for d in store.documents()] == ["x.txt"]
    with store.engine.connect() as conn:
        assert compare_metadata(MigrationContext.configure(conn, opts=_OPTS), metadata) == []
        assert guard_triggers(conn) >= GUARDS
    store.close()


def test_same_bytes_twice_is_one_document_and_metadata_updates_are_logged(db_url: str) -> None:
    store = Store.open(db_url)
    a = _add(store, published="2020-10")
    b, status = store.add_document(
        original=b"A mine exploded near Musan.",
        media_type="text/plain",
        input_id="copy.txt",
        text="A mine exploded near Musan.",
        extractor="plain",
        extractor_version="1",
        metadata={"published": "2020-10"},
    )
    assert (a, status) == (b, "present")
    _, status = store.add_document(
        original=b"A mine exploded near Musan.",
        media_type="text/plain",
        input_id="a.txt",
        text="A mine exploded near Musan.",
        extractor="plain",
        extractor_version="1",
        metadata={"published": "2020-10", "title": "Blast"},
    )
    assert status == "updated"
    assert len(store.documents()) == 1
    doc = store.get_document(a)
    assert doc is not None and doc.meta.published == "2020-10" and doc.meta.title == "Blast"
    actions = [e.action for e in store.log_entries()]
    assert actions == ["ingest", "update_metadata"]


def test_originals_and_log_cannot_be_rewritten(db_url: str) -> None:
    store = Store.open(db_url)
    doc_id = _add(store)
    refused = [
        ("UPDATE documents SET original = :b WHERE id = :i", "immutable"),
        ("UPDATE documents SET sha256 = 'x' WHERE id = :i", "immutable"),
        ("DELETE FROM documents", "never deleted"),
        ("UPDATE log SET who = 'someone else'", "append-only"),
        ("DELETE FROM log", "append-only"),
    ]
    if store.engine.dialect.name == "postgresql":  # TRUNCATE skips row triggers there
        refused += [
            ("TRUNCATE documents CASCADE", "never deleted"),
            ("TRUNCATE log", "append-only"),
        ]
    for sql, message in refused:
        with store.engine.begin() as conn, pytest.raises(IntegrityError, match=message):
            conn.execute(text(sql), {"i": doc_id, "b": b"\x00"})
    assert store.original_of(doc_id) == b"A mine exploded near Musan."
    assert [e.action for e in store.log_entries()] == ["ingest"]
    # metadata stays editable (that is what update_metadata does)
    with store.engine.begin() as conn:
        conn.execute(text("UPDATE documents SET title = 'T' WHERE id = :i"), {"i": doc_id})
    store.close()


def test_verify_detects_a_tampered_original(db_url: str) -> None:
    store = Store.open(db_url)
    doc_id = _add(store)
    _add(store, b"Another report.")
    assert [m for _, m in store.verify()] == [None, None]
    # Someone edits the database behind minewatch's back (dropping the guard trigger).
    pg = store.engine.dialect.name == "postgresql"
    with store.engine.begin() as conn:
        conn.execute(
            text("DROP TRIGGER documents_original_immutable" + (" ON documents" if pg else ""))
        )
        conn.execute(
            text("UPDATE documents SET original = :b WHERE id = :i"),
            {"b": b"A mine exploded near Hyesan.", "i": doc_id},
        )
    store.close()
    bad = [m for _, m in Store.open(db_url).verify() if m is not None]
    assert [m.document_id for m in bad] == [doc_id]
    assert bad[0].expected != bad[0].actual


def _event(i: int) -> Event:
    return Event(
        id=f"e{i}",
        type="casualty",
        when=When("2023-10-11", "2023-10-20", "month_part", "mid-October"),
        where=[
            Place(text="Musan", name="Musan", place_id="kp-musan", precision=2, relation="near")
        ],
        casualties=Count.exact(5),
        evidence=[Evidence("casualties", 0, 6)],
    )


def test_re_extraction_replaces_events_never_duplicates(db_url: str) -> None:
    store = Store.open(db_url)
    doc_id = _add(store)
    store.replace_events(doc_id, [_event(1), _event(2)], "x1")
    store.replace_events(doc_id, [_event(1), _event(2), _event(10)], "x2")
    got = store.events(doc_id)
    assert [e.id for _, e in got] == ["e1", "e2", "e10"]
    assert got[0][1].casualties == Count(5, 5, 5)
    assert store.stats()["evidence"] == 3


def test_a_failed_write_leaves_nothing_half_written(db_url: str) -> None:
    store = Store.open(db_url)
    doc_id = _add(store)
    store.replace_events(doc_id, [_event(1)], "x1")
    broken = _event(2)
    broken.evidence = [Evidence("casualties", 0, None)]  # type: ignore[arg-type]  # NOT NULL violation
    with pytest.raises(IntegrityError):
        store.replace_events(doc_id, [_event(1), broken], "x2")
    assert [e.id for _, e in store.events(doc_id)] == ["e1"]  # the old run is intact


def test_decisions_are_append_only(db_url: str) -> None:
    store = Store.open(db_url)
    dec = store.add_decision("confirm", {"incident": "i1"}, reason="checked", who="analyst")
    assert [d.id for d in store.decisions()] == [dec]
    with store.engine.begin() as conn, pytest.raises(Exception, match="never"):
        conn.execute(text("DELETE FROM decisions"))
    with store.engine.begin() as conn, pytest.raises(IntegrityError, match="never"):
        conn.execute(text("UPDATE decisions SET reason = 'forged'"))
    assert store.decisions()[0].reason == "checked"
    assert store.log_entries()[-1].action == "decision:confirm"
