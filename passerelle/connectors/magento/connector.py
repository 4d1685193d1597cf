"""The Magento 2 / Adobe Commerce shop connector (REST ``/rest/<store>/V1``).

Shop ids: a product's is its SKU (every catalogue route takes the SKU), a
category's, customer's and group's their numeric id, an order's its
``entity_id`` (its ``increment_id`` is the number). The work is split: product
writes in ``products.py`` (their request costs there), customers and groups in
``customers.py``, orders in ``orders.py``, the store's references in
``references.py``. Reads: one request per page of 300 (``searchCriteria``),
stopped by ``total_count``. The product list carries no ``stock_item``
(magento/magento2#36533: only the single-product route does), so the quantities
come from the source's MSI source items, ``GET /V1/inventory/source-items``
filtered by ``source_code``, 300 a page.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from datetime import datetime
from functools import partial

from passerelle.connectors.base import (
    CategoryWrite,
    ConnectionReport,
    CustomerWrite,
    GroupWrite,
    ProductWrite,
    WriteOutcome,
    address_identity,
)
from passerelle.connectors.errors import ConnectorError
from passerelle.connectors.http import HttpOptions
from passerelle.connectors.kit.base import HttpShop
from passerelle.connectors.kit.orders import OrdersVia
from passerelle.connectors.magento.client import MagentoClient
from passerelle.connectors.magento.customers import Customers
from passerelle.connectors.magento.media import ProductImages
from passerelle.connectors.magento.orders import Orders
from passerelle.connectors.magento.products import BULK_THRESHOLD, ProductWriter
from passerelle.connectors.magento.records import guard, in_chunks
from passerelle.connectors.magento.references import StoreReferences
from passerelle.connectors.magento.translate_products import category_payload, product_from_wire
from passerelle.connectors.magento.translate_values import money
from passerelle.connectors.paths import segment
from passerelle.i18n import _
from passerelle.i18n.messages import M_, render, said
from passerelle.model import ShopCategory, ShopCustomer, ShopProduct

__all__ = ["BULK_THRESHOLD", "STOCK_REQUESTS_PER_BATCH", "MagentoShop"]

STOCK_REQUESTS_PER_BATCH = 25  # source-items requests per flow batch (bindings saved after)
_ROOTS = {"1", "2"}  # Root Catalog and the store's Default Category


class MagentoShop(HttpShop[MagentoClient], OrdersVia):
    """A Magento 2 store view through its REST API; orders through ``orders.py``."""

    platform = "magento"

    def __init__(
        self,
        url: str,
        token: str,
        *,
        store_code: str = "default",
        source_code: str = "default",
        list_limit: int = 20,
        options: HttpOptions | None = None,
        barcode_attribute: str = "barcode",
    ) -> None:
        self.client = MagentoClient(url, token, store_code=store_code, options=options)
        self.source_code = source_code
        self.list_limit = list_limit
        self.references = StoreReferences(self.client)
        self.customers = Customers(self.client, self.references.store_view)
        self.orders = Orders(self.client)
        self.products = ProductWriter(
            self.client,
            self.references,
            find=self.find_products_by_sku,
            group_ids=self.customers.group_ids,
            source_code=source_code,
            list_limit=list_limit,
            barcode_attribute=barcode_attribute,
            images=ProductImages(self.client, options),
        )

    @property
    def holds_reservations(self) -> bool:
        """Magento MSI offers the *salable* quantity: the source quantity written here
        minus the reservations its own open orders hold (placed, not shipped, not
        cancelled), so what passerelle writes is the physical stock, never net of
        those orders (docs: "Inventory management: reservations")."""
        return True

    def missing_references(self, kind: str, names: Iterable[str]) -> set[str]:
        """Tax classes are checked; payment methods, order statuses and carriers are
        store configuration no REST route lists (``references.py``): none missing."""
        return self.references.missing(kind, names)

    @property
    def identity(self) -> str:
        """The store's address and its store view code (one Magento serves several
        store views, each its own shop), recorded at first contact."""
        return f"{address_identity(self.client.site_url)}/{self.client.store_code}".replace(
            "//", "/"
        )

    def batch_size(self, kind: str) -> int:
        """Records the flows hand over at once.

        Stock: a whole number of source-items requests (``list_limit`` items each),
        so the batches split into full requests and n levels cost ⌈n / limit⌉.
        Products and prices: one async bulk (and its polls) per 100 saves. The
        rest is one request per record: the batch only spaces the binding writes.
        """
        if kind == "stock":
            return self.list_limit * STOCK_REQUESTS_PER_BATCH
        if kind in ("product", "price"):
            return 100
        return 50

    def test_connection(self) -> ConnectionReport:
        try:
            self.client.call("GET", "store/storeConfigs", what=M_("the store configuration"))
        except ConnectorError as exc:
            return ConnectionReport(False, render(said(exc)))
        return ConnectionReport(True, _("Magento at %(url)s answered.", url=self.client.site_url))

    # ---------------------------------------------------------------- categories
    def list_categories(self) -> list[tuple[str, ShopCategory]]:
        out = []
        for c in self.client.search("categories/list", what=M_("the categories")):
            if str(c["id"]) in _ROOTS:
                continue
            parent = str(c.get("parent_id") or "")
            out.append(
                (
                    str(c["id"]),
                    ShopCategory(
                        name=str(c.get("name") or ""),
                        parent_id=None if parent in _ROOTS else parent,
                    ),
                )
            )
        return out

    def write_categories(self, writes: Sequence[CategoryWrite]) -> list[WriteOutcome]:
        def one(w: CategoryWrite) -> WriteOutcome:
            if w.shop_id is None:
                answer = self.client.call(
                    "POST",
                    "categories",
                    category_payload(w.category),
                    what=M_("category %(name)s", name=w.category.name),
                    idempotent=False,
                )
            else:
                answer = self.client.call(
                    "PUT",
                    f"categories/{segment(w.shop_id)}",
                    category_payload(w.category),
                    what=M_("category %(name)s", name=w.category.name),
                )
            return WriteOutcome(w.key, shop_id=str(answer["id"]), created=w.shop_id is None)

        return [guard(w.key, partial(one, w)) for w in writes]

    # ------------------------------------------------------------------ products
    def find_products_by_sku(self, skus: Iterable[str]) -> dict[str, str]:
        found: dict[str, str] = {}
        for chunk in in_chunks(sorted({s for s in skus if s})):
            for product in self.client.search(
                "products", [[("sku", ",".join(chunk), "in")]], what=M_("products by SKU")
            ):
                if product.get("sku") in chunk:
                    found[product["sku"]] = product["sku"]
        return found

    def write_products(self, writes: Sequence[ProductWrite]) -> list[WriteOutcome]:
        """Stock through MSI source items; other saves one by one, or in one async bulk
        (``products.py``). Updates of products deleted in the shop answer ``gone``."""
        return self.products.write(writes)

    def write_variations(
        self, parent_shop_id: str, writes: Sequence[ProductWrite]
    ) -> list[WriteOutcome]:
        return self.write_products(
            [
                ProductWrite(w.key, w.draft, w.shop_id, w.fields, parent_shop_id=parent_shop_id)
                for w in writes
            ]
        )

    def iter_products(self) -> Iterator[ShopProduct]:
        names = {cid: c.name for cid, c in self.list_categories()}
        stock = self._source_quantities()
        for product in self.client.search("products", what=M_("the products")):
            yield product_from_wire(product, names, stock=stock)
            if product.get("type_id") == "configurable":
                for child in (
                    self.client.call(
                        "GET",
                        f"configurable-products/{segment(product['sku'])}/children",
                        what=M_("the variations of %(sku)s", sku=product["sku"]),
                    )
                    or []
                ):
                    yield product_from_wire(
                        child, names, parent_sku=str(product["sku"]), stock=stock
                    )

    def _source_quantities(self) -> dict[str, int]:
        """SKU → quantity of the source stock is written to (a SKU not assigned to it
        has no source item there: its stock is not managed at that source)."""
        items = self.client.search(
            "inventory/source-items",
            [[("source_code", self.source_code, "eq")]],
            what=M_("the stock of the products"),
        )
        return {
            str(i["sku"]): int(money(i.get("quantity"), M_("a source item's quantity")))
            for i in items
        }

    # ----------------------------------------------------------------- customers
    def find_customers_by_email(self, emails: Iterable[str]) -> dict[str, str]:
        return self.customers.find_by_email(emails)

    def write_customer_groups(self, writes: Sequence[GroupWrite]) -> list[WriteOutcome]:
        return self.customers.write_groups(writes)

    def write_customers(self, writes: Sequence[CustomerWrite]) -> list[WriteOutcome]:
        return self.customers.write(writes)

    def iter_customers(self, *, created_after: datetime | None = None) -> Iterator[ShopCustomer]:
        return self.customers.iter(created_after=created_after)
