"""The identity of each profile's shop, recorded once (what order keys rest on).

Revision ID: 0005_shop_identities
Revises: 0004_problem_kinds
Create Date: 2026-12-06

A new table, nothing existing is touched. No row is written here: a profile
upgraded from an earlier version records its identity at its next run, from
the address its order keys already use (see ``flows/shop_identity.py``), so
nothing is imported again. The downgrade drops the table; keys then follow
the shop's address again, as they did before this revision. Written by hand,
it does not import ``models`` (see 0001).
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005_shop_identities"
down_revision: str | None = "0004_problem_kinds"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

UTC_TIME = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "shop_identities",
        sa.Column("profile", sa.String(length=100), nullable=False),
        sa.Column("identity", sa.String(length=255), nullable=False),
        sa.Column("address", sa.String(length=1000), nullable=False),
        sa.Column("address_identity", sa.String(length=255), nullable=False),
        sa.Column("recorded_at", UTC_TIME, nullable=False),
        sa.Column("moved_at", UTC_TIME, nullable=True),
        sa.PrimaryKeyConstraint("profile", name=op.f("pk_shop_identities")),
    )


def downgrade() -> None:
    op.drop_table("shop_identities")
