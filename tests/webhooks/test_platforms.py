"""Each platform's verification, on bodies and headers shaped as its documentation shows them.

Signatures here are computed with the standard library from the documented
recipe, not with passerelle's code: base64(HMAC-SHA256(raw body, secret)) for
WooCommerce and Shopify, Standard Webhooks' ``{id}.{timestamp}.{body}`` for
BigCommerce.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import time
from collections.abc import Callable

import pytest

from passerelle.profiles.shop_settings import (
    BigCommerceSettings,
    ShopifySettings,
    WooCommerceSettings,
)
from passerelle.webhooks import (
    Action,
    Delivery,
    Expected,
    Rejected,
    bigcommerce,
    shopify,
    woocommerce,
)

SECRET = "s3cr3t-from-the-shop"
NOW = 1_761_000_000.0


def sign(body: bytes, secret: str = SECRET) -> str:
    return base64.b64encode(hmac.new(secret.encode(), body, hashlib.sha256).digest()).decode()


def refused(check: Callable[[], Delivery]) -> Rejected:
    with pytest.raises(Rejected) as caught:
        check()
    return caught.value


# -- WooCommerce: wp-api-v3/_webhooks.md § Delivery/payload ----------------------------------

WOO = Expected(
    SECRET,
    300,
    NOW,
    WooCommerceSettings(url="https://example.com", consumer_key="env:K", consumer_secret="env:S"),
)
# An order as the REST API renders it (wp_json_encode: "\/" in URLs), abridged.
WOO_ORDER = (
    b'{"id":727,"parent_id":0,"number":"727","status":"processing","currency":"USD",'
    b'"total":"29.35","line_items":[{"id":315,"name":"Woo Single #1","quantity":2}],'
    b'"_links":{"self":[{"href":"https:\\/\\/example.com\\/wp-json\\/wc\\/v3\\/orders'
    b'\\/727"}]}}'
)


def woo_headers(
    body: bytes, topic: str = "order.created", delivery: str = "a1b2c3", **extra: str
) -> dict[str, str]:
    resource, _, event = topic.partition(".")
    return {
        "x-wc-webhook-source": "https://example.com/",
        "x-wc-webhook-topic": topic,
        "x-wc-webhook-resource": resource,
        "x-wc-webhook-event": event,
        "x-wc-webhook-signature": sign(body),
        "x-wc-webhook-id": "142",
        "x-wc-webhook-delivery-id": delivery,
        **extra,
    }


def test_woocommerce_signed_order_is_an_order_event() -> None:
    delivery = woocommerce.verify(woo_headers(WOO_ORDER), WOO_ORDER, WOO)
    assert delivery == Delivery(
        "woocommerce", Action.ORDER, "142/a1b2c3/727", "order.created", "727"
    )


def test_woocommerce_bad_or_missing_signature_is_401() -> None:
    headers = woo_headers(WOO_ORDER)
    assert refused(lambda: woocommerce.verify(headers, WOO_ORDER + b" ", WOO)).status == 401
    other = dict(headers, **{"x-wc-webhook-signature": sign(WOO_ORDER, "another secret")})
    assert refused(lambda: woocommerce.verify(other, WOO_ORDER, WOO)).status == 401
    unsigned = {k: v for k, v in headers.items() if k != "x-wc-webhook-signature"}
    error = refused(lambda: woocommerce.verify(unsigned, WOO_ORDER, WOO))
    assert error.status == 401 and "unsigned" in error.reason


def test_woocommerce_creation_ping_is_answered_without_an_event() -> None:
    """deliver_ping: ``webhook_id=N``, form-encoded, unsigned, no topic header."""
    ping = {"content-type": "application/x-www-form-urlencoded; charset=UTF-8"}
    assert woocommerce.verify(ping, b"webhook_id=142", WOO).action is Action.PING
    # Anything else unsigned is not a ping.
    assert refused(lambda: woocommerce.verify(ping, b"webhook_id=142&x=1", WOO)).status == 401
    topic = {**ping, "x-wc-webhook-topic": "order.created"}
    assert refused(lambda: woocommerce.verify(topic, b"webhook_id=142", WOO)).status == 401


def test_woocommerce_key_names_the_order_since_a_delivery_id_repeats_within_a_second() -> None:
    """get_new_delivery_id is wp_hash(webhook id . time()): two orders, same second, same id."""
    second = WOO_ORDER.replace(b'"id":727', b'"id":728', 1)
    first_key = woocommerce.verify(woo_headers(WOO_ORDER), WOO_ORDER, WOO).delivery_id
    second_key = woocommerce.verify(woo_headers(second), second, WOO).delivery_id
    assert first_key != second_key


def test_woocommerce_reads_the_delivery_id_under_the_docs_name_too() -> None:
    headers = woo_headers(WOO_ORDER)
    del headers["x-wc-webhook-delivery-id"]
    headers["x-wc-delivery-id"] = "from-docs"
    assert woocommerce.verify(headers, WOO_ORDER, WOO).delivery_id == "142/from-docs/727"


def test_woocommerce_non_order_topics_are_ignored_and_updates_are_orders() -> None:
    product = b'{"id":794,"name":"Premium Quality","sku":"PQ-1"}'
    assert (
        woocommerce.verify(woo_headers(product, "product.updated"), product, WOO).action
        is Action.IGNORE
    )
    updated = woocommerce.verify(woo_headers(WOO_ORDER, "order.updated"), WOO_ORDER, WOO)
    assert (updated.action, updated.resource_id) == (Action.ORDER, "727")


# -- Shopify: verify-deliveries, delivery structure, ignore-duplicates -----------------------

SHOP = Expected(
    SECRET,
    300,
    NOW,
    ShopifySettings(url="https://johns-apparel.myshopify.com", access_token="env:T"),
)
SHOPIFY_ORDER = (
    b'{"id":820982911946154508,"admin_graphql_api_id":"gid://shopify/Order/'
    b'820982911946154508","email":"jon@example.com","financial_status":"paid",'
    b'"total_price":"403.00","currency":"USD"}'
)


def shopify_headers(
    body: bytes,
    topic: str = "orders/create",
    *,
    triggered: float = NOW,
    event: str = "59d6d79c-595f-4e7e-bc6f-72f5c3d0c66f",
    **extra: str,
) -> dict[str, str]:
    stamp = time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(triggered)) + ".516267807Z"
    return {
        "x-shopify-topic": topic,
        "x-shopify-hmac-sha256": sign(body),
        "x-shopify-shop-domain": "johns-apparel.myshopify.com",
        "x-shopify-api-version": "2026-01",
        "x-shopify-webhook-id": "545ebdd4-b7be-4d3d-b14e-54aa78e0e0f9",
        "x-shopify-triggered-at": stamp,
        "x-shopify-event-id": event,
        **extra,
    }


def test_shopify_signed_order_is_an_order_event_keyed_by_its_event_id() -> None:
    delivery = shopify.verify(shopify_headers(SHOPIFY_ORDER), SHOPIFY_ORDER, SHOP)
    assert delivery == Delivery(
        "shopify",
        Action.ORDER,
        "orders/create/59d6d79c-595f-4e7e-bc6f-72f5c3d0c66f",
        "orders/create",
        "820982911946154508",
    )


def test_shopify_duplicate_is_the_same_event_id_whatever_the_webhook_id() -> None:
    """ignore-duplicates: X-Shopify-Event-Id the same across webhooks means a duplicate."""
    again = shopify_headers(SHOPIFY_ORDER, **{"x-shopify-webhook-id": "another-one"})
    assert (
        shopify.verify(again, SHOPIFY_ORDER, SHOP).delivery_id
        == shopify.verify(shopify_headers(SHOPIFY_ORDER), SHOPIFY_ORDER, SHOP).delivery_id
    )
    without_event = shopify_headers(SHOPIFY_ORDER)
    del without_event["x-shopify-event-id"]
    assert (
        shopify.verify(without_event, SHOPIFY_ORDER, SHOP).delivery_id
        == "orders/create/545ebdd4-b7be-4d3d-b14e-54aa78e0e0f9"
    )


def test_shopify_bad_or_missing_hmac_is_401() -> None:
    headers = shopify_headers(SHOPIFY_ORDER)
    tampered = SHOPIFY_ORDER.replace(b"403.00", b"4.00")
    assert refused(lambda: shopify.verify(headers, tampered, SHOP)).status == 401
    unsigned = {k: v for k, v in headers.items() if k != "x-shopify-hmac-sha256"}
    assert refused(lambda: shopify.verify(unsigned, SHOPIFY_ORDER, SHOP)).status == 401


def test_shopify_delivery_for_another_shop_is_401() -> None:
    """The client secret is the app's: every shop that installed it signs with it."""
    other = shopify_headers(SHOPIFY_ORDER, **{"x-shopify-shop-domain": "other.myshopify.com"})
    assert refused(lambda: shopify.verify(other, SHOPIFY_ORDER, SHOP)).status == 401


