"""Confidential documents: marked at ingest, by a sidecar or a decision; kept marked."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

from typer.testing import CliRunner

from minewatch.cli import app
from minewatch.export import export_archive, import_archive
from minewatch.model import DocumentMeta
from minewatch.store import Store

runner = CliRunner()


def _write(d: Path, name: str, body: str) -> Path:
    p = d / name
    p.write_text(body, encoding="utf-8")
    return p


def _ids(db: Path) -> tuple[frozenset[str], dict[str, str]]:
    store = Store.open(db)
    try:
        by_input = {m.input_id.rsplit("/", 1)[-1]: m.id for m in store.documents()}
        return store.confidential_document_ids(), by_input
    finally:
        store.close()


def test_ingest_flag_marks_the_batch_and_a_second_ingest_never_unmarks(tmp_path: Path) -> None:
    a = _write(tmp_path, "a.txt", "Two soldiers were injured by a mine near Musan.")
    db = tmp_path / "m.db"
    r = runner.invoke(app, ["ingest", str(a), "--db", str(db), "--confidential", "--json"])
    assert r.exit_code == 0, r.output
    assert json.loads(r.stdout)["documents"][0]["confidential"] is True
    marked, by_input = _ids(db)
    assert marked == {by_input["a.txt"]}
    r = runner.invoke(app, ["ingest", str(a), "--db", str(db)])
    assert r.exit_code == 0
    assert _ids(db)[0] == marked  # the same bytes again without the flag: still marked


def test_a_present_document_is_marked_by_a_later_confidential_ingest(tmp_path: Path) -> None:
    a = _write(tmp_path, "a.txt", "A farmer found a mine in a field near Hyesan.")
    db = tmp_path / "m.db"
    assert runner.invoke(app, ["ingest", str(a), "--db", str(db)]).exit_code == 0
    assert _ids(db)[0] == frozenset()
    r = runner.invoke(app, ["ingest", str(a), "--db", str(db), "--confidential"])
    assert r.exit_code == 0
    assert "metadata updated 1" in " ".join(r.stderr.split())
    assert len(_ids(db)[0]) == 1


def test_sidecar_column_marks_single_files_and_a_bad_value_is_one_error(tmp_path: Path) -> None:
    d = tmp_path / "in"
    d.mkdir()
    _write(d, "a.txt", "Mines were laid along the border in August.")
    _write(d, "b.txt", "A mine exploded near Kaesong, killing one soldier.")
    _write(d, "c.txt", "Deminers cleared a field near Cheorwon.")
    (d / "sources.csv").write_text(
        "file,title,confidential\na.txt,A,yes\nb.txt,B,\nc.txt,C,perhaps\n", encoding="utf-8"
    )
    db = tmp_path / "m.db"
    r = runner.invoke(app, ["ingest", str(d), "--db", str(db)])
    assert r.exit_code == 1  # c.txt has a value that is neither yes nor no
    assert "c.txt" in r.stderr and "confidential" in r.stderr
    marked, by_input = _ids(db)
    assert marked == {by_input["a.txt"]}
    assert "c.txt" not in by_input


def test_decision_marks_and_unmarks_with_the_log_and_decisions_kept(tmp_path: Path) -> None:
    a = _write(tmp_path, "a.txt", "Three civilians were killed by a landmine near Musan.")
    db = tmp_path / "m.db"
    assert runner.invoke(app, ["ingest", str(a), "--db", str(db)]).exit_code == 0
    r = runner.invoke(app, ["confidential", "a.txt", "--db", str(db), "--reason", "at risk"])
    assert r.exit_code == 0, r.output
    marked, by_input = _ids(db)
    assert marked == {by_input["a.txt"]}
    r = runner.invoke(app, ["show", "a.txt", "--db", str(db)])
    assert "confidential: yes" in r.stdout
    assert runner.invoke(app, ["confidential", "a.txt", "--db", str(db), "--unmark"]).exit_code == 0
    assert _ids(db)[0] == frozenset()
    store = Store.open(db)
    kinds = [(d.kind, d.payload["confidential"], d.reason) for d in store.decisions()]
    assert kinds == [("confidential", True, "at risk"), ("confidential", False, None)]
    actions = [e.action for e in store.log_entries()][-4:]
    assert actions == ["decision:confidential", "mark_confidential"] * 2
    store.close()
    r = runner.invoke(app, ["confidential", "nothing-like-this", "--db", str(db)])
    assert r.exit_code == 1 and "no document matches" in r.stderr


def test_document_meta_and_archive_keep_the_mark() -> None:
    src = Store.memory()
    for i, conf in enumerate((True, False)):
        src.add_document(
            original=f"A mine exploded near Musan, report {i}.".encode(),
            media_type="text/plain",
            input_id=f"{i}.txt",
            text=f"A mine exploded near Musan, report {i}.",
            extractor="plain",
            extractor_version="1",
            who="test",
            confidential=conf,
        )
    metas = {m.input_id: m for m in src.documents()}
    assert metas["0.txt"].confidential and not metas["1.txt"].confidential
    assert metas["0.txt"].to_json()["confidential"] is True
    assert "confidential" not in metas["1.txt"].to_json()  # Event JSON unchanged when false
    assert DocumentMeta.from_json(metas["0.txt"].to_json()) == metas["0.txt"]
    data = json.loads(json.dumps(export_archive(src)))
    assert [d["confidential"] for d in data["documents"]] == [True, False]
    dst = Store.memory()
    import_archive(dst, data)
    assert dst.confidential_document_ids() == src.confidential_document_ids() == {metas["0.txt"].id}


def test_old_databases_gain_the_column_unmarked(tmp_path: Path) -> None:
    db = tmp_path / "old.db"
    old = Store.open(db, migrate=False)
    old.migrate("0003")
    old.close()
    con = sqlite3.connect(db)
    con.execute(
        "INSERT INTO documents (id, sha256, original, size, media_type, input_id, metadata_json,"
        " ingested_at, ingested_by) VALUES ('sha256:00', '00', x'41', 1, 'text/plain', 'x.txt',"
        " '{}', '2024-01-01T00:00:00+00:00', 'test')"
    )
    con.commit()
    con.close()
    store = Store.open(db)
    assert store.is_confidential("sha256:00") is False
    assert store.confidential_document_ids() == frozenset()
    with sqlite3.connect(db) as con:
        triggers = {
            r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type='trigger'")
        }
    assert "documents_original_immutable" in triggers  # adding the column kept the triggers
    store.close()
