"""The state store's one entry point: :class:`Store`.

Every method is one short transaction that commits before it returns, and
returns frozen records (``records.py``), never ORM objects. That is what lets
flows rely on simple ordering rules — "bind, *then* move the bookmark" — and
lets several processes share one SQLite file or one PostgreSQL database.

The work is done by one repository per concern (``repositories/``: bindings,
bookmarks, runs, journal, problems, staging grid, resets), all on the same
:class:`~passerelle.store.transactions.Transactions`; the job queue shares
them too. :class:`Store` opens the database and forwards each of its methods
to the repository that owns it, so callers keep one object to hold.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any, Concatenate, Generic, ParamSpec, TypeVar, overload

from sqlalchemy import Engine
from sqlalchemy.engine import URL

from passerelle.store.engine import DEFAULT_BUSY_TIMEOUT, sqlite_url
from passerelle.store.opening import open_engine
from passerelle.store.queue import JobQueue
from passerelle.store.repositories.bindings import BindingRepository
from passerelle.store.repositories.bookmarks import BookmarkRepository
from passerelle.store.repositories.journal import JournalRepository
from passerelle.store.repositories.problems import ProblemRepository
from passerelle.store.repositories.resets import ResetRepository
from passerelle.store.repositories.retention import RetentionRepository
from passerelle.store.repositories.run_metrics import RunMetricsRepository
from passerelle.store.repositories.runs import DEFAULT_HEARTBEAT_TIMEOUT, RunRepository
from passerelle.store.repositories.staging_grid import StagingRepository
from passerelle.store.transactions import Clock, Transactions, utcnow

__all__ = ["DEFAULT_HEARTBEAT_TIMEOUT", "Store"]

_P = ParamSpec("_P")
_R = TypeVar("_R")


class _Forward(Generic[_P, _R]):
    """A :class:`Store` method that is one repository's method, same signature and docstring.

    Resolved on each access, so patching the repository's method (or the
    store's attribute) in a test patches what callers reach.
    """

    def __init__(self, repository: str, method: Callable[Concatenate[Any, _P], _R]) -> None:
        self._repository = repository
        self._name = method.__name__
        self.__doc__ = method.__doc__

    @overload
    def __get__(self, store: None, owner: type[Store]) -> _Forward[_P, _R]: ...

    @overload
    def __get__(self, store: Store, owner: type[Store] | None = None) -> Callable[_P, _R]: ...

    def __get__(
        self, store: Store | None, owner: type[Store] | None = None
    ) -> _Forward[_P, _R] | Callable[_P, _R]:
        if store is None:
            return self
        method: Callable[_P, _R] = getattr(getattr(store, self._repository), self._name)
        return method


class Store:
    """What passerelle remembers between runs, for all profiles.

    Bindings, bookmarks, runs, journal lines, parked records, the staging grid
    of imported orders and reset generations.

    Open with :meth:`open` (any URL) or :meth:`open_data_dir` (the default
    SQLite file); both migrate the database to the current schema first, so a
    data directory written by an older passerelle just works.
    """

    def __init__(self, engine: Engine, *, clock: Clock = utcnow) -> None:
        """Wrap an engine made by :func:`passerelle.store.engine.make_engine`.

        ``clock`` returns "now" as an aware datetime; tests pass a fake one.
        """
        self._tx = Transactions(engine, clock)
        self._binding_repo = BindingRepository(self._tx)
        self._bookmark_repo = BookmarkRepository(self._tx)
        self._run_repo = RunRepository(self._tx)
        self._journal_repo = JournalRepository(self._tx)
        self._problem_repo = ProblemRepository(self._tx)
        self._staging_repo = StagingRepository(self._tx)
        self._reset_repo = ResetRepository(self._tx)
        self._retention_repo = RetentionRepository(self._tx)
        self._metrics_repo = RunMetricsRepository(self._tx)

    # ------------------------------------------------------------------ setup

    @classmethod
    def open(
        cls,
        url: str | URL,
        *,
        migrate: bool = True,
        busy_timeout: float = DEFAULT_BUSY_TIMEOUT,
        clock: Callable[[], datetime] = utcnow,
    ) -> Store:
        """Connect to ``url`` and (by default) ``upgrade head``.

        ``sqlite:///…`` or ``postgresql://…`` (the psycopg 3 driver is used).
        A store that cannot be used raises a :class:`StoreError` saying why; a
        SQLite file emptied behind passerelle's back is refused, not rebuilt
        (see :mod:`passerelle.store.opening`).
        """
        return cls(open_engine(url, migrate=migrate, busy_timeout=busy_timeout), clock=clock)

    @classmethod
    def open_data_dir(cls, data_dir: Path | str, **kwargs: Any) -> Store:
        """Open (creating if needed) ``<data_dir>/state.db``."""
        return cls.open(sqlite_url(data_dir), **kwargs)

    @property
    def engine(self) -> Engine:
        return self._tx.engine

    @property
    def queue(self) -> JobQueue:
        """The job queue (jobs, workers, webhook deliveries, schedule slots) in this store."""
        return JobQueue(self._tx)

    @property
    def url(self) -> str:
        """The database URL with any password masked, safe to log or display."""
        return self._tx.engine.url.render_as_string(hide_password=True)

    def close(self) -> None:
        self._tx.engine.dispose()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"Store({self.url!r})"

    # --------------------------------------------------------------- bindings

    get_binding = _Forward("_binding_repo", BindingRepository.get_binding)
    bindings = _Forward("_binding_repo", BindingRepository.bindings)
    bindings_by_remote = _Forward("_binding_repo", BindingRepository.bindings_by_remote)
    bind = _Forward("_binding_repo", BindingRepository.bind)
    bind_many = _Forward("_binding_repo", BindingRepository.bind_many)
    unbind = _Forward("_binding_repo", BindingRepository.unbind)

    # -------------------------------------------------------------- bookmarks

    get_bookmark = _Forward("_bookmark_repo", BookmarkRepository.get_bookmark)
    clear_bookmark = _Forward("_bookmark_repo", BookmarkRepository.clear_bookmark)
    set_bookmark = _Forward("_bookmark_repo", BookmarkRepository.set_bookmark)
    bookmarks = _Forward("_bookmark_repo", BookmarkRepository.bookmarks)

    # ------------------------------------------------------------------- runs

    start_run = _Forward("_run_repo", RunRepository.start_run)
    heartbeat = _Forward("_run_repo", RunRepository.heartbeat)
    finish_run = _Forward("_run_repo", RunRepository.finish_run)
    get_run = _Forward("_run_repo", RunRepository.get_run)
    list_runs = _Forward("_run_repo", RunRepository.list_runs)
    mark_stale_runs_interrupted = _Forward("_run_repo", RunRepository.mark_stale_runs_interrupted)

    # ---------------------------------------------------------------- journal

    add_journal = _Forward("_journal_repo", JournalRepository.add_journal)
    add_journal_many = _Forward("_journal_repo", JournalRepository.add_journal_many)
    journal = _Forward("_journal_repo", JournalRepository.journal)
    record_journal = _Forward("_journal_repo", JournalRepository.record_journal)

    # --------------------------------------------------------------- problems

    park = _Forward("_problem_repo", ProblemRepository.park)
    resolve = _Forward("_problem_repo", ProblemRepository.resolve)
    dismiss = _Forward("_problem_repo", ProblemRepository.dismiss)
    parked = _Forward("_problem_repo", ProblemRepository.parked)

    # ----------------------------------------------------------- staging grid

    stage = _Forward("_staging_repo", StagingRepository.stage)
    staged = _Forward("_staging_repo", StagingRepository.staged)
    mark_validated = _Forward("_staging_repo", StagingRepository.mark_validated)
    reject = _Forward("_staging_repo", StagingRepository.reject)
    is_rejected = _Forward("_staging_repo", StagingRepository.is_rejected)
    rejected_ids = _Forward("_staging_repo", StagingRepository.rejected_ids)
    unstage = _Forward("_staging_repo", StagingRepository.unstage)

    # ------------------------------------------------------- reset generations

    generation = _Forward("_reset_repo", ResetRepository.generation)
    generations = _Forward("_reset_repo", ResetRepository.generations)
    bump_generation = _Forward("_reset_repo", ResetRepository.bump_generation)
    reset_records = _Forward("_reset_repo", ResetRepository.reset_records)

    # ------------------------------------------------------ retention, metrics

    prune_before = _Forward("_retention_repo", RetentionRepository.prune_before)
    record_shop_requests = _Forward("_metrics_repo", RunMetricsRepository.record_shop_requests)
    runs_by_outcome = _Forward("_metrics_repo", RunMetricsRepository.runs_by_outcome)
    records_by_outcome = _Forward("_metrics_repo", RunMetricsRepository.records_by_outcome)
    open_problems_by_severity = _Forward(
        "_metrics_repo", RunMetricsRepository.open_problems_by_severity
    )
    jobs_by_status = _Forward("_metrics_repo", RunMetricsRepository.jobs_by_status)
    shop_requests_by_platform = _Forward(
        "_metrics_repo", RunMetricsRepository.shop_requests_by_platform
    )
