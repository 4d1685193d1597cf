"""The Wix Stores Catalog V3 side: products, categories, inventory items.

Docs:
- Query Products, ``POST /stores/v3/products/query``, cursor paging
  (dev.wix.com/docs/rest/business-solutions/stores/catalog-v3/introduction);
- Bulk Create Products With Inventory, ``POST /stores/v3/bulk/products-with-inventory/create``:
  up to 100 products a request (and 1,000 variants among them), each answered in
  ``results[].itemMetadata {originalIndex, success, error}`` with ``item``
  (dev.wix.com/docs/sdk/backend-modules/stores/catalog-v3/products-v3/setup);
- Bulk Update Products, ``POST /stores/v3/bulk/products/update``: up to 100, each with
  its current ``revision`` (428/409 on a stale one)
  (dev.wix.com/docs/rest/business-solutions/stores/catalog-v3/products-v3/bulk-update-products-with-inventory);
- Inventory Items V3: ``POST /stores/v3/inventory-items/query`` (cursor paging, up to
  1,000 items a page,
  dev.wix.com/docs/api-reference/business-solutions/stores/catalog-v3/inventory-items-v3/query-inventory-items)
  and Bulk
  Update Inventory Items, ``POST /stores/v3/bulk/inventory-items/update``, 1 to 1,000
  items, each with its ``id`` and current ``revision``
  (dev.wix.com/docs/rest/business-solutions/stores/catalog-v3/inventory-items-v3/bulk-update-inventory-items);
- Categories: ``POST /categories/v1/categories/query`` and ``POST /categories/v1/categories``
  in the ``@wix/stores`` tree (``treeReference.appNamespace``); a product goes into a
  category through the Categories API, as an item (the Wix Stores app id and the product
  id), "Bulk Add Items To Category", ``POST /categories/v1/bulk/categories/{id}/add-items``
  (dev.wix.com/docs/api-reference/business-management/categories/introduction: "Add and
  remove items/products from categories"); the product's ``allCategoriesInfo`` is read-only.

So a stock update of N items costs one inventory query per 100 products and one
bulk update per 1,000 items: the fewest requests the API allows, since an update
must name each item's id and revision.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any

from passerelle.connectors.base import CategoryWrite, ProductWrite, WriteOutcome
from passerelle.connectors.errors import ConnectorError
from passerelle.connectors.paths import segment
from passerelle.connectors.wix.client import WixClient, chunks
from passerelle.connectors.wix.translate_products import v3_body, v3_products, v3_variant
from passerelle.connectors.wix.variants_v3 import VariantsV3, variable_product
from passerelle.i18n.messages import M_, Mn_, said
from passerelle.model import ProductDraft, ShopCategory, ShopProduct

__all__ = ["INVENTORY_BATCH", "PRODUCT_BATCH", "CatalogV3"]

PRODUCT_BATCH = 100  # bulk create / update products: up to 100
INVENTORY_BATCH = 1000  # bulk update inventory items: maxItems 1000
PRODUCT_FIELDS = ("PLAIN_DESCRIPTION", "ALL_CATEGORIES_INFO")  # asked of Query Products
QUERY_PAGE = 100  # products a query page, and product ids a filter names
INVENTORY_PAGE = 1000  # Query Inventory Items: "up to 1,000 inventory items"
_TREE = {"appNamespace": "@wix/stores"}
#: The Wix Stores app's id: a category item's ``appId`` (Categories API introduction).
STORES_APP_ID = "215238eb-22a5-4c36-9e7b-e7c08025e04e"


def bulk_outcomes(
    answer: Any, writes: Sequence[ProductWrite], *, created: bool
) -> list[WriteOutcome]:
    """One outcome per write from a bulk answer's ``results`` (by ``originalIndex``)."""
    outcomes = [WriteOutcome(w.key, error=M_("Wix did not answer for this record")) for w in writes]
    for position, result in enumerate((answer or {}).get("results") or []):
        meta = result.get("itemMetadata") or {}
        index = int(meta.get("originalIndex", position))
        if not 0 <= index < len(writes):
            continue
        write = writes[index]
        if meta.get("success"):
            item = result.get("item") or {}
            shop_id = str(meta.get("id") or item.get("id") or write.shop_id or "")
            outcomes[index] = WriteOutcome(write.key, shop_id, created=created)
        else:
            error = meta.get("error") or {}
            outcomes[index] = WriteOutcome(
                write.key,
                error=M_(
                    "Wix refused %(sku)s: %(message)s",
                    sku=write.draft.sku,
                    message=str(error.get("description") or error.get("code") or ""),
                ),
            )
    return outcomes


