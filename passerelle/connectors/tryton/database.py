"""Run trytond embedded in this process: configuration, pool and transactions.

Why in-process: the connector reads a catalogue and writes whole sales inside
one database transaction, which XML-RPC cannot give (each call is its own
transaction there) and which is an order of magnitude faster.

Limitation, by trytond's design: its configuration (``trytond.config``) and
its backend module are **process-global**. One process can therefore talk to
one Tryton *server URI* only (``sqlite://`` or one
``postgresql://user@host:port/``). Within that URI any number of database
*names* work side by side (tests use one copy of the demo per module): the
pool, caches and connections of trytond are keyed by database name, and
databases with the same activated modules share one set of model classes
(:mod:`passerelle.connectors.tryton.registry`).
For SQLite the directory of the files is global too; :func:`session` sets it
for the duration of each transaction under a process lock, so connectors on
different directories can coexist in one process, provided their database
names differ (trytond's in-memory caches are keyed by name only).
"""

from __future__ import annotations

import importlib
import os
import sys
import threading
import warnings
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar
from urllib.parse import urlparse

from passerelle.connectors.errors import FatalError
from passerelle.connectors.tryton.registry import load_registry
from passerelle.i18n.messages import M_, Message

__all__ = [
    "ADMIN_LOGIN",
    "TrytonTarget",
    "configure",
    "quiet_trytond_imports",
    "database_exists",
    "run_in_transaction",
    "run_retrying",
    "session",
]

ADMIN_LOGIN = "admin"

T = TypeVar("T")

# One lock for everything that touches trytond's global configuration.
# Re-entrant so that a transaction may run follow-up tasks of its own.
_LOCK = threading.RLock()
_configured_uri: str | None = None
_user_ids: dict[tuple[str, str, str], int] = {}
_contexts: dict[tuple[str, str, str, str], dict[str, Any]] = {}


@dataclass(frozen=True, slots=True)
class TrytonTarget:
    """Where a Tryton database lives: a name on a server URI (plus a directory for SQLite)."""

    database: str
    uri: str = "sqlite://"
    path: Path | None = None

    @property
    def backend(self) -> str:
        return urlparse(self.uri).scheme

    @property
    def sqlite_file(self) -> Path | None:
        """The SQLite file of this database, ``None`` on PostgreSQL."""
        if self.backend != "sqlite":
            return None
        return Path(self.path or ".") / f"{self.database}.sqlite"

    def describe(self) -> str:
        """A human description without credentials (for messages and logs)."""
        if self.backend == "sqlite":
            return f"SQLite database {self.sqlite_file}"
        parsed = urlparse(self.uri)
        host = parsed.hostname or "localhost"
        port = f":{parsed.port}" if parsed.port else ""
        return f"PostgreSQL database {self.database!r} on {host}{port}"

    def said(self) -> Message:
        """:meth:`describe` as a kept message, for errors shown in the reader's language."""
        if self.backend == "sqlite":
            return M_("SQLite database %(file)s", file=str(self.sqlite_file))
        parsed = urlparse(self.uri)
        host = parsed.hostname or "localhost"
        server = f"{host}:{parsed.port}" if parsed.port else host
        return M_(
            "PostgreSQL database %(name)s on %(server)s", name=repr(self.database), server=server
        )


def configure(uri: str, path: Path | None = None) -> None:
    """Point trytond at ``uri`` (and ``path`` for SQLite files).

    Must happen before trytond's backend is used: the backend module is
    chosen when ``trytond.backend`` is imported. If it was imported earlier
    for another scheme (e.g. by a plain ``import trytond.pool`` with the
    default ``sqlite://``) and no database was opened yet, it is reloaded.
    A second, different server URI in the same process is refused.
    """
    global _configured_uri
    from trytond import config

    with _LOCK:
        if _configured_uri is not None and _configured_uri != uri:
            raise FatalError(
                M_(
                    "this passerelle process already works with another Tryton server; "
                    "run one passerelle process per Tryton server"
                )
            )
        if _configured_uri is None:
            config.set("database", "uri", uri)
            scheme = urlparse(uri).scheme
            backend_module = sys.modules.get("trytond.backend")
            if backend_module is not None and getattr(backend_module, "name", None) != scheme:
                from trytond.pool import Pool

                if Pool.database_list():
                    raise FatalError(
                        M_(
                            "this passerelle process already opened a Tryton database of "
                            "kind %(open)s; it cannot open one of kind %(wanted)s: run one "
                            "passerelle process per Tryton server",
                            open=repr(backend_module.name),
                            wanted=repr(scheme),
                        )
                    )
                importlib.reload(backend_module)
            # A task queue needs a worker process; embedded, tasks run after commit.
            config.set("queue", "worker", "False")
            _configured_uri = uri
        if path is not None:
            config.set("database", "path", os.fspath(path))


def _ensure_pool(database: str) -> None:
    """Load trytond's model registry for ``database`` once per process."""
    from trytond.pool import Pool
    from trytond.transaction import Transaction

    if database in Pool.database_list():
        return  # every session asks: registering trytond's classes again costs 10 ms
    with quiet_trytond_imports():
        Pool.start()
        with Transaction().start(database, 0, readonly=True):
            load_registry(database)


@contextmanager
def quiet_trytond_imports() -> Iterator[None]:
    """Silence the deprecation trytond 8.2 triggers in its own modules when they load.

    (``trytond.protocols.rest`` imports ``trytond.config.config``.) Not ours
    to fix, and a test suite run with ``-W error`` would fail on it.
    """
    with warnings.catch_warnings():
        warnings.filterwarnings(
            "ignore", message=r"trytond\.config\.config is deprecated", category=DeprecationWarning
        )
        yield


