"""What the WooCommerce connector says to a merchant reads in French, the shop's words kept.

A refusal names the request in the reader's language ("WooCommerce a refusé la
commande 999999 : …"), a record the shop refused in a batch keeps the shop's
own message and code, an order that cannot be read names the order and the
amount in French; ``str()`` and a write outcome's ``error`` stay the English,
for logs. Every text the connector raises or describes a request with is a
kept message: a scan of its source finds none left in plain English, save the
caller's-bug invariants marked ``# internal:``.
"""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from passerelle.connectors.base import ProductWrite
from passerelle.connectors.errors import AuthenticationError, NotFoundError, RecordError
from passerelle.connectors.http import HttpOptions
from passerelle.connectors.woocommerce.connector import WooCommerceShop
from passerelle.connectors.woocommerce.translate_order_extensions import delivery_addresses
from passerelle.connectors.woocommerce.translate_orders import order_from_wire
from passerelle.i18n import using
from passerelle.i18n.messages import M_, render, said
from passerelle.model import ProductDraft, ProductTexts
from passerelle.sandbox.woocommerce import WooSandbox


@pytest.fixture()
def sandbox(tmp_path: Path) -> Iterator[WooSandbox]:
    with WooSandbox(tmp_path / "shop.json", cert_dir=tmp_path / "certs", seed=False) as sb:
        yield sb


def _shop(sandbox: WooSandbox, secret: str = "cs_demo") -> WooCommerceShop:
    return WooCommerceShop(
        sandbox.url, "ck_demo", secret, options=HttpOptions(verify=sandbox.ca_bundle, max_tries=1)
    )


def _draft(sku: str, **fields: Any) -> ProductDraft:
    return ProductDraft(sku=sku, name=f"Produit {sku}", regular_price=Decimal("12.00"), **fields)


# ------------------------------------------------------------------ requests
def test_a_refused_order_read_names_the_order_in_french_and_keeps_the_shops_words(
    sandbox: WooSandbox,
) -> None:
    with _shop(sandbox) as shop, pytest.raises(NotFoundError) as caught:
        shop.get_order("999999")
    assert render(said(caught.value), "fr") == (
        "WooCommerce a refusé la commande 999999 : Invalid ID. "
        "[woocommerce_rest_shop_order_invalid_id]"
    )
    assert str(caught.value) == (
        "WooCommerce refused the order 999999: Invalid ID. [woocommerce_rest_shop_order_invalid_id]"
    )


def test_refused_keys_name_the_orders_and_the_connection_test_in_french(
    sandbox: WooSandbox,
) -> None:
    with _shop(sandbox, secret="cs_wrong") as shop:
        with pytest.raises(AuthenticationError) as caught:
            list(shop.iter_orders())
        with using("fr"):
            report = shop.test_connection()
    french = render(said(caught.value), "fr")
    assert french.startswith("WooCommerce a refusé les commandes : ")
    assert french.endswith("Vérifiez les identifiants d'API du profil et leurs droits.")
    assert not report.ok
    assert report.message.startswith("WooCommerce a refusé l'état du système : ")
    assert "cs_wrong" not in french + report.message


def test_an_answering_shop_is_said_in_the_readers_language(sandbox: WooSandbox) -> None:
    with _shop(sandbox) as shop:
        with using("fr"):
            french = shop.test_connection()
        english = shop.test_connection()
    assert french.ok and french.message == f"WooCommerce à l'adresse {sandbox.url} a répondu."
    assert english.message == f"WooCommerce at {sandbox.url} answered."


# -------------------------------------------------------------- batch writes
def test_a_product_the_shop_refuses_in_a_batch_is_said_in_french(sandbox: WooSandbox) -> None:
    with _shop(sandbox) as shop:
        [made] = shop.write_products([ProductWrite("k1", _draft("MUG-1"))])
        [taken] = shop.write_products([ProductWrite("k2", _draft("mug-1"))])
    assert made.ok and not taken.ok and not taken.gone
    assert render(taken.said or "", "fr") == (
        "WooCommerce a refusé le produit k2 : Invalid or duplicated SKU. [product_invalid_sku]"
    )
    assert taken.error == (
        "WooCommerce refused product k2: Invalid or duplicated SKU. [product_invalid_sku]"
    )


