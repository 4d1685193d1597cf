"""``passerelle worker``: runs the queue and the schedules, unattended, alongside any other workers.

A worker is one process. It registers itself in the store and heartbeats from
a thread every few seconds, whatever its job is doing; then, in a loop:

1. jobs left running by a worker that stopped heartbeating for ``job_timeout``
   (or whose process on this host is gone) go back to the queue;
2. each profile's due schedules become jobs (once, whatever the number of
   workers: see :mod:`passerelle.runner.scheduler`);
3. it claims the oldest job it may run — never one whose lane is busy for
   that profile, never more than the shop's limit at once — and runs it.

Several workers share one queue when the store is PostgreSQL; with the
default SQLite file they share it on one machine.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

from rich.console import Console

from passerelle.i18n import _
from passerelle.profiles.repository import ProfileError, ProfileRepository
from passerelle.runner.execute import JobOutcome, execute_job
from passerelle.runner.retention import prune_if_due, retention_days
from passerelle.runner.run_now import Runner
from passerelle.runner.scheduler import enqueue_due
from passerelle.store import Job, Store

__all__ = ["Worker"]

log = logging.getLogger("passerelle.worker")


class Worker:
    """One worker process's loop; :meth:`run` until :meth:`stop`."""

    def __init__(
        self,
        data_dir: Path,
        *,
        store: Store,
        console: Console | None = None,
        job_timeout: timedelta = timedelta(seconds=60),
        heartbeat_every: timedelta = timedelta(seconds=5),
        poll_every: float = 1.0,
        schedule_every: float = 5.0,
        shop_limit: int = 2,
        schedules: bool = True,
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
        keep_days: int | None = None,
    ) -> None:
        if heartbeat_every >= job_timeout:
            raise ValueError(
                _(
                    "the heartbeat (%(heartbeat)s s) must be more frequent than the job "
                    "timeout (%(timeout)s s), or live workers would be taken for dead",
                    heartbeat=heartbeat_every.total_seconds(),
                    timeout=job_timeout.total_seconds(),
                )
            )
        self.store = store
        self.queue = store.queue
        self.runner = Runner(data_dir, store=store, console=console or Console(quiet=True))
        self.profiles = ProfileRepository(data_dir)
        self.job_timeout = job_timeout
        self.heartbeat_every = heartbeat_every
        self.poll_every = poll_every
        self.schedule_every = schedule_every
        self.shop_limit = shop_limit
        self.schedules = schedules
        self.clock = clock
        #: Days of journal lines and log files kept (see runner.retention); 0 keeps all.
        self.keep_days = retention_days(keep_days)
        self.data_dir = data_dir
        self.id = self.queue.register_worker()
        self._stopping = threading.Event()
        self._closed = threading.Event()  # the heart beats until close, past stop()
        self._last_schedule = float("-inf")
        self._bad_profiles: dict[str, str] = {}
        self._heart = threading.Thread(target=self._beat, name=f"heartbeat {self.id}", daemon=True)
        self._heart.start()

    # ----------------------------------------------------------------- loop

    def run(self, *, until_idle: bool = False, max_jobs: int | None = None) -> list[JobOutcome]:
        """Work until :meth:`stop` (or, for tests and ``--once``, until the queue is idle)."""
        done: list[JobOutcome] = []
        while not self._stopping.is_set():
            outcome = self.tick()
            if outcome is not None:
                done.append(outcome)
                if max_jobs is not None and len(done) >= max_jobs:
                    break
                continue
            if until_idle:
                break
            self._stopping.wait(self.poll_every)
        return done

    def tick(self) -> JobOutcome | None:
        """One turn: recover, schedule, claim and run at most one job."""
        recovered = self.queue.recover(self.job_timeout)
        if recovered:
            log.warning(
                "jobs %s were running on a worker that died: back in the queue",
                ", ".join(map(str, recovered)),
            )
        if self.schedules and time.monotonic() - self._last_schedule >= self.schedule_every:
            self._last_schedule = time.monotonic()
            self._enqueue_schedules()
            if self.keep_days:
                prune_if_due(self.store, self.data_dir, self.keep_days, self.clock())
        job = self.queue.claim(self.id, shop_limit=self.shop_limit)
        if job is None:
            return None
        log.info("job %s: %s of %s (try %s)", job.id, job.flow, job.profile, job.attempts + 1)
        outcome = execute_job(
            job, queue=self.queue, runner=self.runner, profiles=self.profiles, worker_id=self.id
        )
        log.info(
            "job %s: %s%s",
            job.id,
            outcome.status,
            f" ({outcome.message})" if outcome.message else "",
        )
        return outcome

    def run_job(
        self,
        job_id: int,
        *,
        on_wait: Callable[[str], None] | None = None,
        timeout: float | None = None,
    ) -> JobOutcome | Job:
        """Run the queued job ``job_id`` here as soon as its lane is free (``passerelle run``).

        If another worker takes it first, wait for that worker to end it. Returns
        this worker's outcome, or the job as another worker left it.
        """
        deadline = None if timeout is None else time.monotonic() + timeout
        said = ""
        while deadline is None or time.monotonic() < deadline:
            self.queue.recover(self.job_timeout)
            job = self.queue.claim(self.id, shop_limit=self.shop_limit, job_id=job_id)
            if job is not None:
                return execute_job(
                    job,
                    queue=self.queue,
                    runner=self.runner,
                    profiles=self.profiles,
                    worker_id=self.id,
                )
            current = self.queue.get(job_id)
            if current is None or current.status not in ("queued", "running"):
                final = (
                    self.queue.get(current.merged_into)
                    if current is not None and current.merged_into
                    else current
                )
                if final is not None and final.status in ("queued", "running"):
                    job_id = final.id  # merged into a waiting or running job: follow it
                    continue
                assert current is not None, f"job {job_id} vanished"
                return final or current
            message = (
                _(
                    "job %(job)s is running on worker %(worker)s; waiting",
                    job=job_id,
                    worker=current.worker_id,
                )
                if current.status == "running"
                else _(
                    "job %(job)s waits for the %(lane)s jobs of %(profile)s running now",
                    job=job_id,
                    lane=current.lane,
                    profile=current.profile,
                )
            )
            if on_wait is not None and message != said:
                on_wait(message)
                said = message
            time.sleep(self.poll_every)
        raise TimeoutError(  # internal: only tests give a timeout (by_hand waits without)
            f"job {job_id} did not end within {timeout} s"
        )

    def _enqueue_schedules(self) -> None:
        now = self.clock()
        for name in self.profiles.names():
            try:
                profile = self.profiles.load(name)
            except ProfileError as exc:
                if self._bad_profiles.get(name) != str(exc):  # said once, not every tick
                    log.error("profile %s is not scheduled until it loads: %s", name, exc)
                    self._bad_profiles[name] = str(exc)
                continue
            self._bad_profiles.pop(name, None)
            for queued in enqueue_due(self.queue, profile, now):
                log.info("scheduled %s of %s: job %s", queued.job, queued.profile, queued.job_id)

    # -------------------------------------------------------------- lifecycle

    def stop(self) -> None:
        """Finish the job at hand, then leave the loop (SIGTERM, Ctrl-C)."""
        self._stopping.set()

    def close(self) -> None:
        """Say the worker is gone: its running jobs (none after a clean stop) are requeued."""
        self._stopping.set()
        self._closed.set()
        self._heart.join(timeout=self.heartbeat_every.total_seconds() + 1)
        self.queue.stop_worker(self.id)

    def _beat(self) -> None:
        while not self._closed.wait(self.heartbeat_every.total_seconds()):
            try:
                self.queue.heartbeat_worker(self.id)
            except Exception:  # a store hiccup must not kill the heart: try next beat
                log.exception("worker %s: heartbeat failed", self.id)
