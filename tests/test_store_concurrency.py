"""Concurrent writers, as real processes on one database: nothing lost, nothing doubled."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from minewatch.store import Store

DEMO = Path(__file__).resolve().parents[1] / "src" / "minewatch" / "data" / "demo"
CLI = [sys.executable, "-c", "from minewatch.cli import main; main()"]


def _start(*args: str) -> subprocess.Popen[str]:
    env = {**os.environ, "COLUMNS": "200"}
    return subprocess.Popen(
        [*CLI, *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env
    )


def _finish(p: subprocess.Popen[str]) -> tuple[int, str, str]:
    out, err = p.communicate(timeout=300)
    return p.returncode, out, err


def test_two_ingests_at_once_store_each_document_once(db_url: str) -> None:
    # both start on a database that does not exist yet (the migration race too)
    a = _start("ingest", str(DEMO), "--db", db_url, "--json")
    b = _start("ingest", str(DEMO), "--db", db_url, "--json")
    results = [_finish(a), _finish(b)]
    for code, _, err in results:
        assert code == 0 and "Traceback" not in err, err
    reports = [json.loads(out) for _, out, _ in results]
    statuses = sorted(r["status"] for rep in reports for r in rep["documents"])
    assert statuses == ["added"] * 18 + ["present"] * 18  # each stored by one of the two
    assert [rep["failed"] for rep in reports] == [0, 0]
    store = Store.open(db_url)
    assert len(store.documents()) == 18
    assert [e.action for e in store.log_entries()].count("ingest") == 18
    assert [m for _, m in store.verify() if m is not None] == []
    store.close()


def test_a_review_decision_beside_a_re_extraction_is_kept(db_url: str) -> None:
    code, _, err = _finish(_start("extract", str(DEMO), "--db", db_url))
    assert code == 0, err
    store = Store.open(db_url)
    n_events, incidents = len(store.events()), store.incidents()
    target = incidents[0].id
    store.close()

    extract = _start("extract", str(DEMO), "--db", db_url)
    decide = _start("incidents", "confirm", target, "--db", db_url, "--reason", "seen it")
    for code, _, err in (_finish(decide), _finish(extract)):
        assert code == 0 and "Traceback" not in err, err

    store = Store.open(db_url)
    assert len(store.events()) == n_events  # replaced, not doubled
    assert [(d.kind, d.reason) for d in store.decisions()] == [("confirm", "seen it")]
    assert len(store.incidents()) == len(incidents)
    store.close()
    # whichever finished first, the next corroboration applies the decision
    code, _, err = _finish(_start("corroborate", "--db", db_url))
    assert code == 0, err
    store = Store.open(db_url)
    assert {i.id: i.review for i in store.incidents()}[target] == "confirmed"
    store.close()
