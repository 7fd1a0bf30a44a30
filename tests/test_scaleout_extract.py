"""Extraction on a Dask cluster gives what a serial run gives, in input order; a
failed partition is retried, and one that keeps failing is reported, never stored."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import cloudpickle
import pytest
from typer.testing import CliRunner

from minewatch.cli import app
from minewatch.extract import extract_document
from minewatch.extract.parallel import Job, extract_chunk, extract_parallel
from minewatch.geo import load_gazetteer
from minewatch.ingest import SourceDoc, iter_inputs
from minewatch.model import Event
from minewatch.scaleout import Failed
from minewatch.store import Store

DEMO = Path(__file__).resolve().parents[1] / "src" / "minewatch" / "data" / "demo"
# the failing extractors below live in this module: workers get them by value
cloudpickle.register_pickle_by_value(sys.modules[__name__])


def _inputs() -> list[Any]:
    return [item for _, item in iter_inputs([str(DEMO)])]


def _job(item: Any) -> Job:
    return (item.text, item.meta()) if isinstance(item, SourceDoc) else None


def _serial(items: list[Any], gaz: Any) -> list[list[Event]]:
    return [extract_document(i.text, i.meta(), gazetteer=gaz) for i in items]


def test_partitions_come_back_in_input_order_with_the_serial_events(dask_cluster: Any) -> None:
    gaz = load_gazetteer()
    items = _inputs()
    mixed: list[Any] = [*items[:5], "not a document", *items[5:]]
    got = list(extract_parallel(dask_cluster, mixed, _job, gazetteer=gaz, size=4))
    assert [i for i, _ in got] == mixed  # type: ignore[misc]
    assert got[5] == ("not a document", None)
    events = [e for i, e in got if i != "not a document"]  # type: ignore[misc]
    assert [[x.to_json() for x in es] for es in events] == [  # type: ignore[union-attr]
        [x.to_json() for x in es] for es in _serial(items, gaz)
    ]


def _fails_once(jobs: list[Job], gazetteer: Any) -> list[list[Event] | None]:
    """Fails the first attempt of the partition holding document 07 (a marker file
    tells a later attempt, which may run on the other worker process)."""
    marker = Path(jobs[0][1].input_id).parent.parent / "failed-once"  # type: ignore[index]
    if any(j and Path(j[1].input_id).name.startswith("07_") for j in jobs) and not marker.exists():
        marker.write_text("x")
        raise RuntimeError("worker lost its disk")
    return extract_chunk(jobs, gazetteer)


def _always_fails(jobs: list[Job], gazetteer: Any) -> list[list[Event] | None]:
    if any(j and Path(j[1].input_id).name.startswith("07_") for j in jobs):
        raise RuntimeError("this partition cannot be extracted")
    return extract_chunk(jobs, gazetteer)


def test_a_failed_partition_is_retried_and_then_reported(dask_cluster: Any, tmp_path: Path) -> None:
    docs = tmp_path / "in" / "demo"
    docs.mkdir(parents=True)
    for f in sorted(DEMO.glob("*.txt"))[:10]:
        (docs / f.name).write_bytes(f.read_bytes())
    items = [item for _, item in iter_inputs([str(docs)])]
    gaz = load_gazetteer()
    retries: list[tuple[int, int, str]] = []
    got = list(
        extract_parallel(
            dask_cluster,
            items,
            _job,
            gazetteer=gaz,
            size=4,
            fn=_fails_once,
            on_retry=lambda *a: retries.append(a),
        )
    )
    assert retries == [(1, 1, "RuntimeError: worker lost its disk")]
    assert [[x.to_json() for x in e] for _, e in got] == [  # type: ignore[misc, union-attr]
        [x.to_json() for x in es] for es in _serial(items, gaz)
    ]

    got = list(extract_parallel(dask_cluster, items, _job, gazetteer=gaz, size=4, fn=_always_fails))
    failed = [g for g in got if isinstance(g, Failed)]
    assert len(failed) == 1 and failed[0].index == 1
    assert [i.input_id for i in failed[0].items] == [i.input_id for i in items[4:8]]
    assert "cannot be extracted" in failed[0].reason
    assert len(got) == len(items) - 4 + 1 == 7  # the other partitions all arrive


@pytest.fixture(scope="module")
def serial_run(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    """The demo corpus extracted into a SQLite store in this process (built once)."""
    serial_db = tmp_path_factory.mktemp("serial") / "serial.db"
    serial = CliRunner().invoke(app, ["extract", str(DEMO), "--db", str(serial_db)])
    assert serial.exit_code == 0, serial.output
    return serial_db, serial.stdout


def test_extract_on_a_cluster_stores_and_prints_what_a_serial_run_does(
    dask_cluster: Any, db_url: str, serial_run: tuple[Path, str]
) -> None:
    runner = CliRunner()
    serial_db, serial_stdout = serial_run
    address = dask_cluster.scheduler.address
    parallel = runner.invoke(app, ["extract", str(DEMO), "--db", db_url, "--scheduler", address])
    assert parallel.exit_code == 0, parallel.output
    out_serial = [ln for ln in serial_stdout.splitlines() if ln.startswith("{")]
    out_parallel = [ln for ln in parallel.stdout.splitlines() if ln.startswith("{")]
    assert len(out_serial) == 18 and out_parallel == out_serial  # byte for byte
    a, b = Store.open(serial_db), Store.open(db_url)

    # (store order follows ingest times, which differ between the two runs)
    def stored(s: Store) -> list[tuple[str, str]]:
        return sorted((d.id, json.dumps(e.to_json(), sort_keys=True)) for d, e in s.events())

    n_events = sum(len(json.loads(line)["events"]) for line in out_serial)
    assert stored(b) == stored(a) and len(stored(a)) == n_events > 0
    assert sorted(json.dumps(i.to_json(), sort_keys=True) for i in b.incidents()) == sorted(
        json.dumps(i.to_json(), sort_keys=True) for i in a.incidents()
    )
    # corroboration on the cluster builds the same incidents again
    again = runner.invoke(app, ["corroborate", "--db", db_url, "--scheduler", address])
    assert again.exit_code == 0, again.output
    assert sorted(json.dumps(i.to_json(), sort_keys=True) for i in b.incidents()) == sorted(
        json.dumps(i.to_json(), sort_keys=True) for i in a.incidents()
    )
    assert json.loads(out_parallel[0])["document"]["input_id"].endswith(
        "01_2015-08-10_seoul-ledger_dmz-box-mines.txt"
    )
    a.close()
    b.close()
