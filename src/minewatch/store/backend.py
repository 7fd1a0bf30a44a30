"""Database backends: which URL a ``--db`` value names, engines, and the few
pieces of DDL that SQLite and PostgreSQL spell differently.

Everything dialect-specific lives here so that migrations and the store stay
portable. Migrations call :func:`forbid` (immutability guards) and
:func:`fulltext_index` (document search); the store calls
:func:`fulltext_search`, :func:`guard_triggers` and :func:`write_lock`.

SQLite is the default and the quick start (a path is a SQLite file);
PostgreSQL (``postgresql+psycopg://user@host/dbname``) is the shared server
for teams.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any, Literal, Protocol

from sqlalchemy import Connection, Engine, Integer, create_engine, event, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError

#: ``scheme://`` at the start of a value makes it a URL, never a file path.
_URL = re.compile(r"^[A-Za-z][A-Za-z0-9+.\-]*://")
#: Dialects minewatch's migrations and SQL are tested on.
SUPPORTED = ("sqlite", "postgresql")
#: The PostgreSQL driver minewatch depends on (psycopg 3).
PG_DRIVER = "psycopg"
#: Seconds a SQLite writer waits for another process's lock before giving up.
SQLITE_BUSY_SECONDS = 30

Action = Literal["UPDATE", "DELETE"]


class BackendError(ValueError):
    """A ``--db`` value that names no usable database (message says why)."""


class _Executor(Protocol):
    """Alembic's ``op`` or anything else with ``get_bind()`` and ``execute()``."""

    def get_bind(self) -> Connection: ...

    def execute(self, sqltext: Any) -> Any: ...


def is_url(value: str | Path) -> bool:
    """True when ``value`` is a database URL (``scheme://...``), not a file path."""
    return isinstance(value, str) and bool(_URL.match(value))


def database_url(target: str | Path) -> str:
    """The SQLAlchemy URL for a ``--db`` value.

    A URL is kept as a URL (``postgresql://`` and ``postgres://`` get the
    psycopg driver); anything else is a SQLite file path. A URL is never turned
    into a path, so a mistyped URL fails instead of creating a directory.
    """
    if isinstance(target, Path) or not is_url(target):
        path = Path(target)
        path.parent.mkdir(parents=True, exist_ok=True)
        return f"sqlite:///{path}"
    try:
        url = make_url(target)
    except (ArgumentError, ValueError) as e:
        raise BackendError(f"not a database URL: {redact(target)} ({e})") from e
    backend = url.get_backend_name()
    # the driver is named explicitly: SQLAlchemy's default for postgresql:// differs by version
    if backend in ("postgres", "postgresql") and url.drivername != f"postgresql+{PG_DRIVER}":
        url = url.set(drivername=f"postgresql+{PG_DRIVER}")
    elif backend not in SUPPORTED:
        raise BackendError(
            f"unsupported database {backend!r} in {redact(target)} "
            f"(use a SQLite path or postgresql+{PG_DRIVER}://user@host/dbname)"
        )
    return url.render_as_string(hide_password=False)


def redact(url: str) -> str:
    """A URL fit for messages and logs: the password replaced by ***."""
    try:
        return make_url(url).render_as_string(hide_password=True)
    except (ArgumentError, ValueError):
        return re.sub(r"(://[^:/@]*:)[^@]*@", r"\1***@", url)


def _sqlite_on_connect(dbapi_conn: Any, _record: Any) -> None:
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_SECONDS * 1000}")
    cur.close()


def make_engine(url: str, **kwargs: Any) -> Engine:
    """An engine for a URL from :func:`database_url`, set up for its dialect."""
    if url.startswith("postgresql"):
        # a server may drop idle connections; check before use
        kwargs.setdefault("pool_pre_ping", True)
    engine = create_engine(url, **kwargs)
    if engine.dialect.name == "sqlite":
        event.listen(engine, "connect", _sqlite_on_connect)
    return engine


def dialect_of(bind: Connection | Engine) -> str:
    return str(bind.dialect.name)


# -- immutability guards ---------------------------------------------------------

_PG_FORBID_FN = """
CREATE OR REPLACE FUNCTION minewatch_forbid() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION '%', TG_ARGV[0] USING ERRCODE = 'restrict_violation';
END $$
"""


