"""Issue 16, PrestaShop products: dimensions and weight, the minimum quantity, the
brand (a manufacturer, created when missing) and the supplier (a supplier, created when
missing, and the product's ``product_suppliers`` row the back office lists), read back.

The connector writes (:class:`PrestaShopShop`); what the shop keeps is read raw
through ``GET /api/products``, ``manufacturers``, ``suppliers`` and
``product_suppliers`` (``tests.conformance.readback.prestashop``). The expected values
are the demo catalogue's (``passerelle.demo_data``).
"""

from __future__ import annotations

import ssl
from collections.abc import Iterator
from dataclasses import replace
from decimal import Decimal
from pathlib import Path

import httpx
import pytest

from passerelle.connectors.base import GroupWrite, ProductWrite
from passerelle.connectors.http import HttpOptions
from passerelle.connectors.prestashop import PrestaShopShop
from passerelle.demo_data import (
    CATALOGUE_ITEMS,
    ITEM_ATTRIBUTES,
    ITEM_COST_PRICES,
    ITEM_DIMENSIONS,
    ITEM_SUPPLIERS,
    PRICE_LISTS,
    DemoItem,
)
from passerelle.model import CustomerGroup, ProductDraft
from passerelle.sandbox.prestashop import DEMO_KEY
from passerelle.sandbox.prestashop.platform import PrestaShopPlatform, start
from tests.conformance.readback.prestashop import read_product, read_product_supply

ITEMS = {item.code: item for item in CATALOGUE_ITEMS}
# The merchant's own 5 % for a customer group, from one unit, always.
MERCHANT_REDUCTION = (
    "<prestashop><specific_price><id_shop>0</id_shop><id_shop_group>0</id_shop_group>"
    "<id_cart>0</id_cart><id_product>{product}</id_product>"
    "<id_product_attribute>0</id_product_attribute><id_currency>0</id_currency>"
    "<id_country>0</id_country><id_group>{group}</id_group><id_customer>0</id_customer>"
    "<id_specific_price_rule>0</id_specific_price_rule><price>-1</price>"
    "<from_quantity>1</from_quantity><reduction>0.05</reduction>"
    "<reduction_tax>0</reduction_tax><reduction_type>percentage</reduction_type>"
    "<from>0000-00-00 00:00:00</from><to>0000-00-00 00:00:00</to>"
    "</specific_price></prestashop>"
)
# A pot with dimensions, a brand and a supplier; a plate sold by four at least; a
# second pot of the same brand, without supplier.
POT, PLATE, OTHER_POT = ITEMS["POT-003"], ITEMS["PLT-001"], ITEMS["POT-001"]


@pytest.fixture
def world(tmp_path: Path) -> Iterator[tuple[PrestaShopPlatform, PrestaShopShop]]:
    platform = start(tmp_path)
    shop = PrestaShopShop(
        platform.url,
        DEMO_KEY,
        options=HttpOptions(verify=platform.sandbox.ca_bundle),
        tax_rules_groups={"standard": 1},
    )
    try:
        yield platform, shop
    finally:
        shop.close()
        platform.stop()


def _verify(platform: PrestaShopPlatform) -> ssl.SSLContext:
    return ssl.create_default_context(cafile=str(platform.sandbox.ca_bundle))


def _draft(item: DemoItem) -> ProductDraft:
    """The demo item as the catalogue flow drafts it (its fields, not the connector's)."""
    attributes = ITEM_ATTRIBUTES[item.code]
    length, width, height = ITEM_DIMENSIONS.get(item.code, (None, None, None))
    supplier, reference = ITEM_SUPPLIERS.get(item.code, ("", ""))
    min_qty = attributes.get("min_qty")
    return ProductDraft(
        sku=item.code,
        name=item.name,
        regular_price=item.price,
        tax_class="standard",
        weight=item.weight,
        length=length,
        width=width,
        height=height,
        brand=str(attributes.get("brand", "")),
        supplier=supplier,
        supplier_reference=reference,
        cost_price=ITEM_COST_PRICES[item.code],
        min_quantity=None if min_qty is None else Decimal(str(min_qty)),
    )


def _write(shop: PrestaShopShop, *writes: ProductWrite) -> dict[str, str]:
    outcomes = shop.write_products(list(writes))
    assert all(o.ok for o in outcomes), outcomes
    return {o.key: str(o.shop_id) for o in outcomes}


def test_measures_minimum_brand_and_supplier_are_read_back(
    world: tuple[PrestaShopPlatform, PrestaShopShop],
) -> None:
    platform, shop = world
    _write(shop, *(ProductWrite(i.code, _draft(i)) for i in (POT, PLATE)))
    pot = read_product(platform, POT.code)
    length, width, height = ITEM_DIMENSIONS[POT.code]
    supplier, reference = ITEM_SUPPLIERS[POT.code]
    assert (pot["length"], pot["width"], pot["height"], pot["weight"]) == (
        length,
        width,
        height,
        POT.weight,
    )
    assert (pot["brand"], pot["supplier"], pot["supplier_reference"]) == (
        ITEM_ATTRIBUTES[POT.code]["brand"],
        supplier,
        reference,
    )
    assert read_product_supply(platform, POT.code) == {
        supplier: (reference, ITEM_COST_PRICES[POT.code], "EUR")
    }
    plate = read_product(platform, PLATE.code)
    assert plate["min_quantity"] == Decimal(str(ITEM_ATTRIBUTES[PLATE.code]["min_qty"]))
    # No supplier in the back-office: none at the shop either.
    assert (plate["supplier"], read_product_supply(platform, PLATE.code)) == ("", {})


