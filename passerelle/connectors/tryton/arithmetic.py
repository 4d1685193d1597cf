"""Tryton's own arithmetic on a sale, as :class:`BackOfficeArithmetic`.

The rules are Tryton's: ``sale.line.amount`` is quantity × unit price
rounded to the cent (``currency.round``, half-even); each tax is computed on
the line's quantity × unit price, rounded per line (the company's "tax
rounding: per line" setting, which WooCommerce's default per-line rounding
matches), with Tryton's carrying of the rounding remainder between the taxes
of one line; a tax that "updates the unit price" adds itself to the base of
the taxes after it (how a compound tax is written, O24). The connector checks
the real total again before it commits (``sales.check_total``), so a mistake
here can cost an order a retry, never a wrong document.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from decimal import ROUND_HALF_EVEN, Decimal

from passerelle.connectors.arithmetic import (
    CENT,
    DocumentLine,
    DocumentTotals,
    TaxSpec,
    quantize,
)

__all__ = ["TRYTON_ARITHMETIC", "TrytonArithmetic", "document_totals", "tryton_round"]


def tryton_round(amount: Decimal) -> Decimal:
    """Tryton's ``currency.round``: half-even to the cent (shops round half-up)."""
    return quantize(amount, CENT, ROUND_HALF_EVEN)


def document_totals(lines: Iterable[DocumentLine], taxes: Mapping[str, TaxSpec]) -> DocumentTotals:
    """Untaxed amount, tax and base per tax of ``(quantity, unit_price, tax ids)`` lines.

    Tax ids must come in Tryton's order of application. Taxes are rounded per
    line, with Tryton's carrying of the rounding remainder between the taxes
    of one line.
    """
    untaxed = Decimal(0)
    bases: dict[str, Decimal] = {}
    by_id: dict[str, Decimal] = {}
    for quantity, unit_price, tax_ids in lines:
        untaxed += tryton_round(quantity * unit_price)
        price = unit_price
        line_taxes: dict[str, Decimal] = {}
        for tax_id in tax_ids:
            spec = taxes[tax_id]
            per_unit = price * spec.rate
            line_taxes[tax_id] = line_taxes.get(tax_id, Decimal(0)) + per_unit * quantity
            bases[tax_id] = bases.get(tax_id, Decimal(0)) + tryton_round(price * quantity)
            if spec.updates_unit_price:
                price += per_unit
        for tax_id, amount in _round_line_taxes(line_taxes).items():
            by_id[tax_id] = by_id.get(tax_id, Decimal(0)) + amount
    tax_total = sum(by_id.values(), Decimal(0))
    return DocumentTotals(untaxed=untaxed, tax=tax_total, bases=bases, tax_by_id=by_id)


def _round_line_taxes(amounts: dict[str, Decimal]) -> dict[str, Decimal]:
    """Tryton's ``_round_taxes``: round each, then give back a whole cent of remainder."""
    rounded = {key: tryton_round(value) for key, value in amounts.items()}
    remainder = tryton_round(sum((rounded[k] - amounts[k] for k in amounts), Decimal(0)))
    if abs(remainder) >= CENT and rounded:
        offset = CENT.copy_sign(remainder)
        keys = [k for k in rounded if rounded[k]]
        index = 0
        while keys and abs(remainder) >= CENT:
            key = keys[index % len(keys)]
            rounded[key] -= offset
            remainder -= offset
            index += 1
    return rounded


class TrytonArithmetic:
    """What ``TrytonBackOffice.arithmetic`` answers: the functions above."""

    def round_money(self, amount: Decimal) -> Decimal:
        return tryton_round(amount)

    def line_amount(self, quantity: Decimal, unit_price: Decimal) -> Decimal:
        return tryton_round(quantity * unit_price)

    def document_totals(
        self, lines: Iterable[DocumentLine], taxes: Mapping[str, TaxSpec]
    ) -> DocumentTotals:
        return document_totals(lines, taxes)


TRYTON_ARITHMETIC = TrytonArithmetic()
