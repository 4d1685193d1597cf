"""v3 inventory: absolute adjustments and the store's tax classes (read-only).

``PUT /inventory/adjustments/absolute`` (``reference/inventory.v3.yml``): at most
2,000 items, each identified by ``product_id``, ``variant_id`` or ``sku`` at a
``location_id``; a product tracked by variant refuses a ``product_id`` item with 422,
and an item is set on the record that tracks its stock. ``GET /v2/tax_classes``
(``reference/tax_classes.v2.yml``): the classes set in the control panel.
"""

from __future__ import annotations

import uuid

from .product_rules import TAX_CLASSES
from .state import Resource
from .wire import ApiError, Request, Response

__all__ = ["DEFAULT_LOCATION", "INVENTORY_BATCH", "Inventory"]

INVENTORY_BATCH = 2000
DEFAULT_LOCATION = 1


class Inventory(Resource):
    """Absolute stock adjustments and the tax classes."""

    def absolute_adjustment(self, req: Request) -> Response:
        body = req.body
        items = body.get("items") if isinstance(body, dict) else None
        if not isinstance(items, list) or not items:
            raise ApiError(422, "Payload contains invalid fields", {"items": "items are required"})
        if len(items) > INVENTORY_BATCH:
            raise ApiError(
                422,
                f"Limit of {INVENTORY_BATCH} items for payload length",
                {"items": f"at most {INVENTORY_BATCH} items"},
            )
        targets = []
        by_sku = {v["sku"]: v for v in self.data["variants"].values() if v["sku"]}
        for item in items:
            if item.get("location_id") != DEFAULT_LOCATION:
                raise ApiError(422, f"Location {item.get('location_id')} does not exist")
            if not isinstance(item.get("quantity"), int):
                raise ApiError(
                    422,
                    "Payload contains invalid fields",
                    {"quantity": "quantity must be an integer"},
                )
            if "product_id" in item:
                product = self.data["products"].get(str(item["product_id"]))
                if product is None:
                    raise ApiError(422, f"Item with product_id {item['product_id']} not found")
                if product["inventory_tracking"] == "variant":
                    raise ApiError(
                        422,
                        f"[Item with product_id {product['id']} is tracked by "
                        "variant, please update stock by variant id]",
                    )
                targets.append((product, item["quantity"]))
                continue
            variant = (
                self.data["variants"].get(str(item.get("variant_id")))
                if "variant_id" in item
                else by_sku.get(str(item.get("sku")))
            )
            if variant is None:
                raise ApiError(422, f"Item {item} not found")
            product = self.data["products"][str(variant["product_id"])]
            if product["inventory_tracking"] != "variant":
                targets.append((product, item["quantity"]))
            else:
                targets.append((variant, item["quantity"]))
        for record, quantity in targets:
            record["inventory_level"] = quantity
        self.state.dirty()
        return Response({"transaction_id": str(uuid.uuid4())})

    def tax_classes(self, req: Request) -> Response:
        stamp = "2026-01-05T09:00:00Z"
        return Response(
            [
                {"id": str(i), "name": n, "created_at": stamp, "updated_at": stamp}
                for i, n in sorted(TAX_CLASSES.items())
            ]
        )
