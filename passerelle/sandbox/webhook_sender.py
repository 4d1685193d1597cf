"""Webhook deliveries as the shops send them: headers and signatures per platform, and a sender.

Built from each platform's documentation, not from passerelle's receiver (it
has its own signing code on purpose: a shared mistake would go unseen):

- WooCommerce: woocommerce-rest-api-docs ``wp-api-v3/_webhooks.md`` §
  Delivery/payload, and ``includes/class-wc-webhook.php`` (``deliver``,
  ``generate_signature``, ``get_new_delivery_id``, ``deliver_ping``): JSON
  body as the REST API renders it, ``X-WC-Webhook-Source/-Topic/-Resource/
  -Event/-Signature/-ID/-Delivery-ID``, signature ``base64(HMAC-SHA256(body,
  secret))``, delivery id ``wp_hash(webhook id . time())`` (HMAC-MD5 with the
  site's salt, so the same within one second), user agent ``WooCommerce/x
  Hookshot (WordPress/y)``; the ping is ``webhook_id=N``, form-encoded,
  unsigned.
- Shopify: shopify.dev "Webhooks delivery structure", the webhooks reference's
  example request and "Verify webhook deliveries": ``X-Shopify-Topic``,
  ``-Hmac-Sha256`` (base64 HMAC-SHA256 of the raw body with the app's client
  secret), ``-Shop-Domain``, ``-API-Version``, ``-Webhook-Id``,
  ``-Triggered-At``, ``-Event-Id``, ``-Name``.
- BigCommerce: bigcommerce/docs ``integrations/webhooks`` (payload ``scope,
  store_id, data, hash, created_at, producer``; the ``headers`` given at
  creation sent back) and the Standard Webhooks spec it points to:
  ``webhook-id``, ``webhook-timestamp``, ``webhook-signature: v1,<base64
  HMAC-SHA256("{id}.{timestamp}.{body}", client secret)>``.

:class:`WebhookSender` posts from one background thread, each delivery once:
like WooCommerce (Action Scheduler, no retry) — what a platform would retry
is for the test to replay. Switches for tests: ``repeat`` (each delivery sent
N times, identical, as a platform's duplicate or an attacker's replay would
be), ``drop_rate`` (a share never sent, as lost deliveries), ``shuffle``
(deliveries waiting together go out in random order).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import logging
import queue
import random
import ssl
import threading
import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import httpx

log = logging.getLogger("passerelle.sandbox.webhooks")

__all__ = [
    "Delivery",
    "WebhookSender",
    "bigcommerce_delivery",
    "bigcommerce_payload",
    "shopify_delivery",
    "woocommerce_delivery",
    "woocommerce_delivery_id",
    "woocommerce_ping",
]

Result = Callable[[int | None], None]  # the answer's status, None when none came


@dataclass(frozen=True)
class Delivery:
    """One HTTP POST a platform makes: where, the exact body, the headers."""

    url: str
    body: bytes
    headers: dict[str, str] = field(default_factory=dict)


def _sign(key: bytes, message: bytes) -> str:
    return base64.b64encode(hmac.new(key, message, hashlib.sha256).digest()).decode("ascii")


def _compact(payload: Any) -> bytes:
    return json.dumps(payload, separators=(",", ":"), ensure_ascii=False).encode()


# -- WooCommerce -------------------------------------------------------------------------


def woocommerce_delivery_id(webhook_id: int, at: float, salt: str) -> str:
    """``wp_hash($this->get_id() . strtotime('now'))``: HMAC-MD5 keyed with the site's salt."""
    return hmac.new(salt.encode(), f"{webhook_id}{int(at)}".encode(), hashlib.md5).hexdigest()


def woocommerce_delivery(
    *,
    url: str,
    secret: str,
    webhook_id: int,
    topic: str,
    body: bytes,
    source: str,
    delivery_id: str,
    user_agent: str,
) -> Delivery:
    """``WC_Webhook::deliver``: ``body`` is the JSON as ``wp_json_encode`` wrote it."""
    resource, _, event = topic.partition(".")
    return Delivery(
        url,
        body,
        {
            "Content-Type": "application/json",
            "User-Agent": user_agent,
            "X-WC-Webhook-Source": source,
            "X-WC-Webhook-Topic": topic,
            "X-WC-Webhook-Resource": resource,
            "X-WC-Webhook-Event": event,
            "X-WC-Webhook-Signature": _sign(secret.encode(), body),
            "X-WC-Webhook-ID": str(webhook_id),
            "X-WC-Webhook-Delivery-ID": delivery_id,
        },
    )


def woocommerce_ping(*, url: str, webhook_id: int, user_agent: str) -> Delivery:
    """``WC_Webhook::deliver_ping``: ``wp_safe_remote_post`` of a string body."""
    return Delivery(
        url,
        f"webhook_id={webhook_id}".encode(),
        {
            "Content-Type": "application/x-www-form-urlencoded; charset=UTF-8",
            "User-Agent": user_agent,
        },
    )


# -- Shopify -------------------------------------------------------------------------------


