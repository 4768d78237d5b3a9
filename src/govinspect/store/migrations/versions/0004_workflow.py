"""The supervision workflow: registry fields on sites, run membership, 整改 tasks and events,
找错 messages and their status changes, 问责 records, hand-entered annual-report values.

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

SITE_COLUMNS = (
    ("region_code", sa.String(length=32)),
    ("supervisor", sa.String(length=255)),
    ("status_since", sa.Date()),
    ("status_reason", sa.Text()),
    ("status_destination", sa.Text()),
    ("opened", sa.Date()),
    ("contacts", sa.JSON()),
)


def _id() -> sa.Column:
    return sa.Column("id", sa.Integer(), nullable=False)


def _fk(column: str, table: str, source: str, ondelete: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        [column], [f"{table}.id"], name=op.f(f"fk_{source}_{column}_{table}"), ondelete=ondelete
    )


def _index(table: str, *columns: str) -> None:
    for column in columns:
        op.create_index(op.f(f"ix_{table}_{column}"), table, [column], unique=False)


def upgrade() -> None:
    with op.batch_alter_table("sites") as batch:
        for name, type_ in SITE_COLUMNS:
            batch.add_column(sa.Column(name, type_, nullable=True))

    op.create_table(
        "run_sites",
        _id(),
        sa.Column("run_id", sa.Integer(), nullable=False),
        sa.Column("site_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("state", sa.String(length=16), server_default="pending", nullable=False),
        sa.Column("inspection_id", sa.Integer(), nullable=True),
        _fk("run_id", "runs", "run_sites", "CASCADE"),
        _fk("site_id", "sites", "run_sites", "CASCADE"),
        _fk("inspection_id", "inspections", "run_sites", "SET NULL"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_run_sites")),
        sa.UniqueConstraint("run_id", "site_id", name="uq_run_sites_run_id_site_id"),
    )
    _index("run_sites", "run_id", "site_id", "inspection_id")

    op.create_table(
        "rectify_tasks",
        _id(),
        sa.Column("site_id", sa.Integer(), nullable=False),
        sa.Column("run_id", sa.Integer(), nullable=True),
        sa.Column("inspection_id", sa.Integer(), nullable=True),
        sa.Column("opened", sa.Date(), nullable=False),
        sa.Column("deadline", sa.Date(), nullable=False),
        sa.Column("deadline_estimated", sa.Boolean(), server_default=sa.false(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("findings", sa.JSON(), nullable=False),
        sa.Column("notes", sa.JSON(), nullable=False),
        sa.Column("rechecks", sa.JSON(), nullable=False),
        _fk("site_id", "sites", "rectify_tasks", "CASCADE"),
        _fk("run_id", "runs", "rectify_tasks", "SET NULL"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_rectify_tasks")),
    )
    _index("rectify_tasks", "site_id", "run_id", "deadline", "status")

    op.create_table(
        "rectify_events",
        _id(),
        sa.Column("task_id", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.Column("who", sa.String(length=255), nullable=False),
        sa.Column("action", sa.String(length=64), nullable=False),
        sa.Column("detail", sa.Text(), nullable=False),
        _fk("task_id", "rectify_tasks", "rectify_events", "CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_rectify_events")),
    )
    _index("rectify_events", "task_id")

    op.create_table(
        "jiucuo_messages",
        _id(),
        sa.Column("number", sa.String(length=64), nullable=False),
        sa.Column("submitted", sa.DateTime(), nullable=False),
        sa.Column("site_code", sa.String(length=32), nullable=False),
        sa.Column("problem_type", sa.String(length=64), nullable=False),
        sa.Column("url", sa.Text(), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("unit", sa.String(length=255), nullable=False),
        sa.Column("site_id", sa.Integer(), nullable=True),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("result", sa.Text(), nullable=False),
        sa.Column("reject_reason", sa.String(length=32), nullable=False),
        sa.Column("duplicate_of", sa.String(length=64), nullable=False),
        sa.Column("closed_at", sa.DateTime(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        _fk("site_id", "sites", "jiucuo_messages", "SET NULL"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_jiucuo_messages")),
        sa.UniqueConstraint("number", name=op.f("uq_jiucuo_messages_number")),
    )
    _index("jiucuo_messages", "submitted", "site_id", "status")

    op.create_table(
        "jiucuo_changes",
        _id(),
        sa.Column("message_id", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.Column("who", sa.String(length=255), nullable=False),
        sa.Column("from_status", sa.String(length=16), nullable=False),
        sa.Column("to_status", sa.String(length=16), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        _fk("message_id", "jiucuo_messages", "jiucuo_changes", "CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_jiucuo_changes")),
    )
    _index("jiucuo_changes", "message_id")

    op.create_table(
        "accountability",
        _id(),
        sa.Column("site_id", sa.Integer(), nullable=True),
        sa.Column("run_id", sa.Integer(), nullable=True),
        sa.Column("person", sa.String(length=255), nullable=False),
        sa.Column("unit", sa.String(length=255), nullable=False),
        sa.Column("form", sa.String(length=32), nullable=False),
        sa.Column("date", sa.Date(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("recorded_by", sa.String(length=255), nullable=False),
        sa.Column("recorded_at", sa.DateTime(), nullable=False),
        _fk("site_id", "sites", "accountability", "SET NULL"),
        _fk("run_id", "runs", "accountability", "SET NULL"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_accountability")),
    )
    _index("accountability", "site_id", "run_id", "date")

    op.create_table(
        "annual_values",
        _id(),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("site_id", sa.Integer(), nullable=True),
        sa.Column("key", sa.String(length=255), nullable=False),
        sa.Column("value", sa.Text(), nullable=False),
        sa.Column("entered_by", sa.String(length=255), nullable=False),
        sa.Column("entered_at", sa.DateTime(), nullable=False),
        _fk("site_id", "sites", "annual_values", "CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_annual_values")),
    )
    _index("annual_values", "year", "site_id")


TABLES = (
    ("annual_values", ("year", "site_id")),
    ("accountability", ("site_id", "run_id", "date")),
    ("jiucuo_changes", ("message_id",)),
    ("jiucuo_messages", ("submitted", "site_id", "status")),
    ("rectify_events", ("task_id",)),
    ("rectify_tasks", ("site_id", "run_id", "deadline", "status")),
    ("run_sites", ("run_id", "site_id", "inspection_id")),
)


def downgrade() -> None:
    for table, indexed in TABLES:
        for column in indexed:
            op.drop_index(op.f(f"ix_{table}_{column}"), table_name=table)
        op.drop_table(table)
    with op.batch_alter_table("sites") as batch:
        for name, _type in reversed(SITE_COLUMNS):
            batch.drop_column(name)
