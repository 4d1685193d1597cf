"""The flows against a Wix site on Catalog V1 (``start_sandbox("wix", dir, catalog="v1")``):
export-products, update-stock and import-orders, checked through the sandbox's view.

The conformance suite runs on the sandbox's default catalog (V3, a new site's); a site
made before Catalog V3 runs V1 (products, collections and the Inventory V2 API, one
request per product: passerelle/connectors/wix/catalog_v1.py). The back-office is the
in-memory copy of the Tryton demo (its items, prices and stock, no Tryton sale written).
On V1, passerelle does not create products with variants yet: those are the only records
the export sets aside, each saying so.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import closing
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from rich.console import Console

from passerelle.connectors.memory import MemoryBackOffice
from passerelle.connectors.tryton.connector import TrytonBackOffice
from passerelle.connectors.tryton.demo import copy_demo_database
from passerelle.connectors.tryton.testing import (  # noqa: F401 - fixtures
    tryton_demo_template,
    unique_database_name,
)
from passerelle.connectors.wix.translate_orders import parse_time
from passerelle.demo import profile_for
from passerelle.demo_data import CATALOGUE_ITEMS
from passerelle.flows.stock_check import StockReport
from passerelle.platforms import start_sandbox
from passerelle.profiles import Profile
from passerelle.runner import Runner
from passerelle.sandbox.wix.platform import WixPlatform
from passerelle.store import Store

# Salable simple items (no kit, no variation): what a V1 export creates.
SIMPLE = sorted(
    i.code for i in CATALOGUE_ITEMS if i.salable and not i.components and not i.template
)
VARIATIONS = sorted(i.code for i in CATALOGUE_ITEMS if i.salable and i.template)


@pytest.fixture
def world(
    tryton_demo_template: Path,  # noqa: F811
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> Iterator[tuple[WixPlatform, MemoryBackOffice, Profile, Runner, Store]]:
    target = copy_demo_database(
        tryton_demo_template.parent, tmp_path / "tryton", unique_database_name("wix-v1")
    )
    shop: WixPlatform = start_sandbox("wix", tmp_path / "shop", catalog="v1")
    try:
        for name, value in shop.secrets().items():
            monkeypatch.setenv(name, value)
        profile = profile_for(shop, tmp_path / "tryton", target.database)
        backoffice = MemoryBackOffice.copy_of(
            TrytonBackOffice.from_target(target), stock_kind=profile.catalogue.stock.kind
        )
        with closing(Store.open_data_dir(tmp_path)) as store:
            runner = Runner(tmp_path, store=store, console=Console(quiet=True))
            yield shop, backoffice, profile, runner, store
    finally:
        shop.stop()


def test_products_stock_and_orders_on_a_catalog_v1_site(
    world: tuple[WixPlatform, MemoryBackOffice, Profile, Runner, Store],
) -> None:
    shop, backoffice, profile, runner, store = world
    assert shop.sandbox.catalog == "v1"
    for flow in ("export-categories", "export-products", "update-stock"):
        summary = runner.run(profile, flow, backoffice=backoffice)
        assert summary.status in ("succeeded", "with_problems"), (flow, summary)
    parked = store.parked(profile.name, "export-products")
    assert parked and all("create Wix products with variants" in p.reason for p in parked), [
        p.reason for p in parked
    ]

    shown = shop.view.products()
    prices = {i.code: i.price for i in CATALOGUE_ITEMS}
    assert set(SIMPLE) <= set(shown)
    assert {c: shown[c].price for c in SIMPLE} == {c: prices[c] for c in SIMPLE}
    on_hand = backoffice.item_quantities(SIMPLE)
    assert all(0 <= (shown[c].stock or 0) <= max(on_hand[c], 0) for c in SIMPLE)
    # The stock check reads the V1 inventory back and agrees with what update-stock sent.
    check = runner.run(profile, "stock-check", backoffice=backoffice)
    report = StockReport.from_journal(store.journal(check.run_id or 0))
    # Only the variations V1 cannot be given yet (their product was set aside) differ.
    assert report.uncompared == []
    assert all(d.missing for d in report.differences)
    assert {d.code for d in report.differences} == set(VARIATIONS)

    code = next(c for c in SIMPLE if (shown[c].stock or 0) >= 2)
    order_id = shop.place_order({code: 2})
    assert shop.view.products()[code].stock == (shown[code].stock or 0) - 2  # V1 inventory
    placed = parse_time(shop.sandbox.data["orders"][order_id]["createdDate"])
    since = {"created_from": placed - timedelta(seconds=1)}  # the order placed here only
    summary = runner.run(profile, "import-orders", backoffice=backoffice, options=since)
    assert summary.counts["created"] == 1, summary
    (sale,) = [s for k, s in backoffice.sales.items() if k.endswith(f"#{order_id}")]
    assert sale.total_amount == shop.view.orders()[order_id].total
    assert sale.total_amount == (prices[code] * 2 * Decimal("1.2")).quantize(Decimal("0.01"))
