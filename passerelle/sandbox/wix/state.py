"""The site's records as one JSON document, kept in the sandbox's state file.

Why one plain dict: the catalog, the inventory, the orders and the contacts refer to
each other (an order's line names a catalog item, a paid order lowers its inventory),
and one ``json.dump`` keeps the site between runs of the demo. Ids are GUIDs, as Wix
gives them, drawn from a per-site counter so a seeded site is the same on every run.
"""

from __future__ import annotations

import json
import os
import tempfile
import threading
import uuid
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, ClassVar

__all__ = ["CATALOGS", "State", "Table", "iso"]

#: The catalog versions a site may run (Catalog Versioning API, ``catalogVersion``).
CATALOGS = {"v1": "V1_CATALOG", "v3": "V3_CATALOG"}
_TABLES = (
    "products",
    "inventory",
    "categories",
    "collections",
    "orders",
    "fulfillments",
    "contacts",
    "labels",
)
_NAMESPACE = uuid.UUID("6f3a2d1e-9b7c-4e1a-8f2d-2c6b1a9e7d30")


def iso(when: datetime) -> str:
    """Wix's timestamps: ISO 8601 in UTC with milliseconds and ``Z``."""
    return when.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.") + f"{when.microsecond // 1000:03d}Z"


class State:
    def __init__(self, path: Path | None, catalog: str) -> None:
        self.path = path
        self.lock = threading.RLock()
        self.loaded_from_file = bool(path and path.exists())
        if self.loaded_from_file and path is not None:
            self.data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
        else:
            self.data = {name: {} for name in _TABLES}
            self.data["counter"] = 0
            # A site's catalog version is permanent (Catalog Versioning, "Important notes").
            self.data["catalog"] = catalog
        self._dirty = False

    @property
    def catalog(self) -> str:
        return str(self.data["catalog"])

    def new_id(self, kind: str) -> str:
        self.data["counter"] += 1
        return str(uuid.uuid5(_NAMESPACE, f"{kind}-{self.data['counter']}"))

    def next_number(self, sequence: str, start: int) -> int:
        numbers = self.data.setdefault("numbers", {})
        numbers[sequence] = max(numbers.get(sequence, start - 1), start - 1) + 1
        return int(numbers[sequence])

    @staticmethod
    def now() -> str:
        return iso(datetime.now(UTC))

    def dirty(self) -> None:
        self._dirty = True

    def flush(self) -> None:
        """Write the document (atomically) if something changed since the last flush."""
        with self.lock:
            if self._dirty and self.path is not None:
                _replace(self.path, json.dumps(self.data, ensure_ascii=False))
                self._dirty = False


def _replace(path: Path, text: str) -> None:
    """``path`` holds ``text``, never half of it (a temporary file renamed over it)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".wix-")
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(text)
    os.replace(tmp, path)


class Table:
    """One resource's handlers over one table of the site's document (``name``)."""

    name: ClassVar[str]

    def __init__(self, state: State) -> None:
        self.state = state

    @property
    def table(self) -> dict[str, Any]:
        table: dict[str, Any] = self.state.data[self.name]
        return table
