"""Statements of the staging grid (O21), run in a session the caller owns.

:class:`~passerelle.store.Store` owns the transactions and checks the
arguments; these functions only issue statements in the session they get.
That split is what lets :meth:`Store.reset_records` clear staged orders,
bindings, parked records and bump generations in one transaction.

A summary or a reason given as a catalogue message is kept as its JSON form
(:meth:`Message.stored`) in the same text column, and read back as the message
and its English: no column to add, and rows written as plain text stay readable.

State rules: ``staged`` rows are replaced by a new :func:`stage`; ``validated``
and ``rejected`` rows are never changed by it, so the next import run cannot
bring back an order the merchant refused or duplicate one already in the
back-office.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import datetime
from typing import Any, cast

from sqlalchemy import Table, delete, exists, select, update
from sqlalchemy.orm import Session

from passerelle.i18n.messages import Message, Text
from passerelle.store.batching import chunks
from passerelle.store.models import StagedOrderRow
from passerelle.store.records import StagedOrder, StagedState

__all__ = [
    "delete_staged",
    "is_rejected",
    "keys",
    "kept_text",
    "mark_validated",
    "reject",
    "select_staged",
    "stage",
]

_TABLE = cast(Table, StagedOrderRow.__table__)
_MESSAGE_START = '{"__message__"'


def kept_text(text: Text | None) -> str | None:
    """What a text column keeps of ``text``: a message's JSON form, or the text itself."""
    return text.stored() if isinstance(text, Message) else text


def _read_text(kept: str | None) -> tuple[str | None, Message | None]:
    """The English text and the message of a column written by :func:`kept_text`."""
    if kept is not None and kept.startswith(_MESSAGE_START):
        try:
            message = Message.from_json(kept)
        except ValueError:  # plain text that happens to look like it
            message = None
        if message is not None:
            return message.english, message
    return kept, None


def stage(
    session: Session,
    insert: Callable[[Table], Any],
    values: dict[str, Any],
) -> StagedOrder:
    """Insert ``values`` as a staged row, or replace a *staged* row's content.

    One ``INSERT … ON CONFLICT DO UPDATE … WHERE state = 'staged'``: a
    validated or rejected row is left as it is (no race between reading the
    state and writing). Returns the row as stored, whichever happened.
    """
    row = {**values, "state": StagedState.STAGED.value, "created_at": values["updated_at"]}
    stmt = insert(_TABLE).values(**row)
    replaced = (
        "order_number",
        "document_json",
        "customer_json",
        "summary",
        "reason",
        "updated_at",
    )
    session.execute(
        stmt.on_conflict_do_update(
            index_elements=["profile", "flow", "order_id"],
            set_={name: stmt.excluded[name] for name in replaced},
            where=_TABLE.c.state == StagedState.STAGED.value,
        )
    )
    stored = _one(session, values["profile"], values["flow"], values["order_id"])
    assert stored is not None
    return stored


def select_staged(
    session: Session,
    profile: str,
    flow: str,
    states: list[str],
    order_ids: list[str] | None,
) -> list[StagedOrder]:
    """Rows of the given states (and ids), oldest first, then by order id."""
    base = select(StagedOrderRow).where(
        StagedOrderRow.profile == profile,
        StagedOrderRow.flow == flow,
        StagedOrderRow.state.in_(states),
    )
    if order_ids is None:
        queries = [base]
    else:
        queries = [base.where(StagedOrderRow.order_id.in_(part)) for part in chunks(order_ids)]
    found = [_record(row) for query in queries for row in session.scalars(query)]
    # Sorted here, not in SQL: ids split over several queries must still interleave.
    return sorted(found, key=lambda staged: (staged.created_at, staged.order_id))


def mark_validated(
    session: Session,
    profile: str,
    flow: str,
    order_id: str,
    *,
    remote_id: str,
    remote_number: str | None,
    now: datetime,
) -> StagedOrder | None:
    """Record the back-office document of an order; ``None`` if it was never staged.

    Whatever the current state: the document exists, which is a fact, and it
    must win over a rejection that raced with the validation.
    """
    session.execute(
        update(StagedOrderRow)
        .where(
            StagedOrderRow.profile == profile,
            StagedOrderRow.flow == flow,
            StagedOrderRow.order_id == order_id,
        )
        .values(
            state=StagedState.VALIDATED.value,
            remote_id=remote_id,
            remote_number=remote_number,
            updated_at=now,
        )
    )
    return _one(session, profile, flow, order_id)


def reject(
    session: Session, profile: str, flow: str, order_ids: list[str], reason: str, now: datetime
) -> int:
    """Reject the *staged* rows among ``order_ids``; returns how many changed."""
    rejected = 0
    for part in chunks(order_ids):
        result = session.execute(
            update(StagedOrderRow)
            .where(
                StagedOrderRow.profile == profile,
                StagedOrderRow.flow == flow,
                StagedOrderRow.order_id.in_(part),
                StagedOrderRow.state == StagedState.STAGED.value,
            )
            .values(state=StagedState.REJECTED.value, reason=reason, updated_at=now)
        )
        rejected += result.rowcount  # type: ignore[attr-defined]
    return rejected


def is_rejected(session: Session, profile: str, flow: str, order_id: str) -> bool:
    """Whether the merchant rejected this order (one indexed lookup)."""
    query = select(
        exists().where(
            StagedOrderRow.profile == profile,
            StagedOrderRow.flow == flow,
            StagedOrderRow.order_id == order_id,
            StagedOrderRow.state == StagedState.REJECTED.value,
        )
    )
    return bool(session.scalar(query))


def keys(
    session: Session, profile: str, flow: str, states: Iterable[str] | None = None
) -> set[str]:
    """Order ids in the grid of one flow, optionally only in some states."""
    query = select(StagedOrderRow.order_id).where(
        StagedOrderRow.profile == profile, StagedOrderRow.flow == flow
    )
    if states is not None:
        query = query.where(StagedOrderRow.state.in_(list(states)))
    return set(session.scalars(query))


def delete_staged(session: Session, profile: str, flow: str, order_ids: list[str] | None) -> int:
    """Delete rows of any state (all of the flow when ``order_ids`` is ``None``)."""
    base = delete(StagedOrderRow).where(
        StagedOrderRow.profile == profile, StagedOrderRow.flow == flow
    )
    if order_ids is None:
        statements = [base]
    else:
        statements = [base.where(StagedOrderRow.order_id.in_(part)) for part in chunks(order_ids)]
    return sum(session.execute(stmt).rowcount for stmt in statements)  # type: ignore[attr-defined]


def _one(session: Session, profile: str, flow: str, order_id: str) -> StagedOrder | None:
    row = session.scalars(
        select(StagedOrderRow).where(
            StagedOrderRow.profile == profile,
            StagedOrderRow.flow == flow,
            StagedOrderRow.order_id == order_id,
        )
    ).one_or_none()
    return _record(row) if row else None


def _record(row: StagedOrderRow) -> StagedOrder:
    summary, said_summary = _read_text(row.summary)
    reason, said_reason = _read_text(row.reason)
    return StagedOrder(
        id=row.id,
        profile=row.profile,
        flow=row.flow,
        order_id=row.order_id,
        order_number=row.order_number,
        state=StagedState(row.state),
        document_json=row.document_json,
        customer_json=row.customer_json,
        summary=summary or "",
        reason=reason,
        remote_id=row.remote_id,
        remote_number=row.remote_number,
        created_at=row.created_at,
        updated_at=row.updated_at,
        translatable_summary=said_summary,
        translatable_reason=said_reason,
    )
