"""K1, K3, K5: what a back-office customer becomes in the shop, as pure rules.

Kept apart from the flow (which reads, sends and binds) so each rule is
tested without a shop: which fields an update writes, what the content hash
covers, what shop account a contact gets.
"""

from __future__ import annotations

import re
from dataclasses import asdict, replace
from typing import Any

from passerelle.i18n import N_
from passerelle.i18n.messages import M_, Message
from passerelle.model import Contact, Customer
from passerelle.profiles.catalogue_options import CustomerOptions
from passerelle.store import content_hash

__all__ = [
    "ALWAYS_WRITTEN",
    "POLICY_FIELDS",
    "contact_account",
    "contact_key",
    "customer_hash",
    "shop_state",
    "unsupported_words",
    "update_groups",
    "valid_email",
    "written_fields",
]

_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")

# K5 policy groups → the ``Customer`` fields they cover. ``CustomerWrite.fields``
# names the groups; the connector maps each group to its own wire fields.
POLICY_FIELDS: dict[str, tuple[str, ...]] = {
    "email": ("email",),
    "names": ("name", "first_name", "last_name", "company"),
    "group": ("group",),
    "addresses": ("addresses", "phone"),
    "notes": ("notes",),
    "b2b": ("tax_identifier", "credit_limit", "payment_term"),
}
# Written on every update whatever the policy: the account code is what ties
# the shop account to its back-office account (K8, and K7 matches orders on
# it), and the enabled/disabled state follows the back-office (K3). Neither
# is data a merchant edits in the shop.
ALWAYS_WRITTEN: tuple[str, ...] = ("code", "active")

# Default policy per group: the e-mail is the customer's shop login, which is
# theirs to change (K5: "e-mail off by default"); everything else follows the
# back-office.
_DEFAULT_POLICY = {"email": "keep"}


def valid_email(value: str) -> bool:
    return bool(_EMAIL.match(value or ""))


def update_groups(options: CustomerOptions) -> frozenset[str]:
    """The K5 groups an update writes (``CustomerWrite.fields``): those whose policy is
    "overwrite". The account code and the enabled state are written whatever they say."""
    policy: dict[str, str] = dict(_DEFAULT_POLICY)
    policy.update(options.update_policy.items())
    return frozenset(g for g in POLICY_FIELDS if policy.get(g, "overwrite") == "overwrite")


def written_fields(groups: frozenset[str]) -> frozenset[str]:
    """The ``Customer`` fields an update of these groups writes."""
    return frozenset(ALWAYS_WRITTEN).union(*(POLICY_FIELDS[g] for g in groups))


def customer_hash(customer: Customer, groups: frozenset[str]) -> str:
    """The hash of what an update of ``customer`` writes, and of nothing else.

    A creation writes every field, but the binding keeps this hash: the
    shop has then received these values. Later, a back-office change to a
    field whose policy is "keep" (the e-mail by default) must not count as
    a change — an update would not write it, so sending one would cost a
    request for nothing (and, with K2, for every such customer). Fields the
    shop never receives (receivable account, customer category, sales
    representative, the contacts list, dates, the e-mail copied into each
    address) are left out for the same reason. Changing the policy changes
    the field set, hence every hash: the flow's settings hash changes too,
    so every customer is compared again and the newly overwritten fields
    reach the shop on the next run.
    """
    data: dict[str, Any] = asdict(customer)
    # An address carries the customer's e-mail too (back-offices fill it in),
    # but a shop writes the e-mail under the "email" policy only.
    data["addresses"] = [{**address, "email": ""} for address in data["addresses"]]
    return content_hash({name: data[name] for name in sorted(written_fields(groups))})


def contact_key(customer: Customer, contact: Contact) -> str:
    """The binding key of a contact's shop account: stable while its e-mail is."""
    return f"{customer.source_id}#contact:{contact.email.strip().lower()}"


def contact_account(customer: Customer, contact: Contact) -> Customer:
    """K1: a contact as a shop account of its own, on its customer's account.

    Same account code, group, company, addresses and B2B data as the
    customer (orders it places belong to that account); its own name, e-mail
    and phone. Notes stay on the customer's own account.
    """
    return replace(
        customer,
        source_id=contact_key(customer, contact),
        name=contact.name or customer.name,
        email=contact.email.strip(),
        first_name=contact.first_name,
        last_name=contact.last_name,
        company=customer.company or customer.name,
        phone=contact.phone or customer.phone,
        notes="",
        contacts=(),
    )


def shop_state(customer: Customer, options: CustomerOptions) -> Customer:
    """K3: the enabled state the shop account takes (dormant → disabled when asked)."""
    active = customer.active or not options.disable_inactive
    return customer if active == customer.active else replace(customer, active=active)


# What a customer field the shop cannot hold means for the merchant (see
# ``WriteOutcome.unsupported``); the journal adds "is not supported on this platform".
_FIELD_WORDS: dict[str, str] = {
    "code": N_("the back-office account code on the shop account"),
    "group": N_("the customer group"),
    "notes": N_("the customer's notes"),
    "credit_limit": N_("the credit limit"),
    "payment_term": N_("the payment term"),
    "tax_identifier": N_("the company or VAT number"),
    "addresses": N_("the addresses"),
    "phone": N_("the phone number"),
    "company": N_("the company name"),
}


def unsupported_words(customer: Customer, name: str) -> Message:
    """Merchant words for a ``Customer`` field the platform cannot hold (K3, K5, K8)."""
    if name == "active":
        if customer.active:
            return M_("account active in the back-office — enabling an account")
        return M_("account disabled in the back-office — disabling an account")
    if name in _FIELD_WORDS:
        return Message(_FIELD_WORDS[name])
    return M_("the %(field)s", field=name.replace("_", " "))
