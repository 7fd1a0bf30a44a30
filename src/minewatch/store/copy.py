"""Move a whole store to another database (``minewatch copy``): SQLite to a team's
PostgreSQL server, or back.

Every table of the schema is copied row for row with its ids, so decisions, the
log and the attribution chains mean the same in the new database. Originals are
re-hashed on arrival: a document whose bytes no longer match its SHA-256 stops
the copy, and the destination keeps nothing of it (one transaction).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from sqlalchemy import Connection, Table, func, insert, select

from minewatch.store import schema as t
from minewatch.store.backend import reset_sequences
from minewatch.store.store import Store, default_who, sha256_hex

#: Rows read and written per round trip.
BATCH = 500


class CopyError(RuntimeError):
    """The copy was refused or stopped; the destination is unchanged."""


@dataclass
class CopyResult:
    rows: dict[str, int] = field(default_factory=dict)  # table -> rows copied
    originals_verified: int = 0


def _is_empty(conn: Connection) -> list[str]:
    """Tables of the destination that already hold rows."""
    return [
        table.name
        for table in t.metadata.sorted_tables
        if conn.execute(select(func.count()).select_from(table)).scalar_one()
    ]


def _check_original(row: dict[str, object]) -> None:
    original = row["original"]
    data = bytes(original) if isinstance(original, bytes | bytearray | memoryview) else b""
    actual = sha256_hex(data)
    if actual != row["sha256"] or row["id"] != f"sha256:{actual}":
        raise CopyError(
            f"document {row['id']} ({row['input_id']}): original hashes to {actual}, "
            f"recorded {row['sha256']}; nothing copied (run `minewatch verify` on the source)"
        )


def copy_store(
    source: Store,
    dest: Store,
    *,
    who: str | None = None,
    progress: Callable[[str, int], None] | None = None,
) -> CopyResult:
    """Copy every row of ``source`` into the empty store ``dest``.

    Both must be at the same schema revision (``Store.open`` migrates both to
    head). ``progress(table, rows)`` is called after each batch.
    """
    if source.revision() != dest.revision():
        raise CopyError(
            f"schema revisions differ: source {source.revision()}, destination {dest.revision()}"
        )
    result = CopyResult()
    with dest.engine.begin() as out:
        busy = _is_empty(out)
        if busy:
            raise CopyError(
                "the destination is not empty (" + ", ".join(busy) + "): copy only into a new "
                "database"
            )
        with source.engine.connect() as src:
            for table in t.metadata.sorted_tables:
                result.rows[table.name] = _copy_table(src, out, table, result, progress)
        reset_sequences(out, t.metadata.sorted_tables)
        Store._log(
            out,
            who or default_who(),
            "copy",
            "store",
            None,
            {
                "from": source.label(),
                "rows": result.rows,
                "originals_verified": result.originals_verified,
            },
        )
    return result


def _copy_table(
    src: Connection,
    out: Connection,
    table: Table,
    result: CopyResult,
    progress: Callable[[str, int], None] | None,
) -> int:
    pk = list(table.primary_key.columns)
    n = 0
    rows = src.execution_options(stream_results=True, yield_per=BATCH).execute(
        select(table).order_by(*pk)
    )
    for chunk in rows.mappings().partitions(BATCH):
        batch = [dict(r) for r in chunk]
        if table is t.documents:
            for row in batch:
                _check_original(row)
            result.originals_verified += len(batch)
        out.execute(insert(table), batch)
        n += len(batch)
        if progress is not None:
            progress(table.name, n)
    return n
