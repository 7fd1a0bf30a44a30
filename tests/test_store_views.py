"""The flat incidents view (migration 0006): chosen values as plain columns."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

from minewatch.store import Store
from sample_data import populate


def test_incidents_flat_shows_chosen_values_without_json(tmp_path: Path) -> None:
    db = tmp_path / "v.db"
    store = Store.open(db)
    populate(store)
    incidents = {i.id: i for i in store.incidents()}
    store.close()
    con = sqlite3.connect(db)
    con.row_factory = sqlite3.Row
    rows = {r["id"]: r for r in con.execute("SELECT * FROM incidents_flat")}
    assert set(rows) == set(incidents)
    musan = rows["inc-2023-10-musan"]
    assert musan["date_start"] == "2023-10-11" and musan["date_precision"] == "month_part"
    assert musan["place"] == "Musan" and musan["where_precision"] == 2
    assert isinstance(musan["lat"], float)
    assert musan["casualties_best"] == 5 and musan["killed_best"] is None  # unknown, not 0
    assert json.loads(musan["documents"]) == incidents["inc-2023-10-musan"].document_ids
    ryang = rows["inc-2020-ryanggang"]
    assert (ryang["injured_low"], ryang["injured_best"], ryang["injured_high"]) == (10, 12, 14)
    assert isinstance(json.loads(ryang["devices"] or "[]"), list)


def test_where_as_one_place_or_a_list() -> None:
    import importlib

    views = importlib.import_module("minewatch.store.migrations.versions.0006_views")
    con = sqlite3.connect(":memory:")
    con.execute(
        "CREATE TABLE incidents (id, type, country, review, confidence, "
        "independent_sources, payload)"
    )
    con.execute(views.view_sql("sqlite"))
    place = {"name": "Korean Demilitarized Zone", "lat": 38.3, "precision": 5}
    for iid, where in (("one", place), ("list", [place])):
        payload = {"documents": [], "fields": {"where": {"value": where}}}
        con.execute(
            "INSERT INTO incidents VALUES (?, 'casualty', 'KP', 'unreviewed', 0.5, 1, ?)",
            (iid, json.dumps(payload)),
        )
    got = con.execute("SELECT id, place, lat, where_precision FROM incidents_flat ORDER BY id")
    assert got.fetchall() == [
        ("list", "Korean Demilitarized Zone", 38.3, 5),
        ("one", "Korean Demilitarized Zone", 38.3, 5),
    ]
