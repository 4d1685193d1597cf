"""The HTTPS server and the :class:`PrestaShopSandbox` facade tests and the demo use.

Order of work for each request, as PrestaShop's Webservice dispatcher does it
(``webservice/tutorials/testing-access.md``): the key first — HTTP basic
auth with the key as user and no password, or ``ws_key=`` in the query —
then the resource, then the method the resource accepts
(``webservice/reference.md``), then parameters and body. Errors are
``<prestashop><errors><error><code/><message/></error></errors></prestashop>``
(or ``{"errors":[{"code":…,"message":…}]}`` with ``output_format=JSON``).
The docs give the shape, not a table of codes: the numeric codes are the
ones ``classes/webservice/WebserviceRequest.php`` (PrestaShop/PrestaShop,
8.x) sets — here 17 empty key, 18 key format, 20 key not active; what
follows the key is :mod:`.webservice`'s.

PrestaShop itself documents no rate limit: ``rate_limit`` is a switch that
stands for the web server or proxy in front of a shop (429 + Retry-After).
"""

from __future__ import annotations

import base64
import json
import logging
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl

from passerelle.sandbox import kit

from .engine import ApiError, Engine
from .files import Binary
from .webservice import Webservice

__all__ = ["DEMO_KEY", "PrestaShopSandbox"]

log = logging.getLogger("passerelle.sandbox.prestashop")

DEMO_KEY = "PASSERELLEDEMOKEY0PRESTASHOP0001"  # 32 characters, as PrestaShop generates


