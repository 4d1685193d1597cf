"""The order workflow around the import, through the real command line: the
staging grid (O21), resets (O18), re-checks of unpaid orders (O22), shop
cancellations and shipment confirmations (O20), XML files (O19) and a profile
refused at load (O14).

Each test runs the real flows against the WooCommerce sandbox and a copy of
the Tryton demo database, and checks both sides. What Tryton must hold is
derived from the shop's orders (as its REST API presents them) and the rules
of docs/orders.md, never from what passerelle reports. The shop is trimmed to
the orders a test needs (deleted through the shop's own API), which keeps the
file fast without changing what a run does with each order.
"""

from __future__ import annotations

import re
import ssl
import time
from collections import Counter
from collections.abc import Iterable
from datetime import timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import httpx
import pytest
from click.testing import Result
from typer.testing import CliRunner

from passerelle.cli.common import console
from passerelle.cli.main import app
from passerelle.connectors.tryton.database import session
from passerelle.demo import DEMO_KEY, DEMO_SECRET
from passerelle.demo_data import CUSTOMERS, ITEMS
from passerelle.flows.import_orders import FLOW as IMPORT
from passerelle.profiles import Profile, ProfileRepository
from passerelle.runner.outcomes import exit_code
from passerelle.store import Run, StagedOrder
from tests.integration.conftest import World
from tests.integration.tryton_view import SaleView, read_sales

# docs/orders.md: processing and completed become confirmed orders (Tryton
# processes them at once: shipment and invoice), on-hold a quotation.
TRYTON_STATE = {"processing": "processing", "completed": "processing", "on-hold": "quotation"}
KNOWN_ITEMS = {item.code for item in ITEMS}
CUSTOMER_BY_EMAIL = {c.email: c.code for c in CUSTOMERS if c.email}


# --------------------------------------------------------------------------- the shop
def api(world: World, method: str, path: str, body: object = None) -> httpx.Response:
    """The merchant (or the shop) acting through the shop's own REST API."""
    trust = ssl.create_default_context(cafile=str(world.sandbox.ca_bundle))
    with httpx.Client(verify=trust, auth=(DEMO_KEY, DEMO_SECRET), timeout=30) as client:
        response = client.request(method, f"{world.sandbox.url}/wp-json/wc/v3/{path}", json=body)
    assert response.status_code < 300, (method, path, response.text)
    return response


def keep_only(world: World, ids: Iterable[int]) -> None:
    """Delete (for good, through the API's batch endpoint) every other order."""
    wanted = set(ids)
    gone = [i for i in world.sandbox.data.orders if i not in wanted]
    api(world, "POST", "orders/batch", {"delete": gone})
    assert set(world.sandbox.data.orders) == wanted


def shop_order(world: World, order_id: int) -> dict[str, Any]:
    order: dict[str, Any] = api(world, "GET", f"orders/{order_id}").json()
    return order


def shop_orders(world: World) -> list[dict[str, Any]]:
    """Every order of the shop (the trash apart), as the API lists them."""
    orders: list[dict[str, Any]] = []
    page = 1
    while True:
        batch = api(world, "GET", f"orders?per_page=100&page={page}&orderby=id&order=asc").json()
        orders.extend(batch)
        if len(batch) < 100:
            return orders
        page += 1


def host(world: World) -> str:
    return world.sandbox.url.split("://", 1)[1]


def key(world: World, order_id: int | str, generation: int = 0) -> str:
    """The order's key on its Tryton sale: ``<shop>#<id>``, ``~N`` after N resets (O18)."""
    base = f"{host(world)}#{order_id}"
    return f"{base}~{generation}" if generation else base


def shop_writes(world: World) -> list[tuple[str, str]]:
    return [r for r in world.sandbox.requests if r[0] in ("POST", "PUT", "PATCH", "DELETE")]


# --------------------------------------------------------------------------- expectations
def expected_party(order: dict[str, Any]) -> str:
    """K7: a back-office customer with the buyer's e-mail, else the guest account or
    WEB + the shop customer id padded to 9 characters (the demo profile's rules)."""
    by_email = CUSTOMER_BY_EMAIL.get(order["billing"]["email"])
    if by_email:
        return by_email
    return f"WEB{int(order['customer_id']):06d}" if order["customer_id"] else "WEBGUEST"


def expected_journal(profile: Profile, order: dict[str, Any]) -> str:
    """O11: the payment journal the profile maps the order's method (or alias) to."""
    method = order["payment_method"]
    mapping = profile.orders.payments.get(method) or next(
        m for m in profile.orders.payments.values() if method in m.aliases
    )
    return mapping.journals_by_currency.get(order["currency"], mapping.journal)


