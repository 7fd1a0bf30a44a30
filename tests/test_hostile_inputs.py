"""Inputs that used to hang or crash a batch: each gets one error line, the rest lands."""

from __future__ import annotations

import io
import json
import os
import sys
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from minewatch.cli import app
from minewatch.ingest import read_inputs
from minewatch.ingest.metadata import MetadataError, normalize_published
from minewatch.model import Count, Event
from minewatch.store import Store

runner = CliRunner()
GOOD = "Two soldiers were injured by a landmine near Musan on Monday."


def _flat(s: str) -> str:
    return " ".join(s.split())


def _good(d: Path) -> Path:
    p = d / "good.txt"
    p.write_text(GOOD, encoding="utf-8")
    return p


def _ingest(*args: str) -> tuple[int, str]:
    r = runner.invoke(app, ["ingest", *args])
    return r.exit_code, _flat(r.stderr)


def _extract(*args: str) -> tuple[int, str, str]:
    r = runner.invoke(app, ["extract", *args])
    return r.exit_code, r.stdout, _flat(r.stderr)


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs here")
def test_a_fifo_named_or_in_a_directory_is_refused_not_read(tmp_path: Path) -> None:
    d = tmp_path / "in"
    d.mkdir()
    _good(d)
    os.mkfifo(d / "pipe.txt")  # nobody writes: reading it would block forever
    db = tmp_path / "m.db"
    code, err = _ingest(str(d), str(d / "pipe.txt"), "--db", str(db))
    assert code == 1
    assert err.count("not a regular file (a FIFO)") == 2
    assert "added 1" in err
    code, out, err = _extract(str(d), "--no-store")
    assert code == 1 and "not a regular file (a FIFO)" in err and len(out.splitlines()) == 1


@pytest.mark.skipif(not Path("/dev/zero").exists(), reason="no /dev/zero")
def test_a_device_is_refused_and_stdin_reading_stops_at_the_size_limit(tmp_path: Path) -> None:
    docs, errors = read_inputs(["/dev/zero", str(_good(tmp_path))])
    assert [str(e) for e in errors] == ["/dev/zero: not a regular file (a character device)"]
    assert len(docs) == 1

    class Endless(io.RawIOBase):
        """A stdin that never ends: only max_bytes + 1 bytes may be read."""

        def __init__(self) -> None:
            self.read_total = 0

        def readable(self) -> bool:
            return True

        def readinto(self, buf: Any) -> int:
            buf[:] = b"a" * len(buf)
            self.read_total += len(buf)
            return len(buf)

    src = Endless()
    docs, errors = read_inputs(["-"], stdin=src, max_bytes=10_000)  # type: ignore[arg-type]
    assert docs == [] and "over size limit" in str(errors[0])
    assert src.read_total < 100_000


def test_deep_nan_and_surrogate_jsonl_lines_fail_alone(tmp_path: Path) -> None:
    lines = [
        "[" * 100_000 + "]" * 100_000,
        '{"id": "s", "text": "mine \\ud800 here"}',
        '{"id": "t", "text": "' + GOOD + '", "title": "\\udfff"}',
        '{"id": "n", "text": "' + GOOD + '", "title": NaN}',
        json.dumps({"id": "ok", "text": GOOD}),
    ]
    src = tmp_path / "in.jsonl"
    src.write_text("\n".join(lines) + "\n", encoding="utf-8")
    db = tmp_path / "m.db"
    code, err = _ingest(str(src), "--db", str(db))
    assert code == 1 and "Traceback" not in err
    assert f"{src}:1: malformed JSONL line: nested too deeply" in err
    assert f"{src}:2: JSONL field 'text' holds a lone surrogate" in err
    assert f"{src}:3: JSONL field 'title' holds a lone surrogate" in err
    assert f"{src}:4: malformed JSONL line: NaN is not a JSON value" in err
    assert "added 1" in err and "failed 4" in err
    code, out, err = _extract(str(src), "--no-store")
    assert code == 1 and len(out.splitlines()) == 1


@pytest.mark.skipif(sys.platform != "linux", reason="Linux file names are bytes")
def test_a_file_name_that_is_not_utf8_is_stored_under_an_escaped_name(tmp_path: Path) -> None:
    d = tmp_path / "in"
    d.mkdir()
    raw = os.fsencode(d) + b"/caf\xe9.txt"
    with open(raw, "wb") as fh:
        fh.write(GOOD.encode())
    db = tmp_path / "m.db"
    code, err = _ingest(str(d), "--db", str(db))
    assert code == 0, err
    store = Store.open(db)
    assert [m.input_id.rsplit("/", 1)[-1] for m in store.documents()] == ["caf\\xe9.txt"]
    store.close()
    code, out, err = _extract(str(d), "--db", str(db))
    assert code == 0, err
    assert json.loads(out)["document"]["input_id"].endswith("caf\\xe9.txt")


def test_rich_markup_in_user_text_is_printed_as_text(tmp_path: Path) -> None:
    d = tmp_path / "[" / "bold]"  # the path holds "[/bold]"
    d.mkdir(parents=True)
    (d / "x.bin").write_bytes(b"\x00\x01binary")
    code, _out, err = _extract(str(d / "x.bin"), "--no-store")
    assert code == 1 and "[/bold]" in err
    code, err = _ingest(str(_good(tmp_path)), "--published", "[/x]", "--db", str(tmp_path / "m.db"))
    assert code == 2 and "[/x]" in err and "not a date" in err
    db = tmp_path / "p.db"
    (tmp_path / "pub.txt").write_text(GOOD, encoding="utf-8")
    args = [str(tmp_path / "pub.txt"), "--publisher", "[/y] pub", "--published", "2023-11-07"]
    assert _ingest(*args, "--db", str(db))[0] == 0
    assert _extract(str(tmp_path / "pub.txt"), "--db", str(db))[0] == 0
    incidents = runner.invoke(app, ["incidents", "--db", str(db)])
    assert incidents.exit_code == 0, incidents.output
    inc = Store.open(db).incidents()[0].id
    shown = runner.invoke(app, ["incidents", "show", inc, "--db", str(db)])
    assert shown.exit_code == 0 and "[/y] pub" in shown.stdout
    log = runner.invoke(app, ["log", "--db", str(db)])
    assert log.exit_code == 0


