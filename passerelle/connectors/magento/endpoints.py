"""Every Magento endpoint the connector calls, as the admin OpenAPI file names it.

The sandbox test replays the flows through ``admin-schema-2.4.9`` (extract in
``tests/data/openapi/magento``) and checks the endpoints seen are exactly these:
one added without its spec block, or no longer driven, fails. Paths are below
``/rest/<store>``; async bulk items (``use-rest/bulk-endpoints``) are bodies of
the synchronous operation. The media gallery's endpoints (C7 images, ``media.py``)
are replayed the same way by ``tests/sandbox/test_magento_gallery_openapi.py``.
"""

from __future__ import annotations

__all__ = ["ASYNC_BULK", "ENDPOINTS", "GALLERY_ENDPOINTS"]

ENDPOINTS: frozenset[tuple[str, str]] = frozenset(
    {
        ("GET", "/V1/store/storeConfigs"),
        ("GET", "/V1/categories/list"),
        ("POST", "/V1/categories"),
        ("PUT", "/V1/categories/{id}"),
        ("GET", "/V1/products"),
        ("POST", "/V1/products"),
        ("PUT", "/V1/products/{sku}"),
        ("GET", "/V1/products/attributes/{attributeCode}"),
        ("POST", "/V1/products/attributes/{attributeCode}/options"),
        ("POST", "/V1/configurable-products/{sku}/options"),
        ("POST", "/V1/configurable-products/{sku}/child"),
        ("GET", "/V1/configurable-products/{sku}/children"),
        ("POST", "/V1/inventory/source-items"),
        ("GET", "/V1/inventory/source-items"),
        ("GET", "/V1/bulk/{bulkUuid}/detailed-status"),
        ("GET", "/V1/customerGroups/search"),
        ("POST", "/V1/customerGroups"),
        ("PUT", "/V1/customerGroups/{id}"),
        ("GET", "/V1/customers/search"),
        ("POST", "/V1/customers"),
        ("PUT", "/V1/customers/{customerId}"),
        ("GET", "/V1/orders"),
        ("GET", "/V1/orders/{id}"),
        ("POST", "/V1/orders/{id}/comments"),
        ("POST", "/V1/order/{orderId}/ship"),
        ("GET", "/V1/taxClasses/search"),
    }
)
# The async bulk route → the synchronous operation each of its items is a body of.
ASYNC_BULK: dict[tuple[str, str], tuple[str, str]] = {
    ("POST", "/async/bulk/V1/products"): ("POST", "/V1/products"),
}
# C7: a product's images (``media.py``), replayed with the images they carry.
GALLERY_ENDPOINTS: frozenset[tuple[str, str]] = frozenset(
    {
        ("GET", "/V1/products/{sku}/media"),
        ("POST", "/V1/products/{sku}/media"),
        ("PUT", "/V1/products/{sku}/media/{entryId}"),
        ("DELETE", "/V1/products/{sku}/media/{entryId}"),
    }
)
