"""The WooCommerce sandbox moves stock as ``wc-stock-functions.php`` does.

Each test creates its own products (unique SKUs) in one shared sandbox, then
places and moves orders through the REST API or the ShopSandbox hooks.
"""

from __future__ import annotations

import itertools
import ssl
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from passerelle.sandbox.woocommerce.platform import WooPlatform, start

API = "/wp-json/wc/v3"
_SKUS = itertools.count(1)


@pytest.fixture(scope="module")
def shop(tmp_path_factory: pytest.TempPathFactory) -> Iterator[WooPlatform]:
    platform = start(tmp_path_factory.mktemp("woo-stock"))
    yield platform
    platform.stop()


@pytest.fixture()
def client(shop: WooPlatform) -> Iterator[httpx.Client]:
    verify = ssl.create_default_context(cafile=str(shop.sandbox.ca_bundle))
    with httpx.Client(
        base_url=shop.url + API, auth=("ck_demo", "cs_demo"), verify=verify, timeout=10
    ) as c:
        yield c


def product(client: httpx.Client, stock: int | None, name: str = "Kit déco") -> dict[str, Any]:
    sku = f"KIT-{next(_SKUS):03d}"
    body: dict[str, Any] = {
        "name": name,
        "sku": sku,
        "regular_price": "10.00",
        "manage_stock": stock is not None,
    }
    if stock is not None:
        body["stock_quantity"] = stock
    answer = client.post("/products", json=body)
    assert answer.status_code == 201, answer.text
    return answer.json()


def stock_of(client: httpx.Client, record: dict[str, Any]) -> int | None:
    return client.get(f"/products/{record['id']}").json()["stock_quantity"]


def notes(client: httpx.Client, order_id: str) -> list[str]:
    return [n["note"] for n in reversed(client.get(f"/orders/{order_id}/notes").json())]


def test_a_paid_checkout_lowers_the_stock_once_with_woocommerces_note(
    shop: WooPlatform, client: httpx.Client
) -> None:
    kit = product(client, 41)
    order_id = shop.place_order({kit["sku"]: 2})
    assert stock_of(client, kit) == 39
    assert f"Stock levels reduced: Kit déco ({kit['sku']}) 41&rarr;39" in notes(client, order_id)
    assert shop.view.products()[kit["sku"]].stock == 39
    # Completed later: the order's stock was reduced already (order_stock_reduced).
    shop.set_order_state(order_id, "shipped")
    assert stock_of(client, kit) == 39


def test_a_pending_order_takes_nothing_until_it_is_paid_or_put_on_hold(
    shop: WooPlatform, client: httpx.Client
) -> None:
    kit = product(client, 10)
    pending = shop.place_order({kit["sku"]: 3}, state="pending")
    assert stock_of(client, kit) == 10
    shop.set_order_state(pending, "on_hold")
    assert stock_of(client, kit) == 7
    shop.set_order_state(pending, "paid")  # on-hold → processing: reduced already
    assert stock_of(client, kit) == 7
    on_hold = shop.place_order({kit["sku"]: 1}, state="on_hold")
    assert stock_of(client, kit) == 6
    assert any(n.startswith("Stock levels reduced:") for n in notes(client, on_hold))


def test_rest_orders_created_processing_or_set_paid_reduce_and_pending_does_not(
    client: httpx.Client,
) -> None:
    kit = product(client, 20)
    for body, expected in (
        ({"status": "pending"}, 20),
        ({"status": "processing"}, 19),
        ({"set_paid": True}, 18),
        ({"status": "completed"}, 17),
    ):
        answer = client.post(
            "/orders", json={**body, "line_items": [{"sku": kit["sku"], "quantity": 1}]}
        )
        assert answer.status_code == 201, answer.text
        assert stock_of(client, kit) == expected, body


