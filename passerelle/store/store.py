"""The state store's one entry point: :class:`Store`.

Every method is one short transaction that commits before it returns, and
returns frozen records (``records.py``), never ORM objects. That is what lets
flows rely on simple ordering rules — "bind, *then* move the bookmark" — and
lets several processes share one SQLite file or one PostgreSQL database.

The statements of the staging grid, reset generations and resets live in
``staging.py``, ``generations.py`` and ``reset.py``, as functions on a
session; the methods here check arguments and own the transaction.
"""

from __future__ import annotations

import os
import socket
import sys
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

from sqlalchemy import Engine, Table, insert, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import URL
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from passerelle.store import generations, reset, staging
from passerelle.store.batching import unique
from passerelle.store.engine import DEFAULT_BUSY_TIMEOUT, WRITE, sqlite_url
from passerelle.store.models import BindingRow, BookmarkRow, JournalLineRow, ParkedRow, RunRow
from passerelle.store.opening import open_engine
from passerelle.store.records import (
    COUNT_KEYS,
    Binding,
    BindingInput,
    Bookmark,
    JournalEntry,
    JournalLevel,
    JournalLine,
    ParkedRecord,
    ProblemKind,
    Run,
    RunStatus,
    Severity,
    StagedOrder,
    StagedState,
)

if TYPE_CHECKING:
    from passerelle.store.queue import JobQueue

__all__ = ["DEFAULT_HEARTBEAT_TIMEOUT", "Store"]

#: A run whose owner cannot be checked (another host) is presumed dead after
#: this long without a heartbeat. Runners heartbeat far more often than this.
DEFAULT_HEARTBEAT_TIMEOUT = timedelta(minutes=10)

_HEX = frozenset("0123456789abcdef")
# Bulk writes go through Core tables: one compiled statement executed for all
# rows (executemany) is ~10x faster than ORM objects or multi-row VALUES.
_BINDINGS_TABLE = cast(Table, BindingRow.__table__)
_JOURNAL_TABLE = cast(Table, JournalLineRow.__table__)


def _utcnow() -> datetime:
    return datetime.now(UTC)


def _this_owner() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


