"""The HTTPS server and the :class:`WixSandbox` facade the demo and the tests use.

The sandbox's root stands for ``https://www.wixapis.com``. Authentication ("Make API Calls
with an API Key", dev.wix.com/docs/go-headless/coding/rest-api/admin/): the API key in
``Authorization`` and, for site-level calls, the site's id in ``wix-site-id``
("either the wix-account-id header or the wix-site-id header, but not both"); errors as
"About Errors" shapes them (401 unauthenticated, 403 permission denied). A site runs one
catalog ("Each site supports either Catalog V1 or Catalog V3, but not both"); the other
catalog's endpoints answer 428 ("Never use /stores/v3/ endpoints on a CATALOG_V1 site —
they return 428 Precondition Required", Query Products (Catalog V1) recipe; the converse
is [verify]). Rate limits: Wix publishes none for REST calls with an API key (only Velo
backend quotas per minute) [verify]; the kit's ``rate_limit`` switch answers 429
``RESOURCE_EXHAUSTED`` past it, with ``Retry-After``.
"""

from __future__ import annotations

import json
import logging
import re
import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from passerelle.sandbox import kit
from passerelle.sandbox.webhook_sender import WebhookSender

from .contacts import Contacts
from .groups import CategoriesV3, CollectionsV1
from .inventory_v3 import InventoryV3
from .orders import Orders
from .products_v1 import ProductsV1
from .products_v3 import ProductsV3
from .seed import seed_site
from .state import CATALOGS, State
from .transactions import Transactions
from .webhooks import WixWebhooks
from .wire import WixError

__all__ = ["Exchange", "WixSandbox"]

log = logging.getLogger("passerelle.sandbox.wix")
Handler = Callable[..., dict[str, Any]]
_ID = "(?P<id>[0-9a-f-]{36})"


@dataclass(frozen=True)
class Exchange:
    """One request and its answer as the wire carried them (for checks against the docs)."""

    method: str
    path: str
    request_body: Any
    status: int
    response_body: Any


