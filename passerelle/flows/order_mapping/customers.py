"""The customer an order is written on (K7, O4, O5, O6, O16), as pure rules.

The matching itself (asking the back-office for a party by e-mail or by
company number) is I/O and lives in the import flow; here are the codes,
names and addresses the options call for.
"""

from __future__ import annotations

import unicodedata
from dataclasses import replace

from passerelle.model import Address, Customer, Order
from passerelle.profiles.schema import OrderOptions

__all__ = [
    "account_code",
    "customer_for",
    "normalise_address",
    "normalise_text",
    "padded",
    "receivable_code",
]

_ADDRESS_TEXT_FIELDS = ("first_name", "last_name", "company", "street", "street2", "city")


def padded(prefix: str, identifier: str, length: int) -> str:
    """``prefix`` + ``identifier`` zero-padded so the whole is ``length`` long (never cut)."""
    width = max(length - len(prefix), len(identifier))
    return prefix + identifier.zfill(width)


def account_code(options: OrderOptions, order: Order) -> str:
    """O4: the account an order goes on when no existing customer matched it."""
    if options.account_mode == "single" and options.single_account:
        return options.single_account
    if order.is_guest:
        return options.guest_account
    return padded(options.account_prefix, str(order.customer_id), options.account_length)


def receivable_code(options: OrderOptions, order: Order) -> str:
    """O5: receivable account of a new customer; empty = the back-office default."""
    if options.receivable_mode == "single":
        return options.receivable_account or ""
    if options.receivable_mode == "per_customer" and not order.is_guest:
        return padded(options.receivable_prefix, str(order.customer_id), options.receivable_length)
    return ""


def normalise_text(value: str, *, strip_accents: bool, upper: bool) -> str:
    """O6: accents stripped (é → e, œ kept as œ only if it has no decomposition), upper-cased."""
    if strip_accents:
        decomposed = unicodedata.normalize("NFKD", value)
        value = "".join(c for c in decomposed if not unicodedata.combining(c))
    return value.upper() if upper else value


def normalise_address(address: Address, options: OrderOptions) -> Address:
    """O6 and O16: accents, upper case, and the name the address is written under."""
    if options.address_name == "company_else_contact" and address.company:
        address = replace(address, first_name="", last_name=address.company)
    if not (options.strip_accents or options.uppercase_addresses or options.uppercase_names):
        return address
    changes = {}
    for name in _ADDRESS_TEXT_FIELDS:
        upper = (
            options.uppercase_names
            if name in ("first_name", "last_name", "company")
            else options.uppercase_addresses
        )
        changes[name] = normalise_text(
            getattr(address, name), strip_accents=options.strip_accents, upper=upper
        )
    return replace(address, **changes)


def customer_for(options: OrderOptions, order: Order, code: str | None = None) -> Customer:
    """The back-office customer to create (or update) for an order, on ``code``."""
    code = code or account_code(options, order)
    billing = normalise_address(order.billing, options)
    shipping = normalise_address(order.shipping, options)

    def text(value: str) -> str:
        return normalise_text(
            value, strip_accents=options.strip_accents, upper=options.uppercase_names
        )

    if order.is_guest and code == options.guest_account:
        return Customer(source_id=code, code=code, name=text("Web guest orders"))
    if code == options.single_account:
        return Customer(source_id=code, code=code, name=text("Web orders"))
    name = text(order.billing.company or order.billing.full_name or order.billing.email or code)
    unique: list[Address] = []
    for address in (billing, shipping):
        if not address.is_empty() and all(address.key != u.key for u in unique):
            unique.append(address)
    return Customer(
        source_id=code,
        code=code,
        name=name,
        email=order.billing.email,
        first_name=text(order.billing.first_name),
        last_name=text(order.billing.last_name),
        company=text(order.billing.company),
        phone=order.billing.phone,
        addresses=tuple(unique),
        tax_identifier=order.customer_tax_identifier,
        receivable_account=receivable_code(options, order),
        category=options.new_customer_category or "",
        representative=options.new_customer_representative or "",
    )
