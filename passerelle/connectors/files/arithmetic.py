"""How a desktop back-office computes a sales document: tax per rate, on the document.

Why not per line: French invoicing states the tax "par taux", on the total
untaxed amount of each rate (CGI art. 242 nonies A, 1-13°: "le montant de la
taxe à acquitter et, par taux d'imposition, le total hors taxe et la taxe
correspondante"), and Sage 50c / Ciel and EBP compute a document's VAT that
way: each line's amount is rounded to the cent, the lines of a rate are
summed, and the rate's tax is that base × rate, rounded half up once. The
order mapping computes with these rules before writing, so the file's totals
are the ones the program will compute on import, and a difference with the
shop's total goes on the gap item instead of being found there.

Some programs are set to compute the tax of each line instead (``tax_rounding =
"line"``): then each line's tax is rounded on its own and summed, the rules of the
in-memory back-office (:class:`passerelle.connectors.memory.MemoryArithmetic`).

A compound tax (one that updates the unit price, Canada's GST before PST)
adds the line's exact amount of that tax to the base of the taxes after it.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from decimal import Decimal

from passerelle.connectors.arithmetic import (
    BackOfficeArithmetic,
    DocumentLine,
    DocumentTotals,
    TaxSpec,
    cents,
)
from passerelle.connectors.memory import MEMORY_ARITHMETIC

__all__ = ["FILES_ARITHMETIC", "PER_LINE_ARITHMETIC", "PerRateArithmetic", "arithmetic_for"]


class PerRateArithmetic:
    """Lines rounded half up to the cent; one tax per rate on the document's base."""

    def round_money(self, amount: Decimal) -> Decimal:
        return cents(amount)

    def line_amount(self, quantity: Decimal, unit_price: Decimal) -> Decimal:
        return cents(quantity * unit_price)

    def document_totals(
        self, lines: Iterable[DocumentLine], taxes: Mapping[str, TaxSpec]
    ) -> DocumentTotals:
        untaxed = Decimal(0)
        bases: dict[str, Decimal] = {}
        exact: dict[str, Decimal] = {}
        for quantity, unit_price, tax_ids in lines:
            amount = self.line_amount(quantity, unit_price)
            untaxed += amount
            base = amount
            for tax_id in tax_ids:
                spec = taxes[tax_id]
                bases[tax_id] = bases.get(tax_id, Decimal(0)) + base
                line_tax = base * spec.rate
                exact[tax_id] = exact.get(tax_id, Decimal(0)) + line_tax
                if spec.updates_unit_price:
                    base += line_tax
        by_id = {tax_id: cents(amount) for tax_id, amount in exact.items()}
        return DocumentTotals(
            untaxed=untaxed,
            tax=sum(by_id.values(), Decimal(0)),
            bases={tax_id: cents(base) for tax_id, base in bases.items()},
            tax_by_id=by_id,
        )


FILES_ARITHMETIC = PerRateArithmetic()


#: The per-line rules, for a program set to round each line's tax.
PER_LINE_ARITHMETIC: BackOfficeArithmetic = MEMORY_ARITHMETIC


def arithmetic_for(tax_rounding: str) -> BackOfficeArithmetic:
    """The rules of ``tax_rounding``: ``"document"`` (per rate, the default) or ``"line"``."""
    return PER_LINE_ARITHMETIC if tax_rounding == "line" else FILES_ARITHMETIC
