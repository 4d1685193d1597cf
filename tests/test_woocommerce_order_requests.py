"""What the WooCommerce connector asks of the shop for orders, request by request.

Reading orders costs a page per 100 orders, plus reads only where an order
needs them (its refunds, a coupon's description); telling a shipment costs
three requests and leaves what the Shipment Tracking extension would.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from passerelle.connectors.errors import NotFoundError
from passerelle.connectors.http import HttpOptions
from passerelle.connectors.woocommerce.connector import WooCommerceShop
from passerelle.model import Order
from passerelle.sandbox.woocommerce import WooSandbox
from passerelle.sandbox.woocommerce.seed import SEED_CASES

API = "/wp-json/wc/v3"


@pytest.fixture()
def sandbox(tmp_path: Path) -> Iterator[WooSandbox]:
    with WooSandbox(tmp_path / "shop.json", cert_dir=tmp_path / "certs") as sb:
        yield sb


@pytest.fixture()
def shop(sandbox: WooSandbox) -> Iterator[WooCommerceShop]:
    with WooCommerceShop(
        sandbox.url, "ck_demo", "cs_demo", options=HttpOptions(verify=sandbox.ca_bundle)
    ) as connector:
        yield connector


def test_reading_orders_reads_extras_only_where_needed(
    sandbox: WooSandbox, shop: WooCommerceShop
) -> None:
    sandbox.reset_requests()
    orders = [o for o in shop.iter_orders() if isinstance(o, Order)]
    assert str(SEED_CASES["archived"]) not in {o.number for o in orders}
    requests = Counter(sandbox.requests)
    refunded = SEED_CASES["refunded"]
    codes = {c.code for o in orders for c in o.coupons}
    assert requests == Counter(
        {
            ("GET", f"{API}/orders"): 1,  # one page of up to 100 orders
            ("GET", f"{API}/orders/{refunded}/refunds"): 1,  # the one order with refunds
            ("GET", f"{API}/coupons"): len(codes),  # once per coupon code, not per order
        }
    )
    assert not any(path.endswith("/notes") for _method, path in sandbox.requests)
    # The connector remembers coupon descriptions: a second read costs the page only
    # and the refunds of the refunded order.
    sandbox.reset_requests()
    list(shop.iter_orders(statuses=["completed"]))
    assert Counter(sandbox.requests) == Counter(
        {("GET", f"{API}/orders"): 1, ("GET", f"{API}/orders/{refunded}/refunds"): 1}
    )


def test_archived_orders_are_read_only_when_asked(
    sandbox: WooSandbox, shop: WooCommerceShop
) -> None:
    sandbox.reset_requests()
    everything = [o for o in shop.iter_orders(include_archived=True) if isinstance(o, Order)]
    assert sandbox.requests.count(("GET", f"{API}/orders")) == 2  # status=any, then trash
    archived = [o for o in everything if o.archived]
    assert [o.number for o in archived] == [SEED_CASES["archived"]]
    created = [o.created_at for o in everything]
    assert created == sorted(created)  # the two walks merged, oldest first
    completed_or_trash = list(shop.iter_orders(statuses=["completed"], include_archived=True))
    # A trashed order comes under the status it had before (WordPress's
    # _wp_trash_meta_status), marked archived.
    assert {(o.shop_status, o.archived) for o in completed_or_trash if isinstance(o, Order)} == {
        ("completed", False),
        ("processing", True),
    }


def test_write_shipment_tracks_sets_status_and_tells_the_buyer(
    sandbox: WooSandbox, shop: WooCommerceShop
) -> None:
    order_id = SEED_CASES["discount_across_vat"]
    shipped = datetime(2024, 6, 3, 14, 30, tzinfo=UTC)
    sandbox.reset_requests()
    shop.write_shipment(
        order_id,
        carrier="Colissimo",
        tracking_number="6A12345678901",
        shipped_at=shipped,
        notify_customer=True,
        status="completed",
    )
    assert sandbox.requests == [
        ("GET", f"{API}/orders/{order_id}"),
        ("PUT", f"{API}/orders/{order_id}"),
        ("POST", f"{API}/orders/{order_id}/notes"),
    ]
    stored = sandbox.data.orders[int(order_id)]
    assert stored["status"] == "completed" and stored["date_completed_gmt"]
    (items,) = [
        m["value"] for m in stored["meta_data"] if m["key"] == "_wc_shipment_tracking_items"
    ]
    (item,) = items
    assert item["tracking_provider"] == "colissimo"  # a provider the extension knows
    assert item["custom_tracking_provider"] == "" and item["tracking_number"] == "6A12345678901"
    assert item["date_shipped"] == str(int(shipped.timestamp()))
    assert len(item["tracking_id"]) == 32
    notes = [n for n in sandbox.data.order_notes.values() if n["order_id"] == int(order_id)]
    told = [n for n in notes if "6A12345678901" in n["note"]]
    assert len(told) == 1 and told[0]["customer_note"] is True
    assert "Colissimo" in told[0]["note"]

    # Told again (a retry after a lost answer): nothing added twice, one extra read.
    sandbox.reset_requests()
    shop.write_shipment(
        order_id,
        carrier="Colissimo",
        tracking_number="6A12345678901",
        shipped_at=shipped,
        notify_customer=True,
        status="completed",
    )
    assert sandbox.requests == [
        ("GET", f"{API}/orders/{order_id}"),
        ("GET", f"{API}/orders/{order_id}/notes"),
    ]

    # A second parcel with another carrier keeps the first tracking item.
    shop.write_shipment(
        order_id,
        carrier="Chronopost",
        tracking_number="XY987",
        shipped_at=None,
        notify_customer=False,
        status=None,
    )
    (items,) = [
        m["value"] for m in stored["meta_data"] if m["key"] == "_wc_shipment_tracking_items"
    ]
    assert [
        (i["tracking_provider"], i["custom_tracking_provider"], i["tracking_number"]) for i in items
    ] == [("colissimo", "", "6A12345678901"), ("", "Chronopost", "XY987")]
    private = [
        n
        for n in sandbox.data.order_notes.values()
        if n["order_id"] == int(order_id) and "XY987" in n["note"]
    ]
    assert len(private) == 1 and private[0]["customer_note"] is False


def test_write_shipment_without_tracking_only_notes_and_sets_status(
    sandbox: WooSandbox, shop: WooCommerceShop
) -> None:
    order_id = SEED_CASES["accents"]
    sandbox.reset_requests()
    shop.write_shipment(
        order_id,
        carrier="",
        tracking_number="",
        shipped_at=None,
        notify_customer=False,
        status="completed",
    )
    assert [m for m, _p in sandbox.requests] == ["GET", "PUT", "POST"]
    stored = sandbox.data.orders[int(order_id)]
    assert stored["status"] == "completed"
    assert not any(m["key"] == "_wc_shipment_tracking_items" for m in stored["meta_data"])


def test_write_shipment_to_a_deleted_order_names_it(shop: WooCommerceShop) -> None:
    with pytest.raises(NotFoundError, match="order 424242 no longer exists in the shop"):
        shop.write_shipment(
            "424242",
            carrier="Colissimo",
            tracking_number="1",
            shipped_at=None,
            notify_customer=False,
            status=None,
        )