def test_shopify_stale_delivery_is_acknowledged_without_an_order_event() -> None:
    old = shopify_headers(SHOPIFY_ORDER, triggered=NOW - 301)
    assert shopify.verify(old, SHOPIFY_ORDER, SHOP).action is Action.STALE
    fresh = shopify_headers(SHOPIFY_ORDER, triggered=NOW - 299)
    assert shopify.verify(fresh, SHOPIFY_ORDER, SHOP).action is Action.ORDER
    # Staleness is only looked at once the signature holds.
    forged = dict(old, **{"x-shopify-hmac-sha256": sign(SHOPIFY_ORDER, "guess")})
    assert refused(lambda: shopify.verify(forged, SHOPIFY_ORDER, SHOP)).status == 401


def test_shopify_other_topics_are_ignored() -> None:
    product = b'{"id":9554194432293,"title":"T-Shirt"}'
    assert (
        shopify.verify(shopify_headers(product, "products/update"), product, SHOP).action
        is Action.IGNORE
    )
    paid = shopify.verify(shopify_headers(SHOPIFY_ORDER, "orders/paid"), SHOPIFY_ORDER, SHOP)
    assert paid.action is Action.ORDER


# -- BigCommerce: Standard Webhooks headers, docs' callback payload --------------------------

BC = Expected(SECRET, 300, NOW, BigCommerceSettings(store_hash="abcde", access_token="env:T"))
# events/index.mdx "Example callback payload object", producer for store abcde.
BC_ORDER = (
    b'{"scope":"store/order/created","store_id":"1025646","data":{"type":"order",'
    b'"id":250},"hash":"dd70c0976e06b67aaf671e73f49dcb79230ebf9d","created_at":'
    b'1561479335,"producer":"stores/abcde"}'
)


