"""The job queue: work waiting for a worker, in the state store's own tables.

Events (an order webhook, a back-office change, a manual send, a schedule)
become rows of ``jobs``; workers claim them, run the flow and report back.
Everything lives in the same database as the bindings, so SQLite (one
machine) and PostgreSQL (several workers) share one implementation and one
set of migrations — which is why this is not procrastinate (PostgreSQL-only,
async).

What the queue guarantees, and where the guarantee comes from:

* **Jobs of one ``(profile, lane)`` never run at once** — a partial unique
  index on running jobs; :meth:`JobQueue.claim` skips busy lanes and treats a
  unique violation as "taken meanwhile, try the next one".
* **At most ``shop_limit`` running jobs per shop** — on PostgreSQL the count
  is taken under a transaction-scoped advisory lock per shop, so two workers
  cannot both take the last slot; on SQLite the claim is a ``BEGIN
  IMMEDIATE`` transaction, so claims are one at a time anyway.
* **One job is handed to one worker** — ``FOR UPDATE SKIP LOCKED`` on
  PostgreSQL, the single SQLite writer otherwise.
* **The same work waiting twice is one job** — a partial unique index on
  queued ``(profile, dedupe_key)``; enqueueing again merges the payload's
  id lists into the waiting job. At claim time, waiting jobs of the same flow
  that only carry ``order_ids`` are absorbed too, so a thousand order
  webhooks cost a handful of runs.
* **A replayed webhook queues nothing** — the delivery id is recorded in the
  same transaction as the job (:meth:`JobQueue.accept_delivery`).
* **Completion is fenced** — only the worker that owns a running job can
  finish, fail or retry it; after a recovery the old worker's late report is
  ignored. Effect-once comes from the flows' idempotence (bindings), not
  from the queue: a job may run again after its worker died mid-way.
* **Dead workers are detected by heartbeat** (or a vanished pid on this
  host), never by how long a job has been running: a slow job is not a dead
  one (DESIGN.md).
"""

from __future__ import annotations

import json
import os
import random
import secrets
from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime, timedelta
from typing import Any, Protocol

from sqlalchemy import delete, exists, func, or_, select, text, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, aliased

from passerelle.store.batching import CHUNK
from passerelle.store.checks import check_id, check_name
from passerelle.store.liveness import pid_alive, this_host
from passerelle.store.models import JobRow, ScheduleSlotRow, WebhookDeliveryRow, WorkerRow
from passerelle.store.records import Job, JobSource, JobStatus, Worker
from passerelle.store.transactions import Transactions

__all__ = [
    "DEFAULT_MAX_ATTEMPTS",
    "DEFAULT_SHOP_LIMIT",
    "MERGE_KEY",
    "MERGE_LIMIT",
    "JobQueue",
    "backoff",
    "merge_payloads",
]

DEFAULT_MAX_ATTEMPTS = 5
DEFAULT_SHOP_LIMIT = 2
#: The payload key whose ids are merged when waiting jobs are absorbed at claim.
MERGE_KEY = "order_ids"
#: At most this many ids in one claimed job: a run stays short enough to retry.
MERGE_LIMIT = 500
# Candidates examined per claim; busy lanes and full shops are filtered in SQL.
_CANDIDATES = 20
# A unique index race lost (PostgreSQL, READ COMMITTED) is retried this often.
_RACE_RETRIES = 5
# First key of pg_advisory_xact_lock(int, int): the per-shop claim locks ("pq").
_SHOP_LOCK_SPACE = 0x7071

_QUEUED = JobStatus.QUEUED.value
_RUNNING = JobStatus.RUNNING.value


class _Uniform(Protocol):
    def uniform(self, a: float, b: float) -> float: ...


