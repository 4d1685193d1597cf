"""The HTTPS server and the :class:`BigCommerceSandbox` facade the demo and the tests use.

One store under ``/stores/<store_hash>/`` with the v3 catalog, inventory and
customers APIs and the v2 orders and customer groups APIs. Every request needs the app's
``X-Auth-Token`` (401 otherwise); every answer carries the store's
``X-Rate-Limit-*`` headers and past the quota the store answers 429 until
the window resets (docs: ``docs/start/best-practices/api-rate-limits.mdx``); the
quota is the store's plan's (``wire.PLANS``), none on the Unlimited Rate Plan.
Every exchange is recorded (method, path, query, bodies, status) so tests
can check each one against the official OpenAPI files.
"""

from __future__ import annotations

import json
import logging
import re
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs

from passerelle.sandbox import kit
from passerelle.sandbox.platforms import DEFAULT_PLAN, chosen_plan

from .addresses import Addresses
from .brands import Brands
from .catalog import Catalog
from .categories import Categories
from .custom_fields import CustomFields
from .customers import Customers
from .deletions import Deletions
from .images import ProductImages
from .inventory import Inventory
from .multipart import form_fields
from .orders import Orders
from .price_lists import PriceLists
from .references import References
from .seed import seed_store
from .state import State
from .stock import InventorySettings, StockRules
from .wire import PLANS, ApiError, QuotaWindow, Request, Response, error_media_type

__all__ = ["BigCommerceSandbox", "Exchange"]

log = logging.getLogger("passerelle.sandbox.bigcommerce")
Handler = Callable[..., Response]
_FIELDS = "/v3/catalog/products/(?P<product_id>\\d+)/custom-fields"
_IMAGES = "/v3/catalog/products/(?P<product_id>\\d+)/images"
_VARIANT_IMAGE = "/v3/catalog/products/(?P<product_id>\\d+)/variants/(?P<variant_id>\\d+)/image"
_RECORDS = "/v3/pricelists/(?P<price_list_id>\\d+)/records"
# The routes that take a ``multipart/form-data`` body (an uploaded image file).
_MULTIPART = re.compile(re.sub(r"\?P<\w+>", "", f"^({_IMAGES}|{_VARIANT_IMAGE})/?$"))


@dataclass(frozen=True)
class Exchange:
    """One request and its answer, as the wire carried them (for OpenAPI checks)."""

    method: str
    path: str  # below /stores/<hash>, e.g. /v3/catalog/products
    query: dict[str, list[str]]
    request_body: Any
    status: int
    response_body: Any
    content_type: str
    headers: dict[str, str] = field(default_factory=dict)  # the X-Rate-Limit-* ones


