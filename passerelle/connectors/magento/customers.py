"""Customer accounts and customer groups (``customer-data-customer-interface``).

A group is found by its code (32 characters at most) in ``GET
/V1/customerGroups/search``, read once, and renamed in place when the back-office
renamed it; a customer by e-mail with an ``in``
search. A group the shop lacks is that customer's error, an update of an account
deleted in the shop (404) answers ``gone``, and what a core store cannot hold comes
back as ``unsupported`` (``unsupported.py``).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from datetime import datetime
from functools import partial
from typing import Any

from passerelle.connectors.base import CustomerWrite, GroupWrite, WriteOutcome
from passerelle.connectors.errors import NotFoundError, RecordError
from passerelle.connectors.magento.client import MagentoClient
from passerelle.connectors.magento.records import guard, in_chunks
from passerelle.connectors.magento.translate_customers import (
    ACCOUNT_ATTRIBUTE,
    customer_from_wire,
    customer_payload,
)
from passerelle.connectors.magento.translate_values import custom_attribute, stamp
from passerelle.connectors.magento.unsupported import customer_unsupported
from passerelle.connectors.paths import segment
from passerelle.i18n.messages import M_, said
from passerelle.model import ShopCustomer

__all__ = ["Customers"]


def _dropped(write: CustomerWrite, answer: Mapping[str, Any]) -> tuple[str, ...]:
    """The account code, when the saved customer does not carry it: the store has no
    ``account_code`` customer attribute, and Magento drops an attribute it does not
    define without a word (the merchant creates it under Stores > Attributes >
    Customer)."""
    if write.customer.code and custom_attribute(answer, ACCOUNT_ATTRIBUTE) is None:
        return ("code",)
    return ()


class Customers:
    def __init__(
        self, client: MagentoClient, store_view: Callable[[], tuple[int, int]] | None = None
    ) -> None:
        self.client = client
        self.store_view = store_view or (lambda: (1, 1))  # (store view id, website id)
        self._groups: dict[str, int] | None = None
        self._tax_classes: dict[int, int] = {}  # group id → its customer tax class

    def find_by_email(self, emails: Iterable[str]) -> dict[str, str]:
        found: dict[str, str] = {}
        for chunk in in_chunks(sorted({e.lower() for e in emails if e})):
            for customer in self.client.search(
                "customers/search",
                [[("email", ",".join(chunk), "in")]],
                what=M_("customers by e-mail"),
            ):
                found[str(customer["email"]).lower()] = str(customer["id"])
        return found

    def group_ids(self) -> dict[str, int]:
        """Group code → id, read once (``GET /V1/customerGroups/search``)."""
        if self._groups is None:
            rows = list(self.client.search("customerGroups/search", what=M_("the customer groups")))
            self._groups = {str(g["code"]): int(g["id"]) for g in rows}
            self._tax_classes = {int(g["id"]): int(g.get("tax_class_id") or 3) for g in rows}
        return self._groups

    def write_groups(self, writes: Sequence[GroupWrite]) -> list[WriteOutcome]:
        """K1: a group found by its code, else the group bound before renamed (``PUT
        /V1/customerGroups/{id}``, its tax class kept), else created with the install's
        customer tax class, 3 "Retail Customer"."""

        def one(w: GroupWrite) -> WriteOutcome:
            groups = self.group_ids()
            code = w.group.name[:32]  # customer group codes hold 32 characters
            if code in groups:
                return WriteOutcome(w.key, shop_id=str(groups[code]))
            bound = int(w.shop_id) if w.shop_id and w.shop_id.isdigit() else None
            if bound is not None and bound in groups.values():
                self.client.call(
                    "PUT",
                    f"customerGroups/{bound}",
                    {
                        "group": {
                            "id": bound,
                            "code": code,
                            "tax_class_id": self._tax_classes.get(bound, 3),
                        }
                    },
                    what=M_("customer group %(code)s", code=code),
                )
                old = next(c for c, i in groups.items() if i == bound)
                groups[code] = groups.pop(old)
                return WriteOutcome(w.key, shop_id=str(bound))
            answer = self.client.call(
                "POST",
                "customerGroups",
                {"group": {"code": code, "tax_class_id": 3}},
                what=M_("customer group %(code)s", code=code),
                idempotent=False,
            )
            groups[code] = int(answer["id"])
            return WriteOutcome(w.key, shop_id=str(answer["id"]), created=True)

        return [guard(w.key, partial(one, w)) for w in writes]

    def write(self, writes: Sequence[CustomerWrite]) -> list[WriteOutcome]:
        def one(w: CustomerWrite) -> WriteOutcome:
            group = self.group_ids().get(w.customer.group[:32]) if w.customer.group else None
            if w.customer.group and group is None and (w.fields is None or "group" in w.fields):
                raise RecordError(
                    M_("the shop has no customer group %(group)s", group=repr(w.customer.group))
                )
            body = customer_payload(w, group, self.store_view())
            what = M_("customer %(customer)s", customer=w.customer.code or w.customer.email)
            if w.shop_id is None:
                answer = self.client.call("POST", "customers", body, what=what, idempotent=False)
            else:
                body["customer"]["id"] = int(w.shop_id)
                try:
                    answer = self.client.call(
                        "PUT", f"customers/{segment(w.shop_id)}", body, what=what
                    )
                except NotFoundError as exc:
                    return WriteOutcome(w.key, shop_id=w.shop_id, gone=True, error=said(exc))
            return WriteOutcome(
                w.key,
                shop_id=str(answer["id"]),
                created=w.shop_id is None,
                unsupported=customer_unsupported(w) + _dropped(w, answer),
            )

        return [guard(w.key, partial(one, w)) for w in writes]

    def iter(self, *, created_after: datetime | None = None) -> Iterator[ShopCustomer]:
        filters = [[("created_at", stamp(created_after), "gt")]] if created_after else None
        for raw in self.client.search("customers/search", filters, what=M_("the customers")):
            yield customer_from_wire(raw)
