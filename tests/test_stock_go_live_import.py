"""X2: at go-live, the shop's stock counted into the back-office, on every shop platform.

The merchant kept their stock in the shop: the back-office's figures are off (goods
booked in twice, an item known under another code) and a buyer's paid order is not
shipped yet. ``import-shop-stock`` writes one count of one warehouse (Tryton: a
confirmed ``stock.inventory``) so that the stock check then finds nothing to fix;
a dry run writes nothing, an unknown SKU is listed and not created, a second run
changes nothing, and with two warehouses and none named the count is refused.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest
from trytond.pool import Pool
from typer.testing import CliRunner

from passerelle.cli.main import app
from passerelle.connectors.memory import MemoryBackOffice
from passerelle.connectors.tryton.database import session
from passerelle.flows.stock_check import StockReport
from passerelle.flows.stock_go_live import FLOW, warehouse_refusal
from passerelle.i18n import using
from passerelle.runner import Runner, RunSummary
from passerelle.store import Store
from tests.conformance.conftest import (
    PlatformWorld,
    tryton_demo_template,  # noqa: F401 - fixture
)
from tests.conformance.conftest import platform as world  # noqa: F401 - fixture
from tests.test_exit_codes import PROFILE, write_profile
from tests.test_stock_after_import import CATALOGUE, _receive, _simple_codes


def _on_hand(platform: PlatformWorld, codes: list[str]) -> dict[str, int]:
    return {c: int(q) for c, q in platform.backoffice.item_quantities(codes).items()}


def _inventories(platform: PlatformWorld) -> list[tuple[str, str]]:
    """(state, location name) of every count the back-office holds."""
    if isinstance(platform.backoffice, MemoryBackOffice):
        return [("done", w) for w, _q in platform.backoffice.inventories.values()]
    with session(platform.target, readonly=True):
        return [
            (i.state, i.location.warehouse.code) for i in Pool().get("stock.inventory").search([])
        ]


def _rename(platform: PlatformWorld, code: str) -> None:
    """The back-office knows the item under another code: the shop's SKU is unknown there."""
    new = f"{code}-OLD"
    if isinstance(platform.backoffice, MemoryBackOffice):
        bo = platform.backoffice
        item = next(i for i in bo.items.values() if i.code == code)
        bo.items[item.source_id] = replace(item, code=new)
        return
    with session(platform.target):
        (product,) = Pool().get("product.product").search([("code", "=", code)])
        product.suffix_code = (product.suffix_code or "") + "-OLD"
        product.save()
        assert product.code == new, product.code


def _count(platform: PlatformWorld, **options: object) -> RunSummary:
    runner = Runner(platform.data_dir, store=platform.store, console=platform.console)
    given = platform.backoffice if isinstance(platform.backoffice, MemoryBackOffice) else None
    return runner.run(platform.profile, FLOW, backoffice=given, options=options)


def _lines(platform: PlatformWorld, summary: RunSummary) -> dict[str, str]:
    return {
        line.record_key: line.message
        for line in platform.store.journal(summary.run_id)
        if line.record_key
    }


def test_the_shop_s_stock_becomes_the_back_office_s(world: PlatformWorld) -> None:  # noqa: F811 - the fixture
    platform = world
    for flow in CATALOGUE:
        platform.run(flow)
    first, second, ordered, unknown = _simple_codes(platform)[:4]
    if platform.files is not None:
        # A desktop program books its own stock counts: the file back-office refuses the
        # count, saying where to enter it, and its stock export is left as it was.
        before = _on_hand(platform, [first, second])
        _receive(platform, first, 5)
        refused = _count(platform, warehouse="WH")
        assert refused.counts["updated"] == 0 and refused.status != "succeeded", refused
        said = " ".join(line.message for line in platform.store.journal(refused.run_id))
        assert "cannot book a stock count" in said and "back-office program" in said, said
        assert _on_hand(platform, [first, second]) == {**before, first: before[first] + 5}
        return
    wanted = _on_hand(platform, [first, second, ordered])
    _receive(platform, first, 5)  # booked in twice: the back-office is off
    _receive(platform, second, 3)
    platform.shop.place_order({ordered: 2}, state="paid")  # goods still on the shelf
    _rename(platform, unknown)
    off = _on_hand(platform, [first, second, ordered])
    assert off != wanted

    # Two warehouses in the back-office, none named: refused, nothing written.
    refused = _count(platform)
    assert refused.status == "with_problems" and refused.counts["updated"] == 0, refused
    assert _on_hand(platform, [first, second, ordered]) == off

    dry = _count(platform, warehouse="WH", dry_run=True)
    assert dry.status == "succeeded", dry
    said = _lines(platform, dry)
    assert {first, second} <= set(said) and "shop" in said[first], said
    assert ordered not in said, "its open order's units are still on the shelf"
    assert "not in the back-office" in said[unknown], said
    assert _on_hand(platform, [first, second, ordered]) == off
    assert _inventories(platform) == []

    done = _count(platform, warehouse="WH")
    assert done.status == "succeeded" and done.counts["updated"] >= 2, done
    assert _on_hand(platform, [first, second, ordered]) == wanted
    assert _inventories(platform) == [("done", "WH")]
    assert f"{unknown}-OLD" not in _lines(platform, done)
    assert not platform.backoffice.item_quantities([unknown]), "an unknown SKU is not created"

    # The stock check agrees with the shop; a second count changes nothing.
    check = platform.run_with("stock-check", fix=False)
    report = StockReport.from_journal(platform.store.journal(check.run_id))
    assert [d for d in report.differences if not d.missing and d.code != unknown] == []
    again = _count(platform, warehouse="WH")
    assert again.status == "succeeded" and again.counts["updated"] == 0, again
    assert _inventories(platform) == [("done", "WH")]


def test_the_refusal_is_said_in_french_too() -> None:
    refused = warehouse_refusal(["WH", "WH2"], None)
    assert refused is not None and warehouse_refusal(["WH", "WH2"], "WH") is None
    assert warehouse_refusal(["WH"], None) is None
    with using("fr"):
        french = refused.render()
    assert "entrepôts (WH, WH2)" in french and "--warehouse" in french, french


def test_the_command_refuses_when_the_profile_counts_several_warehouses(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("WC_KEY", "ck_demo")
    monkeypatch.setenv("WC_SECRET", "cs_demo")
    write_profile(tmp_path, catalogue={"stock": {"warehouses": ["WH", "WH2"]}})
    result = CliRunner().invoke(
        app, ["stock", "import-from-shop", "--profile", PROFILE, "--data-dir", str(tmp_path)]
    )
    assert result.exit_code == 2, result.output
    assert "--warehouse" in result.output and "WH, WH2" in result.output, result.output
    with Store.open_data_dir(tmp_path) as store:
        assert store.list_runs(profile=PROFILE) == [], "refused before anything runs"
