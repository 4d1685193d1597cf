"""Shopify honours the update policies field by field (C15 catalogue, K5 customers).

The merchant edits a product or a customer in the Shopify sandbox through its own Admin
GraphQL API (``productSet`` given only the fields changed, ``customerUpdate``), the
back-office changes that record, and the next export runs: what the policy keeps is
read back, through a raw GraphQL read (``tests.conformance.readback.shopify``), as the
merchant wrote it; what it overwrites is the back-office's again. The values expected
come from the demo data, never from the connector's mapping.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import ExitStack
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from rich.console import Console
from trytond.pool import Pool

from passerelle.connectors.tryton.connector import TrytonBackOffice
from passerelle.connectors.tryton.database import session
from passerelle.connectors.tryton.demo import copy_demo_database
from passerelle.connectors.tryton.testing import (  # noqa: F401 - fixtures
    tryton_demo_template,
    unique_database_name,
)
from passerelle.demo import profile_for
from passerelle.demo_data import CANDLE_TEMPLATE, CATALOGUE_ITEMS, CUSTOMERS, ITEM_ATTRIBUTES
from passerelle.platforms import start_sandbox
from passerelle.profiles import Profile
from passerelle.store import Store
from tests.conformance.conftest import PlatformWorld
from tests.conformance.readback.shopify import graphql, read_customer, read_product

ITEM = next(i for i in CATALOGUE_ITEMS if i.code == "POT-003")  # a simple product with a brand
CUSTOMER = next(c for c in CUSTOMERS if c.company)
PHONE = "+33 3 88 12 34 56"

_FIND = """query($q: String) { productVariants(first: 1, query: $q) { nodes {
  id product { id } } } }"""
_SET = """mutation($input: ProductSetInput!, $identifier: ProductSetIdentifiers) {
  productSet(input: $input, identifier: $identifier) {
    product { id } userErrors { field message code } } }"""
_METAFIELDS_SET = """mutation($m: [MetafieldsSetInput!]!) { metafieldsSet(metafields: $m) {
  userErrors { field message } } }"""
_PRODUCT_METAFIELDS = """query($id: ID!) { node(id: $id) { ... on Product { title
  own: metafield(namespace: "custom", key: "matiere") { value }
  sku: metafield(namespace: "passerelle", key: "sku") { value } } } }"""
_CUSTOMER_ID = """query($q: String) { customers(first: 1, query: $q) { nodes { id } } }"""
_CUSTOMER_UPDATE = """mutation($input: CustomerInput!) { customerUpdate(input: $input) {
  customer { id } userErrors { field message } } }"""


@pytest.fixture
def shopify(
    tryton_demo_template: Path,  # noqa: F811
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    request: pytest.FixtureRequest,
) -> Iterator[PlatformWorld]:
    """The Tryton demo copy, the seeded Shopify sandbox and a store, as the conformance
    suite builds them, for Shopify only."""
    tryton_dir = tmp_path / "tryton"
    target = copy_demo_database(
        tryton_demo_template.parent, tryton_dir, unique_database_name(request.node.name)
    )
    with ExitStack() as stack, (tmp_path / "console.txt").open("a") as console_file:
        shop = start_sandbox("shopify", tmp_path / "shop")
        stack.callback(shop.stop)
        for name, value in shop.secrets().items():
            monkeypatch.setenv(name, value)
        store = Store.open_data_dir(tmp_path)
        stack.callback(store.close)
        profile = profile_for(shop, tryton_dir, target.database)
        profile.catalogue.details.brand_field = "attr:brand"  # the brand is the vendor
        yield PlatformWorld(
            "shopify",
            "tryton",
            tmp_path,
            target,
            TrytonBackOffice.from_target(target),
            shop,
            store,
            Profile.model_validate(profile.model_dump()),
            Console(file=console_file, width=200),
        )


def _with_policy(
    world: PlatformWorld,
    catalogue: dict[str, str] | None = None,
    customers: dict[str, str] | None = None,
) -> None:
    """The profile with these update policies (C15, K5); the one not given unchanged."""
    data = world.profile.model_dump(mode="json")
    if catalogue is not None:
        data["catalogue"]["update_policy"] = catalogue
    if customers is not None:
        data["customers"]["update_policy"] = customers
    world.profile = Profile.model_validate(data)


def _merchant_sets(world: PlatformWorld, sku: str, product: dict[str, Any]) -> None:
    """The merchant's edit through the Admin API: ``productSet`` with only the fields
    changed (mutations/productSet: the others are left as they are)."""
    (node,) = graphql(world.shop, _FIND, {"q": f"sku:{sku}"})["productVariants"]["nodes"]
    if "price" in product:
        product = {k: v for k, v in product.items() if k != "price"} | {
            "variants": [
                {
                    "id": node["id"],
                    "price": product["price"],
                    "optionValues": [{"optionName": "Title", "name": "Default Title"}],
                }
            ]
        }
    answer = graphql(
        world.shop, _SET, {"input": product, "identifier": {"id": node["product"]["id"]}}
    )["productSet"]
    assert answer["userErrors"] == [], answer


def back_office_sets(world: PlatformWorld, code: str, **values: object) -> None:
    with session(world.target):
        (product,) = Pool().get("product.product").search([("code", "=", code)])
        template = product.template
        for name, value in values.items():
            setattr(template, name, value)
        template.save()


def test_kept_texts_and_vendor_survive_an_export_and_overwrite_puts_them_back(
    shopify: PlatformWorld,
) -> None:
    _with_policy(shopify, {"name": "keep", "description": "keep", "manufacturer": "keep"})
    shopify.run("export-products")
    brand = ITEM_ATTRIBUTES[ITEM.code]["brand"]
    assert read_product(shopify.shop, ITEM.code)["brand"] == brand
    _merchant_sets(
        shopify,
        ITEM.code,
        {
            "title": "Faitout (titre boutique)",
            "descriptionHtml": "<p>Texte de la boutique</p>",
            "vendor": "Marque boutique",
        },
    )
    back_office_sets(
        shopify, ITEM.code, name="Faitout fonte 24 cm — nouveau", list_price=Decimal("81.00")
    )

    assert shopify.run("export-products").counts["updated"] == 1
    shown = read_product(shopify.shop, ITEM.code)
    assert shown["name"] == "Faitout (titre boutique)"  # kept
    assert shown["description"] == "<p>Texte de la boutique</p>"  # kept
    assert shown["brand"] == "Marque boutique"  # kept
    assert shown["regular_price"] == Decimal("81.00")  # the price is overwritten

    _with_policy(shopify, {})  # every field overwritten (the default)
    shopify.run("export-products")
    shown = read_product(shopify.shop, ITEM.code)
    assert shown["name"] == "Faitout fonte 24 cm — nouveau"
    assert shown["description"] == ITEM.description
    assert shown["brand"] == brand


def test_a_kept_price_survives_while_the_title_is_overwritten(shopify: PlatformWorld) -> None:
    _with_policy(shopify, {"price": "keep"})
    shopify.run("export-products")
    assert read_product(shopify.shop, ITEM.code)["regular_price"] == ITEM.price
    _merchant_sets(shopify, ITEM.code, {"price": "99.00"})
    back_office_sets(
        shopify, ITEM.code, name="Faitout fonte 24 cm — nouveau", list_price=Decimal("81.00")
    )

    assert shopify.run("export-products").counts["updated"] == 1
    shown = read_product(shopify.shop, ITEM.code)
    assert shown["regular_price"] == Decimal("99.00")  # kept
    assert shown["name"] == "Faitout fonte 24 cm — nouveau"  # overwritten

    _with_policy(shopify, {})
    shopify.run("export-products")
    assert read_product(shopify.shop, ITEM.code)["regular_price"] == Decimal("81.00")


def test_kept_customer_names_survive_an_export_and_overwrite_puts_them_back(
    shopify: PlatformWorld,
) -> None:
    _with_policy(shopify, customers={"email": "keep", "names": "keep"})
    shopify.run("export-customers")
    (node,) = graphql(shopify.shop, _CUSTOMER_ID, {"q": f"email:{CUSTOMER.email}"})["customers"][
        "nodes"
    ]
    answer = graphql(
        shopify.shop, _CUSTOMER_UPDATE, {"input": {"id": node["id"], "firstName": "Prénom"}}
    )["customerUpdate"]
    assert answer["userErrors"] == [], answer
    shopify.add_customer_phone(CUSTOMER.code, PHONE)  # the addresses group changes

    shopify.run("export-customers")
    shown = read_customer(shopify.shop, CUSTOMER.email)
    assert shown["first_name"] == "Prénom"  # kept
    assert shown["phone"] == "+33388123456"  # overwritten (E.164 as Shopify keeps it)

    _with_policy(shopify, customers={"email": "keep"})
    shopify.run("export-customers")
    assert read_customer(shopify.shop, CUSTOMER.email)["first_name"] == CUSTOMER.first_name


def test_an_update_of_a_variable_product_keeps_the_merchants_metafields(
    shopify: PlatformWorld,
) -> None:
    """productSet replaces the metafields it is given: an update sends none."""
    shopify.run("export-products")
    variation = next(i for i in CATALOGUE_ITEMS if i.template == CANDLE_TEMPLATE)
    (node,) = graphql(shopify.shop, _FIND, {"q": f"sku:{variation.code}"})["productVariants"][
        "nodes"
    ]
    product_id = node["product"]["id"]
    own = {"namespace": "custom", "key": "matiere", "type": "single_line_text_field"}
    answer = graphql(
        shopify.shop, _METAFIELDS_SET, {"m": [{**own, "ownerId": product_id, "value": "Soja"}]}
    )["metafieldsSet"]
    assert answer["userErrors"] == [], answer
    back_office_sets(shopify, variation.code, name="Bougie parfumée — nouvelle")

    shopify.run("export-products")
    shown = graphql(shopify.shop, _PRODUCT_METAFIELDS, {"id": product_id})["node"]
    assert shown["title"] == "Bougie parfumée — nouvelle"  # the parent was updated
    assert shown["own"] == {"value": "Soja"}  # the merchant's metafield is still there
    assert shown["sku"] == {"value": CANDLE_TEMPLATE.rstrip("-")}  # and passerelle's
