"""An order's import is one Tryton transaction: look-ups, customer and sale together.

Counted on the connector's sessions (``database.session``, which every Tryton
call of the connector opens): one read-write transaction per imported order,
plus what any run costs; a replay of an order's unit (trytond asking for
locks first) writes it once; a refusal undoes that order's customer and sale
only, the order is parked with Tryton's words and the others are imported.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any, cast

import pytest
from rich.console import Console

from passerelle.connectors.base import ConnectionReport, OneUnitOfWork, Shop
from passerelle.connectors.errors import NotFoundError
from passerelle.connectors.tryton import connector as tryton_connector
from passerelle.connectors.tryton import sales as tryton_sales
from passerelle.connectors.tryton.connector import TrytonBackOffice
from passerelle.connectors.tryton.database import TrytonTarget, session
from passerelle.demo import demo_profile
from passerelle.flows.import_orders import FLOW, KIND
from passerelle.model import Address, Order, OrderLine, OrderStatus, ShippingLine, TaxLine
from passerelle.profiles import Profile
from passerelle.runner import Runner, RunSummary
from passerelle.store import Store

CENT = Decimal("0.01")


def paid_order(n: int, buyer: int, *, item: str = "POT-001", price: str = "24.90") -> Order:
    """A paid order of one demo item and shipping, by buyer ``buyer`` (found by e-mail
    from its second order on)."""
    address = Address(
        first_name="Unit",
        last_name=f"Buyer{buyer}",
        street=f"{buyer} quai des Unités",
        postal_code="33000",
        city="Bordeaux",
        country_code="FR",
        email=f"unit{buyer}@units.example.org",
    )
    total = Decimal(price)
    tax = (total * Decimal("0.2")).quantize(CENT)
    vat = (TaxLine("1", "TVA 20 %", Decimal("0.2"), tax),)
    shipping_tax = Decimal("0.98")
    created = datetime(2026, 11, 3, 9, 0, tzinfo=UTC) + timedelta(minutes=n)
    return Order(
        source_id=str(n),
        number=str(n),
        status=OrderStatus.PROCESSING,
        shop_status="processing",
        currency="EUR",
        created_at=created,
        modified_at=created,
        total=total + tax + Decimal("4.90") + shipping_tax,
        total_tax=tax + shipping_tax,
        customer_id=str(8_000 + buyer),
        billing=address,
        shipping=address,
        lines=(OrderLine(f"{n}-1", item, "article", Decimal(1), total, total, tax, vat),),
        shipping_lines=(
            ShippingLine(
                f"{n}-s",
                "flat_rate",
                "Colissimo",
                Decimal("4.90"),
                shipping_tax,
                (TaxLine("1", "TVA 20 %", Decimal("0.2"), shipping_tax),),
            ),
        ),
        payment_method="stripe",
        payment_method_title="Carte bancaire",
        paid_at=created,
    )


class OrdersShop:
    """A shop holding orders in memory, answering at once; it counts its notes reads."""

    holds_reservations = False
    identity = "units.example.org"

    def __init__(self, orders: list[Order]) -> None:
        self.orders = {o.source_id: o for o in orders}
        self.request_count = 0
        self.notes_read: Counter[str] = Counter()

    def on_retry(self, listener: Callable[[str], None] | None) -> None:
        pass

    def test_connection(self) -> ConnectionReport:
        return ConnectionReport(True, "in memory")

    def close(self) -> None:
        pass

    def iter_orders(self, **_: Any) -> Iterator[Order]:
        return iter(self.orders.values())

    def get_order(self, order_id: str) -> Order:
        if order_id not in self.orders:
            raise NotFoundError(f"no order {order_id}", record_id=order_id)
        return self.orders[order_id]

    def with_notes(self, order: Order) -> Order:
        self.notes_read[order.source_id] += 1
        return order

    def missing_references(self, kind: str, names: Any) -> set[str]:
        return set()

    def write_order_result(self, order_id: str, **_: Any) -> None:
        pass


class Sessions:
    """The connector's Tryton transactions, by kind (read-only, read-write), and the
    read-write ones that replay a unit trytond asked to start again with locks."""

    def __init__(self) -> None:
        self.count: Counter[str] = Counter()

    def wrap(self, real: Callable[..., Any]) -> Callable[..., Any]:
        @contextmanager
        def counted(*args: Any, readonly: bool = False, **kwargs: Any) -> Iterator[Any]:
            self.count["read" if readonly else "write"] += 1
            if kwargs.get("extras"):  # trytond asked for locks first: the unit replayed
                self.count["replay"] += 1
            with real(*args, readonly=readonly, **kwargs) as transaction:
                yield transaction

        return counted

    def taken(self) -> Counter[str]:
        taken, self.count = self.count, Counter()
        return taken


@pytest.fixture
def sessions(monkeypatch: pytest.MonkeyPatch) -> Sessions:
    counter = Sessions()
    monkeypatch.setattr(tryton_connector, "session", counter.wrap(tryton_connector.session))
    return counter


def profile_on(target: TrytonTarget, **orders: Any) -> Profile:
    data = demo_profile(
        "https://units.example.org", Path("unused.pem"), target.path or Path("."), target.database
    ).model_dump(mode="json", exclude_unset=True)
    data["orders"].update({"update_stock_after_import": False, **orders})
    return Profile.model_validate(data)


def run_import(
    tmp_path: Path,
    target: TrytonTarget,
    backoffice: TrytonBackOffice,
    shop: OrdersShop,
    **orders: Any,
) -> RunSummary:
    with Store.open_data_dir(tmp_path) as store:
        runner = Runner(tmp_path, store=store, console=Console(quiet=True))
        return runner.run(
            profile_on(target, **orders), FLOW, backoffice=backoffice, shop=cast(Shop, shop)
        )


def sales_of(target: TrytonTarget, numbers: list[str]) -> Counter[str]:
    from trytond.pool import Pool

    with session(target, readonly=True):
        Sale = Pool().get("sale.sale")
        return Counter(s.reference for s in Sale.search([("reference", "in", numbers)]))


def party_codes(target: TrytonTarget, codes: list[str]) -> set[str]:
    from trytond.pool import Pool

    with session(target, readonly=True):
        Party = Pool().get("party.party")
        return {p.code for p in Party.search([("code", "in", codes)])}


def after_each_sale(monkeypatch: pytest.MonkeyPatch, then: Callable[[Any], None]) -> None:
    """``then(sale)`` once each sale is written in Tryton, before its transaction ends."""
    real = tryton_sales.write_sale

    def write_sale(*args: Any, **kwargs: Any) -> Any:
        record = real(*args, **kwargs)
        then(record)
        return record

    monkeypatch.setattr(tryton_connector.sales, "write_sale", write_sale)


def test_tryton_has_units_of_work(tryton_backoffice: TrytonBackOffice) -> None:
    assert isinstance(tryton_backoffice, OneUnitOfWork)


def test_one_read_write_transaction_per_imported_order(
    tmp_path: Path,
    tryton_demo: TrytonTarget,
    tryton_backoffice: TrytonBackOffice,
    sessions: Sessions,
) -> None:
    """Nine orders by three buyers (new customers, then found by e-mail): nine
    read-write transactions more than a run with nothing to import, and no other
    transaction per order."""
    orders = [paid_order(100 + n, buyer=n % 3) for n in range(9)]
    shop = OrdersShop(orders)
    first = run_import(tmp_path, tryton_demo, tryton_backoffice, shop)
    assert first.counts["created"] == len(orders), first.counts
    importing = sessions.taken()
    # The same orders again: all bound, nothing asked of Tryton per order. What is
    # left is what every run costs (the profile's references, the taxes...).
    again = run_import(tmp_path, tryton_demo, tryton_backoffice, shop)
    assert again.counts["unchanged"] == len(orders), again.counts
    per_run = sessions.taken()
    # One replay at most: the first payment of the month opens the journal's period,
    # for which trytond asks a lock first (then the period is there for every order).
    assert importing["replay"] <= 1, importing
    written = importing["write"] - importing["replay"] - per_run["write"]
    assert written == len(orders), (importing, per_run)
    assert importing["read"] == per_run["read"], (importing, per_run)
    assert sales_of(tryton_demo, [o.number for o in orders]) == {o.number: 1 for o in orders}


def test_a_unit_replayed_for_locks_writes_its_order_once(
    tmp_path: Path,
    tryton_demo: TrytonTarget,
    tryton_backoffice: TrytonBackOffice,
    sessions: Sessions,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """trytond asks for a lock once the customer and the sale are written: the whole
    unit is undone and replayed; one customer, one sale, one binding, the shop's
    notes read once."""
    from trytond.transaction import Transaction

    order = paid_order(200, buyer=50)
    asked: list[str] = []

    def ask_a_lock(record: Any) -> None:
        if not asked:
            asked.append(record.reference)
            Transaction().lock_table("sale_sale")  # raises: replay with the table locked

    after_each_sale(monkeypatch, ask_a_lock)
    shop = OrdersShop([order])
    summary = run_import(
        tmp_path, tryton_demo, tryton_backoffice, shop, messages=["customer_messages"]
    )
    assert asked == ["200"]
    assert summary.counts["created"] == 1, summary.counts
    assert sales_of(tryton_demo, ["200"]) == {"200": 1}
    assert party_codes(tryton_demo, ["WEB008050"]) == {"WEB008050"}
    assert shop.notes_read == {"200": 1}
    with Store.open_data_dir(tmp_path) as store:
        assert set(store.bindings(profile_on(tryton_demo).name, KIND)) == {"200"}
    assert sessions.count["write"] >= 2  # the first try and its replay


def test_a_refused_order_undoes_its_customer_and_the_others_go_on(
    tmp_path: Path,
    tryton_demo: TrytonTarget,
    tryton_backoffice: TrytonBackOffice,
    sessions: Sessions,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Tryton refuses one sale after its new customer was written: that order is parked
    with Tryton's words, its customer is not in Tryton, the orders around it are."""
    from trytond.exceptions import UserError

    def refuse_301(record: Any) -> None:
        if record.reference == "301":
            raise UserError("the sale 301 is refused by a rule of the merchant")

    after_each_sale(monkeypatch, refuse_301)
    orders = [paid_order(300, buyer=60), paid_order(301, buyer=61), paid_order(302, buyer=62)]
    summary = run_import(tmp_path, tryton_demo, tryton_backoffice, OrdersShop(orders))
    assert summary.counts["created"] == 2 and summary.counts["failed"] == 1, summary.counts
    assert sales_of(tryton_demo, ["300", "301", "302"]) == {"300": 1, "302": 1}
    assert party_codes(tryton_demo, ["WEB008060", "WEB008061", "WEB008062"]) == {
        "WEB008060",
        "WEB008062",
    }
    with Store.open_data_dir(tmp_path) as store:
        name = profile_on(tryton_demo).name
        parked = {p.record_key: p.reason for p in store.parked(name, FLOW)}
        assert set(store.bindings(name, KIND)) == {"300", "302"}
    assert set(parked) == {"301"}
    assert "refused by a rule of the merchant" in parked["301"]


