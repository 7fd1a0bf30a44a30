"""Extraction on a Dask cluster (``minewatch extract --workers N``): documents in
partitions, events back in input order, identical to a serial run.

Workers only run :func:`minewatch.extract.extract_document`; reading inputs and
storing results stay with the caller, so the database is written by one process
exactly as a serial run writes it.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Iterable, Iterator
from typing import Any, TypeVar

from minewatch.extract import extract_document
from minewatch.model import DocumentMeta, Event
from minewatch.scaleout import Failed, ordered_map, partitions

T = TypeVar("T")

#: Documents per task: large enough that scheduling costs little (~0.3 s of work for
#: news articles), small enough that a retry repeats little.
PARTITION_SIZE = 100

Job = tuple[str, DocumentMeta] | None


def extract_chunk(jobs: list[Job], gazetteer: Any) -> list[list[Event] | None]:
    """Run on a worker: the events of each ``(text, meta)`` job (None stays None)."""
    return [
        None if job is None else extract_document(job[0], job[1], gazetteer=gazetteer)
        for job in jobs
    ]


def extract_parallel(
    client: Any,
    items: Iterable[T],
    job: Callable[[T], Job],
    *,
    gazetteer: Any,
    size: int = PARTITION_SIZE,
    fn: Callable[[list[Job], Any], list[list[Event] | None]] = extract_chunk,
    on_retry: Callable[[int, int, str], None] | None = None,
) -> Iterator[tuple[T, list[Event] | None] | Failed[T]]:
    """Each item with its events (``job(item)`` gives the text and metadata to
    extract, or None for an item that is not a document: it comes back with None),
    in input order. A partition that still fails after its retries comes back as
    one :class:`~minewatch.scaleout.Failed` holding its items.
    """
    gaz = client.scatter(gazetteer, broadcast=True, hash=False) if gazetteer is not None else None
    held: deque[list[T]] = deque()

    def chunks() -> Iterator[list[Job]]:
        for chunk in partitions(items, size):
            held.append(chunk)
            yield [job(item) for item in chunk]

    for out in ordered_map(client, fn, chunks(), gaz, on_retry=on_retry):
        chunk = held.popleft()
        if isinstance(out, Failed):
            yield Failed(out.index, chunk, out.reason)
            continue
        yield from zip(chunk, out[1], strict=True)
