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

    def _wait(self, operation: dict[str, Any], what: str) -> dict[str, Any]:
        """Poll ``node(id:)`` with growing pauses until the operation is over."""
        delay, waited = self.first_wait, 0.0
        while operation["status"] in ("CREATED", "RUNNING", "CANCELING"):
            if waited > self.timeout:
                raise RetriableError(f"Shopify's bulk operation for {what} is still running")
            self.sleep(delay)
            waited += delay
            delay = min(delay * 2, self.max_wait)
            operation = self.client.run(
                POLL, {"id": operation["id"]}, cost=POLL_COST, what=f"the bulk operation for {what}"
            )["node"]
        if operation["status"] != "COMPLETED":
            raise RetriableError(
                f"Shopify's bulk operation for {what} ended "
                f"{operation['status']} ({operation.get('errorCode')})"
            )
        return operation

    def _lines(self, url: str | None, what: str) -> Iterator[dict[str, Any]]:
        if not url:  # nothing matched: the platform gives no file
            return
        self.transfers += 1
        try:
            response = self.files.get(url)
        except httpx.HTTPError as exc:
            raise RetriableError(f"the results of {what} could not be downloaded: {exc}") from exc
        if response.status_code != 200:
            raise RetriableError(f"the results of {what} answered {response.status_code}")
        for raw in response.text.splitlines():
            if raw.strip():
                yield json.loads(raw)

    def query(self, document: str, what: str) -> Iterator[dict[str, Any]]:
        """The JSONL lines of a bulk query (nested nodes carry ``__parentId``)."""
        payload = require(
            self.client.run(
                RUN_QUERY,
                {"query": document},
                cost=MUTATION_COST,
                what=f"the bulk query for {what}",
            )["bulkOperationRunQuery"],
            f"the bulk query for {what}",
        )
        operation = self._wait(payload["bulkOperation"], what)
        yield from self._lines(operation.get("url"), what)

    def mutation(
        self, document: str, variables: list[dict[str, Any]], what: str
    ) -> list[dict[str, Any]]:
        """Run ``document`` once per variables; each one's response, in order."""
        body = "".join(json.dumps(v, separators=(",", ":")) + "\n" for v in variables).encode()
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
                what=f"the upload for {what}",
            )["stagedUploadsCreate"],
            f"the upload for {what}",
        )
        target = staged["stagedTargets"][0]
        form = {p["name"]: p["value"] for p in target["parameters"]}
        self.transfers += 1
        try:
            response = self.files.post(
                target["url"], data=form, files={"file": ("bulk_op_vars.jsonl", body, "text/jsonl")}
            )
        except httpx.HTTPError as exc:
            raise RetriableError(f"the upload for {what} failed: {exc}") from exc
        if response.status_code >= 300:
            raise RetriableError(f"the upload for {what} answered {response.status_code}")
        payload = require(
            self.client.run(
                RUN_MUTATION,
                {"mutation": document, "path": form["key"]},
                cost=MUTATION_COST,
                what=f"the bulk write of {what}",
            )["bulkOperationRunMutation"],
            f"the bulk write of {what}",
        )
        operation = self._wait(payload["bulkOperation"], what)
        results: list[dict[str, Any]] = [{} for _ in variables]
        for line in self._lines(operation.get("url"), what):
            number = int(line.get("__lineNumber", -1))
            if not 0 <= number < len(results):
                raise FatalError(f"Shopify answered line {number} of {what}, not sent")
            results[number] = line
        return results
