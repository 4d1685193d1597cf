"""What the merchant does to an order: invoice, hold, release, cancel, ship, refund.

Docs (admin-schema-2.4.9.yaml; REST tutorial "Order processing", ``order-create-
invoice``, ``order-create-shipment``; ``sales/order-management`` guides) and the
source where they are silent (magento/magento2 ``Magento\\Sales\\Model\\Order``
``canHold``/``canUnhold``/``canCancel``/``canCreditmemo``,
``Service\\OrderService``):

- ``POST /V1/order/{orderId}/invoice`` ``{capture, notify}`` answers the invoice id;
  the order becomes ``processing`` (``complete`` when shipped too); an order fully
  invoiced, held or cancelled is refused "The order does not allow an invoice to be
  created.";
- ``POST /V1/orders/{id}/hold`` / ``unhold`` answer ``true``; "A hold action is not
  available." / "You cannot remove the hold.";
- ``POST /V1/orders/{id}/cancel`` answers ``true``, or ``false`` when the order
  cannot be cancelled (fully invoiced, held, complete, closed): ``OrderService::
  cancel`` returns ``$order->canCancel()``. MSI appends ``order_canceled`` +qty to
  cancel (ordered − max(invoiced, shipped) − refunded − canceled);
- ``POST /V1/order/{orderId}/ship`` ``{items, notify, tracks}`` answers the
  shipment id; MSI deducts the source item and appends ``shipment_created`` +qty;
- ``POST /V1/order/{orderId}/refund`` ``{items, notify, arguments:
  {extension_attributes: {return_to_stock_items: [order item ids]}}}`` answers the
  credit memo id; a full refund closes the order. Items returned to stock: the
  shipped quantity goes back to the source, the rest compensates the reservation
  (``creditmemo_created``), as ``ReturnProcessor\\ProcessRefundItems`` does.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from .errors import MagentoError, not_found
from .inventory import Inventory

__all__ = ["OrderActions"]

_NO_HOLD = frozenset({"canceled", "complete", "closed", "holded", "payment_review"})


def _left(item: dict[str, Any], *done: str) -> float:
    return max(0.0, float(item["qty_ordered"]) - sum(float(item.get(d) or 0) for d in done))


class OrderActions:
    def __init__(self, data: dict[str, Any], now: Callable[[], str], inventory: Inventory) -> None:
        self.data = data
        self.now = now
        self.inventory = inventory
        for key in ("invoice", "creditmemo", "shipment"):
            data["next"].setdefault(key, 1)
        data.setdefault("invoices", {})
        data.setdefault("creditmemos", {})

    def _order(self, oid: str) -> dict[str, Any]:
        order = self.data["orders"].get(oid)
        if order is None:
            raise not_found("order")
        return order

    def _settle(self, order: dict[str, Any]) -> None:
        """``new`` → ``processing`` once invoiced or shipped; ``complete`` when both."""
        items = order["items"]
        invoiced = all(_left(i, "qty_invoiced") == 0 for i in items)
        shipped = all(_left(i, "qty_shipped", "qty_refunded", "qty_canceled") == 0 for i in items)
        if order["state"] in ("new", "processing", "pending_payment"):
            order["state"] = order["status"] = "complete" if invoiced and shipped else "processing"
        order["updated_at"] = self.now()

    def _new_id(self, kind: str) -> int:
        value = self.data["next"][kind]
        self.data["next"][kind] += 1
        return value

    def invoice(self, oid: str, body: dict[str, Any]) -> int:
        order = self._order(oid)
        if order["state"] in _NO_HOLD - {"complete"} or all(
            _left(i, "qty_invoiced", "qty_canceled") == 0 for i in order["items"]
        ):
            raise MagentoError(400, "The order does not allow an invoice to be created.")
        for item in order["items"]:
            item["qty_invoiced"] = float(item["qty_ordered"]) - float(item.get("qty_canceled") or 0)
        total = order["grand_total"]
        order.update(
            {
                "total_paid": total,
                "base_total_paid": total,
                "total_invoiced": total,
                "base_total_invoiced": total,
            }
        )
        order["payment"].update({"amount_paid": total, "base_amount_paid": total})
        invoice_id = self._new_id("invoice")
        self.data["invoices"][str(invoice_id)] = {
            "entity_id": invoice_id,
            "order_id": int(oid),
            "grand_total": total,
            "created_at": self.now(),
        }
        self._settle(order)
        return invoice_id

    def hold(self, oid: str) -> bool:
        order = self._order(oid)
        if order["state"] in _NO_HOLD:
            raise MagentoError(400, "A hold action is not available.")
        order.update(
            {
                "hold_before_state": order["state"],
                "hold_before_status": order["status"],
                "state": "holded",
                "status": "holded",
                "updated_at": self.now(),
            }
        )
        return True

    def unhold(self, oid: str) -> bool:
        order = self._order(oid)
        if order["state"] != "holded":
            raise MagentoError(400, "You cannot remove the hold.")
        order["state"] = order.pop("hold_before_state", None) or "new"
        order["status"] = order.pop("hold_before_status", None) or "pending"
        order["updated_at"] = self.now()
        return True

    def cancel(self, oid: str) -> bool:
        order = self._order(oid)
        to_cancel = {
            i["sku"]: _left(i, "qty_refunded", "qty_canceled")
            - max(float(i.get("qty_invoiced") or 0), float(i.get("qty_shipped") or 0))
            for i in order["items"]
        }
        if order["state"] in _NO_HOLD or not any(q > 0 for q in to_cancel.values()):
            return False
        for item in order["items"]:
            item["qty_canceled"] = float(item.get("qty_canceled") or 0) + max(
                0.0, to_cancel[item["sku"]]
            )
        self.inventory.append({s: q for s, q in to_cancel.items() if q > 0}, "order_canceled", oid)
        order["state"] = order["status"] = "canceled"
        order["updated_at"] = self.now()
        return True

    def ship(self, oid: str, body: dict[str, Any]) -> int:
        order = self._order(oid)
        asked = {int(i["order_item_id"]): float(i["qty"]) for i in body.get("items") or []}
        quantities = {
            i["item_id"]: asked.get(i["item_id"], 0.0)
            if asked
            else _left(i, "qty_shipped", "qty_refunded", "qty_canceled")
            for i in order["items"]
        }
        if order["state"] in ("canceled", "closed", "holded") or not any(quantities.values()):
            raise MagentoError(
                400,
                "Shipment Document Validation Error(s):\n"
                "The order does not allow a shipment to be created.",
            )
        by_sku: dict[str, float] = {}
        for item in order["items"]:
            by_sku[item["sku"]] = by_sku.get(item["sku"], 0.0) + quantities[item["item_id"]]
        self.inventory.deduct(by_sku)
        self.inventory.append(by_sku, "shipment_created", oid)
        for item in order["items"]:
            item["qty_shipped"] = float(item.get("qty_shipped") or 0) + quantities[item["item_id"]]
        sid = self._new_id("shipment")
        tracks = [
            {
                "order_id": int(oid),
                "parent_id": sid,
                "track_number": t.get("track_number"),
                "title": t.get("title"),
                "carrier_code": t.get("carrier_code"),
                "created_at": self.now(),
            }
            for t in body.get("tracks") or []
        ]
        self.data["shipments"][str(sid)] = {
            "entity_id": sid,
            "order_id": int(oid),
            "tracks": tracks,
            "created_at": self.now(),
            "comment": body.get("comment"),
        }
        self._settle(order)
        return sid

    def refund(self, oid: str, body: dict[str, Any]) -> int:
        order = self._order(oid)
        paid = float(order.get("total_paid") or 0) - float(order.get("total_refunded") or 0)
        if order["state"] in ("canceled", "closed", "holded") or paid <= 0:
            raise MagentoError(400, "The order does not allow a creditmemo to be created.")
        asked = {int(i["order_item_id"]): float(i["qty"]) for i in body.get("items") or []}
        extension = (body.get("arguments") or {}).get("extension_attributes") or {}
        back = {int(i) for i in extension.get("return_to_stock_items") or []}
        to_source: dict[str, float] = {}
        to_reservation: dict[str, float] = {}
        for item in order["items"]:
            quantity = (
                asked.get(item["item_id"], 0.0)
                if asked
                else _left(item, "qty_refunded", "qty_canceled")
            )
            if item["item_id"] in back and quantity > 0:
                shipped = min(quantity, float(item.get("qty_shipped") or 0))
                to_source[item["sku"]] = to_source.get(item["sku"], 0.0) + shipped
                if quantity - shipped > 0:
                    to_reservation[item["sku"]] = to_reservation.get(item["sku"], 0.0) + (
                        quantity - shipped
                    )
            item["qty_refunded"] = float(item.get("qty_refunded") or 0) + quantity
        self.inventory.give_back(to_source)
        self.inventory.append(to_reservation, "creditmemo_created", oid)
        memo_id = self._new_id("creditmemo")
        self.data["creditmemos"][str(memo_id)] = {
            "entity_id": memo_id,
            "order_id": int(oid),
            "created_at": self.now(),
        }
        order["total_refunded"] = order.get("total_paid")
        if all(_left(i, "qty_refunded", "qty_canceled") == 0 for i in order["items"]):
            order["state"] = order["status"] = "closed"
        order["updated_at"] = self.now()
        return memo_id
