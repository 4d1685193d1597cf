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
``bulk.py``'s. ``/media/catalog/product/...`` serves the gallery's files as the web
server serves ``pub/media`` (no token; ``media.py``).
"""

from __future__ import annotations

import json
import logging
import re
import threading
import uuid
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs

from passerelle.sandbox import kit

from .bulk import AsyncBulk
from .catalog import Catalog
from .checkout import Checkout
from .configurable import Configurables
from .errors import MagentoError, not_found, unauthorized
from .inventory import Inventory
from .media import MEDIA_PREFIX
from .order_actions import OrderActions
from .routes import route
from .sales import Sales
from .seed import seed_data

__all__ = ["ACCOUNT_ATTRIBUTE", "MagentoSandbox"]

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


class MagentoSandbox(kit.LoopbackSandbox):
    """A local Magento 2.4 REST API over HTTPS (see the package docstring)."""

    kind = "magento"
    wire = kit.Wire(logger=log.name, server_header="nginx")

    def __init__(
        self,
        state_file: Path | None = None,
        *,
        token: str = "demo-integration-token",
        host: str = "127.0.0.1",
        port: int = 0,
        latency: float = 0.0,
        rate_limit: float | None = None,
        faults: kit.Faults | None = None,
        cert_dir: Path | None = None,
        list_limit: int = 20,
        source_code: str = "default",
    ) -> None:
        self.state_file = Path(state_file) if state_file is not None else None
        super().__init__(self.state_file, host, port, latency, faults, cert_dir, rate_limit)
        self.token = token
        self.lock = threading.RLock()
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

    def _on_reset(self) -> None:
        with self.lock:
            self.exchanges.clear()

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

    def _on_stop(self) -> None:
        self.save()

    # -- requests -------------------------------------------------------------------------
    def handle(self, method: str, target: str, headers: dict[str, str], body: bytes) -> kit.Answer:
        split, path = self.arrive(method, target)
        retry, fault = self.admit()
        if retry is not None:
            return self._answer(
                MagentoError(429, "Too Many Requests", headers={"Retry-After": str(retry)})
            ) + (None,)
        if fault == "500":
            return self._answer(
                MagentoError(500, _INTERNAL.format(report=uuid.uuid4().hex[:12]))
            ) + (None,)
        if fault == "timeout":
            return self.timed_out()
        if path.startswith(f"{MEDIA_PREFIX}/"):
            return self._media(method, path)
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
            return kit.cut_short(200, {"Content-Type": "application/json"}, payload)
        return status, {"Content-Type": "application/json; charset=utf-8"}, payload, None

    def _media(self, method: str, path: str) -> kit.Answer:
        """A gallery file as the web server serves ``pub/media``: no token, the bytes as
        stored (``media.py``), 404 for a file the store does not hold."""
        with self.lock:
            found = self.catalog.gallery.serve(path) if method in ("GET", "HEAD") else None
        if found is None:
            return 404, {"Content-Type": "text/html"}, b"<h1>404 Not Found</h1>", None
        data, content_type = found
        return 200, {"Content-Type": content_type}, data, None

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
