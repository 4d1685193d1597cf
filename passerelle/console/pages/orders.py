"""The Orders page: the staging grid, its set-aside orders, and a manual send.

Reads the store (staged rows, problems of the order import) and acts through
:mod:`passerelle.runner.order_desk`, as ``passerelle orders
validate|reject|reset|send`` do. After each action the page says, order by
order, what became of it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from rich.console import Console as RichConsole
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import FormData
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import BaseRoute, Route

from passerelle.console.context import Console, console_of
from passerelle.console.home import outcome_words, when
from passerelle.console.pages._flash import Said, remember, take
from passerelle.console.templating import render
from passerelle.flows.import_orders import FLOW as IMPORT_FLOW
from passerelle.i18n import N_, _, ngettext
from passerelle.profiles import Profile, ProfileError
from passerelle.runner import Runner, RunRefused
from passerelle.runner.order_desk import (
    reject_orders,
    reset_orders,
    send_orders,
    validate_orders,
)
from passerelle.store.records import ParkedRecord, StagedOrder, StagedState

__all__ = ["NAV", "ROUTES"]

NAV = (30, N_("Orders"), "/orders")
PAGE = "/orders"
ALL_STATES = ("staged", "validated", "rejected")
_SEPARATORS = re.compile(r"[\s,;]+")


def state_words(state: StagedState) -> str:
    return {
        StagedState.STAGED: _("waiting for validation"),
        StagedState.VALIDATED: _("written to the back-office"),
        StagedState.REJECTED: _("rejected, not to be imported"),
    }[state]


def sent_words(outcome: str) -> str:
    """A sent order's outcome (as :func:`passerelle.runner.status.send_report` names it)."""
    return {
        "succeeded": _("imported"),
        "already imported": _("imported before"),
        "staged": _("staged, waiting for validation"),
        "failed": _("not imported"),
    }.get(outcome, outcome)


@dataclass(frozen=True, slots=True)
class Grid:
    profile: str
    rows: list[StagedOrder]
    set_aside: list[ParkedRecord]


def _grid(console: Console, profile: str, every_state: bool) -> Grid:
    states = ALL_STATES if every_state else ("staged",)
    return Grid(
        profile,
        console.store.staged(profile, IMPORT_FLOW, states=states),
        console.store.parked(profile, IMPORT_FLOW),
    )


def _profile_name(console: Console, asked: object) -> str | None:
    names = console.profiles.names()
    if isinstance(asked, str) and asked in names:
        return asked
    try:
        default = console.profiles.default()
    except ProfileError:
        default = None
    return default if default in names else (names[0] if names else None)


def _back(profile: str, every_state: bool) -> str:
    return f"{PAGE}?profile={profile}" + ("&all=1" if every_state else "")


async def orders_page(request: Request) -> Response:
    console = console_of(request)
    profile = _profile_name(console, request.query_params.get("profile"))
    every_state = request.query_params.get("all") == "1"
    grid = await run_in_threadpool(_grid, console, profile, every_state) if profile else None
    return await render(
        request,
        "orders/grid.html",
        {
            "profiles": console.profiles.names(),
            "profile": profile,
            "every_state": every_state,
            "grid": grid,
            "state_words": state_words,
            "when": when,
            "said": take(request),
        },
    )


def _ids(form: FormData) -> list[str]:
    """The ticked orders, then those typed in the send field, each once, in order."""
    typed = _SEPARATORS.split(str(form.get("ids", "")))
    ticked = [str(value) for value in form.getlist("order")]
    return list(dict.fromkeys(i.strip() for i in [*ticked, *typed] if i.strip()))


def _load(console: Console, name: str) -> Profile:
    return console.profiles.load(name)


