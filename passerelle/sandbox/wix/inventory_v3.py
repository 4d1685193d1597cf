"""Catalog V3 inventory items: one per variant and location, with a ``revision``.

Sources (dev.wix.com/docs/api-reference/business-solutions/stores/catalog-v3/inventory-items-v3):
- "Create Inventory Item" (``POST /stores/v3/inventory-items``), "Query Inventory Items"
  (``POST /stores/v3/inventory-items/query``, cursor paging).
- "Bulk Update Inventory Items" (``POST /stores/v3/bulk/inventory-items/update``): "Each
  time an inventory item is updated, revision increments by 1. The current revision must be
  passed"; "Bulk Decrement Inventory Items By Variant And Location"
  (``…/decrement-by-variant-and-location``): ``trackQuantity`` must be true; with
  ``restrictInventory: true`` a decrement past the quantity fails with
  ``INSUFFICIENT_INVENTORY`` (428); "Bulk Increment Inventory Items".
- "Sample Flows": an order placed on the store deducts inventory from the default location.
- [verify] the item limits of the bulk methods and the query's maximum page are not on the
  pages read; the sandbox takes 1000 items a bulk call and 1000 a page (``MAX_ITEMS``).
"""

from __future__ import annotations

from typing import Any

from .query import matches
from .state import Table
from .wire import WixError, bulk_answer, cursor_page, invalid, not_found, required

__all__ = ["DEFAULT_LOCATION", "MAX_ITEMS", "InventoryV3"]

#: The site's default location (Locations API); the only one the sandbox has.
DEFAULT_LOCATION = "8e8f7d7c-3c3a-4f5e-9b1a-0d2c6e4a5b10"
MAX_ITEMS = 1000


