"""Benchmark: passerelle's order import against a direct trytond script writing the same sales.

N paid orders (default 200) come from a shop that answers at once (in memory,
no network), so what is measured is the import's own time: passerelle's
``import-orders`` through the runner as the CLI runs it (state store, journal,
mapping, the back-office calls), against a plain trytond script that writes
the same sales the way a Tryton developer would, one transaction per order:
the buyer found by e-mail or created with the same code, name, e-mail and
address, the sale with the same lines, prices, taxes, carrier and shop key,
quoted, paid by the same payment journal, confirmed, then processed by
Tryton's queued task after the commit (shipment and invoice), as passerelle's
``connectors/tryton/sales.py`` does for an "order" document.

Each side works on its own fresh copy of the Tryton demo database, in its own
process (trytond keeps one database server per process), on SQLite and on
PostgreSQL. Before the sales are compared, both sides' sales are read back:
the same references, totals, taxes, line counts, states and payments, to the
cent, or the benchmark stops (a faster side that wrote less would prove
nothing). Median of the runs (default 3) per side; the target is passerelle
≤ 1.2 × the direct script on both database kinds.

    python3 benchmarks/order_import.py [--orders 200] [--runs 3]
        [--databases sqlite postgresql] [--pg-uri postgresql://postgres@127.0.0.1:5432/]
        [--cache DIR]  (or $PASSERELLE_BENCH_CACHE; default ~/.cache/passerelle-bench)
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

from local_overhead import InstantShop

CACHE_ENV = "PASSERELLE_BENCH_CACHE"
TARGET_RATIO = 1.2
PG_URI = "postgresql://postgres@127.0.0.1:5432/"
SIDES = ("passerelle", "direct")
SHIPPING = (Decimal("4.90"), "flat_rate", "Colissimo")
PAYMENT_JOURNAL = "WEB-CARD"  # the demo profile's journal for "stripe"
EMAIL_DOMAIN = "bench-orders.example.org"
UNIT_PRICE = Decimal("0.0001")  # Tryton keeps a line's unit price to 4 places


# ----------------------------------------------------------------------------
# The orders
# ----------------------------------------------------------------------------


def bench_orders(count: int) -> list[Any]:
    """``count`` paid orders of 1 to 3 demo items plus shipping, by ``count // 4``
    buyers (each buys about four times: the first order creates the customer, the
    next ones find it by e-mail)."""
    from passerelle.demo_data import ITEMS, TAXES
    from passerelle.model import Address, Order, OrderLine, OrderStatus, ShippingLine, TaxLine

    rates = {tax.code: tax for tax in TAXES}
    items = [i for i in ITEMS if i.salable and i.active and not i.components and i.tax in rates]
    buyers = max(1, count // 4)
    start = datetime(2026, 11, 2, 8, 0, tzinfo=UTC)
    cent = Decimal("0.01")
    orders = []
    for n in range(count):
        buyer = n % buyers
        address = Address(
            first_name="Camille",
            last_name=f"Banc{buyer}",
            street=f"{buyer + 1} rue du Banc",
            postal_code="69001",
            city="Lyon",
            country_code="FR",
            email=f"buyer{buyer}@{EMAIL_DOMAIN}",
        )
        lines = []
        for k in range(1 + n % 3):
            item = items[(n * 7 + k * 3) % len(items)]
            quantity = Decimal(1 + (n + k) % 2)
            total = item.price * quantity
            rate = rates[item.tax].rate
            tax = (total * rate).quantize(cent)
            taxes = (
                TaxLine(shop_tax_id=item.tax, label=rates[item.tax].name, rate=rate, amount=tax),
            )
            lines.append(
                OrderLine(
                    source_id=f"{n}-{k}",
                    reference=item.code,
                    name=item.name,
                    quantity=quantity,
                    subtotal=total,
                    total=total,
                    total_tax=tax,
                    taxes=taxes,
                )
            )
        amount, method, title = SHIPPING
        shipping_tax = (amount * Decimal("0.2")).quantize(cent)
        shipping = ShippingLine(
            source_id=f"{n}-s",
            method_id=method,
            title=title,
            total=amount,
            total_tax=shipping_tax,
            taxes=(TaxLine("VAT20", "TVA 20 %", Decimal("0.2"), shipping_tax),),
        )
        created = start + timedelta(minutes=n)
        total = sum((ln.total + ln.total_tax for ln in lines), amount + shipping_tax)
        orders.append(
            Order(
                source_id=str(90_000 + n),
                number=str(90_000 + n),
                status=OrderStatus.PROCESSING,
                shop_status="processing",
                currency="EUR",
                created_at=created,
                modified_at=created,
                total=total,
                total_tax=sum((ln.total_tax for ln in lines), shipping_tax),
                customer_id=str(7_000 + buyer),
                billing=address,
                shipping=address,
                lines=tuple(lines),
                shipping_lines=(shipping,),
                payment_method="stripe",
                payment_method_title="Carte bancaire",
                transaction_id=f"ch_{n}",
                paid_at=created + timedelta(seconds=30),
            )
        )
    return orders


class OrdersShop(InstantShop):
    """The instant shop, holding the benchmark's orders."""

    def __init__(self, orders: list[Any]) -> None:
        super().__init__()
        self.orders = {order.source_id: order for order in orders}

    def iter_orders(self, **_: Any) -> Iterator[Any]:
        return iter(self.orders.values())

    def get_order(self, order_id: str) -> Any:
        return self.orders[order_id]


