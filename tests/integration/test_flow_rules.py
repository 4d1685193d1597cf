"""Profile options change what the flows do, checked on both sides (C9, C10, C15, K1, O2, O22)."""

from __future__ import annotations

import ssl
from datetime import timedelta
from decimal import Decimal

import httpx
from trytond.pool import Pool

from passerelle.connectors.tryton.database import session
from passerelle.demo import DEMO_KEY, DEMO_SECRET
from passerelle.demo_data import (
    CATALOGUE_ITEMS,
    CATEGORIES,
    CUSTOMER_CONTACTS,
    CUSTOMERS,
    ITEMS,
    PRICE_LISTS,
)
from passerelle.flows.import_orders import FLOW as IMPORT
from passerelle.model import Address, Customer
from tests.integration.conftest import World, created_at

SECOND = timedelta(seconds=1)


def api(world: World, method: str, path: str, body: object = None) -> httpx.Response:
    """The merchant (or the shop) acting through the shop's own API."""
    trust = ssl.create_default_context(cafile=str(world.sandbox.ca_bundle))
    with httpx.Client(verify=trust, auth=(DEMO_KEY, DEMO_SECRET)) as c:
        return c.request(method, f"{world.sandbox.url}/wp-json/wc/v3/{path}", json=body)


def shop_product(world: World, sku: str) -> dict:
    return next(p for p in world.sandbox.data.products.values() if p["sku"] == sku)


def set_template(world: World, item_code: str, /, **values: object) -> None:
    with session(world.target):
        (product,) = Pool().get("product.product").search([("code", "=", item_code)])
        template = product.template
        for name, value in values.items():
            setattr(template, name, value)
        template.save()


def test_keep_policy_leaves_hand_edits_and_overwrite_replaces_them(world: World) -> None:
    keep = world.profile.model_copy(deep=True)
    keep.catalogue.update_policy = {"name": "keep", "description": "keep"}
    # Every salable item (one product or variation each; the demo sends
    # unpublished ones too), the parent of the Tryton template with variants,
    # and the categories they need, sent first by the same run.
    salable = [i for i in CATALOGUE_ITEMS if i.salable]
    parents = {i.template for i in salable if i.template}
    first = world.run("export-products", keep)
    assert first.counts["created"] == len(salable) + len(parents) + len(CATEGORIES)
    item = ITEMS[0]
    shop_id = shop_product(world, item.code)["id"]
    edited = api(world, "PUT", f"products/{shop_id}", {"name": "Casserole (nom boutique)"})
    assert edited.status_code == 200
    set_template(
        world, item.code, name="Casserole inox 16 cm — nouvelle", list_price=Decimal("25.50")
    )

    assert world.run("export-products", keep).counts["updated"] == 1
    product = shop_product(world, item.code)
    assert product["name"] == "Casserole (nom boutique)"  # kept
    assert product["regular_price"] == "25.50"  # overwritten

    # Back to the default policy (overwrite): names and descriptions are written
    # again, once, on every product, so the shop matches the back-office.
    set_template(world, item.code, list_price=Decimal("25.60"))
    overwrite = world.run("export-products")
    assert overwrite.counts["updated"] == first.counts["created"] - len(CATEGORIES)
    product = shop_product(world, item.code)
    assert product["name"] == "Casserole inox 16 cm — nouvelle"
    assert product["regular_price"] == "25.60"
    assert world.run("export-products").counts["updated"] == 0


def test_stock_from_the_chosen_warehouses_and_negative_stock(world: World) -> None:
    assert world.run("export-products").status == "succeeded"
    negative = next(i for i in ITEMS if i.stock[0] < 0)
    only_second = world.profile.model_copy(deep=True)
    only_second.catalogue.stock.warehouses = ["WH2"]
    # Warehouses and negatives alone: units held back for orders are shown elsewhere
    # (tests/conformance/test_stock_held_back.py).
    only_second.catalogue.stock.hold_back_orders = False
    summary = world.run("update-stock", only_second)
    assert summary.status == "succeeded"
    for item in ITEMS:
        assert shop_product(world, item.code)["stock_quantity"] == int(item.stock[1]), item.code
    first_raw = world.profile.model_copy(deep=True)
    first_raw.catalogue.stock.warehouses = ["WH"]
    first_raw.catalogue.stock.negative_as_zero = False
    first_raw.catalogue.stock.hold_back_orders = False
    world.run("update-stock", first_raw)
    assert shop_product(world, negative.code)["stock_quantity"] == int(negative.stock[0]) < 0