def backoff(
    attempt: int,
    *,
    base: timedelta = timedelta(seconds=5),
    cap: timedelta = timedelta(minutes=10),
    retry_after: timedelta | None = None,
    rng: _Uniform = random,
) -> timedelta:
    """How long to wait before try ``attempt + 1``: "full jitter" back-off.

    A random delay in ``[0, min(cap, base·2^attempt)]``: spreading retries
    over the whole window is what stops many workers hammering a recovering
    shop in lock-step (AWS architecture blog, "Exponential Backoff And
    Jitter"). Never less than ``retry_after`` (the shop's ``Retry-After``),
    even above ``cap``: asking earlier only earns another 429.
    """
    if attempt < 0:
        raise ValueError(  # internal: the queue API misused, or a race (a bug)
            f"attempt must be >= 0, got {attempt}"
        )
    ceiling = min(cap.total_seconds(), base.total_seconds() * 2.0 ** min(attempt, 64))
    delay = timedelta(seconds=rng.uniform(0.0, max(ceiling, 0.0)))
    floor = retry_after if retry_after is not None else timedelta(0)
    return max(delay, floor)


def merge_payloads(older: Mapping[str, Any], newer: Mapping[str, Any]) -> dict[str, Any]:
    """Two payloads of the same work as one: list values united, order kept.

    ``{"order_ids": ["1", "2"]}`` + ``{"order_ids": ["2", "3"]}`` gives
    ``["1", "2", "3"]``. For any other value the newer one wins: it is the
    latest word on what the work should do.
    """
    merged = dict(older)
    for key, value in newer.items():
        old = merged.get(key)
        merged[key] = (
            _union(old, value) if isinstance(old, list) and isinstance(value, list) else value
        )
    return merged


