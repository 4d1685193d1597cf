"""The flow pages: every profile's flows, one flow with its live journal, one run's journal.

*Run now* queues a manual job exactly as ``passerelle run`` does
(:func:`passerelle.runner.manual.enqueue_manual`): a worker takes it — a
``passerelle worker`` process or one that ``passerelle serve`` runs in its own
process (``--workers``) — so a run asked for here never overlaps a scheduled
run of the same lane. The page it leads to follows the job's run live
(:mod:`.live`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from urllib.parse import urlencode

from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from passerelle.console.context import console_of
from passerelle.console.home import outcome_words, when
from passerelle.console.pages.flows.board import (
    FlowRow,
    board,
    flow_rows,
    flows_of,
    pending_jobs,
)
from passerelle.console.pages.flows.words import LEVELS, counts_words, level_words
from passerelle.console.templating import render
from passerelle.flows.titles import flow_title
from passerelle.profiles import ProfileError, ProfileRepository
from passerelle.profiles.schema import Profile
from passerelle.runner import RunRefused
from passerelle.runner.manual import enqueue_manual
from passerelle.store import Job, JournalLevel, JournalLine, Run, RunStatus, Store

__all__ = ["flow_page", "flows_index", "run_now", "run_page"]

#: Runs shown in a flow's history.
HISTORY = 20
#: Longest search text kept (a record key or name).
MAX_QUERY = 200


def _helpers() -> dict[str, object]:
    return {
        "outcome_words": outcome_words,
        "when": when,
        "counts_words": counts_words,
        "level_words": level_words,
        "flow_title": flow_title,
    }


async def flows_index(request: Request) -> Response:
    console = console_of(request)
    profiles = await run_in_threadpool(board, console.profiles, console.store, _now())
    return await render(
        request, "flows/index.html", {"profiles": profiles, "now": _now(), **_helpers()}
    )


@dataclass(frozen=True, slots=True)
class _FlowView:
    profile: Profile
    row: FlowRow
    history: list[Run]
    running: Run | None
    lines: list[JournalLine]
    jobs: list[Job]
    workers: int


def _flow_view(profiles: ProfileRepository, store: Store, name: str, flow: str) -> _FlowView:
    profile = _profile(profiles, name)
    if flow not in flows_of():
        raise HTTPException(404)
    (row,) = flow_rows(store, profile, [flow], _now())
    history = store.list_runs(profile=name, flow=flow, limit=HISTORY)
    running = history[0] if history and history[0].status is RunStatus.RUNNING else None
    return _FlowView(
        profile=profile,
        row=row,
        history=history,
        running=running,
        lines=store.journal(running.id) if running else [],
        jobs=pending_jobs(store, name, flow),
        workers=len(store.queue.workers()),
    )


async def flow_page(request: Request) -> Response:
    console = console_of(request)
    name, flow = request.path_params["profile"], request.path_params["flow"]
    view = await run_in_threadpool(_flow_view, console.profiles, console.store, name, flow)
    params = request.query_params
    job, after = params.get("job", ""), params.get("after", "")
    follow: dict[str, str] = {}
    if job.isdigit():
        follow = {"job": job, "after": after if after.isdigit() else "0"}
    elif view.running is not None:
        follow = {"run": str(view.running.id)}
    else:
        follow = {"after": str(view.history[0].id) if view.history else "0"}
    return await render(
        request,
        "flows/flow.html",
        {
            "view": view,
            "flow": flow,
            "queued": int(job) if job.isdigit() else None,
            "refused": params.get("refused") == "1",
            "live_source": f"/flows/{name}/{flow}/live?{urlencode(follow)}",
            "now": _now(),
            **_helpers(),
        },
    )


def _queue(profiles: ProfileRepository, store: Store, name: str, flow: str) -> str:
    """Queue the flow; the flow page's address that follows it (or says it was refused)."""
    profile = _profile(profiles, name)
    if flow not in flows_of():
        raise HTTPException(404)
    newest = store.list_runs(profile=name, flow=flow, limit=1)
    after = newest[0].id if newest else 0
    try:
        job = enqueue_manual(store.queue, profile, flow)
    except RunRefused:
        return f"/flows/{name}/{flow}?refused=1"
    return f"/flows/{name}/{flow}?" + urlencode({"job": job.id, "after": after})


async def run_now(request: Request) -> Response:
    console = console_of(request)
    name, flow = request.path_params["profile"], request.path_params["flow"]
    target = await run_in_threadpool(_queue, console.profiles, console.store, name, flow)
    return RedirectResponse(target, status_code=303)


def _run_view(store: Store, run_id: int) -> tuple[Run, list[JournalLine]]:
    run = store.get_run(run_id)
    if run is None:
        raise HTTPException(404)
    return run, store.journal(run_id)


def shown(lines: list[JournalLine], severity: str, query: str) -> list[JournalLine]:
    """The lines of one level (all when empty), whose record matches ``query`` (any case)."""
    wanted = query.casefold()
    return [
        line
        for line in lines
        if (not severity or line.level.value == severity)
        and (
            not wanted
            or wanted in (line.record_key or "").casefold()
            or wanted in line.label.casefold()
        )
    ]


async def run_page(request: Request) -> Response:
    run_id = request.path_params["run_id"]
    run, lines = await run_in_threadpool(_run_view, console_of(request).store, run_id)
    severity = request.query_params.get("severity", "")
    if severity not in {level.value for level in JournalLevel}:
        severity = ""
    query = request.query_params.get("q", "").strip()[:MAX_QUERY]
    return await render(
        request,
        "flows/run.html",
        {
            "run": run,
            "lines": shown(lines, severity, query),
            "total": len(lines),
            "severity": severity,
            "query": query,
            "levels": list(LEVELS),
            **_helpers(),
        },
    )


def _profile(profiles: ProfileRepository, name: str) -> Profile:
    if name not in profiles.names():
        raise HTTPException(404)
    try:
        return profiles.load(name)
    except ProfileError:
        raise HTTPException(404) from None


def _now() -> datetime:
    return datetime.now(UTC)
