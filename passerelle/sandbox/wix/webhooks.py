"""Webhook deliveries as Wix sends them: the whole request body is a JWT signed RS256.

Sources (dev.wix.com):
- "About the Structure of Webhooks": the payload's ``data`` holds ``eventType``,
  ``instanceId``, ``data`` (the event as a JSON string) and ``identity`` (a JSON string); the
  event's ``data`` has ``id``, ``entityFqdn``, ``slug``, ``entityId``, ``eventTime`` and
  ``createdEvent.entity`` / ``actionEvent.body``.
- "Verify Requests Received from Wix": the JWT is verified with the app's public key (the
  app dashboard's "Get Public Key"); webhook payloads are not encrypted.
- eCommerce Orders events: ``wix.ecom.v1.order_created``, ``wix.ecom.v1.order_approved``,
  ``wix.ecom.v1.order_canceled``; [verify] ``wix.ecom.v1.order_payment_status_updated`` for
  a paid order (slug ``payment_status_updated``), ``wix.ecom.v1.order_updated`` for fulfilled.

The sandbox makes its own RSA key pair (the app's), signs every delivery with it and shows
the public key (``public_key_pem``) as Wix's dashboard does. The JWT header names the key
(``kid``) as Wix's sample does; ``exp`` is ``iat`` plus five minutes [verify].
"""

from __future__ import annotations

import base64
import json
import time
from typing import Any

from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa

from passerelle.sandbox.webhook_sender import Delivery

__all__ = ["EVENTS", "WixWebhooks"]

#: The sandbox's events: (eventType, slug, whether the order rides as createdEvent.entity).
EVENTS = {
    "created": ("wix.ecom.v1.order_created", "created", True),
    "approved": ("wix.ecom.v1.order_approved", "order_approved", False),
    "paid": ("wix.ecom.v1.order_payment_status_updated", "payment_status_updated", False),
    "canceled": ("wix.ecom.v1.order_canceled", "order_canceled", False),
    "fulfilled": ("wix.ecom.v1.order_updated", "updated", False),
}


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


class WixWebhooks:
    def __init__(self, instance_id: str, key_pem: bytes | None = None) -> None:
        self.instance_id = instance_id
        if key_pem is None:
            key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
            key_pem = key.private_bytes(
                serialization.Encoding.PEM,
                serialization.PrivateFormat.PKCS8,
                serialization.NoEncryption(),
            )
        loaded = serialization.load_pem_private_key(key_pem, password=None)
        assert isinstance(loaded, rsa.RSAPrivateKey)
        self._key = loaded
        self.key_pem = key_pem
        self.kid = _b64(key_pem[-40:-8])[:8]
        self.urls: list[str] = []

    @property
    def public_key_pem(self) -> str:
        return (
            self._key.public_key()
            .public_bytes(
                serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
            )
            .decode("ascii")
        )

    def sign(self, claims: dict[str, Any]) -> str:
        header = {"kid": self.kid, "alg": "RS256"}
        signing_input = (
            _b64(json.dumps(header, separators=(",", ":")).encode())
            + "."
            + _b64(json.dumps(claims, separators=(",", ":"), ensure_ascii=False).encode())
        )
        signature = self._key.sign(signing_input.encode(), padding.PKCS1v15(), hashes.SHA256())
        return f"{signing_input}.{_b64(signature)}"

    def envelope(self, event: str, order: dict[str, Any], event_id: str) -> dict[str, Any]:
        event_type, slug, created = EVENTS[event]
        inner: dict[str, Any] = {
            "id": event_id,
            "entityFqdn": "wix.ecom.v1.order",
            "slug": slug,
            "entityId": order["id"],
            "eventTime": order["updatedDate"],
            "triggeredByAnonymizeRequest": False,
        }
        if created:
            inner["createdEvent"] = {"entity": order}
        else:
            inner["actionEvent"] = {"body": {"order": order}}
        return {
            "eventType": event_type,
            "instanceId": self.instance_id,
            "data": json.dumps(inner, ensure_ascii=False),
            "identity": json.dumps({"identityType": "APP"}),
        }

    def deliveries(self, event: str, order: dict[str, Any], event_id: str) -> list[Delivery]:
        """One POST per subscribed URL, the body the signed JWT."""
        now = int(time.time())
        token = self.sign(
            {
                "data": json.dumps(self.envelope(event, order, event_id), ensure_ascii=False),
                "iat": now,
                "exp": now + 300,
            }
        )
        return [
            Delivery(url, token.encode("ascii"), {"Content-Type": "text/plain"})
            for url in self.urls
        ]
