"""Corroboration's independent parts as Dask tasks (``corroborate --workers N``).

Clustering splits the events into parts that cannot affect one another (per
type and country, see :mod:`.cluster`); each part is clustered on a worker and
the results are numbered here exactly as one process numbers them, so the
incidents are the same. A part that still fails after its retries stops the
run before anything is stored.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

from minewatch.corroborate.cluster import PartResult, PartTask, RunParts, cluster_part
from minewatch.corroborate.compat import Matcher
from minewatch.scaleout import Failed, ordered_map

#: Parts are sent in batches of about this many events (many parts are tiny).
EVENTS_PER_TASK = 20_000


class PartFailed(RuntimeError):
    """A part of the clustering failed on the cluster after its retries."""


def cluster_parts(tasks: list[PartTask], matcher: Matcher) -> list[PartResult]:
    """Run on a worker: cluster each part."""
    return [cluster_part(t, matcher) for t in tasks]


def _batches(tasks: list[PartTask], size: int) -> Iterator[list[PartTask]]:
    batch: list[PartTask] = []
    n = 0
    for task in tasks:
        batch.append(task)
        n += len(task.recs)
        if n >= size:
            yield batch
            batch, n = [], 0
    if batch:
        yield batch


def dask_parts(
    client: Any,
    *,
    size: int = EVENTS_PER_TASK,
    on_retry: Callable[[int, int, str], None] | None = None,
    fn: Callable[[list[PartTask], Matcher], list[PartResult]] = cluster_parts,
) -> RunParts:
    """A ``run_parts`` for :func:`~minewatch.corroborate.corroborate` that clusters
    the parts on ``client``'s cluster (the matcher, with its gazetteer, is sent to
    every worker once per run)."""

    def run(tasks: list[PartTask], matcher: Matcher) -> list[PartResult]:
        # hash=False: a fresh key per run (an equal object scattered by the previous run
        # may still be being released, and would take this run's data with it)
        remote = client.scatter(matcher, broadcast=True, hash=False)
        out: list[PartResult] = []
        for res in ordered_map(client, fn, _batches(tasks, size), remote, on_retry=on_retry):
            if isinstance(res, Failed):
                n = sum(len(t.recs) for t in res.items)
                raise PartFailed(
                    f"clustering part batch {res.index + 1} ({n} events) failed after "
                    f"retries: {res.reason}; no incidents were stored"
                )
            out.extend(res[1])
        return out

    return run
