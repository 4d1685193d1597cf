"""Job queue: jobs, workers, webhook deliveries and schedule slots (issue 6).

Revision ID: 0003
Revises: 0002
Create Date: 2025-03-01

Four new tables, nothing existing is touched, so no batch mode is needed on
SQLite and the downgrade simply drops them (losing only queued work, which
did not exist before this revision). Written by hand, it does not import
``models`` (see 0001).

The two partial unique indexes carry the queue's guarantees (one running job
per lane, one queued job per dedupe key); SQLite (3.8+) and PostgreSQL both
support ``CREATE UNIQUE INDEX … WHERE``.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

BIG_ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
UTC_TIME = sa.DateTime(timezone=True)
RUNNING = sa.text("status = 'running'")
QUEUED = sa.text("status = 'queued'")


def upgrade() -> None:
    op.create_table(
        "jobs",
        sa.Column("id", BIG_ID, autoincrement=True, nullable=False),
        sa.Column("profile", sa.String(length=100), nullable=False),
        sa.Column("flow", sa.String(length=100), nullable=False),
        sa.Column("lane", sa.String(length=100), nullable=False),
        sa.Column("shop_key", sa.String(length=255), nullable=False),
        sa.Column("payload", sa.JSON(), nullable=False),
        sa.Column("dedupe_key", sa.String(length=255), nullable=True),
        sa.Column("source", sa.String(length=20), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("max_attempts", sa.Integer(), nullable=False),
        sa.Column("run_after", UTC_TIME, nullable=False),
        sa.Column("created_at", UTC_TIME, nullable=False),
        sa.Column("started_at", UTC_TIME, nullable=True),
        sa.Column("finished_at", UTC_TIME, nullable=True),
        sa.Column("worker_id", sa.String(length=255), nullable=True),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.Column("run_id", sa.Integer(), nullable=True),
        sa.Column("merged_into", sa.BigInteger(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_jobs")),
    )
    op.create_index(
        "uq_jobs_running_lane",
        "jobs",
        ["profile", "lane"],
        unique=True,
        sqlite_where=RUNNING,
        postgresql_where=RUNNING,
    )
    op.create_index(
        "uq_jobs_queued_dedupe",
        "jobs",
        ["profile", "dedupe_key"],
        unique=True,
        sqlite_where=QUEUED,
        postgresql_where=QUEUED,
    )
    op.create_index(op.f("ix_jobs_status_run_after"), "jobs", ["status", "run_after"])
    op.create_index(op.f("ix_jobs_profile_status"), "jobs", ["profile", "status"])

    op.create_table(
        "workers",
        sa.Column("id", sa.String(length=255), nullable=False),
        sa.Column("host", sa.String(length=255), nullable=False),
        sa.Column("pid", sa.Integer(), nullable=False),
        sa.Column("started_at", UTC_TIME, nullable=False),
        sa.Column("heartbeat_at", UTC_TIME, nullable=False),
        sa.Column("stopped_at", UTC_TIME, nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_workers")),
    )

    op.create_table(
        "webhook_deliveries",
        sa.Column("profile", sa.String(length=100), nullable=False),
        sa.Column("source", sa.String(length=100), nullable=False),
        sa.Column("delivery_id", sa.String(length=255), nullable=False),
        sa.Column("received_at", UTC_TIME, nullable=False),
        sa.Column("job_id", sa.BigInteger(), nullable=True),
        sa.PrimaryKeyConstraint(
            "profile", "source", "delivery_id", name=op.f("pk_webhook_deliveries")
        ),
    )
    op.create_index(
        op.f("ix_webhook_deliveries_received_at"), "webhook_deliveries", ["received_at"]
    )

    op.create_table(
        "schedule_slots",
        sa.Column("profile", sa.String(length=100), nullable=False),
        sa.Column("flow", sa.String(length=100), nullable=False),
        sa.Column("next_due_at", UTC_TIME, nullable=False),
        sa.PrimaryKeyConstraint("profile", "flow", name=op.f("pk_schedule_slots")),
    )


def downgrade() -> None:
    op.drop_table("schedule_slots")
    op.drop_index(op.f("ix_webhook_deliveries_received_at"), table_name="webhook_deliveries")
    op.drop_table("webhook_deliveries")
    op.drop_table("workers")
    op.drop_index(op.f("ix_jobs_profile_status"), table_name="jobs")
    op.drop_index(op.f("ix_jobs_status_run_after"), table_name="jobs")
    op.drop_index("uq_jobs_queued_dedupe", table_name="jobs")
    op.drop_index("uq_jobs_running_lane", table_name="jobs")
    op.drop_table("jobs")
