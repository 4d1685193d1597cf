"""``passerelle preview FLOW``: what an export run would create and update, sending nothing.

For merchants wary of bulk overwrites, before a first run or any run: each
record the run would create, each it would update with every changed field
as ``before → after``, and how many it would leave as they are. Nothing is
sent to the shop and nothing is written to the store.
"""

from __future__ import annotations

from typing import Annotated

import typer
from rich.markup import escape
from rich.table import Table

from passerelle.cli.common import DataDir, ProfileName, console, fail, load_profile
from passerelle.cli.json_output import JsonFlag, emit
from passerelle.connectors.errors import ConnectorError
from passerelle.flows.field_titles import field_title, kind_title
from passerelle.flows.preview import FieldChange, FlowPreview, RecordPreview, shown
from passerelle.i18n import _
from passerelle.i18n.messages import render, said
from passerelle.runner import RunRefused, open_store
from passerelle.runner.preview import PREVIEWABLE, preview_flow

__all__ = ["register"]


def register(app: typer.Typer) -> None:
    app.command(
        "preview",
        help=_(
            "What running an export now would create and update, field by field; sends nothing."
        ),
    )(preview_command)


def preview_command(
    flow: Annotated[
        str,
        typer.Argument(
            help=_("The export to preview: %(flows)s.", flows=", ".join(PREVIEWABLE)),
            show_default=False,
        ),
    ],
    profile: ProfileName = None,
    data_dir: DataDir = None,
    as_json: JsonFlag = False,
) -> None:
    """What running an export now would create and update, field by field; sends nothing."""
    loaded, directory = load_profile(profile, data_dir)
    store = open_store(directory)
    try:
        preview = preview_flow(loaded, flow, store=store, data_dir=directory)
    except RunRefused as exc:
        fail(escape(str(exc)), code=2)
        return
    except ConnectorError as exc:
        fail(escape(_("could not preview %(flow)s: %(error)s", flow=flow, error=render(said(exc)))))
        return
    finally:
        store.close()
    if as_json:
        emit({"profile": loaded.name, **preview.as_json()})
        return
    _print(loaded.name, preview)


def _print(profile: str, preview: FlowPreview) -> None:
    console.print(
        _(
            "Preview of %(flow)s for profile %(profile)s: %(created)s to create, "
            "%(updated)s to update, %(unchanged)s unchanged. Nothing was sent.",
            flow=preview.flow,
            profile=profile,
            created=len(preview.creates),
            updated=len(preview.updates),
            unchanged=preview.unchanged,
        ),
        highlight=False,
        markup=False,
    )
    if preview.nothing_to_do:
        console.print(_("Nothing to do: the shop already has everything."), markup=False)
    else:
        if not console.is_terminal:  # piped: no width of its own, give the table room
            console.width = max(console.width, 160)
        table = Table(box=None, pad_edge=False)
        table.add_column(_("record"), no_wrap=True)
        table.add_column(_("action"), no_wrap=True)
        table.add_column(_("field"), no_wrap=True)
        table.add_column(_("before → after"))
        for record in preview.records:
            for row in _rows(record):
                table.add_row(*map(escape, row))
        console.print(table)
    for key, note in preview.notes:
        text = render(note)
        console.print(
            f"[yellow]{escape(f'{key}: {text}' if key else text)}[/yellow]", highlight=False
        )


def _rows(record: RecordPreview) -> list[tuple[str, str, str, str]]:
    """One line per changed field (the record named on the first), or one for a creation."""
    label = (
        f"{record.label} ({kind_title(record.kind)})" if record.kind != "product" else record.label
    )
    if record.action == "create":
        return [(label, _("create"), "", _("new in the shop"))]
    if not record.changes:
        return [(label, _("update"), "", _("sent again as it is (the shop changed it)"))]
    return [
        (
            label if i == 0 else "",
            _("update") if i == 0 else "",
            field_title(change.field),
            _change(change),
        )
        for i, change in enumerate(record.changes)
    ]


def _change(change: FieldChange) -> str:
    before = shown(change.before) if change.known else _("unknown")
    return f"{before} → {shown(change.after)}"
