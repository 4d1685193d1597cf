"""Customers files → canonical customers, with their address and group.

Why so: a customer export (Sage "clients", EBP "fichier clients") is one line
per account, keyed by the account code, which becomes the customer's
``source_id``. The address columns make the customer's one address when any of
street, postal code or city is filled (an account without an address is still
a customer, e.g. one invoiced by e-mail). The group column names the price list
the customer buys at (:func:`customer_groups` derives those records); the
country is an ISO code, kept upper-case.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import replace
from typing import Any

from passerelle.connectors.files.columns import ColumnMap, Columns
from passerelle.connectors.files.records import Read, read_lines
from passerelle.connectors.files.tables import Row, Table
from passerelle.model import Address, Customer, CustomerGroup

__all__ = ["ADDRESS_FIELDS", "CUSTOMER_FIELDS", "customer_groups", "read_customers"]

#: Customer fields read as text (``code`` is the account, required).
CUSTOMER_FIELDS = (
    "name",
    "first_name",
    "last_name",
    "company",
    "email",
    "phone",
    "group",
    "tax_identifier",
    "notes",
    "payment_term",
    "category",
    "representative",
)
#: Fields of the customer's address.
ADDRESS_FIELDS = ("street", "street2", "postal_code", "city", "country_code", "subdivision")


def read_customers(tables: Sequence[Table], mapping: ColumnMap) -> Read[Customer]:
    """The customers of ``tables``; ``active`` is a yes/no column when mapped."""
    read: Read[Customer] = Read()
    built = read_lines(tables, mapping, _customer, read.problems)
    read.records = [customer for _line, customer in built]
    return read


def _customer(columns: Columns, row: Row, code: str) -> Customer:
    texts: dict[str, Any] = {n: columns.text(row, n) for n in CUSTOMER_FIELDS if columns.has(n)}
    place = {n: columns.text(row, n) for n in ADDRESS_FIELDS if columns.has(n)}
    place["country_code"] = place.get("country_code", "").upper()
    person = " ".join(p for p in (texts.get("first_name"), texts.get("last_name")) if p)
    texts["name"] = texts.get("name") or texts.get("company") or person or code
    address = Address(
        first_name=texts.get("first_name", ""),
        last_name=texts.get("last_name", ""),
        company=texts.get("company", ""),
        phone=texts.get("phone", ""),
        email=texts.get("email", ""),
        **place,
    )
    active = columns.boolean(row, "active")
    customer = Customer(
        source_id=code,
        name="",
        code=code,
        addresses=() if address.is_empty() else (address,),
        active=True if active is None else active,
    )
    return replace(customer, **texts)


def customer_groups(customers: Iterable[Customer]) -> list[CustomerGroup]:
    """The groups the customers name, once each (a group's id is its name)."""
    names = dict.fromkeys(c.group for c in customers if c.group)
    return [CustomerGroup(source_id=name, name=name) for name in names]
