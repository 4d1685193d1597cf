"""Every Wix endpoint the connector calls, with the page of Wix's REST reference for it.

Why a list: Wix publishes no OpenAPI files for these APIs, so the requests and answers
are checked against JSON Schemas written from these pages
(``tests/data/openapi/wix/endpoints.json``); ``tests/test_wix_documented_endpoints.py``
replays the connector against the sandbox on both catalog versions and checks that the
endpoints it met are exactly these, so an endpoint added to the connector without its
documented schema fails a test instead of going unchecked. Paths are below
``https://www.wixapis.com``; an id in a path is written ``{id}``.
"""

from __future__ import annotations

import re

__all__ = ["ENDPOINTS", "template"]

_DOCS = "https://dev.wix.com/docs/"

# method, path, page below https://dev.wix.com/docs/ (one an endpoint).
_TABLE = """
GET /stores/v3/provision/version
    api-reference/business-solutions/stores/catalog-versioning/get-catalog-version
POST /stores/v3/products/query
    api-reference/business-solutions/stores/catalog-v3/products-v3/query-products
POST /stores/v3/bulk/products-with-inventory/create
    api-reference/business-solutions/stores/catalog-v3/products-v3/bulk-create-products-with-inventory
POST /stores/v3/bulk/products/update
    api-reference/business-solutions/stores/catalog-v3/products-v3/bulk-update-products
PATCH /stores/v3/products/{id}
    api-reference/business-solutions/stores/catalog-v3/products-v3/update-product
POST /stores/v3/inventory-items
    api-reference/business-solutions/stores/catalog-v3/inventory-items-v3/create-inventory-item
POST /stores/v3/inventory-items/query
    api-reference/business-solutions/stores/catalog-v3/inventory-items-v3/query-inventory-items
POST /stores/v3/bulk/inventory-items/update
    api-reference/business-solutions/stores/catalog-v3/inventory-items-v3/bulk-update-inventory-items
POST /categories/v1/categories
    rest/business-management/categories/create-category
POST /categories/v1/categories/query
    rest/business-management/categories/query-categories
POST /categories/v1/bulk/categories/{id}/add-items
    rest/business-management/categories/bulk-add-items-to-category
POST /stores/v1/products/query
    rest/business-solutions/stores/catalog/query-products
POST /stores/v1/products
    rest/business-solutions/stores/catalog/create-product
PATCH /stores/v1/products/{id}
    rest/business-solutions/stores/catalog/update-product
POST /stores/v1/collections/query
    rest/business-solutions/stores/catalog/query-collections
POST /stores/v1/collections
    rest/business-solutions/stores/catalog/create-collection
PATCH /stores/v1/collections/{id}
    rest/api-reference/wix-stores/catalog/update-collection-properties
PATCH /stores/v2/inventoryItems/product/{id}
    rest/business-solutions/stores/inventory/update-inventory-variants
POST /contacts/v4/extended-fields
    api-reference/crm/members-contacts/contacts/extended-fields/find-or-create-extended-field
POST /contacts/v4/contacts
    rest/crm/members-contacts/contacts/contacts/contact-v4/create-contact
POST /contacts/v4/contacts/query
    rest/crm/members-contacts/contacts/contacts/contact-v4/query-contacts
GET /contacts/v4/contacts/{id}
    rest/crm/members-contacts/contacts/contacts/contact-v4/get-contact
PATCH /contacts/v4/contacts/{id}
    rest/crm/members-contacts/contacts/contacts/contact-v4/update-contact
POST /ecom/v1/orders/search
    rest/api-reference/wix-e-commerce/orders/search-orders
GET /ecom/v1/orders/{id}
    rest/api-reference/wix-e-commerce/orders/get-order
POST /ecom/v1/payments/list-by-ids
    rest/business-solutions/e-commerce/order-transactions/list-transactions-for-multiple-orders
POST /ecom/v1/fulfillments/orders/{id}/create-fulfillment
    rest/api-reference/wix-e-commerce/order-fulfillments/create-fulfillment
POST /ecom/v1/orders/{id}/activities/add
    api-reference/business-solutions/e-commerce/orders/orders/add-activities
"""


def _parse(table: str) -> dict[tuple[str, str], str]:
    lines = table.strip().splitlines()
    found: dict[tuple[str, str], str] = {}
    for head, page in zip(lines[::2], lines[1::2], strict=True):
        method, path = head.split()
        found[(method, path)] = _DOCS + page.strip()
    return found


# (method, path) → the page describing it.
ENDPOINTS: dict[tuple[str, str], str] = _parse(_TABLE)

_PATTERNS = [
    (method, path, re.compile("^" + re.escape(path).replace(r"\{id\}", "[^/]+") + "$"))
    for method, path in ENDPOINTS
    if "{id}" in path
]


def template(method: str, path: str) -> str:
    """``path`` with its ids written ``{id}``; a fixed path (``…/products/query``) wins
    over a template it would also match (``…/products/{id}``)."""
    if (method, path) in ENDPOINTS:
        return path
    for known_method, known, pattern in _PATTERNS:
        if known_method == method and pattern.match(path):
            return known
    return path
