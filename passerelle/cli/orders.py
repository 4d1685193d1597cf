"""``passerelle orders …``: sends now (R6), staging grid (O21), resets (O18), re-checks (O22).

Each command names the profile's orders by shop order id; ``ALL`` means
every one the command applies to.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table
from rich.text import Text

from passerelle.cli.common import DataDir, ProfileName, console, err, exit_with, fail, interruptible
from passerelle.cli.json_output import JsonFlag, emit, staged_json
from passerelle.cli.language import translated
from passerelle.connectors.base import Shop
from passerelle.flows.import_orders import FLOW as IMPORT_FLOW
from passerelle.flows.options import FlowOptions
from passerelle.flows.order_documents import KIND
from passerelle.i18n import N_, _, ngettext
from passerelle.i18n.messages import render, said
from passerelle.profiles import Profile, ProfileError, ProfileRepository, data_dir_from
from passerelle.runner import Runner, RunRefused, open_store
from passerelle.runner.order_desk import reject_orders, reset_orders
from passerelle.store.records import RunStatus

__all__ = ["orders_app"]

orders_app = typer.Typer(
    help=_("Imported orders: send now, staging grid, reset, re-check."), no_args_is_help=True
)

#: A sent order's outcome (as :func:`passerelle.runner.status.send_report` names it),
#: its colour and its words.
_OUTCOMES = {
    "succeeded": ("green", N_("succeeded")),
    "already imported": ("cyan", N_("already imported")),
    "staged": ("blue", N_("staged")),
    "failed": ("red", N_("failed")),
}
#: A staged order's state, in words.
_STATES = {"staged": N_("staged"), "validated": N_("validated"), "rejected": N_("rejected")}

Ids = Annotated[
    list[str], typer.Argument(help=_("Shop order ids (comma or space separated), or ALL."))
]


def _profile(profile: str | None, data_dir: DataDir) -> tuple[Profile, object]:
    directory = data_dir_from(data_dir)
    try:
        return ProfileRepository(directory).load(profile), directory
    except ProfileError as exc:
        fail(render(said(exc)))
        raise  # unreachable: fail exits


def _ids(values: list[str]) -> list[str] | None:
    ids = [part.strip() for value in values for part in value.split(",") if part.strip()]
    if any(i.upper() == "ALL" for i in ids):
        return None
    if not ids:
        fail(_("name the orders (ids, comma separated) or ALL"))
    return ids


def _run(
    profile: Profile,
    directory: object,
    flow: str,
    options: FlowOptions,
    shop: Shop | None = None,
) -> None:
    """Run ``flow`` here and exit with its outcome's code (0, 3, 1 or 130)."""
    runner = Runner(directory, console=err)  # type: ignore[arg-type]
    try:
        with interruptible():
            summary = runner.run(profile, flow, options=options, shop=shop)
    except RunRefused as exc:
        fail(render(said(exc)), code=2)
        return
    exit_with([summary.status])


@orders_app.command(
    "send",
    help=_("Import these orders now, then say for each: succeeded, already imported, or failed."),
)
def send(
    ids: Annotated[list[str], typer.Argument(help=_("Shop order ids (comma or space separated)."))],
    profile: ProfileName = None,
    data_dir: DataDir = None,
) -> None:
    """Import these orders now, then say for each: succeeded, already imported, or failed."""
    from passerelle.cli.worker import run_through_queue
    from passerelle.runner.status import send_report

    loaded, directory = _profile(profile, data_dir)
    wanted = _ids(ids)
    if wanted is None:
        fail(_("name the orders to send (ALL is for the staging grid's commands)"), code=2)
        return
    store = open_store(directory)  # type: ignore[arg-type]
    try:
        before = store.bindings(loaded.name, KIND)
        since = datetime.now(UTC)
        with interruptible():
            status = run_through_queue(
                directory,  # type: ignore[arg-type]
                loaded,
                IMPORT_FLOW,
                FlowOptions(order_ids=tuple(wanted)),
            )
        report = send_report(store, loaded.name, wanted, before, since)
    finally:
        store.close()
    for line in report:
        style, words = _OUTCOMES[line.outcome]
        console.print(
            Text.assemble(
                _("order %(id)s: ", id=line.order_id),
                (translated(words), style),
                f": {line.detail}",
            )
        )
    outcomes = [line.outcome for line in report]
    console.print(
        ", ".join(
            f"{outcomes.count(o)} {translated(words)}"
            for o, (_style, words) in _OUTCOMES.items()
            if outcomes.count(o)
        ),
        highlight=False,
    )
    if "failed" in outcomes and status is RunStatus.SUCCEEDED:
        status = RunStatus.WITH_PROBLEMS  # an order the run did not count as its own
    exit_with([status])


