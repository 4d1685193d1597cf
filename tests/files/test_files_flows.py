"""The file back-office through the flows, against the WooCommerce sandbox.

What a Sage or EBP merchant meets: an export in Windows-1252 with decimal commas
and one malformed line (the good lines reach the shop, the bad one is parked
naming the file, the line and the column, and is resolved once the file is
corrected); a stock line the program wrote wrong (that product keeps the stock
the shop shows, never 0); a paid shop order becoming one order file, once,
however many imports run. The shop is read back through the sandbox's merchant
view, not through the connector that wrote it. Item codes are none of the
sandbox's seeded orders', so no seeded order holds their stock back.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from contextlib import closing
from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from rich.console import Console

from passerelle.connectors.files.sample import SAMPLE_HEADERS
from passerelle.demo import profile_for
from passerelle.demo_data import ORDER_TAXES, SPECIAL_ITEMS, TAXES
from passerelle.model import Order
from passerelle.platforms import build_shop, start_sandbox
from passerelle.profiles import Profile
from passerelle.runner import Runner, RunSummary
from passerelle.sandbox.platforms import ShopSandbox
from passerelle.store import Store

POT, TEA, BAD = "FIC-POT", "FIC-THE", "FIC-BAD"
ITEMS_HEADER = "Référence;Désignation;Prix de vente HT;Code TVA\r\n"
ITEMS = (
    ITEMS_HEADER + f"{POT};Casserole inox 16 cm;24,90;VAT20\r\n"
    f"{TEA};Thé vert Sencha;8,50;VAT55\r\n"
    f"{BAD};Théière fonte;douze;VAT20\r\n"
)
STOCK_HEADER = "Référence;Dépôt;Quantité\r\n"


@dataclass
class World:
    shop: ShopSandbox
    store: Store
    profile: Profile
    runner: Runner
    exchange: Path

    def run(self, flow: str, status: str = "succeeded", **options: object) -> RunSummary:
        summary = self.runner.run(self.profile, flow, options=dict(options))
        assert summary.status == status, (flow, summary, self.parked(flow))
        return summary

    def drop(self, name: str, text: str) -> None:
        """The back-office program writes an export, as Windows does."""
        (self.exchange / "exports" / name).write_bytes(text.encode("cp1252"))

    def parked(self, flow: str) -> list[str]:
        return [p.reason for p in self.store.parked(self.profile.name, flow)]


def _columns(kind: str, *texts: str) -> dict[str, object]:
    """The sample layout's headers (the files above use them) for ``texts``; its
    price or quantity written with a decimal comma."""
    headers = SAMPLE_HEADERS[kind]
    number = "sale_price" if kind == "items" else "quantity"
    return {field: headers[field] for field in texts} | {
        number: {"header": headers[number], "transforms": ["decimal_comma"]}
    }


def _backoffice(exchange: Path) -> dict[str, object]:
    specials = sorted({item.code for item in SPECIAL_ITEMS})
    return {
        "kind": "files",
        "folder": str(exchange),
        "taxes": [
            {"code": t.code, "name": t.name, "rate": str(t.rate), "compound": t.base_of_compound}
            for t in (*TAXES, *ORDER_TAXES)
        ],
        "special_items": specials,
        "items": {"files": "articles*.csv", "columns": _columns("items", "code", "name", "tax")},
        "stock": {"files": "stock*.csv", "columns": _columns("stock", "code", "warehouse")},
    }


@pytest.fixture
def world(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[World]:
    exchange = tmp_path / "exchange"
    (exchange / "exports").mkdir(parents=True)
    shop = start_sandbox("woocommerce", tmp_path / "shop")
    try:
        for name, value in shop.secrets().items():
            monkeypatch.setenv(name, value)
        data = profile_for(shop, tmp_path / "unused").model_dump(mode="json")
        data["backoffice"] = _backoffice(exchange)
        profile = Profile.model_validate(data)
        with closing(Store.open_data_dir(tmp_path)) as store:
            console = Console(file=io.StringIO(), width=200)
            runner = Runner(tmp_path, store=store, console=console)
            yield World(shop, store, profile, runner, exchange)
    finally:
        shop.stop()


def test_good_lines_reach_the_shop_the_bad_one_is_parked_until_corrected(world: World) -> None:
    world.drop("articles.csv", ITEMS)
    world.run("export-products", "with_problems")
    shown = world.shop.view.products()
    assert shown[POT].price == Decimal("24.90")
    assert (shown[TEA].name, shown[TEA].price) == ("Thé vert Sencha", Decimal("8.50"))
    assert BAD not in shown
    (reason,) = world.parked("export-products")
    assert "articles.csv" in reason and "line 4" in reason
    assert 'column "Prix de vente HT" (C)' in reason and "douze" in reason

    world.drop("articles.csv", ITEMS.replace("douze", "32,00"))
    world.run("export-products")
    assert world.shop.view.products()[BAD].price == Decimal("32.00")
    assert world.parked("export-products") == []


def test_an_unreadable_stock_line_leaves_that_product_s_shop_stock_as_it_was(
    world: World,
) -> None:
    world.drop("articles.csv", ITEMS.replace("douze", "32,00"))
    world.drop("stock.csv", STOCK_HEADER + f"{POT};WH;12\r\n{TEA};WH;7\r\n")
    world.run("export-products")
    world.run("update-stock")
    assert {s: world.shop.view.products()[s].stock for s in (POT, TEA)} == {POT: 12, TEA: 7}

    world.drop("stock.csv", STOCK_HEADER + f"{POT};WH;5\r\n{TEA};WH;sept\r\n")
    world.run("update-stock", "with_problems")
    assert {s: world.shop.view.products()[s].stock for s in (POT, TEA)} == {POT: 5, TEA: 7}
    (reason,) = world.parked("update-stock")
    assert "stock.csv" in reason and "line 3" in reason and 'column "Quantité" (C)' in reason

    world.drop("stock.csv", STOCK_HEADER + f"{POT};WH;5\r\n{TEA};WH;6\r\n")
    world.run("update-stock")
    assert world.shop.view.products()[TEA].stock == 6
    assert world.parked("update-stock") == []


def _order_rows(path: Path) -> list[dict[str, str]]:
    text = path.read_bytes().decode("cp1252")
    return list(csv.DictReader(io.StringIO(text), delimiter=";"))


def test_a_paid_order_is_one_order_file_once_after_two_imports(world: World) -> None:
    world.drop("articles.csv", ITEMS.replace("douze", "32,00"))
    world.drop("stock.csv", STOCK_HEADER + f"{POT};WH;12\r\n{TEA};WH;7\r\n")
    world.run("export-products")
    order_id = world.shop.place_order({POT: 2, TEA: 1}, state="paid")
    with closing(build_shop(world.profile.shop)) as shop:
        (placed,) = [
            o.created_at
            for o in shop.iter_open_orders()
            if isinstance(o, Order) and o.source_id == order_id
        ]
    # Only this order, not the sandbox's seeded history; a second earlier, as
    # WooCommerce's ``after`` is strict and its dates are to the second.
    since = {"created_from": placed - timedelta(seconds=1)}
    first = world.run("import-orders", **since)
    second = world.run("import-orders", **since)
    assert (first.counts.get("created"), second.counts.get("created", 0)) == (1, 0)

    (written,) = [p for p in (world.exchange / "orders").iterdir() if p.is_file()]
    rows = _order_rows(written)
    assert {r["Article"] for r in rows} >= {POT, TEA}
    assert len({r["Numero"] for r in rows}) == 1
    totals = {Decimal(r["TotalTTC"].replace(",", ".")) for r in rows}
    assert totals == {world.shop.view.orders()[order_id].total}
