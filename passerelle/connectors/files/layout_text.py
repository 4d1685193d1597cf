"""An order file as text: CSV or fixed-width records, each value written as its column says.

Why here and not in the layout: the layout says *what* goes where; this
module says how a value becomes characters (decimal comma or point, date
format, padding) and how rows become bytes (delimiter, quoting, Windows line
endings, the file's encoding). A value is never silently altered: an amount
with more decimals than its column, or wider than its fixed width, is the
order's error and nothing is written.
"""

from __future__ import annotations

import csv
import io
import unicodedata
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from passerelle.connectors.arithmetic import quantize
from passerelle.connectors.errors import RecordError
from passerelle.connectors.files.layout_rows import Row
from passerelle.connectors.files.layouts import Column, FileFormat, LayoutStyle, OrderLayout, Value
from passerelle.i18n.messages import M_

__all__ = ["encode_text", "format_value", "render_text"]


def _number_text(value: Decimal, column: Column, key: str) -> str:
    places = column.decimals
    if places is None:
        exponent = value.as_tuple().exponent
        places = max(-exponent if isinstance(exponent, int) else 0, 2)
    # ``quantize`` of the arithmetic never raises, however wide the amount.
    quantized = quantize(value, Decimal(1).scaleb(-places), ROUND_HALF_UP)
    if quantized != value or not value.is_finite():
        raise RecordError(
            M_(
                "sale for %(key)s: %(value)s does not fit the %(places)s decimals of column "
                "%(column)s; nothing was written",
                key=key,
                value=value,
                places=places,
                column=column.title,
            )
        )
    text = f"{abs(quantized) if quantized.is_zero() else quantized:f}"  # never "-0,00"
    return text.replace(".", column.decimal_separator) if places else text


def _plain_text(value: str) -> str:
    """One physical line: a line break inside a value would split the record."""
    return " ".join(value.splitlines()) if value else ""


def format_value(value: Value, column: Column, key: str, *, pad: bool = True) -> str:
    """The text written for ``value`` in ``column``: at most ``width`` characters (every
    format), padded to it when ``pad`` (fixed-width files).

    RecordError when it does not fit its width, unless it is a text the
    column allows to ``cut``.
    """
    number = isinstance(value, Decimal)
    if value is None:
        text = ""
    elif isinstance(value, Decimal):
        text = _number_text(value, column, key)
    elif isinstance(value, date):
        text = value.strftime(column.date_format)
    else:
        text = _plain_text(value)
    if column.width is None:
        return text
    if len(text) > column.width:
        if not column.cut or number or isinstance(value, date):
            raise RecordError(
                M_(
                    "sale for %(key)s: %(value)s is wider than the %(width)s characters of "
                    "column %(column)s; nothing was written",
                    key=key,
                    value=text,
                    width=column.width,
                    column=column.title,
                )
            )
        text = text[: column.width]
    if not pad:
        return text
    right = column.align == "right" or (column.align is None and number)
    return text.rjust(column.width, column.fill) if right else text.ljust(column.width, column.fill)


def encode_text(text: str, encoding: str) -> bytes:
    """``text`` in the file's encoding; a letter it lacks loses its accent (``ő`` → ``o``)
    or else is written ``?``, one character for one (fixed widths hold): the order
    still goes through, its amounts untouched."""
    try:
        return text.encode(encoding)
    except UnicodeEncodeError:
        pass
    out: list[str] = []
    for char in text:
        try:
            char.encode(encoding)
            out.append(char)
        except UnicodeEncodeError:
            plain = "".join(
                c for c in unicodedata.normalize("NFKD", char) if not unicodedata.combining(c)
            )
            out.append(plain if len(plain) == 1 and plain.isascii() else "?")
    return "".join(out).encode(encoding, errors="replace")


def _cells(row: Row, key: str, *, pad: bool) -> list[str]:
    cells = [row.marker] if row.marker else []
    return cells + [format_value(value, column, key, pad=pad) for column, value in row.cells]


def render_text(layout: OrderLayout, rows: list[Row], key: str) -> bytes:
    """The CSV or fixed-width file of ``rows``, in the layout's encoding and line ending.

    CSV quotes a value only when it holds the delimiter or a quote; the
    ``lines`` style starts with the column titles when ``titles`` is set.
    """
    fixed = layout.format == FileFormat.FIXED
    if fixed:
        text = "".join("".join(_cells(row, key, pad=True)) + layout.line_ending for row in rows)
    else:
        out = io.StringIO()
        writer = csv.writer(out, delimiter=layout.delimiter, lineterminator=layout.line_ending)
        if layout.titles and layout.style == LayoutStyle.LINES:
            writer.writerow([column.title for column in layout.columns])
        for row in rows:
            writer.writerow(_cells(row, key, pad=False))
        text = out.getvalue()
    return encode_text(text, layout.encoding)