def test_cancelling_or_going_back_to_pending_gives_the_units_back_once(
    shop: WooPlatform, client: httpx.Client
) -> None:
    kit = product(client, 5)
    order_id = shop.place_order({kit["sku"]: 2})
    assert stock_of(client, kit) == 3
    shop.set_order_state(order_id, "cancelled")
    assert stock_of(client, kit) == 5
    assert f"Stock levels increased: Kit déco ({kit['sku']}) 3&rarr;5" in notes(client, order_id)
    client.put(f"/orders/{order_id}", json={"status": "pending"})
    assert stock_of(client, kit) == 5
    client.put(f"/orders/{order_id}", json={"status": "processing"})  # taken again
    assert stock_of(client, kit) == 3
    client.put(f"/orders/{order_id}", json={"status": "pending"})
    assert stock_of(client, kit) == 5


def test_a_refund_with_restock_gives_units_back_and_one_without_does_not(
    shop: WooPlatform, client: httpx.Client
) -> None:
    kit = product(client, 8)
    order_id = shop.place_order({kit["sku"]: 3})
    order = client.get(f"/orders/{order_id}").json()
    line = order["line_items"][0]
    kept = client.post(
        f"/orders/{order_id}/refunds",
        json={
            "amount": "1.00",
            "api_refund": False,
            "api_restock": False,
            "line_items": [{"id": line["id"], "quantity": 1, "refund_total": "1.00"}],
        },
    )
    assert kept.status_code == 201, kept.text
    assert stock_of(client, kit) == 5
    back = client.post(
        f"/orders/{order_id}/refunds",
        json={
            "amount": "1.00",
            "api_refund": False,
            "line_items": [{"id": line["id"], "quantity": 2, "refund_total": "1.00"}],
        },
    )
    assert back.status_code == 201, back.text
    assert stock_of(client, kit) == 7
    assert f"Item #{kit['id']} stock increased from 5 to 7." in notes(client, order_id)
    # Cancelling now gives back only what the refund left reduced (1 unit).
    shop.set_order_state(order_id, "cancelled")
    assert stock_of(client, kit) == 8


def test_refunded_by_the_merchant_gives_every_unit_back(
    shop: WooPlatform, client: httpx.Client
) -> None:
    kit = product(client, 4)
    order_id = shop.place_order({kit["sku"]: 4})
    assert stock_of(client, kit) == 0
    assert client.get(f"/products/{kit['id']}").json()["stock_status"] == "outofstock"
    shop.set_order_state(order_id, "refunded")
    assert client.get(f"/orders/{order_id}").json()["status"] == "refunded"
    assert stock_of(client, kit) == 4


def test_a_product_that_does_not_manage_stock_moves_nothing(
    shop: WooPlatform, client: httpx.Client
) -> None:
    free = product(client, None)
    order_id = shop.place_order({free["sku"]: 2})
    assert stock_of(client, free) is None
    assert not any("Stock levels" in n for n in notes(client, order_id))


def test_a_variation_takes_its_own_stock_else_its_parents(
    shop: WooPlatform, client: httpx.Client
) -> None:
    parent = client.post(
        "/products",
        json={
            "name": "Bougie parfumée",
            "type": "variable",
            "sku": f"CND-{next(_SKUS)}",
            "manage_stock": True,
            "stock_quantity": 30,
            "attributes": [{"name": "Parfum", "options": ["Figue", "Ambre"], "variation": True}],
        },
    ).json()
    own = client.post(
        f"/products/{parent['id']}/variations",
        json={
            "sku": f"{parent['sku']}-FIG",
            "regular_price": "14.90",
            "manage_stock": True,
            "stock_quantity": 6,
            "attributes": [{"name": "Parfum", "option": "Figue"}],
        },
    ).json()
    shared = client.post(
        f"/products/{parent['id']}/variations",
        json={
            "sku": f"{parent['sku']}-AMB",
            "regular_price": "14.90",
            "attributes": [{"name": "Parfum", "option": "Ambre"}],
        },
    ).json()
    order_id = shop.place_order({own["sku"]: 2, shared["sku"]: 5})
    variations = f"/products/{parent['id']}/variations"
    assert client.get(f"{variations}/{own['id']}").json()["stock_quantity"] == 4
    assert client.get(f"/products/{parent['id']}").json()["stock_quantity"] == 25
    reduced = next(n for n in notes(client, order_id) if n.startswith("Stock levels reduced"))
    assert (
        f'Bougie parfumée - Figue ({own["sku"]})<span class="description"></span> 6&rarr;4'
        in reduced
    )
    assert shop.view.products()[shared["sku"]].stock == 25


