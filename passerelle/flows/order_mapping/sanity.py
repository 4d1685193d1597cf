"""Is an order's data sane enough to map? Checked before any rule touches it.

Why before mapping: a shop (or a plugin writing into it) can hand over an
amount no till ever rang up — ``123456789012345678901234567890.00``, ``NaN``,
a total in tenths of a cent — or a sale line of −3 units. Mapped as it is,
the first stopped every import with ``decimal.InvalidOperation``; the second
became a return line of −3 units on a sale. Either way the merchant learnt
nothing useful. Here each such order is set aside with severity *error* and a
message naming the order, the field, its value and what to change, and the
other orders go on.

The rules:

- every amount (line, shipping and fee totals and taxes, eco-tax, coupons,
  the order's discount, tax and total, payments, gift cards, refunds) is a
  finite number below :data:`MAX_AMOUNT` in absolute value;
- money that changes hands — the order's total, each payment, each gift card
  and each refund's amount — has no more decimals than its currency's minor
  unit (ISO 4217: EUR 2, JPY 0, KWD 3). Only these: every platform rounds
  them, while some legitimately send more decimals on line amounts and taxes
  (WooCommerce's per-line tax amounts, PrestaShop's "round on the total"
  mode, BigCommerce's amounts net of an included tax). Trailing zeros do not
  count: BigCommerce's ``"24.9000"`` is 24.90;
- a sale line's quantity is a finite number above 0 and below
  :data:`MAX_QUANTITY`. A line of 0 units and no amount (a line an order edit
  removed) is not a sale line and is left out, as before;
- the currency is an ISO 4217 code (or one ``orders.currencies`` maps to
  one) and, when the back-office's currencies were read, one it knows.
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal

from passerelle.flows.order_mapping.lines import BackOfficeFacts
from passerelle.flows.order_mapping.problems import OrderProblem
from passerelle.model import Order, OrderLine, OrderRefund, TaxLine
from passerelle.model.currencies import minor_units
from passerelle.profiles.schema import OrderOptions

__all__ = ["MAX_AMOUNT", "MAX_QUANTITY", "check_order", "check_refund", "decimals_of"]

# Beyond any real order (a trillion in any currency), well within what the
# back-office's numeric columns and the 28-digit arithmetic of the mapping hold.
MAX_AMOUNT = Decimal(10) ** 12
# Tryton keeps quantities as floating point: past 10^9 units they lose precision.
MAX_QUANTITY = Decimal(10) ** 9
_SHOWN = 40  # characters of a value a message shows; a 5,000-digit amount is cut
FIX = "correct the order in the shop"


def decimals_of(value: Decimal) -> int:
    """Significant decimals of a finite value, exactly (``24.9000`` → 1, ``12`` → 0)."""
    _, digits, exponent = value.as_tuple()
    if not isinstance(exponent, int) or exponent >= 0 or not any(digits):
        return 0
    zeros = len(digits) - len("".join(map(str, digits)).rstrip("0"))
    return max(0, -exponent - zeros)


def _shown(value: Decimal) -> str:
    """The value as the shop sent it; in scientific notation when writing it out in full
    would take more than a line (``1E+999999999`` would be a billion characters)."""
    plain = value.is_finite() and abs(value.adjusted()) <= _SHOWN
    text = f"{value:f}" if plain else str(value)
    if len(text) > _SHOWN:
        return f"{text[:_SHOWN]}… ({len(text)} characters)"
    return text


class _Findings:
    """The problems of one order (or refund), each naming its field."""

    def __init__(self, currency: str, digits: int | None) -> None:
        self.currency = currency
        self.digits = digits
        self.problems: list[str] = []

    def amount(self, field: str, value: Decimal, *, paid: bool = False) -> None:
        """A finite amount within bounds; ``paid``: also within the currency's decimals."""
        value = Decimal(value)
        if not value.is_finite():
            self.problems.append(f"{field} {_shown(value)}: not a number; {FIX}")
        elif value.copy_abs() >= MAX_AMOUNT:  # copy_abs: no context, no Overflow
            self.problems.append(
                f"{field} {_shown(value)}: out of range (an amount must stay below "
                f"{MAX_AMOUNT:,} in absolute value); {FIX}"
            )
        elif paid and self.digits is not None and decimals_of(value) > self.digits:
            self.problems.append(
                f"{field} {_shown(value)}: more decimals than {self.currency} allows "
                f"({self.digits}); {FIX}"
            )

    def taxes(self, field: str, taxes: Iterable[TaxLine]) -> None:
        for tax in taxes:
            self.amount(f"{field} tax {tax.label!r}", tax.amount)

    def sale_line(self, field: str, line: OrderLine) -> None:
        amounts = {
            "subtotal": line.subtotal,
            "total": line.total,
            "tax": line.total_tax,
            "eco-tax": line.ecotax,
        }
        for name, value in amounts.items():
            self.amount(f"{field} {name}", value)
        self.taxes(field, line.taxes)
        quantity = Decimal(line.quantity)
        if not quantity.is_finite() or quantity.copy_abs() >= MAX_QUANTITY:
            self.problems.append(
                f"{field} quantity {_shown(quantity)}: not a quantity a sale line can have "
                f"(a number below {MAX_QUANTITY:,}); {FIX}"
            )
        elif quantity < 0 or (
            quantity == 0 and any(v.is_finite() and v != 0 for v in amounts.values())
        ):
            self.problems.append(
                f"{field} quantity {_shown(quantity)}: a sale line needs a quantity above 0; "
                f"{FIX} (a return is recorded as a refund)"
            )


