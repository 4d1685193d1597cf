"""The PrestaShop Webservice wire client: key, XML bodies, JSON reads, pages, concurrency.

PrestaShop/docs: the key is the basic-auth user with no password
(``tutorials/testing-access.md``), ``ws_key=`` in the URL only when a site password
takes the header (``connectors/site_access.py``); POST and PUT
bodies are ``<prestashop><node>…</node></prestashop>`` XML, multilingual
fields as ``<language id="n">`` (the blank schemas); reads ask
``output_format=JSON`` (``cheat-sheet.md``), whose empty list is ``[]``;
lists page with ``limit=offset,count`` and read many records with
``filter[field]=[a|b|…]`` (``additional-list-parameters.md``). PUT replaces
the whole record (``update-resource.md``): :meth:`PrestaShopClient.update`
sends back a record as read with its changes. No batch endpoint exists.
Files go up as ``multipart/form-data`` (``image-management.md``: one file a
request), and the merchant's published files come down with a client of their own
(:meth:`PrestaShopClient.download`): they are on the merchant's web server, not the shop.
"""

from __future__ import annotations

import builtins
import json
import uuid
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from typing import Any, Protocol, TypeVar
from xml.sax.saxutils import escape

import httpx

from passerelle.connectors.base import WriteOutcome
from passerelle.connectors.errors import ConnectorError, RecordError
from passerelle.connectors.http import HttpOptions, RetryingClient, redact_in_logs
from passerelle.connectors.kit.paging import OffsetLimit, Page
from passerelle.connectors.paths import segment
from passerelle.connectors.site_access import QueryAuth
from passerelle.i18n.messages import M_, Message, Text, said
from passerelle.model import MediaRef

__all__ = ["PrestaShopClient", "to_xml"]

PAGE = 500  # full records per list request (no documented maximum; a page stays small)
LEAN_PAGE = 2000  # records per request when only a few fields are displayed
URL_BUDGET = 1500  # characters of one filter[...]=[a|b|…] value: URLs stay well under 8 KB
redact_in_logs("ws_key")


def _limit(offset: int, count: int) -> dict[str, Any]:
    """PrestaShop's page: both numbers in one parameter, ``limit=<offset>,<count>``."""
    return {"limit": f"{offset},{count}"}


# What a GET shows but a PUT refuses (``parameter "x" not writable``, code 93), and the
# order rows, which are not written back.
READ_ONLY = {
    "products": ("manufacturer_name", "quantity", "position_in_category"),
    "combinations": ("quantity",),
    "orders": ("current_state", "associations"),
    "categories": ("level_depth", "nb_products_recursive"),
    "customers": ("last_passwd_gen", "secure_key"),
}
# The singular node of a resource or an association's entries (``<categories><category>``)
# where it is not the plural without its "s", as the schemas give it.
NODES = {
    "categories": "category",
    "addresses": "address",
    "order_histories": "order_history",
    "product_bundle": "product",
    "accessories": "product",
}


class Keyed(Protocol):
    @property
    def key(self) -> str: ...  # read-only: the writes are frozen dataclasses


K = TypeVar("K", bound=Keyed)


def _node(plural: str) -> str:
    return NODES.get(plural, plural[:-1])


def _value(value: Any) -> str:
    if isinstance(value, list):  # [{"id": "1", "value": "…"}] as JSON reads give it
        return "".join(
            f'<language id="{escape(str(v["id"]))}"><![CDATA[{v["value"]}]]></language>'
            for v in value
        )
    if isinstance(value, bool):
        value = int(value)
    return f"<![CDATA[{'' if value is None else value}]]>"


def to_xml(root: str, record: Mapping[str, Any]) -> bytes:
    """``record`` as ``<prestashop><root>`` XML; ``associations`` maps each association
    to its entries."""
    parts = [
        '<?xml version="1.0" encoding="UTF-8"?><prestashop '
        'xmlns:xlink="http://www.w3.org/1999/xlink">',
        f"<{root}>",
    ]
    parts += [f"<{k}>{_value(v)}</{k}>" for k, v in record.items() if k != "associations"]
    if record.get("associations"):
        parts += [
            "<associations>",
            *(
                f"<{group}>"
                + "".join(
                    f"<{_node(group)}>"
                    + "".join(f"<{k}>{_value(v)}</{k}>" for k, v in row.items())
                    + f"</{_node(group)}>"
                    for row in rows
                )
                + f"</{group}>"
                for group, rows in record["associations"].items()
            ),
            "</associations>",
        ]
    return "".join([*parts, f"</{root}></prestashop>"]).encode()


def _filters(values: Iterable[str]) -> Iterator[str]:
    """``[a|b|…]`` filter values of at most :data:`URL_BUDGET` characters URL-encoded."""
    chunk: list[str] = []
    size = 0
    for value in values:
        if chunk and size + len(value) + 3 > URL_BUDGET:  # "|" is "%7C"
            yield "[" + "|".join(chunk) + "]"
            chunk, size = [], 0
        chunk.append(value)
        size += len(value) + 3
    if chunk:
        yield "[" + "|".join(chunk) + "]"


