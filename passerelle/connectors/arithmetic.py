"""How a back-office computes a document's amounts, as a protocol.

Why it is the back-office's: a document is only written when its total
equals the shop's (O8, O14), and each back-office rounds in its own way
(Tryton rounds half-even, per line, carrying a tax remainder between the
taxes of a line). The order mapping computes a document's total with the
arithmetic of the back-office it writes to, before writing, so a
sub-tolerance difference goes on the gap item and the document lands exactly
on the shop's total, instead of learning of it from a refusal. Each
back-office connector brings its own (``BackOffice.arithmetic``).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Context, Decimal, getcontext
from typing import Protocol, runtime_checkable

__all__ = [
    "CENT",
    "BackOfficeArithmetic",
    "DocumentLine",
    "DocumentTotals",
    "TaxSpec",
    "cents",
    "quantize",
]

CENT = Decimal("0.01")
_WIDEST = 1000  # digits before the point that ``quantize`` still rounds

# (quantity, unit price, tax ids in the back-office's order of application)
DocumentLine = tuple[Decimal, Decimal, Sequence[str]]


def quantize(value: Decimal, exponent: Decimal, rounding: str) -> Decimal:
    """``value.quantize(exponent)`` that never raises for a finite value, however large.

    Why: the default context holds 28 digits, so quantizing a 30-digit amount
    raises ``InvalidOperation`` and, before the sanity checks existed, stopped a
    whole import. Such an order is now set aside before mapping; the arithmetic
    must still not be the thing that fails. A NaN, an infinity or a value of
    more than :data:`_WIDEST` digits (``1E+999999999`` would need a billion) is
    returned as it is: the sanity checks refuse those, naming the field.
    """
    if not value.is_finite() or value.adjusted() > _WIDEST:
        return value
    places = exponent.as_tuple().exponent
    needed = value.adjusted() - (places if isinstance(places, int) else 0) + 2
    precision = max(getcontext().prec, needed)
    return value.quantize(exponent, rounding=rounding, context=Context(prec=precision))


def cents(value: Decimal) -> Decimal:
    """Rounded half up to the cent, as shops round money."""
    return quantize(value, CENT, ROUND_HALF_UP)


@dataclass(frozen=True, slots=True)
class TaxSpec:
    """What the arithmetic needs of a back-office tax."""

    tax_id: str
    rate: Decimal  # fraction
    updates_unit_price: bool = False


@dataclass(frozen=True, slots=True)
class DocumentTotals:
    """A document's amounts as the back-office would store them."""

    untaxed: Decimal
    tax: Decimal
    bases: Mapping[str, Decimal] = field(default_factory=dict)  # tax id -> untaxed base
    tax_by_id: Mapping[str, Decimal] = field(default_factory=dict)

    @property
    def total(self) -> Decimal:
        return self.untaxed + self.tax


@runtime_checkable
class BackOfficeArithmetic(Protocol):
    """The rounding rules of one back-office, as the order mapping needs them."""

    def round_money(self, amount: Decimal) -> Decimal:
        """An amount rounded to the cent as the back-office rounds a stored amount."""
        ...

    def line_amount(self, quantity: Decimal, unit_price: Decimal) -> Decimal:
        """The untaxed amount the back-office stores for a line."""
        ...

    def document_totals(
        self, lines: Iterable[DocumentLine], taxes: Mapping[str, TaxSpec]
    ) -> DocumentTotals:
        """Untaxed amount, tax and base per tax of ``(quantity, unit_price, tax ids)`` lines.

        Tax ids come in the back-office's order of application; a tax that
        "updates the unit price" adds itself to the base of the taxes after it.
        """
        ...