def is_paid(order: dict[str, Any]) -> bool:
    return bool(order.get("date_paid_gmt")) or order["status"] in ("processing", "completed")


def assert_sale_matches(
    world: World, sale: SaleView, order: dict[str, Any], profile: Profile | None = None
) -> None:
    """One Tryton sale against the shop order it was written from, field by field."""
    profile = profile or world.profile
    where = f"order {order['id']}"
    billing = order["billing"]
    assert sale.total == Decimal(order["total"]), where
    assert sale.tax == Decimal(order["total_tax"]), where
    assert sale.currency == order["currency"], where
    assert sale.party_code == expected_party(order), where
    assert sale.reference == order["number"], where  # reference_template = "%ON"
    assert (
        sale.description == f"Web {order['id']} - {billing['first_name']} {billing['last_name']}"
    ), where
    assert sale.state == TRYTON_STATE[order["status"]], where
    # The products, each at the shop's price before any coupon (discount_mode
    # per_vat), described by the shop's label; an unknown SKU on the misc item.
    expected = Counter()
    for item in order["line_items"]:
        known = item["sku"] in KNOWN_ITEMS
        expected[
            (
                item["sku"] if known else profile.orders.misc_item,
                item["name"] if known else f"{item['sku']} {item['name']}",
                Decimal(str(item["quantity"])),
                Decimal(item["subtotal"]),
            )
        ] += 1
    for shipping in order["shipping_lines"]:
        if Decimal(shipping["total"]):
            expected[
                (
                    profile.orders.shipping_item,
                    shipping["method_title"],
                    Decimal(1),
                    Decimal(shipping["total"]),
                )
            ] += 1
    got = Counter((line.code, line.description, line.quantity, line.amount) for line in sale.lines)
    assert got & expected == expected, (where, got, expected)
    # O11: a paid order carries one payment of its total on its method's journal,
    # succeeded once the sale is confirmed, referenced by the order number.
    if is_paid(order):
        assert sale.payments == (
            (
                expected_journal(profile, order),
                Decimal(order["total"]),
                "succeeded",
                order["number"],
            ),
        ), where
    else:
        assert sale.payments == (), where


def assert_same_document(first: SaleView, second: SaleView) -> None:
    """Two documents written for one order: same content, their own number."""
    assert first.number != second.number
    for name in (
        "party_code",
        "reference",
        "description",
        "currency",
        "untaxed",
        "tax",
        "total",
        "lines",
        "tax_bases",
        "state",
    ):
        assert getattr(first, name) == getattr(second, name), name
    assert [p[:3] for p in first.payments] == [p[:3] for p in second.payments]


# --------------------------------------------------------------------------- the CLI
@pytest.fixture(autouse=True)
def _wide_tables(monkeypatch: pytest.MonkeyPatch) -> None:
    """One table row per line, however long the reason (the console's width is
    fixed when it is created, from $COLUMNS, which pytest-xdist sets to 80)."""
    monkeypatch.setattr(console, "width", 400)


# The commands that run a flow, hence exit with its outcome's code.
_RUNS_A_FLOW = {
    ("orders", "validate"): "validate-orders",
    ("orders", "recheck"): IMPORT,
    ("orders", "import-xml"): IMPORT,
}


class Cli:
    """``passerelle …`` as the merchant types it, on the world's data directory."""

    def __init__(self, world: World, profile: Profile | None = None) -> None:
        self.world = world
        self.save(profile or world.profile)

    def save(self, profile: Profile) -> Path:
        return ProfileRepository(self.world.data_dir).save(profile)

    def __call__(self, *args: str, code: int | None = None) -> str:
        """Run a command; ``code`` is its exit code, by default 0 — for ``run FLOW``
        that of the outcome the run recorded (3 when it completed with problems)."""
        result: Result = CliRunner().invoke(app, [*args, "--data-dir", str(self.world.data_dir)])
        if result.exception is not None and not isinstance(result.exception, SystemExit):
            raise result.exception
        if code is None:
            flow = args[1] if args[0] == "run" else _RUNS_A_FLOW.get(args[:2])
            code = exit_code(self._latest(flow).status) if flow else 0
        assert result.exit_code == code, (args, result.output)
        return result.output

    def _latest(self, flow: str) -> Run:
        return max(self.world.store.list_runs(flow=flow), key=lambda r: r.id)

    def import_orders(self, *extra: str) -> dict[str, int]:
        """``passerelle run import-orders``; the counts the run recorded in the store."""
        self("run", IMPORT, "--profile", "demo", *extra)
        return self.last_run(IMPORT)

    def last_run(self, flow: str) -> dict[str, int]:
        """The counts of the flow's last run, which went to its end (perhaps with
        problems: records failed or parked for a person; the counts say which)."""
        latest = self._latest(flow)
        assert latest.status in ("succeeded", "with_problems"), latest
        assert latest.status == "succeeded" or latest.counts["failed"] or latest.counts["parked"], (
            latest
        )
        return dict(latest.counts)