def test_a_malformed_sidecar_is_one_error_not_swallowed_rows(tmp_path: Path) -> None:
    d = tmp_path / "in"
    d.mkdir()
    _good(d)
    (d / "sources.csv").write_text('file,title\ngood.txt,"Unterminated\nother.txt,B\n')
    code, err = _ingest(str(d), "--db", str(tmp_path / "m.db"))
    assert code == 1 and "sources.csv" in err and "malformed CSV" in err


def test_a_count_too_large_for_the_database_is_kept_in_json_only(tmp_path: Path) -> None:
    doc = tmp_path / "big.txt"
    doc.write_text("A landmine killed 99999999999999999999 people near Musan on Monday.")
    db = tmp_path / "m.db"
    code, _out, err = _extract(str(doc), "--db", str(db))
    assert code == 0, err  # whatever the extractor reads there, the store takes it
    store = Store.open(db)
    (meta,) = store.documents()
    huge = Event(id="e1", type="casualty", killed=Count.exact(99999999999999999999))
    store.replace_events(meta.id, [huge], "test", who="test")
    [(_, ev)] = store.events()
    assert ev.killed is not None and ev.killed.best == 99999999999999999999  # JSON keeps it
    with store.engine.connect() as conn:
        assert conn.exec_driver_sql("SELECT killed_best FROM events").scalar() is None
    store.close()


def test_a_directory_named_like_a_file_and_skipped_inputs_set_the_exit_code(
    tmp_path: Path,
) -> None:
    (tmp_path / "article.txt").mkdir()
    (tmp_path / "article.txt" / "inner.txt").write_text(GOOD)
    docs, _errors = read_inputs([str(tmp_path / "article.txt")])
    assert [d.input_id for d in docs] == [str(tmp_path / "article.txt" / "inner.txt")]
    assert all(d.text for d in docs)
    code, _, err = _extract(str(tmp_path / "missing.txt"), str(_good(tmp_path)), "--no-store")
    assert code == 1 and "1 inputs skipped" in err


def test_html_nested_deeper_than_libxml2_allows_keeps_its_text(tmp_path: Path) -> None:
    page = tmp_path / "deep.html"
    body = "<div>" * 300 + f"<p>{GOOD}</p>" + "</div>" * 300
    page.write_text(f"<html><head><title>t</title></head><body>{body}</body></html>")
    docs, errors = read_inputs([str(page)])
    assert errors == [] and docs[0].text == GOOD


@pytest.mark.parametrize("value", ["2024-02-29T25:99", "２０２４-０１", "2023-11-07Tnoon"])
def test_published_values_that_are_not_dates_are_refused(value: str) -> None:
    with pytest.raises(MetadataError):
        normalize_published(value)
    assert normalize_published("2024-02-29T23:59") == "2024-02-29"


def test_extract_db_uses_the_stored_publication_date_and_minewatch_db(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    doc = tmp_path / "oct.txt"
    doc.write_text("In mid-October, a landmine killed three soldiers near Kaesong.")
    db = tmp_path / "m.db"
    assert _ingest(str(doc), "--published", "2023-11-07", "--db", str(db))[0] == 0
    monkeypatch.setenv("MINEWATCH_DB", str(db))
    code, out, err = _extract(str(doc))
    assert code == 0, err
    when = json.loads(out)["events"][0]["when"]
    assert (when["start"], when["end"]) == ("2023-10-11", "2023-10-20")
    # documents already stored are extracted without their paths; --no-store beats the env
    code, out, err = _extract("--stored")
    assert code == 0 and json.loads(out)["document"]["published"] == "2023-11-07"
    code, out, _ = _extract(str(doc), "--no-store")
    assert code == 0 and json.loads(out)["events"][0]["when"]["precision"] == "unknown"


def test_evidence_offsets_index_the_stored_text_whatever_the_file_is_called(
    tmp_path: Path,
) -> None:
    html = (
        "<html><head><title>Mine blast</title></head><body><article><p>"
        + GOOD
        + "</p><p>Police said the mine was laid last year.</p></article></body></html>"
    )
    (tmp_path / "page.html").write_text(html)
    (tmp_path / "page.txt").write_text(html)  # the same bytes, named as plain text
    db = tmp_path / "m.db"
    assert _ingest(str(tmp_path / "page.html"), "--db", str(db))[0] == 0
    code, out, err = _extract(str(tmp_path / "page.txt"), "--db", str(db))
    assert code == 0, err
    obj = json.loads(out)
    store = Store.open(db)
    text = store.text_of(obj["document"]["id"])
    store.close()
    assert "<p>" not in text
    spans = [e for ev in obj["events"] for e in ev["evidence"]]
    assert spans and all(0 <= s["start"] < s["end"] <= len(text) for s in spans)
    assert all("<" not in text[s["start"] : s["end"]] for s in spans)


def test_corroborate_on_a_database_with_no_events(tmp_path: Path) -> None:
    db = tmp_path / "m.db"
    (tmp_path / "calm.txt").write_text("The weather was calm and the harvest was good.")
    assert _ingest(str(tmp_path / "calm.txt"), "--db", str(db))[0] == 0
    r = runner.invoke(app, ["corroborate", "--db", str(db)])
    assert r.exit_code == 0, r.output