# ----------------------------------------------------------------------------
# The database of each run
# ----------------------------------------------------------------------------


def fresh_database(kind: str, cache: Path, directory: Path, name: str, pg_uri: str) -> Any:
    """A new copy of the Tryton demo database (SQLite file, or PostgreSQL database)."""
    from passerelle.connectors.tryton.demo import copy_demo_database

    uri = pg_uri if kind == "postgresql" else "sqlite://"
    return copy_demo_database(cache / "demo", directory, name, uri=uri)


def drop_pg_database(pg_uri: str, name: str) -> None:
    """Drop a run's PostgreSQL copy once its process has ended."""
    from passerelle.connectors.tryton.demo import _pg_admin, _pg_drop

    with _pg_admin(pg_uri) as conn:
        _pg_drop(conn, name)


def warm_up(target: Any) -> None:
    """Load trytond's pool for the database (about a second, paid once per process by
    either side before its clock starts)."""
    from trytond.pool import Pool

    from passerelle.connectors.tryton.database import session

    with session(target, readonly=True):
        Pool().get("sale.sale").search([], limit=1)


# ----------------------------------------------------------------------------
# passerelle
# ----------------------------------------------------------------------------


def passerelle_profile(target: Any) -> Any:
    """The demo profile on this database; stock is not sent after the import (the
    direct script sends nothing to a shop)."""
    from passerelle.demo import demo_profile
    from passerelle.profiles.schema import Profile

    data = demo_profile(
        "https://127.0.0.1:9", Path("unused-ca.pem"), target.path or Path("."), target.database
    ).model_dump(mode="json", exclude_unset=True)
    data["backoffice"]["uri"] = target.uri
    if target.path is None:
        data["backoffice"].pop("path", None)
    data["orders"]["update_stock_after_import"] = False
    return Profile.model_validate(data)


def run_passerelle(target: Any, orders: list[Any]) -> float:
    """Seconds of passerelle's ``import-orders`` of ``orders`` (every one created)."""
    from rich.console import Console

    from passerelle.connectors.tryton.connector import TrytonBackOffice
    from passerelle.runner import Runner
    from passerelle.store import Store

    profile = passerelle_profile(target)
    backoffice = TrytonBackOffice.from_target(target)
    shop = OrdersShop(orders)
    warm_up(target)
    with tempfile.TemporaryDirectory() as tmp:
        store = Store.open_data_dir(Path(tmp))
        runner = Runner(Path(tmp), store=store, console=Console(quiet=True))
        started = time.perf_counter()
        summary = runner.run(profile, "import-orders", backoffice=backoffice, shop=shop)
        seconds = time.perf_counter() - started
        store.close()
    created = summary.counts.get("created", 0)
    if created != len(orders):
        raise SystemExit(
            f"passerelle created {created} sales of {len(orders)} orders: {summary.status} "
            f"{dict(summary.counts)}"
        )
    return seconds


# ----------------------------------------------------------------------------
# What was written, read back
# ----------------------------------------------------------------------------


