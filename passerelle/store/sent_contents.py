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

from sqlalchemy import (
    Connection,
    Dialect,
    Engine,
    ForeignKey,
    Table,
    Text,
    bindparam,
    delete,
    select,
)
from sqlalchemy import cast as sql_cast
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Mapped, mapped_column

from passerelle.store.driver_batch import DriverStatement
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


def _bound_id(dialect: Dialect) -> Any:
    """The id of the binding ``(profile, kind, local_id)``, looked up by the statement."""
    return select(BindingRow.id).where(
        BindingRow.profile == bindparam("profile"),
        BindingRow.kind == bindparam("kind"),
        BindingRow.local_id == bindparam("local_id"),
    )


def _keep(dialect: Dialect) -> Any:
    insert = postgresql.insert if dialect.name == "postgresql" else sqlite.insert
    stmt = insert(_TABLE).from_select(
        ["binding_id", "content"],
        _bound_id(dialect).add_columns(sql_cast(bindparam("content"), Text)),
    )
    return stmt.on_conflict_do_update(
        index_elements=["binding_id"], set_={"content": stmt.excluded.content}
    )


def _drop(dialect: Dialect) -> Any:
    # ``=`` the one id (the key is unique), not ``IN``: SQLite builds a table for an
    # ``IN (SELECT …)`` at every row, which made this delete twice as slow.
    return delete(_TABLE).where(_TABLE.c.binding_id == _bound_id(dialect).scalar_subquery())


_KEY = ("profile", "kind", "local_id")
# The content first: SQLite's statement takes it first (its SELECT list comes before its
# WHERE), so rows in this order go to the driver as they are.
_KEEP = DriverStatement(_keep, ("content", *_KEY))
_DROP = DriverStatement(_drop, _KEY)


def keep(
    connection: Connection,
    profile: str,
    written: Mapping[str, Iterable[str]],
    contents: Mapping[str, Mapping[str, str] | None],
) -> None:
    """Replace the kept contents of just-written bindings, in the caller's (the binding
    write's) transaction.

    ``written`` gives the local ids written of each kind; ``contents``, per kind,
    ``local id → content``: a binding given one keeps it, one without loses its older
    one, and a kind given ``None`` leaves its contents as they are (imports,
    adoptions). Two statements at most, whatever the kinds, each run by the driver
    for all its rows; each finds its binding's id by the key's index, so no id is
    selected beforehand.
    """
    kept: list[tuple[str, str, str, str]] = []  # in _KEEP's keys' order (content first)
    dropped: list[tuple[str, str, str]] = []  # in _DROP's
    for kind, local_ids in written.items():
        given = contents.get(kind)
        if given is None:
            continue
        for local_id in local_ids:
            content = given.get(local_id)
            if content is None:
                dropped.append((profile, kind, local_id))
            else:
                kept.append((content, profile, kind, local_id))
    _DROP.run_tuples(connection, dropped)
    _KEEP.run_tuples(connection, kept)


def sent_contents(store: _Opened, profile: str, kind: str) -> dict[str, str]:
    """The kept content (canonical JSON) of each binding of a kind that has one, by local id."""
    query = (
        select(BindingRow.local_id, _TABLE.c.content)
        .join(_TABLE, _TABLE.c.binding_id == BindingRow.id)
        .where(BindingRow.profile == profile, BindingRow.kind == kind)
    )
    with store.engine.connect() as connection:
        return dict(connection.execute(query).all())
