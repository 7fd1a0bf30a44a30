"""Corroboration's independent parts on a Dask cluster: the same clusters as one process."""

from __future__ import annotations

import sys
from typing import Any

import cloudpickle
import pytest
from hypothesis import HealthCheck, given, settings

from minewatch.corroborate.cluster import PartResult, PartTask, cluster_part, cluster_records
from minewatch.corroborate.compat import Matcher
from minewatch.corroborate.parallel import PartFailed, dask_parts
from minewatch.corroborate.records import Rec
from test_corroborate_scale import constrained

# the failing batch function below lives in this module: workers get it by value
cloudpickle.register_pickle_by_value(sys.modules[__name__])


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(case=constrained())
def test_parts_on_the_cluster_equal_one_process(
    dask_cluster: Any, case: tuple[list[Rec], list[list[int]], list[tuple[int, int]]]
) -> None:
    recs, must, cannot = case
    here = cluster_records(recs, Matcher(), must_link=must, cannot_link=cannot)
    # tiny batches: many tasks, arriving in any order, numbered as one pass numbers them
    remote = cluster_records(
        recs,
        Matcher(),
        must_link=must,
        cannot_link=cannot,
        run_parts=dask_parts(dask_cluster, size=2),
    )
    assert (remote.clusters, remote.mentions, remote.comparisons) == (
        here.clusters,
        here.mentions,
        here.comparisons,
    )


def _broken(tasks: list[PartTask], matcher: Matcher) -> list[PartResult]:
    if any(r.type == "emplacement" for t in tasks for r in t.recs):
        raise MemoryError("worker out of memory")
    return [cluster_part(t, matcher) for t in tasks]


def test_a_part_that_keeps_failing_is_retried_then_stops_the_run(dask_cluster: Any) -> None:
    recs = constrained().example()[0]
    while {r.type for r in recs} != {"casualty", "emplacement"}:
        recs = constrained().example()[0]
    retries: list[tuple[int, int, str]] = []
    run = dask_parts(dask_cluster, size=1, fn=_broken, on_retry=lambda *a: retries.append(a))
    with pytest.raises(PartFailed, match="failed after retries: MemoryError"):
        cluster_records(recs, Matcher(), run_parts=run)
    assert [a for _, a, _ in retries] == [1, 2]
