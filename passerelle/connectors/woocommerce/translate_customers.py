"""Customer ↔ WooCommerce customer bodies, with no I/O.

Docs: woocommerce-rest-api-docs ``source/includes/wp-api-v3/_customers.md``
(``email``, ``first_name``, ``last_name``, ``password``, ``billing``,
``shipping``, ``meta_data``; ``is_paying_customer`` read-only; the list takes
``role`` and no date filter). Behaviour from woocommerce
``Controllers/Version1/class-wc-rest-customers-v1-controller.php``
(``create_item``) and ``includes/data-stores/class-wc-customer-data-store.php``:
creation goes through ``wc_create_new_customer`` (``wc-user-functions.php``),
which generates a password when none is sent and then fires
``woocommerce_created_customer``, the hook WooCommerce's "New account" e-mail
listens to. So whether the customer gets that e-mail is the shop's e-mail
setting (WooCommerce → Settings → Emails → New account), not something the
REST API lets a client choose: ``NewAccountOptions.welcome_email`` is recorded
nowhere and changes nothing here (say so to the merchant), and an account
opened with ``generate_password=False`` gets a random password nobody is
told (the customer uses "lost password"), which the e-mail never shows
either since WooCommerce sends the password only when it generated it.

v3 answers have no ``orders_count`` (v2 had it, ``class-wc-rest-customers-
controller.php`` dropped it): "has orders" is ``is_paying_customer``, set by
WooCommerce once an order of the customer is paid or completed
(``wc_paying_customer``).

Where each field lands: names, company and phone in WooCommerce's own fields
(``first_name``/``last_name``, ``billing.company``, ``billing.phone``); the
rest in ``meta_data`` rows under *visible* keys (``passerelle_…``). A key
starting with ``_`` is protected meta for WordPress (``is_protected_meta``):
a real shop drops it on write and hides it on read, so none is used. ``role``
is read-only in the v3 schema. WooCommerce core has no way to disable a
customer account: ``Customer.active`` False is reported as unsupported
(:func:`unsupported_fields`), never written.
"""

from __future__ import annotations

import secrets
from collections.abc import Mapping
from typing import Any

from passerelle.connectors.base import CustomerWrite
from passerelle.connectors.errors import RecordError
from passerelle.connectors.kit.fields import FieldTable, read_fields, text, value
from passerelle.connectors.woocommerce.translate_orders import address_from_wire
from passerelle.connectors.woocommerce.translate_values import parse_datetime
from passerelle.model import Customer, ShopCustomer

__all__ = [
    "ACCOUNT_META_KEY",
    "COMPANY_ID_META_KEY",
    "CREDIT_LIMIT_META_KEY",
    "CUSTOMER_FIELD_GROUPS",
    "GROUP_META_KEY",
    "NOTES_META_KEY",
    "PAYMENT_TERM_META_KEY",
    "customer_payload",
    "shop_customer_from_wire",
    "unsupported_fields",
]

ACCOUNT_META_KEY = "passerelle_account_code"
GROUP_META_KEY = "passerelle_customer_group"
NOTES_META_KEY = "passerelle_notes"
COMPANY_ID_META_KEY = "passerelle_company_id"
CREDIT_LIMIT_META_KEY = "passerelle_credit_limit"
PAYMENT_TERM_META_KEY = "passerelle_payment_term"
NEWSLETTER_META_KEY = "passerelle_newsletter"
OPT_IN_META_KEY = "passerelle_opt_in"

# ``CustomerWrite.fields`` names these groups of Customer fields (K5).
CUSTOMER_FIELD_GROUPS = ("email", "names", "group", "addresses", "notes", "b2b")


def _yes(flag: bool) -> str:
    return "yes" if flag else "no"


def _wanted(fields: frozenset[str] | None, name: str) -> bool:
    return fields is None or name in fields