def database_exists(target: TrytonTarget) -> bool:
    """Whether ``target`` exists and holds a Tryton database."""
    if target.backend == "sqlite":
        file = target.sqlite_file
        return file is not None and file.is_file()
    with _LOCK:
        configure(target.uri, target.path)
        from trytond import backend

        try:
            database = backend.Database().connect()
            return target.database in database.list()
        except Exception:  # noqa: BLE001 - unreachable server means "no"
            return False


def _admin_id(target: TrytonTarget) -> int:
    """Id of the admin user, looked up once per database (ids differ per build)."""
    key = (target.uri, str(target.path), target.database)
    if key not in _user_ids:
        from trytond.pool import Pool
        from trytond.transaction import Transaction, inactive_records

        with Transaction().start(target.database, 0, readonly=True):
            User = Pool().get("res.user")
            with inactive_records():
                users = User.search([("login", "=", ADMIN_LOGIN)], limit=1)
            if not users:
                raise FatalError(
                    M_(
                        "%(database)s has no %(user)s user; is it a Tryton database?",
                        database=target.said(),
                        user=repr(ADMIN_LOGIN),
                    )
                )
            _user_ids[key] = users[0].id
    return _user_ids[key]


def _run_tasks(database: str) -> None:
    """Run the queued tasks of the transaction just committed, as trytond's dispatcher does.

    Why: with no queue worker, trytond defers work such as "process the sale
    after confirmation" (create shipments and invoices) to after the commit.
    Their failure does not undo the committed document (it is logged by trytond
    and stays in ``ir.queue``), exactly as on a Tryton server. In the order they
    were queued: two sales written in one transaction (an order delivered to two
    addresses) get their shipments in the order of the sales.
    """
    from trytond.pool import Pool
    from trytond.transaction import Transaction
    from trytond.worker import run_task

    transaction = Transaction()
    pool = Pool(database)
    while transaction.tasks:
        run_task(pool, transaction.tasks.pop(0))


@contextmanager
def session(
    target: TrytonTarget,
    *,
    company: str | None = None,
    readonly: bool = False,
    extras: dict[str, Any] | None = None,
) -> Iterator[Any]:
    """A trytond transaction as the admin user, with the company in context.

    Commits when the block ends normally and rolls everything back when it
    raises, so a document is written whole or not at all. Yields the
    ``Transaction``; use ``trytond.pool.Pool()`` inside to get models.
    ``company`` is the company party name; default is the only (first) company.
    ``extras`` are trytond's transaction extras, e.g. the tables to lock
    that a ``TransactionError`` asked for (see :func:`run_retrying`).
    """
    with _LOCK:
        configure(target.uri, target.path)
        if target.backend == "sqlite" and not database_exists(target):
            raise FatalError(M_("%(database)s does not exist", database=target.said()))
        try:
            _ensure_pool(target.database)
        except FatalError:
            raise
        except Exception as exc:
            raise FatalError(
                M_("cannot open %(database)s: %(error)s", database=target.said(), error=str(exc))
            ) from exc
        user_id = _admin_id(target)
        context = _user_context(target, user_id, company)

        from trytond.transaction import Transaction

        try:
            with Transaction().start(
                target.database, user_id, readonly=readonly, context=context, **(extras or {})
            ) as transaction:
                yield transaction
                # ``Transaction.__exit__`` commits (no exception) or rolls back.
        except BaseException:
            Transaction().tasks.clear()  # tasks of a rolled back transaction
            raise
        _run_tasks(target.database)


def _user_context(target: TrytonTarget, user_id: int, company: str | None) -> dict[str, Any]:
    """The admin's preferences with the company set, read once per database and company."""
    key = (target.uri, str(target.path), target.database, company or "")
    if key not in _contexts:
        from trytond.pool import Pool
        from trytond.transaction import Transaction

        with Transaction().start(target.database, 0, readonly=True):
            pool = Pool()
            User = pool.get("res.user")
            Company = pool.get("company.company")
            domain = [("party.name", "=", company)] if company else []
            companies = Company.search(domain, order=[("id", "ASC")], limit=1)
            if not companies:
                raise FatalError(
                    M_(
                        "%(database)s has no company %(company)s",
                        database=target.said(),
                        company=repr(company),
                    )
                    if company
                    else M_("%(database)s has no company", database=target.said())
                )
            with Transaction().set_user(user_id):
                context = User.get_preferences(context_only=True)
            context = dict(context)
            context["company"] = companies[0].id
            context["language"] = context.get("language") or "en"
        _contexts[key] = context
    return dict(_contexts[key])


def run_retrying(
    open_session: Callable[[dict[str, Any]], Any],
    func: Callable[[], T],
    *,
    attempts: int = 5,
) -> T:
    """Run ``func()`` in ``open_session(extras)``, again when trytond asks for a lock first.

    Why: trytond raises a ``TransactionError`` when a write needs a table
    or rows locked from the start of the transaction (posting an account
    move locks the journal periods); its server then rolls back and replays
    the request with the lock taken. Embedded, this function does the same.
    """
    from trytond.transaction import TransactionError

    extras: dict[str, Any] = {}
    for _ in range(attempts):
        try:
            with open_session(extras):
                return func()
        except TransactionError as exc:
            exc.fix(extras)
    raise FatalError(
        M_(
            "Tryton kept asking for more locks after %(attempts)s attempts (%(locks)s); "
            "try again when the back-office is less busy",
            attempts=attempts,
            locks=str(extras),
        )
    )


def run_in_transaction(
    target: TrytonTarget,
    func: Callable[[], T],
    *,
    company: str | None = None,
    readonly: bool = False,
) -> T:
    """Call ``func()`` inside :func:`session`; commit on success, roll back on error."""
    with session(target, company=company, readonly=readonly):
        return func()
