"""The one format of a date bookmark: how far a flow has read, and under which settings.

Flows that read "what changed since the last run" (orders, stock, shipments,
products, customers) keep a moment in their bookmark; the export flows also keep
a hash of the profile settings it was taken under (flows/bookmarks.py), since a
bookmark taken under other settings no longer applies. Each used to write and
parse its own text; :class:`BookmarkValue` is the one typed value they all use.

Encoding (the ``bookmarks.value`` column, text):

- without settings: the moment as ISO 8601 text with its offset,
  ``2025-03-01T12:00:00+00:00``;
- with settings: a JSON object ``{"at": "<ISO 8601>", "settings": "<hash>"}``.

These are the two shapes stores already hold, so no migration is needed:
:meth:`BookmarkValue.decode` reads both (and a JSON object without settings).
Other bookmarks (the error digest's, an opaque cursor) are free text the store
keeps as given.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime

__all__ = ["BookmarkValue"]


@dataclass(frozen=True, slots=True)
class BookmarkValue:
    """A date bookmark: read from ``at`` on; ``settings`` the hash it holds for, if any."""

    at: datetime
    settings: str | None = None  # None: valid whatever the settings

    def encode(self) -> str:
        """The text stored (see the module's encoding)."""
        if self.settings is None:
            return self.at.isoformat()
        return json.dumps({"at": self.at.isoformat(), "settings": self.settings})

    @classmethod
    def decode(cls, text: str) -> BookmarkValue | None:
        """The value of stored text; None when it is not a date bookmark (a cursor, garbage)."""
        try:
            data = json.loads(text)
        except ValueError:
            data = None
        try:
            if isinstance(data, dict):
                settings = data.get("settings")
                return cls(
                    datetime.fromisoformat(data["at"]),
                    settings if isinstance(settings, str) else None,
                )
            return cls(datetime.fromisoformat(text))
        except (KeyError, TypeError, ValueError):
            return None
