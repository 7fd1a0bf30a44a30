"""Tamper evidence: the log is a hash chain and ``verify`` reports each forgery by row."""

from __future__ import annotations

import base64
import json
import sqlite3
from pathlib import Path

import pytest
from typer.testing import CliRunner

from minewatch.audit import verify_store
from minewatch.cli import app
from minewatch.export import ArchiveError, export_archive, import_archive
from minewatch.pipeline import Pipeline
from minewatch.store import Store

runner = CliRunner()
TEXTS = (
    "On Monday, a landmine killed two farmers near Musan, police said.",
    "Three soldiers were injured by a mine explosion near Kaesong last week.",
)


def _db(tmp_path: Path) -> Path:
    db = tmp_path / "m.db"
    store = Store.open(db)
    for i, text in enumerate(TEXTS):
        store.add_document(
            original=text.encode(),
            media_type="text/plain; charset=utf-8",
            input_id=f"{i}.txt",
            text=text,
            extractor="minewatch.plain",
            extractor_version="1",
            metadata={"published": "2023-11-07", "publisher": "Daily NK"},
            who="alice",
        )
    pipe = Pipeline(store=store, who="alice")
    pipe.extract()
    incidents = pipe.corroborate()
    store.add_decision("confirm", {"incident": incidents[0].id}, {}, "checked", who="alice")
    store.close()
    return db


def _problems(db: Path, **kw: object) -> list[str]:
    store = Store.open(db)
    try:
        return [str(p) for p in verify_store(store, **kw).problems]  # type: ignore[arg-type]
    finally:
        store.close()


def _sql(db: Path, *statements: str) -> None:
    con = sqlite3.connect(db)
    for s in statements:
        con.execute(s)
    con.commit()
    con.close()


def test_an_untouched_store_verifies_and_the_cli_prints_the_head(tmp_path: Path) -> None:
    db = _db(tmp_path)
    assert _problems(db) == []
    r = runner.invoke(app, ["verify", "--db", str(db), "--json"])
    assert r.exit_code == 0, r.output
    rep = json.loads(r.stdout)
    assert rep["texts_compared"] == 2 and rep["events_compared"] == 2
    assert rep["log_head"] and rep["objects_checked_against_log"] >= 5


TAMPERINGS = {
    "forged log row": (
        "INSERT INTO log (at, who, action, object_type, object_id, detail) VALUES "
        "('2020-01-01T00:00:00+00:00', 'mallory', 'ingest', 'document', 'x', '{}')",
        "chain: log",
    ),
    "changed metadata": (
        "UPDATE documents SET publisher = 'Forged' WHERE input_id = '0.txt'",
        "document: document sha256:",
    ),
    "changed ingested_by": (
        "UPDATE documents SET ingested_by = 'mallory'",
        "document: document sha256:",
    ),
    "changed text": (
        "UPDATE texts SET text = replace(text, 'two', 'ten')",
        "text: document sha256:",
    ),
    "changed event payload": (
        "UPDATE events SET payload = replace(payload, '\"best\": 2', '\"best\": 999')",
        "events: events of sha256:",
    ),
    "changed incident payload": ("UPDATE incidents SET confidence = 0.01", "incidents: incidents"),
    "forged decision": (
        "INSERT INTO decisions (kind, target, payload, reason, who, at) VALUES "
        "('reject', '{}', '{}', 'x', 'bob', '2020-01-01')",
        "decision: decision 2: no log entry records it",
    ),
}


@pytest.mark.parametrize("name", list(TAMPERINGS))
def test_each_tampering_is_reported_by_row(tmp_path: Path, name: str) -> None:
    db = _db(tmp_path)
    statement, expected = TAMPERINGS[name]
    _sql(db, statement)
    problems = _problems(db)
    assert any(p.startswith(expected) for p in problems), (name, problems)
    r = runner.invoke(app, ["verify", "--db", str(db)])
    assert r.exit_code == 1 and "MISMATCH" in r.stderr


def test_dropped_triggers_and_a_deleted_or_rewritten_log_are_reported(tmp_path: Path) -> None:
    db = _db(tmp_path)
    _sql(db, "DROP TRIGGER log_no_update", "UPDATE log SET who = 'mallory' WHERE id = 1")
    problems = _problems(db, rederive=False)
    assert "trigger: log_no_update: missing: the guard rail was dropped" in problems
    assert any(p.startswith("chain: log 1: content does not match") for p in problems)
    _sql(db, "DROP TRIGGER log_no_delete", "DELETE FROM log")
    problems = _problems(db, rederive=False)
    assert any(p.endswith("no log entry records it") and "document" in p for p in problems)


def test_a_consistent_rewrite_of_the_whole_log_is_caught_by_a_noted_head(tmp_path: Path) -> None:
    db = _db(tmp_path)
    store = Store.open(db)
    head = store.custody().head
    assert head
    store.close()
    # Forge: new publisher, then a whole new chain recording the forged state.
    _sql(db, "DROP TRIGGER log_no_delete", "DELETE FROM log")
    _sql(db, "UPDATE documents SET publisher = 'Forged'")
    store = Store.open(db)
    from minewatch.store import custody

    with store.write() as conn:
        for (doc_id,) in conn.exec_driver_sql("SELECT id FROM documents").all():
            store._log(
                conn,
                "mallory",
                "ingest",
                "document",
                doc_id,
                {},
                custody.document_state(conn, doc_id),
            )
            store._log(
                conn,
                "mallory",
                "extract",
                "document",
                doc_id,
                {},
                custody.events_state(conn, doc_id),
            )
        (dec,) = conn.exec_driver_sql("SELECT id FROM decisions").one()
        store._log(
            conn,
            "mallory",
            "decision:confirm",
            "decision",
            str(dec),
            {},
            custody.decision_state(conn, dec),
        )
        store._log(
            conn, "mallory", "corroborate", "incidents", None, {}, custody.incidents_state(conn)
        )
        store._log(
            conn,
            "mallory",
            "source_links",
            "source_links",
            None,
            {},
            custody.source_links_state(conn),
        )
    store.close()
    assert not [p for p in _problems(db, rederive=False) if not p.startswith("trigger")]
    problems = _problems(db, rederive=False, expect_head=head)
    assert f"chain: head: {head} is no longer in the chain" in problems