def staged_ids(world: World, *states: str) -> set[str]:
    rows: list[StagedOrder] = world.store.staged(
        world.profile.name, IMPORT, states=states or ("staged",)
    )
    return {row.order_id for row in rows}


def parked(world: World) -> dict[str, tuple[str, str]]:
    return {
        p.record_key: (p.severity.value, p.reason)
        for p in world.store.parked(world.profile.name, IMPORT)
    }


def grid_rows(output: str) -> dict[str, str]:
    """``orders staged``: each row by its first column (the order)."""
    rows = {}
    for line in output.splitlines():
        if line.strip() and not line.startswith("order "):
            rows[line.split()[0]] = line
    return rows


# --------------------------------------------------------------------------- Tryton side
def ship_in_tryton(
    world: World, sale_key: str, carrier: str, tracking: str, days_ago: int = 0
) -> str:
    """The warehouse ships a sale: its customer shipment assigned, picked, packed and
    done, with the carrier and the carrier's tracking number; its number.
    ``days_ago``: the parcel left that many days before it is recorded."""
    from trytond.pool import Pool

    with session(world.target):
        pool = Pool()
        Sale = pool.get("sale.sale")
        Shipment = pool.get("stock.shipment.out")
        Carrier = pool.get("carrier")
        (sale,) = Sale.search([("web_id", "=", sale_key)])
        (shipment,) = sale.shipments
        (chosen,) = [c for c in Carrier.search([]) if c.party.name == carrier]
        shipment.carrier = chosen
        shipment.shipping_reference = tracking
        if days_ago:
            shipment.effective_date = pool.get("ir.date").today() - timedelta(days=days_ago)
        shipment.save()
        Shipment.assign_force([shipment])
        Shipment.pick([shipment])
        Shipment.pack([shipment])
        Shipment.do([shipment])
        number: str = Shipment(shipment.id).number
        assert Shipment(shipment.id).state == "done"
        return number


def documents_of(target: Any) -> dict[str, tuple[tuple[str, str], ...]]:
    """Each keyed sale's customer shipments and invoices, with their states."""
    from trytond.pool import Pool

    with session(target, readonly=True):
        Sale = Pool().get("sale.sale")
        return {
            s.web_id: (
                tuple(("shipment", sh.state) for sh in s.shipments)
                + tuple(("invoice", inv.state) for inv in s.invoices)
            )
            for s in Sale.search([("web_id", "!=", None)])
        }


