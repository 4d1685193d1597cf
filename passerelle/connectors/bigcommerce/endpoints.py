"""Every BigCommerce endpoint the connector calls, with the official file describing it.

Why a list: the sandbox test replays what the connector's flows exchanged
with the sandbox through the official OpenAPI files, and checks that the
endpoints it saw are exactly these — so an endpoint added to the connector
without its spec extract (``tests/data/openapi/bigcommerce``), or one the
replay no longer drives, fails a test instead of going unchecked. Paths are
below ``/stores/<store_hash>``; a numeric id is written ``{id}``.
"""

from __future__ import annotations

import re

__all__ = ["ENDPOINTS", "INVENTORY_SETTINGS_PAGE", "PAGE_ONLY", "template"]

# (method, path) → the file of bigcommerce/docs ``reference/`` that describes it.
ENDPOINTS: dict[tuple[str, str], str] = {
    ("GET", "/v2/order_statuses"): "orders.v2.oas2.yml",  # test_connection
    ("GET", "/v2/tax_classes"): "tax_classes.v2.yml",  # a tax class named by a draft
    ("GET", "/v3/catalog/trees"): "catalog/category-trees_catalog.v3.yml",
    ("GET", "/v3/catalog/trees/categories"): "catalog/category-trees_catalog.v3.yml",
    ("POST", "/v3/catalog/trees/categories"): "catalog/category-trees_catalog.v3.yml",
    ("PUT", "/v3/catalog/trees/categories"): "catalog/category-trees_catalog.v3.yml",
    ("GET", "/v3/catalog/products"): "catalog/products_catalog.v3.yml",
    ("POST", "/v3/catalog/products"): "catalog/products_catalog.v3.yml",
    ("PUT", "/v3/catalog/products"): "catalog/products_catalog.v3.yml",
    ("POST", "/v3/catalog/products/{id}/variants"): "catalog/product-variants_catalog.v3.yml",
    ("PUT", "/v3/catalog/variants"): "catalog/product-variants_catalog.v3.yml",
    # An updated product's features.
    ("GET", "/v3/catalog/products/{id}/custom-fields"): "catalog/products_catalog.v3.yml",
    ("POST", "/v3/catalog/products/{id}/custom-fields"): "catalog/products_catalog.v3.yml",
    ("PUT", "/v3/catalog/products/{id}/custom-fields/{id}"): "catalog/products_catalog.v3.yml",
    # C7: a product's images (downloaded by the store), and a variant's one image.
    ("GET", "/v3/catalog/products/{id}/images"): "catalog/products_catalog.v3.yml",
    ("POST", "/v3/catalog/products/{id}/images"): "catalog/products_catalog.v3.yml",
    ("PUT", "/v3/catalog/products/{id}/images/{id}"): "catalog/products_catalog.v3.yml",
    ("DELETE", "/v3/catalog/products/{id}/images/{id}"): "catalog/products_catalog.v3.yml",
    (
        "POST",
        "/v3/catalog/products/{id}/variants/{id}/image",
    ): "catalog/product-variants_catalog.v3.yml",
    # C10: the customer groups' price lists, their records (by SKU) and the currency.
    ("GET", "/v2/currencies"): "currencies.v2.yml",
    ("GET", "/v3/pricelists"): "price_lists.v3.yml",
    ("POST", "/v3/pricelists"): "price_lists.v3.yml",
    ("GET", "/v3/pricelists/assignments"): "price_lists.v3.yml",
    ("POST", "/v3/pricelists/assignments"): "price_lists.v3.yml",
    ("PUT", "/v3/pricelists/{id}/records"): "price_lists.v3.yml",
    ("DELETE", "/v3/pricelists/{id}/records"): "price_lists.v3.yml",
    ("GET", "/v3/catalog/brands"): "catalog/brands_catalog.v3.yml",  # a product's brand by name
    ("POST", "/v3/catalog/brands"): "catalog/brands_catalog.v3.yml",  # … made when missing
    ("PUT", "/v3/inventory/adjustments/absolute"): "inventory.v3.yml",
    ("GET", "/v3/customers"): "customers.v3.yml",
    ("POST", "/v3/customers"): "customers.v3.yml",
    ("PUT", "/v3/customers"): "customers.v3.yml",
    ("POST", "/v3/customers/addresses"): "customers.v3.yml",  # an updated account's addresses
    ("GET", "/v2/customer_groups"): "customers.v2.yml",
    ("POST", "/v2/customer_groups"): "customers.v2.yml",
    ("GET", "/v2/orders"): "orders.v2.oas2.yml",
    ("GET", "/v2/orders/{id}"): "orders.v2.oas2.yml",  # with its consignments and products
    ("PUT", "/v2/orders/{id}"): "orders.v2.oas2.yml",  # status and staff notes
    ("GET", "/v2/orders/{id}/taxes"): "orders.v2.oas2.yml",
    ("GET", "/v2/orders/{id}/coupons"): "orders.v2.oas2.yml",
    ("POST", "/v2/orders/{id}/shipments"): "orders.v2.oas2.yml",
    ("GET", "/v3/settings/inventory"): "settings.v3.yml",  # which orders hold stock
    ("GET", "/v2/payments/methods"): "payments/methods_payments.v2.yml",  # profile test
    ("GET", "/v2/shipping/zones"): "shipping.v2.yml",
    ("GET", "/v2/shipping/zones/{id}/methods"): "shipping.v2.yml",
}

# Endpoints documented by a reference page whose OpenAPI file bigcommerce/docs does not
# hold (the stored ``settings.v3.yml`` has ``/settings/inventory/notifications`` only): the
# replay checks them against the page's fields and values (``INVENTORY_SETTINGS_PAGE``).
PAGE_ONLY = {("GET", "/v3/settings/inventory")}
INVENTORY_SETTINGS_PAGE = (
    "https://developer.bigcommerce.com/docs/rest-management/settings/inventory"
)

_ID = re.compile(r"/\d+(?=/|$)")


def template(path: str) -> str:
    """``/v2/orders/104/taxes`` → ``/v2/orders/{id}/taxes``."""
    return _ID.sub("/{id}", path)
