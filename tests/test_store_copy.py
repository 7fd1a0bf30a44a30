"""`minewatch copy`: a whole store moved between SQLite and PostgreSQL, nothing lost."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from sqlalchemy import text
from typer.testing import CliRunner

from minewatch.cli import app
from minewatch.pipeline import Pipeline
from minewatch.store import Store
from minewatch.store.copy import CopyError, copy_store

DEMO = Path(__file__).resolve().parents[1] / "src" / "minewatch" / "data" / "demo"


@pytest.fixture(scope="session")
def demo_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Six demo documents ingested, extracted, corroborated, with one decision (built once)."""
    db = tmp_path_factory.mktemp("copy") / "source.db"
    store = Store.open(db)
    pipe = Pipeline(store=store, who="test")
    pipe.ingest(sorted(DEMO.glob("0*.txt"))[:6])
    pipe.extract()
    incidents = pipe.corroborate()
    store.add_decision("confirm", {"incident": incidents[0].id}, reason="checked", who="analyst")
    store.close()
    return db


def _snapshot(store: Store) -> dict[str, object]:
    return {
        "documents": [(d, store.original_of(d.id), store.text_of(d.id)) for d in store.documents()],
        "events": store.events(),
        "incidents": [i.to_json() for i in store.incidents()],
        "decisions": store.decisions(),
        "links": store.source_links(),
        "log": [(e.id, e.at, e.who, e.action, e.detail) for e in store.log_entries()],
    }


def test_a_store_moves_to_postgresql_and_back_unchanged(
    demo_db: Path, pg_url: str, tmp_path: Path
) -> None:
    src = Store.open(demo_db)
    before = _snapshot(src)
    assert before["events"] and before["incidents"] and before["decisions"]
    pg = Store.open(pg_url)
    result = copy_store(src, pg, who="test")
    assert result.originals_verified == len(before["documents"])  # type: ignore[arg-type]
    on_pg = _snapshot(pg)
    *copied, entry = on_pg["log"]  # type: ignore[misc]
    assert entry[3] == "copy" and entry[4]["rows"]["documents"] == 6
    assert {**on_pg, "log": copied} == before
    # new rows after the copy get fresh ids (PostgreSQL sequences follow the copied ids)
    dec = pg.add_decision("reject", {"incident": "x"}, reason="test", who="analyst")
    assert dec == max(d.id for d in before["decisions"]) + 1  # type: ignore[attr-defined]

    back = Store.open(tmp_path / "back.db")
    copy_store(pg, back, who="test")
    again = _snapshot(back)
    assert again["documents"] == before["documents"] and again["events"] == before["events"]
    assert [m for _, m in back.verify() if m is not None] == []
    for s in (src, pg, back):
        s.close()


def test_a_tampered_original_stops_the_copy_and_leaves_nothing(
    demo_db: Path, db_url: str, tmp_path: Path
) -> None:
    bad = tmp_path / "bad.db"
    shutil.copy(demo_db, bad)
    src = Store.open(bad)
    with src.engine.begin() as conn:
        conn.execute(text("DROP TRIGGER documents_original_immutable"))
        conn.execute(text("UPDATE documents SET original = :b WHERE rowid = 2"), {"b": b"forged"})
    dest = Store.open(db_url)
    with pytest.raises(CopyError, match="original hashes to"):
        copy_store(src, dest)
    assert dest.stats()["documents"] == 0 and dest.log_entries() == []
    src.close()
    dest.close()


def test_copy_refuses_a_database_that_holds_data(demo_db: Path, tmp_path: Path) -> None:
    runner = CliRunner()
    target = tmp_path / "t.db"
    ok = runner.invoke(app, ["copy", "--from", str(demo_db), "--to", str(target), "--json"])
    assert ok.exit_code == 0, ok.output
    again = runner.invoke(app, ["copy", "--from", str(demo_db), "--to", str(target)])
    assert again.exit_code == 1
    assert "destination is not empty" in again.output and "Traceback" not in again.output
    assert Store.open(target).stats()["documents"] == 6
