"""Serving the receiver with uvicorn: in the foreground (``passerelle serve``) or in a thread.

The thread form is what tests and the demo use: a real HTTP server on a free
loopback port, so a sandbox delivers over the network exactly as a shop
would. Only the plain-HTTP/1.1 parts of uvicorn are used (no websockets, no
lifespan), which keeps its optional dependencies out.
"""

from __future__ import annotations

import socket
import threading
import time

import uvicorn
from starlette.types import ASGIApp

from passerelle.i18n import _

__all__ = ["BackgroundServer", "serve"]

# Who may set X-Forwarded-For: a reverse proxy on this machine, by default.
DEFAULT_FORWARDED_ALLOW_IPS = "127.0.0.1"
#: How long a stop (SIGTERM, Ctrl-C) lets requests in progress finish. Without a bound,
#: uvicorn waits for every connection to close, and a browser left on a flow's page keeps
#: its live journal open for up to half an hour: the server would not stop (systemd's
#: stop, then its SIGKILL, or a merchant's Ctrl-C doing nothing).
GRACEFUL_SHUTDOWN_SECONDS = 5


def _config(
    app: ASGIApp, host: str, port: int, forwarded_allow_ips: str, log_level: str
) -> uvicorn.Config:
    return uvicorn.Config(
        app,
        host=host,
        port=port,
        http="h11",
        ws="none",
        lifespan="off",
        proxy_headers=True,
        forwarded_allow_ips=forwarded_allow_ips,
        log_level=log_level,
        access_log=False,
        server_header=False,
        timeout_graceful_shutdown=GRACEFUL_SHUTDOWN_SECONDS,
    )


def serve(
    app: ASGIApp, *, host: str, port: int, forwarded_allow_ips: str = DEFAULT_FORWARDED_ALLOW_IPS
) -> None:
    """Serve until interrupted (uvicorn handles Ctrl-C and SIGTERM)."""
    uvicorn.Server(_config(app, host, port, forwarded_allow_ips, "info")).run()


class BackgroundServer:
    """The app on ``host`` and a free port, in a daemon thread, until :meth:`stop`."""

    def __init__(
        self,
        app: ASGIApp,
        *,
        host: str = "127.0.0.1",
        forwarded_allow_ips: str = DEFAULT_FORWARDED_ALLOW_IPS,
    ) -> None:
        self._socket = socket.create_server((host, 0))
        self.host = host
        self.port = self._socket.getsockname()[1]
        self._server = uvicorn.Server(_config(app, host, self.port, forwarded_allow_ips, "warning"))
        self._thread = threading.Thread(
            target=self._server.run,
            kwargs={"sockets": [self._socket]},
            name=f"webhooks-{self.port}",
            daemon=True,
        )

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}"

    def start(self, timeout: float = 10.0) -> BackgroundServer:
        self._thread.start()
        deadline = time.monotonic() + timeout
        while not self._server.started:
            if not self._thread.is_alive() or time.monotonic() > deadline:
                raise RuntimeError(_("the webhook receiver did not start"))
            time.sleep(0.01)
        return self

    def stop(self) -> None:
        self._server.should_exit = True
        self._thread.join(timeout=10)
        self._socket.close()

    def __enter__(self) -> BackgroundServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()
