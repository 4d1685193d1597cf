"""Editing an order's quantities (``PUT /v2/orders/{order_id}`` ``products``) and its stock.

From ``reference/orders.v2.oas2.yml`` (``updateOrder``): to update a product in an
order, its ``id`` is given with the fields to change; a ``quantity`` of 0 removes
it. The Settings API's inventory page says ``edit_order_stock_adjustment`` decides
whether stock levels follow such an edit: when it is on and the order's units are
out, the difference is taken from (or given back to) the stock that tracks the
line. Only quantity edits of existing lines are taken here; adding catalogue
products to an existing order is refused (400) rather than half done.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from .stock import InventorySettings, tracked_record
from .wire import ApiError

__all__ = ["edit_quantities"]


def edit_quantities(
    data: dict[str, Any], settings: InventorySettings, order: dict[str, Any], edits: Any
) -> None:
    oid = str(order["id"])
    lines = {p["id"]: p for p in data["order_products"].get(oid, [])}
    if not isinstance(edits, list) or not all(
        isinstance(e, dict)
        and e.get("id") in lines
        and isinstance(e.get("quantity"), int)
        and e["quantity"] >= lines[e["id"]]["quantity_shipped"]
        for e in edits
    ):
        raise ApiError(
            400,
            "Each product needs the id of one of the order's products and a "
            "quantity not below what was shipped.",
        )
    follow = settings.current["edit_order_stock_adjustment"] and data.setdefault(
        "order_stock", {}
    ).get(oid, False)
    for edit in edits:
        line = lines[edit["id"]]
        difference = edit["quantity"] - int(line["quantity"])
        record = tracked_record(data, int(line["product_id"]), line.get("variant_id"))
        if follow and record is not None:
            record["inventory_level"] = int(record["inventory_level"]) - difference
        unit = Decimal(line["price_ex_tax"])
        line["quantity"] = edit["quantity"]
        for name in ("base_total", "total_ex_tax", "total_inc_tax"):
            line[name] = f"{unit * edit['quantity']:.4f}"
    data["order_products"][oid] = [p for p in lines.values() if p["quantity"] > 0]
    total = sum((Decimal(p["total_inc_tax"]) for p in data["order_products"][oid]), Decimal(0))
    order["items_total"] = sum(p["quantity"] for p in data["order_products"][oid])
    for name in ("subtotal_ex_tax", "subtotal_inc_tax", "total_ex_tax", "total_inc_tax"):
        order[name] = f"{total:.4f}"
