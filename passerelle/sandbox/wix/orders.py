"""eCommerce orders: search, get, update, cancel, mark as paid, fulfillments, and the stock
a placed order takes.

Sources (dev.wix.com/docs/api-reference/business-solutions/e-commerce/orders):
- "Search Orders" (``POST /ecom/v1/orders/search``): defaults ``createdDate`` DESC,
  ``cursorPaging.limit`` 100, ``filter: {"status": {"$ne": "INITIALIZED"}}`` ("orders with
  status INITIALIZED are never returned"); "Supported Filters and Sorting" (``createdDate``,
  ``updatedDate``, ``status``, ``paymentStatus``, ``fulfillmentStatus``, ``number``…).
  [verify] the page's maximum: the sandbox refuses more than 100.
- "Order Object": ``number``, ``createdDate``, ``lineItems`` (``catalogReference``
  ``catalogItemId``/``appId``/``options.variantId``, 1–300 items), ``buyerInfo``,
  ``paymentStatus`` (``NOT_PAID``, ``PAID``, ``PARTIALLY_REFUNDED``, ``FULLY_REFUNDED``,
  ``PENDING``, ``PARTIALLY_PAID``), ``fulfillmentStatus``, ``priceSummary``, ``taxSummary``,
  ``billingInfo``, ``shippingInfo``; "Get Order" (``GET /ecom/v1/orders/{id}``); "Cancel Order"
  (``POST /ecom/v1/orders/{id}/cancel``, ``restockAllItems``).
- "Order Fulfillments" (``POST /ecom/v1/fulfillments/orders/{orderId}/create-fulfillment``,
  ``lineItems`` of ``id``/``quantity``, ``trackingInfo`` ``trackingNumber``/``shippingProvider``/
  ``trackingLink``; ``GET /ecom/v1/fulfillments/orders/{orderId}``).
- Stock: "About the Inventory API" (V1) and the V3 "Sample Flows": the quantity of a
  tracked item is deducted when a customer completes a purchase, from the default location.
- [verify] mark as paid: ``POST /ecom/v1/bulk/orders/mark-as-paid`` with ``orderIds``.
- "Add Activities" (``POST /ecom/v1/orders/{orderId}/activities/add``): "Adds up to 300
  activities to an order in a single request", merchant comments among them; the order's
  ``activities`` list them [verify: the body's ``orderActivities`` and the answer's
  ``activityIds``].
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from .query import matches, sorted_by
from .state import State, Table
from .transactions import Transactions
from .wire import WixError, bulk_answer, cursor_page, invalid, not_found, required

__all__ = ["MAX_SEARCH", "Orders"]

MAX_SEARCH = 100
MAX_ACTIVITIES = 300
_EDITABLE = ("buyerNote", "archived", "buyerInfo", "billingInfo")
Lower = Callable[[str, str, int], None]  # (catalog item id, variant id, quantity)
Event = Callable[[str, dict[str, Any]], None]  # (event name, order)


class Orders(Table):
    name = "orders"

    def __init__(
        self, state: State, lower: Lower, notify: Event, transactions: Transactions
    ) -> None:
        super().__init__(state)
        self.lower = lower
        self.notify = notify
        self.transactions = transactions

    def _order(self, order_id: str) -> dict[str, Any]:
        if order_id not in self.table:
            raise not_found("Order", order_id)
        return self.table[order_id]

    def place(self, order: dict[str, Any]) -> dict[str, Any]:
        """A checkout's order: approved, its tracked items' stock lowered; the events
        ``order_created`` and ``order_approved`` (the Order Fulfillments sample flow listens
        for new orders with Order Approved), then the payment's when it is paid."""
        self.table[order["id"]] = order
        for line in order["lineItems"]:
            ref = line["catalogReference"]
            variant = (ref.get("options") or {}).get("variantId", "")
            self.lower(ref["catalogItemId"], variant, int(line["quantity"]))
        self.notify("created", order)
        self.notify("approved", order)
        if order["paymentStatus"] == "PAID":
            self.notify("paid", order)
        return order

    # -- handlers -----------------------------------------------------------------------
    def search(self, body: dict[str, Any]) -> dict[str, Any]:
        spec = (body or {}).get("search") or {}
        condition = spec.get("filter") or {}
        if "status" not in condition:
            condition = {**condition, "status": {"$ne": "INITIALIZED"}}
        items = [
            o for o in self.table.values() if o["status"] != "INITIALIZED" and matches(o, condition)
        ]
        items = sorted(items, key=lambda o: o["createdDate"], reverse=True)
        items = sorted_by(items, spec.get("sort"))
        page, meta = cursor_page(
            items, spec.get("cursorPaging"), maximum=MAX_SEARCH, default=MAX_SEARCH
        )
        return {"orders": page, "metadata": meta}

    def get(self, body: Any, order_id: str) -> dict[str, Any]:
        return {"order": self._order(order_id)}

    def update(self, body: dict[str, Any], order_id: str) -> dict[str, Any]:
        """Only the fields the API lets a caller change; the others (status, payment
        status, totals) are read-only and left as they are [verify: dropped silently]."""
        order = self._order(order_id)
        given = required(body, "order")
        for key in _EDITABLE:
            if key in given:
                order[key] = given[key]
        order["updatedDate"] = self.state.now()
        return {"order": order}

    def cancel(self, body: dict[str, Any], order_id: str) -> dict[str, Any]:
        order = self._order(order_id)
        if order["status"] == "CANCELED":
            raise WixError(428, "order is already canceled", "ORDER_ALREADY_CANCELED")
        order["status"] = "CANCELED"
        order["updatedDate"] = self.state.now()
        if (body or {}).get("restockAllItems"):
            for line in order["lineItems"]:
                ref = line["catalogReference"]
                variant = (ref.get("options") or {}).get("variantId", "")
                self.lower(ref["catalogItemId"], variant, -int(line["quantity"]))
        self.notify("canceled", order)
        return {"order": order}

    def mark_as_paid(self, body: dict[str, Any]) -> dict[str, Any]:
        ids = required(body, "orderIds")
        results = []
        for index, order_id in enumerate(ids):
            order = self.table.get(str(order_id))
            if order is None:
                results.append(
                    {
                        "itemMetadata": {
                            "id": order_id,
                            "originalIndex": index,
                            "success": False,
                            "error": {"code": "NOT_FOUND", "description": "order not found"},
                        }
                    }
                )
                continue
            if order["paymentStatus"] != "PAID":
                order["paymentStatus"] = "PAID"
                order["balanceSummary"]["balance"] = {"amount": "0.00", "formattedAmount": "0.00"}
                order["balanceSummary"]["paid"] = order["priceSummary"]["total"]
                order["updatedDate"] = self.state.now()
                self.transactions.approve(order["id"], order["updatedDate"])
                self.notify("paid", order)
            results.append(
                {"itemMetadata": {"id": order_id, "originalIndex": index, "success": True}}
            )
        return bulk_answer(results)

    def add_activities(self, body: dict[str, Any], order_id: str) -> dict[str, Any]:
        order = self._order(order_id)
        given = required(body, "orderActivities")
        if not isinstance(given, list) or not 1 <= len(given) <= MAX_ACTIVITIES:
            raise invalid("orderActivities", f"must hold 1 to {MAX_ACTIVITIES} activities")
        ids = []
        for index, activity in enumerate(given):
            comment = (activity or {}).get("merchantComment") or {}
            custom = (activity or {}).get("customActivity")
            if not (comment.get("message") or custom):
                raise invalid(f"orderActivities[{index}]", "needs a merchant comment's message")
            made = {
                "id": self.state.new_id("activity"),
                "createdDate": self.state.now(),
                "type": "MERCHANT_COMMENT" if comment else "CUSTOM_ACTIVITY",
                **({"merchantComment": comment} if comment else {"customActivity": custom}),
            }
            order.setdefault("activities", []).append(made)
            ids.append(made["id"])
        order["updatedDate"] = self.state.now()
        return {"order": order, "activityIds": ids}

    # -- fulfillments -------------------------------------------------------------------
    def create_fulfillment(self, body: dict[str, Any], order_id: str) -> dict[str, Any]:
        order = self._order(order_id)
        given = required(body, "fulfillment")
        lines = {line["id"]: line for line in order["lineItems"]}
        fulfilled = self._fulfilled(order_id)
        items = []
        for index, item in enumerate(required(given, "lineItems")):
            line = lines.get(str(item.get("id")))
            if line is None:
                raise invalid(f"fulfillment.lineItems[{index}].id", "is not a line of the order")
            quantity = int(item.get("quantity") or line["quantity"])
            if quantity < 1 or fulfilled.get(line["id"], 0) + quantity > int(line["quantity"]):
                raise invalid(
                    f"fulfillment.lineItems[{index}].quantity",
                    "exceeds the quantity left to fulfill",
                    "MAX",
                )
            items.append({"id": line["id"], "quantity": quantity})
        tracking = given.get("trackingInfo") or {}
        number = str(tracking.get("trackingNumber") or "")
        if len(number) > 100:
            raise invalid("fulfillment.trackingInfo.trackingNumber", "at most 100 characters")
        fulfillment = {
            "id": self.state.new_id("fulfillment"),
            "createdDate": self.state.now(),
            "lineItems": items,
            "trackingInfo": tracking,
            **({"status": given["status"]} if given.get("status") else {}),
        }
        self.state.data["fulfillments"].setdefault(order_id, []).append(fulfillment)
        done = self._fulfilled(order_id)
        complete = all(done.get(k, 0) >= int(v["quantity"]) for k, v in lines.items())
        order["fulfillmentStatus"] = "FULFILLED" if complete else "PARTIALLY_FULFILLED"
        order["updatedDate"] = self.state.now()
        self.notify("fulfilled", order)
        return {"fulfillmentId": fulfillment["id"], "orderWithFulfillments": self._with(order_id)}

    def list_fulfillments(self, body: Any, order_id: str) -> dict[str, Any]:
        self._order(order_id)
        return {"orderWithFulfillments": self._with(order_id)}

    def _with(self, order_id: str) -> dict[str, Any]:
        return {
            "orderId": order_id,
            "fulfillments": self.state.data["fulfillments"].get(order_id, []),
        }

    def _fulfilled(self, order_id: str) -> dict[str, int]:
        done: dict[str, int] = {}
        for fulfillment in self.state.data["fulfillments"].get(order_id, []):
            for item in fulfillment["lineItems"]:
                done[item["id"]] = done.get(item["id"], 0) + int(item["quantity"])
        return done
