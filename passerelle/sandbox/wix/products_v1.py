"""Catalog V1 products, their variants and their inventory (Inventory API, V2 endpoints).

Sources (dev.wix.com/docs/api-reference/business-solutions/stores/catalog-v1):
- "Create Product" (``POST /stores/v1/products``): ``name`` required, at most 80
  characters; ``productType`` ``physical`` (digital is not supported through the API);
  ``priceData.price``. "Update Product" (``PATCH /stores/v1/products/{id}``), "Delete
  Product", "Get Product" (also ``/stores-reader/v1/products/{id}``).
- "Query Products" (``POST /stores-reader/v1/products/query``): ``filter`` and ``sort`` are
  JSON-encoded strings; "Pagination" (stores/pagination): ``paging.limit``/``offset``, at
  most 100 a page; the answer's ``metadata`` and ``totalResults``.
- Options and variants: with ``manageVariants`` the variants are made from the
  ``productOptions`` choices; "Update Variants" (``PATCH /stores/v1/products/{id}/variants``),
  "Query Product Variants" (``POST …/variants/query``).
- Inventory ("About the Inventory API", "Using the Inventory API"): one inventory item per
  product; ``PATCH /stores/v2/inventoryItems/product/{productId}``; increment and decrement
  "for up to 300 variants across multiple products in a single call"; a tracked quantity is
  lowered when a customer completes a purchase.
"""

from __future__ import annotations

import itertools
from typing import Any

from .query import matches, parsed, sorted_by
from .state import Table
from .wire import WixError, decimal_of, invalid, not_found, offset_page, required

__all__ = ["MAX_INVENTORY_CHANGES", "NO_VARIANT", "ProductsV1"]

NO_VARIANT = "00000000-0000-0000-0000-000000000000"
MAX_INVENTORY_CHANGES = 300
MAX_QUERY = 100


