"""The sample exports hold a back-office's records as a French desktop program writes them."""

from __future__ import annotations

import csv
import io
from decimal import Decimal
from pathlib import Path

from openpyxl import load_workbook

from passerelle.connectors.files.sample import (
    CUSTOMERS_FILE,
    ITEMS_FILE,
    SAMPLE_HEADERS,
    STOCK_FILE,
    french_decimal,
    write_sample_exports,
)
from passerelle.connectors.memory import MemoryBackOffice
from passerelle.model import Address, Category, Customer, Item, Tax

VAT20 = Tax("7", "TVA 20 %", Decimal("0.20"))
VAT55 = Tax("9", "TVA 5,5 %", Decimal("0.055"))


def _source() -> MemoryBackOffice:
    kitchen = Category("1", "Cuisine")
    pots = Category("2", "Ustensiles", parent_id="1")
    return MemoryBackOffice(
        taxes=[VAT20, VAT55],
        categories=[kitchen, pots],
        items={
            "10": Item(
                "10",
                "POT-001",
                "Casserole inox 16 cm",
                Decimal("24.90"),
                taxes=(VAT20,),
                category_ids=("2",),
                weight=Decimal("0.9"),
                barcode="3760000000001",
                group_prices=(("Clients pro", Decimal("21.00")),),
            ),
            "11": Item(
                "11",
                "TEA-001",
                "Thé vert Sencha",
                Decimal("8.50"),
                taxes=(VAT55,),
                active=False,
                attributes={"origine": "Japon"},
            ),
        },
        stock={("10", "WH"): Decimal("12"), ("10", "WH2"): Decimal("2.5")},
        customers={
            "C0001": Customer(
                "C0001",
                "Élodie Martin",
                email="elodie@example.org",
                code="C0001",
                addresses=(
                    Address(
                        street="3 rue des Lilas",
                        postal_code="69003",
                        city="Lyon",
                        country_code="FR",
                    ),
                ),
                group="Clients pro",
            )
        },
    )


def test_items_sheet_holds_codes_prices_taxes_paths_and_group_prices(tmp_path: Path) -> None:
    written = write_sample_exports(_source(), tmp_path)
    assert written.files == (ITEMS_FILE, STOCK_FILE, CUSTOMERS_FILE)
    codes = {t.name: t.source_id for t in written.taxes}
    assert {t.name: t.rate for t in written.taxes} == {
        "TVA 20 %": Decimal("0.20"),
        "TVA 5,5 %": Decimal("0.055"),
    }
    book = load_workbook(io.BytesIO((tmp_path / ITEMS_FILE).read_bytes()), read_only=True)
    sheet = book.active
    assert sheet is not None
    header, *rows = [list(r) for r in sheet.iter_rows(values_only=True)]
    book.close()
    column = {title: n for n, title in enumerate(header)}
    items = SAMPLE_HEADERS["items"]
    by_code = {row[column[items["code"]]]: row for row in rows}
    pot, tea = by_code["POT-001"], by_code["TEA-001"]
    assert pot[column[items["sale_price"]]] == 24.90
    assert pot[column[items["tax"]]] == codes["TVA 20 %"]
    assert tea[column[items["tax"]]] == codes["TVA 5,5 %"]
    assert pot[column[items["category"]]] == "Cuisine > Ustensiles"
    assert pot[column["Prix Clients pro"]] == 21.0
    assert tea[column["Prix Clients pro"]] is None
    assert (pot[column[items["active"]]], tea[column[items["active"]]]) == ("Oui", "Non")
    assert tea[column["origine"]] == "Japon"


def test_stock_and_customers_are_windows_1252_with_decimal_commas(tmp_path: Path) -> None:
    write_sample_exports(_source(), tmp_path)
    stock = list(
        csv.reader(
            io.StringIO((tmp_path / STOCK_FILE).read_bytes().decode("cp1252")), delimiter=";"
        )
    )
    assert stock[0] == ["Référence", "Dépôt", "Quantité"]
    assert sorted(stock[1:]) == [["POT-001", "WH", "12"], ["POT-001", "WH2", "2,5"]]
    raw = (tmp_path / CUSTOMERS_FILE).read_bytes()
    assert "Élodie".encode("cp1252") in raw and b"\r\n" in raw
    header, row = list(csv.reader(io.StringIO(raw.decode("cp1252")), delimiter=";"))
    customer = dict(zip(header, row, strict=True))
    headers = SAMPLE_HEADERS["customers"]
    assert customer[headers["code"]] == "C0001"
    assert customer[headers["city"]] == "Lyon"
    assert customer[headers["group"]] == "Clients pro"


def test_french_decimal_keeps_every_digit() -> None:
    assert french_decimal(Decimal("1234.50")) == "1234,50"
    assert french_decimal(Decimal("-0.055")) == "-0,055"
