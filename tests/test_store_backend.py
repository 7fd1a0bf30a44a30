"""Backend layer: URLs are never paths, dialect-specific DDL behaves alike on both."""

from __future__ import annotations

from pathlib import Path

import pytest
from alembic.operations import Operations
from alembic.runtime.migration import MigrationContext
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError

from minewatch.store import Store
from minewatch.store.backend import (
    BackendError,
    database_url,
    forbid,
    fulltext_index,
    fulltext_search,
    is_url,
    redact,
)


def test_a_url_is_never_taken_as_a_path(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    assert database_url("postgresql://u@h/db") == "postgresql+psycopg://u@h/db"
    assert database_url("postgres://u:pw@h:5433/db") == "postgresql+psycopg://u:pw@h:5433/db"
    assert database_url("data/m.db") == "sqlite:///data/m.db"
    assert database_url("sqlite:///x.db") == "sqlite:///x.db"
    assert is_url("postgresql+psycopg://u@h/db") and not is_url("dir/postgresql.db")
    with pytest.raises(BackendError, match="unsupported database 'mysql'"):
        database_url("mysql://u@h/db")
    with pytest.raises(BackendError, match="not a database URL"):
        database_url("postgresql+psycopg://u@h:notaport/db")
    assert list(tmp_path.iterdir()) == [tmp_path / "data"]  # nothing made for the URLs
    assert redact("postgresql+psycopg://u:secret@h/db") == "postgresql+psycopg://u:***@h/db"


def _ops(conn: object) -> Operations:
    return Operations(MigrationContext.configure(conn))  # type: ignore[arg-type]


def test_full_text_search_finds_the_same_rows_on_both_backends(db_url: str) -> None:
    store = Store.open(db_url)
    texts = {
        "a": "Two soldiers were injured by a landmine near Musan.",
        "b": "A wooden box mine washed up on the riverbank near Hyesan.",
        "c": "Soldiers cleared the landmine field; the mine clearance went on.",
    }
    with store.engine.begin() as conn:
        conn.execute(text("CREATE TABLE notes (k VARCHAR(10) PRIMARY KEY, body TEXT NOT NULL)"))
        conn.execute(text("INSERT INTO notes VALUES (:k, :b)"), [{"k": "a", "b": texts["a"]}])
        fulltext_index(_ops(conn), "notes_fts", "notes", "body")  # rows before the index count
        conn.execute(
            text("INSERT INTO notes VALUES (:k, :b)"),
            [{"k": k, "b": b} for k, b in texts.items() if k != "a"],
        )
        conn.execute(text("DELETE FROM notes WHERE k = 'b'"))
        conn.execute(
            text("INSERT INTO notes VALUES ('d', 'Box mine found in Hyesan after the flood.')")
        )

    def search(q: str) -> list[str]:
        with store.engine.connect() as conn:
            found = fulltext_search(
                conn, q, name="notes_fts", table="notes", column="body", key="k"
            )
            return sorted(found)

    assert search("landmine soldiers") == ["a", "c"]
    assert search("Hyesan box") == ["d"]  # the deleted row is gone from the index
    assert search("MINE*") == ["c", "d"]  # no prefix syntax, no case: whole words
    assert search('"hyesan') == ["d"]  # a stray quote is no error
    assert search("!!!") == []
    store.close()


def test_a_guard_refuses_the_change_on_both_backends(db_url: str) -> None:
    store = Store.open(db_url)
    with store.engine.begin() as conn:
        conn.execute(text("CREATE TABLE sealed (k INTEGER PRIMARY KEY, v TEXT, note TEXT)"))
        conn.execute(text("INSERT INTO sealed VALUES (1, 'kept', 'n')"))
        forbid(_ops(conn), "sealed_v", "sealed", "UPDATE", "v is sealed", columns=("v",))
        forbid(_ops(conn), "sealed_no_delete", "sealed", "DELETE", "rows stay")
    for sql, msg in [("UPDATE sealed SET v = 'x'", "v is sealed"), ("DELETE FROM sealed", "stay")]:
        with store.engine.begin() as conn, pytest.raises(IntegrityError, match=msg):
            conn.execute(text(sql))
    with store.engine.begin() as conn:
        conn.execute(text("UPDATE sealed SET note = 'changed'"))
        assert conn.execute(text("SELECT v, note FROM sealed")).one() == ("kept", "changed")
    store.close()


def test_document_search_agrees_on_both_backends(db_url: str) -> None:
    store = Store.open(db_url)
    docs = {
        "a.txt": ("Mines on the path", "Two farmers gathering firewood stepped on a mine."),
        "b.txt": ("Clearance resumes", "Deminers did not find any mines near the farm."),
        "c.txt": ("Flood warning", "A box mine washed up; firewood and farmers were spared."),
    }
    for name, (title, body) in docs.items():
        store.add_document(
            original=body.encode(),
            media_type="text/plain",
            input_id=name,
            text=body,
            extractor="plain",
            extractor_version="1",
            metadata={"title": title},
            who="test",
        )

    def found(q: str) -> list[str]:
        return sorted(h.meta.input_id for h in store.search_documents(q))

    assert found("firewood farmers") == ["a.txt", "c.txt"]
    assert found('"farmers gathering firewood"') == ["a.txt"]  # a phrase: adjacent words
    assert found('"firewood farmers"') == []
    assert found("farmer mined") == ["a.txt", "c.txt"]  # English stems both ways
    assert found("NOT") == ["b.txt"]  # no stop words dropped
    assert found("clearance") == ["b.txt"]  # the title counts
    assert found("* ^ ( :") == [] and found("mine | farm") == found("mine farm")
    hit = store.search_documents("deminers")[0]
    assert "\x02" in hit.snippet and "\x03" in hit.snippet
    store.close()
