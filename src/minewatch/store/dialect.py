"""Dialect-specific SQL in one place: guard-rail triggers and log locking.

Migrations and the store call these instead of writing SQLite- or
PostgreSQL-only strings inline, so a second backend changes this file only.
"""

from __future__ import annotations

from sqlalchemy import Connection, text

#: Guard rails: (trigger name, table, event, message). Each refuses the change.
GUARDS: tuple[tuple[str, str, str, str], ...] = (
    (
        "documents_original_immutable",
        "documents",
        "UPDATE OF original, sha256, id",
        "originals are immutable",
    ),
    ("documents_no_delete", "documents", "DELETE", "originals are never deleted"),
    ("log_no_update", "log", "UPDATE", "the log is append-only"),
    ("log_no_delete", "log", "DELETE", "the log is append-only"),
    ("decisions_no_update", "decisions", "UPDATE", "human decisions are never rewritten"),
    ("decisions_no_delete", "decisions", "DELETE", "human decisions are never deleted"),
)


def expected_triggers() -> list[str]:
    """Names of the guard-rail triggers every database must have."""
    return [g[0] for g in GUARDS]


def existing_triggers(conn: Connection) -> set[str]:
    """Names of the triggers present in the database behind ``conn``."""
    if conn.dialect.name == "sqlite":
        rows = conn.execute(text("SELECT name FROM sqlite_master WHERE type = 'trigger'"))
    elif conn.dialect.name == "postgresql":
        rows = conn.execute(
            text("SELECT tgname FROM pg_trigger WHERE NOT tgisinternal AND tgenabled <> 'D'")
        )
    else:  # pragma: no cover - no other backend yet
        return set(expected_triggers())
    return {str(r[0]) for r in rows}


def begin_write(conn: Connection) -> None:
    """Take the write lock at the start of a write transaction.

    SQLite: ``BEGIN IMMEDIATE`` (two writers queue on the busy timeout instead
    of one failing on a lock upgrade, and the last log entry read for the hash
    chain stays the last until commit). PostgreSQL: a transaction-scoped
    advisory lock does the same for every minewatch writer (migrations too).
    """
    if conn.dialect.name == "sqlite":
        conn.exec_driver_sql("BEGIN IMMEDIATE")
    elif conn.dialect.name == "postgresql":
        conn.exec_driver_sql(f"SELECT pg_advisory_xact_lock({WRITE_LOCK})")


#: Advisory lock key of minewatch writers on PostgreSQL ("mw" in ASCII).
WRITE_LOCK = 0x6D77


def _guard(name: str) -> tuple[str, str, str, str]:
    return next(g for g in GUARDS if g[0] == name)


def create_guard(conn: Connection, name: str) -> None:
    """Create the guard-rail trigger ``name`` (see :data:`GUARDS`)."""
    _, table, event, message = _guard(name)
    if conn.dialect.name == "sqlite":
        conn.exec_driver_sql(
            f"CREATE TRIGGER {name} BEFORE {event} ON {table} "
            f"BEGIN SELECT RAISE(ABORT, '{message}'); END"
        )
    elif conn.dialect.name == "postgresql":
        conn.exec_driver_sql(
            f"CREATE OR REPLACE FUNCTION {name}_fn() RETURNS trigger LANGUAGE plpgsql AS "
            f"$$ BEGIN RAISE EXCEPTION '{message}'; END $$"
        )
        conn.exec_driver_sql(
            f"CREATE TRIGGER {name} BEFORE {event} ON {table} "
            f"FOR EACH ROW EXECUTE FUNCTION {name}_fn()"
        )


def drop_guard(conn: Connection, name: str) -> None:
    """Drop the guard-rail trigger ``name`` (only a migration does this, briefly)."""
    table = _guard(name)[1]
    if conn.dialect.name == "sqlite":
        conn.exec_driver_sql(f"DROP TRIGGER IF EXISTS {name}")
    elif conn.dialect.name == "postgresql":
        conn.exec_driver_sql(f"DROP TRIGGER IF EXISTS {name} ON {table}")
