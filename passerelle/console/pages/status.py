"""The Status page: each product, order and customer with its sync state, and its history.

What ``passerelle status KIND`` prints, for a screen: the states come from
:mod:`passerelle.runner.status` (through :func:`passerelle.runner.status_view.read_status`,
as the CLI reads them), read once into a snapshot the process keeps
(:mod:`passerelle.runner.status_snapshots`), then filtered by state, searched by
reference or name and cut into pages here without reading either side again.
While the first read runs, the page says so and reloads itself. A record's
page adds what the store keeps of it (link, open problems, journal lines across
runs). Read only: the one button, Refresh, reads again (viewers may use it).
"""

from __future__ import annotations

from urllib.parse import quote, urlencode

from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import BaseRoute, Route

from passerelle.console.context import console_of
from passerelle.console.home import when
from passerelle.console.pages._profile_pick import choose_profile, profile_named
from passerelle.console.templating import render
from passerelle.i18n import N_, _
from passerelle.i18n.messages import render as in_language
from passerelle.profiles import Profile, ProfileError
from passerelle.runner.status import KINDS, STATES
from passerelle.runner.status_snapshots import Look, StatusSnapshots
from passerelle.runner.status_view import page_of, record_history

__all__ = ["NAV", "ROUTES", "kind_words", "state_words"]

NAV = (40, N_("Status"), "/status")
#: Seconds between two reloads of a page waiting for its records.
RELOAD_EVERY = 3


def state_words(state: str) -> str:
    """A record's state as the merchant reads it."""
    return {
        "synced": _("synced"),
        "changed": _("changed"),
        "not linked": _("not linked"),
        "error": _("error"),
        "retry": _("retry"),
        "staged": _("staged"),
        "rejected": _("rejected"),
    }[state]


def kind_words(kind: str) -> str:
    return {"products": _("Products"), "orders": _("Orders"), "customers": _("Customers")}[kind]


async def profiles(request: Request) -> Response:
    return await choose_profile(request, _("Status"), "/status/{name}/products")


async def profile_home(request: Request) -> Response:
    return RedirectResponse(f"/status/{request.path_params['profile']}/products", status_code=303)


async def records(request: Request) -> Response:
    profile, kind = await _profile_and_kind(request)
    query = request.query_params
    states = [s for s in query.getlist("state") if s in STATES]
    search = query.get("q", "").strip()
    try:
        page = int(query.get("page", "1"))
    except ValueError:
        page = 1
    look = await _look(request, profile, kind)
    found = look.snapshot.records if look.snapshot else ()
    shown = page_of(found, states=states, search=search, page=page)

    def link(**changes: object) -> str:
        values: dict[str, object] = {"state": states, "q": search, "page": shown.page}
        values.update(changes)
        kept = {k: v for k, v in values.items() if v not in ("", [], 1)}
        return f"?{urlencode(kept, doseq=True)}" if kept else "?"

    answer = await render(
        request,
        "status/records.html",
        {
            "profile": profile.name,
            "kind": kind,
            "kinds": KINDS,
            "kind_words": kind_words,
            "states": STATES,
            "state_words": state_words,
            "chosen": states,
            "search": search,
            "shown": shown,
            "link": link,
            **_look_words(look),
        },
    )
    return _reloading(answer, look)


async def history(request: Request) -> Response:
    profile, kind = await _profile_and_kind(request)
    key = request.path_params["key"]
    look = await _look(request, profile, kind)
    found = look.snapshot.records if look.snapshot else ()
    record = next((r for r in found if r.key == key), None)
    label = record.label if record else key
    store = console_of(request).store
    kept = await run_in_threadpool(record_history, store, profile.name, kind, key, label)
    if record is None and look.snapshot and kept.binding is None and not kept.lines:
        raise HTTPException(404)
    answer = await render(
        request,
        "status/history.html",
        {
            "profile": profile.name,
            "kind": kind,
            "kind_words": kind_words,
            "key": key,
            "label": label,
            "record": record,
            "state_words": state_words,
            "history": kept,
            "when": when,
            **_look_words(look),
        },
    )
    return _reloading(answer, look)


async def refresh(request: Request) -> Response:
    """Refresh: the kind's snapshot is dropped and read again; back to the same filter, or
    to the record's page it was asked from."""
    form = await request.form()
    name, kind = str(form.get("profile", "")), str(form.get("kind", ""))
    repository = console_of(request).profiles
    if kind not in KINDS or name not in repository.names():
        raise HTTPException(404)
    try:
        profile = await run_in_threadpool(repository.load, name)
    except ProfileError:
        raise HTTPException(404) from None
    await run_in_threadpool(_snapshots(request).refresh, profile, kind)
    kept = {
        "state": [s for s in form.getlist("state") if s in STATES],
        "q": str(form.get("q", "")).strip(),
    }
    query = urlencode({k: v for k, v in kept.items() if v}, doseq=True)
    back = f"/status/{quote(name, safe='')}/{kind}"
    if key := str(form.get("key", "")):
        return RedirectResponse(f"{back}/{quote(key, safe='')}", status_code=303)
    return RedirectResponse(f"{back}?{query}" if query else back, status_code=303)


async def _profile_and_kind(request: Request) -> tuple[Profile, str]:
    """The profile and kind the path names; 404 for anything else."""
    kind = request.path_params["kind"]
    if kind not in KINDS:
        raise HTTPException(404)
    return await profile_named(request), kind


def _snapshots(request: Request) -> StatusSnapshots:
    """The snapshots this console process keeps, made at the first look."""
    state = request.app.state
    snapshots: StatusSnapshots | None = getattr(state, "status_snapshots", None)
    if snapshots is None:
        console = console_of(request)
        snapshots = state.status_snapshots = StatusSnapshots(console.data_dir, console.store)
    return snapshots


async def _look(request: Request, profile: Profile, kind: str) -> Look:
    """The kind's snapshot, or that it is being read, or why it could not be (shown, not a
    500); waits a moment for a read, never for all of it."""
    return await run_in_threadpool(_snapshots(request).look, profile, kind)


def _look_words(look: Look) -> dict[str, object]:
    """What the templates show of a look: when it was read, that it is reading, or why not."""
    taken = look.snapshot.taken_at.astimezone().strftime("%H:%M") if look.snapshot else ""
    return {"read_at": taken, "reading": look.reading, "failure": in_language(look.failure)}


def _reloading(answer: Response, look: Look) -> Response:
    """While the records are read, the browser reloads the page by itself (no script)."""
    if look.reading:
        answer.headers["refresh"] = str(RELOAD_EVERY)
    return answer


ROUTES: list[BaseRoute] = [
    Route("/status", profiles, name="status"),
    Route("/status/refresh", refresh, methods=["POST"], name="status-refresh"),
    Route("/status/{profile}", profile_home, name="status-profile"),
    Route("/status/{profile}/{kind}", records, name="status-records"),
    Route("/status/{profile}/{kind}/{key}", history, name="status-history"),
]
