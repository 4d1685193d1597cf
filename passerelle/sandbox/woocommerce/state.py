"""The shop's data, held in memory behind one lock and persisted to a JSON file.

Why this shape: the sandbox must survive a restart (a demo left running, a
test that stops and restarts the shop) yet stay fast with a 10,000-product
catalogue. Every mutation marks the store dirty; a background writer saves
at most once per ``debounce`` seconds, atomically (temporary file then
``os.replace``), and once more on stop. Ids come from counters shaped like
WordPress's tables: products, variations, orders, refunds and coupons share
the posts sequence (image attachments too); customers are users; categories are terms; order items,
meta rows and order notes (comments) have their own sequences, and so do
the gift cards of the WooCommerce Gift Cards extension (its own table), and
webhooks (their own ``wc_webhooks`` table since WooCommerce 3.3).
"""

from __future__ import annotations

import json
import os
import tempfile
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

__all__ = ["Data", "Store"]

_COLLECTIONS = (
    "products",
    "variations",
    "categories",
    "customers",
    "orders",
    "order_notes",
    "taxes",
    "coupons",
    "refunds",
    "media",
    "webhooks",
)
_SEQUENCES = {
    "post": 700,
    "user": 529,
    "term": 14,
    "order_item": 100,
    "meta": 1000,
    "comment": 40,
    "tax_rate": 0,
    "gift_card": 0,
    "webhook": 0,
}


@dataclass
class Data:
    """In-memory collections, keyed by integer id (tests read these directly)."""

    products: dict[int, dict[str, Any]] = field(default_factory=dict)
    variations: dict[int, dict[str, Any]] = field(default_factory=dict)
    categories: dict[int, dict[str, Any]] = field(default_factory=dict)
    customers: dict[int, dict[str, Any]] = field(default_factory=dict)
    orders: dict[int, dict[str, Any]] = field(default_factory=dict)
    order_notes: dict[int, dict[str, Any]] = field(default_factory=dict)
    taxes: dict[int, dict[str, Any]] = field(default_factory=dict)
    coupons: dict[int, dict[str, Any]] = field(default_factory=dict)
    refunds: dict[int, dict[str, Any]] = field(default_factory=dict)
    media: dict[int, dict[str, Any]] = field(default_factory=dict)  # image attachments
    webhooks: dict[int, dict[str, Any]] = field(default_factory=dict)  # the wc_webhooks table
    tax_classes: list[dict[str, str]] = field(default_factory=list)
    payment_gateways: list[dict[str, Any]] = field(default_factory=list)
    sequences: dict[str, int] = field(default_factory=lambda: dict(_SEQUENCES))

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "format": 1,
            "sequences": self.sequences,
            "tax_classes": self.tax_classes,
            "payment_gateways": self.payment_gateways,
        }
        for name in _COLLECTIONS:
            out[name] = {str(k): v for k, v in getattr(self, name).items()}
        return out

    @classmethod
    def from_json(cls, raw: dict[str, Any]) -> Data:
        data = cls()
        data.sequences.update({k: int(v) for k, v in raw.get("sequences", {}).items()})
        data.tax_classes = list(raw.get("tax_classes", []))
        data.payment_gateways = list(raw.get("payment_gateways", []))
        for name in _COLLECTIONS:
            setattr(data, name, {int(k): v for k, v in raw.get(name, {}).items()})
        return data


class Store:
    """Owns :class:`Data`, its lock, id sequences and the debounced writer."""

    def __init__(self, path: Path | None, *, debounce: float = 1.0) -> None:
        self.path = path
        self.debounce = debounce
        self.lock = threading.RLock()
        self.data = Data()
        self.loaded_from_file = False
        self._dirty = False
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._writer: threading.Thread | None = None
        if path is not None and path.exists() and path.stat().st_size > 0:
            self.data = Data.from_json(json.loads(path.read_text(encoding="utf-8")))
            self.loaded_from_file = True

    # -- ids ----------------------------------------------------------------
    def next_id(self, sequence: str) -> int:
        with self.lock:
            self.data.sequences[sequence] = self.data.sequences.get(sequence, 0) + 1
            return self.data.sequences[sequence]

    # -- persistence ----------------------------------------------------------
    def mark_dirty(self) -> None:
        """Called after every mutation; the writer thread picks it up."""
        self._dirty = True
        self._wake.set()

    def start(self) -> None:
        if self.path is None or self._writer is not None:
            return
        self._stop.clear()
        self._writer = threading.Thread(target=self._run, name="woo-sandbox-state", daemon=True)
        self._writer.start()

    def stop(self) -> None:
        """Stop the writer and flush what is pending."""
        self._stop.set()
        self._wake.set()
        if self._writer is not None:
            self._writer.join(timeout=10)
            self._writer = None
        self.flush()

    def flush(self) -> None:
        """Write the state file now if anything changed since the last write."""
        if self.path is None:
            return
        with self.lock:
            if not self._dirty and self.path.exists():
                return
            text = json.dumps(self.data.to_json(), ensure_ascii=False, separators=(",", ":"))
            self._dirty = False
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=".woo-state-", dir=self.path.parent)
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as handle:
                handle.write(text)
                handle.flush()
                os.fsync(handle.fileno())
            os.replace(tmp, self.path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise

    def _run(self) -> None:
        while not self._stop.is_set():
            self._wake.wait()
            self._wake.clear()
            if self._stop.is_set():
                break
            self.flush()
            # Debounce: at most one write per period, whatever the request rate.
            self._stop.wait(self.debounce)
