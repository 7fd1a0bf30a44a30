"""Two minewatch processes on one SQLite database: serialised, never a traceback.

The result must equal one run after the other and the exit codes must say what
happened. Real processes, started together.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from minewatch.audit import verify_store
from minewatch.store import Store

_MAIN = "from minewatch.cli import main; main()"


def _corpus(d: Path, n: int, offset: int = 0) -> Path:
    d.mkdir()
    for i in range(offset, offset + n):
        (d / f"{i:03d}.txt").write_text(
            f"Report {i}: on Monday {i % 7 + 2} soldiers were injured by a landmine near "
            f"post {i} at the border, officials said."
        )
    return d


def _together(*commands: list[str]) -> list[tuple[int, str]]:
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", _MAIN, *c],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
            env=env,
        )
        for c in commands
    ]
    out = []
    for p in procs:
        _, err = p.communicate(timeout=300)
        out.append((p.returncode, err))
    return out


def test_two_ingests_on_a_database_that_does_not_exist_yet(tmp_path: Path) -> None:
    a = _corpus(tmp_path / "a", 20)
    b = _corpus(tmp_path / "b", 20, offset=10)  # 10 documents in common
    db = tmp_path / "new.db"
    results = _together(["ingest", str(a), "--db", str(db)], ["ingest", str(b), "--db", str(db)])
    for code, err in results:
        assert code == 0, err
        assert "Traceback" not in err and "failed 0" in err
    added = sum(int(err.rsplit("added ", 1)[1].split(",")[0]) for _, err in results)
    assert added == 30  # each document stored once; the other process's are "present"
    store = Store.open(db)
    assert len(store.documents()) == 30
    assert verify_store(store, rederive=False).ok
    store.close()


def test_two_extracts_on_one_database_at_once(tmp_path: Path) -> None:
    a = _corpus(tmp_path / "a", 12)
    db = tmp_path / "m.db"
    results = _together(["extract", str(a), "--db", str(db)], ["extract", str(a), "--db", str(db)])
    for code, err in results:
        assert code == 0, err
        assert "Traceback" not in err and "IntegrityError" not in err
    store = Store.open(db)
    per_doc = {m.id: len(store.events(m.id)) for m in store.documents()}
    assert len(per_doc) == 12 and all(n == 1 for n in per_doc.values())  # never doubled
    rep = verify_store(store)
    assert rep.ok, [str(p) for p in rep.problems]
    store.close()
