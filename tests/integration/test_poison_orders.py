"""Poison orders: three bad orders among twenty good ones, imported through the CLI.

A 30-digit line total, a sale line of −3 units and an unknown currency sit in
the WooCommerce sandbox next to twenty ordinary paid orders. One
``passerelle run import-orders`` must write the twenty into the real Tryton
(read back, totals to the cent), write none of the three, and
``passerelle problems`` must list the three, each naming the field to correct.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from typer.testing import CliRunner

from passerelle.cli.common import console
from passerelle.cli.main import app
from passerelle.demo_data import CUSTOMERS, ITEMS
from passerelle.flows.import_orders import FLOW as IMPORT
from passerelle.profiles import ProfileRepository
from tests.integration.conftest import World
from tests.integration.tryton_view import read_sales

HUGE = "123456789012345678901234567890.00"
TAX_CLASS = {"VAT20": "", "VAT10": "intermediate-rate", "VAT55": "reduced-rate"}


@pytest.fixture(autouse=True)
def _wide_tables(monkeypatch: pytest.MonkeyPatch) -> None:
    """One table row per line, however long the reason (the console's width is fixed
    when it is created, from $COLUMNS)."""
    monkeypatch.setattr(console, "width", 1000)


def sale_line(index: int, quantity: int) -> dict[str, Any]:
    item = ITEMS[index % len(ITEMS)]
    amount = f"{item.price * quantity:.2f}"
    return {
        "sku": item.code,
        "name": item.name,
        "quantity": quantity,
        "subtotal": amount,
        "total": amount,
        "tax_class": TAX_CLASS[item.tax],
    }


def place(world: World, index: int, *lines: dict[str, Any]) -> dict[str, Any]:
    """A paid guest order placed through the sandbox's own order creation (its totals)."""
    customer = CUSTOMERS[index % len(CUSTOMERS)]
    return world.sandbox.create_order(
        {
            "status": "processing",
            "set_paid": True,
            "payment_method": "stripe",
            "payment_method_title": "Carte bancaire",
            "customer_id": 0,
            "billing": {
                "first_name": customer.first_name,
                "last_name": f"Poison{index}",
                "address_1": customer.street,
                "city": customer.city,
                "postcode": customer.postal_code,
                "country": "FR",
                "email": f"poison{index}@example.org",
            },
            "line_items": list(lines or [sale_line(index, 1 + index % 3)]),
            "shipping_lines": [
                {"method_id": "flat_rate", "method_title": "Colissimo", "total": "4.90"}
            ],
        }
    )


def cli(world: World, *args: str) -> tuple[int, str]:
    result = CliRunner().invoke(app, [*args, "--data-dir", str(world.data_dir)])
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise result.exception
    return result.exit_code, result.output


def test_three_poison_orders_are_set_aside_and_the_twenty_good_ones_imported(world: World) -> None:
    sandbox = world.sandbox
    # Only this test's orders in the shop (the seeded ones deleted through its API).
    sandbox.call("POST", "/wc/v3/orders/batch", {"delete": sorted(sandbox.data.orders)})
    good = [place(world, index) for index in range(20)]
    # A sale line of −3 units next to an ordinary one: the REST API takes a negative
    # quantity (its schema says "integer"), and the order's total stays positive.
    negative = place(world, 20, sale_line(0, 4), sale_line(1, -3))
    huge = place(world, 21)
    unknown = place(world, 22)
    # The REST API refuses these two at creation (the currency is not one of its
    # enum; the totals code cannot round a 30-digit amount): they are written into
    # the shop's data directly, as a plugin writing to the database would.
    with sandbox.store.lock:
        stored = sandbox.data.orders[huge["id"]]["line_items"][0]
        stored["subtotal"] = stored["total"] = HUGE
        sandbox.data.orders[unknown["id"]]["currency"] = "XXY"
        sandbox.store.mark_dirty()
    (negative_line,) = [
        ln for ln in sandbox.data.orders[negative["id"]]["line_items"] if ln["quantity"] < 0
    ]
    assert negative_line["quantity"] == -3

    ProfileRepository(world.data_dir).save(world.profile)
    world.store.close()  # the CLI opens the data directory's store itself
    code, output = cli(world, "run", IMPORT, "--profile", world.profile.name)
    assert code == 3, output  # completed with problems: three orders set aside

    host = sandbox.url.split("://", 1)[1]
    sales = read_sales(world.target)
    for order in good:
        key = f"{host}#{order['id']}"
        assert key in sales, f"good order {order['id']} not in Tryton"
        assert sales[key].total == Decimal(order["total"]), order["id"]
        assert sales[key].currency == "EUR"
    assert len(sales) == 20, sorted(sales)
    for order in (negative, huge, unknown):
        assert f"{host}#{order['id']}" not in sales

    code, listing = cli(world, "problems", "--profile", world.profile.name)
    assert code == 0, listing
    rows = {
        line.split()[3]: line
        for line in listing.splitlines()
        if len(line.split()) > 3 and line.split()[3].isdigit()
    }
    assert set(rows) == {str(o["id"]) for o in (negative, huge, unknown)}, listing
    for order_id, row in rows.items():
        assert " error " in row, row
        assert f"order {order_id}" in row, row
    negative_sku = ITEMS[1].code
    assert (
        f"line 2 (SKU {negative_sku}) quantity -3: a sale line needs a quantity above 0"
        in rows[str(negative["id"])]
    )
    huge_sku = ITEMS[21 % len(ITEMS)].code
    assert f"line 1 (SKU {huge_sku}) total {HUGE}: out of range" in rows[str(huge["id"])]
    assert "currency 'XXY' is not an ISO 4217 currency code" in rows[str(unknown["id"])]
