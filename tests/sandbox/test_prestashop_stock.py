"""Stock in the PrestaShop sandbox as PrestaShop 1.7.2+/8 moves it (sandbox/prestashop/stock.py).

Each test places or moves orders through the platform's hooks (checkout,
order_histories, refund) and reads what the Webservice offers (``quantity``)
and the two figures it keeps without serving them (physical, reserved).
"""

from __future__ import annotations

import ssl
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from passerelle.sandbox.prestashop import DEMO_KEY
from passerelle.sandbox.prestashop import stock as rules
from passerelle.sandbox.prestashop.platform import PrestaShopPlatform, start


@pytest.fixture
def shop(tmp_path: Path) -> Iterator[tuple[PrestaShopPlatform, httpx.Client]]:
    platform = start(tmp_path)
    client = httpx.Client(
        base_url=f"{platform.url}/api/",
        auth=httpx.BasicAuth(DEMO_KEY, ""),
        verify=ssl.create_default_context(cafile=str(platform.sandbox.ca_bundle)),
        params={"output_format": "JSON"},
    )
    try:
        yield platform, client
    finally:
        client.close()
        platform.stop()


def _product(client: httpx.Client, sku: str, quantity: int) -> tuple[str, str]:
    """A product made through the Webservice and its stock row set to ``quantity``."""
    made = client.post(
        "products",
        content=(
            f"<prestashop><product><price>10</price><reference>{sku}</reference>"
            '<id_tax_rules_group>1</id_tax_rules_group><name><language id="1">Pot'
            "</language></name></product></prestashop>"
        ),
    ).json()["product"]
    row = made["associations"]["stock_availables"][0]["id"]
    _put_quantity(client, row, made["id"], "0", quantity)
    return str(made["id"]), str(row)


def _put_quantity(
    client: httpx.Client, row: str, product: str, attribute: str, quantity: int
) -> None:
    answer = client.put(
        f"stock_availables/{row}",
        content=(
            f"<prestashop><stock_available><id>{row}</id><id_product>{product}</id_product>"
            f"<id_product_attribute>{attribute}</id_product_attribute>"
            f"<quantity>{quantity}</quantity><depends_on_stock>0</depends_on_stock>"
            "<out_of_stock>2</out_of_stock></stock_available></prestashop>"
        ),
    )
    assert answer.status_code == 200, answer.text


def _figures(
    platform: PrestaShopPlatform, product: str, attribute: str = "0"
) -> tuple[int, int, int]:
    """(quantity, reserved, physical) of a stock row."""
    row = rules.row(platform.sandbox.engine, product, attribute)
    assert row is not None
    return (int(row["quantity"]), int(row["reserved_quantity"]), int(row["physical_quantity"]))


def test_a_paid_order_takes_units_from_what_is_offered_and_reserves_them(shop) -> None:
    platform, client = shop
    product, row = _product(client, "POT-1", 10)
    platform.place_order({"POT-1": 3})
    assert _figures(platform, product) == (7, 3, 10)
    assert client.get(f"stock_availables/{row}").json()["stock_available"]["quantity"] == "7"
    assert platform.view.products()["POT-1"].stock == 7


def test_an_order_awaiting_payment_or_on_hold_reserves_as_a_paid_one(shop) -> None:
    platform, client = shop
    product, _ = _product(client, "POT-2", 10)
    platform.place_order({"POT-2": 1}, state="pending")
    platform.place_order({"POT-2": 2}, state="on_hold")
    assert _figures(platform, product) == (7, 3, 10)


def test_shipping_lowers_the_physical_stock_and_ends_the_reservation(shop) -> None:
    platform, client = shop
    product, _ = _product(client, "POT-3", 10)
    order = platform.place_order({"POT-3": 4})
    platform.set_order_state(order, "shipped")
    assert _figures(platform, product) == (6, 0, 6)


def test_cancelling_gives_the_units_back_to_what_is_offered(shop) -> None:
    platform, client = shop
    product, _ = _product(client, "POT-4", 10)
    paid = platform.place_order({"POT-4": 2})
    waiting = platform.place_order({"POT-4": 1}, state="pending")
    platform.set_order_state(paid, "cancelled")
    platform.set_order_state(waiting, "cancelled")
    assert _figures(platform, product) == (10, 0, 10)


def test_a_refund_with_restock_gives_the_units_back_even_after_shipping(shop) -> None:
    platform, client = shop
    product, _ = _product(client, "POT-5", 10)
    order = platform.place_order({"POT-5": 2})
    platform.set_order_state(order, "shipped")
    platform.set_order_state(order, "refunded")
    assert _figures(platform, product) == (10, 0, 10)


def test_writing_quantity_sets_what_is_offered_and_physical_follows_at_the_next_order(shop) -> None:
    platform, client = shop
    product, row = _product(client, "POT-6", 10)
    first = platform.place_order({"POT-6": 2})
    _put_quantity(client, row, product, "0", 5)  # what passerelle writes: the offer
    assert _figures(platform, product) == (5, 2, 10)  # physical not touched by the PUT
    platform.set_order_state(first, "shipped")
    assert _figures(platform, product) == (5, 0, 5)  # quantity + reserved


def test_a_combination_order_moves_its_row_and_the_product_row_sums_them(shop) -> None:
    platform, client = shop
    product, _ = _product(client, "CANDLE", 0)
    combo = client.post(
        "combinations",
        content=(
            f"<prestashop><combination><id_product>{product}</id_product><reference>CANDLE-FIG"
            "</reference><minimal_quantity>1</minimal_quantity></combination></prestashop>"
        ),
    ).json()["combination"]
    row = rules.row(platform.sandbox.engine, product, str(combo["id"]))
    assert row is not None
    _put_quantity(client, str(row["id"]), product, str(combo["id"]), 6)
    platform.place_order({"CANDLE-FIG": 2})
    assert _figures(platform, product, str(combo["id"])) == (4, 2, 6)
    assert _figures(platform, product)[0] == 4
    assert platform.view.products()["CANDLE-FIG"].stock == 4


def test_the_webservice_shows_quantity_only(shop) -> None:
    platform, client = shop
    _, row = _product(client, "POT-7", 3)
    platform.place_order({"POT-7": 1})
    shown = client.get(f"stock_availables/{row}").json()["stock_available"]
    assert "reserved_quantity" not in shown and "physical_quantity" not in shown


def test_the_storefront_refuses_more_than_it_offers(shop) -> None:
    platform, client = shop
    product, _ = _product(client, "POT-8", 1)
    with pytest.raises(ValueError, match="only 1 offered"):
        platform.place_order({"POT-8": 2})
    assert _figures(platform, product) == (1, 0, 0)


def test_deleting_a_product_or_a_combination_removes_it_and_its_stock_rows(shop) -> None:
    platform, client = shop
    product, row = _product(client, "POT-9", 3)
    combo = client.post(
        "combinations",
        content=(
            f"<prestashop><combination><id_product>{product}</id_product><reference>POT-9-B"
            "</reference><minimal_quantity>1</minimal_quantity></combination></prestashop>"
        ),
    ).json()["combination"]
    platform.delete_product("POT-9-B")
    assert client.get(f"combinations/{combo['id']}").status_code == 404
    assert "POT-9-B" not in platform.view.products()
    platform.delete_product("POT-9")
    assert client.get(f"products/{product}").status_code == 404
    assert client.get(f"stock_availables/{row}").status_code == 404
