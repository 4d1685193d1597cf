"""The WooCommerce REST API v3 wire client: authentication, pages and batches.

Only the protocol lives here (what WooCommerce documents for
``/wp-json/wc/v3/``); turning its JSON into canonical records is
``translate_categories.py``'s job.
"""

from __future__ import annotations

import math
from collections.abc import Generator, Iterator, Sequence
from typing import Any

import httpx

from passerelle.connectors.errors import RecordError
from passerelle.connectors.http import HttpOptions, RetryingClient, redact_in_logs
from passerelle.connectors.kit.paging import Page, PageNumbers
from passerelle.i18n.messages import M_, Text

__all__ = ["BATCH_LIMIT", "PAGE_LIMIT", "QueryStringAuth", "WooCommerceClient"]

PAGE_LIMIT = 100  # per_page maximum documented for every collection
_PAGING = PageNumbers(PAGE_LIMIT, size_param="per_page")
BATCH_LIMIT = 100  # create + update + delete items in one batch request


# httpx logs every request URL at INFO (httpcore the headers at DEBUG); with
# query-string keys those carry the secret.
redact_in_logs("consumer_key", "consumer_secret")


class QueryStringAuth(httpx.Auth):
    """Keys as ``consumer_key``/``consumer_secret`` query parameters.

    WooCommerce accepts this over HTTPS for servers that strip the
    Authorization header. The URL then carries the secret, so nothing in
    passerelle logs request URLs.
    """

    def __init__(self, key: str, secret: str) -> None:
        self._key = key
        self._secret = secret

    def auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        request.url = request.url.copy_merge_params(
            {"consumer_key": self._key, "consumer_secret": self._secret}
        )
        yield request


class WooCommerceClient:
    """Thin client over ``/wp-json/wc/v3/`` with paging and batch chunking."""

    def __init__(
        self,
        url: str,
        consumer_key: str,
        consumer_secret: str,
        *,
        query_string_auth: bool = False,
        options: HttpOptions | None = None,
    ) -> None:
        options = options or HttpOptions()
        # Behind a site password the header is the web server's: the keys go in the query,
        # which WooCommerce reads first (connectors/site_access.py).
        auth: httpx.Auth = (
            QueryStringAuth(consumer_key, consumer_secret)
            if query_string_auth or options.site
            else httpx.BasicAuth(consumer_key, consumer_secret)
        )
        self.site_url = url.rstrip("/")
        self.http = RetryingClient(
            base_url=f"{self.site_url}/wp-json/wc/v3/",
            platform="WooCommerce",
            options=options,
            auth=auth,
        )

    @property
    def request_count(self) -> int:
        return self.http.request_count

    def close(self) -> None:
        self.http.close()

    def get(self, path: str, params: dict[str, Any] | None = None, what: Text = "") -> Any:
        return self.http.request("GET", path, params=params, what=what)[0]

    def post(self, path: str, body: Any, what: Text = "", *, idempotent: bool = False) -> Any:
        return self.http.request("POST", path, json_body=body, what=what, idempotent=idempotent)[0]

    def put(self, path: str, body: Any, what: Text = "") -> Any:
        return self.http.request("PUT", path, json_body=body, what=what)[0]

    def iter_all(
        self, path: str, params: dict[str, Any] | None = None, what: Text = ""
    ) -> Iterator[dict[str, Any]]:
        """Every record of a collection, page after page until ``X-WP-TotalPages`` says done.

        The page count is re-read from every answer, and a short page also
        ends the walk, so neither a stale total nor a missing header leaves
        records unread.
        """

        def fetch(paging: dict[str, Any]) -> Page[dict[str, Any]]:
            query = dict(params or {}, **paging)
            body, response = self.http.request("GET", path, params=query, what=what)
            if not isinstance(body, list):
                raise RecordError(
                    M_(
                        "%(platform)s answered %(request)s with a non-list body",
                        platform="WooCommerce",
                        request=what or path,
                    )
                )
            total_pages = response.headers.get("X-WP-TotalPages")
            if total_pages is not None and total_pages.isdigit():
                return Page(body, total_pages=int(total_pages))
            return Page(body)

        return _PAGING.items(fetch)

    def batch(
        self,
        path: str,
        *,
        create: Sequence[dict[str, Any]] = (),
        update: Sequence[dict[str, Any]] = (),
        delete: Sequence[int] = (),
        what: Text = "",
    ) -> dict[str, list[dict[str, Any]]]:
        """Send create/update/delete in as few batch requests as the limit allows.

        WooCommerce counts create + update + delete together against its limit
        of 100; answers are concatenated in request order per operation.
        """
        operations: list[tuple[str, Any]] = (
            [("create", item) for item in create]
            + [("update", item) for item in update]
            + [("delete", item) for item in delete]
        )
        result: dict[str, list[dict[str, Any]]] = {"create": [], "update": [], "delete": []}
        chunks = math.ceil(len(operations) / BATCH_LIMIT)
        for index in range(chunks):
            chunk = operations[index * BATCH_LIMIT : (index + 1) * BATCH_LIMIT]
            body: dict[str, list[Any]] = {}
            for op, item in chunk:
                body.setdefault(op, []).append(item)
            request = what or M_("batch %(path)s", path=path)
            answer = self.post(f"{path}/batch", body, what=request, idempotent="create" not in body)
            if not isinstance(answer, dict):
                raise RecordError(
                    M_(
                        "%(platform)s answered %(request)s with an unexpected body",
                        platform="WooCommerce",
                        request=request,
                    )
                )
            for op in ("create", "update", "delete"):
                sent = len(body.get(op, []))
                got = list(answer.get(op) or [])
                if len(got) != sent:
                    # ``op`` is the answer's own key (create, update, delete): kept as is.
                    raise RecordError(
                        M_(
                            "%(platform)s answered %(request)s with %(got)s %(op)s results "
                            "for %(sent)s sent",
                            platform="WooCommerce",
                            request=request,
                            got=len(got),
                            op=op,
                            sent=sent,
                        )
                    )
                result[op].extend(got)
        return result
