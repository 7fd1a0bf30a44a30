"""`minewatch report`, `export` and `import` on a database file."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from minewatch.cli import app
from minewatch.store import Store
from sample_data import populate


def _db(tmp_path: Path) -> Path:
    db = tmp_path / "a.db"
    store = Store.open(db)
    populate(store)
    store.close()
    return db


def test_report_writes_md_html_and_svgs(tmp_path: Path) -> None:
    db = _db(tmp_path)
    out = tmp_path / "out"
    r = CliRunner().invoke(app, ["report", "--db", str(db), "--country", "KP", "--out", str(out)])
    assert r.exit_code == 0, r.output
    names = sorted(p.name for p in out.iterdir())
    assert "profile-KP.md" in names and "profile-KP.html" in names
    assert "profile-KP-map.svg" in names and "profile-KP-casualties.svg" in names
    md = (out / "profile-KP.md").read_text(encoding="utf-8")
    assert "Defectors killed and maimed by mines near Musan" in md


def test_report_to_stdout_with_period_and_confirmed_only(tmp_path: Path) -> None:
    db = _db(tmp_path)
    r = CliRunner().invoke(
        app,
        [
            "report",
            "--db",
            str(db),
            "--out",
            "-",
            "--format",
            "md",
            "--from",
            "2023",
            "--to",
            "2023-10",
        ],
    )
    assert r.exit_code == 0, r.output
    assert "mid-October 2023" in r.stdout and "October 2020" not in r.stdout
    r = CliRunner().invoke(
        app, ["report", "--db", str(db), "--out", "-", "--format", "md", "--confirmed-only"]
    )
    assert "1 incident from 2 reports" in r.stdout
    bad = CliRunner().invoke(app, ["report", "--db", str(db), "--from", "2023-13"])
    assert bad.exit_code == 2


def test_export_and_import_round_trip(tmp_path: Path) -> None:
    db = _db(tmp_path)
    runner = CliRunner()
    # import re-extracts events from the originals: the source must hold extracted
    # events too (not the sample's hand-made ones) for the reports to be equal
    assert runner.invoke(app, ["extract", "--stored", "--db", str(db)]).exit_code == 0
    r = runner.invoke(app, ["export", "--db", str(db), "--format", "csv", "--country", "KP"])
    assert r.exit_code == 0 and r.stdout.startswith("event_id_cnty,event_date,year,time_precision")
    r = runner.invoke(app, ["export", "--db", str(db), "--format", "geojson"])
    assert json.loads(r.stdout)["type"] == "FeatureCollection"
    archive = tmp_path / "all.json"
    r = runner.invoke(app, ["export", "--db", str(db), "--format", "json", "--out", str(archive)])
    assert r.exit_code == 0, r.output
    copy = tmp_path / "copy.db"
    r = runner.invoke(app, ["import", str(archive), "--db", str(copy), "--json"])
    assert r.exit_code == 0, r.output
    assert json.loads(r.stdout)["documents"] == 5
    reports = []
    for d in (db, copy):
        r = runner.invoke(app, ["report", "--db", str(d), "--out", "-", "--format", "html"])
        reports.append(r.stdout)
    assert reports[0] == reports[1]
    again = runner.invoke(app, ["import", str(archive), "--db", str(copy)])
    assert again.exit_code == 1 and "not empty" in again.output


def test_report_with_no_incidents_says_so_and_fails(tmp_path: Path) -> None:
    db = _db(tmp_path)
    out = tmp_path / "none"
    r = CliRunner().invoke(app, ["report", "--db", str(db), "--country", "FR", "--out", str(out)])
    assert r.exit_code == 1
    assert "no incidents for FR" in " ".join(r.output.split())
    assert not out.exists()


def test_pdf_without_weasyprint_names_the_extra(tmp_path: Path, monkeypatch) -> None:
    import sys

    monkeypatch.setitem(sys.modules, "weasyprint", None)  # import fails as if not installed
    db = _db(tmp_path)
    r = CliRunner().invoke(app, ["report", "--db", str(db), "--out", str(tmp_path / "o"), "--pdf"])
    assert r.exit_code == 1
    assert "pip install 'minewatch[pdf]'" in " ".join(r.output.split())


def test_export_flag_for_acleds_zero_convention(tmp_path: Path) -> None:
    import csv
    import io

    db = _db(tmp_path)
    base = ["export", "--db", str(db), "--format", "csv", "--country", "KP"]
    ours = list(csv.DictReader(io.StringIO(CliRunner().invoke(app, base).stdout)))
    acled = CliRunner().invoke(app, [*base, "--acled-zero-fatalities"]).stdout
    theirs = list(csv.DictReader(io.StringIO(acled)))
    unknown = [r for r in ours if r["fatalities_reported"] == "false"]
    assert unknown and all(r["fatalities"] == "" for r in unknown)
    assert all(r["fatalities"] == "0" for r in theirs if r["fatalities_reported"] == "false")
    assert all(r["timestamp"].isdigit() for r in theirs)
