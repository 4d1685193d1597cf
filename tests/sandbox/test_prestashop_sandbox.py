"""The PrestaShop sandbox against PrestaShop/docs: key, errors, lists, PUT, stock, states."""

from __future__ import annotations

import ssl
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from passerelle.sandbox.prestashop import DEMO_KEY, PrestaShopSandbox


def _ctx(sandbox: PrestaShopSandbox) -> ssl.SSLContext:
    return ssl.create_default_context(cafile=str(sandbox.ca_bundle))


@pytest.fixture
def shop(tmp_path: Path) -> Iterator[tuple[PrestaShopSandbox, httpx.Client]]:
    sandbox = PrestaShopSandbox(tmp_path / "prestashop.json", cert_dir=tmp_path / "tls").start()
    client = httpx.Client(
        base_url=f"{sandbox.url}/api/", verify=_ctx(sandbox), auth=httpx.BasicAuth(DEMO_KEY, "")
    )
    try:
        yield sandbox, client
    finally:
        client.close()
        sandbox.stop()


def test_the_key_is_the_basic_auth_user_and_errors_are_prestashop_xml(shop) -> None:
    sandbox, client = shop
    anonymous = httpx.get(f"{sandbox.url}/api/products", verify=_ctx(sandbox))
    assert anonymous.status_code == 401 and "<code><![CDATA[17]]></code>" in anonymous.text
    assert "WWW-Authenticate" in anonymous.headers
    wrong = httpx.get(f"{sandbox.url}/api/products", verify=_ctx(sandbox), auth=("X" * 32, ""))
    assert wrong.status_code == 401
    assert client.get("orders/1").status_code == 404
    assert client.get("nope").status_code == 400


def test_lists_page_with_limit_filter_and_display(shop) -> None:
    _sandbox, client = shop
    ids = client.get("orders", params={"output_format": "JSON"}).json()["orders"]
    assert ids and set(ids[0]) == {"id"}
    page = client.get(
        "orders",
        params={
            "output_format": "JSON",
            "display": "[id,reference]",
            "limit": "2,3",
            "sort": "[id_ASC]",
        },
    ).json()["orders"]
    assert [o["id"] for o in page] == [o["id"] for o in ids[2:5]]
    assert set(page[0]) == {"id", "reference"}
    one = client.get(
        "orders", params={"output_format": "JSON", "filter[id]": "[703|704]", "display": "full"}
    ).json()["orders"]
    assert {o["id"] for o in one} == {703, 704}
    empty = client.get("orders", params={"output_format": "JSON", "filter[id]": "[1]"})
    assert empty.json() == []


def test_stock_availables_refuse_post_and_put_blanks_omitted_fields(shop) -> None:
    _sandbox, client = shop
    xml = (
        "<prestashop><product><price>12.5</price><reference>X-1</reference>"
        '<name><language id="1">Pot</language></name></product></prestashop>'
    )
    made = client.post("products", content=xml, params={"output_format": "JSON"})
    assert made.status_code == 201
    product = made.json()["product"]
    row = product["associations"]["stock_availables"][0]
    assert client.post("stock_availables", content="<prestashop/>").status_code == 405
    put = "<prestashop><product><id>{}</id><price>13</price></product></prestashop>".format(
        product["id"]
    )
    client.put(f"products/{product['id']}", content=put)
    after = client.get(f"products/{product['id']}", params={"output_format": "JSON"}).json()
    assert after["product"]["reference"] == "" and after["product"]["price"] == "13.000000"
    bad = client.put(
        f"products/{product['id']}",
        content=put.replace("<price>13</price>", "<price>13</price><quantity>4</quantity>"),
    )
    assert bad.status_code == 400 and "93" in bad.text
    stock = (
        "<prestashop><stock_available><id>{}</id><id_product>{}</id_product>"
        "<id_product_attribute>0</id_product_attribute><quantity>7</quantity>"
        "<depends_on_stock>0</depends_on_stock><out_of_stock>2</out_of_stock>"
        "</stock_available></prestashop>"
    ).format(row["id"], product["id"])
    assert client.put(f"stock_availables/{row['id']}", content=stock).status_code == 200
    again = client.get(f"products/{product['id']}", params={"output_format": "JSON"})
    assert again.json()["product"]["quantity"] == "7"


def test_an_order_history_moves_the_order_state(shop) -> None:
    _sandbox, client = shop
    body = (
        "<prestashop><order_history><id_order>705</id_order><id_order_state>2"
        "</id_order_state></order_history></prestashop>"
    )
    assert client.post("order_histories", content=body).status_code == 201
    order = client.get("orders/705", params={"output_format": "JSON"}).json()["order"]
    assert order["current_state"] == "2"


