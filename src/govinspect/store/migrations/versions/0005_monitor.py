"""The monitor: per-site state, leases, alerts, outbox, subscriptions, maintenance windows;
probes get final_url and held.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def _site_fk(table: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        ["site_id"], ["sites.id"], name=op.f(f"fk_{table}_site_id_sites"), ondelete="CASCADE"
    )


def upgrade() -> None:
    with op.batch_alter_table("probes") as batch:
        batch.add_column(sa.Column("final_url", sa.String(length=2048), nullable=True))
        batch.add_column(sa.Column("held", sa.Boolean(), server_default=sa.false(), nullable=False))
    op.create_table(
        "monitor_sites",
        sa.Column("site_id", sa.Integer(), nullable=False),
        sa.Column("state", sa.JSON(), nullable=False),
        sa.Column("probe_interval_s", sa.Float(), nullable=True),
        sa.Column("light_interval_s", sa.Float(), nullable=True),
        sa.Column("full_interval_s", sa.Float(), nullable=True),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        _site_fk("monitor_sites"),
        sa.PrimaryKeyConstraint("site_id", name=op.f("pk_monitor_sites")),
    )
    op.create_table(
        "monitor_leases",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("site_id", sa.Integer(), nullable=False),
        sa.Column("job", sa.String(length=16), nullable=False),
        sa.Column("slot", sa.BigInteger(), nullable=False),
        sa.Column("owner", sa.String(length=128), nullable=False),
        sa.Column("taken_at", sa.DateTime(), nullable=False),
        _site_fk("monitor_leases"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_monitor_leases")),
        sa.UniqueConstraint("site_id", "job", "slot", name="uq_monitor_leases_site_id_job_slot"),
    )
    op.create_index(op.f("ix_monitor_leases_taken_at"), "monitor_leases", ["taken_at"], unique=False)
    op.create_table(
        "alerts",
        sa.Column("id", sa.String(length=64), nullable=False),
        sa.Column("site_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.Column("data", sa.JSON(), nullable=False),
        _site_fk("alerts"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_alerts")),
    )
    op.create_index(op.f("ix_alerts_site_id"), "alerts", ["site_id"], unique=False)
    op.create_index(op.f("ix_alerts_at"), "alerts", ["at"], unique=False)
    op.create_table(
        "alert_outbox",
        sa.Column("id", sa.String(length=64), nullable=False),
        sa.Column("ref", sa.Text(), nullable=False),
        sa.Column("channel", sa.Text(), nullable=False),
        sa.Column("title", sa.Text(), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("created", sa.DateTime(), nullable=False),
        sa.Column("status", sa.String(length=16), server_default="pending", nullable=False),
        sa.Column("attempts", sa.Integer(), server_default="0", nullable=False),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.Column("next_attempt", sa.DateTime(), nullable=True),
        sa.Column("sent_at", sa.DateTime(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_alert_outbox")),
    )
    op.create_index(op.f("ix_alert_outbox_status"), "alert_outbox", ["status"], unique=False)
    op.create_table(
        "alert_subscriptions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("channel", sa.Text(), nullable=False),
        sa.Column("sites", sa.JSON(), nullable=True),
        sa.Column("kinds", sa.JSON(), nullable=True),
        sa.Column("digest", sa.Boolean(), server_default=sa.false(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_alert_subscriptions")),
    )
    op.create_table(
        "maintenance_windows",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("site_id", sa.Integer(), nullable=False),
        sa.Column("start", sa.DateTime(), nullable=False),
        sa.Column("end", sa.DateTime(), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        _site_fk("maintenance_windows"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_maintenance_windows")),
    )
    op.create_index(op.f("ix_maintenance_windows_site_id"), "maintenance_windows", ["site_id"], unique=False)


def downgrade() -> None:
    op.drop_index(op.f("ix_maintenance_windows_site_id"), table_name="maintenance_windows")
    op.drop_table("maintenance_windows")
    op.drop_table("alert_subscriptions")
    op.drop_index(op.f("ix_alert_outbox_status"), table_name="alert_outbox")
    op.drop_table("alert_outbox")
    op.drop_index(op.f("ix_alerts_at"), table_name="alerts")
    op.drop_index(op.f("ix_alerts_site_id"), table_name="alerts")
    op.drop_table("alerts")
    op.drop_index(op.f("ix_monitor_leases_taken_at"), table_name="monitor_leases")
    op.drop_table("monitor_leases")
    op.drop_table("monitor_sites")
    with op.batch_alter_table("probes") as batch:
        batch.drop_column("held")
        batch.drop_column("final_url")