def written_sales(target: Any, orders: list[Any]) -> dict[str, list[str]]:
    """Per order number: what its sale holds (party, totals, lines, state, payments,
    shipments and invoices), as strings to compare both sides with."""
    from trytond.pool import Pool

    from passerelle.connectors.tryton.database import session

    numbers = [order.number for order in orders]
    with session(target, readonly=True):
        pool = Pool()
        Sale = pool.get("sale.sale")
        Payment = pool.get("account.payment")
        sales = Sale.search([("reference", "in", numbers)])
        paid: dict[str, list[str]] = {}
        Note = pool.get("ir.note")
        for payment in Payment.search([("origin", "in", [str(s) for s in sales])]):
            notes = [n.message for n in Note.search([("resource", "=", str(payment))])]
            paid.setdefault(str(payment.origin), []).append(
                f"{payment.journal.name} {payment.amount} {payment.state} {payment.reference} "
                f"{payment.date} {notes}"
            )
        return {
            sale.reference: [
                sale.party.code or "",
                sale.party.name,
                str(len(sale.party.addresses)),
                str(sale.sale_date),
                sale.description or "",
                sale.party.contact_mechanisms[0].value if sale.party.contact_mechanisms else "",
                str(sale.untaxed_amount),
                str(sale.tax_amount),
                str(sale.total_amount),
                str(sale.state),
                sale.carrier.party.name if getattr(sale, "carrier", None) else "",
                sale.shipment_address.street or "",
                ";".join(
                    f"{ln.product.code} {ln.quantity} {ln.unit_price.quantize(UNIT_PRICE)} "
                    f"{','.join(t.name for t in ln.taxes)} {getattr(ln, 'shipment_cost', '')}"
                    for ln in sale.lines
                ),
                ";".join(sorted(paid.get(str(sale), []))),
                ",".join(sorted(str(s.state) for s in sale.shipments)),
                ",".join(sorted(str(i.state) for i in sale.invoices)),
            ]
            for sale in sales
        }


# ----------------------------------------------------------------------------
# One measure, in its own process
# ----------------------------------------------------------------------------


def child(args: argparse.Namespace) -> dict[str, Any]:
    orders = bench_orders(args.orders)
    name = f"bench_orders_{args.side}_{os.getpid()}"
    with tempfile.TemporaryDirectory() as tmp:
        target = fresh_database(args.databases[0], args.cache, Path(tmp), name, args.pg_uri)
        run = run_passerelle if args.side == "passerelle" else run_direct
        seconds = run(target, orders)
        sales = written_sales(target, orders)
    return {"seconds": seconds, "sales": sales, "database": target.database}


# ----------------------------------------------------------------------------
# The direct trytond script
# ----------------------------------------------------------------------------


def run_direct(target: Any, orders: list[Any]) -> float:
    """Seconds of a plain trytond script writing the same sales, one transaction per
    order, each committed then processed by its queued task (as Tryton's dispatcher)."""
    from trytond.pool import Pool
    from trytond.transaction import Transaction, TransactionError
    from trytond.worker import run_task

    from passerelle.connectors.tryton.constants import EXTERNAL_KEY_SHOP
    from passerelle.connectors.tryton.database import session

    warm_up(target)
    with session(target, readonly=True):  # who and in which company: the admin's
        user, context = Transaction().user, dict(Transaction().context)
    pool = Pool(target.database)
    started = time.perf_counter()
    with Transaction().start(target.database, user, context=context):
        references = _references(pool, EXTERNAL_KEY_SHOP)
    for order in orders:
        extras: dict[str, Any] = {}
        while True:  # as trytond's dispatcher: again, with the locks a first try asked for
            try:
                with Transaction().start(
                    target.database, user, context=context, **extras
                ) as transaction:
                    with transaction.set_context(_skip_warnings=True):
                        _write_sale(pool, order, references)
                break
            except TransactionError as exc:
                exc.fix(extras)
        while transaction.tasks:
            run_task(pool, transaction.tasks.pop())
    return time.perf_counter() - started


