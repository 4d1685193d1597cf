"""The exports a file back-office reads: which files, written how, which column is which."""

from __future__ import annotations

import codecs
from typing import Literal

from pydantic import Field, field_validator, model_validator

from passerelle.connectors.files.columns import TRANSFORMS, Column
from passerelle.connectors.files.intake import ExportSource
from passerelle.connectors.files.tables import TableFormat
from passerelle.i18n.messages import M_
from passerelle.platforms.refused import refused
from passerelle.platforms.settings import Strict

__all__ = ["ColumnSettings", "ExportSettings", "TaxSettings", "export_source"]


class ColumnSettings(Strict):
    """Where one field is in an export: a header, a 1-based position, or a fixed value."""

    header: str | None = None
    position: int | None = Field(None, ge=1)
    fixed: str | None = None
    transforms: list[str] = []
    date_format: str | None = None

    @field_validator("transforms")
    @classmethod
    def _known(cls, value: list[str]) -> list[str]:
        unknown = [name for name in value if name not in TRANSFORMS]
        if unknown:
            raise refused(
                M_(
                    "unknown transform %(names)s (known: %(known)s)",
                    names=", ".join(unknown),
                    known=", ".join(sorted(TRANSFORMS)),
                )
            )
        return value

    @model_validator(mode="after")
    def _placed(self) -> ColumnSettings:
        if self.header is None and self.position is None and self.fixed is None:
            raise refused(M_("a column needs a header, a position or a fixed value"))
        return self


class ExportSettings(Strict):
    """One kind of export the back-office program writes into the inbox."""

    files: str = Field(min_length=1)  # a file name or a pattern: "articles*.xlsx"
    format: Literal["csv", "xlsx"] | None = None  # None: from the files' extension
    delimiter: str = Field(";", min_length=1, max_length=1)
    encoding: str = "cp1252"
    quote_char: str = Field('"', min_length=1, max_length=1)
    sheet: str | None = None
    header_row: int = Field(1, ge=0)
    skip_rows: int = Field(0, ge=0)
    # field -> its header ("Référence"), its position (3) or a full column
    columns: dict[str, str | int | ColumnSettings]

    @field_validator("encoding")
    @classmethod
    def _encoding(cls, value: str) -> str:
        try:
            codecs.lookup(value)
        except LookupError:
            raise refused(
                M_("unknown encoding %(encoding)r (for example cp1252 or utf-8)", encoding=value)
            ) from None
        return value

    @field_validator("columns")
    @classmethod
    def _has_code(
        cls, value: dict[str, str | int | ColumnSettings]
    ) -> dict[str, str | int | ColumnSettings]:
        if "code" not in value:
            raise refused(M_("the columns must name the code (the item or customer reference)"))
        return value


class TaxSettings(Strict):
    """A tax the exports' tax codes and the order mapping name."""

    code: str = Field(min_length=1)
    name: str = Field(min_length=1)
    rate: str = Field(pattern=r"^\d+(\.\d+)?$")  # a fraction: "0.20" for 20 %
    compound: bool = False  # the taxes after it are computed on price + this tax


def _column(value: str | int | ColumnSettings) -> Column:
    if isinstance(value, str):
        return Column(header=value)
    if isinstance(value, int):
        return Column(position=value)
    return Column(
        header=value.header,
        position=value.position,
        fixed=value.fixed,
        transforms=tuple(value.transforms),
        date_format=value.date_format,
    )


def export_source(settings: ExportSettings) -> ExportSource:
    file_format = settings.format or ("xlsx" if settings.files.lower().endswith("xlsx") else "csv")
    return ExportSource(
        pattern=settings.files,
        table=TableFormat(
            format=file_format,
            delimiter=settings.delimiter,
            encoding=settings.encoding,
            quote_char=settings.quote_char,
            sheet=settings.sheet,
            header_row=settings.header_row,
            skip_rows=settings.skip_rows,
        ),
        columns={name: _column(value) for name, value in settings.columns.items()},
    )
