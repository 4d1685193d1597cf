"""Bulk operations: large reads and writes outside the cost bucket.

A bulk query or mutation costs one mutation (10 points) and its polls one point
each, whatever the size (https://shopify.dev/docs/api/usage/bulk-operations/queries,
.../imports): a 10,000-variant read by pages would cost 40 × 752 points (five
minutes of a Standard bucket). Results are JSONL at the operation's ``url``;
mutation variables go up first through ``stagedUploadsCreate`` as a multipart
POST. Downloads and uploads go to the platform's file storage, not the shop: a
plain client without the access token.
"""

from __future__ import annotations

import json
import ssl
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx

from passerelle.connectors.errors import FatalError, RetriableError
from passerelle.connectors.http import HttpOptions
from passerelle.connectors.shopify.client import ShopifyClient, require
from passerelle.i18n.messages import M_, Text

__all__ = ["BulkRunner"]

_OPERATION = "bulkOperation { id status errorCode url }"
RUN_QUERY = f"""mutation RunQuery($query: String!) {{ bulkOperationRunQuery(query: $query) {{
  {_OPERATION} userErrors {{ field message code }} }} }}"""
RUN_MUTATION = f"""mutation RunMutation($mutation: String!, $path: String!) {{
  bulkOperationRunMutation(mutation: $mutation, stagedUploadPath: $path) {{
  {_OPERATION} userErrors {{ field message code }} }} }}"""
STAGED = """mutation Stage($input: [StagedUploadInput!]!) { stagedUploadsCreate(input: $input) {
  stagedTargets { url parameters { name value } } userErrors { field message } } }"""
POLL = """query Poll($id: ID!) { node(id: $id) { ... on BulkOperation {
  id status errorCode url partialDataUrl objectCount } } }"""
POLL_COST = 1
MUTATION_COST = 10


class BulkRunner:
    """Runs bulk operations through ``client``; counts its file transfers."""

    def __init__(
        self,
        client: ShopifyClient,
        options: HttpOptions,
        *,
        sleep: Callable[[float], None] = time.sleep,
        first_wait: float = 0.05,
        max_wait: float = 5.0,
        timeout: float = 3600.0,
    ) -> None:
        self.client = client
        self.sleep, self.first_wait, self.max_wait, self.timeout = (
            sleep,
            first_wait,
            max_wait,
            timeout,
        )
        verify: bool | ssl.SSLContext = (
            ssl.create_default_context(cafile=str(options.verify))
            if isinstance(options.verify, Path)
            else options.verify
        )
        self.files = httpx.Client(
            timeout=options.timeout,
            verify=verify,
            proxy=options.proxy,
            headers={"User-Agent": options.user_agent},
        )
        self.transfers = 0  # uploads and downloads (requests, not to the GraphQL endpoint)

    def close(self) -> None:
        self.files.close()

    def _wait(self, operation: dict[str, Any], what: Text) -> dict[str, Any]:
        """Poll ``node(id:)`` with growing pauses until the operation is over."""
        delay, waited = self.first_wait, 0.0
        while operation["status"] in ("CREATED", "RUNNING", "CANCELING"):
            if waited > self.timeout:
                raise RetriableError(
                    M_("Shopify's bulk operation for %(request)s is still running", request=what)
                )
            self.sleep(delay)
            waited += delay
            delay = min(delay * 2, self.max_wait)
            operation = self.client.run(
                POLL,
                {"id": operation["id"]},
                cost=POLL_COST,
                what=M_("the bulk operation for %(request)s", request=what),
            )["node"]
        if operation["status"] != "COMPLETED":
            raise RetriableError(
                M_(
                    "Shopify's bulk operation for %(request)s ended %(status)s (%(code)s)",
                    request=what,
                    status=operation["status"],
                    code=operation.get("errorCode"),
                )
            )
        return operation

    def _lines(self, url: str | None, what: Text) -> Iterator[dict[str, Any]]:
        if not url:  # nothing matched: the platform gives no file
            return
        self.transfers += 1
        try:
            response = self.files.get(url)
        except httpx.HTTPError as exc:
            raise RetriableError(
                M_(
                    "the results of %(request)s could not be downloaded: %(error)s",
                    request=what,
                    error=str(exc),
                )
            ) from exc
        if response.status_code != 200:
            raise RetriableError(
                M_(
                    "the results of %(request)s answered %(status)s",
                    request=what,
                    status=response.status_code,
                )
            )
        for raw in response.text.splitlines():
            if raw.strip():
                yield json.loads(raw)

    def query(self, document: str, what: Text) -> Iterator[dict[str, Any]]:
        """The JSONL lines of a bulk query (nested nodes carry ``__parentId``)."""
        request = M_("the bulk query for %(request)s", request=what)
        payload = require(
            self.client.run(RUN_QUERY, {"query": document}, cost=MUTATION_COST, what=request)[
                "bulkOperationRunQuery"
            ],
            request,
        )
        operation = self._wait(payload["bulkOperation"], what)
        yield from self._lines(operation.get("url"), what)

    def mutation(
        self, document: str, variables: list[dict[str, Any]], what: Text
    ) -> list[dict[str, Any]]:
        """Run ``document`` once per variables; each one's response, in order."""
        body = "".join(json.dumps(v, separators=(",", ":")) + "\n" for v in variables).encode()
        upload = M_("the upload for %(request)s", request=what)
        staged = require(
            self.client.run(
                STAGED,
                {
                    "input": [
                        {
                            "resource": "BULK_MUTATION_VARIABLES",
                            "filename": "bulk_op_vars.jsonl",
                            "mimeType": "text/jsonl",
                            "httpMethod": "POST",
                        }
                    ]
                },
                cost=MUTATION_COST,
                what=upload,
            )["stagedUploadsCreate"],
            upload,
        )
        target = staged["stagedTargets"][0]
        form = {p["name"]: p["value"] for p in target["parameters"]}
        self.transfers += 1
        try:
            response = self.files.post(
                target["url"], data=form, files={"file": ("bulk_op_vars.jsonl", body, "text/jsonl")}
            )
        except httpx.HTTPError as exc:
            raise RetriableError(
                M_("%(request)s failed: %(error)s", request=upload, error=str(exc))
            ) from exc
        if response.status_code >= 300:
            raise RetriableError(
                M_("%(request)s answered %(status)s", request=upload, status=response.status_code)
            )
        write = M_("the bulk write of %(request)s", request=what)
        payload = require(
            self.client.run(
                RUN_MUTATION,
                {"mutation": document, "path": form["key"]},
                cost=MUTATION_COST,
                what=write,
            )["bulkOperationRunMutation"],
            write,
        )
        operation = self._wait(payload["bulkOperation"], what)
        results: list[dict[str, Any]] = [{} for _ in variables]
        for line in self._lines(operation.get("url"), what):
            number = int(line.get("__lineNumber", -1))
            if not 0 <= number < len(results):
                raise FatalError(
                    M_(
                        "Shopify answered line %(number)s of %(request)s, which was not sent",
                        number=number,
                        request=what,
                    )
                )
            results[number] = line
        return results
