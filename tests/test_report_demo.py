"""`minewatch demo`: bundled corpus -> fresh database -> profile and exports."""

from __future__ import annotations

import csv
import json
from pathlib import Path

from typer.testing import CliRunner

from minewatch.cli import app
from minewatch.demo import demo_corpus_dir
from minewatch.store import Store


def test_demo_writes_profile_and_exports_into_a_fresh_database(tmp_path: Path) -> None:
    corpus = demo_corpus_dir()
    n_docs = len(list(corpus.glob("*.txt")))
    assert n_docs >= 10
    out = tmp_path / "demo"
    runner = CliRunner()
    r = runner.invoke(app, ["demo", "--out", str(out), "--json"])
    assert r.exit_code == 0, r.output
    result = json.loads(r.stdout)
    assert result["documents"] == n_docs
    assert result["incidents"] > 0 and result["events"] >= result["incidents"]
    for name in ("database", "md", "html", "map_svg", "casualties_svg", "csv", "geojson", "json"):
        assert Path(result["paths"][name]).is_file(), name
    html = (out / "profile-KP.html").read_text(encoding="utf-8")
    assert "North Korea" in html and "<svg" in html and 'id="src-1"' in html
    rows = list(csv.DictReader((out / "minewatch.csv").open(encoding="utf-8")))
    assert len(rows) == result["incidents"]  # nothing is rejected in a fresh demo
    # running it again starts from a fresh database: nothing is duplicated
    r2 = runner.invoke(app, ["demo", "--out", str(out), "--json"])
    assert r2.exit_code == 0, r2.output
    again = json.loads(r2.stdout)
    assert (again["documents"], again["incidents"]) == (result["documents"], result["incidents"])
    store = Store.open(out / "minewatch.db")
    assert len(store.documents()) == n_docs
    store.close()


def test_demo_prints_a_summary_for_people(tmp_path: Path) -> None:
    r = CliRunner().invoke(app, ["demo", "--out", str(tmp_path / "d")])
    assert r.exit_code == 0, r.output
    assert "minewatch demo: North Korea" in r.output
    assert "profile-KP.html" in r.output and "rests on" in r.output
