"""BigCommerce's stock around orders, as its inventory settings say (sandbox/bigcommerce/stock.py).

Settings API "Inventory" (``/v3/settings/inventory``): ``update_stock_behavior``
``order_placed`` (default) lowers stock when an order is placed,
``order_completed_or_shipped`` when it is shipped or completed;
``refund_order_stock_adjustment`` gives units back on cancel and refund. The
connector's open orders follow the same setting.
"""

from __future__ import annotations

import ssl
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from passerelle.connectors.bigcommerce.connector import BigCommerceShop
from passerelle.connectors.http import HttpOptions
from passerelle.sandbox.bigcommerce import BigCommerceSandbox
from passerelle.sandbox.bigcommerce.platform import BigCommercePlatform
from passerelle.sandbox.bigcommerce.wire import ApiError

TOKEN = "bc_demo_token"


@pytest.fixture
def shop(tmp_path: Path) -> Iterator[BigCommercePlatform]:
    box = BigCommerceSandbox(
        tmp_path / "bc.json", token=TOKEN, cert_dir=tmp_path / "tls", seed=False, quota=10_000
    )
    box.start()
    platform = BigCommercePlatform(box)
    box.call(
        "POST",
        "/v3/catalog/products",
        {
            "name": "Kit",
            "type": "physical",
            "weight": 1,
            "price": 20,
            "sku": "KIT-001",
            "inventory_tracking": "product",
            "inventory_level": 41,
        },
    )
    box.call(
        "POST",
        "/v3/catalog/products",
        {
            "name": "Bougie",
            "type": "physical",
            "weight": 1,
            "price": 14.9,
            "sku": "CANDLE",
            "inventory_tracking": "variant",
            "variants": [
                {
                    "sku": "CANDLE-FIG",
                    "inventory_level": 10,
                    "option_values": [{"option_display_name": "Parfum", "label": "Figue"}],
                },
                {
                    "sku": "CANDLE-ROSE",
                    "inventory_level": 4,
                    "option_values": [{"option_display_name": "Parfum", "label": "Rose"}],
                },
            ],
        },
    )
    box.call(
        "POST",
        "/v3/catalog/products",
        {"name": "Gift card", "type": "digital", "weight": 0, "price": 30, "sku": "GIFT"},
    )
    try:
        yield platform
    finally:
        box.stop()


def _stock(shop: BigCommercePlatform, sku: str) -> int | None:
    return shop.view.products()[sku].stock


def _setting(shop: BigCommercePlatform, **values: Any) -> None:
    shop.sandbox.call("PUT", "/v3/settings/inventory", values)


def test_the_default_setting_lowers_stock_when_the_order_is_placed(
    shop: BigCommercePlatform,
) -> None:
    settings = shop.sandbox.call("GET", "/v3/settings/inventory")["data"]
    assert settings["update_stock_behavior"] == "order_placed"
    assert settings["refund_order_stock_adjustment"] is True
    for state in ("pending", "paid", "on_hold"):
        shop.place_order({"KIT-001": 2}, state=state)
    assert _stock(shop, "KIT-001") == 35


def test_a_variant_tracked_product_lowers_the_variant_sold(shop: BigCommercePlatform) -> None:
    shop.place_order({"CANDLE-FIG": 3, "CANDLE-ROSE": 1})
    assert (_stock(shop, "CANDLE-FIG"), _stock(shop, "CANDLE-ROSE")) == (7, 3)
    assert _stock(shop, "CANDLE") == 10  # the product shows the sum of its variants


def test_an_untracked_product_has_no_stock_to_lower(shop: BigCommercePlatform) -> None:
    shop.place_order({"GIFT": 5})
    assert _stock(shop, "GIFT") is None


@pytest.mark.parametrize("state", ["cancelled", "refunded"])
def test_cancelling_or_refunding_gives_the_units_back(
    shop: BigCommercePlatform, state: str
) -> None:
    order = shop.place_order({"KIT-001": 5})
    shop.set_order_state(order, state)
    assert _stock(shop, "KIT-001") == 41
    shop.set_order_state(order, state)  # told twice: nothing more
    assert _stock(shop, "KIT-001") == 41


