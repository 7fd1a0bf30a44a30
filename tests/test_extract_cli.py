"""The extract and evaluate commands, on inputs built in the test."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from minewatch.cli import app

runner = CliRunner()
TEXT = "On Monday, a landmine killed two farmers near the village, police said."


def test_extract_jsonl_keeps_input_order_and_ids(tmp_path: Path) -> None:
    src = tmp_path / "in.jsonl"
    lines = [
        {"id": "b", "text": TEXT, "published": "2023-11-07"},
        {"id": "a", "text": "Nothing about weapons here.", "published": "2023-11-07"},
    ]
    src.write_text("\n".join(json.dumps(x) for x in lines) + "\n")
    res = runner.invoke(app, ["extract", str(src), "--format", "jsonl", "--no-store"])
    assert res.exit_code == 0, res.output
    out = [json.loads(x) for x in res.stdout.splitlines() if x.startswith("{")]
    assert [o["document"]["input_id"] for o in out] == ["b", "a"]
    assert out[0]["events"][0]["killed"] == {"low": 2, "best": 2, "high": 2}
    assert out[1]["events"] == []


def test_extract_with_store_replaces_events(tmp_path: Path) -> None:
    doc = tmp_path / "story.txt"
    doc.write_text(TEXT)
    db = tmp_path / "m.db"
    for _ in range(2):
        res = runner.invoke(app, ["extract", str(doc), "--db", str(db)])
        assert res.exit_code == 0, res.output
    from minewatch.store import Store

    store = Store.open(db)
    assert len(store.documents()) == 1
    assert len(store.events()) == 1


def test_evaluate_prints_scores(tmp_path: Path) -> None:
    gold = tmp_path / "g.jsonl"
    event = {
        "type": "casualty",
        "status": "reported",
        "context": False,
        "when": {"start": "2023-11-06", "end": "2023-11-06", "precision": "day"},
        "killed": {"low": 2, "best": 2, "high": 2},
        "injured": None,
        "casualties": None,
        "victims": "civilian",
        "admin1": None,
        "anchor": "a landmine killed two farmers",
    }
    gold.write_text(
        json.dumps({"id": "g1", "published": "2023-11-07", "text": TEXT, "events": [event]})
    )
    res = runner.invoke(app, ["evaluate", str(gold), "--json"])
    assert res.exit_code == 0, res.output
    rep = json.loads(res.stdout)
    assert rep["f1"] == 1.0 and rep["fields"]["killed"]["accuracy"] == 1.0
    res = runner.invoke(app, ["evaluate", str(gold)])
    assert "F1 1.000" in res.stdout