class BigCommerceSandbox(kit.LoopbackSandbox):
    kind = "bigcommerce"
    wire = kit.Wire(logger=log.name)

    def __init__(
        self,
        state_file: Path | None = None,
        *,
        store_hash: str = "sandbox",
        token: str = "bc_demo_token",
        host: str = "127.0.0.1",
        port: int = 0,
        seed: bool = True,
        latency: float = 0.0,
        plan: str | None = DEFAULT_PLAN,
        quota: int | None = None,
        window_ms: int = 30_000,
        faults: kit.Faults | None = None,
        cert_dir: Path | None = None,
        read_only_token: str | None = None,
    ) -> None:
        self.store_hash = store_hash
        self.token = token
        # An API account whose scopes are all "read-only" (docs "API accounts", OAuth
        # scopes): it reads, and any write answers 403.
        self.read_only_token = read_only_token
        super().__init__(state_file, host, port, latency, faults, cert_dir)
        # The store's plan sets the quota (wire.PLANS); an explicit ``quota`` wins over it.
        # None: $PASSERELLE_SANDBOX_PLAN, else Standard (what ``start_sandbox`` passes).
        # Not kept in the state file: a restarted store is on the plan it is started on.
        self.plan = chosen_plan(self.kind, plan, PLANS)
        self.quota = QuotaWindow(PLANS[self.plan] if quota is None else quota, window_ms)
        self.state = State(state_file)
        self.catalog = Catalog(self.state)
        self.brands = Brands(self.state)
        self.custom_fields = CustomFields(self.state)
        self.categories = Categories(self.state)
        self.inventory = Inventory(self.state)
        self.customers = Customers(self.state)
        self.addresses = Addresses(self.state)
        self.inventory_settings = InventorySettings(self.state)
        self.orders = Orders(self.state, StockRules(self.state, self.inventory_settings))
        self.images = ProductImages(self.state, lambda: self.url, store_hash)
        self.deletions = Deletions(self.state, self.images.forget_product)
        self.price_lists = PriceLists(self.state)
        self.references = References(self.state)
        self._lock = threading.Lock()
        self.exchanges: list[Exchange] = []
        self.routes: list[tuple[str, re.Pattern[str], Handler]] = []
        self._routes()
        if seed and not self.state.loaded_from_file:
            seed_store(self.state, self.customers)
            self.state.dirty()

    def _routes(self) -> None:
        c, k, o = self.catalog, self.customers, self.orders
        d, s, r = self.deletions, self.inventory_settings, self.references
        t, i, b = self.categories, self.inventory, self.brands
        table: list[tuple[str, str, Handler]] = [
            ("GET", "/v3/catalog/products", c.list_products),
            ("POST", "/v3/catalog/products", c.create_product),
            ("PUT", "/v3/catalog/products", c.update_products),
            ("GET", "/v3/catalog/products/(?P<product_id>\\d+)/variants", c.list_variants),
            ("POST", "/v3/catalog/products/(?P<product_id>\\d+)/variants", c.create_variant),
            ("DELETE", "/v3/catalog/products/(?P<product_id>\\d+)", d.delete_product),
            (
                "DELETE",
                "/v3/catalog/products/(?P<product_id>\\d+)/variants/(?P<variant_id>\\d+)",
                d.delete_variant,
            ),
            ("GET", "/v3/settings/inventory", s.get),
            ("PUT", "/v3/settings/inventory", s.put),
            ("GET", "/v2/payments/methods", r.payment_methods),
            ("GET", "/v2/shipping/zones", r.shipping_zones),
            ("GET", "/v2/shipping/zones/(?P<zone_id>\\d+)/methods", r.shipping_methods),
            ("PUT", "/v3/catalog/variants", c.update_variants),
            ("GET", _FIELDS, self.custom_fields.list_fields),
            ("POST", _FIELDS, self.custom_fields.create_field),
            ("PUT", f"{_FIELDS}/(?P<field_id>\\d+)", self.custom_fields.update_field),
            ("DELETE", f"{_FIELDS}/(?P<field_id>\\d+)", self.custom_fields.delete_field),
            ("GET", _IMAGES, self.images.list),
            ("POST", _IMAGES, self.images.create),
            ("GET", f"{_IMAGES}/(?P<image_id>\\d+)", self.images.get),
            ("PUT", f"{_IMAGES}/(?P<image_id>\\d+)", self.images.update),
            ("DELETE", f"{_IMAGES}/(?P<image_id>\\d+)", self.images.delete),
            ("POST", _VARIANT_IMAGE, self.images.create_variant_image),
            ("GET", "/v2/currencies", self.price_lists.currencies),
            ("GET", "/v3/pricelists", self.price_lists.list_lists),
            ("POST", "/v3/pricelists", self.price_lists.create_list),
            ("GET", "/v3/pricelists/assignments", self.price_lists.list_assignments),
            ("POST", "/v3/pricelists/assignments", self.price_lists.create_assignments),
            ("GET", _RECORDS, self.price_lists.list_records),
            ("PUT", _RECORDS, self.price_lists.upsert_records),
            ("DELETE", _RECORDS, self.price_lists.delete_records),
            ("GET", "/v3/catalog/brands", b.list),
            ("POST", "/v3/catalog/brands", b.create),
            ("GET", "/v3/catalog/brands/(?P<brand_id>\\d+)", b.get),
            ("GET", "/v3/catalog/trees", t.list_trees),
            ("GET", "/v3/catalog/trees/categories", t.list_categories),
            ("POST", "/v3/catalog/trees/categories", t.create_categories),
            ("PUT", "/v3/catalog/trees/categories", t.update_categories),
            ("PUT", "/v3/inventory/adjustments/absolute", i.absolute_adjustment),
            ("GET", "/v3/customers", k.list),
            ("POST", "/v3/customers", k.create),
            ("PUT", "/v3/customers", k.update),
            ("GET", "/v3/customers/addresses", self.addresses.list),
            ("POST", "/v3/customers/addresses", self.addresses.create),
            ("PUT", "/v3/customers/addresses", self.addresses.update),
            ("GET", "/v2/customer_groups", k.list_groups),
            ("POST", "/v2/customer_groups", k.create_group),
            ("GET", "/v2/orders", o.list),
            ("POST", "/v2/orders", o.create),
            ("GET", "/v2/order_statuses", o.statuses),
            ("GET", "/v2/tax_classes", i.tax_classes),
            ("GET", "/v2/orders/(?P<order_id>\\d+)", o.get),
            ("PUT", "/v2/orders/(?P<order_id>\\d+)", o.update),
            ("GET", "/v2/orders/(?P<order_id>\\d+)/shipments", o.shipments),
            ("POST", "/v2/orders/(?P<order_id>\\d+)/shipments", o.create_shipment),
        ]
        for table_name, resource in (
            ("order_products", "products"),
            ("shipping_addresses", "shipping_addresses"),
            ("order_coupons", "coupons"),
            ("order_taxes", "taxes"),
        ):
            table.append(
                (
                    "GET",
                    f"/v2/orders/(?P<order_id>\\d+)/{resource}",
                    lambda req, order_id, t=table_name: o.sub(req, order_id, t),
                )
            )
        self.routes = [(m, re.compile(f"^{p}/?$"), h) for m, p, h in table]

    # -- introspection ----------------------------------------------------------------
    @property
    def data(self) -> dict[str, Any]:
        return self.state.data

    def _on_reset(self) -> None:
        with self._lock:
            self.exchanges.clear()

    def _on_stop(self) -> None:
        self.state.flush()

    def call(self, method: str, path: str, body: Any = None) -> Any:
        """What the store's own storefront or control panel does: the API's handlers (so
        the same rules apply), not recorded as an API client's request. ApiError when
        the store refuses."""
        with self.state.lock:
            response = self._dispatch(method, path, {}, body)
        self.state.flush()
        return response.body

    # -- benchmarks ---------------------------------------------------------------------
    def seed_products(self, n: int, *, prefix: str = "BENCH-") -> list[dict[str, Any]]:
        """``n`` simple products tracked by product, added without HTTP."""
        out = []
        with self.state.lock:
            for index in range(1, n + 1):
                body = {
                    "name": f"Produit {prefix}{index:05d}",
                    "type": "physical",
                    "weight": 1,
                    "price": (index % 97) + 1,
                    "sku": f"{prefix}{index:05d}",
                    "inventory_tracking": "product",
                    "inventory_level": index % 50,
                }
                out.append(
                    self.catalog.create_product(
                        Request("POST", "/v3/catalog/products", {}, body)
                    ).body["data"]
                )
        return out

    # -- request handling -------------------------------------------------------------------
    def handle(self, method: str, target: str, headers: dict[str, str], raw: bytes) -> kit.Answer:
        split, path = self.arrive(method, target)
        if method == "GET" and path.startswith("/cdn/"):
            return self._cdn(path)
        prefix = f"/stores/{self.store_hash}"
        sub = path[len(prefix) :] if path.startswith(prefix + "/") else path
        query = parse_qs(split.query, keep_blank_values=True)
        v2 = sub.startswith("/v2/")
        body: Any = None
        content_type = headers.get("content-type", "")
        if content_type.startswith("multipart/form-data") and _MULTIPART.match(sub):
            body = form_fields(content_type, raw)
        else:
            try:
                body = json.loads(raw) if raw.strip() else None
            except ValueError:
                body = raw.decode("utf-8", "replace")
        allowed, limit_headers = self.quota.take()
        fault = self._faults.draw()
        if not allowed or fault == "429":
            error = ApiError(
                429,
                "Too many requests: the request quota of this window is "
                "used up. Retry after X-Rate-Limit-Time-Reset-Ms.",
            )
            return self._answer(
                method, sub, query, body, error.status, error.body(v2), limit_headers
            )
        if fault == "500":
            error = ApiError(500, "Internal Server Error")
            return self._answer(method, sub, query, body, 500, error.body(v2), limit_headers)
        if fault == "timeout":
            return self.timed_out()
        try:
            token = headers.get("x-auth-token")
            if token == self.read_only_token and token is not None and method != "GET":
                raise ApiError(403, "You don't have a required scope to access the endpoint")
            if token not in (self.token, self.read_only_token) or token is None:
                raise ApiError(
                    401,
                    "You are not authorized to access this resource. "
                    "Check the X-Auth-Token header.",
                )
            if not path.startswith(prefix + "/"):
                raise ApiError(404, "The requested store was not found.")
            if isinstance(body, str):
                raise ApiError(400, "The request body is not valid JSON.")
            response = self._dispatch(method, sub, query, body)
        except ApiError as error:
            return self._answer(
                method, sub, query, body, error.status, error.body(v2), limit_headers
            )
        except Exception:  # noqa: BLE001 - a sandbox bug still answers like the platform
            log.exception("sandbox handler failed for %s %s", method, path)
            internal = ApiError(500, "Internal Server Error")
            return self._answer(method, sub, query, body, 500, internal.body(v2), limit_headers)
        status, out_headers, payload, _ = self._answer(
            method,
            sub,
            query,
            body,
            response.status,
            response.body,
            {**limit_headers, **response.headers},
        )
        if fault == "malformed" and status < 300 and payload:
            return kit.cut_short(status, out_headers, payload)
        return status, out_headers, payload, None

    def _cdn(self, path: str) -> kit.Answer:
        """The store's CDN: an image's bytes at an address an answer gave, without a token
        (a browser fetches them)."""
        with self.state.lock:
            found = self.images.served(path)
        if found is None:
            return 404, {"Content-Type": "text/plain"}, b"Not Found", None
        data, media_type = found
        return 200, {"Content-Type": media_type}, data, None

    def _answer(
        self,
        method: str,
        path: str,
        query: dict[str, list[str]],
        request_body: Any,
        status: int,
        body: Any,
        headers: dict[str, str],
    ) -> kit.Answer:
        content_type = error_media_type(path) if status >= 400 else "application/json"
        with self._lock:
            self.exchanges.append(
                Exchange(
                    method, path, query, request_body, status, body, content_type, dict(headers)
                )
            )
        if status >= 300:
            self.state.flush()
        elif method != "GET":
            self.state.flush()
        payload = b"" if status == 204 else json.dumps(body).encode()
        return status, {"Content-Type": content_type, **headers}, payload, None

    def _dispatch(self, method: str, path: str, query: dict[str, list[str]], body: Any) -> Response:
        known = False
        for route_method, pattern, handler in self.routes:
            found = pattern.match(path)
            if found is None:
                continue
            known = True
            if route_method == method:
                with self.state.lock:
                    return handler(Request(method, path, query, body), **found.groupdict())
        if known:
            raise ApiError(405, f"The method {method} is not allowed on {path}.")
        raise ApiError(404, "The requested resource was not found.")
