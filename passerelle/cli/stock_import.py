"""``passerelle stock import-from-shop``: the shop's stock counted into the back-office, at go-live.

The count runs as a manual job of the queue (the catalogue lane), like
``passerelle run``, so it never overlaps a worker's stock update; its journal
shows live, and each item it counts, lists or leaves is printed again at the
end. The rules are the flow's (:mod:`passerelle.flows.stock_go_live`).
"""

from __future__ import annotations

from typing import Annotated

import typer
from rich.text import Text

from passerelle.cli.common import DataDir, ProfileName, console, exit_with, fail, load_profile
from passerelle.cli.worker import run_in_queue, run_outcome
from passerelle.flows.options import FlowOptions
from passerelle.flows.stock_go_live import FLOW, warehouse_refusal
from passerelle.i18n import _
from passerelle.runner import open_store, refusal

__all__ = ["register"]


def register(stock_app: typer.Typer) -> None:
    """Add ``import-from-shop`` to the ``stock`` group."""
    stock_app.command(
        "import-from-shop",
        help=_(
            "Once, at go-live: count the shop's stock into the back-office (an inventory of "
            "one warehouse). Items the back-office does not know are listed, never created; "
            "a second run changes nothing. Exits 0 when done, 3 when some item could not be "
            "counted, 2 when refused."
        ),
    )(import_from_shop)


def import_from_shop(
    profile: ProfileName = None,
    data_dir: DataDir = None,
    warehouse: Annotated[
        str | None,
        typer.Option(
            "--warehouse",
            "-w",
            help=_(
                "Back-office warehouse code the shop's stock goes into (required when the "
                "profile or the back-office has several)."
            ),
        ),
    ] = None,
    dry_run: Annotated[
        bool,
        typer.Option("--dry-run", help=_("Print what the count would change; write nothing.")),
    ] = False,
) -> None:
    """Count the shop's stock into the back-office, once (help above)."""
    loaded, directory = load_profile(profile, data_dir)
    refused = refusal(loaded, FLOW) or warehouse_refusal(
        loaded.catalogue.stock.warehouses, warehouse
    )
    if refused:
        fail(refused, code=2)
        return
    options = FlowOptions(warehouse=warehouse, dry_run=dry_run)
    outcome = run_in_queue(directory, loaded, FLOW, options)
    status = run_outcome(directory, outcome)
    if outcome.run_id is not None:
        store = open_store(directory)
        try:
            lines = [line for line in store.journal(outcome.run_id) if line.record_key]
        finally:
            store.close()
        for line in lines:
            console.print(Text(f"{line.record_key}: {line.message_in()}"))
    if dry_run:
        console.print(_("dry run: nothing was written"))
    exit_with([status])
