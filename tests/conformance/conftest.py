"""One world per back-office × shop platform: the back-office, the platform's seeded
sandbox, a store.

The suite is written once; every shop platform registered with a sandbox
(``passerelle.platforms.shop_kinds_with_sandbox``) runs it (like singer-sdk's
generated tap tests), against each back-office of :data:`BACKOFFICES`:
Tryton (a copy of the demo database) and the in-memory back-office (seeded
with what the same demo database reads, through the ``BackOffice`` protocol,
with its own arithmetic) and the file back-office (the same records as the
exports a desktop program writes, its sales as order files:
``tests.conformance.files_world``). Tests see the back-office through the world only
(:meth:`PlatformWorld.sales`, :meth:`PlatformWorld.ship`), so all run the
same assertions.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import ExitStack, closing
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from rich.console import Console
from trytond.pool import Pool

from passerelle.connectors.base import BackOffice
from passerelle.connectors.files.sample import write_sample_exports
from passerelle.connectors.memory import MemoryBackOffice
from passerelle.connectors.tryton.connector import TrytonBackOffice
from passerelle.connectors.tryton.database import TrytonTarget, session
from passerelle.connectors.tryton.demo import copy_demo_database
from passerelle.connectors.tryton.testing import (  # noqa: F401 - fixtures
    tryton_demo_template,
    unique_database_name,
)
from passerelle.demo import profile_for
from passerelle.model import Order
from passerelle.platforms import (
    build_backoffice,
    build_shop,
    shop_kinds_with_sandbox,
    start_sandbox,
)
from passerelle.profiles import Profile
from passerelle.runner import Runner, RunSummary
from passerelle.sandbox.platforms import ShopSandbox
from passerelle.store import Store
from tests.conformance.files_world import EXPORTS, FilesExchange, files_profile
from tests.warehouse import ship_in_tryton

PLATFORMS = shop_kinds_with_sandbox()
BACKOFFICES = ("tryton", "memory", "files")


@dataclass(frozen=True, slots=True)
class WrittenSale:
    """A sale as the back-office holds it: its key, total and number."""

    key: str
    total: Decimal
    number: str


@dataclass
class PlatformWorld:
    kind: str  # the shop platform
    backoffice_kind: str  # "tryton", "memory" or "files"
    data_dir: Path
    # The Tryton demo copy: the back-office itself for "tryton"; for "memory" and
    # "files", where its records were copied from (what the tests expect is read there).
    target: TrytonTarget
    backoffice: BackOffice
    shop: ShopSandbox
    store: Store
    profile: Profile
    console: Console
    # "files": the folder the program exports into and imports order files from.
    files: FilesExchange | None = None

    def run(self, flow: str) -> RunSummary:
        return self.run_with(flow)

    def run_with(self, flow: str, **options: object) -> RunSummary:
        runner = Runner(self.data_dir, store=self.store, console=self.console)
        # Tryton is built from the profile, as in production; the memory
        # back-office lives in this process, so the run is handed it.
        given = self.backoffice if isinstance(self.backoffice, MemoryBackOffice) else None
        summary = runner.run(self.profile, flow, backoffice=given, options=dict(options))
        # An order import may set aside orders for a person (completed with problems):
        # the tests check which; any other flow must succeed outright.
        allowed = ("succeeded", "with_problems") if flow == "import-orders" else ("succeeded",)
        assert summary.status in allowed, (
            self.backoffice_kind,
            self.kind,
            flow,
            summary,
            [p.reason for p in self.store.parked(self.profile.name, severity="error")],
        )
        return summary

    def sales(self) -> list[WrittenSale]:
        """Every sale written with an order key, oldest first."""
        if self.files is not None:
            # What the program imports: the order files, parsed (not passerelle's ledger).
            return [WrittenSale(f.key, f.total, f.number) for f in self.files.order_files()]
        if isinstance(self.backoffice, MemoryBackOffice):
            return [
                WrittenSale(key, sale.total_amount, sale.number)
                for key, sale in self.backoffice.sales.items()
            ]
        with session(self.target, readonly=True):
            return [
                WrittenSale(s.web_id, s.total_amount, s.number)
                for s in Pool().get("sale.sale").search([], order=[("id", "ASC")])
                if s.web_id
            ]

    def ship(self, order_id: str) -> None:
        """The warehouse ships the sale imported for the shop order ``order_id``."""
        with closing(build_shop(self.profile.shop)) as shop:
            key = f"{shop.identity}#{order_id}"
        if self.files is not None:
            taken = self.files.take(key)
            # Passerelle knows the program took a file only once a run sees it gone (a
            # stock export made before may not count it): the scheduled runs between the
            # program's import and its next stock export, as one read of the protocol.
            self.backoffice.open_sales_demand(key.split("#", 1)[0] + "#")
            self.files.ship(taken)
        elif isinstance(self.backoffice, MemoryBackOffice):
            self.backoffice.ship_sale(key)
        else:
            ship_in_tryton(self.target, key)

    def add_customer_phone(self, code: str, phone: str) -> None:
        """The customer ``code`` gains a phone number in the back-office."""
        if self.files is not None:
            # The program's next customer export carries it (Tryton is left alone).
            self.files.add_customer_phone(code, phone)
            return
        with session(self.target):
            (party,) = Pool().get("party.party").search([("code", "=", code)])
            Pool().get("party.contact_mechanism").create(
                [{"party": party.id, "type": "phone", "value": phone}]
            )
        if isinstance(self.backoffice, MemoryBackOffice):
            # The copy takes the customer again as the demo database now reads it.
            customer = TrytonBackOffice.from_target(self.target).find_customer(code=code)
            assert customer is not None, code
            self.backoffice.upsert_customer(customer)


# Wix reads through POST: its Query, Search and List By Ids methods retrieve records
# and change none (dev.wix.com/docs/rest/business-solutions/e-commerce/orders/orders/
# search-orders: "Retrieves a list of orders").
_WIX_READS = ("/query", "/search", "/list-by-ids")


def shop_writes(platform: PlatformWorld) -> list[tuple[str, str]]:
    """The shop's requests since its last reset that may change it: every method but
    GET and HEAD, and Wix's reading methods. Shopify reads and writes through one
    GraphQL address, so its flows' counts say what it was written instead."""
    return [
        r
        for r in platform.shop.requests
        if r[0] not in ("GET", "HEAD")
        and not r[1].endswith("/graphql.json")
        and not (platform.kind == "wix" and r[0] == "POST" and r[1].endswith(_WIX_READS))
    ]


