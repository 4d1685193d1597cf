"""The Status page: each product, order and customer with its sync state, and its history.

What ``passerelle status KIND`` prints, for a screen: the states come from
:mod:`passerelle.runner.status` (through :func:`passerelle.runner.status_view.read_status`,
which the page calls as the CLI does), filtered by state, searched by reference
or name and cut into pages here; a record's page adds what the store keeps of
it (link, open problems, journal lines across runs). Read only: no button acts.
"""

from __future__ import annotations

from urllib.parse import urlencode

from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import BaseRoute, Route

from passerelle.connectors.errors import ConnectorError
from passerelle.console.context import console_of
from passerelle.console.home import when
from passerelle.console.pages._profile_pick import choose_profile, profile_named
from passerelle.console.templating import render
from passerelle.i18n import N_, _
from passerelle.i18n.messages import render as in_language
from passerelle.i18n.messages import said
from passerelle.profiles import Profile, SecretError
from passerelle.runner.status import KINDS, STATES, RecordStatus
from passerelle.runner.status_view import page_of, read_status, record_history

__all__ = ["NAV", "ROUTES", "kind_words", "state_words"]

NAV = (40, N_("Status"), "/status")


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
    found, failure = await _read(request, profile, kind)
    shown = page_of(found, states=states, search=search, page=page)

    def link(**changes: object) -> str:
        values: dict[str, object] = {"state": states, "q": search, "page": shown.page}
        values.update(changes)
        kept = {k: v for k, v in values.items() if v not in ("", [], 1)}
        return f"?{urlencode(kept, doseq=True)}" if kept else "?"

    return await render(
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
            "failure": failure,
            "link": link,
        },
    )


async def history(request: Request) -> Response:
    profile, kind = await _profile_and_kind(request)
    key = request.path_params["key"]
    found, failure = await _read(request, profile, kind)
    record = next((r for r in found if r.key == key), None)
    label = record.label if record else key
    store = console_of(request).store
    kept = await run_in_threadpool(record_history, store, profile.name, kind, key, label)
    if record is None and not failure and kept.binding is None and not kept.lines:
        raise HTTPException(404)
    return await render(
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
            "failure": failure,
            "history": kept,
            "when": when,
        },
    )


async def _profile_and_kind(request: Request) -> tuple[Profile, str]:
    """The profile and kind the path names; 404 for anything else."""
    kind = request.path_params["kind"]
    if kind not in KINDS:
        raise HTTPException(404)
    return await profile_named(request), kind


async def _read(request: Request, profile: Profile, kind: str) -> tuple[list[RecordStatus], str]:
    """The records and, when a side could not be read, why (the page shows it, not a 500)."""
    console = console_of(request)
    try:
        found = await run_in_threadpool(read_status, profile, console.data_dir, console.store, kind)
    except SecretError:
        return [], _("A key of this profile is missing: run passerelle profile check.")
    except ConnectorError as exc:
        return [], _("Could not read the records: %(reason)s", reason=in_language(said(exc)))
    return found, ""


ROUTES: list[BaseRoute] = [
    Route("/status", profiles, name="status"),
    Route("/status/{profile}", profile_home, name="status-profile"),
    Route("/status/{profile}/{kind}", records, name="status-records"),
    Route("/status/{profile}/{kind}/{key}", history, name="status-history"),
]
