"""Customer accounts ↔ Magento bodies (``customer-data-customer-interface``), no I/O.

Docs (admin-schema-2.4.9.yaml): ``email``, ``firstname``, ``lastname``,
``group_id``, ``addresses``, ``custom_attributes``; an account's phone and
company live on its addresses only.

K8: the account code goes in the ``account_code`` customer attribute — a
text attribute the merchant adds and sees on the customer page and grid;
``taxvat`` is the buyer's VAT number, shown on invoices, and stays theirs.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from passerelle.connectors.base import CustomerWrite
from passerelle.connectors.errors import RecordError
from passerelle.connectors.kit.fields import FieldTable, read_fields, text, value
from passerelle.connectors.magento.translate_orders import address_from_wire
from passerelle.connectors.magento.translate_values import parse_datetime
from passerelle.model import Address, ShopCustomer

__all__ = ["ACCOUNT_ATTRIBUTE", "customer_from_wire", "customer_payload"]

# K8: the store's customer attribute holding the back-office account code.
ACCOUNT_ATTRIBUTE = "account_code"


def _address(address: Address, default: bool, phone: str, company: str) -> dict[str, Any]:
    """A customer address; the account's phone and company fill the address's when it
    has none (Magento keeps both on addresses only)."""
    out: dict[str, Any] = {
        "firstname": address.first_name or "-",
        "lastname": address.last_name or "-",
        "street": [s for s in (address.street, address.street2) if s] or ["-"],
        "city": address.city or "-",
        "postcode": address.postal_code,
        "country_id": address.country_code or "FR",
        "telephone": address.phone or phone or "-",
        "default_billing": default,
        "default_shipping": default,
    }
    if address.company or company:
        out["company"] = address.company or company
    if address.subdivision:
        out["region"] = {"region_code": address.subdivision, "region": address.subdivision}
    return out


def customer_payload(
    write: CustomerWrite, group_id: int | None, store_view: tuple[int, int] = (1, 1)
) -> dict[str, Any]:
    """``store_view``: (store view id, website id) the account belongs to."""
    customer = write.customer
    first = customer.first_name or customer.name.partition(" ")[0] or customer.name
    last = customer.last_name or customer.name.partition(" ")[2] or customer.name
    body: dict[str, Any] = {
        "email": customer.email,
        "firstname": first,
        "lastname": last,
        "website_id": store_view[1],
        "store_id": store_view[0],
        "custom_attributes": [{"attribute_code": ACCOUNT_ATTRIBUTE, "value": customer.code}],
    }
    if group_id is not None:
        body["group_id"] = group_id
    if customer.tax_identifier:
        body["taxvat"] = customer.tax_identifier
    if write.fields is None or "addresses" in write.fields:
        body["addresses"] = [
            _address(a, i == 0, customer.phone, customer.company)
            for i, a in enumerate(customer.addresses)
            if not a.is_empty()
        ]
    if write.shop_id is None:
        body["extension_attributes"] = {"is_subscribed": write.new_account.newsletter}
    return {"customer": body}


# The account's own fields, copied as they are; its phone and company are its
# billing address's (Magento keeps them on addresses only).
_SHOP_CUSTOMER: FieldTable = {
    "shop_id": value("id", str),
    "email": text("email"),
    "first_name": text("firstname"),
    "last_name": text("lastname"),
    "created_at": value("created_at", parse_datetime),
}


def customer_from_wire(data: Mapping[str, Any]) -> ShopCustomer:
    """A customer as a ShopCustomer, its default billing address (else its first) the
    one kept; a malformed field is this customer's error, naming the field."""
    addresses = data.get("addresses") or []
    billing = next(
        (a for a in addresses if a.get("default_billing")), addresses[0] if addresses else None
    )
    address = (
        address_from_wire(
            {**billing, "region_code": (billing.get("region") or {}).get("region_code")}
        )
        if billing
        else None
    )
    try:
        fields = read_fields(_SHOP_CUSTOMER, data)
    except RecordError as exc:
        exc.record_id = exc.record_id or str(data.get("id"))
        raise
    return ShopCustomer(
        **fields,
        company=address.company if address else "",
        phone=address.phone if address else "",
        address=address,
    )
