"""Shop order → back-office sale: the business rules of O2, O4, O7, O8, O10, O11, O14.

Pure functions, no I/O: given an order, the profile's options and what the
back-office has, build the sale or say precisely why not (naming the order
and the missing entry). The import flow does the I/O around this.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from passerelle.mapping.templates import render_template
from passerelle.model import (
    Address,
    BackOfficePayment,
    BackOfficeSale,
    Customer,
    Order,
    OrderStatus,
    SaleLine,
    TaxLine,
)
from passerelle.profiles.schema import OrderOptions

__all__ = [
    "OrderProblem",
    "account_code",
    "build_sale",
    "customer_for",
    "is_paid",
    "map_tax",
]

UNIT_PRICE = Decimal("0.0001")


@dataclass(frozen=True)
class OrderProblem(Exception):
    """Why an order cannot be imported now; ``severity`` is info, retry or error."""

    message: str
    severity: str = "error"

    def __str__(self) -> str:
        return self.message


def account_code(options: OrderOptions, order: Order) -> str:
    """O4: prefix + shop customer id zero-padded to the account length; guests share one."""
    if order.is_guest:
        return options.guest_account
    customer_id = str(order.customer_id)
    width = max(options.account_length - len(options.account_prefix), len(customer_id))
    return options.account_prefix + customer_id.zfill(width)


def customer_for(options: OrderOptions, order: Order) -> Customer:
    """The back-office customer an order is written on."""
    code = account_code(options, order)
    if order.is_guest:
        return Customer(source_id=code, code=code, name="Web guest orders")
    billing = order.billing
    name = billing.company or billing.full_name or billing.email or code
    addresses = tuple(
        a for a in (billing, order.shipping) if not a.is_empty()
    )
    # The same address twice (billing = shipping) is stored once.
    unique: list[Address] = []
    for address in addresses:
        if all(_address_key(address) != _address_key(u) for u in unique):
            unique.append(address)
    return Customer(
        source_id=code,
        code=code,
        name=name,
        email=billing.email,
        first_name=billing.first_name,
        last_name=billing.last_name,
        company=billing.company,
        phone=billing.phone,
        addresses=tuple(unique),
    )


def _address_key(address: Address) -> tuple[str, ...]:
    return (address.full_name, address.company, address.street, address.street2,
            address.postal_code, address.city, address.country_code)


def is_paid(order: Order) -> bool:
    return order.paid_at is not None or order.status in (
        OrderStatus.PROCESSING,
        OrderStatus.COMPLETED,
    )


def map_tax(options: OrderOptions, tax: TaxLine, where: str) -> str:
    """O10: the back-office tax name for a shop tax (by label, then by rate)."""
    label = tax.label.casefold()
    percent = tax.rate * 100 if tax.rate is not None else None
    for entry in options.taxes:
        label_ok = entry.shop_label is None or entry.shop_label.casefold() == label
        rate_ok = entry.shop_rate is None or (
            percent is not None and Decimal(entry.shop_rate) == percent
        )
        if label_ok and rate_ok:
            return entry.tax
    if options.default_tax:
        return options.default_tax
    rate = f" ({percent.normalize():f} %)" if percent is not None else ""
    raise OrderProblem(
        f"{where}: shop tax {tax.label!r}{rate} has no entry in orders.taxes "
        f"(add shop_label = {tax.label!r} with its back-office tax, or set orders.default_tax)"
    )


def _taxes(
    options: OrderOptions, taxes: tuple[TaxLine, ...], tax_ids: Mapping[str, str], where: str
) -> tuple[str, ...]:
    result = []
    for tax in taxes:
        if tax.amount == 0 and tax.rate in (None, Decimal(0)):
            continue
        name = map_tax(options, tax, where)
        if name not in tax_ids:
            raise OrderProblem(
                f"{where}: orders.taxes maps {tax.label!r} to {name!r}, "
                "which is not a back-office tax"
            )
        result.append(tax_ids[name])
    return tuple(result)


def _unit_price(total: Decimal, quantity: Decimal) -> Decimal:
    return (total / quantity).quantize(UNIT_PRICE, rounding=ROUND_HALF_UP)


def build_sale(
    order: Order,
    options: OrderOptions,
    *,
    document_type: str,
    item_codes: set[str],
    tax_ids: Mapping[str, str],
    external_key: str,
) -> BackOfficeSale:
    """The whole back-office sale for an order, or an OrderProblem saying what is missing."""
    where = f"order {order.number}"
    lines: list[SaleLine] = []
    for line in order.lines:
        if line.quantity == 0:
            continue
        line_where = f"{where}, line {line.reference or line.name!r}"
        taxes = _taxes(options, line.taxes, tax_ids, line_where)
        if line.reference and line.reference in item_codes:
            code, description = line.reference, line.name
        elif options.misc_item:
            code = options.misc_item
            description = f"{line.reference} {line.name}".strip()
        else:
            shown = repr(line.reference) if line.reference else "(no reference)"
            raise OrderProblem(
                f"{where}: reference {shown} ({line.name}) is not a back-office item; "
                "create the item, or set orders.misc_item to import it on a misc item"
            )
        lines.append(
            SaleLine(code, description, line.quantity, _unit_price(line.total, line.quantity),
                     taxes)
        )
    for shipping in order.shipping_lines:
        taxes = _taxes(options, shipping.taxes, tax_ids, f"{where}, shipping")
        lines.append(
            SaleLine(options.shipping_item, shipping.title or "Shipping", Decimal(1),
                     shipping.total, taxes)
        )
    for fee in order.fee_lines:
        if not options.misc_item:
            raise OrderProblem(
                f"{where}: fee {fee.name!r} needs a misc item; set orders.misc_item"
            )
        taxes = _taxes(options, fee.taxes, tax_ids, f"{where}, fee {fee.name!r}")
        lines.append(SaleLine(options.misc_item, fee.name, Decimal(1), fee.total, taxes))
    if not lines:
        raise OrderProblem(f"{where} has no line to import")

    payments: tuple[BackOfficePayment, ...] = ()
    if is_paid(order) and order.total > 0:
        mapping = options.payments.get(order.payment_method)
        if mapping is None:
            shown = order.payment_method or "(none)"
            raise OrderProblem(
                f"{where}: payment method {shown!r} ({order.payment_method_title}) has no entry "
                f"in orders.payments; add [orders.payments.{shown}] with its journal"
            )
        if mapping.create_payment:
            paid_on = (order.paid_at or order.created_at).date()
            payments = (
                BackOfficePayment(
                    journal=mapping.journal,
                    amount=order.total,
                    date=paid_on,
                    reference=order.transaction_id or order.number,
                ),
            )
    return BackOfficeSale(
        external_key=external_key,
        party_code=account_code(options, order),
        document_type=document_type,  # type: ignore[arg-type]
        sale_date=order.created_at.date(),
        currency=order.currency,
        lines=tuple(lines),
        reference=render_template(options.reference_template, order),
        description=render_template(options.description_template, order),
        comment=render_template(options.comment_template, order),
        invoice_address=None if order.billing.is_empty() else order.billing,
        shipment_address=None if order.shipping.is_empty() else order.shipping,
        payments=payments,
        warehouse=options.warehouse,
        expected_total=order.total,
        total_tolerance=options.total_tolerance,
    )
