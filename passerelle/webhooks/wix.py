"""Wix deliveries: a JWT signed RS256 with the app's key, checked with its public key.

Docs: "About Webhooks" / "Webhook payload structure" of the Wix REST reference
(dev.wix.com/docs/rest/articles/get-started/webhooks) and the eCommerce order
events (``wix.ecom.v1.order_created``, ``_updated``, ``_approved``…,
dev.wix.com/docs/rest/business-solutions/e-commerce/orders/order-created):

- the POST body is one JWT (``header.payload.signature``, base64url), signed with
  RS256 by Wix; the app's *public key* (Dev Center > Webhooks) verifies it, so the
  profile's ``[webhooks] secret`` names that PEM public key, never a shared secret;
- the JWT's payload is ``{"data": "<JSON text>", "iat", "exp"}``; that text holds
  ``{"eventType", "instanceId", "data": "<JSON text>"}``, whose inner text is the
  domain event ``{"id", "entityFqdn", "slug", "entityId", "createdEvent" |
  "updatedEvent" | "actionEvent", "eventTime"}``;
- a retried delivery repeats the event ``id``, which is the de-duplication key.

Order ids are GUIDs (``6f759095-0701-4075-9908-c9c31ff013e1``): anything else is
refused before it reaches the queue. Verification uses the ``cryptography`` package
(RSA PKCS#1 v1.5 with SHA-256, as RS256 is defined in RFC 7518 § 3.3).
"""

from __future__ import annotations

import base64
import binascii
import json
import re
from collections.abc import Mapping
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa

from passerelle.webhooks.delivery import Action, Delivery, Expected, Rejected

__all__ = ["ORDER_EVENTS", "verify"]

PLATFORM = "wix"
ORDER_EVENTS = frozenset(
    {
        "wix.ecom.v1.order_created",
        "wix.ecom.v1.order_updated",
        "wix.ecom.v1.order_approved",
        "wix.ecom.v1.order_canceled",
        "wix.ecom.v1.order_payment_status_updated",
    }
)
_GUID = re.compile(r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}")


def _b64(part: str) -> bytes:
    return base64.urlsafe_b64decode(part + "=" * (-len(part) % 4))


def _public_key(pem: str) -> rsa.RSAPublicKey:
    try:
        key = serialization.load_pem_public_key(pem.strip().encode())
    except ValueError:
        raise Rejected(503, "the profile's webhook key is not a PEM public key") from None
    if not isinstance(key, rsa.RSAPublicKey):
        raise Rejected(503, "the profile's webhook key is not an RSA public key")
    return key


def _claims(body: bytes, expected: Expected) -> dict[str, Any]:
    """The JWT's payload once its RS256 signature and its dates are checked."""
    parts = body.strip().split(b".")
    if len(parts) != 3:
        raise Rejected(401, "unsigned: the body is not a JWT")
    try:
        header = json.loads(_b64(parts[0].decode("ascii")))
        signature = _b64(parts[2].decode("ascii"))
    except (ValueError, UnicodeDecodeError, binascii.Error):
        raise Rejected(401, "unsigned: the JWT is malformed") from None
    if not isinstance(header, dict) or header.get("alg") != "RS256":
        raise Rejected(401, "bad signature: the JWT is not signed with RS256")
    try:
        _public_key(expected.secret).verify(
            signature, parts[0] + b"." + parts[1], padding.PKCS1v15(), hashes.SHA256()
        )
    except InvalidSignature:
        raise Rejected(401, "bad signature: the JWT is not signed by the app's key") from None
    try:
        claims = json.loads(_b64(parts[1].decode("ascii")))
    except (ValueError, UnicodeDecodeError, binascii.Error):
        raise Rejected(400, "the JWT's payload is not JSON") from None
    if not isinstance(claims, dict):
        raise Rejected(400, "the JWT's payload is not a JSON object")
    exp = claims.get("exp")
    if isinstance(exp, int | float) and not isinstance(exp, bool) and exp < expected.now:
        return {"_stale": True}
    iat = claims.get("iat")
    if isinstance(iat, int | float) and not isinstance(iat, bool):
        if abs(expected.now - iat) > expected.max_age:
            return {"_stale": True}
    return claims


def _object(text: Any, what: str) -> dict[str, Any]:
    try:
        found = json.loads(text) if isinstance(text, str) else text
    except ValueError:
        raise Rejected(400, f"{what} is not JSON") from None
    if not isinstance(found, dict):
        raise Rejected(400, f"{what} is not a JSON object")
    return found


def verify(headers: Mapping[str, str], body: bytes, expected: Expected) -> Delivery:
    """The delivery this raw body (a JWT) makes, or :class:`Rejected`."""
    del headers  # Wix signs the body itself; no header carries anything to check
    claims = _claims(body, expected)
    if claims.get("_stale"):
        return Delivery(PLATFORM, Action.STALE, topic="stale")
    envelope = _object(claims.get("data"), "the JWT's data")
    event_type = str(envelope.get("eventType") or "")
    event = _object(envelope.get("data") or "{}", "the event's data")
    key = f"{envelope.get('instanceId', '')}/{event.get('id', '')}"
    entity = event.get("entityId")
    if event_type not in ORDER_EVENTS:
        shown = entity if isinstance(entity, str) and _GUID.fullmatch(entity) else ""
        return Delivery(PLATFORM, Action.IGNORE, key, event_type, shown)
    if not isinstance(entity, str) or not _GUID.fullmatch(entity):
        raise Rejected(400, "the order id (entityId) is not a Wix id (a GUID)")
    return Delivery(PLATFORM, Action.ORDER, key, event_type, entity)
