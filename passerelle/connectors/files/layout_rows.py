"""An order's values as its layout asks for them: the figures, then each record's cells.

Why apart from the layout: the layout is a description (settings build it);
this module reads a sale through it. The amounts are the back-office
arithmetic's (:class:`Figures`): the file says what the back-office will
compute, to the cent, and the outbox checks the total against the shop's
before anything is written.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Literal

from passerelle.connectors.arithmetic import BackOfficeArithmetic, TaxSpec
from passerelle.connectors.errors import RecordError
from passerelle.connectors.files.layouts import (
    Column,
    LayoutStyle,
    OrderLayout,
    Record,
    Value,
)
from passerelle.i18n.messages import M_
from passerelle.model import Address, BackOfficePayment, BackOfficeSale, SaleLine

__all__ = ["Figures", "Row", "compute_figures", "rows", "source_value"]


# --------------------------------------------------------------------------
# The figures: what the back-office will compute for the document.
# --------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Figures:
    """A document's number and amounts as the back-office's arithmetic computes them.

    ``line_taxes`` are each line's own tax; the document's ``tax`` is the
    arithmetic's over the whole document (they agree for a per-line rounding).
    """

    number: str
    untaxed: Decimal
    tax: Decimal
    line_amounts: tuple[Decimal, ...]
    line_taxes: tuple[Decimal, ...]
    bases: Mapping[str, Decimal] = field(default_factory=dict)

    @property
    def total(self) -> Decimal:
        return self.untaxed + self.tax


def _applied_taxes(line: SaleLine) -> tuple[str, ...]:
    # As the memory back-office: a line on its item's taxes carries none of its own here.
    return () if line.item_taxes else line.tax_ids


def compute_figures(
    sale: BackOfficeSale,
    number: str,
    arithmetic: BackOfficeArithmetic,
    taxes: Mapping[str, TaxSpec],
) -> Figures:
    """The document's amounts; RecordError naming a tax id the back-office does not have."""
    for line in sale.lines:
        for tax_id in _applied_taxes(line):
            if tax_id not in taxes:
                raise RecordError(
                    M_(
                        "sale for %(key)s: tax %(tax)s is not among the back-office's taxes",
                        key=sale.external_key,
                        tax=tax_id,
                    )
                )
    rows = [(ln.quantity, ln.unit_price, _applied_taxes(ln)) for ln in sale.lines]
    totals = arithmetic.document_totals(rows, taxes)
    return Figures(
        number=number,
        untaxed=totals.untaxed,
        tax=totals.tax,
        line_amounts=tuple(arithmetic.line_amount(q, p) for q, p, _ in rows),
        line_taxes=tuple(arithmetic.document_totals([row], taxes).tax for row in rows),
        bases=dict(totals.bases),
    )


# --------------------------------------------------------------------------
# Values: a source's value for a document, a line, a payment.
# --------------------------------------------------------------------------


def _address_value(address: Address | None, name: str) -> str:
    if address is None:
        return ""
    value = address.full_name if name == "full_name" else getattr(address, name)
    return str(value)


def _document_value(sale: BackOfficeSale, figures: Figures, name: str) -> Value:
    simple: dict[str, Value] = {
        "number": figures.number,
        "key": sale.external_key,
        "date": sale.sale_date,
        "document_type": str(sale.document_type),
        "party_code": sale.party_code,
        "reference": sale.reference,
        "description": sale.description,
        "comment": sale.comment,
        "currency": sale.currency,
        "warehouse": sale.warehouse or "",
        "carrier": sale.carrier or "",
        "payment_term": sale.payment_term or "",
        "tax_rule": sale.tax_rule or "",
        "origin_key": sale.origin_key,
        "untaxed": figures.untaxed,
        "tax": figures.tax,
        "total": figures.total,
        "payments_total": sum((p.amount for p in sale.payments), Decimal(0)),
    }
    if name in simple:
        return simple[name]
    side, _, field_name = name.partition(".")
    address = sale.invoice_address if side == "invoice" else sale.shipment_address
    return _address_value(address, field_name)


def _line_value(line: SaleLine, number: int, figures: Figures, name: str) -> Value:
    index = number - 1
    values: dict[str, Value] = {
        "no": str(number),
        "item_code": line.item_code,
        "description": line.description,
        "quantity": line.quantity,
        "unit_price": line.unit_price,
        "amount": figures.line_amounts[index],
        "tax_id": _applied_taxes(line)[0] if _applied_taxes(line) else "",
        "tax_ids": "+".join(_applied_taxes(line)),
        "tax_amount": figures.line_taxes[index],
        "total": figures.line_amounts[index] + figures.line_taxes[index],
        "kind": str(line.kind),
    }
    return values[name]


def _payment_value(payment: BackOfficePayment | None, number: int, name: str) -> Value:
    if payment is None:
        return None
    values: dict[str, Value] = {
        "no": str(number),
        "journal": payment.journal,
        "amount": payment.amount,
        "date": payment.date,
        "reference": payment.reference,
        "description": payment.description,
    }
    return values[name]


def source_value(
    source: str,
    sale: BackOfficeSale,
    figures: Figures,
    line: tuple[int, SaleLine] | None = None,
    payment: tuple[int, BackOfficePayment | None] | None = None,
) -> Value:
    """The value of ``source`` for the document, and the line or payment being written."""
    if source.startswith("="):
        return source[1:]
    kind, _, name = source.partition(".")
    if kind == "line":
        return None if line is None else _line_value(line[1], line[0], figures, name)
    if kind == "payment":
        chosen = payment or (1, sale.payments[0] if sale.payments else None)
        return _payment_value(chosen[1], chosen[0], name)
    return _document_value(sale, figures, source)


@dataclass(frozen=True, slots=True)
class Row:
    """One record of the file: what it is about, its marker ("" in the lines style), and
    each column with its value."""

    role: Literal["header", "line", "payment"]
    marker: str
    cells: tuple[tuple[Column, Value], ...]


def _row(
    role: Literal["header", "line", "payment"],
    record: Record | None,
    sale: BackOfficeSale,
    figures: Figures,
    line: tuple[int, SaleLine] | None = None,
    payment: tuple[int, BackOfficePayment | None] | None = None,
) -> list[Row]:
    if record is None:
        return []
    cells = tuple(
        (column, source_value(column.source, sale, figures, line, payment))
        for column in record.columns
    )
    return [Row(role, record.marker, cells)]


def rows(layout: OrderLayout, sale: BackOfficeSale, figures: Figures) -> list[Row]:
    """The file's records in order: per line (``lines`` style, at least one row even for a
    document without lines), or header, lines, payments (``records`` style)."""
    numbered = list(enumerate(sale.lines, start=1))
    if layout.style == LayoutStyle.LINES:
        record = Record("", layout.columns)
        chosen: list[tuple[int, SaleLine] | None] = [*numbered] if numbered else [None]
        return [r for line in chosen for r in _row("line", record, sale, figures, line)]
    found = _row("header", layout.header, sale, figures)
    for line in numbered:
        found += _row("line", layout.line, sale, figures, line)
    for number, payment in enumerate(sale.payments, start=1):
        found += _row("payment", layout.payment, sale, figures, payment=(number, payment))
    return found
