"""A shop order → the back-office document(s) that record it (O2, O7–O9, O12–O15, O23).

Pure: the flow decides the customer (K7 needs the back-office) and passes
its code; this module decides everything else and says precisely why an
order cannot be written (naming the order and the missing entry).
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from passerelle.connectors.arithmetic import cents
from passerelle.flows.order_mapping.customers import normalise_address
from passerelle.flows.order_mapping.lines import BackOfficeFacts, LineSet, build_lines
from passerelle.flows.order_mapping.money import split_pro_rata
from passerelle.flows.order_mapping.problems import OrderProblem, located, order_label
from passerelle.flows.order_mapping.sanity import check_order
from passerelle.i18n.messages import M_, Text
from passerelle.mapping.templates import render_template
from passerelle.model import (
    Address,
    BackOfficePayment,
    BackOfficeSale,
    DocumentType,
    Order,
    OrderLine,
    OrderPayment,
    OrderStatus,
    SaleLine,
    SaleLineKind,
    ShippingLine,
)
from passerelle.profiles.schema import OrderOptions, PaymentMapping

__all__ = [
    "build_sales",
    "document_date",
    "is_paid",
    "payment_mapping",
    "tax_rule_for",
]


def is_paid(order: Order) -> bool:
    return order.paid_at is not None or order.status in (
        OrderStatus.PROCESSING,
        OrderStatus.COMPLETED,
    )


def payment_mapping(options: OrderOptions, method: str, title: str = "") -> PaymentMapping | None:
    """O11: the mapping of a payment method, by its id or one of its marketplace aliases."""
    if method in options.payments:
        return options.payments[method]
    for mapping in options.payments.values():
        aliases = {a.casefold() for a in mapping.aliases}
        if method.casefold() in aliases or (title and title.casefold() in aliases):
            return mapping
    return None


def document_date(options: OrderOptions, order: Order, today: date | None) -> date:
    """O7: the document's date, from the order, its invoice, or the day of the import."""
    if options.date_source == "today" and today is not None:
        return today
    if options.date_source == "invoice":
        moment = order.invoiced_at or order.completed_at or order.paid_at or order.created_at
        return moment.date()
    return order.created_at.date()


def tax_rule_for(options: OrderOptions, order: Order) -> str | None:
    """O9: the tax rule of the delivery country (and state), for a taxed or untaxed order."""
    destination = order.shipping if not order.shipping.is_empty() else order.billing
    country = destination.country_code.upper()
    subdivision = destination.subdivision.upper()
    best = None
    for zone in options.tax_zones:
        if zone.country and zone.country.upper() != country:
            continue
        if zone.subdivision and zone.subdivision.upper() != subdivision:
            continue
        score = (bool(zone.country), bool(zone.subdivision))
        if best is None or score > best[0]:
            best = (score, zone)
    if best is None:
        return None
    taxed = order.total_tax != 0
    return best[1].with_tax if taxed else best[1].without_tax


def _destinations(
    order: Order, split: bool
) -> list[tuple[Address, list[OrderLine], list[ShippingLine]]]:
    """O23: the order's lines grouped by delivery address (one group when not split)."""
    if not split or not any(line.ship_to for line in order.lines):
        return [(order.shipping, list(order.lines), list(order.shipping_lines))]
    groups: dict[tuple[str, ...], tuple[Address, list[OrderLine], list[ShippingLine]]] = {}
    for line in order.lines:
        address = line.ship_to or order.shipping
        groups.setdefault(address.key, (address, [], []))[1].append(line)
    first = next(iter(groups))
    for ship in order.shipping_lines:
        key = ship.ship_to.key if ship.ship_to else first
        groups.get(key, groups[first])[2].append(ship)
    return list(groups.values())


def _choose_address(
    choice: str, order: Order, delivery: Address, options: OrderOptions
) -> Address | None:
    """O13: None means the back-office customer's own address of that kind."""
    if choice == "shop_billing":
        address = order.billing
    elif choice == "shop_shipping":
        address = delivery if not delivery.is_empty() else order.billing
    else:
        return None
    return None if address.is_empty() else normalise_address(address, options)


