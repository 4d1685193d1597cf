"""The BigCommerce read-back module (tests/conformance/readback/bigcommerce.py) reads what the
connector wrote, raw from the store's read endpoints, in canonical names."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

import pytest

from passerelle.connectors.base import CustomerWrite, GroupWrite, ProductWrite
from passerelle.connectors.bigcommerce.connector import BigCommerceShop
from passerelle.connectors.http import HttpOptions
from passerelle.model import Address, Customer, CustomerGroup, ProductDraft
from passerelle.sandbox.bigcommerce import BigCommerceSandbox
from passerelle.sandbox.bigcommerce.platform import TOKEN, BigCommercePlatform
from tests.conformance.readback import reader


@pytest.fixture
def store(tmp_path: Path) -> Iterator[BigCommercePlatform]:
    box = BigCommerceSandbox(
        tmp_path / "bc.json", token=TOKEN, cert_dir=tmp_path / "tls", seed=False, quota=10_000
    )
    box.start()
    try:
        yield BigCommercePlatform(box)
    finally:
        box.stop()


def _connector(store: BigCommercePlatform) -> BigCommerceShop:
    box = store.sandbox
    return BigCommerceShop(
        box.url, box.store_hash, TOKEN, options=HttpOptions(verify=box.ca_bundle, backoff_base=0.05)
    )


def test_a_customer_reads_back_with_its_code_notes_group_and_address(
    store: BigCommercePlatform,
) -> None:
    address = Address(
        first_name="Anne",
        last_name="Nord",
        street="3 rue Haute",
        postal_code="69001",
        city="Lyon",
        country_code="FR",
    )
    customer = Customer(
        source_id="k1",
        name="Anne Nord",
        first_name="Anne",
        last_name="Nord",
        email="anne@example.org",
        code="C0042",
        company="Nord SARL",
        phone="0102030405",
        notes="Livrer le matin",
        group="Revendeurs",
        addresses=(address,),
        active=False,
    )
    with _connector(store) as shop:
        shop.write_customer_groups([GroupWrite("g", CustomerGroup("g", "Revendeurs"))])
        assert shop.write_customers([CustomerWrite("k1", customer)])[0].ok
    shown = reader("bigcommerce").read_customer(store, "anne@example.org")
    assert {
        k: shown[k]
        for k in ("email", "first_name", "last_name", "company", "phone", "code", "notes", "group")
    } == {
        "email": "anne@example.org",
        "first_name": "Anne",
        "last_name": "Nord",
        "company": "Nord SARL",
        "phone": "0102030405",
        "code": "C0042",
        "notes": "Livrer le matin",
        "group": "Revendeurs",
    }
    assert shown["addresses"][0].city == "Lyon" and shown["addresses"][0].street == "3 rue Haute"
    assert "active" not in shown and "credit_limit" not in shown


def test_a_product_and_a_variation_read_back_as_written(store: BigCommercePlatform) -> None:
    simple = ProductDraft(
        sku="TAB-1",
        name="Tablier",
        regular_price=Decimal("34.00"),
        weight=Decimal("0.3"),
        stock_quantity=12,
        barcode="3760123456789",
        slug="tablier",
        seo_title="Tablier lin",
        tax_class="Reduced rate",
    )
    parent = ProductDraft(sku="TSH", name="T-shirt", regular_price=Decimal("15"), kind="variable")
    variant = ProductDraft(
        sku="TSH-M",
        name="T-shirt M",
        regular_price=Decimal("17"),
        kind="variation",
        variation_options=(("Taille", "M"),),
        stock_quantity=4,
    )
    with _connector(store) as shop:
        made = shop.write_products([ProductWrite("p", simple), ProductWrite("t", parent)])
        assert shop.write_variations(str(made[1].shop_id), [ProductWrite("v", variant)])[0].ok
    read = reader("bigcommerce")
    shown = read.read_product(store, "TAB-1")
    assert {
        k: shown[k]
        for k in (
            "name",
            "regular_price",
            "weight",
            "stock_quantity",
            "barcode",
            "slug",
            "seo_title",
            "tax_class",
        )
    } == {
        "name": "Tablier",
        "regular_price": Decimal("34"),
        "weight": Decimal("0.3"),
        "stock_quantity": 12,
        "barcode": "3760123456789",
        "slug": "tablier",
        "seo_title": "Tablier lin",
        "tax_class": "Reduced rate",
    }
    assert "short_description" not in shown and "ecotax" not in shown
    shown = read.read_product(store, "TSH-M")
    assert (shown["regular_price"], shown["stock_quantity"], shown["variation_options"]) == (
        Decimal("17"),
        4,
        (("Taille", "M"),),
    )
