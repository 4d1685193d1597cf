"""O18 "reset transferred records": forget everything the store knows about them.

Run in a session the caller owns, so :meth:`Store.reset_records` does it all
in one transaction: a crash never leaves a record unbound but still rejected
in the grid, or unbound without its generation bumped.

The tables are keyed differently and this module is where the keys meet:
bindings and generations by ``(profile, kind, id)``, staged orders and parked
records by ``(profile, flow, id)``. The id is the same — the shop order id for
order imports — so one list of keys resets all four.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from sqlalchemy import Table, delete, select
from sqlalchemy.orm import Session

from passerelle.store import generations, staging
from passerelle.store.batching import chunks
from passerelle.store.models import BindingRow, ParkedRow

__all__ = ["delete_bindings", "delete_parked", "known_keys", "reset_records"]


def known_keys(session: Session, profile: str, kind: str, flow: str) -> set[str]:
    """Every key the store holds something about: bound, staged in any state, or parked."""
    bound = session.scalars(
        select(BindingRow.local_id).where(BindingRow.profile == profile, BindingRow.kind == kind)
    )
    parked = session.scalars(
        select(ParkedRow.record_key).where(ParkedRow.profile == profile, ParkedRow.flow == flow)
    )
    return {*bound, *parked, *staging.keys(session, profile, flow)}


def delete_bindings(session: Session, profile: str, kind: str, local_ids: list[str]) -> int:
    """Delete the bindings of ``local_ids``; returns how many existed."""
    removed = 0
    for part in chunks(local_ids):
        result = session.execute(
            delete(BindingRow).where(
                BindingRow.profile == profile,
                BindingRow.kind == kind,
                BindingRow.local_id.in_(part),
            )
        )
        removed += result.rowcount  # type: ignore[attr-defined]
    return removed


def delete_parked(session: Session, profile: str, flow: str, record_keys: list[str]) -> int:
    """Delete parked entries of ``record_keys``, resolved history included.

    A reset starts the record over: an old problem, even solved, describes a
    transfer that the reset has just undone.
    """
    removed = 0
    for part in chunks(record_keys):
        result = session.execute(
            delete(ParkedRow).where(
                ParkedRow.profile == profile,
                ParkedRow.flow == flow,
                ParkedRow.record_key.in_(part),
            )
        )
        removed += result.rowcount  # type: ignore[attr-defined]
    return removed


def reset_records(
    session: Session,
    insert: Callable[[Table], Any],
    *,
    profile: str,
    kind: str,
    flow: str,
    record_keys: list[str] | None,
    now: datetime,
) -> list[str]:
    """Unbind, unstage, unpark and bump the generation of the keys; returns them.

    ``None`` means every key :func:`known_keys` finds, returned sorted. Given
    keys are all bumped, even those the store knew nothing about: the merchant
    asked for them to start over, and the back-office may still hold their
    documents under the old generation's key.
    """
    keys = sorted(known_keys(session, profile, kind, flow)) if record_keys is None else record_keys
    delete_bindings(session, profile, kind, keys)
    staging.delete_staged(session, profile, flow, keys)
    delete_parked(session, profile, flow, keys)
    generations.bump(session, insert, profile, kind, keys, now)
    return keys
