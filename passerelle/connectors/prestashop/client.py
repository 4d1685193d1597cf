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
- PUT replaces the whole record (``update-resource.md``), so updates are a
  read (many records in one ``filter[id]=[a|b|…]`` list) then one PUT each;
- there is no batch endpoint: writes run ``concurrency`` at a time.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from typing import Any, TypeVar
from xml.sax.saxutils import escape

import httpx

from passerelle.connectors.errors import ConnectorError, RecordError
from passerelle.connectors.http import HttpOptions, RetryingClient, redact_in_logs

__all__ = ["PAGE", "PrestaShopClient", "XmlBody", "to_xml"]

PAGE = 500  # records per list request (no documented maximum; a page stays small)
ID_CHUNK = 50  # ids per filter[id]=[a|b|…] read (keeps the URL short)
redact_in_logs("ws_key")

T = TypeVar("T")
R = TypeVar("R")


class XmlBody(str):
    """A request body already in XML (sent as such, not JSON-encoded)."""


def _value(value: Any, language: int) -> str:
    if isinstance(value, list):  # [{"id": "1", "value": "…"}] as JSON reads give it
        return "".join(f'<language id="{escape(str(v["id"]))}"><![CDATA[{v["value"]}]]>'
                       "</language>" for v in value)
    if isinstance(value, bool):
        value = int(value)
    return f"<![CDATA[{'' if value is None else value}]]>"


def to_xml(node: str, record: dict[str, Any], *, lang_fields: Iterable[str] = (),
           language: int = 1) -> XmlBody:
    """``record`` as ``<prestashop><node>`` XML; plain strings in ``lang_fields`` go to
    ``language``; ``associations`` maps each association to its (entry node, entries)."""
    langs = set(lang_fields)
    parts = ['<?xml version="1.0" encoding="UTF-8"?>',
             '<prestashop xmlns:xlink="http://www.w3.org/1999/xlink">', f"<{node}>"]
    for name, value in record.items():
        if name == "associations":
            continue
        if name in langs and not isinstance(value, list):
            value = [{"id": str(language), "value": value}]
        parts.append(f"<{name}>{_value(value, language)}</{name}>")
    assoc = record.get("associations")
    if assoc:
        parts.append("<associations>")
        for group, (entry, rows) in assoc.items():
            parts.append(f"<{group}>" + "".join(
                f"<{entry}>" + "".join(f"<{k}>{_value(v, language)}</{k}>"
                                       for k, v in row.items()) + f"</{entry}>"
                for row in rows) + f"</{group}>")
        parts.append("</associations>")
    parts += [f"</{node}>", "</prestashop>"]
    return XmlBody("".join(parts))


def read_error(response: httpx.Response) -> tuple[str, str]:
    """(code, message) of ``<prestashop><errors><error>`` or ``{"errors": [...]}``."""
    try:
        body = response.json()
        errors = body.get("errors") if isinstance(body, dict) else None
        if errors:
            return str(errors[0].get("code", "")), "; ".join(
                str(e.get("message", "")) for e in errors)
    except ValueError:
        import re

        codes = re.findall(r"<code><!\[CDATA\[(.*?)\]\]></code>", response.text, re.S)
        messages = re.findall(r"<message><!\[CDATA\[(.*?)\]\]></message>", response.text, re.S)
        if messages:
            return (codes[0] if codes else ""), "; ".join(messages)
    return "", response.text[:200]


class _XmlAware:
    """The httpx client, sending an :class:`XmlBody` as ``text/xml`` content."""

    def __init__(self, client: httpx.Client) -> None:
        self._client = client

    def request(self, method: str, path: str, *, params: Any = None,
                json: Any = None) -> httpx.Response:  # noqa: A002 - httpx's name
        if isinstance(json, XmlBody):
            return self._client.request(method, path, params=params, content=json.encode(),
                                        headers={"Content-Type": "text/xml; charset=utf-8"})
        return self._client.request(method, path, params=params, json=json)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._client, name)


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
        self.http._http = _XmlAware(self.http._http)  # type: ignore[assignment]  # noqa: SLF001

    @property
    def request_count(self) -> int:
        return self.http.request_count

    def close(self) -> None:
        self.http.close()

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

    def iter_all(self, resource: str, params: dict[str, Any] | None = None, *,
                 what: str = "", page: int = PAGE) -> Iterator[dict[str, Any]]:
        """Every record, ``limit=offset,count`` page by page until a short page."""
        offset = 0
        while True:
            rows = self.list(resource, {**(params or {}), "limit": f"{offset},{page}"},
                             what=what)
            yield from rows
            if len(rows) < page:
                return
            offset += page

    def by_ids(self, resource: str, ids: Iterable[str], params: dict[str, Any] | None = None,
               *, what: str = "") -> dict[str, dict[str, Any]]:
        """Full records of these ids, ``ID_CHUNK`` ids a request."""
        wanted = sorted({str(i) for i in ids if i}, key=int)
        out: dict[str, dict[str, Any]] = {}
        for start in range(0, len(wanted), ID_CHUNK):
            chunk = wanted[start:start + ID_CHUNK]
            for row in self.list(resource, {**(params or {}),
                                            "filter[id]": "[" + "|".join(chunk) + "]"},
                                 what=what):
                out[str(row["id"])] = row
        return out

    def create(self, resource: str, body: XmlBody, what: str = "") -> dict[str, Any]:
        answer = self.http.request("POST", resource, params={"output_format": "JSON"},
                                   json_body=body, what=what)[0]
        return _single(answer, what)

    def put(self, resource: str, record_id: str, body: XmlBody, what: str = "") -> dict[str, Any]:
        answer = self.http.request("PUT", f"{resource}/{record_id}",
                                   params={"output_format": "JSON"}, json_body=body,
                                   what=what)[0]
        return _single(answer, what)

    def run(self, jobs: Sequence[T], job: Callable[[T], R]) -> list[R | ConnectorError]:
        """``job`` on each item, ``concurrency`` in flight; an error comes back as its value."""
        def safe(item: T) -> R | ConnectorError:
            try:
                return job(item)
            except ConnectorError as exc:
                if getattr(exc, "status", None) in (401, 403):
                    raise
                return exc
        if len(jobs) <= 1 or self.concurrency == 1:
            return [safe(j) for j in jobs]
        with ThreadPoolExecutor(max_workers=min(self.concurrency, len(jobs))) as pool:
            return list(pool.map(safe, jobs))


def _single(answer: Any, what: str) -> dict[str, Any]:
    if isinstance(answer, dict) and len(answer) == 1:
        value = next(iter(answer.values()))
        if isinstance(value, dict):
            return value
    raise RecordError(f"PrestaShop answered {what} with an unexpected body: "
                      f"{json.dumps(answer)[:120]}")
