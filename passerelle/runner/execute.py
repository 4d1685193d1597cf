"""Runs one claimed job and decides what becomes of it: done, tried again later, or parked.

The three severities of R3 meet here:

* a run that ends well is *done*, even if some records were set aside for a
  business reason (*info*, or *retry* such as an order awaiting payment: the
  hourly re-check job reads those again);
* a passing problem — the shop rate-limited us, answered 500, timed out, for
  the whole run or for some records — runs the job *again* after an
  exponential back-off with jitter, never sooner than the shop's
  ``Retry-After``, up to the profile's ``worker.max_attempts``;
* what a person must fix — refused credentials, a profile that no longer
  loads, test mode, tries exhausted — *fails* the job and parks it with the
  reason, where ``passerelle problems`` shows it and ``problems retry`` sends
  it back to the queue.
"""

from __future__ import annotations

import logging
import random
from dataclasses import dataclass
from datetime import timedelta

from passerelle.profiles.repository import ProfileError, ProfileRepository
from passerelle.profiles.schedule_options import WorkerOptions
from passerelle.runner.jobs import JOBS, options_of
from passerelle.runner.run_now import Runner, RunRefused
from passerelle.store.queue import Job, JobQueue, backoff

__all__ = ["JOB_PROBLEM_PREFIX", "JobOutcome", "execute_job", "job_problem_key"]

log = logging.getLogger("passerelle.worker")

#: Parked entries of failed jobs are keyed "job-<id>" under the job's name.
JOB_PROBLEM_PREFIX = "job-"


@dataclass(frozen=True)
class JobOutcome:
    job_id: int
    status: str  # done | retry | failed | lost (another worker owns it now)
    message: str = ""
    run_id: int | None = None
    delay: timedelta | None = None


def job_problem_key(job_id: int) -> str:
    return f"{JOB_PROBLEM_PREFIX}{job_id}"


def execute_job(job: Job, *, queue: JobQueue, runner: Runner, profiles: ProfileRepository,
                worker_id: str, rng: random.Random | None = None) -> JobOutcome:
    """Run ``job`` (claimed by ``worker_id``) to one of its outcomes."""
    kind = JOBS.get(job.flow)
    if kind is None:
        return _fail(job, queue, runner, worker_id,
                     f"no job named {job.flow!r}; jobs: {', '.join(sorted(JOBS))}")
    try:
        profile = profiles.load(job.profile)
    except ProfileError as exc:
        return _fail(job, queue, runner, worker_id,
                     f"profile {job.profile!r} cannot be loaded, fix it then retry: {exc}")
    options = options_of(kind, job.payload)
    try:
        summary = runner.run(profile, kind.flow, options=options)
    except RunRefused as exc:
        return _fail(job, queue, runner, worker_id, str(exc))
    except Exception as exc:  # a bug or an unforeseen failure: tried again, then parked
        log.exception("job %s (%s of %s) stopped by an unexpected error", job.id, job.flow,
                      job.profile)
        return _retry(job, queue, runner, worker_id, f"{type(exc).__name__}: {exc}", None,
                      rng, None, profile.worker)
    if summary.retriable:
        message = summary.error or "some records met a passing problem (see the run journal)"
        return _retry(job, queue, runner, worker_id, message, summary.retry_after, rng,
                      summary.run_id, profile.worker)
    if summary.status != "succeeded":
        return _fail(job, queue, runner, worker_id, summary.error or "the run failed",
                     summary.run_id)
    if not queue.finish(job.id, worker_id, run_id=summary.run_id):
        return JobOutcome(job.id, "lost", "another worker took this job over", summary.run_id)
    runner.store.resolve(job.profile, job.flow, job_problem_key(job.id))
    return JobOutcome(job.id, "done", run_id=summary.run_id)


def _retry(job: Job, queue: JobQueue, runner: Runner, worker_id: str, message: str,
           retry_after: float | None, rng: random.Random | None,
           run_id: int | None, options: WorkerOptions) -> JobOutcome:
    delay = backoff(job.attempts, base=timedelta(seconds=options.retry_base_seconds),
                    cap=timedelta(seconds=options.retry_cap_seconds),
                    retry_after=None if retry_after is None else timedelta(seconds=retry_after),
                    rng=rng or random.Random())
    again = queue.retry_later(job.id, worker_id, message, delay)
    if again is None:
        return JobOutcome(job.id, "lost", "another worker took this job over", run_id)
    if again.status == "failed":
        reason = f"{job.flow}: gave up after {again.attempts} tries: {message}"
        runner.store.park(job.profile, job.flow, job_problem_key(job.id), reason, "error")
        return JobOutcome(job.id, "failed", reason, run_id)
    log.warning("job %s (%s of %s): try %s of %s failed (%s); next in %.1f s", job.id,
                job.flow, job.profile, again.attempts, again.max_attempts, message,
                delay.total_seconds())
    return JobOutcome(job.id, "retry", message, run_id, delay)


def _fail(job: Job, queue: JobQueue, runner: Runner, worker_id: str, message: str,
          run_id: int | None = None) -> JobOutcome:
    if not queue.fail(job.id, worker_id, message):
        return JobOutcome(job.id, "lost", "another worker took this job over", run_id)
    runner.store.park(job.profile, job.flow, job_problem_key(job.id), message, "error")
    return JobOutcome(job.id, "failed", message, run_id)

