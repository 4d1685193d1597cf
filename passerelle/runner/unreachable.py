"""A shop that refuses connections: one problem for the shop, not one per job.

When a shop is down every job that talks to it fails the same way; parking
each (a webhook job per order, a scheduled import every few minutes) would
bury the one fact a person needs: *the shop at this address has refused
connections since this time*. So once a job's tries are spent on a refused
connection, one problem of kind ``job`` is parked under the pseudo-flow
``shop``, keyed by the job's shop key (platform and address). The jobs that
failed meanwhile stay failed in the queue, with no problem of their own.

The first job that reaches the shop again closes the problem and sends those
jobs back to the queue, so the work they carried (orders named by webhooks)
is not lost; ``problems retry`` on the problem does the same by hand.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from passerelle.i18n.messages import M_
from passerelle.store import Job, Store
from passerelle.store.problem_keys import UNREACHABLE_FLOW, job_problem_key
from passerelle.store.queue import JobQueue
from passerelle.store.records import ParkedRecord, ProblemKind, Severity

__all__ = ["UNREACHABLE_FLOW", "park_unreachable", "requeue_blocked", "resolve_unreachable"]

# Failed jobs looked at when the shop is back: more than a long outage leaves.
_SCAN = 1000
# The job that first parked the problem failed a moment before parking it.
_MARGIN = timedelta(minutes=1)


def park_unreachable(store: Store, job: Job, url: str) -> ParkedRecord:
    """Park (or refresh) the one problem saying the shop of ``job`` refuses connections."""
    current = _open_problem(store, job.profile, job.shop_key)
    since = current.first_seen if current is not None else datetime.now(UTC)
    reason = M_(
        "the shop at %(url)s refuses connections since %(since)s UTC: check it is up and "
        "that the profile's shop address is right. The first job that reaches it closes "
        "this problem and runs again the jobs that failed meanwhile (or run them now with "
        "`passerelle problems retry`).",
        url=url,
        since=since.strftime("%Y-%m-%d %H:%M"),
    )
    return store.park(
        job.profile, UNREACHABLE_FLOW, job.shop_key, reason, Severity.ERROR, kind=ProblemKind.JOB
    )


def resolve_unreachable(store: Store, queue: JobQueue, job: Job) -> list[int]:
    """``job`` reached its shop: close the shop's problem and requeue the blocked jobs."""
    problem = _open_problem(store, job.profile, job.shop_key)
    if problem is None:
        return []
    store.resolve(job.profile, UNREACHABLE_FLOW, job.shop_key, kind=ProblemKind.JOB)
    return requeue_blocked(store, queue, problem)


def requeue_blocked(store: Store, queue: JobQueue, problem: ParkedRecord) -> list[int]:
    """Queue again the jobs that failed on the refused shop of ``problem``.

    Those are the failed jobs of the same profile and shop that ended after
    the shop first refused and have no problem of their own (a job failed for
    another reason keeps its own problem and waits for a person).
    """
    own = {p.record_key for p in store.parked(problem.profile, kind=ProblemKind.JOB)}
    blocked = [
        j.id
        for j in queue.jobs(problem.profile, status="failed", limit=_SCAN)
        if j.shop_key == problem.record_key
        and job_problem_key(j.id) not in own
        and j.finished_at is not None
        and j.finished_at >= problem.first_seen - _MARGIN
    ]
    if blocked:
        queue.requeue(problem.profile, blocked)
    return blocked


def _open_problem(store: Store, profile: str, shop_key: str) -> ParkedRecord | None:
    for entry in store.parked(profile, UNREACHABLE_FLOW, kind=ProblemKind.JOB):
        if entry.record_key == shop_key:
            return entry
    return None