def shopify_delivery(
    *,
    url: str,
    client_secret: str,
    topic: str,
    shop_domain: str,
    payload: Mapping[str, Any] | bytes,
    api_version: str = "2026-01",
    event_id: str | None = None,
    webhook_id: str | None = None,
    triggered_at: datetime | None = None,
    name: str | None = None,
) -> Delivery:
    """One HTTPS delivery of a topic; ids are new unless given (a retry keeps both)."""
    body = payload if isinstance(payload, bytes) else _compact(payload)
    moment = (triggered_at or datetime.now(UTC)).astimezone(UTC)
    headers = {
        "Content-Type": "application/json",
        "User-Agent": "Shopify-Captain-Hook",
        "X-Shopify-Topic": topic,
        "X-Shopify-Hmac-Sha256": _sign(client_secret.encode(), body),
        "X-Shopify-Shop-Domain": shop_domain,
        "X-Shopify-API-Version": api_version,
        "X-Shopify-Webhook-Id": webhook_id or str(uuid.uuid4()),
        # The reference shows nanoseconds: "2025-07-10T16:15:47.000000Z".
        "X-Shopify-Triggered-At": moment.strftime("%Y-%m-%dT%H:%M:%S.%f") + "000Z",
        "X-Shopify-Event-Id": event_id or str(uuid.uuid4()),
    }
    if name:
        headers["X-Shopify-Name"] = name
    return Delivery(url, body, headers)


# -- BigCommerce ---------------------------------------------------------------------------


def bigcommerce_payload(
    *, scope: str, store_hash: str, store_id: str, data: Mapping[str, Any], created_at: int
) -> bytes:
    """The callback body; ``hash`` is "the SHA-1 hash of the JSON-encoded payload data"."""
    payload: dict[str, Any] = {
        "scope": scope,
        "store_id": store_id,
        "data": dict(data),
        "created_at": created_at,
        "producer": f"stores/{store_hash}",
    }
    payload["hash"] = hashlib.sha1(_compact(payload)).hexdigest()  # noqa: S324 - the docs' hash
    return _compact(payload)


def bigcommerce_delivery(
    *,
    url: str,
    client_secret: str,
    body: bytes,
    msg_id: str | None = None,
    timestamp: int | None = None,
    headers: Mapping[str, str] | None = None,
) -> Delivery:
    """A Standard Webhooks delivery of ``body``; ``timestamp`` is the attempt's (now)."""
    msg_id = msg_id or f"msg_{uuid.uuid4().hex}"
    sent = str(int(timestamp if timestamp is not None else datetime.now(UTC).timestamp()))
    signature = _sign(client_secret.encode(), f"{msg_id}.{sent}.".encode() + body)
    return Delivery(
        url,
        body,
        {
            "Content-Type": "application/json",
            **dict(headers or {}),
            "webhook-id": msg_id,
            "webhook-timestamp": sent,
            "webhook-signature": f"v1,{signature}",
        },
    )


# -- sending ---------------------------------------------------------------------------------


class WebhookSender:
    """Posts deliveries from a background thread, once each, recording every answer."""

    def __init__(
        self,
        *,
        verify: bool | ssl.SSLContext = True,
        timeout: float = 60.0,
        repeat: int = 1,
        drop_rate: float = 0.0,
        shuffle: bool = False,
        seed: int | None = None,
    ) -> None:
        self.repeat = repeat
        self.drop_rate = drop_rate
        self.shuffle = shuffle
        self._random = random.Random(seed)
        self._verify = verify
        self._timeout = timeout
        self._client: httpx.Client | None = None
        self._queue: queue.Queue[tuple[Delivery, Result | None] | None] = queue.Queue()
        self._pending = 0
        self._idle = threading.Condition()
        self._thread: threading.Thread | None = None
        self.sent: list[tuple[Delivery, int | None]] = []  # every attempt, in order
        self.dropped: list[Delivery] = []

    def submit(self, delivery: Delivery, on_result: Result | None = None) -> None:
        """Send in the background (``repeat`` times, or never if drawn for dropping)."""
        with self._idle:
            self._pending += 1
            if self._thread is None:
                self._thread = threading.Thread(
                    target=self._run, name="webhook-sender", daemon=True
                )
                self._thread.start()
        self._queue.put((delivery, on_result))

    def send(self, delivery: Delivery, *, timeout: float | None = None) -> int | None:
        """Send now, in this thread; the answer's status (None: no answer)."""
        with self._idle:
            if self._client is None:
                self._client = httpx.Client(
                    verify=self._verify, timeout=self._timeout, follow_redirects=False
                )
            client = self._client
        try:
            status: int | None = client.post(
                delivery.url,
                content=delivery.body,
                headers=delivery.headers,
                timeout=timeout if timeout is not None else self._timeout,
            ).status_code
        except httpx.HTTPError:
            status = None
        with self._idle:
            self.sent.append((delivery, status))
        return status

    def wait(self, timeout: float = 30.0) -> bool:
        """Until everything submitted was sent (or dropped); False on timeout."""
        with self._idle:
            return self._idle.wait_for(lambda: self._pending == 0, timeout)

    def close(self) -> None:
        """Stop the thread and the connections; a later delivery starts them again."""
        if self._thread is not None:
            self._queue.put(None)
            self._thread.join(timeout=10)
            self._thread = None
        with self._idle:
            client, self._client = self._client, None
        if client is not None:
            client.close()

    def _run(self) -> None:
        while True:
            item = self._queue.get()
            if item is None:
                return
            batch = [item]
            while True:  # what waits together may go out of order
                try:
                    more = self._queue.get_nowait()
                except queue.Empty:
                    break
                if more is None:
                    self._queue.put(None)
                    break
                batch.append(more)
            attempts = []
            for delivery, on_result in batch:
                if self._random.random() < self.drop_rate:
                    with self._idle:
                        self.dropped.append(delivery)
                    continue
                attempts.extend([(delivery, on_result)] * self.repeat)
            if self.shuffle:
                self._random.shuffle(attempts)
            for delivery, on_result in attempts:
                status = self.send(delivery)
                if on_result is not None:
                    try:
                        on_result(status)
                    except Exception:  # noqa: BLE001 - a sandbox bug must not stop the sender
                        log.exception("webhook result handler failed")
            with self._idle:
                self._pending -= len(batch)
                self._idle.notify_all()
