"""Runs: each run of a flow, its status, counts and heartbeat."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime, timedelta

from sqlalchemy import select, update

from passerelle.store.checks import check_counts, check_name
from passerelle.store.liveness import pid_alive
from passerelle.store.models import RunRow
from passerelle.store.records import COUNT_KEYS, Run, RunStatus
from passerelle.store.transactions import Repository

__all__ = ["DEFAULT_HEARTBEAT_TIMEOUT", "RunRepository"]

#: A run whose owner cannot be checked (another host) is presumed dead after
#: this long without a heartbeat. Runners heartbeat far more often than this.
DEFAULT_HEARTBEAT_TIMEOUT = timedelta(minutes=10)


class RunRepository(Repository):
    """Reads and writes of the ``runs`` table."""

    def start_run(self, profile: str, flow: str, *, log_path: str | None = None) -> int:
        """Record a new run as running and return its id.

        First marks as interrupted the runs of the same flow whose process is
        gone (see :meth:`mark_stale_runs_interrupted`), so a crash never
        leaves a run "running" forever.
        """
        check_name("profile", profile)
        check_name("flow", flow)
        self.mark_stale_runs_interrupted(profile, flow)
        now = self._tx.now()
        with self._tx.session(write=True) as s:
            row = RunRow(
                profile=profile,
                flow=flow,
                started_at=now,
                finished_at=None,
                status=RunStatus.RUNNING.value,
                counts=check_counts(None),
                log_path=log_path,
                owner=self._tx.owner,
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
        with self._tx.session(write=True) as s:
            s.execute(update(RunRow).where(RunRow.id == run_id).values(heartbeat_at=self._tx.now()))

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
            raise ValueError(  # internal: the store API misused (a bug)
                "finish_run needs a final status, not 'running'"
            )
        clean = check_counts(counts)
        now = self._tx.now()
        with self._tx.session(write=True) as s:
            row = s.get(RunRow, run_id)
            if row is None:
                raise LookupError(f"no run {run_id}")  # internal: the store API misused (a bug)
            if row.status not in (RunStatus.RUNNING, RunStatus.INTERRUPTED):
                raise ValueError(  # internal: the store API misused (a bug)
                    f"run {run_id} is already finished ({row.status})"
                )
            row.status = final.value
            row.finished_at = now
            row.heartbeat_at = now
            row.counts = clean
            s.flush()
            return _run(row)

    def get_run(self, run_id: int) -> Run | None:
        """One run, or ``None`` if there is no such id."""
        with self._tx.session() as s:
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
        with self._tx.session() as s:
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
        now = self._tx.now()
        marked: list[int] = []
        with self._tx.session(write=True) as s:
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
        if host == self._tx.owner.rpartition(":")[0] and pid_text.isdigit():
            return not pid_alive(int(pid_text))
        return now - row.heartbeat_at > timeout


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
