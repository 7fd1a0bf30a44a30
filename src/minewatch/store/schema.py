"""Table definitions (SQLAlchemy Core). Migrations create these; this module
describes the head schema so that a test can compare the two.

Types are portable (no SQLite-only features) so PostgreSQL can follow.
"""

from __future__ import annotations

from sqlalchemy import (
    Boolean,
    Column,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
    false,
)

metadata = MetaData()

# Originals: immutable, content-addressed by SHA-256 (the primary key).
documents = Table(
    "documents",
    metadata,
    Column("id", String(80), primary_key=True),  # "sha256:<hex>"
    Column("sha256", String(64), nullable=False, unique=True),
    Column("original", LargeBinary, nullable=False),
    Column("size", Integer, nullable=False),
    Column("media_type", String(100), nullable=False),
    Column("input_id", Text, nullable=False),
    Column("title", Text),
    Column("publisher", Text),
    Column("published", String(10)),  # partial ISO date kept partial: 2020-10
    Column("url", Text),
    Column("language", String(20)),
    Column("metadata_json", Text, nullable=False, default="{}"),
    Column("ingested_at", String(32), nullable=False),  # UTC ISO 8601
    Column("ingested_by", Text, nullable=False),
    # Confidential material never reaches a report, a public export or a viewer.
    Column("confidential", Boolean, nullable=False, server_default=false()),
)

# Derived working copy of the text; offsets of evidence spans index this text.
texts = Table(
    "texts",
    metadata,
    Column("document_id", String(80), ForeignKey("documents.id"), primary_key=True),
    Column("text", Text, nullable=False),
    Column("extractor", String(100), nullable=False),
    Column("extractor_version", String(50), nullable=False),
    Column("created_at", String(32), nullable=False),
)

extraction_runs = Table(
    "extraction_runs",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("document_id", String(80), ForeignKey("documents.id"), nullable=False),
    Column("extractor_version", String(50), nullable=False),
    Column("n_events", Integer, nullable=False),
    Column("at", String(32), nullable=False),
    Column("who", Text, nullable=False),
)

events = Table(
    "events",
    metadata,
    Column("key", String(120), primary_key=True),  # "sha256:<hex>#e1"
    Column("document_id", String(80), ForeignKey("documents.id"), nullable=False),
    Column("local_id", String(20), nullable=False),
    Column("run_id", Integer, ForeignKey("extraction_runs.id"), nullable=False),
    Column("type", String(20), nullable=False),
    Column("status", String(20), nullable=False),
    Column("context", Boolean, nullable=False),
    Column("when_start", String(10)),
    Column("when_end", String(10)),
    Column("when_precision", String(20), nullable=False),
    Column("killed_best", Integer),
    Column("injured_best", Integer),
    Column("casualties_best", Integer),
    Column("victims", String(20)),
    Column("confidence", Float, nullable=False),
    Column("payload", Text, nullable=False),  # the full Event JSON
    UniqueConstraint("document_id", "local_id", name="uq_events_doc_local"),
)
Index("ix_events_document", events.c.document_id)
Index("ix_events_type_start", events.c.type, events.c.when_start)

evidence = Table(
    "evidence",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("event_key", String(120), ForeignKey("events.key"), nullable=False),
    Column("field", String(40), nullable=False),
    Column("start", Integer, nullable=False),
    Column("end", Integer, nullable=False),
)
Index("ix_evidence_event", evidence.c.event_key)

event_places = Table(
    "event_places",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("event_key", String(120), ForeignKey("events.key"), nullable=False),
    Column("text", Text, nullable=False),
    Column("place_id", String(120)),
    Column("name", Text),
    Column("country", String(2)),
    Column("admin1", Text),
    Column("lat", Float),
    Column("lon", Float),
    Column("precision", Integer, nullable=False),
    Column("relation", String(10), nullable=False),
)
Index("ix_event_places_event", event_places.c.event_key)

