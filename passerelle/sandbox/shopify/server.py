"""The Shopify Admin GraphQL API on loopback (HTTPS), from shopify.dev's reference.

One endpoint, ``POST /admin/api/<version>/graphql.json``, authenticated by the
``X-Shopify-Access-Token`` header (https://shopify.dev/docs/api/admin-graphql#authentication;
a wrong token answers 401 ``{"errors": "[API] Invalid API key or access token
(unrecognized login or wrong password)"}``). Each document is parsed and
validated against :mod:`.schema` by graphql-core (errors as GraphQL errors,
HTTP 200), costed (:mod:`.cost`) and executed against the state. The HTTP
and TLS plumbing is the sandbox kit's (``passerelle/sandbox/kit``).
"""

from __future__ import annotations

import json
import logging
import threading
from pathlib import Path
from typing import Any

from graphql import (
    FieldNode,
    GraphQLError,
    OperationDefinitionNode,
    execute_sync,
    parse,
    validate,
)

from passerelle.sandbox import kit
from passerelle.sandbox.platforms import DEFAULT_PLAN, chosen_plan

from .bulk import REQUEST_VERSION, RESULTS_PATH, STAGED_UPLOAD_PATH, BulkOperations
from .cost import MAX_QUERY_COST, PLANS, Bucket, actual_cost, plan_bucket, requested_cost
from .media import CDN_PATH
from .resolvers import Resolvers
from .schema import API_VERSION, schema
from .seed import seed_state

__all__ = ["ShopifySandbox"]

log = logging.getLogger("passerelle.sandbox.shopify")

_INVALID_TOKEN = "[API] Invalid API key or access token (unrecognized login or wrong password)"
_SUPPORTED = {"2025-04", "2025-07", "2025-10", "2026-01"}


def _json(body: Any) -> bytes:
    return json.dumps(body, separators=(",", ":")).encode()


