"""Issue 16, Shopify: a shop whose prices include tax (``Shop.taxesIncluded``).

Settings › Taxes and duties › "Include sales tax in product price and shipping rate"
(help.shopify.com/en/manual/taxes/include-exclude-taxes): the variant's price and the
shipping rate already hold the tax, which is Tax = (Rate × Price) / (1 + Rate), and the
order total is the sum of the prices. Off by default ("By default, Shopify displays
product prices without including sales tax",
help.shopify.com/manual/taxes/tax-collection-impact-on-pricing).

What the sandbox serves is read raw, through the shop's own Admin GraphQL endpoint
(tests/conformance/readback/shopify.py ``graphql``), as another app would.

The connector half (sending prices including tax to such a shop) waits for the product
draft to carry the item's tax rate: see the issue 16 report; nothing here stands in for it.
"""

from __future__ import annotations

from collections.abc import Iterator
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from passerelle.sandbox.shopify.merchant import Merchant
from passerelle.sandbox.shopify.platform import ShopifyPlatform, start
from passerelle.sandbox.shopify.server import ShopifySandbox
from tests.conformance.readback.shopify import graphql

CENT = Decimal("0.01")
SHIPPING = Decimal("5.90")  # the demo shop's Colissimo rate, standard VAT (20 %)
REDUCED = "gid://shopify/Collection/300003"  # the seed's reduced-rate collection: 5.5 %

_PRODUCT_SET = """mutation($i: ProductSetInput!) { productSet(input: $i) {
  product { id } userErrors { message } } }"""
_ORDER = """query($id: ID!) { order(id: $id) { taxesIncluded
  totalPriceSet { shopMoney { amount } } totalTaxSet { shopMoney { amount } }
  lineItems(first: 10) { nodes { sku taxLines { rate priceSet { shopMoney { amount } } } } }
  shippingLines(first: 5) { nodes { taxLines { priceSet { shopMoney { amount } } } } } } }"""


def _product(sandbox: ShopifySandbox, sku: str, price: Decimal, *collections: str) -> None:
    """A product as a merchant makes it in the admin: one variant, tracked, stock 50."""
    data = sandbox.admin(
        _PRODUCT_SET,
        {
            "i": {
                "title": sku,
                "collections": list(collections),
                "productOptions": [{"name": "Title", "values": [{"name": "Default Title"}]}],
                "variants": [
                    {
                        "price": str(price),
                        "optionValues": [{"optionName": "Title", "name": "Default Title"}],
                        "inventoryItem": {"sku": sku, "tracked": False},
                    }
                ],
            }
        },
    )
    assert data["productSet"]["userErrors"] == []


def _incl_tax_part(price: Decimal, rate: Decimal) -> Decimal:
    """What a merchant computes: the tax within a tax-included price, to the cent."""
    return (price * rate / (1 + rate)).quantize(CENT, ROUND_HALF_UP)


@pytest.fixture
def shop(tmp_path: Path) -> Iterator[ShopifyPlatform]:
    platform = start(tmp_path)
    _product(platform.sandbox, "TVA-20", Decimal("12.00"))
    _product(platform.sandbox, "TVA-55", Decimal("8.44"), REDUCED)
    yield platform
    platform.stop()


def _order(shop: ShopifyPlatform, order_id: str) -> dict[str, Any]:
    return dict(graphql(shop, _ORDER, {"id": f"gid://shopify/Order/{order_id}"})["order"])


def _amount(money: dict[str, Any]) -> Decimal:
    return Decimal(money["shopMoney"]["amount"])


def test_a_new_shop_adds_taxes_at_checkout(shop: ShopifyPlatform) -> None:
    assert graphql(shop, "{ shop { taxesIncluded } }")["shop"]["taxesIncluded"] is False


def test_the_switch_is_what_the_api_reads_and_is_kept_with_the_shop(
    shop: ShopifyPlatform,
) -> None:
    shop.sandbox.taxes_included = True
    assert graphql(shop, "{ shop { taxesIncluded } }")["shop"]["taxesIncluded"] is True
    state_file = shop.sandbox.state_file
    assert state_file is not None
    assert ShopifySandbox(state_file).taxes_included is True  # the shop restarted


