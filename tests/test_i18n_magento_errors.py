"""What the Magento connector says reaches a French merchant in French, the shop's words kept.

A refusal names the request in the reader's language ("le produit AR1") around
Magento's own message, its ``%1`` placeholders filled in and never translated;
the connector's own findings (a tax class the shop lacks, an order total that is
not a number) are kept messages too. The last test scans the package as
``/work/helpers/english_raises.py`` does: no exception raised with plain English
words, no request described in plain English, save the lines marked ``# internal:``.
"""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

import httpx
import pytest

from passerelle.connectors.base import CustomerWrite, ProductWrite
from passerelle.connectors.errors import RecordError
from passerelle.connectors.http import HttpOptions, RetryingClient
from passerelle.connectors.magento.connector import BULK_THRESHOLD, MagentoShop
from passerelle.connectors.magento.translate_orders import order_from_wire
from passerelle.i18n import using
from passerelle.i18n.messages import render, said
from passerelle.model import Customer, ProductDraft
from passerelle.sandbox.magento import MagentoSandbox


@pytest.fixture
def sandbox(tmp_path: Path) -> Iterator[MagentoSandbox]:
    shop = MagentoSandbox(None, cert_dir=tmp_path / "tls").start()
    yield shop
    shop.stop()


@pytest.fixture
def shop(sandbox: MagentoSandbox) -> Iterator[MagentoShop]:
    connected = MagentoShop(
        sandbox.url, sandbox.token, options=HttpOptions(verify=sandbox.ca_bundle)
    )
    connected.client.sleep = lambda _s: None
    yield connected
    connected.close()


def _draft(sku: str, **fields: object) -> ProductDraft:
    return ProductDraft(sku=sku, name=f"Mug {sku}", regular_price=Decimal("9.90"), **fields)  # type: ignore[arg-type]


def test_a_save_magento_refuses_names_the_product_in_french_and_keeps_magento_s_words(
    shop: MagentoShop,
) -> None:
    [outcome] = shop.write_products([ProductWrite("k1", _draft("MUG-1", category_ids=("999",)))])
    assert not outcome.ok and outcome.said is not None
    french = render(outcome.said, "fr")
    assert french.startswith("Magento a refusé le produit MUG-1 : Could not save product "), french
    assert french.endswith(" with position 0 to category 999"), french  # %2, %3 filled in
    assert str(outcome.error).startswith("Magento refused product MUG-1: Could not save")


def test_a_refused_operation_of_a_bulk_save_is_said_in_french(shop: MagentoShop) -> None:
    writes = [
        ProductWrite(f"k{i}", _draft(f"NEW-{i:03d}", category_ids=("999",) if i == 3 else ()))
        for i in range(BULK_THRESHOLD + 1)
    ]
    outcomes = shop.write_products(writes)
    refused = [o for o in outcomes if not o.ok]
    assert [o.key for o in refused] == ["k3"]
    assert refused[0].said is not None
    french = render(refused[0].said, "fr")
    assert french.startswith("Magento a refusé le produit NEW-003 : "), french
    assert "category 999" in french


def test_a_bulk_request_magento_does_not_take_names_its_products_in_french(
    shop: MagentoShop,
) -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(202, json={"request_items": []})  # no bulk_uuid

    shop.client.http = RetryingClient(
        base_url=f"{shop.client.site_url}/rest/",
        platform="Magento",
        options=HttpOptions(max_tries=1),
        transport=httpx.MockTransport(handler),
    )
    writes = [ProductWrite(f"k{i}", _draft(f"B-{i:02d}")) for i in range(BULK_THRESHOLD + 1)]
    with pytest.raises(RecordError) as caught:
        shop.write_products(writes)
    assert render(said(caught.value), "fr") == (
        f"Magento n'a pas accepté l'envoi groupé ({BULK_THRESHOLD + 1} produits)"
    )
    assert str(caught.value) == (
        f"Magento did not accept the bulk request ({BULK_THRESHOLD + 1} products)"
    )


def test_a_tax_class_and_a_customer_group_the_shop_lacks_are_said_in_french(
    shop: MagentoShop,
) -> None:
    [product] = shop.write_products([ProductWrite("p", _draft("TVA-1", tax_class="Luxe"))])
    assert product.said is not None
    assert render(product.said, "fr").startswith(
        "la boutique n'a pas de classe de taxe de produit nommée 'Luxe' : créez-la dans Magasins"
    )
    customer = Customer(source_id="c", name="Anne", email="anne@example.org", group="Grossistes")
    [outcome] = shop.write_customers([CustomerWrite("c", customer)])
    assert outcome.said is not None
    assert render(outcome.said, "fr") == "la boutique n'a pas de groupe de clients 'Grossistes'"


def test_an_update_of_a_product_deleted_in_the_shop_is_said_gone_in_french(
    shop: MagentoShop,
) -> None:
    [outcome] = shop.write_products([ProductWrite("k", _draft("GONE-1"), "GONE-1")])
    assert outcome.gone and outcome.said is not None
    assert render(outcome.said, "fr") == (
        "le produit GONE-1 n'existe plus dans la boutique (supprimé là-bas)"
    )


def test_refused_credentials_in_the_connection_test_read_in_french(
    sandbox: MagentoSandbox,
) -> None:
    shop = MagentoShop(sandbox.url, "wrong-token", options=HttpOptions(verify=sandbox.ca_bundle))
    try:
        with using("fr"):
            report = shop.test_connection()
    finally:
        shop.close()
    assert not report.ok
    assert report.message.startswith("Magento a refusé la configuration de la boutique : ")
    assert report.message.endswith("Vérifiez les identifiants d'API du profil et leurs droits.")


def test_a_connection_that_answers_is_said_in_french(shop: MagentoShop) -> None:
    with using("fr"):
        report = shop.test_connection()
    assert report.ok
    assert report.message == f"Magento à l'adresse {shop.client.site_url} a répondu."


def test_an_order_whose_total_is_not_a_number_is_said_in_french() -> None:
    raw = {
        "entity_id": 7,
        "increment_id": "000000042",
        "created_at": "2026-03-01 10:00:00",
        "grand_total": "douze",
    }
    with pytest.raises(RecordError) as caught:
        order_from_wire(raw)
    assert caught.value.record_id == "7"
    assert render(said(caught.value), "fr") == (
        "le total de la commande 000000042 n'est pas un nombre : 'douze'"
    )
    with pytest.raises(RecordError) as undated:
        order_from_wire({"entity_id": 8, "increment_id": "000000043"})
    assert render(said(undated.value), "fr") == (
        "la commande 000000043 n'a pas de date de création"
    )
