"""The lean read of a kind's bindings: shop id and hash by local id, as plain tuples.

An export compares each record's content hash with its binding's, for every
record of the catalogue, on every run. :meth:`Store.bindings` hands out whole
:class:`~passerelle.store.Binding` records (with their ``synced_at``, a
datetime parsed per row); the comparison needs two strings. This reads just
those two columns through SQLAlchemy Core on a plain connection, with no ORM
object, no session and no datetime, into :class:`Bound` tuples: about ten
times cheaper per binding (``benchmarks/local_overhead.py``, docs/performance.md).

A function, not a Store method, like :mod:`.sent_contents`: the Store's public
surface is pinned. It reads through ``store.engine.connect()`` only, so the
read-only store of a preview answers it too.

SQLAlchemy's Core select over a connection returns rows that are named tuples,
without the identity map and attribute instrumentation of ORM entities
(https://docs.sqlalchemy.org/en/20/core/connections.html,
https://docs.sqlalchemy.org/en/20/faq/performance.html).
"""

from __future__ import annotations

from collections.abc import Collection
from typing import TYPE_CHECKING, Any, NamedTuple, cast

from sqlalchemy import Dialect, Table, bindparam, func, select

from passerelle.store.models import BindingRow

if TYPE_CHECKING:
    from passerelle.store.store import Store

__all__ = ["Bound", "bound", "bound_digest"]

_TABLE = cast(Table, BindingRow.__table__)
_COLUMNS = (_TABLE.c.local_id, _TABLE.c.remote_id, _TABLE.c.content_hash)
#: Keys asked in one query when a window of records is read (well under any
#: database's limit on a statement's parameters).
_KEYS_AT_ONCE = 500


class Bound(NamedTuple):
    """What a binding says of a record to compare: the shop's id and the last hash sent."""

    remote_id: str
    content_hash: str | None


def bound(
    store: Store, profile: str, kind: str, keys: Collection[str] | None = None
) -> dict[str, Bound]:
    """Every binding of a kind as ``local_id → Bound``, in one Core query; only those of
    ``keys`` when given (a window of a large catalogue: its whole kind would be about
    300 bytes a record held for the run)."""
    if keys is not None:
        return _bound_of(store, profile, kind, list(keys))
    query = select(*_COLUMNS).where(_TABLE.c.profile == profile, _TABLE.c.kind == kind)
    with store.engine.connect() as connection:
        rows = connection.execute(query).all()  # at once: fetching row by row costs more
    return {local_id: Bound(remote_id, content_hash) for local_id, remote_id, content_hash in rows}


def _bound_of(store: Store, profile: str, kind: str, keys: list[str]) -> dict[str, Bound]:
    """:func:`bound` of some keys: one statement of :data:`_KEYS_AT_ONCE` keys compiled once
    per dialect and run by the driver (SQLAlchemy's expanding ``IN`` renders and processes
    each key on every call, more than the lookup itself costs)."""
    rows: list[Any] = []
    if not keys:
        return {}
    with store.engine.connect() as connection:
        sql, order = _by_keys(connection.dialect)
        for start in range(0, len(keys), _KEYS_AT_ONCE):
            chunk = keys[start : start + _KEYS_AT_ONCE]
            chunk += [chunk[0]] * (_KEYS_AT_ONCE - len(chunk))  # a key again matches nothing more
            params: tuple[str, ...] | dict[str, str]
            if order == _IN_ORDER:  # SQLite's: the keys as they come, no name made per key
                params = (profile, kind, *chunk)
            else:
                values = {"profile": profile, "kind": kind}
                values |= {f"k{n}": k for n, k in enumerate(chunk)}
                params = tuple(values[name] for name in order) if order is not None else values
            rows += connection.exec_driver_sql(sql, params).fetchall()
    return {local_id: Bound(remote_id, content_hash) for local_id, remote_id, content_hash in rows}


_BY_KEYS: dict[str, tuple[str, tuple[str, ...] | None]] = {}
#: The parameters' order of a statement taking them as written (the profile, the kind, the
#: keys): a chunk's values then go to the driver as they are.
_IN_ORDER = ("profile", "kind", *(f"k{n}" for n in range(_KEYS_AT_ONCE)))


def _by_keys(dialect: Dialect) -> tuple[str, tuple[str, ...] | None]:
    """The SQL of a look-up by :data:`_KEYS_AT_ONCE` keys, and its parameters' order when
    the driver takes them by position."""
    done = _BY_KEYS.get(dialect.name)
    if done is None:
        query = select(*_COLUMNS).where(
            _TABLE.c.profile == bindparam("profile"),
            _TABLE.c.kind == bindparam("kind"),
            _TABLE.c.local_id.in_([bindparam(f"k{n}") for n in range(_KEYS_AT_ONCE)]),
        )
        compiled = query.compile(dialect=dialect)
        order = tuple(compiled.positiontup or ()) if compiled.positional else None
        done = _BY_KEYS[dialect.name] = (compiled.string, order)
    return done


def bound_digest(store: Store, profile: str, kind: str) -> str:
    """A short text that changes when a binding of the kind is added, removed or rewritten.

    One aggregate row instead of every key: a delta read compares it between two
    runs of a flow to learn whether another run bound or unbound records in
    between, and a catalogue of 100,000 products should not be loaded twice a
    run for that. The latest ``synced_at`` moves with every write, so a removal
    followed by an addition (same count, an id reused) still shows.
    """
    query = select(
        func.count(),
        func.coalesce(func.sum(_TABLE.c.id), 0),
        func.max(_TABLE.c.id),
        func.max(_TABLE.c.synced_at),
    ).where(_TABLE.c.profile == profile, _TABLE.c.kind == kind)
    with store.engine.connect() as connection:
        count, total, highest, latest = connection.execute(query).one()
    return f"{count}:{total}:{highest}:{latest}"
