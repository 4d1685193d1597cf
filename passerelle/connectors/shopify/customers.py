"""Shopify customers (https://shopify.dev/docs/api/admin-graphql/2026-01/objects/Customer).

A customer carries the back-office account code (K8) in the
``passerelle.account_code`` metafield and its group as a tag: Shopify has no
customer group resource (K1).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from datetime import datetime
from typing import Any

from passerelle.connectors.base import CustomerWrite, GroupWrite, WriteOutcome
from passerelle.connectors.shopify import documents as doc
from passerelle.connectors.shopify.client import ShopifyClient, num, save
from passerelle.model import Customer, ShopCustomer

__all__ = ["NS", "Customers"]

NS = "passerelle"  # the metafield namespace of what passerelle writes


def _input(c: Customer) -> dict[str, Any]:
    data: dict[str, Any] = {
        "email": c.email or None, "firstName": c.first_name or None,
        "lastName": c.last_name or c.name or None, "phone": None, "note": c.notes or None,
        "metafields": [{"namespace": NS, "key": "account_code", "value": c.code,
                        "type": "single_line_text_field"}] if c.code else []}
    if c.group:
        data["tags"] = [c.group]
    if c.addresses:
        a = c.addresses[0]
        data["addresses"] = [{"firstName": a.first_name or None, "lastName": a.last_name or None,
                              "company": a.company or None, "address1": a.street or None,
                              "address2": a.street2 or None, "city": a.city or None,
                              "zip": a.postal_code or None,
                              "countryCode": a.country_code or None}]
    return data


class Customers:
    """Finds, writes and lists customers."""

    def __init__(self, client: ShopifyClient) -> None:
        self.client = client

    def _pages(self, query: str | None = None) -> Iterator[dict[str, Any]]:
        return self.client.pages(doc.CUSTOMERS, "customers", cost=doc.CUSTOMERS_COST,
                                 what="the customers", variables={"query": query})

    def find_by_email(self, emails: Iterable[str]) -> dict[str, str]:
        wanted = {e.lower() for e in emails if e}
        if not wanted:
            return {}
        query = " OR ".join(f"email:{e}" for e in sorted(wanted)) if len(wanted) <= 20 else None
        return {c["email"].lower(): num(c["id"]) for c in self._pages(query)
                if (c.get("email") or "").lower() in wanted}

    def write(self, writes: Sequence[CustomerWrite]) -> list[WriteOutcome]:
        out = []
        for w in writes:
            number, error = save(self.client, "customer", _input(w.customer), w.shop_id,
                                 what=f"customer {w.customer.code or w.customer.email}")
            out.append(WriteOutcome(key=w.key, error=error, shop_id=number,
                                    created=not w.shop_id and number is not None))
        return out

    @staticmethod
    def write_groups(writes: Sequence[GroupWrite]) -> list[WriteOutcome]:
        """K1: no customer group resource: a group is a customer tag, nothing to write."""
        return [WriteOutcome(key=w.key, shop_id=w.group.name, created=w.shop_id is None)
                for w in writes]

    def iter(self, *, created_after: datetime | None = None) -> Iterator[ShopCustomer]:
        query = f"created_at:>{created_after.strftime('%Y-%m-%dT%H:%M:%SZ')}" \
            if created_after else None
        for c in self._pages(query):
            yield ShopCustomer(shop_id=num(c["id"]), email=c.get("email") or "",
                               first_name=c.get("firstName") or "",
                               last_name=c.get("lastName") or "", phone=c.get("phone") or "",
                               created_at=datetime.fromisoformat(
                                   c["createdAt"].replace("Z", "+00:00")),
                               has_orders=int(c.get("numberOfOrders") or 0) > 0)
