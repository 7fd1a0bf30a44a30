"""Confidential documents: a flag that keeps a document out of reports and public exports.

Revision ID: 0004_custody
Revises: 0003
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004_custody"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # A plain ADD COLUMN (not batch mode): rebuilding the table would drop its triggers.
    op.add_column(
        "documents",
        sa.Column("confidential", sa.Boolean, nullable=False, server_default=sa.false()),
    )


def downgrade() -> None:
    raise NotImplementedError("minewatch never drops evidence columns")
