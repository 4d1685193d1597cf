"""MSI stock: source items, reservations and the salable quantity a store offers.

Docs: "Inventory management: reservations" (developer.adobe.com/commerce/php/
development/framework/inventory-management/reservations; magento/devdocs
``guides/v2.3/inventory/reservations.md``) and the MSI source on GitHub
(magento/magento2 ``app/code/Magento/Inventory*``):

- a *source item* (``inventory_source_item``) is the physical quantity at one
  source; ``POST /V1/inventory/source-items`` writes it. MSI keeps no link to the
  catalogue: a source item for a SKU no product has is saved and answered 200
  ``[]`` (magento/magento2#30274, #38154; magento/inventory#889);
- the stock (id 1, "Default Stock", linked to the ``default`` source and the main
  website) sums its sources' quantities, an out-of-stock source item counting 0
  (the stock indexer's ``SelectBuilder``);
- a *reservation* (``inventory_reservation``: ``stock_id``, ``sku``,
  ``quantity``, ``metadata`` ``{event_type, object_type, object_id}``) is appended,
  never changed: placing an order appends ``-qty`` (``order_placed``); cancelling
  (``order_canceled``), shipping (``shipment_created``, besides deducting the
  source item) and a credit memo of unshipped items (``creditmemo_created``)
  append ``+qty``. The cron ``inventory_cleanup_reservations`` deletes the
  sequences whose sum is 0, which changes no total;
- salable quantity (``InventorySales\\Model\\GetProductSalableQty``): 0 when the
  stock item is not salable, else stock quantity + Σ reservations − the
  out-of-stock threshold (``min_qty``);
- a credit memo with "Return to Stock" puts the shipped quantity back on its
  source (``ReturnProcessor\\ProcessRefundItems``).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from typing import Any

from .errors import MagentoError, not_found

__all__ = ["DEFAULT_STOCK_ID", "Inventory", "seed_reservations"]

DEFAULT_STOCK_ID = 1
# Product types MSI keeps no source items for (their children carry the stock).
_NO_SOURCE_ITEMS = frozenset({"configurable", "grouped", "bundle"})
# Order states whose placement reservation is not compensated yet (the order is
# neither complete, closed nor canceled).
OPEN_STATES = frozenset({"new", "pending_payment", "processing", "holded", "payment_review"})


def seed_reservations(orders: Iterable[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """The ``order_placed`` reservations the demo's open orders still hold.

    Sequences already compensated (complete, canceled) sum to 0: the cleanup cron
    has deleted them, so they are not seeded."""
    out: list[dict[str, Any]] = []
    for order in orders:
        if order["state"] not in OPEN_STATES:
            continue
        for item in order["items"]:
            out.append(
                _reservation(
                    len(out) + 1,
                    item["sku"],
                    -float(item["qty_ordered"]),
                    "order_placed",
                    order["entity_id"],
                )
            )
    return out


def _reservation(rid: int, sku: str, quantity: float, event: str, order_id: Any) -> dict[str, Any]:
    return {
        "reservation_id": rid,
        "stock_id": DEFAULT_STOCK_ID,
        "sku": sku,
        "quantity": quantity,
        "metadata": json.dumps(
            {"event_type": event, "object_type": "order", "object_id": str(order_id)}
        ),
    }


class Inventory:
    """The store's single stock over its source(s), with the reservation log."""

    def __init__(self, data: dict[str, Any], source_code: str) -> None:
        self.data = data
        self.source_code = source_code
        data.setdefault("reservations", [])

    def stock_config(self, sku: str) -> dict[str, Any]:
        """The product's ``manage_stock`` and out-of-stock threshold (``min_qty``), from
        its saved stock item; the store configuration's defaults (managed, 0) otherwise."""
        product = self.data["products"].get(sku) or {}
        item = (product.get("extension_attributes") or {}).get("stock_item") or {}
        min_qty = 0 if item.get("use_config_min_qty", True) else item.get("min_qty") or 0
        return {"manage_stock": item.get("manage_stock", True), "min_qty": min_qty}

    # ------------------------------------------------------------ quantities
    def stock_quantity(self, sku: str) -> float:
        """Σ of the stock's source items, an out-of-stock one counting 0."""
        item = self.data["source_items"].get(f"{self.source_code}|{sku}")
        return float(item["quantity"]) if item and item["status"] == 1 else 0.0

    def reserved(self, sku: str) -> float:
        return sum(
            float(r["quantity"])
            for r in self.data["reservations"]
            if r["sku"] == sku and r["stock_id"] == DEFAULT_STOCK_ID
        )

    def salable_quantity(self, sku: str, stock_id: int = DEFAULT_STOCK_ID) -> float:
        """``GET /V1/inventory/get-product-salable-quantity/{sku}/{stockId}``."""
        self._check(sku, stock_id)
        config = self.stock_config(sku)
        if not config.get("manage_stock", True):
            return self.stock_quantity(sku)  # unmanaged: no reservation is ever placed
        item = self.data["source_items"].get(f"{self.source_code}|{sku}")
        if item is None or item["status"] != 1:
            return 0.0
        return self.stock_quantity(sku) + self.reserved(sku) - float(config.get("min_qty") or 0)

    def is_salable(self, sku: str, stock_id: int = DEFAULT_STOCK_ID) -> bool:
        """``GET /V1/inventory/is-product-salable/{sku}/{stockId}``."""
        self._check(sku, stock_id)
        if not self.stock_config(sku).get("manage_stock", True):
            return True
        return self.salable_quantity(sku, stock_id) > 0

    def _check(self, sku: str, stock_id: int) -> None:
        if stock_id != DEFAULT_STOCK_ID:
            raise MagentoError(404, 'Stock with id "%value" does not exist.', {"value": stock_id})
        product = self.data["products"].get(sku)
        if product is None:
            raise not_found("product")  # magento/inventory#2333
        if product.get("type_id") in _NO_SOURCE_ITEMS:  # GetProductSalableQty::validateProductType
            raise MagentoError(
                400, "Can't check requested quantity for products without Source Items support."
            )

    # ------------------------------------------------------------- sales events
    def require(self, sku: str, quantity: float) -> None:
        """``IsProductSalableForRequestedQty`` at add-to-cart and at placement."""
        config = self.stock_config(sku)
        if config.get("manage_stock", True) and quantity > self.salable_quantity(sku):
            raise MagentoError(400, "The requested qty is not available")

    def append(self, quantities: Mapping[str, float], event: str, order_id: Any) -> None:
        """``PlaceReservationsForSalesEvent``: one reservation per SKU of a managed stock."""
        log = self.data["reservations"]
        for sku, quantity in quantities.items():
            if quantity and self.stock_config(sku).get("manage_stock", True):
                log.append(_reservation(len(log) + 1, sku, float(quantity), event, order_id))

    def deduct(self, quantities: Mapping[str, float]) -> None:
        """Source deduction at shipment (``InventorySourceDeductionApi``
        ``SourceDeductionService``): refused when the source holds less than shipped
        (no backorders); a source item left at 0 becomes out of stock."""
        for sku, quantity in quantities.items():
            item = self.data["source_items"].get(f"{self.source_code}|{sku}")
            if (
                item is not None
                and self.stock_config(sku).get("manage_stock", True)
                and float(item["quantity"]) - float(quantity) < 0
            ):
                raise MagentoError(
                    400, "Not all of your products are available in the requested quantity."
                )
        self._move(quantities, -1)
        for sku in quantities:
            item = self.data["source_items"].get(f"{self.source_code}|{sku}")
            if item is not None and float(item["quantity"]) <= 0:
                item["status"] = 0

    def give_back(self, quantities: Mapping[str, float]) -> None:
        """A credit memo's "Return to Stock" of shipped items, back on the source."""
        self._move(quantities, 1)

    def _move(self, quantities: Mapping[str, float], sign: int) -> None:
        for sku, quantity in quantities.items():
            item = self.data["source_items"].get(f"{self.source_code}|{sku}")
            if item is not None and self.stock_config(sku).get("manage_stock", True):
                item["quantity"] = float(item["quantity"]) + sign * float(quantity)
                if sign > 0 and item["quantity"] > 0:
                    item["status"] = 1  # ProcessBackItemQtyToSource: back in stock