class Store:
    """What passerelle remembers between runs, for all profiles.

    Bindings, bookmarks, runs, journal lines, parked records, the staging grid
    of imported orders and reset generations.

    Open with :meth:`open` (any URL) or :meth:`open_data_dir` (the default
    SQLite file); both migrate the database to the current schema first, so a
    data directory written by an older passerelle just works.
    """

    def __init__(self, engine: Engine, *, clock: Callable[[], datetime] = _utcnow) -> None:
        """Wrap an engine made by :func:`passerelle.store.engine.make_engine`.

        ``clock`` returns "now" as an aware datetime; tests pass a fake one.
        """
        self._engine = engine
        self._sessions = sessionmaker(engine, expire_on_commit=False)
        self._clock = clock
        self._owner = _this_owner()
        dialect = engine.dialect.name
        if dialect == "postgresql":
            self._insert: Any = postgresql.insert
        elif dialect == "sqlite":
            self._insert = sqlite.insert
        else:  # pragma: no cover - make_engine refuses other dialects
            raise ValueError(f"unsupported dialect {dialect}")

    # ------------------------------------------------------------------ setup

    @classmethod
    def open(
        cls,
        url: str | URL,
        *,
        migrate: bool = True,
        busy_timeout: float = DEFAULT_BUSY_TIMEOUT,
        clock: Callable[[], datetime] = _utcnow,
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
        return self._engine

    @property
    def queue(self) -> JobQueue:
        """The job queue (jobs, workers, webhook deliveries, schedule slots) in this store."""
        from passerelle.store.queue import JobQueue  # queue.py builds on this module

        return JobQueue(self)

    @property
    def url(self) -> str:
        """The database URL with any password masked, safe to log or display."""
        return self._engine.url.render_as_string(hide_password=True)

    def close(self) -> None:
        self._engine.dispose()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"Store({self.url!r})"

    @contextmanager
    def _session(self, *, write: bool = False) -> Iterator[Session]:
        """One transaction; ``write=True`` takes SQLite's write lock up front."""
        with self._sessions.begin() as session:
            session.connection(execution_options={WRITE: write})
            yield session

    def _now(self) -> datetime:
        now = self._clock()
        if now.tzinfo is None:
            raise ValueError("the store's clock returned a naive datetime")
        return now.astimezone(UTC)

    # --------------------------------------------------------------- bindings

    def get_binding(self, profile: str, kind: str, local_id: str) -> Binding | None:
        """The binding of one record, or ``None`` if it was never sent/imported."""
        with self._session() as s:
            row = s.scalars(
                select(BindingRow).where(
                    BindingRow.profile == profile,
                    BindingRow.kind == kind,
                    BindingRow.local_id == local_id,
                )
            ).one_or_none()
            return _binding(row) if row else None

    def bindings(self, profile: str, kind: str) -> dict[str, Binding]:
        """All bindings of a kind, keyed by ``local_id``, in one query.

        Flows load this once per run and compare hashes in memory, instead of
        one query per record.
        """
        with self._session() as s:
            rows = s.scalars(
                select(BindingRow).where(BindingRow.profile == profile, BindingRow.kind == kind)
            )
            return {row.local_id: _binding(row) for row in rows}

    def bindings_by_remote(self, profile: str, kind: str, remote_id: str) -> list[Binding]:
        """Bindings pointing at one remote id ("which back-office record is shop id 42?")."""
        with self._session() as s:
            rows = s.scalars(
                select(BindingRow)
                .where(
                    BindingRow.profile == profile,
                    BindingRow.kind == kind,
                    BindingRow.remote_id == remote_id,
                )
                .order_by(BindingRow.local_id)
            )
            return [_binding(row) for row in rows]

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
        rows: Iterable[
            BindingInput | tuple[str, str, str | None] | tuple[str, str, str | None, str | None]
        ],
    ) -> int:
        """Upsert many bindings in one transaction; returns the number of distinct rows.

        Uses the dialect's ``INSERT … ON CONFLICT DO UPDATE``, compiled once and
        executed for all rows (10,000 rows take well under a second), and
        either all are stored or none. If a ``local_id`` appears twice, the last row wins.
        """
        _check_name("profile", profile)
        _check_name("kind", kind)
        now = self._now()
        latest: dict[str, dict[str, Any]] = {}
        for raw in rows:
            row = BindingInput(*raw)
            _check_id("local_id", row.local_id)
            _check_id("remote_id", row.remote_id)
            _check_hash(row.content_hash)
            if row.remote_number is not None and not isinstance(row.remote_number, str):
                raise TypeError(f"remote_number must be a string, got {row.remote_number!r}")
            latest[row.local_id] = {
                "profile": profile,
                "kind": kind,
                "local_id": row.local_id,
                "remote_id": row.remote_id,
                "content_hash": row.content_hash,
                "synced_at": now,
                "remote_number": row.remote_number,
            }
        values = list(latest.values())
        if not values:
            return 0
        stmt = self._insert(_BINDINGS_TABLE)
        stmt = stmt.on_conflict_do_update(
            index_elements=["profile", "kind", "local_id"],
            set_={
                "remote_id": stmt.excluded.remote_id,
                "content_hash": stmt.excluded.content_hash,
                "synced_at": stmt.excluded.synced_at,
                "remote_number": stmt.excluded.remote_number,
            },
        )
        with self._session(write=True) as s:
            # Core executemany of one compiled statement: ~10x faster than
            # multi-row VALUES, whose compilation dominates for large batches.
            s.execute(stmt, values)
        return len(values)

    def unbind(self, profile: str, kind: str, local_ids: Iterable[str]) -> int:
        """Forget bindings (a reset: the records will be sent/imported again).

        Returns how many existed. There is deliberately no "unbind all" here:
        resetting everything is :meth:`reset_records` with ``None``, which
        also clears the grid and parked entries and bumps generations.
        """
        ids = unique(local_ids)
        with self._session(write=True) as s:
            return reset.delete_bindings(s, profile, kind, ids)

    # -------------------------------------------------------------- bookmarks

    def get_bookmark(self, profile: str, flow: str) -> Bookmark | None:
        with self._session() as s:
            row = s.get(BookmarkRow, (profile, flow))
            return _bookmark(row) if row else None

    def clear_bookmark(self, profile: str, flow: str) -> bool:
        """Forget a flow's bookmark (its next run reads everything); False if it had none."""
        _check_name("profile", profile)
        _check_name("flow", flow)
        with self._session(write=True) as s:
            row = s.get(BookmarkRow, (profile, flow))
            if row is None:
                return False
            s.delete(row)
            return True

    def set_bookmark(self, profile: str, flow: str, value: str) -> Bookmark:
        """Move a flow's bookmark (last transfer date or cursor).

        **Rule:** call this only *after* the records the bookmark covers are
        committed (bound, imported). Saving it when a run starts, or before
        the writes, means an interrupted run leaves records that are never
        fetched again. Polling windows should overlap the previous bookmark a
        little; bindings drop what was already handled.
        """
        _check_name("profile", profile)
        _check_name("flow", flow)
        if not isinstance(value, str):
            raise TypeError(f"bookmark value must be a string, got {type(value).__name__}")
        now = self._now()
        with self._session(write=True) as s:
            stmt = self._insert(BookmarkRow).values(
                profile=profile, flow=flow, value=value, updated_at=now
            )
            s.execute(
                stmt.on_conflict_do_update(
                    index_elements=["profile", "flow"],
                    set_={"value": stmt.excluded.value, "updated_at": stmt.excluded.updated_at},
                )
            )
        return Bookmark(profile=profile, flow=flow, value=value, updated_at=now)

    def bookmarks(self, profile: str) -> dict[str, Bookmark]:
        """All bookmarks of a profile, keyed by flow."""
        with self._session() as s:
            rows = s.scalars(select(BookmarkRow).where(BookmarkRow.profile == profile))
            return {row.flow: _bookmark(row) for row in rows}

    # ------------------------------------------------------------------- runs

    def start_run(self, profile: str, flow: str, *, log_path: str | None = None) -> int:
        """Record a new run as running and return its id.

        First marks as interrupted the runs of the same flow whose process is
        gone (see :meth:`mark_stale_runs_interrupted`), so a crash never
        leaves a run "running" forever.
        """
        _check_name("profile", profile)
        _check_name("flow", flow)
        self.mark_stale_runs_interrupted(profile, flow)
        now = self._now()
        with self._session(write=True) as s:
            row = RunRow(
                profile=profile,
                flow=flow,
                started_at=now,
                finished_at=None,
                status=RunStatus.RUNNING.value,
                counts=_counts(None),
                log_path=log_path,
                owner=self._owner,
                heartbeat_at=now,
            )
            s.add(row)
            s.flush()
            return row.id

    def heartbeat(self, run_id: int) -> None:
        """Say "this run is alive". Journal writes do it too.

        A runner heartbeats at least every few minutes during a long step, so
        another host does not take the run for dead.
        """
        with self._session(write=True) as s:
            s.execute(update(RunRow).where(RunRow.id == run_id).values(heartbeat_at=self._now()))

    def finish_run(
        self, run_id: int, status: RunStatus | str, counts: Mapping[str, int] | None = None
    ) -> Run:
        """Record the end of a run with its final status and counts.

        ``counts`` keys are among :data:`COUNT_KEYS` (a typo is an error, not
        a silently lost number); missing ones are 0. A run wrongly presumed
        interrupted may still finish: the real outcome wins. Finishing a run
        twice is a bug and raises.
        """
        final = RunStatus(status)
        if final is RunStatus.RUNNING:
            raise ValueError("finish_run needs a final status, not 'running'")
        clean = _counts(counts)
        now = self._now()
        with self._session(write=True) as s:
            row = s.get(RunRow, run_id)
            if row is None:
                raise LookupError(f"no run {run_id}")
            if row.status not in (RunStatus.RUNNING, RunStatus.INTERRUPTED):
                raise ValueError(f"run {run_id} is already finished ({row.status})")
            row.status = final.value
            row.finished_at = now
            row.heartbeat_at = now
            row.counts = clean
            s.flush()
            return _run(row)

    def get_run(self, run_id: int) -> Run | None:
        with self._session() as s:
            row = s.get(RunRow, run_id)
            return _run(row) if row else None

    def list_runs(
        self, profile: str | None = None, flow: str | None = None, limit: int = 50
    ) -> list[Run]:
        """The most recent runs first, optionally of one profile and/or flow."""
        query = select(RunRow).order_by(RunRow.id.desc()).limit(limit)
        if profile is not None:
            query = query.where(RunRow.profile == profile)
        if flow is not None:
            query = query.where(RunRow.flow == flow)
        with self._session() as s:
            return [_run(row) for row in s.scalars(query)]

    def mark_stale_runs_interrupted(
        self,
        profile: str,
        flow: str,
        *,
        heartbeat_timeout: timedelta = DEFAULT_HEARTBEAT_TIMEOUT,
    ) -> list[int]:
        """Mark as interrupted the "running" runs of this flow whose process is dead.

        Returns their ids. A run is dead when its owner process ran on this
        host and no longer exists (a killed CLI is recognised at once), or
        when it has not heartbeaten for ``heartbeat_timeout`` (the only signal
        for a worker on another host). A live process on this host is never
        marked, however long it runs: rescuing a job on elapsed time alone is
        how jobs end up running twice. ``finished_at`` is set to the last
        heartbeat, the last moment the run was known alive.
        """
        now = self._now()
        marked: list[int] = []
        with self._session(write=True) as s:
            rows = s.scalars(
                select(RunRow).where(
                    RunRow.profile == profile,
                    RunRow.flow == flow,
                    RunRow.status == RunStatus.RUNNING.value,
                )
            )
            for row in rows:
                if self._is_dead(row, now, heartbeat_timeout):
                    row.status = RunStatus.INTERRUPTED.value
                    row.finished_at = row.heartbeat_at
                    marked.append(row.id)
        return marked

    def _is_dead(self, row: RunRow, now: datetime, timeout: timedelta) -> bool:
        host, _, pid_text = row.owner.rpartition(":")
        if host == self._owner.rpartition(":")[0] and pid_text.isdigit():
            return not _pid_alive(int(pid_text))
        return now - row.heartbeat_at > timeout

    # ---------------------------------------------------------------- journal

    def add_journal(
        self,
        run_id: int,
        level: JournalLevel | str,
        message: str,
        *,
        record_key: str | None = None,
        position: int | None = None,
        total: int | None = None,
        at: datetime | None = None,
    ) -> None:
        """Append one journal line (prefer :meth:`add_journal_many` in loops)."""
        self.add_journal_many(
            run_id, [JournalEntry(level, message, record_key, position, total, at)]
        )

    def add_journal_many(self, run_id: int, entries: Iterable[JournalEntry]) -> int:
        """Append journal lines in one transaction; also counts as a heartbeat.

        Returns the number of lines written. Lines keep the given order.
        """
        now = self._now()
        values = [
            {
                "run_id": run_id,
                "at": entry.at if entry.at is not None else now,
                "level": JournalLevel(entry.level).value,
                "record_key": entry.record_key,
                "position": entry.position,
                "total": entry.total,
                "message": entry.message,
            }
            for entry in entries
        ]
        if not values:
            return 0
        try:
            with self._session(write=True) as s:
                touched = s.execute(
                    update(RunRow).where(RunRow.id == run_id).values(heartbeat_at=now)
                )
                if touched.rowcount == 0:  # type: ignore[attr-defined]
                    raise LookupError(f"no run {run_id}")
                s.execute(insert(_JOURNAL_TABLE), values)
        except IntegrityError as exc:  # pragma: no cover - guarded by the LookupError above
            raise LookupError(f"no run {run_id}") from exc
        return len(values)

    def journal(self, run_id: int) -> list[JournalLine]:
        """A run's journal, in the order it was written."""
        with self._session() as s:
            rows = s.scalars(
                select(JournalLineRow)
                .where(JournalLineRow.run_id == run_id)
                .order_by(JournalLineRow.id)
            )
            return [_journal_line(row) for row in rows]

    # ----------------------------------------------------------------- parked

    def park(
        self,
        profile: str,
        flow: str,
        record_key: str,
        reason: str,
        severity: Severity | str = Severity.ERROR,
        kind: ProblemKind | str = ProblemKind.RECORD,
    ) -> ParkedRecord:
        """Set a record aside, or update it if it is already parked (unresolved).

        A repeat increments ``tries`` and replaces ``reason``, ``severity`` and
        ``last_seen``; ``first_seen`` keeps the first time. A record parked
        again after being resolved starts a new entry. ``kind`` says whether
        the key names a record or a job (see :class:`ProblemKind`).
        """
        _check_name("profile", profile)
        _check_name("flow", flow)
        _check_id("record_key", record_key)
        level = Severity(severity)
        what = ProblemKind(kind)
        now = self._now()
        with self._session(write=True) as s:
            stmt = self._insert(ParkedRow).values(
                profile=profile,
                flow=flow,
                record_key=record_key,
                kind=what.value,
                reason=reason,
                severity=level.value,
                first_seen=now,
                last_seen=now,
                tries=1,
                resolved_at=None,
            )
            s.execute(
                stmt.on_conflict_do_update(
                    index_elements=["profile", "flow", "kind", "record_key"],
                    index_where=ParkedRow.resolved_at.is_(None),
                    set_={
                        "reason": stmt.excluded.reason,
                        "severity": stmt.excluded.severity,
                        "last_seen": stmt.excluded.last_seen,
                        "tries": ParkedRow.tries + 1,
                    },
                )
            )
            row = s.scalars(
                select(ParkedRow).where(
                    ParkedRow.profile == profile,
                    ParkedRow.flow == flow,
                    ParkedRow.kind == what.value,
                    ParkedRow.record_key == record_key,
                    ParkedRow.resolved_at.is_(None),
                )
            ).one()
            return _parked(row)

    def resolve(
        self,
        profile: str,
        flow: str,
        record_key: str,
        kind: ProblemKind | str = ProblemKind.RECORD,
    ) -> bool:
        """Mark a parked problem as resolved; ``False`` if it was not parked.

        Only a problem of the given ``kind`` is touched: a flow that imports
        an order resolves that order, never a job problem that shares its key.
        """
        with self._session(write=True) as s:
            result = s.execute(
                update(ParkedRow)
                .where(
                    ParkedRow.profile == profile,
                    ParkedRow.flow == flow,
                    ParkedRow.kind == ProblemKind(kind).value,
                    ParkedRow.record_key == record_key,
                    ParkedRow.resolved_at.is_(None),
                )
                .values(resolved_at=self._now())
            )
            return bool(result.rowcount)  # type: ignore[attr-defined]

    def dismiss(self, profile: str, ids: Iterable[int] | None = None) -> list[ParkedRecord]:
        """Close open problems of ``profile`` by hand (all when ``ids`` is None).

        For what needs no fix (a job whose work was done another way, a record
        deleted from the shop). Returns the problems closed, as they were, so
        the caller can say which; ids that are not open problems of this
        profile are ignored.
        """
        query = select(ParkedRow).where(
            ParkedRow.profile == profile, ParkedRow.resolved_at.is_(None)
        )
        if ids is not None:
            query = query.where(ParkedRow.id.in_(list(ids)))
        now = self._now()
        with self._session(write=True) as s:
            rows = list(s.scalars(query.order_by(ParkedRow.id)))
            closed = [_parked(row) for row in rows]
            for row in rows:
                row.resolved_at = now
            return closed

    def parked(
        self,
        profile: str | None = None,
        flow: str | None = None,
        severity: Severity | str | None = None,
        include_resolved: bool = False,
        kind: ProblemKind | str | None = ProblemKind.RECORD,
    ) -> list[ParkedRecord]:
        """Parked problems, most recently seen first.

        Only *records* by default, because flows read these keys back as ids
        of their own records; ``kind=None`` gives every kind (for a person's
        list of problems), ``kind="job"`` only the jobs.
        """
        query = select(ParkedRow).order_by(ParkedRow.last_seen.desc(), ParkedRow.id.desc())
        if profile is not None:
            query = query.where(ParkedRow.profile == profile)
        if flow is not None:
            query = query.where(ParkedRow.flow == flow)
        if severity is not None:
            query = query.where(ParkedRow.severity == Severity(severity).value)
        if kind is not None:
            query = query.where(ParkedRow.kind == ProblemKind(kind).value)
        if not include_resolved:
            query = query.where(ParkedRow.resolved_at.is_(None))
        with self._session() as s:
            return [_parked(row) for row in s.scalars(query)]

    # ----------------------------------------------------------- staging grid

    def stage(
        self,
        profile: str,
        flow: str,
        order_id: str,
        *,
        order_number: str,
        document_json: str,
        customer_json: str | None,
        summary: str,
        reason: str | None = None,
    ) -> StagedOrder:
        """Put an imported order in the staging grid (O21), or refresh it there.

        An order already ``staged`` gets the new content (the shop may have
        changed it since the last run); ``created_at`` keeps its first
        staging. An order ``validated`` or ``rejected`` is **not** changed: a
        run must neither bring back what the merchant refused nor re-open
        what is already a back-office document. The row is returned as
        stored, so its ``state`` tells the caller which case happened.
        ``document_json`` / ``customer_json`` are opaque text, given back as is.
        """
        _check_name("profile", profile)
        _check_name("flow", flow)
        _check_id("order_id", order_id)
        _check_text("order_number", order_number)
        _check_text("document_json", document_json)
        _check_text("customer_json", customer_json, optional=True)
        _check_text("summary", summary)
        _check_text("reason", reason, optional=True)
        values = {
            "profile": profile,
            "flow": flow,
            "order_id": order_id,
            "order_number": order_number,
            "document_json": document_json,
            "customer_json": customer_json,
            "summary": summary,
            "reason": reason,
            "updated_at": self._now(),
        }
        with self._session(write=True) as s:
            return staging.stage(s, self._insert, values)

    def staged(
        self,
        profile: str,
        flow: str,
        *,
        states: Iterable[StagedState | str] = (StagedState.STAGED,),
        order_ids: Iterable[str] | None = None,
    ) -> list[StagedOrder]:
        """The grid of one flow: rows in ``states`` (and ``order_ids``), oldest first.

        Ordered by ``created_at`` then ``order_id``, so the grid does not
        reshuffle when an order is re-staged. An unknown state raises.
        """
        wanted = [StagedState(state).value for state in states]
        ids = None if order_ids is None else unique(order_ids)
        if not wanted or ids == []:
            return []
        with self._session() as s:
            return staging.select_staged(s, profile, flow, wanted, ids)

    def mark_validated(
        self,
        profile: str,
        flow: str,
        order_id: str,
        *,
        remote_id: str,
        remote_number: str | None,
    ) -> StagedOrder:
        """Record that a staged order became back-office document ``remote_id``.

        Call it right after the document is created (and bind the order as
        usual: bindings are what stops a second import). It applies whatever
        the row's state, a rejection included: the document exists, and
        hiding that would be worse than overriding a late rejection. Raises
        ``LookupError`` if the order was never staged.
        """
        _check_id("remote_id", remote_id)
        _check_text("remote_number", remote_number, optional=True)
        with self._session(write=True) as s:
            stored = staging.mark_validated(
                s,
                profile,
                flow,
                order_id,
                remote_id=remote_id,
                remote_number=remote_number,
                now=self._now(),
            )
        if stored is None:
            raise LookupError(f"order {order_id!r} is not in the staging grid of {flow!r}")
        return stored

    def reject(self, profile: str, flow: str, order_ids: Iterable[str], *, reason: str) -> int:
        """Reject orders of the grid: they stay out of the back-office for good.

        Only ``staged`` rows change (a validated order has a document already;
        a rejected one keeps its first reason); returns how many did. A
        rejected row stays in the table so the next run, which fetches the
        order again, sees it is rejected (:meth:`is_rejected`) and skips it.
        """
        _check_text("reason", reason)
        ids = unique(order_ids)
        if not ids:
            return 0
        with self._session(write=True) as s:
            return staging.reject(s, profile, flow, ids, reason, self._now())

    def is_rejected(self, profile: str, flow: str, order_id: str) -> bool:
        """Whether the merchant rejected this order (so a run must skip it)."""
        with self._session() as s:
            return staging.is_rejected(s, profile, flow, order_id)

    def rejected_ids(self, profile: str, flow: str) -> set[str]:
        """Ids of the rejected orders of a flow, in one query, for a run to skip."""
        with self._session() as s:
            return staging.keys(s, profile, flow, [StagedState.REJECTED.value])

    def unstage(self, profile: str, flow: str, order_ids: Iterable[str] | None = None) -> int:
        """Delete grid rows of any state (``None``: the whole grid of the flow).

        Returns how many were deleted. Used by a reset; a deleted rejection is
        forgotten, so the next run stages the order again.
        """
        ids = None if order_ids is None else unique(order_ids)
        if ids == []:
            return 0
        with self._session(write=True) as s:
            return staging.delete_staged(s, profile, flow, ids)

    # ------------------------------------------------------- reset generations

    def generation(self, profile: str, kind: str, record_key: str) -> int:
        """How many times this record was reset (O18); 0 if never.

        Flows can fold it into the key they leave on the other side, so a
        reset record is imported again rather than found under its old key.
        """
        with self._session() as s:
            return generations.generation(s, profile, kind, record_key)

    def generations(self, profile: str, kind: str) -> dict[str, int]:
        """Generations of a kind in one query, for a run; absent keys are 0."""
        with self._session() as s:
            return generations.generations(s, profile, kind)

    def bump_generation(
        self, profile: str, kind: str, record_keys: Iterable[str]
    ) -> dict[str, int]:
        """Add one to the generation of each key; returns the new values by key.

        Prefer :meth:`reset_records`, which also forgets bindings, staged rows
        and parked entries in the same transaction.
        """
        _check_name("profile", profile)
        _check_name("kind", kind)
        keys = unique(record_keys)
        for key in keys:
            _check_id("record_key", key)
        with self._session(write=True) as s:
            return generations.bump(s, self._insert, profile, kind, keys, self._now())

    def reset_records(
        self, profile: str, kind: str, flow: str, record_keys: Iterable[str] | None
    ) -> list[str]:
        """O18: make records transferable again, in one transaction; returns their keys.

        For each key: delete its binding (``kind``), its staged row and its
        parked entries, resolved ones included (``flow``), and bump its
        generation (``kind``). ``None`` means every key bound for
        ``(profile, kind)`` plus every key staged (any state) or parked in
        ``flow``, returned sorted; given keys come back deduplicated in
        order, all bumped even if the store held nothing else about them.
        Bookmarks are not moved: the caller decides how far back to read.
        """
        _check_name("profile", profile)
        _check_name("kind", kind)
        _check_name("flow", flow)
        keys = None if record_keys is None else unique(record_keys)
        for key in keys or ():
            _check_id("record_key", key)
        with self._session(write=True) as s:
            return reset.reset_records(
                s,
                self._insert,
                profile=profile,
                kind=kind,
                flow=flow,
                record_keys=keys,
                now=self._now(),
            )


