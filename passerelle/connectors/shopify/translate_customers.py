"""A canonical customer as Shopify's ``CustomerInput``, and what Shopify cannot hold.

Where each field lands (objects/Customer, input-objects/CustomerInput,
MailingAddressInput, MetafieldInput, 2026-01):

- e-mail, first and last name, note: the customer's own fields;
- the group: a customer tag (Shopify has no customer groups; tags are what its
  segments and discounts select on), first in the list, and in the ``passerelle.group``
  metafield, which says which tag passerelle put there: ``CustomerInput.tags`` replaces the
  whole list (input-objects/CustomerInput), so an update gives the customer's current tags
  back (see :func:`merged_tags`), less the group written before, and the merchant's own
  tags (``VIP``, a segment's) stay;
- addresses: ``addresses`` (each with the company); the phone: ``phone``, which Shopify
  takes in international form only (+33…): a national number is put in that form from
  the first address's country, and when it cannot be, it is reported unsupported
  rather than refused;
- the account code, the company when there is no address to carry it, the company
  number, credit limit and payment term: metafields of the ``passerelle`` namespace
  (3–255 characters, no ``--``: a namespace of our own, neither Shopify's reserved
  ``shopify--`` nor another app's ``app--``), typed so the admin shows and validates them;
- a disabled account: Shopify cannot disable a customer (``state`` says whether the
  buyer activated an online account, which an app does not set), and an account has no
  contact persons of its own (B2B companies are a Shopify Plus feature): both reported
  unsupported.

``CustomerWrite.fields`` names the groups to write on an update (K5); a creation writes
everything. The account code is written each time.
"""

from __future__ import annotations

import re
from typing import Any

from passerelle.connectors.base import CustomerWrite
from passerelle.model import Address, Customer

__all__ = ["GROUP_KEY", "NS", "customer_input", "e164", "merged_tags", "writes_group"]

NS = "passerelle"  # the metafield namespace of what passerelle writes
GROUP_KEY = "group"  # the metafield naming the tag that is the customer's group
# Calling codes of the countries the demo and its users sell to; others must be written
# in international form in the back-office.
_CALLING = {
    "FR": "33",
    "BE": "32",
    "CH": "41",
    "LU": "352",
    "DE": "49",
    "IT": "39",
    "ES": "34",
    "PT": "351",
    "NL": "31",
    "GB": "44",
    "IE": "353",
    "AT": "43",
    "MC": "377",
    "US": "1",
    "CA": "1",
}


def e164(phone: str, country: str) -> str | None:
    """``phone`` in E.164 form (+33607080910); None when its country is unknown."""
    digits = re.sub(r"[\s.\-()/]", "", phone)
    if digits.startswith("00"):
        digits = "+" + digits[2:]
    if digits.startswith("+"):
        return digits if re.fullmatch(r"\+[1-9][0-9]{6,14}", digits) else None
    code = _CALLING.get(country.upper())
    if code is None or not digits.isdigit():
        return None
    return f"+{code}{digits.lstrip('0')}"


def _wanted(fields: frozenset[str] | None, name: str) -> bool:
    return fields is None or name in fields


def _address(a: Address, company: str) -> dict[str, Any]:
    return {
        "firstName": a.first_name or None,
        "lastName": a.last_name or None,
        "company": a.company or company or None,
        "address1": a.street or None,
        "address2": a.street2 or None,
        "city": a.city or None,
        "zip": a.postal_code or None,
        "countryCode": a.country_code or None,
        "provinceCode": a.subdivision or None,
        "phone": (e164(a.phone, a.country_code) if a.phone else None),
    }


def _metafield(key: str, value: str, kind: str = "single_line_text_field") -> dict[str, Any]:
    return {"namespace": NS, "key": key, "value": value, "type": kind}


def _b2b(c: Customer) -> list[dict[str, Any]]:
    out = [
        _metafield(key, value)
        for key, value in (("tax_identifier", c.tax_identifier), ("payment_term", c.payment_term))
        if value
    ]
    if c.credit_limit is not None:
        out.append(_metafield("credit_limit", format(c.credit_limit, "f"), "number_decimal"))
    return out


def customer_input(write: CustomerWrite) -> tuple[dict[str, Any], tuple[str, ...]]:
    """The ``CustomerInput`` (without id) and the canonical fields it could not hold."""
    c, fields = write.customer, None if write.shop_id is None else write.fields
    data: dict[str, Any] = {}
    unsupported: list[str] = [] if c.active else ["active"]
    metafields = [_metafield("account_code", c.code)] if c.code else []
    if _wanted(fields, "email"):
        data["email"] = c.email or None
    if _wanted(fields, "names"):
        data["firstName"] = c.first_name or None
        data["lastName"] = c.last_name or c.name or None
        if c.company and not c.addresses:
            metafields.append(_metafield("company", c.company))
        if c.contacts:  # persons with their own e-mail: Shopify accounts have none
            unsupported.append("contacts")
    if _wanted(fields, "addresses"):
        data["addresses"] = [_address(a, c.company) for a in c.addresses]
        if c.phone:
            country = c.addresses[0].country_code if c.addresses else ""
            data["phone"] = e164(c.phone, country)
            if data["phone"] is None:
                unsupported.append("phone")
    if _wanted(fields, "group"):
        data["tags"] = [c.group] if c.group else []
        if c.group:
            metafields.append(_metafield(GROUP_KEY, c.group))
    if _wanted(fields, "notes"):
        data["note"] = c.notes or None
    if _wanted(fields, "b2b"):
        metafields += _b2b(c)
    if metafields:
        data["metafields"] = metafields
    return data, tuple(unsupported)


def writes_group(write: CustomerWrite) -> bool:
    """An update that writes the group: the customer's current tags are read first."""
    return write.shop_id is not None and _wanted(write.fields, "group")


def merged_tags(group: str, current: list[str], previous: str | None) -> list[str]:
    """The customer's tags after its group is written: the group first, then the tags it
    had, less the group passerelle wrote before (``previous``, the ``passerelle.group``
    metafield). A customer written before that metafield existed has none: its tags are
    replaced, as they were then."""
    if previous is None:
        return [group] if group else []
    kept = [t for t in current if t not in (previous, group)]
    return [group, *kept] if group else kept
