"""The live journal of a flow's run, as server-sent events.

Why the store is polled, not the journal sink hooked: the run that fills the
journal may be in another process (``passerelle worker``, another ``serve``),
and only the store sees every run wherever it runs. The poll is cheap: one
primary-key read of the run and one of its lines *after the last id sent*
(:meth:`passerelle.store.Store.journal` with ``after``), every half second,
while a page is open.

The stream follows one run of ``(profile, flow)``:

* ``run=ID``: that run;
* ``job=ID`` (after *Run now*): the run of that job (its ``run_id`` once
  ended, the flow's newest run past ``after`` while it runs — a lane never
  runs two of them at once); a job that ends without a run ends the stream;
* ``after=ID``: the flow's next run, whoever starts it.

Each line is an ``event: line`` whose id is ``run:line``, so a browser that
reconnects (``Last-Event-ID``) goes on where it stopped; ``event: end`` says
the outcome when the run is over, and the stream closes.
"""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import AsyncIterator
from dataclasses import dataclass

from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response, StreamingResponse

from passerelle.console.context import console_of
from passerelle.console.home import outcome_words, when
from passerelle.console.pages.flows.board import flows_of
from passerelle.console.pages.flows.words import counts_words, level_words
from passerelle.i18n import _, current_language, using
from passerelle.store import JournalLine, Run, RunStatus, Store

__all__ = ["POLL_SECONDS", "live_journal"]

#: How often an open page looks for new lines.
POLL_SECONDS = 0.5
#: A comment this often keeps proxies from closing a quiet stream.
KEEP_ALIVE_SECONDS = 15.0
#: A stream is closed after this long; the browser reconnects where it stopped.
STREAM_SECONDS = 30 * 60
_ENDED = ("done", "failed", "cancelled")


@dataclass(frozen=True, slots=True)
class _Target:
    profile: str
    flow: str
    run: int | None
    job: int | None
    after: int
    line: int | None


async def live_journal(request: Request) -> Response:
    """The stream, once the profile and flow are known (404 otherwise: nothing to wait for)."""
    target = _target(request)
    console = console_of(request)
    known = await run_in_threadpool(console.profiles.names)
    if target.flow not in flows_of() or target.profile not in known:
        raise HTTPException(404)
    store = console.store
    return StreamingResponse(
        _events(store, target, current_language()),
        media_type="text/event-stream",
        headers={"cache-control": "no-store", "x-accel-buffering": "no"},
    )


def _target(request: Request) -> _Target:
    params = request.query_params
    run, line = _int(params.get("run")), None
    resumed = request.headers.get("last-event-id", "")
    if resumed.count(":") == 1:
        run_part, line_part = resumed.split(":")
        run, line = _int(run_part) or run, _int(line_part)
    return _Target(
        profile=request.path_params["profile"],
        flow=request.path_params["flow"],
        run=run,
        job=_int(params.get("job")),
        after=_int(params.get("after")) or 0,
        line=line,
    )


def _int(value: str | None) -> int | None:
    return int(value) if value is not None and value.isdigit() else None


@dataclass(slots=True)
class _Cursor:
    """Where a stream stands: the run it follows and the last line it sent."""

    run: int | None
    line: int | None
    over: bool = False


async def _events(store: Store, target: _Target, language: str) -> AsyncIterator[str]:
    cursor = _Cursor(target.run, target.line)
    started = quiet_since = time.monotonic()
    while time.monotonic() - started < STREAM_SECONDS:
        events = await run_in_threadpool(_step, store, target, cursor, language)
        for event in events:
            yield event
        if cursor.over:
            return
        if events:
            quiet_since = time.monotonic()
        elif time.monotonic() - quiet_since >= KEEP_ALIVE_SECONDS:
            quiet_since = time.monotonic()
            yield ": still here\n\n"
        await asyncio.sleep(POLL_SECONDS)


def _step(store: Store, target: _Target, cursor: _Cursor, language: str) -> list[str]:
    """One look at the store: the new lines, and the end when the run is over.

    In a worker thread, so the language is set here (not inherited from the request).
    """
    with using(language):
        if cursor.run is None:
            cursor.run, ended = _find_run(store, target)
            if ended is not None:
                cursor.over = True
                return [_event("end", {"said": ended, "status": "failed"})]
            if cursor.run is None:
                return []
        run = store.get_run(cursor.run)  # first: if it has ended, the lines read next are all
        if run is None or run.profile != target.profile or run.flow != target.flow:
            cursor.over = True
            return [_event("end", {"said": _("No such run."), "status": "failed"})]
        events = []
        for line in store.journal(run.id, after=cursor.line):
            cursor.line = line.id
            events.append(_event("line", _line(line, language), f"{run.id}:{line.id}"))
        if run.status is not RunStatus.RUNNING:
            cursor.over = True
            events.append(_event("end", _end(run)))
        return events


def _find_run(store: Store, target: _Target) -> tuple[int | None, str | None]:
    """The run to follow, or why there will be none (a job that ended without a run)."""
    job = store.queue.get(target.job) if target.job is not None else None
    while job is not None and job.merged_into is not None:
        job = store.queue.get(job.merged_into)
    if job is not None and job.run_id is not None:
        return job.run_id, None
    newest = store.list_runs(profile=target.profile, flow=target.flow, limit=1)
    if newest and newest[0].id > target.after:
        return newest[0].id, None
    if job is not None and job.status in _ENDED:
        return None, _("The job ended without a run: %(error)s", error=job.last_error or "")
    return None, None


def _line(line: JournalLine, language: str) -> dict[str, object]:
    return {
        "at": line.at.astimezone().strftime("%H:%M:%S"),
        "level": line.level.value,
        "level_said": level_words(line.level),
        "label": line.label_in(language),
        "text": line.message_in(language),
    }


def _end(run: Run) -> dict[str, object]:
    said = _(
        "%(outcome)s at %(when)s: %(counts)s",
        outcome=outcome_words(run.status),
        when=when(run.finished_at or run.heartbeat_at),
        counts=counts_words(run.counts),
    )
    return {"said": said, "status": run.status.value, "url": f"/runs/{run.id}"}


def _event(kind: str, data: dict[str, object], event_id: str | None = None) -> str:
    head = f"id: {event_id}\n" if event_id else ""
    return f"{head}event: {kind}\ndata: {json.dumps(data, ensure_ascii=False)}\n\n"