def test_a_shop_state_saved_before_the_setting_reads_as_excluded(tmp_path: Path) -> None:
    sandbox = ShopifySandbox(None)
    del sandbox.state["shop"]["taxesIncluded"]
    assert sandbox.admin("{ shop { taxesIncluded } }")["shop"]["taxesIncluded"] is False


def test_a_checkout_on_a_taxes_included_shop_finds_the_tax_within_the_prices(
    shop: ShopifyPlatform,
) -> None:
    shop.sandbox.taxes_included = True
    order = _order(shop, shop.place_order({"TVA-20": 2, "TVA-55": 3}))
    lines = {li["sku"]: li["taxLines"][0] for li in order["lineItems"]["nodes"]}
    # 24.00 holds 4.00 of VAT at 20 %; 25.32 holds 1.32 at 5.5 % (1.3199… to the cent).
    assert _amount(lines["TVA-20"]["priceSet"]) == Decimal("4.00")
    assert _amount(lines["TVA-55"]["priceSet"]) == Decimal("1.32")
    assert Decimal(str(lines["TVA-55"]["rate"])) == Decimal("0.055")
    shipping_tax = _amount(order["shippingLines"]["nodes"][0]["taxLines"][0]["priceSet"])
    assert shipping_tax == Decimal("0.98")  # 5.90 × 0.2 / 1.2 = 0.9833…
    assert order["taxesIncluded"] is True
    assert _amount(order["totalPriceSet"]) == Decimal("24.00") + Decimal("25.32") + SHIPPING
    assert _amount(order["totalTaxSet"]) == Decimal("4.00") + Decimal("1.32") + shipping_tax


def test_a_checkout_on_a_taxes_excluded_shop_adds_the_tax(shop: ShopifyPlatform) -> None:
    order = _order(shop, shop.place_order({"TVA-20": 2, "TVA-55": 3}))
    lines = {li["sku"]: li["taxLines"][0] for li in order["lineItems"]["nodes"]}
    assert _amount(lines["TVA-20"]["priceSet"]) == Decimal("4.80")
    assert _amount(lines["TVA-55"]["priceSet"]) == Decimal("1.39")  # 25.32 × 0.055 = 1.3926
    assert order["taxesIncluded"] is False
    tax = Decimal("4.80") + Decimal("1.39") + Decimal("1.18")
    assert _amount(order["totalTaxSet"]) == tax
    assert _amount(order["totalPriceSet"]) == Decimal("24.00") + Decimal("25.32") + SHIPPING + tax


@settings(max_examples=30, deadline=None)
@given(
    price=st.decimals(min_value=Decimal("0.01"), max_value=Decimal("9999.99"), places=2),
    quantity=st.integers(min_value=1, max_value=5),
    reduced=st.booleans(),
)
def test_the_tax_within_a_price_is_what_the_merchant_computes(
    price: Decimal, quantity: int, reduced: bool
) -> None:
    """A merchant reads the shop's checkout: Tax = (Rate × Price) / (1 + Rate), half up to
    the cent, and what remains is the price excluding tax, within a cent of Price / (1 + Rate)."""
    sandbox = ShopifySandbox(None, seed=False)
    sandbox.taxes_included = True
    rate = Decimal("0.055") if reduced else Decimal("0.20")
    _product(sandbox, "P", price, *([REDUCED] if reduced else []))
    order_id = Merchant(sandbox).place_order({"P": quantity})
    order = sandbox.admin(_ORDER, {"id": f"gid://shopify/Order/{order_id}"})["order"]
    tax = _amount(order["lineItems"]["nodes"][0]["taxLines"][0]["priceSet"])
    gross = price * quantity
    assert tax == _incl_tax_part(gross, rate)
    assert abs((gross - tax) - gross / (1 + rate)) <= CENT / 2
    assert _amount(order["totalPriceSet"]) == gross + SHIPPING
