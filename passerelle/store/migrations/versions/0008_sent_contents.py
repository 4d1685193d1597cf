"""What each export binding last sent, kept for the preview of a run.

Revision ID: 0008_sent_contents
Revises: 0007_console_users
Create Date: 2026-12-06

A new table, nothing existing is touched: one row per binding (its id is the
key, and the row goes with the binding), holding the compact canonical JSON
of the content sent. Bindings written before this revision have no row: the
preview says their earlier values are unknown until the next run sends them.
The downgrade drops the table. Written by hand, it does not import ``models``
(see 0001).
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0008_sent_contents"
down_revision: str | None = "0007_console_users"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

BIG_ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    op.create_table(
        "sent_contents",
        sa.Column("binding_id", BIG_ID, nullable=False),
        sa.Column("content", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["binding_id"],
            ["bindings.id"],
            name=op.f("fk_sent_contents_binding_id_bindings"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("binding_id", name=op.f("pk_sent_contents")),
    )


def downgrade() -> None:
    op.drop_table("sent_contents")
