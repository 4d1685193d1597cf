"""The web console's users: name, argon2id password hash, role, preferred language.

Revision ID: 0007_console_users
Revises: 0006_translatable_text
Create Date: 2026-12-06

A new table, nothing existing is touched. Only the password's argon2id hash
is stored (the hash carries its own salt and parameters), never the password.
The role and language are short strings checked in Python, like every
enumerated value of the store (see ``models``), so adding a role later needs
no table rebuild. Written by hand, it does not import ``models`` (see 0001).
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007_console_users"
down_revision: str | None = "0006_translatable_text"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

UTC_TIME = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "users",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("password_hash", sa.String(length=255), nullable=False),
        sa.Column("role", sa.String(length=20), nullable=False),
        sa.Column("language", sa.String(length=10), nullable=True),
        sa.Column("created_at", UTC_TIME, nullable=False),
        sa.Column("updated_at", UTC_TIME, nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_users")),
        sa.UniqueConstraint("name", name=op.f("uq_users_name")),
    )


def downgrade() -> None:
    op.drop_table("users")
