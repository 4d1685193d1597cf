"""The file back-office on every shop platform: what only its files can show.

Issue 17's must-show, checked on the files themselves: the catalogue from the
sample items spreadsheet reaches the shop, a second run sends nothing, one
changed cell (a price, in the program's next export) sends exactly one product
update; paid orders become order files whose total and payments equal the
shop's to the cent, PARSED from the files (``files_world.read_order_file``, the
csv module), and a second import writes no order's file again. The tax is the
shop's to the cent, except where the shop rounds each line's tax and the
program (per rate on the document, as French invoicing) comes a cent or two
apart: the file's tax plus its gap line is then the shop's tax, to the cent.

The expected prices are read from the spreadsheet with openpyxl, never from
the connector; the shop's amounts from the shop's own orders (the shop
connector's reading of its API, as the other conformance tests do).
"""

from __future__ import annotations

from collections import Counter
from contextlib import closing
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from passerelle.connectors.files.sample import ITEMS_FILE, SAMPLE_HEADERS
from passerelle.demo_data import ITEM_DIMENSIONS
from passerelle.model import Order
from passerelle.platforms import build_shop
from tests.conformance.conftest import PLATFORMS, PlatformWorld, order_id, shop_writes
from tests.conformance.files_world import ARCHIVE, FilesExchange, OrderFile

CATALOGUE = ("export-categories", "export-products", "update-prices", "update-stock")
CENT = Decimal("0.01")
# A simple product of the demo (no variants, no pack, no promotion) whose price changes.
CHANGED = "TEA-002"
DIMENSIONED = "POT-003"


# The file back-office on every shop platform (the fixture's other worlds left out).
on_every_shop = pytest.mark.parametrize(
    "platform",
    [("files", kind) for kind in PLATFORMS],
    ids=lambda p: f"files-{p[1]}",
    indirect=True,
)


def _exchange(platform: PlatformWorld) -> FilesExchange:
    assert platform.files is not None
    return platform.files


def _spreadsheet_prices(platform: PlatformWorld) -> dict[str, Decimal]:
    """Each salable item's price as the items export the program wrote shows it."""
    headers = SAMPLE_HEADERS["items"]
    book = load_workbook(_exchange(platform).folder / ARCHIVE / ITEMS_FILE, read_only=True)
    sheet = book.active
    assert sheet is not None
    header, *rows = [list(row) for row in sheet.iter_rows(values_only=True)]
    book.close()
    column = {title: n for n, title in enumerate(header)}

    def cell(row: list[object], field: str) -> object:
        return row[column[headers[field]]]

    return {
        str(cell(row, "code")): Decimal(str(cell(row, "sale_price"))).quantize(CENT)
        for row in rows
        if cell(row, "salable") == "Oui" and cell(row, "active") == "Oui"
    }


def _run_catalogue(platform: PlatformWorld) -> Counter[str]:
    counts = Counter[str]()
    for flow in CATALOGUE:
        counts.update(platform.run(flow).counts)
    return counts


