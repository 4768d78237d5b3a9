"""Runs (batches of inspections), inspections.run_id, stable finding keys, availability probes.

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "runs",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("started_by", sa.String(length=255), nullable=False),
        sa.Column("started_at", sa.DateTime(), nullable=False),
        sa.Column("finished_at", sa.DateTime(), nullable=True),
        sa.Column("parameters", sa.JSON(), nullable=False),
        sa.Column("status", sa.String(length=16), server_default="running", nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_runs")),
    )
    # Batch mode copies the table on SQLite; store/migrate.py turns foreign keys off meanwhile, so
    # dropping the old copy does not cascade to the findings and columns.
    with op.batch_alter_table("inspections") as batch:
        batch.add_column(sa.Column("run_id", sa.Integer(), nullable=True))
        batch.create_foreign_key(
            batch.f("fk_inspections_run_id_runs"), "runs", ["run_id"], ["id"], ondelete="SET NULL"
        )
    op.create_index(op.f("ix_inspections_run_id"), "inspections", ["run_id"], unique=False)
    with op.batch_alter_table("findings") as batch:
        batch.add_column(sa.Column("key", sa.String(length=64), nullable=True))
        batch.create_index(batch.f("ix_findings_key"), ["key"], unique=False)
    _backfill_finding_keys()
    op.create_table(
        "probes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("site_id", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.Column("outcome", sa.String(length=16), nullable=False),
        sa.Column("latency_s", sa.Float(), nullable=True),
        sa.Column("status", sa.Integer(), nullable=True),
        sa.Column("error", sa.Text(), nullable=True),
        sa.Column("vantage", sa.String(length=64), server_default="local", nullable=False),
        sa.ForeignKeyConstraint(
            ["site_id"], ["sites.id"], name=op.f("fk_probes_site_id_sites"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_probes")),
    )
    op.create_index(op.f("ix_probes_site_id"), "probes", ["site_id"], unique=False)
    op.create_index(op.f("ix_probes_at"), "probes", ["at"], unique=False)


def _backfill_finding_keys() -> None:
    """Give findings saved before this revision their key, so re-checks can compare with them."""
    from govinspect.model import Finding, finding_key

    findings = sa.table(
        "findings",
        sa.column("id", sa.Integer),
        sa.column("check_id", sa.String),
        sa.column("url", sa.Text),
        sa.column("column_name", sa.Text),
        sa.column("evidence", sa.JSON),
        sa.column("key", sa.String),
    )
    conn = op.get_bind()
    rows = conn.execute(
        sa.select(
            findings.c.id, findings.c.check_id, findings.c.url, findings.c.column_name, findings.c.evidence
        )
    ).all()
    for row in rows:
        finding = Finding(
            check=row.check_id, message="", url=row.url, column=row.column_name, evidence=row.evidence or {}
        )
        conn.execute(findings.update().where(findings.c.id == row.id).values(key=finding_key(finding)))


def downgrade() -> None:
    op.drop_index(op.f("ix_probes_at"), table_name="probes")
    op.drop_index(op.f("ix_probes_site_id"), table_name="probes")
    op.drop_table("probes")
    with op.batch_alter_table("findings") as batch:
        batch.drop_index(batch.f("ix_findings_key"))
        batch.drop_column("key")
    op.drop_index(op.f("ix_inspections_run_id"), table_name="inspections")
    with op.batch_alter_table("inspections") as batch:
        batch.drop_constraint(batch.f("fk_inspections_run_id_runs"), type_="foreignkey")
        batch.drop_column("run_id")
    op.drop_table("runs")
