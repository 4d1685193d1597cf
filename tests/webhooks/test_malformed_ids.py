"""Signed deliveries whose order id is not the platform's documented type: 400, nothing queued.

A signature proves who sent a body, not that its id is sane. Before this check
such ids were queued, merged into the job of the legitimate ids of the same
shop, and made ``get_order`` build a URL of another resource. Each case goes
through the real receiver into the real store's queue, which must stay empty.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx
import pytest

from passerelle.sandbox.webhook_sender import (
    Delivery,
    bigcommerce_delivery,
    bigcommerce_payload,
    shopify_delivery,
    woocommerce_delivery,
)
from passerelle.store import Store
from passerelle.webhooks import Rejected
from passerelle.webhooks.ids import order_id

from .support import SECRET, write_profile

# The ids of the issue, and their cousins: each is refused wherever an order id is read.
MALFORMED: dict[str, Any] = {
    "a list": [1, 2],
    "an object": {"id": 1},
    "negative": -5,
    "zero": 0,
    "a path": "../products/1",
    "5,000 digits as text": "9" * 5000,
    "a NUL byte": "12\x00",
    "digits as text": "727",
    "a boolean": True,
    "a decimal": 72.5,
    "null": None,
    "21 digits": 10**20,
}

Deliver = Callable[[str, Any, str], Delivery]


def woo_body(base: str, body: bytes, event: str, topic: str = "order.created") -> Delivery:
    return woocommerce_delivery(
        url=f"{base}/webhooks/woo",
        secret=SECRET,
        webhook_id=3,
        topic=topic,
        body=body,
        source="https://shop.example.org/",
        delivery_id=event,
        user_agent="WooCommerce/9.4.3",
    )


def woo(base: str, value: Any, event: str) -> Delivery:
    return woo_body(base, json.dumps({"id": value, "status": "processing"}).encode(), event)


def shopify(base: str, value: Any, event: str) -> Delivery:
    return shopify_delivery(
        url=f"{base}/webhooks/sh",
        client_secret=SECRET,
        topic="orders/create",
        event_id=event,
        shop_domain="maison-passerelle.myshopify.com",
        payload={"id": value, "financial_status": "paid"},
    )


def bigcommerce(base: str, value: Any, event: str) -> Delivery:
    body = bigcommerce_payload(
        scope="store/order/created",
        store_hash="abcde",
        store_id="1025646",
        data={"type": "order", "id": value},
        created_at=int(time.time()),
    )
    return bigcommerce_delivery(
        url=f"{base}/webhooks/bc", client_secret=SECRET, body=body, msg_id=f"msg_{event}"
    )


PLATFORMS: dict[str, tuple[str, str, Deliver]] = {
    "woocommerce": ("woo", "woocommerce", woo),
    "shopify": ("sh", "shopify", shopify),
    "bigcommerce": ("bc", "bigcommerce", bigcommerce),
}


def post(delivery: Delivery) -> httpx.Response:
    return httpx.post(delivery.url, content=delivery.body, headers=delivery.headers, timeout=10)


@pytest.mark.parametrize("platform", sorted(PLATFORMS))
def test_each_malformed_order_id_is_400_and_nothing_is_queued(
    platform: str, data_dir: Path, store: Store, queued: str
) -> None:
    profile, kind, deliver = PLATFORMS[platform]
    write_profile(data_dir, profile, kind, secret="env:WEBHOOK_SECRET")
    for n, (what, value) in enumerate(MALFORMED.items()):
        answer = post(deliver(queued, value, f"bad-{n}"))
        assert answer.status_code == 400, (what, answer.text)
        assert "order id" in answer.text and len(answer.text) < 120, (what, answer.text)
        assert "\x00" not in answer.text and "../" not in answer.text
    assert store.queue.jobs(profile) == []
    # A legitimate id is still queued, and alone in its job.
    assert post(deliver(queued, 4242, "good")).status_code == 200
    assert [job.payload for job in store.queue.jobs(profile)] == [{"order_ids": ["4242"]}]


def test_a_number_too_long_to_read_is_400(data_dir: Path, store: Store, queued: str) -> None:
    """5,000 digits as a JSON number: Python refuses to read it (int_max_str_digits)."""
    write_profile(data_dir, "woo", "woocommerce", secret="env:WEBHOOK_SECRET")
    body = b'{"id":' + b"7" * 5000 + b',"status":"processing"}'
    assert post(woo_body(queued, body, "long")).status_code == 400
    assert store.queue.jobs("woo") == []


def test_shopify_graphql_id_must_name_the_same_order(
    data_dir: Path, store: Store, queued: str
) -> None:
    write_profile(data_dir, "sh", "shopify", secret="env:WEBHOOK_SECRET")

    def send(graphql_id: Any, event: str) -> int:
        return post(
            shopify_delivery(
                url=f"{queued}/webhooks/sh",
                client_secret=SECRET,
                topic="orders/paid",
                shop_domain="maison-passerelle.myshopify.com",
                event_id=event,
                payload={"id": 820982911946154508, "admin_graphql_api_id": graphql_id},
            )
        ).status_code

    assert send("gid://shopify/Order/1", "other") == 400
    assert send(["gid://shopify/Order/820982911946154508"], "list") == 400
    assert store.queue.jobs("sh") == []
    assert send("gid://shopify/Order/820982911946154508", "same") == 200
    assert [job.payload for job in store.queue.jobs("sh")] == [
        {"order_ids": ["820982911946154508"]}
    ]


def test_bigcommerce_data_that_is_not_an_object_is_400(
    data_dir: Path, store: Store, queued: str
) -> None:
    write_profile(data_dir, "bc", "bigcommerce", secret="env:WEBHOOK_SECRET")
    body = json.dumps(
        {
            "scope": "store/order/created",
            "producer": "stores/abcde",
            "data": [250],
            "hash": "x",
            "created_at": int(time.time()),
        }
    ).encode()
    delivery = bigcommerce_delivery(url=f"{queued}/webhooks/bc", client_secret=SECRET, body=body)
    assert post(delivery).status_code == 400
    assert store.queue.jobs("bc") == []


def test_an_ignored_topic_with_an_odd_id_is_acknowledged_without_it(
    data_dir: Path, store: Store, queued: str
) -> None:
    """A topic passerelle does not act on is never queued: its id is only kept when sane."""
    write_profile(data_dir, "woo", "woocommerce", secret="env:WEBHOOK_SECRET")
    body = json.dumps({"id": "../products/1", "name": "Mug"}).encode()
    assert post(woo_body(queued, body, "p", "product.updated")).status_code == 200
    assert store.queue.jobs("woo") == []


@pytest.mark.parametrize(
    ("value", "digits", "text"),
    [(1, 20, "1"), (10**20 - 1, 20, "9" * 20), (2**63 - 1, 19, str(2**63 - 1))],
)
def test_sane_ids_are_read_as_their_text(value: int, digits: int, text: str) -> None:
    assert order_id(value, field="id", max_digits=digits) == text


def test_each_refusal_says_what_the_id_is_without_quoting_it() -> None:
    for what, value in MALFORMED.items():
        with pytest.raises(Rejected) as caught:
            order_id(value, field="data.id", max_digits=20)
        assert caught.value.status == 400, what
        assert caught.value.reason.startswith("the order id (data.id) "), what
