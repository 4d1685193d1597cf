"""Customer accounts, their address and their group through the Webservice.

A customer needs ``passwd``, ``firstname``, ``lastname`` and ``email``; a
guest checkout is a customer with ``is_guest``. A new account gets the
profile's newsletter and opt-in (``customers.new_accounts``: ``newsletter``,
``optin``; PrestaShop dates the subscription itself, ``newsletter_date_add``);
an update leaves both as the customer set them in the shop. The back-office
group is the account's ``id_default_group`` and its only ``groups`` entry
(``Customer::setWsGroups`` replaces the list), the shop's "Client" group
(``PS_CUSTOMER_GROUP``) when it has none. Which field holds what, and
what PrestaShop cannot hold, is :mod:`.translate_customers`. Each address is an
``addresses`` record of the customer. PrestaShop refuses a second account
with the same e-mail (``Customer::addWs`` and ``updateWs``: 500, codes 140
and 141).
"""

from __future__ import annotations

import secrets
from collections.abc import Iterable, Iterator, Mapping, Sequence
from datetime import datetime
from functools import cached_property
from typing import Any

from passerelle.connectors.base import CustomerWrite, GroupWrite, WriteOutcome
from passerelle.connectors.errors import ConnectorError
from passerelle.connectors.kit.fields import FieldTable, read_fields, required, text, value
from passerelle.connectors.prestashop import endpoints as ep
from passerelle.connectors.prestashop.client import PrestaShopClient
from passerelle.connectors.prestashop.translate_customers import (
    ACCOUNT,
    address_fields,
    customer_fields,
    name_fault,
    unsupported,
)
from passerelle.connectors.prestashop.translate_values import parse_date
from passerelle.connectors.reading import raw_id, read_record
from passerelle.i18n.messages import M_
from passerelle.model import Customer, ShopCustomer

__all__ = ["ACCOUNT", "Customers", "shop_customer"]

# Customer::addWs and updateWs: the e-mail is another account's (500, codes 140, 141).
EMAIL_TAKEN = ("140", "141")
# PS_CUSTOMER_GROUP, "Client": the group of an account in no back-office group. Always
# sent: a POST without id_default_group stores 0 (saveEntityFromXml blanks what is left
# out), and the groups association replaces the account's groups (setWsGroups).
DEFAULT_GROUP = "3"


# A customer's fields, copied as they are (a date PrestaShop cannot hold reads as None).
_CREATED = value("date_add", parse_date)
_SHOP_CUSTOMER: FieldTable = {
    "shop_id": required("id", str),
    "email": text("email"),
    "first_name": text("firstname"),
    "last_name": text("lastname"),
    "company": text("company"),
}


def shop_customer(
    row: Mapping[str, Any], created_after: datetime | None = None
) -> ShopCustomer | None:
    """A ``customers`` row as a ShopCustomer, None when created at or before
    ``created_after`` (or at no known date); a row without its id is its error, naming
    the field."""
    created = _CREATED(row)
    if created_after is not None and (created is None or created <= created_after):
        return None
    fields = read_record(raw_id(row), lambda: read_fields(_SHOP_CUSTOMER, row))
    return ShopCustomer(**fields, created_at=created)


def _addresses_asked(w: CustomerWrite) -> bool:
    return w.fields is None or "addresses" in w.fields


