"""The log of the requests a sandbox received, which tests read to count round trips."""

from __future__ import annotations

import threading

__all__ = ["RequestLog"]


class RequestLog:
    """(method, path without query) of every request received, in order; thread-safe
    because each connection is served by its own thread."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._entries: list[tuple[str, str]] = []

    def add(self, method: str, path: str) -> None:
        with self._lock:
            self._entries.append((method, path))

    def entries(self) -> list[tuple[str, str]]:
        with self._lock:
            return list(self._entries)

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()
