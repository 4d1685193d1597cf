"""`passerelle status` (R7) and `passerelle orders send` (R6) on the Tryton demo copy and the
WooCommerce sandbox.

Expected states come from the two systems themselves — the shop's products,
customers and orders read from the sandbox, the sales Tryton holds — not from
the store the status reads.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from datetime import timedelta
from typing import Any

from rich.console import Console
from trytond.pool import Pool
from typer.testing import CliRunner

from passerelle.cli.main import app
from passerelle.connectors.tryton.database import session
from passerelle.demo_data import CUSTOMERS, INACTIVE_CUSTOMER, ITEMS, TAXES
from passerelle.flows.import_orders import FLOW as IMPORT
from passerelle.profiles import Profile, ProfileRepository
from passerelle.runner import Runner, build_shop
from passerelle.runner.status import RecordStatus, customer_status, product_status
from tests.integration.catalogue_helpers import set_product
from tests.integration.conftest import World, created_at
from tests.integration.test_full_path import key_of, shop_orders
from tests.integration.tryton_view import read_sales


def cli(world: World, *args: str) -> tuple[int, str]:
    result = CliRunner().invoke(
        app, [*args, "--profile", world.profile.name, "--data-dir", str(world.data_dir)]
    )
    return result.exit_code, result.output


def by_label(records: list[RecordStatus]) -> dict[str, RecordStatus]:
    found = {r.label: r for r in records}
    assert len(found) == len(records), "one line per record"
    return found


def statuses(
    world: World, profile: Profile, read: Callable[..., list[RecordStatus]]
) -> dict[str, RecordStatus]:
    shop = build_shop(profile.shop)
    try:
        if read is product_status:
            return by_label(product_status(profile, world.backoffice, shop, world.store))
        return by_label(customer_status(profile, world.backoffice, world.store))
    finally:
        shop.close()


def table_rows(output: str) -> dict[str, tuple[str, str]]:
    """``record  state  detail`` rows of the CLI's table, by record (details may wrap)."""
    rows = {}
    for line in output.splitlines()[1:]:
        for state in ("not linked", "synced", "changed", "error", "retry", "staged", "rejected"):
            label, sep, rest = line.partition(f" {state} ")
            if sep and label.strip() and " " not in label.strip():
                rows[label.strip()] = (state, rest.strip())
                break
    return rows


def without_tax_class(world: World, tax_code: str) -> Profile:
    """The demo profile less one tax's shop tax class: its items cannot be sent (C4)."""
    name = next(t.name for t in TAXES if t.code == tax_code)
    profile = world.profile.model_copy(deep=True)
    profile.catalogue.tax_classes.pop(name)
    return profile


def test_product_status_follows_the_export_item_by_item(world: World) -> None:
    profile = without_tax_class(world, "VAT55")
    ProfileRepository(world.data_dir).save(profile)
    unmapped = {i.code for i in ITEMS if i.tax == "VAT55"}
    mapped = {i.code for i in ITEMS} - unmapped
    assert unmapped and mapped

    before = statuses(world, profile, product_status)
    for code in mapped | unmapped:
        assert before[code].state == "not linked", before[code]
        assert before[code].detail == "not in the shop: the next export-products sends it"

    # The items whose tax has no class are parked for a person: completed with problems.
    assert world.run("export-products", profile).status == "with_problems"
    after = statuses(world, profile, product_status)
    shop_ids = {
        p["sku"]: str(p["id"])
        for p in world.sandbox.data.products.values()
        if p["status"] != "trash"
    }
    for code in mapped:
        assert after[code].state == "synced", after[code]
        assert after[code].detail.startswith(f"shop id {shop_ids[code]} (last written ")
    for code in unmapped:
        assert code not in shop_ids
        assert after[code].state == "error", after[code]
        assert "has no entry in catalogue.tax_classes" in after[code].detail

    edited = sorted(mapped)[0]
    set_product(world, edited, description="Reworded by the merchant")
    again = statuses(world, profile, product_status)
    assert again[edited].state == "changed", again[edited]
    assert "changed in the back-office" in again[edited].detail
    assert {c for c in mapped if again[c].state == "changed"} == {edited}

    code, output = cli(world, "status", "products", "--only", "error,changed")
    assert code == 0, output
    rows = table_rows(output)
    assert {label for label, (state, _) in rows.items() if state == "error"} >= unmapped
    assert rows[edited][0] == "changed"
    assert {state for state, _ in rows.values()} <= {"error", "changed"}
    counts = Counter(r.state for r in again.values())  # every record counted, shown or not
    assert output.splitlines()[-1] == ", ".join(
        f"{counts[s]} {s}" for s in ("synced", "changed", "not linked", "error") if counts[s]
    )


