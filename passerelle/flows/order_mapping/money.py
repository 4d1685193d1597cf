"""Money rules of the order import: pro-rata splits and the back-office's own arithmetic.

Why mirror the back-office's arithmetic here: a document is only written
when its total equals the shop's (O8, O14). Computing that total before
writing lets the import put a sub-tolerance difference on the gap item, so
the document lands exactly on the shop's total, instead of learning of the
difference from a refusal. The rules are Tryton's (``sale.line.amount`` is
quantity × unit price rounded to the cent; each tax is computed on the
line's quantity × unit price, rounded per line; a tax that "updates the
unit price" adds itself to the base of the taxes after it — how a compound
tax is written, O24). The connector checks the real total again before it
commits, so a mistake here can cost an order a retry, never a wrong document.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_EVEN, ROUND_HALF_UP, Context, Decimal, getcontext

__all__ = [
    "CENT",
    "DocumentTotals",
    "TaxSpec",
    "cents",
    "document_totals",
    "quantize",
    "split_pro_rata",
    "tryton_round",
]

CENT = Decimal("0.01")
_WIDEST = 1000  # digits before the point that ``quantize`` still rounds


def quantize(value: Decimal, exponent: Decimal, rounding: str) -> Decimal:
    """``value.quantize(exponent)`` that never raises for a finite value, however large.

    Why: the default context holds 28 digits, so quantizing a 30-digit amount
    raises ``InvalidOperation`` and, before the sanity checks existed, stopped a
    whole import. Such an order is now set aside before mapping (``sanity.py``);
    the arithmetic must still not be the thing that fails. A NaN, an infinity or
    a value of more than :data:`_WIDEST` digits (``1E+999999999`` would need a
    billion) is returned as it is: the sanity checks refuse those, naming the field.
    """
    if not value.is_finite() or value.adjusted() > _WIDEST:
        return value
    places = exponent.as_tuple().exponent
    needed = value.adjusted() - (places if isinstance(places, int) else 0) + 2
    precision = max(getcontext().prec, needed)
    return value.quantize(exponent, rounding=rounding, context=Context(prec=precision))


def cents(value: Decimal) -> Decimal:
    """Rounded half up to the cent, as shops and Tryton round money."""
    return quantize(value, CENT, ROUND_HALF_UP)


def split_pro_rata(amount: Decimal, weights: Sequence[Decimal]) -> list[Decimal]:
    """``amount`` split in cents proportionally to ``weights``; the parts sum to it exactly.

    Largest-remainder: each part is rounded down to the cent, then the cents
    left are given to the parts that lost most, earliest first on ties, so the
    split is deterministic and never off by a cent in total (O14: an
    order-level discount split across VAT rates pro rata of each rate's base).
    """
    amount = cents(amount)
    if not weights:
        return []
    total_weight = sum(weights, Decimal(0))
    if total_weight == 0:
        # Nothing to weigh by: everything on the first part.
        return [amount] + [Decimal("0.00")] * (len(weights) - 1)
    sign = Decimal(-1) if amount < 0 else Decimal(1)
    magnitude = abs(amount)
    exact = [magnitude * w / total_weight for w in weights]
    floors = [(e / CENT).to_integral_value(rounding="ROUND_FLOOR") * CENT for e in exact]
    left = int(((magnitude - sum(floors, Decimal(0))) / CENT).to_integral_value())
    order = sorted(range(len(weights)), key=lambda i: (-(exact[i] - floors[i]), i))
    for index in order[:left]:
        floors[index] += CENT
    return [sign * part for part in floors]


@dataclass(frozen=True, slots=True)
class TaxSpec:
    """What the arithmetic needs of a back-office tax."""

    tax_id: str
    rate: Decimal  # fraction
    updates_unit_price: bool = False


@dataclass(frozen=True, slots=True)
class DocumentTotals:
    untaxed: Decimal
    tax: Decimal
    bases: Mapping[str, Decimal] = field(default_factory=dict)  # tax id -> untaxed base
    tax_by_id: Mapping[str, Decimal] = field(default_factory=dict)

    @property
    def total(self) -> Decimal:
        return self.untaxed + self.tax


def tryton_round(amount: Decimal) -> Decimal:
    """Tryton's ``currency.round``: half-even to the cent (shops round half-up)."""
    return quantize(amount, CENT, ROUND_HALF_EVEN)


def document_totals(
    lines: Iterable[tuple[Decimal, Decimal, Sequence[str]]],
    taxes: Mapping[str, TaxSpec],
) -> DocumentTotals:
    """Untaxed amount, tax and base per tax of ``(quantity, unit_price, tax ids)`` lines.

    Tax ids must come in the back-office's order of application. Taxes are
    rounded per line (the company's "tax rounding: per line" setting, which
    WooCommerce's default per-line rounding matches), with Tryton's carrying
    of the rounding remainder between the taxes of one line.
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
