"""The BigCommerce connector's write outcomes: gone targets, fields BigCommerce cannot hold,
and the shop references a profile names (against the sandbox, no mock)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from decimal import Decimal
from pathlib import Path

import pytest

from passerelle.connectors.base import CustomerWrite, ProductWrite
from passerelle.connectors.bigcommerce.connector import BigCommerceShop
from passerelle.connectors.http import HttpOptions
from passerelle.model import Customer, ProductDraft
from passerelle.sandbox.bigcommerce import BigCommerceSandbox
from passerelle.sandbox.bigcommerce.platform import BigCommercePlatform

TOKEN = "bc_demo_token"
STOCK = frozenset({"stock_quantity", "manage_stock"})


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


@pytest.fixture
def shop(store: BigCommercePlatform) -> Iterator[BigCommerceShop]:
    box = store.sandbox
    with BigCommerceShop(
        box.url, box.store_hash, TOKEN, options=HttpOptions(verify=box.ca_bundle, backoff_base=0.05)
    ) as connector:
        yield connector


def _draft(sku: str, **changes: object) -> ProductDraft:
    return replace(
        ProductDraft(
            sku=sku,
            name=f"Produit {sku}",
            regular_price=Decimal("10"),
            weight=Decimal("1"),
            stock_quantity=5,
        ),
        **changes,
    )


def _catalogue(shop: BigCommerceShop) -> dict[str, str]:
    """Two simple products and a variable one with two variants; shop ids by SKU."""
    made = shop.write_products(
        [ProductWrite(s, _draft(s)) for s in ("A", "B")]
        + [ProductWrite("T", _draft("T", kind="variable"))]
    )
    ids = {o.key: str(o.shop_id) for o in made}
    for size in ("M", "L"):
        variant = _draft(f"T-{size}", kind="variation", variation_options=(("Size", size),))
        ids[f"T-{size}"] = str(
            shop.write_variations(ids["T"], [ProductWrite(f"T-{size}", variant)])[0].shop_id
        )
    return ids


def test_a_price_update_of_a_deleted_product_is_gone_and_the_rest_is_written(
    store: BigCommercePlatform, shop: BigCommerceShop
) -> None:
    ids = _catalogue(shop)
    store.delete_product("A")
    outcomes = shop.write_products(
        [
            ProductWrite(
                s, _draft(s, regular_price=Decimal("12")), ids[s], frozenset({"regular_price"})
            )
            for s in ("A", "B")
        ]
    )
    assert [(o.key, o.gone) for o in outcomes] == [("A", True), ("B", False)]
    assert outcomes[1].ok and store.view.products()["B"].price == Decimal("12.00")


def test_a_stock_update_of_a_deleted_variant_is_gone_and_the_rest_is_written(
    store: BigCommercePlatform, shop: BigCommerceShop
) -> None:
    ids = _catalogue(shop)
    store.delete_product("T-M")
    outcomes = shop.write_products(
        [
            ProductWrite(s, _draft(s, stock_quantity=9, kind="variation"), ids[s], STOCK)
            for s in ("T-M", "T-L")
        ]
        + [ProductWrite("B", _draft("B", stock_quantity=9), ids["B"], STOCK)]
    )
    assert [o.gone for o in outcomes] == [True, False, False]
    products = store.view.products()
    assert (products["T-L"].stock, products["B"].stock) == (9, 9)


def test_a_refused_batch_with_nothing_deleted_is_an_error_not_gone(shop: BigCommerceShop) -> None:
    ids = _catalogue(shop)
    outcomes = shop.write_products([ProductWrite("A", _draft("B"), ids["A"], frozenset({"sku"}))])
    assert not outcomes[0].gone and "duplicate" in (outcomes[0].error or "")


def test_product_fields_bigcommerce_cannot_hold_are_reported_only_when_asked(
    shop: BigCommerceShop,
) -> None:
    draft = _draft(
        "E",
        short_description="Court",
        ecotax=Decimal("0.12"),
        supplier="Revol",
        warranty="2 ans",
        min_quantity=Decimal(2),
    )
    made = shop.write_products([ProductWrite("E", draft)])[0]
    assert made.ok and set(made.unsupported) == {"short_description", "ecotax", "supplier"}
    price_only = shop.write_products(
        [ProductWrite("E", draft, made.shop_id, frozenset({"regular_price"}))]
    )[0]
    assert price_only.ok and price_only.unsupported == ()


def test_customer_fields_bigcommerce_cannot_hold_are_reported(shop: BigCommerceShop) -> None:
    customer = Customer(
        source_id="k1",
        name="Anne Nord",
        first_name="Anne",
        last_name="Nord",
        email="anne@example.org",
        code="C1",
        active=False,
        credit_limit=Decimal("500"),
        tax_identifier="FR123",
    )
    made = shop.write_customers([CustomerWrite("k1", customer)])[0]
    assert made.ok and set(made.unsupported) == {"active", "credit_limit", "tax_identifier"}
    names = shop.write_customers(
        [CustomerWrite("k1", replace(customer, active=True), made.shop_id, frozenset({"names"}))]
    )[0]
    assert names.ok and names.unsupported == ()


def test_missing_shop_references_are_named_for_each_kind(shop: BigCommerceShop) -> None:
    assert shop.missing_references(
        "tax_class", ["Reduced rate", "4", "standard", "luxury", "42"]
    ) == {"luxury", "42"}
    assert shop.missing_references("payment_method", ["paypal", "Cash on Delivery", "Bitcoin"]) == {
        "Bitcoin"
    }
    assert shop.missing_references("order_status", ["Awaiting Fulfillment", "11", "Lost"]) == {
        "Lost"
    }
    assert shop.missing_references(
        "shipping_method", ["flat rate", "Pickup In Store", "Drone"]
    ) == {"Drone"}


def test_a_second_product_of_the_same_name_is_created_under_a_distinct_name(
    store: BigCommercePlatform, shop: BigCommerceShop
) -> None:
    """BigCommerce refuses a duplicate name (409): the colours of a T-shirt sold as separate
    products still exist in the shop, as ``<name> (<SKU>)``."""
    outcomes = shop.write_products(
        [ProductWrite(s, _draft(s, name="T-shirt coton")) for s in ("TSH-RED", "TSH-BLUE")]
    )
    assert all(o.ok and o.created for o in outcomes)
    products = store.view.products()
    assert (products["TSH-RED"].name, products["TSH-BLUE"].name) == (
        "T-shirt coton",
        "T-shirt coton (TSH-BLUE)",
    )
    renamed = shop.write_products(
        [
            ProductWrite(
                "TSH-RED", _draft("TSH-RED", name="Polo"), outcomes[0].shop_id, frozenset({"name"})
            ),
            ProductWrite(
                "TSH-BLUE",
                _draft("TSH-BLUE", name="Polo"),
                outcomes[1].shop_id,
                frozenset({"name"}),
            ),
        ]
    )
    assert all(o.ok for o in renamed)
    assert {store.view.products()[s].name for s in ("TSH-RED", "TSH-BLUE")} == {
        "Polo (TSH-RED)",
        "Polo (TSH-BLUE)",
    }


def test_an_update_of_a_customer_deleted_in_the_store_is_gone_and_the_rest_is_written(
    store: BigCommercePlatform, shop: BigCommerceShop
) -> None:
    people = [
        Customer(source_id=k, name=k, first_name=k, last_name="Nord", email=f"{k}@example.org")
        for k in ("anne", "bea")
    ]
    made = shop.write_customers([CustomerWrite(c.source_id, c) for c in people])
    with store.sandbox.state.lock:  # the merchant deletes Anne's account in the control panel
        del store.sandbox.data["customers"][str(made[0].shop_id)]
    outcomes = shop.write_customers(
        [
            CustomerWrite(c.source_id, replace(c, last_name="Sud"), o.shop_id, frozenset({"names"}))
            for c, o in zip(people, made, strict=True)
        ]
    )
    assert [(o.gone, o.ok) for o in outcomes] == [(True, False), (False, True)]
    assert store.view.customers()["bea@example.org"].last_name == "Sud"


def test_barcode_slug_and_features_land_where_bigcommerce_keeps_them(
    store: BigCommercePlatform, shop: BigCommerceShop
) -> None:
    from passerelle.model import ProductAttribute

    features = (
        ProductAttribute("Matière", ("Lin", "Coton")),
        ProductAttribute("Taille", ("S", "M"), variation=True),
    )
    ean = _draft(
        "EAN",
        barcode="3760123456789",
        slug="tablier-lin",
        attributes=features,
        warranty="2 ans",
        min_quantity=Decimal(2),
    )
    upc = _draft("UPC", barcode="012345678905")
    made = shop.write_products([ProductWrite("EAN", ean), ProductWrite("UPC", upc)])
    assert all(o.ok for o in made) and made[0].unsupported == ()
    data = store.sandbox.data
    first, second = (data["products"][str(o.shop_id)] for o in made)
    assert (first["gtin"], first["upc"], second["upc"], second["gtin"]) == (
        "3760123456789",
        "",
        "012345678905",
        "",
    )
    assert first["custom_url"] == {"url": "/tablier-lin/", "is_customized": True}
    assert (first["warranty"], first["order_quantity_minimum"]) == ("2 ans", 2)
    assert [(f["name"], f["value"]) for f in data["custom_fields"][str(made[0].shop_id)]] == [
        ("Matière", "Lin, Coton")
    ]
    # An existing product's custom fields are their own resource, written there.
    linen = replace(ean, attributes=(ProductAttribute("Matière", ("Lin",)), features[1]))
    again = shop.write_products(
        [ProductWrite("EAN", linen, made[0].shop_id, frozenset({"attributes", "barcode"}))]
    )[0]
    assert again.ok and again.unsupported == ()
    assert [(f["name"], f["value"]) for f in data["custom_fields"][str(made[0].shop_id)]] == [
        ("Matière", "Lin")
    ]


def test_an_updated_account_gets_its_new_address_and_no_duplicate(
    store: BigCommercePlatform, shop: BigCommerceShop
) -> None:
    from passerelle.model import Address

    home = Address(street="3 rue Haute", postal_code="69001", city="Lyon", country_code="FR")
    work = Address(
        street="8 quai Sud",
        postal_code="69002",
        city="Lyon",
        country_code="FR",
        company="Nord SARL",
    )
    customer = Customer(
        source_id="k1",
        name="Anne Nord",
        first_name="Anne",
        last_name="Nord",
        email="anne@example.org",
        addresses=(home,),
    )
    made = shop.write_customers([CustomerWrite("k1", customer)])[0]
    moved = replace(customer, addresses=(home, work))
    again = shop.write_customers(
        [CustomerWrite("k1", moved, made.shop_id, frozenset({"addresses"}))]
    )[0]
    assert again.ok and again.unsupported == ()
    kept = store.sandbox.data["customers"][str(made.shop_id)]["addresses"]
    assert [(a["address1"], a["company"]) for a in kept] == [
        ("3 rue Haute", ""),
        ("8 quai Sud", "Nord SARL"),
    ]
    names_only = shop.write_customers(
        [CustomerWrite("k1", moved, made.shop_id, frozenset({"names"}))]
    )[0]
    assert (
        names_only.ok and len(store.sandbox.data["customers"][str(made.shop_id)]["addresses"]) == 2
    )
