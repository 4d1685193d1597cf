"""The WooCommerce connector's issue-12 members against the sandbox: open orders, the
shop's references, and writes to products the merchant deleted in the shop."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

import pytest

from passerelle.connectors.base import ProductWrite, WriteOutcome
from passerelle.connectors.errors import NotFoundError
from passerelle.connectors.http import HttpOptions
from passerelle.connectors.woocommerce.connector import WooCommerceShop
from passerelle.model import Order, ProductAttribute, ProductDraft
from passerelle.sandbox.woocommerce.platform import WooPlatform, start

API = "/wp-json/wc/v3"


@pytest.fixture()
def platform(tmp_path: Path) -> Iterator[WooPlatform]:
    started = start(tmp_path)
    yield started
    started.stop()


@pytest.fixture()
def shop(platform: WooPlatform) -> Iterator[WooCommerceShop]:
    with WooCommerceShop(
        platform.url, "ck_demo", "cs_demo", options=HttpOptions(verify=platform.sandbox.ca_bundle)
    ) as connector:
        yield connector


def _simple(sku: str, stock: int = 10) -> ProductDraft:
    return ProductDraft(
        sku=sku, name=f"Produit {sku}", regular_price=Decimal("12.00"), stock_quantity=stock
    )


def test_open_orders_are_the_processing_and_on_hold_ones_read_by_page(
    platform: WooPlatform, shop: WooCommerceShop
) -> None:
    [made] = shop.write_products([ProductWrite("k", _simple("OPEN-1"))])
    paid = platform.place_order({"OPEN-1": 1})
    held = platform.place_order({"OPEN-1": 1}, state="on_hold")
    pending = platform.place_order({"OPEN-1": 1}, state="pending")
    shipped = platform.place_order({"OPEN-1": 1})
    platform.set_order_state(shipped, "shipped")
    platform.reset_requests()
    found = [o for o in shop.iter_open_orders()]
    assert all(isinstance(o, Order) for o in found)
    ids = {o.source_id for o in found if isinstance(o, Order)}
    expected = {
        str(o["id"])
        for o in platform.sandbox.data.orders.values()
        if o["status"] in ("processing", "on-hold")
    }
    assert ids == expected and {paid, held} <= ids and not {pending, shipped} & ids
    assert platform.requests.count(("GET", f"{API}/orders")) == 1  # one page of 100
    assert shop.holds_reservations is False


def test_missing_references_name_every_missing_one_per_kind(
    platform: WooPlatform, shop: WooCommerceShop
) -> None:
    platform.reset_requests()
    assert shop.missing_references(
        "tax_class", ["", "standard", "reduced-rate", "Zero rate", "super-reduced"]
    ) == {"super-reduced"}
    assert shop.missing_references("payment_method", ["stripe", "bacs", "klarna"]) == {"klarna"}
    assert shop.missing_references(
        "order_status", ["processing", "wc-on-hold", "wc-awaiting-shipment"]
    ) == {"wc-awaiting-shipment"}
    assert shop.missing_references(
        "shipping_method", ["flat_rate:3", "local_pickup", "chronopost"]
    ) == {"chronopost"}
    assert shop.missing_references("tax_class", []) == set()
    assert platform.requests == [
        ("GET", f"{API}/taxes/classes"),
        ("GET", f"{API}/payment_gateways"),
        ("GET", f"{API}/reports/orders/totals"),
        ("GET", f"{API}/shipping_methods"),
    ]
    with pytest.raises(ValueError, match="unknown shop reference kind"):
        shop.missing_references("warehouse", ["x"])


def test_a_product_deleted_in_the_shop_is_gone_for_stock_and_price_updates(
    platform: WooPlatform, shop: WooCommerceShop
) -> None:
    [made] = shop.write_products([ProductWrite("item-7", _simple("GONE-1"))])
    platform.delete_product("GONE-1")
    for fields in ({"stock_quantity"}, {"regular_price", "sale_price"}):
        [outcome] = shop.write_products(
            [
                ProductWrite(
                    "item-7", _simple("GONE-1", 4), shop_id=made.shop_id, fields=frozenset(fields)
                )
            ]
        )
        assert outcome.gone and not outcome.ok
        assert outcome.error is not None and "item-7" in outcome.error
    # A refused creation (a SKU taken, whatever its case) is an error, never "gone".
    [again] = shop.write_products([ProductWrite("x", _simple("gone-1"))])
    assert again.ok
    [taken] = shop.write_products([ProductWrite("z", _simple("Gone-1"))])
    assert not taken.ok and not taken.gone and "product_invalid_sku" in str(taken.error)


def test_a_variation_deleted_in_the_shop_or_with_its_parent_is_gone(
    platform: WooPlatform, shop: WooCommerceShop
) -> None:
    axis = ProductAttribute(name="Parfum", options=("Figue", "Ambre"), variation=True)
    [parent] = shop.write_products(
        [
            ProductWrite(
                "p",
                ProductDraft(
                    sku="CND",
                    name="Bougie parfumée",
                    regular_price=Decimal("0"),
                    kind="variable",
                    attributes=(axis,),
                ),
            )
        ]
    )
    variations = shop.write_variations(
        str(parent.shop_id),
        [
            ProductWrite(
                f"v{n}",
                ProductDraft(
                    sku=f"CND-{n}",
                    name=n,
                    regular_price=Decimal("14.90"),
                    kind="variation",
                    variation_options=(("Parfum", n),),
                    stock_quantity=3,
                ),
            )
            for n in ("Figue", "Ambre")
        ],
    )
    platform.delete_product("CND-Figue")
    assert _stock_update(shop, "vFigue", "CND-Figue", variations[0].shop_id).gone
    platform.delete_product("CND")
    assert _stock_update(shop, "vAmbre", "CND-Ambre", variations[1].shop_id).gone


def _stock_update(shop: WooCommerceShop, key: str, sku: str, shop_id: str | None) -> WriteOutcome:
    [outcome] = shop.write_products(
        [
            ProductWrite(
                key,
                ProductDraft(
                    sku=sku,
                    name=sku,
                    regular_price=Decimal("13"),
                    kind="variation",
                    stock_quantity=2,
                ),
                shop_id=shop_id,
                fields=frozenset({"stock_quantity"}),
            )
        ]
    )
    return outcome


def test_skus_are_found_whatever_their_case_one_by_one_or_by_the_catalogue_walk(
    shop: WooCommerceShop,
) -> None:
    made = shop.write_products([ProductWrite(f"k{n}", _simple(f"CASE-{n}")) for n in range(6)])
    ids = [o.shop_id for o in made]
    assert shop.find_products_by_sku(["case-0"]) == {"case-0": ids[0]}
    lowered = [f"case-{n}" for n in range(6)]
    assert shop.find_products_by_sku(lowered) == dict(zip(lowered, ids, strict=True))


def test_writing_the_sale_number_on_a_deleted_order_names_it(
    platform: WooPlatform, shop: WooCommerceShop
) -> None:
    # The shop answers 400 woocommerce_rest_shop_order_invalid_id to the update.
    with pytest.raises(NotFoundError, match="order 424242 no longer exists in the shop"):
        shop.write_order_result("424242", document_number="SO1", status=None)
