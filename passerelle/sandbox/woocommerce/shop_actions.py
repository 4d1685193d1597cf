"""What buyers and the merchant do in the shop, for tests and the demo.

Each action goes through the sandbox's own REST handlers (``WooSandbox.call``,
not recorded as client requests), so everything WooCommerce does around it
happens as it would: stock reduced when an order becomes processing or
on-hold (``resources/stock.py``), given back on cancellation or by a refund
with restock, notes, webhooks.

- A checkout is ``POST /orders`` of a guest with a French address, shipped at
  the demo shop's flat rate: ``paid`` is
  ``set_paid`` (``payment_complete`` → processing, as a card payment does),
  ``on_hold`` the status a bank transfer leaves (``bacs``), ``pending`` an
  order awaiting payment (no stock taken, ``_orders.md`` § statuses).
- The merchant's order actions are status changes (``PUT /orders/<id>``):
  paid = ``set_paid``, shipped = ``completed``; refunded is a full refund of
  every line with ``api_restock`` (``_order-refunds.md``), money not sent back
  through the gateway (``api_refund`` false), which moves the order to
  ``refunded``.
- Deleting a product is "Delete permanently" (``DELETE …?force=true``): a trashed
  product still exists for the REST API, a deleted one is an invalid id.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from .server import WooSandbox

__all__ = ["ORDER_STATES", "ShopActions"]

API = "/wc/v3"
ORDER_STATES = ("paid", "pending", "on_hold", "shipped", "cancelled", "refunded")
_BUYER = {
    "first_name": "Claire",
    "last_name": "Martin",
    "company": "",
    "address_1": "12 rue des Lilas",
    "address_2": "",
    "city": "Lyon",
    "state": "",
    "postcode": "69003",
    "country": "FR",
    "phone": "06 11 22 33 44",
}
# A storefront checkout of physical goods always has a shipping method: the demo
# shop's flat rate (Colissimo), as its seed orders do.
_SHIPPING = {"method_id": "flat_rate", "method_title": "Colissimo", "total": "4.90"}
_STATUS = {
    "on_hold": "on-hold",
    "shipped": "completed",
    "cancelled": "cancelled",
    "pending": "pending",
}


class ShopActions:
    """Checkouts and back-office actions on one started sandbox."""

    def __init__(self, sandbox: WooSandbox) -> None:
        self.sandbox = sandbox

    def place_order(self, lines: Mapping[str, int], *, state: str = "paid") -> str:
        if state not in ("paid", "pending", "on_hold"):
            raise ValueError(f"a new order is paid, pending or on_hold, not {state!r}")
        paid = state == "paid"
        body: dict[str, Any] = {
            "customer_id": 0,
            "billing": {**_BUYER, "email": "claire.martin@example.com"},
            "shipping": dict(_BUYER),
            "payment_method": "stripe" if paid else "bacs",
            "payment_method_title": "Carte bancaire" if paid else "Virement bancaire",
            "line_items": [{"sku": sku, "quantity": int(qty)} for sku, qty in lines.items()],
            "shipping_lines": [dict(_SHIPPING)],
        }
        if paid:
            body.update(set_paid=True, transaction_id="ch_sandbox_checkout")
        else:
            body["status"] = _STATUS[state]
        order = self.sandbox.call("POST", f"{API}/orders", body)
        return str(order["id"])

    def set_order_state(self, order_id: str, state: str) -> None:
        if state == "refunded":
            self._refund_everything(order_id)
        elif state == "paid":
            self.sandbox.call("PUT", f"{API}/orders/{order_id}", {"set_paid": True})
        elif state in _STATUS:
            self.sandbox.call("PUT", f"{API}/orders/{order_id}", {"status": _STATUS[state]})
        else:
            raise ValueError(f"unknown order state {state!r}; one of {ORDER_STATES}")

    def _refund_everything(self, order_id: str) -> None:
        order = self.sandbox.call("GET", f"{API}/orders/{order_id}")
        refunded = sum((-Decimal(r["total"]) for r in order["refunds"]), Decimal(0))
        lines = []
        for group in ("line_items", "shipping_lines", "fee_lines"):
            for item in order[group]:
                line: dict[str, Any] = {
                    "id": item["id"],
                    "refund_total": item["total"],
                    "refund_tax": [
                        {"id": t["id"], "refund_total": t["total"]} for t in item.get("taxes") or []
                    ],
                }
                if "quantity" in item:
                    line["quantity"] = item["quantity"]
                lines.append(line)
        self.sandbox.call(
            "POST",
            f"{API}/orders/{order_id}/refunds",
            {
                "amount": str(Decimal(order["total"]) - refunded),
                "reason": "Commande remboursée",
                "api_refund": False,
                "api_restock": True,
                "line_items": lines,
            },
        )

    def delete_product(self, sku: str) -> None:
        found = self.sandbox.call("GET", f"{API}/products", query={"sku": sku})
        if not found:
            raise KeyError(f"no product or variation with SKU {sku} in the sandbox")
        record = found[0]
        if record.get("type") == "variation":
            route = f"{API}/products/{record['parent_id']}/variations/{record['id']}"
        else:
            route = f"{API}/products/{record['id']}"
        self.sandbox.call("DELETE", route, query={"force": "true"})
