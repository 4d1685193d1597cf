"""Runs read from Tryton only what changed since the last run, and everything when they must.

A counting proxy stands between the flows and the Tryton back-office: it notes
the code of every item the back-office hands over (``list_items`` and
``list_items_where``) and the items whose stock is asked, so each test says
exactly what a run read. Bookmarks keep no overlap here (it is five minutes
in use), so "since the last run" is exact.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import timedelta
from decimal import Decimal
from typing import Any

import pytest
from trytond.pool import Pool
from typer.testing import CliRunner

from passerelle.cli.main import app
from passerelle.connectors.tryton.connector import TrytonBackOffice
from passerelle.connectors.tryton.database import session
from passerelle.demo_data import CANDLE_ITEMS, ITEMS, KIT_ITEM
from passerelle.flows import bookmarks, update_stock
from passerelle.flows.delta import FULL_READ_SUFFIX
from passerelle.profiles import Profile, ProfileRepository
from passerelle.runner import RunSummary
from passerelle.store import Store
from passerelle.store.bookmark_value import BookmarkValue
from tests.integration.catalogue_helpers import product_by_sku, set_product, variations_of
from tests.integration.conftest import World
from tests.integration.test_flow_rules import set_template, shop_product
from tests.warehouse import receive_in_tryton

# An item alone in its template, in no kit, with stock: what one change touches.
ALONE = next(i for i in ITEMS if i.code == "POT-001")


@dataclass
class Counting:
    """The Tryton back-office, noting what each read hands over (duck-typed proxy)."""

    inner: TrytonBackOffice
    items: list[str] = field(default_factory=list)
    stock: list[str] = field(default_factory=list)

    def __getattr__(self, name: str) -> Any:
        value = getattr(self.inner, name)
        if name in ("list_items", "list_items_where"):
            return self._noting(value, lambda found: self.items.extend(i.code for i in found))
        if name == "stock_levels":
            return self._noting(value, lambda found: self.stock.extend(s.item_code for s in found))
        return value

    @staticmethod
    def _noting(read: Callable[..., Any], note: Callable[[Any], None]) -> Callable[..., Any]:
        def noted(*args: Any, **kwargs: Any) -> Any:
            found = read(*args, **kwargs)
            note(found)
            return found

        return noted

    def take(self) -> list[str]:
        """The codes of the items read since the last call, sorted."""
        codes, self.items = sorted(self.items), []
        return codes

    def take_stock(self) -> list[str]:
        codes, self.stock = sorted(set(self.stock)), []
        return codes


@pytest.fixture
def counting(world: World, monkeypatch: pytest.MonkeyPatch) -> Iterator[Counting]:
    monkeypatch.setattr(bookmarks, "BOOKMARK_OVERLAP", timedelta(0))
    monkeypatch.setattr(update_stock, "BOOKMARK_OVERLAP", timedelta(0))
    yield Counting(world.backoffice)


def run(
    world: World,
    counting: Counting,
    flow: str,
    profile: Profile | None = None,
    expect: str = "succeeded",
    **options: Any,
) -> RunSummary:
    backoffice: Any = counting  # a stand-in for the back-office protocol
    summary = world.runner().run(
        profile or world.profile, flow, backoffice=backoffice, options=options or None
    )
    assert summary.status == expect, summary
    return summary


def journal(world: World, summary: RunSummary) -> str:
    return "\n".join(line.text for line in world.store.journal(summary.run_id))


def item_id(world: World, code: str) -> str:
    with session(world.target, readonly=True):
        (product,) = Pool().get("product.product").search([("code", "=", code)])
        return str(product.id)


def test_the_export_reads_what_changed_and_everything_when_it_must(
    world: World, counting: Counting
) -> None:
    first = run(world, counting, "export-products")
    everything = counting.take()
    assert ALONE.code in everything and len(everything) > 40
    assert "the whole catalogue is read" in journal(world, first)

    # Nothing changed: nothing read, nothing sent.
    idle = run(world, counting, "export-products")
    assert counting.take() == []
    assert idle.counts["updated"] == idle.counts["created"] == 0
    assert "only what changed in the back-office since" in journal(world, idle)

    # One price changed (a list price row of the template): that item alone, one update.
    set_template(world, ALONE.code, list_price=Decimal("31.40"))
    one = run(world, counting, "export-products")
    assert counting.take() == [ALONE.code]
    assert one.counts["updated"] == 1 and one.counts["created"] == 0
    assert shop_product(world, ALONE.code)["regular_price"] == "31.40"

    # Asked for: everything, and nothing to send.
    asked = run(world, counting, "export-products", full_read=True)
    assert counting.take() == everything
    assert asked.counts["updated"] == 0
    assert "the whole catalogue is read from the back-office: asked for this run" in journal(
        world, asked
    )

    # A parked item is read again, changed or not.
    flow = "export-products"
    world.store.park(world.profile.name, flow, item_id(world, ALONE.code), "test", "error")
    run(world, counting, flow)
    assert counting.take() == [ALONE.code]
    world.store.resolve(world.profile.name, flow, item_id(world, ALONE.code))

    # The last complete read is older than the profile's period: everything.
    full_mark = world.store.get_bookmark(world.profile.name, flow + FULL_READ_SUFFIX)
    assert full_mark is not None
    stored = BookmarkValue.decode(full_mark.value)
    assert stored is not None
    world.store.set_bookmark(
        world.profile.name,
        flow + FULL_READ_SUFFIX,
        BookmarkValue(stored.at - timedelta(days=7), stored.settings),
    )
    weekly = run(world, counting, flow)
    assert counting.take() == everything
    assert "more than 7 days old" in journal(world, weekly)
    run(world, counting, flow)
    assert counting.take() == []  # the weekly read became the reference

    # The catalogue settings changed: everything.
    other = world.profile.model_copy(deep=True)
    other.catalogue.full_read_days = 30
    changed = run(world, counting, flow, other)
    assert counting.take() == everything
    assert "settings changed" in journal(world, changed)


def test_a_price_list_line_changed_reads_every_price(world: World, counting: Counting) -> None:
    run(world, counting, "export-products")
    counting.take()
    run(world, counting, "update-prices")
    everything = counting.take()
    assert len(everything) > 40
    run(world, counting, "update-prices")
    assert counting.take() == []
    with session(world.target):
        Line = Pool().get("product.price_list.line")
        (line,) = Line.search([], limit=1)
        line.formula = f"({line.formula}) * 1"
        line.save()
    run(world, counting, "update-prices")
    assert counting.take() == everything


def test_update_stock_reads_only_the_items_whose_stock_moved(
    world: World, counting: Counting
) -> None:
    world.sandbox.data.orders.clear()  # no shop order holds anything back here
    run(world, counting, "export-products")
    run(world, counting, "update-stock")
    assert len(counting.take()) > 40  # the first stock run reads everything
    counting.take_stock()
    idle = run(world, counting, "update-stock")
    assert counting.take() == [] and counting.take_stock() == []
    assert idle.counts["updated"] == 0

    before = shop_product(world, ALONE.code)["stock_quantity"]
    receive_in_tryton(world.target, ALONE.code, 5)
    moved = run(world, counting, "update-stock")
    assert counting.take() == [ALONE.code]
    assert counting.take_stock() == [ALONE.code]
    assert moved.counts["updated"] == 1
    assert shop_product(world, ALONE.code)["stock_quantity"] == before + 5
    assert "only what changed in the back-office since" in journal(world, moved)


def test_a_changed_variant_comes_with_its_family_and_a_pack_with_its_components(
    world: World, counting: Counting
) -> None:
    run(world, counting, "export-products")
    counting.take()
    candle = sorted(CANDLE_ITEMS, key=lambda i: i.code)[1]
    set_product(world, candle.code, list_price=Decimal("13.70"))
    one = run(world, counting, "export-products")
    assert counting.take() == sorted(i.code for i in CANDLE_ITEMS)
    assert one.counts["updated"] == 1
    parent = product_by_sku(world, candle.template.rstrip("-"))
    assert variations_of(world, parent)[candle.code]["regular_price"] == "13.70"

    set_template(world, KIT_ITEM.code, name="Coffret thé (nouveau)")
    pack = run(world, counting, "export-products")
    components = [code for code, _units in KIT_ITEM.components]
    assert counting.take() == sorted([KIT_ITEM.code, *components])
    assert pack.counts["updated"] == 1 and pack.counts["parked"] == 0
    assert shop_product(world, KIT_ITEM.code)["name"] == "Coffret thé (nouveau)"


def test_a_reference_taken_from_an_unchanged_item_is_caught_on_a_delta(
    world: World, counting: Counting
) -> None:
    run(world, counting, "export-products")
    counting.take()
    other = next(i for i in ITEMS if i.code == "POT-002")
    set_template(world, other.code, code=ALONE.code.lower())
    clash = run(world, counting, "export-products", expect="with_problems")
    assert counting.take() == sorted([ALONE.code, ALONE.code.lower()])
    assert clash.counts["parked"] == 2
    parked = {p.record_key for p in world.store.parked(world.profile.name, "export-products")}
    assert parked == {item_id(world, ALONE.code), item_id(world, ALONE.code.lower())}


def test_run_full_read_on_the_command_line_reads_everything(world: World) -> None:
    ProfileRepository(world.data_dir).save(world.profile)
    world.store.close()  # the CLI opens the data directory's store itself
    runner = CliRunner()
    data = ["--data-dir", str(world.data_dir), "--profile", "demo"]
    for extra in ([], [], ["--full-read"]):
        ran = runner.invoke(app, ["run", "export-products", *data, *extra])
        assert ran.exit_code == 0, ran.output
    store = Store.open_data_dir(world.data_dir)
    try:
        last, before = store.list_runs(profile="demo", flow="export-products", limit=2)
        said = {
            run.id: "\n".join(line.text for line in store.journal(run.id)) for run in (last, before)
        }
    finally:
        store.close()
    assert "only what changed in the back-office since" in said[before.id]
    assert "the whole catalogue is read from the back-office: asked for this run" in said[last.id]
