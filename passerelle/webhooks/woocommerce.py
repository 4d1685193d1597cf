"""WooCommerce deliveries: ``X-WC-Webhook-Signature`` and the creation ping.

Docs: woocommerce-rest-api-docs ``wp-api-v3/_webhooks.md`` § Delivery/payload —
a POST whose JSON body is the resource "exactly the same as if requested via
the REST API", with ``X-WC-Webhook-Source``, ``-Topic``, ``-Resource``,
``-Event``, ``-Signature`` ("a base64 encoded HMAC-SHA256 hash of the
payload"), ``-ID`` (the webhook) and a delivery id. The code
(``includes/class-wc-webhook.php``) is more precise than the page:

- ``generate_signature`` hashes the body *as sent* with the webhook's secret;
- the delivery id header is ``X-WC-Webhook-Delivery-ID`` (the page says
  ``X-WC-Delivery-ID``; both are read) and is ``wp_hash(webhook id . time())``:
  two deliveries of one webhook in the same second share it, so the key we
  de-duplicate on also names the resource;
- ``deliver_ping`` posts ``webhook_id=N`` (form-encoded, unsigned) when a
  webhook is created and wants exactly 200 back: it is answered and nothing
  is queued;
- there is no delivery timestamp, so no staleness check: a replay is caught
  by the delivery key instead;
- a failed delivery is not sent again (5 failures in a row disable the
  webhook): the periodic order poll is what catches a missed one.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from passerelle.webhooks.delivery import Action, Delivery, Expected, Rejected, json_body
from passerelle.webhooks.ids import WORDPRESS_MAX_DIGITS, order_id, plain_id
from passerelle.webhooks.signatures import body_signature, matches

__all__ = ["ORDER_TOPICS", "verify"]

PLATFORM = "woocommerce"
ORDER_TOPICS = frozenset({"order.created", "order.updated"})
_PING = re.compile(rb"webhook_id=\d+")


def verify(headers: Mapping[str, str], body: bytes, expected: Expected) -> Delivery:
    """The delivery these (lower-case) headers and raw body make, or :class:`Rejected`."""
    signature = headers.get("x-wc-webhook-signature")
    if signature is None:
        if "x-wc-webhook-topic" not in headers and _PING.fullmatch(body.strip()):
            return Delivery(PLATFORM, Action.PING, topic="ping")
        raise Rejected(401, "unsigned: no X-WC-Webhook-Signature header")
    if not matches(body_signature(expected.secret.encode(), body), signature):
        raise Rejected(
            401,
            "bad signature: X-WC-Webhook-Signature does not sign this body "
            "with the profile's webhook secret",
        )
    topic = headers.get("x-wc-webhook-topic", "")
    if not topic:
        raise Rejected(400, "no X-WC-Webhook-Topic header")
    payload = json_body(body)
    delivery = headers.get("x-wc-webhook-delivery-id") or headers.get("x-wc-delivery-id", "")
    key = f"{headers.get('x-wc-webhook-id', '')}/{delivery}/"
    if topic not in ORDER_TOPICS:
        resource_id = plain_id(payload.get("id"), WORDPRESS_MAX_DIGITS)
        return Delivery(PLATFORM, Action.IGNORE, key + resource_id, topic, resource_id)
    resource_id = order_id(payload.get("id"), field="id", max_digits=WORDPRESS_MAX_DIGITS)
    return Delivery(PLATFORM, Action.ORDER, key + resource_id, topic, resource_id)
