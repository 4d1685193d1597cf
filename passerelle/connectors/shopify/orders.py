"""The order calls: reads (by pages or one bulk query), shipments, the sale number back.

Translation of the wire order is :mod:`.translate_orders`. An order costs ~290 points,
so orders are read 3 a page, or past ``bulk_orders_min`` (counted by
``ordersCount``) by one bulk query (https://shopify.dev/docs/api/usage/bulk-operations/queries).
The sale number goes back as order tags (seen in the order list) and the
``passerelle.sale_number`` metafield, one request with two mutations.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from datetime import datetime
from typing import Any

from passerelle.connectors.errors import ConnectorError, NotFoundError, RecordError
from passerelle.connectors.paths import numeric_id
from passerelle.connectors.reading import raw_id, read_record
from passerelle.connectors.shopify import endpoints as doc
from passerelle.connectors.shopify.client import ShopifyClient, gid, num, require, user_errors
from passerelle.connectors.shopify.client_bulk import BulkRunner
from passerelle.connectors.shopify.customers import NS
from passerelle.connectors.shopify.translate_orders import open_order_from_wire, order_from_wire
from passerelle.i18n.messages import M_
from passerelle.model import Order

__all__ = ["BULK_ORDERS_MIN", "OrderCalls"]

BULK_ORDERS_MIN = 100  # orders to read: 34 pages of 3 = 9,700 points
MUTATION_COST = 10
_DATE = "%Y-%m-%dT%H:%M:%SZ"


def _translated(
    raw: Any, translate: Callable[[dict[str, Any]], Order] = order_from_wire
) -> Order | ConnectorError:
    """The canonical order, or the error saying why it cannot be read (not a stop)."""
    gid_text = raw_id(raw)
    try:
        return read_record(num(gid_text) if gid_text else None, lambda: translate(raw))
    except ConnectorError as exc:
        return exc


class OrderCalls:
    """Reads orders and writes what the back-office did with them."""

    def __init__(
        self, client: ShopifyClient, bulk: BulkRunner, *, bulk_orders_min: int = BULK_ORDERS_MIN
    ) -> None:
        self.client, self.bulk, self.bulk_orders_min = client, bulk, bulk_orders_min

    def iter_orders(
        self,
        *,
        statuses: Sequence[str] | None,
        created_after: datetime | None,
        created_before: datetime | None,
        modified_after: datetime | None,
        include_archived: bool,
    ) -> Iterator[Order | ConnectorError]:
        terms = [
            f"{name}:{op}{when.strftime(_DATE)}"
            for name, op, when in (
                ("created_at", ">=", created_after),
                ("created_at", "<=", created_before),
                ("updated_at", ">=", modified_after),
            )
            if when
        ]
        for raw in self._raw_orders(" ".join(terms) or None):
            order = _translated(raw)
            if isinstance(order, Order) and (
                (order.archived and not include_archived)
                or (statuses and order.shop_status not in statuses)
            ):
                continue
            yield order

    def iter_open_orders(self) -> Iterator[Order | ConnectorError]:
        """Orders whose units Shopify holds as *committed*: open (neither cancelled nor
        archived, search ``status:open``) with units not fulfilled yet. Shopify commits an
        order's units when it is placed, paid or not, keeps them committed while it is on
        hold, and lets them go when they are fulfilled, or refunded or removed from the
        order (objects/Order; LineItem ``unfulfilledQuantity``, which is what each line
        of these orders holds). A wholly refunded order holds nothing and is left out."""
        for raw in self._raw_orders(
            doc.OPEN_ORDERS_QUERY, doc.OPEN_ORDERS, doc.OPEN_ORDERS_COST, doc.OPEN_ORDER_FIELDS
        ):
            if isinstance(raw, dict) and (raw.get("cancelledAt") or raw.get("closed")):
                continue
            order = _translated(raw, open_order_from_wire)
            if not isinstance(order, Order) or order.lines:
                yield order

    def _raw_orders(
        self,
        search: str | None,
        page: str = doc.ORDERS,
        cost: int = doc.ORDERS_COST,
        fields: str = doc.ORDER_FIELDS,
    ) -> Iterator[dict[str, Any]]:
        """By pages, or one bulk query whose line items and shipping lines come as lines
        of their own (``__parentId``), put back under their order here."""
        count = self.client.run(
            doc.ORDERS_COUNT,
            {"query": search},
            cost=doc.ORDERS_COUNT_COST,
            what=M_("the orders"),
        )["ordersCount"]
        if count is None or int(count["count"]) < self.bulk_orders_min:
            yield from self.client.pages(
                page, "orders", cost=cost, what=M_("the orders"), variables={"query": search}
            )
            return
        current: dict[str, Any] | None = None
        for line in self.bulk.query(doc.bulk_orders(search, fields), what=M_("the orders")):
            parent = line.pop("__parentId", None)
            if parent is None:
                if current is not None:
                    yield current
                current = dict(line, lineItems={"nodes": []}, shippingLines={"nodes": []})
            elif current is not None and parent == current["id"]:
                kind = "shippingLines" if "/ShippingLine/" in str(line.get("id")) else "lineItems"
                current[kind]["nodes"].append(line)
        if current is not None:
            yield current

    def _order(self, document: str, cost: int, order_id: str) -> dict[str, Any]:
        raw = self.client.run(
            document,
            {"id": gid("Order", order_id)},
            cost=cost,
            what=M_("the order %(number)s", number=order_id),
        )["order"]
        if raw is None:
            raise NotFoundError(
                M_("order %(number)s no longer exists in the shop", number=order_id),
                record_id=order_id,
            )
        return dict(raw)

    def get_order(self, order_id: str) -> Order:
        number = numeric_id(order_id, "order")
        return read_record(
            order_id, lambda: order_from_wire(self._order(doc.ORDER, doc.ORDER_COST, number))
        )

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
        """O20: ``fulfillmentCreate`` of the order's open fulfillment orders, with tracking.
        Told twice, the second finds none open (or the tracking number already there).
        The fulfillment is dated when it is made and sets the order's fulfillment status
        itself: ``shipped_at`` and ``status`` are not written."""
        order = self._order(doc.FULFILLMENT_ORDERS, doc.FULFILLMENT_ORDERS_COST, order_id)
        known = {t.get("number") for f in order["fulfillments"] for t in f["trackingInfo"]}
        open_ids = [
            f["id"]
            for f in order["fulfillmentOrders"]["nodes"]
            if f["status"] in ("OPEN", "IN_PROGRESS")
        ]
        if tracking_number and tracking_number in known:
            return
        if not open_ids and any(
            f["status"] == "ON_HOLD" for f in order["fulfillmentOrders"]["nodes"]
        ):
            raise RecordError(
                M_(
                    "order %(number)s is on hold in the shop, so it cannot be "
                    "marked as shipped: release the hold in Shopify, the next run "
                    "marks it shipped",
                    number=order_id,
                ),
                record_id=order_id,
            )
        if not open_ids:
            return
        fulfillment: dict[str, Any] = {
            "lineItemsByFulfillmentOrder": [{"fulfillmentOrderId": i} for i in open_ids],
            "notifyCustomer": notify_customer,
        }
        if tracking_number:
            fulfillment["trackingInfo"] = {"company": carrier or None, "number": tracking_number}
        what = M_("the shipment of order %(number)s", number=order_id)
        require(
            self.client.run(
                doc.FULFILLMENT_CREATE, {"fulfillment": fulfillment}, cost=MUTATION_COST, what=what
            )["fulfillmentCreate"],
            what,
        )

    def write_order_result(
        self, order_id: str, *, document_number: str, status: str | None
    ) -> None:
        """The sale number as order tags (one per number: tags split on commas) and the
        ``passerelle.sale_number`` metafield, in one request; ``status`` is not written
        (Shopify's order statuses follow payments and fulfillments)."""
        order = gid("Order", order_id)
        what = M_("the order %(number)s", number=order_id)
        data = self.client.run(
            doc.WRITE_BACK,
            {
                "id": order,
                "tags": [n.strip() for n in document_number.split(",") if n.strip()],
                "metafields": [
                    {
                        "ownerId": order,
                        "namespace": NS,
                        "key": "sale_number",
                        "value": document_number,
                        "type": "single_line_text_field",
                    }
                ],
            },
            cost=2 * MUTATION_COST,
            what=what,
        )
        for name in ("tagsAdd", "metafieldsSet"):
            error = user_errors(data[name], what)
            if error:
                raise NotFoundError(
                    M_(
                        "%(platform)s refused %(request)s: %(message)s",
                        platform="Shopify",
                        request=what,
                        message=error,
                    ),
                    record_id=order_id,
                )
