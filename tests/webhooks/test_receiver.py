"""``POST /webhooks/{profile}`` over real HTTP: what is answered, what reaches the sink."""

from __future__ import annotations

import json
import logging
import time
from datetime import UTC, datetime
from pathlib import Path

import httpx
import pytest

from passerelle.sandbox.webhook_sender import (
    Delivery,
    bigcommerce_delivery,
    bigcommerce_payload,
    shopify_delivery,
    woocommerce_delivery,
    woocommerce_ping,
)
from passerelle.webhooks import MAX_BODY_BYTES

from .support import SECRET, MemorySink, write_profile

ORDER = json.dumps({"id": 4242, "status": "processing", "total": "42.00"}).encode()


def woo(
    receiver: str,
    profile: str = "shop",
    *,
    secret: str = SECRET,
    body: bytes = ORDER,
    delivery_id: str = "d41d8cd98f00b204e9800998ecf8427e",
) -> Delivery:
    return woocommerce_delivery(
        url=f"{receiver}/webhooks/{profile}",
        secret=secret,
        webhook_id=7,
        topic="order.created",
        body=body,
        source="https://shop.example.org/",
        delivery_id=delivery_id,
        user_agent="WooCommerce/9.4.3 Hookshot (WordPress/6.7.1)",
    )


def post(delivery: Delivery, **headers: str) -> httpx.Response:
    return httpx.post(
        delivery.url, content=delivery.body, headers={**delivery.headers, **headers}, timeout=10
    )


def test_signed_order_is_answered_200_and_handed_to_the_sink(
    data_dir: Path, receiver: str, sink: MemorySink
) -> None:
    write_profile(data_dir, "shop", "woocommerce", secret="env:WEBHOOK_SECRET")
    answer = post(woo(receiver))
    assert answer.status_code == 200 and answer.content == b""
    assert sink.accepted == [
        ("shop", "woocommerce", "7/d41d8cd98f00b204e9800998ecf8427e/4242", "order.created", "4242")
    ]


def test_bad_or_missing_signature_is_401_and_the_sink_is_never_called(
    data_dir: Path, receiver: str, sink: MemorySink
) -> None:
    write_profile(data_dir, "shop", "woocommerce", secret="env:WEBHOOK_SECRET")
    assert post(woo(receiver, secret="not the profile's secret")).status_code == 401
    tampered = woo(receiver)
    assert (
        httpx.post(
            tampered.url, content=tampered.body.replace(b"42.00", b"0.01"), headers=tampered.headers
        ).status_code
        == 401
    )
    unsigned = woo(receiver)
    del unsigned.headers["X-WC-Webhook-Signature"]
    assert post(unsigned).status_code == 401
    assert sink.calls == []


def test_replayed_delivery_is_acknowledged_but_not_new(
    data_dir: Path, receiver: str, sink: MemorySink
) -> None:
    write_profile(data_dir, "shop", "woocommerce", secret="env:WEBHOOK_SECRET")
    delivery = woo(receiver)
    assert [post(delivery).status_code for _ in range(3)] == [200, 200, 200]
    assert len(sink.calls) == 3 and len(sink.accepted) == 1


def test_woocommerce_ping_is_answered_200_and_queues_nothing(
    data_dir: Path, receiver: str, sink: MemorySink
) -> None:
    write_profile(data_dir, "shop", "woocommerce", secret="env:WEBHOOK_SECRET")
    ping = woocommerce_ping(url=f"{receiver}/webhooks/shop", webhook_id=7, user_agent="ua")
    assert post(ping).status_code == 200
    assert sink.calls == []


def test_unknown_profile_or_profile_without_webhooks_is_404(
    data_dir: Path, receiver: str, sink: MemorySink
) -> None:
    write_profile(data_dir, "nohooks", "woocommerce")
    write_profile(data_dir, "presta", "prestashop", secret="env:WEBHOOK_SECRET")
    for name in ("missing", "nohooks", "presta", "..%2Fprofiles%2Fshop"):
        assert post(woo(receiver, name)).status_code == 404, name
    assert httpx.get(f"{receiver}/webhooks/nohooks").status_code == 405
    assert sink.calls == []


def test_allowlist_refuses_other_addresses_with_403(
    data_dir: Path, receiver: str, sink: MemorySink
) -> None:
    write_profile(
        data_dir,
        "far",
        "woocommerce",
        secret="env:WEBHOOK_SECRET",
        allow_ips=["10.0.0.0/8", "2001:db8::/32"],
    )
    write_profile(
        data_dir, "local", "woocommerce", secret="env:WEBHOOK_SECRET", allow_ips=["127.0.0.1"]
    )
    assert post(woo(receiver, "far")).status_code == 403
    # Through a proxy on this machine, the original client is the one checked.
    assert post(woo(receiver, "local"), **{"X-Forwarded-For": "203.0.113.9"}).status_code == 403
    assert sink.calls == []
    assert post(woo(receiver, "local")).status_code == 200
    assert [c[0] for c in sink.accepted] == ["local"]


