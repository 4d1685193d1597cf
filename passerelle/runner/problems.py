"""``problems retry`` and ``problems dismiss``: what a person fixed, or needs no fix.

A parked *job* (its tries exhausted, or refused) is queued again with its tries
reset. A parked *record* is sent again by the job of its flow: an order by an
import of that order alone (the others are not read), anything else by its
flow's next run, which picks up every record whose last sending failed. The
problem of a shop that refuses connections sends back the jobs it blocked.

Retrying closes nothing: the problem closes when the work succeeds. Dismissing
closes it at once and says so in the journal, for what needs no fix.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from passerelle.flows.options import FlowOptions
from passerelle.i18n import _
from passerelle.i18n.messages import M_, Message, Mn_, SaidError, render
from passerelle.profiles.schema import Profile
from passerelle.runner.jobs import JOBS
from passerelle.runner.scheduler import shop_key
from passerelle.runner.unreachable import UNREACHABLE_FLOW, requeue_blocked
from passerelle.store import Store
from passerelle.store.problem_keys import job_id_of
from passerelle.store.records import (
    JournalLevel,
    ParkedRecord,
    ProblemKind,
    RunStatus,
    Severity,
)

__all__ = ["DISMISS_FLOW", "Retried", "dismiss_problems", "retry_problems", "retry_queued"]

_ORDER_FLOW = "import-orders"
#: The journal's "flow" of a person's dismissal (``passerelle runs`` lists it).
DISMISS_FLOW = "problems-dismiss"


class UnknownProblems(SaidError, LookupError):
    """Problem ids given that are not parked problems of the profile; says which."""


def _chosen(
    parked: list[ParkedRecord], profile: str, problem_ids: list[int] | None
) -> list[ParkedRecord]:
    if problem_ids is None:
        return parked
    by_id = {p.id: p for p in parked}
    unknown = [i for i in problem_ids if i not in by_id]
    if unknown:
        raise UnknownProblems(
            Mn_(
                "no parked problem %(ids)s for profile %(profile)s (see `passerelle problems`)",
                "no parked problems %(ids)s for profile %(profile)s (see `passerelle problems`)",
                len(unknown),
                ids=", ".join(map(str, unknown)),
                profile=profile,
            )
        )
    return [by_id[i] for i in problem_ids]


@dataclass(frozen=True, slots=True)
class Retried:
    """One line of a retry: what was queued (``job_id``, when a job was), said as a message."""

    said: Message
    job_id: int | None = None


def retry_problems(store: Store, profile: Profile, problem_ids: list[int] | None) -> list[str]:
    """Queue again the parked entries ``problem_ids`` (None: every retry/error one).

    Returns one line per job queued or requeued, in the current language;
    LookupError names ids that are not parked problems of this profile.
    """
    return [render(line.said) for line in retry_queued(store, profile, problem_ids)]


def retry_queued(store: Store, profile: Profile, problem_ids: list[int] | None) -> list[Retried]:
    """:func:`retry_problems` with the ids of the jobs queued, for who runs them at once."""
    parked = store.parked(profile.name, kind=None)
    chosen = _chosen(
        [p for p in parked if p.severity != "info"] if problem_ids is None else parked,
        profile.name,
        problem_ids,
    )
    if not chosen:
        return [Retried(M_("nothing to retry"))]
    lines: list[Retried] = []
    records: dict[str, list[ParkedRecord]] = defaultdict(list)
    for entry in chosen:
        if entry.kind is ProblemKind.JOB and entry.flow == UNREACHABLE_FLOW:
            blocked = requeue_blocked(store, store.queue, entry)
            lines.extend(
                [Retried(M_("job %(job)s queued again for the shop", job=j), j) for j in blocked]
                or [
                    Retried(
                        M_(
                            "no failed job waits for the shop; the next job "
                            "that reaches it closes the problem"
                        )
                    )
                ]
            )
            continue
        job_id = job_id_of(entry.record_key) if entry.kind is ProblemKind.JOB else None
        if job_id is not None and store.queue.requeue(profile.name, [job_id]):
            said = M_("job %(job)s (%(flow)s) queued again", job=job_id, flow=entry.flow)
            lines.append(Retried(said, job_id))
            continue
        # A record, or a job no longer failed (pruned): a fresh job does the same work.
        records[entry.flow].append(entry)
    for flow, entries in sorted(records.items()):
        kind = JOBS.get(flow)
        if kind is None:
            lines.append(
                Retried(
                    M_(
                        "%(flow)s: not a job a worker runs; run it with %(command)s",
                        flow=flow,
                        command=f"`passerelle run {flow}`",
                    )
                )
            )
            continue
        options = kind.options
        if flow == _ORDER_FLOW:
            keys = tuple(e.record_key for e in entries if e.kind is ProblemKind.RECORD)
            options = FlowOptions(order_ids=keys).over(options)
        job = store.queue.enqueue(
            profile.name,
            flow,
            payload=options.payload(),
            lane=kind.lane,
            shop_key=shop_key(profile),
            source="manual",
            dedupe_key=f"retry:{flow}",
            max_attempts=profile.worker.max_attempts,
        )
        said = Mn_(
            "job %(job)s (%(flow)s) queued for %(num)s parked record",
            "job %(job)s (%(flow)s) queued for %(num)s parked records",
            len(entries),
            job=job.id,
            flow=flow,
        )
        lines.append(Retried(said, job.id))
    return lines


def dismiss_problems(
    store: Store, profile: str, problem_ids: list[int] | None, *, by: str
) -> list[str]:
    """Close the parked problems ``problem_ids`` (None: all) of ``profile`` by hand.

    For what needs no fix. The dismissal is a run of its own in the journal,
    one line per problem ("dismissed by hand: ..."), so the trace of what was
    closed, and when, stays after the problem leaves ``passerelle problems``.
    Returns one line per problem closed; LookupError names unknown ids.
    """
    chosen = _chosen(store.parked(profile, kind=None), profile, problem_ids)
    if not chosen:
        return [_("nothing to dismiss")]
    closed = store.dismiss(profile, [p.id for p in chosen])
    run_id = store.start_run(profile, DISMISS_FLOW)
    said = [
        M_("dismissed by hand by %(by)s: %(problem)s", by=by, problem=_described(p)) for p in closed
    ]
    for entry, line in zip(closed, said, strict=True):
        store.add_journal(run_id, JournalLevel.WARNING, line, record_key=entry.record_key)
    store.finish_run(run_id, RunStatus.SUCCEEDED)
    return [render(line) for line in said]


def _described(entry: ParkedRecord) -> Message:
    """Which problem, what it was about and why it was parked, on one line."""
    if entry.kind is ProblemKind.RECORD:
        what = M_("%(flow)s record %(record)s", flow=entry.flow, record=entry.record_key)
    elif entry.flow == UNREACHABLE_FLOW:
        what = M_("the shop %(shop)s", shop=entry.record_key)
    else:
        what = M_("the %(flow)s job %(job)s", flow=entry.flow, job=entry.record_key)
    reason = entry.translatable_reason or " ".join(entry.reason.split())
    return M_(
        "problem %(id)s, %(what)s (%(severity)s): %(reason)s",
        id=entry.id,
        what=what,
        severity=_SEVERITY[entry.severity],
        reason=reason,
    )


_SEVERITY = {
    Severity.INFO: M_("info"),
    Severity.RETRY: M_("retry"),
    Severity.ERROR: M_("error"),
}
