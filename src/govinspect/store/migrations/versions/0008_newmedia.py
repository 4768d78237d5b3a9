"""政务新媒体 accounts registry and the record of their checks.

Revision ID: 0008
Revises: 0007 (the lead re-chains it after 0004-0007 at merge)
Create Date: 2026-12-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "newmedia_accounts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("platform", sa.String(length=32), nullable=False),
        sa.Column("account_id", sa.String(length=255), nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("organiser", sa.String(length=255), nullable=False),
        sa.Column("feed_url", sa.String(length=2048), nullable=False),
        sa.Column("subject", sa.String(length=255), nullable=False),
        sa.Column("record_no", sa.String(length=64), nullable=False),
        sa.Column("record_date", sa.String(length=10), nullable=False),
        sa.Column("status", sa.String(length=16), server_default="运行", nullable=False),
        sa.Column("connector", sa.String(length=16), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_newmedia_accounts")),
        sa.UniqueConstraint("platform", "account_id", name="uq_newmedia_accounts_platform"),
    )
    op.create_table(
        "newmedia_checks",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("platform", sa.String(length=32), nullable=False),
        sa.Column("account_id", sa.String(length=255), nullable=False),
        sa.Column("as_of", sa.Date(), nullable=False),
        sa.Column("checked_at", sa.DateTime(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("verdict", sa.String(length=16), nullable=False),
        sa.Column("result", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_newmedia_checks")),
    )
    op.create_index(op.f("ix_newmedia_checks_account_id"), "newmedia_checks", ["account_id"], unique=False)


def downgrade() -> None:
    op.drop_index(op.f("ix_newmedia_checks_account_id"), table_name="newmedia_checks")
    op.drop_table("newmedia_checks")
    op.drop_table("newmedia_accounts")