def bc_headers(
    body: bytes,
    *,
    sent: float = NOW,
    msg_id: str = "msg_2KWPBgLlAfxdpx2AI54pPJ85f4W",
    secret: str = SECRET,
) -> dict[str, str]:
    stamp = str(int(sent))
    signed = f"{msg_id}.{stamp}.".encode() + body
    return {
        "webhook-id": msg_id,
        "webhook-timestamp": stamp,
        "webhook-signature": f"v1,{sign(signed, secret)}",
    }


def test_bigcommerce_signed_order_is_an_order_event_keyed_by_hash_and_time() -> None:
    delivery = bigcommerce.verify(bc_headers(BC_ORDER), BC_ORDER, BC)
    assert delivery == Delivery(
        "bigcommerce",
        Action.ORDER,
        "dd70c0976e06b67aaf671e73f49dcb79230ebf9d@1561479335",
        "store/order/created",
        "250",
    )
    # A retry is a new attempt (new signature time), the same event: the same key.
    retry = bigcommerce.verify(
        bc_headers(BC_ORDER, sent=NOW - 60, msg_id="msg_retry"), BC_ORDER, BC
    )
    assert retry.delivery_id == delivery.delivery_id


def test_bigcommerce_bad_missing_or_stale_signature_is_401() -> None:
    assert (
        refused(lambda: bigcommerce.verify(bc_headers(BC_ORDER, secret="x"), BC_ORDER, BC)).status
        == 401
    )
    headers = bc_headers(BC_ORDER)
    for name in ("webhook-id", "webhook-timestamp", "webhook-signature"):
        partial = {k: v for k, v in headers.items() if k != name}
        assert refused(lambda h=partial: bigcommerce.verify(h, BC_ORDER, BC)).status == 401
    # A signature made for another time does not cover this one.
    moved = dict(headers, **{"webhook-timestamp": str(int(NOW) + 1)})
    assert refused(lambda: bigcommerce.verify(moved, BC_ORDER, BC)).status == 401
    old = refused(lambda: bigcommerce.verify(bc_headers(BC_ORDER, sent=NOW - 301), BC_ORDER, BC))
    assert old.status == 401 and "stale" in old.reason
    ahead = bc_headers(BC_ORDER, sent=NOW + 301)
    assert refused(lambda: bigcommerce.verify(ahead, BC_ORDER, BC)).status == 401


def test_bigcommerce_delivery_for_another_store_is_401() -> None:
    other = BC_ORDER.replace(b"stores/abcde", b"stores/zzzzz")
    assert refused(lambda: bigcommerce.verify(bc_headers(other), other, BC)).status == 401


def test_bigcommerce_status_updates_are_orders_and_products_are_ignored() -> None:
    # overview.mdx "Example store/order/statusUpdated payload object" (no created_at there).
    status = (
        b'{"store_id":"11111","producer":"stores/abcde","scope":"store/order/'
        b'statusUpdated","data":{"type":"order","id":173331},"hash":'
        b'"3f9ea420af83450d7ef9f78b08c8af25b2213637"}'
    )
    delivery = bigcommerce.verify(bc_headers(status), status, BC)
    assert (delivery.action, delivery.resource_id) == (Action.ORDER, "173331")
    product = (
        b'{"scope":"store/product/updated","store_id":"1025646","data":{"type":'
        b'"product","id":205},"hash":"c1d1b5d7","created_at":1561482670,'
        b'"producer":"stores/abcde"}'
    )
    assert bigcommerce.verify(bc_headers(product), product, BC).action is Action.IGNORE
