"""Every WooCommerce REST API v3 path the connector calls, below ``/wp-json/wc/v3/``.

Why a list: the wire operations are named once, so what the connector asks of a
shop can be read in one place (woocommerce-rest-api-docs ``wp-api-v3``), as for
the other platforms. ``WooCommerceClient.batch`` adds ``/batch`` to a collection
(``products``, ``products/categories``, ``customers``, a product's variations).
Ids go into a path through ``segment``, so an id can never change the route.
"""

from __future__ import annotations

from passerelle.connectors.paths import segment

__all__ = [
    "CATEGORIES",
    "COUPONS",
    "CUSTOMERS",
    "ORDERS",
    "ORDER_STATUS_TOTALS",
    "PAYMENT_GATEWAYS",
    "PRODUCTS",
    "SHIPPING_METHODS",
    "SYSTEM_STATUS",
    "TAX_CLASSES",
    "order",
    "order_notes",
    "order_refunds",
    "variations",
]

SYSTEM_STATUS = "system_status"  # test_connection
CATEGORIES = "products/categories"
PRODUCTS = "products"
CUSTOMERS = "customers"
ORDERS = "orders"
COUPONS = "coupons"  # a coupon's description, by code
TAX_CLASSES = "taxes/classes"
PAYMENT_GATEWAYS = "payment_gateways"
ORDER_STATUS_TOTALS = "reports/orders/totals"  # every order status, extensions' too
SHIPPING_METHODS = "shipping_methods"


def variations(product_id: object) -> str:
    """A variable product's variations (read, and written by batch)."""
    return f"{PRODUCTS}/{segment(product_id)}/variations"


def order(order_id: object) -> str:
    """One order (read, status and meta written back)."""
    return f"{ORDERS}/{segment(order_id)}"


def order_refunds(order_id: object) -> str:
    return f"{order(order_id)}/refunds"


def order_notes(order_id: object) -> str:
    return f"{order(order_id)}/notes"
