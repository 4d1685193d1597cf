"""Order files in each layout, read back with an independent parser, to the cent.

Every check compares the file's figures with the back-office arithmetic run on
the sale here (``MEMORY_ARITHMETIC.document_totals``), never with a string
copied from the code under test.
"""

from __future__ import annotations

import csv
import io
import re
import tomllib
from dataclasses import replace
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from lxml import etree

from passerelle.connectors.arithmetic import DocumentTotals
from passerelle.connectors.errors import RecordError
from passerelle.connectors.files.layout_rows import compute_figures
from passerelle.connectors.files.layout_text import encode_text, format_value
from passerelle.connectors.files.layouts import (
    Column,
    FileFormat,
    LayoutStyle,
    OrderLayout,
    Record,
)
from passerelle.connectors.files.outbox import render_sale
from passerelle.connectors.memory import MEMORY_ARITHMETIC
from passerelle.model import BackOfficeSale, SaleLine
from tests.files.order_samples import (
    FIXED,
    HEADER,
    LINE,
    LINES_CSV,
    PAYMENT,
    RECORDS_CSV,
    TAXES,
    XML,
    sample_sale,
)


def totals_of(sale: BackOfficeSale) -> DocumentTotals:
    """The arithmetic's own totals for the sale, computed here."""
    return MEMORY_ARITHMETIC.document_totals(
        ((ln.quantity, ln.unit_price, ln.tax_ids) for ln in sale.lines), TAXES
    )


def render(layout: OrderLayout, sale: BackOfficeSale, number: str = "WEB000001") -> bytes:
    return render_sale(layout, sale, compute_figures(sale, number, MEMORY_ARITHMETIC, TAXES))


def comma(text: str) -> Decimal:
    return Decimal(text.replace(",", "."))


def test_the_sample_has_shipping_a_discount_two_rates_and_a_payment() -> None:
    sale = sample_sale()
    assert {ln.kind.value for ln in sale.lines} >= {"product", "shipping", "discount"}
    assert {t for ln in sale.lines for t in ln.tax_ids} == {"T20", "T55"}
    assert sale.payments


def test_lines_csv_reads_back_to_the_cent() -> None:
    sale = sample_sale()
    expected = totals_of(sale)
    data = render(LINES_CSV, sale)
    assert b"\r\n" in data and b"\n" not in data.replace(b"\r\n", b"")
    rows = list(csv.DictReader(io.StringIO(data.decode("cp1252"), newline=""), delimiter=";"))
    assert len(rows) == len(sale.lines)
    assert [r["Article"] for r in rows] == [ln.item_code for ln in sale.lines]
    assert [r["Libelle"] for r in rows] == [ln.description for ln in sale.lines]
    assert sum(comma(r["MontantHT"]) for r in rows) == expected.untaxed
    for row, line in zip(rows, sale.lines, strict=True):
        assert comma(row["Quantite"]) == line.quantity
        assert comma(row["PrixUnitaire"]) == line.unit_price
        assert comma(row["MontantHT"]) == MEMORY_ARITHMETIC.line_amount(
            line.quantity, line.unit_price
        )
        assert row["CodeTVA"] == line.tax_ids[0]
        # The document's columns repeat on every row.
        assert row["Numero"] == "WEB000001" and row["Date"] == "01/12/2026"
        assert comma(row["TotalHT"]) == expected.untaxed
        assert comma(row["TotalTVA"]) == expected.tax
        assert comma(row["TotalTTC"]) == expected.total
        assert row["Reglement"] == sale.payments[0].journal


def _records(data: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(data.decode("cp1252"), newline=""), delimiter=";"))


def test_records_csv_reads_back_to_the_cent() -> None:
    sale = sample_sale()
    expected = totals_of(sale)
    records = _records(render(RECORDS_CSV, sale))
    assert [r[0] for r in records] == ["E"] + ["L"] * len(sale.lines) + ["R"]
    header = dict(zip([c.title for c in HEADER.columns], records[0][1:], strict=True))
    assert header["Numero"] == "WEB000001" and header["Date"] == "20261201"
    assert Decimal(header["TotalHT"]) == expected.untaxed
    assert Decimal(header["TotalTVA"]) == expected.tax
    assert Decimal(header["TotalTTC"]) == expected.total
    lines = [dict(zip([c.title for c in LINE.columns], r[1:], strict=True)) for r in records[1:-1]]
    assert sum(Decimal(ln["Montant"]) for ln in lines) == expected.untaxed
    assert sum(Decimal(ln["TVA"]) for ln in lines) == expected.tax
    payment = dict(zip([c.title for c in PAYMENT.columns], records[-1][1:], strict=True))
    assert Decimal(payment["Montant"]) == sale.payments[0].amount
    assert payment["Journal"] == "CB"


def _slices(record: Record, text: str) -> dict[str, str]:
    values, at = {}, len(record.marker)
    assert text[:at] == record.marker
    for column in record.columns:
        assert column.width is not None
        values[column.title] = text[at : at + column.width]
        at += column.width
    assert at == len(text), "the record is exactly as wide as its columns"
    return values


