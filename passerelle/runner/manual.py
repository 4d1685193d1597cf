"""A run asked for by a person: one job in the queue, as the workers take any other.

``passerelle run`` and the console's *Run now* both go through here, so a run
by hand waits for a worker's run of the same lane to end (never two at once)
and is recorded like every queued run. The flow's refusal (unknown flow, a
flow writing to the shop in test mode) is said before anything is queued.
"""

from __future__ import annotations

from passerelle.flows.options import FlowOptions
from passerelle.i18n import _
from passerelle.profiles.schema import Profile
from passerelle.runner.jobs import job_for_flow
from passerelle.runner.run_now import RunRefused, refusal
from passerelle.runner.scheduler import shop_key
from passerelle.store import Job
from passerelle.store.queue import JobQueue

__all__ = ["enqueue_manual", "queue_manual_job"]


def queue_manual_job(queue: JobQueue, profile: Profile, flow: str, options: FlowOptions) -> Job:
    """Queue ``flow`` of ``profile`` as a manual job tried once, no questions asked
    (KeyError: the flow has no job of its own)."""
    kind = job_for_flow(flow)
    return queue.enqueue(
        profile.name,
        kind.name,
        payload=options.payload(),
        lane=kind.lane,
        shop_key=shop_key(profile),
        source="manual",
        max_attempts=1,
    )


def enqueue_manual(
    queue: JobQueue, profile: Profile, flow: str, options: FlowOptions | None = None
) -> Job:
    """Queue ``flow`` of ``profile`` as a manual job tried once; RunRefused says why not."""
    refused = refusal(profile, flow)
    if refused:
        raise RunRefused(refused)
    try:
        return queue_manual_job(queue, profile, flow, options or FlowOptions())
    except KeyError:
        raise RunRefused(_("%(flow)r cannot be queued", flow=flow)) from None
