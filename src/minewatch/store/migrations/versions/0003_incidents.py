"""Gazetteer places, incidents, human decisions and source links.

Revision ID: 0003
Revises: 0002
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from minewatch.store.backend import forbid

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "places",
        sa.Column("id", sa.String(120), primary_key=True),
        sa.Column("name", sa.Text, nullable=False),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("country", sa.String(2)),
        sa.Column("admin1", sa.Text),
        sa.Column("lat", sa.Float),
        sa.Column("lon", sa.Float),
        sa.Column("geometry_wkt", sa.Text),
        sa.Column("variants_json", sa.Text, nullable=False),
        sa.Column("origin", sa.String(20), nullable=False),
        sa.Column("source", sa.Text, nullable=False),
        sa.Column("added_at", sa.String(32), nullable=False),
    )
    op.create_table(
        "incidents",
        sa.Column("id", sa.String(80), primary_key=True),
        sa.Column("type", sa.String(20), nullable=False),
        sa.Column("country", sa.String(2)),
        sa.Column("review", sa.String(20), nullable=False),
        sa.Column("confidence", sa.Float, nullable=False),
        sa.Column("independent_sources", sa.Integer, nullable=False),
        sa.Column("when_start", sa.String(10)),
        sa.Column("payload", sa.Text, nullable=False),
        sa.Column("built_at", sa.String(32), nullable=False),
    )
    op.create_table(
        "incident_members",
        sa.Column("incident_id", sa.String(80), sa.ForeignKey("incidents.id"), primary_key=True),
        sa.Column("event_key", sa.String(120), primary_key=True),
        sa.Column("document_id", sa.String(80), nullable=False),
    )
    op.create_index("ix_incident_members_event", "incident_members", ["event_key"])
    op.create_table(
        "decisions",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("target", sa.Text, nullable=False),
        sa.Column("payload", sa.Text, nullable=False),
        sa.Column("reason", sa.Text),
        sa.Column("who", sa.Text, nullable=False),
        sa.Column("at", sa.String(32), nullable=False),
    )
    op.create_table(
        "source_links",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("document_id", sa.String(80), sa.ForeignKey("documents.id"), nullable=False),
        sa.Column("original_source", sa.Text, nullable=False),
        sa.Column("source_kind", sa.String(40)),
        sa.Column("method", sa.String(40), nullable=False),
        sa.Column("derived_from", sa.String(80)),
        sa.Column("evidence", sa.Text),
    )
    op.create_index("ix_source_links_document", "source_links", ["document_id"])
    forbid(op, "decisions_no_update", "decisions", "UPDATE", "human decisions are never rewritten")
    forbid(op, "decisions_no_delete", "decisions", "DELETE", "human decisions are never deleted")


def downgrade() -> None:
    for name in ("source_links", "decisions", "incident_members", "incidents", "places"):
        op.drop_table(name)