# Gazetteer entries added by users or imported from GeoNames dumps.
places = Table(
    "places",
    metadata,
    Column("id", String(120), primary_key=True),
    Column("name", Text, nullable=False),
    Column("kind", String(20), nullable=False),
    Column("country", String(2)),
    Column("admin1", Text),
    Column("lat", Float),
    Column("lon", Float),
    Column("geometry_wkt", Text),
    Column("variants_json", Text, nullable=False, default="[]"),
    Column("origin", String(20), nullable=False),  # "user" | "geonames"
    Column("source", Text, nullable=False),
    Column("added_at", String(32), nullable=False),
)

incidents = Table(
    "incidents",
    metadata,
    Column("id", String(80), primary_key=True),
    Column("type", String(20), nullable=False),
    Column("country", String(2)),
    Column("review", String(20), nullable=False),
    Column("confidence", Float, nullable=False),
    Column("independent_sources", Integer, nullable=False),
    Column("when_start", String(10)),
    Column("payload", Text, nullable=False),  # the full Incident JSON
    Column("built_at", String(32), nullable=False),
)

incident_members = Table(
    "incident_members",
    metadata,
    Column("incident_id", String(80), ForeignKey("incidents.id"), primary_key=True),
    Column("event_key", String(120), primary_key=True),
    Column("document_id", String(80), nullable=False),
)
Index("ix_incident_members_event", incident_members.c.event_key)

# Human decisions: confirm / reject / merge / split / edit. Never deleted.
decisions = Table(
    "decisions",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("kind", String(20), nullable=False),
    Column("target", Text, nullable=False),  # JSON: incident id and/or event keys
    Column("payload", Text, nullable=False, default="{}"),
    Column("reason", Text),
    Column("who", Text, nullable=False),
    Column("at", String(32), nullable=False),
)

# Attribution chain: document -> original source it derives from.
source_links = Table(
    "source_links",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("document_id", String(80), ForeignKey("documents.id"), nullable=False),
    Column("original_source", Text, nullable=False),
    Column("source_kind", String(40)),
    Column("method", String(40), nullable=False),  # attribution | near_duplicate | shared_quote
    Column("derived_from", String(80)),  # another document id, when known
    Column("evidence", Text),
)
Index("ix_source_links_document", source_links.c.document_id)

# Append-only log of every change.
log = Table(
    "log",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("at", String(32), nullable=False),
    Column("who", Text, nullable=False),
    Column("action", String(40), nullable=False),
    Column("object_type", String(40), nullable=False),
    Column("object_id", Text),
    Column("detail", Text, nullable=False, default="{}"),
    # Hash chain (store/custody.py): the entry before, what this entry records, itself.
    Column("prev_hash", String(64)),
    Column("subject_hash", String(64)),
    Column("hash", String(64)),
)

# Web review (migration 0005_web): accounts and login sessions.
users = Table(
    "users",
    metadata,
    Column("name", String(80), primary_key=True),
    Column("role", String(20), nullable=False),  # viewer | reviewer | admin
    Column("password_hash", Text, nullable=False),  # argon2id
    Column("created_at", String(32), nullable=False),
    Column("active", Boolean, nullable=False),
)

web_sessions = Table(
    "web_sessions",
    metadata,
    Column("token_hash", String(64), primary_key=True),
    Column("user_name", String(80), ForeignKey("users.name"), nullable=False),
    Column("csrf", String(64), nullable=False),
    Column("created_at", String(32), nullable=False),
    Column("expires_at", String(32), nullable=False),
)
Index("ix_web_sessions_user", web_sessions.c.user_name)

# Migration 0005_web: the web's incident list filters and sorts in SQL.
Index("ix_incidents_when", incidents.c.when_start, incidents.c.id)
Index("ix_incidents_type", incidents.c.type, incidents.c.when_start)
Index("ix_incidents_country", incidents.c.country)
Index("ix_incidents_review", incidents.c.review)
Index("ix_incidents_confidence", incidents.c.confidence)
Index("ix_incidents_sources", incidents.c.independent_sources)
Index("ix_incident_members_document", incident_members.c.document_id)

#: The SQLite FTS5 index over documents (and its shadow tables) is derived and
#: dialect-specific, so it is not declared here; schema comparisons skip it.
FTS_TABLE = "documents_fts"


def is_declared(table_name: str) -> bool:
    """False for tables a migration creates outside this module (the FTS index)."""
    return not table_name.startswith(FTS_TABLE)
