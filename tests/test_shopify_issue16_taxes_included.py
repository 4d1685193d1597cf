"""Issue 16, Shopify: a shop whose prices include tax (``Shop.taxesIncluded``).

Settings › Taxes and duties › "Include sales tax in product price and shipping rate"
(help.shopify.com/en/manual/taxes/include-exclude-taxes): the variant's price and the
shipping rate already hold the tax, which is Tax = (Rate × Price) / (1 + Rate), and the
order total is the sum of the prices. Off by default ("By default, Shopify displays
product prices without including sales tax",
help.shopify.com/manual/taxes/tax-collection-impact-on-pricing).

What the sandbox serves is read raw, through the shop's own Admin GraphQL endpoint
(tests/conformance/readback/shopify.py ``graphql``), as another app would.

Then the connector half, with the Tryton demo: on such a shop the catalogue flows send
each price times (1 + the item's tax rate), half up to the cent, read back raw from the
variant; an item whose tax is not known gets no price at all, and says so.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from passerelle.connectors.shopify.translate_products import price_with_tax
from passerelle.demo_data import CATALOGUE_ITEMS, PRICE_LISTS, TAXES
from passerelle.flows.product_mapping.drafts import combined_tax_rate
from passerelle.flows.product_mapping.policy import update_fields
from passerelle.model import Item, ProductDraft, Tax
from passerelle.profiles import Profile
from passerelle.runner import Runner
from passerelle.sandbox.shopify.merchant import Merchant
from passerelle.sandbox.shopify.platform import ShopifyPlatform, start
from passerelle.sandbox.shopify.server import ShopifySandbox
from tests.conformance.conftest import PlatformWorld
from tests.conformance.readback.shopify import graphql
from tests.test_shopify_issue16_policy import (  # noqa: F401 - fixtures
    back_office_sets,
    shopify,
    tryton_demo_template,
)

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


# ------------------------------------------------------------------ the connector half
KNIFE = next(i for i in CATALOGUE_ITEMS if i.code == "KNF-002")  # 49.00, VAT 20 %
OIL = next(i for i in CATALOGUE_ITEMS if i.code == "OIL-002")  # 9.47, VAT 5.5 %
CANDLE = next(i for i in CATALOGUE_ITEMS if i.code == "CND-LAV")  # a variation, VAT 20 %
TOWEL = next(i for i in CATALOGUE_ITEMS if i.code == "TWL-002")  # in the sales (TEXTILE)
RATES = {t.code: t.rate for t in TAXES}
SALES = next(p for p in PRICE_LISTS if p.promotion)


def _with_tax(price: Decimal, tax: str) -> Decimal:
    """What the merchant's shop shows: the price excluding tax times (1 + rate), to the cent."""
    return (price * (1 + RATES[tax])).quantize(CENT, ROUND_HALF_UP)


def _price(world: PlatformWorld, sku: str) -> tuple[Decimal, Decimal | None]:
    """The variant's ``price`` and ``compareAtPrice``, read raw."""
    (v,) = graphql(world.shop, _VARIANT, {"q": f"sku:{sku}"})["productVariants"]["nodes"]
    compare = v["compareAtPrice"]
    return Decimal(v["price"]), None if compare is None else Decimal(compare)


_VARIANT = """query($q: String) { productVariants(first: 2, query: $q) { nodes {
  price compareAtPrice } } }"""


def _taxes_included(world: PlatformWorld) -> None:
    """The merchant ticks "Include sales tax in product price"; the "Soldes" price list
    is the profile's promotion (as the demo's showcase has it)."""
    data = world.profile.model_dump(mode="json")
    data["catalogue"]["prices"]["promotion_price_list"] = SALES.name
    world.profile = Profile.model_validate(data)
    platform = world.shop
    assert isinstance(platform, ShopifyPlatform)
    platform.sandbox.taxes_included = True
    assert graphql(platform, "{ shop { taxesIncluded } }")["shop"]["taxesIncluded"] is True


