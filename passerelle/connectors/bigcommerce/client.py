"""The BigCommerce REST wire client: token, quota pacing, error shapes, pages, chunks.

Only the protocol lives here. What the docs say and this client does:
- every request carries the app's ``X-Auth-Token``;
- the store's quota is per window (``X-Rate-Limit-Time-Window-Ms``, 30 s):
  each answer tells the requests left (``X-Rate-Limit-Requests-Left``) and
  when the window resets (``X-Rate-Limit-Time-Reset-Ms``). When none is
  left the client waits for the reset *before* sending, so it does not
  collect 429s; a 429 anyway (another app on the same store) also sets the
  wait, and the shared client retries it;
- v3 errors are ``{status, title, type, errors}`` (the variants batch wraps them in
  ``batch_errors``); v2 errors ``[{status, message}]``;
- v3 lists page with ``page``/``limit`` (≤ 250) and ``meta.pagination``;
  v2 lists page the same way and answer 204 past the last page.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Generator, Iterator, Sequence
from typing import Any, TypeVar

import httpx

from passerelle.connectors.http import HttpOptions, RetryingClient
from passerelle.connectors.kit.paging import Page, PageNumbers
from passerelle.connectors.site_access import tls_verify
from passerelle.i18n.messages import Text

__all__ = ["PAGE_LIMIT", "BigCommerceClient", "QuotaPacer", "chunks", "read_error"]

PAGE_LIMIT = 250
_PAGING = PageNumbers(PAGE_LIMIT, size_param="limit")  # v2 and v3 alike
T = TypeVar("T")


def chunks(items: Sequence[T], size: int) -> Iterator[Sequence[T]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


class TokenAuth(httpx.Auth):
    def __init__(self, token: str) -> None:
        self._token = token

    def auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        request.headers["X-Auth-Token"] = self._token
        yield request


#: Added to the store's reset time: its milliseconds are rounded and its clock is not ours,
#: so resuming on the exact figure can land a request in the old window and earn a 429.
RESET_MARGIN_S = 0.05


class QuotaPacer(httpx.BaseTransport):
    """Waits for the quota window to reset when the store said no request is left."""

    def __init__(
        self,
        inner: httpx.BaseTransport,
        *,
        sleep: Callable[[float], None] = time.sleep,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.inner = inner
        self.sleep = sleep
        self.clock = clock
        self._resume_at = 0.0
        self._lock = threading.Lock()
        self.waits = 0
        self.waited = 0.0
        self.rate_limited = 0  # 429 answers received

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        with self._lock:
            wait = self._resume_at - self.clock()
        if wait > 0:
            self.waits += 1
            self.waited += wait
            self.sleep(wait)
        response = self.inner.handle_request(request)
        left = response.headers.get("X-Rate-Limit-Requests-Left")
        reset = response.headers.get("X-Rate-Limit-Time-Reset-Ms")
        if response.status_code == 429:
            self.rate_limited += 1
        exhausted = response.status_code == 429 or (
            left is not None and left.isdigit() and int(left) <= 0
        )
        if exhausted and reset and reset.isdigit():
            with self._lock:
                self._resume_at = self.clock() + int(reset) / 1000 + RESET_MARGIN_S
        return response

    def close(self) -> None:
        self.inner.close()


def read_error(response: httpx.Response) -> tuple[str, str]:
    """(code, message) of either error shape."""
    try:
        body = response.json()
    except ValueError:
        return "", response.text[:200]
    if isinstance(body, list) and body and isinstance(body[0], dict):
        return "", "; ".join(str(e.get("message", "")) for e in body)
    if isinstance(body, dict):
        batch = body.get("batch_errors")
        if isinstance(batch, list) and batch:  # PUT /catalog/variants: one per variant
            return "", "; ".join(_problem(e) for e in batch if isinstance(e, dict))
        return "", _problem(body)
    return "", str(body)[:200]


def _problem(body: dict[str, Any]) -> str:
    """The title of a v3 problem object, with its per-field ``errors``."""
    title = str(body.get("title") or body.get("message") or "")
    errors = body.get("errors")
    if isinstance(errors, dict) and errors:
        title += " (" + "; ".join(f"{k}: {v}" for k, v in errors.items()) + ")"
    return title


def _transport(options: HttpOptions) -> httpx.HTTPTransport:
    return httpx.HTTPTransport(
        verify=tls_verify(options.verify, options.min_tls), proxy=options.proxy
    )


class BigCommerceClient:
    """Thin client over ``<api_url>/stores/<hash>/`` (``v3/…`` and ``v2/…`` paths)."""

    def __init__(
        self,
        api_url: str,
        store_hash: str,
        token: str,
        *,
        options: HttpOptions | None = None,
        transport: httpx.BaseTransport | None = None,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        options = options or HttpOptions()
        self.store_url = f"{api_url.rstrip('/')}/stores/{store_hash}"
        self.pacer = QuotaPacer(transport or _transport(options), sleep=sleep)
        self.http = RetryingClient(
            base_url=self.store_url + "/",
            platform="BigCommerce",
            options=options,
            auth=TokenAuth(token),
            read_error=read_error,
            transport=self.pacer,
        )

    @property
    def site_url(self) -> str:
        """The store's API address, ``<api_url>/stores/<hash>``."""
        return self.store_url

    @property
    def request_count(self) -> int:
        return self.http.request_count

    def close(self) -> None:
        self.http.close()

    def get(self, path: str, params: dict[str, Any] | None = None, what: Text = "") -> Any:
        return self.http.request("GET", path, params=params, what=what)[0]

    def post(self, path: str, body: Any, what: Text = "") -> Any:
        return self.http.request("POST", path, json_body=body, what=what)[0]

    def put(self, path: str, body: Any, what: Text = "") -> Any:
        return self.http.request("PUT", path, json_body=body, what=what)[0]

    def iter_v3(
        self, path: str, params: dict[str, Any] | None = None, what: Text = ""
    ) -> Iterator[dict[str, Any]]:
        """Every record of a v3 list, page after page until ``total_pages``."""

        def fetch(paging: dict[str, Any]) -> Page[dict[str, Any]]:
            body = self.get(path, dict(params or {}, **paging), what=what)
            pagination = ((body or {}).get("meta") or {}).get("pagination") or {}
            # No page count told: this page is the last.
            total = int(pagination.get("total_pages") or paging["page"])
            return Page((body or {}).get("data") or [], total_pages=total)

        return _PAGING.items(fetch)

    def iter_v2(
        self, path: str, params: dict[str, Any] | None = None, what: Text = ""
    ) -> Iterator[dict[str, Any]]:
        """Every record of a v2 list: pages until a short page or 204 No Content."""

        def fetch(paging: dict[str, Any]) -> Page[dict[str, Any]]:
            body = self.get(path, dict(params or {}, **paging), what=what)
            return Page(body if isinstance(body, list) else [])  # 204: no more

        return _PAGING.items(fetch)
