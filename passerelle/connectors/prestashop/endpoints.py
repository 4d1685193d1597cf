"""Every PrestaShop Webservice resource the connector calls, below ``/api/``.

Why a list: the wire operations are named once, so what the connector asks of a
shop can be read in one place (PrestaShop/docs ``webservice/reference.md``), as
for the other platforms. The client reads a resource (``GET /api/<resource>``,
filtered, by pages) and writes one record of it (``POST``, ``PUT``, ``DELETE
/api/<resource>/<id>``); ids go into a path through ``segment``.
"""

from __future__ import annotations

from passerelle.connectors.paths import segment

__all__ = [
    "ADDRESSES",
    "ATTACHMENTS",
    "ATTACHMENT_FILE",
    "CARRIERS",
    "CATEGORIES",
    "COMBINATIONS",
    "CONFIGURATIONS",
    "COUNTRIES",
    "CURRENCIES",
    "CUSTOMERS",
    "GROUPS",
    "LANGUAGES",
    "MESSAGES",
    "ORDERS",
    "ORDER_CARRIERS",
    "ORDER_CART_RULES",
    "ORDER_DETAILS",
    "ORDER_HISTORIES",
    "ORDER_STATES",
    "PRODUCTS",
    "PRODUCT_FEATURES",
    "PRODUCT_FEATURE_VALUES",
    "PRODUCT_OPTIONS",
    "PRODUCT_OPTION_VALUES",
    "PRODUCT_SUPPLIERS",
    "SPECIFIC_PRICES",
    "STOCK_AVAILABLES",
    "TAX_RULE_GROUPS",
    "order",
    "product_images",
]

# Catalogue
CATEGORIES = "categories"
PRODUCTS = "products"
COMBINATIONS = "combinations"  # a product's variations
PRODUCT_OPTIONS = "product_options"  # variation axes
PRODUCT_OPTION_VALUES = "product_option_values"
PRODUCT_FEATURES = "product_features"
PRODUCT_FEATURE_VALUES = "product_feature_values"
STOCK_AVAILABLES = "stock_availables"
SPECIFIC_PRICES = "specific_prices"  # sale and group prices
PRODUCT_SUPPLIERS = "product_suppliers"  # a product's reference and price at a supplier
TAX_RULE_GROUPS = "tax_rule_groups"
LANGUAGES = "languages"
ATTACHMENTS = "attachments"  # a product's documents (1.7.8+), shared by products
ATTACHMENT_FILE = "attachments/file"  # POST: a new attachment with its file (multipart)

# Customers
CUSTOMERS = "customers"
ADDRESSES = "addresses"
GROUPS = "groups"
COUNTRIES = "countries"

# Orders
ORDERS = "orders"
ORDER_DETAILS = "order_details"  # an order's lines
ORDER_CART_RULES = "order_cart_rules"  # its discounts
ORDER_CARRIERS = "order_carriers"  # its shipment and tracking number
ORDER_HISTORIES = "order_histories"  # a state change
ORDER_STATES = "order_states"
MESSAGES = "messages"  # the buyer's messages
CURRENCIES = "currencies"
CARRIERS = "carriers"

# Shop settings: read by the connection test, and for the order states they name
CONFIGURATIONS = "configurations"


def order(order_id: object) -> str:
    """One order, read with what it links to."""
    return f"{ORDERS}/{segment(order_id)}"


def product_images(product_id: object) -> str:
    """A product's images: POST one (multipart ``image``), ``/<id>`` to DELETE one."""
    return f"images/products/{segment(product_id)}"
