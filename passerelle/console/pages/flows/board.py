"""What the flow pages show, read from the profiles, the store and the scheduler.

Nothing here decides anything: the schedules and the next runs come from
:mod:`passerelle.runner.scheduler` (the worker's own rules), whether a flow
may run from :func:`passerelle.runner.refusal` (the CLI's), the runs and
jobs from the store. No connection to a shop or a back-office is opened.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from passerelle.flows import DEFAULT_ORDER, FLOWS
from passerelle.profiles import ProfileRepository
from passerelle.profiles.schema import Profile
from passerelle.runner import refusal
from passerelle.runner.jobs import JOBS
from passerelle.runner.scheduler import next_runs, scheduled_jobs
from passerelle.store import Job, Run, Store

__all__ = ["FlowRow", "ProfileFlows", "board", "flow_rows", "flows_of", "pending_jobs"]


@dataclass(frozen=True, slots=True)
class FlowRow:
    flow: str
    #: The schedule as the profile writes it ("every 5m", "0 2 * * *"); None: not scheduled.
    schedule: str | None
    #: When the scheduler next queues it (None: not scheduled).
    next_run: datetime | None
    last: Run | None
    #: Whether Run now may queue it (a flow writing to the shop does not run in test mode).
    runnable: bool


@dataclass(frozen=True, slots=True)
class ProfileFlows:
    name: str
    mode: str
    flows: tuple[FlowRow, ...]


def flows_of() -> list[str]:
    """The flows a person may run, in the order a full run takes them, then the others."""
    plain = {name for name, kind in JOBS.items() if kind.flow == name and name in FLOWS}
    return [*(f for f in DEFAULT_ORDER if f in plain), *sorted(plain - set(DEFAULT_ORDER))]


def flow_rows(
    store: Store, profile: Profile, flows: list[str], now: datetime
) -> tuple[FlowRow, ...]:
    """``flows`` of ``profile``: the scheduler's slots are read once for them all."""
    schedules = scheduled_jobs(profile)
    nexts = next_runs(store.queue, profile, now)
    rows = []
    for flow in flows:
        runs = store.list_runs(profile=profile.name, flow=flow, limit=1)
        schedule = schedules.get(flow)
        rows.append(
            FlowRow(
                flow=flow,
                schedule=schedule.text if schedule is not None else None,
                next_run=nexts.get(flow),
                last=runs[0] if runs else None,
                runnable=refusal(profile, flow) is None,
            )
        )
    return tuple(rows)


def board(profiles: ProfileRepository, store: Store, now: datetime) -> list[ProfileFlows]:
    """Every profile that loads, each of its flows with schedule, next and last run."""
    loaded, _problems = profiles.load_all()
    return [
        ProfileFlows(name, profile.mode, flow_rows(store, profile, flows_of(), now))
        for name, profile in loaded.items()
    ]


def pending_jobs(store: Store, profile: str, flow: str) -> list[Job]:
    """This flow's jobs waiting or running, oldest first."""
    jobs = [
        job
        for status in ("running", "queued")
        for job in store.queue.jobs(profile=profile, status=status, limit=200)
        if job.flow == flow
    ]
    return sorted(jobs, key=lambda job: job.id)
