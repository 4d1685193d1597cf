"""Request/response values, the two error shapes and the quota window, free of sockets.

Why two error shapes: the v3 APIs answer errors as a problem object
``{status, title, type, errors}`` (``ErrorResponse`` in
``reference/inventory.v3.yml``, ``reference/customers.v3.yml``, the catalog
files) while the v2 orders API answers a list ``[{status, message}]``
(``reference/orders.v2.oas2.yml``; docs ``docs/start/about/status-codes.mdx``).
The media type of a v3 error is the one its API's OpenAPI file declares: the
inventory API answers ``application/problem+json``, the catalog and customers
APIs ``application/json``.
"""

from __future__ import annotations

import math
import threading
import time
from dataclasses import dataclass, field
from typing import Any

__all__ = [
    "PLANS",
    "ApiError",
    "QuotaWindow",
    "Request",
    "Response",
    "error_media_type",
    "page_meta",
]

STATUS_DOCS = "https://developer.bigcommerce.com/api-docs/getting-started/api-status-codes"


@dataclass
class Request:
    method: str
    path: str  # below /stores/<hash>, e.g. "/v3/catalog/products"
    query: dict[str, list[str]]
    body: Any

    def arg(self, name: str, default: str = "") -> str:
        values = self.query.get(name)
        return values[-1] if values else default

    @property
    def v2(self) -> bool:
        return self.path.startswith("/v2/")


@dataclass
class Response:
    body: Any
    status: int = 200
    headers: dict[str, str] = field(default_factory=dict)


class ApiError(Exception):
    """An error answered in the shape of the API version it happened in."""

    def __init__(
        self, status: int, title: str, errors: dict[str, Any] | None = None, *, batch: bool = False
    ) -> None:
        super().__init__(title)
        self.status = status
        self.title = title
        self.errors = errors or {}
        self.batch = batch  # the variants batch wraps its problems in ``batch_errors``

    def body(self, v2: bool) -> Any:
        if v2:
            return [{"status": self.status, "message": self.title}]
        problem = {
            "status": self.status,
            "title": self.title,
            "type": STATUS_DOCS,
            "errors": self.errors,
        }
        return {"batch_errors": [problem]} if self.batch else problem


def error_media_type(path: str) -> str:
    """The ``Content-Type`` of an error answered on ``path`` (below ``/stores/<hash>``)."""
    return "application/problem+json" if path.startswith("/v3/inventory/") else "application/json"


def page_meta(total: int, page: int, limit: int, count: int) -> dict[str, Any]:
    """``meta.pagination`` of a v3 collection (``Meta`` / ``_metaCollection``)."""
    pages = max(1, -(-total // limit)) if total else 0
    links: dict[str, str] = {"current": f"?page={page}&limit={limit}"}
    if page > 1:
        links["previous"] = f"?page={page - 1}&limit={limit}"
    if page < pages:
        links["next"] = f"?page={page + 1}&limit={limit}"
    return {
        "pagination": {
            "total": total,
            "count": count,
            "per_page": limit,
            "current_page": page,
            "total_pages": pages,
            "links": links,
        }
    }


#: Requests a store may make in a 30 s window, by store plan (None: no rate limit).
#: docs.bigcommerce.com/developer/docs/overview/api-fundamentals/rate-limits, "Rate
#: limits by plan type": "Plus & Standard: 20k per hour (150 / 30sec)", "Pro: 60k per
#: hour (450 / 30sec)"; Enterprise: "by plan and resource" (a contract's figure, none to
#: copy), and "Unlimited rate plan": "for some BigCommerce Enterprise clients. It has no
#: request rate limits." ``enterprise`` is an Enterprise store on that plan, named as
#: Shopify's fastest plan is so one ``PASSERELLE_SANDBOX_PLAN`` value fits both.
PLANS: dict[str, int | None] = {
    "standard": 150,
    "plus": 150,
    "pro": 450,
    "enterprise": None,
    "unlimited": None,
}


class QuotaWindow:
    """The per-window request quota of a store (``X-Rate-Limit-*`` headers).

    BigCommerce counts requests per store in a fixed window (30 s; the quota
    depends on the plan, :data:`PLANS`, 150 for Standard) and sends the state of the
    window on every answer; past the quota it answers 429 until the window resets
    (docs: "API rate limits", ``docs/start/best-practices/api-rate-limits.mdx``).
    A quota of None is the Unlimited Rate Plan: every request is allowed, and no
    ``X-Rate-Limit-*`` header is sent, there being no window to describe (the docs
    show none for that plan).
    """

    def __init__(self, quota: int | None = 150, window_ms: int = 30_000) -> None:
        self._lock = threading.Lock()
        self.quota = quota
        self.window_ms = window_ms
        self._start = time.monotonic()
        self._used = 0
        self.refused = 0

    def take(self) -> tuple[bool, dict[str, str]]:
        """(allowed, headers) for one request."""
        if self.quota is None:
            return True, {}
        with self._lock:
            now = time.monotonic()
            elapsed = (now - self._start) * 1000
            if elapsed >= self.window_ms:
                self._start, self._used, elapsed = now, 0, 0.0
            allowed = self._used < self.quota
            if allowed:
                self._used += 1
            else:
                self.refused += 1
            # Rounded up: a client that waits exactly this long finds the new window.
            reset = max(0, math.ceil(self.window_ms - elapsed))
            return allowed, {
                "X-Rate-Limit-Time-Window-Ms": str(self.window_ms),
                "X-Rate-Limit-Time-Reset-Ms": str(reset),
                "X-Rate-Limit-Requests-Quota": str(self.quota),
                "X-Rate-Limit-Requests-Left": str(max(0, self.quota - self._used)),
            }
