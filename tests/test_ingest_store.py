"""Ingesting into the store: idempotence, metadata updates, one transaction per document."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import event, func, select

from minewatch.ingest import ingest_paths
from minewatch.store import Store
from minewatch.store import schema as t

WHO = "tester (pytest)"


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    s = Store.open(tmp_path / "ingest.db")
    yield s
    s.close()


def _counts(store: Store) -> dict[str, int]:
    with store.engine.connect() as conn:
        return {
            name: int(conn.execute(select(func.count()).select_from(table)).scalar_one())
            for name, table in [("documents", t.documents), ("texts", t.texts)]
        }


def _ingest_log(store: Store) -> list[str]:
    return [e.object_id or "" for e in store.log_entries() if e.action == "ingest"]


def test_seeds_twice_store_exactly_five(seeds_dir: Path, store: Store) -> None:
    first = ingest_paths([str(seeds_dir)], store, who=WHO)
    assert (first.added, first.present, first.updated, first.failed) == (5, 0, 0, 0)
    second = ingest_paths([str(seeds_dir)], store, who=WHO)
    assert (second.added, second.present, second.updated, second.failed) == (0, 5, 0, 0)
    assert second.summary() == "added 0, already present 5, metadata updated 0, failed 0"
    assert _counts(store) == {"documents": 5, "texts": 5}
    assert len(_ingest_log(store)) == 5
    by_name = {Path(m.input_id).name[:3]: m for m in store.documents()}
    assert by_name["000"].published == "2020-10"  # partial stays partial
    assert by_name["004"].published == "2025"
    assert by_name["002"].publisher == "Daily NK"
    doc = store.get_document(by_name["002"].id)
    assert doc is not None
    assert doc.media_type == "text/plain; charset=utf-8"
    original = (seeds_dir / Path(by_name["002"].input_id).name).read_bytes()
    assert store.original_of(by_name["002"].id) == original
    assert all(m is None for _, m in store.verify())


def test_same_bytes_new_metadata_is_updated_through_the_log(tmp_path: Path, store: Store) -> None:
    f = tmp_path / "a.txt"
    f.write_text("Two farmers were injured by a mine.")
    r1 = ingest_paths([str(f)], store, who=WHO, overrides={"published": "2020-10"})
    assert r1.added == 1
    r2 = ingest_paths([str(f)], store, who=WHO, overrides={"published": "2020-10"})
    assert r2.present == 1
    r3 = ingest_paths([str(f)], store, who=WHO, overrides={"published": "2020-10-22"})
    assert r3.updated == 1 and r3.results[0].status == "updated"
    assert _counts(store) == {"documents": 1, "texts": 1}
    (meta,) = store.documents()
    assert meta.published == "2020-10-22"
    (update,) = [e for e in store.log_entries() if e.action == "update_metadata"]
    assert update.detail["published"] == {"old": "2020-10", "new": "2020-10-22"}


def test_file_and_jsonl_copy_of_one_article_dedup(tmp_path: Path, store: Store) -> None:
    text = "Soldiers laid mines near the river crossing, a source said.\n"
    (tmp_path / "a.txt").write_text(text, encoding="utf-8")
    (tmp_path / "b.jsonl").write_text(json.dumps({"id": "b1", "text": text}) + "\n")
    report = ingest_paths([str(tmp_path)], store, who=WHO)
    assert [r.status for r in report.results] == ["added", "present"]
    assert _counts(store)["documents"] == 1


def _batch(tmp_path: Path) -> Path:
    d = tmp_path / "batch"
    d.mkdir()
    for i, body in enumerate(["First", "Second", "Third"], start=1):
        (d / f"{i}.txt").write_text(f"{body} report of a mine blast near the border.")
    return d


def _fail_on_second_text_insert(store: Store, exc: BaseException) -> None:
    """Raise ``exc`` while the 2nd document is being written: its documents row
    is already inserted in the open transaction, its text row is not."""
    seen = {"n": 0}

    def before(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        if statement.lstrip().upper().startswith("INSERT INTO TEXTS"):
            seen["n"] += 1
            if seen["n"] == 2:
                raise exc

    event.listen(store.engine, "before_cursor_execute", before)


def _assert_only_complete_documents(db: Path, expected: int) -> None:
    fresh = Store.open(db)  # a new connection sees only what was committed
    try:
        counts = _counts(fresh)
        assert counts == {"documents": expected, "texts": expected}
        ids = {m.id for m in fresh.documents()}
        assert set(_ingest_log(fresh)) == ids
        for doc_id in ids:
            assert fresh.text_of(doc_id)
        assert all(m is None for _, m in fresh.verify())
    finally:
        fresh.close()


def test_store_error_mid_batch_leaves_no_half_document(tmp_path: Path, store: Store) -> None:
    _fail_on_second_text_insert(store, RuntimeError("disk on fire"))
    report = ingest_paths([str(_batch(tmp_path))], store, who=WHO)
    assert report.added == 2 and report.failed == 1
    (e,) = report.errors
    assert e.path.endswith("2.txt") and e.reason == "store error: disk on fire"
    _assert_only_complete_documents(tmp_path / "ingest.db", 2)


def test_interrupt_mid_batch_leaves_no_half_document(tmp_path: Path, store: Store) -> None:
    _fail_on_second_text_insert(store, KeyboardInterrupt())
    seen: list[str] = []
    with pytest.raises(KeyboardInterrupt):
        ingest_paths(
            [str(_batch(tmp_path))],
            store,
            who=WHO,
            progress=lambda _i, _n, item: seen.append(str(item)),
        )
    assert len(seen) == 1  # the first document was stored, then the interrupt stopped the batch
    _assert_only_complete_documents(tmp_path / "ingest.db", 1)
    # Re-running the batch completes it: nothing duplicated, nothing lost.
    store.close()
    again = Store.open(tmp_path / "ingest.db")
    report = ingest_paths([str(tmp_path / "batch")], again, who=WHO)
    assert (report.added, report.present) == (2, 1)
    again.close()
    _assert_only_complete_documents(tmp_path / "ingest.db", 3)


def test_errors_and_documents_in_one_report(tmp_path: Path, store: Store) -> None:
    d = _batch(tmp_path)
    (d / "0.txt").write_bytes(b"")
    report = ingest_paths([str(d), str(tmp_path / "missing.txt")], store, who=WHO)
    assert report.summary() == "added 3, already present 0, metadata updated 0, failed 2"
    assert not report.ok
    data = report.to_json()
    assert [e["reason"] for e in data["errors"]] == ["no such file or directory", "empty file"]
    assert [r["status"] for r in data["documents"]] == ["added"] * 3
    assert all(r["document_id"].startswith("sha256:") for r in data["documents"])
