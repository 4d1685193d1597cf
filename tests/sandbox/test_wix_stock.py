"""What a Wix site does around the API (passerelle/sandbox/wix): a placed order lowers the
tracked inventory of what it sold (V3: the variant's inventory item at the default location,
"Inventory Items API: Sample Flows"; V1: "About the Inventory API", track modes), cancelling
with ``restockAllItems`` gives it back, fulfillments complete the order; the platform hooks
and the neutral view the conformance suite reads."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from passerelle.sandbox.wix import WixSandbox
from passerelle.sandbox.wix.platform import WixPlatform, start
from passerelle.sandbox.wix.wire import WixError


@pytest.fixture
def v3(tmp_path: Path) -> Iterator[WixPlatform]:
    box = WixSandbox(tmp_path / "wix.json", cert_dir=tmp_path / "tls", seed=False)
    platform = WixPlatform(box)
    yield platform
    box.stop()


@pytest.fixture
def v1(tmp_path: Path) -> Iterator[WixPlatform]:
    box = WixSandbox(tmp_path / "wix1.json", cert_dir=tmp_path / "tls", seed=False, catalog="v1")
    platform = WixPlatform(box)
    yield platform
    box.stop()


def v3_candle(box: WixSandbox, quantities: dict[str, int | None]) -> dict[str, Any]:
    """A product with a scent option, one variant a scent, created with its inventory."""
    variants = [
        {
            "sku": f"CND-{scent}",
            "price": {"actualPrice": {"amount": "12.50"}},
            "choices": [{"optionChoiceNames": {"optionName": "Parfum", "choiceName": scent}}],
            "inventoryItem": {"quantity": q} if q is not None else {"inStock": True},
        }
        for scent, q in quantities.items()
    ]
    product = {
        "name": "Bougie",
        "productType": "PHYSICAL",
        "physicalProperties": {},
        "options": [
            {
                "name": "Parfum",
                "choicesSettings": {"choices": [{"name": scent} for scent in quantities]},
            }
        ],
        "variantsInfo": {"variants": variants},
    }
    return box.call("POST", "/stores/v3/products-with-inventory", {"product": product})["product"]


def test_a_paid_order_lowers_the_v3_inventory_of_the_variant_sold(v3: WixPlatform) -> None:
    v3_candle(v3.sandbox, {"Figue": 10, "Vanille": 4})
    v3.place_order({"CND-Figue": 3}, state="paid")
    products = v3.view.products()
    assert products["CND-Figue"].stock == 7
    assert products["CND-Vanille"].stock == 4


def test_an_untracked_v3_variant_has_no_quantity_to_lower(v3: WixPlatform) -> None:
    v3_candle(v3.sandbox, {"Figue": None})
    v3.place_order({"CND-Figue": 2})
    assert v3.view.products()["CND-Figue"].stock is None


def test_a_paid_order_lowers_the_v1_inventory(v1: WixPlatform) -> None:
    box = v1.sandbox
    product = box.call(
        "POST",
        "/stores/v1/products",
        {"product": {"name": "Bol", "priceData": {"price": 8}, "sku": "BOL-001"}},
    )["product"]
    variant = product["variants"][0]["id"]
    box.call(
        "PATCH",
        f"/stores/v2/inventoryItems/product/{product['id']}",
        {
            "inventoryItem": {
                "trackQuantity": True,
                "variants": [{"variantId": variant, "quantity": 9}],
            }
        },
    )
    order_id = v1.place_order({"BOL-001": 4})
    assert v1.view.products()["BOL-001"].stock == 5
    order = box.call("GET", f"/ecom/v1/orders/{order_id}")["order"]
    assert order["paymentStatus"] == "PAID"
    assert order["lineItems"][0]["catalogReference"]["catalogItemId"] == product["id"]
    assert v1.view.orders()[order_id].total == Decimal("38.40")  # 4 x 8.00 + 20 % tax


def test_cancelling_with_restock_gives_the_units_back(v3: WixPlatform) -> None:
    v3_candle(v3.sandbox, {"Figue": 10})
    order_id = v3.place_order({"CND-Figue": 3})
    v3.set_order_state(order_id, "cancelled")
    assert v3.view.products()["CND-Figue"].stock == 10
    assert v3.view.orders()[order_id].paid is False
    with pytest.raises(WixError) as refused:
        v3.sandbox.call("POST", f"/ecom/v1/orders/{order_id}/cancel", {})
    assert refused.value.status == 428


def test_a_pending_order_is_paid_by_the_merchant(v3: WixPlatform) -> None:
    v3_candle(v3.sandbox, {"Figue": 10})
    order_id = v3.place_order({"CND-Figue": 1}, state="pending")
    assert v3.view.orders()[order_id].paid is False
    v3.set_order_state(order_id, "paid")
    assert v3.view.orders()[order_id].paid is True
    assert v3.view.products()["CND-Figue"].stock == 9  # lowered once, at the checkout


def test_fulfillments_complete_the_order_and_never_exceed_it(v3: WixPlatform) -> None:
    v3_candle(v3.sandbox, {"Figue": 10})
    order_id = v3.place_order({"CND-Figue": 2})
    box = v3.sandbox
    line = box.data["orders"][order_id]["lineItems"][0]["id"]
    path = f"/ecom/v1/fulfillments/orders/{order_id}/create-fulfillment"
    box.call(
        "POST",
        path,
        {
            "fulfillment": {
                "lineItems": [{"id": line, "quantity": 1}],
                "trackingInfo": {"trackingNumber": "1Z1"},
            }
        },
    )
    assert box.data["orders"][order_id]["fulfillmentStatus"] == "PARTIALLY_FULFILLED"
    with pytest.raises(WixError):
        box.call("POST", path, {"fulfillment": {"lineItems": [{"id": line, "quantity": 2}]}})
    box.call("POST", path, {"fulfillment": {"lineItems": [{"id": line, "quantity": 1}]}})
    assert box.data["orders"][order_id]["fulfillmentStatus"] == "FULFILLED"
    listed = box.call("GET", f"/ecom/v1/fulfillments/orders/{order_id}")
    assert [
        f["trackingInfo"].get("trackingNumber")
        for f in listed["orderWithFulfillments"]["fulfillments"]
    ] == ["1Z1", None]


def test_shipping_fulfills_every_line_with_a_tracking_number(v3: WixPlatform) -> None:
    v3_candle(v3.sandbox, {"Figue": 10, "Vanille": 10})
    order_id = v3.place_order({"CND-Figue": 2, "CND-Vanille": 1})
    v3.set_order_state(order_id, "shipped")
    order = v3.sandbox.data["orders"][order_id]
    assert order["fulfillmentStatus"] == "FULFILLED"
    (fulfillment,) = v3.sandbox.data["fulfillments"][order_id]
    assert fulfillment["trackingInfo"]["trackingNumber"]
    assert sorted(i["quantity"] for i in fulfillment["lineItems"]) == [1, 2]


def test_a_decrement_past_the_stock_is_refused_unless_inventory_is_not_restricted(
    v3: WixPlatform,
) -> None:
    product = v3_candle(v3.sandbox, {"Figue": 2})
    variant = product["variantsInfo"]["variants"][0]["id"]
    path = "/stores/v3/bulk/inventory-items/decrement-by-variant-and-location"
    with pytest.raises(WixError) as refused:
        v3.sandbox.call(
            "POST",
            path,
            {
                "decrementData": [{"variantId": variant, "decrementBy": 3}],
                "restrictInventory": True,
            },
        )
    assert (refused.value.status, refused.value.code) == (428, "INSUFFICIENT_INVENTORY")
    v3.sandbox.call(
        "POST",
        path,
        {"decrementData": [{"variantId": variant, "decrementBy": 3}], "restrictInventory": False},
    )
    assert v3.view.products()["CND-Figue"].stock == -1


def test_inventory_updates_need_the_current_revision(v3: WixPlatform) -> None:
    product = v3_candle(v3.sandbox, {"Figue": 2})
    item = v3.sandbox.inventory_v3.of_variant(product["variantsInfo"]["variants"][0]["id"])
    assert item is not None
    path = "/stores/v3/bulk/inventory-items/update"
    stale = v3.sandbox.call(
        "POST",
        path,
        {
            "inventoryItems": [
                {"inventoryItem": {"id": item["id"], "revision": "99", "quantity": 50}}
            ]
        },
    )
    assert stale["results"][0]["itemMetadata"]["success"] is False
    fresh = v3.sandbox.call(
        "POST",
        path,
        {
            "inventoryItems": [
                {"inventoryItem": {"id": item["id"], "revision": item["revision"], "quantity": 50}}
            ]
        },
    )
    assert fresh["bulkActionMetadata"]["totalSuccesses"] == 1
    assert v3.view.products()["CND-Figue"].stock == 50


def test_deleting_a_product_removes_it_and_its_inventory(v3: WixPlatform) -> None:
    v3_candle(v3.sandbox, {"Figue": 2})
    v3.delete_product("CND-Figue")
    assert v3.view.products() == {}
    assert v3.sandbox.data["inventory"] == {}


def test_deleting_a_v3_variant_keeps_the_product_and_its_other_variants(v3: WixPlatform) -> None:
    v3_candle(v3.sandbox, {"Figue": 2, "Vanille": 3})
    v3.delete_product("CND-Figue")
    products = v3.view.products()
    assert sorted(products) == ["CND-Vanille"]
    assert products["CND-Vanille"].stock == 3
    assert len(v3.sandbox.data["inventory"]) == 1


def test_a_checkout_cannot_take_more_than_a_tracked_quantity(v3: WixPlatform) -> None:
    v3_candle(v3.sandbox, {"Figue": 2})
    with pytest.raises(ValueError, match="in stock"):
        v3.place_order({"CND-Figue": 3})
    assert v3.sandbox.data["orders"] == {}
    assert v3.view.products()["CND-Figue"].stock == 2


def test_start_serves_the_seeded_site_and_its_profile(tmp_path: Path) -> None:
    platform = start(tmp_path, catalog="v1")
    try:
        assert platform.kind == "wix"
        shop = platform.profile_shop()
        assert shop["api_url"] == platform.url and shop["site_id"] == platform.sandbox.site_id
        env = shop["api_key"].removeprefix("env:")
        assert platform.secrets() == {env: platform.sandbox.api_key}
        assert platform.sandbox.catalog == "v1"
        assert len(platform.view.orders()) == 31
        assert "jeanne.martin@example.org" in platform.view.customers()
    finally:
        platform.stop()
    assert (tmp_path / "wix.json").exists()
    again = start(tmp_path)  # the state file keeps the site: its catalog stays V1
    try:
        assert again.sandbox.catalog == "v1"
    finally:
        again.stop()
