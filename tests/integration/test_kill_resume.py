"""A process killed (SIGKILL) in the middle of an order import loses and duplicates nothing."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from decimal import Decimal

from passerelle.demo_data import CUSTOMERS, ITEMS
from passerelle.flows.import_orders import FLOW as IMPORT
from passerelle.profiles import ProfileRepository
from tests.integration.conftest import World
from tests.waiting import end_process, wait_for

EXTRA_ORDERS = 15


def add_paid_orders(world: World, count: int) -> None:
    """Paid orders placed through the sandbox's own order creation (WooCommerce totals)."""
    customer = CUSTOMERS[0]
    for index in range(count):
        item = ITEMS[index % len(ITEMS)]
        quantity = 1 + index % 3
        amount = f"{item.price * quantity:.2f}"
        world.sandbox.create_order(
            {
                "status": "processing",
                "set_paid": True,
                "payment_method": "stripe",
                "payment_method_title": "Carte bancaire",
                "customer_id": 0,
                "billing": {
                    "first_name": customer.first_name,
                    "last_name": f"Kill{index}",
                    "address_1": customer.street,
                    "city": customer.city,
                    "postcode": customer.postal_code,
                    "country": "FR",
                    "email": f"kill{index}@example.org",
                },
                "line_items": [
                    {
                        "sku": item.code,
                        "name": item.name,
                        "quantity": quantity,
                        "subtotal": amount,
                        "total": amount,
                        "tax_class": {
                            "VAT20": "",
                            "VAT10": "intermediate-rate",
                            "VAT55": "reduced-rate",
                        }[item.tax],
                    }
                ],
                "shipping_lines": [
                    {"method_id": "flat_rate", "method_title": "Colissimo", "total": "4.90"}
                ],
            }
        )


def test_killed_import_resumes_with_every_order_exactly_once(world: World) -> None:
    # Only this test's orders are imported (``--from``, the bookmark untouched): the
    # seeded shop's history would be minutes of Tryton documents the kill is not about.
    # A second earlier: WooCommerce's ``after`` is strict, and its dates are to the second.
    since = datetime.now(UTC).replace(microsecond=0) - timedelta(seconds=1)
    seeded = set(world.sandbox.data.orders)
    add_paid_orders(world, EXTRA_ORDERS)
    world.sandbox.latency = 0.03
    ProfileRepository(world.data_dir).save(world.profile)
    env = dict(os.environ)
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "passerelle",
            "run",
            IMPORT,
            "--profile",
            world.profile.name,
            "--data-dir",
            str(world.data_dir),
            "--from",
            since.strftime("%Y-%m-%dT%H:%M:%S"),  # no offset: UTC
        ],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:

        def alive() -> None:
            assert process.poll() is None, "the import ended before it could be killed"

        # A stall fails (nothing written for minutes); a slow start on a loaded machine not.
        wait_for(
            lambda: len(world.sales_by_key()) >= 5,
            lambda: len(world.sales_by_key()),
            what="five sales written by the import",
            every=0.05,
            check=alive,
        )
    finally:
        end_process(process, signal.SIGKILL)
    partial = world.sales_by_key()
    paid = [
        o
        for key, o in world.sandbox.data.orders.items()
        if key not in seeded and o["status"] in ("processing", "completed", "on-hold")
    ]
    assert len(paid) == EXTRA_ORDERS
    assert 5 <= len(partial) < len(paid), "the kill did not land mid-import"

    world.sandbox.latency = 0
    summary = world.runner().run(world.profile, IMPORT, options={"created_from": since})
    assert summary.status == "succeeded"

    sales = world.sales_by_key()
    assert set(sales.values()) == {1}, "an order was written twice"
    host = world.sandbox.url.split("://", 1)[1]
    # An order is one document, or one per delivery address (".../1", ".../2");
    # a refunded one also has its return (".../refund/ID").
    orders_written = {key.split("/")[0] for key in sales}
    assert orders_written == {f"{host}#{o['id']}" for o in paid}, "an order was lost"
    for order in paid:
        key = f"{host}#{order['id']}"
        parts = [
            world.backoffice.find_sale(k)
            for k in sales
            if k == key or (k.startswith(key + "/") and "/refund/" not in k)
        ]
        assert parts and all(p is not None for p in parts)
        assert sum(p.total_amount for p in parts if p) == Decimal(order["total"])
    # The killed run is recorded as interrupted, not left running.
    runs = world.store.list_runs(flow=IMPORT)
    assert [r.status for r in runs if r.id != summary.run_id] == ["interrupted"]
