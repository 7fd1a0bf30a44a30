"""``minewatch ingest`` on the command line: exit codes, lines, JSON, stdin."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from minewatch.cli import app
from minewatch.store import Store

runner = CliRunner()


def _ingest(*args: str, input: bytes | None = None) -> tuple[int, str, str]:
    result = runner.invoke(app, ["ingest", *args], input=input)
    return result.exit_code, result.stdout, result.stderr


def _flat(s: str) -> str:
    """Whitespace-normalised, for messages a console may wrap."""
    return " ".join(s.split())


def _docs(db: Path) -> int:
    store = Store.open(db)
    try:
        return len(store.documents())
    finally:
        store.close()


def test_seeds_twice_via_cli(seeds_dir: Path, tmp_path: Path) -> None:
    db = tmp_path / "m.db"
    code, out, err = _ingest(str(seeds_dir), "--db", str(db))
    assert code == 0, err
    assert out == ""  # messages for people go to stderr
    assert err.count("added ") == 6  # five document lines and the summary
    assert err.rstrip().endswith("added 5, already present 0, metadata updated 0, failed 0")
    code, _, err = _ingest(str(seeds_dir), "--db", str(db))
    assert code == 0
    assert "added 0, already present 5, metadata updated 0, failed 0" in err
    assert _docs(db) == 5


def test_bad_inputs_fail_the_exit_code_but_not_the_batch(tmp_path: Path) -> None:
    d = tmp_path / "in"
    d.mkdir()
    (d / "good.txt").write_text("A mine was found by a farmer.")
    (d / "empty.txt").write_bytes(b"")
    (d / "bin.txt").write_bytes(b"\x00\x01\x02" * 100)
    (d / "big.txt").write_text("mine " * 100)
    (d / "lines.jsonl").write_text('{"text": "Line one."}\n{bad\n{"text": "Line three."}\n')
    db = tmp_path / "m.db"
    code, _, err = _ingest(
        str(d), str(tmp_path / "gone.txt"), "--db", str(db), "--max-bytes", "200"
    )
    assert code == 1
    lines = [ln for ln in err.splitlines() if ln.startswith("error: ")]
    assert sorted(ln.split(": ", 2)[1] for ln in lines) == sorted(
        [
            str(tmp_path / "gone.txt"),
            str(d / "big.txt"),
            str(d / "bin.txt"),
            str(d / "empty.txt"),
            f"{d / 'lines.jsonl'}:2",
        ]
    )
    assert "added 3, already present 0, metadata updated 0, failed 5" in err
    assert _docs(db) == 3


def test_json_report(tmp_path: Path) -> None:
    f = tmp_path / "a.html"
    f.write_text(
        "<html><head><title>Blast</title></head><body><article><p>Two soldiers were "
        "injured by a mine near the border, officials said.</p></article></body></html>"
    )
    code, out, err = _ingest(str(f), "--db", str(tmp_path / "m.db"), "--json")
    assert code == 0, err
    report = json.loads(out)
    assert (report["added"], report["failed"]) == (1, 0)
    (doc,) = report["documents"]
    assert doc["input_id"] == str(f)
    assert doc["media_type"] == "text/html; charset=utf-8"
    assert doc["title"] == "Blast"


def test_stdin_with_metadata_flags(tmp_path: Path) -> None:
    db = tmp_path / "m.db"
    code, _, err = _ingest(
        "-",
        "--db",
        str(db),
        "--title",
        "Piped report",
        "--published",
        "2020-10",
        "--language",
        "en",
        input=b"Mines were laid along the Tumen river.\n",
    )
    assert code == 0, err
    store = Store.open(db)
    (meta,) = store.documents()
    store.close()
    assert (meta.input_id, meta.title, meta.published, meta.language) == (
        "-",
        "Piped report",
        "2020-10",
        "en",
    )


def test_flags_update_metadata_of_present_bytes(tmp_path: Path) -> None:
    f = tmp_path / "a.txt"
    f.write_text("A mine injured a child.")
    db = str(tmp_path / "m.db")
    assert _ingest(str(f), "--db", db)[0] == 0
    code, _, err = _ingest(str(f), "--db", db, "--publisher", "Daily NK")
    assert code == 0
    assert "updated " in err
    assert "added 0, already present 0, metadata updated 1, failed 0" in err


def test_usage_errors_exit_2(tmp_path: Path) -> None:
    f = tmp_path / "a.txt"
    f.write_text("Report.")
    db = str(tmp_path / "m.db")
    code, _, err = _ingest(str(f), "--db", db, "--published", "soon")
    assert code == 2 and "published 'soon'" in _flat(err)
    code, _, err = _ingest(str(tmp_path), "--db", db, "--title", "T")
    assert code == 2 and "one PATH" in _flat(err)
    code, _, err = _ingest(str(f), "--db", db, "--format", "pdf")
    assert code == 2
    code, _, err = _ingest(str(f), "--db", db, "--metadata", str(tmp_path / "none.csv"))
    assert code == 2 and "cannot read metadata file" in _flat(err)
    assert not (tmp_path / "m.db").exists()  # refused before the database was touched


def test_include_exclude_and_metadata_file(tmp_path: Path) -> None:
    d = tmp_path / "in"
    (d / "sub").mkdir(parents=True)
    (d / "a.txt").write_text("First mine report.")
    (d / "sub" / "b.txt").write_text("Second mine report.")
    (d / "c.dat").write_text("Third mine report.")
    meta = tmp_path / "meta.csv"
    meta.write_text("file,title,published\nc.dat,Data file,2024-06\n")
    db = tmp_path / "m.db"
    code, out, err = _ingest(
        str(d),
        "--db",
        str(db),
        "--include",
        "*.txt",
        "--include",
        "*.dat",
        "--exclude",
        "sub/*",
        "--metadata",
        str(meta),
        "--json",
    )
    assert code == 0, err
    report = json.loads(out)
    assert [Path(x["input_id"]).name for x in report["documents"]] == ["a.txt", "c.dat"]
    assert report["documents"][1]["title"] == "Data file"
    assert report["skipped"] == [str(d / "sub" / "b.txt")]


_MAIN = "from minewatch.cli import main; main()"
N_FILES = 150  # enough that the signal lands mid-batch


def _start_and_stop(tmp_path: Path, sig: signal.Signals) -> tuple[int, str, Path]:
    """Run a real `minewatch ingest` process and send it ``sig`` once it has
    stored at least one document."""
    d = tmp_path / "many"
    d.mkdir()
    for i in range(N_FILES):
        (d / f"{i:04d}.txt").write_text(f"Report {i}: a mine exploded near post {i}.")
    db = tmp_path / "m.db"
    proc = subprocess.Popen(
        [sys.executable, "-c", _MAIN, "ingest", str(d), "--db", str(db)],
        stderr=subprocess.PIPE,
        stdout=subprocess.DEVNULL,
        text=True,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )
    assert proc.stderr is not None
    seen = []
    for line in proc.stderr:
        seen.append(line)
        if line.startswith("added "):
            break
    proc.send_signal(sig)
    rest = proc.stderr.read()
    return proc.wait(timeout=60), "".join(seen) + rest, db


def _assert_consistent(db: Path) -> int:
    store = Store.open(db)
    try:
        docs = store.documents()
        for m in docs:
            assert store.text_of(m.id)  # every stored document has its text
        assert all(mm is None for _, mm in store.verify())
        ingests = [e for e in store.log_entries() if e.action == "ingest"]
        assert len(ingests) == len(docs)
        return len(docs)
    finally:
        store.close()


@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGKILL])
def test_interrupted_process_leaves_only_complete_documents(
    tmp_path: Path, sig: signal.Signals
) -> None:
    code, err, db = _start_and_stop(tmp_path, sig)
    n = _assert_consistent(db)
    assert n >= 1
    if sig == signal.SIGINT and n < N_FILES:
        assert code == 130
        assert "interrupted" in err
    # Running the same command again completes the batch without duplicates.
    code, _, err = _ingest(str(tmp_path / "many"), "--db", str(db))
    assert code == 0
    assert f"added {N_FILES - n}, already present {n}," in err
    assert _assert_consistent(db) == N_FILES