class PrestaShopSandbox(kit.LoopbackSandbox):
    """A local PrestaShop 8 Webservice over HTTPS, seeded with the demo shop."""

    kind = "prestashop"
    wire = kit.Wire(
        logger=log.name,
        server_header="Apache",
        methods=("GET", "POST", "PUT", "PATCH", "DELETE", "HEAD"),
        secret_params=("ws_key",),
    )
    url_needs_start = True

    def __init__(
        self,
        state_file: Path | None = None,
        *,
        api_key: str = DEMO_KEY,
        host: str = "127.0.0.1",
        port: int = 0,
        seed: bool = True,
        latency: float = 0.0,
        rate_limit: float | None = None,
        faults: kit.Faults | None = None,
        cert_dir: Path | None = None,
        permissions: dict[str, frozenset[str]] | None = None,
    ) -> None:
        state = Path(state_file) if state_file else None
        super().__init__(state, host, port, latency, faults, cert_dir, rate_limit)
        self.api_key = api_key
        self.engine = Engine(Path(state_file) if state_file else None)
        self.webservice = Webservice(self.engine, permissions)
        if seed and not self.engine.loaded_from_file:
            from .seed import seed_shop

            with self.engine.lock:
                seed_shop(self.engine)

    def seed_products(self, count: int, prefix: str = "BENCH-") -> list[dict[str, Any]]:
        """``count`` simple products (each with its stock row, quantity 0) put straight
        into the shop, for benchmarks: references ``<prefix>00001``…"""
        with self.engine.lock:
            return [
                self.engine.insert(
                    "products",
                    {
                        "reference": f"{prefix}{n:05d}",
                        "name": {"1": f"Produit {n}"},
                        "link_rewrite": {"1": f"produit-{n}"},
                        "price": "9.900000",
                        "id_tax_rules_group": "1",
                        "id_category_default": "2",
                        "active": "1",
                        "state": "1",
                        "type": "standard",
                    },
                )
                for n in range(1, count + 1)
            ]

    def _on_stop(self) -> None:
        self.engine.save()

    # -- requests -------------------------------------------------------------------------
    def handle(self, method: str, target: str, headers: dict[str, str], body: bytes) -> kit.Answer:
        split, path = self.arrive(method, target)
        query = dict(parse_qsl(split.query, keep_blank_values=True))
        as_json = (
            query.get("output_format", "").upper() == "JSON"
            or query.get("io_format", "").upper() == "JSON"
        )
        retry, fault = self.admit()
        if retry is not None:
            return self._error(
                ApiError(429, 0, "Too Many Requests"), as_json, {"Retry-After": str(retry)}
            ) + (None,)
        if fault == "500":
            return self._error(ApiError(500, 0, "Internal Server Error"), as_json) + (None,)
        if fault == "timeout":
            return self.timed_out()
        try:
            status, payload = self._dispatch(method, path, query, headers, body, as_json)
        except ApiError as error:
            extra = {}
            if error.status == 401:
                extra["WWW-Authenticate"] = (
                    'Basic realm="Welcome to PrestaShop Webservice, '
                    "please enter the authentication key as the login. "
                    'No password required."'
                )
            return self._error(error, as_json, extra) + (None,)
        except Exception:  # noqa: BLE001 - a sandbox bug must still answer like PrestaShop
            log.exception("sandbox handler failed for %s %s", method, path)
            return self._error(ApiError(500, 0, "Internal error"), as_json) + (None,)
        out_headers = {
            "Content-Type": "application/json" if as_json else "text/xml;charset=utf-8",
            "PSWS-Version": "8.1.0",
            "Execution-Time": "0.01",
        }
        if isinstance(payload, Binary):  # a file: its own type, no Webservice headers
            out_headers = {**payload.headers, "PSWS-Version": "8.1.0"}
            payload = payload.data
        data = payload if isinstance(payload, bytes) else payload.encode()
        if fault == "malformed" and status < 300:
            return kit.cut_short(status, out_headers, data)
        return status, out_headers, data, None

    @staticmethod
    def _error(
        error: ApiError, as_json: bool, headers: dict[str, str] | None = None
    ) -> tuple[int, dict[str, str], bytes]:
        if as_json:
            payload = json.dumps({"errors": [{"code": error.code, "message": error.message}]})
            ctype = "application/json"
        else:
            message = error.message.replace("]]>", "")
            payload = (
                '<?xml version="1.0" encoding="UTF-8"?>\n<prestashop xmlns:xlink='
                '"http://www.w3.org/1999/xlink">\n<errors>\n<error>\n<code><![CDATA['
                f"{error.code}]]></code>\n<message><![CDATA[{message}]]></message>\n"
                "</error>\n</errors>\n</prestashop>"
            )
            ctype = "text/xml;charset=utf-8"
        return (
            error.status,
            {"Content-Type": ctype, "PSWS-Version": "8.1.0", **(headers or {})},
            payload.encode(),
        )

    def _authenticate(self, headers: dict[str, str], query: dict[str, str]) -> None:
        # webservice/dispatcher.php: the basic-auth user (PHP_AUTH_USER) first, ``ws_key``
        # only without one, so a site password the web server hands on hides ``ws_key``.
        auth = headers.get("authorization", "")
        if auth.lower().startswith("basic "):
            try:
                key = base64.b64decode(auth[6:]).decode().partition(":")[0]
            except (ValueError, UnicodeDecodeError):
                key = ""
        else:
            key = query.get("ws_key", "")
        key = key.strip()
        if not key:
            raise ApiError(401, 17, "Authentication key is empty")
        if len(key) != 32:
            raise ApiError(401, 18, "Invalid authentication key format")
        if key != self.api_key:
            raise ApiError(401, 20, "Authentification key is not active")  # sic

    def _dispatch(
        self,
        method: str,
        path: str,
        query: dict[str, str],
        headers: dict[str, str],
        body: bytes,
        as_json: bool,
    ) -> tuple[int, str | bytes | Binary]:
        if not (path == "/api" or path.startswith("/api/")):
            raise ApiError(404, 0, "Page not found")
        self._authenticate(headers, query)
        if query.get("ps_method"):  # cheat-sheet.md: override the HTTP method
            method = query["ps_method"].upper()
        parts = [p for p in path[len("/api") :].split("/") if p]
        if not parts:
            return 200, self.webservice.index(self.url)
        return self.webservice.answer(
            method, parts, query, body, as_json, self.url, headers.get("content-type", "")
        )
