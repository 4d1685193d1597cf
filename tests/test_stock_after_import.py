"""X3: "update stock after import" on every shop platform, against each back-office.

A buyer orders in the shop; with ``orders.update_stock_after_import`` the import
sends, at once, the stock of the ordered item only, by update-stock's rules (what
the back-office can still sell), read back through the platform's own read endpoint.
Another item whose back-office figure changed meanwhile is left for update-stock.
A shop that fails while the stock is sent leaves the orders imported, once.

Only the orders this test places are imported (``--from`` their creation): the
shop's seeded orders stay open and unimported, which every figure below counts
(``owed_by_open_orders``); importing them all is test_conformance's subject.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from contextlib import closing
from decimal import Decimal
from typing import Any, cast

from rich.console import Console

from passerelle.connectors.base import ProductWrite, Shop, WriteOutcome
from passerelle.connectors.memory import MemoryBackOffice
from passerelle.demo_data import CATALOGUE_ITEMS
from passerelle.platforms import build_shop
from passerelle.runner import Runner, RunSummary
from passerelle.sandbox.kit.faults import Faults
from passerelle.sandbox.kit.sandbox import LoopbackSandbox
from tests.conformance.conftest import (
    PlatformWorld,
    owed_by_open_orders,
    placed_at,
    placed_from,
    tryton_demo_template,  # noqa: F401 - fixture
)
from tests.conformance.conftest import platform as world  # noqa: F401 - fixture
from tests.conformance.readback import reader
from tests.warehouse import receive_in_tryton

CATALOGUE = ("export-categories", "export-products", "update-stock")


def _simple_codes(platform: PlatformWorld) -> list[str]:
    """Simple products the shop holds with 5 units or more (no kit, no variation)."""
    products = platform.shop.view.products()
    return [
        item.code
        for item in sorted(CATALOGUE_ITEMS, key=lambda i: i.code)
        if (product := products.get(item.code)) is not None
        and not item.components
        and not product.parent_sku
        and product.stock is not None
        and product.stock >= 5
    ]


def _written(platform: PlatformWorld, code: str) -> int | None:
    """The shop's stock of ``code`` through the platform's own read endpoint."""
    value = reader(platform.kind).read_product(platform.shop, code).get("stock_quantity")
    return None if value is None else int(cast(int, value))


def _expected(platform: PlatformWorld, code: str) -> int:
    """What update-stock writes for ``code``: on hand less every open order's units
    (none is shipped here), plus those units where the shop subtracts them itself."""
    on_hand = int(platform.backoffice.item_quantities([code])[code])
    owed = owed_by_open_orders(platform, code)
    with closing(build_shop(platform.profile.shop)) as shop:
        adds_back = shop.holds_reservations
    return on_hand - owed + (owed if adds_back else 0)


def _receive(platform: PlatformWorld, code: str, units: int) -> None:
    """Goods delivered into the back-office's main warehouse (the shop is not told)."""
    if platform.files is not None:  # the program's next stock export counts them
        platform.files.receive(code, Decimal(units))
    elif isinstance(platform.backoffice, MemoryBackOffice):
        bo = platform.backoffice
        item_id = next(i.source_id for i in bo.items.values() if i.code == code)
        place = min(k for k in bo.stock if k[0] == item_id)
        bo.set_stock(item_id, place[1], bo.stock[place] + units)
    else:
        receive_in_tryton(platform.target, code, units)


class _ShopWrites:
    """The profile's shop connector, telling which SKUs each product write hands the
    shop (and, when ``failing``, the sandbox answering them with its own HTTP 500:
    the connector meets a real failure)."""

    def __init__(self, shop: Shop, sandbox: LoopbackSandbox, *, failing: bool = False) -> None:
        self._shop = shop
        self._sandbox = sandbox
        self._failing = failing
        self.written: list[list[str]] = []

    def __getattr__(self, name: str) -> Any:
        return getattr(self._shop, name)

    def write_products(self, writes: Sequence[ProductWrite]) -> list[WriteOutcome]:
        self.written.append([w.draft.sku for w in writes])
        if self._failing:
            self._sandbox.faults = Faults(rate=1.0, kinds=("500",))
        try:
            return self._shop.write_products(writes)
        finally:
            self._sandbox.faults = None


