"""The one format of a date bookmark: how far a flow has read, and under which settings.

Flows that read "what changed since the last run" (orders, stock, shipments,
products, customers) keep a moment in their bookmark; the export flows also keep
a hash of the profile settings it was taken under (flows/bookmarks.py), since a
bookmark taken under other settings no longer applies; the error digest
(notify/digest.py) also keeps the ids it already handled near that moment, since
its next window overlaps the last one. Each used to write and parse its own
text; :class:`BookmarkValue` is the one typed value they all use.

Encoding (the ``bookmarks.value`` column, text):

- with neither settings nor handled ids: the moment as ISO 8601 text with its
  offset, ``2025-03-01T12:00:00+00:00``;
- otherwise a JSON object ``{"at": "<ISO 8601>", "settings": "<hash>",
  "handled": ["<id>", ...]}``, each of ``settings`` and ``handled`` only when set.

These are the shapes stores already hold, so no migration is needed:
:meth:`BookmarkValue.decode` reads them (and a JSON object without settings),
and the error digest's own shape of earlier versions, ``{"until": "<ISO 8601>",
"sent": [<id>, ...]}``. Other bookmarks (an opaque cursor) are free text the
store keeps as given.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

__all__ = ["BookmarkValue"]


@dataclass(frozen=True, slots=True)
class BookmarkValue:
    """A date bookmark: read from ``at`` on; ``settings`` the hash it holds for, if any;
    ``handled`` the ids of what was already dealt with near ``at``, for a reader whose
    next window reaches back before it (they are skipped, not done twice)."""

    at: datetime
    settings: str | None = None  # None: valid whatever the settings
    handled: frozenset[str] = field(default_factory=frozenset)

    def encode(self) -> str:
        """The text stored (see the module's encoding)."""
        if self.settings is None and not self.handled:
            return self.at.isoformat()
        data: dict[str, Any] = {"at": self.at.isoformat()}
        if self.settings is not None:
            data["settings"] = self.settings
        if self.handled:
            data["handled"] = sorted(self.handled)
        return json.dumps(data)

    @classmethod
    def decode(cls, text: str) -> BookmarkValue | None:
        """The value of stored text; None when it is not a date bookmark (a cursor, garbage)."""
        try:
            data = json.loads(text)
        except ValueError:
            data = None
        try:
            if isinstance(data, dict):
                if "at" not in data and "until" in data:  # the error digest's earlier shape
                    return cls(datetime.fromisoformat(data["until"]), None, _ids(data.get("sent")))
                settings = data.get("settings")
                return cls(
                    datetime.fromisoformat(data["at"]),
                    settings if isinstance(settings, str) else None,
                    _ids(data.get("handled")),
                )
            return cls(datetime.fromisoformat(text))
        except (KeyError, TypeError, ValueError):
            return None


def _ids(stored: Any) -> frozenset[str]:
    """Handled ids as stored (text, or numbers as the digest wrote them); none when the
    list is unreadable: what it named is then handled again rather than skipped."""
    if not isinstance(stored, list) or not all(isinstance(i, str | int) for i in stored):
        return frozenset()
    return frozenset(str(i) for i in stored)
