"""The store's inventory settings and what an order's status does to its products' stock.

Built from the Settings API page "Inventory" (``GET``/``PUT /v3/settings/inventory``,
https://developer.bigcommerce.com/docs/rest-management/settings/inventory):
``update_stock_behavior`` says when stock levels are lowered — ``order_placed``
(the documented example and the default of a new store) or
``order_completed_or_shipped`` —, ``refund_order_stock_adjustment`` whether a
refunded or cancelled order gives its units back, ``edit_order_stock_adjustment``
whether editing an order adjusts them. The page publishes no OpenAPI file in
bigcommerce/docs; the fields, their types and allowed values are the page's.

Stock moves on the record that tracks it (``inventory_tracking``, products
catalog): the product's ``inventory_level`` when tracked by product, the
variant's when tracked by variant, nothing when not tracked. Which order
statuses have taken stock out (GET /v2/order_statuses ids): with
``order_placed`` every placed order (not Incomplete 0, and not Cancelled 5,
Refunded 4 or Declined 6, which give stock back); with
``order_completed_or_shipped`` only Shipped 2 and Completed 10. The store keeps,
per order, whether its units are out, so a status going back and forth never
lowers twice.
"""

from __future__ import annotations

from typing import Any

from .state import State
from .wire import ApiError, Request, Response

__all__ = ["DEFAULT_INVENTORY_SETTINGS", "GIVING_BACK", "InventorySettings", "StockRules"]

# The page's GET example, the settings of a new store.
DEFAULT_INVENTORY_SETTINGS: dict[str, Any] = {
    "product_out_of_stock_behavior": "do_nothing",
    "option_out_of_stock_behavior": "do_nothing",
    "update_stock_behavior": "order_placed",
    "edit_order_stock_adjustment": True,
    "refund_order_stock_adjustment": True,
    "stock_level_display": "dont_show",
    "default_out_of_stock_message": "Currently out of stock",
    "hide_in_product_filtering": True,
    "show_pre_order_stock_levels": True,
    "show_out_of_stock_message": True,
}
_ENUMS = {
    "product_out_of_stock_behavior": (
        "do_nothing",
        "hide_product",
        "hide_product_and_accessible",
        "hide_product_and_redirect",
    ),
    "option_out_of_stock_behavior": ("do_nothing", "hide_option", "label_option"),
    "update_stock_behavior": ("order_placed", "order_completed_or_shipped"),
    "stock_level_display": ("dont_show", "show", "show_when_low"),
}
_FLAGS = (
    "edit_order_stock_adjustment",
    "refund_order_stock_adjustment",
    "hide_in_product_filtering",
    "show_pre_order_stock_levels",
    "show_out_of_stock_message",
)

INCOMPLETE = 0
GIVING_BACK = frozenset({4, 5, 6})  # Refunded, Cancelled, Declined
SHIPPED_OR_COMPLETED = frozenset({2, 10})


class InventorySettings:
    """``/v3/settings/inventory``: read and replaced as a whole (global settings only)."""

    def __init__(self, state: State) -> None:
        self.state = state

    @property
    def current(self) -> dict[str, Any]:
        settings = self.state.data.setdefault("settings", {})
        return settings.setdefault("inventory", dict(DEFAULT_INVENTORY_SETTINGS))

    def get(self, req: Request) -> Response:
        return Response({"data": dict(self.current), "meta": {}})

    def put(self, req: Request) -> Response:
        body = req.body
        if not isinstance(body, dict):
            raise ApiError(422, "Provided settings could not be applied for some reason")
        errors: dict[str, str] = {}
        for name, value in body.items():
            if name in _ENUMS and value not in _ENUMS[name]:
                errors[name] = f"Incorrect value [{value}], it should match one of: " + ",".join(
                    _ENUMS[name]
                )
            elif name in _FLAGS and not isinstance(value, bool):
                errors[name] = "must be a boolean"
            elif name == "default_out_of_stock_message" and not isinstance(value, str):
                errors[name] = "must be a string"
            elif name not in DEFAULT_INVENTORY_SETTINGS:
                errors[name] = "is not a setting"
        if errors:
            raise ApiError(422, "Provided settings could not be applied for some reason", errors)
        self.current.update(body)
        self.state.dirty()
        return Response({"data": dict(self.current), "meta": {}})


class StockRules:
    """Lowers or gives back an order's units as its status and the settings say."""

    def __init__(self, state: State, settings: InventorySettings) -> None:
        self.state = state
        self.settings = settings

    @property
    def _out(self) -> dict[str, bool]:
        """Order id → its units are out of the stock offered."""
        return self.state.data.setdefault("order_stock", {})

    def takes_stock(self, status_id: int) -> bool:
        """Whether an order in this status has lowered stock under the current setting."""
        if self.settings.current["update_stock_behavior"] == "order_completed_or_shipped":
            return status_id in SHIPPED_OR_COMPLETED
        return status_id != INCOMPLETE and status_id not in GIVING_BACK

    def shortages(self, lines: list[tuple[dict[str, Any], int]]) -> list[str]:
        """What a checkout of these (stock record, quantity) lines cannot get."""
        wanted: dict[int, tuple[dict[str, Any], int]] = {}
        for record, quantity in lines:
            before = wanted.get(id(record), (record, 0))[1]
            wanted[id(record)] = (record, before + quantity)
        return [
            f"{record.get('sku') or record['id']}: {record['inventory_level']} in stock, "
            f"{quantity} asked"
            for record, quantity in wanted.values()
            if record["inventory_level"] < quantity
        ]

    def apply(self, order: dict[str, Any], lines: list[tuple[dict[str, Any], int]]) -> None:
        """After the order reached its status: lower or give back its lines' units."""
        oid = str(order["id"])
        out = self._out.get(oid, False)
        status = int(order["status_id"])
        if status in GIVING_BACK:
            if out and self.settings.current["refund_order_stock_adjustment"]:
                self._move(lines, +1)
                self._out[oid] = False
        elif not out and self.takes_stock(status):
            self._move(lines, -1)
            self._out[oid] = True
        self.state.dirty()

    @staticmethod
    def _move(lines: list[tuple[dict[str, Any], int]], sign: int) -> None:
        for record, quantity in lines:
            record["inventory_level"] = int(record["inventory_level"]) + sign * quantity


def tracked_record(
    data: dict[str, Any], product_id: int, variant_id: int | None
) -> dict[str, Any] | None:
    """The record whose ``inventory_level`` an order line moves (None: not tracked, or
    the product is gone)."""
    product = data["products"].get(str(product_id))
    if product is None or product["inventory_tracking"] == "none":
        return None
    if product["inventory_tracking"] == "product":
        return product
    variant = data["variants"].get(str(variant_id)) if variant_id else None
    return variant if variant is not None and variant["product_id"] == product["id"] else None
