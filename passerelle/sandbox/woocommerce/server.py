"""The :class:`WooSandbox` facade tests and the demo use, on the sandbox kit's server.

The order of work for each request mirrors WordPress: authentication errors
first (any route), then the route lookup (``rest_no_route``), then the route's
permission check, then arguments, then the handler.
"""

from __future__ import annotations

import base64
import json
import logging
import mimetypes
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, unquote, urlencode

from passerelle.sandbox import kit
from passerelle.sandbox.webhook_sender import WebhookSender

from .auth import authenticate, permission_error
from .errors import ApiError, no_route
from .http import Request, Response, Router, wp_json_encode
from .params import Params
from .resources import (
    categories,
    coupons,
    customers,
    orders,
    product_routes,
    products,
    refunds,
    reports,
    settings,
    webhooks,
)
from .resources.common import Shop
from .seed import seed_shop
from .state import Data, Store

__all__ = ["WooSandbox"]

log = logging.getLogger("passerelle.sandbox.woocommerce")

_UPLOADS = "/wp-content/uploads/"


def _content_type(path: str) -> str:
    """The type a web server gives a file by its extension."""
    return mimetypes.guess_type(path)[0] or "application/octet-stream"


SITE_NAME = "Maison Passerelle"
_FATAL = (
    '<p>There has been a critical error on this website.</p><p><a href="https://wordpress'
    '.org/documentation/article/faq-troubleshooting/">Learn more about troubleshooting '
    "WordPress.</a></p>"
)