def test_fixed_width_reads_back_to_the_cent() -> None:
    sale = sample_sale()
    expected = totals_of(sale)
    data = render(FIXED, sale)
    texts = data.decode("cp1252").split("\r\n")
    assert texts[-1] == ""
    texts = texts[:-1]
    header = _slices(HEADER, texts[0])
    lines = [_slices(LINE, text) for text in texts[1 : 1 + len(sale.lines)]]
    payment = _slices(PAYMENT, texts[-1])
    assert Decimal(header["TotalHT"].strip()) == expected.untaxed
    assert Decimal(header["TotalTTC"].strip()) == expected.total
    assert header["TotalTTC"].startswith(" "), "numbers are right-aligned"
    assert header["Numero"] == "WEB000001 ", "texts are left-aligned"
    # Ł is not in cp1252 and has no accent to drop: one "?" for it, widths hold.
    assert header["Nom"] == "Zoë ?ukasz  "
    assert sum(Decimal(ln["Montant"]) for ln in lines) == expected.untaxed
    assert sum(Decimal(ln["TVA"]) for ln in lines) == expected.tax
    assert [ln["Article"].rstrip() for ln in lines] == [ln.item_code for ln in sale.lines]
    assert [Decimal(ln["Quantite"]) for ln in lines] == [ln.quantity for ln in sale.lines]
    assert Decimal(payment["Montant"]) == sale.payments[0].amount


def test_xml_reads_back_to_the_cent_and_escapes() -> None:
    sale = sample_sale()
    sale = replace(
        sale, lines=(replace(sale.lines[0], description='a < b & "c" \']]>'), *sale.lines[1:])
    )
    expected = totals_of(sale)
    root = etree.fromstring(render(XML, sale))
    assert root.tag == "documents"
    (document,) = root.findall("document")
    assert document.findtext("Numero") == "WEB000001"
    assert comma(document.findtext("TotalTTC") or "").quantize(Decimal("0.01")) == expected.total
    lines = document.findall("line")
    assert len(lines) == len(sale.lines)
    assert lines[0].findtext("Libelle") == 'a < b & "c" \']]>'[:12]
    assert sum(Decimal(ln.findtext("Montant") or "") for ln in lines) == expected.untaxed
    assert sum(Decimal(ln.findtext("TVA") or "") for ln in lines) == expected.tax
    (payment,) = document.findall("payment")
    assert Decimal(payment.findtext("Montant") or "") == sale.payments[0].amount


def test_xml_keeps_a_character_its_encoding_lacks() -> None:
    sale = sample_sale()
    layout = replace(XML, header=Record("E", (Column("Nom", "invoice.full_name"),)))
    root = etree.fromstring(render(layout, sale))
    assert root.findtext("document/Nom") == "Zoë Łukasz"


def test_csv_quotes_a_value_holding_the_delimiter() -> None:
    sale = sample_sale()
    rows = list(csv.reader(io.StringIO(render(LINES_CSV, sale).decode("cp1252")), delimiter=";"))
    assert rows[1][4] == "Thé vert; 100 g"
    assert rows[2][4] == 'Livre "Le thé"'


def test_an_amount_too_wide_for_its_column_is_refused() -> None:
    narrow = replace(HEADER, columns=(Column("TotalTTC", "total", width=4),))
    with pytest.raises(RecordError, match="wider than the 4 characters"):
        render(replace(FIXED, header=narrow), sample_sale())


def test_a_text_is_cut_only_where_its_column_allows() -> None:
    strict = replace(HEADER, columns=(Column("Nom", "invoice.full_name", width=5),))
    with pytest.raises(RecordError, match="column Nom"):
        render(replace(FIXED, header=strict), sample_sale())
    cut = replace(HEADER, columns=(Column("Nom", "invoice.full_name", width=5, cut=True),))
    first = render(replace(FIXED, header=cut), sample_sale()).decode("cp1252").split("\r\n")[0]
    assert first == "EZoë ?"


def test_an_amount_needing_rounding_is_refused() -> None:
    layout = OrderLayout(columns=(Column("PU", "line.unit_price", decimals=2),))
    with pytest.raises(RecordError, match="does not fit the 2 decimals"):
        render(layout, sample_sale())  # 4.165 has three


def test_numbers_as_written() -> None:
    column = Column("N", "total", decimals=2)
    assert format_value(Decimal("-0.00"), column, "k") == "0,00"
    assert format_value(Decimal("12.5"), column, "k") == "12,50"
    assert format_value(Decimal("1E+2"), Column("N", "total"), "k") == "100,00"
    assert format_value(Decimal("3"), replace(column, decimals=0), "k") == "3"
    wide = Decimal("1" * 40 + ".125")  # beyond the default context's 28 digits
    with pytest.raises(RecordError, match="does not fit the 2 decimals"):
        format_value(wide, column, "k")
    assert format_value(wide, replace(column, decimals=None), "k") == "1" * 40 + ",125"
    with pytest.raises(RecordError):
        format_value(Decimal("NaN"), column, "k")