# =========================================================================== O21
def test_staging_grid_validate_reject_and_anomalies(world: World) -> None:
    """O21: with auto_validate off an import writes nothing to Tryton; the merchant
    validates and rejects in the grid; every order ends in Tryton exactly once."""
    keep_only(world, [703, 704, 705, 706, 707, 708, 709, 710, 712])
    staging = world.profile.model_copy(deep=True)
    staging.orders.auto_validate = False
    paypal = staging.orders.payments.pop("paypal")  # 704 and 708 are paid with PayPal
    cli = Cli(world, staging)
    orders = {o["id"]: o for o in shop_orders(world)}
    importable = {str(i) for i, o in orders.items() if o["status"] in TRYTON_STATE}
    paid_by_paypal = {
        str(i)
        for i, o in orders.items()
        if o["payment_method"] == "paypal" and o["status"] in TRYTON_STATE
    }
    assert paid_by_paypal == {"704", "708"}

    counts = cli.import_orders()
    assert world.sales_by_key() == {}  # nothing reaches Tryton before validation
    expected_staged = importable - paid_by_paypal
    assert staged_ids(world) == expected_staged == {"703", "707", "709", "710", "712"}
    assert counts["created"] == 0 and counts["parked"] == 3  # 704, 708, 705
    for row in world.store.staged(staging.name, IMPORT):
        order = orders[int(row.order_id)]
        assert row.summary == (
            f"{expected_party(order)}, "
            f"{'quotation' if order['status'] == 'on-hold' else 'order'}, "
            f"{order['total']} {order['currency']}"
        ), row.order_id
    aside = parked(world)
    assert aside["705"][0] == "retry" and "awaiting payment" in aside["705"][1]
    for order_id in paid_by_paypal:
        severity, reason = aside[order_id]
        assert severity == "error"
        assert "'paypal'" in reason and "[orders.payments.paypal]" in reason, reason

    grid = grid_rows(cli("orders", "staged", "--profile", "demo"))
    assert set(grid) == expected_staged | paid_by_paypal | {"705"}
    for order_id in expected_staged:
        assert grid[order_id].split()[1] == "staged", grid[order_id]
        assert f"{orders[int(order_id)]['total']} EUR" in grid[order_id]
    for order_id in paid_by_paypal:  # the anomaly is listed with its whole reason
        assert "set aside (error)" in grid[order_id]
        assert aside[order_id][1] in grid[order_id], grid[order_id]
    assert "set aside (retry)" in grid["705"]

    # Validate two: exactly those two are written, to the cent, with their payments.
    cli("orders", "validate", "--profile", "demo", "703,707")
    assert world.sales_by_key() == {key(world, 703): 1, key(world, 707): 1}
    sales = read_sales(world.target)
    for order_id in (703, 707):
        assert_sale_matches(world, sales[key(world, order_id)], orders[order_id], staging)
    validated = {
        r.order_id: r for r in world.store.staged(staging.name, IMPORT, states=["validated"])
    }
    assert set(validated) == {"703", "707"}
    assert validated["703"].remote_number == sales[key(world, 703)].number
    assert "1 order rejected" in cli(
        "orders", "reject", "--profile", "demo", "712", "--reason", "test order"
    )

    # Importing again (plain, and re-reading everything) changes nothing.
    for extra in ((), ("--include-transferred",)):
        counts = cli.import_orders(*extra)
        assert counts["created"] == 0
        assert world.sales_by_key() == {key(world, 703): 1, key(world, 707): 1}
        assert staged_ids(world) == {"709", "710"}
        assert staged_ids(world, "validated") == {"703", "707"}
        assert staged_ids(world, "rejected") == {"712"}
    grid = grid_rows(cli("orders", "staged", "--profile", "demo"))
    assert set(grid) == {"709", "710", "705"} | paid_by_paypal
    everything = grid_rows(cli("orders", "staged", "--profile", "demo", "--all"))
    assert "rejected" in everything["712"] and "test order" in everything["712"]

    # ALL writes the rest of the grid: not the rejected order, not the anomalies.
    cli("orders", "validate", "--profile", "demo", "ALL")
    written = {key(world, i): 1 for i in (703, 707, 709, 710)}
    assert world.sales_by_key() == written
    assert staged_ids(world) == set()

    # The mapping fixed, the anomalies are read again, staged and validated.
    staging.orders.payments["paypal"] = paypal
    cli.save(staging)
    cli.import_orders()
    assert staged_ids(world) == paid_by_paypal
    cli("orders", "validate", "--profile", "demo", "ALL")
    written |= {key(world, i): 1 for i in (704, 708)}
    assert world.sales_by_key() == written  # every order exactly once
    sales = read_sales(world.target)
    for order_id in (703, 704, 707, 708, 709, 710):
        assert_sale_matches(world, sales[key(world, order_id)], orders[order_id], staging)
    assert set(parked(world)) == {"705"}

    # O18 on the grid: a reset forgets even a rejection; the rejected order comes back.
    cli("orders", "reset", "--profile", "demo", "ALL")
    cli.import_orders()
    assert staged_ids(world) == importable  # every order once in the grid, 712 included
    cli("orders", "validate", "--profile", "demo", "712")
    written[key(world, 712, 1)] = 1
    assert world.sales_by_key() == written
    assert_sale_matches(world, read_sales(world.target)[key(world, 712, 1)], orders[712])


