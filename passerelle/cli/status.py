"""``passerelle status products|orders|customers``: where each record stands."""

from __future__ import annotations

from collections import Counter
from typing import Annotated

import typer
from rich.markup import escape
from rich.table import Table
from rich.text import Text

from passerelle.cli.common import DataDir, ProfileName, console, fail, load_profile
from passerelle.cli.json_output import JsonFlag, emit
from passerelle.cli.language import translated
from passerelle.connectors.errors import ConnectorError
from passerelle.i18n import N_, _
from passerelle.i18n.messages import render, said
from passerelle.profiles import SecretError
from passerelle.runner import open_store
from passerelle.runner.status import KINDS, STATES, RecordStatus
from passerelle.runner.status_view import read_status

__all__ = ["register"]

_STYLE = {
    "synced": "green",
    "changed": "yellow",
    "not linked": "cyan",
    "error": "red",
    "retry": "yellow",
    "staged": "blue",
    "rejected": "magenta",
}
#: Each kind of record (:data:`~passerelle.runner.status.KINDS`) in words.
_KINDS = {"products": N_("products"), "orders": N_("orders"), "customers": N_("customers")}
#: Each state (:data:`~passerelle.runner.status.STATES`) in words.
_WORDS = {
    "synced": N_("synced"),
    "changed": N_("changed"),
    "not linked": N_("not linked"),
    "error": N_("error"),
    "retry": N_("retry"),
    "staged": N_("staged"),
    "rejected": N_("rejected"),
}


def register(app: typer.Typer) -> None:
    app.command(
        "status",
        help=_("Each record as synced, changed since its last sync, not linked, or in error."),
    )(status_command)


def status_command(
    kind: Annotated[
        str, typer.Argument(help=_("What to list: %(kinds)s.", kinds=", ".join(KINDS)))
    ],
    profile: ProfileName = None,
    only: Annotated[
        list[str] | None,
        typer.Option(
            "--only",
            help=_(
                "Only these states (repeat or comma separate): %(states)s.",
                states=", ".join(STATES),
            ),
        ),
    ] = None,
    data_dir: DataDir = None,
    as_json: JsonFlag = False,
) -> None:
    """Each record as synced, changed since its last sync, not linked, or in error."""
    if kind not in KINDS:
        fail(
            _("say which records: %(kinds)s (not %(kind)r)", kinds=", ".join(KINDS), kind=kind),
            code=2,
        )
    wanted = _states(only)
    loaded, directory = load_profile(profile, data_dir)
    store = open_store(directory)
    try:
        records = read_status(loaded, directory, store, kind)
    except SecretError as exc:
        fail(
            escape(
                _("profile %(profile)r: %(reason)s", profile=loaded.name, reason=render(said(exc)))
            )
        )
        return
    except ConnectorError as exc:
        fail(
            escape(
                _(
                    "could not read the %(kind)s: %(reason)s",
                    kind=translated(_KINDS[kind]),
                    reason=render(said(exc)),
                )
            )
        )
        return
    finally:
        store.close()
    if as_json:
        _emit(loaded.name, kind, records, wanted)
        return
    _print(records, wanted)


def _emit(profile: str, kind: str, records: list[RecordStatus], wanted: set[str] | None) -> None:
    shown = [r for r in records if wanted is None or r.state in wanted]
    counts = Counter(r.state for r in records)
    emit(
        {
            "profile": profile,
            "kind": kind,
            "records": [
                {"key": r.key, "label": r.label, "state": r.state, "detail": r.detail}
                for r in shown
            ],
            "counts": {state: counts[state] for state in STATES},
        }
    )


def _states(only: list[str] | None) -> set[str] | None:
    if not only:
        return None
    chosen = {
        " ".join(part.strip().replace("-", " ").replace("_", " ").split())
        for value in only
        for part in value.split(",")
        if part.strip()
    }
    unknown = sorted(chosen - set(STATES))
    if unknown:
        fail(
            _(
                "unknown state %(states)s: choose among %(known)s",
                states=", ".join(map(repr, unknown)),
                known=", ".join(STATES),
            ),
            code=2,
        )
    return chosen


def _print(records: list[RecordStatus], wanted: set[str] | None) -> None:
    shown = [r for r in records if wanted is None or r.state in wanted]
    if not console.is_terminal:  # piped: no width of its own, give the table room
        console.width = max(console.width, 160)
    table = Table(box=None, pad_edge=False)
    table.add_column(_("record"), no_wrap=True)
    table.add_column(_("state"), no_wrap=True)
    table.add_column(_("detail"))
    for record in shown:
        # Plain text cells: reasons quote profile tables ("[orders.payments]") that rich
        # would take for markup.
        table.add_row(
            Text(record.label),
            Text(translated(_WORDS[record.state]), style=_STYLE[record.state]),
            Text(record.detail),
        )
    console.print(table)
    counts = Counter(r.state for r in records)
    console.print(
        ", ".join(f"{counts[s]} {translated(_WORDS[s])}" for s in STATES if counts[s])
        or _("no records"),
        highlight=False,
    )
