"""A job run by a person, now: queued, then run here as soon as its lane is free.

Why through the queue and not straight through :class:`~passerelle.runner.Runner`:
a run by hand (``passerelle run``, ``orders send``, the console's buttons) must
never overlap a worker's run of the same lane; queued, it waits for that one
to end. Every interface that runs a job at a person's request comes here.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from rich.console import Console

from passerelle.flows.options import FlowOptions
from passerelle.profiles.schema import Profile
from passerelle.runner.execute import JobOutcome
from passerelle.runner.run_now import open_store
from passerelle.store.records import Job, RunStatus

__all__ = ["run_in_queue", "run_outcome", "run_queued"]


def run_in_queue(
    directory: Path,
    profile: Profile,
    flow: str,
    options: FlowOptions,
    *,
    console: Console,
    on_wait: Callable[[str], None] | None = None,
) -> JobOutcome | Job:
    """Queue the flow as a manual job and run it here once its lane is free: this
    worker's outcome, or the job as another worker left it (both carry ``run_id``)."""
    from passerelle.runner.manual import queue_manual_job

    store = open_store(directory)
    try:
        job = queue_manual_job(store.queue, profile, flow, options)
    finally:
        store.close()
    return run_queued(directory, job.id, console=console, on_wait=on_wait)


def run_queued(
    directory: Path,
    job_id: int,
    *,
    console: Console,
    on_wait: Callable[[str], None] | None = None,
) -> JobOutcome | Job:
    """Run the queued job ``job_id`` here now (or wait for the worker that took it)."""
    from passerelle.runner.worker import Worker

    store = open_store(directory)
    worker = Worker(directory, store=store, console=console, schedules=False, poll_every=0.5)
    try:
        return worker.run_job(job_id, on_wait=on_wait)
    finally:
        worker.close()
        store.close()


def run_outcome(directory: Path, outcome: JobOutcome | Job) -> RunStatus:
    """How the job's run ended, as recorded; failed when no run was recorded."""
    if outcome.run_id is None:
        return RunStatus.FAILED
    store = open_store(directory)
    try:
        run = store.get_run(outcome.run_id)
    finally:
        store.close()
    if run is None or run.status is RunStatus.RUNNING:
        return RunStatus.FAILED
    return run.status
