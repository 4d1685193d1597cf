"""The file back-office through the protocol: exports taken in once, kept, and sales as files."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from passerelle.connectors.base import BackOffice, ReadsWithProblems
from passerelle.connectors.files.connector import FilesBackOffice
from passerelle.model import BackOfficeSale, Customer, DocumentType, SaleLine
from passerelle.platforms import build_backoffice
from passerelle.platforms.files import FilesSettings
from passerelle.platforms.settings import BackOfficeSettingsBase

ITEMS = (
    "Référence;Désignation;Prix de vente HT;Code TVA\r\n"
    "POT-001;Casserole inox 16 cm;24,90;T20\r\n"
    "THE-001;Thé vert Sencha;8,50;T55\r\n"
    "BAD-001;Théière fonte;douze;T20\r\n"
)
STOCK = "Référence;Dépôt;Quantité\r\nPOT-001;WH;12\r\nTHE-001;WH;3,5\r\nGHOST;WH;4\r\n"


def _settings(folder: Path, **extra: object) -> BackOfficeSettingsBase:
    return FilesSettings.model_validate(
        {
            **extra,
            "kind": "files",
            "folder": str(folder),
            "taxes": [
                {"code": "T20", "name": "TVA 20 %", "rate": "0.20"},
                {"code": "T55", "name": "TVA 5,5 %", "rate": "0.055"},
            ],
            "special_items": ["SHIPPING"],
            "items": {
                "files": "articles*.csv",
                "columns": {
                    "code": "Référence",
                    "name": "Désignation",
                    "sale_price": {"header": "Prix de vente HT", "transforms": ["decimal_comma"]},
                    "tax": "Code TVA",
                },
            },
            "shipments": {
                "files": "livraisons*.csv",
                "columns": {
                    "code": "Pièce",
                    "shipment_number": "N° BL",
                    "shipped_at": {
                        "header": "Date",
                        "transforms": ["date"],
                        "date_format": "%d/%m/%Y",
                    },
                    "carrier": "Transporteur",
                    "tracking_number": "Suivi",
                },
            },
            "stock": {
                "files": "stock.csv",
                "columns": {
                    "code": "Référence",
                    "warehouse": "Dépôt",
                    "quantity": {"header": "Quantité", "transforms": ["decimal_comma"]},
                },
            },
        }
    )


@pytest.fixture
def exchange(tmp_path: Path) -> Path:
    inbox = tmp_path / "exchange" / "exports"
    inbox.mkdir(parents=True)
    (inbox / "articles-2026.csv").write_bytes(ITEMS.encode("cp1252"))
    (inbox / "stock.csv").write_bytes(STOCK.encode("cp1252"))
    return tmp_path / "exchange"


def _backoffice(exchange: Path, data_dir: Path) -> BackOffice:
    return build_backoffice(_settings(exchange), data_dir)


def test_exports_are_read_with_bad_lines_reported_then_archived_and_kept(
    exchange: Path, tmp_path: Path
) -> None:
    backoffice = _backoffice(exchange, tmp_path / "data")
    items = {i.code: i for i in backoffice.list_items()}
    assert items["POT-001"].sale_price == Decimal("24.90")
    assert items["THE-001"].taxes[0].rate == Decimal("0.055")
    assert "BAD-001" not in items and "SHIPPING" in items
    assert isinstance(backoffice, ReadsWithProblems)
    (bad,) = backoffice.unread_records("item")
    assert bad.record_id == "BAD-001"
    assert "articles-2026.csv" in bad.message and "line 4" in bad.message
    assert "Prix de vente HT" in bad.message
    # Read once: moved to the archive (never deleted), and still the current catalogue.
    assert sorted(p.name for p in (exchange / "exports").iterdir() if p.is_file()) == [
        "stock.csv"  # not read yet
    ]
    assert (exchange / "exports" / "archive" / "articles-2026.csv").is_file()
    again = _backoffice(exchange, tmp_path / "data")
    assert {i.code for i in again.list_items()} == set(items)

    levels = {(lv.item_code, lv.warehouse): lv.quantity for lv in again.stock_levels()}
    assert levels == {("POT-001", "WH"): Decimal(12), ("THE-001", "WH"): Decimal("3.5")}
    assert isinstance(again, ReadsWithProblems)
    (ghost,) = again.unread_records("stock")
    assert ghost.record_id == "GHOST"
    assert not (exchange / "exports" / "stock.csv").exists()


def test_a_sale_is_one_file_once_and_counts_as_open_demand(exchange: Path, tmp_path: Path) -> None:
    backoffice = _backoffice(exchange, tmp_path / "data")
    backoffice.list_items()
    sale = BackOfficeSale(
        external_key="shop.example#101",
        party_code="C0001",
        document_type=DocumentType.ORDER,
        sale_date=date(2026, 12, 7),
        currency="EUR",
        lines=(
            SaleLine("POT-001", "Casserole", Decimal(2), Decimal("24.90"), ("T20",)),
            SaleLine("THE-001", "Thé", Decimal(3), Decimal("8.50"), ("T55",)),
        ),
        expected_total=Decimal("86.66"),
    )
    first = backoffice.create_sale(sale)
    # Tax per rate on the document: 49.80 × 20 % = 9.96; 25.50 × 5.5 % = 1.4025 → 1.40.
    assert (first.untaxed_amount, first.tax_amount) == (Decimal("75.30"), Decimal("11.36"))
    assert first.total_amount == Decimal("86.66")
    assert backoffice.create_sale(sale) == first
    written = [p for p in (exchange / "orders").iterdir() if p.is_file()]
    assert len(written) == 1
    text = written[0].read_bytes().decode("cp1252")
    assert "POT-001" in text and "86,66" in text
    found = _backoffice(exchange, tmp_path / "data").find_sale("shop.example#101")
    assert found is not None and found.number == first.number
    demand = {d.item_code: d.to_ship for d in backoffice.open_sales_demand("shop.example#")}
    assert demand == {"POT-001": Decimal(2), "THE-001": Decimal(3)}


def test_settings_refuse_what_cannot_work(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="host_key"):
        FilesSettings.model_validate(
            {"kind": "files", "transport": "sftp", "host": "h", "user": "u", "password": "env:P"}
        )
    with pytest.raises(ValueError, match="unknown transform"):
        FilesSettings.model_validate(
            {
                "kind": "files",
                "folder": str(tmp_path),
                "items": {
                    "files": "a.csv",
                    "columns": {"code": {"header": "A", "transforms": ["x"]}},
                },
            }
        )
    with pytest.raises(ValueError, match="code"):
        FilesSettings.model_validate(
            {"kind": "files", "folder": str(tmp_path), "items": {"files": "a.csv", "columns": {}}}
        )


def test_deliveries_of_written_sales_become_shipments(exchange: Path, tmp_path: Path) -> None:
    backoffice = _backoffice(exchange, tmp_path / "data")
    backoffice.list_items()
    sale = BackOfficeSale(
        external_key="shop.example#102",
        party_code="C0001",
        document_type=DocumentType.ORDER,
        sale_date=date(2026, 12, 7),
        currency="EUR",
        lines=(SaleLine("POT-001", "Casserole", Decimal(1), Decimal("24.90"), ("T20",)),),
    )
    number = backoffice.create_sale(sale).number
    deliveries = (
        "Pièce;N° BL;Date;Transporteur;Suivi\r\n"
        f"{number};BL0042;07/12/2026;Colissimo;6A123\r\n"
        "CPT-0007;BL0043;07/12/2026;Colissimo;6A124\r\n"  # a counter sale: not the shop's
        f"{number};;07/12/2026;Colissimo;\r\n"  # no delivery number: that line's problem
    )
    (exchange / "exports" / "livraisons-1207.csv").write_bytes(deliveries.encode("cp1252"))
    (shipped,) = backoffice.shipped_sales(None)
    assert (shipped.sale_key, shipped.sale_number) == ("shop.example#102", number)
    assert (shipped.shipment_number, shipped.carrier, shipped.tracking_number) == (
        "BL0042",
        "Colissimo",
        "6A123",
    )
    assert shipped.shipped_at is not None and shipped.shipped_at.date() == date(2026, 12, 7)
    assert isinstance(backoffice, ReadsWithProblems)
    (problem,) = backoffice.unread_records("shipment")
    assert "line 4" in problem.message and "N° BL" in problem.message


def test_a_program_set_to_round_each_line_gets_per_line_tax(exchange: Path, tmp_path: Path) -> None:
    third = SaleLine("POT-001", "Casserole", Decimal(1), Decimal("0.33"), ("T20",))
    sale = BackOfficeSale(
        external_key="shop.example#103",
        party_code="C0001",
        document_type=DocumentType.ORDER,
        sale_date=date(2026, 12, 7),
        currency="EUR",
        lines=(third, third, third),
    )
    taxes = {}
    for rounding in ("document", "line"):
        settings = _settings(exchange, tax_rounding=rounding, outbox={"folder": rounding})
        backoffice = build_backoffice(settings, tmp_path / rounding)
        backoffice.list_items()
        taxes[rounding] = backoffice.create_sale(sale).tax_amount
    # 0.99 × 20 % = 0.198 on the document; 0.066 → 0.07 on each of three lines.
    assert taxes == {"document": Decimal("0.20"), "line": Decimal("0.21")}


def test_customers_are_read_once_per_run_and_an_opened_account_is_found_again(
    exchange: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (exchange / "exports" / "clients.csv").write_bytes(
        "Code;Nom;E-mail\r\nC0001;Élodie Martin;elodie@example.org\r\n".encode("cp1252")
    )
    settings = _settings(
        exchange,
        customers={
            "files": "clients.csv",
            "columns": {"code": "Code", "name": "Nom", "email": "E-mail"},
        },
    )
    backoffice = build_backoffice(settings, tmp_path / "data")
    assert isinstance(backoffice, FilesBackOffice)
    listed: list[str] = []
    names = backoffice.intake.transport.names
    monkeypatch.setattr(
        backoffice.intake.transport, "names", lambda folder: listed.append(folder) or names(folder)
    )
    for _ in range(5):  # an order import looks its buyer up several times
        found = backoffice.find_customer(email="ELODIE@example.org")
        assert found is not None and found.code == "C0001"
    assert len(listed) == 1, "the customer export is listed and read once"
    opened = backoffice.upsert_customer(Customer("", "Zoë Ngo", email="zoe@example.org"))
    again = backoffice.find_customer(email="zoe@example.org")
    assert again is not None and again.code == opened.code
    assert backoffice.find_customer(code="C0001") is not None
