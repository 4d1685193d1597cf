"""Journal lines and problem reasons keep their catalogue message, for each reader's language.

Revision ID: 0006_translatable_text
Revises: 0005_shop_identities
Create Date: 2026-12-06

A line or a reason was stored as English text only, so a French reader of the
console saw English. Nullable columns keep the catalogue id and its
parameters (JSON) beside the English text: ``journal_lines.message_id`` and
``message_params``, ``parked.reason_id`` and ``reason_params``, and
``journal_lines.record_label`` for a record named in words ("order 12"). Rows written
before stay as they are (NULL: shown in English, as written). ``add_column``
of a nullable column needs no table rebuild on SQLite; the downgrade drops the
columns and the English text stays. Written by hand, it does not import
``models`` (see 0001).
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006_translatable_text"
down_revision: str | None = "0005_shop_identities"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

COLUMNS = {
    "journal_lines": ("message_id", "message_params", "record_label"),
    "parked": ("reason_id", "reason_params"),
}


def upgrade() -> None:
    for table, names in COLUMNS.items():
        for name in names:
            op.add_column(table, sa.Column(name, sa.Text(), nullable=True))


def downgrade() -> None:
    for table, names in COLUMNS.items():
        with op.batch_alter_table(table) as batch:
            for name in names:
                batch.drop_column(name)
