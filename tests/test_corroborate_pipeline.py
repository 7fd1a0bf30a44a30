"""Corroboration end to end: real extraction of the seeds, the CLI, and a full re-run."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest
from typer.testing import CliRunner

from minewatch.cli import app
from minewatch.model import DocumentMeta, Event, Incident, event_key
from minewatch.store import Store

pytestmark = pytest.mark.shared


@pytest.fixture(scope="module")
def seeded(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from conftest import require_shared

    seeds = require_shared()
    from minewatch.geo import load_gazetteer
    from minewatch.pipeline import Pipeline

    db = tmp_path_factory.mktemp("seeds") / "seeds.db"
    store = Store.open(db)
    pipe = Pipeline(store=store, gazetteer=load_gazetteer(), who="test")
    pipe.ingest([seeds])
    summary = pipe.extract()
    assert not summary.failed, summary.failed
    pipe.corroborate()
    store.close()
    return db


def _find(
    store: Store, doc_prefix: str, pred: Callable[[Event], bool]
) -> tuple[DocumentMeta, Event]:
    hits = [
        (m, e)
        for m, e in store.events()
        if Path(m.input_id).name.startswith(doc_prefix) and pred(e)
    ]
    assert len(hits) == 1, (doc_prefix, [e.id for _, e in hits])
    return hits[0]


def _holding(incidents: list[Incident], meta: DocumentMeta, ev: Event) -> Incident:
    key = event_key(meta.id, ev.id)
    hits = [
        i for i in incidents if any(m.event_key == key and m.role == "member" for m in i.members)
    ]
    assert len(hits) == 1, key
    return hits[0]


def _casualty_on(start: str) -> Callable[[Event], bool]:
    return lambda e: e.type == "casualty" and e.when.start == start


def _count_is(field: str, n: int) -> Callable[[Event], bool]:
    def pred(e: Event) -> bool:
        c = getattr(e, field)
        return e.type == "casualty" and c is not None and c.best == n

    return pred


def test_seed_incidents(seeded: Path) -> None:
    store = Store.open(seeded)
    incs = store.incidents()
    october = _holding(incs, *_find(store, "002", _casualty_on("2023-10-11")))
    september = _holding(incs, *_find(store, "002", _casualty_on("2023-09-01")))
    assert october is not september
    assert _holding(incs, *_find(store, "001", _count_is("casualties", 5))) is october
    assert _holding(incs, *_find(store, "001", _count_is("killed", 3))) is september
    for inc in (october, september):
        assert inc.independent_sources == 1
        assert inc.original_sources == ["Daily NK"]
    # 000: soldiers injured in two provinces are two incidents
    injured_000 = [
        (m, e)
        for m, e in store.events()
        if Path(m.input_id).name.startswith("000") and e.type == "casualty" and e.injured
    ]
    assert len({_holding(incs, m, e).id for m, e in injured_000}) >= 2
    # 003's DMZ casualties share no incident with the China-border reports
    dmz = _holding(incs, *_find(store, "003", lambda e: e.type == "casualty"))
    names = {Path(m.input_id).name[:3] for m in dmz.members if m.input_id}
    assert names.isdisjoint({"000", "001", "002"})


def test_decision_survives_full_rerun(seeded: Path, tmp_path: Path) -> None:
    from minewatch.corroborate import service
    from minewatch.geo import load_gazetteer
    from minewatch.pipeline import Pipeline

    db = tmp_path / "copy.db"
    db.write_bytes(seeded.read_bytes())
    store = Store.open(db)
    gaz = load_gazetteer()
    m1, e1 = _find(store, "001", _count_is("casualties", 5))
    october = _holding(store.incidents(), m1, e1)
    service.split(store, october.id, [event_key(m1.id, e1.id)], reason="test", who="tester")
    service.review(store, october.id, "confirm", reason="test", who="tester")
    pipe = Pipeline(store=store, gazetteer=gaz, who="rerun")
    pipe.extract()  # re-extract every document ...
    pipe.corroborate()  # ... and rebuild: the decisions stay in force
    m1, e1 = _find(store, "001", _count_is("casualties", 5))
    m2, e2 = _find(store, "002", _casualty_on("2023-10-11"))
    incs = store.incidents()
    assert _holding(incs, m1, e1) is not _holding(incs, m2, e2)
    assert _holding(incs, m2, e2).review == "confirmed"


def test_cli_on_seeds(seeded: Path, tmp_path: Path) -> None:
    db = tmp_path / "cli.db"
    db.write_bytes(seeded.read_bytes())
    run = CliRunner()
    res = run.invoke(app, ["corroborate", "--db", str(db), "--json"])
    assert res.exit_code == 0, res.output
    assert json.loads(res.stdout)["incidents"] > 5
    res = run.invoke(app, ["incidents", "--db", str(db), "--json"])
    assert res.exit_code == 0, res.output
    data = json.loads(res.stdout)
    multi = [d for d in data if len({m["document_id"] for m in d["members"]}) > 1]
    assert multi
    for d in data:
        assert d["type"] and "values" in d and all(m["input_id"] for m in d["members"])
    target = next(d for d in multi if d["values"]["when"] and d["type"] == "casualty")
    res = run.invoke(app, ["incidents", "show", target["id"][:12], "--db", str(db)])
    assert res.exit_code == 0, res.output
    assert "tightest consistent interval" in res.stdout
    res = run.invoke(app, ["incidents", "show", target["id"], "--db", str(db), "--json"])
    rows = json.loads(res.stdout)["side_by_side"]
    assert any(r["reports"] and r["reports"][0]["evidence"] for r in rows)
    res = run.invoke(app, ["incidents", "--db", str(db)])
    assert res.exit_code == 0 and target["id"] in res.stdout
