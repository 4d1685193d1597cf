"""The HTTPS server and the :class:`WooSandbox` facade tests and the demo use.

Why ``http.server``: no framework to install or to hide behaviour; one
thread per connection with HTTP/1.1 keep-alive (``ThreadingHTTPServer``),
TLS from :mod:`ssl` with the handshake done in the connection's own thread
so a slow client cannot stall the accept loop. The order of work for each
request mirrors WordPress: authentication errors first (any route), then the
route lookup (``rest_no_route``), then the route's permission check, then
arguments, then the handler.
"""

from __future__ import annotations

import base64
import json
import logging
import socket
import ssl
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, Protocol
from urllib.parse import parse_qs, unquote, urlencode, urlsplit

from passerelle.connectors.http import redact_in_logs
from passerelle.sandbox.webhook_sender import WebhookSender

from .auth import authenticate, permission_error
from .errors import ApiError, no_route
from .faults import FaultInjector, Faults, RateLimiter
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
from .tls import CertificateAuthority, default_cert_dir

__all__ = ["WooSandbox", "serve"]

log = logging.getLogger("passerelle.sandbox.woocommerce")
# Its access log shows request lines; query-string keys are masked there too.
redact_in_logs("consumer_key", "consumer_secret", loggers=(log.name,))

SITE_NAME = "Maison Passerelle"
_FATAL = (
    '<p>There has been a critical error on this website.</p><p><a href="https://wordpress'
    '.org/documentation/article/faq-troubleshooting/">Learn more about troubleshooting '
    "WordPress.</a></p>"
)


def _default_cert_dir(state_file: Path | None) -> Path:
    return default_cert_dir("woocommerce", state_file)