class ShopifySandbox(kit.LoopbackSandbox):
    """A local Shopify shop (see the package docstring); state in one JSON file."""

    kind = "shopify"
    wire = kit.Wire(logger=log.name, server_header="Apache", methods=kit.EVERY_METHOD)

    def __init__(
        self,
        state_file: Path | None = None,
        *,
        access_token: str = "shpat_demo",
        host: str = "127.0.0.1",
        port: int = 0,
        latency: float = 0.0,
        faults: kit.Faults | None = None,
        cert_dir: Path | None = None,
        plan: str | None = DEFAULT_PLAN,
        restore_rate: float | None = None,
        maximum: float | None = None,
        seed: bool = True,
    ) -> None:
        super().__init__(state_file, host, port, latency, faults, cert_dir)
        self.state_file = state_file
        self.access_token = access_token
        # The store's plan sets the bucket (cost.PLANS); explicit numbers win over it.
        # None: $PASSERELLE_SANDBOX_PLAN, else Standard (what ``start_sandbox`` passes).
        # Not kept in the state file: a restarted shop is on the plan it is started on.
        self.plan = chosen_plan(self.kind, plan, PLANS)
        plan_maximum, plan_rate = plan_bucket(self.plan)
        self.bucket = Bucket(
            plan_maximum if maximum is None else maximum,
            plan_rate if restore_rate is None else restore_rate,
        )
        self.schema = schema()
        self.lock = threading.RLock()
        if state_file is not None and state_file.exists():
            self.state: dict[str, Any] = json.loads(state_file.read_text())
        else:
            self.state = seed_state() if seed else seed_state() | {"orders": {}, "customers": {}}
        self.resolvers = Resolvers(self.state, self._save, lambda: self.url)
        self.bulk = BulkOperations(
            self.state, self.schema, self.resolvers.root, lambda: self.url, self.resolvers.next_id
        )
        self.resolvers.bulk = self.bulk
        self.operations: list[tuple[str, str]] = []  # (query|mutation, root fields) executed
        self.costs: list[tuple[int, int | None]] = []  # (requested, actual) per request
        self._dirty = False

    # -- introspection ------------------------------------------------------------------
    def _on_reset(self) -> None:
        with self.lock:
            self.costs.clear()
            self.operations.clear()

    @property
    def downloads(self) -> list[tuple[str, str]]:
        """(url, sha256) of each image the shop downloaded for a product's media."""
        return self.resolvers.media.downloads

    @property
    def endpoint(self) -> str:
        return f"{self.url}/admin/api/{API_VERSION}/graphql.json"

    def _save(self) -> None:
        self._dirty = True

    def flush(self) -> None:
        if self.state_file is not None and self._dirty:
            tmp = self.state_file.with_suffix(".tmp")
            tmp.write_text(json.dumps(self.state))
            tmp.replace(self.state_file)
            self._dirty = False

    @property
    def taxes_included(self) -> bool:
        """Settings › Taxes and duties › "Include sales tax in product price and shipping
        rate" (help.shopify.com/en/manual/taxes/include-exclude-taxes), read by the API as
        ``Shop.taxesIncluded``. Off by default, as Shopify ships a store ("By default,
        Shopify displays product prices without including sales tax", help.shopify.com/
        manual/taxes/tax-collection-impact-on-pricing); no Admin API mutation sets it."""
        return bool(self.state["shop"].get("taxesIncluded", False))

    @taxes_included.setter
    def taxes_included(self, on: bool) -> None:
        with self.lock:
            self.state["shop"]["taxesIncluded"] = on
            self._save()
            self.flush()

    def seed_products(self, count: int, prefix: str = "BULK-") -> list[tuple[str, str]]:
        """``count`` simple products (benchmarks, tests): (SKU, connector shop id) each."""
        out = []
        with self.lock:
            for n in range(count):
                sku = f"{prefix}{n:05d}"
                data = self.resolvers.productSet(
                    input={
                        "title": f"Product {sku}",
                        "productOptions": [
                            {"name": "Title", "values": [{"name": "Default Title"}]}
                        ],
                        "variants": [
                            {
                                "price": "9.90",
                                "optionValues": [{"optionName": "Title", "name": "Default Title"}],
                                "inventoryItem": {"sku": sku, "tracked": True},
                            }
                        ],
                    }
                )
                record = self.state["products"][data["product"]["id"].rsplit("/", 1)[1]]
                variant = self.state["variants"][str(record["variants"][0])]
                out.append((sku, f"{record['id']}/{variant['id']}/{variant['inventory_item_id']}"))
            self.flush()
        return out

    def _on_stop(self) -> None:
        with self.lock:
            self.flush()

    # -- one request --------------------------------------------------------------------
    def handle(self, method: str, target: str, headers: dict[str, str], body: bytes) -> kit.Answer:
        path = target.split("?", 1)[0]
        self.receive(method, path)
        json_headers = {"Content-Type": "application/json; charset=utf-8"}
        if path.startswith(RESULTS_PATH) and method == "GET":
            with self.lock:
                data = self.bulk.results.get(path[len(RESULTS_PATH) :])
            if data is None:
                return (
                    404,
                    {"Content-Type": "application/xml"},
                    b"<Error><Code>NoSuchKey</Code></Error>",
                    None,
                )
            return 200, {"Content-Type": "application/jsonl"}, data, None
        if path.startswith(CDN_PATH) and method in ("GET", "HEAD"):
            with self.lock:
                served = self.resolvers.media.serve(path)
            if served is None:
                return 404, {"Content-Type": "text/plain"}, b"Not Found", None
            return 200, {"Content-Type": served[1]}, served[0], None
        if path == STAGED_UPLOAD_PATH and method == "POST":
            with self.lock:
                status, receipt = self.bulk.uploads.receive(headers.get("content-type", ""), body)
            return status, {"Content-Type": "application/xml"}, receipt, None
        parts = path.strip("/").split("/")
        if (
            len(parts) != 4
            or parts[:2] != ["admin", "api"]
            or parts[3] != "graphql.json"
            or parts[2] not in _SUPPORTED
        ):
            return 404, json_headers, _json({"errors": "Not Found"}), None
        if headers.get("x-shopify-access-token") != self.access_token:
            return 401, json_headers, _json({"errors": _INVALID_TOKEN}), None
        if method != "POST":
            return 405, json_headers, _json({"errors": "Method Not Allowed"}), None
        fault = self._faults.draw()
        if fault == "429":
            return (
                429,
                {**json_headers, "Retry-After": "2.0"},
                _json(
                    {
                        "errors": "Exceeded 2 calls per second for api client. "
                        "Reduce request rates to resume uninterrupted service."
                    }
                ),
                None,
            )
        if fault == "500":
            return 500, json_headers, _json({"errors": "Internal Server Error"}), None
        if fault == "timeout":
            return self.timed_out()
        try:
            request = json.loads(body or b"{}")
            if not isinstance(request, dict) or not isinstance(request.get("query"), str):
                raise ValueError
        except ValueError:
            return (
                400,
                json_headers,
                _json({"errors": {"query": "Required parameter missing or invalid"}}),
                None,
            )
        version = REQUEST_VERSION.set(parts[2])  # what the URL asked: bulk limits vary
        try:
            answer = self.execute(
                request["query"], request.get("variables") or {}, request.get("operationName")
            )
        finally:
            REQUEST_VERSION.reset(version)
        payload = _json(answer)
        if fault == "malformed":
            return kit.cut_short(200, json_headers, payload)
        return 200, json_headers, payload, None

    def admin(self, query: str, variables: dict[str, Any] | None = None) -> dict[str, Any]:
        """What the merchant (Shopify admin) or a buyer (checkout) does: the same schema and
        resolvers as the API, outside the app's cost bucket and request log. The data;
        ValueError with the GraphQL errors when the document is refused."""
        document = parse(query)
        errors = validate(self.schema, document)
        if errors:
            raise ValueError("; ".join(e.message for e in errors))
        with self.lock:
            self.resolvers.media.request += 1
            result = execute_sync(
                self.schema,
                document,
                root_value=self.resolvers.root(),
                variable_values=variables or {},
            )
            self.flush()
        if result.errors:
            raise ValueError("; ".join(e.message for e in result.errors))
        return dict(result.data or {})

    def execute(
        self, query: str, variables: dict[str, Any], operation_name: str | None = None
    ) -> dict[str, Any]:
        """Parse, validate, cost and run one document; the JSON answer."""
        try:
            document = parse(query)
        except GraphQLError as exc:
            return {"errors": [dict(exc.formatted, extensions={"code": "syntaxError"})]}
        errors = validate(self.schema, document)
        if errors:
            return {"errors": [e.formatted for e in errors]}
        operations = [d for d in document.definitions if isinstance(d, OperationDefinitionNode)]
        operation = next(
            (
                o
                for o in operations
                if operation_name is None or (o.name and o.name.value == operation_name)
            ),
            None,
        )
        if operation is None:
            return {"errors": [{"message": "An operation name is required"}]}
        try:
            requested = requested_cost(self.schema, document, operation, variables)
        except GraphQLError as exc:
            return {"errors": [exc.formatted]}
        if requested > MAX_QUERY_COST:
            return {
                "errors": [
                    {
                        "message": f"Query cost is {requested}, which exceeds the single query "
                        f"max cost limit ({MAX_QUERY_COST}).\n\nSee https://shopify.dev/concepts/"
                        "about-apis/rate-limits for more information on how the\ncost of a "
                        "query is calculated.\n\nTo query larger amounts of data with fewer "
                        "limits, bulk operations should be used instead.\nSee https://"
                        "shopify.dev/tutorials/perform-bulk-operations-with-admin-api for "
                        "usage details.\n",
                        "extensions": {
                            "code": "MAX_COST_EXCEEDED",
                            "cost": requested,
                            "maxCost": MAX_QUERY_COST,
                        },
                    }
                ]
            }
        if not self.bucket.take(requested):
            with self.lock:
                self.costs.append((requested, None))
            return {
                "errors": [
                    {
                        "message": "Throttled",
                        "extensions": {
                            "code": "THROTTLED",
                            "documentation": "https://shopify.dev/api/usage/limits",
                        },
                    }
                ],
                "extensions": {
                    "cost": {
                        "requestedQueryCost": requested,
                        "actualQueryCost": None,
                        "throttleStatus": self.bucket.status(),
                    }
                },
            }
        with self.lock:
            self.resolvers.media.request += 1
            result = execute_sync(
                self.schema,
                document,
                root_value=self.resolvers.root(),
                variable_values=variables,
                operation_name=operation_name,
            )
            actual = (
                actual_cost(self.schema, document, operation, variables, result.data)
                if result.data is not None
                else 0
            )
            self.costs.append((requested, actual))
            self.operations.append(
                (
                    operation.operation.value,
                    ",".join(
                        f.name.value
                        for f in operation.selection_set.selections
                        if isinstance(f, FieldNode)
                    ),
                )
            )
            self.flush()
        self.bucket.refund(requested - actual)
        answer: dict[str, Any] = {}
        if result.errors:
            answer["errors"] = [e.formatted for e in result.errors]
        if result.data is not None or not result.errors:
            answer["data"] = result.data  # refused before execution (variables): no data
        answer["extensions"] = {
            "cost": {
                "requestedQueryCost": requested,
                "actualQueryCost": actual,
                "throttleStatus": self.bucket.status(),
            }
        }
        return answer