# ---------------------------------------------------------------- helpers


def _pid_alive(pid: int) -> bool:
    if sys.platform == "win32":  # pragma: no cover - signal 0 means Ctrl-C there
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # exists, owned by someone else
    return True


def _check_name(label: str, value: object) -> None:
    if not isinstance(value, str) or not value:
        raise ValueError(f"{label} must be a non-empty string, got {value!r}")


def _check_id(label: str, value: object) -> None:
    # An int id stored as "12" on one side and 12 on the other is how a
    # product gets imported twenty times: ids are strings, always.
    if not isinstance(value, str) or not value:
        raise TypeError(f"{label} must be a non-empty string, got {value!r}")


def _check_text(label: str, value: object, *, optional: bool = False) -> None:
    # Stored as given and read back by another run: a dict or bytes here is a
    # caller bug better caught now than as a confusing value in the grid.
    if value is None and optional:
        return
    if not isinstance(value, str):
        raise TypeError(f"{label} must be a string, got {type(value).__name__}")


def _check_hash(value: object) -> None:
    if value is None:
        return
    if not (isinstance(value, str) and len(value) == 64 and _HEX.issuperset(value)):
        raise ValueError(f"content_hash must be a lowercase hex sha256, got {value!r}")


def _counts(counts: Mapping[str, int] | None) -> dict[str, int]:
    given = dict(counts or {})
    unknown = sorted(set(given) - set(COUNT_KEYS))
    if unknown:
        raise ValueError(f"unknown run counts {unknown}; expected among {list(COUNT_KEYS)}")
    for key, value in given.items():
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            raise ValueError(f"run count {key!r} must be a non-negative int, got {value!r}")
    return {key: int(given.get(key, 0)) for key in COUNT_KEYS}


