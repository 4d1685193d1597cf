"""The Stock check page: where the shop's quantities differ from the back-office's, and fixing them.

The same check as ``passerelle stock check``: a manual job of the queue
(:func:`passerelle.runner.stock_report.run_stock_check`), refused to fix in
test mode for the same reason (:func:`passerelle.flows.stock_check.fix_refusal`).
*Check now* only compares; *Fix selected* and *Fix all* run the check with its
fix option (limited to the chosen SKUs for the former). Each action redirects
to the page showing that run's report: what differed, what was fixed.
"""

from __future__ import annotations

from urllib.parse import urlencode

from rich.console import Console as RichConsole
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import BaseRoute, Route

from passerelle.console.context import console_of
from passerelle.console.home import outcome_words, when
from passerelle.console.pages._profile_pick import choose_profile, profile_named
from passerelle.console.templating import render
from passerelle.flows.options import FlowOptions
from passerelle.flows.stock_check import FLOW, StockReport, fix_refusal
from passerelle.i18n import N_, _, ngettext
from passerelle.profiles import Profile
from passerelle.runner import refusal
from passerelle.runner.stock_report import (
    StockCheck,
    last_stock_check,
    read_check,
    run_stock_check,
)

__all__ = ["NAV", "ROUTES"]

NAV = (50, N_("Stock"), "/stock")


def _notices() -> dict[str, tuple[str, str]]:
    """What an action says on the page it redirects to: (tone, text) by the ``done`` key."""
    return {
        "checked": ("ok", _("Stock checked.")),
        "fixed": ("ok", _("Fix sent: the shop now has the back-office quantities below.")),
        "none": ("error", _("Choose at least one item to fix.")),
        "test": (
            "error",
            _(
                "This profile is in test mode: fixing writes to the shop and is refused. "
                "Switch the profile to production mode to fix."
            ),
        ),
        "refused": ("error", _("This profile cannot run the stock check.")),
        "failed": ("error", _("The stock check did not complete: see its journal.")),
    }


async def profiles(request: Request) -> Response:
    return await choose_profile(request, _("Stock check"), "/stock/{name}")


async def page(request: Request) -> Response:
    profile = await profile_named(request)
    store = console_of(request).store
    wanted = request.query_params.get("run", "")
    check: StockCheck | None
    if wanted.isdigit():
        check = await run_in_threadpool(read_check, store, profile.name, int(wanted))
    else:
        check = await run_in_threadpool(last_stock_check, store, profile.name)
    notice = _notices().get(request.query_params.get("done", ""))
    report = check.report if check else None
    return await render(
        request,
        "stock/check.html",
        {
            "profile": profile.name,
            "check": check,
            "report": report,
            "fixed": report.fixed if report else set(),
            "summary": _summary(report) if report else "",
            "notice": notice,
            "test_mode": profile.mode == "test",
            "outcome_words": outcome_words,
            "when": when,
        },
    )


async def check_now(request: Request) -> Response:
    profile = await profile_named(request)
    return await _run(request, profile, FlowOptions(fix=False), "checked")


async def fix(request: Request) -> Response:
    profile = await profile_named(request)
    form = await request.form()
    if form.get("scope") == "all":
        options = FlowOptions(fix=True)
    else:
        codes = tuple(str(code) for code in form.getlist("code") if str(code).strip())
        if not codes:
            return _back(profile.name, None, "none")
        options = FlowOptions(fix=True, fix_codes=codes)
    if fix_refusal(profile, options):
        return _back(profile.name, None, "test")
    return await _run(request, profile, options, "fixed")


async def _run(request: Request, profile: Profile, options: FlowOptions, done: str) -> Response:
    if refusal(profile, FLOW):
        return _back(profile.name, None, "refused")
    console = console_of(request)
    check = await run_in_threadpool(
        run_stock_check,
        console.data_dir,
        profile,
        options,
        store=console.store,
        console=RichConsole(quiet=True),
    )
    return _back(profile.name, check.run_id, done if check.complete else "failed")


def _summary(report: StockReport) -> str:
    count = len(report.differences)
    return ngettext(
        "%(num)s difference, %(fixed)s fixed",
        "%(num)s differences, %(fixed)s fixed",
        count,
        fixed=count - len(report.remaining),
    )


def _back(profile: str, run_id: int | None, done: str) -> RedirectResponse:
    query = {"done": done, **({"run": run_id} if run_id is not None else {})}
    return RedirectResponse(f"/stock/{profile}?{urlencode(query)}", status_code=303)


ROUTES: list[BaseRoute] = [
    Route("/stock", profiles, name="stock"),
    Route("/stock/{profile}", page, name="stock-page"),
    Route("/stock/{profile}/check", check_now, methods=["POST"], name="stock-check"),
    Route("/stock/{profile}/fix", fix, methods=["POST"], name="stock-fix"),
]
