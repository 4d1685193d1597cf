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

from collections.abc import Iterable, Mapping
from typing import Any, Protocol, cast

from sqlalchemy import Connection, Engine, ForeignKey, Table, Text, delete, select
from sqlalchemy.orm import Mapped, mapped_column

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
    connection: Connection,
    insert: Any,
    written: Iterable[tuple[int, str, str]],
    contents: Mapping[str, Mapping[str, str] | None],
) -> None:
    """Replace the kept contents of just-written bindings, in the caller's (the binding
    write's) transaction.

    ``written`` names each binding written as (id, kind, local id), as the binding
    upsert returned them; ``contents`` gives, per kind, ``local id → content``: a binding
    given one keeps it, one without loses its older one, and a kind given ``None``
    leaves its contents as they are (imports, adoptions). ``insert`` is the dialect's
    (its upsert). Two statements at most, whatever the kinds: the ids come from the
    upsert, so no binding is looked up again.
    """
    dropped: list[int] = []
    kept: list[dict[str, Any]] = []
    for binding_id, kind, local_id in written:
        given = contents.get(kind)
        if given is None:
            continue
        content = given.get(local_id)
        if content is None:
            dropped.append(binding_id)
        else:
            kept.append({"binding_id": binding_id, "content": content})
    for part in chunks(dropped):
        connection.execute(delete(_TABLE).where(_TABLE.c.binding_id.in_(part)))
    if kept:
        stmt = insert(_TABLE)
        stmt = stmt.on_conflict_do_update(
            index_elements=["binding_id"], set_={"content": stmt.excluded.content}
        )
        connection.execute(stmt, kept)


def sent_contents(store: _Opened, profile: str, kind: str) -> dict[str, str]:
    """The kept content (canonical JSON) of each binding of a kind that has one, by local id."""
    query = (
        select(BindingRow.local_id, _TABLE.c.content)
        .join(_TABLE, _TABLE.c.binding_id == BindingRow.id)
        .where(BindingRow.profile == profile, BindingRow.kind == kind)
    )
    with store.engine.connect() as connection:
        return dict(connection.execute(query).all())
