"""What groups products: Catalog V3's categories (Categories API) and Catalog V1's collections.

Sources (dev.wix.com):
- "About the Wix Categories API": works with Catalog V3 only; every request names the tree
  (``treeReference.appNamespace`` ``@wix/stores``); at most 1,000 categories a tree, 5 levels,
  one parent a category; items are referenced by the Stores app id and the product id.
  "Category Object": ``name`` 1–80 characters, ``revision``, ``itemCounter``,
  ``parentCategory``. Endpoints [verify: the paths follow the package's REST naming]:
  ``POST /categories/v1/categories``, ``POST /categories/v1/categories/query``,
  ``POST /categories/v1/bulk/categories/{id}/add-items``.
- Catalog V1 "Create Collection" (``POST /stores/v1/collections``), "Add Products To
  Collection" (``POST /stores/v1/collections/{id}/productIds``, answers ``{}``), "Query
  Collections" (``POST /stores-reader/v1/collections/query``, offset paging), "Update
  Collection Properties" (``PATCH /stores/v1/collections/{collection.id}``, the fields
  sent changed, answers ``{collection}``;
  dev.wix.com/docs/rest/api-reference/wix-stores/catalog/update-collection-properties).
"""

from __future__ import annotations

from typing import Any

from .query import matches
from .state import Table
from .wire import (
    STORES_APP_ID,
    WixError,
    bulk_answer,
    cursor_page,
    invalid,
    not_found,
    offset_page,
    required,
)

__all__ = ["CategoriesV3", "CollectionsV1"]

MAX_CATEGORIES = 1000
MAX_DEPTH = 5


def _tree(body: dict[str, Any]) -> None:
    if (body.get("treeReference") or {}).get("appNamespace") != "@wix/stores":
        raise invalid("treeReference.appNamespace", "must be @wix/stores", "REQUIRED_FIELD")


class CategoriesV3(Table):
    name = "categories"

    def _depth(self, category_id: str | None) -> int:
        depth = 0
        while category_id:
            depth += 1
            category_id = (self.table[category_id].get("parentCategory") or {}).get("id")
        return depth

    def _render(self, category: dict[str, Any]) -> dict[str, Any]:
        shown = {k: v for k, v in category.items() if k != "items"}
        return {**shown, "itemCounter": len(category["items"])}

    def create(self, body: dict[str, Any]) -> dict[str, Any]:
        _tree(body)
        given = required(body, "category")
        name = required(given, "name")
        if not isinstance(name, str) or len(name) > 80:
            raise invalid("category.name", "must be 1 to 80 characters", "MAX_LENGTH")
        parent = (given.get("parentCategory") or {}).get("id")
        if parent and parent not in self.table:
            raise not_found("Category", str(parent))
        if len(self.table) >= MAX_CATEGORIES:
            raise WixError(428, "the tree holds 1000 categories", "MAX_CATEGORIES_EXCEEDED")
        if self._depth(parent) + 1 > MAX_DEPTH:
            raise WixError(428, "categories are at most 5 levels deep", "MAX_LEVEL_EXCEEDED")
        now = self.state.now()
        category: dict[str, Any] = {
            "id": self.state.new_id("category"),
            "revision": "1",
            "name": name,
            "visible": bool(given.get("visible", False)),
            **({"parentCategory": {"id": parent}} if parent else {}),
            "createdDate": now,
            "updatedDate": now,
            "items": [],
        }
        self.table[category["id"]] = category
        return {"category": self._render(category)}

    def query(self, body: dict[str, Any]) -> dict[str, Any]:
        _tree(body)
        spec = body.get("query") or {}
        items = [self._render(c) for c in self.table.values() if matches(c, spec.get("filter"))]
        page, meta = cursor_page(items, spec.get("cursorPaging"), maximum=1000, default=100)
        return {"categories": page, "pagingMetadata": meta}

    def add_items(self, body: dict[str, Any], category_id: str) -> dict[str, Any]:
        _tree(body)
        if category_id not in self.table:
            raise not_found("Category", category_id)
        category, results = self.table[category_id], []
        for index, item in enumerate(required(body, "items")):
            known = (
                item.get("appId") == STORES_APP_ID
                and item.get("catalogItemId") in self.state.data["products"]
            )
            if known and item["catalogItemId"] not in category["items"]:
                category["items"].append(item["catalogItemId"])
            results.append(
                {
                    "itemMetadata": {
                        "id": item.get("catalogItemId"),
                        "originalIndex": index,
                        "success": known,
                    }
                }
            )
        return bulk_answer(results)

    def names_of(self, product_id: str) -> tuple[str, ...]:
        return tuple(c["name"] for c in self.table.values() if product_id in c["items"])


class CollectionsV1(Table):
    name = "collections"

    def _render(self, collection: dict[str, Any]) -> dict[str, Any]:
        shown = {k: v for k, v in collection.items() if k != "productIds"}
        return {**shown, "numberOfProducts": len(collection["productIds"])}

    def create(self, body: dict[str, Any]) -> dict[str, Any]:
        name = required(body, "collection", "name")
        collection = {
            "id": self.state.new_id("collection"),
            "name": name,
            "slug": "-".join(str(name).lower().split()),
            "visible": True,
            "productIds": [],
        }
        self.table[collection["id"]] = collection
        return {"collection": self._render(collection)}

    def update(self, body: dict[str, Any], collection_id: str) -> dict[str, Any]:
        """Only the properties sent change (the page: "Updates specified properties")."""
        if collection_id not in self.table:
            raise not_found("Collection", collection_id)
        changes = body.get("collection")
        if not isinstance(changes, dict):
            raise invalid("collection", "collection is required")
        collection = self.table[collection_id]
        if "name" in changes:
            name = str(changes["name"] or "")
            if not name:
                raise invalid("collection.name", "name must not be empty")
            collection["name"] = name
        if "visible" in changes:
            collection["visible"] = bool(changes["visible"])
        return {"collection": self._render(collection)}

    def add_products(self, body: dict[str, Any], collection_id: str) -> dict[str, Any]:
        if collection_id not in self.table:
            raise not_found("Collection", collection_id)
        held = self.table[collection_id]["productIds"]
        for product_id in required(body, "productIds"):
            product = self.state.data["products"].get(product_id)
            if product is None:
                raise not_found("Product", str(product_id))
            if product_id not in held:
                held.append(product_id)
                product.setdefault("collectionIds", []).append(collection_id)
        return {}

    def query(self, body: dict[str, Any]) -> dict[str, Any]:
        spec = (body or {}).get("query") or {}
        items = [self._render(c) for c in self.table.values()]
        page, limit, offset = offset_page(items, spec.get("paging"), maximum=100, default=100)
        return {
            "collections": page,
            "metadata": {"items": limit, "offset": offset},
            "totalResults": len(items),
        }

    def names_of(self, product_id: str) -> tuple[str, ...]:
        return tuple(c["name"] for c in self.table.values() if product_id in c["productIds"])
