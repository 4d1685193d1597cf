"""An order's life in the shop, with the stock moves Shopify makes around it.

From the Admin GraphQL 2026-01 reference and the inventory states guide
(https://shopify.dev/docs/apps/build/orders-fulfillment/inventory-management-apps):

- ``orderCreate`` (mutations/orderCreate, input-objects/OrderCreateOrderInput,
  OrderCreateOptionsInput): ``inventoryBehaviour`` defaults to ``BYPASS`` (no stock
  claimed); ``DECREMENT_IGNORING_POLICY`` claims the units; ``DECREMENT_OBEYING_POLICY``
  claims them "if possible" (here: when available covers every line). Claimed units
  move from *available* to *committed*; on_hand does not change. A checkout claims
  them whether or not the payment is captured yet.
- ``orderMarkAsPaid``: PENDING → PAID (objects/Order ``displayFinancialStatus``).
- ``fulfillmentOrderHold`` / ``fulfillmentOrderReleaseHold``: a held fulfillment order
  is ON_HOLD and cannot be fulfilled; its units stay committed.
- ``fulfillmentCreate``: the fulfillment order's units leave *committed* (and so on_hand).
- ``orderCancel``: irreversible, refused for an order already cancelled
  (OrderCancelUserError ``INVALID``); with ``restock`` the unfulfilled units go back from
  committed to available. The order is closed and its fulfillment orders cancelled.
- ``refundCreate``: ``restockType`` per line (enums/RefundLineItemRestockType):
  ``CANCEL`` returns unfulfilled units from committed to available, ``RETURN`` puts
  fulfilled units back in available (and on_hand); ``NO_RESTOCK`` returns nothing (an
  unfulfilled unit refunded that way leaves committed and the shop). The financial status
  follows the refunded amount: REFUNDED or PARTIALLY_REFUNDED.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

from .inventory import move, quantity
from .views import Views, gid, parse_gid

__all__ = ["OrderWrites"]

_CENT = Decimal("0.01")


def _now() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _err(field: list[Any], message: str, code: str | None = None) -> dict[str, Any]:
    return {"field": [str(f) for f in field], "message": message, "code": code}


def _amount(bag: dict[str, Any] | None) -> Decimal:
    return Decimal(str(((bag or {}).get("shopMoney") or {}).get("amount") or "0"))


def _taxes(lines: list[dict[str, Any]] | None) -> list[dict[str, Any]]:
    return [
        {
            "title": t["title"],
            "rate": float(t["rate"]),
            "ratePercentage": float(Decimal(str(t["rate"])) * 100),
            "amount": str(_amount(t.get("priceSet")).quantize(_CENT)),
        }
        for t in lines or []
    ]


class OrderWrites:
    """The order mutations; ``views`` renders what they answer."""

    def __init__(
        self,
        state: dict[str, Any],
        views: Views,
        next_id: Callable[[str], int],
        mark_dirty: Callable[[], None],
    ) -> None:
        self.state, self.views, self.next_id, self.dirty = state, views, next_id, mark_dirty

    # ------------------------------------------------------------------ helpers
    def _level(self, line: dict[str, Any]) -> dict[str, Any] | None:
        item = self.state["inventory_items"].get(str(line.get("inventoryItemId")))
        if item is None or not item.get("tracked", True):
            return None
        return item["levels"].get(str(line.get("locationId")))

    def _order(self, value: str) -> dict[str, Any] | None:
        return self.state["orders"].get(str(parse_gid(value, "Order")))

    def _fulfillment_order(self, value: str) -> tuple[dict[str, Any], dict[str, Any]] | None:
        number = parse_gid(value, "FulfillmentOrder")
        for order in self.state["orders"].values():
            for fo in order["fulfillmentOrders"]:
                if fo["id"] == number:
                    return order, fo
        return None

    @staticmethod
    def _unfulfilled(order: dict[str, Any]) -> Iterator[tuple[dict[str, Any], int]]:
        for line in order["lineItems"]:
            units = (
                int(line["quantity"]) - int(line.get("fulfilled", 0)) - int(line.get("removed", 0))
            )
            if units > 0:
                yield line, units

    def _settle(self, order: dict[str, Any]) -> None:
        """``displayFulfillmentStatus`` from the lines and fulfillment orders."""
        shipped = sum(int(li.get("fulfilled", 0)) for li in order["lineItems"])
        left = sum(units for _, units in self._unfulfilled(order))
        if left == 0 and shipped:
            status = "FULFILLED"
        elif any(fo["status"] == "ON_HOLD" for fo in order["fulfillmentOrders"]):
            status = "ON_HOLD"
        else:
            status = "PARTIALLY_FULFILLED" if shipped else "UNFULFILLED"
        order["displayFulfillmentStatus"] = status
        order["updatedAt"] = _now()
        self.dirty()

    # ------------------------------------------------------------------ orderCreate
    def _line(
        self, index: int, raw: dict[str, Any], location: str
    ) -> tuple[dict[str, Any] | None, dict[str, Any] | None]:
        path = ["order", "lineItems", index]
        if int(raw["quantity"]) <= 0:
            return None, _err(
                [*path, "quantity"], "Quantity must be greater than 0", "GREATER_THAN"
            )
        variant = None
        if raw.get("variantId"):
            variant = self.state["variants"].get(str(parse_gid(raw["variantId"], "ProductVariant")))
            if variant is None:
                return None, _err([*path, "variantId"], "Variant does not exist", "INVALID")
        elif not raw.get("title"):
            return None, _err([*path, "title"], "Title can't be blank", "BLANK")
        item = self.state["inventory_items"][str(variant["inventory_item_id"])] if variant else {}
        product = self.state["products"][str(variant["product_id"])] if variant else {}
        qty = int(raw["quantity"])
        price = (
            _amount(raw["priceSet"])
            if raw.get("priceSet")
            else Decimal(variant["price"] if variant else "0")
        )
        taxes = _taxes(raw.get("taxLines"))
        return {
            "id": self.next_id("line"),
            "sku": raw.get("sku") or item.get("sku"),
            "name": raw.get("title") or product.get("title") or "",
            "quantity": qty,
            "unitPrice": str(price.quantize(_CENT)),
            "originalTotal": str((price * qty).quantize(_CENT)),
            "discount": "0.00",
            "tax": str(sum((Decimal(t["amount"]) for t in taxes), Decimal(0))),
            "taxLines": taxes,
            "variantId": variant["id"] if variant else None,
            "inventoryItemId": item.get("id"),
            "locationId": location,
            "committed": 0,
            "fulfilled": 0,
        }, None

    def _claim(self, lines: list[dict[str, Any]], behaviour: str) -> None:
        if behaviour == "BYPASS":
            return
        levels = [(line, self._level(line)) for line in lines]
        if behaviour == "DECREMENT_OBEYING_POLICY" and any(
            level is not None and quantity(level, "available") < line["quantity"]
            for line, level in levels
        ):
            return  # inventory policy DENY: not claimable, so not claimed
        for line, level in levels:
            if level is not None:
                move(level, "available", "committed", int(line["quantity"]))
                line["committed"] = int(line["quantity"])

    def order_create(self, order: dict[str, Any], options: dict[str, Any] | None) -> dict[str, Any]:
        location = next(iter(self.state["locations"]))
        lines, errors = [], []
        for index, raw in enumerate(order.get("lineItems") or []):
            line, error = self._line(index, raw, location)
            if error:
                errors.append(error)
            elif line:
                lines.append(line)
        if not lines and not errors:
            errors.append(_err(["order", "lineItems"], "Line items can't be blank", "BLANK"))
        if errors:
            return {"order": None, "userErrors": errors}
        self._claim(lines, (options or {}).get("inventoryBehaviour") or "BYPASS")
        shipping = [
            {
                "id": self.next_id("line"),
                "title": s["title"],
                "code": s.get("code"),
                "source": s.get("source") or "shopify",
                "price": str(_amount(s["priceSet"]).quantize(_CENT)),
                "taxLines": _taxes(s.get("taxLines")),
            }
            for s in order.get("shippingLines") or []
        ]
        tax = sum(
            (Decimal(t["amount"]) for li in [*lines, *shipping] for t in li["taxLines"]), Decimal(0)
        )
        net = sum((Decimal(li["originalTotal"]) for li in lines), Decimal(0)) + sum(
            (Decimal(s["price"]) for s in shipping), Decimal(0)
        )
        included = bool(order.get("taxesIncluded"))
        customer = (order.get("customer") or {}).get("toAssociate") or {}
        number = self.next_id("order")
        now = _now()
        gateways = [t["gateway"] for t in order.get("transactions") or [] if t.get("gateway")]
        record = {
            "id": number,
            "name": f"#{number}",
            "email": order.get("email"),
            "note": order.get("note"),
            "tags": list(order.get("tags") or []),
            "createdAt": now,
            "updatedAt": now,
            "processedAt": now,
            "cancelledAt": None,
            "closed": False,
            "currencyCode": order.get("currency") or self.state["shop"]["currencyCode"],
            "taxesIncluded": included,
            "displayFinancialStatus": order.get("financialStatus") or "PENDING",
            "displayFulfillmentStatus": "UNFULFILLED",
            "paymentGatewayNames": gateways,
            "total": str(net if included else net + tax),
            "totalTax": str(tax),
            "discountCodes": [],
            "customerId": parse_gid(customer.get("id") or "", "Customer"),
            "billingAddress": self._address(order.get("billingAddress")),
            "shippingAddress": self._address(order.get("shippingAddress")),
            "lineItems": lines,
            "shippingLines": shipping,
            "fulfillmentOrders": [{"id": self.next_id("line"), "status": "OPEN", "holds": []}],
            "fulfillments": [],
            "metafields": {},
            "refunds": [],
        }
        self.state["orders"][str(number)] = record
        self.dirty()
        return {"order": self.views.order(record), "userErrors": []}

    @staticmethod
    def _address(raw: dict[str, Any] | None) -> dict[str, Any] | None:
        if not raw:
            return None
        return {
            **{
                k: raw.get(k)
                for k in (
                    "firstName",
                    "lastName",
                    "company",
                    "address1",
                    "address2",
                    "city",
                    "zip",
                    "provinceCode",
                    "phone",
                )
            },
            "countryCodeV2": raw.get("countryCode"),
        }

    # ------------------------------------------------------------------ payment, holds
    def mark_as_paid(self, input: dict[str, Any]) -> dict[str, Any]:  # noqa: A002
        order = self._order(input["id"])
        if order is None:
            return {"order": None, "userErrors": [_err(["id"], "Order does not exist")]}
        if order["cancelledAt"] or order["displayFinancialStatus"] not in (
            "PENDING",
            "AUTHORIZED",
            "PARTIALLY_PAID",
        ):
            return {"order": None, "userErrors": [_err(["id"], "Order can't be marked as paid.")]}
        order["displayFinancialStatus"] = "PAID"
        order["processedAt"] = _now()
        self._settle(order)
        return {"order": self.views.order(order), "userErrors": []}

    def hold(self, id: str, hold: dict[str, Any]) -> dict[str, Any]:  # noqa: A002
        found = self._fulfillment_order(id)
        if found is None:
            return {
                "fulfillmentHold": None,
                "fulfillmentOrder": None,
                "remainingFulfillmentOrder": None,
                "userErrors": [
                    _err(
                        ["id"],
                        "Fulfillment order could not be found.",
                        "FULFILLMENT_ORDER_NOT_FOUND",
                    )
                ],
            }
        order, fo = found
        if fo["status"] not in ("OPEN", "IN_PROGRESS", "ON_HOLD"):
            return {
                "fulfillmentHold": None,
                "fulfillmentOrder": None,
                "remainingFulfillmentOrder": None,
                "userErrors": [_err(["id"], "The fulfillment order cannot be placed on hold.")],
            }
        held = {
            "id": gid("FulfillmentHold", self.next_id("line")),
            "reason": hold["reason"],
            "reasonNotes": hold.get("reasonNotes"),
            "handle": hold.get("handle"),
        }
        fo["holds"] = [*fo.get("holds", []), held]
        fo["status"] = "ON_HOLD"
        self._settle(order)
        return {
            "fulfillmentHold": held,
            "fulfillmentOrder": self.views.fulfillment_order(fo),
            "remainingFulfillmentOrder": None,
            "userErrors": [],
        }

    def release_hold(self, id: str) -> dict[str, Any]:  # noqa: A002
        found = self._fulfillment_order(id)
        if found is None:
            return {
                "fulfillmentOrder": None,
                "userErrors": [
                    _err(
                        ["id"],
                        "Fulfillment order could not be found.",
                        "FULFILLMENT_ORDER_NOT_FOUND",
                    )
                ],
            }
        order, fo = found
        if fo["status"] == "ON_HOLD":
            fo["status"], fo["holds"] = "OPEN", []
        self._settle(order)
        return {"fulfillmentOrder": self.views.fulfillment_order(fo), "userErrors": []}

    # ------------------------------------------------------------------ fulfil
    def fulfillment_create(self, fulfillment: dict[str, Any]) -> dict[str, Any]:
        groups = fulfillment["lineItemsByFulfillmentOrder"]
        targets = []
        for index, group in enumerate(groups):
            found = self._fulfillment_order(group["fulfillmentOrderId"])
            if found is None:
                return {
                    "fulfillment": None,
                    "userErrors": [
                        _err(
                            [
                                "fulfillment",
                                "lineItemsByFulfillmentOrder",
                                index,
                                "fulfillmentOrderId",
                            ],
                            "Fulfillment order does not exist.",
                        )
                    ],
                }
            if found[1]["status"] not in ("OPEN", "IN_PROGRESS"):
                return {
                    "fulfillment": None,
                    "userErrors": [
                        _err(["fulfillment"], "Fulfillment order is not in a fulfillable state.")
                    ],
                }
            targets.append(found)
        tracking = fulfillment.get("trackingInfo") or {}
        record = {
            "id": self.next_id("fulfillment"),
            "createdAt": _now(),
            "trackingInfo": [
                {
                    "company": tracking.get("company"),
                    "number": tracking.get("number"),
                    "url": tracking.get("url"),
                }
            ]
            if tracking
            else [],
            "notifyCustomer": bool(fulfillment.get("notifyCustomer")),
        }
        for order, fo in targets:
            for line, units in list(self._unfulfilled(order)):
                level = self._level(line)
                shipped_committed = min(units, int(line.get("committed", 0)))
                if level is not None:
                    move(level, "committed", None, shipped_committed)
                line["committed"] = int(line.get("committed", 0)) - shipped_committed
                line["fulfilled"] = int(line.get("fulfilled", 0)) + units
            fo["status"] = "CLOSED"
            order["fulfillments"].append(record)
            self._settle(order)
        return {"fulfillment": self.views.fulfillment(record), "userErrors": []}

    # ------------------------------------------------------------------ cancel, refund
    def cancel(self, orderId: str, restock: bool, **_: Any) -> dict[str, Any]:  # noqa: N803
        order = self._order(orderId)
        if order is None:
            error = _err(["orderId"], "Order does not exist", "NOT_FOUND")
            return {"job": None, "orderCancelUserErrors": [error], "userErrors": [error]}
        if order["cancelledAt"]:
            error = _err(["orderId"], "Order has already been cancelled", "INVALID")
            return {"job": None, "orderCancelUserErrors": [error], "userErrors": [error]}
        for line, units in list(self._unfulfilled(order)):
            level = self._level(line)
            committed = int(line.get("committed", 0))
            if level is not None:
                move(level, "committed", "available" if restock else None, committed)
            line["committed"] = 0
            line["removed"] = int(line.get("removed", 0)) + units
        for fo in order["fulfillmentOrders"]:
            if fo["status"] != "CLOSED":
                fo["status"], fo["holds"] = "CANCELLED", []
        order["cancelledAt"] = _now()
        order["closed"] = True
        order["displayFinancialStatus"] = (
            "REFUNDED" if order["displayFinancialStatus"] == "PAID" else "VOIDED"
        )
        self._settle(order)
        return {
            "job": {"id": gid("Job", self.next_id("line")), "done": True},
            "orderCancelUserErrors": [],
            "userErrors": [],
        }

    def refund(self, input: dict[str, Any]) -> dict[str, Any]:  # noqa: A002
        order = self._order(input["orderId"])
        if order is None:
            return {
                "order": None,
                "refund": None,
                "userErrors": [_err(["orderId"], "Order does not exist")],
            }
        lines = {gid("LineItem", li["id"]): li for li in order["lineItems"]}
        for index, raw in enumerate(input.get("refundLineItems") or []):
            if raw["lineItemId"] not in lines:
                return {
                    "order": None,
                    "refund": None,
                    "userErrors": [
                        _err(["refundLineItems", index, "lineItemId"], "Line item does not exist")
                    ],
                }
        for raw in input.get("refundLineItems") or []:
            self._refund_line(
                lines[raw["lineItemId"]],
                int(raw["quantity"]),
                raw.get("restockType") or "NO_RESTOCK",
            )
        refunded = sum(
            (
                Decimal(str(t["amount"]))
                for t in input.get("transactions") or []
                if t.get("kind") == "REFUND"
            ),
            Decimal(0),
        )
        order.setdefault("refunds", []).append(
            {"id": self.next_id("line"), "amount": str(refunded), "note": input.get("note")}
        )
        total_refunded = sum((Decimal(r["amount"]) for r in order["refunds"]), Decimal(0))
        if total_refunded > 0:
            order["displayFinancialStatus"] = (
                "REFUNDED" if total_refunded >= Decimal(order["total"]) else "PARTIALLY_REFUNDED"
            )
        if not any(True for _ in self._unfulfilled(order)):
            for fo in order["fulfillmentOrders"]:
                if fo["status"] not in ("CLOSED", "CANCELLED"):
                    fo["status"], fo["holds"] = "CLOSED", []
        self._settle(order)
        return {
            "order": self.views.order(order),
            "refund": {"id": gid("Refund", order["refunds"][-1]["id"]), "note": input.get("note")},
            "userErrors": [],
        }

    def _refund_line(self, line: dict[str, Any], units: int, restock: str) -> None:
        level = self._level(line)
        unfulfilled = (
            int(line["quantity"]) - int(line.get("fulfilled", 0)) - int(line.get("removed", 0))
        )
        if restock in ("CANCEL", "NO_RESTOCK") or (restock == "LEGACY_RESTOCK" and unfulfilled):
            units = min(units, unfulfilled)
            committed = min(units, int(line.get("committed", 0)))
            if level is not None:
                move(
                    level, "committed", "available" if restock != "NO_RESTOCK" else None, committed
                )
            line["committed"] = int(line.get("committed", 0)) - committed
            line["removed"] = int(line.get("removed", 0)) + units
        elif restock in ("RETURN", "LEGACY_RESTOCK") and level is not None:
            move(level, None, "available", min(units, int(line.get("fulfilled", 0))))
