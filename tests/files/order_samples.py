"""Sales and layouts the order-file tests share (light: the crash test's child imports it)."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from decimal import Decimal

from passerelle.connectors.arithmetic import TaxSpec
from passerelle.connectors.files.layouts import (
    Column,
    FileFormat,
    LayoutStyle,
    OrderLayout,
    Record,
)
from passerelle.model import (
    Address,
    BackOfficePayment,
    BackOfficeSale,
    DocumentType,
    SaleLine,
    SaleLineKind,
)

TAXES = {
    "T20": TaxSpec("T20", Decimal("0.2")),
    "T55": TaxSpec("T55", Decimal("0.055")),
}


def sample_sale(key: str = "shop.example#123", number: str = "") -> BackOfficeSale:
    """A product at 20 %, a book at 5.5 %, shipping, a discount and one card payment."""
    return BackOfficeSale(
        external_key=key,
        party_code="CWEB",
        document_type=DocumentType.ORDER,
        sale_date=date(2026, 12, 1),
        currency="EUR",
        number=number,
        reference="Web 123",
        lines=(
            SaleLine("THE01", "Thé vert; 100 g", Decimal(3), Decimal("4.165"), ("T20",)),
            SaleLine("LIV02", 'Livre "Le thé"', Decimal(1), Decimal("18.96"), ("T55",)),
            SaleLine(
                "PORT", "Colissimo", Decimal(1), Decimal("5.83"), ("T20",), SaleLineKind.SHIPPING
            ),
            SaleLine(
                "REMISE",
                "Coupon NOEL",
                Decimal(1),
                Decimal("-2.50"),
                ("T20",),
                SaleLineKind.DISCOUNT,
            ),
        ),
        invoice_address=Address(first_name="Zoë", last_name="Łukasz", city="Lyon"),
        payments=(BackOfficePayment("CB", Decimal("39.00"), date(2026, 12, 2), "tx-9"),),
    )


LINE_COLUMNS = (
    Column("Numero", "number"),
    Column("Date", "date"),
    Column("Client", "party_code"),
    Column("Article", "line.item_code"),
    Column("Libelle", "line.description"),
    Column("Quantite", "line.quantity", decimals=3),
    Column("PrixUnitaire", "line.unit_price"),
    Column("MontantHT", "line.amount"),
    Column("CodeTVA", "line.tax_id"),
    Column("TotalHT", "untaxed"),
    Column("TotalTVA", "tax"),
    Column("TotalTTC", "total"),
    Column("Reglement", "payment.journal"),
)
LINES_CSV = OrderLayout(columns=LINE_COLUMNS)

HEADER = Record(
    "E",
    (
        Column("Numero", "number", width=10),
        Column("Date", "date", width=8, date_format="%Y%m%d"),
        Column("Client", "party_code", width=8),
        Column("Nom", "invoice.full_name", width=12, cut=True),
        Column("TotalHT", "untaxed", width=10, decimal_separator="."),
        Column("TotalTVA", "tax", width=10, decimal_separator="."),
        Column("TotalTTC", "total", width=10, decimal_separator="."),
    ),
)
LINE = Record(
    "L",
    (
        Column("Article", "line.item_code", width=8),
        Column("Libelle", "line.description", width=12, cut=True),
        Column("Quantite", "line.quantity", width=9, decimals=3, decimal_separator="."),
        Column("Montant", "line.amount", width=10, decimal_separator="."),
        Column("TVA", "line.tax_amount", width=8, decimal_separator="."),
        Column("CodeTVA", "line.tax_id", width=4),
    ),
)
PAYMENT = Record(
    "R",
    (
        Column("Journal", "payment.journal", width=4),
        Column("Montant", "payment.amount", width=10, decimal_separator="."),
        Column("Date", "payment.date", width=8, date_format="%Y%m%d"),
    ),
)
RECORDS_CSV = OrderLayout(
    style=LayoutStyle.RECORDS, header=HEADER, line=LINE, payment=PAYMENT, extension="txt"
)
FIXED = replace(RECORDS_CSV, format=FileFormat.FIXED)
XML = replace(RECORDS_CSV, format=FileFormat.XML, extension="xml")