class InventoryV3(Table):
    name = "inventory"

    def insert(self, product_id: str, variant_id: str, given: dict[str, Any]) -> dict[str, Any]:
        track = bool(given.get("trackQuantity", "quantity" in given))
        quantity = int(given.get("quantity") or 0) if track else None
        item: dict[str, Any] = {
            "id": self.state.new_id("inventory"),
            "revision": "1",
            "variantId": variant_id,
            "productId": product_id,
            "locationId": given.get("locationId") or DEFAULT_LOCATION,
            "trackQuantity": track,
            "quantity": quantity,
            "inStock": bool(given.get("inStock", True)) if not track else (quantity or 0) > 0,
            "createdDate": self.state.now(),
            "updatedDate": self.state.now(),
        }
        self.table[item["id"]] = item
        return item

    def of_variant(self, variant_id: str) -> dict[str, Any] | None:
        return next(
            (
                i
                for i in self.table.values()
                if i["variantId"] == variant_id and i["locationId"] == DEFAULT_LOCATION
            ),
            None,
        )

    def availability(self, product_id: str) -> str:
        items = [i for i in self.table.values() if i["productId"] == product_id]
        if not items:
            return "OUT_OF_STOCK"
        return "IN_STOCK" if any(i["inStock"] for i in items) else "OUT_OF_STOCK"

    def forget_product(self, product_id: str, keep: frozenset[str] = frozenset()) -> None:
        """The product's items go (but those of the variants in ``keep``)."""
        for key, item in list(self.table.items()):
            if item["productId"] == product_id and item["variantId"] not in keep:
                del self.table[key]

    def _moved(self, item: dict[str, Any], delta: int) -> None:
        item["quantity"] = int(item["quantity"] or 0) + delta
        item["inStock"] = item["quantity"] > 0
        item["revision"] = str(int(item["revision"]) + 1)
        item["updatedDate"] = self.state.now()

    def lower(self, variant_id: str, quantity: int) -> None:
        """What a placed order does: the default location's tracked quantity drops."""
        item = self.of_variant(variant_id)
        if item is not None and item["trackQuantity"]:
            self._moved(item, -quantity)

    # -- handlers -----------------------------------------------------------------------
    def create(self, body: dict[str, Any]) -> dict[str, Any]:
        given = required(body, "inventoryItem")
        product_id = required(given, "productId")
        if product_id not in self.state.data["products"]:
            raise not_found("Product", str(product_id))
        return {"inventoryItem": self.insert(product_id, required(given, "variantId"), given)}

    def query(self, body: dict[str, Any]) -> dict[str, Any]:
        spec = (body or {}).get("query") or {}
        items = [i for i in self.table.values() if matches(i, spec.get("filter"))]
        page, meta = cursor_page(items, spec.get("cursorPaging"), maximum=MAX_ITEMS, default=100)
        return {"inventoryItems": page, "pagingMetadata": meta}

    def _bounded(self, body: dict[str, Any], field: str) -> list[Any]:
        items = required(body, field)
        if len(items) > MAX_ITEMS:
            raise invalid(field, f"must contain at most {MAX_ITEMS} items", "MAX_SIZE")
        return list(items)

    def bulk_update(self, body: dict[str, Any]) -> dict[str, Any]:
        results = []
        for index, masked in enumerate(self._bounded(body, "inventoryItems")):
            given = (masked or {}).get("inventoryItem") or {}
            item = self.table.get(str(given.get("id")))
            error = None
            if item is None:
                error = {"code": "NOT_FOUND", "description": "inventory item not found"}
            elif str(given.get("revision")) != item["revision"]:
                error = {"code": "REVISION_MISMATCH", "description": "revision mismatch"}
            if error is not None or item is None:
                results.append(
                    {
                        "itemMetadata": {
                            "id": given.get("id"),
                            "originalIndex": index,
                            "success": False,
                            "error": error,
                        }
                    }
                )
                continue
            if "trackQuantity" in given:
                item["trackQuantity"] = bool(given["trackQuantity"])
            if "quantity" in given:
                item["quantity"] = int(given["quantity"])
            if "inStock" in given and not item["trackQuantity"]:
                item["inStock"] = bool(given["inStock"])
            if item["trackQuantity"]:
                item["inStock"] = int(item["quantity"] or 0) > 0
            item["revision"] = str(int(item["revision"]) + 1)
            item["updatedDate"] = self.state.now()
            results.append(
                {
                    "itemMetadata": {"id": item["id"], "originalIndex": index, "success": True},
                    **({"item": item} if body.get("returnEntity") else {}),
                }
            )
        return bulk_answer(results)

    def bulk_decrement(self, body: dict[str, Any]) -> dict[str, Any]:
        return self._by_variant(body, "decrementData", "decrementBy", -1)

    def bulk_increment(self, body: dict[str, Any]) -> dict[str, Any]:
        return self._by_variant(body, "incrementData", "incrementBy", 1)

    def _by_variant(self, body: dict[str, Any], field: str, amount: str, sign: int) -> Any:
        moves = []
        for index, entry in enumerate(self._bounded(body, field)):
            item = self.of_variant(str(entry.get("variantId")))
            if item is None or item["locationId"] != entry.get("locationId", DEFAULT_LOCATION):
                raise not_found("Inventory item", str(entry.get("variantId")))
            if not item["trackQuantity"]:
                raise WixError(
                    428,
                    "trackQuantity must be true",
                    "INVENTORY_NOT_TRACKED",
                    f"{field}[{index}]: the item does not track its quantity",
                )
            delta = sign * int(required(entry, amount))
            if sign < 0 and body.get("restrictInventory", True) and item["quantity"] + delta < 0:
                raise WixError(
                    428,
                    "insufficient inventory",
                    "INSUFFICIENT_INVENTORY",
                    f"{field}[{index}]: only {item['quantity']} in stock",
                )
            moves.append((item, delta))
        for item, delta in moves:
            self._moved(item, delta)
        return bulk_answer(
            [
                {"itemMetadata": {"id": item["id"], "originalIndex": i, "success": True}}
                for i, (item, _) in enumerate(moves)
            ]
        )
