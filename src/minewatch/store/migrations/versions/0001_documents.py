"""Originals, derived text and the append-only log.

Revision ID: 0001
Revises:
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from minewatch.store.backend import forbid

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "documents",
        sa.Column("id", sa.String(80), primary_key=True),
        sa.Column("sha256", sa.String(64), nullable=False, unique=True),
        sa.Column("original", sa.LargeBinary, nullable=False),
        sa.Column("size", sa.Integer, nullable=False),
        sa.Column("media_type", sa.String(100), nullable=False),
        sa.Column("input_id", sa.Text, nullable=False),
        sa.Column("title", sa.Text),
        sa.Column("publisher", sa.Text),
        sa.Column("published", sa.String(10)),
        sa.Column("url", sa.Text),
        sa.Column("language", sa.String(20)),
        sa.Column("metadata_json", sa.Text, nullable=False),
        sa.Column("ingested_at", sa.String(32), nullable=False),
        sa.Column("ingested_by", sa.Text, nullable=False),
    )
    op.create_table(
        "texts",
        sa.Column("document_id", sa.String(80), sa.ForeignKey("documents.id"), primary_key=True),
        sa.Column("text", sa.Text, nullable=False),
        sa.Column("extractor", sa.String(100), nullable=False),
        sa.Column("extractor_version", sa.String(50), nullable=False),
        sa.Column("created_at", sa.String(32), nullable=False),
    )
    op.create_table(
        "log",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("at", sa.String(32), nullable=False),
        sa.Column("who", sa.Text, nullable=False),
        sa.Column("action", sa.String(40), nullable=False),
        sa.Column("object_type", sa.String(40), nullable=False),
        sa.Column("object_id", sa.Text),
        sa.Column("detail", sa.Text, nullable=False),
    )
    # Guard rails below the API: originals and the log cannot be rewritten (SQLite and
    # PostgreSQL alike; see minewatch.store.backend.forbid).
    forbid(
        op,
        "documents_original_immutable",
        "documents",
        "UPDATE",
        "originals are immutable",
        columns=("original", "sha256", "id"),
    )
    forbid(op, "documents_no_delete", "documents", "DELETE", "originals are never deleted")
    forbid(op, "log_no_update", "log", "UPDATE", "the log is append-only")
    forbid(op, "log_no_delete", "log", "DELETE", "the log is append-only")


def downgrade() -> None:
    raise NotImplementedError("minewatch never drops evidence tables")
