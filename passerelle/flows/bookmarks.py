"""C5, K2: "changed since the last transfer" bookmarks that know the settings they hold for.

An export flow that only reads what changed since its last run must read
everything again when the profile's settings change (a new tax class, a new
update policy): the records did not change, what the shop should hold did.
So its bookmark stores the date *and* a hash of those settings, as JSON
``{"at": <ISO date>, "settings": <hash>}``, and a bookmark taken under other
settings does not apply.

Flows with such a bookmark register how their settings hash is computed
(:func:`settings_for`), so ``passerelle bookmarks`` can tell whether a
bookmark still applies and keep the hash when the merchant moves the date.
Older flows store a plain ISO date; both forms are read here.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from passerelle.flows.base import FlowContext
    from passerelle.profiles.schema import Profile
    from passerelle.store import Store

__all__ = [
    "BOOKMARK_OVERLAP",
    "SETTINGS",
    "SettingsFn",
    "StoredBookmark",
    "parse_bookmark",
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


@dataclass(frozen=True, slots=True)
class StoredBookmark:
    """A bookmark read back: its date, and the settings hash when it has one."""

    at: datetime
    settings: str | None  # None: a plain date, valid whatever the settings


def parse_bookmark(value: str) -> StoredBookmark | None:
    """The date (and settings) of a stored value; None when it is neither form."""
    try:
        data = json.loads(value)
    except ValueError:
        data = None
    try:
        if isinstance(data, dict):
            settings = data.get("settings")
            return StoredBookmark(
                datetime.fromisoformat(data["at"]), settings if isinstance(settings, str) else None
            )
        return StoredBookmark(datetime.fromisoformat(value), None)
    except (KeyError, TypeError, ValueError):
        return None


def read_since(ctx: FlowContext, flow: str, settings: str) -> datetime | None:
    """Read from here (the last transfer less the overlap), or None to read everything."""
    bookmark = ctx.store.get_bookmark(ctx.name, flow)
    stored = parse_bookmark(bookmark.value) if bookmark else None
    if stored is None or stored.settings != settings:
        return None
    return stored.at - BOOKMARK_OVERLAP


def save_bookmark(ctx: FlowContext, flow: str, at: datetime, settings: str) -> None:
    """Move the bookmark to ``at`` (when the run started reading), under ``settings``."""
    ctx.store.set_bookmark(ctx.name, flow, json.dumps({"at": at.isoformat(), "settings": settings}))
