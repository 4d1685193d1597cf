"""Bindings: which back-office record is which shop record, and what was last sent."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any, cast

from sqlalchemy import Dialect, Table, select
from sqlalchemy.dialects import postgresql, sqlite

from passerelle.store import reset, sent_contents
from passerelle.store.batching import unique
from passerelle.store.checks import check_hash, check_id, check_name, is_sha256
from passerelle.store.driver_batch import DriverStatement
from passerelle.store.models import BindingRow
from passerelle.store.records import Binding, BindingInput
from passerelle.store.transactions import Repository

__all__ = ["BindingRepository"]

#: A binding to write: a BindingInput, or a plain tuple in its order.
_Row = BindingInput | tuple[str, str, str | None] | tuple[str, str, str | None, str | None]

# Bulk writes go through Core tables: one compiled statement executed for all
# rows (executemany) is ~10x faster than ORM objects or multi-row VALUES.
_BINDINGS_TABLE = cast(Table, BindingRow.__table__)
# Reads too: rows of these columns (a Core select) become Binding records directly,
# with no ORM object in between (5x cheaper per binding; docs/performance.md).
_COLUMNS = tuple(
    _BINDINGS_TABLE.c[name]
    for name in ("local_id", "remote_id", "content_hash", "synced_at", "remote_number")
)


class BindingRepository(Repository):
    """Reads and writes of the ``bindings`` table."""

    def get_binding(self, profile: str, kind: str, local_id: str) -> Binding | None:
        """The binding of one record, or ``None`` if it was never sent/imported."""
        table = _BINDINGS_TABLE
        query = select(*_COLUMNS).where(
            table.c.profile == profile, table.c.kind == kind, table.c.local_id == local_id
        )
        with self._tx.session() as s:
            row = s.execute(query).one_or_none()
        return Binding(profile, kind, *row) if row else None

    def bindings(self, profile: str, kind: str) -> dict[str, Binding]:
        """All bindings of a kind, keyed by ``local_id``, in one query.

        Flows load this once per run and compare hashes in memory, instead of
        one query per record. A Core select of the columns, no ORM object: a
        comparison needing only the shop id and the hash reads even less
        (:func:`passerelle.store.lean_bindings.bound`).
        """
        table = _BINDINGS_TABLE
        query = select(*_COLUMNS).where(table.c.profile == profile, table.c.kind == kind)
        with self._tx.session() as s:
            rows = s.execute(query).all()
        return {row[0]: Binding(profile, kind, *row) for row in rows}

    def bindings_by_remote(self, profile: str, kind: str, remote_id: str) -> list[Binding]:
        """Bindings pointing at one remote id ("which back-office record is shop id 42?")."""
        table = _BINDINGS_TABLE
        query = (
            select(*_COLUMNS)
            .where(table.c.profile == profile, table.c.kind == kind, table.c.remote_id == remote_id)
            .order_by(table.c.local_id)
        )
        with self._tx.session() as s:
            rows = s.execute(query).all()
        return [Binding(profile, kind, *row) for row in rows]

    def bind(
        self,
        profile: str,
        kind: str,
        local_id: str,
        remote_id: str,
        content_hash: str | None,
        remote_number: str | None = None,
    ) -> Binding:
        """Create or update one binding; ``synced_at`` becomes now."""
        self.bind_many(
            profile, kind, [BindingInput(local_id, remote_id, content_hash, remote_number)]
        )
        binding = self.get_binding(profile, kind, local_id)
        assert binding is not None
        return binding

    def bind_many(
        self,
        profile: str,
        kind: str,
        rows: Iterable[_Row],
        *,
        contents: Mapping[str, str] | None = None,
        together: Mapping[str, Iterable[_Row]] | None = None,
    ) -> int:
        """Upsert many bindings in one transaction; returns the number of distinct rows.

        Uses the dialect's ``INSERT … ON CONFLICT DO UPDATE``, compiled once and
        executed for all rows (10,000 rows take well under a second), and
        either all are stored or none. If a ``local_id`` appears twice, the last row wins.
        ``contents`` (local id → canonical JSON of what was sent) is kept with the
        bindings, in the same transaction; a binding written without one loses its
        older one (see :mod:`passerelle.store.sent_contents`).

        ``together`` (kind → rows) writes other kinds' bindings in the same
        transaction (the stock, price and state bound with the product that carried
        them): one transaction per batch instead of one per kind. Their kept contents
        are dropped, as with ``contents={}``; the count returned is ``kind``'s alone.
        """
        check_name("profile", profile)
        check_name("kind", kind)
        # The time every row is stamped with, bound as the driver takes it: processed once.
        at = _UPSERT.processed(self._tx.engine, "synced_at", self._tx.now())
        values = _values(profile, kind, rows, at)
        wanted: dict[str, Mapping[str, str] | None] = {kind: contents}
        others: list[tuple[Any, ...]] = []
        for other, other_rows in (together or {}).items():
            check_name("kind", other)
            others += _values(profile, other, other_rows, at)
            wanted.setdefault(other, {})
        if not values and not others:
            return 0
        with self._tx.connection(write=True) as connection:
            _UPSERT.run_tuples(connection, values + others)
            written = {kind: [row[2] for row in values]}
            for row in others:
                written.setdefault(row[1], []).append(row[2])
            sent_contents.keep(connection, profile, written, wanted)
        return len(values)

    def unbind(self, profile: str, kind: str, local_ids: Iterable[str]) -> int:
        """Forget bindings (a reset: the records will be sent/imported again).

        Returns how many existed. There is deliberately no "unbind all" here:
        resetting everything is ``reset_records`` with ``None``, which also
        clears the grid and parked entries and bumps generations.
        """
        ids = unique(local_ids)
        with self._tx.session(write=True) as s:
            return reset.delete_bindings(s, profile, kind, ids)


def _upsert(dialect: Dialect) -> Any:
    insert = postgresql.insert if dialect.name == "postgresql" else sqlite.insert
    stmt = insert(_BINDINGS_TABLE)
    return stmt.on_conflict_do_update(
        index_elements=["profile", "kind", "local_id"],
        set_={
            "remote_id": stmt.excluded.remote_id,
            "content_hash": stmt.excluded.content_hash,
            "synced_at": stmt.excluded.synced_at,
            "remote_number": stmt.excluded.remote_number,
        },
    )


# The upsert of bind_many, compiled once and run by the driver for all rows (one
# executemany per batch, whatever the kinds; see passerelle.store.driver_batch).
_UPSERT = DriverStatement(
    _upsert,
    ("profile", "kind", "local_id", "remote_id", "content_hash", "synced_at", "remote_number"),
    {"synced_at": _BINDINGS_TABLE.c.synced_at.type},
)


def _values(profile: str, kind: str, rows: Iterable[_Row], at: Any) -> list[tuple[Any, ...]]:
    """The upsert's parameters in :data:`_UPSERT`'s order, one per distinct ``local_id``
    (the last row wins), checked; ``at``: ``synced_at`` as bound."""
    latest: dict[str, tuple[Any, ...]] = {}
    for raw in rows:
        if len(raw) == 3:  # a plain tuple, as flows give them
            local_id, remote_id, content_hash = raw
            remote_number = None
        else:
            local_id, remote_id, content_hash, remote_number = BindingInput(*raw)
        # The checks' common answer asked here (two non-empty texts and a lowercase
        # sha256, for every row of every batch); anything else is told by the checks.
        if not (
            type(local_id) is str
            and local_id
            and type(remote_id) is str
            and remote_id
            and (content_hash is None or (type(content_hash) is str and is_sha256(content_hash)))
        ):
            check_id("local_id", local_id)
            check_id("remote_id", remote_id)
            check_hash(content_hash)
        if remote_number is not None and not isinstance(remote_number, str):
            raise TypeError(  # internal: the store API misused (a bug)
                f"remote_number must be a string, got {remote_number!r}"
            )
        latest[local_id] = (profile, kind, local_id, remote_id, content_hash, at, remote_number)
    return list(latest.values())
