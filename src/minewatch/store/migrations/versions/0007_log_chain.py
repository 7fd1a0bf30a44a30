"""The log as a hash chain: each entry carries the hash of the one before it and of
what it records.

Existing entries are chained in id order (their ``subject_hash`` stays null:
what they recorded was not hashed at the time).

Revision ID: 0007_log_chain
Revises: 0006_views
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from minewatch.store.backend import drop_guard, forbid
from minewatch.store.custody import entry_hash

revision = "0007_log_chain"
down_revision = "0006_views"
branch_labels = None
depends_on = None


def upgrade() -> None:
    for name in ("prev_hash", "subject_hash", "hash"):
        op.add_column("log", sa.Column(name, sa.String(64)))
    conn = op.get_bind()
    log = sa.table(
        "log",
        *(
            sa.column(c)
            for c in (
                "id",
                "at",
                "who",
                "action",
                "object_type",
                "object_id",
                "detail",
                "prev_hash",
                "subject_hash",
                "hash",
            )
        ),
    )
    rows = conn.execute(sa.select(log).order_by(log.c.id)).all()
    if rows:
        drop_guard(op, "log_no_update", "log")  # the only time a log row is written twice
        prev = None
        for r in rows:
            h = entry_hash(
                id=r.id,
                prev_hash=prev,
                at=r.at,
                who=r.who,
                action=r.action,
                object_type=r.object_type,
                object_id=r.object_id,
                detail=r.detail,
                subject_hash=None,
            )
            conn.execute(log.update().where(log.c.id == r.id).values(prev_hash=prev, hash=h))
            prev = h
        forbid(op, "log_no_update", "log", "UPDATE", "the log is append-only")


def downgrade() -> None:
    raise NotImplementedError("minewatch never drops evidence columns")