# =========================================================================== O18
def test_reset_writes_one_new_document_per_reset(world: World) -> None:
    """O18: a reset order gets exactly one new document at the next import (key with
    the next generation), whatever else runs; the old one is left as it was."""
    keep_only(world, [703, 705, 707, 712, 724])
    cli = Cli(world)
    orders = {o["id"]: o for o in shop_orders(world)}
    cli.import_orders()
    first = {
        key(world, 703): 1,
        key(world, 707): 1,
        key(world, 712): 1,
        f"{key(world, 724)}/1": 1,
        f"{key(world, 724)}/2": 1,
    }  # O23: two addresses
    assert world.sales_by_key() == first
    before = read_sales(world.target)

    assert "1 order reset: 703" in cli("orders", "reset", "--profile", "demo", "703")
    counts = cli.import_orders()
    assert counts["created"] == 1
    assert world.sales_by_key() == {**first, key(world, 703, 1): 1}
    after = read_sales(world.target)
    assert_sale_matches(world, after[key(world, 703, 1)], orders[703])
    assert_same_document(after[key(world, 703)], after[key(world, 703, 1)])
    assert after[key(world, 703)] == before[key(world, 703)]  # the old one untouched
    assert cli.import_orders()["created"] == 0
    assert cli.import_orders("--include-transferred")["created"] == 0
    assert world.sales_by_key() == {**first, key(world, 703, 1): 1}

    reset = cli("orders", "reset", "--profile", "demo", "ALL")
    assert "5 orders reset: 703, 705, 707, 712, 724" in reset  # 705: set aside, unpaid
    counts = cli.import_orders()
    assert counts["created"] == 4 and counts["parked"] == 1  # 705 still awaits payment
    expected = {
        **first,
        key(world, 703, 1): 1,
        key(world, 703, 2): 1,
        key(world, 707, 1): 1,
        key(world, 712, 1): 1,
        f"{key(world, 724, 1)}/1": 1,
        f"{key(world, 724, 1)}/2": 1,
    }
    assert world.sales_by_key() == expected
    documents = Counter(k.split("#")[1].split("~")[0].split("/")[0] for k in expected)
    assert documents == {"703": 3, "707": 2, "712": 2, "724": 4}  # 724: two per import
    sales = read_sales(world.target)
    for order_id in (703, 707, 712):
        assert_same_document(
            sales[key(world, order_id)], sales[key(world, order_id, 2 if order_id == 703 else 1)]
        )
    assert sum(sales[f"{key(world, 724, 1)}/{n}"].total for n in (1, 2)) == Decimal(
        orders[724]["total"]
    )
    assert parked(world)["705"][0] == "retry"
    assert cli.import_orders()["created"] == 0
    assert cli.import_orders("--include-transferred")["created"] == 0
    assert world.sales_by_key() == expected


# =========================================================================== O22
def test_recheck_imports_an_order_once_paid(world: World) -> None:
    """O22: an order awaiting payment is set aside to retry; `orders recheck` reads
    only those again, and imports it once the shop says it is paid."""
    keep_only(world, [703, 705])
    cli = Cli(world)
    cli.import_orders()
    assert parked(world)["705"][0] == "retry"
    assert "awaiting payment" in parked(world)["705"][1]
    assert world.sales_by_key() == {key(world, 703): 1}

    world.sandbox.reset_requests()
    cli("orders", "recheck", "--profile", "demo")  # still unpaid: still aside
    assert world.sandbox.requests == [("GET", "/wp-json/wc/v3/orders/705")]
    assert world.sales_by_key() == {key(world, 703): 1}
    assert parked(world)["705"][0] == "retry"

    api(world, "PUT", "orders/705", {"status": "processing", "set_paid": True})
    order = shop_order(world, 705)
    assert order["status"] == "processing" and order["date_paid_gmt"]
    world.sandbox.reset_requests()
    cli("orders", "recheck", "--profile", "demo")
    assert cli.last_run(IMPORT)["created"] == 1
    # Only the order set aside was read, not the shop's order list.
    assert world.sandbox.requests == [("GET", "/wp-json/wc/v3/orders/705")]
    assert world.sales_by_key() == {key(world, 703): 1, key(world, 705): 1}
    assert_sale_matches(world, read_sales(world.target)[key(world, 705)], order)
    assert parked(world) == {}

    world.sandbox.reset_requests()
    cli("orders", "recheck", "--profile", "demo")
    assert cli.last_run(IMPORT)["created"] == 0
    assert world.sandbox.requests == []
    assert world.sales_by_key() == {key(world, 703): 1, key(world, 705): 1}


# =========================================================================== O20
def test_shop_cancellation_cancels_the_document_once(world: World) -> None:
    """O20: an imported order cancelled in the shop cancels its Tryton sale (status
    only: lines untouched), once; a shipped sale is not cancelled and the order is
    set aside saying so."""
    keep_only(world, [703, 707, 712])
    cli = Cli(world)
    cli.import_orders()
    before = read_sales(world.target)
    shipment = ship_in_tryton(world, key(world, 703), "Colissimo", "6A00000000703")
    for order_id in (703, 707, 712):
        api(world, "PUT", f"orders/{order_id}", {"status": "cancelled"})
        assert shop_order(world, order_id)["status"] == "cancelled"

    counts = cli.import_orders()
    assert counts["updated"] == 2 and counts["failed"] == 1
    sales = read_sales(world.target)
    # The quotation (on-hold order) is cancelled outright.
    assert before[key(world, 712)].state == "quotation"
    assert sales[key(world, 712)].state == "cancelled"
    # The paid order was confirmed and processed: Tryton has no way back to
    # "cancelled" from there, so its shipment and invoice are cancelled and
    # the sale ends with nothing left to ship or invoice.
    assert before[key(world, 707)].state == "processing"
    assert sales[key(world, 707)].state == "done"
    docs = documents_of(world.target)
    assert docs[key(world, 707)] == (("shipment", "cancelled"), ("invoice", "cancelled"))
    for order_id in (707, 712):  # status only: lines, amounts, addresses unchanged
        old, new = before[key(world, order_id)], sales[key(world, order_id)]
        for name in (
            "lines",
            "untaxed",
            "tax",
            "total",
            "party_code",
            "shipment_street",
            "invoice_street",
            "payments",
        ):
            assert getattr(old, name) == getattr(new, name), (order_id, name)
    # The shipped one is not cancelled, and the merchant is told why.
    assert sales[key(world, 703)].state == "processing"
    assert docs[key(world, 703)][0] == ("shipment", "done")
    severity, reason = parked(world)["703"]
    assert severity == "error"
    assert "cancelled in the shop" in reason and f"shipment(s) {shipment} already done" in reason, (
        reason
    )

    counts = cli.import_orders("--include-transferred")
    assert counts["updated"] == 0 and counts["created"] == 0
    assert read_sales(world.target) == sales
    assert documents_of(world.target) == docs
    assert set(parked(world)) == {"703"}
    assert world.sales_by_key() == {key(world, i): 1 for i in (703, 707, 712)}


