"""Shared test fixtures. Fixtures are built in code; ../shared is optional."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
SEEDS = SHARED / "seeds"


def require_shared() -> Path:
    """Return ../shared/seeds, or skip (fail under CI=true) when it is missing."""
    if SEEDS.is_dir() and (SEEDS / "sources.csv").is_file():
        return SEEDS
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(f"CI=true but the shared seeds are missing at {SEEDS}")
    pytest.skip(f"../shared/seeds not present at {SEEDS}")


@pytest.fixture
def seeds_dir() -> Path:
    """The five seed documents with sources.csv (skips outside CI if absent)."""
    return require_shared()


# -- database backends -------------------------------------------------------------
# Store tests run on SQLite and on a real PostgreSQL server named by MINEWATCH_TEST_PG
# (.ci/run starts one; locally: `export MINEWATCH_TEST_PG=$(.ci/pg-start /tmp/mw-pg)`).
# Without it the PostgreSQL cases skip, except under CI=true where they fail.

PG_ENV = "MINEWATCH_TEST_PG"
BACKENDS = ("sqlite", "postgresql")


def require_pg() -> str:
    """The test server's URL, or skip (fail under CI=true) when none is given."""
    url = os.environ.get(PG_ENV, "").strip()
    if url:
        return url
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(f"CI=true but {PG_ENV} names no PostgreSQL server")
    pytest.skip(f"{PG_ENV} not set: no PostgreSQL server to test on")


def pg_schema_url(base: str, schema: str) -> str:
    """``base`` with every connection's search_path set to ``schema``."""
    sep = "&" if "?" in base else "?"
    return f"{base}{sep}options=-csearch_path%3D{schema}"


def _pg_exec(base: str, sql: str) -> None:
    from sqlalchemy import create_engine, text

    engine = create_engine(base, isolation_level="AUTOCOMMIT")
    try:
        with engine.connect() as conn:
            conn.execute(text(sql))
    finally:
        engine.dispose()


@pytest.fixture
def pg_url() -> Iterator[str]:
    """A URL to an empty schema of its own on the test server (dropped afterwards):
    one database for the whole session, one schema per test."""
    import uuid

    base = require_pg()
    schema = f"t_{uuid.uuid4().hex[:12]}"
    _pg_exec(base, f"CREATE SCHEMA {schema}")
    try:
        yield pg_schema_url(base, schema)
    finally:
        _pg_exec(base, f"DROP SCHEMA {schema} CASCADE")


@pytest.fixture(params=BACKENDS)
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A fresh database on each backend: a SQLite file path, or a PostgreSQL URL."""
    if request.param == "sqlite":
        return str(tmp_path / "minewatch.db")
    return str(request.getfixturevalue("pg_url"))


@pytest.fixture(scope="session")
def dask_cluster() -> Iterator[Any]:
    """One small local Dask cluster for the session: 2 processes, 1 thread each."""
    from minewatch.scaleout import dask_client

    with dask_client(workers=2) as client:
        yield client
