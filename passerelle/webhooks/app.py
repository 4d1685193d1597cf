"""The ASGI receiver: ``POST /webhooks/{profile}``, verified, queued, answered at once.

Order of checks, each refusing with nothing queued: the profile takes
webhooks (404), the client's address is allowed (403, R10), the body is of a
sane size (413), the profile's required headers and the platform's signature
(401), the platform's own rules (shop, staleness: see each platform module),
the order id of the platform's documented type (400, ``ids.py``).
Only then is the sink called, and only for order topics. Every platform asks
for a fast 2xx and retries (or, WooCommerce, gives up) otherwise, so the
receiver does no flow work: the answer is 200 with an empty body as soon as
the job is in the store. A store that cannot be written answers 503, so the
platforms that retry do.

Why Starlette: DESIGN.md names it for the dashboard to come; a receiver is a
single route, and Starlette gives it the raw body (signatures are over the
bytes as sent), a thread pool for the blocking store, and a standard ASGI
app that uvicorn serves (``passerelle serve``).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from pathlib import Path

from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.requests import ClientDisconnect, Request
from starlette.responses import PlainTextResponse, Response
from starlette.routing import Route

from passerelle.webhooks.delivery import Action, Delivery, Rejected
from passerelle.webhooks.settings import ProfileSettings, ReceiverSettings
from passerelle.webhooks.sink import WebhookSink

__all__ = ["MAX_BODY_BYTES", "create_app"]

log = logging.getLogger("passerelle.webhooks")

# A Shopify order with hundreds of lines is well under 1 MB; more is not a delivery.
MAX_BODY_BYTES = 5 * 1024 * 1024


def create_app(
    data_dir: Path,
    sink: WebhookSink,
    *,
    profiles: ProfileSettings | None = None,
    clock: Callable[[], float] = time.time,
) -> Starlette:
    """The receiver for the profiles of ``data_dir``, handing order events to ``sink``."""
    settings_of = profiles or ProfileSettings(data_dir)

    async def receive(request: Request) -> Response:
        name = str(request.path_params["profile"])
        client = request.client.host if request.client else None
        try:
            settings = await run_in_threadpool(settings_of.get, name)
            if not settings.allows(client):
                raise Rejected(403, f"address {client} is not in [webhooks] allow_ips")
            body = await _read_body(request)
            headers = {k.lower(): v for k, v in request.headers.items()}
            delivery = settings.verify(headers, body, clock())
            outcome = await run_in_threadpool(_hand_over, sink, settings, delivery)
        except Rejected as refused:
            return _refuse(name, client, refused)
        log.info(
            "profile %s: %s %s%s: %s",
            name,
            delivery.platform,
            delivery.topic,
            f" {delivery.resource_id}" if delivery.resource_id else "",
            outcome,
        )
        return Response(status_code=200)

    return Starlette(routes=[Route("/webhooks/{profile}", receive, methods=["POST"])])


def _hand_over(sink: WebhookSink, settings: ReceiverSettings, delivery: Delivery) -> str:
    """Give an order event to the sink; what happened, in words for the log."""
    if delivery.action is Action.PING:
        return "creation ping answered"
    if delivery.action is Action.STALE:
        return "stale (older than max_age_seconds): not queued, the order poll will read it"
    if delivery.action is Action.IGNORE:
        return "topic ignored"
    try:
        new = sink.accept(
            settings.profile.name,
            delivery.platform,
            delivery.delivery_id,
            delivery.topic,
            delivery.resource_id,
        )
    except Exception:  # the store is down or refused: the platform must try again
        log.exception(
            "profile %s: cannot queue delivery %s", settings.profile.name, delivery.delivery_id
        )
        raise Rejected(503, "cannot queue the delivery now") from None
    return "import queued" if new else "already received (replay): nothing queued"


async def _read_body(request: Request) -> bytes:
    """The raw body, refused past :data:`MAX_BODY_BYTES` without reading the rest."""
    declared = request.headers.get("content-length")
    if declared is not None and declared.isdigit() and int(declared) > MAX_BODY_BYTES:
        raise Rejected(413, "body too large")
    chunks: list[bytes] = []
    size = 0
    try:
        async for chunk in request.stream():
            size += len(chunk)
            if size > MAX_BODY_BYTES:
                raise Rejected(413, "body too large")
            chunks.append(chunk)
    except ClientDisconnect:
        raise Rejected(400, "the client went away before the body was read") from None
    return b"".join(chunks)


def _refuse(profile: str, client: str | None, refused: Rejected) -> Response:
    """Log and answer a refusal. 5xx details stay in the log (they may name where a
    secret is kept); 4xx reasons are safe to answer."""
    log.warning(
        "profile %s: delivery from %s refused (%s): %s",
        profile,
        client,
        refused.status,
        refused.reason,
    )
    text = (
        refused.reason
        if refused.status < 500
        else "cannot take deliveries for this profile now; see the receiver's log"
    )
    return PlainTextResponse(text, status_code=refused.status)