def test_price_precision(world: World) -> None:
    rounded = world.profile.model_copy(deep=True)
    rounded.catalogue.prices.decimals = 1
    world.run("export-products", rounded)
    for item in ITEMS[:10]:
        expected = item.price.quantize(Decimal("0.1"), rounding="ROUND_HALF_UP")
        assert Decimal(shop_product(world, item.code)["regular_price"]) == expected


def test_awaiting_payment_order_is_parked_then_imported_once_paid(world: World) -> None:
    pending = next(o for o in world.sandbox.data.orders.values() if o["status"] == "pending")
    # Every run reads the pending order's creation second only (as --from/--to do):
    # the other seeded orders would be Tryton sales this test never looks at.
    created = created_at(pending)
    window = {"from": created - SECOND, "to": created + SECOND}
    first = world.runner().run(world.profile, IMPORT, options=window)
    parked = {p.record_key: p for p in world.store.parked(world.profile.name, IMPORT)}
    assert parked[str(pending["id"])].severity == "retry"
    assert "awaiting payment" in parked[str(pending["id"])].reason
    assert first.counts["parked"] == 1

    paid = api(world, "PUT", f"orders/{pending['id']}", {"status": "processing"})
    assert paid.status_code == 200
    second = world.runner().run(world.profile, IMPORT, options=window)
    assert second.counts["created"] == 1
    host = world.sandbox.url.split("://", 1)[1]
    sale = world.backoffice.find_sale(f"{host}#{pending['id']}")
    assert sale is not None and sale.total_amount == Decimal(pending["total"])
    assert world.store.parked(world.profile.name, IMPORT) == []
    assert world.runner().run(world.profile, IMPORT, options=window).counts["created"] == 0


def test_statuses_choose_the_document_type(world: World) -> None:
    # Every on-hold order and the first processing and completed ones (by id): one
    # order of each imported status shows its document type; the rest of the seeded
    # orders would be Tryton sales this test never looks at.
    orders = sorted(world.sandbox.data.orders.values(), key=lambda o: int(o["id"]))
    chosen = [o for o in orders if o["status"] == "on-hold"] + [
        next(o for o in orders if o["status"] == status) for status in ("processing", "completed")
    ]
    summary = world.runner().run(
        world.profile, IMPORT, options={"order_ids": [str(o["id"]) for o in chosen]}
    )
    assert summary.status == "succeeded", summary.error
    host = world.sandbox.url.split("://", 1)[1]
    states = {}
    for order in chosen:
        sale = world.backoffice.find_sale(f"{host}#{order['id']}")
        if sale is not None:
            states.setdefault(order["status"], set()).add(sale.state)
    assert set(states) == {"on-hold", "processing", "completed"}
    assert states["on-hold"] == {"quotation"}
    assert "quotation" not in states["processing"] | states["completed"]
    assert "draft" not in states["processing"] | states["completed"]


def test_customers_go_to_the_shop_with_their_account_code(world: World) -> None:
    world.backoffice.upsert_customer(
        Customer(
            source_id="",
            code="C0042",
            name="Alice Marchand",
            first_name="Alice",
            last_name="Marchand",
            email="alice.marchand@example.org",
            addresses=(
                Address(street="1 rue Neuve", postal_code="21000", city="Dijon", country_code="FR"),
            ),
        )
    )
    summary = world.run("export-customers")
    assert summary.status == "succeeded"
    # Alice, the customer groups (K1: the price lists) and C0002's two contacts.
    assert summary.counts["created"] == 1 + len(PRICE_LISTS) + len(CUSTOMER_CONTACTS["C0002"])
    assert summary.counts["skipped"] == 2  # C0009 without an e-mail, C0011 dormant
    shop = {c["email"]: c for c in world.sandbox.data.customers.values()}
    created = shop["alice.marchand@example.org"]
    assert (created["first_name"], created["last_name"]) == ("Alice", "Marchand")
    assert created["billing"]["city"] == "Dijon" and created["billing"]["postcode"] == "21000"
    meta = {m["key"]: m["value"] for m in created["meta_data"]}
    assert meta["passerelle_account_code"] == "C0042"
    # The demo customers already had shop accounts by e-mail: adopted, not duplicated.
    emails = [c["email"] for c in world.sandbox.data.customers.values()]
    assert len(emails) == len(set(emails))
    assert {c.email for c in CUSTOMERS if c.email} <= set(emails)
    journal = [line.text for line in world.store.journal(summary.run_id)]
    assert any("C0009" in t and "no valid e-mail" in t for t in journal)
