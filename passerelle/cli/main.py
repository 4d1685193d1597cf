"""The ``passerelle`` command line. No business rule lives here: it parses,
calls the services (profiles, runner, store, demo) and prints their answers."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from passerelle.cli.catalogue import catalogue_app
from passerelle.cli.common import (
    DataDir,
    ProfileName,
    console,
    exit_with,
    fail,
    interruptible,
    load_profile,
)
from passerelle.cli.json_output import JsonFlag, emit, line_json, run_json
from passerelle.cli.language import translated
from passerelle.cli.notify import register as register_notify
from passerelle.cli.orders import orders_app
from passerelle.cli.preview import register as register_preview
from passerelle.cli.profile import profile_app
from passerelle.cli.sandbox_commands import register as register_sandboxes
from passerelle.cli.serve import register as register_serve
from passerelle.cli.shop_address import register as register_shop_address
from passerelle.cli.status import register as register_status
from passerelle.cli.stock import stock_app
from passerelle.cli.stock_import import register as register_stock_import
from passerelle.cli.store import StoreFailureGroup
from passerelle.cli.store import register as register_store
from passerelle.cli.users import register as register_users
from passerelle.cli.version import register as register_version
from passerelle.cli.worker import in_words, run_through_queue
from passerelle.cli.worker import register as register_worker
from passerelle.flows import DEFAULT_ORDER, FLOWS
from passerelle.flows.options import FlowOptions
from passerelle.i18n import _, ngettext
from passerelle.profiles import data_dir_from
from passerelle.runner import open_store, refusal
from passerelle.store.records import RunStatus

app = typer.Typer(
    name="passerelle",
    # Every command, and every sub-group invoked through it, reports a broken
    # store in one message and one exit code.
    cls=StoreFailureGroup,
    help=_("Links a merchant's back-office to their sales channels."),
    no_args_is_help=True,
    pretty_exceptions_show_locals=False,
)
app.add_typer(profile_app, name="profile")
sandbox_app = typer.Typer(help=_("Local servers speaking a shop's real protocol."))
register_sandboxes(sandbox_app)
app.add_typer(sandbox_app, name="sandbox")
runs_app = typer.Typer(help=_("Runs and their journals."), invoke_without_command=True)
app.add_typer(runs_app, name="runs")

app.add_typer(orders_app, name="orders")
app.add_typer(stock_app, name="stock")  # `stock check` (R8)
register_stock_import(stock_app)  # `stock import-from-shop`: go-live, once
app.add_typer(catalogue_app)  # `fields`, `bookmarks`
register_serve(app)  # `serve`: the webhook receiver
register_worker(app)  # `worker`, `jobs`, `problems`
register_notify(app)  # `notify test`
register_status(app)  # `status products|orders|customers`
register_preview(app)  # `preview FLOW`: what an export would change, sending nothing
register_store(app)  # `store check|backup`
register_shop_address(app)  # pointing a profile at its shop's new address
register_users(app)  # `user add|passwd|remove|list`: who may sign in to the console
register_version(app)  # `--version`


@app.command(
    "run",
    help=_(
        "Run one flow of a profile now, with a live journal.\n\n"
        "Exits 0 when it succeeded, 3 when it completed with problems (records "
        "failed or parked for a person), 1 when it failed, 130 when interrupted."
    ),
)
def run_command(
    flow: Annotated[
        str,
        typer.Argument(help=_("A flow, or 'all' (%(flows)s).", flows=", ".join(DEFAULT_ORDER))),
    ],
    profile: ProfileName = None,
    data_dir: DataDir = None,
    date_from: Annotated[
        datetime | None, typer.Option("--from", help=_("Orders created from this date."))
    ] = None,
    date_to: Annotated[
        datetime | None, typer.Option("--to", help=_("Orders created up to this date."))
    ] = None,
    include_transferred: Annotated[
        bool, typer.Option(help=_("Re-read orders already seen (they are still imported once)."))
    ] = False,
    full_read: Annotated[
        bool,
        typer.Option(
            "--full-read",
            help=_(
                "Read the whole catalogue from the back-office, not only what changed "
                "since the last run (products, prices, stock)."
            ),
        ),
    ] = False,
) -> None:
    """Run one flow of a profile now; exits with the worst outcome's code (help above)."""
    loaded, directory = load_profile(profile, data_dir)
    # A date without offset is UTC (FlowOptions reads it so).
    options = FlowOptions(
        created_from=date_from,
        created_to=date_to,
        include_transferred=True if include_transferred else None,
        full_read=full_read,
    )
    flows = list(DEFAULT_ORDER) if flow == "all" else [flow]
    for name in flows:
        refused = refusal(loaded, name)
        if refused:
            fail(refused, code=2)
            return
    outcomes: list[RunStatus] = []
    with interruptible():
        for name in flows:
            outcomes.append(run_through_queue(directory, loaded, name, options))
    exit_with(outcomes)  # the worst outcome wins: see the README's exit codes


@runs_app.callback()
def runs_list(
    ctx: typer.Context,
    profile: ProfileName = None,
    flow: Annotated[str | None, typer.Option(help=_("Only this flow."))] = None,
    limit: Annotated[int, typer.Option(help=_("How many runs, most recent first."))] = 30,
    data_dir: DataDir = None,
    as_json: JsonFlag = False,
) -> None:
    """List recent runs (or `runs show ID` for one journal)."""
    if ctx.invoked_subcommand:
        return
    store = open_store(data_dir_from(data_dir))
    runs = store.list_runs(profile=profile, flow=flow, limit=limit)
    if as_json:
        emit({"runs": [run_json(run) for run in runs]})
        return
    if not console.is_terminal:  # piped: no width of its own, give the table room
        console.width = max(console.width, 120)
    table = Table(box=None, pad_edge=False)
    for column in (_("id"), _("profile"), _("flow"), _("started"), _("status")):
        table.add_column(column, no_wrap=True)
    for column in (
        _("created"),
        _("updated"),
        _("unchanged"),
        _("skipped"),
        _("parked"),
        _("failed"),
    ):
        table.add_column(column, justify="right")
    for run in runs:
        table.add_row(
            str(run.id),
            run.profile,
            run.flow,
            run.started_at.astimezone().strftime("%Y-%m-%d %H:%M:%S"),
            run.status.said.render(),
            *[
                str(run.counts.get(k, 0))
                for k in ("created", "updated", "unchanged", "skipped", "parked", "failed")
            ],
        )
    console.print(table)


