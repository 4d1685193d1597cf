"""What the Wix connector writes where Wix keeps it, read back through the sandbox's view
and the API: the sale number as a merchant comment, the account code in a custom field,
categories through the Categories API, fees read from orders, and the fields Wix cannot
hold reported (passerelle/connectors/wix/orders.py, customers.py, catalog_v3.py,
translate_orders.py, unsupported.py)."""

from __future__ import annotations

from decimal import Decimal

from passerelle.connectors.base import CategoryWrite, CustomerWrite, ProductWrite
from passerelle.connectors.wix.connector import WixShop
from passerelle.model import Customer, ProductDraft, ShopCategory
from passerelle.sandbox.wix.platform import WixPlatform
from tests.test_wix_variants import site

__all__ = ["site"]  # the fixture, used by name


def test_the_sale_number_is_a_merchant_comment_written_once(
    site: tuple[WixPlatform, WixShop],
) -> None:
    platform, shop = site
    order_id = next(iter(platform.view.orders()))
    for _ in range(2):
        shop.write_order_result(order_id, document_number="SO00042", status=None)
    assert platform.view.orders()[order_id].document_number == "SO00042"
    activities = platform.sandbox.data["orders"][order_id]["activities"]
    assert len(activities) == 1  # the second write found it there


def test_the_account_code_goes_in_a_custom_field_and_the_rest_is_reported(
    site: tuple[WixPlatform, WixShop],
) -> None:
    platform, shop = site
    known = {"first_name": "Inès", "last_name": "Roy", "code": "C0099", "group": "Pros"}
    customer = Customer(
        "1", "Inès Roy", "ines.roy@example.org", active=False, tax_identifier="FR1", **known
    )
    (outcome,) = shop.write_customers([CustomerWrite("1", customer)])
    assert outcome.ok and outcome.created, outcome
    assert set(outcome.unsupported) == {"active", "group", "tax_identifier"}
    assert platform.view.customers()["ines.roy@example.org"].account_code == "C0099"
    assert shop.find_customers_by_email(["Ines.Roy@example.org"]) == {
        "ines.roy@example.org": outcome.shop_id
    }


def test_a_new_product_goes_into_its_category_and_a_pack_is_a_simple_product(
    site: tuple[WixPlatform, WixShop],
) -> None:
    platform, shop = site
    (category,) = shop.write_categories([CategoryWrite("c", ShopCategory(name="Cuisine"))])
    draft = ProductDraft(
        sku="KIT-1",
        name="Coffret",
        regular_price=Decimal("30.00"),
        kind="grouped",
        grouped_ids=("p1", "p2"),
        category_ids=(str(category.shop_id),),
        stock_quantity=3,
    )
    (outcome,) = shop.write_products([ProductWrite("k", draft)])
    assert outcome.ok and outcome.created, outcome
    assert outcome.unsupported == ("grouped_ids", "tax_class")  # no tax group named
    shown = platform.view.products()["KIT-1"]
    assert (shown.category_names, shown.stock, shown.price) == (("Cuisine",), 3, Decimal("30.00"))
    (read,) = [p for p in shop.iter_products() if p.sku == "KIT-1"]
    assert read.category_names == ("Cuisine",)


def test_an_orders_fees_are_read_with_their_tax(site: tuple[WixPlatform, WixShop]) -> None:
    platform, shop = site
    with_fee = next(o for o in platform.sandbox.data["orders"].values() if o["additionalFees"])
    order = shop.get_order(with_fee["id"])
    (fee,) = order.fee_lines
    raw = with_fee["additionalFees"][0]
    assert fee.total == Decimal(raw["priceBeforeTax"]["amount"])
    assert fee.total_tax == Decimal(raw["taxDetails"]["totalTax"]["amount"])
    assert fee.taxes[0].rate == Decimal(raw["taxDetails"]["taxRate"])
    # Paid through the Order Transactions: the payment's method and transaction id.
    assert order.payment_method and order.payments


def test_a_compound_tax_is_read_by_name(site: tuple[WixPlatform, WixShop]) -> None:
    """Canada's GST and PST on one line: each its own tax line, named (rateBreakdown)."""
    platform, shop = site
    raw = next(o for o in platform.sandbox.data["orders"].values() if o["currency"] == "CAD")
    order = shop.get_order(raw["id"])
    for line in (*order.lines, *order.shipping_lines):
        assert [t.label for t in line.taxes] == ["GST", "PST"]
        assert sum(t.amount for t in line.taxes) == line.total_tax
    assert [t.rate for t in order.lines[0].taxes] == [Decimal("0.05"), Decimal("0.08")]
