"""``passerelle fields`` and ``passerelle bookmarks``.

``fields`` lists what a mapping may name: the back-office's item fields,
standard and custom. ``bookmarks`` shows where each flow resumes ("changed
since the last transfer") and lets the merchant move or clear it: moving it
back re-sends what changed since then, clearing it makes the next run
compare everything.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated

import typer
from rich.table import Table
from rich.text import Text

from passerelle.cli.common import DataDir, ProfileName, console, fail
from passerelle.connectors.errors import ConnectorError
from passerelle.flows import FLOWS
from passerelle.flows.bookmarks import SETTINGS, parse_bookmark
from passerelle.i18n import _
from passerelle.i18n.messages import render, said
from passerelle.profiles import Profile, ProfileError, ProfileRepository, data_dir_from
from passerelle.runner import build_backoffice, open_store
from passerelle.store import Bookmark, Store
from passerelle.store.bookmark_value import BookmarkValue

__all__ = ["catalogue_app"]

# Merged into the main app: its commands are top-level (`passerelle fields`).
catalogue_app = typer.Typer()
bookmarks_app = typer.Typer(
    help=_(
        "Where each flow resumes (only records changed since are read): show, move (`set`) "
        "or `clear` a bookmark."
    ),
    invoke_without_command=True,
)
catalogue_app.add_typer(bookmarks_app, name="bookmarks")

FlowName = Annotated[str, typer.Argument(help=_("The flow (see `passerelle flows`)."))]


def _load(profile: str | None, data_dir: DataDir) -> tuple[Profile, Store]:
    directory = data_dir_from(data_dir)
    try:
        loaded = ProfileRepository(directory).load(profile)
    except ProfileError as exc:
        fail(render(said(exc)))
        raise  # unreachable: fail exits
    return loaded, open_store(directory)


@catalogue_app.command(
    "fields",
    help=_("List the item fields a profile's mappings may name (custom ones as attr:<name>)."),
)
def fields_command(profile: ProfileName = None, data_dir: DataDir = None) -> None:
    """List the item fields a profile's mappings may name (custom ones as attr:<name>)."""
    directory = data_dir_from(data_dir)
    try:
        loaded = ProfileRepository(directory).load(profile)
        backoffice = build_backoffice(loaded.backoffice, directory)
        infos = backoffice.item_fields()
    except (ProfileError, ConnectorError) as exc:
        fail(render(said(exc)))
        return
    table = Table(_("name"), _("type"), _("label"), _("custom"), box=None, pad_edge=False)
    for info in infos:
        table.add_row(
            Text(info.name), Text(info.type), Text(info.label), _("yes") if info.custom else ""
        )
    console.print(table)


def _when(moment: datetime) -> str:
    return moment.astimezone().strftime("%Y-%m-%d %H:%M:%S")


def _applies(flow: str, bookmark: Bookmark, profile: Profile, store: Store) -> str:
    stored = parse_bookmark(bookmark.value)
    if stored is None:
        return _("no: unreadable, the next run reads everything")
    if stored.settings is None:
        return _("yes")
    settings = SETTINGS.get(flow)
    if settings is None:
        return _("checked when the flow runs")
    if settings(profile, store) == stored.settings:
        return _("yes")
    return _("no: settings changed since, the next run compares everything")


@bookmarks_app.callback()
def bookmarks_list(
    ctx: typer.Context, profile: ProfileName = None, data_dir: DataDir = None
) -> None:
    """Show every flow's bookmark: its date and whether it still applies."""
    if ctx.invoked_subcommand:
        return
    loaded, store = _load(profile, data_dir)
    table = Table(_("flow"), _("last transfer"), _("applies"), box=None, pad_edge=False)
    for flow, bookmark in sorted(store.bookmarks(loaded.name).items()):
        stored = parse_bookmark(bookmark.value)
        date = _when(stored.at) if stored else bookmark.value
        table.add_row(Text(flow), Text(date), Text(_applies(flow, bookmark, loaded, store)))
    if not table.rows:
        console.print(
            _(
                "no bookmark for profile %(profile)s: every flow reads everything",
                profile=loaded.name,
            )
        )
        return
    console.print(table)


def _parse_date(value: str) -> datetime:
    """An ISO date or date-time; without an offset, the machine's local time."""
    try:
        moment = datetime.fromisoformat(value.strip())
    except ValueError:
        fail(_("%(value)r is not a date: write 2025-03-01 or 2025-03-01T14:30", value=value))
        raise  # unreachable
    return moment.astimezone() if moment.tzinfo is None else moment


@bookmarks_app.command(
    "set", help=_("Move a flow's bookmark: its next run reads what changed since DATE.")
)
def bookmarks_set(
    flow: FlowName,
    date: Annotated[str, typer.Argument(help=_("2025-03-01 or 2025-03-01T14:30 (local time)."))],
    profile: ProfileName = None,
    data_dir: DataDir = None,
) -> None:
    """Move a flow's bookmark: its next run reads what changed since DATE."""
    loaded, store = _load(profile, data_dir)
    if flow not in FLOWS:
        fail(
            _("unknown flow %(flow)r; flows: %(flows)s", flow=flow, flows=", ".join(sorted(FLOWS)))
        )
    moment = _parse_date(date)
    if moment > datetime.now(UTC):
        fail(
            _(
                "%(when)s is in the future: the flow would skip every change until then",
                when=_when(moment),
            )
        )
    current = store.get_bookmark(loaded.name, flow)
    stored = parse_bookmark(current.value) if current else None
    if flow in SETTINGS:
        # The hash of today's settings: the merchant asks for this date to apply now.
        settings: str | None = SETTINGS[flow](loaded, store)
    else:
        settings = stored.settings if stored else None
    store.set_bookmark(loaded.name, flow, BookmarkValue(moment.astimezone(UTC), settings))
    console.print(
        _("%(flow)s: the next run reads what changed since %(when)s", flow=flow, when=_when(moment))
    )


@bookmarks_app.command(
    "clear", help=_("Forget a flow's bookmark: its next run reads (and compares) everything.")
)
def bookmarks_clear(flow: FlowName, profile: ProfileName = None, data_dir: DataDir = None) -> None:
    """Forget a flow's bookmark: its next run reads (and compares) everything."""
    loaded, store = _load(profile, data_dir)
    if not store.clear_bookmark(loaded.name, flow):
        fail(_("%(flow)s has no bookmark for profile %(profile)s", flow=flow, profile=loaded.name))
    console.print(_("%(flow)s: bookmark cleared, the next run reads everything", flow=flow))
