"""``problems retry``: what a person fixed goes back to the queue, as jobs a worker runs.

A parked *job* (its tries exhausted, or refused) is queued again with its tries
reset. A parked *record* is sent again by the job of its flow: an order by an
import of that order alone (the others are not read), anything else by its
flow's next run, which picks up every record whose last sending failed.
"""

from __future__ import annotations

from collections import defaultdict

from passerelle.profiles.schema import Profile
from passerelle.runner.execute import JOB_PROBLEM_PREFIX
from passerelle.runner.jobs import JOBS
from passerelle.runner.scheduler import shop_key
from passerelle.store import Store
from passerelle.store.records import ParkedRecord

__all__ = ["retry_problems"]

_ORDER_FLOW = "import-orders"


def retry_problems(store: Store, profile: Profile, problem_ids: list[int] | None) -> list[str]:
    """Queue again the parked entries ``problem_ids`` (None: every retry/error one).

    Returns one line per job queued or requeued; LookupError names ids that are
    not parked problems of this profile.
    """
    parked = store.parked(profile.name)
    if problem_ids is None:
        chosen = [p for p in parked if p.severity != "info"]
    else:
        by_id = {p.id: p for p in parked}
        unknown = [i for i in problem_ids if i not in by_id]
        if unknown:
            raise LookupError(f"no parked problem {', '.join(map(str, unknown))} for profile "
                              f"{profile.name} (see `passerelle problems`)")
        chosen = [by_id[i] for i in problem_ids]
    if not chosen:
        return ["nothing to retry"]
    lines: list[str] = []
    records: dict[str, list[ParkedRecord]] = defaultdict(list)
    for entry in chosen:
        if entry.record_key.startswith(JOB_PROBLEM_PREFIX):
            job_id = int(entry.record_key[len(JOB_PROBLEM_PREFIX):])
            if store.queue.requeue(profile.name, [job_id]):
                lines.append(f"job {job_id} ({entry.flow}) queued again")
            else:  # no longer failed (done meanwhile, or pruned): a fresh job does the same
                records[entry.flow].append(entry)
            continue
        records[entry.flow].append(entry)
    for flow, entries in sorted(records.items()):
        kind = JOBS.get(flow)
        if kind is None:
            lines.append(f"{flow}: not a job a worker runs; run it with `passerelle run {flow}`")
            continue
        payload = dict(kind.options)
        if flow == _ORDER_FLOW:
            payload["order_ids"] = [e.record_key for e in entries
                                    if not e.record_key.startswith(JOB_PROBLEM_PREFIX)]
        job = store.queue.enqueue(profile.name, flow, payload=payload, lane=kind.lane,
                                  shop_key=shop_key(profile), source="manual",
                                  dedupe_key=f"retry:{flow}",
                                  max_attempts=profile.worker.max_attempts)
        lines.append(f"job {job.id} ({flow}) queued for {len(entries)} parked "
                     f"record{'s' if len(entries) > 1 else ''}")
    return lines
