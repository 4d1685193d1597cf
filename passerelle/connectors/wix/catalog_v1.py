"""The Wix Stores Catalog V1 side: products, collections, inventory V2.

Docs:
- Query Products, ``POST /stores/v1/products/query`` with ``includeVariants``, offset
  pages of up to 100 (dev.wix.com/docs/rest/business-solutions/stores/catalog/query-products;
  pages past about 10,000 products need the ``numericId`` walk of
  dev.wix.com/api/rest/wix-stores/pagination, not done yet);
- Query Collections, ``POST /stores/v1/collections/query``; Create Collection,
  ``POST /stores/v1/collections``; Update Collection, ``PATCH /stores/v1/collections/{id}``;
- Create Product, ``POST /stores/v1/products`` ``{product}`` (one a request);
  Update Product, ``PATCH /stores/v1/products/{id}``;
- Update Inventory Variants, ``PATCH /stores/v2/inventoryItems/product/{productId}`` with
  ``{inventoryItem: {trackQuantity, variants: [{variantId, quantity}]}}``: one request per
  product, all its variants at once (the fewest V1 allows); a product without options
  has the one variant ``00000000-0000-0000-0000-000000000000``
  (dev.wix.com/docs/rest/business-solutions/stores/inventory/update-inventory-variants).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any

from passerelle.connectors.base import CategoryWrite, ProductWrite, WriteOutcome
from passerelle.connectors.errors import ConnectorError, NotFoundError
from passerelle.connectors.paths import segment
from passerelle.connectors.wix.client import WixClient
from passerelle.connectors.wix.translate_products import V1_DEFAULT_VARIANT, v1_body, v1_products
from passerelle.i18n.messages import M_, said
from passerelle.model import ShopCategory, ShopProduct

__all__ = ["CatalogV1"]


class CatalogV1:
    """Reads and writes a V1 catalogue."""

    def __init__(self, client: WixClient) -> None:
        self.client = client

    def categories(self) -> list[tuple[str, ShopCategory]]:
        return [
            (str(raw["id"]), ShopCategory(name=str(raw.get("name") or "")))
            for raw in self.client.iter_offset(
                "stores/v1/collections/query", "collections", what=M_("the collections")
            )
        ]

    def write_categories(self, writes: Sequence[CategoryWrite]) -> list[WriteOutcome]:
        """Collections, one request each (V1 has no bulk collection write); they are
        flat, so a parent is not kept."""
        outcomes = []
        for write in writes:
            body = {"collection": {"name": write.category.name}}
            what = M_("the collection %(name)s", name=write.category.name)
            try:
                if write.shop_id is None:
                    made = self.client.post("stores/v1/collections", body, what, creates=True)
                    shop_id = str(((made or {}).get("collection") or {}).get("id") or "")
                    outcomes.append(WriteOutcome(write.key, shop_id, created=True))
                else:
                    self.client.patch(f"stores/v1/collections/{segment(write.shop_id)}", body, what)
                    outcomes.append(WriteOutcome(write.key, write.shop_id))
            except ConnectorError as exc:
                outcomes.append(WriteOutcome(write.key, error=said(exc)))
        return outcomes

    def raw_products(self) -> Iterator[dict[str, Any]]:
        return self.client.iter_offset(
            "stores/v1/products/query",
            "products",
            sort=[{"numericId": "asc"}],
            extra={"includeVariants": True},
            what=M_("the products"),
        )

    def products(self, names: dict[str, str]) -> Iterator[ShopProduct]:
        for raw in self.raw_products():
            yield from v1_products(raw, names)

    def skus(self) -> dict[str, str]:
        found: dict[str, str] = {}
        for raw in self.raw_products():
            for product in v1_products(raw, {}):
                if product.sku:
                    found[product.sku] = product.shop_id
        return found

    def create(self, writes: Sequence[ProductWrite]) -> list[WriteOutcome]:
        """One request per product (V1 has no bulk create), then its stock."""
        outcomes = []
        for write in writes:
            product = v1_body(write.draft) | {"productType": "physical"}
            try:
                made = self.client.post(
                    "stores/v1/products",
                    {"product": product},
                    M_("the product %(sku)s", sku=write.draft.sku),
                    creates=True,
                )
                shop_id = str(((made or {}).get("product") or {}).get("id") or "")
            except ConnectorError as exc:
                outcomes.append(WriteOutcome(write.key, error=said(exc)))
                continue
            outcome = WriteOutcome(write.key, shop_id, created=True)
            if write.draft.manage_stock:
                stocked = self.write_stock([_with_id(write, shop_id)])[write.key]
                outcome = stocked if not stocked.ok else outcome
                outcome.shop_id, outcome.created = shop_id, True
            outcomes.append(outcome)
        return outcomes

    def update(self, writes: Sequence[ProductWrite]) -> list[WriteOutcome]:
        """One request per product; a variation's own values are not written yet."""
        outcomes = []
        for write in writes:
            pid, _, vid = str(write.shop_id).partition("/")
            if vid:
                outcomes.append(
                    WriteOutcome(write.key, write.shop_id, unsupported=tuple(write.fields or ()))
                )
                continue
            try:
                self.client.patch(
                    f"stores/v1/products/{segment(pid)}",
                    {"product": v1_body(write.draft, write.fields)},
                    M_("the product %(sku)s", sku=write.draft.sku),
                )
                outcomes.append(WriteOutcome(write.key, write.shop_id))
            except NotFoundError:
                outcomes.append(WriteOutcome(write.key, write.shop_id, gone=True))
            except ConnectorError as exc:
                outcomes.append(WriteOutcome(write.key, error=said(exc)))
        return outcomes

    def write_stock(self, writes: Sequence[ProductWrite]) -> dict[str, WriteOutcome]:
        """One PATCH per product with every variant written for it."""
        by_product: dict[str, list[ProductWrite]] = {}
        for write in writes:
            by_product.setdefault(str(write.shop_id).partition("/")[0], []).append(write)
        outcomes: dict[str, WriteOutcome] = {}
        for pid, group in by_product.items():
            tracked = all(w.draft.manage_stock for w in group)
            variants = [
                {
                    "variantId": str(w.shop_id).partition("/")[2] or V1_DEFAULT_VARIANT,
                    **(
                        {"quantity": int(w.draft.stock_quantity or 0)}
                        if tracked
                        else {"inStock": True}
                    ),
                }
                for w in group
            ]
            try:
                self.client.patch(
                    f"stores/v2/inventoryItems/product/{segment(pid)}",
                    {"inventoryItem": {"trackQuantity": tracked, "variants": variants}},
                    M_("the stock of product %(id)s", id=pid),
                )
                outcomes.update({w.key: WriteOutcome(w.key, w.shop_id) for w in group})
            except NotFoundError:
                outcomes.update({w.key: WriteOutcome(w.key, w.shop_id, gone=True) for w in group})
            except ConnectorError as exc:
                outcomes.update({w.key: WriteOutcome(w.key, error=said(exc)) for w in group})
        return outcomes


def _with_id(write: ProductWrite, shop_id: str) -> ProductWrite:
    return ProductWrite(key=write.key, draft=write.draft, shop_id=shop_id, fields=write.fields)
