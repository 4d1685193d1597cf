"""``/health`` and ``/metrics``: what a service manager, a load balancer and Prometheus ask.

``GET /health`` is public (a load balancer has no session): it says whether the
store answers and whether each profile's back-office does, nothing more — no
address, no message, no secret — with 200 when all is well and 503 otherwise.
Each check has a short timeout and the answer is kept a few seconds, so a probe
every second costs one check per back-office, not one per probe.

``GET /metrics`` is Prometheus' text format (:mod:`passerelle.console.metrics`).
It is not behind the console's sign-in (Prometheus has no session either) but
behind its own rule: with ``PASSERELLE_METRICS_TOKEN`` set, a request must bear
``Authorization: Bearer <token>``; without it, only a client on this machine
(loopback) is answered. See docs/deploy.md.
"""

from __future__ import annotations

import hmac
import os
import threading
import time
from collections.abc import Callable
from concurrent.futures import Future
from concurrent.futures import TimeoutError as FutureTimeout
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from prometheus_client import CONTENT_TYPE_LATEST, generate_latest
from sqlalchemy import text
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse, Response
from starlette.routing import Route

from passerelle.console.metrics import registry_for
from passerelle.i18n import _
from passerelle.platforms import build_backoffice
from passerelle.profiles import ProfileError, ProfileRepository
from passerelle.store import Store

__all__ = [
    "METRICS_TOKEN_ENV",
    "OPERATIONS_PUBLIC_PATHS",
    "HealthChecks",
    "metrics_allowed",
    "operations_routes",
]

#: The bearer token Prometheus must send for ``/metrics`` (unset: loopback only).
METRICS_TOKEN_ENV = "PASSERELLE_METRICS_TOKEN"
#: Answered without a console session (each has its own rule, see above).
OPERATIONS_PUBLIC_PATHS = frozenset({"/health", "/metrics"})
_LOOPBACK = frozenset({"127.0.0.1", "::1", "localhost"})


@dataclass
class HealthChecks:
    """The store and each profile's back-office, checked at once with a timeout."""

    data_dir: Path
    store: Store
    timeout: float = 5.0
    #: How long an answer is reused: probes are frequent, a back-office check is not free.
    keep_for: float = 5.0
    clock: Callable[[], float] = time.monotonic
    _lock: threading.Lock = field(default_factory=threading.Lock)
    _last: tuple[float, dict[str, Any]] | None = None

    def report(self) -> dict[str, Any]:
        """``{"ok", "store": {"ok"}, "backoffices": {profile: {"kind", "ok"}}}``."""
        with self._lock:
            now = self.clock()
            if self._last is not None and now - self._last[0] < self.keep_for:
                return self._last[1]
            answer = self._check()
            self._last = (self.clock(), answer)
            return answer

    def _check(self) -> dict[str, Any]:
        deadline = self.clock() + self.timeout
        store = _in_background(self._store_answers)
        profiles = ProfileRepository(self.data_dir)
        backoffices: dict[str, tuple[str, Future[bool] | None]] = {}
        for name in profiles.names():
            try:
                profile = profiles.load(name)
            except ProfileError:  # a profile that does not load cannot reach anything
                backoffices[name] = ("unknown", None)
                continue
            settings = profile.backoffice
            backoffices[name] = (
                settings.kind,
                _in_background(self._backoffice_answers, settings),
            )
        store_ok = self._wait(store, deadline)
        reached = {
            name: {"kind": kind, "ok": future is not None and self._wait(future, deadline)}
            for name, (kind, future) in backoffices.items()
        }
        return {
            "ok": store_ok and all(b["ok"] for b in reached.values()),
            "store": {"ok": store_ok},
            "backoffices": reached,
        }

    def _wait(self, future: Future[bool], deadline: float) -> bool:
        try:
            return future.result(timeout=max(deadline - self.clock(), 0.0))
        except FutureTimeout:  # no answer in time: unreachable for this probe
            return False
        except Exception:  # noqa: BLE001 - any failure of a check is "not reachable"
            return False

    def _store_answers(self) -> bool:
        with self.store.engine.connect() as connection:
            connection.execute(text("SELECT 1"))
        return True

    def _backoffice_answers(self, settings: Any) -> bool:
        backoffice = build_backoffice(settings, self.data_dir)
        try:
            return bool(backoffice.test_connection().ok)
        finally:
            close = getattr(backoffice, "close", None)
            if callable(close):
                close()


def _in_background(check: Callable[..., bool], *args: Any) -> Future[bool]:
    """Run ``check`` in a daemon thread: one that hangs past its timeout is abandoned
    and never keeps the server from stopping."""
    future: Future[bool] = Future()

    def work() -> None:
        try:
            future.set_result(check(*args))
        except BaseException as exc:  # noqa: BLE001 - handed to the waiting request
            future.set_exception(exc)

    threading.Thread(target=work, name="health check", daemon=True).start()
    return future


def metrics_allowed(request: Request, token: str | None) -> Response | None:
    """None when the request may read the metrics; else the refusal to send."""
    if token:
        given = request.headers.get("authorization", "")
        scheme, _sep, value = given.partition(" ")
        if scheme.lower() == "bearer" and hmac.compare_digest(value.strip(), token):
            return None
        return PlainTextResponse(
            _("The metrics need the bearer token."),
            status_code=401,
            headers={"WWW-Authenticate": "Bearer"},
        )
    client = request.client.host if request.client else ""
    if client in _LOOPBACK:
        return None
    return PlainTextResponse(
        _(
            "The metrics answer this machine only, unless %(setting)s is set.",
            setting=METRICS_TOKEN_ENV,
        ),
        status_code=403,
    )


def operations_routes(
    data_dir: Path,
    store: Store,
    *,
    metrics_token: str | None = None,
    health_timeout: float = 5.0,
) -> list[Route]:
    """The ``/health`` and ``/metrics`` routes; ``metrics_token`` defaults to
    $PASSERELLE_METRICS_TOKEN."""
    token = metrics_token if metrics_token is not None else os.environ.get(METRICS_TOKEN_ENV)
    checks = HealthChecks(data_dir, store, timeout=health_timeout)
    registry = registry_for(store)

    async def health(request: Request) -> Response:
        report = await run_in_threadpool(checks.report)
        return JSONResponse(report, status_code=200 if report["ok"] else 503)

    async def metrics(request: Request) -> Response:
        refused = metrics_allowed(request, token)
        if refused is not None:
            return refused
        body = await run_in_threadpool(generate_latest, registry)
        return Response(body, media_type=CONTENT_TYPE_LATEST)

    return [
        Route("/health", health, methods=["GET"], name="health"),
        Route("/metrics", metrics, methods=["GET"], name="metrics"),
    ]
