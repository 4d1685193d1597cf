"""Parked problems keep their kind: a record (order, product...) or a job.

Revision ID: 0004_problem_kinds
Revises: 0003
Create Date: 2026-12-06

Before this revision a failed job was parked under the key ``job-<id>`` in the
same table as records, and an import read it back as an order id, looked it up
in the shop (404) and resolved it: the failure vanished. The new ``kind``
column tells the two apart so a flow reads only records. Old rows default to
``record``; rows whose key starts with ``job-`` were parked by the worker and
become ``job``. A ``server_default`` keeps the column NOT NULL for existing
rows, and ``add_column`` needs no table rebuild on SQLite. The open-problem
unique index gains the kind, so a record and a job never collide on one key.
Written by hand, it does not import ``models`` (see 0001).
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004_problem_kinds"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

OPEN = sa.text("resolved_at IS NULL")


def _open_index(columns: list[str]) -> None:
    op.create_index(
        "uq_parked_open",
        "parked",
        columns,
        unique=True,
        sqlite_where=OPEN,
        postgresql_where=OPEN,
    )


def upgrade() -> None:
    op.add_column(
        "parked",
        sa.Column(
            "kind",
            sa.String(length=20),
            nullable=False,
            server_default=sa.text("'record'"),
        ),
    )
    op.execute(sa.text("UPDATE parked SET kind = 'job' WHERE record_key LIKE 'job-%'"))
    op.drop_index("uq_parked_open", table_name="parked")
    _open_index(["profile", "flow", "kind", "record_key"])


def downgrade() -> None:
    op.drop_index("uq_parked_open", table_name="parked")
    _open_index(["profile", "flow", "record_key"])
    with op.batch_alter_table("parked") as batch:
        batch.drop_column("kind")
