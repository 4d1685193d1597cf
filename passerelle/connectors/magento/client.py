"""The Magento 2 REST wire client: bearer token, ``searchCriteria`` pages, async bulk.

Docs (AdobeDocs/commerce-webapi): ``get-started/authentication/gs-authentication-token``
(an integration's access token as ``Authorization: Bearer``);
``use-rest/performing-searches`` (``searchCriteria[pageSize]``,
``[currentPage]``; a page past the end answers the last page again, so the
walk stops on ``total_count``, never on an empty page); ``use-rest/bulk-endpoints``
(``/rest/<store>/async/bulk/V1/...`` answers ``bulk_uuid``; status at
``/V1/bulk/{uuid}/detailed-status``); errors are ``{message, parameters}``
with ``%1``/``%name`` placeholders, and ``errors`` (each ``{message, parameters}``)
when Magento gathered several.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Generator, Iterator
from typing import Any

import httpx

from passerelle.connectors.errors import RecordError, RetriableError
from passerelle.connectors.http import HttpOptions, RetryingClient
from passerelle.connectors.kit.paging import Page, SearchCriteria
from passerelle.connectors.paths import segment
from passerelle.connectors.site_access import token_needs_the_header
from passerelle.i18n.messages import M_, Text

__all__ = ["PAGE_SIZE", "MagentoClient", "fill_placeholders"]

PAGE_SIZE = 300  # the documented maximum pageSize (2.4.3+ input limits)
BULK_DONE = {1, 3, 5}  # complete, failed, rejected; 2 (retriably failed) and 4 (open) wait


def fill_placeholders(message: str, parameters: Any) -> str:
    """``"No such entity with %fieldName = %fieldValue"`` with its parameters put in.

    The OpenAPI ``error-parameters`` is a list of objects (``[{"fieldName": ...}]``);
    the prose pages also show a bare object or a list of positional values: all read.
    """
    if isinstance(parameters, list) and parameters and all(isinstance(p, dict) for p in parameters):
        parameters = {k: v for p in parameters for k, v in p.items()}
    pairs = (
        parameters.items()
        if isinstance(parameters, dict)
        else enumerate(parameters or [], 1)
        if isinstance(parameters, list)
        else []
    )
    for name, value in pairs:
        message = message.replace(f"%{name}", str(value))
    return message


def _read_error(response: httpx.Response) -> tuple[str, str]:
    try:
        body = response.json()
    except ValueError:
        return "", response.text[:200]
    if isinstance(body, dict):
        message = fill_placeholders(str(body.get("message", "")), body.get("parameters"))
        # An InputException that gathered several errors says only "One or more input
        # exceptions have occurred." and lists them in ``errors`` (``error-errors``).
        details = [
            fill_placeholders(str(e.get("message", "")), e.get("parameters"))
            for e in body.get("errors") or []
            if isinstance(e, dict)
        ]
        return "", f"{message} {' '.join(details)}" if details else message
    return "", str(body)[:200]


class _Bearer(httpx.Auth):
    def __init__(self, token: str) -> None:
        self._token = token

    def auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        request.headers["Authorization"] = f"Bearer {self._token}"
        yield request


class MagentoClient:
    def __init__(
        self,
        url: str,
        token: str,
        *,
        store_code: str = "default",
        options: HttpOptions | None = None,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.site_url = url.rstrip("/")
        self.store_code = store_code
        # The store view's code from the profile, one segment of every path ("" is the
        # default store view: ``/rest/V1/...``).
        self._store = f"{segment(store_code)}/" if store_code else ""
        self.sleep = sleep
        options = options or HttpOptions()
        if options.site:
            raise token_needs_the_header(self.site_url)
        self.http = RetryingClient(
            base_url=f"{self.site_url}/rest/",
            platform="Magento",
            options=options,
            auth=_Bearer(token),
            read_error=_read_error,
        )

    @property
    def request_count(self) -> int:
        return self.http.request_count

    def close(self) -> None:
        self.http.close()

    def call(
        self,
        method: str,
        path: str,
        body: Any = None,
        *,
        params: dict[str, Any] | None = None,
        what: Text = "",
        idempotent: bool | None = None,
    ) -> Any:
        return self.http.request(
            method,
            f"{self._store}V1/{path}",
            params=params,
            json_body=body,
            what=what,
            idempotent=idempotent,
        )[0]

    def search(
        self,
        path: str,
        filters: list[list[tuple[str, str, str]]] | None = None,
        *,
        sort: tuple[str, str] | None = None,
        what: Text = "",
    ) -> Iterator[dict[str, Any]]:
        """Every item of a ``searchCriteria`` search, page after page, until ``total_count``.

        ``filters``: AND of groups, each an OR of (field, value, condition).
        """
        base: dict[str, Any] = {}
        for g, group in enumerate(filters or []):
            for f, (field, value, condition) in enumerate(group):
                prefix = f"searchCriteria[filterGroups][{g}][filters][{f}]"
                base[f"{prefix}[field]"] = field
                base[f"{prefix}[value]"] = value
                base[f"{prefix}[conditionType]"] = condition
        if sort:
            base["searchCriteria[sortOrders][0][field]"] = sort[0]
            base["searchCriteria[sortOrders][0][direction]"] = sort[1]

        def fetch(paging: dict[str, Any]) -> Page[dict[str, Any]]:
            answer = self.call("GET", path, params=dict(base, **paging), what=what or path)
            if not isinstance(answer, dict) or not isinstance(answer.get("items"), list):
                raise RecordError(
                    M_(
                        "Magento answered %(request)s without an items list",
                        request=what or path,
                    )
                )
            return Page(answer["items"], total_count=int(answer.get("total_count") or 0))

        return SearchCriteria(PAGE_SIZE).items(fetch)

    def bulk(
        self,
        path: str,
        bodies: list[dict[str, Any]],
        *,
        what: Text = "",
        poll_every: float = 0.2,
        timeout: float = 600.0,
    ) -> list[dict[str, Any]]:
        """Send ``bodies`` to ``/async/bulk/V1/<path>`` and wait until every operation ended.

        Answers the operations (``status``, ``result_message``) in request order.
        """
        accepted = self.http.request(
            "POST",
            f"{self._store}async/bulk/V1/{path}",
            json_body=bodies,
            what=what,
            idempotent=False,
        )[0]
        bulk_uuid = accepted.get("bulk_uuid") if isinstance(accepted, dict) else None
        if not bulk_uuid:
            raise RecordError(
                M_("Magento did not accept the bulk request (%(request)s)", request=what)
            )
        deadline = time.monotonic() + timeout
        while True:
            status = self.call(
                "GET",
                f"bulk/{segment(bulk_uuid)}/detailed-status",
                what=M_("the status of bulk operation %(uuid)s", uuid=bulk_uuid),
            )
            operations = sorted(status.get("operations_list") or [], key=lambda o: o["id"])
            if operations and all(o.get("status") in BULK_DONE for o in operations):
                return operations
            if time.monotonic() > deadline:
                raise RetriableError(
                    M_(
                        "Magento bulk operation %(uuid)s still open after %(seconds)s s",
                        uuid=bulk_uuid,
                        seconds=f"{timeout:g}",
                    )
                )
            self.sleep(poll_every)