def _address_block(
    customer: Customer, *, names: bool, address: bool, email: bool
) -> dict[str, Any]:
    block: dict[str, Any] = {}
    if names:
        block.update(
            first_name=customer.first_name, last_name=customer.last_name, company=customer.company
        )
    if address:
        found = customer.addresses[0] if customer.addresses else None
        block["phone"] = customer.phone
        if found is not None:
            block.update(
                address_1=found.street,
                address_2=found.street2,
                postcode=found.postal_code,
                city=found.city,
                country=found.country_code,
                state=found.subdivision,
            )
    if email:
        block["email"] = customer.email
    return block


def customer_payload(write: CustomerWrite, create: bool) -> dict[str, Any]:
    """The body for one customer account: everything on creation, ``fields`` on update.

    The account code (K8) is written every time: it is passerelle's own data,
    never edited by hand in the shop.
    """
    customer = write.customer
    fields = None if create else write.fields
    body: dict[str, Any] = {}
    names = _wanted(fields, "names")
    addresses = _wanted(fields, "addresses")
    email = _wanted(fields, "email")
    if email and (create or customer.email):
        body["email"] = customer.email
    if names:
        body["first_name"] = customer.first_name
        body["last_name"] = customer.last_name
    billing = _address_block(customer, names=names, address=addresses, email=email)
    if billing:
        body["billing"] = billing
    shipping = _address_block(customer, names=names, address=addresses, email=False)
    if shipping:
        body["shipping"] = shipping
    meta: list[dict[str, Any]] = [{"key": ACCOUNT_META_KEY, "value": customer.code}]
    if _wanted(fields, "group"):
        meta.append({"key": GROUP_META_KEY, "value": customer.group})
    if _wanted(fields, "notes"):
        meta.append({"key": NOTES_META_KEY, "value": customer.notes})
    if _wanted(fields, "b2b"):
        limit = customer.credit_limit
        meta += [
            {"key": COMPANY_ID_META_KEY, "value": customer.tax_identifier},
            {"key": CREDIT_LIMIT_META_KEY, "value": "" if limit is None else format(limit, "f")},
            {"key": PAYMENT_TERM_META_KEY, "value": customer.payment_term},
        ]
    if create:
        options = write.new_account
        meta += [
            {"key": NEWSLETTER_META_KEY, "value": _yes(options.newsletter)},
            {"key": OPT_IN_META_KEY, "value": _yes(options.opt_in)},
        ]
        if not options.generate_password:
            body["password"] = secrets.token_urlsafe(24)
    body["meta_data"] = meta
    return body


# The account's fields copied as they are; its address is an order's billing address.
_SHOP_CUSTOMER: FieldTable = {
    "email": text("email"),
    "first_name": text("first_name"),
    "last_name": text("last_name"),
    "company": text("billing.company"),
    "phone": text("billing.phone"),
    "created_at": value("date_created_gmt", parse_datetime),
    "has_orders": value("is_paying_customer", bool),
}


def shop_customer_from_wire(raw: Mapping[str, Any]) -> ShopCustomer:
    """K4: a ``GET /customers`` row as a ShopCustomer (billing address when filled); a
    malformed field is this customer's error, naming the field."""
    shop_id = str(raw.get("id"))
    billing = raw.get("billing") or {}
    filled = billing.get("address_1") or billing.get("city")
    try:
        fields = read_fields(_SHOP_CUSTOMER, raw)
    except RecordError as exc:
        exc.record_id = exc.record_id or shop_id
        raise
    return ShopCustomer(
        **fields,
        shop_id=shop_id,
        address=address_from_wire(billing) if filled else None,
    )


def unsupported_fields(write: CustomerWrite) -> tuple[str, ...]:
    """What the write asks for that WooCommerce core cannot hold (``Customer`` names).

    A disabled account (K3): core has no such field (``_customers.md``), so a
    customer to disable is reported, and an active one asks nothing."""
    return () if write.customer.active else ("active",)
