"""A property over random days of trading: the shop never offers what is already sold.

Each example is a fresh merchant (a Tryton demo copy, one platform's sandbox,
a store) and a random sequence of what happens in a day: buyers pay for
orders or put them on hold, the merchant takes a payment, cancels an order,
the warehouse receives goods or ships an imported sale, and passerelle
imports orders, sends stock or runs the stock check with fixing.

The model beside it knows, independently of passerelle's code, what the
back-office can still sell: Tryton's quantity on hand less the units of every
order that is neither cancelled nor shipped from the warehouse. After every
step the shop offers no more than that; once every order is shipped or
cancelled and passerelle has run, both sides show the same figure.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from contextlib import closing, contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from hypothesis import HealthCheck, Phase, example, given, settings
from hypothesis import strategies as st
from rich.console import Console
from trytond.pool import Pool

from passerelle.connectors.tryton.connector import TrytonBackOffice
from passerelle.connectors.tryton.database import TrytonTarget, session
from passerelle.connectors.tryton.demo import copy_demo_database
from passerelle.connectors.tryton.testing import (  # noqa: F401 - fixtures
    tryton_demo_template,
    unique_database_name,
)
from passerelle.demo import profile_for
from passerelle.demo_data import CATALOGUE_ITEMS
from passerelle.platforms import build_shop, shop_kinds_with_sandbox, start_sandbox
from passerelle.profiles import Profile
from passerelle.runner import Runner
from passerelle.sandbox.platforms import ShopSandbox
from passerelle.store import Store
from tests.warehouse import receive_in_tryton, ship_in_tryton

pytestmark = pytest.mark.long


Step = tuple[str, int]
steps = st.one_of(
    st.tuples(st.just("pay"), st.integers(1, 3)),
    st.tuples(st.just("hold"), st.integers(1, 3)),
    st.tuples(st.just("take_payment"), st.integers(0, 5)),
    st.tuples(st.just("cancel"), st.integers(0, 5)),
    st.tuples(st.just("receive"), st.integers(1, 4)),
    st.tuples(st.just("ship"), st.integers(0, 5)),
    st.tuples(st.sampled_from(["import", "sync", "check"]), st.just(0)),
)


@dataclass
class Order:
    order_id: str
    units: int
    state: str  # "paid", "on_hold", "cancelled", "shipped"
    shipped_from_warehouse: bool = False


@dataclass
class Merchant:
    """One shop and one back-office, and what the model knows of the orders."""

    shop: ShopSandbox
    target: TrytonTarget
    backoffice: TrytonBackOffice
    runner: Runner
    profile: Profile
    since: datetime  # the day's start: its imports read the orders placed from then on
    code: str = ""  # the product traded: one no order of the seeded shop contains
    orders: list[Order] = field(default_factory=list)

    # ------------------------------------------------------------ the model
    def on_hand(self) -> int:
        return int(self.backoffice.item_quantities([self.code])[self.code])

    def sellable(self) -> int:
        """Tryton's units on hand less every order that will still take some."""
        owed = sum(
            o.units
            for o in self.orders
            if o.state in ("paid", "on_hold") and not o.shipped_from_warehouse
        )
        return max(self.on_hand() - owed, 0)

    def offered(self) -> int:
        stock = self.shop.view.products()[self.code].stock
        assert stock is not None
        return stock

    def open(self, *states: str) -> list[Order]:
        return [o for o in self.orders if o.state in states]

    # ------------------------------------------------------------ the steps
    def run(self, flow: str, **options: object) -> None:
        summary = self.runner.run(self.profile, flow, options=dict(options))
        # An import may set orders aside for a person (completed with problems): the
        # day's end cancels what was not imported; any other flow must succeed outright.
        allowed = ("succeeded", "with_problems") if flow == "import-orders" else ("succeeded",)
        assert summary.status in allowed, (flow, summary)

    def do(self, step: Step) -> None:
        action, number = step
        if action in ("pay", "hold"):
            if self.offered() >= number:  # a storefront sells only what it offers
                state = "paid" if action == "pay" else "on_hold"
                order_id = self.shop.place_order({self.code: number}, state=state)
                self.orders.append(Order(order_id, number, state))
        elif action == "take_payment":
            self._pick(self.open("on_hold"), number, "paid")
        elif action == "cancel":
            self._pick(self.open("paid", "on_hold"), number, "cancelled")
        elif action == "receive":
            receive_in_tryton(self.target, self.code, number)
        elif action == "ship":
            self._ship(number)
        elif action == "import":
            self.import_orders()
        elif action == "sync":
            self.run("update-stock")
        else:
            self.run("stock-check", fix=True)

    def import_orders(self) -> None:
        self.run("import-orders", created_from=self.since)

    def _pick(self, orders: list[Order], number: int, state: str) -> None:
        if orders:
            order = orders[number % len(orders)]
            self.shop.set_order_state(order.order_id, state)
            order.state = state

    def _ship(self, number: int) -> None:
        """The warehouse ships an imported paid order; the shop marks it shipped."""
        shippable = [o for o in self.open("paid") if self.sale_state(o) == "processing"]
        if shippable:
            order = shippable[number % len(shippable)]
            ship_in_tryton(self.target, self.key(order))
            self.shop.set_order_state(order.order_id, "shipped")
            order.state, order.shipped_from_warehouse = "shipped", True

    def key(self, order: Order) -> str:
        return f"{build_shop(self.profile.shop).identity}#{order.order_id}"

    def sale_state(self, order: Order) -> str | None:
        with session(self.target, readonly=True):
            sales = Pool().get("sale.sale").search([("web_id", "=", self.key(order))])
            return sales[0].state if sales else None

    def settle(self) -> None:
        """The end of the day: every order paid and shipped, or cancelled; passerelle runs."""
        for order in self.open("on_hold"):
            self._pick([order], 0, "paid")
        self.import_orders()
        for _ in list(self.open("paid")):
            self._ship(0)
        for order in self.open("paid"):  # not imported (e.g. set aside): cancelled
            self._pick([order], 0, "cancelled")
        self.import_orders()
        self.run("update-stock")