def _code(response: httpx.Response) -> tuple[int, int]:
    return response.status_code, int(response.json()["errors"][0]["code"])


def test_error_codes_are_the_ones_webservice_request_sets(shop) -> None:
    """classes/webservice/WebserviceRequest.php (PrestaShop 8): the numbers, not only HTTP."""
    sandbox, client = shop
    json_ = {"output_format": "JSON"}
    wrong = httpx.get(
        f"{sandbox.url}/api/products", params=json_, verify=_ctx(sandbox), auth=("X" * 32, "")
    )
    assert _code(wrong) == (401, 20)
    assert _code(client.get("nope", params=json_)) == (400, 27)
    assert _code(client.post("stock_availables", params=json_, content="<prestashop/>")) == (
        405,
        101,
    )
    assert _code(client.get("orders", params={**json_, "limit": "1,2,3"})) == (400, 39)
    assert _code(client.get("orders", params={**json_, "sort": "[nope_ASC]"})) == (400, 38)
    assert _code(client.get("orders", params={**json_, "sort": "[id_UP]"})) == (400, 37)
    body = (
        '<prestashop><category><id>5</id><name><language id="1">X</language></name>'
        "</category></prestashop>"
    )
    assert _code(client.post("categories", params=json_, content=body)) == (400, 91)
    assert _code(
        client.put("categories/9999", params=json_, content=body.replace(">5<", ">9999<"))
    ) == (404, 92)
    missing = client.get("orders/99999", params=json_)
    assert missing.status_code == 404 and missing.content == b""  # no body, as PrestaShop


SPECIFIC_PRICE = (
    "<prestashop><specific_price><id_product>{product}</id_product>"
    "<id_shop>1</id_shop><id_cart>0</id_cart><id_currency>0</id_currency>"
    "<id_country>0</id_country><id_group>0</id_group><id_customer>0</id_customer>"
    "<price>-1</price><from_quantity>1</from_quantity>{reduction}"
    "<reduction_tax>0</reduction_tax><reduction_type>{kind}</reduction_type>"
    "<from>0000-00-00 00:00:00</from><to>0000-00-00 00:00:00</to>"
    "</specific_price></prestashop>"
)


def test_specific_prices_check_required_fields_and_formats(shop) -> None:
    """specific_prices.md: every field but the shop group, combination and rule ids is
    required; reduction_type is amount|percentage, reduction an unsigned price."""
    _sandbox, client = shop
    json_ = {"output_format": "JSON"}
    reduction = "<reduction>2.5</reduction>"
    missing = SPECIFIC_PRICE.format(product=1, reduction="", kind="amount")
    assert _code(client.post("specific_prices", params=json_, content=missing)) == (400, 41)
    wrong = SPECIFIC_PRICE.format(product=1, reduction=reduction, kind="discount")
    assert _code(client.post("specific_prices", params=json_, content=wrong)) == (400, 85)
    negative = SPECIFIC_PRICE.format(
        product=1, reduction="<reduction>-2</reduction>", kind="amount"
    )
    assert _code(client.post("specific_prices", params=json_, content=negative)) == (400, 85)
    made = client.post(
        "specific_prices",
        params=json_,
        content=SPECIFIC_PRICE.format(product=1, reduction=reduction, kind="amount"),
    )
    assert made.status_code == 201
    record = made.json()["specific_price"]
    # Prices come back as the database's decimal(20,6).
    assert (record["price"], record["reduction"]) == ("-1.000000", "2.500000")
    listed = client.get(
        "specific_prices", params={**json_, "display": "full", "filter[id_product]": "[1]"}
    ).json()
    assert [r["id"] for r in listed["specific_prices"]] == [record["id"]]
    assert client.delete(f"specific_prices/{record['id']}").status_code == 200
    assert client.get(f"specific_prices/{record['id']}").status_code == 404


def test_the_buyers_checkout_note_is_a_public_message_of_the_order(shop) -> None:
    """The demo order's checkout note (the demo's one truth) is, here, the public
    ``messages`` record PaymentModule::validateOrder gives the order's id."""
    from passerelle.demo_orders import ORDERS

    _sandbox, client = shop
    noted = {str(o.number): o.customer_note for o in ORDERS if o.customer_note}
    assert noted
    rows = client.get(
        "messages", params={"output_format": "JSON", "display": "full", "filter[private]": "[0]"}
    ).json()["messages"]
    assert {r["id_order"]: r["message"] for r in rows} == noted
    assert all(r["id_employee"] == "0" and r["id_cart"] for r in rows)
