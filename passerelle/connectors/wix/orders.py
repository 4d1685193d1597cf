"""Wix eCommerce orders: search, one order, its payments, fulfillments.

Docs:
- Search Orders, ``POST /ecom/v1/orders/search``: cursor paging, 100 a page at most,
  ``createdDate`` sorted descending unless asked, ``INITIALIZED`` orders never
  returned; filters on ``createdDate``/``updatedDate`` ($gt, $gte, $lt…), ``status``,
  ``archived``, ``fulfillmentStatus``, ``paymentStatus``
  (dev.wix.com/docs/rest/api-reference/wix-e-commerce/orders/search-orders;
  "Orders: Supported Filters and Sorting",
  dev.wix.com/docs/rest/business-solutions/e-commerce/orders/introduction);
- Get Order, ``GET /ecom/v1/orders/{id}`` answering ``{order}``;
- List Transactions For Multiple Orders, ``POST /ecom/v1/payments/list-by-ids`` with
  ``orderIds``: one request per page of orders for their payments
  (dev.wix.com/docs/rest/business-solutions/e-commerce/order-transactions/list-transactions-for-multiple-orders);
- Create Fulfillment, ``POST /ecom/v1/fulfillments/orders/{orderId}/create-fulfillment``
  with ``{fulfillment: {lineItems: [{id, quantity}], trackingInfo: {trackingNumber,
  shippingProvider}}}``; 409 when it exists already
  (dev.wix.com/docs/rest/api-reference/wix-e-commerce/order-fulfillments/create-fulfillment);
- Update Order changes only addresses, e-mail, language, ``archived`` and the like: an
  order has no field for the back-office document number, and its status follows its
  payments and fulfillments
  (dev.wix.com/docs/api-reference/business-solutions/e-commerce/orders/orders/update-order);
  the number goes in a merchant comment of the order's activities, ``Back-office sale:
  <number>``, shown in the dashboard's order timeline ("Add Activities",
  ``POST /ecom/v1/orders/{orderId}/activities/add``, "add merchant comments",
  dev.wix.com/docs/api-reference/business-solutions/e-commerce/orders/orders/add-activities),
  once: a comment already there is not added again.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from datetime import UTC, datetime
from functools import partial
from typing import Any

from passerelle.connectors.errors import ConnectorError
from passerelle.connectors.paths import segment
from passerelle.connectors.reading import each_record, read_record
from passerelle.connectors.wix.client import WixClient
from passerelle.connectors.wix.translate_orders import order_from_wix
from passerelle.i18n.messages import M_
from passerelle.model import Order, OrderStatus

__all__ = ["ORDER_PAGE", "SALE_PREFIX", "OrderAccess"]

ORDER_PAGE = 100  # Search Orders: cursorPaging.limit at most 100
SALE_PREFIX = "Back-office sale: "  # the merchant comment naming the back-office sale


def _translate(raw: Mapping[str, Any], transactions: Mapping[str, Mapping[str, Any]]) -> Order:
    return order_from_wix(raw, transactions.get(str(raw.get("id"))))


def _when(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat().replace("+00:00", "Z")


class OrderAccess:
    """The order half of the Wix connector (``kit.orders.OrdersVia`` forwards to it)."""

    def __init__(self, client: WixClient) -> None:
        self.client = client

    def _search(self, filter_: dict[str, Any]) -> Iterator[Order | ConnectorError]:
        query = {"filter": filter_, "sort": [{"fieldName": "createdDate", "order": "ASC"}]}
        for page in self.client.cursor_pages(
            "ecom/v1/orders/search",
            "orders",
            query,
            wrapper="search",
            limit=ORDER_PAGE,
            what=M_("the orders"),
        ):
            transactions = self._transactions([o.get("id") for o in page])
            yield from each_record(page, partial(_translate, transactions=transactions))

    def _transactions(self, ids: Sequence[Any]) -> dict[str, Mapping[str, Any]]:
        """The payments of a page of orders, in one request, by order id."""
        wanted = [str(i) for i in ids if isinstance(i, str) and i]
        if not wanted:
            return {}
        body = self.client.post(
            "ecom/v1/payments/list-by-ids", {"orderIds": wanted}, what=M_("the order payments")
        )
        found = (body or {}).get("orderTransactions") or []
        return {str(t.get("orderId")): t for t in found if isinstance(t, dict)}

    def iter_orders(
        self,
        *,
        statuses: Sequence[str] | None,
        created_after: datetime | None,
        created_before: datetime | None,
        modified_after: datetime | None,
        include_archived: bool,
    ) -> Iterator[Order | ConnectorError]:
        """Orders oldest first; ``statuses`` are shop status names (``PAID``, ``CANCELED``…)."""
        filter_: dict[str, Any] = {}
        created: dict[str, str] = {}
        if created_after is not None:
            created["$gte"] = _when(created_after)
        if created_before is not None:
            created["$lt"] = _when(created_before)
        if created:
            filter_["createdDate"] = created
        if modified_after is not None:
            filter_["updatedDate"] = {"$gte": _when(modified_after)}
        if not include_archived:
            filter_["archived"] = {"$ne": True}
        wanted = set(statuses or ())
        for order in self._search(filter_):
            if isinstance(order, ConnectorError) or not wanted or order.shop_status in wanted:
                yield order

    def iter_open_orders(self) -> Iterator[Order | ConnectorError]:
        """Approved orders not fulfilled yet: Wix takes an approved order's items out of
        the stock it offers; cancelled and refunded ones are left out."""
        filter_ = {"status": "APPROVED", "fulfillmentStatus": {"$ne": "FULFILLED"}}
        for order in self._search(filter_):
            if isinstance(order, ConnectorError) or order.status not in (
                OrderStatus.CANCELLED,
                OrderStatus.REFUNDED,
            ):
                yield order

    def _raw(self, order_id: str) -> dict[str, Any]:
        body = self.client.get(
            f"ecom/v1/orders/{segment(order_id)}", what=M_("order %(id)s", id=order_id)
        )
        return dict((body or {}).get("order") or {})

    def get_order(self, order_id: str) -> Order:
        raw = self._raw(order_id)
        transactions = self._transactions([order_id])
        return read_record(order_id, lambda: order_from_wix(raw, transactions.get(order_id)))

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
        """One fulfillment of every line (the back-office ships the sale whole). Wix
        e-mails the buyer as the site's settings say; it takes no shipping date, and
        the order's status follows the fulfillment."""
        raw = self._raw(order_id)
        lines = [
            {"id": str(line["id"]), "quantity": int(line.get("quantity") or 0)}
            for line in raw.get("lineItems") or []
            if line.get("id")
        ]
        fulfillment: dict[str, Any] = {"lineItems": lines}
        if tracking_number or carrier:
            fulfillment["trackingInfo"] = {
                "trackingNumber": tracking_number,
                "shippingProvider": carrier,
            }
        self.client.post(
            f"ecom/v1/fulfillments/orders/{segment(order_id)}/create-fulfillment",
            {"fulfillment": fulfillment},
            what=M_("the shipment of order %(id)s", id=order_id),
            creates=True,
        )

    def write_order_result(
        self, order_id: str, *, document_number: str, status: str | None
    ) -> None:
        """The sale number as a merchant comment (see the module docstring); the status
        is not set (it follows payments and fulfillments: the capability matrix says so)."""
        del status
        if not document_number:
            return
        line = f"{SALE_PREFIX}{document_number}"
        comments = [
            str((a.get("merchantComment") or {}).get("message") or "")
            for a in self._raw(order_id).get("activities") or []
        ]
        if line in comments:
            return
        self.client.post(
            f"ecom/v1/orders/{segment(order_id)}/activities/add",
            {"orderActivities": [{"merchantComment": {"message": line}}]},
            what=M_("the sale number of order %(id)s", id=order_id),
            creates=True,
        )