def untouched_code(m: Merchant) -> str:
    """A simple demo product in stock that no order of the seeded shop contains, so the
    model knows every order that takes some."""
    with closing(build_shop(m.profile.shop)) as shop:
        ordered = {
            line.reference
            for order in shop.iter_orders(include_archived=True)
            if not isinstance(order, Exception)
            for line in order.lines
        }
    products = m.shop.view.products()
    for item in sorted(CATALOGUE_ITEMS, key=lambda i: i.code):
        product = products.get(item.code)
        if (
            item.code not in ordered
            and not item.components
            and product is not None
            and not product.parent_sku
            and (product.stock or 0) >= 6
        ):
            return item.code
    raise AssertionError("every simple demo product is in a seeded order")


@contextmanager
def merchant(template: Path, label: str, kind: str = "woocommerce") -> Iterator[Merchant]:
    with tempfile.TemporaryDirectory() as tmp:
        base = Path(tmp)
        target = copy_demo_database(template.parent, base / "tryton", unique_database_name(label))
        shop = start_sandbox(kind, base / "shop")
        saved = {name: os.environ.get(name) for name in shop.secrets()}
        os.environ.update(shop.secrets())
        store = Store.open_data_dir(base)
        try:
            with (base / "console.txt").open("a") as console_file:
                runner = Runner(base, store=store, console=Console(file=console_file, width=200))
                profile = profile_for(shop, base / "tryton", target.database)
                # The seeded shop's history (orders of hours, days and weeks ago, none
                # holding the traded product) was dealt with before this day: the imports
                # read the day's own orders (``created_from``, as ``run --from``), not
                # Tryton documents of the history for each example. A second earlier:
                # WooCommerce's ``after`` is strict, and its dates are to the second.
                since = datetime.now(UTC).replace(microsecond=0) - timedelta(seconds=1)
                backoffice = TrytonBackOffice.from_target(target)
                yield Merchant(shop, target, backoffice, runner, profile, since)
        finally:
            store.close()
            shop.stop()
            for name, value in saved.items():
                if value is None:
                    os.environ.pop(name, None)
                else:
                    os.environ[name] = value


# Each example builds a whole merchant (a catalogue export: tens of seconds on a busy
# machine): few examples, no shrinking (the failing day is printed as it is, steps and
# orders, which is short enough to read). Derandomized, so every run tries the same
# days: the explicit one below, then three generated days on WooCommerce, the reference
# platform, one on the others (tests/conformance/test_stock_held_back.py walks the same
# rules through a fixed day on every platform). A longer search is one variable away:
# ``PASSERELLE_HELD_BACK_EXAMPLES=20 python3 -m pytest -n 2
# tests/integration/test_stock_held_back_property.py`` tries 20 days on every platform.
EXAMPLES = {"woocommerce": 3}
EXAMPLES_ENV = "PASSERELLE_HELD_BACK_EXAMPLES"


def examples(kind: str) -> int:
    """How many generated days ``kind`` is tried on (besides the explicit one)."""
    wanted = os.environ.get(EXAMPLES_ENV)
    return int(wanted) if wanted else EXAMPLES.get(kind, 1)


@pytest.mark.parametrize("kind", sorted(shop_kinds_with_sandbox()))
def test_the_shop_never_offers_what_the_back_office_cannot_sell_and_both_agree_at_the_end(
    tryton_demo_template: Path,  # noqa: F811
    kind: str,
) -> None:
    @settings(
        max_examples=examples(kind),
        deadline=None,
        derandomize=True,
        phases=[Phase.explicit, Phase.reuse, Phase.generate],
        suppress_health_check=[HealthCheck.too_slow],
    )
    @given(st.lists(steps, min_size=3, max_size=9))
    # Found by this property: orders placed and shipped between two stock runs left the
    # shop below a figure that equalled the last one sent, so nothing was sent again.
    @example(
        [
            ("take_payment", 4),
            ("ship", 3),
            ("take_payment", 4),
            ("pay", 3),
            ("receive", 2),
            ("hold", 3),
            ("receive", 4),
        ]
    )
    def a_day_of_trading(day: list[Step]) -> None:
        with merchant(tryton_demo_template, f"held-back-{kind}", kind) as m:
            m.run("export-categories")
            m.run("export-products")
            m.run("update-stock")
            m.code = untouched_code(m)
            assert m.offered() == m.sellable()
            for step in day:
                m.do(step)
                assert m.offered() <= m.sellable(), (step, m.orders)
            m.settle()
            assert m.offered() == m.sellable() == m.on_hand(), m.orders

    a_day_of_trading()
