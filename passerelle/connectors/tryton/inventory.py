"""X2: a counted stock written as Tryton records one — a confirmed ``stock.inventory``.

At go-live the stock the merchant kept in the shop becomes the back-office's.
Tryton takes a counted figure through an inventory of a storage location: each
line says what was found, and confirming books the difference between Tryton's
expected quantity and the count as a done move to or from the warehouse's lost
and found location (``stock/inventory.py``: ``InventoryLine.get_move``). So the
merchant sees the count in *Inventory › Inventories*, dated today, with its
number, and every difference it booked.

The figure asked for is the warehouse's (its storage, input and output
locations together, as :mod:`.stock` reads it); the inventory counts its
storage location, so each line holds what that location must hold for the
warehouse to have the figure. Lines without a difference are not written.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from passerelle.connectors.errors import RecordError
from passerelle.connectors.tryton import translate
from passerelle.i18n.messages import M_, Mn_

__all__ = ["write_inventory"]


def write_inventory(pool: Any, warehouse_code: str, quantities: Mapping[str, Decimal]) -> str:
    """Count these products (id → quantity wanted in the warehouse); the inventory's number,
    or "" when every figure already was the warehouse's (nothing is written then)."""
    from trytond.transaction import Transaction

    Location = pool.get("stock.location")
    Product = pool.get("product.product")
    Inventory = pool.get("stock.inventory")
    found = Location.search([("type", "=", "warehouse"), ("code", "=", warehouse_code)])
    if not found:
        raise RecordError(
            Mn_(
                "unknown Tryton warehouse code: %(codes)s (Inventory › Locations)",
                "unknown Tryton warehouse codes: %(codes)s (Inventory › Locations)",
                1,
                codes=[warehouse_code],
            )
        )
    warehouse = found[0]
    storage = warehouse.storage_location
    products = Product.browse([int(key) for key in quantities])
    for product in products:
        if product.type != "goods":
            raise RecordError(
                M_(
                    "item %(code)s has no stock of its own in Tryton (a %(type)s): it cannot "
                    "be counted",
                    code=product.code or product.id,
                    type=product.type,
                )
            )
    ids = [p.id for p in products]
    today = pool.get("ir.date").today()
    with Transaction().set_context(stock_date_end=today, forecast=False, with_childs=True):
        whole = Product.products_by_location(
            [warehouse.id], with_childs=True, grouping_filter=(ids,)
        )
    with Transaction().set_context(stock_date_end=today, forecast=False):
        stored = Product.products_by_location([storage.id], grouping_filter=(ids,))
    lines = []
    for product in products:
        wanted = Decimal(quantities[str(product.id)])
        difference = wanted - translate.quantity(whole.get((warehouse.id, product.id)))
        if not difference:
            continue
        counted = translate.quantity(stored.get((storage.id, product.id))) + difference
        if counted < 0:
            raise RecordError(
                M_(
                    "item %(code)s: %(wanted)s on hand in warehouse %(warehouse)s would leave "
                    "%(counted)s in its storage location; the rest is in its other locations",
                    code=product.code,
                    wanted=wanted,
                    warehouse=warehouse_code,
                    counted=counted,
                )
            )
        lines.append({"product": product.id, "quantity": float(counted)})
    if not lines:
        return ""
    (inventory,) = Inventory.create(
        [
            {
                "location": storage.id,
                "date": today,
                "empty_quantity": "keep",
                "lines": [("create", lines)],
            }
        ]
    )
    Inventory.confirm([inventory])
    return str(inventory.number or inventory.id)