def forbid_sql(
    dialect: str,
    name: str,
    table: str,
    action: Action,
    message: str,
    columns: Sequence[str] = (),
) -> list[str]:
    """DDL statements that make ``action`` on ``table`` fail with ``message``.

    ``columns`` narrows an UPDATE guard to those columns. On PostgreSQL a
    DELETE guard also refuses TRUNCATE (which skips row triggers).
    """
    if "'" in message:
        raise ValueError("guard messages are plain text without quotes")
    of = f" OF {', '.join(columns)}" if columns else ""
    if action not in ("UPDATE", "DELETE") or (columns and action != "UPDATE"):
        raise ValueError(f"unsupported guard {action} {columns}")
    if dialect == "sqlite":
        return [
            f"CREATE TRIGGER {name} BEFORE {action}{of} ON {table} "
            f"BEGIN SELECT RAISE(ABORT, '{message}'); END"
        ]
    if dialect == "postgresql":
        stmts = [
            _PG_FORBID_FN,
            f"CREATE TRIGGER {name} BEFORE {action}{of} ON {table} "
            f"FOR EACH ROW EXECUTE FUNCTION minewatch_forbid('{message}')",
        ]
        if action == "DELETE":
            stmts.append(
                f"CREATE TRIGGER {name}_truncate BEFORE TRUNCATE ON {table} "
                f"FOR EACH STATEMENT EXECUTE FUNCTION minewatch_forbid('{message}')"
            )
        return stmts
    raise BackendError(f"no immutability guards for dialect {dialect!r}")


def forbid(
    op: _Executor,
    name: str,
    table: str,
    action: Action,
    message: str,
    columns: Sequence[str] = (),
) -> None:
    """Create an immutability guard from a migration: ``forbid(op, ...)``.

    Example (in a migration's ``upgrade()``)::

        forbid(op, "log_no_update", "log", "UPDATE", "the log is append-only")
    """
    for stmt in forbid_sql(dialect_of(op.get_bind()), name, table, action, message, columns):
        op.execute(stmt)


def drop_guard(op: _Executor, name: str, table: str) -> None:
    """Drop a guard made by :func:`forbid` (for a migration that replaces it)."""
    if dialect_of(op.get_bind()) == "postgresql":
        op.execute(f"DROP TRIGGER IF EXISTS {name} ON {table}")
        op.execute(f"DROP TRIGGER IF EXISTS {name}_truncate ON {table}")
    else:
        op.execute(f"DROP TRIGGER IF EXISTS {name}")


def guard_triggers(conn: Connection) -> set[str]:
    """Names of the triggers present in the database (for ``verify``)."""
    if dialect_of(conn) == "postgresql":
        q = "SELECT tgname FROM pg_trigger WHERE NOT tgisinternal"
    else:
        q = "SELECT name FROM sqlite_master WHERE type = 'trigger'"
    return {str(r[0]) for r in conn.execute(text(q))}


# -- full-text search ----------------------------------------------------------------

#: PostgreSQL text search configuration: no stemming or stop words, like
#: SQLite FTS5's default unicode61 tokenizer, so both find the same words.
PG_TS_CONFIG = "simple"


def fulltext_index(op: _Executor, name: str, table: str, column: str) -> None:
    """Create a full-text index over ``table.column`` (call from a migration).

    SQLite: an FTS5 table ``name`` with ``table`` as its external content,
    kept in step by triggers (``table`` must be a rowid table). PostgreSQL: a
    GIN index ``name`` on the column's tsvector. Query with
    :func:`fulltext_search` using the same ``name``, ``table`` and ``column``.
    """
    if dialect_of(op.get_bind()) == "postgresql":
        op.execute(
            f"CREATE INDEX {name} ON {table} USING gin (to_tsvector('{PG_TS_CONFIG}', {column}))"
        )
        return
    op.execute(
        f"CREATE VIRTUAL TABLE {name} USING fts5({column}, "
        f"content='{table}', content_rowid='rowid')"
    )
    remove = (
        f"INSERT INTO {name}({name}, rowid, {column}) VALUES ('delete', old.rowid, old.{column});"
    )
    add = f"INSERT INTO {name}(rowid, {column}) VALUES (new.rowid, new.{column});"
    op.execute(f"CREATE TRIGGER {name}_ai AFTER INSERT ON {table} BEGIN {add} END")
    op.execute(f"CREATE TRIGGER {name}_ad AFTER DELETE ON {table} BEGIN {remove} END")
    op.execute(
        f"CREATE TRIGGER {name}_au AFTER UPDATE OF {column} ON {table} BEGIN {remove} {add} END"
    )
    op.execute(f"INSERT INTO {name}({name}) VALUES ('rebuild')")


def search_terms(query: str) -> list[str]:
    """The words of a user's query (punctuation and operators dropped)."""
    return re.findall(r"\w+", query)