class CatalogV3:
    """Reads and writes a V3 catalogue."""

    def __init__(self, client: WixClient) -> None:
        self.client = client

    def categories(self) -> list[tuple[str, ShopCategory]]:
        return [
            (
                str(raw["id"]),
                ShopCategory(
                    name=str(raw.get("name") or ""),
                    parent_id=str((raw.get("parentCategory") or {}).get("id") or "") or None,
                ),
            )
            for raw in self.client.iter_cursor(
                "categories/v1/categories/query",
                "categories",
                extra={"treeReference": _TREE},
                what=M_("the categories"),
            )
        ]

    def write_categories(self, writes: Sequence[CategoryWrite]) -> list[WriteOutcome]:
        """New categories, one request each (the API creates one at a time); renaming
        an existing one needs its revision, which passerelle does not keep yet."""
        outcomes = []
        for write in writes:
            if write.shop_id is not None:
                outcomes.append(WriteOutcome(write.key, write.shop_id, unsupported=("name",)))
                continue
            body: dict[str, Any] = {"name": write.category.name}
            if write.category.parent_id:
                body["parentCategory"] = {"id": write.category.parent_id}
            try:
                made = self.client.post(
                    "categories/v1/categories",
                    {"category": body, "treeReference": _TREE},
                    what=M_("the category %(name)s", name=write.category.name),
                    creates=True,
                )
                shop_id = str(((made or {}).get("category") or {})["id"])
                outcomes.append(WriteOutcome(write.key, shop_id, created=True))
            except (ConnectorError, KeyError) as exc:
                outcomes.append(WriteOutcome(write.key, error=_said(exc)))
        return outcomes

    def raw_products(self, filter_: dict[str, Any] | None = None) -> Iterator[dict[str, Any]]:
        """Products with the fields Query Products returns only when asked for: the
        plain description and the categories (the Query Products recipe's ``fields``)."""
        return self.client.iter_cursor(
            "stores/v3/products/query",
            "products",
            {"filter": filter_} if filter_ else None,
            limit=QUERY_PAGE,
            extra={"fields": list(PRODUCT_FIELDS)},
            what=M_("the products"),
        )

    def inventory(self, product_ids: Sequence[str] | None = None) -> dict[str, dict[str, Any]]:
        """Inventory items by variant id: of these products (100 a query), or all."""
        found: dict[str, dict[str, Any]] = {}
        groups: list[Sequence[str] | None] = (
            list(chunks(list(product_ids), QUERY_PAGE)) if product_ids is not None else [None]
        )
        for group in groups:
            query = {"filter": {"productId": {"$in": list(group)}}} if group else None
            for item in self.client.iter_cursor(
                "stores/v3/inventory-items/query",
                "inventoryItems",
                query,
                limit=INVENTORY_PAGE,
                what=M_("the stock levels"),
            ):
                found[str(item.get("variantId"))] = item
        return found

    def products(self, names: dict[str, str]) -> Iterator[ShopProduct]:
        stock = self.inventory()
        for raw in self.raw_products():
            yield from v3_products(raw, names, stock)

    def skus(self) -> dict[str, str]:
        """Shop ids by SKU, from one walk of the catalogue."""
        found: dict[str, str] = {}
        for raw in self.raw_products():
            for product in v3_products(raw, {}, {}):
                if product.sku:
                    found[product.sku] = product.shop_id
        return found

    # ------------------------------------------------------------------- writes
    def create(self, writes: Sequence[ProductWrite]) -> list[WriteOutcome]:
        """Simple products, each with its one variant and its stock, and products with
        variants (their options; see ``variants_v3``), 100 a request."""
        outcomes: list[WriteOutcome] = []
        for chunk in chunks(list(writes), PRODUCT_BATCH):
            products = []
            for write in chunk:
                product = (
                    variable_product(write.draft)
                    if write.draft.kind == "variable"
                    else _simple_product(write.draft)
                )
                products.append(product)
            try:
                answer = self.client.post(
                    "stores/v3/bulk/products-with-inventory/create",
                    {"products": products, "returnEntity": True},
                    what=Mn_("%(num)s product", "%(num)s products", len(chunk)),
                    creates=True,
                )
                done = bulk_outcomes(answer, chunk, created=True)
                outcomes += self._categorised(chunk, done)
            except ConnectorError as exc:
                outcomes += [WriteOutcome(w.key, error=said(exc)) for w in chunk]
        return outcomes

    def _categorised(
        self, writes: Sequence[ProductWrite], outcomes: list[WriteOutcome]
    ) -> list[WriteOutcome]:
        """The new products put in their categories, one request per category."""
        members: dict[str, list[int]] = {}
        for index, (write, outcome) in enumerate(zip(writes, outcomes, strict=True)):
            if outcome.ok and outcome.shop_id:
                for category in write.draft.category_ids:
                    members.setdefault(category, []).append(index)
        for category, indexes in members.items():
            for group in chunks(indexes, QUERY_PAGE):
                items = [
                    {"catalogItemId": outcomes[i].shop_id, "appId": STORES_APP_ID} for i in group
                ]
                try:
                    self.client.post(
                        f"categories/v1/bulk/categories/{segment(category)}/add-items",
                        {"items": items, "treeReference": _TREE},
                        what=M_("the products of category %(id)s", id=category),
                    )
                except ConnectorError as exc:
                    for i in group:
                        outcomes[i] = WriteOutcome(
                            writes[i].key, outcomes[i].shop_id, created=True, error=said(exc)
                        )
        return outcomes

    def add_variations(self, parent_id: str, writes: Sequence[ProductWrite]) -> list[WriteOutcome]:
        """New variations of the product ``parent_id`` (read first for its revision)."""
        try:
            current = next(iter(self.raw_products({"id": {"$in": [parent_id]}})), None)
        except ConnectorError as exc:
            return [WriteOutcome(w.key, error=said(exc)) for w in writes]
        return VariantsV3(self.client).add(current, writes)

    def update(self, writes: Sequence[ProductWrite]) -> list[WriteOutcome]:
        """Product fields of existing products, 100 a request, each with its revision
        (read in one query per 100 products). Variant values are sent with the whole
        variant list, as the API wants it."""
        outcomes: list[WriteOutcome] = []
        for chunk in chunks(list(writes), PRODUCT_BATCH):
            ids = [str(w.shop_id).split("/")[0] for w in chunk]
            try:
                current = {
                    str(p["id"]): p for p in self.raw_products({"id": {"$in": sorted(set(ids))}})
                }
            except ConnectorError as exc:
                outcomes += [WriteOutcome(w.key, error=said(exc)) for w in chunk]
                continue
            bodies, sent = [], []
            for write, pid in zip(chunk, ids, strict=True):
                found = current.get(pid)
                if found is None:
                    outcomes.append(WriteOutcome(write.key, write.shop_id, gone=True))
                    continue
                bodies.append({"product": _updated(found, write)})
                sent.append(write)
            if not bodies:
                continue
            try:
                answer = self.client.post(
                    "stores/v3/bulk/products/update",
                    {"products": bodies, "returnEntity": False},
                    what=Mn_("%(num)s product", "%(num)s products", len(bodies)),
                )
                outcomes += bulk_outcomes(answer, sent, created=False)
            except ConnectorError as exc:
                outcomes += [WriteOutcome(w.key, error=said(exc)) for w in sent]
        by_key = {o.key: o for o in outcomes}
        return [by_key[w.key] for w in writes]

    def write_stock(self, writes: Sequence[ProductWrite]) -> dict[str, WriteOutcome]:
        """Quantities of existing products and variants: their inventory items read
        (one query per 100 products), then updated 1,000 a request."""
        outcomes: dict[str, WriteOutcome] = {}
        pids = sorted({str(w.shop_id).split("/")[0] for w in writes})
        try:
            items = self.inventory(pids)
        except ConnectorError as exc:
            return {w.key: WriteOutcome(w.key, error=said(exc)) for w in writes}
        by_product: dict[str, list[dict[str, Any]]] = {}
        for item in items.values():
            by_product.setdefault(str(item.get("productId")), []).append(item)
        lines: list[tuple[ProductWrite, dict[str, Any]]] = []
        for write in writes:
            pid, _, vid = str(write.shop_id).partition("/")
            mine = [items[vid]] if vid in items else by_product.get(pid, []) if not vid else []
            if len(mine) != 1:
                outcomes[write.key] = (
                    WriteOutcome(write.key, write.shop_id, gone=not mine)
                    if (not mine)
                    else WriteOutcome(
                        write.key,
                        error=M_(
                            "the Wix product %(id)s has several variants: its stock is written "
                            "on each variation",
                            id=pid,
                        ),
                    )
                )
                continue
            item = mine[0]
            lines.append(
                (
                    write,
                    {
                        "inventoryItem": {
                            "id": item["id"],
                            "revision": item.get("revision"),
                            "trackQuantity": bool(write.draft.manage_stock),
                            **(
                                {"quantity": int(write.draft.stock_quantity or 0)}
                                if write.draft.manage_stock
                                else {"inStock": True}
                            ),
                        }
                    },
                )
            )
        for chunk in chunks(lines, INVENTORY_BATCH):
            sent = [w for w, _b in chunk]
            try:
                answer = self.client.post(
                    "stores/v3/bulk/inventory-items/update",
                    {
                        "inventoryItems": [b for _w, b in chunk],
                        "returnEntity": False,
                        "reason": "passerelle stock update",
                    },
                    what=Mn_("the stock of %(num)s item", "the stock of %(num)s items", len(chunk)),
                )
                for outcome in bulk_outcomes(answer, sent, created=False):
                    outcomes[outcome.key] = outcome
            except ConnectorError as exc:
                for write in sent:
                    outcomes[write.key] = WriteOutcome(write.key, error=said(exc))
        for write in writes:  # the bulk answer names the inventory item, not the product
            done = outcomes[write.key]
            if done.ok and not done.gone:
                outcomes[write.key] = WriteOutcome(write.key, write.shop_id)
        return outcomes


