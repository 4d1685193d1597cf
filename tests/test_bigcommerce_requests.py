"""The BigCommerce connector against its sandbox: how many requests each write costs.

Floors from the docs: stock 2,000 items a request (inventory absolute
adjustments), products 10 per batch update, variants 50, customers 10; the
quota read from ``X-Rate-Limit-*`` is waited for instead of running into 429.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

import pytest

from passerelle.connectors.base import CustomerWrite, ProductWrite
from passerelle.connectors.bigcommerce.connector import BigCommerceShop
from passerelle.connectors.http import HttpOptions
from passerelle.model import Customer, ProductDraft
from passerelle.sandbox.bigcommerce import BigCommerceSandbox

TOKEN = "bc_demo_token"


@pytest.fixture
def sandbox(tmp_path: Path) -> Iterator[BigCommerceSandbox]:
    box = BigCommerceSandbox(tmp_path / "bc.json", token=TOKEN, cert_dir=tmp_path / "tls")
    box.start()
    try:
        yield box
    finally:
        box.stop()


def _shop(box: BigCommerceSandbox) -> BigCommerceShop:
    return BigCommerceShop(box.url, box.store_hash, TOKEN,
                           options=HttpOptions(verify=box.ca_bundle, max_tries=3))


def _writes(products: list[dict], quantity: int) -> list[ProductWrite]:
    return [ProductWrite(str(p["id"]), ProductDraft(sku=p["sku"], name=p["name"],
                                                    regular_price=Decimal(1),
                                                    stock_quantity=quantity),
                         shop_id=str(p["id"]), fields=frozenset({"manage_stock",
                                                                 "stock_quantity"}))
            for p in products]


def test_stock_of_2500_items_costs_two_inventory_requests(sandbox: BigCommerceSandbox) -> None:
    products = sandbox.seed_products(2500)
    shop = _shop(sandbox)
    outcomes = shop.write_products(_writes(products, 42))
    assert all(o.ok for o in outcomes)
    writes = [r for r in sandbox.requests if r[0] != "GET"]
    assert writes == [("PUT", "/stores/sandbox/v3/inventory/adjustments/absolute")] * \
        math.ceil(2500 / 2000)
    assert {p["inventory_level"] for p in sandbox.data["products"].values()} == {42}
    shop.close()


def test_price_updates_go_10_products_a_request(sandbox: BigCommerceSandbox) -> None:
    products = sandbox.seed_products(25)
    shop = _shop(sandbox)
    writes = [ProductWrite(str(p["id"]), ProductDraft(sku=p["sku"], name=p["name"],
                                                      regular_price=Decimal("3.50")),
                           shop_id=str(p["id"]), fields=frozenset({"regular_price"}))
              for p in products]
    assert all(o.ok for o in shop.write_products(writes))
    assert sandbox.requests == [("PUT", "/stores/sandbox/v3/catalog/products")] * 3
    assert {p["price"] for p in sandbox.data["products"].values()} == {3.5}
    shop.close()


def test_customers_are_created_10_a_request_with_their_account_code(
        sandbox: BigCommerceSandbox) -> None:
    shop = _shop(sandbox)
    writes = [CustomerWrite(f"k{n}", Customer(source_id=f"k{n}", name=f"C {n}",
                                              first_name="Anne", last_name=f"N{n}",
                                              email=f"anne{n}@example.org", code=f"C{n:04d}"))
              for n in range(23)]
    outcomes = shop.write_customers(writes)
    assert all(o.ok and o.created for o in outcomes)
    assert sandbox.requests == [("POST", "/stores/sandbox/v3/customers")] * 3
    made = {c["email"]: c for c in sandbox.data["customers"].values()}
    assert made["anne7@example.org"]["notes"] == "Account code: C0007"
    shop.close()


def test_orders_page_250_at_a_time(sandbox: BigCommerceSandbox) -> None:
    shop = _shop(sandbox)
    orders = [o for o in shop.iter_orders() if not isinstance(o, Exception)]
    assert len(orders) == 30  # the trashed order is left out
    pages = [r for r in sandbox.requests if r[1].endswith("/v2/orders")]
    assert len(pages) == 1
    shop.close()


def test_the_connector_waits_for_the_quota_window_instead_of_getting_429(
        tmp_path: Path) -> None:
    box = BigCommerceSandbox(tmp_path / "bc.json", token=TOKEN, cert_dir=tmp_path / "tls",
                             quota=5, window_ms=400)
    box.start()
    try:
        shop = _shop(box)
        for _ in range(12):
            shop.test_connection()
        assert box.quota.refused == 0
        assert shop.client.pacer.waits >= 2
        assert shop.client.pacer.rate_limited == 0
        shop.close()
    finally:
        box.stop()