def _references(pool: Any, key_shop_name: str) -> dict[str, Any]:
    """Ids of what every sale uses, looked up once: company, currency, products, taxes,
    carrier, warehouse, country, payment journal and the web shop keeping the keys."""
    from trytond.transaction import Transaction

    company = pool.get("company.company")(Transaction().context["company"])
    shops = pool.get("web.shop").search([("name", "=", key_shop_name)], limit=1)
    if not shops:
        shops = pool.get("web.shop").create(
            [{"name": key_shop_name, "company": company.id, "currency": company.currency.id}]
        )
    (carrier,) = pool.get("carrier").search([("party.name", "=", SHIPPING[2])], limit=1)
    (journal,) = pool.get("account.payment.journal").search(
        [("name", "=", PAYMENT_JOURNAL)], limit=1
    )
    (warehouse,) = pool.get("stock.location").search(
        [("type", "=", "warehouse")], order=[("id", "ASC")], limit=1
    )
    (country,) = pool.get("country.country").search([("code", "=", "FR")], limit=1)
    (currency,) = pool.get("currency.currency").search([("code", "=", "EUR")], limit=1)
    return {
        "company": company.id,
        "currency": currency.id,
        "shop": shops[0].id,
        "carrier": carrier.id,
        "journal": journal.id,
        "warehouse": warehouse.id,
        "country": country.id,
        "products": {p.code: p.id for p in pool.get("product.product").search([])},
        "taxes": {t.name: t.id for t in pool.get("account.tax").search([])},
    }


def _write_sale(pool: Any, order: Any, refs: dict[str, Any]) -> None:
    """The order's buyer (found by e-mail, else created) and its sale, quoted, paid
    and confirmed."""
    Party = pool.get("party.party")
    Mechanism = pool.get("party.contact_mechanism")
    Address = pool.get("party.address")
    Sale = pool.get("sale.sale")
    Line = pool.get("sale.line")
    Product = pool.get("product.product")
    Tax = pool.get("account.tax")
    Payment = pool.get("account.payment")
    Group = pool.get("account.payment.group")
    billing = order.billing
    name = f"{billing.first_name} {billing.last_name}"
    address_values = {
        "street_unstructured": billing.street,
        "postal_code": billing.postal_code,
        "city": billing.city,
        "country": refs["country"],
    }
    found = Mechanism.search([("type", "=", "email"), ("value", "ilike", billing.email)], limit=1)
    if found:
        party = found[0].party
        address = (
            next((a for a in party.addresses if a.street_unstructured == billing.street), None)
            or Address.create([{**address_values, "party": party.id}])[0]
        )
    else:
        (party,) = Party.create(
            [
                {
                    "name": name,
                    "code": f"WEB{int(order.customer_id):06d}",
                    "contact_mechanisms": [("create", [{"type": "email", "value": billing.email}])],
                    "addresses": [("create", [address_values])],
                }
            ]
        )
        address = party.addresses[0]
    sale = Sale(**Sale.default_get(list(Sale._fields), with_rec_name=False))
    sale.party = party
    sale.on_change_party()
    sale.company = refs["company"]
    sale.currency = refs["currency"]
    sale.sale_date = order.created_at.date()
    sale.reference = order.number
    sale.description = f"Web {order.number} - {billing.first_name} {billing.last_name}"
    sale.web_shop = refs["shop"]
    sale.web_id = f"direct#{order.source_id}"
    sale.warehouse = refs["warehouse"]
    sale.carrier = refs["carrier"]
    sale.shipment_cost_method = None
    sale.invoice_address = sale.shipment_address = address
    lines = []
    for line in order.lines:
        product = Product(refs["products"][line.reference])
        lines.append(
            Line(
                type="line",
                product=product,
                description=line.name,
                quantity=float(line.quantity),
                unit=product.sale_uom,
                unit_price=line.total / line.quantity,
                taxes=[Tax(refs["taxes"][t.label]) for t in line.taxes],
            )
        )
    for shipping in order.shipping_lines:
        product = Product(refs["products"]["SHIPPING"])
        lines.append(
            Line(
                type="line",
                product=product,
                description=shipping.title,
                quantity=1.0,
                unit=product.sale_uom,
                unit_price=shipping.total,
                taxes=[Tax(refs["taxes"][t.label]) for t in shipping.taxes],
            )
        )
    for sequence, line in enumerate(lines, start=1):
        line.sequence = sequence
    sale.lines = lines
    sale.save()
    Sale.quote([sale])
    sale = Sale(sale.id)
    if Decimal(sale.total_amount) != order.total:
        raise SystemExit(f"order {order.number}: {sale.total_amount} != {order.total}")
    payments = Payment.create(
        [
            {
                "company": refs["company"],
                "journal": refs["journal"],
                "kind": "receivable",
                "party": party.id,
                "amount": order.total,
                "date": order.paid_at.date(),
                "reference": order.number,
                "origin": str(sale),
            }
        ]
    )
    Payment.submit(payments)
    Payment.process(
        payments,
        lambda: Group.create(
            [{"company": refs["company"], "journal": refs["journal"], "kind": "receivable"}]
        )[0],
    )
    Payment.succeed(payments)
    label = f"{name} - {order.number}"  # the payment's label in the accounts
    pool.get("ir.note").create([{"resource": str(p), "message": label} for p in payments])
    moves = [p.clearing_move for p in Payment.browse(payments) if getattr(p, "clearing_move", None)]
    for move in moves:
        move.description = label
    pool.get("account.move").save(moves)
    Sale.confirm([sale])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--orders", type=int, default=200, help="paid orders to import")
    parser.add_argument("--runs", type=int, default=3, help="runs per side and database")
    parser.add_argument(
        "--databases", nargs="+", choices=("sqlite", "postgresql"), default=["sqlite", "postgresql"]
    )
    parser.add_argument("--pg-uri", default=PG_URI, help="the PostgreSQL server")
    parser.add_argument("--cache", type=Path, default=None, help="where the demo template is kept")
    parser.add_argument("--side", choices=SIDES, help=argparse.SUPPRESS)
    args = parser.parse_args()
    args.cache = args.cache or Path(
        os.environ.get(CACHE_ENV) or Path.home() / ".cache" / "passerelle-bench"
    )
    if args.side:
        print(json.dumps(child(args)))
        return 0
    print(
        f"{args.orders} paid orders, median of {args.runs} runs per side, each on a fresh "
        f"copy of the Tryton demo database; target passerelle <= {TARGET_RATIO} x direct"
    )
    worst = 0.0
    for kind in args.databases:
        times: dict[str, list[float]] = {side: [] for side in SIDES}
        for _ in range(args.runs):
            written = {}
            for side in SIDES:
                result = measure(args, kind, side)
                times[side].append(result["seconds"])
                written[side] = result["sales"]
            compare(written["passerelle"], written["direct"], args.orders)
        ours, theirs = (statistics.median(times[side]) for side in SIDES)
        ratio = ours / theirs
        # Each run's two sides run back to back: on a shared machine their ratio
        # is steadier than the ratio of the medians, so it is shown too.
        pairs = [p / d for p, d in zip(times["passerelle"], times["direct"], strict=True)]
        worst = max(worst, ratio)
        print(
            f"{kind:<10} passerelle {ours:7.2f} s ({_each(times['passerelle'])})  "
            f"direct trytond {theirs:7.2f} s ({_each(times['direct'])})  "
            f"ratio {ratio:.2f} ({'met' if ratio <= TARGET_RATIO else 'NOT met'}: "
            f"<= {TARGET_RATIO}; run by run {_each(pairs)}, median "
            f"{statistics.median(pairs):.2f})  {1000 * ours / args.orders:.0f} ms/order vs "
            f"{1000 * theirs / args.orders:.0f}"
        )
    return 0 if worst <= TARGET_RATIO else 1


