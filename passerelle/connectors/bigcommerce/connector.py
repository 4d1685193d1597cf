"""The BigCommerce shop connector: what flows can ask of a BigCommerce store.

Catalogue and customers go through v3 (batch updates, inventory absolute
adjustments), customer groups, orders and shipments through v2 (every
endpoint is listed in ``endpoints``). Orders cost one request per page of 250
(read with their consignments and line items), one ``/taxes`` request per
order, and one ``/coupons`` request for an order with a coupon discount.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from datetime import UTC, datetime
from typing import Any

from passerelle.connectors.base import (
    CategoryWrite,
    ConnectionReport,
    CustomerWrite,
    GroupWrite,
    ProductWrite,
    WriteOutcome,
)
from passerelle.connectors.bigcommerce.brands import Brands
from passerelle.connectors.bigcommerce.client import BigCommerceClient, chunks
from passerelle.connectors.bigcommerce.customers import CustomerGroups, write_customers
from passerelle.connectors.bigcommerce.orders import OrderAccess
from passerelle.connectors.bigcommerce.price_lists import GroupPrices
from passerelle.connectors.bigcommerce.products import (
    INVENTORY_BATCH,
    CatalogWriter,
    shop_products,
)
from passerelle.connectors.bigcommerce.references import missing_references
from passerelle.connectors.bigcommerce.tax_classes import TaxClasses
from passerelle.connectors.bigcommerce.translate_customers import shop_customer
from passerelle.connectors.errors import ConnectorError, RecordError
from passerelle.connectors.http import HttpOptions
from passerelle.connectors.kit.base import HttpShop, without_scheme
from passerelle.connectors.kit.orders import OrdersVia
from passerelle.i18n import _
from passerelle.i18n.messages import M_, Mn_, render, said
from passerelle.model import ShopCategory, ShopCustomer, ShopProduct

__all__ = ["BigCommerceShop"]

_FILTER_CHUNK = 50  # values per ``sku:in`` / ``email:in`` filter

# Records a flow hands over at once, by kind: a multiple of every per-request
# limit the connector splits by, so no request goes out half full. Stock and
# prices ride the largest batches (2,000 inventory items a request; 10 products
# or 50 variants a price update); new products still cost one request each, so
# a product batch stays small enough that a stop loses few bindings.
_BATCHES = {
    "stock": INVENTORY_BATCH,
    "price": 500,
    "product": 250,
    "category": 50,
    "customer": 100,
    "customer_group": 100,
}


class BigCommerceShop(HttpShop[BigCommerceClient], OrdersVia):
    """A BigCommerce store through its REST API (v3 catalog/customers, v2 orders)."""

    platform = "bigcommerce"

    def __init__(
        self,
        api_url: str,
        store_hash: str,
        token: str,
        *,
        options: HttpOptions | None = None,
        **client_options: Any,
    ) -> None:
        self.client = BigCommerceClient(
            api_url, store_hash, token, options=options, **client_options
        )
        self.store_hash = store_hash
        self._tree_id: int | None = None
        self._tax_classes = TaxClasses(self.client)  # read once, when a name is asked
        self._groups = CustomerGroups(self.client)  # read once, when a group is written
        self._brands = Brands(self.client)  # each name looked up once, when written
        # C10: the groups' price lists, read once, when a group price is written.
        self._group_prices = GroupPrices(self.client, self._groups)
        self.orders = OrderAccess(self.client)

    @property
    def identity(self) -> str:
        """The API host and the store hash (``api.bigcommerce.com/stores/<hash>``):
        BigCommerce's own id for the store, whatever domain its storefront has."""
        return without_scheme(self.client.site_url).rstrip("/")

    def batch_size(self, kind: str) -> int:
        """Stock 2,000 (one ``/v3/inventory/adjustments/absolute`` request), see ``_BATCHES``."""
        return _BATCHES.get(kind, 100)

    def test_connection(self) -> ConnectionReport:
        try:
            self.client.get("v2/order_statuses", what=M_("the order statuses"))
        except ConnectorError as exc:
            return ConnectionReport(False, render(said(exc)))
        return ConnectionReport(
            True, _("BigCommerce store %(store)s answered.", store=self.store_hash)
        )

    # ----------------------------------------------------------------- categories
    def _tree(self) -> int:
        if self._tree_id is None:
            trees = self.client.get("v3/catalog/trees", what=M_("the category trees"))
            data = (trees or {}).get("data") or []
            if not data:
                raise RecordError(M_("the BigCommerce store has no category tree"))
            self._tree_id = int(data[0]["id"])
        return self._tree_id

    def list_categories(self) -> list[tuple[str, ShopCategory]]:
        return [
            (
                str(c["category_id"]),
                ShopCategory(
                    name=str(c.get("name") or ""),
                    parent_id=str(c["parent_id"]) if c.get("parent_id") else None,
                ),
            )
            for c in self.client.iter_v3(
                "v3/catalog/trees/categories",
                {"tree_id:in": self._tree()},
                what=M_("the categories"),
            )
        ]

    def write_categories(self, writes: Sequence[CategoryWrite]) -> list[WriteOutcome]:
        outcomes: dict[str, WriteOutcome] = {}
        creates = [w for w in writes if w.shop_id is None]
        updates = [w for w in writes if w.shop_id is not None]
        for chunk in chunks(creates, 50):
            body = [
                {
                    "name": w.category.name,
                    "tree_id": self._tree(),
                    "parent_id": int(w.category.parent_id or 0),
                    "url": _category_url(w.category),
                }
                for w in chunk
            ]
            try:
                answer = self.client.post(
                    "v3/catalog/trees/categories",
                    body,
                    what=Mn_("%(num)s category", "%(num)s categories", len(chunk)),
                )
                for write, made in zip(chunk, answer["data"], strict=True):
                    outcomes[write.key] = WriteOutcome(
                        write.key, str(made["category_id"]), created=True
                    )
            except ConnectorError as exc:
                for write in chunk:
                    outcomes[write.key] = WriteOutcome(write.key, error=said(exc))
        for chunk in chunks(updates, 50):
            body = [
                {
                    "category_id": int(w.shop_id or 0),
                    "name": w.category.name,
                    "parent_id": int(w.category.parent_id or 0),
                }
                for w in chunk
            ]
            try:
                self.client.put(
                    "v3/catalog/trees/categories",
                    body,
                    what=Mn_("%(num)s category", "%(num)s categories", len(chunk)),
                )
                for write in chunk:
                    outcomes[write.key] = WriteOutcome(write.key, write.shop_id)
            except ConnectorError as exc:
                for write in chunk:
                    outcomes[write.key] = WriteOutcome(write.key, error=said(exc))
        return [outcomes[w.key] for w in writes]

    # ------------------------------------------------------------------- products
    def find_products_by_sku(self, skus: Iterable[str]) -> dict[str, str]:
        """Shop ids by SKU: a few by ``sku:in`` filter, many by one catalogue walk."""
        wanted = sorted({s for s in skus if s})
        if not wanted:
            return {}
        found: dict[str, str] = {}
        if len(wanted) <= _FILTER_CHUNK:
            raws: Iterable[dict[str, Any]] = self.client.iter_v3(
                "v3/catalog/products",
                {"sku:in": ",".join(wanted), "include": "variants"},
                what=M_("products by SKU"),
            )
            raws = list(raws)
            missing = [s for s in wanted if s not in {r.get("sku") for r in raws}]
            if missing:  # variant SKUs: their products are found through the variants
                raws += list(
                    self.client.iter_v3(
                        "v3/catalog/products", {"include": "variants"}, what=M_("the products")
                    )
                )
        else:
            raws = self.client.iter_v3(
                "v3/catalog/products", {"include": "variants"}, what=M_("the products")
            )
        targets = set(wanted)
        for raw in raws:
            if raw.get("sku") in targets:
                found[raw["sku"]] = str(raw["id"])
            for variant in raw.get("variants") or []:
                if variant.get("option_values") and variant.get("sku") in targets:
                    found[variant["sku"]] = f"{raw['id']}/{variant['id']}"
        return found

    def _catalog(self) -> CatalogWriter:
        return CatalogWriter(self.client, self._tax_classes, self._brands, self._group_prices)

    def write_products(self, writes: Sequence[ProductWrite]) -> list[WriteOutcome]:
        return self._catalog().write(writes)

    def write_variations(
        self, parent_shop_id: str, writes: Sequence[ProductWrite]
    ) -> list[WriteOutcome]:
        return self._catalog().write(writes, parent_shop_id)

    def iter_products(self) -> Iterator[ShopProduct]:
        names = {int(k): v.name for k, v in self.list_categories()}
        for raw in self.client.iter_v3(
            "v3/catalog/products", {"include": "variants"}, what=M_("the products")
        ):
            yield from shop_products(raw, names)

    # ------------------------------------------------------------------ customers
    def find_customers_by_email(self, emails: Iterable[str]) -> dict[str, str]:
        wanted = sorted({e.lower() for e in emails if e})
        found: dict[str, str] = {}
        for chunk in chunks(wanted, _FILTER_CHUNK):
            for raw in self.client.iter_v3(
                "v3/customers", {"email:in": ",".join(chunk)}, what=M_("customers by e-mail")
            ):
                found[str(raw.get("email", "")).lower()] = str(raw["id"])
        return found

    def write_customers(self, writes: Sequence[CustomerWrite]) -> list[WriteOutcome]:
        """K2–K8: created and updated 10 a request (``customers``)."""
        return write_customers(self.client, writes, self._group_ids(writes))

    def _group_ids(self, writes: Sequence[CustomerWrite]) -> dict[str, int] | None:
        """The store's groups, read only when a customer names one (None: none is written)."""
        if not any(w.customer.group for w in writes):
            return {}
        try:
            return self._groups.ids()
        except ConnectorError:
            return None  # the groups are unreadable: customers are written without them

    def write_customer_groups(self, writes: Sequence[GroupWrite]) -> list[WriteOutcome]:
        """K1: ``/v2/customer_groups``, found by name or created (see ``customers``)."""
        return self._groups.write(writes)

    def iter_customers(self, *, created_after: datetime | None = None) -> Iterator[ShopCustomer]:
        params: dict[str, Any] = {"include": "addresses"}
        if created_after is not None:
            params["date_created:min"] = created_after.astimezone(UTC).isoformat()
        for raw in self.client.iter_v3("v3/customers", params, what=M_("the customers")):
            yield shop_customer(raw)

    @property
    def holds_reservations(self) -> bool:
        """False: ``inventory_level`` is the quantity the store offers; it subtracts no
        open order from what passerelle writes (products catalog, inventory API)."""
        return False

    def missing_references(self, kind: str, names: Iterable[str]) -> set[str]:
        """Tax classes, payment methods, order statuses, shipping methods (``references``)."""
        return missing_references(self.client, self._tax_classes, kind, names)


def _category_url(category: ShopCategory) -> dict[str, Any]:
    """The storefront URL a new category needs (``url`` is required on create, and unique):
    its slug, under its parent's id so two sub-categories of the same name do not clash."""
    import re
    import unicodedata

    plain = unicodedata.normalize("NFKD", category.name).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", plain.lower()).strip("-") or "category"
    parent = f"{category.parent_id}-" if category.parent_id else ""
    return {"path": f"/{parent}{slug}/", "is_customized": False}
