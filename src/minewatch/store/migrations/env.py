"""Alembic environment: minewatch runs migrations in-process on a connection
passed through ``config.attributes["connection"]``."""

from __future__ import annotations

from alembic import context

from minewatch.store.schema import metadata

connection = context.config.attributes.get("connection")
if connection is None:  # pragma: no cover - only used when someone runs `alembic` by hand
    raise RuntimeError("minewatch migrations run through minewatch.store.Store.open()")

context.configure(
    connection=connection,
    target_metadata=metadata,
    render_as_batch=True,  # SQLite cannot ALTER most things; batch mode copies tables
)
with context.begin_transaction():
    context.run_migrations()