def test_required_headers_are_checked(
    data_dir: Path, receiver: str, sink: MemorySink, monkeypatch: pytest.MonkeyPatch
) -> None:
    """BigCommerce sends back the ``headers`` given at creation (overview.mdx § Security)."""
    monkeypatch.setenv("BC_HOOK_TOKEN", "Goodbye")
    write_profile(
        data_dir,
        "bc",
        "bigcommerce",
        secret="env:WEBHOOK_SECRET",
        headers={"password": "env:BC_HOOK_TOKEN"},
    )
    body = bigcommerce_payload(
        scope="store/order/created",
        store_hash="abcde",
        store_id="1025646",
        data={"type": "order", "id": 250},
        created_at=int(time.time()),
    )
    url = f"{receiver}/webhooks/bc"
    for value in (None, "Hello"):
        extra = {} if value is None else {"password": value}
        answer = post(bigcommerce_delivery(url=url, client_secret=SECRET, body=body, headers=extra))
        assert answer.status_code == 401
    assert sink.calls == []
    good = bigcommerce_delivery(
        url=url, client_secret=SECRET, body=body, headers={"password": "Goodbye"}
    )
    assert post(good).status_code == 200
    assert [c[3:] for c in sink.accepted] == [("store/order/created", "250")]


def test_stale_deliveries_queue_nothing(data_dir: Path, receiver: str, sink: MemorySink) -> None:
    write_profile(data_dir, "sh", "shopify", secret="env:WEBHOOK_SECRET", max_age_seconds=60)
    write_profile(data_dir, "bc", "bigcommerce", secret="env:WEBHOOK_SECRET", max_age_seconds=60)
    long_ago = time.time() - 120
    shopify_old = shopify_delivery(
        url=f"{receiver}/webhooks/sh",
        client_secret=SECRET,
        topic="orders/create",
        shop_domain="maison-passerelle.myshopify.com",
        payload={"id": 5},
        triggered_at=datetime.fromtimestamp(long_ago, UTC),
    )
    assert post(shopify_old).status_code == 200  # acknowledged: Shopify would resend for hours
    body = bigcommerce_payload(
        scope="store/order/created",
        store_hash="abcde",
        store_id="1",
        data={"type": "order", "id": 6},
        created_at=int(long_ago),
    )
    bc_old = bigcommerce_delivery(
        url=f"{receiver}/webhooks/bc", client_secret=SECRET, body=body, timestamp=int(long_ago)
    )
    assert post(bc_old).status_code == 401
    assert sink.calls == []
    # The same event, retried now (a fresh attempt time), is taken.
    assert (
        post(
            bigcommerce_delivery(url=f"{receiver}/webhooks/bc", client_secret=SECRET, body=body)
        ).status_code
        == 200
    )
    assert [c[4] for c in sink.accepted] == ["6"]


def test_a_store_that_cannot_take_the_job_answers_503(
    data_dir: Path, receiver: str, sink: MemorySink
) -> None:
    write_profile(data_dir, "shop", "woocommerce", secret="env:WEBHOOK_SECRET")
    sink.fail = True
    assert post(woo(receiver)).status_code == 503
    sink.fail = False
    assert post(woo(receiver)).status_code == 200
    assert len(sink.accepted) == 1


def test_an_oversized_body_is_refused_unread(
    data_dir: Path, receiver: str, sink: MemorySink
) -> None:
    write_profile(data_dir, "shop", "woocommerce", secret="env:WEBHOOK_SECRET")
    big = woo(receiver, body=b"{" + b" " * MAX_BODY_BYTES + b"}")
    assert post(big).status_code == 413
    assert sink.calls == []


def test_an_unresolvable_secret_is_503_without_saying_where_it_is_kept(
    data_dir: Path, receiver: str, sink: MemorySink
) -> None:
    write_profile(data_dir, "shop", "woocommerce", secret="env:NOT_SET_ANYWHERE")
    answer = post(woo(receiver))
    assert answer.status_code == 503 and "NOT_SET_ANYWHERE" not in answer.text
    assert sink.calls == []


def test_a_profile_edit_is_seen_without_a_restart(
    data_dir: Path, receiver: str, sink: MemorySink
) -> None:
    write_profile(
        data_dir, "shop", "woocommerce", secret="env:WEBHOOK_SECRET", allow_ips=["10.0.0.0/8"]
    )
    assert post(woo(receiver)).status_code == 403
    time.sleep(0.01)  # a new modification time, even on coarse clocks
    write_profile(data_dir, "shop", "woocommerce", secret="env:WEBHOOK_SECRET")
    assert post(woo(receiver)).status_code == 200


def test_secrets_never_reach_the_log(
    data_dir: Path, receiver: str, sink: MemorySink, caplog: pytest.LogCaptureFixture
) -> None:
    write_profile(data_dir, "shop", "woocommerce", secret="env:WEBHOOK_SECRET")
    caplog.set_level(logging.DEBUG)
    post(woo(receiver))
    post(woo(receiver, secret="wrong"))
    sink.fail = True
    post(woo(receiver, delivery_id="other"))
    text = "\n".join(r.getMessage() + (r.exc_text or "") for r in caplog.records)
    assert "refused (401)" in text and "import queued" in text  # the log did speak
    assert SECRET not in text