def test_a_brand_or_supplier_is_created_once_and_shared(
    world: tuple[PrestaShopPlatform, PrestaShopShop],
) -> None:
    platform, shop = world
    second = replace(_draft(OTHER_POT), supplier=ITEM_SUPPLIERS[POT.code][0])
    _write(shop, ProductWrite(POT.code, _draft(POT)), ProductWrite(OTHER_POT.code, second))
    brand = str(ITEM_ATTRIBUTES[POT.code]["brand"])
    assert read_product(platform, OTHER_POT.code)["brand"] == brand
    with httpx.Client(verify=_verify(platform), auth=(DEMO_KEY, "")) as client:
        for resource, name in (
            ("manufacturers", brand),
            ("suppliers", ITEM_SUPPLIERS[POT.code][0]),
        ):
            rows = client.get(
                f"{platform.url}/api/{resource}",
                params={"output_format": "JSON", "display": "full", "filter[name]": f"[{name}]"},
            ).json()[resource]
            assert len(rows) == 1, (resource, rows)


def test_the_supplier_row_follows_the_back_office_and_a_second_write_changes_nothing(
    world: tuple[PrestaShopPlatform, PrestaShopShop],
) -> None:
    platform, shop = world
    draft = _draft(POT)
    shop_id = _write(shop, ProductWrite(POT.code, draft))[POT.code]
    supplier, reference = ITEM_SUPPLIERS[POT.code]
    dearer = replace(draft, cost_price=Decimal("40.00"), supplier_reference=f"{reference}-B")
    _write(shop, ProductWrite(POT.code, dearer, shop_id=shop_id))
    assert read_product_supply(platform, POT.code) == {
        supplier: (f"{reference}-B", Decimal("40.00"), "EUR")
    }
    platform.sandbox.reset_requests()
    asked = frozenset({"supplier", "supplier_reference", "cost_price"})
    _write(shop, ProductWrite(POT.code, dearer, shop_id=shop_id, fields=asked))
    assert [(m, path) for m, path in platform.sandbox.requests if "product_suppliers" in path] == [
        ("GET", "/api/product_suppliers")
    ]


def test_a_group_price_takes_the_place_of_the_merchants_reduction_for_that_group(
    world: tuple[PrestaShopPlatform, PrestaShopShop],
) -> None:
    """One specific price per product, group, quantity and dates (the table's unique
    key): the group's price from the price list replaces the merchant's reduction."""
    platform, shop = world
    professionals = PRICE_LISTS[0]
    [group] = shop.write_customer_groups(
        [GroupWrite(professionals.name, CustomerGroup(professionals.name, professionals.name))]
    )
    draft = _draft(POT)
    shop_id = _write(shop, ProductWrite(POT.code, draft))[POT.code]
    with httpx.Client(verify=_verify(platform), auth=(DEMO_KEY, "")) as client:
        merchant = client.post(
            f"{platform.url}/api/specific_prices",
            content=MERCHANT_REDUCTION.format(product=shop_id, group=group.shop_id),
        )
    assert merchant.status_code == 201, merchant.text
    price = (POT.price * (1 - professionals.discount)).quantize(Decimal("0.01"))
    priced = replace(draft, group_prices=((professionals.name, price),))
    _write(
        shop,
        ProductWrite(POT.code, priced, shop_id=shop_id, fields=frozenset({"group_prices"})),
    )
    assert read_product(platform, POT.code)["group_prices"] == ((professionals.name, price),)


def test_related_products_are_the_accessories_replaced_as_a_list(
    world: tuple[PrestaShopPlatform, PrestaShopShop],
) -> None:
    platform, shop = world
    related = str(ITEM_ATTRIBUTES[OTHER_POT.code]["related"]).split(",")
    ids = _write(shop, *(ProductWrite(code, _draft(ITEMS[code])) for code in related))
    upsells = tuple(ids[code] for code in related)
    draft = replace(_draft(OTHER_POT), upsell_ids=upsells)
    shop_id = _write(shop, ProductWrite(OTHER_POT.code, draft))[OTHER_POT.code]
    assert read_product(platform, OTHER_POT.code)["upsell_ids"] == upsells
    # One related product left in the back-office: Product::setWsAccessories replaces.
    fewer = replace(draft, upsell_ids=upsells[1:])
    _write(
        shop,
        ProductWrite(OTHER_POT.code, fewer, shop_id=shop_id, fields=frozenset({"upsell_ids"})),
    )
    assert read_product(platform, OTHER_POT.code)["upsell_ids"] == upsells[1:]