def test_a_letter_missing_from_the_encoding_loses_its_accent_only() -> None:
    assert encode_text("Łódź ő €", "cp1252") == "?ódz o €".encode("cp1252")
    assert encode_text("ﬁ", "cp1252") == b"?"  # one character for one: widths hold


def test_a_line_break_in_a_text_stays_on_its_record() -> None:
    sale = sample_sale()
    sale = replace(sale, lines=(replace(sale.lines[0], description="two\r\nlines"),))
    rows = _records(render(replace(LINES_CSV, titles=False), sale))
    assert len(rows) == 1 and rows[0][4] == "two lines"


def test_layout_problems_are_named() -> None:
    bad = OrderLayout(
        format=FileFormat.FIXED,
        columns=(Column("A", "nonsense"), Column("B b", "number", width=3)),
    )
    problems = [str(p) for p in bad.problems()]
    assert any("column A has the unknown source nonsense" in p for p in problems)
    assert any("column A needs a width" in p for p in problems)
    assert OrderLayout(style=LayoutStyle.RECORDS).problems()
    as_xml = [str(p) for p in replace(bad, format=FileFormat.XML).problems()]
    assert any("column B b cannot be an XML element name" in p for p in as_xml)
    assert not any("B b" in p for p in problems)
    one_fill = OrderLayout(columns=(Column("N", "number", fill="ab"),))
    assert [str(p) for p in one_fill.problems()] == [
        "order file, columns: column N needs a fill of one character"
    ]
    header_with_line = Record("E", (Column("X", "line.amount"),))
    assert replace(RECORDS_CSV, header=header_with_line).problems()
    for layout in (LINES_CSV, RECORDS_CSV, FIXED, XML):
        assert layout.problems() == []


def test_a_constant_column() -> None:
    layout = OrderLayout(columns=(Column("Type", "=FA"), Column("N", "line.no")), titles=False)
    assert _records(render(layout, sample_sale()))[:2] == [["FA", "1"], ["FA", "2"]]


_prices = st.decimals(min_value=Decimal("-50"), max_value=Decimal("500"), places=3)
_quantities = st.decimals(min_value=Decimal("0.001"), max_value=Decimal("40"), places=3)


@given(
    st.lists(
        st.tuples(_quantities, _prices, st.sampled_from([("T20",), ("T55",), ()])),
        min_size=1,
        max_size=8,
    )
)
def test_file_amounts_add_up_to_the_arithmetics_totals(
    drawn: list[tuple[Decimal, Decimal, tuple[str, ...]]],
) -> None:
    lines = tuple(
        SaleLine(f"I{i}", "item", quantity, price, taxes)
        for i, (quantity, price, taxes) in enumerate(drawn)
    )
    sale = replace(sample_sale(), lines=lines)
    expected = totals_of(sale)
    layout = replace(
        RECORDS_CSV,
        line=replace(LINE, columns=tuple(c for c in LINE.columns if c.width != 12)),
    )
    records = _records(render(layout, sale))
    header, body = records[0], [r for r in records if r[0] == "L"]
    assert Decimal(header[5]) == expected.untaxed
    assert Decimal(header[6]) == expected.tax
    assert Decimal(header[7]) == expected.total
    assert sum(Decimal(r[3]) for r in body) == expected.untaxed
    assert sum(Decimal(r[4]) for r in body) == expected.tax


def _layout_of(table: dict[str, Any]) -> OrderLayout:
    """The layout a ``[backoffice.outbox]`` table of docs/files.md describes."""

    def columns(items: list[dict[str, Any]]) -> tuple[Column, ...]:
        return tuple(Column(**item) for item in items)

    records = {
        name: Record(table[name]["marker"], columns(table[name]["columns"]))
        for name in ("header", "line", "payment")
        if name in table
    }
    plain = ("style", "format", "encoding", "delimiter", "extension", "titles")
    return OrderLayout(
        columns=columns(table.get("columns", [])),
        **{name: table[name] for name in plain if name in table},
        **records,
    )


def test_the_documented_examples_are_usable_layouts() -> None:
    doc = (Path(__file__).parents[2] / "docs" / "files.md").read_text()
    # The first TOML block of each "### Example:" section (Sage 50c, EBP).
    sections = doc.split("\n### Example:")[1:]
    examples = [re.findall(r"```toml\n(.*?)```", section, re.S)[0] for section in sections]
    assert len(examples) == 2
    sale = sample_sale()
    for example in examples:
        layout = _layout_of(tomllib.loads(example)["backoffice"]["outbox"])
        assert layout.problems() == []
        data = render(layout, sale)
        assert f";{totals_of(sale).total:f}".replace(".", ",") in data.decode(layout.encoding)
