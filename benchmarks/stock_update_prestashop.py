"""Benchmark: stock update of 10,000 items through ``update-stock`` against the PrestaShop sandbox.

The Webservice has no batch endpoint, so the floor of issue 5 is one PUT of a
``stock_availables`` row per item (10,000), sent ``concurrency`` at a time.
Prints the requests sent (the PUTs, plus the reads: every product reference
once to bind the items, then the stock rows of each batch in a few filtered
lists), the floor, the ratio (bound 1.05) and the wall time with the
sandbox's latency switch on, at the chosen concurrency and at 1 to show what
concurrency pays. The back-office is in memory: what is measured is the shop.

    python benchmarks/stock_update_prestashop.py [--items 10000] [--latency 0.02]
        [--concurrency 16]
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from decimal import Decimal
from pathlib import Path

from rich.console import Console

from passerelle.connectors.http import HttpOptions
from passerelle.connectors.memory import MemoryBackOffice
from passerelle.connectors.prestashop import PrestaShopShop
from passerelle.model import Item
from passerelle.profiles.schema import Profile
from passerelle.runner import Runner
from passerelle.sandbox.prestashop import DEMO_KEY, PrestaShopSandbox
from passerelle.store import Store


def _profile(url: str, concurrency: int) -> Profile:
    return Profile.model_validate(
        {
            "name": "bench",
            "backoffice": {"database": "unused"},
            "shop": {
                "kind": "prestashop",
                "url": url,
                "api_key": "env:PS_BENCH_KEY",
                "concurrency": concurrency,
            },
            "catalogue": {"only_salable": True},
            "orders": {
                "shipping_item": "SHIPPING",
                "misc_item": "MISC",
                "gift_wrap_item": "GIFTWRAP",
                "gap_item": "GAP",
            },
        }
    )


def run(items: int, latency: float, concurrency: int, seed: int) -> tuple[int, int, float]:
    """(requests sent, PUTs, seconds) of a first ``update-stock`` of ``items`` items."""
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        sandbox = PrestaShopSandbox(None, seed=False, cert_dir=root / "tls").start()
        try:
            backoffice = MemoryBackOffice()
            for n, product in enumerate(sandbox.seed_products(items)):
                item_id = str(product["id"])
                backoffice.items[item_id] = Item(
                    item_id, product["reference"], f"Produit {n}", Decimal("9.90")
                )
                backoffice.set_stock(item_id, "WH", Decimal((n * seed) % 50 + 1))
            sandbox.latency = latency
            shop = PrestaShopShop(
                sandbox.url,
                DEMO_KEY,
                concurrency=concurrency,
                options=HttpOptions(verify=sandbox.ca_bundle),
            )
            with Store.open_data_dir(root) as store:
                runner = Runner(root, store=store, console=Console(quiet=True))
                started = time.perf_counter()
                summary = runner.run(
                    _profile(sandbox.url, concurrency),
                    "update-stock",
                    backoffice=backoffice,
                    shop=shop,
                )
                elapsed = time.perf_counter() - started
            if summary.status != "succeeded":
                raise SystemExit(f"update-stock ended {summary.status}")
            puts = sum(1 for method, _ in sandbox.requests if method == "PUT")
            sent = shop.request_count
            shop.close()
            return sent, puts, elapsed
        finally:
            sandbox.stop()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--items", type=int, default=10_000)
    parser.add_argument("--latency", type=float, default=0.02)
    parser.add_argument("--concurrency", type=int, default=16)
    parser.add_argument(
        "--serial-items",
        type=int,
        default=500,
        help="items of the concurrency-1 run shown for comparison",
    )
    args = parser.parse_args()
    os.environ.setdefault("PS_BENCH_KEY", DEMO_KEY)
    sent, puts, elapsed = run(args.items, args.latency, args.concurrency, 7)
    floor = args.items
    print(f"items                 {args.items}")
    print(f"requests sent         {sent} ({puts} PUT stock_availables, {sent - puts} reads)")
    print(f"floor                 {floor} (one PUT per item: no batch endpoint)")
    print(f"ratio to floor        {sent / floor:.4f} (bound 1.05)")
    print(
        f"wall time             {elapsed:.1f} s at concurrency {args.concurrency}, "
        f"{args.latency * 1000:.0f} ms latency per request"
    )
    if args.serial_items:
        s_sent, _, s_elapsed = run(args.serial_items, args.latency, 1, 3)
        print(
            f"for comparison        {args.serial_items} items at concurrency 1: "
            f"{s_sent} requests, {s_elapsed:.1f} s (≈ {s_elapsed * floor / args.serial_items:.0f}"
            f" s for {floor})"
        )
    return 0 if sent <= 1.05 * floor else 1


if __name__ == "__main__":
    sys.exit(main())
