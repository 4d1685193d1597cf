"""The PrestaShop Webservice wire client: key, XML bodies, JSON reads, pages, concurrency.

What PrestaShop/docs says and this client does:

- the key is the HTTP basic-auth user with an empty password
  (``webservice/tutorials/testing-access.md``); never ``ws_key=`` in the URL;
- bodies of POST and PUT are XML: ``<prestashop><node>…</node></prestashop>``,
  multilingual fields as ``<language id="n">`` (resource pages' blank schemas);
- reads ask ``output_format=JSON`` (``cheat-sheet.md``), whose empty list
  is ``[]`` rather than an object;
- lists page with ``limit=offset,count`` (``additional-list-parameters.md``)
  until a short page, and ask ``display=full`` or ``display=[fields]``;
  ``filter[field]=[a|b|…]`` reads many records in one request;
- PUT replaces the whole record (``update-resource.md``), so updates are a
  read (many records in one filtered list) then one PUT each;
- there is no batch endpoint: writes run ``concurrency`` at a time.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from typing import Any, Protocol, TypeVar
from xml.sax.saxutils import escape

import httpx

from passerelle.connectors.base import WriteOutcome
from passerelle.connectors.errors import ConnectorError, RecordError
from passerelle.connectors.http import HttpOptions, RetryingClient, redact_in_logs

__all__ = ["PAGE", "PrestaShopClient", "filter_values", "to_xml", "writable"]

PAGE = 500  # full records per list request (no documented maximum; a page stays small)
LEAN_PAGE = 2000  # records per request when only a few fields are displayed
URL_BUDGET = 1500  # characters of one filter[...]=[a|b|…] value: URLs stay well under 8 KB
redact_in_logs("ws_key")

# Fields a GET shows but a PUT refuses (``parameter "x" not writable``, code 93).
READ_ONLY = {"products": ("manufacturer_name", "quantity", "position_in_category"),
             "combinations": ("quantity",), "orders": ("current_state",),
             "categories": ("level_depth", "nb_products_recursive"),
             "customers": ("last_passwd_gen", "secure_key")}
# The entry node of each association (``<categories><category>``), as the schemas give it.
ASSOC_NODES = {"categories": "category", "combinations": "combination", "images": "image",
               "product_option_values": "product_option_value", "tags": "tag",
               "stock_availables": "stock_available", "product_bundle": "product",
               "accessories": "product", "product_features": "product_feature",
               "attachments": "attachment", "products": "product", "groups": "group"}

T = TypeVar("T")


class Keyed(Protocol):
    key: str


K = TypeVar("K", bound=Keyed)


def _value(value: Any) -> str:
    if isinstance(value, list):  # [{"id": "1", "value": "…"}] as JSON reads give it
        return "".join(f'<language id="{escape(str(v["id"]))}"><![CDATA[{v["value"]}]]>'
                       "</language>" for v in value)
    if isinstance(value, bool):
        value = int(value)
    return f"<![CDATA[{'' if value is None else value}]]>"


def to_xml(node: str, record: dict[str, Any], *, lang_fields: Iterable[str] = (),
           language: int = 1) -> bytes:
    """``record`` as ``<prestashop><node>`` XML; plain strings in ``lang_fields`` go to
    ``language``; ``associations`` maps each association to its entries."""
    langs = set(lang_fields)
    parts = ['<?xml version="1.0" encoding="UTF-8"?>',
             '<prestashop xmlns:xlink="http://www.w3.org/1999/xlink">', f"<{node}>"]
    for name, value in record.items():
        if name != "associations":
            if name in langs and not isinstance(value, list):
                value = [{"id": str(language), "value": value}]
            parts.append(f"<{name}>{_value(value)}</{name}>")
    if record.get("associations"):
        parts.append("<associations>")
        for group, rows in record["associations"].items():
            entry = ASSOC_NODES.get(group, group.rstrip("s"))
            parts.append(f"<{group}>" + "".join(
                f"<{entry}>" + "".join(f"<{k}>{_value(v)}</{k}>" for k, v in row.items())
                + f"</{entry}>" for row in rows) + f"</{group}>")
        parts.append("</associations>")
    parts += [f"</{node}>", "</prestashop>"]
    return "".join(parts).encode()


def writable(resource: str, record: dict[str, Any]) -> dict[str, Any]:
    """A record as read, ready to PUT back whole: the read-only fields left out."""
    out = {k: v for k, v in record.items() if k not in READ_ONLY.get(resource, ())}
    out["associations"] = dict(record.get("associations") or {})
    return out


def filter_values(values: Iterable[str], budget: int = URL_BUDGET) -> Iterator[str]:
    """``[a|b|…]`` filter values of at most ``budget`` characters (once URL-encoded)."""
    chunk: list[str] = []
    size = 0
    for value in values:
        cost = len(value) + 3  # "|" is "%7C"
        if chunk and size + cost > budget:
            yield "[" + "|".join(chunk) + "]"
            chunk, size = [], 0
        chunk.append(value)
        size += cost
    if chunk:
        yield "[" + "|".join(chunk) + "]"


def read_error(response: httpx.Response) -> tuple[str, str]:
    """(code, message) of ``{"errors": [...]}`` or ``<prestashop><errors><error>``."""
    try:
        body = response.json()
        errors = body.get("errors") if isinstance(body, dict) else None
        if errors:
            return str(errors[0].get("code", "")), "; ".join(
                str(e.get("message", "")) for e in errors)
    except ValueError:
        codes = re.findall(r"<code><!\[CDATA\[(.*?)\]\]></code>", response.text, re.S)
        messages = re.findall(r"<message><!\[CDATA\[(.*?)\]\]></message>", response.text, re.S)
        if messages:
            return (codes[0] if codes else ""), "; ".join(messages)
    return "", response.text[:200]


class PrestaShopClient:
    """Thin client over ``<shop>/api/``."""

    def __init__(self, url: str, api_key: str, *, options: HttpOptions | None = None,
                 concurrency: int = 8, language: int = 1) -> None:
        self.site_url = url.rstrip("/")
        self.language = language
        self.concurrency = max(1, concurrency)
        self.http = RetryingClient(base_url=f"{self.site_url}/api/", platform="PrestaShop",
                                   options=options or HttpOptions(),
                                   auth=httpx.BasicAuth(api_key, ""), read_error=read_error)

    def get(self, path: str, params: dict[str, Any] | None = None, what: str = "") -> Any:
        query = {"output_format": "JSON", **(params or {})}
        return self.http.request("GET", path, params=query, what=what)[0]

    def list(self, resource: str, params: dict[str, Any] | None = None, *,
             what: str = "") -> list[dict[str, Any]]:
        """One list request; ``[]`` when PrestaShop answers an empty list."""
        body = self.get(resource, {"display": "full", **(params or {})}, what or resource)
        if body in ([], None, ""):
            return []
        if not isinstance(body, dict) or not isinstance(body.get(resource), list):
            raise RecordError(f"PrestaShop answered {what or resource} with an unexpected body")
        return list(body[resource])

    def pages(self, resource: str, params: dict[str, Any] | None = None, *,
              what: str = "", page: int = 0) -> Iterator[list[dict[str, Any]]]:
        """Page after page (``limit=offset,count``) until a short one."""
        page = page or (PAGE if (params or {}).get("display", "full") == "full" else LEAN_PAGE)
        offset = 0
        while True:
            rows = self.list(resource, {**(params or {}), "limit": f"{offset},{page}"},
                             what=what)
            yield rows
            if len(rows) < page:
                return
            offset += page

    def iter_all(self, resource: str, params: dict[str, Any] | None = None, *,
                 what: str = "") -> Iterator[dict[str, Any]]:
        for rows in self.pages(resource, params, what=what):
            yield from rows

    def where_in(self, resource: str, field: str, values: Iterable[str],
                 params: dict[str, Any] | None = None, *,
                 what: str = "") -> list[dict[str, Any]]:
        """Records whose ``field`` is one of ``values``, as few requests as the URL allows."""
        wanted = sorted({str(v) for v in values if v})
        return [row for chunk in filter_values(wanted) for row in self.list(
            resource, {**(params or {}), f"filter[{field}]": chunk}, what=what)]

    def by_ids(self, resource: str, ids: Iterable[str | None],
               params: dict[str, Any] | None = None, *,
               what: str = "") -> dict[str, dict[str, Any]]:
        """Full records of these ids, by id."""
        return {str(r["id"]): r for r in self.where_in(resource, "id", (i for i in ids if i),
                                                       params, what=what)}

    def create(self, resource: str, node: str, record: dict[str, Any], *, what: str = "",
               lang_fields: Iterable[str] = ()) -> dict[str, Any]:
        return self._send("POST", resource, node, record, what, lang_fields)

    def put(self, resource: str, node: str, record: dict[str, Any], *, what: str = "",
            lang_fields: Iterable[str] = ()) -> dict[str, Any]:
        return self._send("PUT", f"{resource}/{record['id']}", node, record, what, lang_fields)

    def _send(self, method: str, path: str, node: str, record: dict[str, Any], what: str,
              lang_fields: Iterable[str]) -> dict[str, Any]:
        body = to_xml(node, record, lang_fields=lang_fields, language=self.language)
        answer = self.http.request(method, path, params={"output_format": "JSON"},
                                   content=body, content_type="text/xml; charset=utf-8",
                                   what=what)[0]
        if isinstance(answer, dict) and len(answer) == 1:
            value = next(iter(answer.values()))
            if isinstance(value, dict):
                return value
        raise RecordError(f"PrestaShop answered {what} with an unexpected body: "
                          f"{json.dumps(answer)[:120]}")

    def run(self, writes: Sequence[K], job: Callable[[K], WriteOutcome]) -> list[WriteOutcome]:
        """``job`` on each write, ``concurrency`` in flight; a record's error is its outcome.

        Authentication errors stop everything: every other write would fail the same way.
        """
        def safe(w: K) -> WriteOutcome:
            try:
                return job(w)
            except ConnectorError as exc:
                if getattr(exc, "status", None) in (401, 403):
                    raise
                return WriteOutcome(w.key, error=str(exc))
        if len(writes) <= 1 or self.concurrency == 1:
            return [safe(w) for w in writes]
        with ThreadPoolExecutor(max_workers=min(self.concurrency, len(writes))) as pool:
            return list(pool.map(safe, writes))
