"""Columns found by header or position, values cleaned by transforms, refusals located."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from passerelle.connectors.files import values
from passerelle.connectors.files.columns import CellError, Column, Columns, column_letter
from passerelle.connectors.files.tables import Row, Table, TableError
from passerelle.connectors.files.values import Refused

HEADER = ("Code", "Désignation", "Actif", "Date", "Prix TTC")


def table(*rows: tuple[object, ...], header: tuple[str, ...] = HEADER) -> Table:
    return Table("tarif.csv", header, tuple(Row(n, r) for n, r in enumerate(rows, start=2)))  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("12,50", "12.50"),
        ("1 234,50", "1234.50"),
        ("1.234,50", "1234.50"),
        ("1\u00a0234,50", "1234.50"),  # no-break space (Excel, LibreOffice in French)
        ("1\u202f234\u202f567,5", "1234567.5"),  # narrow no-break space
        ("12,50 €", "12.50"),
        ("-3,5", "-3.5"),
        ("1.234", "1234"),
        ("7", "7"),
    ],
)
def test_decimal_comma_reads_french_numbers(text: str, expected: str) -> None:
    assert values.as_decimal_comma(text) == Decimal(expected)


@pytest.mark.parametrize("text", ["douze", "12.50", "1,2,3", "12,", ",5", "1.23,4"])
def test_decimal_comma_refuses_what_is_no_french_number(text: str) -> None:
    with pytest.raises(Refused) as refused:
        values.as_decimal_comma(text)
    assert str(refused.value.expected) == "a number with a decimal comma, like 1 234,50"


def test_numbers_a_workbook_typed_are_taken_as_they_are() -> None:
    assert values.as_decimal_comma(12.5) == Decimal("12.5")
    assert values.as_decimal(0.1) == Decimal("0.1")  # its shortest repr, not 0.1000000000000000055…
    assert values.as_decimal(3) == Decimal(3)
    assert values.as_text(1001.0) == "1001"
    assert values.as_integer(4.0) == 4
    with pytest.raises(Refused):
        values.as_decimal(True)


def test_decimal_point_and_integer() -> None:
    assert values.as_decimal("1,234.50") == Decimal("1234.50")
    assert values.as_decimal(" 99.9 ") == Decimal("99.9")
    with pytest.raises(Refused):
        values.as_decimal("12,50")
    assert values.as_integer(" 12 ") == 12
    for bad in ("12,5", 12.5, "douze"):
        with pytest.raises(Refused):
            values.as_integer(bad)


def test_dates_by_format_by_default_and_typed() -> None:
    assert values.as_date("31/01/2026", "%d/%m/%Y") == date(2026, 1, 31)
    assert values.as_date("2026-01-31") == date(2026, 1, 31)
    assert values.as_date("31/01/2026") == date(2026, 1, 31)
    assert values.as_date(datetime(2026, 1, 31, 10, 0)) == date(2026, 1, 31)
    with pytest.raises(Refused) as refused:
        values.as_date("2026-01-31", "%d.%m.%Y")
    assert str(refused.value.expected) == "a date like 31.01.2026"
    with pytest.raises(Refused) as refused:
        values.as_date("demain")
    assert refused.value.expected.render("fr") == "une date comme 2026-01-31 ou 31/01/2026"


@pytest.mark.parametrize(
    ("value", "expected"),
    [("1", True), ("0", False), ("Oui", True), ("non", False), ("yes", True), ("NO", False)]
    + [("true", True), ("False", False), ("x", True), ("X", True), ("", False), (None, False)]
    + [(1, True), (0.0, False), (True, True)],
)
def test_bool_reads_the_usual_spellings(value: object, expected: bool) -> None:
    assert values.as_bool(value) is expected  # type: ignore[arg-type]


def test_bool_refuses_anything_else() -> None:
    for bad in ("peut-être", 2):
        with pytest.raises(Refused):
            values.as_bool(bad)


def test_column_letters() -> None:
    assert [column_letter(n) for n in (1, 5, 26, 27, 52, 703)] == ["A", "E", "Z", "AA", "AZ", "AAA"]


def test_columns_by_header_whatever_the_case_and_spaces() -> None:
    mapping = {
        "code": Column(header="code", transforms=("trim", "upper")),
        "name": Column(header="  désignation "),
        "price": Column(header="Prix TTC", transforms=("decimal_comma",)),
        "active": Column(header="Actif", transforms=("bool",)),
        "day": Column(header="Date", transforms=("date",), date_format="%d/%m/%Y"),
    }
    columns = Columns(table((" th-01 ", "Théière", "", "07/12/2026", "1 234,50")), mapping)
    row = Row(2, (" th-01 ", "Théière", "", "07/12/2026", "1 234,50"))
    assert columns.value(row, "code") == "TH-01"
    assert columns.text(row, "name") == "Théière"
    assert columns.value(row, "price") == Decimal("1234.50")
    assert columns.value(row, "active") is False  # an empty box: no
    assert columns.value(row, "day") == date(2026, 12, 7)
    assert columns.value(row, "unmapped") is None


def test_a_refused_value_names_file_line_column_found_and_expected() -> None:
    mapping = {
        "code": Column(header="Code"),
        "price": Column(header="Prix TTC", transforms=("decimal_comma",)),
    }
    rows = ("TH-01", "Théière", "1", "", "douze")
    columns = Columns(table(rows, rows), mapping)
    with pytest.raises(CellError) as error:
        columns.value(Row(3, rows), "price")  # type: ignore[arg-type]
    assert str(error.value) == (
        'tarif.csv, line 3, column "Prix TTC" (E): found "douze", '
        "expected a number with a decimal comma, like 1 234,50"
    )
    assert error.value.said.render("fr") == (
        "tarif.csv, ligne 3, colonne « Prix TTC » (E) : trouvé « douze », "
        "attendu un nombre avec une virgule décimale, comme 1 234,50"
    )


def test_fallback_conversions_refuse_with_the_same_location() -> None:
    columns = Columns(table(), {"code": Column(header="Code"), "when": Column(position=4)})
    with pytest.raises(
        CellError, match=r'line 7, column "Date" \(D\): found "hier", expected a date'
    ):
        columns.date(Row(7, ("A", "", "", "hier")), "when")


def test_a_missing_header_is_the_files_error_naming_it() -> None:
    with pytest.raises(TableError) as error:
        Columns(table(), {"code": Column(header="Code"), "price": Column(header="Prix HT")})
    assert str(error.value) == (
        "the file tarif.csv has no column 'Prix HT' (its columns: Code, Désignation, Actif, "
        "Date, Prix TTC); check the column names in the settings"
    )
    assert "n'a pas de colonne 'Prix HT'" in error.value.said.render("fr")


def test_positions_in_a_file_without_header() -> None:
    no_header = Table("stock.txt", (), (Row(1, ("A", "3,5")),))
    columns = Columns(
        no_header,
        {"code": Column(position=1), "qty": Column(position=2, transforms=("decimal_comma",))},
    )
    row = no_header.rows[0]
    assert columns.value(row, "qty") == Decimal("3.5")
    assert columns.value(Row(2, ("B",)), "qty") is None  # a short line: an empty cell
    assert str(columns.label("qty")) == "column B"
    with pytest.raises(
        TableError, match="stock.txt has no header line, so its column 'Code' cannot be found"
    ):
        Columns(no_header, {"code": Column(header="Code")})


def test_a_header_falls_back_to_its_position_and_fixed_values() -> None:
    columns = Columns(
        table(),
        {
            "code": Column(header="Référence", position=1),
            "warehouse": Column(fixed="Entrepôt Lyon"),
        },
    )
    row = Row(2, ("A",))
    assert columns.text(row, "code") == "A"
    assert str(columns.label("code")) == 'column "Code" (A)'
    assert columns.text(row, "warehouse") == "Entrepôt Lyon"
    assert str(columns.label("warehouse")) == 'the fixed value "Entrepôt Lyon"'


def test_a_column_must_say_where_its_value_is() -> None:
    with pytest.raises(ValueError, match="unknown transforms"):
        Column(header="Prix", transforms=("decimals",))
    with pytest.raises(ValueError, match="a header, a position or a fixed value"):
        Column()
    with pytest.raises(ValueError, match="start at 1"):
        Column(position=0)


def french(value: Decimal) -> str:
    """``value`` as a French spreadsheet writes it: 1 234 567,89 (narrow no-break spaces)."""
    sign = "-" if value < 0 else ""
    whole, cents = f"{abs(value):.2f}".split(".")
    groups = f"{int(whole):,}".replace(",", "\u202f")
    return f"{sign}{groups},{cents}"


@given(
    st.decimals(
        min_value=-(10**12), max_value=10**12, places=2, allow_nan=False, allow_infinity=False
    )
)
def test_any_amount_written_the_french_way_reads_back_equal(value: Decimal) -> None:
    assert values.as_decimal_comma(french(value)) == value
    assert values.as_decimal_comma(french(value).replace("\u202f", ".")) == value
    assert values.as_decimal_comma(french(value).replace("\u202f", " ") + " €") == value
