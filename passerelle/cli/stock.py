"""``passerelle stock check``: the shop's quantities against the back-office's.

The check runs as a manual job of the queue, like ``passerelle run``, so it
never overlaps a worker's catalogue flows for the profile; its differences
are then read back from the run's journal and printed as a table.
"""

from __future__ import annotations

from typing import Annotated

import typer
from rich.table import Table
from rich.text import Text

from passerelle.cli.common import DataDir, ProfileName, console, err, fail, load_profile
from passerelle.cli.json_output import JsonFlag, emit
from passerelle.flows.options import FlowOptions
from passerelle.flows.stock_check import FLOW, StockReport, fix_refusal
from passerelle.i18n import _, ngettext
from passerelle.i18n.messages import render
from passerelle.runner import open_store, refusal
from passerelle.runner.stock_report import run_stock_check

__all__ = ["stock_app"]

stock_app = typer.Typer(
    help=_("Stock: the shop's quantities against the back-office's."), no_args_is_help=True
)


@stock_app.command(
    "check",
    help=_("Compare each item's shop quantity with the back-office's; exit 1 while some differ."),
)
def check(
    profile: ProfileName = None,
    data_dir: DataDir = None,
    fix: Annotated[
        bool | None,
        typer.Option(
            "--fix/--no-fix",
            show_default=False,
            help=_(
                "Send the back-office quantity where the shop differs (default: the "
                "profile's catalogue.stock.check_fix)."
            ),
        ),
    ] = None,
    as_json: JsonFlag = False,
) -> None:
    """Compare each item's shop quantity with the back-office's; exit 1 while some differ."""
    loaded, directory = load_profile(profile, data_dir)
    options = FlowOptions(fix=fix)
    refused = refusal(loaded, FLOW) or fix_refusal(loaded, options)
    if refused:
        fail(refused, code=2)
        return
    store = open_store(directory)
    try:
        done = run_stock_check(
            directory,
            loaded,
            options,
            store=store,
            console=err,
            on_wait=lambda m: err.print(m, highlight=False),
        )
    finally:
        store.close()
    run, run_id, report = done.run, done.run_id, done.report
    if as_json:
        _emit(loaded.name, run_id, None if run is None else str(run.status.value), report)
    else:
        _print(report)
    # Completed with problems is a complete check: the SKUs it could not compare are
    # listed above (and parked) and the exit code below says differences remain.
    if not done.complete:
        reason = done.message
        fail(
            _(
                "the stock check did not complete (passerelle runs show %(id)s): %(reason)s",
                id=run_id,
                reason=render(reason) if reason else _("see its journal"),
            )
            if run_id is not None
            else _(
                "the stock check did not complete: %(reason)s",
                reason=render(reason) if reason else _("see its journal"),
            )
        )
    raise typer.Exit(1 if report.remaining or report.uncompared else 0)


def _print(report: StockReport) -> None:
    if not report.differences:
        console.print(_("no difference: the shop shows the back-office's stock"))
    else:
        table = Table(_("item"), _("shop"), _("back-office"), _("state"), box=None, pad_edge=False)
        for d in report.differences:
            shop = (
                _("missing") if d.missing else _("not managed") if d.shop is None else str(d.shop)
            )
            state = _("fixed") if d.code in report.fixed else _("differs")
            table.add_row(Text(d.code), shop, str(d.backoffice), state)
        console.print(table)
        console.print(
            ngettext(
                "%(num)s difference, %(fixed)s fixed",
                "%(num)s differences, %(fixed)s fixed",
                len(report.differences),
                fixed=len(report.differences) - len(report.remaining),
            )
        )
    for line in report.uncompared:
        console.print(Text(_("not compared: %(line)s", line=line)))
    for line in report.errors:
        err.print(Text(line, style="red"))


def _emit(profile: str, run_id: int | None, status: str | None, report: StockReport) -> None:
    emit(
        {
            "profile": profile,
            "run_id": run_id,
            "run_status": status,
            "differences": [
                {
                    "code": d.code,
                    "shop": d.shop,
                    "backoffice": d.backoffice,
                    "missing": d.missing,
                    "fixed": d.code in report.fixed,
                }
                for d in report.differences
            ],
            "uncompared": list(report.uncompared),
            "errors": list(report.errors),
        }
    )