def test_confirm_shipments_tells_the_shop_once(world: World) -> None:
    """O20: shipments done in Tryton reach the shop: status, a note naming carrier
    and tracking number (to the buyer when notify_customer), the Shipment Tracking
    meta; told once."""
    keep_only(world, [703, 707, 724])
    cli = Cli(world)
    cli.import_orders()
    started = int(time.time())
    ship_in_tryton(world, key(world, 703), "Colissimo", "6A12345678901")
    ship_in_tryton(world, f"{key(world, 724)}/1", "Colissimo", "6A00000724001")
    ship_in_tryton(world, f"{key(world, 724)}/2", "Chronopost", "XY000724002FR")
    notes_before = {n for n in world.sandbox.data.order_notes}

    cli("run", "confirm-shipments", "--profile", "demo")
    assert cli.last_run("confirm-shipments")["updated"] == 3
    told = {
        703: [("Colissimo", "6A12345678901")],
        724: [("Colissimo", "6A00000724001"), ("Chronopost", "XY000724002FR")],
    }
    for order_id, shipments in told.items():
        order = shop_order(world, order_id)
        assert order["status"] == "completed", order_id
        meta = {m["key"]: m["value"] for m in order["meta_data"]}
        items = meta["_wc_shipment_tracking_items"]
        assert [i["tracking_number"] for i in items] == [t for _, t in shipments]
        for item, (carrier, _) in zip(items, shipments, strict=True):
            # The extension names the carriers it knows by slug, others in full.
            if carrier == "Colissimo":
                assert (item["tracking_provider"], item["custom_tracking_provider"]) == (
                    "colissimo",
                    "",
                )
            else:
                assert (item["tracking_provider"], item["custom_tracking_provider"]) == (
                    "",
                    carrier,
                )
            assert started - 60 <= int(item["date_shipped"]) <= time.time() + 60
        notes = [
            n
            for n in world.sandbox.data.order_notes.values()
            if n["order_id"] == order_id
            and n["id"] not in notes_before
            and "Order status changed" not in n["note"]
        ]
        assert len(notes) == len(shipments), notes
        for note, (carrier, tracking) in zip(notes, shipments, strict=True):
            assert carrier in note["note"] and tracking in note["note"], note
            assert note["customer_note"] is True  # notify_customer defaults to true
    assert shop_order(world, 707)["status"] == "processing"  # not shipped yet

    world.sandbox.reset_requests()
    cli("run", "confirm-shipments", "--profile", "demo")
    assert cli.last_run("confirm-shipments")["updated"] == 0
    assert shop_writes(world) == []

    # notify_customer off and a carrier shown under another name: the next shipment.
    quiet = world.profile.model_copy(deep=True)
    quiet.orders.shipments.notify_customer = False
    quiet.orders.shipments.carriers = {"Chronopost": "Chronopost Express"}
    cli.save(quiet)
    ship_in_tryton(world, key(world, 707), "Chronopost", "XY000000707FR")
    world.sandbox.reset_requests()
    cli("run", "confirm-shipments", "--profile", "demo")
    assert cli.last_run("confirm-shipments")["updated"] == 1
    assert {path for _, path in shop_writes(world)} == {
        "/wp-json/wc/v3/orders/707",
        "/wp-json/wc/v3/orders/707/notes",
    }
    order = shop_order(world, 707)
    assert order["status"] == "completed"
    items = {m["key"]: m["value"] for m in order["meta_data"]}["_wc_shipment_tracking_items"]
    assert [(i["custom_tracking_provider"], i["tracking_number"]) for i in items] == [
        ("Chronopost Express", "XY000000707FR")
    ]
    (note,) = [
        n
        for n in world.sandbox.data.order_notes.values()
        if n["order_id"] == 707 and "XY000000707FR" in n["note"]
    ]
    assert "Chronopost Express" in note["note"] and note["customer_note"] is False
    world.sandbox.reset_requests()
    cli("run", "confirm-shipments", "--profile", "demo")
    assert shop_writes(world) == []


