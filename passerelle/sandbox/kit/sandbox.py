"""The base of every sandbox: switches, request log, TLS, start and stop.

A platform's sandbox calls ``super().__init__`` with the switches it takes, names its
:class:`~.server.Wire`, and implements ``handle``. Per request it calls
:meth:`LoopbackSandbox.receive` (logged, delayed by the latency switch), then, where
the platform would refuse or fail, :meth:`~LoopbackSandbox.admit` (rate limit and
drawn fault) and :meth:`~LoopbackSandbox.timed_out`; the error bodies stay its own.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterable
from pathlib import Path
from typing import ClassVar, Self
from urllib.parse import SplitResult, unquote, urlsplit

from .faults import FaultInjector, Faults, RateLimiter
from .requests_log import RequestLog
from .responses import TIMED_OUT, Answer
from .server import LoopbackServer, Wire
from .tls import CertificateAuthority, default_cert_dir

__all__ = ["LoopbackSandbox", "run_in_foreground"]


class LoopbackSandbox:
    """A shop on loopback HTTPS; subclasses add the platform."""

    kind: ClassVar[str]
    wire: ClassVar[Wire]
    # True: ``url`` raises before ``start`` (the platform's handlers need the real port).
    url_needs_start: ClassVar[bool] = False

    def __init__(
        self,
        state_file: Path | None,
        host: str,
        port: int,
        latency: float = 0.0,
        faults: Faults | None = None,
        cert_dir: Path | None = None,
        rate_limit: float | None = None,
    ) -> None:
        self.host = host
        self.port = port
        self.latency = latency
        self._limiter = RateLimiter(rate_limit)
        self._faults = FaultInjector(faults)
        # TLS files go where told, else beside the state file, never in the cwd; they
        # are made when first needed, so a sandbox never started writes none.
        self._cert_dir = Path(cert_dir) if cert_dir else default_cert_dir(self.kind, state_file)
        self._authority: CertificateAuthority | None = None
        self.request_log = RequestLog()
        self._server: LoopbackServer | None = None
        self._stopping = threading.Event()

    # -- switches ---------------------------------------------------------------------
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

    # -- introspection ------------------------------------------------------------------
    @property
    def requests(self) -> list[tuple[str, str]]:
        """(method, path without query) of every request received, in order."""
        return self.request_log.entries()

    def reset_requests(self) -> None:
        self.request_log.clear()
        self._on_reset()

    @property
    def _ca(self) -> CertificateAuthority:
        if self._authority is None:
            self._authority = CertificateAuthority(self._cert_dir)
        return self._authority

    @property
    def ca_bundle(self) -> Path:
        return self._ca.ca_path

    @property
    def url(self) -> str:
        if self._server is None and self.url_needs_start:
            raise RuntimeError("the sandbox is not started")
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"https://{host}:{self.port}"

    @property
    def started(self) -> bool:
        return self._server is not None

    # -- lifecycle ------------------------------------------------------------------------
    def start(self) -> Self:
        if self._server is not None:
            return self
        self._stopping.clear()
        server = LoopbackServer(self, self.wire, self._ca, self.host, self.port)
        self.port = server.port
        self._server = server
        self._on_start()
        server.start()
        return self

    def stop(self) -> None:
        self._stopping.set()
        if self._server is not None:
            self._server.close()
            self._server = None
        self._on_stop()

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # Hooks: state to start, to save, extra logs to clear.
    def _on_start(self) -> None:
        return None

    def _on_stop(self) -> None:
        return None

    def _on_reset(self) -> None:
        return None

    # -- per request ------------------------------------------------------------------------
    def handle(self, method: str, target: str, headers: dict[str, str], body: bytes) -> Answer:
        raise NotImplementedError

    def receive(self, method: str, path: str) -> None:
        """Log the request, then hold it for the latency switch (a stop cuts the wait)."""
        self.request_log.add(method, path)
        if self.latency > 0:
            self._stopping.wait(self.latency)

    def arrive(self, method: str, target: str) -> tuple[SplitResult, str]:
        """:meth:`receive` for a request line's target: (its parts, its decoded path)."""
        split = urlsplit(target)
        path = unquote(split.path)
        self.receive(method, path)
        return split, path

    def admit(self) -> tuple[int | None, str | None]:
        """(``Retry-After`` seconds, None) when the rate limit or a drawn "429" fault
        refuses the request, else (None, the fault drawn or None)."""
        retry = self._limiter.acquire()
        if retry is not None:
            return retry, None
        fault = self._faults.draw()
        if fault == "429":
            return max(1, round(self.faults.retry_after)), None
        return None, fault

    def timed_out(self) -> Answer:
        """The "timeout" fault: hold the connection, then drop it unanswered."""
        self._stopping.wait(self.faults.timeout_after)
        return TIMED_OUT


def run_in_foreground(sandbox: LoopbackSandbox, lines: Iterable[str]) -> None:
    """Print what a profile needs (``lines``, made after ``sandbox.start()`` so they
    may name its port), serve until Ctrl-C, stop."""
    try:
        for line in lines:
            print(line)
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        print("stopping…")
    finally:
        sandbox.stop()
