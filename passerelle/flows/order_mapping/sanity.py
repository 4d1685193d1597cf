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
from passerelle.flows.order_mapping.problems import (
    OrderProblem,
    located,
    order_label,
    refund_label,
)
from passerelle.i18n.messages import M_, Message, Text, semicolons
from passerelle.model import Order, OrderLine, OrderRefund, TaxLine
from passerelle.model.currencies import minor_units
from passerelle.profiles.schema import OrderOptions

__all__ = ["MAX_AMOUNT", "MAX_QUANTITY", "check_order", "check_refund", "decimals_of"]

# Beyond any real order (a trillion in any currency), well within what the
# back-office's numeric columns and the 28-digit arithmetic of the mapping hold.
MAX_AMOUNT = Decimal(10) ** 12
# Tryton keeps quantities as floating point: past 10^9 units they lose precision.
MAX_QUANTITY = Decimal(10) ** 9
_MAX_AMOUNT_SHOWN = f"{MAX_AMOUNT:,}"
_MAX_QUANTITY_SHOWN = f"{MAX_QUANTITY:,}"
_SHOWN = 40  # characters of a value a message shows; a 5,000-digit amount is cut
FIX = M_("correct the order in the shop")


def decimals_of(value: Decimal) -> int:
    """Significant decimals of a finite value, exactly (``24.9000`` → 1, ``12`` → 0)."""
    _, digits, exponent = value.as_tuple()
    if not isinstance(exponent, int) or exponent >= 0 or not any(digits):
        return 0
    zeros = len(digits) - len("".join(map(str, digits)).rstrip("0"))
    return max(0, -exponent - zeros)


def _shown(value: Decimal) -> Text:
    """The value as the shop sent it; in scientific notation when writing it out in full
    would take more than a line (``1E+999999999`` would be a billion characters)."""
    plain = value.is_finite() and abs(value.adjusted()) <= _SHOWN
    text = f"{value:f}" if plain else str(value)
    if len(text) > _SHOWN:
        return M_("%(start)s… (%(count)s characters)", start=text[:_SHOWN], count=len(text))
    return text


class _Findings:
    """The problems of one order (or refund), each naming its field."""

    def __init__(self, currency: str, digits: int | None) -> None:
        self.currency = currency
        self.digits = digits
        self.problems: list[Message] = []

    def amount(self, field: Text, value: Decimal, *, paid: bool = False) -> None:
        """A finite amount within bounds; ``paid``: also within the currency's decimals."""
        value = Decimal(value)
        if not value.is_finite():
            self.problems.append(
                M_(
                    "%(field)s %(value)s: not a number; %(fix)s",
                    field=field,
                    value=_shown(value),
                    fix=FIX,
                )
            )
        elif value.copy_abs() >= MAX_AMOUNT:  # copy_abs: no context, no Overflow
            self.problems.append(
                M_(
                    "%(field)s %(value)s: out of range (an amount must stay below %(max)s in "
                    "absolute value); %(fix)s",
                    field=field,
                    value=_shown(value),
                    max=_MAX_AMOUNT_SHOWN,
                    fix=FIX,
                )
            )
        elif paid and self.digits is not None and decimals_of(value) > self.digits:
            self.problems.append(
                M_(
                    "%(field)s %(value)s: more decimals than %(currency)s allows (%(digits)s); "
                    "%(fix)s",
                    field=field,
                    value=_shown(value),
                    currency=self.currency,
                    digits=self.digits,
                    fix=FIX,
                )
            )

    def taxes(self, field: Text, taxes: Iterable[TaxLine]) -> None:
        for tax in taxes:
            self.amount(
                M_("%(field)s tax %(label)s", field=field, label=repr(tax.label)), tax.amount
            )

    def sale_line(self, field: Text, line: OrderLine) -> None:
        amounts = [
            (M_("%(field)s subtotal", field=field), line.subtotal),
            (_total(field), line.total),
            (_tax(field), line.total_tax),
            (M_("%(field)s eco-tax", field=field), line.ecotax),
        ]
        for name, value in amounts:
            self.amount(name, value)
        self.taxes(field, line.taxes)
        quantity = Decimal(line.quantity)
        if not quantity.is_finite() or quantity.copy_abs() >= MAX_QUANTITY:
            self.problems.append(
                M_(
                    "%(field)s quantity %(value)s: not a quantity a sale line can have "
                    "(a number below %(max)s); %(fix)s",
                    field=field,
                    value=_shown(quantity),
                    max=_MAX_QUANTITY_SHOWN,
                    fix=FIX,
                )
            )
        elif quantity < 0 or (
            quantity == 0 and any(v.is_finite() and v != 0 for _name, v in amounts)
        ):
            self.problems.append(
                M_(
                    "%(field)s quantity %(value)s: a sale line needs a quantity above 0; "
                    "%(fix)s (a return is recorded as a refund)",
                    field=field,
                    value=_shown(quantity),
                    fix=FIX,
                )
            )