def _line_label(index: int, reference: str, name: str) -> str:
    """How a merchant finds the line in the shop's order: its rank and its SKU (or name)."""
    return f"line {index} ({f'SKU {reference}' if reference else repr(name)})"


def _currency(order: Order, options: OrderOptions, facts: BackOfficeFacts) -> _Findings:
    """The order's currency checked, and the findings that use its minor unit."""
    shown = order.currency
    target = options.currencies.get(shown, shown)
    found = _Findings(target, minor_units(target))
    if found.digits is None:
        mapped = f" (mapped by orders.currencies to {target!r})" if target != shown else ""
        found.problems.append(
            f"currency {shown!r}{mapped} is not an ISO 4217 currency code; correct the "
            "shop's currency, or map it in orders.currencies to the back-office's currency"
        )
    elif facts.currencies is not None and target not in facts.currencies:
        found.problems.append(
            f"currency {target!r} is not defined in the back-office; create it there (with "
            f"a rate), or map {shown!r} to another currency in orders.currencies"
        )
    return found


def _raise(where: str, problems: list[str]) -> None:
    if problems:
        raise OrderProblem(f"{where}: " + "; ".join(problems), "error")


def check_order(order: Order, options: OrderOptions, facts: BackOfficeFacts) -> None:
    """OrderProblem (severity error) naming every field of ``order`` that is not sane.

    The order's refunds are checked when each is imported (:func:`check_refund`):
    a bad refund must not keep the order itself out.
    """
    found = _currency(order, options, facts)
    for index, line in enumerate(order.lines, 1):
        found.sale_line(_line_label(index, line.reference, line.name), line)
    for index, ship in enumerate(order.shipping_lines, 1):
        field = f"shipping line {index} ({ship.title or ship.method_id or 'shipping'})"
        found.amount(f"{field} total", ship.total)
        found.amount(f"{field} tax", ship.total_tax)
        found.taxes(field, ship.taxes)
    for index, fee in enumerate(order.fee_lines, 1):
        field = f"fee {index} ({fee.name!r})"
        found.amount(f"{field} total", fee.total)
        found.amount(f"{field} tax", fee.total_tax)
        found.taxes(field, fee.taxes)
    for coupon in order.coupons:
        found.amount(f"coupon {coupon.code!r} discount", coupon.discount)
        found.amount(f"coupon {coupon.code!r} discount tax", coupon.discount_tax)
    for card in order.gift_cards:
        found.amount(f"gift card {card.code!r} amount", card.amount, paid=True)
    for index, payment in enumerate(order.payments, 1):
        found.amount(
            f"payment {index} ({payment.method or 'no method'}) amount", payment.amount, paid=True
        )
    found.amount("discount total", order.discount_total)
    found.amount("total tax", order.total_tax)
    found.amount("total", order.total, paid=True)
    _raise(f"order {order.number}", found.problems)


def check_refund(order: Order, refund: OrderRefund, options: OrderOptions) -> None:
    """OrderProblem (severity error) naming every field of ``refund`` that is not sane.

    The currency is the order's, checked when the order was imported; here it
    only gives the decimals the refunded amount may have.
    """
    currency = options.currencies.get(order.currency, order.currency)
    found = _Findings(currency, minor_units(currency))
    for index, line in enumerate(refund.lines, 1):
        field = _line_label(index, line.reference, line.name)
        found.amount(f"{field} total", line.total)
        found.amount(f"{field} tax", line.total_tax)
        found.taxes(field, line.taxes)
        quantity = Decimal(line.quantity)
        if not quantity.is_finite() or quantity.copy_abs() >= MAX_QUANTITY:
            found.problems.append(
                f"{field} quantity {_shown(quantity)}: not a quantity a refund line can have; {FIX}"
            )
    found.amount("shipping refunded", refund.shipping_total)
    found.amount("shipping tax refunded", refund.shipping_tax)
    found.amount("amount", refund.amount, paid=True)
    _raise(f"order {order.number}, refund {refund.source_id}", found.problems)