class Searches:
    """The look-ups an order's import asks Tryton, counted on the models' ``search`` by
    key and by transaction: a sale by its key, a party by its code, a contact by its
    e-mail, the key shop by its name (trytond's own searches, by other fields, are not
    counted). By transaction: a unit replayed (trytond asking for locks first) asks
    again in its new transaction, as it must."""

    ASKED_BY = {
        "sale.sale": "web_id",
        "party.party": "code",
        "party.contact_mechanism": "value",
        "web.shop": "name",
    }

    def __init__(self) -> None:
        self.count: Counter[tuple[str, str, int]] = Counter()
        self.transactions: list[Any] = []  # kept: the transaction's place is its number

    def watch(self, monkeypatch: pytest.MonkeyPatch, target: TrytonTarget) -> None:
        from trytond.pool import Pool

        with session(target, readonly=True):
            pool = Pool()
            for model, field in self.ASKED_BY.items():
                Model = pool.get(model)
                monkeypatch.setattr(Model, "search", self._counted(model, field, Model.search))

    def _counted(self, model: str, field: str, search: Callable[..., Any]) -> Any:
        from trytond.transaction import Transaction

        def counted(cls: Any, domain: Any, *args: Any, **kwargs: Any) -> Any:
            for clause in domain:
                if isinstance(clause, tuple) and clause[0] == field and clause[1] in ("=", "ilike"):
                    self.count[(model, str(clause[2]), self._number(Transaction()))] += 1
            return search(domain, *args, **kwargs)

        return classmethod(counted)

    def _number(self, transaction: Any) -> int:
        for number, seen in enumerate(self.transactions):
            if seen is transaction:
                return number
        self.transactions.append(transaction)
        return len(self.transactions) - 1

    def taken(self, model: str) -> Counter[tuple[str, int]]:
        """How often ``model`` was searched by each key in each transaction, since last
        asked."""
        taken = Counter({(key, tx): n for (m, key, tx), n in self.count.items() if m == model})
        self.count = Counter({k: n for k, n in self.count.items() if k[0] != model})
        return taken