def measure(args: argparse.Namespace, kind: str, side: str) -> dict[str, Any]:
    """One side's run in its own process, on its own database copy (dropped after on
    PostgreSQL)."""
    command = [
        sys.executable,
        __file__,
        "--side",
        side,
        "--orders",
        str(args.orders),
        "--databases",
        kind,
        "--pg-uri",
        args.pg_uri,
        "--cache",
        str(args.cache),
    ]
    done = subprocess.run(command, check=True, stdout=subprocess.PIPE, text=True)
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    if kind == "postgresql":
        drop_pg_database(args.pg_uri, result["database"])
    return result


def compare(ours: dict[str, list[str]], theirs: dict[str, list[str]], count: int) -> None:
    """Stop unless both sides wrote the same sales, to the cent."""
    if len(ours) != count or len(theirs) != count:
        raise SystemExit(f"sales written: passerelle {len(ours)}, direct {len(theirs)}, of {count}")
    for reference, sale in sorted(ours.items()):
        if theirs.get(reference) != sale:
            raise SystemExit(
                f"order {reference} differs:\n  passerelle {sale}\n  direct     "
                f"{theirs.get(reference)}"
            )


def _each(seconds: list[float]) -> str:
    return ", ".join(f"{s:.2f}" for s in seconds)


if __name__ == "__main__":
    sys.exit(main())