def test_the_notes_come_before_the_status_change_as_woocommerce_fires_them(
    shop: WooPlatform, client: httpx.Client
) -> None:
    kit = product(client, 3)
    order_id = shop.place_order({kit["sku"]: 1})
    texts = notes(client, order_id)
    reduced = next(i for i, n in enumerate(texts) if n.startswith("Stock levels reduced"))
    changed = next(i for i, n in enumerate(texts) if n.startswith("Order status changed"))
    assert reduced < changed


def test_deleting_a_product_in_the_shop_makes_its_id_unknown(
    shop: WooPlatform, client: httpx.Client
) -> None:
    kit = product(client, 2)
    shop.delete_product(kit["sku"].lower())
    answer = client.put(f"/products/{kit['id']}", json={"stock_quantity": 3})
    assert answer.status_code == 400
    assert answer.json()["code"] == "woocommerce_rest_product_invalid_id"
    assert kit["sku"] not in shop.view.products()


def test_an_order_beyond_the_stock_takes_it_below_zero(
    shop: WooPlatform, client: httpx.Client
) -> None:
    kit = product(client, 2)
    shop.place_order({kit["sku"]: 5})
    read = client.get(f"/products/{kit['id']}").json()
    assert (read["stock_quantity"], read["stock_status"]) == (-3, "outofstock")
    assert shop.view.products()[kit["sku"]].stock == -3


# -- a property: any sequence of checkouts and order actions ------------------------------------

_PLACE = st.tuples(
    st.just("place"),
    st.sampled_from(["paid", "pending", "on_hold"]),
    st.integers(min_value=1, max_value=4),
)
_MOVE = st.tuples(
    st.just("move"),
    st.sampled_from(["paid", "on_hold", "shipped", "cancelled", "refunded"]),
    st.integers(min_value=0, max_value=20),
)


class _Model:
    """What ``wc-stock-functions.php`` says each order holds, one line per order:
    ``flag`` is ``order_stock_reduced``, ``held`` the line's ``_reduced_stock``."""

    def __init__(self) -> None:
        self.orders: list[dict[str, Any]] = []

    def place(self, state: str, quantity: int) -> None:
        takes = state != "pending"
        self.orders.append(
            {
                "status": {"paid": "processing", "on_hold": "on-hold"}.get(state, "pending"),
                "qty": quantity,
                "flag": takes,
                "held": quantity if takes else 0,
            }
        )

    def move(self, order: dict[str, Any], state: str) -> None:
        if state == "paid":
            if order["status"] in ("pending", "on-hold", "failed", "cancelled"):
                self._status(order, "processing")
        elif state == "refunded":
            if order["held"]:  # wc_restock_refunded_items: only a line whose stock was taken
                order["held"] -= order["qty"]
            self._status(order, "refunded")
        else:
            self._status(
                order,
                {"on_hold": "on-hold", "shipped": "completed", "cancelled": "cancelled"}[state],
            )

    @staticmethod
    def _status(order: dict[str, Any], status: str) -> None:
        if order["status"] == status:
            return
        order["status"] = status
        if status in ("processing", "on-hold", "completed") and not order["flag"]:
            order["held"] = order["held"] or order["qty"]
            order["flag"] = True
        elif status == "cancelled" and order["flag"]:
            order["held"], order["flag"] = 0, False


@settings(
    max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(actions=st.lists(st.one_of(_PLACE, _MOVE), min_size=1, max_size=12))
def test_the_stock_is_always_the_start_less_what_open_orders_hold(
    shop: WooPlatform, client: httpx.Client, actions: list[tuple[str, str, int]]
) -> None:
    kit = product(client, 50)
    model, ids = _Model(), []
    for kind, state, number in actions:
        if kind == "place":
            ids.append(shop.place_order({kit["sku"]: number}, state=state))
            model.place(state, number)
        elif ids:
            index = number % len(ids)
            shop.set_order_state(ids[index], state)
            model.move(model.orders[index], state)
        assert stock_of(client, kit) == 50 - sum(o["held"] for o in model.orders), actions
