"""Web review: user accounts, login sessions, full-text index over documents.

Revision ID: 0005_web
Revises: 0004_custody

The full-text index is SQLite FTS5, kept in step with ``texts`` and
``documents.title`` by triggers; on PostgreSQL a GIN index over the tsvector of
each text and title (English stems, no stop words: see
``minewatch.store.backend.pg_stemmed_config``), which PostgreSQL keeps in step
by itself.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from minewatch.store.backend import PG_STEMMED, pg_stemmed_config

revision = "0005_web"
down_revision = "0004_custody"
branch_labels = None
depends_on = None

#: Name of the FTS5 table (its shadow tables start with the same name).
FTS = "documents_fts"


INCIDENT_INDEXES = {
    "ix_incidents_when": ["when_start", "id"],
    "ix_incidents_type": ["type", "when_start"],
    "ix_incidents_country": ["country"],
    "ix_incidents_review": ["review"],
    "ix_incidents_confidence": ["confidence"],
    "ix_incidents_sources": ["independent_sources"],
}


def _sqlite_fts_ddl() -> list[str]:
    """FTS5 table, triggers keeping it in step, and the backfill (SQLite only)."""
    return [
        f"CREATE VIRTUAL TABLE {FTS} USING fts5("
        "document_id UNINDEXED, title, text, tokenize='porter unicode61 remove_diacritics 2')",
        f"CREATE TRIGGER {FTS}_text_ai AFTER INSERT ON texts BEGIN "
        f"INSERT INTO {FTS}(document_id, title, text) "
        "SELECT NEW.document_id, d.title, NEW.text FROM documents d WHERE d.id = NEW.document_id; "
        "END",
        f"CREATE TRIGGER {FTS}_text_au AFTER UPDATE OF text ON texts BEGIN "
        f"UPDATE {FTS} SET text = NEW.text WHERE document_id = NEW.document_id; END",
        f"CREATE TRIGGER {FTS}_text_ad AFTER DELETE ON texts BEGIN "
        f"DELETE FROM {FTS} WHERE document_id = OLD.document_id; END",
        f"CREATE TRIGGER {FTS}_title_au AFTER UPDATE OF title ON documents BEGIN "
        f"UPDATE {FTS} SET title = NEW.title WHERE document_id = NEW.id; END",
        f"INSERT INTO {FTS}(document_id, title, text) "
        "SELECT t.document_id, d.title, t.text FROM texts t "
        "JOIN documents d ON d.id = t.document_id",
    ]


def upgrade() -> None:
    op.create_table(
        "users",
        sa.Column("name", sa.String(80), primary_key=True),
        sa.Column("role", sa.String(20), nullable=False),
        sa.Column("password_hash", sa.Text, nullable=False),
        sa.Column("created_at", sa.String(32), nullable=False),
        sa.Column("active", sa.Boolean, nullable=False),
    )
    op.create_table(
        "web_sessions",
        # SHA-256 of the cookie value: a copied database does not hand out live sessions
        sa.Column("token_hash", sa.String(64), primary_key=True),
        sa.Column("user_name", sa.String(80), sa.ForeignKey("users.name"), nullable=False),
        sa.Column("csrf", sa.String(64), nullable=False),
        sa.Column("created_at", sa.String(32), nullable=False),
        sa.Column("expires_at", sa.String(32), nullable=False),
    )
    op.create_index("ix_web_sessions_user", "web_sessions", ["user_name"])
    # the incident list filters and sorts 10,000s of incidents in SQL
    for name, cols in INCIDENT_INDEXES.items():
        op.create_index(name, "incidents", cols)
    op.create_index("ix_incident_members_document", "incident_members", ["document_id"])
    if op.get_bind().dialect.name == "sqlite":
        for ddl in _sqlite_fts_ddl():
            op.execute(ddl)
    elif op.get_bind().dialect.name == "postgresql":
        pg_stemmed_config(op)
        op.execute(
            f"CREATE INDEX ix_texts_fts ON texts USING gin (to_tsvector('{PG_STEMMED}', text))"
        )
        op.execute(
            "CREATE INDEX ix_documents_title_fts ON documents "
            f"USING gin (to_tsvector('{PG_STEMMED}', coalesce(title, '')))"
        )


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        for trig in ("text_ai", "text_au", "text_ad", "title_au"):
            op.execute(f"DROP TRIGGER IF EXISTS {FTS}_{trig}")
        op.execute(f"DROP TABLE IF EXISTS {FTS}")
    op.drop_index("ix_incident_members_document", "incident_members")
    for name in INCIDENT_INDEXES:
        op.drop_index(name, "incidents")
    op.drop_table("web_sessions")
    op.drop_table("users")
