"""The Magento connector's writes land where Magento keeps them, or are said not to.

Every customer and product field the flows send is written through the connector and
read back raw through Magento's read endpoints (``tests/conformance/readback/magento``);
what a core store cannot hold comes back as ``WriteOutcome.unsupported``; an update of a
product or customer deleted in the shop comes back ``gone``.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from decimal import Decimal
from pathlib import Path

import pytest

from passerelle.connectors.base import (
    SHOP_REFERENCE_KINDS,
    CustomerWrite,
    GroupWrite,
    ProductWrite,
    Shop,
)
from passerelle.connectors.http import HttpOptions
from passerelle.connectors.magento.connector import MagentoShop
from passerelle.model import Address, Customer, CustomerGroup, ProductDraft
from passerelle.sandbox.magento.platform import MagentoPlatform, start
from tests.conformance.readback import magento as readback


@pytest.fixture
def world(tmp_path: Path) -> Iterator[tuple[MagentoPlatform, MagentoShop]]:
    platform = start(tmp_path)
    shop = MagentoShop(
        platform.url, platform.sandbox.token, options=HttpOptions(verify=platform.sandbox.ca_bundle)
    )
    shop.client.sleep = lambda _s: None
    yield platform, shop
    shop.close()
    platform.stop()


CUSTOMER = Customer(
    source_id="k1",
    name="Anne Nord",
    first_name="Anne",
    last_name="Nord",
    email="anne.nord@example.org",
    company="Nord SARL",
    code="C0042",
    phone="0102030405",
    group="Revendeurs",
    tax_identifier="FR12345678901",
    notes="Livrer le matin",
    credit_limit=Decimal("1500.00"),
    payment_term="30 jours",
    active=True,
    addresses=(
        Address(
            first_name="Anne",
            last_name="Nord",
            street="1 rue Haute",
            postal_code="59000",
            city="Lille",
            country_code="FR",
        ),
    ),
)


def test_the_connector_implements_the_shop_protocol(
    world: tuple[MagentoPlatform, MagentoShop],
) -> None:
    _, shop = world
    assert isinstance(shop, Shop)
    assert shop.holds_reservations is True


def test_a_customer_lands_where_magento_keeps_it_and_the_rest_is_unsupported(
    world: tuple[MagentoPlatform, MagentoShop],
) -> None:
    platform, shop = world
    assert shop.write_customer_groups([GroupWrite("g", CustomerGroup("g", "Revendeurs"))])[0].ok
    outcome = shop.write_customers([CustomerWrite("k1", CUSTOMER)])[0]
    assert outcome.ok, outcome.error
    assert set(outcome.unsupported) == {"notes", "credit_limit", "payment_term"}
    shown = readback.read_customer(platform, CUSTOMER.email)
    assert {
        k: shown[k]
        for k in ("first_name", "last_name", "company", "phone", "code", "group", "tax_identifier")
    } == {
        "first_name": "Anne",
        "last_name": "Nord",
        "company": "Nord SARL",
        "phone": "0102030405",
        "code": "C0042",
        "group": "Revendeurs",
        "tax_identifier": "FR12345678901",
    }
    assert [(a.street, a.city) for a in shown["addresses"]] == [("1 rue Haute", "Lille")]  # type: ignore[attr-defined]
    assert not {"notes", "credit_limit", "payment_term", "active"} & set(shown)
    disabled = shop.write_customers(
        [
            CustomerWrite(
                "k1",
                replace(CUSTOMER, active=False, notes=""),
                outcome.shop_id,
                fields=frozenset({"names"}),
            )
        ]
    )[0]
    assert disabled.ok and disabled.unsupported == ("active",)  # core cannot disable


def test_a_customer_group_the_shop_lacks_is_that_customer_s_error(
    world: tuple[MagentoPlatform, MagentoShop],
) -> None:
    _, shop = world
    outcome = shop.write_customers([CustomerWrite("k1", CUSTOMER)])[0]
    assert not outcome.ok and "Revendeurs" in str(outcome.error or "")


def test_a_product_lands_where_magento_keeps_it_and_the_rest_is_unsupported(
    world: tuple[MagentoPlatform, MagentoShop],
) -> None:
    platform, shop = world
    shop.write_customer_groups([GroupWrite("g", CustomerGroup("g", "Revendeurs"))])
    other = ProductDraft(sku="BOL-1", name="Bol", regular_price=Decimal("4"))
    assert shop.write_products([ProductWrite("b", other)])[0].ok
    draft = ProductDraft(
        sku="MUG-1",
        name="Mug grès",
        regular_price=Decimal("12.50"),
        description="<p>Grès</p>",
        short_description="Mug",
        slug="mug-gres",
        seo_title="Mug",
        seo_description="Un mug",
        seo_keywords="mug",
        tax_class="reduced-rate",
        weight=Decimal("0.4"),
        stock_quantity=7,
        sale_price=Decimal("9.90"),
        cost_price=Decimal("4.10"),
        group_prices=(("Revendeurs", Decimal("8.00")),),
        min_quantity=Decimal("2"),
        upsell_ids=("BOL-1",),
        barcode="3700000000001",
        brand="Grès & Co",
        length=Decimal("10"),
        warranty="2 ans",
    )
    outcome = shop.write_products([ProductWrite("m", draft)])[0]
    assert outcome.ok, outcome.error
    assert set(outcome.unsupported) == {"brand", "length", "warranty"}
    shown = readback.read_product(platform, "MUG-1")
    for name in (
        "name",
        "regular_price",
        "description",
        "short_description",
        "slug",
        "seo_title",
        "seo_description",
        "seo_keywords",
        "tax_class",
        "weight",
        "stock_quantity",
        "sale_price",
        "cost_price",
        "group_prices",
        "min_quantity",
        "upsell_ids",
        "barcode",  # in the text attribute the demo merchant added
    ):
        assert shown[name] == getattr(draft, name), name
    assert not {"brand", "length", "warranty"} & set(shown)


def test_a_tax_class_the_shop_lacks_is_that_product_s_error_before_any_save(
    world: tuple[MagentoPlatform, MagentoShop],
) -> None:
    platform, shop = world
    draft = ProductDraft(sku="MUG-1", name="Mug", regular_price=Decimal("1"), tax_class="luxury")
    outcome = shop.write_products([ProductWrite("m", draft)])[0]
    assert not outcome.ok and "luxury" in str(outcome.error or "")
    assert "MUG-1" not in platform.sandbox.data["products"]
    assert shop.missing_references("tax_class", ["luxury", "reduced-rate", ""]) == {"luxury"}


def test_references_rest_cannot_list_are_said_unchecked_not_reported_present(
    world: tuple[MagentoPlatform, MagentoShop],
) -> None:
    _, shop = world
    for kind in SHOP_REFERENCE_KINDS:
        if kind != "tax_class":
            with pytest.raises(NotImplementedError):
                shop.missing_references(kind, ["anything"])
    with pytest.raises(ValueError):
        shop.missing_references("warehouse", ["x"])


@pytest.mark.parametrize(
    "fields",
    [
        None,
        frozenset({"regular_price", "sale_price", "group_prices"}),
        frozenset({"manage_stock", "stock_quantity"}),
    ],
)
def test_an_update_of_a_product_deleted_in_the_shop_is_gone_and_writes_nothing(
    world: tuple[MagentoPlatform, MagentoShop], fields: frozenset[str] | None
) -> None:
    platform, shop = world
    draft = ProductDraft(sku="MUG-1", name="Mug", regular_price=Decimal("3"), stock_quantity=5)
    kept = ProductDraft(sku="BOL-1", name="Bol", regular_price=Decimal("4"), stock_quantity=5)
    shop.write_products([ProductWrite("m", draft), ProductWrite("b", kept)])
    platform.delete_product("MUG-1")
    outcomes = shop.write_products(
        [
            ProductWrite("m", replace(draft, stock_quantity=9), "MUG-1", fields),
            ProductWrite("b", replace(kept, stock_quantity=9), "BOL-1", fields),
        ]
    )
    assert (outcomes[0].gone, outcomes[0].ok) == (True, False)
    assert "MUG-1" in str(outcomes[0].error or "")
    assert (outcomes[1].gone, outcomes[1].ok) == (False, True)
    assert "MUG-1" not in platform.sandbox.data["products"]  # not created again by the save
    assert "default|MUG-1" not in platform.sandbox.data["source_items"]


def test_an_update_of_a_customer_deleted_in_the_shop_is_gone(
    world: tuple[MagentoPlatform, MagentoShop],
) -> None:
    platform, shop = world
    customer = replace(CUSTOMER, group="")
    made = shop.write_customers([CustomerWrite("k1", customer)])[0]
    del platform.sandbox.data["customers"][str(made.shop_id)]
    again = shop.write_customers([CustomerWrite("k1", customer, made.shop_id)])[0]
    assert (again.gone, again.ok) == (True, False)


def test_products_sharing_a_name_get_url_keys_of_their_own(
    world: tuple[MagentoPlatform, MagentoShop],
) -> None:
    """Magento refuses a second visible product with the same URL key, which it makes
    from the name: the connector adds the SKU to a new product's key."""
    platform, shop = world
    drafts = [
        ProductDraft(sku=f"APR-{size}", name="Tablier de cuisine", regular_price=Decimal("19"))
        for size in ("S", "M")
    ]
    outcomes = shop.write_products([ProductWrite(d.sku, d) for d in drafts])
    assert all(o.ok for o in outcomes), [o.error for o in outcomes]
    assert [readback.read_product(platform, d.sku)["slug"] for d in drafts] == [
        "tablier-de-cuisine-apr-s",
        "tablier-de-cuisine-apr-m",
    ]


def test_an_account_code_the_store_has_no_attribute_for_is_unsupported(
    world: tuple[MagentoPlatform, MagentoShop],
) -> None:
    """Magento drops a customer attribute it does not define: the saved customer comes
    back without it, and the connector says so instead of reporting it written."""
    platform, shop = world
    platform.sandbox.sales.customer_attributes = set()  # the merchant never created it
    outcome = shop.write_customers([CustomerWrite("k1", replace(CUSTOMER, group=""))])[0]
    assert outcome.ok and "code" in outcome.unsupported
    assert "code" not in {
        k for k, v in readback.read_customer(platform, CUSTOMER.email).items() if v
    }
