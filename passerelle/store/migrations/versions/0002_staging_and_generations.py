"""Staging grid (O21) and record reset generations (O18).

Revision ID: 0002
Revises: 0001
Create Date: 2025-01-15

Two new tables, nothing existing is touched, so no batch mode is needed on
SQLite and the downgrade simply drops them (losing only staged orders and
generations, which did not exist before this revision). Written by hand, it
does not import ``models`` (see 0001).
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

BIG_ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
UTC_TIME = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "staged_orders",
        sa.Column("id", BIG_ID, autoincrement=True, nullable=False),
        sa.Column("profile", sa.String(length=100), nullable=False),
        sa.Column("flow", sa.String(length=100), nullable=False),
        sa.Column("order_id", sa.String(length=255), nullable=False),
        sa.Column("order_number", sa.String(length=255), nullable=False),
        sa.Column("state", sa.String(length=20), nullable=False),
        sa.Column("document_json", sa.Text(), nullable=False),
        sa.Column("customer_json", sa.Text(), nullable=True),
        sa.Column("summary", sa.Text(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.Column("remote_id", sa.String(length=255), nullable=True),
        sa.Column("remote_number", sa.String(length=255), nullable=True),
        sa.Column("created_at", UTC_TIME, nullable=False),
        sa.Column("updated_at", UTC_TIME, nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_staged_orders")),
        sa.UniqueConstraint(
            "profile", "flow", "order_id", name=op.f("uq_staged_orders_profile_flow_order_id")
        ),
    )

    op.create_table(
        "record_generations",
        sa.Column("profile", sa.String(length=100), nullable=False),
        sa.Column("kind", sa.String(length=100), nullable=False),
        sa.Column("record_key", sa.String(length=255), nullable=False),
        sa.Column("generation", sa.Integer(), nullable=False),
        sa.Column("reset_at", UTC_TIME, nullable=False),
        sa.PrimaryKeyConstraint(
            "profile", "kind", "record_key", name=op.f("pk_record_generations")
        ),
    )


def downgrade() -> None:
    op.drop_table("record_generations")
    op.drop_table("staged_orders")
