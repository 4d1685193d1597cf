"""The home page: each profile at a glance, and how its flows last ended."""

from __future__ import annotations

from datetime import datetime

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response

from passerelle.console.context import console_of
from passerelle.console.overview import overview
from passerelle.console.templating import render
from passerelle.flows.titles import flow_title
from passerelle.i18n import _
from passerelle.store import RunStatus

__all__ = ["home", "outcome_words"]


def outcome_words(status: RunStatus) -> str:
    """A run's outcome as the merchant reads it, in the current language."""
    return {
        RunStatus.RUNNING: _("running"),
        RunStatus.SUCCEEDED: _("succeeded"),
        RunStatus.WITH_PROBLEMS: _("completed with problems"),
        RunStatus.FAILED: _("failed"),
        RunStatus.INTERRUPTED: _("interrupted"),
    }[status]


def when(moment: datetime) -> str:
    """A run's start in the server's local time, to the minute."""
    return moment.astimezone().strftime("%Y-%m-%d %H:%M")


async def home(request: Request) -> Response:
    console = console_of(request)
    seen = await run_in_threadpool(overview, console.profiles, console.store)
    return await render(
        request,
        "home.html",
        {"overview": seen, "outcome_words": outcome_words, "when": when, "flow_title": flow_title},
    )
