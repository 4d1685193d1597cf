"""Issue 16, Magento: a product's tax class and special price, read back raw.

Written through the connector, read back with ``GET /V1/products/{sku}``
(``tests/conformance/readback/magento``): the ``tax_class_id`` custom attribute
names the class the draft asks (the profile's ``catalogue.tax_classes`` gives the
draft its class; "" is the standard rate, the store's default class "Taxable
Goods", id 2 in a fresh store); ``special_price`` and the ``special_from_date``
Magento fills with the day of the save when none is sent.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime
from decimal import Decimal

from passerelle.connectors.base import ProductWrite
from passerelle.connectors.magento.connector import MagentoShop
from passerelle.model import ProductDraft
from passerelle.sandbox.magento.platform import MagentoPlatform
from tests import test_magento_shop
from tests.conformance.readback import magento as readback

world = test_magento_shop.world  # the connector on a fresh sandbox

MUG = ProductDraft(sku="MUG-1", name="Mug", regular_price=Decimal("12.50"), stock_quantity=3)


def _attribute(platform: MagentoPlatform, sku: str, code: str) -> object:
    return readback.custom_attribute(readback.product_record(platform, sku), code)


def _tax_class(platform: MagentoPlatform, sku: str) -> str:
    return readback.tax_class_name(platform, _attribute(platform, sku, "tax_class_id"))


def test_a_product_s_tax_class_reads_back_and_follows_the_back_office_to_the_standard_rate(
    world: tuple[MagentoPlatform, MagentoShop],
) -> None:
    platform, shop = world
    reduced = replace(MUG, tax_class="reduced-rate")
    assert shop.write_products([ProductWrite("m", reduced)])[0].ok
    assert _tax_class(platform, "MUG-1") == "reduced-rate"
    # Back to the standard rate: the store's default class, not the reduced one kept.
    outcome = shop.write_products(
        [ProductWrite("m", replace(MUG, tax_class=""), "MUG-1", frozenset({"tax_class"}))]
    )[0]
    assert outcome.ok, outcome.error
    assert _tax_class(platform, "MUG-1") == "Taxable Goods"
    # A write that does not ask for the tax class leaves the merchant's choice alone.
    platform.sandbox.call(
        "PUT",
        "products/MUG-1",
        {"product": {"custom_attributes": [{"attribute_code": "tax_class_id", "value": "4"}]}},
    )
    shop.write_products([ProductWrite("m", MUG, "MUG-1", frozenset({"name"}))])
    assert _tax_class(platform, "MUG-1") == "intermediate-rate"


def test_a_special_price_reads_back_starting_the_day_it_was_sent_until_removed(
    world: tuple[MagentoPlatform, MagentoShop],
) -> None:
    platform, shop = world
    on_sale = replace(MUG, sale_price=Decimal("9.90"))
    before = datetime.now(UTC).strftime("%Y-%m-%d")
    assert shop.write_products([ProductWrite("m", on_sale)])[0].ok
    after = datetime.now(UTC).strftime("%Y-%m-%d")
    assert Decimal(str(_attribute(platform, "MUG-1", "special_price"))) == Decimal("9.90")
    # Magento starts a special price sent without a start date that day, at midnight.
    assert _attribute(platform, "MUG-1", "special_from_date") in {
        f"{before} 00:00:00",
        f"{after} 00:00:00",
    }
    assert _attribute(platform, "MUG-1", "special_to_date") is None
    ended = shop.write_products(
        [ProductWrite("m", MUG, "MUG-1", frozenset({"regular_price", "sale_price"}))]
    )[0]
    assert ended.ok, ended.error
    assert _attribute(platform, "MUG-1", "special_price") in (None, "")


def test_the_sandbox_keeps_a_special_price_start_date_sent_or_already_held(
    world: tuple[MagentoPlatform, MagentoShop],
) -> None:
    platform, _ = world
    sandbox = platform.sandbox
    attributes = [
        {"attribute_code": "special_price", "value": "5"},
        {"attribute_code": "special_from_date", "value": "2026-01-15 00:00:00"},
        {"attribute_code": "special_to_date", "value": "2026-01-31 00:00:00"},
    ]
    sandbox.call(
        "POST",
        "products",
        {
            "product": {
                "sku": "BOL-1",
                "name": "Bol",
                "price": 8,
                "attribute_set_id": 4,
                "custom_attributes": attributes,
            }
        },
    )
    sandbox.call(
        "PUT",
        "products/BOL-1",
        {"product": {"custom_attributes": [{"attribute_code": "special_price", "value": "6"}]}},
    )
    assert [
        _attribute(platform, "BOL-1", code)
        for code in ("special_price", "special_from_date", "special_to_date")
    ] == ["6", "2026-01-15 00:00:00", "2026-01-31 00:00:00"]
    sandbox.call(
        "POST",
        "products",
        {"product": {"sku": "TAS-1", "name": "Tasse", "price": 4, "attribute_set_id": 4}},
    )
    assert _attribute(platform, "TAS-1", "special_from_date") is None  # no special price