class ProductsV1(Table):
    name = "products"

    def _product(self, product_id: str) -> dict[str, Any]:
        if product_id not in self.table:
            raise not_found("Product", product_id)
        return self.table[product_id]

    # -- shaping ------------------------------------------------------------------------
    def _variants(self, product: dict[str, Any]) -> None:
        """Variants from the options' choices when the product manages them (one default
        variant otherwise), keeping those whose choices did not change."""
        old = {tuple(sorted(v["choices"].items())): v for v in product.get("variants", [])}
        options = product.get("productOptions") or []
        combos = (
            [
                dict(zip([o["name"] for o in options], c, strict=True))
                for c in itertools.product(
                    *[[ch["description"] for ch in o["choices"]] for o in options]
                )
            ]
            if product.get("manageVariants") and options
            else [{}]
        )
        variants = []
        for choices in combos:
            kept = old.get(tuple(sorted(choices.items())))
            variants.append(
                kept
                or {
                    "id": NO_VARIANT if not choices else self.state.new_id("variant"),
                    "choices": choices,
                    "variant": {
                        "priceData": dict(product["priceData"]),
                        "sku": "",
                        "weight": 0,
                        "visible": True,
                    },
                }
            )
        product["variants"] = variants
        inventory = product.setdefault("inventory", {"trackQuantity": False, "variants": {}})
        inventory["variants"] = {
            v["id"]: inventory["variants"].get(v["id"], {"quantity": 0, "inStock": True})
            for v in variants
        }

    def _shaped(self, given: dict[str, Any], current: dict[str, Any]) -> dict[str, Any]:
        product = {**current, **{k: v for k, v in given.items() if k not in ("id", "variants")}}
        name = required(product, "name")
        if not isinstance(name, str) or len(name) > 80:
            raise invalid("product.name", "must be a string of at most 80 characters", "MAX_LENGTH")
        if product.get("productType", "physical") != "physical":
            raise invalid("product.productType", "only physical products can be created")
        price = required(product, "priceData", "price")
        product["priceData"] = {
            "currency": "EUR",
            "price": float(decimal_of(price, "priceData.price")),
        }
        product.setdefault("productType", "physical")
        product.setdefault("visible", True)
        product.setdefault("sku", "")
        product.setdefault("manageVariants", False)
        product.setdefault("collectionIds", [])
        for option in product.get("productOptions") or []:
            for choice in option.get("choices") or []:
                choice.setdefault("description", choice.get("value"))
        self._variants(product)
        return product

    def render(self, product: dict[str, Any], with_variants: bool = True) -> dict[str, Any]:
        inventory = product["inventory"]
        levels = inventory["variants"].values()
        quantity = sum(int(v["quantity"]) for v in levels) if inventory["trackQuantity"] else None
        in_stock = any(v["inStock"] for v in levels)
        out = {k: v for k, v in product.items() if k != "inventory"}
        out["price"] = product["priceData"]
        out["stock"] = {
            "trackInventory": inventory["trackQuantity"],
            **({"quantity": quantity} if quantity is not None else {}),
            "inStock": in_stock,
            "inventoryStatus": "IN_STOCK" if in_stock else "OUT_OF_STOCK",
        }
        out["variants"] = (
            [self._variant(product, v) for v in product["variants"]] if with_variants else []
        )
        return out

    @staticmethod
    def _variant(product: dict[str, Any], variant: dict[str, Any]) -> dict[str, Any]:
        level = product["inventory"]["variants"][variant["id"]]
        track = product["inventory"]["trackQuantity"]
        return {
            **variant,
            "stock": {
                "trackQuantity": track,
                "inStock": level["inStock"],
                **({"quantity": level["quantity"]} if track else {}),
            },
        }

    # -- products -----------------------------------------------------------------------
    def create(self, body: dict[str, Any]) -> dict[str, Any]:
        product = self._shaped(required(body, "product"), {})
        product["id"] = self.state.new_id("product")
        product["numericId"] = str(self.state.next_number("numericId", 1_600_000_000_000))
        product["createdDate"] = product["lastUpdated"] = self.state.now()
        self.table[product["id"]] = product
        return {"product": self.render(product)}

    def update(self, body: dict[str, Any], product_id: str) -> dict[str, Any]:
        product = self._shaped(required(body, "product"), self._product(product_id))
        product["lastUpdated"] = self.state.now()
        self.table[product_id] = product
        return {"product": self.render(product)}

    def get(self, body: Any, product_id: str) -> dict[str, Any]:
        return {"product": self.render(self._product(product_id))}

    def delete(self, body: Any, product_id: str) -> dict[str, Any]:
        self._product(product_id)
        del self.table[product_id]
        for collection in self.state.data["collections"].values():
            if product_id in collection["productIds"]:
                collection["productIds"].remove(product_id)
        return {}

    def query(self, body: dict[str, Any]) -> dict[str, Any]:
        spec = (body or {}).get("query") or {}
        condition = parsed(spec.get("filter"), "query.filter")
        items = [p for p in self.table.values() if matches(p, condition)]
        items = sorted_by(
            sorted(items, key=lambda p: int(p["numericId"])), parsed(spec.get("sort"), "query.sort")
        )
        page, limit, offset = offset_page(
            items, spec.get("paging"), maximum=MAX_QUERY, default=MAX_QUERY
        )
        variants = bool((body or {}).get("includeVariants"))
        return {
            "products": [self.render(p, variants) for p in page],
            "metadata": {"items": limit, "offset": offset},
            "totalResults": len(items),
        }

    # -- variants -----------------------------------------------------------------------
    def update_variants(self, body: dict[str, Any], product_id: str) -> dict[str, Any]:
        product = self._product(product_id)
        if not product["manageVariants"]:
            raise WixError(
                400,
                "product does not manage variants",
                "INVALID_ARGUMENT",
                "set manageVariants to true before updating variants",
            )
        for index, given in enumerate(required(body, "variants")):
            choices = given.get("choices") or {}
            targets = [
                v
                for v in product["variants"]
                if v["id"] in (given.get("variantIds") or [])
                or (choices and all(v["choices"].get(k) == c for k, c in choices.items()))
            ]
            if not targets:
                raise invalid(f"variants[{index}].choices", "match no variant of the product")
            for variant in targets:
                data = variant["variant"]
                if "price" in given:
                    data["priceData"] = {
                        "currency": "EUR",
                        "price": float(decimal_of(given["price"], f"variants[{index}].price")),
                    }
                for key in ("sku", "weight", "visible"):
                    if key in given:
                        data[key] = given[key]
        product["lastUpdated"] = self.state.now()
        return {"variants": [self._variant(product, v) for v in product["variants"]]}

    def query_variants(self, body: Any, product_id: str) -> dict[str, Any]:
        product = self._product(product_id)
        return {"variants": [self._variant(product, v) for v in product["variants"]]}

    # -- inventory (V2 endpoints) -----------------------------------------------------------
    def inventory_item(self, product: dict[str, Any]) -> dict[str, Any]:
        inventory = product["inventory"]
        return {
            "id": product["id"],
            "externalId": product["id"],
            "productId": product["id"],
            "trackQuantity": inventory["trackQuantity"],
            "variants": [{"variantId": k, **v} for k, v in inventory["variants"].items()],
            "lastUpdated": product["lastUpdated"],
            "numericId": product["numericId"],
        }

    def update_inventory(self, body: dict[str, Any], product_id: str) -> dict[str, Any]:
        product = self._product(product_id)
        given, inventory = required(body, "inventoryItem"), product["inventory"]
        if "trackQuantity" in given:
            inventory["trackQuantity"] = bool(given["trackQuantity"])
        for entry in given.get("variants") or []:
            level = inventory["variants"].get(entry.get("variantId"))
            if level is None:
                raise not_found("Variant", str(entry.get("variantId")))
            if "quantity" in entry:
                level["quantity"] = int(entry["quantity"])
            if "inStock" in entry:
                level["inStock"] = bool(entry["inStock"])
            if inventory["trackQuantity"]:
                level["inStock"] = level["quantity"] > 0
        product["lastUpdated"] = self.state.now()
        return {}

    def increment(self, body: dict[str, Any]) -> dict[str, Any]:
        return self._move(body, "incrementData", "incrementBy", 1)

    def decrement(self, body: dict[str, Any]) -> dict[str, Any]:
        return self._move(body, "decrementData", "decrementBy", -1)

    def _move(self, body: dict[str, Any], field: str, amount: str, sign: int) -> dict[str, Any]:
        entries = required(body, field)
        if len(entries) > MAX_INVENTORY_CHANGES:
            raise invalid(field, f"must contain at most {MAX_INVENTORY_CHANGES} items", "MAX_SIZE")
        for index, entry in enumerate(entries):
            product = self._product(str(entry.get("productId") or entry.get("inventoryId")))
            level = product["inventory"]["variants"].get(entry.get("variantId", NO_VARIANT))
            if level is None:
                raise invalid(f"{field}[{index}].variantId", "is not a variant of the product")
            if not product["inventory"]["trackQuantity"]:
                raise WixError(
                    400,
                    "inventory is not tracked",
                    "INVENTORY_NOT_TRACKED",
                    f"{field}[{index}]: the product does not track its quantity",
                )
            self.moved(
                product, entry.get("variantId", NO_VARIANT), sign * int(required(entry, amount))
            )
        return {}

    def moved(self, product: dict[str, Any], variant_id: str, delta: int) -> None:
        level = product["inventory"]["variants"][variant_id]
        level["quantity"] = int(level["quantity"]) + delta
        level["inStock"] = level["quantity"] > 0
        product["lastUpdated"] = self.state.now()

    def lower(self, product_id: str, variant_id: str, quantity: int) -> None:
        product = self.table.get(product_id)
        if product and product["inventory"]["trackQuantity"]:
            self.moved(product, variant_id or NO_VARIANT, -quantity)

    def query_inventory(self, body: dict[str, Any]) -> dict[str, Any]:
        spec = (body or {}).get("query") or {}
        items = [self.inventory_item(p) for p in self.table.values()]
        items = [i for i in items if matches(i, parsed(spec.get("filter"), "query.filter"))]
        page, limit, offset = offset_page(
            items, spec.get("paging"), maximum=MAX_QUERY, default=MAX_QUERY
        )
        return {
            "inventoryItems": page,
            "metadata": {"items": limit, "offset": offset},
            "totalResults": len(items),
        }