def _gap_line(options: OrderOptions, amount: Decimal, what: str) -> SaleLine:
    return SaleLine(options.gap_item, what, Decimal(1), amount, (), SaleLineKind.GAP)


def _payments(
    order: Order,
    options: OrderOptions,
    total: Decimal,
    currency: str,
    today: date | None,
    where: Text,
) -> tuple[list[BackOfficePayment], PaymentMapping | None]:
    """O11, O15: the payments to record for ``total`` (one per shop payment)."""
    shop_payments = list(order.payments) or [
        OrderPayment(
            order.payment_method,
            order.payment_method_title,
            order.total,
            order.paid_at,
            order.transaction_id,
            order.currency,
        )
    ]
    first = shop_payments[0]
    mapping = payment_mapping(options, first.method, first.method_title)
    if not is_paid(order) or total <= 0:
        return [], mapping
    recorded: list[BackOfficePayment] = []
    paid_sum = sum((p.amount for p in shop_payments), Decimal(0))
    amounts = [p.amount for p in shop_payments]
    if paid_sum != total:
        # Shares of this document's total, in the proportions the buyer paid.
        amounts = split_pro_rata(total, amounts or [Decimal(1)])
    label = render_template(options.payment_label_template, order)
    for payment, amount in zip(shop_payments, amounts, strict=True):
        entry = payment_mapping(options, payment.method, payment.method_title)
        if entry is None:
            shown = payment.method or "(none)"
            raise OrderProblem(
                located(
                    where,
                    M_(
                        "payment method %(method)s (%(title)s) has no entry in "
                        "orders.payments; add [orders.payments.%(key)s] with its journal",
                        method=repr(shown),
                        title=payment.method_title,
                        key=shown,
                    ),
                )
            )
        if not entry.create_payment or amount <= 0:
            continue
        if options.payment_date == "today" and today is not None:
            paid_on = today
        elif options.payment_date == "order":
            paid_on = order.created_at.date()
        else:
            paid_on = (payment.paid_at or order.paid_at or order.created_at).date()
        description = label
        if options.copy_reference_to_payment and order.customer_note:
            description = f"{label} — {order.customer_note}".strip(" —")
        recorded.append(
            BackOfficePayment(
                journal=entry.journals_by_currency.get(currency, entry.journal),
                amount=amount,
                date=paid_on,
                reference=order.number
                if options.copy_reference_to_payment
                else payment.transaction_id,
                description=description,
            )
        )
    return recorded, mapping