def records(resource: str) -> Message:
    """A request's description for a resource's records when its caller names none: the
    resource is the Webservice's own name (``stock_availables``), shown as it is."""
    return M_("the %(resource)s records", resource=resource)


def read_error(response: httpx.Response) -> tuple[str, str]:
    """(code, message) of ``{"errors": [...]}``, as a JSON request's errors come; else a
    web server's or proxy's page, cut short."""
    try:
        errors = response.json().get("errors")
        return str(errors[0].get("code", "")), "; ".join(str(e.get("message")) for e in errors)
    except (ValueError, AttributeError, TypeError, IndexError):
        return "", response.text[:200]


class PrestaShopClient:
    """Thin client over ``<shop>/api/``."""

    def __init__(
        self,
        url: str,
        api_key: str,
        *,
        options: HttpOptions | None = None,
        concurrency: int = 8,
        language: int = 1,
    ) -> None:
        self.site_url = url.rstrip("/")
        self.language = language
        self.options = options or HttpOptions()
        self._downloads: httpx.Client | None = None
        self.concurrency = max(1, concurrency)
        options = options or HttpOptions()
        # Behind a site password the header is the web server's: the key goes as ``ws_key``
        # (connectors/site_access.py says what the web server must then do).
        self.http = RetryingClient(
            base_url=f"{self.site_url}/api/",
            platform="PrestaShop",
            options=options,
            auth=QueryAuth(ws_key=api_key) if options.site else httpx.BasicAuth(api_key, ""),
            read_error=read_error,
        )

    def get(self, path: str, params: dict[str, Any] | None = None, what: Text = "") -> Any:
        query = {"output_format": "JSON", **(params or {})}
        return self.http.request("GET", path, params=query, what=what)[0]

    def list(
        self, resource: str, params: dict[str, Any] | None = None, *, what: Text = ""
    ) -> builtins.list[dict[str, Any]]:
        """One list request; ``[]`` when PrestaShop answers an empty list."""
        what = what or records(resource)
        body = self.get(resource, {"display": "full", **(params or {})}, what)
        if body in ([], None, ""):
            return []
        if not isinstance(body, dict) or not isinstance(body.get(resource), list):
            raise RecordError(
                M_("PrestaShop answered %(request)s with an unexpected body", request=what)
            )
        return list(body[resource])

    def pages(
        self, resource: str, params: dict[str, Any] | None = None, *, what: Text = "", page: int = 0
    ) -> Iterator[builtins.list[dict[str, Any]]]:
        """Page after page (``limit=offset,count``) until a short one."""
        page = page or (PAGE if (params or {}).get("display", "full") == "full" else LEAN_PAGE)

        def fetch(paging: dict[str, Any]) -> Page[dict[str, Any]]:
            return Page(
                self.list(resource, {**(params or {}), **paging}, what=what or records(resource))
            )

        for rows in OffsetLimit(page, _limit).pages(fetch):
            yield list(rows)

    def iter_all(
        self, resource: str, params: dict[str, Any] | None = None
    ) -> Iterator[dict[str, Any]]:
        for rows in self.pages(resource, params):
            yield from rows

    def where_in(
        self,
        resource: str,
        field: str,
        values: Iterable[str | None],
        params: dict[str, Any] | None = None,
        *,
        what: Text = "",
    ) -> builtins.list[dict[str, Any]]:
        """Records whose ``field`` is one of ``values``, as few requests as the URL allows."""
        return [
            row
            for chunk in _filters(sorted({str(v) for v in values if v}))
            for row in self.list(resource, {**(params or {}), f"filter[{field}]": chunk}, what=what)
        ]

    def by_ids(
        self,
        resource: str,
        ids: Iterable[str | None],
        params: dict[str, Any] | None = None,
        *,
        what: Text = "",
    ) -> dict[str, dict[str, Any]]:
        """Full records of these ids, by id."""
        return {str(r["id"]): r for r in self.where_in(resource, "id", ids, params, what=what)}

    def _languages(self, value: Any) -> dict[str, Any]:
        """A multilingual value by language id: a plain value is in :attr:`language`."""
        return (
            {str(k): v for k, v in value.items()}
            if isinstance(value, dict)
            else {str(self.language): value}
        )

    def create(
        self,
        resource: str,
        record: Mapping[str, Any],
        *,
        what: Text = "",
        lang_fields: Iterable[str] = (),
    ) -> dict[str, Any]:
        """POST ``record``; a value of ``lang_fields`` is plain (in :attr:`language`) or a
        dict of texts by language id."""
        return self._send(
            "POST",
            resource,
            {
                k: [{"id": i, "value": text} for i, text in self._languages(v).items()]
                if k in lang_fields
                else v
                for k, v in record.items()
            },
            what,
        )

    def update(
        self,
        resource: str,
        current: Mapping[str, Any],
        changes: Mapping[str, Any],
        *,
        what: Text = "",
    ) -> dict[str, Any]:
        """PUT ``current`` (a record as read) back whole, its read-only fields left out,
        with ``changes``: a multilingual field in :attr:`language` (or the languages of a
        dict by language id) only, the ``associations`` given only."""
        record = {k: v for k, v in current.items() if k not in READ_ONLY.get(resource, ())}
        for name, value in changes.items():
            old = record.get(name)
            if name == "associations":
                record[name] = {**(old or {}), **value}
            elif isinstance(old, list):  # [{"id", "value"}]: the other languages kept
                texts = self._languages(value)
                record[name] = [
                    *(v for v in old if str(v["id"]) not in texts),
                    *({"id": i, "value": t} for i, t in texts.items()),
                ]
            else:
                record[name] = value
        return self._send("PUT", f"{resource}/{segment(record['id'])}", record, what)

    def delete(self, resource: str, record_id: str, *, what: Text = "") -> None:
        self.http.request(
            "DELETE",
            f"{resource}/{segment(record_id)}",
            params={"output_format": "JSON"},
            what=what,
        )

    def upload(
        self,
        path: str,
        part: tuple[str, str, str, bytes],
        form: Mapping[str, str] | None = None,
        *,
        what: Text = "",
    ) -> dict[str, Any]:
        """POST one file, ``part`` = (field, file name, type, bytes), with ``form``'s
        fields, as ``multipart/form-data``; the record the shop answers (its JSON node)."""
        boundary = uuid.uuid4().hex
        field, filename, mime, data = part
        chunks = [
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n'
            f"{value}\r\n".encode()
            for name, value in (form or {}).items()
        ]
        quoted = filename.replace('"', "")
        chunks.append(
            f'--{boundary}\r\nContent-Disposition: form-data; name="{field}"; '
            f'filename="{quoted}"\r\nContent-Type: {mime}\r\n\r\n'.encode()
            + data
            + f"\r\n--{boundary}--\r\n".encode()
        )
        answer = self.http.request(
            "POST",
            path,
            params={"output_format": "JSON"},
            content=b"".join(chunks),
            content_type=f"multipart/form-data; boundary={boundary}",
            what=what,
        )[0]
        return self._single(answer, what or f"POST {path}")

    def download(self, ref: MediaRef) -> bytes:
        """The bytes of a published file, from the merchant's address of it; a failure
        is the record's error, naming the file and where it was looked for."""
        if self._downloads is None:
            self._downloads = httpx.Client(
                timeout=self.options.timeout,
                proxy=self.options.proxy,
                follow_redirects=True,
                headers={"User-Agent": self.options.user_agent},
            )
        try:
            response = self._downloads.get(ref.url)
            response.raise_for_status()
        except httpx.HTTPError as exc:
            raise RecordError(
                M_(
                    "the file %(name)s could not be downloaded from %(url)s (%(error)s): "
                    "check that the published files are served at the profile's public_url",
                    name=ref.name,
                    url=ref.url,
                    error=str(exc) or type(exc).__name__,
                )
            ) from exc
        return response.content

    def close(self) -> None:
        self.http.close()
        if self._downloads is not None:
            self._downloads.close()

    def _send(
        self, method: str, path: str, record: Mapping[str, Any], what: Text
    ) -> dict[str, Any]:
        answer = self.http.request(
            method,
            path,
            params={"output_format": "JSON"},
            content=to_xml(_node(path.split("/")[0]), record),
            content_type="text/xml; charset=utf-8",
            what=what,
        )[0]
        return self._single(answer, what or f"{method} {path}")

    @staticmethod
    def _single(answer: Any, request: Text) -> dict[str, Any]:
        """The one record of a write's answer (``{"product": {…}}``)."""
        if (
            isinstance(answer, dict)
            and len(answer) == 1
            and isinstance(value := next(iter(answer.values())), dict)
        ):
            return value
        raise RecordError(
            M_(
                "PrestaShop answered %(request)s with an unexpected body: %(body)s",
                request=request,
                body=json.dumps(answer)[:120],
            )
        )

    def run(
        self, writes: Sequence[K], job: Callable[[K], WriteOutcome]
    ) -> builtins.list[WriteOutcome]:
        """``job`` on each write, ``concurrency`` in flight; a record's error is its outcome.
        Authentication errors stop everything: every other write would fail the same way."""

        def safe(w: K) -> WriteOutcome:
            try:
                return job(w)
            except ConnectorError as exc:
                if getattr(exc, "status", None) in (401, 403):
                    raise
                return WriteOutcome(w.key, error=said(exc))

        if len(writes) <= 1 or self.concurrency == 1:
            return [safe(w) for w in writes]
        with ThreadPoolExecutor(max_workers=min(self.concurrency, len(writes))) as pool:
            return list(pool.map(safe, writes))
