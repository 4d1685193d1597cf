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
import socket
import ssl
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, unquote, urlsplit

from passerelle.connectors.http import redact_in_logs
from passerelle.sandbox.woocommerce.faults import FaultInjector, Faults, RateLimiter
from passerelle.sandbox.woocommerce.tls import CertificateAuthority, default_cert_dir

from .engine import ApiError, Engine
from .webservice import Webservice

__all__ = ["DEMO_KEY", "PrestaShopSandbox"]

log = logging.getLogger("passerelle.sandbox.prestashop")
redact_in_logs("ws_key", loggers=(log.name,))

DEMO_KEY = "PASSERELLEDEMOKEY0PRESTASHOP0001"  # 32 characters, as PrestaShop generates


class PrestaShopSandbox:
    """A local PrestaShop 8 Webservice over HTTPS, seeded with the demo shop."""

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
        faults: Faults | None = None,
        cert_dir: Path | None = None,
        permissions: dict[str, frozenset[str]] | None = None,
    ) -> None:
        self.api_key = api_key
        self.host = host
        self.port = port
        self.latency = latency
        self._limiter = RateLimiter(rate_limit)
        self._faults = FaultInjector(faults)
        self._ca = CertificateAuthority(
            Path(cert_dir)
            if cert_dir
            else default_cert_dir("prestashop", Path(state_file) if state_file else None)
        )
        self.engine = Engine(Path(state_file) if state_file else None)
        self.webservice = Webservice(self.engine, permissions)
        self._requests: list[tuple[str, str]] = []
        self._requests_lock = threading.Lock()
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None
        self._stopping = threading.Event()
        if seed and not self.engine.loaded_from_file:
            from .seed import seed_shop

            with self.engine.lock:
                seed_shop(self.engine)

    # -- switches and introspection --------------------------------------------------
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

    @property
    def requests(self) -> list[tuple[str, str]]:
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
        return f"https://{self.host}:{self.port}"

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

    # -- lifecycle ------------------------------------------------------------------
    def start(self) -> PrestaShopSandbox:
        if self._server is not None:
            return self
        self._stopping.clear()
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
            name=f"prestashop-sandbox-{self.port}",
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
        self.engine.save()

    # -- requests -------------------------------------------------------------------------
    def handle(
        self, method: str, target: str, headers: dict[str, str], body: bytes
    ) -> tuple[int, dict[str, str], bytes, str | None]:
        split = urlsplit(target)
        path = unquote(split.path)
        query = dict(parse_qsl(split.query, keep_blank_values=True))
        with self._requests_lock:
            self._requests.append((method, path))
        as_json = (
            query.get("output_format", "").upper() == "JSON"
            or query.get("io_format", "").upper() == "JSON"
        )
        if self.latency > 0:
            self._stopping.wait(self.latency)
        retry = self._limiter.acquire()
        fault = self._faults.draw()
        if retry is not None or fault == "429":
            wait = retry if retry is not None else max(1, round(self.faults.retry_after))
            return self._error(
                ApiError(429, 0, "Too Many Requests"), as_json, {"Retry-After": str(wait)}
            ) + (None,)
        if fault == "500":
            return self._error(ApiError(500, 0, "Internal Server Error"), as_json) + (None,)
        if fault == "timeout":
            self._stopping.wait(self.faults.timeout_after)
            return 0, {}, b"", "timeout"
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
        data = payload if isinstance(payload, bytes) else payload.encode()
        if fault == "malformed" and status < 300:
            return status, out_headers, data[: max(1, len(data) // 2)], "malformed"
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
        key = query.get("ws_key", "")
        auth = headers.get("authorization", "")
        if not key and auth.lower().startswith("basic "):
            try:
                key = base64.b64decode(auth[6:]).decode().partition(":")[0]
            except (ValueError, UnicodeDecodeError):
                key = ""
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
    ) -> tuple[int, str | bytes]:
        if not (path == "/api" or path.startswith("/api/")):
            raise ApiError(404, 0, "Page not found")
        self._authenticate(headers, query)
        if query.get("ps_method"):  # cheat-sheet.md: override the HTTP method
            method = query["ps_method"].upper()
        parts = [p for p in path[len("/api") :].split("/") if p]
        if not parts:
            return 200, self.webservice.index(self.url)
        return self.webservice.answer(method, parts, query, body, as_json, self.url)


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    sandbox: PrestaShopSandbox

    def handle_error(self, request: Any, client_address: Any) -> None:
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
        status, out, payload, fault = self.server.sandbox.handle(
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
        for name, value in out.items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(payload)

    do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = do_HEAD = _serve


def serve(
    *,
    state_file: Path | None,
    host: str = "127.0.0.1",
    port: int = 8444,
    latency: float = 0.0,
    fault_rate: float = 0.0,
    rate_limit: float | None = None,
    fault_kinds: tuple[str, ...] = ("500",),
    cert_dir: Path | None = None,
) -> None:
    """Run a sandbox in the foreground until Ctrl-C; print its URL, key and CA path."""
    faults = Faults(rate=fault_rate, kinds=tuple(fault_kinds)) if fault_rate else None
    sandbox = PrestaShopSandbox(
        state_file,
        host=host,
        port=port,
        latency=latency,
        rate_limit=rate_limit,
        faults=faults,
        cert_dir=cert_dir,
    )
    sandbox.start()
    print(f"PrestaShop sandbox: {sandbox.url}/api/")
    print(f"CA certificate to trust: {sandbox.ca_bundle}")
    print(f"Webservice key (basic-auth user, no password): {sandbox.api_key}")
    try:
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        print("stopping…")
    finally:
        sandbox.stop()
