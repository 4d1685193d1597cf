"""Engines for the state store: SQLite by default, PostgreSQL by URL.

SQLite is the default so a merchant's data directory is the whole state; it is
configured so that several processes (CLI + runner + dashboard) can share the
file safely:

* WAL journal, so readers never block the writer and the writer never blocks
  readers;
* ``foreign_keys=ON`` (SQLite's default is off, silently ignoring ``ON DELETE``);
* a busy timeout, so a second writer waits for the lock instead of failing
  with "database is locked";
* write transactions start with ``BEGIN IMMEDIATE``. pysqlite's default
  ``BEGIN`` (deferred) takes the write lock only at the first write; two
  transactions that both read first then write would deadlock, and SQLite
  resolves that by failing one *without* waiting for the busy timeout. Taking
  the write lock up front makes the second writer simply wait. Read-only
  transactions stay deferred so they never wait for a writer.

Every driver error goes through :func:`passerelle.store.failures.translate`
(the ``handle_error`` event), so a damaged file, a read-only folder or a full
disk reaches the caller as one :class:`~passerelle.store.errors.StoreError`
naming the file, whichever statement met it.
"""

from __future__ import annotations

import sqlite3
import time
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import URL, Connection, ExceptionContext, make_url
from sqlalchemy.pool import ConnectionPoolEntry, StaticPool

from passerelle.i18n.messages import M_, SaidError
from passerelle.store.failures import translate, translate_os_error

__all__ = [
    "SUPPORTED_DIALECTS",
    "UnsupportedStoreURL",
    "WRITE",
    "make_engine",
    "normalize_url",
    "sqlite_file",
    "sqlite_url",
]

SUPPORTED_DIALECTS = ("sqlite", "postgresql")
DEFAULT_BUSY_TIMEOUT = 30.0
#: Execution option marking a connection whose transaction will write.
WRITE = "passerelle_write"


def sqlite_url(data_dir: Path | str) -> str:
    """The default store URL: ``state.db`` in the data directory."""
    return f"sqlite:///{Path(data_dir).resolve() / 'state.db'}"


class UnsupportedStoreURL(SaidError, ValueError):
    """The state store's address is neither SQLite nor PostgreSQL."""


def normalize_url(url: str | URL) -> URL:
    """Parse ``url``; a bare ``postgresql://`` URL gets the psycopg 3 driver.

    Bare URLs would make SQLAlchemy look for psycopg2, which we do not ship.
    """
    parsed = make_url(url)
    if parsed.drivername in ("postgresql", "postgres"):
        parsed = parsed.set(drivername="postgresql+psycopg")
    if parsed.get_backend_name() not in SUPPORTED_DIALECTS:
        raise UnsupportedStoreURL(
            M_(
                "unsupported state store URL %(url)r: "
                "use sqlite:///path/to/state.db or postgresql://user@host/db",
                url=parsed.render_as_string(hide_password=True),
            )
        )
    return parsed


def sqlite_file(url: str | URL) -> Path | None:
    """The file of a SQLite store URL (absolute), or ``None`` (PostgreSQL, in memory)."""
    parsed = normalize_url(url)
    if parsed.get_backend_name() != "sqlite" or parsed.database in (None, "", ":memory:"):
        return None
    return Path(str(parsed.database)).absolute()


def make_engine(url: str | URL, *, busy_timeout: float = DEFAULT_BUSY_TIMEOUT) -> Engine:
    """Create an engine configured for the store (see the module docstring)."""
    parsed = normalize_url(url)
    if parsed.get_backend_name() == "postgresql":
        engine = create_engine(parsed, pool_pre_ping=True)
        _translate_errors(engine, parsed.render_as_string(hide_password=True), None)
        return engine
    return _sqlite_engine(parsed, busy_timeout)


def _translate_errors(engine: Engine, store: str, path: Path | None) -> None:
    """Replace driver errors that are store failures by their :class:`StoreError`."""

    @event.listens_for(engine, "handle_error")
    def _on_error(context: ExceptionContext) -> BaseException | None:
        if context.is_pre_ping:  # the pool reconnects by itself: leave its errors alone
            return None
        return translate(context.original_exception, store=store, sqlite_path=path)


def _sqlite_engine(url: URL, busy_timeout: float) -> Engine:
    memory = url.database in (None, "", ":memory:")
    path = sqlite_file(url)
    if path is not None:
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise translate_os_error(exc, path) from exc
    kwargs: dict[str, Any] = {"connect_args": {"timeout": busy_timeout}}
    if memory:
        # One shared connection, or every connection would see its own empty db.
        kwargs.update(poolclass=StaticPool, connect_args={"check_same_thread": False})
    engine = create_engine(url, **kwargs)
    timeout_ms = int(busy_timeout * 1000)

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn: sqlite3.Connection, record: ConnectionPoolEntry) -> None:
        # Driver-level autocommit: we issue BEGIN ourselves (see _on_begin).
        dbapi_conn.isolation_level = None
        cursor = dbapi_conn.cursor()
        try:
            cursor.execute(f"PRAGMA busy_timeout={timeout_ms}")
            cursor.execute("PRAGMA foreign_keys=ON")
            if not memory:
                _ensure_wal(cursor, busy_timeout)
                # Safe with WAL (a power cut may lose the last commit, never corrupt).
                cursor.execute("PRAGMA synchronous=NORMAL")
        finally:
            cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Connection) -> None:
        immediate = conn.get_execution_options().get(WRITE, False)
        conn.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")

    _translate_errors(engine, str(path or ":memory:"), path)
    return engine


def _ensure_wal(cursor: sqlite3.Cursor, busy_timeout: float) -> None:
    """Switch the file to WAL (persistent, so usually already done).

    Switching needs an exclusive lock and SQLite does not call the busy
    handler for it: two processes opening a brand-new file at once would see
    "database is locked" immediately. So check first, and retry the switch
    within the busy timeout.
    """
    if cursor.execute("PRAGMA journal_mode").fetchone()[0] == "wal":
        return
    deadline = time.monotonic() + busy_timeout
    while True:
        try:
            cursor.execute("PRAGMA journal_mode=WAL")
            return
        except sqlite3.OperationalError as exc:
            if "locked" not in str(exc) or time.monotonic() >= deadline:
                raise
            time.sleep(0.02)
