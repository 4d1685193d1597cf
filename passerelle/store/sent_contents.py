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


#: Keys whose contents one drop statement looks up: a batch's records of a kind (an export
#: writes a hundred at a time), well under any database's limit on a statement's parameters.
_DROP_AT_ONCE = 100


def _drop(dialect: Dialect) -> Any:
    # One statement for up to _DROP_AT_ONCE keys of a kind, not one per key: an export
    # that creates products drops the (absent) contents of their stock, price and state
    # bindings, three rows a record, and a statement run per row cost more than its lookup.
    ids = select(BindingRow.id).where(
        BindingRow.profile == bindparam("profile"),
        BindingRow.kind == bindparam("kind"),
        BindingRow.local_id.in_([bindparam(f"k{n}") for n in range(_DROP_AT_ONCE)]),
    )
    return delete(_TABLE).where(_TABLE.c.binding_id.in_(ids))


_KEY = ("profile", "kind", "local_id")
# The content first: SQLite's statement takes it first (its SELECT list comes before its
# WHERE), so rows in this order go to the driver as they are.
_KEEP = DriverStatement(_keep, ("content", *_KEY))
_DROP = DriverStatement(_drop, ("profile", "kind", *(f"k{n}" for n in range(_DROP_AT_ONCE))))


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
    for all its rows (a kept content) or keys (a dropped one, a kind's keys at once);
    each finds its bindings' ids by the key's index, so no id is selected beforehand.
    """
    kept: list[tuple[str, str, str, str]] = []  # in _KEEP's keys' order (content first)
    dropped: list[tuple[str, ...]] = []  # in _DROP's: a kind's keys, _DROP_AT_ONCE a row
    for kind, local_ids in written.items():
        given = contents.get(kind)
        if given is None:
            continue
        gone: list[str] = []
        for local_id in local_ids:
            content = given.get(local_id)
            if content is None:
                gone.append(local_id)
            else:
                kept.append((content, profile, kind, local_id))
        for start in range(0, len(gone), _DROP_AT_ONCE):
            chunk = gone[start : start + _DROP_AT_ONCE]
            chunk += [chunk[0]] * (_DROP_AT_ONCE - len(chunk))  # a key again drops nothing more
            dropped.append((profile, kind, *chunk))
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
