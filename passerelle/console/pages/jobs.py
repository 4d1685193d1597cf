"""The *Jobs* page: the queue (running, waiting, failed, done lately) and the live workers.

Read-only, as ``passerelle jobs`` is: the store's queue and its registered
workers. A worker is shown alive while it heartbeats; one silent for longer
than a worker's default job timeout, or whose process on this host is gone
(:mod:`passerelle.store.liveness`), is shown as such — the next worker's
tick will take its jobs back.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from passerelle.console.context import console_of
from passerelle.console.home import when
from passerelle.console.templating import render
from passerelle.flows.titles import flow_title
from passerelle.i18n import N_
from passerelle.runner.jobs import JOBS
from passerelle.store import Job, Store, Worker
from passerelle.store.liveness import pid_alive, this_host

__all__ = ["NAV", "ROUTES"]

NAV = (80, N_("Jobs"), "/jobs")

#: Jobs shown per section.
SHOWN = 50
#: A worker silent this long is taken for dead (``passerelle worker --job-timeout``'s default).
SILENCE = timedelta(seconds=60)
SECTIONS = (
    ("running", N_("Running")),
    ("queued", N_("Waiting")),
    ("failed", N_("Failed")),
    ("done", N_("Done lately")),
)


@dataclass(frozen=True, slots=True)
class WorkerLine:
    worker: Worker
    #: alive, silent (no heartbeat lately) or gone (its process on this host ended)
    state: str


@dataclass(frozen=True, slots=True)
class Queue:
    sections: tuple[tuple[str, str, list[Job]], ...]
    workers: tuple[WorkerLine, ...]


def flow_of(job: Job) -> str:
    """The flow a job runs (``recheck-orders`` runs ``import-orders``)."""
    kind = JOBS.get(job.flow)
    return kind.flow if kind is not None else job.flow


def _state(worker: Worker, now: datetime) -> str:
    if worker.host == this_host() and not pid_alive(worker.pid):
        return "gone"
    return "silent" if now - worker.heartbeat_at > SILENCE else "alive"


def queue_of(store: Store, now: datetime) -> Queue:
    sections = tuple(
        (status, label, store.queue.jobs(status=status, limit=SHOWN)) for status, label in SECTIONS
    )
    workers = tuple(WorkerLine(w, _state(w, now)) for w in store.queue.workers())
    return Queue(sections, workers)


async def jobs_page(request: Request) -> Response:
    now = datetime.now(UTC)
    queue = await run_in_threadpool(queue_of, console_of(request).store, now)
    return await render(
        request,
        "jobs/index.html",
        {"queue": queue, "when": when, "flow_title": flow_title, "flow_of": flow_of},
    )


ROUTES: list[BaseRoute] = [Route("/jobs", jobs_page, name="jobs")]
