"""The Admin GraphQL wire client: one POST per document, a client-side cost bucket.

Shopify limits an app by query *cost*, not by request count
(https://shopify.dev/docs/api/usage/limits): a bucket of ``maximumAvailable``
points refilled at ``restoreRate`` a second; a document requesting more than
the bucket holds is answered ``Throttled`` (HTTP 200, ``extensions.code =
THROTTLED``). The client keeps its own copy of that bucket, set from each
answer's ``extensions.cost.throttleStatus``, and waits before sending a
document the shop would refuse, so a long sync is never throttled; a
THROTTLED answer that still comes (another app sharing the bucket) waits for
the points missing and sends again (nothing was executed).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from typing import Any

from passerelle.connectors.errors import FatalError, RecordError, RetriableError
from passerelle.connectors.http import HttpOptions, RetryingClient, redact_in_logs
from passerelle.connectors.kit.paging import Cursors, Page
from passerelle.i18n.messages import M_, Text, said

__all__ = [
    "API_VERSION",
    "CostBucket",
    "ShopifyClient",
    "gid",
    "num",
    "require",
    "save",
    "user_errors",
]

API_VERSION = "2026-01"
redact_in_logs("X-Shopify-Access-Token")


class CostBucket:
    """What the client believes the shop's bucket holds (Standard plan until told)."""

    def __init__(
        self,
        maximum: float = 2000.0,
        restore_rate: float = 100.0,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.maximum, self.restore_rate = maximum, restore_rate
        self.available = maximum
        self.clock, self.sleep = clock, sleep
        self.stamp = clock()
        self.waited = 0.0

    def _now_available(self) -> float:
        return min(self.maximum, self.available + (self.clock() - self.stamp) * self.restore_rate)

    def wait_for(self, cost: float) -> None:
        """Sleep until ``cost`` points are there (the shop's own refill rate)."""
        cost = min(cost, self.maximum)
        missing = cost - self._now_available()
        if missing > 0:
            delay = missing / self.restore_rate
            self.waited += delay
            self.sleep(delay)
        self.available = self._now_available() - cost
        self.stamp = self.clock()

    def update(self, status: dict[str, Any]) -> None:
        """The shop's word after an answer wins over the estimate."""
        self.maximum = float(status.get("maximumAvailable") or self.maximum)
        self.restore_rate = float(status.get("restoreRate") or self.restore_rate)
        self.available = float(status.get("currentlyAvailable", self.available))
        self.stamp = self.clock()


def _read_error(response: Any) -> tuple[str, str]:
    try:
        body = response.json()
    except ValueError:
        return "", response.text[:200]
    errors = body.get("errors") if isinstance(body, dict) else None
    return "", errors if isinstance(errors, str) else str(errors or "")[:300]


class ShopifyClient:
    """POSTs GraphQL documents to ``/admin/api/<version>/graphql.json``."""

    def __init__(
        self,
        url: str,
        access_token: str,
        *,
        api_version: str = API_VERSION,
        options: HttpOptions | None = None,
    ) -> None:
        self.url = url.rstrip("/")
        self.path = f"/admin/api/{api_version}/graphql.json"
        self.http = RetryingClient(
            base_url=self.url,
            platform="Shopify",
            options=options or HttpOptions(),
            read_error=_read_error,
        )
        self.http._http.headers["X-Shopify-Access-Token"] = access_token
        self.bucket = CostBucket()
        self.throttled = 0  # THROTTLED answers received (should stay 0)
        self.cost_spent = 0

    @property
    def site_url(self) -> str:
        """The shop's Admin API address (its myshopify.com domain)."""
        return self.url

    @property
    def request_count(self) -> int:
        return self.http.request_count

    def close(self) -> None:
        self.http.close()

    def run(
        self, document: str, variables: dict[str, Any] | None = None, *, cost: int, what: Text
    ) -> dict[str, Any]:
        """Send one document whose requested cost is ``cost``; its ``data``.

        A top-level GraphQL error (a document the schema refuses, a cost over
        the single-query limit) is a bug here, hence FatalError.
        """
        mutation = document.lstrip().startswith("mutation")
        for _ in range(20):
            self.bucket.wait_for(cost)
            body, _response = self.http.request(
                "POST",
                self.path,
                json_body={"query": document, "variables": variables or {}},
                what=what,
                idempotent=not mutation,
            )
            if not isinstance(body, dict):
                raise RetriableError(
                    M_("Shopify answered %(request)s without a JSON object", request=what)
                )
            status = (body.get("extensions") or {}).get("cost") or {}
            if status.get("throttleStatus"):
                self.bucket.update(status["throttleStatus"])
            errors = body.get("errors") or []
            if any((e.get("extensions") or {}).get("code") == "THROTTLED" for e in errors):
                self.throttled += 1
                # The next try waits for what the shop asks, should it cost more than said.
                cost = max(cost, int(status.get("requestedQueryCost") or 0))
                continue
            self.cost_spent += int(status.get("actualQueryCost") or 0)
            if errors:
                message = "; ".join(str(e.get("message")) for e in errors)
                raise FatalError(
                    M_(
                        "%(platform)s refused %(request)s: %(message)s",
                        platform="Shopify",
                        request=what,
                        message=message,
                    )
                )
            return dict(body.get("data") or {})
        raise RetriableError(M_("Shopify kept throttling %(request)s", request=what))

    def pages(
        self,
        document: str,
        path: str,
        *,
        cost: int,
        what: Text,
        variables: dict[str, Any] | None = None,
    ) -> Iterator[dict[str, Any]]:
        """Every node of the connection at ``path`` (``products``), page by page.

        ``document`` takes ``$after: String`` and selects ``pageInfo { hasNextPage
        endCursor }`` and ``nodes`` (https://shopify.dev/docs/api/usage/pagination-graphql).
        """

        def fetch(paging: dict[str, Any]) -> Page[dict[str, Any]]:
            page = self.run(document, {**(variables or {}), **paging}, cost=cost, what=what)
            for key in path.split("."):
                page = page[key]
            info = page["pageInfo"]
            return Page(page["nodes"], has_next=info["hasNextPage"], next_cursor=info["endCursor"])

        return Cursors("after").items(fetch)


def user_errors(payload: dict[str, Any] | None, what: Text) -> Text | None:
    """A mutation's ``userErrors`` as one message (the shop's own words), None when there is
    none."""
    if payload is None:
        return M_("Shopify returned nothing for %(request)s", request=what)
    errors = payload.get("userErrors") or []
    if not errors:
        return None
    return "; ".join(
        f"{'.'.join(e.get('field') or [])}: {e.get('message')}"
        f"{' [' + e['code'] + ']' if e.get('code') else ''}"
        for e in errors
    )


def require(payload: dict[str, Any] | None, what: Text) -> dict[str, Any]:
    error = user_errors(payload, what)
    if error:
        raise RecordError(
            M_(
                "%(platform)s refused %(request)s: %(message)s",
                platform="Shopify",
                request=what,
                message=error,
            )
        )
    assert payload is not None
    return payload


def gid(kind: str, number: str | int) -> str:
    """A global id (``gid://shopify/Product/12``) from the number our shop ids keep."""
    return f"gid://shopify/{kind}/{number}"


def num(global_id: str | None) -> str:
    return str(global_id or "").rsplit("/", 1)[-1]


def save(
    client: ShopifyClient, kind: str, data: dict[str, Any], number: str | None, *, what: Text
) -> tuple[str | None, Text | None]:
    """``<kind>Create`` or, given its number, ``<kind>Update`` (collections, customers:
    ``input: <Kind>Input!``); (the record's number, None) or (None, the refusal)."""
    name = f"{kind}{'Update' if number else 'Create'}"
    if number:
        data = dict(data, id=gid(kind.capitalize(), number))
    document = (
        f"mutation S($input: {kind.capitalize()}Input!) {{ {name}(input: $input) "
        f"{{ {kind} {{ id }} userErrors {{ field message }} }} }}"
    )
    try:
        payload = require(client.run(document, {"input": data}, cost=10, what=what)[name], what)
    except RecordError as exc:
        return None, said(exc)
    return num(payload[kind]["id"]), None
