"""``passerelle demo --backoffice files``: a sample spreadsheet to the shop and back to files.

The demo runs end to end on the WooCommerce sandbox without Tryton: its products
are read back from the shop the demo left (its state file, through the sandbox's
merchant view), and each order file's total is compared with the shop order's
(the file parsed as the program would read it: Windows-1252, ``;``, decimal
commas). A second demo sends nothing unchanged and writes no order file again.
The TOML examples of docs/files.md are profiles and settings the settings
models accept, so the documentation cannot drift from the code.
"""

from __future__ import annotations

import csv
import io
import re
import tomllib
from collections import defaultdict
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from rich.console import Console
from typer.testing import CliRunner

from passerelle.cli.main import app
from passerelle.demo import run_demo
from passerelle.demo_data import CATALOGUE_ITEMS, PRICE_LISTS, DemoItem
from passerelle.i18n import using
from passerelle.platforms import start_sandbox
from passerelle.platforms.files import FilesSettings
from passerelle.platforms.files_exports import ExportSettings
from passerelle.platforms.files_outbox import OrderFileSettings
from passerelle.profiles import Profile

EXPORTS = {"items", "prices", "stock", "customers"}
DOCS = Path(__file__).resolve().parents[1] / "docs" / "files.md"
COUNTS = ("created", "updated", "unchanged", "skipped", "parked", "failed")
# Flows whose second run must write nothing at all to the shop.
STILL = ("export-categories", "export-products", "update-prices", "update-stock")


def _shown_price(item: DemoItem) -> Decimal:
    """The price a buyer sees: the list price, or the running promotion's (the sales
    price list "Soldes" of its category, a column of the sample spreadsheet)."""
    for price_list in PRICE_LISTS:
        if price_list.promotion and price_list.category == item.category:
            return (item.price * (1 - price_list.discount)).quantize(Decimal("0.01"))
    return item.price


def _demo(data_dir: Path, language: str = "en") -> tuple[bool, str]:
    out = io.StringIO()
    with using(language):
        ok = run_demo(data_dir, console=Console(file=out, width=200), backoffice="files")
    return ok, out.getvalue()


def _said(output: str, text: str) -> bool:
    """Whether the console said ``text`` (a long path wraps over lines)."""
    return text in output.replace("\n", "")


def _summary(output: str) -> dict[str, dict[str, int]]:
    """The demo's summary table, whatever its language: flow → its counts."""
    rows: dict[str, dict[str, int]] = {}
    for line in output.splitlines():
        cells = [c.strip() for c in line.split("│") if c.strip()]
        if len(cells) == len(COUNTS) + 2 and cells[1].isdigit():
            rows[cells[0]] = dict(zip(COUNTS, map(int, cells[1:-1]), strict=True))
    return rows


def _documents(outbox: Path) -> dict[str, Decimal]:
    """Each order file's documents: number → total tax included, as the file says it."""
    totals: dict[str, set[Decimal]] = defaultdict(set)
    for path in outbox.iterdir():
        if not path.is_file():
            continue
        text = path.read_bytes().decode("cp1252")
        for row in csv.DictReader(io.StringIO(text), delimiter=";"):
            totals[row["Numero"]].add(Decimal(row["TotalTTC"].replace(",", ".")))
    assert all(len(t) == 1 for t in totals.values()), totals
    return {number: total for number, (total,) in ((n, tuple(t)) for n, t in totals.items())}


def _files(outbox: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in outbox.iterdir() if p.is_file()}


def test_demo_from_a_spreadsheet_to_the_shop_and_back_then_again_sends_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    data_dir = tmp_path / "data"
    ok, output = _demo(data_dir)
    assert ok, output
    assert not (data_dir / "tryton").exists()  # no database built
    outbox = data_dir / "files" / "exchange" / "orders"
    assert _said(output, f"sample spreadsheet exports written to {outbox.parent / 'exports'}")
    assert _said(output, f"order files for the back-office: {outbox}")
    first = _summary(output)
    assert first["export-products"]["created"] > 50
    assert first["import-orders"]["created"] > 10
    assert all(counts["failed"] == 0 for counts in first.values()), first

    shop = start_sandbox("woocommerce", data_dir / "files" / "sandbox")
    try:
        for name, value in shop.secrets().items():
            monkeypatch.setenv(name, value)
        products = shop.view.products()
        orders = shop.view.orders()
    finally:
        shop.stop()
    for item in CATALOGUE_ITEMS:
        if item.active and item.salable:
            assert products[item.code].price == _shown_price(item), item.code
    assert not {item.code for item in CATALOGUE_ITEMS if not item.salable} & set(products)

    documents = _documents(outbox)
    imported = [o for o in orders.values() if o.document_number]
    assert len(imported) > 10
    for order in imported:
        numbers = [n.strip() for n in order.document_number.split(",")]
        # An order shipped to two addresses is one document per address.
        assert sum(documents[n] for n in numbers) == order.total, order

    before = _files(outbox)
    ok, output = _demo(data_dir, "fr")  # the same, said in French
    assert ok, output
    assert _said(output, "exports du tableur d'exemple déjà lus")
    assert _said(output, f"fichiers de commandes pour la gestion commerciale : {outbox}")
    second = _summary(output)
    assert _files(outbox) == before
    assert second["import-orders"]["created"] == 0
    for flow in STILL:
        assert second[flow]["created"] == second[flow]["updated"] == 0, (flow, second)
    # A buyer the import opened an account for is linked to its shop account now.
    assert second["export-customers"]["created"] == 0
    assert second["export-customers"]["updated"] <= first["import-orders"]["created"]


def test_the_demo_command_names_the_back_offices_it_knows(tmp_path: Path) -> None:
    result = CliRunner().invoke(
        app, ["demo", "--backoffice", "sage", "--data-dir", str(tmp_path / "data")]
    )
    assert result.exit_code == 1
    assert "no demo back-office 'sage': choose one of tryton, files" in result.output
    assert not (tmp_path / "data" / "files").exists()


def _toml_blocks() -> list[dict[str, Any]]:
    text = DOCS.read_text(encoding="utf-8")
    return [tomllib.loads(b) for b in re.findall(r"```toml\n(.*?)```", text, flags=re.S)]


def test_every_toml_example_of_the_file_back_office_docs_is_accepted() -> None:
    profiles = 0
    for block in _toml_blocks():
        backoffice = block.get("backoffice", {})
        if "shop" in block:
            Profile.model_validate(block)
            profiles += 1
        elif "kind" in backoffice:
            FilesSettings.model_validate(backoffice)
        else:
            assert set(backoffice) <= {"outbox", *EXPORTS}, backoffice
            if "outbox" in backoffice:
                OrderFileSettings.model_validate(backoffice["outbox"])
            for name in EXPORTS & set(backoffice):
                ExportSettings.model_validate(backoffice[name])
    assert profiles >= 1  # a complete example profile


def test_the_docs_example_profile_is_a_file_back_office_reading_every_export() -> None:
    (profile,) = [Profile.model_validate(b) for b in _toml_blocks() if "shop" in b]
    settings = profile.backoffice
    assert isinstance(settings, FilesSettings)
    assert all(
        part is not None
        for part in (settings.items, settings.prices, settings.stock, settings.customers)
    )
    assert settings.taxes and settings.special_items
