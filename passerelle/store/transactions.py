"""What every repository of the store shares: one engine's transactions.

The :class:`~passerelle.store.Store` makes one :class:`Transactions` and hands
it to each repository (bindings, bookmarks, runs, journal, problems, staging,
resets) and to the job queue, so they all write through the same sessions,
read the same clock and use the same dialect's upsert. Every repository
method is one short transaction that commits before it returns.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Connection, Engine
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session, sessionmaker

from passerelle.store.engine import WRITE
from passerelle.store.liveness import this_owner

__all__ = ["Clock", "Repository", "Transactions", "utcnow"]

#: Returns "now" as an aware datetime; tests pass a fake one.
Clock = Callable[[], datetime]


def utcnow() -> datetime:
    """The real clock."""
    return datetime.now(UTC)


class Transactions:
    """Sessions on one engine, the store's clock and its dialect's ``insert``.

    ``insert`` is the dialect's own (PostgreSQL or SQLite), because upserts
    (``ON CONFLICT DO UPDATE``) are dialect-specific; ``owner`` is
    ``host:pid`` of this process, recorded on the runs it starts.
    """

    def __init__(self, engine: Engine, clock: Clock = utcnow) -> None:
        self.engine = engine
        self.owner = this_owner()
        self._sessions = sessionmaker(engine, expire_on_commit=False)
        self._clock = clock
        dialect = engine.dialect.name
        if dialect == "postgresql":
            self.insert: Any = postgresql.insert
        elif dialect == "sqlite":
            self.insert = sqlite.insert
        else:  # pragma: no cover - make_engine refuses other dialects
            raise ValueError(  # internal: engines are made by the code
                f"unsupported dialect {dialect}"
            )

    @contextmanager
    def session(self, *, write: bool = False) -> Iterator[Session]:
        """One transaction; ``write=True`` takes SQLite's write lock up front."""
        with self._sessions.begin() as session:
            session.connection(execution_options={WRITE: write})
            yield session

    @contextmanager
    def connection(self, *, write: bool = False) -> Iterator[Connection]:
        """One transaction on a plain Core connection, no ORM session: for bulk
        statements run many times a run (a batch's bindings), where the session's
        own bookkeeping cost more than the statements."""
        with self.engine.connect() as connection:
            connection.execution_options(**{WRITE: write})
            with connection.begin():
                yield connection

    def now(self) -> datetime:
        """The store's clock, in UTC; a naive datetime is a clock bug and raises."""
        now = self._clock()
        if now.tzinfo is None:
            raise ValueError(  # internal: engines are made by the code
                "the store's clock returned a naive datetime"
            )
        return now.astimezone(UTC)


class Repository:
    """Base of the store's repositories: one concern's statements on shared transactions."""

    def __init__(self, tx: Transactions) -> None:
        self._tx = tx
