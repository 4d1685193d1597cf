"""The PrestaShop sandbox's seed translates the platform-neutral demo orders.

Why: every sandbox must hold the same orders to the cent, read from
:mod:`passerelle.demo_orders` rather than from another platform's records.
"""

from __future__ import annotations

import subprocess
import sys
from datetime import UTC, datetime
from decimal import Decimal

from passerelle.demo_orders import ORDERS, order_by_number
from passerelle.sandbox.prestashop.engine import Engine
from passerelle.sandbox.prestashop.seed import SKIPPED, seed_shop

NOW = datetime(2026, 12, 1, 12, 0, 0, tzinfo=UTC)


def _seeded() -> Engine:
    engine = Engine(None)
    seed_shop(engine, NOW)
    return engine


def test_every_order_prestashop_can_hold_is_seeded_with_the_demo_totals() -> None:
    engine = _seeded()
    orders = engine.data["orders"]
    assert set(orders) == {o.number for o in ORDERS} - {int(n) for n in SKIPPED}
    assert set(SKIPPED) == {"717", "719", "724", "725", "729"}
    for number, order in orders.items():
        demo = order_by_number(number)
        assert Decimal(order["total_paid_tax_incl"]) == demo.total
        assert Decimal(order["total_paid_tax_excl"]) == demo.total - demo.total_tax
        assert order["date_add"] == demo.created_at(NOW).strftime("%Y-%m-%d %H:%M:%S")
        details = [d for d in engine.data["order_details"].values() if d["id_order"] == str(number)]
        assert [d["product_reference"] for d in details] == [li.sku for li in demo.lines]


def test_one_cart_rule_per_coupon_code() -> None:
    rules = {(r["name"], r["id_cart_rule"]) for r in _seeded().data["order_cart_rules"].values()}
    assert rules == {("bienvenue10", "1"), ("remise5", "2"), ("fidelite", "3")}


def test_the_seed_reads_no_other_platforms_records() -> None:
    code = (
        "import sys, passerelle.sandbox.prestashop.seed\n"
        "print([m for m in sys.modules if 'woocommerce' in m or 'demo_shop' in m])"
    )
    found = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    assert found.strip() == "[]"
