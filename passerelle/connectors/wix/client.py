"""The Wix REST wire client: API key, site id, error bodies, query and search pages.

Only the protocol lives here. What the docs say and this client does:

- every request carries the API key in ``Authorization`` and the site in
  ``wix-site-id`` (site-level calls; never ``wix-account-id`` beside it)
  (dev.wix.com/docs/go-headless/develop-your-project/admin-operations/make-rest-api-calls-with-an-api-key);
- errors are ``{message, details: {applicationError: {code, description, data}}}`` or
  ``{message, details: {validationError: {fieldViolations: [{field, description,
  violatedRule}]}}}``; system errors come empty by design; 409 a conflict or a stale
  ``revision``, 428 a failed precondition, 429 too many requests, 5xx worth retrying
  (dev.wix.com/docs/rest/articles/getting-started/errors, and
  dev.wix.com/docs/api-reference/articles/work-with-wix-apis/troubleshooting/about-errors);
- Query and Search endpoints page with ``cursorPaging: {limit, cursor}`` and answer
  ``pagingMetadata`` (queries) or ``metadata`` (searches) with ``cursors.next`` and
  ``hasNext``; the first request holds the filter and sort, the next ones only the
  cursor, which carries them (Wix API Query Language, "Sorting and Paging");
- Stores Catalog V1 queries page with ``paging: {limit, offset}`` (at most 100) and
  take ``filter`` and ``sort`` as JSON *strings*
  (dev.wix.com/docs/rest/business-solutions/stores/catalog/query-products,
  dev.wix.com/api/rest/wix-stores/pagination).

Rate limiting is Wix's 429, retried by the shared client with its ``Retry-After``.
"""

from __future__ import annotations

import json
from collections.abc import Generator, Iterator, Sequence
from typing import Any, TypeVar

import httpx

from passerelle.connectors.errors import FatalError
from passerelle.connectors.http import HttpOptions, RetryingClient
from passerelle.connectors.kit.paging import Cursors, OffsetLimit, Page
from passerelle.i18n.messages import M_, Text

__all__ = ["WIX_API", "WixClient", "chunks", "read_error"]

WIX_API = "https://www.wixapis.com"
_CURSORS = Cursors(cursor_param="cursor")
V1_PAGE = 100  # Stores Catalog V1 queries: "up to 100"
T = TypeVar("T")


