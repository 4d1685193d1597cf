"""Previews of export runs, against Tryton and the WooCommerce sandbox: nothing is written.

What a merchant wary of bulk overwrites checks before a run: which products
the run would create, which it would update and, field by field, the value
the shop holds from the last run and the one it would receive. Then the real
run sends exactly that.
"""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

from sqlalchemy import text
from typer.testing import CliRunner

from passerelle.cli.main import app
from passerelle.demo_data import CATALOGUE_ITEMS, CATEGORIES, ITEMS, UNPUBLISHED_ITEMS
from passerelle.flows.preview import FlowPreview, untag
from passerelle.profiles import Profile, ProfileRepository
from passerelle.runner.preview import preview_flow
from tests.integration.catalogue_helpers import product_by_sku, with_options
from tests.integration.conftest import World
from tests.integration.test_flow_rules import set_template

# Every table a run writes to, dumped whole: a preview must leave each as it was.
_TABLES = ("bindings", "sent_contents", "bookmarks", "runs", "journal_lines", "parked")


def _store_rows(world: World) -> dict[str, list[Any]]:
    with world.store.engine.connect() as connection:
        return {
            table: [tuple(row) for row in connection.execute(text(f"SELECT * FROM {table}"))]
            for table in _TABLES
        }


def _preview(world: World, flow: str, profile: Profile | None = None) -> FlowPreview:
    """The preview, and proof that it sent the shop no write and left the store as it was."""
    before = _store_rows(world)
    world.sandbox.reset_requests()
    preview = preview_flow(
        profile or world.profile, flow, store=world.store, data_dir=world.data_dir
    )
    assert [r for r in world.sandbox.requests if r[0] != "GET"] == []  # the request log
    assert _store_rows(world) == before
    return preview


def _change(preview: FlowPreview, label: str, field: str) -> tuple[Any, Any]:
    (record,) = [r for r in preview.records if r.label == label]
    assert record.action == "update"
    (change,) = [c for c in record.changes if c.field == field]
    assert change.known
    return untag(change.before), untag(change.after)


def test_a_price_changed_in_tryton_previews_old_and_new_price_and_sends_nothing(
    world: World,
) -> None:
    assert world.run("export-products").status == "succeeded"
    item = ITEMS[0]
    old_price = product_by_sku(world, item.code)["regular_price"]
    assert _preview(world, "export-products").nothing_to_do

    set_template(world, item.code, list_price=item.price + Decimal("1.15"))
    preview = _preview(world, "export-products")
    assert [r.label for r in preview.records] == [item.code]
    before, after = _change(preview, item.code, "regular_price")
    assert before == old_price
    assert after != before
    assert preview.unchanged > 0
    # The price flow sees the same change, from what the product export sent.
    assert _change(_preview(world, "update-prices"), item.code, "regular_price") == (before, after)
    assert product_by_sku(world, item.code)["regular_price"] == old_price  # nothing was sent

    assert world.run("export-products").counts["updated"] == 1
    assert product_by_sku(world, item.code)["regular_price"] == after  # what the preview said
    assert _preview(world, "export-products").nothing_to_do


def test_products_not_yet_exported_preview_as_created(world: World) -> None:
    published_only: Profile = with_options(world, only_published=True)
    assert world.run("export-products", published_only).status == "succeeded"

    preview = _preview(world, "export-products")
    assert sorted(r.label for r in preview.creates) == sorted(UNPUBLISHED_ITEMS)
    assert preview.updates == []
    assert all(r.changes == () and r.shop_id is None for r in preview.creates)

    world.run("export-products")
    assert {p["sku"] for p in world.sandbox.data.products.values()} >= set(UNPUBLISHED_ITEMS)
    assert _preview(world, "export-products").nothing_to_do


def test_a_record_bound_before_contents_were_kept_shows_unknown_before(world: World) -> None:
    assert world.run("export-products").status == "succeeded"
    with world.store.engine.begin() as connection:  # a store written by an earlier version
        connection.execute(text("DELETE FROM sent_contents"))
    item = ITEMS[0]
    set_template(world, item.code, list_price=item.price + Decimal("2.00"))

    (record,) = _preview(world, "export-products").records
    (price,) = [c for c in record.changes if c.field == "regular_price"]
    assert (price.known, price.before) == (False, None)
    assert untag(price.after) == str(item.price + Decimal("2.00"))


def test_the_preview_command_prints_before_and_after_and_its_json(world: World) -> None:
    ProfileRepository(world.data_dir).save(world.profile)
    assert world.run("export-products").status == "succeeded"
    item = ITEMS[0]
    old_price = product_by_sku(world, item.code)["regular_price"]
    set_template(world, item.code, list_price=item.price + Decimal("1.15"))
    world.store.close()  # the CLI opens the data directory's store itself
    runner = CliRunner()
    data = ["--profile", "demo", "--data-dir", str(world.data_dir)]
    world.sandbox.reset_requests()

    table = runner.invoke(app, ["preview", "export-products", *data])
    assert table.exit_code == 0, table.output
    assert "0 to create, 1 to update" in table.output
    row = next(line for line in table.output.splitlines() if "Price" in line)  # its title
    assert row.split()[:2] == [item.code, "update"]
    assert f"{old_price} → " in row
    as_json = runner.invoke(app, ["preview", "export-products", "--json", *data])
    assert as_json.exit_code == 0, as_json.output
    (record,) = json.loads(as_json.output)["records"]
    (price,) = [c for c in record["changes"] if c["field"] == "regular_price"]
    assert price["before"] == old_price and price["after"] in row
    assert [r for r in world.sandbox.requests if r[0] != "GET"] == []

    refused = runner.invoke(app, ["preview", "import-orders", *data])
    assert refused.exit_code == 2 and "cannot be previewed" in refused.output


def test_before_the_first_run_every_export_previews_its_records_as_created(world: World) -> None:
    products = _preview(world, "export-products")
    assert {r.kind for r in products.records} == {"category", "product"}
    assert products.updates == [] and products.unchanged == 0
    # Variations too, under the parent the same run would create first.
    salable = {i.code for i in CATALOGUE_ITEMS if i.salable}
    assert {r.label for r in products.records if r.kind == "product"} >= salable
    assert len([r for r in products.records if r.kind == "category"]) == len(CATEGORIES)
    customers = _preview(world, "export-customers")
    assert customers.creates
    # The shop's accounts with the same e-mail are adopted (updated, not created again),
    # and passerelle never sent them anything: nothing is known of what they hold.
    assert all(c.shop_id and not any(f.known for f in c.changes) for c in customers.updates)
    assert _preview(world, "export-categories").creates
    # Prices and stock go to products already in the shop: none yet.
    for flow in ("update-prices", "update-stock"):
        assert _preview(world, flow).nothing_to_do


def test_a_customer_moved_in_tryton_previews_its_address_before_and_after(world: World) -> None:
    from tests.integration.test_customer_features import edit_party

    assert world.run("export-customers").status == "succeeded"
    assert _preview(world, "export-customers").nothing_to_do
    edit_party(world, "C0001", city="Lyon")

    preview = _preview(world, "export-customers")
    changed = [r for r in preview.records if r.label.startswith("C0001")]
    assert changed and all(r.action == "update" for r in changed)
    (addresses,) = [c for c in changed[0].changes if c.field == "addresses"]
    assert addresses.known
    assert [a["city"] for a in untag(addresses.after)] == ["Lyon"]
    assert [a["city"] for a in untag(addresses.before)] != ["Lyon"]
    # Only what an update writes is compared: the account's internal ids never show.
    assert "source_id" not in {c.field for r in preview.records for c in r.changes}
