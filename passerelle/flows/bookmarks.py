"""C5, K2: "changed since the last transfer" bookmarks that know the settings they hold for.

An export flow that only reads what changed since its last run must read
everything again when the profile's settings change (a new tax class, a new
update policy): the records did not change, what the shop should hold did.
So its bookmark stores the date *and* a hash of those settings (a
:class:`~passerelle.store.bookmark_value.BookmarkValue`, the one format of date
bookmarks), and a bookmark taken under other settings does not apply.

Flows with such a bookmark register how their settings hash is computed
(:func:`settings_for`), so ``passerelle bookmarks`` can tell whether a
bookmark still applies and keep the hash when the merchant moves the date.
Flows whose bookmark is a date alone read and move it with :func:`read_bookmark`
and :func:`move_bookmark`.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from passerelle.i18n.messages import M_
from passerelle.store.bookmark_value import BookmarkValue

if TYPE_CHECKING:
    from passerelle.flows.base import FlowContext
    from passerelle.profiles.schema import Profile
    from passerelle.store import Store

__all__ = [
    "BOOKMARK_OVERLAP",
    "SETTINGS",
    "SettingsFn",
    "StoredBookmark",
    "move_bookmark",
    "parse_bookmark",
    "read_bookmark",
    "read_since",
    "save_bookmark",
    "settings_for",
]

# Records written while a run reads are not missed: the next run reads a little earlier.
BOOKMARK_OVERLAP = timedelta(minutes=5)

SettingsFn = Callable[["Profile", "Store"], str]
# Flow name → how its settings hash is computed from the profile and the store.
SETTINGS: dict[str, SettingsFn] = {}


def settings_for(flow: str) -> Callable[[SettingsFn], SettingsFn]:
    """Register the settings hash of ``flow`` (the one its bookmark is saved with)."""

    def register(fn: SettingsFn) -> SettingsFn:
        SETTINGS[flow] = fn
        return fn

    return register


#: A bookmark read back (the name the CLI knows it by).
StoredBookmark = BookmarkValue


def parse_bookmark(value: str) -> BookmarkValue | None:
    """The date (and settings) of a stored value; None when it is not a date bookmark."""
    return BookmarkValue.decode(value)


def read_bookmark(ctx: FlowContext, flow: str) -> datetime | None:
    """Where a flow whose bookmark is a date goes on from; None before its first run.

    A value that is no date (written by hand) is reported and read as no bookmark:
    the flow reads everything again, and its bindings keep each record written once.
    """
    bookmark = ctx.store.get_bookmark(ctx.name, flow)
    if bookmark is None:
        return None
    stored = BookmarkValue.decode(bookmark.value)
    if stored is None:
        ctx.journal.warning(
            M_(
                "the bookmark of %(flow)s is not a date (%(value)s): this run reads as if "
                "there were none",
                flow=flow,
                value=repr(bookmark.value[:40]),
            )
        )
        return None
    return stored.at


def move_bookmark(ctx: FlowContext, flow: str, at: datetime) -> None:
    """Move a date bookmark to ``at``: only once what it covers is committed."""
    ctx.store.set_bookmark(ctx.name, flow, BookmarkValue(at))


def read_since(ctx: FlowContext, flow: str, settings: str) -> datetime | None:
    """Read from here (the last transfer less the overlap), or None to read everything."""
    bookmark = ctx.store.get_bookmark(ctx.name, flow)
    stored = BookmarkValue.decode(bookmark.value) if bookmark else None
    if stored is None or stored.settings != settings:
        return None
    return stored.at - BOOKMARK_OVERLAP


def save_bookmark(ctx: FlowContext, flow: str, at: datetime, settings: str) -> None:
    """Move the bookmark to ``at`` (when the run started reading), under ``settings``."""
    ctx.store.set_bookmark(ctx.name, flow, BookmarkValue(at, settings))
