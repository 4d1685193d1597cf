"""The BigCommerce sandbox's demo store is the platform-neutral demo shop, to the cent.

Why: the conformance suite compares every platform against the same demo orders,
so the seed must translate :mod:`passerelle.demo_orders` faithfully, and read it
alone (not another sandbox's wire records)."""

from __future__ import annotations

import subprocess
import sys
from datetime import UTC, datetime
from typing import Any

import pytest

from passerelle.demo_orders import ACCOUNTS, ORDERS, at
from passerelle.sandbox.bigcommerce.customers import Customers
from passerelle.sandbox.bigcommerce.seed import seed_store
from passerelle.sandbox.bigcommerce.state import State, rfc2822

NOW = datetime(2026, 3, 29, 1, 37, 41, tzinfo=UTC)


@pytest.fixture(scope="module")
def data() -> dict[str, Any]:
    state = State(None)
    seed_store(state, Customers(state), NOW)
    return state.data


def test_every_demo_order_is_seeded_with_its_totals_to_the_cent(data: dict[str, Any]) -> None:
    assert sorted(data["orders"]) == sorted(str(o.number) for o in ORDERS)
    for order in ORDERS:
        seeded = data["orders"][str(order.number)]
        # BigCommerce's total includes what gift certificates paid.
        assert seeded["total_inc_tax"] == f"{order.total + order.gift_card_total:.4f}"
        assert seeded["total_tax"] == f"{order.total_tax:.4f}"
        assert seeded["gift_certificate_amount"] == f"{order.gift_card_total:.4f}"
        assert seeded["coupon_discount"] == f"{order.discount_total:.4f}"
        assert seeded["customer_id"] == (order.customer.id if order.customer else 0)
        assert seeded["is_deleted"] is (order.status == "trashed")
        assert seeded["date_created"] == rfc2822(at(NOW, order.created_days_ago))
        products = data["order_products"][str(order.number)]
        assert [(p["sku"], p["quantity"]) for p in products] == [
            (li.sku, li.quantity) for li in order.lines
        ]
        addresses = data["shipping_addresses"][str(order.number)]
        assert len(addresses) == max(1, len(order.packages))
        codes = [c["code"] for c in data["order_coupons"][str(order.number)]]
        assert codes == [c.code for c in order.coupons]


def test_statuses_map_onto_bigcommerce_status_ids(data: dict[str, Any]) -> None:
    orders = data["orders"]
    assert orders["705"]["status_id"] == 7  # pending: Awaiting Payment
    assert orders["712"]["status_id"] == 12  # on hold: Manual Verification Required
    assert orders["706"]["status_id"] == 5  # cancelled
    assert orders["704"]["status_id"] == 10  # completed
    # In the bin: deleted, with the status it had before.
    assert (orders["729"]["status_id"], orders["729"]["is_deleted"]) == (11, True)


def test_the_customers_are_the_demo_accounts(data: dict[str, Any]) -> None:
    seeded = {c["id"]: c for c in data["customers"].values()}
    assert sorted(seeded) == [a.id for a in ACCOUNTS]
    for account in ACCOUNTS:
        customer = seeded[account.id]
        assert customer["email"] == account.email
        assert customer["addresses"][0]["postal_code"] == account.billing.postcode
        when = at(NOW, account.created_days_ago).replace(microsecond=0)
        assert customer["date_created"] == when.isoformat()


def test_order_product_ids_are_the_stores_own_and_new_orders_continue_them(
    data: dict[str, Any],
) -> None:
    ids = [p["id"] for products in data["order_products"].values() for p in products]
    assert len(ids) == len(set(ids))
    assert data["sequences"]["order_product"] == max(ids)


def test_seeding_reads_no_woocommerce_record() -> None:
    code = (
        "import sys\n"
        "from passerelle.sandbox.bigcommerce import BigCommerceSandbox\n"
        "BigCommerceSandbox(None)\n"
        "print(sorted(m for m in sys.modules if 'woocommerce' in m))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=120
    )
    assert done.stdout.strip() == "[]"