def test_a_shipment_the_shop_refused_is_told_at_the_next_run(world: World) -> None:
    """O20: a shipment the shop refused is told once the shop accepts, even though a
    later shipment came in the same run (the bookmark must not pass it by)."""
    keep_only(world, [703, 707])
    wrong = world.profile.model_copy(deep=True)
    wrong.orders.shipments.status = "shipped"  # a status this shop does not have
    cli = Cli(world, wrong)
    cli.import_orders()
    # The parcel of 703 left yesterday and is recorded today, before 707's.
    first = ship_in_tryton(world, key(world, 703), "Colissimo", "6A00000000703", days_ago=1)
    second = ship_in_tryton(world, key(world, 707), "Colissimo", "6A00000000707")

    cli("run", "confirm-shipments", "--profile", "demo")
    counts = cli.last_run("confirm-shipments")
    assert counts["failed"] == 2 and counts["updated"] == 0
    refused = {
        p.record_key: p.reason for p in world.store.parked(world.profile.name, "confirm-shipments")
    }
    assert set(refused) == {first, second}
    for order_id in (703, 707):
        order = shop_order(world, order_id)
        assert order["status"] == "processing"
        assert "_wc_shipment_tracking_items" not in {m["key"] for m in order["meta_data"]}

    cli.save(world.profile)  # the status fixed
    cli("run", "confirm-shipments", "--profile", "demo")
    assert cli.last_run("confirm-shipments")["updated"] == 2
    for order_id in (703, 707):
        order = shop_order(world, order_id)
        assert order["status"] == "completed", order_id
        items = {m["key"]: m["value"] for m in order["meta_data"]}["_wc_shipment_tracking_items"]
        assert [i["tracking_number"] for i in items] == [f"6A00000000{order_id}"]
    assert world.store.parked(world.profile.name, "confirm-shipments") == []
    world.sandbox.reset_requests()
    cli("run", "confirm-shipments", "--profile", "demo")
    assert shop_writes(world) == []


# =========================================================================== O19
def test_xml_export_of_the_shop_imports_to_the_cent_once(world: World) -> None:
    """O19: the shop's orders exported as XML import into Tryton like from the API,
    keyed by the file's source, every document at the shop's total; twice is once."""
    cli = Cli(world)
    xml = export_xml(world, cli)
    orders = shop_orders(world)
    imported = [o for o in orders if o["status"] in TRYTON_STATE]
    assert len(imported) >= 25

    cli("orders", "import-xml", "--profile", "demo", str(xml))
    by_key = world.sales_by_key()
    assert set(by_key.values()) == {1}
    assert all(k.startswith("xml:woocommerce-sandbox#") for k in by_key)
    sales = read_sales(world.target)
    for order in imported:
        base = f"xml:woocommerce-sandbox#{order['id']}"
        parts = [sales[k] for k in (base, *(f"{base}/{n}" for n in (1, 2, 3))) if k in sales]
        assert parts, f"order {order['id']} ({order['status']}) not imported"
        assert sum(p.total for p in parts) == Decimal(order["total"]), order["id"]
        assert {p.currency for p in parts} == {order["currency"]}, order["id"]
        assert {p.party_code for p in parts} == {
            "WEBAMAZON"
            if order["payment_method"] == "amazon_payments_advanced"
            else expected_party(order)
        }, order["id"]
        if is_paid(order):
            assert sum(pay[1] for p in parts for pay in p.payments) == Decimal(order["total"])
    others = {str(o["id"]) for o in orders} - {str(o["id"]) for o in imported}
    assert not any(k.split("#")[1].split("/")[0] in others for k in by_key)
    # pending in the file as in the shop; its store id names the file's source
    assert parked(world)["xml:woocommerce-sandbox#705"][0] == "retry"

    cli("orders", "import-xml", "--profile", "demo", str(xml))
    assert world.sales_by_key() == by_key
    assert cli.last_run(IMPORT)["created"] == 0


def export_xml(world: World, cli: Cli, *extra: str) -> Path:
    """``passerelle sandbox woocommerce-export-orders`` on the world's shop."""
    world.sandbox.store.flush()
    assert world.sandbox.state_file is not None
    xml = world.data_dir / "orders.xml"
    out = cli(
        "sandbox",
        "woocommerce-export-orders",
        str(xml),
        "--state-file",
        str(world.sandbox.state_file),
        *extra,
    )
    assert re.search(r"\d+ orders? written to ", out)
    return xml


