"""The WooCommerce read-back module against what the connector writes to the sandbox.

Written through the connector, read through the documented read endpoints
(``tests/conformance/readback/woocommerce.py``): every customer field lands
where WooCommerce shows it, and what it cannot hold is reported unsupported.
"""

from __future__ import annotations

from decimal import Decimal

from passerelle.connectors.base import CustomerWrite, ProductWrite
from passerelle.connectors.woocommerce.connector import WooCommerceShop
from passerelle.model import Address, Customer, ProductAttribute, ProductDraft
from passerelle.sandbox.woocommerce.platform import WooPlatform
from tests.conformance.readback import reader
from tests.test_woocommerce_shop_contract import platform, shop  # noqa: F401 - fixtures


def test_every_customer_field_written_is_read_back_or_reported_unsupported(
    platform: WooPlatform,  # noqa: F811
    shop: WooCommerceShop,  # noqa: F811
) -> None:
    customer = Customer(
        source_id="9",
        name="Léa Roux",
        email="lea.roux@example.com",
        first_name="Léa",
        last_name="Roux",
        company="Roux SAS",
        code="C0999",
        phone="0607080910",
        addresses=(
            Address(street="3 quai Est", postal_code="33000", city="Bordeaux", country_code="FR"),
        ),
        tax_identifier="FR99123456789",
        group="Revendeurs",
        notes="Livrer le matin",
        credit_limit=Decimal("1500.00"),
        payment_term="45 jours",
        active=False,
    )
    [outcome] = shop.write_customers([CustomerWrite("9", customer)])
    assert outcome.ok and outcome.unsupported == ("active",)
    shown = reader("woocommerce").read_customer(platform, customer.email)
    for name in (
        "email",
        "first_name",
        "last_name",
        "company",
        "code",
        "phone",
        "tax_identifier",
        "group",
        "notes",
        "credit_limit",
        "payment_term",
    ):
        assert shown[name] == getattr(customer, name), name
    assert shown["addresses"][0].city == "Bordeaux"
    assert "active" not in shown
    assert platform.view.customers()[customer.email].account_code == "C0999"


def test_product_and_variation_fields_are_read_back_where_woocommerce_shows_them(
    platform: WooPlatform,  # noqa: F811
    shop: WooCommerceShop,  # noqa: F811
) -> None:
    axis = ProductAttribute(name="Parfum", options=("Figue",), variation=True)
    draft = ProductDraft(
        sku="RB-1",
        name="Bougie parfumée",
        regular_price=Decimal("0"),
        kind="variable",
        attributes=(axis,),
        barcode="3760000000999",
        seo_title="Bougie SEO",
        cost_price=Decimal("4.10"),
        description="<p>Cire de soja</p>",
    )
    [parent] = shop.write_products([ProductWrite("p", draft)])
    [child] = shop.write_variations(
        str(parent.shop_id),
        [
            ProductWrite(
                "v",
                ProductDraft(
                    sku="RB-1-FIG",
                    name="Figue",
                    regular_price=Decimal("14.90"),
                    sale_price=Decimal("12.90"),
                    kind="variation",
                    variation_options=(("Parfum", "Figue"),),
                    stock_quantity=7,
                ),
            )
        ],
    )
    assert parent.ok and child.ok
    read = reader("woocommerce").read_product
    shown = read(platform, "RB-1")
    assert (shown["name"], shown["kind"], shown["barcode"], shown["seo_title"]) == (
        "Bougie parfumée",
        "variable",
        "3760000000999",
        "Bougie SEO",
    )
    assert shown["cost_price"] == Decimal("4.10")
    variation = read(platform, "rb-1-fig")
    assert (variation["name"], variation["regular_price"], variation["sale_price"]) == (
        "Figue",
        Decimal("14.90"),
        Decimal("12.90"),
    )
    assert variation["stock_quantity"] == 7
    assert variation["variation_options"] == (("Parfum", "Figue"),)
