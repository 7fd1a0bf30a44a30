"""Batch work on a Dask cluster: a local one (``--workers N``) or an existing one
(``--scheduler tcp://host:8786``).

The cluster only computes: inputs are read and results written by the calling
process, in input order, so a parallel run produces what a serial run does and a
failed partition is never half-stored. :func:`ordered_map` is the one loop both
extraction and corroboration use.
"""

from __future__ import annotations

import logging
import uuid
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

T = TypeVar("T")
R = TypeVar("R")

#: Partitions kept in flight per worker: enough to keep workers busy while the
#: caller writes results, few enough to bound memory.
IN_FLIGHT_PER_WORKER = 3
#: A partition that fails is submitted again this many times before it is given up.
RETRIES = 2


@dataclass(frozen=True)
class Failed(Generic[T]):
    """A partition given up after its retries: its inputs and the last error."""

    index: int
    items: list[T]
    reason: str


@contextmanager
def dask_client(workers: int | None = None, scheduler: str | None = None) -> Iterator[Any]:
    """A ``distributed.Client``: on ``scheduler`` if given, else on a local cluster of
    ``workers`` processes with one thread each (extraction is pure Python: processes,
    not threads, run it in parallel)."""
    from distributed import Client, LocalCluster

    if scheduler:
        client = Client(scheduler, timeout="30s")
        try:
            yield client
        finally:
            client.close()
        return
    cluster = LocalCluster(
        n_workers=max(1, workers or 1),
        threads_per_worker=1,
        processes=True,
        dashboard_address=":0",  # a free port: never clash with another cluster
        silence_logs=logging.ERROR,
    )
    client = Client(cluster)
    try:
        yield client
    finally:
        client.close()
        cluster.close()


def n_workers(client: Any) -> int:
    return max(1, len(client.scheduler_info().get("workers", {})))


def partitions(items: Iterable[T], size: int) -> Iterator[list[T]]:
    """Consecutive runs of ``size`` items (the last may be shorter)."""
    chunk: list[T] = []
    for item in items:
        chunk.append(item)
        if len(chunk) >= size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def _reason(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    return f"{type(exc).__name__}: {text[0]}" if text else type(exc).__name__


def ordered_map(
    client: Any,
    fn: Callable[..., list[R]],
    chunks: Iterable[list[T]],
    *args: Any,
    retries: int = RETRIES,
    on_retry: Callable[[int, int, str], None] | None = None,
) -> Iterator[tuple[list[T], list[R]] | Failed[T]]:
    """``fn(chunk, *args)`` for each chunk on the cluster, yielded in chunk order.

    A chunk whose task raises (or whose worker dies) is submitted again up to
    ``retries`` times (``on_retry(index, attempt, reason)`` is told each time),
    then yielded as :class:`Failed`. Only a few chunks are in flight at once.
    ``args`` may hold scattered futures (a gazetteer sent to every worker once).
    """
    window = IN_FLIGHT_PER_WORKER * n_workers(client)
    run = uuid.uuid4().hex[:12]  # task keys unique to this call: a cluster remembers keys
    pending: deque[tuple[int, list[T], Any]] = deque()
    source = iter(chunks)
    index = 0

    def submit(i: int, chunk: list[T], attempt: int) -> Any:
        # pure=False: a retry must run again, not reuse the failed result
        return client.submit(fn, chunk, *args, pure=False, key=f"minewatch-{run}-{i}-{attempt}")

    def fill() -> None:
        nonlocal index
        while len(pending) < window:
            chunk = next(source, None)
            if chunk is None:
                return
            pending.append((index, chunk, submit(index, chunk, 0)))
            index += 1

    fill()
    while pending:
        i, chunk, fut = pending.popleft()
        attempt = 0
        while True:
            try:
                result = fut.result()
                break
            except Exception as exc:  # the task's own error or a lost worker
                reason = _reason(exc)
                if attempt >= retries:
                    result = None
                    break
                attempt += 1
                if on_retry is not None:
                    on_retry(i, attempt, reason)
                fut = submit(i, chunk, attempt)
        if result is None:
            yield Failed(i, chunk, reason)
        else:
            yield chunk, result
        fill()
