"""A canonical ``Customer`` as the fields of a PrestaShop ``customer`` and ``address``; no I/O.

``Customer::$definition`` (``classes/Customer.php``; devdocs
``webservice/resources/customers``): ``firstname`` and ``lastname``
(isCustomerName, 255), ``email`` (isEmail, 255), ``company``, ``siret`` (the
company number, isGenericName), ``outstanding_allow_amount`` (the credit
allowed, isFloat), ``active``, ``note``
(isCleanHtml, 65,000: private, shown to employees only), ``newsletter``,
``optin``, ``id_default_group`` and the ``groups`` association. The phone and
the postal address are ``addresses`` records of the customer
(``Address::$definition``: ``phone``, ``address1``, ``postcode``, ``city``…).

The ``note`` holds the back-office account code on its first line (``Compte
ERP : C0001``) above the merchant's notes. PrestaShop has no payment terms
(``max_payment_days`` is a credit control: how late an invoice may be paid
before the account is blocked, not the term the back-office invoices with),
and no phone without an address: :func:`unsupported` names them.
"""

from __future__ import annotations

import re
from typing import Any

from passerelle.connectors.prestashop.translate_values import with_line
from passerelle.i18n.messages import M_, Message, Text
from passerelle.model import Address, Customer

__all__ = ["ACCOUNT", "address_fields", "customer_fields", "name_fault", "notes_of", "unsupported"]

ACCOUNT = "Compte ERP"
# What PrestaShop refuses in a customer's first or last name (Validate::isCustomerName).
NAME_REFUSED = frozenset('0123456789!<>,;?=+()/\\@#"°*`{}_^$%:¤[]|')


def _wanted(fields: frozenset[str] | None, group: str) -> bool:
    return fields is None or group in fields


def notes_of(note: str) -> str:
    """The merchant's notes of a ``note``: what follows the account code line."""
    return with_line(note, ACCOUNT, "")


def customer_fields(
    c: Customer, fields: frozenset[str] | None, current_note: str, group_id: str | None
) -> dict[str, Any]:
    """The customer fields of the K5 groups asked for (all when ``fields`` is None); the
    account code and the enabled state every time (passerelle's own data)."""
    notes = c.notes if _wanted(fields, "notes") else notes_of(current_note)
    values: dict[str, Any] = {
        "active": "1" if c.active else "0",
        "note": with_line(notes, ACCOUNT, c.code),
    }
    if _wanted(fields, "email"):
        values["email"] = c.email
    if _wanted(fields, "names"):
        values.update(
            firstname=c.first_name or c.name, lastname=c.last_name or c.name, company=c.company
        )
    if group_id and _wanted(fields, "group"):
        values["id_default_group"] = group_id
        values["associations"] = {"groups": [{"id": group_id}]}
    if _wanted(fields, "b2b"):
        values.update(
            siret=c.tax_identifier,
            outstanding_allow_amount=(f"{c.credit_limit:f}" if c.credit_limit is not None else "0"),
        )
    return values


def name_fault(c: Customer, fields: frozenset[str] | None) -> Message | None:
    """Why PrestaShop would refuse the names written, in the merchant's words; None when
    it takes them. Names are checked before sending, so the message says what to fix."""
    if not _wanted(fields, "names"):
        return None
    for label, value in (
        (M_("the first name"), c.first_name or c.name),
        (M_("the last name"), c.last_name or c.name),
    ):
        characters = "".join(sorted({ch for ch in value if ch in NAME_REFUSED}))
        refused: list[Text] = [" ".join(characters)] if characters else []
        if re.search(r"\.\S", value):  # a dot must end the name or be followed by a space
            refused.append(M_("a dot inside a word"))
        if refused:
            return M_(
                "%(name)s %(value)s holds %(refused)s, which PrestaShop does not accept in a "
                "person's name (no digits nor symbols): correct it in the back-office",
                name=label,
                value=repr(value),
                refused=refused,
            )
    return None


def address_fields(
    a: Address, c: Customer, customer_id: str, country_id: str, alias: str
) -> dict[str, Any]:
    """An ``addresses`` record of the customer; the customer's phone on it when the
    address has none."""
    return {
        "id_customer": customer_id,
        "id_country": country_id,
        "alias": alias,
        "company": a.company or c.company,
        "firstname": a.first_name or c.first_name or c.name,
        "lastname": a.last_name or c.last_name or c.name,
        "address1": a.street,
        "address2": a.street2,
        "postcode": a.postal_code,
        "city": a.city,
        "phone": a.phone or c.phone,
    }


def unsupported(c: Customer, fields: frozenset[str] | None) -> tuple[str, ...]:
    """Customer fields asked for, holding a value, that PrestaShop cannot hold."""
    out = []
    if _wanted(fields, "b2b") and c.payment_term:
        out.append("payment_term")
    if _wanted(fields, "addresses") and c.phone and not any(not a.is_empty() for a in c.addresses):
        out.append("phone")
    return tuple(out)
