"""The WooCommerce sandbox's ``/webhooks`` resource, and its deliveries reaching the receiver.

What is checked comes from woocommerce-rest-api-docs ``wp-api-v3/_webhooks.md``
and ``class-wc-webhook.php`` (see the resource's docstring), not from the
receiver: the delivered body is the order exactly as ``GET /orders/<id>``
renders it, the signature is recomputed here with the standard library.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import re
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from passerelle.sandbox.webhook_sender import WebhookSender
from passerelle.sandbox.woocommerce import WooSandbox

from .support import SECRET, MemorySink, running_shop, write_profile

WEBHOOK_FIELDS = [
    "id",
    "name",
    "status",
    "topic",
    "resource",
    "event",
    "hooks",
    "delivery_url",
    "date_created",
    "date_created_gmt",
    "date_modified",
    "date_modified_gmt",
    "_links",
]


@pytest.fixture
def sender() -> Iterator[WebhookSender]:
    sender = WebhookSender()
    yield sender
    sender.close()


@pytest.fixture
def running(tmp_path: Path, sender: WebhookSender) -> Iterator[tuple[WooSandbox, httpx.Client]]:
    with running_shop(tmp_path, sender) as both:
        yield both


@pytest.fixture
def shop(running: tuple[WooSandbox, httpx.Client]) -> WooSandbox:
    return running[0]


@pytest.fixture
def api(running: tuple[WooSandbox, httpx.Client]) -> httpx.Client:
    return running[1]


@pytest.fixture
def hook_url(data_dir: Path, receiver: str) -> str:
    write_profile(data_dir, "shop", "woocommerce", secret="env:WEBHOOK_SECRET")
    return f"{receiver}/webhooks/shop"


def new_webhook(
    api: httpx.Client, url: str, topic: str = "order.created", secret: str = SECRET
) -> dict:
    answer = api.post(
        "/webhooks", json={"name": topic, "topic": topic, "delivery_url": url, "secret": secret}
    )
    assert answer.status_code == 201, answer.text
    return answer.json()


# The demo shop's orders name items by SKU (the catalogue is not exported in these tests).
LINE = {"sku": "TSHIRT-M", "name": "T-shirt", "quantity": 2, "subtotal": "30.00", "total": "30.00"}


def new_order(api: httpx.Client, shop: WooSandbox) -> dict:
    answer = api.post("/orders", json={"status": "processing", "line_items": [LINE]})
    assert answer.status_code == 201, answer.text
    return answer.json()


def test_creating_a_webhook_answers_the_documented_fields_and_pings(
    api: httpx.Client, hook_url: str, sender: WebhookSender, sink: MemorySink
) -> None:
    hook = new_webhook(api, hook_url)
    assert list(hook) == WEBHOOK_FIELDS  # the secret is write-only
    assert (hook["status"], hook["resource"], hook["event"], hook["hooks"]) == (
        "active",
        "order",
        "created",
        ["woocommerce_new_order"],
    )
    # deliver_ping: webhook_id=N, form-encoded, answered 200 by the receiver, nothing queued.
    [(ping, status)] = sender.sent
    assert (ping.body, status) == (f"webhook_id={hook['id']}".encode(), 200)
    assert ping.headers["Content-Type"].startswith("application/x-www-form-urlencoded")
    assert sink.calls == []


def test_an_order_created_in_the_shop_reaches_the_receiver_signed_and_whole(
    api: httpx.Client, shop: WooSandbox, hook_url: str, sender: WebhookSender, sink: MemorySink
) -> None:
    hook = new_webhook(api, hook_url)
    order = new_order(api, shop)
    assert sender.wait()
    assert sink.accepted == [
        ("shop", "woocommerce", sink.accepted[0][2], "order.created", str(order["id"]))
    ]
    delivery, status = sender.sent[-1]
    assert status == 200
    headers = delivery.headers
    assert (
        headers["X-WC-Webhook-Topic"],
        headers["X-WC-Webhook-Resource"],
        headers["X-WC-Webhook-Event"],
        headers["X-WC-Webhook-ID"],
        headers["X-WC-Webhook-Source"],
    ) == ("order.created", "order", "created", str(hook["id"]), f"{shop.url}/")
    assert re.fullmatch(r"[0-9a-f]{32}", headers["X-WC-Webhook-Delivery-ID"])
    assert headers["User-Agent"].startswith("WooCommerce/") and "Hookshot" in headers["User-Agent"]
    signature = base64.b64encode(
        hmac.new(SECRET.encode(), delivery.body, hashlib.sha256).digest()
    ).decode()
    assert headers["X-WC-Webhook-Signature"] == signature
    # "exactly the same as if requested via the REST API", JSON-escaped the same way.
    assert json.loads(delivery.body) == api.get(f"/orders/{order['id']}").json()
    assert b"\\/" in delivery.body


def test_an_order_update_is_delivered_to_order_updated_webhooks(
    api: httpx.Client, shop: WooSandbox, hook_url: str, sender: WebhookSender, sink: MemorySink
) -> None:
    order = new_order(api, shop)
    new_webhook(api, hook_url, "order.updated")
    assert api.put(f"/orders/{order['id']}", json={"status": "completed"}).status_code == 200
    assert sender.wait()
    assert [(c[3], c[4]) for c in sink.accepted] == [("order.updated", str(order["id"]))]
    assert json.loads(sender.sent[-1][0].body)["status"] == "completed"


def test_a_wrong_secret_is_refused_never_resent_and_disables_the_webhook(
    api: httpx.Client, shop: WooSandbox, hook_url: str, sender: WebhookSender, sink: MemorySink
) -> None:
    """log_delivery/failed_delivery: the count is reset by a 2xx, the webhook is disabled
    once it is over 5; the docs: "After 5 consecutive failed deliveries ... disabled"."""
    hook = new_webhook(api, hook_url, secret="a secret the profile does not know")
    body = {"line_items": [LINE]}
    for _ in range(8):
        shop.create_order(body)
        assert sender.wait()
    statuses = [status for delivery, status in sender.sent if delivery.body[:1] == b"{"]
    assert statuses == [401] * 7  # one attempt per order; the 8th order found it disabled
    assert sink.calls == []
    assert api.get(f"/webhooks/{hook['id']}").json()["status"] == "disabled"


def test_each_delivery_sent_twice_queues_once(
    tmp_path: Path, hook_url: str, sink: MemorySink
) -> None:
    sender = WebhookSender(repeat=2)
    with running_shop(tmp_path, sender) as (shop, api):
        new_webhook(api, hook_url)
        order = new_order(api, shop)
        assert sender.wait()
    sender.close()
    assert len(sink.calls) == 2 and len(sink.accepted) == 1
    assert sink.accepted[0][4] == str(order["id"])


def test_a_dropped_delivery_never_arrives(tmp_path: Path, hook_url: str, sink: MemorySink) -> None:
    """What the reconciliation poll is for: WooCommerce does not send it again."""
    sender = WebhookSender(drop_rate=1.0)
    with running_shop(tmp_path, sender) as (shop, api):
        new_webhook(api, hook_url)
        new_order(api, shop)
        assert sender.wait()
    sender.close()
    assert len(sender.dropped) == 1 and sink.calls == []


def test_two_orders_in_one_second_share_a_delivery_id_and_are_both_queued(
    api: httpx.Client, shop: WooSandbox, hook_url: str, sender: WebhookSender, sink: MemorySink
) -> None:
    new_webhook(api, hook_url)
    shop.webhooks.clock = lambda: 1_761_000_000.0
    first, second = new_order(api, shop), new_order(api, shop)
    assert sender.wait()
    ids = {d.headers["X-WC-Webhook-Delivery-ID"] for d, _ in sender.sent if d.body[:1] == b"{"}
    assert len(ids) == 1
    assert sorted(c[4] for c in sink.accepted) == sorted([str(first["id"]), str(second["id"])])


def test_paused_webhooks_do_not_deliver_and_the_list_filters_by_status(
    api: httpx.Client, shop: WooSandbox, hook_url: str, sender: WebhookSender, sink: MemorySink
) -> None:
    hook = new_webhook(api, hook_url)
    other = new_webhook(api, hook_url, "product.updated")
    paused = api.put(f"/webhooks/{hook['id']}", json={"status": "paused"})
    assert paused.status_code == 200 and paused.json()["status"] == "paused"
    new_order(api, shop)
    assert sender.wait() and sink.calls == []
    listed = api.get("/webhooks", params={"status": "paused"})
    assert [h["id"] for h in listed.json()] == [hook["id"]]
    assert listed.headers["X-WP-Total"] == "1"
    assert {h["id"] for h in api.get("/webhooks").json()} == {hook["id"], other["id"]}


def test_webhook_errors_are_woocommerces(api: httpx.Client, hook_url: str) -> None:
    missing = api.post("/webhooks", json={"topic": "order.created"})
    assert (missing.status_code, missing.json()["code"]) == (400, "rest_missing_callback_param")
    topic = api.post("/webhooks", json={"topic": "order.paid", "delivery_url": hook_url})
    assert (topic.status_code, topic.json()["code"]) == (
        400,
        "woocommerce_rest_shop_webhook_invalid_topic",
    )
    url = api.post(
        "/webhooks", json={"topic": "order.created", "delivery_url": "ftp://example.com/hook"}
    )
    assert (url.status_code, url.json()["code"]) == (
        400,
        "woocommerce_rest_shop_webhook_invalid_delivery_url",
    )
    hook = new_webhook(api, hook_url)
    trash = api.delete(f"/webhooks/{hook['id']}")
    assert (trash.status_code, trash.json()["code"]) == (
        501,
        "woocommerce_rest_trash_not_supported",
    )
    gone = api.delete(f"/webhooks/{hook['id']}", params={"force": "true"})
    assert gone.status_code == 200 and gone.json()["id"] == hook["id"]
    unknown = api.get(f"/webhooks/{hook['id']}")
    assert (unknown.status_code, unknown.json()["code"]) == (
        400,
        "woocommerce_rest_shop_webhook_invalid_id",
    )


def test_webhooks_survive_a_sandbox_restart(tmp_path: Path, hook_url: str) -> None:
    with running_shop(tmp_path) as (_, api):
        hook = new_webhook(api, hook_url)
    with running_shop(tmp_path) as (again, _):
        stored = again.data.webhooks[hook["id"]]
        assert (stored["topic"], stored["delivery_url"], stored["secret"]) == (
            "order.created",
            hook_url,
            SECRET,
        )