class Customers:
    """Customer accounts and groups (a part of :class:`PrestaShopShop`)."""

    client: PrestaShopClient

    def find_customers_by_email(self, emails: Iterable[str]) -> dict[str, str]:
        rows = self.client.where_in(
            ep.CUSTOMERS,
            "email",
            (e.lower() for e in emails),
            {"filter[is_guest]": "[0]", "display": "[id,email]"},
            what=M_("the customers by e-mail"),
        )
        return {str(r["email"]).lower(): str(r["id"]) for r in rows}

    @cached_property
    def _countries(self) -> dict[str, str]:
        return {
            str(r["iso_code"]).upper(): str(r["id"])
            for r in self.client.iter_all(ep.COUNTRIES, {"display": "[id,iso_code]"})
        }

    @cached_property
    def _groups(self) -> dict[str, str]:
        return {
            str(r["name"]).casefold(): str(r["id"])
            for r in self.client.iter_all(ep.GROUPS, {"language": self.client.language})
        }

    def write_customer_groups(self, writes: Sequence[GroupWrite]) -> list[WriteOutcome]:
        def one(w: GroupWrite) -> WriteOutcome:
            found = self._groups.get(w.group.name.casefold())
            if found:
                return WriteOutcome(w.key, shop_id=found)
            made = self.client.create(
                ep.GROUPS,
                {
                    "name": w.group.name,
                    "reduction": "0",
                    "show_prices": "1",
                    "price_display_method": "0" if w.group.prices_include_tax else "1",
                },
                lang_fields=("name",),
                what=M_("customer group %(name)s", name=w.group.name),
            )
            self._groups[w.group.name.casefold()] = str(made["id"])
            return WriteOutcome(w.key, shop_id=str(made["id"]), created=True)

        return [self.client.run([w], one)[0] for w in writes]  # one at a time: same names

    def write_customers(self, writes: Sequence[CustomerWrite]) -> list[WriteOutcome]:
        """Accounts created or updated (:mod:`.translate_customers`), then their addresses:
        one read each for the accounts and the addresses to update."""
        current = self.client.by_ids(
            ep.CUSTOMERS, [w.shop_id for w in writes], what=M_("the customers to update")
        )
        held = self.client.where_in(
            ep.ADDRESSES,
            "id_customer",
            [w.shop_id for w in writes if w.shop_id and _addresses_asked(w)],
            {"filter[deleted]": "[0]", "sort": "[id_ASC]"},
            what=M_("the customers' addresses"),
        )
        groups = self._groups if any(w.customer.group for w in writes) else {}

        def one(w: CustomerWrite) -> WriteOutcome:
            c = w.customer
            fault = name_fault(c, None if w.shop_id is None else w.fields)
            if fault:
                return WriteOutcome(w.key, shop_id=w.shop_id, error=fault)
            # A customer out of every back-office group goes back to the shop's default
            # group (its group prices no longer apply); a group the shop lacks is left.
            group = groups.get(c.group.casefold()) if c.group else DEFAULT_GROUP
            if w.shop_id is None:
                options = w.new_account
                made = self.client.create(
                    ep.CUSTOMERS,
                    {
                        "passwd": secrets.token_urlsafe(18),
                        "id_lang": str(self.client.language),
                        "is_guest": "0",
                        "newsletter": "1" if options.newsletter else "0",
                        "optin": "1" if options.opt_in else "0",
                        "id_default_group": DEFAULT_GROUP,
                        "associations": {"groups": [{"id": DEFAULT_GROUP}]},
                        **customer_fields(c, None, "", group),
                    },
                    what=M_("customer %(email)s", email=c.email),
                )
                shop_id, created = str(made["id"]), True
            else:
                record = current.get(w.shop_id)
                if record is None:
                    return WriteOutcome(
                        w.key,
                        shop_id=w.shop_id,
                        gone=True,
                        error=M_("customer %(id)s no longer exists in the shop", id=w.shop_id),
                    )
                # passwd goes back as read: PrestaShop keeps a hash sent back unchanged
                # (Customer::setWsPasswd), and refuses a PUT without it.
                self.client.update(
                    ep.CUSTOMERS,
                    record,
                    customer_fields(c, w.fields, str(record.get("note") or ""), group),
                    what=M_("customer %(email)s", email=c.email),
                )
                shop_id, created = w.shop_id, False
            if created or _addresses_asked(w):
                self._write_addresses(
                    shop_id, c, [a for a in held if str(a["id_customer"]) == shop_id]
                )
            return WriteOutcome(
                w.key, shop_id=shop_id, created=created, unsupported=unsupported(c, w.fields)
            )

        def safe(w: CustomerWrite) -> WriteOutcome:
            try:
                return one(w)
            except ConnectorError as exc:
                if exc.code not in EMAIL_TAKEN:
                    raise
                return WriteOutcome(
                    w.key,
                    shop_id=w.shop_id,
                    error=M_(
                        "another account of the shop already has the e-mail %(email)s: "
                        "merge the two accounts in the shop, or correct the e-mail",
                        email=w.customer.email,
                    ),
                )

        return self.client.run(writes, safe)

    def _write_addresses(self, customer_id: str, c: Customer, held: list[dict[str, Any]]) -> None:
        """Each address of the customer on one of its ``addresses`` records, in order:
        those it has are updated, the others created."""
        for position, a in enumerate(x for x in c.addresses if not x.is_empty()):
            country = self._countries.get(
                (a.country_code or "FR").upper(), self._countries.get("FR", "8")
            )
            alias = "Adresse" if position == 0 else f"Adresse {position + 1}"
            values = address_fields(a, c, customer_id, country, alias)
            what = M_("the address of customer %(id)s", id=customer_id)
            if position < len(held):
                record = held[position]
                if any(
                    str(record.get(k) or "") != str(v) for k, v in values.items() if k != "alias"
                ):
                    self.client.update(
                        ep.ADDRESSES,
                        record,
                        {k: v for k, v in values.items() if k != "alias"},
                        what=what,
                    )
            else:
                self.client.create(ep.ADDRESSES, values, what=what)

    def iter_customers(self, *, created_after: datetime | None = None) -> Iterator[ShopCustomer]:
        params: dict[str, Any] = {"filter[is_guest]": "[0]", "sort": "[id_ASC]"}
        for row in self.client.iter_all(ep.CUSTOMERS, params):
            customer = shop_customer(row, created_after)
            if customer is not None:
                yield customer
