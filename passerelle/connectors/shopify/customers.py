"""Shopify customers (https://shopify.dev/docs/api/admin-graphql/2026-01/objects/Customer).

Where each canonical field lands is :mod:`.translate_customers`; Shopify has no customer
group resource (K1): a group is a customer tag.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from datetime import datetime
from typing import Any

from passerelle.connectors.base import CustomerWrite, GroupWrite, WriteOutcome
from passerelle.connectors.errors import RecordError
from passerelle.connectors.kit.fields import FieldTable, as_sent, read_fields, required, value
from passerelle.connectors.shopify import endpoints as doc
from passerelle.connectors.shopify.client import ShopifyClient, gid, num, save
from passerelle.connectors.shopify.translate_customers import (
    NS,
    customer_input,
    merged_tags,
    writes_group,
)
from passerelle.i18n.messages import M_
from passerelle.model import ShopCustomer

__all__ = ["NS", "Customers", "shop_customer"]


def _created(sent: str) -> datetime:
    return datetime.fromisoformat(sent.replace("Z", "+00:00"))


# The account's fields, as the customers query asks for them (id and createdAt always).
_SHOP_CUSTOMER: FieldTable = {
    "shop_id": required("id", num),
    "email": as_sent("email"),
    "first_name": as_sent("firstName"),
    "last_name": as_sent("lastName"),
    "phone": as_sent("phone"),
    "created_at": required("createdAt", _created),
    "has_orders": value("numberOfOrders", lambda sent: int(sent or 0) > 0),
}


def shop_customer(raw: Mapping[str, Any]) -> ShopCustomer:
    """A ``customers`` node as a ShopCustomer; a malformed field is this customer's
    error, naming the field."""
    try:
        return ShopCustomer(**read_fields(_SHOP_CUSTOMER, raw))
    except RecordError as exc:
        exc.record_id = exc.record_id or num(raw.get("id")) or None
        raise


class Customers:
    """Finds, writes and lists customers."""

    def __init__(self, client: ShopifyClient) -> None:
        self.client = client

    def _pages(self, query: str | None = None) -> Iterator[dict[str, Any]]:
        return self.client.pages(
            doc.CUSTOMERS,
            "customers",
            cost=doc.CUSTOMERS_COST,
            what=M_("the customers"),
            variables={"query": query},
        )

    def find_by_email(self, emails: Iterable[str]) -> dict[str, str]:
        wanted = {e.lower() for e in emails if e}
        if not wanted:
            return {}
        query = " OR ".join(f"email:{e}" for e in sorted(wanted)) if len(wanted) <= 20 else None
        return {
            c["email"].lower(): num(c["id"])
            for c in self._pages(query)
            if (c.get("email") or "").lower() in wanted
        }

    def _tags(self, writes: Sequence[CustomerWrite]) -> dict[str, tuple[list[str], str | None]]:
        """The current tags and ``passerelle.group`` of the customers whose group an update
        writes, by shop id: one ``nodes`` read (2 points a customer, 250 at most a call)."""
        ids = sorted({str(w.shop_id) for w in writes if writes_group(w)})
        out: dict[str, tuple[list[str], str | None]] = {}
        for start in range(0, len(ids), 250):
            chunk = ids[start : start + 250]
            nodes = self.client.run(
                doc.CUSTOMER_TAGS,
                {"ids": [gid("Customer", n) for n in chunk]},
                cost=doc.customer_tags_cost(len(chunk)),
                what=M_("the customers"),
            )["nodes"]
            for node in nodes:
                if node:
                    group = node.get("group")
                    out[num(node["id"])] = (list(node["tags"]), group and group["value"])
        return out

    def write(self, writes: Sequence[CustomerWrite]) -> list[WriteOutcome]:
        """One ``customerCreate`` or ``customerUpdate`` each; an update of a customer
        deleted in the shop is *gone* (the flow creates the account again)."""
        out = []
        tags = self._tags(writes)
        for w in writes:
            data, unsupported = customer_input(w)
            if writes_group(w) and str(w.shop_id) in tags:
                current, previous = tags[str(w.shop_id)]
                data["tags"] = merged_tags(w.customer.group, current, previous)
            number, error = save(
                self.client,
                "customer",
                data,
                w.shop_id,
                what=M_("the customer %(customer)s", customer=w.customer.code or w.customer.email),
            )
            gone = bool(w.shop_id and error and "does not exist" in str(error))
            out.append(
                WriteOutcome(
                    key=w.key,
                    error=error,
                    shop_id=number or (w.shop_id if gone else None),
                    created=not w.shop_id and number is not None,
                    gone=gone,
                    unsupported=unsupported if number else (),
                )
            )
        return out

    @staticmethod
    def write_groups(writes: Sequence[GroupWrite]) -> list[WriteOutcome]:
        """K1: no customer group resource: a group is a customer tag, nothing to write."""
        return [
            WriteOutcome(key=w.key, shop_id=w.group.name, created=w.shop_id is None) for w in writes
        ]

    def iter(self, *, created_after: datetime | None = None) -> Iterator[ShopCustomer]:
        query = (
            f"created_at:>{created_after.strftime('%Y-%m-%dT%H:%M:%SZ')}" if created_after else None
        )
        for c in self._pages(query):
            yield shop_customer(c)