@orders_app.command(
    "staged",
    help=_("The staging grid: orders mapped and waiting for validation, and set-aside orders."),
)
def staged(
    profile: ProfileName = None,
    data_dir: DataDir = None,
    all_states: Annotated[
        bool, typer.Option("--all", help=_("Also validated and rejected."))
    ] = False,
    as_json: JsonFlag = False,
) -> None:
    """The staging grid: orders mapped and waiting for validation, and set-aside orders."""
    loaded, directory = _profile(profile, data_dir)
    store = open_store(directory)  # type: ignore[arg-type]
    states = ("staged", "validated", "rejected") if all_states else ("staged",)
    if as_json:
        emit(
            {
                "profile": loaded.name,
                "orders": [
                    staged_json(r) for r in store.staged(loaded.name, IMPORT_FLOW, states=states)
                ],
                "set_aside": [
                    {
                        "order_id": p.record_key,
                        "severity": str(p.severity.value),
                        "reason": p.reason,
                    }
                    for p in store.parked(loaded.name, IMPORT_FLOW)
                ],
            }
        )
        return
    table = Table(_("order"), _("state"), _("documents"), _("reason"), box=None, pad_edge=False)
    # Plain text cells: a reason quotes profile entries such as
    # "[orders.payments.paypal]", which rich would take for markup and drop.
    for row in store.staged(loaded.name, IMPORT_FLOW, states=states):
        table.add_row(
            Text(row.order_number or row.order_id),
            Text(translated(_STATES[row.state.value])),
            Text(row.summary_in()),
            Text(row.reason_in() or ""),
        )
    for parked in store.parked(loaded.name, IMPORT_FLOW):
        table.add_row(
            Text(parked.record_key),
            Text(_("set aside (%(severity)s)", severity=parked.severity.value)),
            "",
            Text(parked.reason_in()),
        )
    console.print(table)


@orders_app.command("validate", help=_("Write staged orders to the back-office (IDS or ALL)."))
def validate(ids: Ids, profile: ProfileName = None, data_dir: DataDir = None) -> None:
    """Write staged orders to the back-office (IDS or ALL)."""
    loaded, directory = _profile(profile, data_dir)
    wanted = _ids(ids)
    _run(
        loaded,
        directory,
        "validate-orders",
        FlowOptions(ids=None if wanted is None else tuple(wanted)),
    )


@orders_app.command(
    "reject", help=_("Reject staged orders: they are not imported again unless reset.")
)
def reject(
    ids: Ids,
    profile: ProfileName = None,
    data_dir: DataDir = None,
    reason: Annotated[str, typer.Option(help=_("Why (kept in the grid)."))] = "rejected",
) -> None:
    """Reject staged orders: they are not imported again unless reset."""
    loaded, directory = _profile(profile, data_dir)
    store = open_store(directory)  # type: ignore[arg-type]
    count = reject_orders(store, loaded.name, _ids(ids), reason=reason)
    console.print(ngettext("%(num)s order rejected", "%(num)s orders rejected", count))


@orders_app.command(
    "reset", help=_("Forget that orders were transferred, so the next import writes them again.")
)
def reset(ids: Ids, profile: ProfileName = None, data_dir: DataDir = None) -> None:
    """Forget that orders were transferred, so the next import writes them again."""
    loaded, directory = _profile(profile, data_dir)
    store = open_store(directory)  # type: ignore[arg-type]
    keys = reset_orders(store, loaded.name, _ids(ids))
    console.print(
        ngettext(
            "%(num)s order reset: %(ids)s",
            "%(num)s orders reset: %(ids)s",
            len(keys),
            ids=", ".join(keys) if keys else "-",
        )
    )


@orders_app.command(
    "recheck",
    help=_(
        "Read again the orders set aside to retry (awaiting payment…) and import the paid ones."
    ),
)
def recheck(profile: ProfileName = None, data_dir: DataDir = None) -> None:
    """Read again the orders set aside to retry (awaiting payment…) and import the paid."""
    loaded, directory = _profile(profile, data_dir)
    _run(loaded, directory, IMPORT_FLOW, FlowOptions(only_parked=True))


@orders_app.command(
    "import-xml",
    help=_("Import the orders of an XML file with the profile's rules and back-office."),
)
def import_xml(
    file: Annotated[
        Path,
        typer.Argument(help=_("Orders file (docs/orders-xml.md)."), exists=True, dir_okay=False),
    ],
    profile: ProfileName = None,
    data_dir: DataDir = None,
) -> None:
    """Import the orders of an XML file with the profile's rules and back-office."""
    from passerelle.connectors.xmlfile import XmlFileShop

    loaded, directory = _profile(profile, data_dir)
    shop = XmlFileShop(file)
    try:
        _run(loaded, directory, IMPORT_FLOW, FlowOptions(orders_file=file), shop=shop)
    finally:
        shop.close()
