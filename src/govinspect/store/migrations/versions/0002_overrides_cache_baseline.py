"""Site overrides, page cache for incremental re-inspection, home-page baselines.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-24
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("sites") as batch:
        batch.add_column(sa.Column("overrides", sa.JSON(), nullable=True))
    op.create_table(
        "page_cache",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("site_id", sa.Integer(), nullable=False),
        sa.Column("url", sa.String(length=2048), nullable=False),
        sa.Column("etag", sa.String(length=512), nullable=True),
        sa.Column("last_modified", sa.String(length=64), nullable=True),
        sa.Column("content_hash", sa.String(length=64), nullable=True),
        sa.Column("status", sa.Integer(), nullable=True),
        sa.Column("extract", sa.JSON(), nullable=True),
        sa.Column("fetched_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["site_id"], ["sites.id"], name=op.f("fk_page_cache_site_id_sites"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_page_cache")),
        sa.UniqueConstraint("site_id", "url", name="uq_page_cache_site_id_url"),
    )
    op.create_index(op.f("ix_page_cache_site_id"), "page_cache", ["site_id"], unique=False)
    op.create_table(
        "site_baselines",
        sa.Column("site_id", sa.Integer(), nullable=False),
        sa.Column("inspection_id", sa.Integer(), nullable=True),
        sa.Column("fingerprint", sa.JSON(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["site_id"], ["sites.id"], name=op.f("fk_site_baselines_site_id_sites"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("site_id", name=op.f("pk_site_baselines")),
    )


def downgrade() -> None:
    op.drop_table("site_baselines")
    op.drop_index(op.f("ix_page_cache_site_id"), table_name="page_cache")
    op.drop_table("page_cache")
    with op.batch_alter_table("sites") as batch:
        batch.drop_column("overrides")