class JobQueue:
    """The queue's operations; get one from :attr:`passerelle.store.Store.queue`.

    Like :class:`~passerelle.store.Store`, every method is one transaction
    and returns frozen records (:class:`~passerelle.store.Job`); it shares
    the store's engine, transactions and clock, so a fake clock in tests
    drives heartbeats and ``run_after`` alike.
    """

    def __init__(self, tx: Transactions) -> None:
        self._session = tx.session
        self._now = tx.now
        self._insert = tx.insert
        self._postgres = tx.engine.dialect.name == "postgresql"
        self._host = this_host()

    # -------------------------------------------------------------- enqueue

    def enqueue(
        self,
        profile: str,
        flow: str,
        *,
        payload: Mapping[str, Any] | None = None,
        lane: str | None = None,
        shop_key: str = "",
        dedupe_key: str | None = None,
        source: JobSource | str = JobSource.MANUAL,
        max_attempts: int = DEFAULT_MAX_ATTEMPTS,
        run_after: datetime | None = None,
    ) -> Job:
        """Queue a run of ``flow`` for ``profile``; returns the job that will do it.

        ``lane`` (default: the flow) names what must not run twice at once;
        ``shop_key`` the shop the job talks to ("" for none: no per-shop
        limit). With a ``dedupe_key``, a job of the same profile and key that
        is still waiting is returned instead of a new one, its payload merged
        (:func:`merge_payloads`) and its ``run_after`` the earlier of the two.
        """
        values = self._new_job(
            profile, flow, payload, lane, shop_key, dedupe_key, source, max_attempts, run_after
        )
        with self._session(write=True) as s:
            return _job(self._enqueue(s, values))

    def accept_delivery(
        self,
        profile: str,
        source: str,
        delivery_id: str,
        *,
        flow: str,
        payload: Mapping[str, Any],
        dedupe_key: str | None = None,
        lane: str | None = None,
        shop_key: str = "",
    ) -> Job | None:
        """Record webhook delivery ``delivery_id`` from ``source`` and queue its work.

        Both happen in one transaction, so a delivery is either recorded with
        its job or not at all. A delivery already recorded (the shop retried,
        or an attacker replayed it) returns ``None`` and changes nothing; two
        concurrent accepts of one id give one job.
        """
        check_name("source", source)
        check_id("delivery_id", delivery_id)
        values = self._new_job(
            profile, flow, payload, lane, shop_key, dedupe_key, JobSource.WEBHOOK,
            DEFAULT_MAX_ATTEMPTS, None,
        )  # fmt: skip
        key = {"profile": profile, "source": source, "delivery_id": delivery_id}
        with self._session(write=True) as s:
            recorded = s.execute(
                self._insert(WebhookDeliveryRow)
                .values(**key, received_at=values["created_at"], job_id=None)
                .on_conflict_do_nothing(index_elements=list(key))
                .returning(WebhookDeliveryRow.delivery_id)
            ).first()
            if recorded is None:
                return None
            row = self._enqueue(s, values)
            s.execute(
                update(WebhookDeliveryRow)
                .where(*(getattr(WebhookDeliveryRow, k) == v for k, v in key.items()))
                .values(job_id=row.id)
            )
            return _job(row)

    def prune_deliveries(self, older_than: timedelta) -> int:
        """Forget deliveries received more than ``older_than`` ago; returns how many.

        Shops retry a delivery for hours or days, not months: keep a window
        longer than the longest retry schedule of the platforms served.
        """
        with self._session(write=True) as s:
            result = s.execute(
                delete(WebhookDeliveryRow).where(
                    WebhookDeliveryRow.received_at < self._now() - older_than
                )
            )
            return int(result.rowcount)  # type: ignore[attr-defined]

    # ---------------------------------------------------------------- claim

    def claim(
        self,
        worker_id: str,
        *,
        shop_limit: int = DEFAULT_SHOP_LIMIT,
        profiles: Iterable[str] | None = None,
        job_id: int | None = None,
    ) -> Job | None:
        """Take the oldest due job that may run now, or ``None``.

        ``job_id`` limits the claim to that job (``passerelle run`` runs the job it
        queued itself, still only when its lane is free).

        Oldest is by ``run_after`` then id. A job may run when no job of its
        ``(profile, lane)`` is running and its shop has fewer than
        ``shop_limit`` running jobs. It becomes ``running``, owned by
        ``worker_id``; ``attempts`` is unchanged. If its payload holds a list
        of ``order_ids``, the other due waiting jobs of the same profile,
        flow, lane and shop whose payload is only ``order_ids`` are absorbed
        into it (status ``merged``), up to :data:`MERGE_LIMIT` ids.
        """
        check_id("worker_id", worker_id)
        if shop_limit < 1:
            raise ValueError(  # internal: the queue API misused, or a race (a bug)
                f"shop_limit must be at least 1, got {shop_limit}"
            )
        wanted = None if profiles is None else list(dict.fromkeys(profiles))
        if wanted == []:
            return None
        now = self._now()
        with self._session(write=True) as s:
            candidates = s.scalars(self._candidates(now, shop_limit, wanted, job_id)).all()
            locked_shops: set[str] = set()
            busy_lanes: set[tuple[str, str]] = set()
            full_shops: set[str] = set()
            for candidate_id in candidates:
                row = s.scalars(
                    select(JobRow)
                    .where(
                        JobRow.id == candidate_id, JobRow.status == _QUEUED, JobRow.run_after <= now
                    )
                    .with_for_update(skip_locked=True)
                ).one_or_none()
                if (
                    row is None
                    or (row.profile, row.lane) in busy_lanes
                    or row.shop_key in full_shops
                ):
                    continue
                if row.shop_key and not self._shop_has_room(
                    s, row.shop_key, shop_limit, locked_shops
                ):
                    full_shops.add(row.shop_key)
                    continue
                taken = _try_update(
                    s, row, status=_RUNNING, started_at=now, finished_at=None, worker_id=worker_id
                )
                if not taken:  # the lane got a running job meanwhile
                    busy_lanes.add((row.profile, row.lane))
                    continue
                if isinstance(row.payload.get(MERGE_KEY), list):
                    self._absorb(s, row, now)
                return _job(row)
        return None

    def _candidates(
        self, now: datetime, shop_limit: int, profiles: list[str] | None, job_id: int | None = None
    ) -> Any:
        """Due waiting jobs whose lane is free and shop not full, oldest first.

        Read without locks: each candidate is then locked on its own, so
        concurrent claimers do not skip each other's whole candidate list.
        """
        other = aliased(JobRow)
        lane_busy = exists().where(
            other.status == _RUNNING, other.profile == JobRow.profile, other.lane == JobRow.lane
        )
        shop = aliased(JobRow)
        shop_running = (
            select(func.count())
            .where(shop.status == _RUNNING, shop.shop_key == JobRow.shop_key)
            .scalar_subquery()
        )
        query = (
            select(JobRow.id)
            .where(
                JobRow.status == _QUEUED,
                JobRow.run_after <= now,
                ~lane_busy,
                or_(JobRow.shop_key == "", shop_running < shop_limit),
            )
            .order_by(JobRow.run_after, JobRow.id)
            .limit(_CANDIDATES)
        )
        if profiles is not None:
            query = query.where(JobRow.profile.in_(profiles))
        if job_id is not None:
            query = query.where(JobRow.id == job_id)
        return query

    def _shop_has_room(self, s: Session, shop_key: str, limit: int, locked: set[str]) -> bool:
        """Whether ``shop_key`` has a free slot, counted so no one else can take it first.

        On PostgreSQL the count runs under an advisory lock held until commit:
        a second claimer for the same shop waits, then counts our job too.
        Only the first shop of a claim is waited for; later ones are only
        tried, so two claimers never wait for each other's shop (deadlock).
        """
        if self._postgres and shop_key not in locked:
            lock_args = (_SHOP_LOCK_SPACE, func.hashtext(shop_key))
            if not locked:
                s.execute(select(func.pg_advisory_xact_lock(*lock_args)))
            elif not s.scalar(select(func.pg_try_advisory_xact_lock(*lock_args))):
                return False
            locked.add(shop_key)
        running = s.scalar(
            select(func.count()).where(JobRow.status == _RUNNING, JobRow.shop_key == shop_key)
        )
        return int(running or 0) < limit

    def _absorb(self, s: Session, row: JobRow, now: datetime) -> None:
        """Fold waiting ``order_ids``-only jobs of the same flow into ``row``."""
        siblings = s.scalars(
            select(JobRow)
            .where(
                JobRow.status == _QUEUED,
                JobRow.run_after <= now,
                JobRow.profile == row.profile,
                JobRow.flow == row.flow,
                JobRow.lane == row.lane,
                JobRow.shop_key == row.shop_key,
                JobRow.id != row.id,
            )
            .order_by(JobRow.run_after, JobRow.id)
            .limit(MERGE_LIMIT)
            .with_for_update(skip_locked=True)
        ).all()
        ids: list[Any] = list(row.payload[MERGE_KEY])
        absorbed: list[JobRow] = []
        for sibling in siblings:
            extra = sibling.payload.get(MERGE_KEY)
            if set(sibling.payload) != {MERGE_KEY} or not isinstance(extra, list):
                continue
            united = _union(ids, extra)
            if len(united) > MERGE_LIMIT:
                break
            ids = united
            absorbed.append(sibling)
        if not absorbed:
            return
        for sibling in absorbed:
            _mark_merged(sibling, row.id, now)
        row.payload = {**row.payload, MERGE_KEY: ids}
        s.flush()

    # ------------------------------------------------------- fenced results

    def finish(self, job_id: int, worker_id: str, *, run_id: int | None = None) -> bool:
        """Mark a job done; ``False`` (and no change) unless ``worker_id`` still owns it."""
        with self._session(write=True) as s:
            row = self._owned(s, job_id, worker_id)
            if row is None:
                return False
            row.status = JobStatus.DONE.value
            row.finished_at = self._now()
            row.run_id = run_id
            return True

    def fail(self, job_id: int, worker_id: str, error: str) -> bool:
        """Park a job as failed (for a person, see :meth:`requeue`); fenced like finish.

        The failed try counts in ``attempts``.
        """
        with self._session(write=True) as s:
            row = self._owned(s, job_id, worker_id)
            if row is None:
                return False
            row.attempts += 1
            self._give_up(row, error)
            return True

    def retry_later(self, job_id: int, worker_id: str, error: str, delay: timedelta) -> Job | None:
        """Count a failed try and queue the job again after ``delay``; fenced.

        When ``attempts`` reaches ``max_attempts`` the job fails instead.
        Returns the job that now carries the work (``None`` if not owned):
        usually this one; if the same work was enqueued again meanwhile
        (same dedupe key), that waiting job, which absorbs this one and
        waits at least ``delay`` too.
        """
        if delay < timedelta(0):
            raise ValueError(  # internal: the queue API misused, or a race (a bug)
                f"delay must not be negative, got {delay}"
            )
        with self._session(write=True) as s:
            row = self._owned(s, job_id, worker_id)
            if row is None:
                return None
            row.attempts += 1
            row.last_error = error
            if row.attempts >= row.max_attempts:
                self._give_up(row, error)
                return _job(row)
            return _job(self._back_to_queue(s, row, self._now() + delay))

    def _owned(self, s: Session, job_id: int, worker_id: str) -> JobRow | None:
        return s.scalars(
            select(JobRow)
            .where(JobRow.id == job_id, JobRow.status == _RUNNING, JobRow.worker_id == worker_id)
            .with_for_update()
        ).one_or_none()

    def _give_up(self, row: JobRow, error: str) -> None:
        row.status = JobStatus.FAILED.value
        row.last_error = error
        row.finished_at = self._now()
        row.worker_id = None

    def _back_to_queue(self, s: Session, row: JobRow, run_after: datetime) -> JobRow:
        """Make ``row`` wait again; returns the job that now carries its work.

        If a job with the same dedupe key is already waiting (the partial
        unique index allows only one), ``row`` is merged into it instead: its
        ids are kept, the later ``run_after`` and the larger ``attempts`` win.
        On PostgreSQL such a job may appear between the check and the update;
        the unique violation then sends us round again.
        """
        s.flush()  # so a savepoint rollback below cannot undo the caller's changes
        for _ in range(_RACE_RETRIES):
            twin = (
                None
                if row.dedupe_key is None
                else self._waiting(s, row.profile, row.dedupe_key, besides=row.id)
            )
            if twin is not None:
                twin.payload = merge_payloads(row.payload, twin.payload)
                twin.run_after = max(twin.run_after, run_after)
                twin.attempts = max(twin.attempts, row.attempts)
                _mark_merged(row, twin.id, self._now())
                s.flush()
                return twin
            queued = _try_update(
                s, row, status=_QUEUED, run_after=run_after, worker_id=None, finished_at=None
            )
            if queued:
                return row
        raise RuntimeError(  # internal: the queue API misused, or a race (a bug)
            f"job {row.id}: dedupe key {row.dedupe_key!r} kept changing hands"
        )

    def _waiting(
        self, s: Session, profile: str, dedupe_key: str, *, besides: int | None = None
    ) -> JobRow | None:
        """The waiting job of ``profile`` with ``dedupe_key`` (locked), other than ``besides``."""
        query = select(JobRow).where(
            JobRow.profile == profile,
            JobRow.dedupe_key == dedupe_key,
            JobRow.status == _QUEUED,
        )
        if besides is not None:
            query = query.where(JobRow.id != besides)
        return s.scalars(query.with_for_update()).one_or_none()

    # -------------------------------------------------------------- workers

    def register_worker(self, host: str | None = None, pid: int | None = None) -> str:
        """Record a starting worker; returns its id ``host:pid:random``.

        The random part keeps ids unique when a pid is reused after a reboot.
        ``host``/``pid`` default to this process; a dead pid on this host is
        how :meth:`recover` spots a killed worker at once.
        """
        host = host or self._host
        pid = os.getpid() if pid is None else pid
        worker_id = f"{host}:{pid}:{secrets.token_hex(4)}"
        now = self._now()
        with self._session(write=True) as s:
            s.add(
                WorkerRow(
                    id=worker_id,
                    host=host,
                    pid=pid,
                    started_at=now,
                    heartbeat_at=now,
                    stopped_at=None,
                )  # fmt: skip
            )
        return worker_id

    def heartbeat_worker(self, worker_id: str) -> bool:
        """Say "this worker is alive"; ``False`` if it is unknown or stopped."""
        with self._session(write=True) as s:
            result = s.execute(
                update(WorkerRow)
                .where(WorkerRow.id == worker_id, WorkerRow.stopped_at.is_(None))
                .values(heartbeat_at=self._now())
            )
            return bool(result.rowcount)  # type: ignore[attr-defined]

    def stop_worker(self, worker_id: str) -> list[int]:
        """Record a clean stop; its running jobs wait again at once (attempts kept).

        Returns the ids of those jobs. A stop is not the job's fault, so it
        does not count as a try.
        """
        now = self._now()
        with self._session(write=True) as s:
            s.execute(
                update(WorkerRow)
                .where(WorkerRow.id == worker_id, WorkerRow.stopped_at.is_(None))
                .values(stopped_at=now)
            )
            rows = s.scalars(
                select(JobRow)
                .where(JobRow.status == _RUNNING, JobRow.worker_id == worker_id)
                .order_by(JobRow.id)
                .with_for_update()
            ).all()
            for row in rows:
                self._back_to_queue(s, row, now)
            return [row.id for row in rows]

    def workers(self, *, include_stopped: bool = False) -> list[Worker]:
        """Registered workers, most recently started first."""
        query = select(WorkerRow).order_by(WorkerRow.started_at.desc(), WorkerRow.id)
        if not include_stopped:
            query = query.where(WorkerRow.stopped_at.is_(None))
        with self._session() as s:
            return [_worker(row) for row in s.scalars(query)]

    def recover(self, timeout: timedelta) -> list[int]:
        """Take back running jobs whose worker is dead; returns their ids.

        A worker is dead when it is stopped or unknown, runs on this host and
        its pid is gone, or has not heartbeaten for more than ``timeout``.
        How long the job itself has run never matters. Each job counts a
        failed try and waits again (or fails once ``max_attempts`` is
        reached), its ``last_error`` saying which worker died; the dead
        worker's later finish/retry is then ignored (fencing).
        """
        now = self._now()
        recovered: list[int] = []
        with self._session(write=True) as s:
            pairs = s.execute(
                select(JobRow, WorkerRow)
                .outerjoin(WorkerRow, WorkerRow.id == JobRow.worker_id)
                .where(JobRow.status == _RUNNING)
                .order_by(JobRow.id)
                .with_for_update(of=JobRow, skip_locked=True)
            ).all()
            for row, worker in pairs:
                reason = self._death(row.worker_id, worker, now, timeout)
                if reason is None:
                    continue
                row.attempts += 1
                row.last_error = reason
                if row.attempts >= row.max_attempts:
                    self._give_up(row, reason)
                else:
                    self._back_to_queue(s, row, now)
                recovered.append(row.id)
        return recovered

    def _death(
        self, worker_id: str | None, worker: WorkerRow | None, now: datetime, timeout: timedelta
    ) -> str | None:
        """Why the owner of a running job is dead, or ``None`` if it may be alive."""
        if worker is None:
            return f"worker {worker_id} died: it is not registered"
        if worker.stopped_at is not None:
            return (
                f"worker {worker.id} died: it stopped at {worker.stopped_at:%Y-%m-%d %H:%M:%S} UTC"
            )
        if worker.host == self._host and not pid_alive(worker.pid):
            return f"worker {worker.id} died: process {worker.pid} is gone"
        if now - worker.heartbeat_at > timeout:
            return (
                f"worker {worker.id} died: no heartbeat since "
                f"{worker.heartbeat_at:%Y-%m-%d %H:%M:%S} UTC"
            )
        return None

    # ----------------------------------------------------------- inspection

    def requeue(self, profile: str, job_ids: Iterable[int] | None = None) -> int:
        """Queue failed jobs again with their tries reset (``problems retry``).

        ``None`` means every failed job of the profile. Other jobs named are
        left alone; returns how many were requeued.
        """
        ids = None if job_ids is None else list(dict.fromkeys(job_ids))
        if ids == []:
            return 0
        now = self._now()
        base = select(JobRow).where(
            JobRow.profile == profile, JobRow.status == JobStatus.FAILED.value
        )
        batches: Sequence[Any] = (
            [base] if ids is None
            else [base.where(JobRow.id.in_(ids[i : i + CHUNK])) for i in range(0, len(ids), CHUNK)]
        )  # fmt: skip
        count = 0
        with self._session(write=True) as s:
            for query in batches:
                for row in s.scalars(query.order_by(JobRow.id).with_for_update()).all():
                    row.attempts = 0
                    row.started_at = None
                    self._back_to_queue(s, row, now)
                    count += 1
        return count

    def jobs(
        self,
        profile: str | None = None,
        status: JobStatus | str | None = None,
        limit: int = 100,
    ) -> list[Job]:
        """Jobs, newest first, optionally of one profile and/or status."""
        query = select(JobRow).order_by(JobRow.id.desc()).limit(limit)
        if profile is not None:
            query = query.where(JobRow.profile == profile)
        if status is not None:
            query = query.where(JobRow.status == JobStatus(status).value)
        with self._session() as s:
            return [_job(row) for row in s.scalars(query)]

    def get(self, job_id: int) -> Job | None:
        with self._session() as s:
            row = s.get(JobRow, job_id)
            return _job(row) if row else None

    # ------------------------------------------------------------ schedules

    def claim_slot(self, profile: str, flow: str, due: datetime | None, next_due: datetime) -> bool:
        """Win the right to enqueue the scheduled run of ``flow`` due at ``due``.

        Compare-and-swap: the slot moves from ``due`` to ``next_due`` only if
        it still says ``due``, so among workers racing for one due time
        exactly one gets ``True`` and enqueues. A flow with no slot yet gets
        one at ``next_due`` and its first caller wins; ``due=None`` means
        "I saw no slot": it wins only by creating it.
        """
        check_name("profile", profile)
        check_name("flow", flow)
        if due is not None:
            _check_aware("due", due)
        _check_aware("next_due", next_due)
        with self._session(write=True) as s:
            if due is not None:
                moved = s.execute(
                    update(ScheduleSlotRow)
                    .where(
                        ScheduleSlotRow.profile == profile,
                        ScheduleSlotRow.flow == flow,
                        ScheduleSlotRow.next_due_at == due,
                    )
                    .values(next_due_at=next_due)
                )
                if moved.rowcount:  # type: ignore[attr-defined]
                    return True
            created = s.execute(
                self._insert(ScheduleSlotRow)
                .values(profile=profile, flow=flow, next_due_at=next_due)
                .on_conflict_do_nothing(index_elements=["profile", "flow"])
                .returning(ScheduleSlotRow.flow)
            ).first()
            return created is not None

    def slots(self, profile: str) -> dict[str, datetime]:
        """When each scheduled flow of ``profile`` is next due, keyed by flow."""
        with self._session() as s:
            rows = s.scalars(select(ScheduleSlotRow).where(ScheduleSlotRow.profile == profile))
            return {row.flow: row.next_due_at for row in rows}

    # -------------------------------------------------------------- helpers

    def _new_job(
        self,
        profile: str,
        flow: str,
        payload: Mapping[str, Any] | None,
        lane: str | None,
        shop_key: str,
        dedupe_key: str | None,
        source: JobSource | str,
        max_attempts: int,
        run_after: datetime | None,
    ) -> dict[str, Any]:
        """The checked column values of a new waiting job."""
        check_name("profile", profile)
        check_name("flow", flow)
        check_name("lane", flow if lane is None else lane)
        if not isinstance(shop_key, str):
            raise TypeError(  # internal: the queue API misused, or a race (a bug)
                f"shop_key must be a string, got {shop_key!r}"
            )
        if dedupe_key is not None:
            check_id("dedupe_key", dedupe_key)
        if isinstance(max_attempts, bool) or not isinstance(max_attempts, int) or max_attempts < 1:
            raise ValueError(  # internal: the queue API misused, or a race (a bug)
                f"max_attempts must be a positive int, got {max_attempts!r}"
            )
        if run_after is not None:
            _check_aware("run_after", run_after)
        body = dict(payload or {})
        try:
            json.dumps(body)
        except (TypeError, ValueError) as exc:
            raise TypeError(  # internal: the queue API misused, or a race (a bug)
                f"job payload must be plain JSON: {exc}"
            ) from exc
        now = self._now()
        return {
            "profile": profile,
            "flow": flow,
            "lane": flow if lane is None else lane,
            "shop_key": shop_key,
            "payload": body,
            "dedupe_key": dedupe_key,
            "source": JobSource(source).value,
            "status": _QUEUED,
            "attempts": 0,
            "max_attempts": max_attempts,
            "run_after": now if run_after is None else run_after,
            "created_at": now,
        }

    def _enqueue(self, s: Session, values: dict[str, Any]) -> JobRow:
        """Insert a waiting job, or merge into the one waiting with its dedupe key.

        ``INSERT … ON CONFLICT DO NOTHING`` on the partial unique index makes
        a concurrent enqueue of the same key wait for ours, then merge.
        """
        key = values["dedupe_key"]
        if key is None:
            row = JobRow(**values)
            s.add(row)
            s.flush()
            return row
        for _ in range(_RACE_RETRIES):
            twin = self._waiting(s, values["profile"], key)
            if twin is not None:
                twin.payload = merge_payloads(twin.payload, values["payload"])
                twin.run_after = min(twin.run_after, values["run_after"])
                s.flush()
                return twin
            new_id = s.execute(
                self._insert(JobRow)
                .values(**values)
                .on_conflict_do_nothing(
                    index_elements=["profile", "dedupe_key"],
                    index_where=text("status = 'queued'"),  # a literal: PostgreSQL infers
                    # a partial index only from a predicate it can compare, not a parameter
                )
                .returning(JobRow.id)
            ).scalar_one_or_none()
            if new_id is not None:
                inserted = s.get(JobRow, new_id)
                assert inserted is not None
                return inserted
        raise RuntimeError(  # internal: the queue API misused, or a race (a bug)
            f"dedupe key {key!r} kept changing hands"
        )