class WooSandbox:
    """A local WooCommerce REST API v3 shop over HTTPS (see the package docstring)."""

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
        faults: Faults | None = None,
        cert_dir: Path | None = None,
        languages: tuple[str, ...] = (),
        webhook_sender: WebhookSender | None = None,
    ) -> None:
        self.state_file = Path(state_file) if state_file is not None else None
        self.consumer_key = consumer_key
        self.consumer_secret = consumer_secret
        self.host = host
        self.port = port
        self.latency = latency
        self._limiter = RateLimiter(rate_limit)
        self._faults = FaultInjector(faults)
        self._ca = CertificateAuthority(
            Path(cert_dir) if cert_dir else _default_cert_dir(self.state_file)
        )
        self._requests: list[tuple[str, str]] = []
        self._requests_lock = threading.Lock()
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None
        self._stopping = threading.Event()
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

    # -- switches -----------------------------------------------------------------
    @property
    def rate_limit(self) -> float | None:
        """Requests per second allowed; over it the shop answers 429 + ``Retry-After``."""
        return self._limiter.rate

    @rate_limit.setter
    def rate_limit(self, value: float | None) -> None:
        self._limiter.configure(value)

    @property
    def faults(self) -> Faults:
        return self._faults.faults

    @faults.setter
    def faults(self, value: Faults | None) -> None:
        self._faults.configure(value)

    # -- introspection --------------------------------------------------------------
    @property
    def data(self) -> Data:
        return self.store.data

    @property
    def downloads(self) -> list[tuple[str, str]]:
        """(URL, SHA-256 of the bytes) of every image the shop downloaded, in order."""
        return list(self._products.media.downloads)

    @property
    def requests(self) -> list[tuple[str, str]]:
        """(method, path without query) of every request received, in order."""
        with self._requests_lock:
            return list(self._requests)

    def reset_requests(self) -> None:
        with self._requests_lock:
            self._requests.clear()

    @property
    def ca_bundle(self) -> Path:
        return self._ca.ca_path

    @property
    def url(self) -> str:
        if self._server is None:
            raise RuntimeError("the sandbox is not started")
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"https://{host}:{self.port}"

    # -- lifecycle ----------------------------------------------------------------------
    def start(self) -> WooSandbox:
        if self._server is not None:
            return self
        self._stopping.clear()
        family = socket.AF_INET6 if ":" in self.host else socket.AF_INET
        server_cls = type("_Server", (_Server,), {"address_family": family})
        server = server_cls((self.host, self.port), _Handler)
        context = self._ca.server_context(self.host)
        server.socket = context.wrap_socket(
            server.socket, server_side=True, do_handshake_on_connect=False
        )
        server.sandbox = self
        self.port = server.server_address[1]
        self._server = server
        self.store.start()
        self._thread = threading.Thread(
            target=server.serve_forever,
            kwargs={"poll_interval": 0.1},
            name=f"woo-sandbox-{self.port}",
            daemon=True,
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stopping.set()
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None
        if self._thread is not None:
            self._thread.join(timeout=5)
            self._thread = None
        if self._owns_sender:
            self.webhook_sender.close()
        self.store.stop()

    def __enter__(self) -> WooSandbox:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # -- direct access for tests and benchmarks ----------------------------------------------
    def _fake_request(self) -> Request:
        site = self.url if self._server is not None else f"https://{self.host}:{self.port}"
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
    def _record(self, method: str, path: str) -> None:
        with self._requests_lock:
            self._requests.append((method, path))

    def handle(
        self, method: str, target: str, headers: dict[str, str], body: bytes
    ) -> tuple[int, dict[str, str], bytes, str | None]:
        """Process one request; return (status, headers, body, fault) for the socket layer."""
        split = urlsplit(target)
        path = unquote(split.path)
        self._record(method, path)
        if self.latency > 0:
            self._stopping.wait(self.latency)
        retry = self._limiter.acquire()
        if retry is not None:
            return self._error(
                ApiError(
                    429,
                    "rate_limit_exceeded",
                    f"Too many requests. Please wait {retry} seconds before trying again.",
                    headers={"Retry-After": str(retry)},
                )
            ) + (None,)
        fault = self._faults.draw()
        faults = self.faults
        if fault == "429":
            wait = max(1, int(round(faults.retry_after)))
            return self._error(
                ApiError(
                    429,
                    "rate_limit_exceeded",
                    f"Too many requests. Please wait {wait} seconds before trying again.",
                    headers={"Retry-After": str(wait)},
                )
            ) + (None,)
        if fault == "500":
            error = ApiError(500, "internal_server_error", _FATAL)
            status, hdrs, payload = self._error(error)
            return status, hdrs, wp_json_encode({**error.body(), "additional_errors": []}), None
        if fault == "timeout":
            self._stopping.wait(faults.timeout_after)
            return 0, {}, b"", "timeout"
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
            return 200, hdrs, payload[: max(1, len(payload) // 2)], "malformed"
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


class _Handles(Protocol):
    """What :class:`_Handler` asks of a sandbox (the Shopify one shares this plumbing)."""

    def handle(
        self, method: str, target: str, headers: dict[str, str], body: bytes
    ) -> tuple[int, dict[str, str], bytes, str | None]: ...


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    sandbox: _Handles

    def handle_error(self, request: Any, client_address: Any) -> None:
        # Clients dropping connections (and TLS probes) are normal here: stay quiet.
        log.debug("connection error from %s", client_address, exc_info=True)


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: _Server
    server_version = "Apache"
    sys_version = ""

    def setup(self) -> None:
        self.request.settimeout(30)
        if isinstance(self.request, ssl.SSLSocket):
            self.request.do_handshake()
        super().setup()

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - stdlib signature
        log.debug("%s - %s", self.address_string(), format % args)

    def _serve(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length > 0 else b""
        headers = {k.lower(): v for k, v in self.headers.items()}
        headers["Authorization"] = self.headers.get("Authorization", "")
        status, out_headers, payload, fault = self.server.sandbox.handle(
            self.command, self.path, headers, body
        )
        if fault == "timeout":
            self.close_connection = True
            with _quiet():
                self.request.shutdown(socket.SHUT_RDWR)
            return
        self.send_response(status)
        for name, value in out_headers.items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(payload)))
        self.send_header("X-Robots-Tag", "noindex")
        self.send_header("X-Content-Type-Options", "nosniff")
        self.send_header("Access-Control-Expose-Headers", "X-WP-Total, X-WP-TotalPages, Link")
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(payload)

    do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = do_HEAD = do_OPTIONS = _serve


@contextmanager
def _quiet() -> Iterator[None]:
    try:
        yield
    except OSError:
        pass


def serve(
    *,
    state_file: Path | None = Path("woocommerce-sandbox.json"),
    host: str = "127.0.0.1",
    port: int = 8443,
    latency: float = 0.0,
    rate_limit: float | None = None,
    fault_rate: float = 0.0,
    fault_kinds: tuple[str, ...] = ("500",),
    consumer_key: str = "ck_demo",
    consumer_secret: str = "cs_demo",
    cert_dir: Path | None = None,
) -> None:
    """Run a sandbox in the foreground until Ctrl-C; print its URL and CA path."""
    faults = Faults(rate=fault_rate, kinds=tuple(fault_kinds)) if fault_rate else None
    sandbox = WooSandbox(
        state_file,
        consumer_key=consumer_key,
        consumer_secret=consumer_secret,
        host=host,
        port=port,
        latency=latency,
        rate_limit=rate_limit,
        faults=faults,
        cert_dir=cert_dir,
    )
    sandbox.start()
    print(f"WooCommerce sandbox: {sandbox.url}/wp-json/wc/v3/")
    print(f"CA certificate to trust: {sandbox.ca_bundle}")
    print(f"Consumer key: {consumer_key} (secret as configured)")
    if state_file is not None:
        print(f"State file: {state_file}")
    try:
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        print("stopping…")
    finally:
        sandbox.stop()
