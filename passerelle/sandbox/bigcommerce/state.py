"""The store's records as one JSON document, reloaded from its file when it exists.

Why one plain dict: every resource module reads and writes the same
records (an order's products are catalogue products, a customer's orders…),
and one ``json.dump`` keeps the state between runs of the demo. Keys of the
record maps are strings so the document round-trips through JSON unchanged.
"""

from __future__ import annotations

import json
import threading
from datetime import UTC, datetime
from email.utils import format_datetime
from pathlib import Path
from typing import Any

__all__ = ["Resource", "State", "rfc2822"]

_TABLES = (
    "products",
    "variants",
    "options",
    "trees",
    "categories",
    "customers",
    "customer_groups",
    "orders",
    "order_products",
    "shipping_addresses",
    "order_coupons",
    "order_taxes",
    "brands",
)


def rfc2822(when: datetime) -> str:
    """v2 dates: RFC 2822 (``Tue, 20 Nov 2012 00:00:00 +0000``)."""
    return format_datetime(when.astimezone(UTC)).replace("-0000", "+0000")


class State:
    def __init__(self, path: Path | None) -> None:
        self.path = path
        self.lock = threading.RLock()
        self.loaded_from_file = bool(path and path.exists())
        if self.loaded_from_file and path is not None:
            self.data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
        else:
            self.data = {name: {} for name in _TABLES}
            self.data["sequences"] = {}
        self._dirty = False

    def next_id(self, sequence: str, start: int = 100) -> int:
        seqs = self.data["sequences"]
        seqs[sequence] = max(seqs.get(sequence, start), start) + 1
        return int(seqs[sequence])

    @staticmethod
    def now() -> str:
        """v3 dates: ISO 8601 with offset."""
        return datetime.now(UTC).replace(microsecond=0).isoformat()

    def dirty(self) -> None:
        self._dirty = True

    def flush(self) -> None:
        """Write the document (atomically) if something changed since the last flush."""
        with self.lock:
            if not self._dirty or self.path is None:
                return
            self.path.parent.mkdir(parents=True, exist_ok=True)
            tmp = self.path.with_suffix(".tmp")
            tmp.write_text(json.dumps(self.data, ensure_ascii=False), encoding="utf-8")
            tmp.replace(self.path)
            self._dirty = False


class Resource:
    """One API resource's handlers over the store's state (catalog, categories…)."""

    def __init__(self, state: State) -> None:
        self.state = state

    @property
    def data(self) -> dict[str, Any]:
        return self.state.data
