"""The order half of a shop connector handed to the part that reads and writes orders.

A connector put together from parts keeps its orders in one of them
(``self.orders``: reads, shipments, the sale number back). The ``Shop``
protocol's order methods are then only forwarding; :class:`OrdersVia` writes
them once, so each connector lists the part and nothing else.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from datetime import datetime
from typing import Protocol

from passerelle.connectors.errors import ConnectorError
from passerelle.model import Order

__all__ = ["OrderPart", "OrdersVia"]


class OrderPart(Protocol):
    """What the order part of a connector answers: the ``Shop`` protocol's order methods."""

    def iter_orders(
        self,
        *,
        statuses: Sequence[str] | None,
        created_after: datetime | None,
        created_before: datetime | None,
        modified_after: datetime | None,
        include_archived: bool,
    ) -> Iterator[Order | ConnectorError]: ...

    def iter_open_orders(self) -> Iterator[Order | ConnectorError]: ...

    def get_order(self, order_id: str) -> Order: ...

    def write_shipment(
        self,
        order_id: str,
        *,
        carrier: str,
        tracking_number: str,
        shipped_at: datetime | None,
        notify_customer: bool,
        status: str | None,
    ) -> None: ...

    def write_order_result(
        self, order_id: str, *, document_number: str, status: str | None
    ) -> None: ...


class OrdersVia:
    """The ``Shop`` order methods, each handed to ``self.orders``.

    ``with_notes`` returns the order as it is: for these platforms the buyer's
    words come with the order, no request more.
    """

    orders: OrderPart

    def iter_orders(
        self,
        *,
        statuses: Sequence[str] | None = None,
        created_after: datetime | None = None,
        created_before: datetime | None = None,
        modified_after: datetime | None = None,
        include_archived: bool = False,
    ) -> Iterator[Order | ConnectorError]:
        return self.orders.iter_orders(
            statuses=statuses,
            created_after=created_after,
            created_before=created_before,
            modified_after=modified_after,
            include_archived=include_archived,
        )

    def iter_open_orders(self) -> Iterator[Order | ConnectorError]:
        return self.orders.iter_open_orders()

    def get_order(self, order_id: str) -> Order:
        return self.orders.get_order(order_id)

    def with_notes(self, order: Order) -> Order:
        return order

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
        self.orders.write_shipment(
            order_id,
            carrier=carrier,
            tracking_number=tracking_number,
            shipped_at=shipped_at,
            notify_customer=notify_customer,
            status=status,
        )

    def write_order_result(
        self, order_id: str, *, document_number: str, status: str | None
    ) -> None:
        self.orders.write_order_result(order_id, document_number=document_number, status=status)