def chunks(items: Sequence[T], size: int) -> Iterator[Sequence[T]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


class ApiKeyAuth(httpx.Auth):
    """The API key in ``Authorization`` (no scheme) and the site in ``wix-site-id``."""

    def __init__(self, api_key: str, site_id: str) -> None:
        self._key = api_key
        self._site = site_id

    def auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        request.headers["Authorization"] = self._key
        request.headers["wix-site-id"] = self._site
        yield request


def read_error(response: httpx.Response) -> tuple[str, str]:
    """(code, message) of a Wix error body: the application error's code and
    description, or each field violation (which field, which rule), so the merchant
    reads which value to change."""
    try:
        body = response.json()
    except ValueError:
        return "", response.text[:200]
    if not isinstance(body, dict):
        return "", str(body)[:200]
    message = str(body.get("message") or "")
    found = body.get("details")
    details: dict[str, Any] = found if isinstance(found, dict) else {}
    application = details.get("applicationError")
    if isinstance(application, dict):
        said = str(application.get("description") or message)
        return str(application.get("code") or ""), said
    validation = details.get("validationError")
    if isinstance(validation, dict):
        violations = [
            f"{v.get('field', '')}: {v.get('description') or v.get('violatedRule') or ''}"
            for v in validation.get("fieldViolations") or []
            if isinstance(v, dict)
        ]
        if violations:
            listed = "; ".join(violations)
            return "", f"{message} ({listed})" if message else listed
    return "", message


def _no_site_password(url: str) -> FatalError:
    """Wix takes its API key in the ``Authorization`` header ("Make API Calls with an API
    Key"), the header a web-server password needs too; and Wix's API is Wix's own
    server, never behind the merchant's web server: a site password has no place here."""
    return FatalError(
        M_(
            "Wix at %(url)s: Wix takes its API key in the Authorization header and its API "
            "is not behind your web server. Remove http_auth_user and http_auth_password "
            "from [shop.http].",
            url=url,
        ),
        code="site_password",
    )


class WixClient:
    """Thin client over ``https://www.wixapis.com/`` for one site."""

    def __init__(
        self,
        site_id: str,
        api_key: str,
        *,
        api_url: str = WIX_API,
        options: HttpOptions | None = None,
        transport: httpx.BaseTransport | None = None,
    ) -> None:
        self.site_id = site_id
        self.api_url = api_url.rstrip("/")
        if options is not None and options.site:
            raise _no_site_password(self.site_url)
        self.http = RetryingClient(
            base_url=self.api_url + "/",
            platform="Wix",
            options=options or HttpOptions(),
            auth=ApiKeyAuth(api_key, site_id),
            read_error=read_error,
            transport=transport,
        )

    @property
    def site_url(self) -> str:
        """The API address and the site, ``<api>/sites/<site id>`` (a name, not a route)."""
        return f"{self.api_url}/sites/{self.site_id}"

    def get(self, path: str, what: Text = "") -> Any:
        return self.http.request("GET", path, what=what)[0]

    def post(self, path: str, body: Any, what: Text = "", *, creates: bool = False) -> Any:
        """A POST; ``creates`` (a create) is never blindly sent again when its answer is
        lost. Wix's queries, searches and bulk updates are POSTs that create nothing."""
        return self.http.request("POST", path, json_body=body, what=what, idempotent=not creates)[0]

    def patch(self, path: str, body: Any, what: Text = "") -> Any:
        # PATCH of absolute values (a quantity, a name): sending it twice gives the same.
        return self.http.request("PATCH", path, json_body=body, what=what, idempotent=True)[0]

    def iter_cursor(self, *args: Any, **kwargs: Any) -> Iterator[dict[str, Any]]:
        """Every record of :meth:`cursor_pages`, one after the other."""
        for rows in self.cursor_pages(*args, **kwargs):
            yield from rows

    def cursor_pages(
        self,
        path: str,
        key: str,
        query: dict[str, Any] | None = None,
        *,
        wrapper: str = "query",
        limit: int = 100,
        extra: dict[str, Any] | None = None,
        what: Text = "",
    ) -> Iterator[Sequence[dict[str, Any]]]:
        """The pages of a cursor-paged Query (``wrapper="query"``) or Search
        (``wrapper="search"``): ``key`` names the list in the answer."""

        def fetch(paging: dict[str, Any]) -> Page[dict[str, Any]]:
            cursor = paging["cursor"]
            inner: dict[str, Any] = {"cursorPaging": {"limit": limit}}
            if cursor:
                inner["cursorPaging"]["cursor"] = cursor
            else:
                inner.update(query or {})
            body = self.post(path, {wrapper: inner, **(extra or {})}, what=what) or {}
            meta = body.get("pagingMetadata") or body.get("metadata") or {}
            rows = body.get(key) or []
            return Page(
                rows,
                has_next=bool(meta.get("hasNext")),
                next_cursor=(meta.get("cursors") or {}).get("next"),
            )

        return _CURSORS.pages(fetch)

    def iter_offset(
        self,
        path: str,
        key: str,
        *,
        filter_: dict[str, Any] | None = None,
        sort: list[dict[str, str]] | None = None,
        extra: dict[str, Any] | None = None,
        size: int = V1_PAGE,
        as_strings: bool = True,
        what: Text = "",
    ) -> Iterator[dict[str, Any]]:
        """Every record of an offset-paged query, until a short page: Stores Catalog V1
        (``as_strings``: filter and sort as JSON strings, 100 a page) or Contacts."""

        def fetch(paging: dict[str, Any]) -> Page[dict[str, Any]]:
            query: dict[str, Any] = {"paging": paging}
            if filter_:
                query["filter"] = json.dumps(filter_) if as_strings else filter_
            if sort:
                query["sort"] = json.dumps(sort) if as_strings else sort
            body = self.post(path, {"query": query, **(extra or {})}, what=what) or {}
            return Page(body.get(key) or [])

        return OffsetLimit(size).items(fetch)
