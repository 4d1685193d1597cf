"""A local HTTP server of image files, for the shop to download (C7 sideload tests).

Why: WooCommerce fetches each new image from its ``src`` URL; the sandbox
does the same, so tests serve known bytes and check their SHA-256 arrived.
"""

from __future__ import annotations

import hashlib
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

__all__ = ["FileServer", "serve_files"]


class FileServer:
    """Files by path (``/img/a.png``), served over plain HTTP on loopback."""

    def __init__(self, server: ThreadingHTTPServer, files: dict[str, bytes]) -> None:
        self.server = server
        self.files = files
        self.hits: list[str] = []

    @property
    def base(self) -> str:
        host, port = self.server.server_address[:2]
        return f"http://{host}:{port}"

    def url(self, path: str) -> str:
        return f"{self.base}{path}"

    def sha256(self, path: str) -> str:
        return hashlib.sha256(self.files[path]).hexdigest()


@contextmanager
def serve_files(files: dict[str, bytes]) -> Iterator[FileServer]:
    holder: dict[str, FileServer] = {}

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802 - stdlib name
            holder["server"].hits.append(self.path)
            data = files.get(self.path)
            if data is None:
                self.send_error(404)
                return
            self.send_response(200)
            self.send_header("Content-Type", "image/png")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
            return

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    holder["server"] = FileServer(server, files)
    thread = threading.Thread(
        target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
    )
    thread.start()
    try:
        yield holder["server"]
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)