def test_without_the_refund_adjustment_cancelling_keeps_the_stock_lowered(
    shop: BigCommercePlatform,
) -> None:
    _setting(shop, refund_order_stock_adjustment=False)
    order = shop.place_order({"KIT-001": 5})
    shop.set_order_state(order, "cancelled")
    assert _stock(shop, "KIT-001") == 36


def test_status_changes_between_open_statuses_never_lower_twice(shop: BigCommercePlatform) -> None:
    order = shop.place_order({"KIT-001": 4}, state="pending")
    shop.set_order_state(order, "on_hold")
    shop.set_order_state(order, "paid")
    shop.set_order_state(order, "shipped")
    assert _stock(shop, "KIT-001") == 37
    assert shop.sandbox.data["orders"][order]["status_id"] == 2


def test_completed_or_shipped_setting_lowers_stock_only_at_shipment(
    shop: BigCommercePlatform,
) -> None:
    _setting(shop, update_stock_behavior="order_completed_or_shipped")
    order = shop.place_order({"KIT-001": 6})
    assert _stock(shop, "KIT-001") == 41
    shop.set_order_state(order, "shipped")
    assert _stock(shop, "KIT-001") == 35
    shop.set_order_state(order, "refunded")
    assert _stock(shop, "KIT-001") == 41
    cancelled = shop.place_order({"KIT-001": 2})
    shop.set_order_state(cancelled, "cancelled")  # never lowered: nothing to give back
    assert _stock(shop, "KIT-001") == 41


def test_a_checkout_cannot_buy_more_than_the_stock(shop: BigCommercePlatform) -> None:
    with pytest.raises(ApiError) as refused:
        shop.place_order({"KIT-001": 42})
    assert refused.value.status == 400 and "Not enough stock" in refused.value.title
    assert _stock(shop, "KIT-001") == 41 and shop.view.orders() == {}


def test_the_settings_refuse_a_value_the_page_does_not_allow(shop: BigCommercePlatform) -> None:
    with pytest.raises(ApiError) as refused:
        _setting(shop, update_stock_behavior="order_paid", edit_order_stock_adjustment="yes")
    assert refused.value.status == 422
    assert set(refused.value.errors) == {"update_stock_behavior", "edit_order_stock_adjustment"}


def test_deleting_a_variant_or_product_removes_it(shop: BigCommercePlatform) -> None:
    shop.delete_product("CANDLE-ROSE")
    assert "CANDLE-ROSE" not in shop.view.products() and "CANDLE-FIG" in shop.view.products()
    shop.delete_product("KIT-001")
    assert "KIT-001" not in shop.view.products()


def _connector(shop: BigCommercePlatform) -> BigCommerceShop:
    box = shop.sandbox
    return BigCommerceShop(
        box.url, box.store_hash, TOKEN, options=HttpOptions(verify=box.ca_bundle, backoff_base=0.05)
    )


def test_open_orders_are_those_holding_stock_under_each_setting(shop: BigCommercePlatform) -> None:
    placed = {
        state: shop.place_order({"KIT-001": 1}, state=state)
        for state in ("pending", "paid", "on_hold")
    }
    done = {
        state: shop.place_order({"KIT-001": 1}) for state in ("shipped", "cancelled", "refunded")
    }
    for state, order in done.items():
        shop.set_order_state(order, state)
    with _connector(shop) as connector:
        assert connector.holds_reservations is False
        ids = {o.source_id for o in connector.iter_open_orders() if not isinstance(o, Exception)}
        assert ids == set(placed.values())
        # Shipping lowers stock under this setting: the orders sold and not shipped are
        # still offered by the store, so they are open; the unpaid one is not sold yet.
        _setting(shop, update_stock_behavior="order_completed_or_shipped")
        ids = {o.source_id for o in connector.iter_open_orders() if not isinstance(o, Exception)}
        assert ids == {placed["paid"], placed["on_hold"]}