def test_a_product_deleted_in_the_shop_is_said_gone_in_french(sandbox: WooSandbox) -> None:
    with _shop(sandbox) as shop:
        [made] = shop.write_products([ProductWrite("k1", _draft("GONE-1"))])
        sandbox.data.products.pop(int(made.shop_id or 0))
        [gone] = shop.write_products(
            [
                ProductWrite(
                    "k1", _draft("GONE-1"), made.shop_id, fields=frozenset({"regular_price"})
                )
            ]
        )
    assert gone.gone
    assert render(gone.said or "", "fr") == (
        f"le produit k1 n'existe plus dans la boutique (suppression faite dans la boutique, "
        f"où son identifiant était {made.shop_id})"
    )


def test_translations_a_shop_cannot_hold_are_said_in_french(sandbox: WooSandbox) -> None:
    draft = _draft("MUG-2", translations=(ProductTexts("en", "Mug", "A mug"),))
    with _shop(sandbox) as shop:
        [outcome] = shop.write_products([ProductWrite("m", draft)])
    # The product was written, its translations were not: the reason is kept to be
    # shown in French, not only the English ``error``.
    assert outcome.shop_id and isinstance(outcome.error, str)
    assert outcome.error.startswith("product m was written but not its translations")
    assert render(outcome.said or "", "fr").startswith(
        "le produit m a été envoyé, mais pas ses traductions : "
    )


def test_a_variation_without_its_parent_is_said_in_french(sandbox: WooSandbox) -> None:
    variation = _draft("MUG-RED", kind="variation")
    with _shop(sandbox) as shop:
        sandbox.reset_requests()
        [outcome] = shop.write_products([ProductWrite("v", variation)])
    assert sandbox.requests == []
    assert render(outcome.said or "", "fr") == (
        "la déclinaison v n'a pas de produit parent dans la boutique : "
        "envoyez d'abord le produit variable"
    )


# ----------------------------------------------------------- orders as read
def _order(**fields: Any) -> dict[str, Any]:
    return {"id": 9, "number": "9", "date_created_gmt": "2025-01-02T10:00:00", **fields}


def test_an_order_amount_that_is_not_a_number_is_said_in_french() -> None:
    with pytest.raises(RecordError) as caught:
        order_from_wire(_order(total="12,50"))
    assert str(caught.value) == "order 9 total is not a number: '12,50'"
    assert render(said(caught.value), "fr") == (
        "commande 9, le total n'est pas un nombre : '12,50'"
    )
    assert caught.value.record_id == "9"


def test_a_refund_line_and_a_negative_ecotax_are_said_in_french() -> None:
    refund = {"id": 4, "date_created_gmt": "2025-01-03T10:00:00", "amount": "x"}
    with pytest.raises(RecordError) as caught:
        order_from_wire(_order(total="5"), refunds=[refund])
    assert render(said(caught.value), "fr") == (
        "commande 9, remboursement 4, le montant n'est pas un nombre : 'x'"
    )
    line = {"id": 1, "name": "Balance", "meta_data": [{"key": "_ecotax", "value": "-1"}]}
    with pytest.raises(RecordError) as negative:
        order_from_wire(_order(total="5", line_items=[line]))
    assert render(said(negative.value), "fr") == (
        "commande 9, ligne 'Balance', la métadonnée _ecotax est négative ('-1') ; "
        "l'écotaxe par unité doit être de 0 ou plus"
    )


def test_lines_no_package_places_are_listed_in_french() -> None:
    packages = [
        {"destination": {"city": "Lyon"}, "contents": [{"name": "A"}]},
        {"destination": {"city": "Nice"}, "contents": []},
    ]
    order = {
        "multiple_shipping": True,
        "shipping_packages": packages,
        "line_items": [{"id": 1, "name": "A"}, {"id": 2, "name": "B"}, {"id": 3, "name": "C"}],
    }
    with pytest.raises(RecordError) as caught:
        delivery_addresses(order, M_("order %(number)s", number="9"))
    assert render(said(caught.value), "fr") == (
        "commande 9 est livrée à plusieurs adresses (Ship to Multiple Addresses) mais aucun "
        "colis ne donne l'adresse de : B, C ; vérifiez les colis de livraison de la commande "
        "dans WooCommerce"
    )
