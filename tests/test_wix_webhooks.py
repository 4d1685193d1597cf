"""Wix webhook deliveries: an RS256 JWT checked with the app's public key.

The key pair is made here; the JWT is built as RFC 7519/7515 define it (base64url
header, payload, signature) with the payload Wix documents (``data`` holding
``eventType``, ``instanceId`` and the event's own ``data``).
"""

from __future__ import annotations

import base64
import json
from typing import Any

import pytest
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa

from passerelle.webhooks.delivery import Action, Expected, Rejected
from passerelle.webhooks.wix import verify

ORDER = "6f759095-0701-4075-9908-c9c31ff013e1"
NOW = 1_700_000_000.0


def _key() -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


KEY = _key()
PEM = (
    KEY.public_key()
    .public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
    .decode()
)


def _b64(data: bytes) -> bytes:
    return base64.urlsafe_b64encode(data).rstrip(b"=")


def _jwt(
    event_type: str = "wix.ecom.v1.order_created",
    entity: Any = ORDER,
    *,
    key: rsa.RSAPrivateKey = KEY,
    alg: str = "RS256",
    iat: float = NOW,
    exp: float = NOW + 3600,
) -> bytes:
    event = {
        "id": "evt-1",
        "entityFqdn": "wix.ecom.v1.order",
        "slug": "created",
        "entityId": entity,
    }
    envelope = {"eventType": event_type, "instanceId": "inst-1", "data": json.dumps(event)}
    claims = {"data": json.dumps(envelope), "iat": iat, "exp": exp}
    signed = (
        _b64(json.dumps({"alg": alg, "typ": "JWT"}).encode())
        + b"."
        + _b64(json.dumps(claims).encode())
    )
    signature = key.sign(signed, padding.PKCS1v15(), hashes.SHA256())
    return signed + b"." + _b64(signature)


def _expected(secret: str = PEM, now: float = NOW) -> Expected:
    return Expected(secret=secret, max_age=300, now=now, shop=None)


def test_a_signed_order_event_queues_the_order() -> None:
    delivery = verify({}, _jwt(), _expected())
    assert delivery.action is Action.ORDER
    assert delivery.resource_id == ORDER
    assert delivery.topic == "wix.ecom.v1.order_created"
    assert delivery.delivery_id == "inst-1/evt-1"


def test_the_same_event_again_has_the_same_key() -> None:
    first = verify({}, _jwt(), _expected())
    again = verify({}, _jwt(iat=NOW + 10), _expected(now=NOW + 10))
    assert first.delivery_id == again.delivery_id


def test_a_jwt_signed_by_another_key_is_refused() -> None:
    with pytest.raises(Rejected) as refused:
        verify({}, _jwt(key=_key()), _expected())
    assert refused.value.status == 401


def test_a_changed_payload_is_refused() -> None:
    header, _payload, signature = _jwt().split(b".")
    other = _jwt(entity="00000000-0000-0000-0000-000000000001").split(b".")[1]
    with pytest.raises(Rejected) as refused:
        verify({}, b".".join((header, other, signature)), _expected())
    assert refused.value.status == 401


def test_an_unsigned_or_other_algorithm_is_refused() -> None:
    with pytest.raises(Rejected):
        verify({}, b'{"data": "{}"}', _expected())
    with pytest.raises(Rejected):
        verify({}, _jwt(alg="HS256"), _expected())


def test_an_order_id_that_is_not_a_guid_is_refused() -> None:
    with pytest.raises(Rejected) as refused:
        verify({}, _jwt(entity="../products/1"), _expected())
    assert refused.value.status == 400


def test_other_events_are_acknowledged_only() -> None:
    delivery = verify({}, _jwt("wix.stores.catalog.v3.product_created"), _expected())
    assert delivery.action is Action.IGNORE


def test_an_expired_or_old_delivery_is_stale() -> None:
    assert verify({}, _jwt(exp=NOW - 1), _expected()).action is Action.STALE
    assert verify({}, _jwt(iat=NOW - 3600), _expected()).action is Action.STALE


def test_a_profile_key_that_is_no_public_key_is_the_receivers_problem() -> None:
    with pytest.raises(Rejected) as refused:
        verify({}, _jwt(), _expected(secret="not a key"))
    assert refused.value.status == 503