def test_the_settings_need_the_token(shop: BigCommercePlatform) -> None:
    box = shop.sandbox
    with httpx.Client(verify=ssl.create_default_context(cafile=str(box.ca_bundle))) as raw:
        answer = raw.get(f"{box.url}/stores/{box.store_hash}/v3/settings/inventory")
    assert answer.status_code == 401


def _ledger_holds(box: BigCommerceSandbox, start: int, sold: dict[str, int]) -> None:
    """The level is the starting stock less the units of the orders whose stock is out."""
    out = box.data.get("order_stock", {})
    level = next(p for p in box.data["products"].values() if p["sku"] == "KIT-001")
    assert level["inventory_level"] == start - sum(q for o, q in sold.items() if out.get(o))
    assert level["inventory_level"] >= 0


def test_any_sequence_of_checkouts_and_status_changes_keeps_the_ledger(tmp_path: Path) -> None:
    """Hypothesis: whatever the setting and the merchant's clicks, the level is the start less
    the orders holding stock, never below zero, and back to the start once every order is
    cancelled or refunded (with the refund adjustment on)."""
    from hypothesis import HealthCheck, given, settings
    from hypothesis import strategies as st

    steps = st.lists(
        st.tuples(
            st.sampled_from(["pending", "paid", "on_hold", "shipped", "cancelled", "refunded"]),
            st.integers(1, 6),
            st.integers(0, 20),
        ),
        max_size=25,
    )

    @settings(
        max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
    )
    @given(behavior=st.sampled_from(["order_placed", "order_completed_or_shipped"]), steps=steps)
    def run(behavior: str, steps: list[tuple[str, int, int]]) -> None:
        box = BigCommerceSandbox(None, token=TOKEN, cert_dir=tmp_path / "tls", seed=False)
        shop = BigCommercePlatform(box)
        box.call("PUT", "/v3/settings/inventory", {"update_stock_behavior": behavior})
        box.call(
            "POST",
            "/v3/catalog/products",
            {
                "name": "Kit",
                "type": "physical",
                "weight": 1,
                "price": 20,
                "sku": "KIT-001",
                "inventory_tracking": "product",
                "inventory_level": 30,
            },
        )
        sold: dict[str, int] = {}
        for state, quantity, pick in steps:
            if state in ("pending", "paid", "on_hold") or not sold:
                try:
                    order = shop.place_order(
                        {"KIT-001": quantity},
                        state=state if state in ("pending", "paid", "on_hold") else "paid",
                    )
                except ApiError as refused:
                    assert refused.status == 400  # more than the stock: not sold
                    continue
                sold[order] = quantity
            else:
                order = sorted(sold)[pick % len(sold)]
                status = box.data["orders"][order]["status_id"]
                if status in (4, 5) or (status == 2 and state in ("paid", "on_hold")):
                    continue  # a closed or shipped order is not reopened by these clicks
                shop.set_order_state(order, state)
            _ledger_holds(box, 30, sold)
        for order in sold:
            if box.data["orders"][order]["status_id"] not in (4, 5):
                shop.set_order_state(order, "refunded")
        _ledger_holds(box, 30, sold)
        assert shop.view.products()["KIT-001"].stock == 30

    run()


def _edit(shop: BigCommercePlatform, order: str, quantity: int) -> None:
    line = shop.sandbox.data["order_products"][order][0]
    shop.sandbox.call(
        "PUT", f"/v2/orders/{order}", {"products": [{"id": line["id"], "quantity": quantity}]}
    )


def test_editing_an_order_quantity_moves_the_stock_when_the_setting_says_so(
    shop: BigCommercePlatform,
) -> None:
    order = shop.place_order({"KIT-001": 5})
    _edit(shop, order, 2)
    assert _stock(shop, "KIT-001") == 39
    _setting(shop, edit_order_stock_adjustment=False)
    _edit(shop, order, 4)
    assert _stock(shop, "KIT-001") == 39
    assert shop.sandbox.data["orders"][order]["items_total"] == 4
