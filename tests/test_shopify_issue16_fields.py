"""Shopify: compare-at price, barcode, weight, vendor and SEO land where Shopify keeps them.

The catalogue flows run against the Shopify sandbox with the options that send these
fields; each is then read back raw through Admin GraphQL (queries/productVariants,
objects/ProductVariant ``price``/``compareAtPrice``/``barcode``, objects/InventoryItem
``measurement.weight`` (since 2024-04), objects/Product ``vendor`` and ``seo``), and
compared with the demo data (item rows, the "Soldes" promotion price list, the items'
custom fields), never with the connector's mapping.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from passerelle.demo_data import (
    CATALOGUE_ITEMS,
    ITEM_ATTRIBUTES,
    PRICE_LISTS,
    PROMOTION_PRICE_LIST,
    DemoItem,
)
from passerelle.profiles import Profile
from tests.conformance.conftest import PlatformWorld
from tests.conformance.readback.shopify import graphql
from tests.test_shopify_issue16_policy import (  # noqa: F401 - fixtures
    shopify,
    tryton_demo_template,
)

_ITEMS = {i.code: i for i in CATALOGUE_ITEMS}
PROMOTED = _ITEMS["TWL-001"]  # in the "Soldes" promotion (its category)
PLAIN = _ITEMS["POT-003"]  # no promotion
_VARIANT = """query($q: String) { productVariants(first: 1, query: $q) { nodes {
  price compareAtPrice barcode
  inventoryItem { measurement { weight { unit value } } }
  product { vendor seo { title description } } } } }"""


def _variant(world: PlatformWorld, sku: str) -> dict[str, Any]:
    (node,) = graphql(world.shop, _VARIANT, {"q": f"sku:{sku}"})["productVariants"]["nodes"]
    return dict(node)


def _promotion_price(item: DemoItem) -> Decimal:
    (promotion,) = (p for p in PRICE_LISTS if p.name == PROMOTION_PRICE_LIST)
    assert promotion.category == item.category
    return (item.price * (1 - promotion.discount)).quantize(Decimal("0.01"))


def _send_every_field(world: PlatformWorld, promotion: str | None = PROMOTION_PRICE_LIST) -> None:
    data = world.profile.model_dump(mode="json")
    data["catalogue"]["details"] |= {"barcode": True, "brand_field": "attr:brand"}
    data["catalogue"]["texts"] |= {
        "seo_title": "attr:seo_title",
        "seo_description": "attr:seo_description",
    }
    data["catalogue"]["prices"]["promotion_price_list"] = promotion
    world.profile = Profile.model_validate(data)


def _expected(item: DemoItem) -> dict[str, Any]:
    attributes = ITEM_ATTRIBUTES[item.code]
    return {
        "barcode": item.barcode,
        "inventoryItem": {
            "measurement": {"weight": {"unit": "KILOGRAMS", "value": float(item.weight)}}
        },
        "product": {
            "vendor": attributes["brand"],
            "seo": {
                "title": attributes["seo_title"],
                "description": attributes["seo_description"],
            },
        },
    }


def test_promotion_barcode_weight_vendor_and_seo_are_read_back(
    shopify: PlatformWorld,  # noqa: F811
) -> None:
    _send_every_field(shopify)
    shopify.run("export-products")

    promoted = _variant(shopify, PROMOTED.code)
    # A price cut as Shopify shows one: the price paid, and the regular price struck out.
    assert Decimal(promoted.pop("price")) == _promotion_price(PROMOTED)
    assert Decimal(promoted.pop("compareAtPrice")) == PROMOTED.price
    assert promoted == _expected(PROMOTED)

    plain = _variant(shopify, PLAIN.code)
    assert Decimal(plain.pop("price")) == PLAIN.price
    assert plain.pop("compareAtPrice") is None
    assert plain == _expected(PLAIN)

    # A second run writes nothing.
    assert shopify.run("export-products").counts.get("updated", 0) == 0


def test_the_end_of_a_promotion_clears_the_compare_at_price(
    shopify: PlatformWorld,  # noqa: F811
) -> None:
    _send_every_field(shopify)
    shopify.run("export-products")
    assert _variant(shopify, PROMOTED.code)["compareAtPrice"] is not None

    _send_every_field(shopify, promotion=None)  # no promotion price list any more
    shopify.run("export-products")
    promoted = _variant(shopify, PROMOTED.code)
    assert Decimal(promoted["price"]) == PROMOTED.price
    assert promoted["compareAtPrice"] is None
