"""The store sink: a verified order delivery becomes one queued ``import-orders`` job, once."""

from __future__ import annotations

import json
from pathlib import Path

import httpx

from passerelle.profiles import ProfileRepository
from passerelle.runner.scheduler import shop_key
from passerelle.sandbox.webhook_sender import WebhookSender, woocommerce_delivery
from passerelle.store import Store

from .support import SECRET, running_shop, write_profile


def order_delivery(url: str, order_id: int, delivery_id: str):  # noqa: ANN201
    body = json.dumps({"id": order_id, "status": "processing"}).encode()
    return woocommerce_delivery(
        url=url,
        secret=SECRET,
        webhook_id=3,
        topic="order.created",
        body=body,
        source="https://shop.example.org/",
        delivery_id=delivery_id,
        user_agent="WooCommerce/9.4.3",
    )


def post(delivery) -> int:  # noqa: ANN001
    return httpx.post(delivery.url, content=delivery.body, headers=delivery.headers).status_code


def test_an_order_delivery_queues_one_import_job(data_dir: Path, store: Store, queued: str) -> None:
    write_profile(data_dir, "shop", "woocommerce", secret="env:WEBHOOK_SECRET")
    assert post(order_delivery(f"{queued}/webhooks/shop", 4242, "d1")) == 200
    [job] = store.queue.jobs("shop")
    assert (job.flow, job.lane, job.payload, job.dedupe_key, str(job.source), job.shop_key) == (
        "import-orders",
        "orders",
        {"order_ids": ["4242"]},
        "order:4242",
        "webhook",
        shop_key(ProfileRepository(data_dir).load("shop")),
    )


def test_a_replay_or_a_bad_signature_queues_nothing_new(
    data_dir: Path, store: Store, queued: str
) -> None:
    write_profile(data_dir, "shop", "woocommerce", secret="env:WEBHOOK_SECRET")
    url = f"{queued}/webhooks/shop"
    delivery = order_delivery(url, 4242, "d1")
    assert [post(delivery) for _ in range(3)] == [200, 200, 200]
    forged = order_delivery(url, 999, "d2")
    forged.headers["X-WC-Webhook-Signature"] = delivery.headers["X-WC-Webhook-Signature"]
    assert post(forged) == 401
    assert [job.payload for job in store.queue.jobs("shop")] == [{"order_ids": ["4242"]}]


def test_deliveries_about_one_waiting_order_join_its_job(
    data_dir: Path, store: Store, queued: str
) -> None:
    """created, then updated: two deliveries, one waiting import of that order."""
    write_profile(data_dir, "shop", "woocommerce", secret="env:WEBHOOK_SECRET")
    url = f"{queued}/webhooks/shop"
    assert post(order_delivery(url, 7, "first")) == 200
    assert post(order_delivery(url, 7, "second")) == 200
    assert post(order_delivery(url, 8, "third")) == 200
    waiting = [job for job in store.queue.jobs("shop") if str(job.status) == "queued"]
    assert sorted(job.payload["order_ids"][0] for job in waiting) == ["7", "8"]


def test_an_order_placed_in_the_woocommerce_sandbox_ends_up_queued(
    tmp_path: Path, data_dir: Path, store: Store, queued: str
) -> None:
    write_profile(data_dir, "shop", "woocommerce", secret="env:WEBHOOK_SECRET")
    sender = WebhookSender(repeat=2)  # and delivered twice
    with running_shop(tmp_path, sender) as (_, api):
        assert (
            api.post(
                "/webhooks",
                json={
                    "topic": "order.created",
                    "delivery_url": f"{queued}/webhooks/shop",
                    "secret": SECRET,
                },
            ).status_code
            == 201
        )
        order = api.post(
            "/orders",
            json={
                "status": "processing",
                "line_items": [{"sku": "MUG", "name": "Mug", "quantity": 1, "total": "9.00"}],
            },
        ).json()
        assert sender.wait()
    sender.close()
    assert [status for _, status in sender.sent] == [200, 200, 200]  # ping + twice the order
    assert [job.payload for job in store.queue.jobs("shop")] == [{"order_ids": [str(order["id"])]}]