def fulltext_search(
    conn: Connection,
    query: str,
    *,
    name: str,
    table: str,
    column: str,
    key: str,
    limit: int | None = None,
) -> list[Any]:
    """Values of ``table.key`` whose ``column`` holds every word of ``query``,
    best match first (ties by key). The query is words, not a query language:
    the same words find the same rows on SQLite and PostgreSQL."""
    terms = search_terms(query)
    if not terms:
        return []
    lim = f" LIMIT {int(limit)}" if limit is not None else ""
    if dialect_of(conn) == "postgresql":
        vec = f"to_tsvector('{PG_TS_CONFIG}', t.{column})"
        q = f"plainto_tsquery('{PG_TS_CONFIG}', :q)"
        sql = (
            f"SELECT t.{key} FROM {table} t WHERE {vec} @@ {q} "
            f"ORDER BY ts_rank({vec}, {q}) DESC, t.{key}{lim}"
        )
        return [r[0] for r in conn.execute(text(sql), {"q": " ".join(terms)})]
    match = " ".join('"' + w.replace('"', '""') + '"' for w in terms)
    sql = (
        f"SELECT t.{key} FROM {name} f JOIN {table} t ON t.rowid = f.rowid "
        f"WHERE {name} MATCH :q ORDER BY f.rank, t.{key}{lim}"
    )
    return [r[0] for r in conn.execute(text(sql), {"q": match})]


# -- serialising writers ----------------------------------------------------------------


def write_lock(conn: Connection, table: str) -> None:
    """Serialise writers of ``table`` until the transaction ends.

    For read-then-write sequences that must not interleave between processes
    (a hash chain's last entry, a check-then-insert). PostgreSQL: a table lock
    that lets readers through; SQLite: takes the database write lock now
    (an UPDATE that matches no row still opens the write transaction).
    """
    if dialect_of(conn) == "postgresql":
        conn.execute(text(f"LOCK TABLE {table} IN SHARE ROW EXCLUSIVE MODE"))
    else:
        conn.execute(text(f"UPDATE {table} SET rowid = rowid WHERE 0"))


def migration_lock(conn: Connection) -> None:
    """Make concurrent migrations of one database run one after the other."""
    if dialect_of(conn) == "postgresql":
        # a transaction-scoped advisory lock: released at commit or rollback
        conn.execute(text("SELECT pg_advisory_xact_lock(7160400512)"))
    else:
        conn.exec_driver_sql("BEGIN IMMEDIATE")


def reset_sequences(conn: Connection, tables: Sequence[Any]) -> None:
    """After rows were inserted with explicit ids, make new ids follow them.

    PostgreSQL's serial sequences do not see explicit ids (the next insert
    would collide); SQLite takes max(rowid) + 1 by itself.
    """
    if dialect_of(conn) != "postgresql":
        return
    for table in tables:
        pk = list(table.primary_key.columns)
        if len(pk) != 1 or pk[0].autoincrement not in (True, "auto"):
            continue
        col = pk[0]
        if not isinstance(col.type, Integer):
            continue
        conn.execute(
            text(
                f"SELECT setval(pg_get_serial_sequence('{table.name}', '{col.name}'), "
                f"COALESCE(MAX({col.name}), 0) + 1, false) FROM {table.name}"
            )
        )


def is_transient(exc: BaseException) -> bool:
    """An error another process's concurrent write can cause, gone on a retry:
    a unique key inserted meanwhile, a deadlock or serialisation failure, a
    SQLite database still locked after the busy timeout."""
    orig = getattr(exc, "orig", None)
    state = getattr(orig, "sqlstate", None)
    if state is not None:
        return state in ("23505", "40001", "40P01")
    message = str(orig if orig is not None else exc)
    return "UNIQUE constraint failed" in message or "database is locked" in message


# -- stemmed document search (PostgreSQL side of SQLite's FTS5 porter tokenizer) ---------

#: English stems like FTS5's porter tokenizer, and like it no stop words ("not",
#: "no" matter in mine reporting): snowball without a stop-word list.
PG_STEMMED = "minewatch_english"


def pg_stemmed_config(op: _Executor) -> None:
    """Create the :data:`PG_STEMMED` text search configuration (PostgreSQL only)."""
    op.execute(
        f"CREATE TEXT SEARCH DICTIONARY {PG_STEMMED}_stem (TEMPLATE = snowball, Language = english)"
    )
    op.execute(f"CREATE TEXT SEARCH CONFIGURATION {PG_STEMMED} (COPY = pg_catalog.english)")
    op.execute(
        f"ALTER TEXT SEARCH CONFIGURATION {PG_STEMMED} ALTER MAPPING FOR "
        f"asciiword, asciihword, hword_asciipart, word, hword, hword_part WITH {PG_STEMMED}_stem"
    )


def pg_tsquery(terms: Sequence[str], param: str = "q") -> tuple[str, dict[str, str]]:
    """A tsquery requiring every term (a word, or a phrase of several words) and
    its bound parameters. Terms are bound, never spliced: no query syntax passes."""
    parts, params = [], {}
    for k, term in enumerate(terms):
        fn = "phraseto_tsquery" if len(term.split()) > 1 else "plainto_tsquery"
        parts.append(f"{fn}('{PG_STEMMED}', :{param}{k})")
        params[f"{param}{k}"] = term
    return " && ".join(parts), params
