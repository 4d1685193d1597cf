"""Turns each profile's schedules into queued jobs, once per slot whatever the number of workers.

Every worker ticks the scheduler; the slot of a (profile, job) is taken by a
compare-and-swap in the store, so with three workers a job due at 02:00 is
queued once. A slot missed while no worker ran is queued once at the next
tick (not once per missed slot): a merchant back after a weekend wants one
stock update, not two hundred.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from passerelle.profiles.schedule_options import Schedule
from passerelle.profiles.schema import Profile
from passerelle.runner.jobs import JOBS
from passerelle.store.queue import JobQueue

__all__ = ["ScheduledJob", "enqueue_due", "next_runs", "scheduled_jobs", "shop_key"]


@dataclass(frozen=True)
class ScheduledJob:
    profile: str
    job: str
    job_id: int


def shop_key(profile: Profile) -> str:
    """Which shop a job talks to, for the per-shop concurrency limit: kind and address."""
    settings = profile.shop
    address = (
        getattr(settings, "url", None) or getattr(settings, "store_hash", None) or profile.name
    )
    return f"{settings.kind}:{address}"


def enqueue_due(queue: JobQueue, profile: Profile, now: datetime) -> list[ScheduledJob]:
    """Queue each job of ``profile`` whose slot is due; returns what this caller queued.

    In test mode (R4) jobs that write to the shop are not scheduled at all.
    """
    queued: list[ScheduledJob] = []
    zone = profile.schedules.zone
    slots = queue.slots(profile.name)
    for name, schedule in scheduled_jobs(profile).items():
        due = slots.get(name)
        following = schedule.next_after(now, zone)
        assert following is not None  # not off
        if due is None:
            # First sight of this job: it runs now (a new worker catches up at once),
            # then on its schedule.
            if queue.claim_slot(profile.name, name, None, following):
                queued.append(_enqueue(queue, profile, name))
            continue
        if due <= now and queue.claim_slot(profile.name, name, due, following):
            queued.append(_enqueue(queue, profile, name))
    return queued


def scheduled_jobs(profile: Profile) -> dict[str, Schedule]:
    """The jobs the scheduler queues for ``profile``, with their schedules.

    Left out: jobs that are off, that have nothing to do for this profile, and
    in test mode (R4) those that write to the shop.
    """
    return {
        name: schedule
        for name, schedule in profile.schedules.effective().items()
        if not schedule.off
        and JOBS[name].applies(profile)
        and not (JOBS[name].writes_shop and profile.mode == "test")
    }


def next_runs(queue: JobQueue, profile: Profile, now: datetime) -> dict[str, datetime]:
    """When each scheduled job of ``profile`` is next queued, as the scheduler sees it.

    The slot a worker claimed when there is one; a job no worker has seen yet is
    queued at the next worker's tick, then on its schedule: ``now`` is said then.
    A slot in the past means a worker will queue the job at its next tick.
    """
    slots = queue.slots(profile.name)
    return {name: slots.get(name, now) for name in scheduled_jobs(profile)}


def _enqueue(queue: JobQueue, profile: Profile, name: str) -> ScheduledJob:
    kind = JOBS[name]
    job = queue.enqueue(
        profile.name,
        name,
        payload=kind.options.payload(),
        lane=kind.lane,
        shop_key=shop_key(profile) if kind.uses_shop else "",
        dedupe_key=f"schedule:{name}",
        source="schedule",
        max_attempts=profile.worker.max_attempts,
    )
    return ScheduledJob(profile.name, name, job.id)
