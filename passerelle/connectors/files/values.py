"""Cell values as merchants' files write them → Python values, or what was expected.

Why their own module: a French export writes "1 234,50" (a space, a no-break
space or a narrow no-break space between thousands, as LibreOffice and Excel
do in French), "1.234,50" (German-style grouping) or "12,50 €"; a checkbox
column writes "x" or nothing, "oui"/"non", "1"/"0". Each parser returns the
value or raises :class:`Refused` carrying, in a merchant's words, what a good
value looks like; :mod:`columns` adds the file, line and column.
Cells a workbook already typed (numbers, dates, booleans) are taken as they are.
References: https://docs.python.org/3/library/decimal.html,
https://docs.python.org/3/library/datetime.html#strftime-and-strptime-format-codes,
the Unicode spaces U+00A0 and U+202F (https://www.unicode.org/charts/PDF/U2000.pdf).
"""

from __future__ import annotations

import re
from datetime import date, datetime
from decimal import Decimal, InvalidOperation

from passerelle.connectors.files.tables import Cell
from passerelle.i18n.messages import M_, Message

__all__ = [
    "Refused",
    "as_bool",
    "as_date",
    "as_decimal",
    "as_decimal_comma",
    "as_integer",
    "as_text",
]

# Spaces a spreadsheet puts between thousands, and a currency sign around an amount.
_SPACES = str.maketrans("", "", " \u00a0\u202f\u2009\t€")
_COMMA_NUMBER = re.compile(r"[+-]?(?:\d{1,3}(?:\.\d{3})+|\d+)(?:,\d+)?")
_DOT_NUMBER = re.compile(r"[+-]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?")
_TRUE = frozenset({"1", "oui", "o", "yes", "y", "true", "vrai", "x"})
_FALSE = frozenset({"0", "non", "n", "no", "false", "faux", ""})
#: Dates read when a column names no format: ISO, then the French day/month/year.
_DEFAULT_DATES = ("%Y-%m-%d", "%d/%m/%Y")


class Refused(ValueError):  # noqa: N818 - a value refused, not a program error
    """A cell value a parser does not accept; ``expected`` says what it wants."""

    def __init__(self, expected: Message) -> None:
        super().__init__(str(expected))
        self.expected = expected


def as_text(value: Cell) -> str:
    """A cell as text: a whole number a workbook stored as 1001.0 reads "1001"."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime) and value.time() == datetime.min.time():
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def _number(value: Cell) -> Decimal | None:
    """A workbook's number as a Decimal (a float by its shortest repr: 12.5, not 12.4999…)."""
    if isinstance(value, bool):
        return None
    if isinstance(value, Decimal):
        return value
    if isinstance(value, int):
        return Decimal(value)
    if isinstance(value, float):
        return Decimal(repr(value))
    return None


def _parse(
    value: Cell, pattern: re.Pattern[str], group: str, point: str, expected: Message
) -> Decimal:
    number = _number(value)
    if number is not None:
        return number
    text = as_text(value).translate(_SPACES)
    if not pattern.fullmatch(text):
        raise Refused(expected)
    try:
        return Decimal(text.replace(group, "").replace(point, "."))
    except InvalidOperation as exc:  # pragma: no cover - the pattern admits only digits
        raise Refused(expected) from exc


def as_decimal_comma(value: Cell) -> Decimal:
    """ "1 234,50", "1.234,50", "12,50 €" → Decimal("1234.50")."""
    expected = M_("a number with a decimal comma, like 1 234,50")
    return _parse(value, _COMMA_NUMBER, ".", ",", expected)


def as_decimal(value: Cell) -> Decimal:
    """ "1234.50", "1,234.50" → Decimal("1234.50")."""
    return _parse(value, _DOT_NUMBER, ",", ".", M_("a number with a decimal point, like 1234.50"))


def as_integer(value: Cell) -> int:
    """A whole number ("12", 12, 12.0); "12,5" is refused rather than cut."""
    expected = M_("a whole number, like 12")
    number = _number(value)
    if number is None:
        text = as_text(value).translate(_SPACES)
        if not re.fullmatch(r"[+-]?\d+", text):
            raise Refused(expected)
        return int(text)
    if number != number.to_integral_value():
        raise Refused(expected)
    return int(number)


def as_date(value: Cell, date_format: str | None = None) -> date:
    """A workbook date as it is; text in ``date_format`` (else ISO or day/month/year)."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    formats = (date_format,) if date_format else _DEFAULT_DATES
    text = as_text(value).strip()
    for fmt in formats:
        try:
            return datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    day = date(2026, 1, 31)
    if date_format:
        raise Refused(M_("a date like %(example)s", example=day.strftime(date_format)))
    raise Refused(
        M_(
            "a date like %(iso)s or %(french)s",
            iso=day.isoformat(),
            french=day.strftime("%d/%m/%Y"),
        )
    )


def as_bool(value: Cell) -> bool:
    """1/0, oui/non, yes/no, true/false, vrai/faux, x/empty (a box ticked or not)."""
    if isinstance(value, bool):
        return value
    number = _number(value)
    if number is not None and number in (0, 1):
        return number == 1
    text = as_text(value).strip().lower()
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    raise Refused(M_("yes or no (1 or 0, oui or non, yes or no, true or false, x or empty)"))
