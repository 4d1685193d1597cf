"""Latency, rate limiting and injected faults: the bad days of a real shop.

Why: a connector's retry, back-off and idempotency code is only proven
against a server that actually misbehaves. Faults are drawn from a seeded
``random.Random`` in request order, so a test run is reproducible.

Kinds:
- ``"429"``: Too Many Requests with ``Retry-After`` and the platform's own
  error body; nothing is processed.
- ``"500"``: the platform's internal-error body; nothing processed.
- ``"timeout"``: the server waits ``timeout_after`` seconds then drops the
  connection without answering; nothing is processed.
- ``"malformed"``: the request IS processed, then the 200 body is cut short —
  the "response lost after the write" case that idempotent clients must survive.
"""

from __future__ import annotations

import math
import random
import threading
import time
from dataclasses import dataclass

__all__ = ["FAULT_KINDS", "FaultInjector", "Faults", "RateLimiter", "faults_at"]

FAULT_KINDS = ("429", "500", "timeout", "malformed")


@dataclass(frozen=True)
class Faults:
    """What to inject and how often (``rate`` is a probability per request)."""

    rate: float = 0.0
    kinds: tuple[str, ...] = ("500",)
    retry_after: float = 1.0
    timeout_after: float = 5.0
    seed: int | None = None

    def __post_init__(self) -> None:
        if not 0.0 <= self.rate <= 1.0:
            raise ValueError("Faults.rate must be between 0 and 1")
        unknown = set(self.kinds) - set(FAULT_KINDS)
        if unknown or not self.kinds:
            raise ValueError(f"Faults.kinds must be among {FAULT_KINDS}, got {self.kinds!r}")


def faults_at(rate: float, kinds: tuple[str, ...]) -> Faults | None:
    """The switch a command line sets: ``kinds`` at ``rate``, or none at rate 0."""
    return Faults(rate=rate, kinds=tuple(kinds)) if rate else None


class FaultInjector:
    """Draws the fault, if any, for each request from the current :class:`Faults`."""

    def __init__(self, faults: Faults | None) -> None:
        self._lock = threading.Lock()
        self.configure(faults)

    def configure(self, faults: Faults | None) -> None:
        with self._lock:
            self.faults = faults or Faults()
            self._random = random.Random(self.faults.seed)

    def draw(self) -> str | None:
        with self._lock:
            faults = self.faults
            if faults.rate <= 0:
                return None
            if self._random.random() >= faults.rate:
                return None
            return faults.kinds[self._random.randrange(len(faults.kinds))]


class RateLimiter:
    """A token bucket: ``rate`` requests per second, bursts up to ``max(1, rate)``."""

    def __init__(self, rate: float | None) -> None:
        self._lock = threading.Lock()
        self.configure(rate)

    def configure(self, rate: float | None) -> None:
        with self._lock:
            self.rate = rate if rate and rate > 0 else None
            self._capacity = max(1.0, self.rate or 1.0)
            self._tokens = self._capacity
            self._stamp = time.monotonic()

    def acquire(self) -> int | None:
        """None if the request may go on, else the ``Retry-After`` seconds to send."""
        with self._lock:
            if self.rate is None:
                return None
            now = time.monotonic()
            self._tokens = min(self._capacity, self._tokens + (now - self._stamp) * self.rate)
            self._stamp = now
            if self._tokens >= 1.0:
                self._tokens -= 1.0
                return None
            return max(1, math.ceil((1.0 - self._tokens) / self.rate))
