"""A buyer's checkout and the merchant's clicks, through the store's own handlers.

``ShopSandbox.place_order``/``set_order_state``/``delete_product``
(``sandbox/platforms.py``) in BigCommerce's words: a checkout is ``POST
/v2/orders`` with its catalogue lines (paid: Awaiting Fulfillment 11; pending:
Awaiting Payment 7; on hold: Manual Verification Required 12, the status the
store gives an order held for review); the merchant's status changes are ``PUT
/v2/orders/{id}`` ``status_id`` (Cancelled 5, Refunded 4…); shipping is ``POST
/v2/orders/{id}/shipments`` of everything left, per shipping address; deleting
is ``DELETE /v3/catalog/products/{id}`` (or ``…/variants/{id}``). The stock
rules of the store's inventory settings apply as they do to API clients.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from .server import BigCommerceSandbox

__all__ = ["STATE_STATUS", "Merchant"]

STATE_STATUS = {"pending": 7, "paid": 11, "on_hold": 12, "cancelled": 5, "refunded": 4}
_BUYER = {
    "first_name": "Camille",
    "last_name": "Martin",
    "street_1": "12 rue des Lilas",
    "city": "Lyon",
    "zip": "69003",
    "country": "France",
    "country_iso2": "FR",
    "email": "camille.martin@example.org",
}


class Merchant:
    def __init__(self, sandbox: BigCommerceSandbox) -> None:
        self.sandbox = sandbox

    def _item(self, sku: str) -> dict[str, Any]:
        data = self.sandbox.data
        for product in data["products"].values():
            if product["sku"] == sku:
                return {"product_id": product["id"]}
        for variant in data["variants"].values():
            if variant["sku"] == sku and variant["option_values"]:
                return {"product_id": variant["product_id"], "variant_id": variant["id"]}
        raise KeyError(f"no product or variant has the SKU {sku!r}")

    def place_order(self, lines: Mapping[str, int], state: str = "paid") -> str:
        if state not in ("pending", "paid", "on_hold"):
            raise ValueError(f"a checkout ends pending, paid or on hold, not {state!r}")
        body = {
            "billing_address": _BUYER,
            "status_id": STATE_STATUS[state],
            "payment_method": "Stripe" if state == "paid" else "Bank Deposit",
            "products": [
                {**self._item(sku), "quantity": int(quantity)} for sku, quantity in lines.items()
            ],
        }
        return str(self.sandbox.call("POST", "/v2/orders", body)["id"])

    def set_order_state(self, order_id: str, state: str) -> None:
        if state == "shipped":
            self._ship(order_id)
            return
        if state not in STATE_STATUS or state == "pending":
            raise ValueError(f"unknown order state {state!r}")
        self.sandbox.call("PUT", f"/v2/orders/{order_id}", {"status_id": STATE_STATUS[state]})

    def _ship(self, order_id: str) -> None:
        data = self.sandbox.data
        by_address: dict[int, list[dict[str, int]]] = {}
        for line in data["order_products"].get(order_id, []):
            left = int(line["quantity"]) - int(line["quantity_shipped"])
            if left > 0:
                by_address.setdefault(int(line["order_address_id"]), []).append(
                    {"order_product_id": int(line["id"]), "quantity": left}
                )
        for address_id, items in by_address.items():
            self.sandbox.call(
                "POST",
                f"/v2/orders/{order_id}/shipments",
                {
                    "order_address_id": address_id,
                    "items": items,
                    "tracking_number": f"SANDBOX{order_id}",
                },
            )

    def delete_product(self, sku: str) -> None:
        item = self._item(sku)
        if "variant_id" in item:
            self.sandbox.call(
                "DELETE", f"/v3/catalog/products/{item['product_id']}/variants/{item['variant_id']}"
            )
        else:
            self.sandbox.call("DELETE", f"/v3/catalog/products/{item['product_id']}")