def test_a_taxes_included_shop_gets_each_price_with_its_tax(
    shopify: PlatformWorld,  # noqa: F811
) -> None:
    _taxes_included(shopify)
    shopify.run("export-products")
    assert _price(shopify, KNIFE.code) == (Decimal("58.80"), None)  # 49.00 × 1.2
    assert _price(shopify, OIL.code) == (Decimal("9.99"), None)  # 9.47 × 1.055 = 9.99085
    assert _price(shopify, KNIFE.code)[0] == _with_tax(KNIFE.price, KNIFE.tax)
    assert _price(shopify, OIL.code)[0] == _with_tax(OIL.price, OIL.tax)
    assert _price(shopify, CANDLE.code) == (_with_tax(CANDLE.price, CANDLE.tax), None)
    promotion = (TOWEL.price * (1 - SALES.discount)).quantize(CENT, ROUND_HALF_UP)
    # A price cut: the sale price and, struck through, the regular one, both with tax.
    assert _price(shopify, TOWEL.code) == (
        _with_tax(promotion, TOWEL.tax),
        _with_tax(TOWEL.price, TOWEL.tax),
    )

    again = shopify.run("export-products")
    assert again.counts.get("created", 0) == again.counts.get("updated", 0) == 0, again.counts

    back_office_sets(shopify, OIL.code, list_price=Decimal("10.00"))
    assert shopify.run("update-prices").counts.get("updated") == 1
    assert _price(shopify, OIL.code) == (Decimal("10.55"), None)
    assert shopify.run("update-prices").counts.get("updated", 0) == 0


def test_a_taxes_excluded_shop_gets_the_prices_as_they_are(
    shopify: PlatformWorld,  # noqa: F811
) -> None:
    shopify.run("export-products")
    assert _price(shopify, KNIFE.code) == (KNIFE.price, None)
    assert _price(shopify, OIL.code) == (OIL.price, None)
    assert _price(shopify, CANDLE.code) == (CANDLE.price, None)


def test_an_item_whose_tax_is_unknown_gets_no_price_and_says_which(
    shopify: PlatformWorld,  # noqa: F811
) -> None:
    _taxes_included(shopify)
    back_office_sets(shopify, KNIFE.code, account_category=None)  # no customer tax left
    data = shopify.profile.model_dump(mode="json")  # the profile lets it through (C4)
    data["catalogue"]["default_tax_class"] = "standard"
    shopify.profile = Profile.model_validate(data)
    runner = Runner(shopify.data_dir, store=shopify.store, console=shopify.console)
    summary = runner.run(shopify.profile, "export-products")
    assert summary.status == "with_problems", summary
    found = graphql(shopify.shop, _VARIANT, {"q": f"sku:{KNIFE.code}"})["productVariants"]
    assert found["nodes"] == []  # never a price without its tax
    assert _price(shopify, OIL.code)[0] == _with_tax(OIL.price, OIL.tax)  # the others are sent
    reasons = [p.reason for p in shopify.store.parked(shopify.profile.name, severity="error")]
    assert any(KNIFE.code in r and "tax is not known" in r for r in reasons), reasons


@settings(max_examples=200, deadline=None)
@given(
    price=st.decimals(min_value=Decimal("0.01"), max_value=Decimal("99999.99"), places=2),
    rate=st.sampled_from([t.rate for t in TAXES]),
)
def test_a_price_with_tax_is_what_the_checkout_takes_back_out(
    price: Decimal, rate: Decimal
) -> None:
    """Half up to the cent, and the checkout's tax within it (Tax = Rate × Price / (1 +
    Rate)) leaves the untaxed price to within a cent."""
    draft = ProductDraft(sku="P", name="P", regular_price=price, tax_rate=rate)
    sent = price_with_tax(price, draft)
    assert sent == (price * (1 + rate)).quantize(CENT, ROUND_HALF_UP)
    assert abs(sent - price * (1 + rate)) <= CENT / 2
    assert abs(sent - _incl_tax_part(sent, rate) - price) <= CENT


@given(
    rates=st.lists(
        st.tuples(
            st.sampled_from([Decimal("0.2"), Decimal("0.055"), Decimal("0.1")]), st.booleans()
        ),
        min_size=1,
        max_size=3,
    )
)
def test_the_combined_rate_compounds_only_after_a_compound_tax(
    rates: list[tuple[Decimal, bool]],
) -> None:
    """Each tax applies to the untaxed price plus the compound taxes before it (O24)."""
    taxes = tuple(Tax(str(n), str(n), r, updates_unit_price=c) for n, (r, c) in enumerate(rates))
    base = Decimal(100)
    unit, total = base, base
    for tax in taxes:
        amount = unit * tax.rate
        total += amount
        if tax.updates_unit_price:
            unit += amount
    item = Item(source_id="1", code="P", name="P", sale_price=base, taxes=taxes)
    rate = combined_tax_rate(item)
    assert rate is not None and base * (1 + rate) == total
    assert combined_tax_rate(replace(item, taxes=())) is None


def test_the_tax_rate_is_never_a_field_to_write_by_itself() -> None:
    """It only turns the prices into tax-included ones: an update keeping the prices (C15)
    writes nothing of it, and no connector is asked to hold it."""
    assert "tax_rate" not in ProductDraft.FIELDS
    assert "tax_rate" not in update_fields({})
