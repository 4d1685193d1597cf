"""K7, O4, O11: which back-office customer an order is written on.

Order of precedence: a payment method that puts all its orders on one
account (marketplaces, O11); one account for every order (O4); an existing
customer found by e-mail or by company number (K7); the guest account; a
customer created from the shop customer's id (O4).
"""

from __future__ import annotations

from passerelle.connectors.base import BackOffice
from passerelle.flows.order_mapping import customer_for, payment_mapping
from passerelle.model import Customer, Order
from passerelle.profiles.schema import OrderOptions

__all__ = ["decide_customer"]


def decide_customer(
    backoffice: BackOffice, options: OrderOptions, order: Order
) -> tuple[str, Customer | None]:
    """The account code, and the customer to create or update on it (None: leave it)."""
    mapping = payment_mapping(options, order.payment_method, order.payment_method_title)
    if mapping is not None and mapping.account:
        return mapping.account, _named_account(
            mapping.account, order, options, mapping.receivable_account or ""
        )
    if options.account_mode == "single" and options.single_account:
        return options.single_account, customer_for(options, order, options.single_account)
    found = None
    if options.customer_matching == "email" and order.email:
        found = backoffice.find_customer(email=order.email)
    elif options.customer_matching == "number" and order.customer_tax_identifier:
        found = backoffice.find_customer(tax_identifier=order.customer_tax_identifier)
    if found is not None and found.code:
        if not options.update_addresses:
            return found.code, None
        fresh = customer_for(options, order, found.code)
        # Only the addresses change: the name, e-mail and phone the merchant
        # keeps in the back-office are theirs.
        return found.code, Customer(
            source_id=found.code, code=found.code, name=found.name, addresses=fresh.addresses
        )
    customer = customer_for(options, order)
    return customer.code, customer


def _named_account(code: str, order: Order, options: OrderOptions, receivable: str) -> Customer:
    return Customer(
        source_id=code,
        code=code,
        name=order.payment_method_title or code,
        receivable_account=receivable,
        category=options.new_customer_category or "",
        representative=options.new_customer_representative or "",
    )
