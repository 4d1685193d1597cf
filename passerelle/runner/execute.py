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

A run *completed with problems* (some records failed or were parked for a
person) is a done job: its records are parked one by one, the job has nothing
left to do. A shop that refuses connections is a passing fault; when the tries
are spent it parks one problem for the shop (see :mod:`.unreachable`), not
one per job. Job problems are of kind ``job``: only the job's own success (or
a person's ``problems dismiss``) closes them, never an import reading keys.
"""

from __future__ import annotations

import logging
import random
from dataclasses import dataclass
from datetime import timedelta

from passerelle.flows.options import InvalidOptions
from passerelle.i18n.messages import M_, Text, said
from passerelle.profiles.repository import ProfileError, ProfileRepository
from passerelle.profiles.schedule_options import WorkerOptions
from passerelle.runner.jobs import JOBS, options_of
from passerelle.runner.run_now import Runner, RunRefused, RunSummary
from passerelle.runner.unreachable import park_unreachable, resolve_unreachable
from passerelle.store import Job
from passerelle.store.errors import StoreError
from passerelle.store.problem_keys import JOB_PROBLEM_PREFIX, job_id_of, job_problem_key
from passerelle.store.queue import JobQueue, backoff
from passerelle.store.records import ProblemKind, RunStatus

__all__ = ["JOB_PROBLEM_PREFIX", "JobOutcome", "execute_job", "job_problem_key"]

log = logging.getLogger("passerelle.worker")


@dataclass(frozen=True)
class JobOutcome:
    job_id: int
    status: str  # done | retry | failed | lost (another worker owns it now)
    message: str = ""  # why the job did not end well, in English (logs, tests)
    run_id: int | None = None
    delay: timedelta | None = None
    #: The same, kept to be said in the reader's language (``message`` when not given).
    said: Text = ""

    def __post_init__(self) -> None:
        if not self.said:
            object.__setattr__(self, "said", self.message)

    @classmethod
    def of(
        cls,
        job_id: int,
        status: str,
        message: Text,
        run_id: int | None = None,
        delay: timedelta | None = None,
    ) -> JobOutcome:
        """An outcome whose reason is ``message`` (its English in :attr:`message`)."""
        return cls(job_id, status, str(message), run_id, delay, said=message)


def execute_job(
    job: Job,
    *,
    queue: JobQueue,
    runner: Runner,
    profiles: ProfileRepository,
    worker_id: str,
    rng: random.Random | None = None,
) -> JobOutcome:
    """Run ``job`` (claimed by ``worker_id``) to one of its outcomes."""
    kind = JOBS.get(job.flow)
    if kind is None:
        return _fail(
            job,
            queue,
            runner,
            worker_id,
            M_("no job named %(job)r; jobs: %(jobs)s", job=job.flow, jobs=", ".join(sorted(JOBS))),
        )
    try:
        profile = profiles.load(job.profile)
    except ProfileError as exc:
        return _fail(
            job,
            queue,
            runner,
            worker_id,
            M_(
                "profile %(profile)r cannot be loaded, fix it then retry: %(error)s",
                profile=job.profile,
                error=said(exc),
            ),
        )
    try:
        options = options_of(kind, job.payload)
    except InvalidOptions as exc:  # a job stored by hand or by another version
        return _fail(
            job,
            queue,
            runner,
            worker_id,
            M_("the job's options are not valid: %(error)s", error=str(exc)),
        )
    try:
        summary = runner.run(profile, kind.flow, options=options)
    except RunRefused as exc:
        return _fail(job, queue, runner, worker_id, str(exc))
    except StoreError:  # the store itself failed: nothing could be recorded; its message stops us
        raise
    except Exception as exc:  # a bug or an unforeseen failure: tried again, then parked
        log.exception(
            "job %s (%s of %s) stopped by an unexpected error", job.id, job.flow, job.profile
        )
        return _retry(
            job,
            queue,
            runner,
            worker_id,
            f"{type(exc).__name__}: {exc}",
            None,
            rng,
            None,
            profile.worker,
        )
    except KeyboardInterrupt:  # `passerelle run` stopped by Ctrl-C: the person knows
        queue.fail(job.id, worker_id, "interrupted by Ctrl-C or a stop signal")
        raise
    if summary.retriable:
        message: Text = summary.error or M_(
            "some records met a passing problem (see the run journal)"
        )
        return _retry(
            job,
            queue,
            runner,
            worker_id,
            message,
            summary.retry_after,
            rng,
            summary.run_id,
            profile.worker,
            summary,
        )
    if summary.status not in (RunStatus.SUCCEEDED, RunStatus.WITH_PROBLEMS):
        return _fail(
            job, queue, runner, worker_id, summary.error or M_("the run failed"), summary.run_id
        )
    # Completed with problems is done too: the records are parked each on its own.
    if not queue.finish(job.id, worker_id, run_id=summary.run_id):
        return JobOutcome.of(job.id, "lost", _taken_over(), summary.run_id)
    _resolve_job_problems(runner, queue, job)
    resolve_unreachable(runner.store, queue, job)
    return JobOutcome(job.id, "done", run_id=summary.run_id)


def _taken_over() -> Text:
    return M_("another worker took this job over")


def _resolve_job_problems(runner: Runner, queue: JobQueue, job: Job) -> None:
    """Close the problems of this job and of the failed jobs merged into it.

    A requeued job may be folded into a waiting twin (same dedupe key); the
    twin's success is the requeued job's success.
    """
    for entry in runner.store.parked(job.profile, job.flow, kind=ProblemKind.JOB):
        problem_job = job_id_of(entry.record_key)
        seen: set[int] = set()
        while problem_job is not None and problem_job not in seen:
            if problem_job == job.id:
                runner.store.resolve(job.profile, job.flow, entry.record_key, kind=ProblemKind.JOB)
                break
            seen.add(problem_job)
            found = queue.get(problem_job)
            problem_job = found.merged_into if found is not None else None


def _retry(
    job: Job,
    queue: JobQueue,
    runner: Runner,
    worker_id: str,
    message: Text,
    retry_after: float | None,
    rng: random.Random | None,
    run_id: int | None,
    options: WorkerOptions,
    summary: RunSummary | None = None,
) -> JobOutcome:
    delay = backoff(
        job.attempts,
        base=timedelta(seconds=options.retry_base_seconds),
        cap=timedelta(seconds=options.retry_cap_seconds),
        retry_after=None if retry_after is None else timedelta(seconds=retry_after),
        rng=rng or random.Random(),
    )
    again = queue.retry_later(job.id, worker_id, str(message), delay)
    if again is None:
        return JobOutcome.of(job.id, "lost", _taken_over(), run_id)
    if again.status == "failed":
        gave_up = M_(
            "%(flow)s: gave up after %(tries)s tries: %(error)s",
            flow=job.flow,
            tries=again.attempts,
            error=message,
        )
        if summary is not None and summary.unreachable:  # one problem for the shop
            park_unreachable(runner.store, job, summary.unreachable)
        else:
            runner.store.park(
                job.profile,
                job.flow,
                job_problem_key(job.id),
                gave_up,
                "error",
                kind=ProblemKind.JOB,
            )
        return JobOutcome.of(job.id, "failed", gave_up, run_id)
    log.warning(
        "job %s (%s of %s): try %s of %s failed (%s); next in %.1f s",
        job.id,
        job.flow,
        job.profile,
        again.attempts,
        again.max_attempts,
        message,
        delay.total_seconds(),
    )
    return JobOutcome.of(job.id, "retry", message, run_id, delay)


def _fail(
    job: Job,
    queue: JobQueue,
    runner: Runner,
    worker_id: str,
    message: Text,
    run_id: int | None = None,
) -> JobOutcome:
    if not queue.fail(job.id, worker_id, str(message)):
        return JobOutcome.of(job.id, "lost", _taken_over(), run_id)
    runner.store.park(
        job.profile, job.flow, job_problem_key(job.id), message, "error", kind=ProblemKind.JOB
    )
    return JobOutcome.of(job.id, "failed", message, run_id)