def build_sales(
    order: Order,
    options: OrderOptions,
    facts: BackOfficeFacts,
    *,
    document_type: DocumentType | str,
    external_key: str,
    party_code: str,
) -> list[BackOfficeSale]:
    """The document(s) of an order: one, or one per delivery address (O23).

    Each document's total is the back-office's own arithmetic on its lines;
    a difference from the shop's within ``total_tolerance`` goes on the gap
    item, a larger one is an OrderProblem unless the profile accepts it. An
    order whose amounts, quantities or currency are not sane is refused first,
    naming the field (``sanity.py``).
    """
    check_order(order, options, facts)
    where = order_label(order.number)
    document_type = DocumentType(document_type)
    currency = options.currencies.get(order.currency, order.currency)
    destinations = _destinations(order, options.split_by_address)
    allocated = sum((line.subtotal - line.total for line in order.lines), Decimal(0))
    unallocated = (
        cents(order.discount_total - allocated) if order.discount_total > allocated else Decimal(0)
    )
    rule = tax_rule_for(options, order)
    specs = facts.tax_specs()

    # Lines per document, then the shop's figure for each (the whole order
    # total on the first document absorbs the shop's own rounding of parts).
    parts: list[LineSet] = []
    weights = [sum((ln.subtotal for ln in d[1]), Decimal(0)) for d in destinations]
    unallocated_parts = (
        split_pro_rata(unallocated, weights) if unallocated else [Decimal(0)] * len(destinations)
    )
    for index, (_, products, shipping) in enumerate(destinations):
        parts.append(
            build_lines(
                order,
                options,
                facts,
                products=products,
                shipping=shipping,
                with_order_level=index == 0,
                unallocated_discount=unallocated_parts[index],
                untaxed_use_item_taxes=rule is not None and order.total_tax == 0,
            )
        )
    if not any(part.lines for part in parts):
        raise OrderProblem(located(where, M_("has no line to import"), " "))
    expected = [part.shop_total for part in parts]
    expected[0] = order.total - sum(expected[1:], Decimal(0))

    if options.payment_amount == "paid" and order.payments and len(parts) == 1:
        paid = sum((p.amount for p in order.payments), Decimal(0))
        if paid != order.total:
            expected[0] = paid  # O15: the difference is recorded on the gap item

    sales: list[BackOfficeSale] = []
    for index, ((delivery, _, shipping), part, shop_total) in enumerate(
        zip(destinations, parts, expected, strict=True)
    ):
        lines = list(part.lines)
        totals = facts.arithmetic.document_totals(
            ((ln.quantity, ln.unit_price, () if ln.item_taxes else ln.tax_ids) for ln in lines),
            specs,
        )
        difference = shop_total - totals.total
        accept = options.accept_total_difference
        if difference:
            if abs(difference) <= options.total_tolerance:
                lines.append(_gap_line(options, difference, "Rounding difference with the shop"))
            elif not accept:
                raise OrderProblem(
                    located(
                        where,
                        M_(
                            "the back-office total would be %(total)s %(currency)s but the shop "
                            "says %(shop_total)s (difference %(difference)s, tolerance "
                            "%(tolerance)s); check orders.taxes and the prices, raise "
                            "orders.total_tolerance, or set orders.accept_total_difference",
                            total=totals.total,
                            currency=currency,
                            shop_total=shop_total,
                            difference=difference,
                            tolerance=options.total_tolerance,
                        ),
                    )
                )
        document_total = (
            shop_total
            if (not difference or abs(difference) <= options.total_tolerance)
            else totals.total
        )
        payments, mapping = _payments(order, options, document_total, currency, facts.today, where)
        suffix = f"/{index + 1}" if len(destinations) > 1 else ""
        addresses = options.addresses_for(document_type)
        carrier = None
        for ship in shipping:
            carrier = options.carriers.get(ship.method_id) or carrier
        sales.append(
            BackOfficeSale(
                external_key=external_key + suffix,
                party_code=party_code,
                document_type=document_type,
                sale_date=document_date(options, order, facts.today),
                currency=currency,
                lines=tuple(lines),
                reference=render_template(options.reference_template, order) + suffix,
                description=render_template(options.description_template, order),
                comment=_comment(options, order),
                invoice_address=_choose_address(addresses.invoice, order, delivery, options),
                shipment_address=_choose_address(addresses.shipment, order, delivery, options),
                payments=tuple(payments),
                warehouse=options.warehouse,
                expected_total=shop_total,
                total_tolerance=options.total_tolerance,
                accept_total_difference=accept,
                number=(order.number + suffix.replace("/", "-"))
                if options.keep_shop_number
                else "",
                tax_rule=rule,
                carrier=carrier,
                payment_term=None
                if options.no_payment_method or mapping is None
                else mapping.payment_term,
                validate_before_paying=options.validate_before_paying,
            )
        )
    return sales


def _comment(options: OrderOptions, order: Order) -> str:
    """O16: the comment template, then the messages the profile asks to read."""
    parts = (
        [render_template(options.comment_template, order)]
        if "customer_note" in options.messages
        else [render_template(options.comment_template.replace("%NOTE", ""), order)]
    )
    # A message is either the buyer's, or the shop's to the buyer (WooCommerce's
    # "customer notes": the only messages an order carries there); both are
    # the customer messages. A private note is one the buyer never saw.
    for note in order.notes:
        if note.private and not note.from_customer:
            if "private_notes" in options.messages:
                parts.append(f"Note: {note.text}")
        elif "customer_messages" in options.messages:
            who = "Customer" if note.from_customer else "To the customer"
            parts.append(f"{who}: {note.text}")
    return "\n".join(p for p in parts if p).strip()
