"""Customer accounts, their address and their group through the Webservice.

A customer needs ``passwd``, ``firstname``, ``lastname`` and ``email``; a
guest checkout is a customer with ``is_guest``. The back-office account code
(K8) goes in its private ``note`` as a line ``Compte ERP : <code>``. An
address is an ``addresses`` record of the customer.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterable, Iterator, Sequence
from datetime import datetime
from functools import cached_property
from typing import Any

from passerelle.connectors.base import CustomerWrite, GroupWrite, WriteOutcome
from passerelle.connectors.prestashop.client import PrestaShopClient
from passerelle.connectors.prestashop.wire import parse_date, with_line
from passerelle.model import Address, ShopCustomer

__all__ = ["ACCOUNT", "Customers"]

ACCOUNT = "Compte ERP"


class Customers:
    """Customer accounts and groups (a part of :class:`PrestaShopShop`)."""

    client: PrestaShopClient

    def find_customers_by_email(self, emails: Iterable[str]) -> dict[str, str]:
        rows = self.client.where_in("customers", "email", (e.lower() for e in emails),
                                    {"filter[is_guest]": "[0]", "display": "[id,email]"},
                                    what="customers by e-mail")
        return {str(r["email"]).lower(): str(r["id"]) for r in rows}

    @cached_property
    def _countries(self) -> dict[str, str]:
        return {str(r["iso_code"]).upper(): str(r["id"]) for r in
                self.client.iter_all("countries", {"display": "[id,iso_code]"})}

    @cached_property
    def _groups(self) -> dict[str, str]:
        return {str(r["name"]).casefold(): str(r["id"]) for r in
                self.client.iter_all("groups", {"language": self.client.language})}

    def write_customer_groups(self, writes: Sequence[GroupWrite]) -> list[WriteOutcome]:
        def one(w: GroupWrite) -> WriteOutcome:
            found = self._groups.get(w.group.name.casefold())
            if found:
                return WriteOutcome(w.key, shop_id=found)
            made = self.client.create("groups", {
                "name": w.group.name, "reduction": "0", "show_prices": "1",
                "price_display_method": "0" if w.group.prices_include_tax else "1"},
                lang_fields=("name",), what=f"group {w.group.name}")
            self._groups[w.group.name.casefold()] = str(made["id"])
            return WriteOutcome(w.key, shop_id=str(made["id"]), created=True)
        return [self.client.run([w], one)[0] for w in writes]  # one at a time: same names

    def write_customers(self, writes: Sequence[CustomerWrite]) -> list[WriteOutcome]:
        current = self.client.by_ids("customers", [w.shop_id for w in writes],
                                     what="customers to update")
        groups = self._groups if any(w.customer.group for w in writes) else {}

        def one(w: CustomerWrite) -> WriteOutcome:
            c, fields = w.customer, w.fields
            values: dict[str, Any] = {"active": "1" if c.active else "0"}
            if fields is None or "email" in fields:
                values["email"] = c.email
            if fields is None or "names" in fields:
                values.update(firstname=c.first_name or c.name, lastname=c.last_name or c.name,
                              company=c.company)
            group = groups.get(c.group.casefold()) if c.group else None
            if group and (fields is None or "group" in fields):
                values["id_default_group"] = group
            if w.shop_id is None:
                made = self.client.create("customers", {
                    "passwd": secrets.token_urlsafe(18), "id_lang": str(self.client.language),
                    "is_guest": "0", "newsletter": "0", "optin": "0",
                    "id_default_group": group or "3", **values,
                    "note": with_line(c.notes, ACCOUNT, c.code),
                    "associations": {"groups": [{"id": group or "3"}]}},
                    what=f"customer {c.email}")
                if fields is None or "addresses" in fields:
                    for address in c.addresses[:1]:
                        self._add_address(str(made["id"]), address, c.first_name, c.last_name)
                return WriteOutcome(w.key, shop_id=str(made["id"]), created=True)
            record = current.get(w.shop_id)
            if record is None:
                return WriteOutcome(w.key, error=f"customer {w.shop_id} is no longer in the "
                                                 "shop")
            # passwd goes back as read: PrestaShop keeps a hash sent back unchanged
            # (Customer::setWsPasswd), and refuses a PUT without it.
            values["note"] = with_line(str(record.get("note") or ""), ACCOUNT, c.code)
            self.client.update("customers", record, values, what=f"customer {c.email}")
            return WriteOutcome(w.key, shop_id=w.shop_id)
        return self.client.run(writes, one)

    def _add_address(self, customer_id: str, a: Address, first: str, last: str) -> None:
        if a.is_empty():
            return
        country = self._countries.get((a.country_code or "FR").upper(),
                                      self._countries.get("FR", "8"))
        self.client.create("addresses", {
            "id_customer": customer_id, "id_country": country,
            "alias": "Adresse", "company": a.company, "firstname": a.first_name or first,
            "lastname": a.last_name or last, "address1": a.street, "address2": a.street2,
            "postcode": a.postal_code, "city": a.city, "phone": a.phone},
            what=f"address of customer {customer_id}")

    def iter_customers(self, *, created_after: datetime | None = None
                       ) -> Iterator[ShopCustomer]:
        params: dict[str, Any] = {"filter[is_guest]": "[0]", "sort": "[id_ASC]"}
        for row in self.client.iter_all("customers", params):
            created = parse_date(row.get("date_add"))
            if created_after is not None and (created is None or created <= created_after):
                continue
            yield ShopCustomer(shop_id=str(row["id"]), email=str(row.get("email") or ""),
                               first_name=str(row.get("firstname") or ""),
                               last_name=str(row.get("lastname") or ""),
                               company=str(row.get("company") or ""), created_at=created)
