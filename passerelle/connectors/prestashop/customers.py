"""Customer accounts, their address and their group through the Webservice.

A PrestaShop customer (``customers``) needs ``passwd``, ``firstname``,
``lastname`` and ``email``; a guest checkout is a customer with ``is_guest``.
It has no free field besides its private ``note`` (shown to the merchant on
the customer page): the back-office account code (K8) is written there as a
line ``Compte ERP : <code>``, the rest of the note kept. Addresses are
``addresses`` records of the customer (country by ``id_country``).
"""

from __future__ import annotations

import re
import secrets
from collections.abc import Iterable, Iterator, Sequence
from datetime import datetime
from typing import Any

from passerelle.connectors.base import CustomerWrite, GroupWrite, WriteOutcome
from passerelle.connectors.prestashop.client import PrestaShopClient, writable
from passerelle.connectors.prestashop.wire import parse_date
from passerelle.model import Address, ShopCustomer

__all__ = ["ACCOUNT_LINE", "Customers", "with_account"]

ACCOUNT_LINE = "Compte ERP : {code}"
_ACCOUNT = re.compile(r"^Compte ERP\s*:.*$\n?", re.M)


def with_account(note: str, code: str) -> str:
    """The note with its account line replaced (first line), the merchant's text kept."""
    rest = _ACCOUNT.sub("", note or "").strip()
    line = ACCOUNT_LINE.format(code=code) if code else ""
    return "\n".join(p for p in (line, rest) if p)


class Customers:
    def __init__(self, client: PrestaShopClient) -> None:
        self.client = client
        self._countries: dict[str, str] | None = None
        self._groups: dict[str, str] | None = None

    def find_by_email(self, emails: Iterable[str]) -> dict[str, str]:
        rows = self.client.where_in("customers", "email", (e.lower() for e in emails),
                                    {"filter[is_guest]": "[0]", "display": "[id,email]"},
                                    what="customers by e-mail")
        return {str(r["email"]).lower(): str(r["id"]) for r in rows}

    def country_id(self, iso: str) -> str:
        if self._countries is None:
            self._countries = {str(r["iso_code"]).upper(): str(r["id"]) for r in
                               self.client.iter_all("countries", {"display": "[id,iso_code]"},
                                                    what="the countries")}
        return self._countries.get((iso or "FR").upper(), self._countries.get("FR", "8"))

    def group_ids(self) -> dict[str, str]:
        if self._groups is None:
            self._groups = {str(r["name"]).casefold(): str(r["id"]) for r in
                            self.client.iter_all("groups", {"language": self.client.language},
                                                 what="the groups")}
        return self._groups

    def write_groups(self, writes: Sequence[GroupWrite]) -> list[WriteOutcome]:
        groups = self.group_ids()

        def one(w: GroupWrite) -> WriteOutcome:
            found = groups.get(w.group.name.casefold())
            if found:
                return WriteOutcome(w.key, shop_id=found)
            made = self.client.create("groups", "group", {
                "name": w.group.name, "reduction": "0", "show_prices": "1",
                "price_display_method": "0" if w.group.prices_include_tax else "1"},
                lang_fields=("name",), what=f"group {w.group.name}")
            groups[w.group.name.casefold()] = str(made["id"])
            return WriteOutcome(w.key, shop_id=str(made["id"]), created=True)
        return [self.client.run([w], one)[0] for w in writes]  # one at a time: same names

    def write(self, writes: Sequence[CustomerWrite]) -> list[WriteOutcome]:
        current = self.client.by_ids("customers", [w.shop_id for w in writes if w.shop_id],
                                     what="customers to update")
        groups = self.group_ids() if any(w.customer.group for w in writes) else {}

        def one(w: CustomerWrite) -> WriteOutcome:
            c = w.customer
            fields = w.fields
            values: dict[str, Any] = {}
            if fields is None or "email" in fields:
                values["email"] = c.email
            if fields is None or "names" in fields:
                values.update(firstname=c.first_name or c.name, lastname=c.last_name or c.name,
                              company=c.company)
            values["active"] = "1" if c.active else "0"
            group = groups.get(c.group.casefold()) if c.group else None
            if group and (fields is None or "group" in fields):
                values["id_default_group"] = group
            if w.shop_id is None:
                body = {"passwd": secrets.token_urlsafe(18), "id_lang": str(
                    self.client.language), "is_guest": "0", "newsletter": "0", "optin": "0",
                        "id_default_group": group or "3", **values,
                        "note": with_account(c.notes, c.code),
                        "associations": {"groups": [{"id": group or "3"}]}}
                made = self.client.create("customers", "customer", body,
                                          what=f"customer {c.email}")
                shop_id = str(made["id"])
                if fields is None or "addresses" in fields:
                    for address in c.addresses[:1]:
                        self._add_address(shop_id, address, c.first_name, c.last_name)
                return WriteOutcome(w.key, shop_id=shop_id, created=True)
            record = current.get(w.shop_id)
            if record is None:
                return WriteOutcome(w.key, error=f"customer {w.shop_id} is no longer in the "
                                                 "shop")
            # passwd goes back as read: PrestaShop keeps a hash sent back unchanged
            # (Customer::setWsPasswd), and refuses a PUT without it.
            record = writable("customers", record)
            record.update(values)
            record["note"] = with_account(str(record.get("note") or ""), c.code)
            self.client.put("customers", "customer", record, what=f"customer {c.email}")
            return WriteOutcome(w.key, shop_id=w.shop_id)
        return self.client.run(writes, one)

    def _add_address(self, customer_id: str, a: Address, first: str, last: str) -> None:
        if a.is_empty():
            return
        self.client.create("addresses", "address", {
            "id_customer": customer_id, "id_country": self.country_id(a.country_code),
            "alias": "Adresse", "company": a.company, "firstname": a.first_name or first,
            "lastname": a.last_name or last, "address1": a.street, "address2": a.street2,
            "postcode": a.postal_code, "city": a.city, "phone": a.phone},
            what=f"address of customer {customer_id}")

    def iter_customers(self, created_after: datetime | None) -> Iterator[ShopCustomer]:
        params: dict[str, Any] = {"filter[is_guest]": "[0]", "sort": "[id_ASC]"}
        for row in self.client.iter_all("customers", params, what="the customers"):
            created = parse_date(row.get("date_add"))
            if created_after is not None and (created is None or created <= created_after):
                continue
            yield ShopCustomer(shop_id=str(row["id"]), email=str(row.get("email") or ""),
                               first_name=str(row.get("firstname") or ""),
                               last_name=str(row.get("lastname") or ""),
                               company=str(row.get("company") or ""), created_at=created)
