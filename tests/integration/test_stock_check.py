"""R8: the nightly stock check against a real Tryton copy and the WooCommerce sandbox.

The merchant edits two quantities in the shop admin after ``update-stock``:
the check reports exactly those two with both values and changes nothing;
with fixing, the back-office quantities go back in one batch, the next check
finds nothing and ``update-stock`` has nothing to send. In test mode the
check still reports but refuses to fix.
"""

from __future__ import annotations

import ssl
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import httpx
import pytest
from typer.testing import CliRunner

from passerelle.cli.main import app
from passerelle.connectors.memory import MemoryBackOffice
from passerelle.demo import DEMO_KEY, DEMO_SECRET
from passerelle.demo_data import CATALOGUE_ITEMS, DemoItem
from passerelle.flows.stock_check import Difference, StockReport
from passerelle.model import Item, ShopProduct
from passerelle.profiles import Profile, ProfileRepository
from passerelle.runner import Runner, RunSummary
from passerelle.store import Store
from tests.held_back import held_by_open_orders, offered
from tests.integration.conftest import World
from tests.test_customer_flows import FakeShop
from tests.test_profiles import VALID

API = "/wp-json/wc/v3"
FLOW = "stock-check"


def _shown(item: DemoItem) -> int:
    """What the demo profile shows in the shop: both warehouses summed, less what the
    seeded open orders hold, negatives as 0."""
    return offered(item, _HELD)


_HELD: dict[str, int] = {}


def _catalogue(world: World) -> None:
    _HELD.clear()
    _HELD.update(held_by_open_orders(world.sandbox.data.orders.values()))
    for flow in ("export-categories", "export-products", "update-stock"):
        assert world.run(flow).status == "succeeded", flow


def _two_simple_products(world: World) -> list[tuple[DemoItem, int]]:
    """Two in-stock demo items the shop holds as simple products, with their shop ids."""
    by_sku = {
        p["sku"]: pid for pid, p in world.sandbox.data.products.items() if p["type"] == "simple"
    }
    chosen = [
        (item, by_sku[item.code])
        for item in sorted(CATALOGUE_ITEMS, key=lambda i: i.code)
        if item.code in by_sku and not item.components and _shown(item) > 2
    ]
    return chosen[:2]


def _edit_in_shop(world: World, product_id: int, quantity: int) -> None:
    """The merchant types a quantity in the shop admin (the same write path as the API)."""
    tls = ssl.create_default_context(cafile=str(world.sandbox.ca_bundle))
    with httpx.Client(
        base_url=world.sandbox.url, verify=tls, auth=(DEMO_KEY, DEMO_SECRET)
    ) as client:
        answer = client.put(f"{API}/products/{product_id}", json={"stock_quantity": quantity})
        answer.raise_for_status()
        assert answer.json()["stock_quantity"] == quantity


def _check(
    world: World, profile: Profile | None = None, **options: Any
) -> tuple[RunSummary, StockReport]:
    summary = world.runner().run(profile or world.profile, FLOW, options=options)
    assert summary.status == "succeeded", summary
    return summary, StockReport.from_journal(world.store.journal(summary.run_id))


def _writes(world: World) -> list[tuple[str, str]]:
    return [r for r in world.sandbox.requests if r[0] not in ("GET", "HEAD")]


def test_two_quantities_edited_in_the_shop_are_reported_then_fixed_in_one_batch(
    world: World,
) -> None:
    _catalogue(world)
    _, clean = _check(world)
    assert (clean.differences, clean.uncompared, clean.errors) == ([], [], [])

    (first, first_id), (second, second_id) = _two_simple_products(world)
    _edit_in_shop(world, first_id, _shown(first) + 2)
    _edit_in_shop(world, second_id, 0)
    world.sandbox.reset_requests()
    summary, report = _check(world)
    assert sorted(report.differences, key=lambda d: d.code) == sorted(
        [
            Difference(first.code, backoffice=_shown(first), shop=_shown(first) + 2),
            Difference(second.code, backoffice=_shown(second), shop=0),
        ],
        key=lambda d: d.code,
    )
    assert _writes(world) == []  # reporting changes nothing
    lines = [line.text for line in world.store.journal(summary.run_id)]
    assert f"{first.code}: shop {_shown(first) + 2}, back-office {_shown(first)}" in lines
    assert any(
        t.endswith(
            " item(s) compared: 2 difference(s), 0 missing in the shop, "
            f"{summary.counts['unchanged']} equal"
        )
        for t in lines
    ), lines
    assert world.store.parked(world.profile.name, FLOW) == []

    world.sandbox.reset_requests()
    _, fixed = _check(world, fix=True)
    assert fixed.fixed == {first.code, second.code} and fixed.remaining == []
    assert _writes(world) == [("POST", f"{API}/products/batch")]
    products = world.sandbox.data.products
    assert products[first_id]["stock_quantity"] == _shown(first)
    assert products[second_id]["stock_quantity"] == _shown(second)

    _, after = _check(world)
    assert after.differences == []
    world.sandbox.reset_requests()
    stock = world.run("update-stock")
    assert stock.counts["updated"] == 0 and _writes(world) == []  # hashes bound by the fix


