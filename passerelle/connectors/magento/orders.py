"""Orders: read (all, open), commented with the back-office number, shipped.

Docs (admin-schema-2.4.9.yaml): ``GET /V1/orders`` (``searchCriteria``, oldest
first by ``created_at``), ``GET /V1/orders/{id}``, ``POST
/V1/orders/{id}/comments`` (a status with the comment sets it), ``POST
/V1/order/{orderId}/ship``. Open orders are those whose MSI reservation is not
compensated yet ("Inventory management: reservations").
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import replace
from datetime import datetime
from decimal import Decimal
from functools import partial
from typing import Any

from passerelle.connectors.errors import ConnectorError, NotFoundError, RecordError
from passerelle.connectors.magento.client import MagentoClient
from passerelle.connectors.magento.translate_orders import (
    NUMBER_PREFIX,
    OPEN_STATES,
    order_from_wire,
)
from passerelle.connectors.magento.translate_values import money, stamp
from passerelle.connectors.paths import numeric_id, segment
from passerelle.connectors.reading import each_record, raw_id, read_record
from passerelle.i18n.messages import M_, said
from passerelle.model import Order

__all__ = ["Orders"]


def _held(item: dict[str, Any]) -> Decimal:
    """What an order item still holds in MSI's reservations."""
    done = sum(
        (money(item.get(k)) for k in ("qty_shipped", "qty_canceled", "qty_refunded")), Decimal(0)
    )
    return max(money(item.get("qty_ordered")) - done, Decimal(0))


def _entity_id(raw: Any) -> str | None:
    return raw_id(raw, "entity_id")


def _still_held(raw: dict[str, Any]) -> Order:
    """The order with only what its lines still hold (lines holding nothing left out)."""
    held = {str(i.get("item_id")): _held(i) for i in raw.get("items") or []}
    order = order_from_wire(raw)
    return replace(
        order,
        lines=tuple(
            replace(line, quantity=held[line.source_id])
            for line in order.lines
            if held.get(line.source_id, 0) > 0
        ),
    )


class Orders:
    def __init__(self, client: MagentoClient) -> None:
        self.client = client

    def iter_orders(
        self,
        *,
        statuses: Sequence[str] | None = None,
        created_after: datetime | None = None,
        created_before: datetime | None = None,
        modified_after: datetime | None = None,
        include_archived: bool = False,
    ) -> Iterator[Order | ConnectorError]:
        """Oldest first by ``created_at``; Magento has no archive through this API."""
        filters: list[list[tuple[str, str, str]]] = []
        if statuses:
            filters.append([("status", ",".join(statuses), "in")])
        if created_after:
            filters.append([("created_at", stamp(created_after), "gteq")])
        if created_before:
            filters.append([("created_at", stamp(created_before), "lteq")])
        if modified_after:
            filters.append([("updated_at", stamp(modified_after), "gteq")])
        yield from each_record(
            self.client.search(
                "orders", filters, sort=("created_at", "ASC"), what=M_("the orders")
            ),
            order_from_wire,
            _entity_id,
        )

    def iter_open_orders(self) -> Iterator[Order | ConnectorError]:
        """Orders whose placement reservation MSI has not compensated: in a state that
        keeps it (new, pending_payment, processing, holded, payment_review) with goods
        neither shipped, cancelled nor refunded yet. Each line's quantity is what the
        order still holds — ordered less shipped, cancelled and refunded, the
        compensations MSI appended — so a partly shipped order counts its remainder,
        and a processing order already shipped (not invoiced) is not listed."""
        for raw in self.client.search(
            "orders",
            [[("state", ",".join(sorted(OPEN_STATES)), "in")]],
            sort=("created_at", "ASC"),
            what=M_("the open orders"),
        ):
            try:
                order = read_record(_entity_id(raw), partial(_still_held, raw))
            except ConnectorError as exc:
                yield exc
                continue
            if order.lines:
                yield order

    def get_order(self, order_id: str) -> Order:
        path = f"orders/{segment(numeric_id(order_id, 'order'))}"
        raw = self.client.call("GET", path, what=M_("the order %(number)s", number=order_id))
        return read_record(order_id, lambda: order_from_wire(raw))

    def _comment(self, order_id: str, text: str, status: str | None, notify: bool) -> None:
        history: dict[str, Any] = {
            "comment": text,
            "is_customer_notified": int(notify),
            "is_visible_on_front": int(notify),
            "parent_id": int(order_id),
        }
        if status:
            history["status"] = status
        try:
            self.client.call(
                "POST",
                f"orders/{segment(order_id)}/comments",
                {"statusHistory": history},
                what=M_("a comment on order %(number)s", number=order_id),
                idempotent=False,
            )
        except NotFoundError as exc:
            raise NotFoundError(
                M_(
                    "order %(number)s no longer exists in the shop: %(error)s",
                    number=order_id,
                    error=said(exc),
                ),
                status=404,
                record_id=order_id,
            ) from exc

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
        """O20: ``POST /V1/order/{id}/ship`` with the track; an order already shipped
        (Magento refuses a second shipment) is left as it is."""
        body: dict[str, Any] = {"notify": notify_customer, "appendComment": False}
        if tracking_number:
            body["tracks"] = [
                {
                    "track_number": tracking_number,
                    "title": carrier or "Carrier",
                    "carrier_code": "custom",
                }
            ]
        try:
            self.client.call(
                "POST",
                f"order/{segment(order_id)}/ship",
                body,
                what=M_("the shipment of order %(number)s", number=order_id),
                idempotent=False,
            )
        except RecordError as exc:
            if "does not allow a shipment" not in str(exc):
                raise
        if status:
            self._comment(order_id, f"Shipped by {carrier}", status, False)

    def write_order_result(
        self, order_id: str, *, document_number: str, status: str | None
    ) -> None:
        self._comment(order_id, f"{NUMBER_PREFIX} {document_number}", status, False)
