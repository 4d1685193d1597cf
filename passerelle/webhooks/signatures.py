"""The two signature schemes the supported shops use, and their constant-time check.

- ``base64(HMAC-SHA256(raw body, secret))`` in one header: WooCommerce
  (``X-WC-Webhook-Signature``, ``WC_Webhook::generate_signature``) and Shopify
  (``X-Shopify-Hmac-SHA256``, shopify.dev "Verify webhook deliveries").
- Standard Webhooks ``v1``: ``base64(HMAC-SHA256("{id}.{timestamp}.{body}",
  key))`` in ``webhook-signature``, a space-separated list of ``v1,<sig>``
  (standard-webhooks spec/standard-webhooks.md § Signature scheme), which
  BigCommerce uses (bigcommerce/docs https-webhook-overview.mdx § Webhook signature).

Comparison is always :func:`hmac.compare_digest` on the decoded bytes, so the
time taken says nothing about how much of a forged signature was right.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac

__all__ = ["body_signature", "matches", "standard_webhooks_signature", "standard_webhooks_valid"]


def body_signature(key: bytes, body: bytes) -> str:
    """``base64(HMAC-SHA256(body, key))``: what WooCommerce and Shopify send."""
    return base64.b64encode(hmac.new(key, body, hashlib.sha256).digest()).decode("ascii")


def matches(expected: str, given: str) -> bool:
    """Whether two base64 signatures carry the same bytes, in constant time.

    A header that is not base64 matches nothing (and raises nothing)."""
    try:
        given_bytes = base64.b64decode(given.strip(), validate=True)
    except (binascii.Error, ValueError):
        return False
    return hmac.compare_digest(base64.b64decode(expected), given_bytes)


def standard_webhooks_signature(key: bytes, msg_id: str, timestamp: str, body: bytes) -> str:
    """The ``v1`` signature (base64, without the ``v1,`` prefix) of one message."""
    signed = f"{msg_id}.{timestamp}.".encode() + body
    return body_signature(key, signed)


def standard_webhooks_valid(
    key: bytes, msg_id: str, timestamp: str, body: bytes, header: str
) -> bool:
    """Whether any ``v1,<sig>`` of a ``webhook-signature`` header signs this message.

    The header is a list so a sender can sign with an old and a new key during a
    rotation; other versions (``v1a`` asymmetric) are skipped, as the spec says.
    """
    expected = standard_webhooks_signature(key, msg_id, timestamp, body)
    found = False
    for item in header.split():
        version, _, signature = item.partition(",")
        if version == "v1" and matches(expected, signature):
            found = True  # no early exit: every candidate costs the same
    return found