def test_import_re_derives_and_refuses_what_it_cannot_trust(tmp_path: Path) -> None:
    src = Store.open(_db(tmp_path))
    data = json.loads(json.dumps(export_archive(src)))
    good_events = json.dumps(data["events"])
    # forged text and killed=999: both re-derived from the original, not imported
    data["documents"][0]["text"] = "Nothing happened."
    for group in data["events"]:
        for ev in group["events"]:
            if ev.get("killed"):
                ev["killed"] = {"low": 999, "best": 999, "high": 999}
    # a fake reviewer: the archive's log never recorded this decision
    data["decisions"][0]["who"] = "the minister"
    dst = Store.memory()
    counts = import_archive(dst, data)
    assert counts["texts_differing"] == 1 and counts["events_differing"] >= 1
    assert counts["decisions_unverified"] == 1
    first = data["documents"][0]
    assert dst.text_of(first["id"]) == base64.b64decode(first["original_base64"]).decode()
    assert all((e.killed is None or e.killed.best != 999) for _, e in dst.events())
    dec = dst.decisions()[0]
    assert dec.who != "the minister" and dec.payload["unverified_who"] == "the minister"
    assert [str(p) for p in verify_store(dst).problems] == []
    assert any(e.action.startswith("archived:") for e in dst.log_entries())
    assert json.loads(good_events)  # the archive itself was not needed to be right
    # a broken chain in the archive is refused, with nothing written
    data2 = json.loads(json.dumps(export_archive(src)))
    data2["log"][1]["who"] = "mallory"
    empty = Store.memory()
    with pytest.raises(ArchiveError, match="hash chain"):
        import_archive(empty, data2)
    assert empty.documents() == []
    src.close()


def test_import_force_merges_atomically(tmp_path: Path) -> None:
    src = Store.open(_db(tmp_path))
    data = json.loads(json.dumps(export_archive(src)))
    dst = Store.memory()
    dst.add_document(
        original=b"A deminer was injured clearing a field near Cheorwon.",
        media_type="text/plain; charset=utf-8",
        input_id="mine.txt",
        text="A deminer was injured clearing a field near Cheorwon.",
        extractor="minewatch.plain",
        extractor_version="1",
        who="bob",
    )
    before = (len(dst.documents()), len(dst.log_entries()))
    broken = json.loads(json.dumps(data))
    broken["decisions"].append({"kind": "confirm"})  # no target: fails after documents
    with pytest.raises(ArchiveError):
        import_archive(dst, broken, force=True)
    assert (len(dst.documents()), len(dst.log_entries())) == before  # nothing landed
    counts = import_archive(dst, data, force=True)
    assert counts["documents"] == 2
    assert {m.input_id for m in dst.documents()} == {"mine.txt", "0.txt", "1.txt"}  # merged
    assert [str(p) for p in verify_store(dst).problems] == []
    src.close()


def test_an_old_database_gets_its_log_chained_on_upgrade(tmp_path: Path) -> None:
    db = tmp_path / "old.db"
    old = Store.open(db, migrate=False)
    old.migrate("0003")
    old.close()
    _sql(
        db,
        "INSERT INTO documents (id, sha256, original, size, media_type, input_id, metadata_json,"
        " ingested_at, ingested_by) VALUES ('sha256:559aead08264d5795d3909718cdd05abd49572e84fe"
        "55590eef31a88a08fdffd', '559aead08264d5795d3909718cdd05abd49572e84fe55590eef31a88a08fd"
        "ffd', x'41', 1, 'text/plain', 'a.txt', '{}', '2024-01-01T00:00:00+00:00', 'old')",
        "INSERT INTO texts VALUES ('sha256:559aead08264d5795d3909718cdd05abd49572e84fe55590eef31a"
        "88a08fdffd', 'A', 'minewatch.plain', '1', '2024-01-01T00:00:00+00:00')",
        "INSERT INTO log (at, who, action, object_type, object_id, detail) VALUES "
        "('2024-01-01T00:00:00+00:00', 'old', 'ingest', 'document', 'sha256:559aead08264d5795d39"
        "09718cdd05abd49572e84fe55590eef31a88a08fdffd', '{}')",
    )
    store = Store.open(db)
    rep = store.custody()
    assert rep.problems == [] and rep.entries == 1 and rep.unsealed == 1
    (entry,) = store.log_entries()
    assert entry.hash and entry.prev_hash is None
    store.log("note", "store", None, {"n": 1}, who="test")  # new entries follow the chain
    assert store.log_entries()[-1].prev_hash == entry.hash
    assert store.custody().problems == []
    with sqlite3.connect(db) as con:
        names = {r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type='trigger'")}
    assert "log_no_update" in names
    store.close()
