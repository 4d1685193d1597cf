"""Wix contacts: the site's customers (Contacts V4).

Docs (dev.wix.com/docs/rest/crm/members-contacts/contacts/contacts/contact-v4):
- Query Contacts, ``POST /contacts/v4/contacts/query``, offset ``paging`` (up to 1,000 a
  page; ``createdDate`` ascending by default), filters on ``primaryInfo.email`` ($eq,
  $in) and ``createdDate`` ($gt…)
  (dev.wix.com/docs/rest/crm/members-contacts/contacts/contacts/contact-v4/query-contacts);
- Create Contact, ``POST /contacts/v4/contacts`` ``{info, allowDuplicates}``: with
  ``allowDuplicates`` false a contact whose e-mail exists is refused (409), so a lost
  answer never makes a second contact;
- Get Contact, ``GET /contacts/v4/contacts/{id}``, and Update Contact,
  ``PATCH /contacts/v4/contacts/{id}`` ``{revision, info}`` (the current revision);
- ``info``: ``name {first, last}``, ``company``, ``emails.items [{tag, email}]``,
  ``phones.items [{tag, phone}]``, ``addresses.items [{tag, address {addressLine,
  addressLine2, city, postalCode, country, subdivision}}]``.

Contacts have no customer groups (labels are free tags): a group is answered by its
name, as the ``Shop`` protocol allows.

The back-office account code goes in a custom field, ``Account code``, found or created
once per connection ("Find Or Create Extended Field", ``POST /contacts/v4/extended-fields``
``{displayName, dataType: TEXT}`` answering the field's ``key``; a contact holds its value
in ``info.extendedFields.items[key]``,
dev.wix.com/docs/api-reference/crm/members-contacts/contacts/extended-fields).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from datetime import UTC, datetime
from typing import Any

from passerelle.connectors.base import CustomerWrite, GroupWrite, WriteOutcome
from passerelle.connectors.errors import ConnectorError, NotFoundError
from passerelle.connectors.paths import segment
from passerelle.connectors.wix.client import WixClient, chunks
from passerelle.connectors.wix.translate_orders import parse_time
from passerelle.connectors.wix.unsupported import customer_unsupported
from passerelle.i18n.messages import M_, said
from passerelle.model import Address, Customer, ShopCustomer

__all__ = ["ACCOUNT_CODE", "Contacts", "contact_info", "shop_customer"]

ACCOUNT_CODE = "Account code"  # the custom field's display name in the dashboard
CONTACT_PAGE = 1000
_FILTER_CHUNK = 100


def contact_info(customer: Customer, code_key: str = "") -> dict[str, Any]:
    """A customer as a contact's ``info``; its account code under the custom field
    ``code_key`` when given."""
    info: dict[str, Any] = {
        "name": {"first": customer.first_name, "last": customer.last_name or customer.name}
    }
    if customer.email:
        info["emails"] = {"items": [{"tag": "MAIN", "email": customer.email}]}
    if customer.phone:
        info["phones"] = {"items": [{"tag": "MAIN", "phone": customer.phone}]}
    if customer.company:
        info["company"] = customer.company
    if customer.addresses:
        info["addresses"] = {"items": [_address(a) for a in customer.addresses]}
    if code_key and customer.code:
        info["extendedFields"] = {"items": {code_key: customer.code}}
    return info


def _address(address: Address) -> dict[str, Any]:
    return {
        "tag": "BILLING",
        "address": {
            "addressLine": address.street,
            "addressLine2": address.street2,
            "city": address.city,
            "postalCode": address.postal_code,
            "country": address.country_code,
            "subdivision": address.subdivision,
        },
    }


def shop_customer(raw: dict[str, Any]) -> ShopCustomer:
    info = raw.get("info") or {}
    name = info.get("name") or {}
    phones = (info.get("phones") or {}).get("items") or []
    return ShopCustomer(
        shop_id=str(raw["id"]),
        email=str((raw.get("primaryInfo") or {}).get("email") or ""),
        first_name=str(name.get("first") or ""),
        last_name=str(name.get("last") or ""),
        company=str(info.get("company") or ""),
        phone=str(phones[0].get("phone") or "") if phones else "",
        created_at=parse_time(raw["createdDate"]) if raw.get("createdDate") else None,
    )


class Contacts:
    """Finds, lists and writes contacts."""

    def __init__(self, client: WixClient) -> None:
        self.client = client
        self._code_key: str | None = None

    def code_key(self) -> str:
        """The key of the ``Account code`` custom field, found or created once."""
        if self._code_key is None:
            answer = self.client.post(
                "contacts/v4/extended-fields",
                {"displayName": ACCOUNT_CODE, "dataType": "TEXT"},
                M_("the contacts' account code field"),
            )
            self._code_key = str(((answer or {}).get("field") or {}).get("key") or "")
        return self._code_key

    def _query(self, filter_: dict[str, Any] | None, what: Any) -> Iterator[dict[str, Any]]:
        return self.client.iter_offset(
            "contacts/v4/contacts/query",
            "contacts",
            filter_=filter_,
            size=CONTACT_PAGE,
            as_strings=False,
            what=what,
        )

    def find_by_email(self, emails: Iterable[str]) -> dict[str, str]:
        wanted = sorted({e.lower() for e in emails if e})
        found: dict[str, str] = {}
        for chunk in chunks(wanted, _FILTER_CHUNK):
            for raw in self._query(
                {"primaryInfo.email": {"$in": list(chunk)}}, M_("customers by e-mail")
            ):
                email = str((raw.get("primaryInfo") or {}).get("email") or "").lower()
                found[email] = str(raw["id"])
        return found

    def iter_customers(self, created_after: datetime | None) -> Iterator[ShopCustomer]:
        filter_ = (
            {"createdDate": {"$gt": created_after.astimezone(UTC).isoformat()}}
            if created_after
            else None
        )
        for raw in self._query(filter_, M_("the customers")):
            yield shop_customer(raw)

    def write(self, writes: Sequence[CustomerWrite]) -> list[WriteOutcome]:
        """One request per new contact, two per update (its revision, then the change)."""
        return [self._write_one(w) for w in writes]

    def _write_one(self, write: CustomerWrite) -> WriteOutcome:
        what = M_("the customer %(email)s", email=write.customer.email or write.key)
        try:
            info = contact_info(write.customer, self.code_key() if write.customer.code else "")
            if write.shop_id is None:
                made = self.client.post(
                    "contacts/v4/contacts",
                    {"info": info, "allowDuplicates": False},
                    what,
                    creates=True,
                )
                return WriteOutcome(
                    write.key,
                    str((made or {})["contact"]["id"]),
                    created=True,
                    unsupported=customer_unsupported(write),
                )
            path = f"contacts/v4/contacts/{segment(write.shop_id)}"
            current = (self.client.get(path, what) or {}).get("contact") or {}
            self.client.patch(path, {"revision": current.get("revision"), "info": info}, what)
            return WriteOutcome(write.key, write.shop_id, unsupported=customer_unsupported(write))
        except NotFoundError:
            return WriteOutcome(write.key, write.shop_id, gone=True)
        except ConnectorError as exc:
            return WriteOutcome(write.key, error=said(exc))
        except (KeyError, TypeError):
            return WriteOutcome(write.key, error=M_("Wix answered without the contact's id"))

    @staticmethod
    def write_groups(writes: Sequence[GroupWrite]) -> list[WriteOutcome]:
        return [WriteOutcome(w.key, w.group.name) for w in writes]
