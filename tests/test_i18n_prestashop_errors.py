"""What the PrestaShop connector tells a merchant reads in English and in French.

A refusal names the request in the reader's language and keeps the shop's own
words as they came; ``str()`` stays English for the logs. The last test scans
the connector's package: no exception is raised with plain English words and
no request is described in them, unless the line says why no merchant can
meet it (``# internal:``).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import httpx
import pytest

from passerelle.connectors.base import ProductWrite
from passerelle.connectors.errors import NotFoundError, RecordError
from passerelle.connectors.http import HttpOptions, RetryingClient
from passerelle.connectors.prestashop import PrestaShopShop
from passerelle.connectors.prestashop import endpoints as ep
from passerelle.connectors.prestashop.client import read_error
from passerelle.connectors.prestashop.translate_customers import name_fault
from passerelle.connectors.prestashop.translate_orders import money
from passerelle.i18n import using
from passerelle.i18n.messages import render, said
from passerelle.model import Customer, ProductDraft
from passerelle.sandbox.prestashop import DEMO_KEY
from passerelle.sandbox.prestashop.platform import PrestaShopPlatform, start


@pytest.fixture
def platform(tmp_path: Path) -> Iterator[PrestaShopPlatform]:
    running = start(tmp_path)
    try:
        yield running
    finally:
        running.stop()


def _shop(platform: PrestaShopPlatform, key: str = DEMO_KEY) -> PrestaShopShop:
    return PrestaShopShop(
        platform.url,
        key,
        options=HttpOptions(verify=platform.sandbox.ca_bundle, max_tries=1),
        tax_rules_groups={"standard": 1},
    )


def _draft(sku: str, name: str = "Pot") -> ProductDraft:
    return ProductDraft(sku=sku, name=name, regular_price=Decimal("12.50"), tax_class="standard")


def test_a_product_prestashop_refuses_is_said_in_french_with_the_shops_own_words(
    platform: PrestaShopPlatform,
) -> None:
    shop = _shop(platform)
    try:
        [refused] = shop.write_products([ProductWrite("P", _draft("POT-1", "Pot <3>"))])
    finally:
        shop.close()
    assert refused.error == (
        'PrestaShop refused product POT-1: Validation error: "Property Product->name '
        'is not valid" [84]'
    )
    assert refused.said is not None
    assert render(refused.said, "fr") == (
        'PrestaShop a refusé le produit POT-1 : Validation error: "Property Product->name '
        'is not valid" [84]'
    )


def test_a_product_deleted_in_the_shop_is_said_gone_in_french(
    platform: PrestaShopPlatform,
) -> None:
    shop = _shop(platform)
    try:
        write = ProductWrite("P", _draft("POT-2"), "9999", frozenset({"name"}))
        [gone] = shop.write_products([write])
    finally:
        shop.close()
    assert gone.gone and gone.said is not None
    assert gone.error == "POT-2: product 9999 no longer exists in the shop"
    assert render(gone.said, "fr") == "POT-2 : le produit 9999 n'existe plus dans la boutique"


def test_a_refused_key_is_said_in_the_language_of_whoever_tests_the_connection(
    platform: PrestaShopPlatform,
) -> None:
    shop = _shop(platform, key="NOT-THE-KEY-0000000000000000000")
    try:
        with using("fr"):
            french = shop.test_connection()
        with using("en"):
            english = shop.test_connection()
    finally:
        shop.close()
    assert not french.ok and not english.ok
    assert french.message.startswith("PrestaShop a refusé la boutique : "), french.message
    assert french.message.endswith("Vérifiez les identifiants d'API du profil et leurs droits.")
    assert english.message.startswith("PrestaShop refused the shop: "), english.message


def test_a_connection_that_answers_is_said_in_french(platform: PrestaShopPlatform) -> None:
    shop = _shop(platform)
    try:
        with using("fr"):
            report = shop.test_connection()
    finally:
        shop.close()
    assert report.ok and report.message == f"PrestaShop à l'adresse {platform.url} a répondu."


def _mocked(handler: Any) -> PrestaShopShop:
    """A shop whose requests ``handler`` answers (no sandbox, no network)."""
    shop = PrestaShopShop("https://shop.example", "KEY")
    shop.client.http = RetryingClient(
        base_url="https://shop.example/api/",
        platform="PrestaShop",
        options=HttpOptions(max_tries=1),
        read_error=read_error,
        sleep=lambda _seconds: None,
        transport=httpx.MockTransport(handler),
    )
    return shop


def test_an_unexpected_answer_names_the_request_in_french() -> None:
    shop = _mocked(lambda request: httpx.Response(200, json={"oops": True}))
    with pytest.raises(RecordError) as caught:
        shop.client.list(ep.CARRIERS)
    assert str(caught.value) == "PrestaShop answered the carriers records with an unexpected body"
    assert render(said(caught.value), "fr") == (
        "PrestaShop a répondu par un contenu inattendu (les enregistrements carriers)"
    )


def _orders_handler(request: httpx.Request) -> httpx.Response:
    """Order 5 with its sale number already noted, order 6 deleted, one order state."""
    path = request.url.path
    if path.endswith("/orders/5"):
        order = {"id": "5", "note": "Vente ERP : SO-1", "current_state": "1"}
        return httpx.Response(200, json={"order": order})
    if path.endswith("/orders/6"):
        errors = [{"code": 87, "message": "Invalid ID"}]
        return httpx.Response(404, content=json.dumps({"errors": errors}))
    if path.endswith("/order_states"):
        return httpx.Response(200, json={"order_states": [{"id": "1", "paid": "1"}]})
    return httpx.Response(200, json=[])  # the configuration: no special state named


def test_an_order_state_the_shop_lacks_is_said_in_french() -> None:
    shop = _mocked(_orders_handler)
    with pytest.raises(RecordError) as caught:
        shop.write_order_result("5", document_number="SO-1", status="archived")
    assert str(caught.value).startswith("no order state is 'archived' in the shop")
    assert render(said(caught.value), "fr") == (
        "la boutique n'a aucun état de commande 'archived' (indiquez le numéro d'un état, "
        "ou paid, shipped, delivered, canceled…)"
    )


def test_a_deleted_order_is_said_in_french_with_the_shops_words() -> None:
    shop = _mocked(_orders_handler)
    with pytest.raises(NotFoundError) as caught:
        shop.get_order("6")
    assert caught.value.record_id == "6"
    assert render(said(caught.value), "fr") == (
        "la commande 6 n'existe plus dans la boutique : "
        "PrestaShop a refusé la commande 6 : Invalid ID [87]"
    )


def test_a_name_prestashop_refuses_is_said_in_french_before_sending() -> None:
    digits = name_fault(Customer(source_id="K", name="Atelier 3B", email="a@example.org"), None)
    assert digits is not None
    assert digits.english.startswith("the first name 'Atelier 3B' holds 3, which PrestaShop")
    assert render(digits, "fr") == (
        "le prénom 'Atelier 3B' contient 3, que PrestaShop n'accepte pas dans le nom d'une "
        "personne (ni chiffres ni symboles) : corrigez-le dans la gestion commerciale"
    )
    dotted = Customer(
        source_id="K", name="Jo", email="j@example.org", first_name="Jo", last_name="Lee.2"
    )
    fault = name_fault(dotted, None)
    assert fault is not None
    assert render(fault, "fr").startswith(
        "le nom de famille 'Lee.2' contient 2, un point à l'intérieur d'un mot, "
    )


def test_an_order_amount_that_is_not_a_number_is_said_in_french() -> None:
    assert money("12.50") == Decimal("12.50")
    with pytest.raises(RecordError) as caught:
        money("n/a")
    assert render(said(caught.value), "fr") == "le montant 'n/a' n'est pas un nombre"


# -- The package holds no English a merchant could read untranslated -------------------
# The scanner of /work/helpers/english_raises.py: an exception raised with a str literal,
# f-string, concatenation or .format() argument, and a ``what=`` given a str or f-string.
