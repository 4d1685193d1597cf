"""The PrestaShop connector against its sandbox: how many requests each job costs."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from passerelle.connectors.base import ProductWrite
from passerelle.connectors.http import HttpOptions
from passerelle.connectors.prestashop import PrestaShopShop
from passerelle.model import OrderStatus, ProductDraft
from passerelle.sandbox.prestashop import DEMO_KEY, PrestaShopSandbox


def test_products_then_a_stock_update_cost_one_put_each_plus_one_read_per_50(
        tmp_path: Path) -> None:
    sandbox = PrestaShopSandbox(None, cert_dir=tmp_path / "tls").start()
    shop = PrestaShopShop(sandbox.url, DEMO_KEY, concurrency=4,
                          options=HttpOptions(verify=sandbox.ca_bundle),
                          tax_rules_groups={"": 1})
    try:
        drafts = [ProductDraft(sku=f"B-{i:03d}", name=f"Produit {i}",
                               regular_price=Decimal("9.90"), stock_quantity=i)
                  for i in range(60)]
        created = shop.write_products([ProductWrite(d.sku, d) for d in drafts])
        assert all(o.ok and o.created for o in created)
        sandbox.reset_requests()
        updates = [ProductWrite(o.key, ProductDraft(sku=o.key, name="x",
                                                    regular_price=Decimal(1),
                                                    stock_quantity=5),
                                o.shop_id, frozenset({"stock_quantity", "manage_stock"}))
                   for o in created]
        assert all(o.ok for o in shop.write_products(updates))
        methods = [m for m, _ in sandbox.requests]
        assert methods.count("PUT") == 60 and methods.count("GET") == 2
        assert {p.stock for p in _view(sandbox).values()} == {5}
    finally:
        shop.close()
        sandbox.stop()


def test_orders_read_a_page_with_one_request_per_related_resource(tmp_path: Path) -> None:
    sandbox = PrestaShopSandbox(None, cert_dir=tmp_path / "tls").start()
    shop = PrestaShopShop(sandbox.url, DEMO_KEY, options=HttpOptions(verify=sandbox.ca_bundle))
    try:
        orders = list(shop.iter_orders(statuses=["paid", "shipped", "delivered"]))
        assert orders and all(o.status in (OrderStatus.PROCESSING, OrderStatus.COMPLETED)
                              for o in orders)
        first = next(o for o in orders if o.source_id == "703")
        assert first.total == Decimal("84.83") and first.payment_method == "stripe_official"
        # states + config, one page of orders, then lines, rules, addresses, buyers,
        # countries, currencies, carriers.
        assert len(sandbox.requests) <= 12
        shop.write_order_result("703", document_number="SO-1", status=None)
        assert _orders(sandbox)["703"].document_number == "SO-1"
    finally:
        shop.close()
        sandbox.stop()


def _view(sandbox: PrestaShopSandbox):
    from passerelle.sandbox.prestashop.platform import PrestaShopView

    return PrestaShopView(sandbox).products()


def _orders(sandbox: PrestaShopSandbox):
    from passerelle.sandbox.prestashop.platform import PrestaShopView

    return PrestaShopView(sandbox).orders()
