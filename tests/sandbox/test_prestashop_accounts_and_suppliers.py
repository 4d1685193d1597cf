"""What the PrestaShop sandbox does around a customer's or a product supplier's write.

``classes/Customer.php`` (8.x) ``add``, ``update``, ``updateGroup``,
``setWsGroups``, ``getWsGroups``; devdocs ``webservice/resources/product_suppliers``
and the ``product_supplier`` unique key of ``install-dev/data/db_structure.sql``.
Raw HTTP, as a client of the Webservice sends it.
"""

from __future__ import annotations

import ssl
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from passerelle.sandbox.prestashop import DEMO_KEY, PrestaShopSandbox

CUSTOMER = (
    "<prestashop><customer>{id}<passwd>secret123</passwd><firstname>Jeanne</firstname>"
    "<lastname>Martin</lastname><email>camille.roux@example.net</email>{extra}"
    "</customer></prestashop>"
)
SUPPLY = (
    "<prestashop><product_supplier>{id}<id_product>{product}</id_product>"
    "{attribute}<id_supplier>1</id_supplier>{extra}</product_supplier></prestashop>"
)


@pytest.fixture
def client(tmp_path: Path) -> Iterator[httpx.Client]:
    sandbox = PrestaShopSandbox(None, cert_dir=tmp_path / "tls").start()
    http = httpx.Client(
        base_url=f"{sandbox.url}/api/",
        verify=ssl.create_default_context(cafile=str(sandbox.ca_bundle)),
        auth=httpx.BasicAuth(DEMO_KEY, ""),
        params={"output_format": "JSON"},
    )
    try:
        yield http
    finally:
        http.close()
        sandbox.stop()


def _code(answer: httpx.Response) -> str:
    return str(answer.json()["errors"][0]["code"])


def _post_customer(client: httpx.Client, extra: str = "") -> dict[str, Any]:
    answer = client.post("customers", content=CUSTOMER.format(id="", extra=extra))
    assert answer.status_code == 201, answer.text
    return dict(answer.json()["customer"])


def _read(client: httpx.Client, path: str) -> dict[str, Any]:
    (record,) = client.get(path).json().values()
    return dict(record)


def _group_ids(customer: dict[str, Any]) -> list[str]:
    return [str(g["id"]) for g in (customer.get("associations") or {}).get("groups") or []]


def test_a_newsletter_subscription_is_dated_by_the_shop(client: httpx.Client) -> None:
    subscribed = _post_customer(
        client, "<id_default_group>3</id_default_group><newsletter>1</newsletter>"
    )
    assert subscribed["newsletter_date_add"][:4].isdigit()
    assert (
        _read(client, f"customers/{subscribed['id']}")["newsletter_date_add"]
        == (subscribed["newsletter_date_add"])
    )


def test_no_newsletter_no_subscription_date(client: httpx.Client) -> None:
    plain = _post_customer(client, "<id_default_group>3</id_default_group>")
    assert plain["newsletter_date_add"] == ""
    # Subscribed later (a PUT of the whole record): dated then.
    record = _read(client, f"customers/{plain['id']}")
    body = CUSTOMER.format(
        id=f"<id>{plain['id']}</id>",
        extra="<id_default_group>3</id_default_group><newsletter>1</newsletter>",
    )
    assert client.put(f"customers/{plain['id']}", content=body).status_code == 200
    assert _read(client, f"customers/{plain['id']}")["newsletter_date_add"][:4].isdigit()
    assert record["newsletter"] == "0"


def test_a_customer_posted_without_default_group_stores_0_and_shows_no_group(
    client: httpx.Client,
) -> None:
    customer = _read(client, f"customers/{_post_customer(client)['id']}")
    assert customer["id_default_group"] == "0"
    assert _group_ids(customer) == []


def test_a_customer_posted_without_groups_is_in_its_default_group_alone(
    client: httpx.Client,
) -> None:
    customer = _post_customer(client, "<id_default_group>2</id_default_group>")
    assert _group_ids(_read(client, f"customers/{customer['id']}")) == ["2"]


