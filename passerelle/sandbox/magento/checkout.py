"""Guest checkout: the storefront's way to place an order, reservations included.

Docs: REST tutorial "Order processing" (developer.adobe.com/commerce/webapi/rest/
tutorials/orders/: ``order-create-quote``, ``order-add-items``,
``order-prepare-checkout``, ``order-create-order``) and the admin OpenAPI file:

- ``POST /V1/guest-carts`` answers the cart's masked id (a string);
- ``POST /V1/guest-carts/{cartId}/items`` ``{"cartItem": {sku, qty, quote_id}}``
  answers the ``quote-data-cart-item-interface``; a quantity the stock cannot
  sell is refused ("The requested qty is not available": MSI's
  ``IsProductSalableForRequestedQty``);
- ``POST /V1/guest-carts/{cartId}/shipping-information`` ``{"addressInformation":
  {shipping_address, billing_address, shipping_carrier_code,
  shipping_method_code}}`` answers the payment methods and totals;
- ``POST /V1/guest-carts/{cartId}/payment-information`` ``{email, paymentMethod:
  {method}}`` places the order and answers its id. Placement goes through
  ``OrderManagement::place``, where MSI appends the ``order_placed``
  reservation; an order saved with ``POST /V1/orders`` does not (that route
  saves a record, it does not place a sale), which is why the test hooks check out.

Guest-cart routes are anonymous (``webapi.xml`` ``<resource ref="anonymous"/>``). The
test hooks' checkouts are replayed against the official schema
(``tests/sandbox/test_magento_sandbox.py``).
Offline payment methods leave the order ``new``/``pending`` until invoiced.
Prices are excluding tax; the demo store taxes goods and shipping at the French
20 % rate (tax class "Taxable Goods"), flat rate 5.90 per order.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from .errors import MagentoError
from .inventory import Inventory
from .seed import STORE_NAME

__all__ = ["Checkout", "PAYMENT_METHODS", "SHIPPING_METHODS"]

# The store's enabled offline payment methods and carriers (Stores > Configuration
# > Sales > Payment Methods / Delivery Methods), as checkout lists them.
PAYMENT_METHODS = {
    "checkmo": "Check / Money order",
    "banktransfer": "Bank Transfer Payment",
    "cashondelivery": "Cash On Delivery",
}
SHIPPING_METHODS = {"flatrate_flatrate": ("Flat Rate", "Fixed", Decimal("5.90"))}
_RATE = Decimal("20")
_TAX = {"code": "FR-TVA 20 %-1", "title": "TVA 20 %", "percent": float(_RATE)}
_CART_NOT_FOUND = "No such entity with %fieldName = %fieldValue"


def _cents(value: Decimal) -> Decimal:
    return value.quantize(Decimal("0.01"), ROUND_HALF_UP)


def _tax(amount: Decimal) -> Decimal:
    return _cents(amount * _RATE / 100)


class Checkout:
    def __init__(self, data: dict[str, Any], now: Callable[[], str], inventory: Inventory) -> None:
        self.data = data
        self.now = now
        self.inventory = inventory
        data.setdefault("carts", {})
        data["next"].setdefault("order", max((int(k) for k in data["orders"]), default=0) + 1)
        data["next"].setdefault("cart_item", 1)

    def _cart(self, cart_id: str) -> dict[str, Any]:
        cart = self.data["carts"].get(cart_id)
        if cart is None or cart.get("order_id"):
            raise MagentoError(404, _CART_NOT_FOUND, {"fieldName": "cartId", "fieldValue": cart_id})
        return cart

    def create_cart(self) -> str:
        masked = secrets.token_hex(16)
        self.data["carts"][masked] = {"items": [], "created_at": self.now()}
        return masked

    def add_item(self, cart_id: str, body: dict[str, Any]) -> dict[str, Any]:
        cart = self._cart(cart_id)
        raw = body.get("cartItem")
        if not isinstance(raw, dict):
            raise MagentoError(
                400, '"%fieldName" is required. Enter and try again.', {"fieldName": "cartItem"}
            )
        sku = str(raw.get("sku") or "")
        product = self.data["products"].get(sku)
        if product is None:
            raise MagentoError(
                404,
                "The product that was requested doesn't exist. Verify the product and try again.",
            )
        qty = float(raw.get("qty") or 0)
        if qty <= 0:
            raise MagentoError(
                400,
                "The quantity that was requested is invalid. Verify the quantity and try again.",
            )
        if product.get("status") != 1:
            raise MagentoError(400, "Product that you are trying to add is not available.")
        in_cart = sum(i["qty"] for i in cart["items"] if i["sku"] == sku)
        self.inventory.require(sku, in_cart + qty)
        item = {
            "item_id": self.data["next"]["cart_item"],
            "sku": sku,
            "qty": qty,
            "name": product.get("name", ""),
            "price": float(product.get("price") or 0),
            "product_type": product.get("type_id", "simple"),
            "quote_id": cart_id,
            "product_id": product["id"],
        }
        self.data["next"]["cart_item"] += 1
        cart["items"].append(item)
        return dict(item)

    def shipping_information(self, cart_id: str, body: dict[str, Any]) -> dict[str, Any]:
        cart = self._cart(cart_id)
        info = body.get("addressInformation")
        if not isinstance(info, dict) or not isinstance(info.get("shipping_address"), dict):
            raise MagentoError(
                400, "The shipping address is missing. Set the address and try again."
            )
        method = f"{info.get('shipping_carrier_code')}_{info.get('shipping_method_code')}"
        if method not in SHIPPING_METHODS:
            raise MagentoError(
                400,
                "Carrier with such method not found: %1, %2",
                [info.get("shipping_carrier_code"), info.get("shipping_method_code")],
            )
        cart.update(
            {
                "shipping_address": info["shipping_address"],
                "shipping_method": method,
                "billing_address": info.get("billing_address") or info["shipping_address"],
            }
        )
        totals = self._totals(cart)
        return {
            "payment_methods": [{"code": c, "title": t} for c, t in PAYMENT_METHODS.items()],
            "totals": {
                "grand_total": float(totals["grand_total"]),
                "subtotal": float(totals["subtotal"]),
                "tax_amount": float(totals["tax"]),
                "shipping_amount": float(totals["shipping"]),
                "items_qty": int(sum(i["qty"] for i in cart["items"])),
                "weee_tax_applied_amount": None,
                "total_segments": [
                    {"code": code, "value": float(totals[key])}
                    for code, key in (
                        ("subtotal", "subtotal"),
                        ("shipping", "shipping"),
                        ("tax", "tax"),
                        ("grand_total", "grand_total"),
                    )
                ],
                "items": [],
                "base_currency_code": "EUR",
                "quote_currency_code": "EUR",
            },
        }

    def _totals(self, cart: dict[str, Any]) -> dict[str, Decimal]:
        subtotal = sum(
            (_cents(Decimal(str(i["price"])) * Decimal(str(i["qty"]))) for i in cart["items"]),
            Decimal(0),
        )
        shipping = SHIPPING_METHODS[cart["shipping_method"]][2]
        tax = sum(
            (
                _tax(_cents(Decimal(str(i["price"])) * Decimal(str(i["qty"]))))
                for i in cart["items"]
            ),
            Decimal(0),
        ) + _tax(shipping)
        return {
            "subtotal": subtotal,
            "shipping": shipping,
            "tax": tax,
            "grand_total": subtotal + shipping + tax,
        }

    def place(self, cart_id: str, body: dict[str, Any]) -> int:
        """``payment-information``: the order, and MSI's ``order_placed`` reservation."""
        cart = self._cart(cart_id)
        method = str((body.get("paymentMethod") or {}).get("method") or "")
        email = str(body.get("email") or "")
        if not cart["items"]:
            raise MagentoError(400, "The cart is empty. Add items and try again.")
        if "shipping_method" not in cart:
            raise MagentoError(
                400, "The shipping method is missing. Select the shipping method and try again."
            )
        if method not in PAYMENT_METHODS:
            raise MagentoError(400, "The requested Payment Method is not available.")
        if not email:
            raise MagentoError(
                400, '"%fieldName" is required. Enter and try again.', {"fieldName": "email"}
            )
        wanted: dict[str, float] = {}
        for item in cart["items"]:
            wanted[item["sku"]] = wanted.get(item["sku"], 0.0) + item["qty"]
        for sku, qty in wanted.items():
            self.inventory.require(sku, qty)
        oid = self.data["next"]["order"]
        self.data["next"]["order"] += 1
        order = self._order(oid, cart, method, email)
        self.data["orders"][str(oid)] = order
        self.inventory.append({s: -q for s, q in wanted.items()}, "order_placed", oid)
        cart["order_id"] = oid
        return oid

    def _order(self, oid: int, cart: dict[str, Any], method: str, email: str) -> dict[str, Any]:
        now = self.now()
        totals = self._totals(cart)
        items, item_taxes = [], []
        for index, line in enumerate(cart["items"], 1):
            price, qty = Decimal(str(line["price"])), Decimal(str(line["qty"]))
            row = _cents(price * qty)
            tax = _tax(row)
            item_id = oid * 100 + index
            items.append(
                {
                    "item_id": item_id,
                    "order_id": oid,
                    "quote_item_id": line["item_id"],
                    "sku": line["sku"],
                    "name": line["name"],
                    "product_type": line["product_type"],
                    "product_id": line["product_id"],
                    "qty_ordered": float(qty),
                    "qty_invoiced": 0,
                    "qty_shipped": 0,
                    "qty_canceled": 0,
                    "qty_refunded": 0,
                    "price": float(price),
                    "base_price": float(price),
                    "original_price": float(price),
                    "price_incl_tax": float(_cents(price + _tax(price))),
                    "row_total": float(row),
                    "base_row_total": float(row),
                    "row_total_incl_tax": float(row + tax),
                    "discount_amount": 0.0,
                    "base_discount_amount": 0.0,
                    "tax_amount": float(tax),
                    "base_tax_amount": float(tax),
                    "tax_percent": float(_RATE),
                    "is_virtual": 0,
                    "store_id": 1,
                    "created_at": now,
                    "updated_at": now,
                    "weight": 0,
                }
            )
            item_taxes.append(
                {
                    "type": "product",
                    "item_id": item_id,
                    "applied_taxes": [dict(_TAX, amount=float(tax), base_amount=float(tax))],
                }
            )
        shipping, ship_tax = totals["shipping"], _tax(totals["shipping"])
        item_taxes.append(
            {
                "type": "shipping",
                "applied_taxes": [dict(_TAX, amount=float(ship_tax), base_amount=float(ship_tax))],
            }
        )
        address = cart["shipping_address"]
        billing = cart["billing_address"]

        def wire(raw: dict[str, Any], kind: str, entity_id: int) -> dict[str, Any]:
            return {
                "address_type": kind,
                "city": raw.get("city", ""),
                "country_id": raw.get("country_id", ""),
                "email": email,
                "entity_id": entity_id,
                "firstname": raw.get("firstname", ""),
                "lastname": raw.get("lastname", ""),
                "parent_id": oid,
                "postcode": raw.get("postcode", ""),
                "street": raw.get("street") or [""],
                "telephone": raw.get("telephone", ""),
            }

        grand = totals["grand_total"]
        title, _, _ = SHIPPING_METHODS[cart["shipping_method"]]
        return {
            "entity_id": oid,
            "increment_id": f"{oid:09d}",
            "state": "new",
            "status": "pending",
            "store_id": 1,
            "store_name": STORE_NAME,
            "created_at": now,
            "updated_at": now,
            "order_currency_code": "EUR",
            "base_currency_code": "EUR",
            "global_currency_code": "EUR",
            "store_currency_code": "EUR",
            "base_to_order_rate": 1,
            "base_to_global_rate": 1,
            "customer_email": email,
            "customer_firstname": billing.get("firstname", ""),
            "customer_lastname": billing.get("lastname", ""),
            "customer_is_guest": 1,
            "customer_group_id": 0,
            "customer_note": "",
            "customer_note_notify": 0,
            "grand_total": float(grand),
            "base_grand_total": float(grand),
            "subtotal": float(totals["subtotal"]),
            "base_subtotal": float(totals["subtotal"]),
            "subtotal_incl_tax": float(totals["subtotal"] + totals["tax"] - ship_tax),
            "tax_amount": float(totals["tax"]),
            "base_tax_amount": float(totals["tax"]),
            "shipping_amount": float(shipping),
            "base_shipping_amount": float(shipping),
            "shipping_tax_amount": float(ship_tax),
            "base_shipping_tax_amount": float(ship_tax),
            "shipping_incl_tax": float(shipping + ship_tax),
            "shipping_description": f"{title} - Fixed",
            "discount_amount": 0.0,
            "base_discount_amount": 0.0,
            "total_qty_ordered": float(sum(Decimal(str(i["qty"])) for i in cart["items"])),
            "total_item_count": len(items),
            "is_virtual": 0,
            "items": items,
            "billing_address_id": oid * 10 + 1,
            "billing_address": wire(billing, "billing", oid * 10 + 1),
            "payment": {
                "entity_id": oid,
                "parent_id": oid,
                "method": method,
                "amount_ordered": float(grand),
                "base_amount_ordered": float(grand),
                "additional_information": [PAYMENT_METHODS[method]],
                "account_status": None,
                "cc_last4": None,
                "last_trans_id": "",
            },
            "status_histories": [],
            "extension_attributes": {
                "shipping_assignments": [
                    {
                        "shipping": {
                            "address": wire(address, "shipping", oid * 10 + 2),
                            "method": cart["shipping_method"],
                            "total": {
                                "shipping_amount": float(shipping),
                                "shipping_tax_amount": float(ship_tax),
                            },
                        },
                        "items": items,
                    }
                ],
                "applied_taxes": [
                    dict(_TAX, amount=float(totals["tax"]), base_amount=float(totals["tax"]))
                ],
                "item_applied_taxes": item_taxes,
            },
        }
