"""The Shopify shop connector (Admin GraphQL API): what flows can ask of a Shopify shop.

It puts together one module per job: :mod:`.client` (the GraphQL POST and the
cost bucket), :mod:`.client_bulk` (bulk operations), :mod:`.catalogue` (collections,
SKU lookups, the location), :mod:`.products` (productSet and stock writes),
:mod:`.customers` and :mod:`.orders` (orders, shipments, sale numbers
back), :mod:`.stock` (available quantities, compare-and-swap) and :mod:`.references`
(what a profile names). Large work goes through bulk operations: SKU lookups of
``bulk_read_min`` or more, ``bulk_write_min`` or more productSet writes at once,
order reads of ``bulk_orders_min`` or more.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from datetime import datetime

from passerelle.connectors.base import (
    CategoryWrite,
    ConnectionReport,
    CustomerWrite,
    GroupWrite,
    ProductWrite,
    WriteOutcome,
)
from passerelle.connectors.errors import ConnectorError
from passerelle.connectors.http import HttpOptions
from passerelle.connectors.kit.base import HttpShop, without_scheme
from passerelle.connectors.kit.orders import OrdersVia
from passerelle.connectors.shopify.catalogue import BULK_READ_MIN, Catalogue
from passerelle.connectors.shopify.client import ShopifyClient
from passerelle.connectors.shopify.client_bulk import BulkRunner
from passerelle.connectors.shopify.customers import Customers
from passerelle.connectors.shopify.orders import BULK_ORDERS_MIN, OrderCalls
from passerelle.connectors.shopify.products import (
    BULK_WRITE_MIN,
    INVENTORY_BATCH,
    STOCK_FIELDS,
    ProductWriter,
)
from passerelle.connectors.shopify.references import References
from passerelle.i18n import _
from passerelle.i18n.messages import M_, render, said
from passerelle.model import ShopCategory, ShopCustomer, ShopProduct

__all__ = [
    "BULK_ORDERS_MIN",
    "BULK_READ_MIN",
    "BULK_WRITE_MIN",
    "STOCK_FIELDS",
    "ShopifyShop",
]

# Stock: one ``inventorySetQuantities`` call; products and prices: enough for one bulk
# ``productSet`` (one operation, not one call each); others: 100.
BATCH_SIZES = {"stock": INVENTORY_BATCH, "product": 1000, "price": 1000}


class ShopifyShop(HttpShop[ShopifyClient], OrdersVia):
    """A Shopify shop through the Admin GraphQL API; orders through ``orders.py``."""

    platform = "shopify"

    def __init__(
        self,
        url: str,
        access_token: str,
        *,
        api_version: str | None = None,
        location: str | None = None,
        options: HttpOptions | None = None,
        bulk_read_min: int = BULK_READ_MIN,
        bulk_write_min: int = BULK_WRITE_MIN,
        bulk_orders_min: int = BULK_ORDERS_MIN,
    ) -> None:
        self.client = ShopifyClient(
            url,
            access_token,
            options=options,
            **({"api_version": api_version} if api_version else {}),
        )
        self.bulk = BulkRunner(self.client, options or HttpOptions())
        self.catalogue = Catalogue(
            self.client, self.bulk, location=location, bulk_read_min=bulk_read_min
        )
        self.products = ProductWriter(
            self.client,
            self.bulk,
            self.catalogue.location,
            self.catalogue.collection_id,
            bulk_write_min=bulk_write_min,
        )
        self.customers = Customers(self.client)
        self.orders = OrderCalls(self.client, self.bulk, bulk_orders_min=bulk_orders_min)
        self.references = References(self.client, self.catalogue.collection_id)

    def batch_size(self, kind: str) -> int:
        return BATCH_SIZES.get(kind, 100)

    # ------------------------------------------------------------------ plumbing
    @property
    def identity(self) -> str:
        """The shop's myshopify.com domain (the Admin API answers only there): Shopify's
        own name for the shop, whatever custom domain its storefront has."""
        return without_scheme(self.client.site_url)

    @property
    def request_count(self) -> int:
        """The GraphQL calls and the bulk results' downloads (their own HTTP client)."""
        return super().request_count + self.bulk.transfers

    def close(self) -> None:
        self.bulk.close()
        super().close()

    def test_connection(self) -> ConnectionReport:
        try:
            data = self.client.run("query { shop { name } }", cost=1, what=M_("the shop"))
        except ConnectorError as exc:
            return ConnectionReport(False, render(said(exc)))
        return ConnectionReport(
            True, _("Shopify shop %(name)s answered.", name=data["shop"]["name"])
        )

    # ------------------------------------------------------------------ catalogue
    def list_categories(self) -> list[tuple[str, ShopCategory]]:
        return self.catalogue.list_categories()

    def write_categories(self, writes: Sequence[CategoryWrite]) -> list[WriteOutcome]:
        return self.catalogue.write_categories(writes)

    def find_products_by_sku(self, skus: Iterable[str]) -> dict[str, str]:
        return self.catalogue.find_by_sku(skus)

    def iter_products(self) -> Iterator[ShopProduct]:
        return self.catalogue.iter_products()

    def write_products(self, writes: Sequence[ProductWrite]) -> list[WriteOutcome]:
        return self.products.write_products(writes)

    def write_variations(
        self, parent_shop_id: str, writes: Sequence[ProductWrite]
    ) -> list[WriteOutcome]:
        return self.products.write_variations(parent_shop_id, writes)

    # ------------------------------------------------------------------ customers
    def find_customers_by_email(self, emails: Iterable[str]) -> dict[str, str]:
        return self.customers.find_by_email(emails)

    def write_customers(self, writes: Sequence[CustomerWrite]) -> list[WriteOutcome]:
        return self.customers.write(writes)

    def write_customer_groups(self, writes: Sequence[GroupWrite]) -> list[WriteOutcome]:
        return self.customers.write_groups(writes)

    def iter_customers(self, *, created_after: datetime | None = None) -> Iterator[ShopCustomer]:
        return self.customers.iter(created_after=created_after)

    @property
    def holds_reservations(self) -> bool:
        """False: passerelle writes *available*, what Shopify offers as it is (its open
        orders' units are already out of it, in *committed*)."""
        return False

    def missing_references(self, kind: str, names: Iterable[str]) -> set[str]:
        return self.references.missing(kind, names)
