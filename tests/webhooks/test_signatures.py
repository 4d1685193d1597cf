"""Signature primitives against answers published by others (not computed by our code).

- WooCommerce's own unit test ``WC_Tests_CRUD_Webhooks::test_generate_signature``:
  a new webhook (empty secret) signs the payload ``secret`` as
  ``GBDo00G55h6IiV+6CxqivQPLbI//KzaOZm747971tPs=``.
- RFC 4231 test case 2 (HMAC-SHA256, key ``Jefe``): hex
  5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843, which is
  ``W9zBRr9gdU5qBCQmCJV1x1oAPwidJzmDnexYuWTsOEM=`` in base64 — the form
  Shopify's ``X-Shopify-Hmac-SHA256`` takes.
- Standard Webhooks' Python library test ``test_sign_function``: key
  ``whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw``, id
  ``msg_p5jXN8AQM9LWM0D4loKWxJek``, timestamp 1614265330, payload
  ``{"test": 2432232314}`` → ``v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=``
  (the scheme BigCommerce signs with).
"""

from __future__ import annotations

import base64

from passerelle.sandbox.webhook_sender import shopify_delivery, woocommerce_delivery
from passerelle.webhooks.signatures import (
    body_signature,
    matches,
    standard_webhooks_signature,
    standard_webhooks_valid,
)

WOO_EMPTY_SECRET = "GBDo00G55h6IiV+6CxqivQPLbI//KzaOZm747971tPs="
RFC4231_CASE_2 = "W9zBRr9gdU5qBCQmCJV1x1oAPwidJzmDnexYuWTsOEM="
SW_KEY = base64.b64decode("MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw")
SW_ID, SW_TS, SW_BODY = "msg_p5jXN8AQM9LWM0D4loKWxJek", "1614265330", b'{"test": 2432232314}'
SW_SIGNATURE = "g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE="


def test_body_signature_gives_woocommerces_own_expected_value() -> None:
    assert body_signature(b"", b"secret") == WOO_EMPTY_SECRET
    assert matches(WOO_EMPTY_SECRET, body_signature(b"", b"secret"))


def test_body_signature_gives_the_rfc_4231_value() -> None:
    assert body_signature(b"Jefe", b"what do ya want for nothing?") == RFC4231_CASE_2


def test_the_sandbox_signs_deliveries_with_the_same_published_values() -> None:
    woo = woocommerce_delivery(
        url="http://x",
        secret="",
        webhook_id=1,
        topic="order.created",
        body=b"secret",
        source="http://x/",
        delivery_id="d",
        user_agent="ua",
    )
    assert woo.headers["X-WC-Webhook-Signature"] == WOO_EMPTY_SECRET
    shopify = shopify_delivery(
        url="http://x",
        client_secret="Jefe",
        topic="orders/create",
        shop_domain="s.myshopify.com",
        payload=b"what do ya want for nothing?",
    )
    assert shopify.headers["X-Shopify-Hmac-Sha256"] == RFC4231_CASE_2


def test_a_different_or_malformed_signature_does_not_match() -> None:
    assert not matches(RFC4231_CASE_2, WOO_EMPTY_SECRET)
    assert not matches(RFC4231_CASE_2, "not base64 at all!")
    assert not matches(RFC4231_CASE_2, "")
    assert not matches(RFC4231_CASE_2, RFC4231_CASE_2[:-4] + "AAA=")


def test_standard_webhooks_signature_gives_the_libraries_test_vector() -> None:
    assert standard_webhooks_signature(SW_KEY, SW_ID, SW_TS, SW_BODY) == SW_SIGNATURE
    assert standard_webhooks_valid(SW_KEY, SW_ID, SW_TS, SW_BODY, f"v1,{SW_SIGNATURE}")


def test_standard_webhooks_header_may_list_several_signatures() -> None:
    """The spec's rotation case (and its own test_multi_sig_payload_is_valid)."""
    other = "Ceo5qEr07ixe2NLpvHk3FH9bwy/WavXrAFQ/9tdO6mc="
    header = f"v1,{other} v2,{SW_SIGNATURE} v1,{SW_SIGNATURE} v1a,{other}"
    assert standard_webhooks_valid(SW_KEY, SW_ID, SW_TS, SW_BODY, header)
    # The right signature under another version, or for another id/time/body, is refused.
    assert not standard_webhooks_valid(SW_KEY, SW_ID, SW_TS, SW_BODY, f"v2,{SW_SIGNATURE}")
    assert not standard_webhooks_valid(SW_KEY, SW_ID, "1614265331", SW_BODY, f"v1,{SW_SIGNATURE}")
    assert not standard_webhooks_valid(SW_KEY, "msg_other", SW_TS, SW_BODY, f"v1,{SW_SIGNATURE}")
    assert not standard_webhooks_valid(SW_KEY, SW_ID, SW_TS, SW_BODY + b" ", f"v1,{SW_SIGNATURE}")