def order_id(key: str) -> str:
    """The shop order id in a sale's key: ``<shop>#<id>[~generation][/part][/refund/<id>]``."""
    return key.split("#", 1)[1].split("/")[0].split("~")[0]


def owed_by_open_orders(platform: PlatformWorld, code: str) -> int:
    """Units of ``code`` the shop's open orders hold, as the shop itself lists them."""
    with closing(build_shop(platform.profile.shop)) as shop:
        return sum(
            int(line.quantity)
            for order in shop.iter_open_orders()
            if not isinstance(order, Exception)
            for line in order.lines
            if line.reference == code
        )


def placed_at(platform: PlatformWorld, *order_ids: str) -> datetime:
    """When the first of these open orders was placed, as the shop dates it."""
    with closing(build_shop(platform.profile.shop)) as shop:
        return min(
            order.created_at
            for order in shop.iter_open_orders()
            if isinstance(order, Order) and order.source_id in order_ids
        )


def placed_from(placed: datetime) -> dict[str, object]:
    """import-orders' options reading only the orders placed from ``placed`` on (see
    :func:`placed_at`), not the shop's seeded ones: each costs the back-office a sale.
    A second earlier: WooCommerce's ``after`` is strict, and its dates are to the second."""
    return {"created_from": placed - timedelta(seconds=1)}


@pytest.fixture(
    params=[(bo, kind) for bo in BACKOFFICES for kind in PLATFORMS],
    ids=lambda p: f"{p[0]}-{p[1]}",
)
def platform(
    request: pytest.FixtureRequest,
    tryton_demo_template: Path,  # noqa: F811
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> Iterator[PlatformWorld]:
    backoffice_kind, kind = request.param
    tryton_dir = tmp_path / "tryton"
    target = copy_demo_database(
        tryton_demo_template.parent, tryton_dir, unique_database_name(f"{request.node.name}")
    )
    tryton = TrytonBackOffice.from_target(target)
    with ExitStack() as stack, (tmp_path / "console.txt").open("a") as console_file:
        # Each thing is stopped or closed even when the next one fails to start:
        # a sandbox started before a failure must not outlive the test.
        shop = start_sandbox(kind, tmp_path / "shop")
        stack.callback(shop.stop)
        for name, value in shop.secrets().items():
            monkeypatch.setenv(name, value)
        store = Store.open_data_dir(tmp_path)
        stack.callback(store.close)
        profile = profile_for(shop, tryton_dir, target.database)
        backoffice: BackOffice = tryton
        files: FilesExchange | None = None
        if backoffice_kind == "memory":
            backoffice = MemoryBackOffice.copy_of(tryton, stock_kind=profile.catalogue.stock.kind)
        elif backoffice_kind == "files":
            # Tryton is read once, for the exports; the runs build the connector from
            # the profile, as in production.
            exchange = tmp_path / "exchange"
            exports = write_sample_exports(
                tryton, exchange / EXPORTS, stock_kind=profile.catalogue.stock.kind
            )
            files = FilesExchange.of(exchange, exports)
            profile = files_profile(profile, exchange, exports)
            backoffice = build_backoffice(profile.backoffice, tmp_path)
            stack.callback(backoffice.close)
        yield PlatformWorld(
            kind,
            backoffice_kind,
            tmp_path,
            target,
            backoffice,
            shop,
            store,
            profile,
            Console(file=console_file, width=200),
            files,
        )
