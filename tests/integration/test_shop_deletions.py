"""Issue 12, items 2 and 4: what the shop no longer has, or cannot hold.

A product deleted in the shop answers the next update with "invalid id": the
export drops the product's bindings (product, price, stock), says so naming the
shop's id and our reference, and the export after creates it again. A
picture a variable product shares with its variation is downloaded by the
shop once, the variation referring to the file the parent's write created.
WooCommerce core cannot disable a customer account: the journal says so, and
never that the account was disabled.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

from passerelle.demo_data import CANDLE_ITEMS, ITEMS, demo_png
from passerelle.flows.exporting import PRODUCT_KINDS
from passerelle.runner import RunSummary
from tests.integration.catalogue_helpers import (
    file_server,
    product_by_sku,
    run_counting,
    set_product,
    sha256,
    variations_of,
    with_options,
)
from tests.integration.conftest import World
from tests.integration.test_customer_features import edit_party
from tests.integration.test_flow_rules import api


def run(world: World, flow: str = "export-products") -> RunSummary:
    summary = world.run(flow)
    assert summary.status == "succeeded", summary
    return summary


def journal(world: World, summary: RunSummary) -> list[str]:
    return [line.text for line in world.store.journal(summary.run_id)]


def deleted_then_repriced(world: World, code: str, price: Decimal) -> dict[str, Any]:
    """Export, delete the product in the shop, change its price in the back-office."""
    run(world)
    deleted = product_by_sku(world, code)
    answer = api(world, "DELETE", f"products/{deleted['id']}?force=true")
    assert answer.is_success, answer.text
    set_product(world, code, list_price=price)
    return deleted


def assert_unbound(world: World, shop_id: str) -> None:
    """No binding of the product (nor of its price, stock or state) points at ``shop_id``."""
    for kind in PRODUCT_KINDS:
        bound = world.store.bindings(world.profile.name, kind).values()
        assert not any(b.remote_id == shop_id for b in bound), kind


def test_a_product_deleted_in_the_shop_is_created_again_by_the_next_export(
    world: World,
) -> None:
    item = ITEMS[0]
    price = item.price + Decimal(1)
    deleted = deleted_then_repriced(world, item.code, price)

    found = run(world)  # the export updates a product the shop no longer has
    expected = (
        f"{item.code}: the shop's product {deleted['id']} no longer exists (deleted "
        "in the shop); it will be created again by the next product export"
    )
    assert any(expected in line for line in journal(world, found)), journal(world, found)
    assert found.counts["failed"] == 0
    assert_unbound(world, str(deleted["id"]))

    again = run(world)
    assert again.counts["created"] == 1 and again.counts["failed"] == 0
    created = product_by_sku(world, item.code)
    assert created["id"] != deleted["id"]
    assert created["regular_price"] == str(price)
    assert created["stock_quantity"] == deleted["stock_quantity"]


def test_a_product_a_price_update_finds_deleted_is_created_by_the_next_export(
    world: World,
) -> None:
    item = ITEMS[1]
    price = item.price + Decimal(2)
    deleted = deleted_then_repriced(world, item.code, price)

    prices = run(world, "update-prices")
    assert any(
        f"{item.code}: the shop's product {deleted['id']} no longer exists" in line
        and "created again by the next product export" in line
        for line in journal(world, prices)
    )
    assert_unbound(world, str(deleted["id"]))

    again = run(world)
    assert again.counts["created"] == 1
    assert product_by_sku(world, item.code)["regular_price"] == str(price)


def test_a_variable_product_deleted_in_the_shop_comes_back_with_its_variations(
    world: World,
) -> None:
    first = min(CANDLE_ITEMS, key=lambda i: i.code)  # the parent reads its first variant
    sku = first.template.rstrip("-")
    run(world)
    deleted = product_by_sku(world, sku)
    assert api(world, "DELETE", f"products/{deleted['id']}?force=true").is_success
    set_product(world, first.code, description="Bougie parfumée, 40 h de combustion.")

    found = run(world)
    assert any(
        f"the shop's product {deleted['id']} no longer exists" in line
        for line in journal(world, found)
    )
    bound = world.store.bindings(world.profile.name, "product")
    assert not any(
        b.remote_id.startswith(f"{deleted['id']}") for b in bound.values() if b.remote_id
    )

    again = run(world)
    assert again.counts["created"] == 1 + len(CANDLE_ITEMS), again.counts
    parent = product_by_sku(world, sku)
    assert sorted(variations_of(world, parent)) == sorted(i.code for i in CANDLE_ITEMS)


def test_an_image_shared_by_a_parent_and_its_variation_is_downloaded_once(
    world: World, tmp_path: Path
) -> None:
    first = min(CANDLE_ITEMS, key=lambda i: i.code)  # the parent reads its first variant
    images, published = tmp_path / "images", tmp_path / "public"
    images.mkdir()
    picture = demo_png((120, 40, 200))
    (images / f"{first.code}_01.png").write_bytes(picture)
    with file_server(published) as url:
        profile = with_options(
            world,
            media={
                "images_folder": str(images),
                "publish_dir": str(published),
                "public_url": url,
                "item_images": False,
            },
        )
        run_counting(world, "export-products", profile)

    downloads = [digest for _url, digest in world.sandbox.downloads]
    assert downloads.count(sha256(picture)) == 1, downloads
    parent = product_by_sku(world, first.template.rstrip("-"))
    variation = variations_of(world, parent)[first.code]
    # The sandbox keeps attachment ids: both show the one attachment.
    assert parent["images"] and variation["image"] == parent["images"][0]


def test_disabling_a_customer_is_journaled_as_not_supported_never_as_updated(
    world: World,
) -> None:
    run(world, "export-customers")
    edit_party(world, "C0005", active=False)
    summary = run(world, "export-customers")
    lines = [line for line in journal(world, summary) if "C0005" in line]
    assert any(
        "C0005: account disabled in the back-office — disabling an account is not "
        "supported on this platform" in line
        for line in lines
    ), lines
    assert not any("updated" in line or "is disabled" in line for line in lines), lines
    # Said once: the next run has nothing new to send.
    assert run(world, "export-customers").counts["updated"] == 0
