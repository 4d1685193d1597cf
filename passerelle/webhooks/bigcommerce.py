"""BigCommerce deliveries: Standard Webhooks signatures, plus the headers given at creation.

Docs (bigcommerce/docs):
- ``docs/integrations/webhooks/https-webhook-overview.mdx`` § Security: a
  header object can be given when creating the webhook and is sent with every
  callback (checked through ``[webhooks] headers`` of the profile); merchants
  are advised to verify with the Standard Webhooks libraries, keyed with the
  app's client secret (their samples base64-encode the client secret for the
  library, which decodes it: the HMAC key is the client secret's bytes); "A
  timestamp is used to protect against replay attacks. We recommend
  validating the signature and timestamp before processing any webhook event."
- Standard Webhooks (spec/standard-webhooks.md): ``webhook-id``,
  ``webhook-timestamp`` (unix seconds, the *attempt's* time: a retry gets a
  new one, and it is signed), ``webhook-signature`` = ``v1,<base64
  HMAC-SHA256("{id}.{timestamp}.{body}")>`` (space-separated list).
- ``overview.mdx`` and ``events/index.mdx``: the payload ``{scope, store_id,
  data: {type, id}, hash, created_at, producer: "stores/{store_hash}"}``;
  "``hash``: the SHA-1 hash of the JSON-encoded payload data. Ensures users can
  detect duplicate events"; "If a hook fires twice for the same event, both
  request bodies rely on the same hash"; answer 200 at once, retries for 48 h.

Staleness is judged on the signed ``webhook-timestamp``, not on the payload's
``created_at`` (the event's time, kept by every retry): refusing old
``created_at`` would refuse the platform's own retries and get the webhook
deactivated after 48 hours, while an attacker cannot move the signed
timestamp. The de-duplication key is ``hash`` with ``created_at``, so the
same event delivered again matches while a later event with the same data
(two updates of one order) does not. The client secret is the app's, shared
by every store that installed it: ``producer`` must be this profile's store.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from passerelle.webhooks.delivery import Action, Delivery, Expected, Rejected, json_body
from passerelle.webhooks.ids import order_id, plain_id
from passerelle.webhooks.signatures import standard_webhooks_valid

__all__ = ["ORDER_SCOPES", "verify"]

PLATFORM = "bigcommerce"
ORDER_SCOPES = frozenset(
    {"store/order/created", "store/order/updated", "store/order/statusUpdated"}
)
# ``data.id`` is an integer (``events/index.mdx``); the v2 order id it names is an
# ``integer`` too (``orders.v2.oas2.yml``), so 20 digits is already generous.
ORDER_ID_DIGITS = 20


def verify(headers: Mapping[str, str], body: bytes, expected: Expected) -> Delivery:
    """The delivery these (lower-case) headers and raw body make, or :class:`Rejected`."""
    msg_id = headers.get("webhook-id", "")
    timestamp = headers.get("webhook-timestamp", "")
    signature = headers.get("webhook-signature", "")
    if not (msg_id and timestamp and signature):
        raise Rejected(
            401, "unsigned: webhook-id, webhook-timestamp and webhook-signature are all needed"
        )
    if not standard_webhooks_valid(expected.secret.encode(), msg_id, timestamp, body, signature):
        raise Rejected(
            401,
            "bad signature: no v1 webhook-signature signs this message with "
            "the profile's app client secret",
        )
    try:
        sent_at = int(timestamp)
    except ValueError:
        raise Rejected(401, "webhook-timestamp is not a unix time") from None
    if abs(expected.now - sent_at) > expected.max_age:
        raise Rejected(
            401,
            f"stale: sent {int(expected.now - sent_at)} s from now, more than {expected.max_age} s",
        )
    payload = json_body(body)
    producer = f"stores/{expected.shop.store_hash}"
    if payload.get("producer") != producer:
        raise Rejected(
            401, f"delivery for {payload.get('producer')!r}, not this profile's {producer!r}"
        )
    scope = str(payload.get("scope") or "")
    sent_data = payload.get("data")
    data: dict[str, Any] = sent_data if isinstance(sent_data, dict) else {}
    key = f"{payload['hash']}@{payload.get('created_at', '')}" if payload.get("hash") else msg_id
    if scope not in ORDER_SCOPES:
        return Delivery(
            PLATFORM, Action.IGNORE, key, scope, plain_id(data.get("id"), ORDER_ID_DIGITS)
        )
    if not isinstance(sent_data, dict):
        raise Rejected(400, f"a {scope} delivery whose data is not an object")
    resource_id = order_id(data.get("id"), field="data.id", max_digits=ORDER_ID_DIGITS)
    return Delivery(PLATFORM, Action.ORDER, key, scope, resource_id)