def _binding(row: BindingRow) -> Binding:
    return Binding(
        profile=row.profile,
        kind=row.kind,
        local_id=row.local_id,
        remote_id=row.remote_id,
        content_hash=row.content_hash,
        synced_at=row.synced_at,
        remote_number=row.remote_number,
    )


def _bookmark(row: BookmarkRow) -> Bookmark:
    return Bookmark(profile=row.profile, flow=row.flow, value=row.value, updated_at=row.updated_at)


def _run(row: RunRow) -> Run:
    return Run(
        id=row.id,
        profile=row.profile,
        flow=row.flow,
        started_at=row.started_at,
        finished_at=row.finished_at,
        status=RunStatus(row.status),
        counts={key: int(row.counts.get(key, 0)) for key in COUNT_KEYS},
        log_path=row.log_path,
        owner=row.owner,
        heartbeat_at=row.heartbeat_at,
    )


def _journal_line(row: JournalLineRow) -> JournalLine:
    return JournalLine(
        id=row.id,
        run_id=row.run_id,
        at=row.at,
        level=JournalLevel(row.level),
        record_key=row.record_key,
        position=row.position,
        total=row.total,
        message=row.message,
    )


def _parked(row: ParkedRow) -> ParkedRecord:
    return ParkedRecord(
        id=row.id,
        profile=row.profile,
        flow=row.flow,
        record_key=row.record_key,
        reason=row.reason,
        severity=Severity(row.severity),
        first_seen=row.first_seen,
        last_seen=row.last_seen,
        tries=row.tries,
        resolved_at=row.resolved_at,
        kind=ProblemKind(row.kind),
    )
