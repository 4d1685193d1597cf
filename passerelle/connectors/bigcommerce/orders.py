"""Orders read and written back: v2 lists, one order, the open ones, the sale number.

From ``reference/orders.v2.oas2.yml``: orders are read with their consignments
and line items (``include=consignments.line_items``, ``consignment_structure=object``),
then one ``/taxes`` request per order and one ``/coupons`` request for an order with a
coupon discount (``translate_orders.order_from_wire`` translates them). Open orders are the
statuses that hold stock under the store's inventory setting (``open_orders``), one
list per status. The sale number goes on ``staff_notes`` and the status by
``status_id`` (``PUT /orders/{order_id}``).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from datetime import UTC, datetime
from email.utils import format_datetime, parsedate_to_datetime
from typing import Any

from passerelle.connectors.bigcommerce.client import BigCommerceClient
from passerelle.connectors.bigcommerce.open_orders import open_status_ids
from passerelle.connectors.bigcommerce.shipments import read_order, ship_order, status_id_of
from passerelle.connectors.bigcommerce.translate_orders import (
    order_from_wire,
    with_number,
)
from passerelle.connectors.errors import ConnectorError
from passerelle.connectors.paths import numeric_id, segment
from passerelle.connectors.reading import each_record, read_record
from passerelle.i18n.messages import M_
from passerelle.model import Order

__all__ = ["ORDER_INCLUDE", "OrderAccess"]

ORDER_INCLUDE = {"include": "consignments.line_items", "consignment_structure": "object"}


def _rfc2822(when: datetime) -> str:
    return format_datetime(when.astimezone(UTC))


def _field(raw: Any, name: str) -> str:
    """A field of a wire order as text; empty for a record that is not an object."""
    return str(raw.get(name)) if isinstance(raw, dict) else ""


def _created(raw: Any) -> datetime:
    try:
        return parsedate_to_datetime(_field(raw, "date_created"))
    except (TypeError, ValueError):
        return datetime.min.replace(tzinfo=UTC)


def _oldest_first(raw: Any) -> tuple[datetime, int]:
    """Sort key that any record takes: an unreadable one's flaws are its translation's."""
    number = _field(raw, "id")
    return _created(raw), int(number) if number.isdigit() and len(number) < 20 else 0


class OrderAccess:
    def __init__(self, client: BigCommerceClient) -> None:
        self.client = client

    def iter_orders(
        self,
        *,
        statuses: Sequence[str] | None,
        created_after: datetime | None,
        created_before: datetime | None,
        modified_after: datetime | None,
        include_archived: bool,
    ) -> Iterator[Order | ConnectorError]:
        params: dict[str, Any] = {"sort": "date_created:asc", **ORDER_INCLUDE}
        if created_after:
            params["min_date_created"] = _rfc2822(created_after)
        if created_before:
            params["max_date_created"] = _rfc2822(created_before)
        if modified_after:
            params["min_date_modified"] = _rfc2822(modified_after)
        walks = [self.client.iter_v2("v2/orders", params, what=M_("the orders"))]
        if include_archived:
            walks.append(
                self.client.iter_v2(
                    "v2/orders", dict(params, is_deleted="true"), what=M_("the archived orders")
                )
            )
        wanted = set(statuses or ())
        return self._translated(
            r for walk in walks for r in walk if not wanted or _field(r, "status") in wanted
        )

    def iter_open_orders(self) -> Iterator[Order | ConnectorError]:
        params: dict[str, Any] = {"sort": "date_created:asc", **ORDER_INCLUDE}
        return self._translated(
            raw
            for status_id in open_status_ids(self.client)
            for raw in self.client.iter_v2(
                "v2/orders", dict(params, status_id=status_id), what=M_("the open orders")
            )
        )

    def _translated(self, raws: Iterable[Any]) -> Iterator[Order | ConnectorError]:
        """Oldest first; an unreadable order comes as its error, not a stop."""
        yield from each_record(sorted(raws, key=_oldest_first), self._order)

    def get_order(self, order_id: str) -> Order:
        path = f"v2/orders/{segment(numeric_id(order_id, 'order'))}"
        raw = self.client.get(path, ORDER_INCLUDE, what=M_("the order %(number)s", number=order_id))
        return read_record(order_id, lambda: self._order(raw))

    def _order(self, raw: dict[str, Any]) -> Order:
        oid = numeric_id(raw.get("id"), "order")
        taxes = self.client.get(
            f"v2/orders/{segment(oid)}/taxes",
            None,
            what=M_("the taxes of order %(number)s", number=oid),
        )
        coupons: Any = []
        if float(raw.get("coupon_discount") or 0):
            coupons = self.client.get(
                f"v2/orders/{segment(oid)}/coupons",
                None,
                what=M_("the coupons of order %(number)s", number=oid),
            )
        return order_from_wire(raw, taxes=taxes or [], coupons=coupons or [])

    def write_shipment(
        self,
        order_id: str,
        *,
        carrier: str,
        tracking_number: str,
        shipped_at: datetime | None,
        notify_customer: bool,
        status: str | None,
    ) -> None:
        """O20: one shipment per shipping address left to ship (see ``shipments``)."""
        ship_order(
            self.client,
            order_id,
            carrier=carrier,
            tracking_number=tracking_number,
            status=status,
            include=ORDER_INCLUDE,
        )

    def write_order_result(
        self, order_id: str, *, document_number: str, status: str | None
    ) -> None:
        """The number on ``staff_notes`` (kept notes + one line), the status by ``status_id``."""
        raw = read_order(self.client, order_id)
        body: dict[str, Any] = {}
        notes = with_number(str(raw.get("staff_notes") or ""), document_number)
        if notes != raw.get("staff_notes"):
            body["staff_notes"] = notes
        if status:
            status_id = status_id_of(status, order_id)
            if status_id != raw.get("status_id"):
                body["status_id"] = status_id
        if body:
            self.client.put(
                f"v2/orders/{segment(order_id)}",
                body,
                what=M_("the order %(number)s", number=order_id),
            )
