"""The HTTPS server and the :class:`MagentoSandbox` facade.

Order of work per request, as Magento's REST front controller does it: the
route (``/rest/<store>/V1/...`` or ``/rest/<store>/async/bulk/V1/...``;
unknown → 404 "Request does not match any route."), then the bearer token
(``Authorization: Bearer <integration access token>``, else 401 "The
consumer isn't authorized to access %resources."), then the input, then the
handler. Magento itself has no request-rate limit (Adobe Commerce on cloud
answers 429 from its CDN): the ``rate_limit`` switch imitates that, with
``Retry-After``.

The operations are routed in ``routes.py``; async bulk requests are
``bulk.py``'s.
"""

from __future__ import annotations

import json
import logging
import re
import socket
import ssl
import threading
import time
import uuid
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit

from passerelle.sandbox.woocommerce.faults import FaultInjector, Faults, RateLimiter
from passerelle.sandbox.woocommerce.tls import CertificateAuthority, default_cert_dir

from .bulk import AsyncBulk
from .catalog import Catalog
from .checkout import Checkout
from .configurable import Configurables
from .errors import MagentoError, not_found, unauthorized
from .inventory import Inventory
from .order_actions import OrderActions
from .routes import route
from .sales import Sales
from .seed import seed_data

__all__ = ["ACCOUNT_ATTRIBUTE", "MagentoSandbox", "serve"]

log = logging.getLogger("passerelle.sandbox.magento")
# The store's customer attribute for the back-office account code (K8), set up
# by the merchant as a text attribute shown in the admin customer grid.
ACCOUNT_ATTRIBUTE = "account_code"
_INTERNAL = "Internal Error. Details are available in Magento log file. Report ID: webapi-{report}"
_ROUTE = re.compile(r"^/rest(?:/(?P<store>[a-z0-9_]+))?(?P<bulk>/async/bulk)?/V1/(?P<path>.+)$")
_RESOURCES = {
    "products": "Magento_Catalog::products",
    "categories": "Magento_Catalog::categories",
    "configurable-products": "Magento_Catalog::products",
    "inventory": "Magento_InventoryApi::source",
    "customers": "Magento_Customer::manage",
    "customerGroups": "Magento_Customer::group",
    "orders": "Magento_Sales::actions_view",
    "order": "Magento_Sales::ship",
    "taxClasses": "Magento_Tax::manage_tax",
    "bulk": "Magento_Logging::system_magento_logging_bulk_operations",
    "store": "Magento_Backend::store",
}


def _now() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%d %H:%M:%S")


