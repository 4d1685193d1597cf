"""Units sold in the shop are never offered again, on every platform.

A buyer pays for two units, another puts one on hold: the sandbox lowers (or
reserves) its stock as the platform does. From then on neither
``update-stock`` nor ``stock check --fix`` may offer more than the
back-office can still sell, and once the orders are imported and shipped in
the back-office (or cancelled in the shop) both sides show the same figure again.

Only the orders this test places are imported (``--from`` their creation): the
shop's seeded orders stay open and unimported, which every figure below counts
(``_owed_by_open_orders``); importing them all is test_conformance's subject.
"""

from __future__ import annotations

from decimal import Decimal

from passerelle.demo_data import CATALOGUE_ITEMS
from passerelle.flows.stock_check import StockReport
from tests.conformance.conftest import (
    PlatformWorld,
    order_id,
    owed_by_open_orders,
    placed_at,
    placed_from,
)

CATALOGUE = ("export-categories", "export-products", "update-stock")


def _simple_item_code(platform: PlatformWorld) -> str:
    """A simple product the shop holds, with enough stock for three orders."""
    products = platform.shop.view.products()
    for item in sorted(CATALOGUE_ITEMS, key=lambda i: i.code):
        product = products.get(item.code)
        if (
            product is not None
            and not item.components
            and not product.parent_sku
            and product.stock is not None
            and product.stock >= 5
        ):
            return item.code
    raise AssertionError(f"{platform.kind}: no simple demo product with 5 units or more")


def _on_hand(platform: PlatformWorld, code: str) -> int:
    """The back-office's quantity on hand of ``code``, all warehouses (the demo profile's
    kind)."""
    return int(platform.backoffice.item_quantities([code])[code])


def _offered(platform: PlatformWorld, code: str) -> int | None:
    return platform.shop.view.products()[code].stock


def _sellable(platform: PlatformWorld, code: str) -> int:
    """What the back-office can still sell: on hand less every open order's units,
    imported or not (none of them is shipped in the back-office during this test's checks)."""
    return _on_hand(platform, code) - owed_by_open_orders(platform, code)


def _check_and_fix(platform: PlatformWorld) -> StockReport:
    runner_summary = platform.run_with("stock-check", fix=True)
    return StockReport.from_journal(platform.store.journal(runner_summary.run_id))


def test_units_sold_in_the_shop_are_never_offered_again(platform: PlatformWorld) -> None:
    for flow in CATALOGUE:
        platform.run(flow)
    code = _simple_item_code(platform)
    start = _offered(platform, code)
    assert start == _sellable(platform, code), platform.kind

    paid = platform.shop.place_order({code: 2}, state="paid")
    assert _offered(platform, code) == start - 2, (platform.kind, "a paid order lowers stock")
    held = platform.shop.place_order({code: 1}, state="on_hold")
    assert _offered(platform, code) == start - 3, (platform.kind, "on hold holds as paid")

    # The back-office still has every unit on hand: neither flow may offer them again.
    assert _on_hand(platform, code) - owed_by_open_orders(platform, code) == start - 3
    platform.run("update-stock")
    assert _offered(platform, code) == start - 3, (platform.kind, "update-stock")
    report = _check_and_fix(platform)
    assert report.differences == [], (platform.kind, report.differences)
    assert _offered(platform, code) == start - 3, platform.kind

    # The paid order is imported: the on-hold one waits for its payment. Still held.
    window = placed_from(placed_at(platform, paid, held))
    platform.run_with("import-orders", **window)
    assert paid in {order_id(s.key) for s in platform.sales()}, (platform.kind, "imported")
    platform.run("update-stock")
    assert _offered(platform, code) == start - 3, (platform.kind, "after the import")

    # Shipped on both sides, the other order cancelled in the shop and that reaching
    # the back-office through the next import: both agree again.
    platform.ship(paid)
    platform.shop.set_order_state(paid, "shipped")
    platform.shop.set_order_state(held, "cancelled")
    platform.run_with("import-orders", **window)
    platform.run("update-stock")
    report = _check_and_fix(platform)
    assert report.differences == [], (platform.kind, report.differences)
    assert _offered(platform, code) == _sellable(platform, code) == start - 2, platform.kind
    assert Decimal(_on_hand(platform, code)) == Decimal(
        start - 2 + owed_by_open_orders(platform, code)
    ), platform.kind