def _line_label(index: int, reference: str, name: str) -> Message:
    """How a merchant finds the line in the shop's order: its rank and its SKU (or name)."""
    if reference:
        return M_("line %(index)s (SKU %(sku)s)", index=index, sku=reference)
    return M_("line %(index)s (%(name)s)", index=index, name=repr(name))


def _total(field: Text) -> Message:
    return M_("%(field)s total", field=field)


def _tax(field: Text) -> Message:
    return M_("%(field)s tax", field=field)


def _currency(order: Order, options: OrderOptions, facts: BackOfficeFacts) -> _Findings:
    """The order's currency checked, and the findings that use its minor unit."""
    shown = order.currency
    target = options.currencies.get(shown, shown)
    found = _Findings(target, minor_units(target))
    if found.digits is None:
        fix = M_(
            "correct the shop's currency, or map it in orders.currencies to the "
            "back-office's currency"
        )
        if target != shown:
            found.problems.append(
                M_(
                    "currency %(currency)s (mapped by orders.currencies to %(target)s) is not "
                    "an ISO 4217 currency code; %(fix)s",
                    currency=repr(shown),
                    target=repr(target),
                    fix=fix,
                )
            )
        else:
            found.problems.append(
                M_(
                    "currency %(currency)s is not an ISO 4217 currency code; %(fix)s",
                    currency=repr(shown),
                    fix=fix,
                )
            )
    elif facts.currencies is not None and target not in facts.currencies:
        found.problems.append(
            M_(
                "currency %(target)s is not defined in the back-office; create it there (with "
                "a rate), or map %(currency)s to another currency in orders.currencies",
                target=repr(target),
                currency=repr(shown),
            )
        )
    return found


def _raise(where: Text, problems: list[Message]) -> None:
    if problems:
        raise OrderProblem(located(where, semicolons(problems)), "error")


def check_order(order: Order, options: OrderOptions, facts: BackOfficeFacts) -> None:
    """OrderProblem (severity error) naming every field of ``order`` that is not sane.

    The order's refunds are checked when each is imported (:func:`check_refund`):
    a bad refund must not keep the order itself out.
    """
    found = _currency(order, options, facts)
    for index, line in enumerate(order.lines, 1):
        found.sale_line(_line_label(index, line.reference, line.name), line)
    for index, ship in enumerate(order.shipping_lines, 1):
        field = M_(
            "shipping line %(index)s (%(name)s)",
            index=index,
            name=ship.title or ship.method_id or M_("shipping"),
        )
        found.amount(_total(field), ship.total)
        found.amount(_tax(field), ship.total_tax)
        found.taxes(field, ship.taxes)
    for index, fee in enumerate(order.fee_lines, 1):
        field = M_("fee %(index)s (%(name)s)", index=index, name=repr(fee.name))
        found.amount(_total(field), fee.total)
        found.amount(_tax(field), fee.total_tax)
        found.taxes(field, fee.taxes)
    for coupon in order.coupons:
        code = repr(coupon.code)
        found.amount(M_("coupon %(code)s discount", code=code), coupon.discount)
        found.amount(M_("coupon %(code)s discount tax", code=code), coupon.discount_tax)
    for card in order.gift_cards:
        found.amount(M_("gift card %(code)s amount", code=repr(card.code)), card.amount, paid=True)
    for index, payment in enumerate(order.payments, 1):
        found.amount(
            M_(
                "payment %(index)s (%(method)s) amount",
                index=index,
                method=payment.method or M_("no method"),
            ),
            payment.amount,
            paid=True,
        )
    found.amount(M_("discount total"), order.discount_total)
    found.amount(M_("total tax"), order.total_tax)
    found.amount(M_("total"), order.total, paid=True)
    _raise(order_label(order.number), found.problems)


def check_refund(order: Order, refund: OrderRefund, options: OrderOptions) -> None:
    """OrderProblem (severity error) naming every field of ``refund`` that is not sane.

    The currency is the order's, checked when the order was imported; here it
    only gives the decimals the refunded amount may have.
    """
    currency = options.currencies.get(order.currency, order.currency)
    found = _Findings(currency, minor_units(currency))
    for index, line in enumerate(refund.lines, 1):
        field = _line_label(index, line.reference, line.name)
        found.amount(_total(field), line.total)
        found.amount(_tax(field), line.total_tax)
        found.taxes(field, line.taxes)
        quantity = Decimal(line.quantity)
        if not quantity.is_finite() or quantity.copy_abs() >= MAX_QUANTITY:
            found.problems.append(
                M_(
                    "%(field)s quantity %(value)s: not a quantity a refund line can have; %(fix)s",
                    field=field,
                    value=_shown(quantity),
                    fix=FIX,
                )
            )
    found.amount(M_("shipping refunded"), refund.shipping_total)
    found.amount(M_("shipping tax refunded"), refund.shipping_tax)
    found.amount(M_("amount"), refund.amount, paid=True)
    _raise(refund_label(order.number, refund.source_id), found.problems)
