"""The PrestaShop sandbox refuses what PrestaShop 8 refuses, and takes what it takes.

One test per row of ``passerelle/sandbox/prestashop/README.md``: HTTP statuses
and error codes of ``classes/webservice/WebserviceRequest.php``, field rules of
``classes/Validate.php`` as each class's ``$definition`` names them, and the
e-mail uniqueness of ``Customer::addWs``/``updateWs``.
"""

from __future__ import annotations

import ssl
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from passerelle.sandbox.prestashop import DEMO_KEY, PrestaShopSandbox

PRODUCT = (
    "<prestashop><product>{extra}<price>{price}</price><reference><![CDATA[{ref}]]>"
    '</reference><name><language id="1"><![CDATA[{name}]]></language></name>'
    "</product></prestashop>"
)
CUSTOMER = (
    "<prestashop><customer>{id}<passwd>secret123</passwd><firstname>{first}"
    "</firstname><lastname>{last}</lastname><email>{email}</email>{extra}"
    "</customer></prestashop>"
)


def _client(sandbox: PrestaShopSandbox, key: str | None = DEMO_KEY) -> httpx.Client:
    return httpx.Client(
        base_url=f"{sandbox.url}/api/",
        verify=ssl.create_default_context(cafile=str(sandbox.ca_bundle)),
        auth=httpx.BasicAuth(key, "") if key else None,
    )


@pytest.fixture
def shop(tmp_path: Path) -> Iterator[tuple[PrestaShopSandbox, httpx.Client]]:
    sandbox = PrestaShopSandbox(None, cert_dir=tmp_path / "tls").start()
    client = _client(sandbox)
    try:
        yield sandbox, client
    finally:
        client.close()
        sandbox.stop()


def _code(answer: httpx.Response) -> str:
    return answer.text.split("<code><![CDATA[", 1)[1].split("]]>", 1)[0]


def _product(
    client: httpx.Client,
    *,
    price: str = "12.5",
    ref: str = "REF-1",
    name: str = "Pot",
    extra: str = "",
) -> httpx.Response:
    return client.post(
        "products", content=PRODUCT.format(price=price, ref=ref, name=name, extra=extra)
    )


def _customer(
    client: httpx.Client,
    *,
    first: str = "Jeanne",
    last: str = "Martin",
    email: str = "jeanne.martin@example.org",
    extra: str = "",
    record_id: str = "",
) -> httpx.Response:
    body = CUSTOMER.format(
        first=first,
        last=last,
        email=email,
        extra=extra,
        id=f"<id>{record_id}</id>" if record_id else "",
    )
    if record_id:
        return client.put(f"customers/{record_id}", content=body)
    return client.post("customers", content=body)


def test_a_request_without_key_is_refused_401_code_17(shop) -> None:
    sandbox, _ = shop
    with _client(sandbox, None) as anonymous:
        answer = anonymous.get("products")
    assert (answer.status_code, _code(answer)) == (401, "17")
    assert answer.headers["WWW-Authenticate"].startswith("Basic realm=")


def test_a_resource_the_key_may_not_use_is_401_code_26_a_method_405_code_25(tmp_path: Path) -> None:
    sandbox = PrestaShopSandbox(
        None, cert_dir=tmp_path / "tls", permissions={"products": frozenset({"GET", "HEAD"})}
    ).start()
    try:
        with _client(sandbox) as client:
            assert client.get("products").status_code == 200
            refused = client.get("customers")
            assert (refused.status_code, _code(refused)) == (401, "26")
            write = _product(client)
            assert (write.status_code, _code(write)) == (405, "25")
    finally:
        sandbox.stop()


def test_a_method_the_resource_refuses_is_405_code_101(shop) -> None:
    _, client = shop
    answer = client.post("stock_availables", content="<prestashop/>")
    assert (answer.status_code, _code(answer)) == (405, "101")


def test_unknown_ids_get_404_empty_put_404_code_92_delete_404_code_87(shop) -> None:
    _, client = shop
    read = client.get("products/999")
    assert (read.status_code, read.text) == (404, "")
    put = client.put(
        "products/999", content=PRODUCT.format(price="1", ref="X", name="X", extra="<id>999</id>")
    )
    assert (put.status_code, _code(put)) == (404, "92")
    delete = client.delete("products/999")
    assert (delete.status_code, _code(delete)) == (404, "87")


