"""What an export last sent for each binding, kept so a preview can show before → after.

A binding holds only the hash of the last content sent: enough to tell *that*
a record changed, not *what* changed. A merchant wary of bulk overwrites asks
the second question before a run (``passerelle preview``), so each export
binding keeps the compact canonical JSON of what it sent (sorted keys, no
spaces, the hash's own encoding: what is compared is what was hashed).

Lean by design (one row per binding, nothing else): the row is keyed by the
binding's id and goes with it (``ON DELETE CASCADE``), and it is written in
the same transaction as the binding (:func:`keep`, called by ``bind_many``).
An export that rebinds a record without a content (a price bound along with
the product that carried it) drops the older one, so a kept content is never
staler than its binding's hash; imports and adoptions leave contents alone.

Functions rather than Store methods, like :mod:`.shop_identities`: the Store's
public surface is pinned.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from typing import Protocol, cast

from sqlalchemy import Engine, ForeignKey, Table, Text, delete, select
from sqlalchemy.orm import Mapped, Session, mapped_column

from passerelle.store.batching import chunks
from passerelle.store.models import Base, BigId, BindingRow


class _Opened(Protocol):
    """A :class:`~passerelle.store.Store` (named so: the Store's module imports this one)."""

    @property
    def engine(self) -> Engine: ...


__all__ = ["SentContentRow", "keep", "sent_contents"]


class SentContentRow(Base):
    """The content last sent for one binding (created by migration 0008)."""

    __tablename__ = "sent_contents"

    binding_id: Mapped[int] = mapped_column(
        BigId, ForeignKey("bindings.id", ondelete="CASCADE"), primary_key=True
    )
    content: Mapped[str] = mapped_column(Text)


_TABLE = cast(Table, SentContentRow.__table__)


def keep(
    session: Session,
    profile: str,
    kind: str,
    local_ids: Collection[str],
    contents: Mapping[str, str] | None,
) -> None:
    """Replace the kept contents of just-written bindings: ``contents[key]`` where given,
    none otherwise; ``contents=None`` leaves them as they are (imports, adoptions).
    Runs in the caller's (the binding write's) transaction."""
    if contents is None:
        return
    ids = list(local_ids)
    for part in chunks(ids):
        these = (
            BindingRow.profile == profile,
            BindingRow.kind == kind,
            BindingRow.local_id.in_(part),
        )
        bound = select(BindingRow.id).where(*these).scalar_subquery()
        session.execute(delete(_TABLE).where(_TABLE.c.binding_id.in_(bound)))
        binding_ids = dict(
            session.execute(select(BindingRow.local_id, BindingRow.id).where(*these)).all()
        )
        rows = [
            {"binding_id": binding_ids[key], "content": contents[key]}
            for key in part
            if key in contents and key in binding_ids
        ]
        if rows:
            session.execute(_TABLE.insert(), rows)


def sent_contents(store: _Opened, profile: str, kind: str) -> dict[str, str]:
    """The kept content (canonical JSON) of each binding of a kind that has one, by local id."""
    query = (
        select(BindingRow.local_id, _TABLE.c.content)
        .join(_TABLE, _TABLE.c.binding_id == BindingRow.id)
        .where(BindingRow.profile == profile, BindingRow.kind == kind)
    )
    with store.engine.connect() as connection:
        return dict(connection.execute(query).all())
