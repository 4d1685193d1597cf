"""The demo's stand-in for the merchant's web server: the published files on loopback.

Shops download a product's images from an address (``catalogue.media.public_url``),
never from passerelle: a merchant's web server or CDN serves ``publish_dir``. The
demo has neither, so while it runs it serves ``<data dir>/media`` itself, on a fixed
local port when free (the address stays the same from one demo to the next) or any
free one. Demo plumbing only; no connector or flow uses it.
"""

from __future__ import annotations

import functools
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

__all__ = ["DEMO_FILES_PORT", "serve_folder"]

# Beside the sandboxes' own ports (8443-8447, passerelle.platforms).
DEMO_FILES_PORT = 8449


class _QuietHandler(SimpleHTTPRequestHandler):
    """Serves the files without a line on the console for each download."""

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - stdlib signature
        pass


def _server(directory: Path, port: int) -> ThreadingHTTPServer:
    handler = functools.partial(_QuietHandler, directory=str(directory))
    for candidate in (port, 0):
        try:
            return ThreadingHTTPServer(("127.0.0.1", candidate), handler)
        except OSError:
            if candidate == 0:
                raise
    raise AssertionError("unreachable")  # internal: the loop returns or raises


@contextmanager
def serve_folder(directory: Path, port: int = DEMO_FILES_PORT) -> Iterator[str]:
    """Serve ``directory`` over HTTP on loopback; yields its address, ending in "/"."""
    directory.mkdir(parents=True, exist_ok=True)
    server = _server(directory, port)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()
