"""Shopify deliveries: ``X-Shopify-Hmac-SHA256`` over the raw body with the app's client secret.

Docs (shopify.dev):
- "Verify webhook deliveries" (apps/build/webhooks/verify-deliveries): each
  HTTPS delivery carries a base64 HMAC-SHA256 of the raw body made with the
  app's client secret in ``X-Shopify-Hmac-SHA256``; reject any that does not
  match.
- "Webhooks delivery structure" and the webhooks reference: the headers
  ``X-Shopify-Topic``, ``-Shop-Domain``, ``-API-Version``, ``-Webhook-Id``,
  ``-Triggered-At`` (ISO 8601, up to nanoseconds), ``-Event-Id``, ``-Name``.
- "Ignore duplicate webhooks" (apps/build/webhooks/ignore-duplicates): "the
  ``X-Shopify-Event-Id`` header ... the same value across more than one
  webhook indicates a duplicate" — our de-duplication key (scoped by topic;
  ``X-Shopify-Webhook-Id`` when an older delivery has no event id).
- Changelog "Updates to webhook retry mechanism" (2024-09): 8 retries over 4
  hours "with the original payload from the time they were triggered";
  "utilize the ``X-Shopify-Triggered-At`` timestamp ... to determine if the
  payload is stale".

Why a stale delivery is answered 200 (and queues nothing) rather than 401:
``X-Shopify-Triggered-At`` is not signed, so refusing on it stops no
attacker (the event id does, through de-duplication), while a non-2xx answer
makes Shopify send the same stale payload again for hours and count
failures against the subscription. The periodic order poll imports what a
stale delivery announced.

An app's client secret is the same for every shop that installed the app, so
a delivery signed for another shop verifies too: ``X-Shopify-Shop-Domain``
must be the profile's shop.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from urllib.parse import urlsplit

from passerelle.webhooks.delivery import Action, Delivery, Expected, Rejected, json_body
from passerelle.webhooks.ids import SHOPIFY_MAX_DIGITS, order_id, plain_id
from passerelle.webhooks.signatures import body_signature, matches

__all__ = ["ORDER_TOPICS", "verify"]

PLATFORM = "shopify"
ORDER_TOPICS = frozenset({"orders/create", "orders/updated", "orders/paid"})


def verify(headers: Mapping[str, str], body: bytes, expected: Expected) -> Delivery:
    """The delivery these (lower-case) headers and raw body make, or :class:`Rejected`."""
    signature = headers.get("x-shopify-hmac-sha256")
    if signature is None:
        raise Rejected(401, "unsigned: no X-Shopify-Hmac-SHA256 header")
    if not matches(body_signature(expected.secret.encode(), body), signature):
        raise Rejected(
            401,
            "bad signature: X-Shopify-Hmac-SHA256 does not sign this body "
            "with the profile's app client secret",
        )
    shop_host = (urlsplit(expected.shop.url).hostname or "").lower()
    domain = headers.get("x-shopify-shop-domain", "").strip().lower()
    if domain != shop_host:
        raise Rejected(
            401, f"delivery for shop {domain or '(none)'!r}, not this profile's {shop_host!r}"
        )
    topic = headers.get("x-shopify-topic", "")
    event = headers.get("x-shopify-event-id") or headers.get("x-shopify-webhook-id")
    if not topic or not event:
        raise Rejected(
            400, "no X-Shopify-Topic, or neither X-Shopify-Event-Id nor X-Shopify-Webhook-Id"
        )
    key = f"{topic}/{event}"
    triggered = _timestamp(headers.get("x-shopify-triggered-at"))
    if triggered is not None and abs(expected.now - triggered) > expected.max_age:
        return Delivery(PLATFORM, Action.STALE, key, topic)
    payload = json_body(body)
    if topic not in ORDER_TOPICS:
        return Delivery(
            PLATFORM, Action.IGNORE, key, topic, plain_id(payload.get("id"), SHOPIFY_MAX_DIGITS)
        )
    resource_id = order_id(payload.get("id"), field="id", max_digits=SHOPIFY_MAX_DIGITS)
    graphql_id = payload.get("admin_graphql_api_id")
    if graphql_id is not None and graphql_id != f"gid://shopify/Order/{resource_id}":
        raise Rejected(
            400,
            "admin_graphql_api_id does not name the order of id: expected gid://shopify/Order/<id>",
        )
    return Delivery(PLATFORM, Action.ORDER, key, topic, resource_id)


def _timestamp(value: str | None) -> float | None:
    """``X-Shopify-Triggered-At`` in seconds; absent (older deliveries): None.

    Python keeps microseconds of the nanoseconds Shopify writes, which is plenty
    for a window of minutes. An unreadable value counts as absent: the header
    is not signed, so it can neither prove nor disprove anything."""
    if not value:
        return None
    try:
        return datetime.fromisoformat(value.strip()).timestamp()
    except ValueError:
        return None