def test_test_mode_reports_but_refuses_to_fix(world: World) -> None:
    _catalogue(world)
    (item, product_id), _ = _two_simple_products(world)
    _edit_in_shop(world, product_id, _shown(item) + 5)
    testing = world.profile.model_copy(update={"mode": "test"})
    world.sandbox.reset_requests()
    _, report = _check(world, testing, fix=True)
    assert report.differences == [Difference(item.code, _shown(item), _shown(item) + 5)]
    assert report.fixed == set() and _writes(world) == []
    [error] = report.errors
    assert error.startswith("differences reported, not fixed: ") and "in test mode" in error
    assert world.sandbox.data.products[product_id]["stock_quantity"] == _shown(item) + 5


@pytest.fixture
def cli_world(world: World) -> Iterator[tuple[World, list[str]]]:
    """The world's profile saved in its data directory, for the command line."""
    _catalogue(world)
    ProfileRepository(world.data_dir).save(world.profile)
    world.store.close()  # the command opens the data directory's store itself
    yield world, ["--profile", world.profile.name, "--data-dir", str(world.data_dir)]


def test_the_command_prints_the_differences_and_exits_1_while_some_remain(
    cli_world: tuple[World, list[str]],
) -> None:
    world, args = cli_world
    runner = CliRunner()
    assert runner.invoke(app, ["stock", "check", *args]).exit_code == 0
    (item, product_id), _ = _two_simple_products(world)
    _edit_in_shop(world, product_id, _shown(item) + 3)

    found = runner.invoke(app, ["stock", "check", *args])
    assert found.exit_code == 1, found.output
    row = next(line.split() for line in found.stdout.splitlines() if item.code in line)
    assert row == [item.code, str(_shown(item) + 3), str(_shown(item)), "differs"]

    repo = ProfileRepository(world.data_dir)
    repo.save(world.profile.model_copy(update={"mode": "test"}))
    refused = runner.invoke(app, ["stock", "check", "--fix", *args])
    said = " ".join(refused.output.split())
    assert refused.exit_code == 2 and "'demo' is in test mode; check without --fix" in said, said
    assert world.sandbox.data.products[product_id]["stock_quantity"] == _shown(item) + 3

    repo.save(world.profile)
    fixed = runner.invoke(app, ["stock", "check", "--fix", *args])
    assert fixed.exit_code == 0, fixed.output
    row = next(line.split() for line in fixed.stdout.splitlines() if item.code in line)
    assert row[-1] == "fixed"
    assert world.sandbox.data.products[product_id]["stock_quantity"] == _shown(item)
    assert runner.invoke(app, ["stock", "check", *args]).exit_code == 0


def test_a_sku_on_two_shop_products_is_parked_unless_the_item_is_bound_to_one(
    tmp_path: Path,
) -> None:
    backoffice = MemoryBackOffice()
    backoffice.items["1"] = Item("1", "MUG", "Mug", Decimal("9.00"))
    backoffice.set_stock("1", "WH", Decimal(4))
    shop = FakeShop(
        products=[
            ShopProduct("10", "MUG", "Mug", None, stock_quantity=4),
            ShopProduct("11", "MUG", "Mug (copy)", None, stock_quantity=9),
        ]
    )
    profile = ProfileRepository(tmp_path).validate(dict(VALID, name="dup"))
    with Store.open_data_dir(tmp_path) as store:
        runner = Runner(tmp_path, store=store)

        def check(outcome: str) -> StockReport:
            summary = runner.run(profile, FLOW, backoffice=backoffice, shop=shop)  # type: ignore[arg-type]
            assert summary.status == outcome
            return StockReport.from_journal(store.journal(summary.run_id))

        ambiguous = check("with_problems")  # the SKU it could not compare waits for a person
        assert ambiguous.differences == [] and len(ambiguous.uncompared) == 1
        assert "10, 11" in ambiguous.uncompared[0]
        [parked] = store.parked("dup", FLOW)
        assert parked.record_key == "1"

        store.bind("dup", "product", "1", "11", None)
        bound = check("succeeded")
        assert bound.differences == [Difference("MUG", backoffice=4, shop=9)]
        assert bound.uncompared == [] and store.parked("dup", FLOW) == []


def test_a_product_deleted_in_the_shop_is_reported_and_created_again_by_the_next_export(
    world: World,
) -> None:
    _catalogue(world)
    (item, product_id), *_ = _two_simple_products(world)
    tls = ssl.create_default_context(cafile=str(world.sandbox.ca_bundle))
    with httpx.Client(
        base_url=world.sandbox.url, verify=tls, auth=(DEMO_KEY, DEMO_SECRET)
    ) as client:
        client.delete(f"{API}/products/{product_id}", params={"force": "true"}).raise_for_status()
    _summary, report = _check(world)
    assert report.differences == [Difference(item.code, _shown(item), missing=True)]

    assert world.run("export-products").counts["created"] == 1
    again = [p for p in world.sandbox.data.products.values() if p["sku"] == item.code]
    assert len(again) == 1 and again[0]["id"] != product_id
    assert again[0]["stock_quantity"] == _shown(item)
    assert _check(world)[1].differences == []
