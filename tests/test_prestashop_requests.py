"""The PrestaShop connector against its sandbox: how many requests each job costs."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from rich.console import Console

from passerelle.connectors.base import ProductWrite
from passerelle.connectors.errors import RecordError
from passerelle.connectors.http import HttpOptions
from passerelle.connectors.memory import MemoryBackOffice
from passerelle.connectors.prestashop import PrestaShopShop
from passerelle.connectors.prestashop.catalogue import combination_product, shop_product
from passerelle.connectors.prestashop.customers import shop_customer
from passerelle.demo_orders import ORDERS
from passerelle.model import Item, OrderStatus, ProductDraft
from passerelle.profiles import ProfileRepository
from passerelle.runner import Runner
from passerelle.sandbox.prestashop import DEMO_KEY, PrestaShopSandbox
from passerelle.store import Store
from tests.test_profiles import VALID


def test_products_then_a_stock_update_cost_one_put_each_plus_one_read(tmp_path: Path) -> None:
    sandbox = PrestaShopSandbox(None, cert_dir=tmp_path / "tls").start()
    shop = PrestaShopShop(
        sandbox.url,
        DEMO_KEY,
        concurrency=4,
        options=HttpOptions(verify=sandbox.ca_bundle),
        tax_rules_groups={"": 1},
    )
    try:
        drafts = [
            ProductDraft(
                sku=f"B-{i:03d}",
                name=f"Produit {i}",
                regular_price=Decimal("9.90"),
                stock_quantity=i,
            )
            for i in range(60)
        ]
        created = shop.write_products([ProductWrite(d.sku, d) for d in drafts])
        assert all(o.ok and o.created for o in created)
        sandbox.reset_requests()
        updates = [
            ProductWrite(
                o.key,
                ProductDraft(sku=o.key, name="x", regular_price=Decimal(1), stock_quantity=5),
                o.shop_id,
                frozenset({"stock_quantity", "manage_stock"}),
            )
            for o in created
        ]
        assert all(o.ok for o in shop.write_products(updates))
        methods = [m for m, _ in sandbox.requests]
        # The 60 stock rows come in one filtered read (filter[id_product]=[a|b|…]).
        assert methods.count("PUT") == 60 and methods.count("GET") == 1
        assert {p.stock for p in _view(sandbox).values()} == {5}
    finally:
        shop.close()
        sandbox.stop()


def test_orders_read_a_page_with_one_request_per_related_resource(tmp_path: Path) -> None:
    sandbox = PrestaShopSandbox(None, cert_dir=tmp_path / "tls").start()
    shop = PrestaShopShop(sandbox.url, DEMO_KEY, options=HttpOptions(verify=sandbox.ca_bundle))
    try:
        orders = list(shop.iter_orders(statuses=["paid", "shipped", "delivered"]))
        assert orders and all(
            o.status in (OrderStatus.PROCESSING, OrderStatus.COMPLETED) for o in orders
        )
        first = next(o for o in orders if o.source_id == "703")
        assert first.total == Decimal("84.83") and first.payment_method == "stripe_official"
        # states + config, one page of orders, then lines, rules, addresses, buyers,
        # countries, currencies, carriers.
        assert len(sandbox.requests) <= 12
        # The buyer's checkout note, as the demo orders (the demo's one truth) have it.
        noted = {str(o.number): o.customer_note for o in ORDERS if o.customer_note}
        assert {o.source_id: o.customer_note for o in orders if o.customer_note} == noted
        [(order_id, note)] = noted.items()
        assert shop.get_order(order_id).customer_note == note
        shop.write_order_result("703", document_number="SO-1", status=None)
        assert _orders(sandbox)["703"].document_number == "SO-1"
    finally:
        shop.close()
        sandbox.stop()


def test_update_stock_of_1000_items_costs_at_most_5_percent_over_one_put_each(
    tmp_path: Path, monkeypatch
) -> None:
    """The issue's floor for PrestaShop is one request per item (no batch endpoint): the
    flow hands the connector 1,000 levels at once, whose reads cost a handful more."""
    monkeypatch.setenv("PS_BENCH_KEY", DEMO_KEY)
    sandbox = PrestaShopSandbox(None, seed=False, cert_dir=tmp_path / "tls").start()
    backoffice = MemoryBackOffice()
    for index, product in enumerate(sandbox.seed_products(1000, prefix="CNT-")):
        item_id = str(product["id"])
        backoffice.items[item_id] = Item(item_id, product["reference"], "x", Decimal("1.00"))
        backoffice.set_stock(item_id, "WH", Decimal(index % 7 + 1))
    profile = ProfileRepository(tmp_path).validate(
        dict(
            VALID,
            name="count",
            shop={"kind": "prestashop", "url": sandbox.url, "api_key": "env:PS_BENCH_KEY"},
        )
    )
    shop = PrestaShopShop(sandbox.url, DEMO_KEY, options=HttpOptions(verify=sandbox.ca_bundle))
    try:
        with Store.open_data_dir(tmp_path) as store:
            runner = Runner(tmp_path, store=store, console=Console(quiet=True))

            def run() -> list[tuple[str, str]]:
                sandbox.reset_requests()
                assert (
                    runner.run(profile, "update-stock", backoffice=backoffice, shop=shop).status
                    == "succeeded"
                )
                return sandbox.requests

            first = run()
            assert [m for m, _ in first].count("PUT") == 1000
            assert len(first) <= 1.05 * 1000
            assert {p.stock for p in _view(sandbox).values()} == set(range(1, 8))
            # Nothing changed: nothing written (the shop's orders are still read, to hold
            # back what they sold).
            assert [r for r in run() if r[0] != "GET"] == []
            for item_id in list(backoffice.items)[:10]:
                backoffice.set_stock(item_id, "WH", Decimal(500))
            again = [m for m, p in run() if p != "/api/orders"]
            assert again == ["GET"] + ["PUT"] * 10  # the 10 stock rows, then each PUT
    finally:
        shop.close()
        sandbox.stop()


def _view(sandbox: PrestaShopSandbox):
    from passerelle.sandbox.prestashop.platform import PrestaShopView

    return PrestaShopView(sandbox).products()


def _orders(sandbox: PrestaShopSandbox):
    from passerelle.sandbox.prestashop.platform import PrestaShopView

    return PrestaShopView(sandbox).orders()


def test_a_customer_row_without_its_id_is_its_error_naming_the_field() -> None:
    """PrestaShop's dates read leniently (an impossible one is None), so the id is the
    one field a customer row can fail on."""
    raw = {"email": "a@example.com", "firstname": "Ada", "date_add": "0000-00-00 00:00:00"}
    read = shop_customer({**raw, "id": "7"})
    assert read is not None
    assert (read.shop_id, read.first_name, read.created_at) == ("7", "Ada", None)

    with pytest.raises(RecordError) as caught:
        shop_customer(raw)
    assert "'id'" in str(caught.value), str(caught.value)


def test_a_combination_without_its_reference_is_its_error_naming_the_field() -> None:
    """Prices read leniently (one PrestaShop cannot hold is 0), so the reference is the
    field a combination row can fail on."""
    product = shop_product({"id": "1", "reference": "POT-1", "price": "10.000000"}, {}, {})
    combo = {"id": "7", "price": "2.500000", "ean13": "3760000000017"}
    read = combination_product(product, {**combo, "reference": "POT-1-B"}, "POT-1", {})
    assert (read.shop_id, read.sku, read.regular_price) == ("1/7", "POT-1-B", Decimal("12.5"))

    with pytest.raises(RecordError) as caught:
        combination_product(product, combo, "POT-1", {})
    assert caught.value.record_id == "1/7"
    assert "'reference'" in str(caught.value), str(caught.value)
