"""The order files of a file back-office (``[backoffice.outbox]``): where, in which layout."""

from __future__ import annotations

from typing import Literal

from pydantic import Field, model_validator

from passerelle.connectors.files.layouts import Column as OrderColumn
from passerelle.connectors.files.layouts import FileFormat, LayoutStyle, OrderLayout, Record
from passerelle.platforms.refused import refused
from passerelle.platforms.settings import Strict

__all__ = [
    "DEFAULT_ORDER_COLUMNS",
    "OrderColumnSettings",
    "OrderFileSettings",
    "OrderRecordSettings",
    "order_layout",
]


class OrderColumnSettings(Strict):
    title: str
    source: str
    width: int | None = Field(None, ge=1)
    align: Literal["left", "right"] | None = None
    fill: str = Field(" ", min_length=1, max_length=1)
    decimal_separator: str = ","
    decimals: int | None = Field(None, ge=0, le=6)
    date_format: str = "%d/%m/%Y"
    cut: bool = False


class OrderRecordSettings(Strict):
    marker: str
    columns: list[OrderColumnSettings]


#: The order file when a profile names no columns: one row per line, the document's
#: columns repeated, as the parameterised imports read.
DEFAULT_ORDER_COLUMNS: tuple[tuple[str, str], ...] = (
    ("Numero", "number"),
    ("Date", "date"),
    ("Client", "party_code"),
    ("Reference", "reference"),
    ("Article", "line.item_code"),
    ("Designation", "line.description"),
    ("Quantite", "line.quantity"),
    ("PrixUnitaireHT", "line.unit_price"),
    ("MontantHT", "line.amount"),
    ("CodeTVA", "line.tax_id"),
    ("TotalHT", "untaxed"),
    ("TVA", "tax"),
    ("TotalTTC", "total"),
    ("Reglement", "payment.journal"),
    ("MontantRegle", "payments_total"),
)


class OrderFileSettings(Strict):
    """The order files (``[backoffice.outbox]``): where, in which layout."""

    folder: str = "orders"
    archives: list[str] = []
    style: LayoutStyle = LayoutStyle.LINES
    format: FileFormat = FileFormat.CSV
    encoding: str = "cp1252"
    delimiter: str = Field(";", min_length=1, max_length=1)
    line_ending: Literal["crlf", "lf"] = "crlf"
    extension: str = "csv"
    titles: bool = True
    number_prefix: str = "WEB"
    number_digits: int = Field(6, ge=1, le=12)
    columns: list[OrderColumnSettings] = [
        OrderColumnSettings(title=title, source=source) for title, source in DEFAULT_ORDER_COLUMNS
    ]
    header: OrderRecordSettings | None = None
    line: OrderRecordSettings | None = None
    payment: OrderRecordSettings | None = None

    @model_validator(mode="after")
    def _usable(self) -> OrderFileSettings:
        problems = order_layout(self).problems()
        if problems:
            raise refused(problems[0])
        return self


def _order_column(settings: OrderColumnSettings) -> OrderColumn:
    return OrderColumn(
        title=settings.title,
        source=settings.source,
        width=settings.width,
        align=settings.align,
        fill=settings.fill,
        decimal_separator=settings.decimal_separator,
        decimals=settings.decimals,
        date_format=settings.date_format,
        cut=settings.cut,
    )


def _record(settings: OrderRecordSettings | None) -> Record | None:
    if settings is None:
        return None
    return Record(settings.marker, tuple(_order_column(c) for c in settings.columns))


def order_layout(settings: OrderFileSettings) -> OrderLayout:
    return OrderLayout(
        style=settings.style,
        format=settings.format,
        columns=tuple(_order_column(c) for c in settings.columns),
        header=_record(settings.header),
        line=_record(settings.line),
        payment=_record(settings.payment),
        encoding=settings.encoding,
        delimiter=settings.delimiter,
        line_ending="\r\n" if settings.line_ending == "crlf" else "\n",
        extension=settings.extension,
        titles=settings.titles,
    )
