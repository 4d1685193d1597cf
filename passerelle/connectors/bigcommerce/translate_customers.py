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


def shop_customer(raw: dict[str, Any]) -> ShopCustomer:
    created = raw.get("date_created")
    addresses = raw.get("addresses") or []
    address = None
    if addresses:
        a = addresses[0]
        address = Address(
            first_name=a.get("first_name", ""),
            last_name=a.get("last_name", ""),
            company=a.get("company", ""),
            street=a.get("address1", ""),
            street2=a.get("address2", ""),
            postal_code=a.get("postal_code", ""),
            city=a.get("city", ""),
            country_code=a.get("country_code", ""),
            subdivision=a.get("state_or_province", ""),
            phone=a.get("phone", ""),
        )
    return ShopCustomer(
        shop_id=str(raw["id"]),
        email=raw.get("email", ""),
        first_name=raw.get("first_name", ""),
        last_name=raw.get("last_name", ""),
        company=raw.get("company", ""),
        phone=raw.get("phone", ""),
        created_at=datetime.fromisoformat(created) if created else None,
        address=address,
    )
