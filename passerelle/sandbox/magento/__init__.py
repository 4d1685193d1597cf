"""A local Magento 2 / Adobe Commerce REST API (``/rest/<store>/V1``) for tests and the demo.

Built from the official docs (AdobeDocs/commerce-webapi): the admin OpenAPI
file ``src/openapi/admin-schema-2.4.9.yaml`` for paths and bodies,
``src/pages/rest/use-rest/performing-searches.md`` for ``searchCriteria``,
``src/pages/rest/use-rest/asynchronous-web-endpoints.md`` and
``bulk-endpoints.md`` for ``/rest/async/bulk/V1``, the tutorial "Create a
configurable product" (``rest/tutorials/configurable-product``) for dropdown
attributes, configurable options and children, and the "Web API rate
limiting" guide (``get-started/api-security``) for the input-list limit of 20
entities and the 300 page-size maximum, and "Inventory management: reservations"
for Multi-Source Inventory: orders placed by guest checkout reserve their goods,
shipments deduct the source, and the shop offers the salable quantity. What it
refuses and accepts, and the source of each rule, is tabled in ``README.md``.
"""

from .server import MagentoSandbox

__all__ = ["MagentoSandbox"]
