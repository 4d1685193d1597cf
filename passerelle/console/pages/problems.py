"""The Problems page: what is set aside for a person, why, and what to do.

Reads the store's open problems (every kind, newest first) and acts through
the runner exactly as ``passerelle problems retry|dismiss`` do: a retry queues
the work again (:func:`passerelle.runner.problems.retry_queued`) and, because
the person is waiting for it, runs the queued jobs here at once, as
``passerelle run`` does; a dismissal closes the problems and writes one
journal line each, naming the console user.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from urllib.parse import urlencode

from rich.console import Console as RichConsole
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import FormData, QueryParams
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import BaseRoute, Route

from passerelle.console.context import Console, console_of, user_of
from passerelle.console.home import outcome_words, when
from passerelle.console.pages._flash import Said, remember, take
from passerelle.console.templating import render
from passerelle.i18n import N_, _, ngettext
from passerelle.i18n.messages import render as said_in
from passerelle.profiles import ProfileError
from passerelle.runner.by_hand import run_outcome, run_queued
from passerelle.runner.problems import dismiss_problems, retry_queued
from passerelle.runner.unreachable import UNREACHABLE_FLOW
from passerelle.store.records import ParkedRecord, ProblemKind, Severity

__all__ = ["NAV", "ROUTES"]

NAV = (20, N_("Problems"), "/problems")
PAGE = "/problems"
#: The filter's fields, carried by the page's links and its action forms.
FILTERS = ("profile", "flow", "severity", "kind", "q")


@dataclass(frozen=True, slots=True)
class Filter:
    """What the person asked to see; empty fields filter nothing."""

    profile: str = ""
    flow: str = ""
    severity: str = ""
    kind: str = ""
    q: str = ""

    @classmethod
    def read(cls, values: QueryParams | FormData) -> Filter:
        return cls(*(str(values.get(name, "")).strip() for name in FILTERS))

    def query(self) -> str:
        kept = {name: getattr(self, name) for name in FILTERS if getattr(self, name)}
        return f"?{urlencode(kept)}" if kept else ""

    def keeps(self, problem: ParkedRecord) -> bool:
        if self.profile and problem.profile != self.profile:
            return False
        if self.flow and problem.flow != self.flow:
            return False
        if self.severity and problem.severity.value != self.severity:
            return False
        if self.kind and problem.kind.value != self.kind:
            return False
        if self.q:
            needle = self.q.casefold()
            seen = (problem.record_key, problem.reason, problem.reason_in(), problem.flow)
            return any(needle in text.casefold() for text in seen)
        return True


def severity_words(severity: Severity) -> str:
    return {
        Severity.ERROR: _("to fix"),
        Severity.RETRY: _("to retry"),
        Severity.INFO: _("for information"),
    }[severity]


def kind_words(kind: ProblemKind) -> str:
    return {ProblemKind.RECORD: _("a record"), ProblemKind.JOB: _("a job")}[kind]


def about(problem: ParkedRecord) -> str:
    """What the problem is about: the record's key, the shop, or a job."""
    if problem.kind is ProblemKind.RECORD:
        return problem.record_key
    if problem.flow == UNREACHABLE_FLOW:
        return _("the shop itself")
    return _("the job %(key)s", key=problem.record_key)


def _open(console: Console) -> list[ParkedRecord]:
    return console.store.parked(kind=None)


async def problems_page(request: Request) -> Response:
    console = console_of(request)
    wanted = Filter.read(request.query_params)
    everything = await run_in_threadpool(_open, console)
    shown = [problem for problem in everything if wanted.keeps(problem)]
    return await render(
        request,
        "problems/list.html",
        {
            "problems": shown,
            "total": len(everything),
            "filter": wanted,
            "profiles": sorted({p.profile for p in everything} | set(console.profiles.names())),
            "flows": sorted({p.flow for p in everything}),
            "severities": [(s.value, severity_words(s)) for s in Severity],
            "kinds": [(k.value, kind_words(k)) for k in ProblemKind],
            "severity_words": severity_words,
            "about": about,
            "when": when,
            "said": take(request),
        },
    )


def _chosen(form: FormData, console: Console, *, retrying: bool) -> dict[str, list[int]]:
    """The open problems the form names (its ticked boxes, or all those shown), by profile.

    "All" means every problem the page's filter shows; for a retry, those for
    information only are left out, as ``problems retry ALL`` does.
    """
    shown = [p for p in _open(console) if Filter.read(form).keeps(p)]
    if form.get("all"):
        picked: Iterable[ParkedRecord] = (
            p for p in shown if not (retrying and p.severity is Severity.INFO)
        )
    else:
        ticked = {value for value in form.getlist("problem") if str(value).isdigit()}
        picked = (p for p in shown if str(p.id) in ticked)
    by_profile: dict[str, list[int]] = defaultdict(list)
    for problem in picked:
        by_profile[problem.profile].append(problem.id)
    return dict(by_profile)


def _dismiss(console: Console, chosen: dict[str, list[int]], by: str) -> list[Said]:
    lines: list[Said] = []
    for profile, ids in sorted(chosen.items()):
        lines.extend(("ok", line) for line in dismiss_problems(console.store, profile, ids, by=by))
    return lines


def _retry(console: Console, chosen: dict[str, list[int]]) -> list[Said]:
    lines: list[Said] = []
    quiet = RichConsole(quiet=True)
    for name, ids in sorted(chosen.items()):
        try:
            profile = console.profiles.load(name)
        except ProfileError:
            unread = _("The profile %(profile)s cannot be read: nothing retried.", profile=name)
            lines.append(("error", unread))
            continue
        for line in retry_queued(console.store, profile, ids):
            lines.append(("ok", said_in(line.said)))
            if line.job_id is None:
                continue
            status = run_outcome(
                console.data_dir, run_queued(console.data_dir, line.job_id, console=quiet)
            )
            tone = "ok" if status.value == "succeeded" else "error"
            ended = _("job %(job)s: %(outcome)s", job=line.job_id, outcome=outcome_words(status))
            lines.append((tone, ended))
    return lines


async def retry(request: Request) -> Response:
    return await _act(request, retrying=True)


async def dismiss(request: Request) -> Response:
    return await _act(request, retrying=False)


async def _act(request: Request, *, retrying: bool) -> Response:
    """Retry or dismiss the chosen problems, then back to the list with what was done."""
    console = console_of(request)
    form = await request.form()
    chosen = await run_in_threadpool(_chosen, form, console, retrying=retrying)
    if not chosen:
        lines: list[Said] = [("error", _("Tick the problems first, or choose all of them."))]
    elif retrying:
        lines = await run_in_threadpool(_retry, console, chosen)
    else:
        user = user_of(request)
        by = user.name if user else "?"
        lines = await run_in_threadpool(_dismiss, console, chosen, by)
        count = sum(len(ids) for ids in chosen.values())
        lines.insert(
            0, ("ok", ngettext("%(num)s problem dismissed.", "%(num)s problems dismissed.", count))
        )
    remember(request, lines)
    return RedirectResponse(PAGE + Filter.read(form).query(), status_code=303)


ROUTES: list[BaseRoute] = [
    Route(PAGE, problems_page, name="problems"),
    Route(PAGE + "/retry", retry, methods=["POST"], name="problems-retry"),
    Route(PAGE + "/dismiss", dismiss, methods=["POST"], name="problems-dismiss"),
]