def test_a_required_field_missing_is_400_code_41(shop) -> None:
    _, client = shop
    answer = client.post(
        "customers",
        content="<prestashop><customer><passwd>secret123"
        "</passwd><firstname>A</firstname><lastname>B</lastname>"
        "</customer></prestashop>",
    )
    assert (answer.status_code, _code(answer)) == (400, "41")
    assert 'parameter "email" required' in answer.text


@pytest.mark.parametrize(
    "email",
    [
        "jeanne",
        "jeanne@",
        "jeanne martin@example.org",
        "jeanne@@example.org",
        ".jeanne@example.org",
    ],
)
def test_an_invalid_email_is_400_code_85(shop, email: str) -> None:
    _, client = shop
    answer = _customer(client, email=email)
    assert (answer.status_code, _code(answer)) == (400, "85")
    assert "Customer->email is not valid" in answer.text


@pytest.mark.parametrize("name", ["Jeanne2", "Jean_ne", "J.Martin", "Martin (SARL)", "A@B"])
def test_a_customer_name_isCustomerName_refuses_is_400_code_85(shop, name: str) -> None:
    _, client = shop
    answer = _customer(client, first=name)
    assert (answer.status_code, _code(answer)) == (400, "85")
    assert "Customer->firstname is not valid" in answer.text


def test_names_with_accents_hyphens_apostrophes_and_a_spaced_dot_are_taken(shop) -> None:
    _, client = shop
    answer = _customer(
        client, first="Zoé-Anne", last="d'Arc J. Ñúñez", email="Zoe.Anne+shop@exämple.fr"
    )
    assert answer.status_code == 201, answer.text


@pytest.mark.parametrize("price", ["abc", "-1", "12,50", "1.1234567890"])
def test_a_price_isPrice_refuses_is_400_code_85(shop, price: str) -> None:
    _, client = shop
    answer = _product(client, price=price)
    assert (answer.status_code, _code(answer)) == (400, "85")
    assert "Product->price is not valid" in answer.text


def test_a_valid_price_is_kept_as_decimal_20_6(shop) -> None:
    _, client = shop
    made = _product(client, price="12.5")
    assert made.status_code == 201
    assert "<price><![CDATA[12.500000]]></price>" in made.text


@pytest.mark.parametrize("ref", ["A<B", "A;B", "A=B", "A{B}"])
def test_a_reference_isReference_refuses_is_400_code_85(shop, ref: str) -> None:
    _, client = shop
    answer = _product(client, ref=ref)
    assert (answer.status_code, _code(answer)) == (400, "85")


def test_a_reference_with_spaces_slashes_and_hash_is_taken(shop) -> None:
    _, client = shop
    assert _product(client, ref="KIT 001/B #2").status_code == 201


def test_a_reference_over_64_characters_is_400_code_85(shop) -> None:
    _, client = shop
    answer = _product(client, ref="R" * 65)
    assert (answer.status_code, _code(answer)) == (400, "85")
    assert "too long" in answer.text


def test_a_multilingual_field_at_fault_is_400_code_84(shop) -> None:
    _, client = shop
    too_long = _product(client, name="N" * 129)
    assert (too_long.status_code, _code(too_long)) == (400, "84")
    forbidden = _product(client, name="Pot <b>")
    assert (forbidden.status_code, _code(forbidden)) == (400, "84")


def test_a_barcode_with_letters_is_not_an_ean13_400_code_85(shop) -> None:
    _, client = shop
    answer = _product(client, extra="<ean13>ABC123</ean13>")
    assert (answer.status_code, _code(answer)) == (400, "85")


def test_an_email_another_account_has_is_500_code_140_on_create_141_on_update(shop) -> None:
    _, client = shop
    first = _customer(client, email="dup@example.org")
    assert first.status_code == 201
    again = _customer(client, email="DUP@example.org")
    assert (again.status_code, _code(again)) == (500, "140")
    other = _customer(client, email="other@example.org")
    other_id = other.text.split("<id><![CDATA[", 1)[1].split("]]>", 1)[0]
    update = _customer(client, email="dup@example.org", record_id=other_id)
    assert (update.status_code, _code(update)) == (500, "141")


def test_a_guest_checkout_does_not_hold_its_email(shop) -> None:
    _, client = shop
    guest = _customer(client, email="guest@example.org", extra="<is_guest>1</is_guest>")
    assert guest.status_code == 201
    assert _customer(client, email="guest@example.org").status_code == 201