@pytest.fixture
def searches(monkeypatch: pytest.MonkeyPatch, tryton_demo: TrytonTarget) -> Searches:
    counter = Searches()
    counter.watch(monkeypatch, tryton_demo)
    return counter


def asked_once(taken: Counter[tuple[str, int]]) -> Counter[str]:
    """The keys searched, each in how many transactions; fails when one transaction
    asked for a key more than once."""
    again = {key: n for key, n in taken.items() if n > 1}
    assert not again, f"asked more than once in one transaction: {again}"
    return Counter(key for key, _ in taken)


def by_order(keys: Counter[str]) -> dict[str, int]:
    """Searched sale keys by what follows the shop's identity (``400``, ``400/1``)."""
    return {key.rsplit("#", 1)[1]: n for key, n in keys.items()}


def test_an_order_asks_for_its_sale_and_its_buyer_once(
    tmp_path: Path,
    tryton_demo: TrytonTarget,
    tryton_backoffice: TrytonBackOffice,
    searches: Searches,
) -> None:
    """In an order's unit the sale is asked for once by its key (and once as the first
    part of a split order), the buyer once by e-mail and, a new buyer only, once by its
    code before it is created; the key shop once. Then the same buyers again: found by
    e-mail, never asked for by code."""
    first = [paid_order(400 + n, buyer=70 + n) for n in range(3)]
    summary = run_import(tmp_path, tryton_demo, tryton_backoffice, OrdersShop(first))
    assert summary.counts["created"] == 3, summary.counts
    sale_keys = by_order(asked_once(searches.taken("sale.sale")))
    assert set(sale_keys) == {key for n in range(400, 403) for key in (str(n), f"{n}/1")}
    assert set(asked_once(searches.taken("party.party"))) == {f"WEB0080{70 + n}" for n in range(3)}
    emails = {f"unit{70 + n}@units.example.org" for n in range(3)}
    assert set(asked_once(searches.taken("party.contact_mechanism"))) == emails
    asked_once(searches.taken("web.shop"))

    again = [paid_order(410 + n, buyer=70 + n) for n in range(3)]
    summary = run_import(tmp_path, tryton_demo, tryton_backoffice, OrdersShop(again))
    assert summary.counts["created"] == 3, summary.counts
    sale_keys = by_order(asked_once(searches.taken("sale.sale")))
    assert set(sale_keys) == {key for n in range(410, 413) for key in (str(n), f"{n}/1")}
    assert not searches.taken("party.party")
    assert set(asked_once(searches.taken("party.contact_mechanism"))) == emails
    asked_once(searches.taken("web.shop"))


def test_a_replayed_unit_asks_again(
    tmp_path: Path,
    tryton_demo: TrytonTarget,
    tryton_backoffice: TrytonBackOffice,
    searches: Searches,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """What a unit looked up is not kept past its transaction: replayed, the unit asks
    for the sale by its key again, in the new transaction (what makes the replay find a
    sale committed meanwhile), and writes it once."""
    from trytond.transaction import Transaction

    asked: list[str] = []

    def ask_a_lock(record: Any) -> None:
        if not asked:
            asked.append(record.reference)
            Transaction().lock_table("sale_sale")

    after_each_sale(monkeypatch, ask_a_lock)
    summary = run_import(
        tmp_path, tryton_demo, tryton_backoffice, OrdersShop([paid_order(420, 80)])
    )
    assert asked == ["420"] and summary.counts["created"] == 1, summary.counts
    # At least the first try and its replay (the month's first payment may replay too).
    transactions = by_order(asked_once(searches.taken("sale.sale")))
    assert transactions["420"] >= 2 and transactions["420/1"] == transactions["420"]
    assert asked_once(searches.taken("party.party")) == {"WEB008080": transactions["420"]}
    assert sales_of(tryton_demo, ["420"]) == {"420": 1}
