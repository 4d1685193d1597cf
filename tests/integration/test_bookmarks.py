"""Bookmarks and parked records: nothing falls between two runs, nothing stays set aside wrongly."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

from passerelle.demo_data import ITEMS
from passerelle.flows.import_orders import FLOW as IMPORT
from passerelle.store.bookmark_value import BookmarkValue
from tests.held_back import held_by_open_orders, offered
from tests.integration.conftest import World, created_at
from tests.integration.test_flow_rules import api, set_template, shop_product


def parked(world: World, flow: str = IMPORT) -> dict[str, str]:
    return {p.record_key: p.severity for p in world.store.parked(world.profile.name, flow)}


def read_the_last_days(world: World, days: int) -> None:
    """The world's profile reads the orders of the last ``days`` only (orders.period_days):
    the seeded shop's older orders would be Tryton sales these tests never look at
    (about two seconds of Tryton each); the bookmark works the same within any period."""
    world.profile = world.profile.model_copy(deep=True)
    world.profile.orders.period_days = days


def test_a_run_limited_to_a_window_leaves_the_bookmark_alone(world: World) -> None:
    read_the_last_days(world, 3)
    now = datetime.now(UTC)
    summary = world.runner().run(
        world.profile, IMPORT, options={"from": now - timedelta(days=1), "to": now}
    )
    assert summary.status == "succeeded" and summary.counts["created"] >= 1
    assert world.store.get_bookmark(world.profile.name, IMPORT) is None
    # The next full run still sees the older orders.
    assert world.run(IMPORT).counts["created"] >= 1


def test_an_unreadable_order_is_parked_under_its_id_and_imported_once_readable(
    world: World,
) -> None:
    read_the_last_days(world, 3)
    processing = [o for o in world.sandbox.data.orders.values() if o["status"] == "processing"]
    order = max(processing, key=created_at)  # the newest, within the period read
    line = order["line_items"][0]
    good_total = line["total"]
    line["total"] = "12,50"  # a plugin writing a French decimal comma
    first = world.run(IMPORT)
    assert first.status == "with_problems" and first.counts["failed"] == 1
    assert parked(world)[str(order["id"])] == "error"
    journal = [line.text for line in world.store.journal(first.run_id)]
    assert any(f" - order {order['id']}: could not be read" in t for t in journal), journal
    assert world.store.get_bookmark(world.profile.name, IMPORT) is not None  # others moved on

    line["total"] = good_total
    second = world.run(IMPORT)
    assert second.counts["created"] == 1
    assert str(order["id"]) not in parked(world)


def test_an_awaiting_order_cancelled_later_is_no_longer_set_aside(world: World) -> None:
    pending = next(o for o in world.sandbox.data.orders.values() if o["status"] == "pending")
    read_the_last_days(world, 3)
    assert created_at(pending) > datetime.now(UTC) - timedelta(days=3)  # read by the period
    world.run(IMPORT)
    assert parked(world)[str(pending["id"])] == "retry"
    assert api(world, "PUT", f"orders/{pending['id']}", {"status": "cancelled"}).is_success
    summary = world.run(IMPORT)
    assert summary.counts["skipped"] == 1 and summary.counts["created"] == 0
    assert str(pending["id"]) not in parked(world)


def test_a_settings_change_is_sent_even_for_unmodified_items(world: World) -> None:
    world.run("export-products")
    assert world.run("export-products").counts["updated"] == 0
    changed = world.profile.model_copy(deep=True)
    changed.catalogue.tax_classes = {**changed.catalogue.tax_classes, "TVA 10 %": "zero-rate"}
    summary = world.run("export-products", changed)
    ten = [i for i in ITEMS if i.tax == "VAT10"]
    assert summary.counts["updated"] == len(ten)
    assert {shop_product(world, i.code)["tax_class"] for i in ten} == {"zero-rate"}


def test_stock_carried_by_product_updates_when_asked_is_the_real_stock(world: World) -> None:
    overwrite = world.profile.model_copy(deep=True)
    overwrite.catalogue.update_policy = {"stock": "overwrite"}
    world.run("export-products", overwrite)
    item = next(i for i in ITEMS if sum(i.stock) > 0)
    set_template(world, item.code, name=f"{item.name} (nouveau)")
    summary = world.run("export-products", overwrite)
    assert summary.counts["updated"] == 1
    product = shop_product(world, item.code)
    assert product["name"].endswith("(nouveau)")
    held = held_by_open_orders(world.sandbox.data.orders.values())
    assert product["stock_quantity"] == offered(item, held)
    assert world.run("update-stock", overwrite).counts["updated"] == 0


def test_a_date_bookmark_has_one_encoding_and_reads_what_stores_hold() -> None:
    at = datetime(2025, 3, 1, 12, tzinfo=UTC)
    assert BookmarkValue(at).encode() == "2025-03-01T12:00:00+00:00"
    assert json.loads(BookmarkValue(at, "h1").encode()) == {
        "at": "2025-03-01T12:00:00+00:00",
        "settings": "h1",
    }
    handled = BookmarkValue(at, handled=frozenset({"7", "12"}))
    assert json.loads(handled.encode()) == {
        "at": "2025-03-01T12:00:00+00:00",
        "handled": ["12", "7"],
    }
    for value in (BookmarkValue(at), BookmarkValue(at, "h1"), handled):
        assert BookmarkValue.decode(value.encode()) == value
    # What older versions wrote: a plain ISO date, a JSON object with or without settings.
    assert BookmarkValue.decode("2025-03-01T12:00:00+00:00") == BookmarkValue(at)
    assert BookmarkValue.decode('{"at": "2025-03-01T12:00:00+00:00"}') == BookmarkValue(at)
    assert BookmarkValue.decode('{"at": "2025-03-01T12:00:00+00:00", "settings": 3}') == (
        BookmarkValue(at)
    )
    # The error digest's own JSON of earlier versions: its sent ids are the handled ones.
    assert BookmarkValue.decode('{"until": "2025-03-01T12:00:00+00:00", "sent": [7, 12]}') == (
        handled
    )
    # Handled ids it cannot read are dropped: handled again rather than skipped.
    assert BookmarkValue.decode('{"at": "2025-03-01T12:00:00+00:00", "handled": "7"}') == (
        BookmarkValue(at)
    )
    for other in ("cursor:abc", "", '{"until": null, "sent": []}', "[1]"):
        assert BookmarkValue.decode(other) is None


def test_an_unreadable_bookmark_is_reported_and_read_as_none(world: World) -> None:
    read_the_last_days(world, 1)
    world.store.set_bookmark(world.profile.name, IMPORT, "not a date")
    summary = world.run(IMPORT)
    assert summary.counts["created"] >= 1
    journal = [line.text for line in world.store.journal(summary.run_id)]
    assert any("bookmark of import-orders is not a date" in t for t in journal), journal
    stored = world.store.get_bookmark(world.profile.name, IMPORT)
    assert stored is not None and BookmarkValue.decode(stored.value) is not None
