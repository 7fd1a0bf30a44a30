"""The whole pipeline on the seeds: ingest twice, extract, corroborate, re-run."""

from __future__ import annotations

from pathlib import Path

from minewatch.pipeline import Pipeline
from minewatch.store import Store


def test_seeds_end_to_end_and_rerun_is_idempotent(seeds_dir: Path) -> None:
    store = Store.memory()
    pipe = Pipeline(store=store, who="test")
    first = pipe.ingest([seeds_dir])
    second = pipe.ingest([seeds_dir])
    assert len(store.documents()) == 5
    assert (first.added, second.added, second.present) == (5, 0, 5)

    ex = pipe.extract()
    assert ex.documents == 5 and not ex.failed
    n_events = len(store.events())
    incidents = pipe.corroborate()
    assert incidents

    # Re-running extraction and corroboration duplicates nothing.
    pipe.extract()
    again = pipe.corroborate()
    assert len(store.events()) == n_events
    assert sorted(i.id for i in again) == sorted(i.id for i in incidents)
    assert [m for _, m in store.verify() if m is not None] == []
