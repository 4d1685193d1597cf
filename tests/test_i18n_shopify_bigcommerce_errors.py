"""What the Shopify and BigCommerce connectors tell a merchant reads in French, the shop's
own words kept as they are; and neither package raises an English sentence unmarked.

The refusals come from the sandboxes (the platforms' documented answers), so each test
goes through the connector's real request, its description and the shared HTTP client.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from decimal import Decimal
from pathlib import Path

import pytest

from passerelle.connectors.base import CustomerWrite, ProductWrite
from passerelle.connectors.bigcommerce.connector import BigCommerceShop
from passerelle.connectors.errors import NotFoundError, RecordError
from passerelle.connectors.http import HttpOptions
from passerelle.connectors.shopify.connector import ShopifyShop
from passerelle.i18n import using
from passerelle.i18n.messages import render, said
from passerelle.model import Address, Customer, ProductDraft
from passerelle.sandbox.bigcommerce import BigCommerceSandbox
from passerelle.sandbox.shopify.platform import start

TOKEN = "bc_demo_token"


@pytest.fixture
def shopify(tmp_path: Path) -> Iterator[ShopifyShop]:
    platform = start(tmp_path / "shop")
    connector = ShopifyShop(
        platform.url, "shpat_demo", options=HttpOptions(verify=platform.sandbox.ca_bundle)
    )
    try:
        yield connector
    finally:
        connector.close()
        platform.stop()


@pytest.fixture
def bigcommerce(tmp_path: Path) -> Iterator[BigCommerceShop]:
    box = BigCommerceSandbox(
        tmp_path / "bc.json", token=TOKEN, cert_dir=tmp_path / "tls", seed=False, quota=10_000
    )
    box.start()
    try:
        with BigCommerceShop(
            box.url, box.store_hash, TOKEN, options=HttpOptions(verify=box.ca_bundle, max_tries=1)
        ) as connector:
            yield connector
    finally:
        box.stop()


def _customer(email: str, *addresses: Address) -> Customer:
    return Customer(
        source_id=email,
        name="Anne Nord",
        first_name="Anne",
        last_name="Nord",
        email=email,
        addresses=addresses,
    )


# ------------------------------------------------------------------------------ Shopify
def test_a_product_shopify_refuses_is_said_in_french_with_shopifys_own_words(
    shopify: ShopifyShop,
) -> None:
    draft = ProductDraft(sku="AR1", name="", regular_price=Decimal("9.90"))
    (outcome,) = shopify.write_products([ProductWrite("k1", draft)])
    assert outcome.error == "Shopify refused product AR1: input.title: Title can't be blank [BLANK]"
    assert render(outcome.said or "", "fr") == (
        "Shopify a refusé le produit AR1 : input.title: Title can't be blank [BLANK]"
    )


def test_a_customer_shopify_refuses_is_named_in_french_and_one_deleted_there_is_gone(
    shopify: ShopifyShop,
) -> None:
    (refused,) = shopify.write_customers([CustomerWrite("k1", _customer("anne.example.org"))])
    assert refused.error == "Shopify refused the customer anne.example.org: email: Email is invalid"
    assert render(refused.said or "", "fr") == (
        "Shopify a refusé le client anne.example.org : email: Email is invalid"
    )
    (gone,) = shopify.write_customers(
        [CustomerWrite("k1", _customer("anne@example.org"), "999999")]
    )
    assert gone.gone and gone.shop_id == "999999"
    assert render(gone.said or "", "fr") == (
        "Shopify a refusé le client anne@example.org : id: Customer does not exist"
    )


def test_a_sale_number_shopify_refuses_names_the_order_in_french(shopify: ShopifyShop) -> None:
    with pytest.raises(NotFoundError) as caught:
        shopify.write_order_result("999999", document_number="S1", status=None)
    assert str(caught.value) == "Shopify refused the order 999999: id: Object does not exist"
    assert render(said(caught.value), "fr") == (
        "Shopify a refusé la commande 999999 : id: Object does not exist"
    )
    with using("fr"):
        report = shopify.test_connection()
    assert report.ok and report.message.startswith("La boutique Shopify ")
    assert report.message.endswith(" a répondu.")


# -------------------------------------------------------------------------- BigCommerce
def test_customers_bigcommerce_refuses_are_counted_and_said_in_french(
    bigcommerce: BigCommerceShop,
) -> None:
    same = _customer("anne@example.org")
    outcomes = bigcommerce.write_customers(
        [CustomerWrite("k1", same), CustomerWrite("k2", replace(same, source_id="k2"))]
    )
    words = "Error creating customers: The email address anne@example.org is already in use"
    for outcome in outcomes:
        assert str(outcome.error).startswith(f"BigCommerce refused 2 customers: {words}")
        assert render(outcome.said or "", "fr").startswith(
            f"BigCommerce a refusé 2 clients : {words}"
        )


def test_an_order_gone_from_bigcommerce_is_said_in_french(bigcommerce: BigCommerceShop) -> None:
    with pytest.raises(NotFoundError) as caught:
        bigcommerce.write_order_result("999", document_number="S1", status=None)
    assert str(caught.value).startswith(
        "order 999 no longer exists in the shop: BigCommerce refused the order 999: "
    )
    assert render(said(caught.value), "fr").startswith(
        "la commande 999 n'existe plus dans la boutique : BigCommerce a refusé la commande 999 : "
    )


def test_a_shipment_bigcommerce_cannot_take_says_why_in_french(
    bigcommerce: BigCommerceShop,
) -> None:
    with pytest.raises(RecordError) as unknown:
        bigcommerce.write_shipment(
            "7",
            carrier="UPS",
            tracking_number="1Z",
            shipped_at=None,
            notify_customer=False,
            status="Parti",
        )
    assert render(said(unknown.value), "fr").startswith(
        "'Parti' n'est pas un statut de commande BigCommerce (Incomplete, Pending, Shipped, "
    )
    with pytest.raises(RecordError) as long:
        bigcommerce.write_shipment(
            "7",
            carrier="UPS",
            tracking_number="9" * 51,
            shipped_at=None,
            notify_customer=False,
            status=None,
        )
    assert render(said(long.value), "fr") == (
        f"le numéro de suivi '{'9' * 51}' dépasse les 50 caractères que BigCommerce accepte"
    )
    assert unknown.value.record_id == long.value.record_id == "7"


def test_addresses_refused_after_the_account_is_written_are_said_in_french(
    bigcommerce: BigCommerceShop,
) -> None:
    made = bigcommerce.write_customers([CustomerWrite("k1", _customer("b@example.org"))])[0]
    too_long = Address(street="3 rue Haute", postal_code="6" * 40, city="Lyon", country_code="FR")
    (outcome,) = bigcommerce.write_customers(
        [
            CustomerWrite(
                "k1", _customer("b@example.org", too_long), made.shop_id, frozenset({"addresses"})
            )
        ]
    )
    assert outcome.error == (
        "its addresses: BigCommerce refused the addresses of 1 customer: The address was not "
        "valid (0.postal_code: postal_code must be 0 to 30 characters)"
    )
    assert render(outcome.said or "", "fr") == (
        "ses adresses : BigCommerce a refusé les adresses de 1 client : The address was not "
        "valid (0.postal_code: postal_code must be 0 to 30 characters)"
    )


def test_a_bigcommerce_connection_test_answers_in_french(bigcommerce: BigCommerceShop) -> None:
    with using("fr"):
        report = bigcommerce.test_connection()
    assert report.ok and report.message.startswith("La boutique BigCommerce ")