@on_every_shop
def test_the_sample_catalogue_arrives_and_one_changed_cell_sends_one_update(
    platform: PlatformWorld,
) -> None:
    # Four catalogue passes (first, unchanged, one cell changed, settled) are the
    # subject: about 4 s on WooCommerce, up to 15 s on the slower Shopify sandbox.
    _run_catalogue(platform)
    prices = _spreadsheet_prices(platform)
    # The sample's columns beyond the price: a service is not stocked, sizes are kept.
    items = {item.code: item for item in platform.backoffice.list_items()}
    assert (items["SHIPPING"].stocked, items[CHANGED].stocked) == (False, True)
    dimensions = items[DIMENSIONED].length, items[DIMENSIONED].width, items[DIMENSIONED].height
    assert dimensions == ITEM_DIMENSIONS[DIMENSIONED], platform.kind
    products = platform.shop.view.products()
    assert CHANGED in prices and not products[CHANGED].parent_sku, platform.kind
    # Every simple product the spreadsheet lists is in the shop at its price.
    arrived = {code: p.price for code, p in products.items() if code in prices}
    assert len(arrived) > 30, (platform.kind, sorted(arrived))
    assert {c: prices[c] for c in arrived if not products[c].parent_sku} == {
        c: Decimal(p).quantize(CENT) for c, p in arrived.items() if not products[c].parent_sku
    }, platform.kind

    platform.shop.reset_requests()
    counts = _run_catalogue(platform)
    assert counts["created"] == counts["updated"] == 0, (platform.kind, counts)
    assert shop_writes(platform) == [], platform.kind

    # The program's next export: the same spreadsheet, one price cell changed.
    new_price = prices[CHANGED] + Decimal("1.10")
    _exchange(platform).change_cell(CHANGED, "sale_price", float(new_price))
    platform.shop.reset_requests()
    counts = _run_catalogue(platform)
    assert (counts["created"], counts["updated"]) == (0, 1), (platform.kind, counts)
    if platform.kind != "shopify":
        writes = shop_writes(platform)
        assert len(writes) == 1, (platform.kind, writes)
    assert platform.shop.view.products()[CHANGED].price == new_price, platform.kind

    platform.shop.reset_requests()
    counts = _run_catalogue(platform)
    assert counts["created"] == counts["updated"] == 0, (platform.kind, counts)
    assert shop_writes(platform) == [], platform.kind


def _shop_orders(platform: PlatformWorld) -> dict[str, Order]:
    with closing(build_shop(platform.profile.shop)) as shop:
        return {o.source_id: o for o in shop.iter_orders() if isinstance(o, Order)}


def _per_order(files: list[OrderFile], gap_item: str) -> dict[str, tuple[Decimal, ...]]:
    """(total, tax, payments, gap) per shop order, summed over its documents (an order
    split in parts has several files); credit notes left out."""
    sums: dict[str, tuple[Decimal, ...]] = {}
    for f in files:
        if "/refund/" in f.key:
            continue
        gap = sum((amount for code, amount in f.amounts if code == gap_item), Decimal(0))
        before = sums.get(order_id(f.key), (Decimal(0),) * 4)
        sums[order_id(f.key)] = tuple(
            a + b for a, b in zip(before, (f.total, f.tax, f.paid, gap), strict=True)
        )
    return sums


@on_every_shop
def test_paid_orders_become_order_files_with_the_shops_amounts_once(
    platform: PlatformWorld,
) -> None:
    platform.run("import-orders")
    files = _exchange(platform).order_files()
    gap_item = platform.profile.orders.gap_item
    assert gap_item
    sums = _per_order(files, gap_item)
    view = platform.shop.view.orders()
    shop = _shop_orders(platform)
    paid_in_shop = {oid for oid, o in view.items() if o.paid}
    written = paid_in_shop & set(sums)
    assert len(written) > len(paid_in_shop) // 2, (platform.kind, sorted(paid_in_shop))
    gaps: dict[str, Decimal] = {}
    for oid in sorted(written):
        order = shop[oid]
        payments = sum((p.amount for p in order.payments), Decimal(0)) or order.total
        total, tax, paid, gap = sums[oid]
        assert (total, paid) == (order.total, payments), (platform.kind, oid, sums[oid])
        # The program computes the tax per rate on the document (French invoicing, see
        # passerelle.connectors.files.arithmetic); a shop rounding each line's tax may
        # say a cent or two more or less, and exactly that is on the gap line.
        assert tax + gap == order.total_tax, (platform.kind, oid, sums[oid], order.total_tax)
        assert abs(gap) <= platform.profile.orders.total_tolerance, (platform.kind, oid, gap)
        gaps[oid] = gap

    # Most orders need no gap: their tax is the shop's to the cent.
    assert sum(1 for g in gaps.values() if g == 0) > len(gaps) // 2, (platform.kind, gaps)

    platform.run("import-orders")
    again = _exchange(platform).order_files()
    assert sorted(f.path.name for f in again) == sorted(f.path.name for f in files)
    keys = [f.key for f in again]
    assert len(keys) == len(set(keys)), (platform.kind, keys)