def _run(
    platform: PlatformWorld,
    flow: str,
    *,
    failing: bool = False,
    options: Mapping[str, object] | None = None,
) -> tuple[RunSummary, list[list[str]]]:
    """Run ``flow`` with ``options`` through the profile's own shop connector; its
    summary and the SKUs of each product write it made."""
    runner = Runner(platform.data_dir, store=platform.store, console=Console(quiet=True))
    given = platform.backoffice if isinstance(platform.backoffice, MemoryBackOffice) else None
    sandbox = platform.shop.sandbox  # type: ignore[attr-defined]
    assert isinstance(sandbox, LoopbackSandbox)
    with closing(build_shop(platform.profile.shop)) as real:
        spy = _ShopWrites(real, sandbox, failing=failing)
        summary = runner.run(
            platform.profile, flow, backoffice=given, shop=cast(Shop, spy), options=options
        )
    assert summary.status in ("succeeded", "with_problems"), summary
    return summary, spy.written


def test_the_ordered_item_s_stock_is_sent_right_after_the_import(world: PlatformWorld) -> None:  # noqa: F811 - the fixture
    platform = world
    for flow in CATALOGUE:
        platform.run(flow)
    ordered, other = _simple_codes(platform)[:2]

    # The back-office receives goods of another item: update-stock would send it.
    _receive(platform, other, 7)
    other_before = _written(platform, other)
    assert other_before != _expected(platform, other), platform.kind

    first = platform.shop.place_order({ordered: 2}, state="paid")
    mine = placed_from(placed_at(platform, first))
    _summary, written = _run(platform, "import-orders", options=mine)
    assert written == [], "the option is off by default"

    platform.profile.orders.update_stock_after_import = True
    platform.shop.place_order({ordered: 1}, state="paid")
    _summary, written = _run(platform, "import-orders", options=mine)
    assert written == [[ordered]], (platform.kind, "one batch, the ordered item only")
    assert _written(platform, ordered) == _expected(platform, ordered), platform.kind
    assert _written(platform, other) == other_before, (platform.kind, "not ordered: not written")

    # update-stock sends the other item, and the ordered one's figure stays right.
    _summary, written = _run(platform, "update-stock")
    assert other in [sku for batch in written for sku in batch], platform.kind
    assert _written(platform, other) == _expected(platform, other), platform.kind
    assert _written(platform, ordered) == _expected(platform, ordered), platform.kind

    _a_shop_failing_on_the_stock_leaves_the_orders_imported_once(platform, ordered, mine)


def _a_shop_failing_on_the_stock_leaves_the_orders_imported_once(
    platform: PlatformWorld, ordered: str, mine: Mapping[str, object]
) -> None:
    """(In the same world, to spare a second one; ``mine``: the test's orders only.)"""
    platform.profile.shop.http.max_tries = 1
    order_id = platform.shop.place_order({ordered: 2}, state="paid")
    sales_before = len(platform.sales())

    summary, written = _run(platform, "import-orders", failing=True, options=mine)
    assert written == [[ordered]], platform.kind
    assert summary.counts["failed"] == 0, summary  # the orders' counts only
    with closing(build_shop(platform.profile.shop)) as real:
        key = f"{real.identity}#{order_id}"
    keys = [s.key for s in platform.sales()]
    assert keys.count(key) == 1 and len(keys) > sales_before, keys
    failed = [
        line
        for line in platform.store.journal(summary.run_id)
        if line.level == "error" and line.record_key == ordered
    ]
    assert failed, "the stock not sent is journaled, under the item"
    parked = {p.record_key for p in platform.store.parked(platform.profile.name, "update-stock")}
    assert parked, "the stock not sent is set aside for update-stock"

    # Imported once: the next import finds it bound; the next update-stock sends the stock.
    platform.profile.shop.http.max_tries = 3
    platform.run_with("import-orders", **mine)
    assert [s.key for s in platform.sales()].count(key) == 1
    platform.run("update-stock")
    assert _written(platform, ordered) == _expected(platform, ordered), platform.kind
    assert not platform.store.parked(platform.profile.name, "update-stock")