def test_customer_status_against_the_shop_accounts(world: World) -> None:
    ProfileRepository(world.data_dir).save(world.profile)
    assert world.run("export-customers").status == "succeeded"
    found = statuses(world, world.profile, customer_status)
    accounts = {c["email"].lower(): str(c["id"]) for c in world.sandbox.data.customers.values()}
    for customer in CUSTOMERS:
        status = found[customer.code]
        if customer.email:
            assert status.state == "synced", status
            assert status.detail.startswith(f"shop account {accounts[customer.email.lower()]} ")
        else:
            assert (status.state, status.detail) == (
                "not linked",
                "no valid e-mail: not sent (give it one in the back-office)",
            )
    assert (found[INACTIVE_CUSTOMER.code].state, found[INACTIVE_CUSTOMER.code].detail) == (
        "not linked",
        "dormant in the back-office: not sent",
    )

    first = CUSTOMERS[0]
    with session(world.target):
        Party = Pool().get("party.party")
        (party,) = Party.search([("code", "=", first.code)])
        Party.write([party], {"name": "Renamed by the merchant"})
    again = statuses(world, world.profile, customer_status)
    assert again[first.code].state == "changed"
    assert [c for c, s in again.items() if s.state == "changed"] == [first.code]

    code, output = cli(world, "status", "customers", "--only", "changed")
    assert code == 0, output
    assert table_rows(output) == {first.code: ("changed", table_rows(output)[first.code][1])}


def test_orders_send_reports_each_order_and_status_shows_them(world: World) -> None:
    profile = world.profile.model_copy(deep=True)
    profile.orders.payments.pop("paypal")  # orders paid with PayPal cannot be mapped now
    ProfileRepository(world.data_dir).save(profile)
    orders = {str(o["id"]): o for o in shop_orders(world)}
    assert orders["704"]["payment_method"] == "paypal" and orders["705"]["status"] == "pending"

    code, output = cli(world, "orders", "send", "703")
    assert code == 0, output
    sales = read_sales(world.target)
    first_sale = sales[key_of(world, orders["703"])].number
    assert f"order 703: succeeded: sale {first_sale}" in output
    assert output.splitlines()[-1] == "1 succeeded"

    code, output = cli(world, "orders", "send", "703,707", "704", "705", "99999")
    assert code == 3, output  # completed with problems: some orders failed
    text = " ".join(output.split())
    sales = read_sales(world.target)
    assert f"order 703: already imported: as sale {first_sale}" in text
    assert f"order 707: succeeded: sale {sales[key_of(world, orders['707'])].number}" in text
    assert "order 704: failed: import-orders: " in text and "[orders.payments.paypal]" in text
    assert "order 705: failed: import-orders: order 705 is 'pending' (awaiting payment)" in text
    assert "order 99999: failed: no longer exists in the shop" in text
    assert output.splitlines()[-1] == "1 succeeded, 1 already imported, 3 failed"
    assert world.sales_by_key()[key_of(world, orders["703"])] == 1  # sent twice, imported once
    assert set(read_sales(world.target)) == {key_of(world, orders[i]) for i in ("703", "707")}

    # The status of the shop's orders agrees with what Tryton holds.
    code, output = cli(world, "status", "orders")
    assert code == 0, output
    rows = table_rows(output)
    in_tryton = {i for i, o in orders.items() if key_of(world, o) in sales}
    assert {i for i, (state, _) in rows.items() if state == "synced"} == in_tryton
    assert rows["703"] == ("synced", rows["703"][1]) and first_sale in rows["703"][1]
    assert rows["704"][0] == "error" and rows["705"][0] == "retry"
    assert rows["706"] == ("not linked", "status 'cancelled' is not imported (orders.statuses)")
    assert rows["708"] == ("not linked", "not imported yet: the next import-orders takes it")
    assert "729" not in rows  # in the shop's trash: outside what the import reads

    # A cancellation in the shop after the import: changed, until the import acts on it.
    _cancel_in_shop(world, "707")
    rows = table_rows(cli(world, "status", "orders", "--only", "changed")[1])
    assert list(rows) == ["707"] and "cancelled in the shop" in rows["707"][1]
    runner = Runner(world.data_dir, store=world.store, console=Console(quiet=True))
    # 704 (PayPal, still unmapped) is read again and set aside again. The import's window
    # holds 707 alone (``--from``/``--to``: the seeded shop's other orders are minutes of
    # Tryton documents this check is not about); the parked 704 is read whatever the window.
    placed = created_at(orders["707"])
    window = {
        "created_from": placed - timedelta(hours=1),
        "created_to": placed + timedelta(hours=1),
    }
    assert [i for i, o in orders.items() if abs(created_at(o) - placed) < timedelta(hours=1)] == [
        "707"
    ]
    assert runner.run(profile, IMPORT, options=window).status == "with_problems"
    rows = table_rows(cli(world, "status", "orders")[1])
    assert rows["707"][0] == "synced"


def _cancel_in_shop(world: World, order_id: str) -> None:
    from tests.integration.test_flow_rules import api

    answer: Any = api(world, "PUT", f"orders/{order_id}", {"status": "cancelled"})
    assert answer.status_code == 200, answer.text