def test_an_orders_file_leaves_the_shop_bookmark_and_set_aside_orders_alone(world: World) -> None:
    """O19 beside the shop's own import: a file of another source neither moves the
    shop's bookmark (orders modified before the file's newest would never be read)
    nor un-parks the shop's orders the file does not hold."""
    keep_only(world, [703, 705, 707, 712])
    cli = Cli(world)
    xml = export_xml(world, cli, "--status", "on-hold", "--source", "marketplace")
    api(world, "DELETE", "orders/712?force=true")  # the file's order is not the shop's

    cli("orders", "import-xml", "--profile", "demo", str(xml))
    assert world.sales_by_key() == {"xml:marketplace#712": 1}
    cli.import_orders()  # the shop's orders are all older than the file's
    assert world.sales_by_key() == {
        "xml:marketplace#712": 1,
        key(world, 703): 1,
        key(world, 707): 1,
    }
    assert parked(world)["705"][0] == "retry"

    cli("orders", "import-xml", "--profile", "demo", str(xml))
    assert cli.last_run(IMPORT)["created"] == 0
    assert parked(world)["705"][0] == "retry"  # still awaiting payment in the shop
    world.sandbox.reset_requests()
    cli("orders", "recheck", "--profile", "demo")
    assert world.sandbox.requests == [("GET", "/wp-json/wc/v3/orders/705")]
    assert world.sales_by_key() == {
        "xml:marketplace#712": 1,
        key(world, 703): 1,
        key(world, 707): 1,
    }


def test_a_file_of_another_source_does_not_collide_with_the_shop(world: World) -> None:
    """docs/orders-xml.md: orders of different sources with the same id do not collide
    (their keys differ): each is imported once."""
    keep_only(world, [703, 707])
    cli = Cli(world)
    cli.import_orders()
    xml = export_xml(world, cli, "--source", "marketplace")
    cli("orders", "import-xml", "--profile", "demo", str(xml))
    assert world.sales_by_key() == {
        key(world, 703): 1,
        key(world, 707): 1,
        "xml:marketplace#703": 1,
        "xml:marketplace#707": 1,
    }
    # The file's orders are nothing to the shop: the shop's orders keep their own
    # documents' numbers.
    cli("run", "update-order-status", "--profile", "demo")
    for order_id in (703, 707):
        meta = {m["key"]: m["value"] for m in world.sandbox.data.orders[order_id]["meta_data"]}
        sale = world.backoffice.find_sale(key(world, order_id))
        assert sale is not None and meta["_passerelle_document_number"] == sale.number


# =========================================================================== O14
def test_profile_missing_a_special_item_is_refused_at_load(world: World) -> None:
    """O14: a profile without its special items does not load: one line per missing
    entry, and no order is read or touched."""
    path = Cli(world).save(world.profile)
    kept = [
        line
        for line in path.read_text().splitlines()
        if not line.startswith(("gap_item =", "shipping_item ="))
    ]
    path.write_text("\n".join(kept) + "\n")
    world.sandbox.reset_requests()
    result = CliRunner().invoke(
        app, ["run", IMPORT, "--profile", "demo", "--data-dir", str(world.data_dir)]
    )
    assert result.exit_code == 1, result.output
    problems = [line.strip() for line in result.output.splitlines() if line.strip()[:2] == "- "]
    assert problems == [
        "- orders.shipping_item: missing (this field is required)",
        "- orders.gap_item: missing (this field is required)",
    ]
    assert "profile 'demo'" in result.output and "is invalid" in result.output
    assert world.sandbox.requests == []  # not one order read
    assert world.sales_by_key() == {}
    assert world.store.parked(world.profile.name) == []
    assert world.store.list_runs() == []


def test_every_missing_entry_is_listed_at_once(world: World) -> None:
    """O14: 'each on its own line': a missing special item and a missing discount item
    for a mapped tax are both reported by the same load."""
    path = Cli(world).save(world.profile)
    kept = [
        line
        for line in path.read_text().splitlines()
        if not line.startswith(("gap_item =", '"TVA 10 %" = '))
    ]
    path.write_text("\n".join(kept) + "\n")
    result = CliRunner().invoke(
        app, ["run", IMPORT, "--profile", "demo", "--data-dir", str(world.data_dir)]
    )
    assert result.exit_code == 1, result.output
    problems = [line.strip() for line in result.output.splitlines() if line.strip()[:2] == "- "]
    assert len(problems) == 2, problems
    assert problems[0] == "- orders.gap_item: missing (this field is required)"
    assert "'TVA 10 %'" in problems[1] and "discount_items" in problems[1]
    assert world.sales_by_key() == {}
