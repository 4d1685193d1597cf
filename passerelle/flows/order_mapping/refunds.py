"""O28: a shop refund → a back-office return (negative sale lines).

Tryton turns a sale with negative quantities into a credit note and a return
shipment; the refund's lines are mapped exactly as the order's were (same
items, same taxes), so the credit note mirrors the invoice it corrects. An
amount refunded beyond the returned goods and shipping (a goodwill gesture)
is a line on the misc item without tax.
"""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal

from passerelle.flows.order_mapping.documents import payment_mapping
from passerelle.flows.order_mapping.lines import BackOfficeFacts, build_lines
from passerelle.flows.order_mapping.problems import OrderProblem, located, refund_label
from passerelle.flows.order_mapping.sanity import check_refund
from passerelle.i18n.messages import M_
from passerelle.model import (
    BackOfficePayment,
    BackOfficeSale,
    DocumentType,
    Order,
    OrderLine,
    OrderRefund,
    SaleLine,
    SaleLineKind,
    ShippingLine,
    TaxLine,
)
from passerelle.profiles.schema import OrderOptions

__all__ = ["build_refund"]


def _negated(taxes: tuple[TaxLine, ...]) -> tuple[TaxLine, ...]:
    return tuple(replace(t, amount=-abs(t.amount)) for t in taxes)


def build_refund(
    order: Order,
    refund: OrderRefund,
    options: OrderOptions,
    facts: BackOfficeFacts,
    *,
    external_key: str,
    origin_key: str,
    party_code: str,
    document_type: DocumentType | str = DocumentType.ORDER,
) -> BackOfficeSale:
    check_refund(order, refund, options)  # amounts and quantities sane, or set aside
    where = refund_label(order.number, refund.source_id)
    by_id = {line.source_id: line for line in order.lines}
    products = []
    for line in refund.lines:
        original = by_id.get(line.line_id)
        products.append(
            OrderLine(
                source_id=line.line_id,
                reference=line.reference or (original.reference if original else ""),
                name=line.name or (original.name if original else ""),
                quantity=-abs(line.quantity),
                subtotal=-abs(line.total),
                total=-abs(line.total),
                total_tax=-abs(line.total_tax),
                taxes=_negated(line.taxes or (original.taxes if original else ())),
            )
        )
    shipping = []
    if refund.shipping_total:
        taxes = order.shipping_lines[0].taxes if order.shipping_lines else ()
        shipping.append(
            ShippingLine(
                "refund",
                "",
                "Shipping refunded",
                -abs(refund.shipping_total),
                -abs(refund.shipping_tax),
                _negated(taxes),
            )
        )
    net_options = options.model_copy(update={"discount_mode": "net_prices", "prices_from": "net"})
    part = build_lines(
        order,
        net_options,
        facts,
        products=products,
        shipping=shipping,
        with_order_level=False,
        unallocated_discount=Decimal(0),
    )
    lines = list(part.lines)
    totals = facts.arithmetic.document_totals(
        ((ln.quantity, ln.unit_price, ln.tax_ids) for ln in lines), facts.tax_specs()
    )
    rest = -abs(refund.amount) - totals.total
    if abs(rest) > options.total_tolerance:
        lines.append(
            SaleLine(
                options.misc_item, refund.reason or "Refund", Decimal(1), rest, (), SaleLineKind.FEE
            )
        )
    elif rest:
        lines.append(
            SaleLine(
                options.gap_item, "Rounding of the refund", Decimal(1), rest, (), SaleLineKind.GAP
            )
        )
    if not lines:
        raise OrderProblem(located(where, M_("nothing refunded")))
    mapping = payment_mapping(options, order.payment_method, order.payment_method_title)
    payments: tuple[BackOfficePayment, ...] = ()
    if mapping is not None and mapping.create_payment:
        payments = (
            BackOfficePayment(
                journal=mapping.journals_by_currency.get(order.currency, mapping.journal),
                amount=-abs(refund.amount),
                date=refund.created_at.date(),
                reference=f"{order.number} refund {refund.source_id}",
                description=refund.reason or f"Refund of order {order.number}",
            ),
        )
    return BackOfficeSale(
        external_key=external_key,
        party_code=party_code,
        document_type=DocumentType(document_type),
        sale_date=facts.today
        if options.date_source == "today" and facts.today
        else refund.created_at.date(),
        currency=options.currencies.get(order.currency, order.currency),
        lines=tuple(lines),
        reference=f"{order.number} R{refund.source_id}",
        description=f"Refund of order {order.number}"
        + (f": {refund.reason}" if refund.reason else ""),
        payments=payments,
        warehouse=options.warehouse,
        expected_total=-abs(refund.amount),
        total_tolerance=options.total_tolerance,
        origin_key=origin_key,
    )