class WooSandbox(kit.LoopbackSandbox):
    """A local WooCommerce REST API v3 shop over HTTPS (see the package docstring)."""

    kind = "woocommerce"
    wire = kit.Wire(
        logger=log.name,
        server_header="Apache",
        methods=kit.EVERY_METHOD,
        extra_headers={
            "X-Robots-Tag": "noindex",
            "X-Content-Type-Options": "nosniff",
            "Access-Control-Expose-Headers": "X-WP-Total, X-WP-TotalPages, Link",
        },
        # Its access log shows request lines; query-string keys are masked there.
        secret_params=("consumer_key", "consumer_secret"),
    )
    url_needs_start = True

    def __init__(
        self,
        state_file: Path | None = None,
        *,
        consumer_key: str = "ck_demo",
        consumer_secret: str = "cs_demo",
        host: str = "127.0.0.1",
        port: int = 0,
        seed: bool = True,
        latency: float = 0.0,
        rate_limit: float | None = None,
        faults: kit.Faults | None = None,
        cert_dir: Path | None = None,
        languages: tuple[str, ...] = (),
        webhook_sender: WebhookSender | None = None,
    ) -> None:
        self.state_file = Path(state_file) if state_file is not None else None
        super().__init__(self.state_file, host, port, latency, faults, cert_dir, rate_limit)
        self.consumer_key = consumer_key
        self.consumer_secret = consumer_secret
        self.store = Store(self.state_file)
        self.shop = Shop(self.store)
        self.router = Router()
        # C20: WPML + WooCommerce Multilingual active with these languages (main first).
        self._products = product_routes.register(self.router, self.shop, languages=tuple(languages))
        self._customers = customers.register(self.router, self.shop)
        self._orders = orders.register(self.router, self.shop, self._products)
        self._refunds = refunds.register(self.router, self.shop, self._orders)
        coupons.register(self.router, self.shop)
        categories.register(self.router, self.shop)
        settings.register(self.router, self.shop, SITE_NAME)
        reports.register(self.router, self.shop)
        # Webhooks deliver from their own thread; a test may pass a sender with switches.
        self._owns_sender = webhook_sender is None
        self.webhook_sender = webhook_sender or WebhookSender()
        self.webhooks = webhooks.register(
            self.router,
            webhooks.WebhookService(
                self.shop,
                self.webhook_sender,
                site_url=lambda: self._fake_request().site_url,
                render_order=lambda order: self._orders.render(self._fake_request(), order),
                wc_version=orders.WC_VERSION,
            ),
        )
        self._orders.on_event = self.webhooks.order_event
        if seed and not self.store.loaded_from_file:
            with self.store.lock:
                seed_shop(self.shop, self._customers, self._orders, self._refunds)
            self.store.mark_dirty()

    # -- introspection --------------------------------------------------------------
    @property
    def data(self) -> Data:
        return self.store.data

    @property
    def downloads(self) -> list[tuple[str, str]]:
        """(URL, SHA-256 of the bytes) of every image the shop downloaded, in order."""
        return list(self._products.media.downloads)

    # -- lifecycle ----------------------------------------------------------------------
    def _on_start(self) -> None:
        self.store.start()

    def _on_stop(self) -> None:
        if self._owns_sender:
            self.webhook_sender.close()
        self.store.stop()

    # -- direct access for tests and benchmarks ----------------------------------------------
    def _fake_request(self) -> Request:
        site = self.url if self.started else f"https://{self.host}:{self.port}"
        return Request("GET", "/", Params({}, {}, {}), {}, site)

    def call(
        self,
        method: str,
        route: str,
        body: dict[str, Any] | None = None,
        query: dict[str, str] | None = None,
    ) -> Any:
        """One REST call (``route`` below ``/wp-json``) made in-process with the shop's
        own keys, as the merchant's admin screens or the storefront would act: the
        same handlers and rules, but not recorded in :attr:`requests`, never faulty
        nor rate limited. Returns the answer's body; an error raises ``ApiError``."""
        headers = {
            "Authorization": "Basic "
            + base64.b64encode(f"{self.consumer_key}:{self.consumer_secret}".encode()).decode()
        }
        payload = json.dumps(body).encode() if body is not None else b""
        return self._dispatch(
            method, f"/wp-json{route}", urlencode(query or {}), headers, payload
        ).body

    def create_order(self, body: dict[str, Any]) -> dict[str, Any]:
        """Create an order exactly as ``POST /orders`` would; return its JSON."""
        with self.store.lock:
            order = self._orders.create(body)
            return self._orders.render(self._fake_request(), order)

    def seed_products(
        self, n: int, *, prefix: str = "BENCH-", manage_stock: bool = True
    ) -> list[dict[str, Any]]:
        """Add ``n`` simple products directly (no HTTP) for benchmarks; return their JSON.

        Records are built like ``POST /products`` builds them, skipping the
        per-product uniqueness scans so that 10,000 products take a moment.
        """
        req = self._fake_request()
        out = []
        with self.store.lock:
            slugs = {p["slug"] for p in self.data.products.values()}
            skus = {p["sku"] for p in self.data.products.values()}
            template = products._PRODUCT_DEFAULTS  # noqa: SLF001
            for index in range(1, n + 1):
                sku = f"{prefix}{index:05d}"
                if sku in skus:
                    raise ValueError(f"SKU {sku} already exists in the sandbox")
                record = json.loads(json.dumps(template))
                record.update(
                    {
                        "id": 0,
                        "name": f"Produit {sku}",
                        "sku": sku,
                        "regular_price": f"{(index % 97) + 1}.90",
                        "manage_stock": manage_stock,
                        "_stock": (index * 7) % 50 if manage_stock else None,
                    }
                )
                record["categories"] = [
                    {"id": 15, "name": "Uncategorized", "slug": "uncategorized"}
                ]
                slug = products.slugify(record["name"])
                record["slug"] = products.unique_slug(slug, slugs)
                slugs.add(record["slug"])
                products.set_dates(record, self.shop.now(), created=True)
                self._products.derive(record)
                record["id"] = self.store.next_id("post")
                self.data.products[record["id"]] = record
                out.append(self._products.render_product(req, record))
            self.store.mark_dirty()
        return out

    # -- request handling (called from handler threads) ------------------------------------------
    def handle(self, method: str, target: str, headers: dict[str, str], body: bytes) -> kit.Answer:
        """Process one request; return (status, headers, body, fault) for the socket layer."""
        split, path = self.arrive(method, target)
        if method in ("GET", "HEAD") and path.startswith(_UPLOADS):
            # The web server serves uploaded files itself, outside the REST API.
            data = self._products.media.served(unquote(path[len(_UPLOADS) :]))
            if data is None:
                return 404, {"Content-Type": "text/html; charset=UTF-8"}, b"Not Found", None
            return 200, {"Content-Type": _content_type(path)}, data, None
        retry, fault = self.admit()
        if retry is not None:
            return self._error(
                ApiError(
                    429,
                    "rate_limit_exceeded",
                    f"Too many requests. Please wait {retry} seconds before trying again.",
                    headers={"Retry-After": str(retry)},
                )
            ) + (None,)
        if fault == "500":
            error = ApiError(500, "internal_server_error", _FATAL)
            status, hdrs, payload = self._error(error)
            return status, hdrs, wp_json_encode({**error.body(), "additional_errors": []}), None
        if fault == "timeout":
            return self.timed_out()
        try:
            response = self._dispatch(method, path, split.query, headers, body)
        except ApiError as error:
            return self._error(error) + (None,)
        except Exception:  # noqa: BLE001 - a sandbox bug must still answer like WordPress
            log.exception("sandbox handler failed for %s %s", method, path)
            internal = ApiError(500, "internal_server_error", _FATAL)
            return self._error(internal) + (None,)
        payload = wp_json_encode(response.body)
        hdrs = {"Content-Type": "application/json; charset=UTF-8", **response.headers}
        if fault == "malformed" and response.status < 300:
            return kit.cut_short(200, hdrs, payload)
        return response.status, hdrs, payload, None

    @staticmethod
    def _error(error: ApiError) -> tuple[int, dict[str, str], bytes]:
        headers = {"Content-Type": "application/json; charset=UTF-8", **error.headers}
        return error.status, headers, wp_json_encode(error.body())

    def _dispatch(
        self, method: str, path: str, query_string: str, headers: dict[str, str], body: bytes
    ) -> Response:
        if not (path == "/wp-json" or path.startswith("/wp-json/")):
            raise ApiError(
                404, "rest_no_route", "No route was found matching the URL and request method."
            )
        route_path = path[len("/wp-json") :] or "/"
        query = parse_qs(query_string, keep_blank_values=True)
        override = headers.get("x-http-method-override") or (query.get("_method") or [""])[-1]
        if method == "POST" and override:
            method = override.upper()
        authed = authenticate(headers, query, self.consumer_key, self.consumer_secret)
        matched = (
            self.router.match(method, route_path.rstrip("/") or "/")
            if route_path != "/"
            else self.router.match(method, "/")
        )
        if matched is None:
            raise no_route()
        route, url_params = matched
        if not route.public and not authed:
            raise permission_error(method, collection=route.collection, batch=route.batch)
        parsed: dict[str, Any] = {}
        if body.strip():
            try:
                decoded = json.loads(body)
            except (ValueError, UnicodeDecodeError) as exc:
                raise ApiError(
                    400,
                    "rest_invalid_json",
                    "Invalid JSON body passed.",
                    extra_data={"json_error_code": 4, "json_error_message": "Syntax error"},
                ) from exc
            if isinstance(decoded, dict):
                parsed = decoded
        request = Request(method, route_path, Params(query, parsed, url_params), query, self.url)
        return route.handler(request)