class MagentoSandbox:
    """A local Magento 2.4 REST API over HTTPS (see the package docstring)."""

    def __init__(
        self,
        state_file: Path | None = None,
        *,
        token: str = "demo-integration-token",
        host: str = "127.0.0.1",
        port: int = 0,
        latency: float = 0.0,
        rate_limit: float | None = None,
        faults: Faults | None = None,
        cert_dir: Path | None = None,
        list_limit: int = 20,
        source_code: str = "default",
    ) -> None:
        self.state_file = Path(state_file) if state_file is not None else None
        self.token = token
        self.host = host
        self.port = port
        self.latency = latency
        self.lock = threading.RLock()
        self._limiter = RateLimiter(rate_limit)
        self._faults = FaultInjector(faults)
        self._ca = CertificateAuthority(
            Path(cert_dir) if cert_dir else default_cert_dir("magento", self.state_file)
        )
        self._requests: list[tuple[str, str]] = []
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None
        self._stopping = threading.Event()
        if self.state_file is not None and self.state_file.exists():
            self.data: dict[str, Any] = json.loads(self.state_file.read_text())
        else:
            self.data = seed_data()
        self.inventory = Inventory(self.data, source_code)
        self.catalog = Catalog(self.data, _now, source_code, list_limit)
        self.configurables = Configurables(self.data, self.catalog.render)
        self.sales = Sales(self.data, _now, {ACCOUNT_ATTRIBUTE})
        self.checkout = Checkout(self.data, _now, self.inventory)
        self.actions = OrderActions(self.data, _now, self.inventory)
        self.bulk = AsyncBulk(self.data, self.catalog.save_product, _now)
        # Every exchange (method, path, query, request body, status, response body),
        # kept when ``record_exchanges`` is on: the OpenAPI test validates them.
        self.record_exchanges = False
        self.exchanges: list[dict[str, Any]] = []

    # -- switches ------------------------------------------------------------------
    @property
    def list_limit(self) -> int:
        return self.catalog.list_limit

    @list_limit.setter
    def list_limit(self, value: int) -> None:
        self.catalog.list_limit = value

    @property
    def rate_limit(self) -> float | None:
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

    # -- introspection ----------------------------------------------------------------
    @property
    def requests(self) -> list[tuple[str, str]]:
        with self.lock:
            return list(self._requests)

    def reset_requests(self) -> None:
        with self.lock:
            self._requests.clear()
            self.exchanges.clear()

    @property
    def ca_bundle(self) -> Path:
        return self._ca.ca_path

    @property
    def url(self) -> str:
        return f"https://{self.host}:{self.port}"

    def seed_products(self, n: int, *, prefix: str = "BENCH-") -> list[str]:
        """Add ``n`` simple products directly (no HTTP) for benchmarks; return their SKUs."""
        skus = []
        with self.lock:
            for index in range(1, n + 1):
                sku = f"{prefix}{index:05d}"
                self.catalog.save_product(
                    {
                        "product": {
                            "sku": sku,
                            "name": f"Produit {sku}",
                            "price": (index % 97) + 1.9,
                            "attribute_set_id": 4,
                            "type_id": "simple",
                        }
                    }
                )
                skus.append(sku)
        return skus

    def call(self, method: str, path: str, body: Any = None) -> Any:
        """One REST call (``path`` below ``/rest/default/V1/``) through the same route,
        authorisation and handlers as a request, without the network, the request log
        or the fault switches: what the merchant or a buyer does in the shop.
        Raises :class:`MagentoError` as the request would answer it."""
        target = f"/rest/default/V1/{path}"
        with self.lock:
            try:
                status, answer = self._dispatch(
                    method, target, {}, {"authorization": f"Bearer {self.token}"}, body
                )
            except MagentoError as error:
                self._record(method, target, "", body, error.status, error.body())
                raise
            self._record(method, target, "", body, status, answer)
            return answer

    def save(self) -> None:
        if self.state_file is not None:
            with self.lock:
                self.state_file.parent.mkdir(parents=True, exist_ok=True)
                self.state_file.write_text(json.dumps(self.data))

    # -- lifecycle ------------------------------------------------------------------------
    def start(self) -> MagentoSandbox:
        server = _Server((self.host, self.port), _Handler)
        context = self._ca.server_context(self.host)
        server.socket = context.wrap_socket(
            server.socket, server_side=True, do_handshake_on_connect=False
        )
        server.sandbox = self
        self.port = server.server_address[1]
        self._server = server
        self._thread = threading.Thread(
            target=server.serve_forever,
            kwargs={"poll_interval": 0.1},
            name=f"magento-sandbox-{self.port}",
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
        self.save()

    # -- requests -------------------------------------------------------------------------
    def handle(
        self, method: str, target: str, headers: dict[str, str], body: bytes
    ) -> tuple[int, dict[str, str], bytes, str | None]:
        split = urlsplit(target)
        path = unquote(split.path)
        with self.lock:
            self._requests.append((method, path))
        if self.latency > 0:
            self._stopping.wait(self.latency)
        retry = self._limiter.acquire()
        fault = self._faults.draw()
        if retry is not None or fault == "429":
            wait = retry or max(1, round(self.faults.retry_after))
            return self._answer(
                MagentoError(429, "Too Many Requests", headers={"Retry-After": str(wait)})
            ) + (None,)
        if fault == "500":
            return self._answer(
                MagentoError(500, _INTERNAL.format(report=uuid.uuid4().hex[:12]))
            ) + (None,)
        if fault == "timeout":
            self._stopping.wait(self.faults.timeout_after)
            return 0, {}, b"", "timeout"
        query = parse_qs(split.query, keep_blank_values=True)
        decoded: Any = None
        try:
            if body.strip():
                try:
                    decoded = json.loads(body)
                except ValueError as exc:
                    raise MagentoError(400, "Decoding error: \nSyntax error") from exc
            with self.lock:
                status, answer = self._dispatch(method, path, query, headers, decoded)
        except MagentoError as error:
            status, answer = error.status, error.body()
            self._record(method, path, split.query, decoded, status, answer)
            return self._answer(error) + (None,)
        except Exception:  # noqa: BLE001 - a sandbox bug still answers like Magento
            log.exception("sandbox handler failed for %s %s", method, path)
            return self._answer(
                MagentoError(500, _INTERNAL.format(report=uuid.uuid4().hex[:12]))
            ) + (None,)
        self._record(method, path, split.query, decoded, status, answer)
        payload = json.dumps(answer).encode()
        if fault == "malformed":
            return (
                200,
                {"Content-Type": "application/json"},
                payload[: max(1, len(payload) // 2)],
                "malformed",
            )
        return status, {"Content-Type": "application/json; charset=utf-8"}, payload, None

    def _record(
        self, method: str, path: str, query: str, body: Any, status: int, answer: Any
    ) -> None:
        if self.record_exchanges:
            with self.lock:
                self.exchanges.append(
                    {
                        "method": method,
                        "path": path,
                        "query": query,
                        "body": body,
                        "status": status,
                        "answer": answer,
                    }
                )

    @staticmethod
    def _answer(error: MagentoError) -> tuple[int, dict[str, str], bytes]:
        return (
            error.status,
            {"Content-Type": "application/json; charset=utf-8", **error.headers},
            json.dumps(error.body()).encode(),
        )

    def _dispatch(
        self,
        method: str,
        path: str,
        query: dict[str, list[str]],
        headers: dict[str, str],
        body: Any,
    ) -> tuple[int, Any]:
        found = _ROUTE.match(path)
        if found is None:
            raise not_found("route")
        parts = found.group("path").rstrip("/").split("/")
        resource = _RESOURCES.get(parts[0], "Magento_Backend::admin")
        auth = headers.get("authorization", "")
        # Guest carts are the storefront's: anonymous in ``Magento/Quote/etc/webapi.xml``.
        if auth != f"Bearer {self.token}" and parts[0] != "guest-carts":
            raise unauthorized(resource)
        if found.group("bulk"):
            return self.bulk.accept(method, parts, body)
        return 200, route(self, method, parts, query, body)


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    sandbox: MagentoSandbox

    def handle_error(self, request: Any, client_address: Any) -> None:
        log.debug("connection error from %s", client_address, exc_info=True)


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: _Server
    server_version = "nginx"
    sys_version = ""

    def setup(self) -> None:
        self.request.settimeout(30)
        # Headers and body leave in two writes: without this, Nagle's algorithm and
        # the client's delayed ACK hold every answer ~40 ms.
        self.request.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        if isinstance(self.request, ssl.SSLSocket):
            self.request.do_handshake()
        super().setup()

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - stdlib signature
        log.debug("%s - %s", self.address_string(), format % args)

    def _serve(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length > 0 else b""
        headers = {k.lower(): v for k, v in self.headers.items()}
        status, out_headers, payload, fault = self.server.sandbox.handle(
            self.command, self.path, headers, body
        )
        if fault == "timeout":
            self.close_connection = True
            try:
                self.request.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
            return
        self.send_response(status)
        for name, value in out_headers.items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

    do_GET = do_POST = do_PUT = do_DELETE = _serve


def serve(
    *,
    state_file: Path | None,
    port: int = 8443,
    latency: float = 0.0,
    fault_rate: float = 0.0,
    token: str = "demo-integration-token",
    cert_dir: Path | None = None,
) -> None:
    """Run a sandbox in the foreground until Ctrl-C; print its URL, CA and token."""
    faults = Faults(rate=fault_rate, kinds=("429", "500")) if fault_rate else None
    sandbox = MagentoSandbox(
        state_file, token=token, port=port, latency=latency, faults=faults, cert_dir=cert_dir
    ).start()
    print(f"Magento sandbox: {sandbox.url}/rest/default/V1/")
    print(f"CA certificate to trust: {sandbox.ca_bundle}")
    print(f"Bearer token: {token}")
    try:
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        print("stopping…")
    finally:
        sandbox.stop()
