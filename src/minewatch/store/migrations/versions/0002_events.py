"""Extraction runs, events, evidence spans and event places.

Revision ID: 0002
Revises: 0001
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "extraction_runs",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("document_id", sa.String(80), sa.ForeignKey("documents.id"), nullable=False),
        sa.Column("extractor_version", sa.String(50), nullable=False),
        sa.Column("n_events", sa.Integer, nullable=False),
        sa.Column("at", sa.String(32), nullable=False),
        sa.Column("who", sa.Text, nullable=False),
    )
    op.create_table(
        "events",
        sa.Column("key", sa.String(120), primary_key=True),
        sa.Column("document_id", sa.String(80), sa.ForeignKey("documents.id"), nullable=False),
        sa.Column("local_id", sa.String(20), nullable=False),
        sa.Column("run_id", sa.Integer, sa.ForeignKey("extraction_runs.id"), nullable=False),
        sa.Column("type", sa.String(20), nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("context", sa.Boolean, nullable=False),
        sa.Column("when_start", sa.String(10)),
        sa.Column("when_end", sa.String(10)),
        sa.Column("when_precision", sa.String(20), nullable=False),
        sa.Column("killed_best", sa.Integer),
        sa.Column("injured_best", sa.Integer),
        sa.Column("casualties_best", sa.Integer),
        sa.Column("victims", sa.String(20)),
        sa.Column("confidence", sa.Float, nullable=False),
        sa.Column("payload", sa.Text, nullable=False),
        sa.UniqueConstraint("document_id", "local_id", name="uq_events_doc_local"),
    )
    op.create_index("ix_events_document", "events", ["document_id"])
    op.create_index("ix_events_type_start", "events", ["type", "when_start"])
    op.create_table(
        "evidence",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("event_key", sa.String(120), sa.ForeignKey("events.key"), nullable=False),
        sa.Column("field", sa.String(40), nullable=False),
        sa.Column("start", sa.Integer, nullable=False),
        sa.Column("end", sa.Integer, nullable=False),
    )
    op.create_index("ix_evidence_event", "evidence", ["event_key"])
    op.create_table(
        "event_places",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("event_key", sa.String(120), sa.ForeignKey("events.key"), nullable=False),
        sa.Column("text", sa.Text, nullable=False),
        sa.Column("place_id", sa.String(120)),
        sa.Column("name", sa.Text),
        sa.Column("country", sa.String(2)),
        sa.Column("admin1", sa.Text),
        sa.Column("lat", sa.Float),
        sa.Column("lon", sa.Float),
        sa.Column("precision", sa.Integer, nullable=False),
        sa.Column("relation", sa.String(10), nullable=False),
    )
    op.create_index("ix_event_places_event", "event_places", ["event_key"])


def downgrade() -> None:
    for name in ("event_places", "evidence", "events", "extraction_runs"):
        op.drop_table(name)
