"""Statements of record reset generations (O18), run in a session the caller owns.

A record's generation starts at 0 (no row) and goes up by one at each reset.
Only bumped records have a row, so the table stays as small as the number of
resets, and reading "every generation of a kind" is one query per run.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any, cast

from sqlalchemy import Table, select
from sqlalchemy.orm import Session

from passerelle.store.batching import chunks
from passerelle.store.models import RecordGenerationRow

__all__ = ["bump", "generation", "generations"]

_TABLE = cast(Table, RecordGenerationRow.__table__)


def generation(session: Session, profile: str, kind: str, record_key: str) -> int:
    """One record's generation, 0 if it was never reset."""
    row = session.get(RecordGenerationRow, (profile, kind, record_key))
    return row.generation if row else 0


def generations(session: Session, profile: str, kind: str) -> dict[str, int]:
    """Generations of the reset records of a kind (never-reset ones are absent: 0)."""
    rows = session.execute(
        select(RecordGenerationRow.record_key, RecordGenerationRow.generation).where(
            RecordGenerationRow.profile == profile,
            RecordGenerationRow.kind == kind,
            RecordGenerationRow.generation > 0,
        )
    )
    return {key: value for key, value in rows}


def bump(
    session: Session,
    insert: Callable[[Table], Any],
    profile: str,
    kind: str,
    record_keys: list[str],
    now: datetime,
) -> dict[str, int]:
    """Add one to each key's generation (0 → 1 for new ones); returns the new values.

    The increment happens in the database (``generation + 1`` on conflict),
    so two concurrent resets of one record give two increments, not one.
    """
    if not record_keys:
        return {}
    stmt = insert(_TABLE)
    stmt = stmt.on_conflict_do_update(
        index_elements=["profile", "kind", "record_key"],
        set_={"generation": _TABLE.c.generation + 1, "reset_at": stmt.excluded.reset_at},
    )
    session.execute(
        stmt,
        [
            {"profile": profile, "kind": kind, "record_key": key, "generation": 1, "reset_at": now}
            for key in record_keys
        ],
    )
    bumped: dict[str, int] = {}
    for part in chunks(record_keys):
        rows = session.execute(
            select(RecordGenerationRow.record_key, RecordGenerationRow.generation).where(
                RecordGenerationRow.profile == profile,
                RecordGenerationRow.kind == kind,
                RecordGenerationRow.record_key.in_(part),
            )
        )
        bumped.update({key: value for key, value in rows})
    return {key: bumped[key] for key in record_keys}