def test_the_groups_sent_replace_the_customers_groups(client: httpx.Client) -> None:
    customer = _post_customer(
        client,
        "<id_default_group>3</id_default_group><associations><groups>"
        "<group><id>1</id></group><group><id>3</id></group></groups></associations>",
    )
    assert _group_ids(_read(client, f"customers/{customer['id']}")) == ["1", "3"]
    body = CUSTOMER.format(
        id=f"<id>{customer['id']}</id>",
        extra="<id_default_group>3</id_default_group>"
        "<associations><groups><group><id>2</id></group></groups></associations>",
    )
    assert client.put(f"customers/{customer['id']}", content=body).status_code == 200
    after = _read(client, f"customers/{customer['id']}")
    # setWsGroups replaces the list and does not add the default group by itself.
    assert (after["id_default_group"], _group_ids(after)) == ("3", ["2"])


def _product(client: httpx.Client) -> str:
    answer = client.post(
        "products",
        content='<prestashop><product><price>10</price><name><language id="1">Pot'
        "</language></name></product></prestashop>",
    )
    assert answer.status_code == 201, answer.text
    return str(answer.json()["product"]["id"])


def test_a_product_supplier_needs_its_product_combination_and_supplier(
    client: httpx.Client,
) -> None:
    product = _product(client)
    missing = client.post(
        "product_suppliers", content=SUPPLY.format(id="", product=product, attribute="", extra="")
    )
    assert (missing.status_code, _code(missing)) == (400, "41")
    assert missing.json()["errors"][0]["message"] == 'parameter "id_product_attribute" required'


def test_a_product_supplier_reference_isReference_and_price_isPrice(
    client: httpx.Client,
) -> None:
    product = _product(client)
    for extra in (
        "<product_supplier_reference>A&lt;B</product_supplier_reference>",
        "<product_supplier_price_te>-1</product_supplier_price_te>",
    ):
        answer = client.post(
            "product_suppliers",
            content=SUPPLY.format(
                id="",
                product=product,
                attribute="<id_product_attribute>0</id_product_attribute>",
                extra=extra,
            ),
        )
        assert (answer.status_code, _code(answer)) == (400, "85"), extra


def test_a_second_row_for_the_same_product_and_supplier_is_500_code_46(
    client: httpx.Client,
) -> None:
    product = _product(client)
    body = SUPPLY.format(
        id="",
        product=product,
        attribute="<id_product_attribute>0</id_product_attribute>",
        extra="<product_supplier_reference>F-1</product_supplier_reference>"
        "<product_supplier_price_te>4.5</product_supplier_price_te>",
    )
    first = client.post("product_suppliers", content=body)
    assert first.status_code == 201, first.text
    assert first.json()["product_supplier"]["product_supplier_price_te"] == "4.500000"
    again = client.post("product_suppliers", content=body)
    assert (again.status_code, _code(again)) == (500, "46")


def test_deleting_a_product_removes_its_supplier_rows(client: httpx.Client) -> None:
    product = _product(client)
    body = SUPPLY.format(
        id="", product=product, attribute="<id_product_attribute>0</id_product_attribute>", extra=""
    )
    assert client.post("product_suppliers", content=body).status_code == 201
    assert client.delete(f"products/{product}").status_code == 200
    assert client.get("product_suppliers", params={"display": "full"}).json() == []


SPECIFIC_PRICE = (
    "<prestashop><specific_price><id_shop>0</id_shop><id_cart>0</id_cart>"
    "<id_product>{product}</id_product><id_currency>0</id_currency><id_country>0</id_country>"
    "<id_group>3</id_group><id_customer>0</id_customer><price>{price}</price>"
    "<from_quantity>1</from_quantity><reduction>0</reduction><reduction_tax>0</reduction_tax>"
    "<reduction_type>amount</reduction_type><from>0000-00-00 00:00:00</from>"
    "<to>0000-00-00 00:00:00</to></specific_price></prestashop>"
)


def test_a_second_specific_price_on_the_same_terms_is_500_code_46(client: httpx.Client) -> None:
    product = _product(client)
    first = client.post(
        "specific_prices", content=SPECIFIC_PRICE.format(product=product, price="9")
    )
    assert first.status_code == 201, first.text
    # Another price, same product, group, quantity and dates: the unique key refuses it.
    again = client.post(
        "specific_prices", content=SPECIFIC_PRICE.format(product=product, price="8")
    )
    assert (again.status_code, _code(again)) == (500, "46")
    other = SPECIFIC_PRICE.format(product=product, price="8").replace(
        "<from_quantity>1</", "<from_quantity>10</"
    )
    assert client.post("specific_prices", content=other).status_code == 201