def _simple_product(draft: ProductDraft) -> dict[str, Any]:
    variant = v3_variant(draft)
    if draft.manage_stock:
        variant["inventoryItem"] = {"quantity": int(draft.stock_quantity or 0)}
    else:
        variant["inventoryItem"] = {"inStock": True}
    return v3_body(draft) | {
        "productType": "PHYSICAL",
        "physicalProperties": {},
        "variantsInfo": {"variants": [variant]},
    }


def _updated(current: dict[str, Any], write: ProductWrite) -> dict[str, Any]:
    """The product with its revision and the asked fields changed; the variants (all of
    them, as the API wants) with this write's variant values."""
    body: dict[str, Any] = {"id": current["id"], "revision": current.get("revision")}
    body |= v3_body(write.draft, write.fields)
    changes = v3_variant(write.draft, write.fields)
    variants = (current.get("variantsInfo") or {}).get("variants") or []
    _, _, vid = str(write.shop_id).partition("/")
    # A product with options: its own write changes no variant (they are its variations).
    single = len(variants) == 1 and not current.get("options")
    if changes and variants and (vid or single):
        body["options"] = current.get("options") or []
        body["variantsInfo"] = {
            "variants": [
                v | changes if (str(v.get("id")) == vid or single) else v for v in variants
            ]
        }
    return body


def _said(exc: Exception) -> Any:
    return said(exc) if isinstance(exc, ConnectorError) else M_("Wix answered without an id")