def _validate(console: Console, profile: Profile, ids: list[str] | None) -> list[Said]:
    """Validate, then say for each order whether it is now in the back-office."""
    wanted = ids or [row.order_id for row in console.store.staged(profile.name, IMPORT_FLOW)]
    runner = Runner(console.data_dir, store=console.store, console=RichConsole(quiet=True))
    try:
        summary = validate_orders(runner, profile, ids)
    except RunRefused as refused:
        return [("error", str(refused))]
    lines: list[Said] = [
        (
            "ok" if summary.status.value == "succeeded" else "error",
            _("Validation: %(outcome)s", outcome=outcome_words(summary.status)),
        )
    ]
    rows = {
        row.order_id: row
        for row in console.store.staged(
            profile.name, IMPORT_FLOW, states=ALL_STATES, order_ids=wanted
        )
    }
    for order_id in wanted:
        row = rows.get(order_id)
        if row is None:
            lines.append(("error", _("order %(id)s: not in the grid", id=order_id)))
        elif row.state is StagedState.VALIDATED:
            number = row.remote_number or row.remote_id or ""
            lines.append(
                ("ok", _("order %(id)s: in the back-office as %(sale)s", id=order_id, sale=number))
            )
        else:
            lines.append(
                ("error", _("order %(id)s: %(state)s", id=order_id, state=state_words(row.state)))
            )
    return lines


def _reject(console: Console, profile: Profile, ids: list[str] | None) -> list[Said]:
    count = reject_orders(console.store, profile.name, ids)
    return [
        (
            "ok",
            ngettext(
                "%(num)s order rejected in the grid", "%(num)s orders rejected in the grid", count
            ),
        )
    ]


def _reset(console: Console, profile: Profile, ids: list[str] | None) -> list[Said]:
    keys = reset_orders(console.store, profile.name, ids)
    said = ngettext(
        "%(num)s order to be imported again: %(ids)s",
        "%(num)s orders to be imported again: %(ids)s",
        len(keys),
        ids=", ".join(keys) if keys else "-",
    )
    return [("ok", said), ("ok", _("The next import of orders writes them again."))]


def _send(console: Console, profile: Profile, ids: list[str] | None) -> list[Said]:
    if not ids:
        return [("error", _("Name the orders to send: tick them, or type their numbers."))]
    report = send_orders(console.data_dir, profile, ids, console=RichConsole(quiet=True))
    return [
        (
            "error" if line.outcome == "failed" else "ok",
            _(
                "order %(id)s: %(outcome)s: %(detail)s",
                id=line.order_id,
                outcome=sent_words(line.outcome),
                detail=line.detail,
            ),
        )
        for line in report.orders
    ]


_ACTIONS = {"validate": _validate, "reject": _reject, "reset": _reset, "send": _send}


def _acting(name: str):  # type: ignore[no-untyped-def]
    act = _ACTIONS[name]

    async def endpoint(request: Request) -> Response:
        console = console_of(request)
        form = await request.form()
        every_state = form.get("every_state") == "1"
        profile_name = _profile_name(console, form.get("profile"))
        if profile_name is None:
            return RedirectResponse(PAGE, status_code=303)
        ids = _ids(form)
        everything = form.get("all") == "1" and name in ("validate", "reject")
        if not ids and not everything and name != "send":
            lines: list[Said] = [("error", _("Tick the orders first, or choose all of them."))]
        else:
            try:
                profile = await run_in_threadpool(_load, console, profile_name)
            except ProfileError:
                lines = [
                    ("error", _("The profile %(profile)s cannot be read.", profile=profile_name))
                ]
            else:
                lines = await run_in_threadpool(act, console, profile, None if everything else ids)
        remember(request, lines)
        return RedirectResponse(_back(profile_name, every_state), status_code=303)

    return endpoint


ROUTES: list[BaseRoute] = [
    Route(PAGE, orders_page, name="orders"),
    *(
        Route(f"{PAGE}/{name}", _acting(name), methods=["POST"], name=f"orders-{name}")
        for name in _ACTIONS
    ),
]
