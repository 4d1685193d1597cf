"""The loopback HTTPS server every sandbox runs: ``http.server`` with TLS.

Why ``http.server``: no framework to install or to hide behaviour; one thread per
connection with HTTP/1.1 keep-alive (``ThreadingHTTPServer``), TLS from :mod:`ssl`
with the handshake done in the connection's own thread so a slow client cannot
stall the accept loop. The server knows nothing of a platform: it hands each request
to the sandbox's ``handle`` and writes the :data:`~.responses.Answer` back, or drops
the connection for the "timeout" fault.
"""

from __future__ import annotations

import logging
import re
import socket
import ssl
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Protocol

from .responses import Answer
from .tls import CertificateAuthority

__all__ = ["EVERY_METHOD", "Handles", "LoopbackServer", "Wire"]

# What a PHP application behind Apache answers (the others: the stdlib's 501).
EVERY_METHOD = ("GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS")


class Handles(Protocol):
    """What the server asks of a sandbox."""

    def handle(self, method: str, target: str, headers: dict[str, str], body: bytes) -> Answer: ...


@dataclass(frozen=True)
class Wire:
    """How a platform's web server shows itself on the wire."""

    logger: str
    server_header: str | None = None  # None: the stdlib's own ``Server`` header
    methods: tuple[str, ...] = ("GET", "POST", "PUT", "DELETE")
    extra_headers: dict[str, str] = field(default_factory=dict)  # sent with every answer
    secret_params: tuple[str, ...] = ()  # query parameters masked in the access log

    def redact(self, line: str) -> str:
        for name in self.secret_params:
            line = re.sub(rf"({re.escape(name)}=)[^&\s\"']+", r"\1***", line)
        return line


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    sandbox: Handles
    wire: Wire

    def handle_error(self, request: Any, client_address: Any) -> None:
        # Clients dropping connections (and TLS probes) are normal here: stay quiet.
        logging.getLogger(self.wire.logger).debug(
            "connection error from %s", client_address, exc_info=True
        )


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: _Server

    def setup(self) -> None:
        self.request.settimeout(30)
        # Headers and body leave in two writes: without this, Nagle's algorithm and
        # the client's delayed ACK hold every answer ~40 ms.
        self.request.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        if isinstance(self.request, ssl.SSLSocket):
            self.request.do_handshake()
        super().setup()

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - stdlib signature
        wire = self.server.wire
        logging.getLogger(wire.logger).debug(
            "%s - %s", self.address_string(), wire.redact(format % args)
        )

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
        for name, value in self.server.wire.extra_headers.items():
            self.send_header(name, value)
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(payload)


def _handler_class(wire: Wire) -> type[_Handler]:
    """A handler answering ``wire.methods`` only (others: the stdlib's 501)."""
    attributes: dict[str, Any] = {f"do_{m}": _Handler._serve for m in wire.methods}  # noqa: SLF001
    if wire.server_header is not None:
        attributes |= {"server_version": wire.server_header, "sys_version": ""}
    return type("SandboxHandler", (_Handler,), attributes)


class LoopbackServer:
    """One listening socket and the thread serving it, for one sandbox."""

    def __init__(
        self, sandbox: Handles, wire: Wire, ca: CertificateAuthority, host: str, port: int
    ) -> None:
        family = socket.AF_INET6 if ":" in host else socket.AF_INET
        server_cls = type("SandboxServer", (_Server,), {"address_family": family})
        server = server_cls((host, port), _handler_class(wire))
        context = ca.server_context(host)
        server.socket = context.wrap_socket(
            server.socket, server_side=True, do_handshake_on_connect=False
        )
        server.sandbox = sandbox
        server.wire = wire
        self._server = server
        self.port: int = server.server_address[1]
        self._thread = threading.Thread(
            target=server.serve_forever,
            kwargs={"poll_interval": 0.1},
            name=f"{wire.logger.rsplit('.', 1)[-1]}-sandbox-{self.port}",
            daemon=True,
        )

    def start(self) -> LoopbackServer:
        self._thread.start()
        return self

    def close(self) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)