@runs_app.command("show", help=_("Print the journal of one run."))
def runs_show(
    run_id: Annotated[int, typer.Argument(help=_("The run's id (see `passerelle runs`)."))],
    data_dir: DataDir = None,
    as_json: JsonFlag = False,
) -> None:
    """Print the journal of one run."""
    store = open_store(data_dir_from(data_dir))
    run = store.get_run(run_id)
    if run is None:
        fail(_("no run %(id)s", id=run_id))
        return
    if as_json:
        emit({"run": run_json(run), "journal": [line_json(x) for x in store.journal(run_id)]})
        return
    console.print(
        _(
            "run %(id)s · %(profile)s · %(flow)s · %(status)s · log %(log)s",
            id=run.id,
            profile=run.profile,
            flow=run.flow,
            status=run.status.said.render(),
            log=run.log_path,
        )
    )
    for line in store.journal(run_id):
        stamp = line.at.astimezone().strftime("%H:%M:%S")
        level = in_words(str(line.level))
        console.print(f"{stamp} {level:7} {line.text_in()}", highlight=False, markup=False)


@sandbox_app.command(
    "woocommerce-export-orders",
    help=_("Write the WooCommerce sandbox's orders as an orders XML file."),
)
def sandbox_export_orders(
    out: Annotated[Path, typer.Argument(help=_("XML file to write (docs/orders-xml.md)."))],
    state_file: Annotated[Path | None, typer.Option(help=_("The sandbox's data file."))] = None,
    source: Annotated[str, typer.Option(help=_("Shop name written in the file."))] = (
        "woocommerce-sandbox"
    ),
    status: Annotated[
        list[str] | None, typer.Option(help=_("Only orders of these statuses."))
    ] = None,
    shop_url: Annotated[
        str,
        typer.Option(
            help=_(
                "The address the sandbox answers at, written in the file as the shop the "
                "orders come from: a profile of that shop imports them as its own, once. "
                "Empty: the file names no shop and its orders are keyed apart."
            )
        ),
    ] = ("https://127.0.0.1:8443"),  # `sandbox woocommerce`'s own default address
    data_dir: DataDir = None,
) -> None:
    """Write the WooCommerce sandbox's orders as an orders XML file."""
    from passerelle.sandbox.xml_export import export_orders_xml

    state = state_file or data_dir_from(data_dir) / "sandbox" / "woocommerce.json"
    if not state.exists():
        fail(
            _(
                "no sandbox data at %(path)s; run `passerelle demo` or `passerelle sandbox "
                "woocommerce` once first",
                path=state,
            )
        )
    count = export_orders_xml(
        state, out, source=source, statuses=status or None, shop=shop_url.strip() or None
    )
    console.print(
        ngettext(
            "%(num)s order written to %(path)s",
            "%(num)s orders written to %(path)s",
            count,
            path=out,
        )
    )


@app.command("flows", help=_("List the flows a profile can run."))
def flows_list() -> None:
    """List the flows a profile can run."""
    table = Table(_("flow"), _("writes to the shop"), _("what it does"))
    for name in [*DEFAULT_ORDER, *sorted(set(FLOWS) - set(DEFAULT_ORDER))]:
        info = FLOWS[name]
        table.add_row(name, _("yes") if info.writes_shop else _("no"), translated(info.summary))
    console.print(table)


@app.command(
    "demo",
    help=_(
        "Build (or reuse) the Tryton demo database, start a shop sandbox (WooCommerce "
        "by default), create the demo profile and run every flow, then print a summary."
    ),
)
def demo_command(
    data_dir: DataDir = None,
    fresh: Annotated[
        bool, typer.Option(help=_("Start from a new shop and a new database."))
    ] = False,
    shop: Annotated[str, typer.Option(help=_("The shop platform's sandbox to run against."))] = (
        "woocommerce"
    ),
    backoffice: Annotated[
        str,
        typer.Option(
            help=_(
                "The back-office: tryton (the demo database) or files (a sample "
                "spreadsheet's exports, orders written back as files; no database built)."
            )
        ),
    ] = "tryton",
) -> None:
    """The demo from scratch: Tryton database, shop sandbox, profile, every flow (help above)."""
    from passerelle.demo import BACKOFFICES, run_demo
    from passerelle.platforms import shop_kinds_with_sandbox

    if shop not in shop_kinds_with_sandbox():
        fail(
            _(
                "no sandbox for %(shop)r: choose one of %(kinds)s",
                shop=shop,
                kinds=", ".join(shop_kinds_with_sandbox()),
            )
        )
    if backoffice not in BACKOFFICES:
        fail(
            _(
                "no demo back-office %(backoffice)r: choose one of %(kinds)s",
                backoffice=backoffice,
                kinds=", ".join(BACKOFFICES),
            )
        )
    ok = run_demo(
        data_dir_from(data_dir), console=console, fresh=fresh, shop=shop, backoffice=backoffice
    )
    raise typer.Exit(0 if ok else 1)


if __name__ == "__main__":  # pragma: no cover
    app()