def _check_aware(label: str, value: object) -> None:
    if not isinstance(value, datetime) or value.utcoffset() is None:
        raise ValueError(  # internal: the queue API misused, or a race (a bug)
            f"{label} must be an aware datetime (UTC), got {value!r}"
        )


def _try_update(s: Session, row: JobRow, **values: Any) -> bool:
    """Set ``values`` on ``row`` in a savepoint; ``False`` if a unique index refused them.

    The partial unique indexes are the final word on "one running job per
    lane" and "one waiting job per dedupe key"; losing that race rolls back
    only the savepoint (the row reloads its stored values), not the caller's
    transaction.
    """
    try:
        with s.begin_nested():
            for name, value in values.items():
                setattr(row, name, value)
            s.flush()
    except IntegrityError:
        return False
    return True


def _mark_merged(row: JobRow, into: int, now: datetime) -> None:
    row.status = JobStatus.MERGED.value
    row.merged_into = into
    row.finished_at = now
    row.worker_id = None


def _union(first: list[Any], second: list[Any]) -> list[Any]:
    """Items of both lists, each once, in first-seen order (JSON values may be unhashable)."""
    seen: set[str] = set()
    united: list[Any] = []
    for item in (*first, *second):
        key = json.dumps(item, sort_keys=True)
        if key not in seen:
            seen.add(key)
            united.append(item)
    return united


def _job(row: JobRow) -> Job:
    return Job(
        id=row.id,
        profile=row.profile,
        flow=row.flow,
        lane=row.lane,
        shop_key=row.shop_key,
        payload=dict(row.payload),
        dedupe_key=row.dedupe_key,
        source=JobSource(row.source),
        status=JobStatus(row.status),
        attempts=row.attempts,
        max_attempts=row.max_attempts,
        run_after=row.run_after,
        created_at=row.created_at,
        started_at=row.started_at,
        finished_at=row.finished_at,
        worker_id=row.worker_id,
        last_error=row.last_error,
        run_id=row.run_id,
        merged_into=row.merged_into,
    )


def _worker(row: WorkerRow) -> Worker:
    return Worker(
        id=row.id,
        host=row.host,
        pid=row.pid,
        started_at=row.started_at,
        heartbeat_at=row.heartbeat_at,
        stopped_at=row.stopped_at,
    )
