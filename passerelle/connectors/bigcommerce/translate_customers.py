"""Customer accounts (v3) as payloads and back, with the account code; no I/O.

K8: the back-office account code goes on the first line of the customer's
``notes`` — in ``reference/customers.v3.yml`` the store-owner notes, the
field the control panel shows on the customer's page — as ``Account code:
<code>``; the back-office notes follow it. Customer attributes would need an
attribute defined in the store first and are not shown on the customer's
page, so a merchant would not see the code there.

K1: a back-office customer group is a BigCommerce customer group
(``/v2/customer_groups``, ``reference/customers.v2.yml``: ``name`` required to
create; groups are listed, not filtered, so the store's groups are read once
and matched by name before any is created) and a customer's group is its
``customer_group_id``. Groups are only on some BigCommerce plans: a customer
whose group could not be made is written without it.
"""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any

from passerelle.connectors.base import CustomerWrite
from passerelle.connectors.errors import RecordError
from passerelle.connectors.kit.fields import FieldTable, as_sent, read_fields, required, value
from passerelle.model import Address, Customer, ShopCustomer

__all__ = [
    "BATCH",
    "account_code_of",
    "addresses_of",
    "customer_payload",
    "shop_customer",
]

BATCH = 10
ADDRESSES_MAX = 10
_CODE_LINE = "Account code: {code}"
_CODE = re.compile(r"^Account code: (.*)$", re.MULTILINE)


def account_code_of(notes: str) -> str:
    found = _CODE.search(notes or "")
    return found.group(1).strip() if found else ""


def _notes(code: str, notes: str) -> str:
    lines = [_CODE_LINE.format(code=code)] if code else []
    return "\n".join(lines + ([notes] if notes else []))


def customer_payload(
    write: CustomerWrite, create: bool, group_ids: dict[str, int] | None = None
) -> dict[str, Any]:
    """The v3 customer body; ``group_ids`` (by lower-case name) when a group is written."""
    c = write.customer
    groups = write.fields
    body: dict[str, Any] = {}
    if group_ids is not None and (groups is None or "group" in groups):
        group_id = group_ids.get(c.group.strip().casefold()) if c.group else 0
        if group_id is not None and (group_id or not create):
            body["customer_group_id"] = group_id
    if groups is None or "email" in groups:
        body["email"] = c.email
    if groups is None or "names" in groups:
        body.update(
            first_name=c.first_name or c.name,
            last_name=c.last_name or c.name,
            company=c.company,
            phone=c.phone,
        )
    if groups is None or "notes" in groups or create:
        body["notes"] = _notes(c.code, c.notes)
    if create:
        body["email"] = c.email
        body.setdefault("first_name", c.first_name or c.name)
        body.setdefault("last_name", c.last_name or c.name)
        body["authentication"] = {"force_password_reset": True}
        body["addresses"] = addresses_of(c)
    return body


def addresses_of(c: Customer) -> list[dict[str, Any]]:
    """Every address BigCommerce can take (street, city and country given), at most the 10
    a customer holds (``customer_Post.addresses`` ``maxItems: 10``)."""
    return [_address(a, c) for a in c.addresses if a.street and a.city and a.country_code][
        :ADDRESSES_MAX
    ]


def _address(address: Address, c: Any) -> dict[str, Any]:
    return {
        "first_name": address.first_name or c.first_name or c.name,
        "last_name": address.last_name or c.last_name or c.name,
        "company": address.company,
        "address1": address.street,
        "address2": address.street2,
        "city": address.city,
        "state_or_province": address.subdivision,
        "postal_code": address.postal_code,
        "country_code": address.country_code,
        "phone": address.phone,
    }


def _created(sent: Any) -> datetime | None:
    return datetime.fromisoformat(sent) if sent else None


# The account's fields, and its first address's, copied as they are.
_ADDRESS: FieldTable = {
    "first_name": as_sent("first_name"),
    "last_name": as_sent("last_name"),
    "company": as_sent("company"),
    "street": as_sent("address1"),
    "street2": as_sent("address2"),
    "postal_code": as_sent("postal_code"),
    "city": as_sent("city"),
    "country_code": as_sent("country_code"),
    "subdivision": as_sent("state_or_province"),
    "phone": as_sent("phone"),
}
_SHOP_CUSTOMER: FieldTable = {
    "shop_id": required("id", str),
    "email": as_sent("email"),
    "first_name": as_sent("first_name"),
    "last_name": as_sent("last_name"),
    "company": as_sent("company"),
    "phone": as_sent("phone"),
    "created_at": value("date_created", _created),
}


def shop_customer(raw: dict[str, Any]) -> ShopCustomer:
    """A v3 customer (read with its addresses) as a ShopCustomer, its first address the
    one kept; a malformed field is this customer's error, naming the field."""
    addresses = raw.get("addresses") or []
    try:
        fields = read_fields(_SHOP_CUSTOMER, raw)
        address = Address(**read_fields(_ADDRESS, addresses[0])) if addresses else None
    except RecordError as exc:
        exc.record_id = exc.record_id or str(raw.get("id"))
        raise
    return ShopCustomer(**fields, address=address)
