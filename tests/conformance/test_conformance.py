"""The same flows and the same checks on both sides, for every back-office and shop platform.

What a merchant expects of any connector: the catalogue arrives with the
back-office's prices and stock (read back by the connector, so the stock
check finds no difference), a second run sends nothing, customers carry
their account code, paid orders become back-office sales to the cent, once,
and the sale number is written back on the shop order.
"""

from __future__ import annotations

from collections import Counter
from contextlib import closing
from decimal import Decimal

from passerelle.connectors.base import Shop
from passerelle.demo_data import CATALOGUE_ITEMS, CATEGORIES, CUSTOMERS, DemoItem
from passerelle.flows.stock_check import StockReport
from passerelle.model import Order, OrderStatus
from passerelle.platforms import build_shop
from tests.conformance.conftest import PlatformWorld, order_id, shop_writes

CATALOGUE = ("export-categories", "export-products", "update-prices", "update-stock")
_SOLD = (OrderStatus.PROCESSING, OrderStatus.ON_HOLD, OrderStatus.COMPLETED)


def test_the_catalogue_arrives_with_prices_and_stock_and_a_second_run_sends_nothing(
    platform: PlatformWorld,
) -> None:
    for flow in CATALOGUE:
        platform.run(flow)
    sold, reserved = _sold_and_reserved(platform)
    products = platform.shop.view.products()
    for item in CATALOGUE_ITEMS:
        if not item.salable:
            assert item.code not in products, item.code
            continue
        product = products[item.code]
        if item.components:
            continue  # a pack's price and stock are the platform's own (C13)
        assert product.price == item.price, (platform.kind, item.code)
        assert product.stock == _offered(item, sold), (platform.kind, item.code)
    assert {c.name for c in CATEGORIES} <= platform.shop.view.category_names()

    # R8: the connector reads back the stock update-stock sent, and the check agrees.
    # A shop that subtracts its open orders itself was written that much more.
    with closing(build_shop(platform.profile.shop)) as shop:
        read_back = {p.sku: p.stock_quantity for p in shop.iter_products()}
        written_above = reserved if shop.holds_reservations else Counter[str]()
    for item in CATALOGUE_ITEMS:
        if item.salable and not item.components:
            assert read_back[item.code] == _offered(item, sold) + written_above[item.code], (
                platform.kind,
                item.code,
            )
    check = platform.run("stock-check")
    report = StockReport.from_journal(platform.store.journal(check.run_id))
    assert (report.differences, report.uncompared) == ([], []), platform.kind

    platform.shop.reset_requests()
    for flow in CATALOGUE:
        summary = platform.run(flow)
        assert summary.counts["created"] == summary.counts["updated"] == 0, (flow, summary)
    writes = shop_writes(platform)
    assert writes == [], (platform.kind, writes)


def _sold_and_reserved(platform: PlatformWorld) -> tuple[Counter[str], Counter[str]]:
    """Units per SKU of the seeded orders the shop took out of its stock: those it
    holds open (some platforms hold unpaid orders too) and those it counts as sold.
    None is imported yet, so the back-office still has them all. Archived orders are
    never imported, and their goods never left."""
    sold, reserved = Counter[str](), Counter[str]()
    with closing(build_shop(platform.profile.shop)) as shop:
        open_ids = set()
        for order in shop.iter_open_orders():
            if isinstance(order, Order):
                open_ids.add(order.source_id)
                reserved.update({line.reference: int(line.quantity) for line in order.lines})
        sold.update(reserved)
        for order in shop.iter_orders():
            if (
                isinstance(order, Order)
                and order.status in _SOLD
                and order.source_id not in open_ids
            ):
                sold.update({line.reference: int(line.quantity) for line in order.lines})
    return sold, reserved


def _offered(item: DemoItem, sold: Counter[str]) -> int:
    """Both warehouses summed, less the units sold and not imported, negatives as 0."""
    return max(int(sum(item.stock)) - sold[item.code], 0)


def test_customers_carry_their_account_code(platform: PlatformWorld) -> None:
    with closing(build_shop(platform.profile.shop)) as shop:
        assert isinstance(shop, Shop), platform.kind  # every method of the protocol
    platform.run("export-customers")
    customers = platform.shop.view.customers()
    for customer in CUSTOMERS:
        if customer.email and customer.active:
            shop = customers[customer.email.lower()]
            assert shop.account_code == customer.code, (platform.kind, customer.code)


def test_paid_orders_become_sales_to_the_cent_once_with_their_number_written_back(
    platform: PlatformWorld,
) -> None:
    platform.run("import-orders")
    platform.run("update-order-status")
    orders = platform.shop.view.orders()
    sales = [s for s in platform.sales() if "/refund/" not in s.key]
    totals: dict[str, Decimal] = {}
    numbers: dict[str, list[str]] = {}
    for sale in sales:
        oid = order_id(sale.key)
        totals[oid] = totals.get(oid, Decimal(0)) + sale.total
        numbers.setdefault(oid, []).append(sale.number)
    keys = [s.key for s in sales]
    parked_records = platform.store.parked(platform.profile.name, "import-orders")
    parked = {
        order_id(p.record_key) if "#" in p.record_key else p.record_key for p in parked_records
    }
    # An order may wait for a person (a payment to come, a mapping to add), never
    # because the shop's and the back-office's amounts disagree: the shop told all.
    disagreeing = [p.reason for p in parked_records if "difference" in p.reason]
    assert disagreeing == [], (platform.kind, disagreeing)
    paid = {oid for oid, o in orders.items() if o.paid}
    assert paid and paid <= set(totals) | parked, (platform.kind, sorted(paid - set(totals)))
    assert len(set(totals) & paid) > len(paid) // 2, platform.kind
    for oid in set(totals) & paid:
        assert totals[oid] == orders[oid].total, (platform.kind, oid)
        assert orders[oid].document_number in numbers[oid] or orders[oid].document_number == (
            ", ".join(numbers[oid])
        ), (platform.kind, oid)

    platform.run("import-orders")
    again = [s.key for s in platform.sales()]
    assert len(again) == len(set(again)) and set(keys) <= set(again), platform.kind
