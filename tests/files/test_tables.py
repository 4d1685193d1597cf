"""A file's bytes → rows with their line numbers: CSV in any encoding and delimiter, XLSX."""

from __future__ import annotations

import io
from datetime import date, datetime
from pathlib import Path

import openpyxl
import pytest

from passerelle.connectors.files.tables import TableError, TableFormat, read_table

DATA = Path(__file__).parent.parent / "data" / "files"
CSV = TableFormat()


def xlsx(rows: dict[int, list[object]], title: str = "Articles", extra: str | None = None) -> bytes:
    """A workbook whose sheet ``title`` holds ``rows`` at the given sheet rows."""
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = title
    for number, cells in rows.items():
        for col, value in enumerate(cells, start=1):
            sheet.cell(row=number, column=col, value=value)
    if extra:
        book.create_sheet(extra).cell(row=1, column=1, value="autre")
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_a_windows_1252_export_reads_with_its_accents_and_line_numbers() -> None:
    table = read_table("articles_sage.csv", (DATA / "articles_sage.csv").read_bytes(), CSV)
    assert table.name == "articles_sage.csv"
    assert table.header[:3] == ("Référence", "Désignation", "Prix de vente HT")
    assert [r.line for r in table.rows] == [2, 3, 4, 5]
    assert table.rows[0].cells[1] == "Théière fonte 1 L"
    assert table.rows[3].cells[1] == "Sucre de canne; 1 kg"  # a quoted delimiter
    assert all(r.error is None for r in table.rows)


def test_a_quoted_field_over_two_lines_keeps_the_next_records_line() -> None:
    data = 'code;texte\r\nA;"deux\r\nlignes"\r\n\r\nB;fin\r\n'.encode("cp1252")
    table = read_table("f.csv", data, CSV)
    assert [(r.line, r.cells) for r in table.rows] == [
        (2, ("A", "deux\r\nlignes")),
        (5, ("B", "fin")),  # line 4 is blank: left out, not renumbered
    ]


def test_an_undecodable_byte_is_that_lines_error_only() -> None:
    # 0x81 is no character in Windows-1252.
    data = b"code;nom\nA;bon\nB;mauvais \x81\nC;bon aussi\n"
    table = read_table("articles.csv", data, CSV)
    assert [r.line for r in table.rows] == [2, 3, 4]
    good, bad, after = table.rows
    assert good.error is None and after.error is None and after.cells == ("C", "bon aussi")
    assert bad.error is not None and bad.cells[0] == "B"
    assert str(bad.error).startswith("articles.csv, line 3: a character of this line")
    assert "Windows-1252" not in str(bad.error) and "cp1252" in str(bad.error)
    assert bad.error.said.render("fr").startswith("articles.csv, ligne 3 :")


def test_utf8_with_a_byte_order_mark_and_another_delimiter() -> None:
    data = '\ufeffcode,prix\n"T,1","12,50"\n'.encode()
    table = read_table("u.csv", data, TableFormat(delimiter=",", encoding="utf-8"))
    assert table.header == ("code", "prix")
    assert table.rows[0].cells == ("T,1", "12,50")


def test_a_latin1_byte_in_a_utf8_file_is_refused_on_its_line() -> None:
    data = "code\nThé\n".encode() + b"Th\xe9\n"
    table = read_table("u.csv", data, TableFormat(encoding="utf-8"))
    assert [r.error is None for r in table.rows] == [True, False]
    assert table.rows[1].line == 3


def test_header_further_down_and_skipped_rows_after_it() -> None:
    data = b"Export du 07/12/2026\ncode;qte\nunite;pieces\nA;1\n"
    table = read_table("s.csv", data, TableFormat(header_row=2, skip_rows=1))
    assert table.header == ("code", "qte")
    assert [(r.line, r.cells) for r in table.rows] == [(4, ("A", "1"))]


def test_a_file_without_header() -> None:
    table = read_table("s.csv", b"A;1\nB;2\n", TableFormat(header_row=0))
    assert table.header == ()
    assert [r.line for r in table.rows] == [1, 2]


def test_a_file_the_csv_reader_cannot_read_is_the_files_error() -> None:
    data = b'code;texte\nA;"' + b"x" * 200_000 + b'"\n'
    with pytest.raises(TableError, match=r"big\.csv cannot be read as CSV at line 2"):
        read_table("big.csv", data, CSV)


def test_xlsx_cells_keep_their_types_and_sheet_rows() -> None:
    data = xlsx(
        {
            2: ["Code", "Prix", "Début", "Actif", "Quantité"],
            3: ["TH-01", 34.9, datetime(2026, 12, 1), True, 3],
            5: ["CAS-24", 12.5, None, False, 0],
        }
    )
    table = read_table("a.xlsx", data, TableFormat(format="xlsx", header_row=2))
    assert table.header == ("Code", "Prix", "Début", "Actif", "Quantité")
    assert [r.line for r in table.rows] == [3, 5]
    assert table.rows[0].cells == ("TH-01", 34.9, datetime(2026, 12, 1), True, 3)


def test_xlsx_sheet_by_name_and_a_missing_sheet() -> None:
    data = xlsx({1: ["code"], 2: ["A"]}, title="Articles", extra="Tarifs")
    by_name = read_table("a.xlsx", data, TableFormat(format="xlsx", sheet="Tarifs", header_row=0))
    assert by_name.rows[0].cells == ("autre",)
    with pytest.raises(
        TableError, match=r"a\.xlsx has no sheet 'Stock' \(its sheets: Articles, Tarifs\)"
    ):
        read_table("a.xlsx", data, TableFormat(format="xlsx", sheet="Stock"))


def test_bytes_that_are_no_workbook() -> None:
    with pytest.raises(TableError, match=r"a\.xlsx cannot be read as an Excel workbook"):
        read_table("a.xlsx", b"code;prix\n", TableFormat(format="xlsx"))


def test_dates_in_xlsx_stay_dates() -> None:
    data = xlsx({1: ["d"], 2: [date(2026, 1, 31)]})
    cell = read_table("d.xlsx", data, TableFormat(format="xlsx")).rows[0].cells[0]
    assert isinstance(cell, datetime) and cell.date() == date(2026, 1, 31)
