"""The Magento sandbox's seed: the neutral demo shop (passerelle.demo_orders), Magento-shaped."""

from __future__ import annotations

import subprocess
import sys
from datetime import UTC, datetime
from decimal import Decimal

from passerelle.demo_orders import ACCOUNTS, ORDERS, order_by_number
from passerelle.sandbox.magento.seed import seed_data

NOW = datetime(2026, 11, 20, 12, 0, 0, tzinfo=UTC)


def test_every_order_but_the_trashed_one_is_seeded_with_the_demo_totals() -> None:
    orders = seed_data(NOW)["orders"]
    kept = [o for o in ORDERS if o.status != "trashed"]
    assert sorted(orders) == [str(o.number) for o in kept]
    for demo in kept:
        record = orders[str(demo.number)]
        assert record["increment_id"] == str(demo.number)
        assert Decimal(str(record["grand_total"])) == demo.total
        assert Decimal(str(record["tax_amount"])) == demo.total_tax
        assert [i["sku"] for i in record["items"]] == [li.sku for li in demo.lines]
        assert [i["item_id"] for i in record["items"]] == [
            demo.number * 100 + rank for rank in range(1, len(demo.lines) + 1)
        ]


def test_statuses_payments_and_dates_are_magento_s() -> None:
    orders = seed_data(NOW)["orders"]
    assert {k: orders[k]["state"] for k in ("703", "704", "705", "706", "712")} == {
        "703": "processing",
        "704": "complete",
        "705": "new",
        "706": "canceled",
        "712": "holded",
    }
    assert orders["710"]["payment"]["method"] == "cashondelivery"
    assert orders["713"]["created_at"] == "2026-11-20 07:12:00"  # 0.2 day before seeding
    assert "total_paid" not in orders["705"] and orders["703"]["total_paid"] == 84.83


def test_taxes_fees_and_vat_numbers_are_carried_over() -> None:
    orders = seed_data(NOW)["orders"]
    compound = orders["719"]["extension_attributes"]["applied_taxes"]
    assert [(t["code"], t["amount"]) for t in compound] == [("CA-GST-1", 4.7), ("CA-PST-2", 7.88)]
    assert orders["717"]["extension_attributes"]["gw_price"] == "3.00"
    assert orders["721"]["customer_taxvat"] == order_by_number(721).vat_number
    assert orders["720"]["extension_attributes"]["applied_taxes"] == []


def test_registered_customers_keep_their_ids_and_address() -> None:
    customers = seed_data(NOW)["customers"]
    assert sorted(customers) == [str(a.id) for a in ACCOUNTS]
    gabriel = customers["537"]
    assert gabriel["addresses"][0]["company"] == "Durand SARL"
    assert gabriel["default_billing"] == "5370"
    assert customers["530"]["created_at"] == "2026-08-22 12:00:00"  # 90 days before seeding


def test_seeding_runs_no_woocommerce_code() -> None:
    code = (
        "import sys\n"
        "from passerelle.sandbox.magento.seed import seed_data\n"
        "seed_data()\n"
        "print(sorted(m for m in sys.modules if m.startswith('passerelle.sandbox.woocommerce')))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]"