class WixSandbox(kit.LoopbackSandbox):
    kind = "wix"
    wire = kit.Wire(logger=log.name, methods=("GET", "POST", "PATCH", "PUT", "DELETE"))

    def __init__(
        self,
        state_file: Path | None = None,
        *,
        api_key: str = "wix_demo_api_key",
        site_id: str = "5f0c1d2e-3a4b-4c5d-8e9f-0a1b2c3d4e5f",
        catalog: str = "v3",
        host: str = "127.0.0.1",
        port: int = 0,
        seed: bool = True,
        latency: float = 0.0,
        faults: kit.Faults | None = None,
        cert_dir: Path | None = None,
        rate_limit: float | None = None,
    ) -> None:
        if catalog not in CATALOGS:
            raise ValueError(f"wix sandbox: catalog is 'v1' or 'v3', not {catalog!r}")
        super().__init__(state_file, host, port, latency, faults, cert_dir, rate_limit)
        self.api_key = api_key
        self.site_id = site_id
        self.state = State(state_file, catalog)
        key = self.state.data.get("webhook_key")
        self.webhooks = WixWebhooks(site_id, key.encode() if key else None)
        self.state.data["webhook_key"] = self.webhooks.key_pem.decode()
        self.sender = WebhookSender()
        self.inventory_v3 = InventoryV3(self.state)
        self.products_v3 = ProductsV3(self.state, self.inventory_v3)
        self.products_v1 = ProductsV1(self.state)
        self.contacts = Contacts(self.state)
        self.categories = CategoriesV3(self.state)
        self.collections = CollectionsV1(self.state)
        self.transactions = Transactions(self.state)
        self.orders = Orders(self.state, self._lower, self._notify, self.transactions)
        self._lock = threading.Lock()
        self.exchanges: list[Exchange] = []
        self.routes = self._routes()
        if seed and not self.state.loaded_from_file:
            seed_site(self.state, self.contacts)
        self.state.dirty()

    @property
    def catalog(self) -> str:
        return self.state.catalog

    @property
    def data(self) -> dict[str, Any]:
        return self.state.data

    def _routes(self) -> list[tuple[str, re.Pattern[str], str | None, Handler]]:
        p3, i3, p1 = self.products_v3, self.inventory_v3, self.products_v1
        o, c, g, k = self.orders, self.contacts, self.categories, self.collections
        table: list[tuple[str, str, str | None, Handler]] = [
            ("GET", "/stores/v3/provision/version", None, self._version),
            ("POST", "/stores/v3/products", "v3", p3.create),
            ("POST", "/stores/v3/products-with-inventory", "v3", p3.create),
            ("POST", "/stores/v3/products/query", "v3", p3.query),
            ("POST", "/stores/v3/products/search", "v3", p3.search),
            ("GET", f"/stores/v3/products/{_ID}", "v3", p3.get),
            ("PATCH", f"/stores/v3/products/{_ID}", "v3", p3.update),
            ("DELETE", f"/stores/v3/products/{_ID}", "v3", p3.delete),
            ("POST", "/stores/v3/bulk/products/create", "v3", p3.bulk_create),
            ("POST", "/stores/v3/bulk/products-with-inventory/create", "v3", p3.bulk_create),
            ("POST", "/stores/v3/bulk/products/update", "v3", p3.bulk_update),
            ("POST", "/stores/v3/inventory-items", "v3", i3.create),
            ("POST", "/stores/v3/inventory-items/query", "v3", i3.query),
            ("POST", "/stores/v3/bulk/inventory-items/update", "v3", i3.bulk_update),
            (
                "POST",
                "/stores/v3/bulk/inventory-items/decrement-by-variant-and-location",
                "v3",
                i3.bulk_decrement,
            ),
            (
                "POST",
                "/stores/v3/bulk/inventory-items/increment-by-variant-and-location",
                "v3",
                i3.bulk_increment,
            ),
            ("POST", "/categories/v1/categories", "v3", g.create),
            ("POST", "/categories/v1/categories/query", "v3", g.query),
            ("POST", f"/categories/v1/bulk/categories/{_ID}/add-items", "v3", g.add_items),
            ("POST", "/stores/v1/collections", "v1", k.create),
            ("PATCH", f"/stores/v1/collections/{_ID}", "v1", k.update),
            ("POST", f"/stores/v1/collections/{_ID}/productIds", "v1", k.add_products),
            ("POST", "/stores(?:-reader)?/v1/collections/query", "v1", k.query),
            ("POST", "/stores/v1/products", "v1", p1.create),
            ("POST", "/stores/v1/products/query", "v1", p1.query),
            ("POST", "/stores-reader/v1/products/query", "v1", p1.query),
            ("GET", f"/stores(?:-reader)?/v1/products/{_ID}", "v1", p1.get),
            ("PATCH", f"/stores/v1/products/{_ID}", "v1", p1.update),
            ("DELETE", f"/stores/v1/products/{_ID}", "v1", p1.delete),
            ("PATCH", f"/stores/v1/products/{_ID}/variants", "v1", p1.update_variants),
            (
                "POST",
                f"/stores(?:-reader)?/v1/products/{_ID}/variants/query",
                "v1",
                p1.query_variants,
            ),
            ("PATCH", f"/stores/v2/inventoryItems/product/{_ID}", "v1", p1.update_inventory),
            ("POST", "/stores/v2/inventoryItems/increment", "v1", p1.increment),
            ("POST", "/stores/v2/inventoryItems/decrement", "v1", p1.decrement),
            ("POST", "/stores/v2/inventoryItems/query", "v1", p1.query_inventory),
            ("POST", "/ecom/v1/orders/search", None, o.search),
            ("GET", f"/ecom/v1/orders/{_ID}", None, o.get),
            ("PATCH", f"/ecom/v1/orders/{_ID}", None, o.update),
            ("POST", f"/ecom/v1/orders/{_ID}/cancel", None, o.cancel),
            ("POST", f"/ecom/v1/orders/{_ID}/activities/add", None, o.add_activities),
            ("POST", "/ecom/v1/bulk/orders/mark-as-paid", None, o.mark_as_paid),
            (
                "POST",
                f"/ecom/v1/fulfillments/orders/{_ID}/create-fulfillment",
                None,
                o.create_fulfillment,
            ),
            ("GET", f"/ecom/v1/fulfillments/orders/{_ID}", None, o.list_fulfillments),
            ("POST", "/ecom/v1/payments/list-by-ids", None, self.transactions.list_by_ids),
            ("GET", f"/ecom/v1/payments/orders/{_ID}", None, self.transactions.list_for_order),
            ("POST", "/contacts/v4/contacts", None, c.create),
            ("POST", "/contacts/v4/contacts/query", None, c.query),
            ("GET", f"/contacts/v4/contacts/{_ID}", None, c.get),
            ("PATCH", f"/contacts/v4/contacts/{_ID}", None, c.update),
            ("POST", f"/contacts/v4/contacts/{_ID}/labels", None, c.label),
            ("POST", "/contacts/v4/labels", None, c.find_or_create_label),
            ("POST", "/contacts/v4/extended-fields", None, c.find_or_create_field),
        ]
        return [(m, re.compile(f"^{p}/?$"), v, h) for m, p, v, h in table]

    def _version(self, body: Any) -> dict[str, Any]:
        return {"catalogVersion": CATALOGS[self.catalog]}

    # -- what the shop does around the API ------------------------------------------------
    def _lower(self, item_id: str, variant_id: str, quantity: int) -> None:
        if self.catalog == "v3":
            self.inventory_v3.lower(variant_id or self._only_variant(item_id), quantity)
        else:
            self.products_v1.lower(item_id, variant_id, quantity)

    def _only_variant(self, product_id: str) -> str:
        product = self.state.data["products"].get(product_id)
        return product["variantsInfo"]["variants"][0]["id"] if product else ""

    def _notify(self, event: str, order: dict[str, Any]) -> None:
        for delivery in self.webhooks.deliveries(event, order, self.state.new_id("event")):
            self.sender.submit(delivery)

    def _on_stop(self) -> None:
        self.sender.close()
        self.state.flush()

    # -- per request ----------------------------------------------------------------------
    def dispatch(self, method: str, path: str, body: Any) -> dict[str, Any]:
        allowed = False
        for verb, pattern, catalog, handler in self.routes:
            found = pattern.match(path)
            if not found:
                continue
            if verb != method:
                allowed = True
                continue
            if catalog is not None and catalog != self.catalog:
                raise WixError(
                    428,
                    "FAILED_PRECONDITION: the site does not run this catalog",
                    "CATALOG_VERSION_MISMATCH",
                    f"the site runs {CATALOGS[self.catalog]}",
                )
            args = [v for v in found.groups() if v is not None]
            return handler(body if body is not None else {}, *args)
        if allowed:
            raise WixError(405, "method not allowed", "METHOD_NOT_ALLOWED")
        raise WixError(404, "Not Found", "NOT_FOUND", f"no endpoint at {path}")

    def call(self, method: str, path: str, body: Any = None) -> dict[str, Any]:
        """What the site's own storefront or dashboard does: the API's handlers, so the same
        rules apply, without a request of an API client. WixError when the site refuses."""
        with self.state.lock:
            answer = self.dispatch(method, path, body)
            self.state.dirty()
        self.state.flush()
        return answer

    def _refusal(self, headers: dict[str, str]) -> WixError | None:
        if headers.get("authorization") != self.api_key:
            return WixError(
                401,
                "UNAUTHENTICATED: missing or invalid Authorization header",
                "UNAUTHENTICATED",
                "the API key is missing or not valid",
            )
        if headers.get("wix-account-id") and headers.get("wix-site-id"):
            return WixError(
                400, "send either wix-account-id or wix-site-id, not both", "INVALID_ARGUMENT"
            )
        if headers.get("wix-site-id") != self.site_id:
            return WixError(
                403,
                "PERMISSION_DENIED: the API key has no access to this site",
                "PERMISSION_DENIED",
                "wix-site-id is missing or not a site of the key",
            )
        return None

    def handle(self, method: str, target: str, headers: dict[str, str], raw: bytes) -> kit.Answer:
        _, path = self.arrive(method, target)
        try:
            body = json.loads(raw) if raw.strip() else None
        except ValueError:
            body = raw.decode("utf-8", "replace")
        retry, fault = self.admit()
        if retry is not None:
            error = WixError(429, "RESOURCE_EXHAUSTED: too many requests", "RESOURCE_EXHAUSTED")
            return self._answer(method, path, body, 429, error.body(), {"Retry-After": str(retry)})
        if fault == "timeout":
            return self.timed_out()
        if fault == "500":
            return self._answer(method, path, body, 500, {}, {})  # "sent empty by design"
        try:
            refusal = self._refusal(headers)
            if refusal is not None:
                raise refusal
            if isinstance(body, str) or (body is not None and not isinstance(body, dict)):
                raise WixError(400, "the request body is not a JSON object", "INVALID_ARGUMENT")
            with self.state.lock:
                result = self.dispatch(method, path, body)
                self.state.dirty()
            status = 200
        except WixError as error:
            status, result = error.status, error.body()
        except Exception:  # noqa: BLE001 - a sandbox bug still answers like the platform
            log.exception("sandbox handler failed for %s %s", method, path)
            status, result = 500, {}
        self.state.flush()
        answer = self._answer(method, path, body, status, result, {})
        if fault == "malformed" and status == 200:
            return kit.cut_short(answer[0], answer[1], answer[2])
        return answer

    def _answer(
        self, method: str, path: str, body: Any, status: int, result: Any, headers: dict[str, str]
    ) -> kit.Answer:
        with self._lock:
            self.exchanges.append(Exchange(method, path, body, status, result))
        payload = json.dumps(result, ensure_ascii=False).encode("utf-8")
        return status, {"Content-Type": "application/json", **headers}, payload, None
