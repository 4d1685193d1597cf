"""Stock moved by orders, as WooCommerce moves it.

Source: woocommerce ``includes/wc-stock-functions.php``.

- ``wc_maybe_reduce_stock_levels`` runs on ``woocommerce_payment_complete``
  and on the statuses ``processing``, ``on-hold`` and ``completed``; it
  reduces once per order, flagged by the order's ``order_stock_reduced``
  (``_order_stock_reduced``), then ``wc_reduce_stock_levels`` lowers every
  product line whose product manages its stock and that was not reduced yet
  (item meta ``_reduced_stock`` = the quantity taken), and adds one note
  "Stock levels reduced: <formatted name> <from>&rarr;<to>, …"
  (``wc_trigger_stock_change_notifications``; the arrow is stored as the
  HTML entity).
- ``wc_maybe_increase_stock_levels`` runs on ``cancelled`` and ``pending``
  when the order's stock was reduced: every line with ``_reduced_stock``
  gets that quantity back (the meta is removed), note "Stock levels
  increased: …", and the flag is cleared.
- A refund with ``api_restock`` (default true, ``wc_create_refund`` →
  ``wc_restock_refunded_items``, ``wc-order-functions.php``) gives back the
  refunded quantity of lines whose stock was reduced: ``_reduced_stock``
  goes down by it, ``_restock_refunded_items`` up, note "Item #<product id>
  stock increased from <old> to <new>.".

Whose stock: ``wc_update_product_stock`` changes ``get_stock_managed_by_id``
— a variation's own stock when it manages stock, else its parent's when the
parent does (``manage_stock`` "parent"), else nothing moves. Trashing an
order and a ``refunded`` status move nothing by themselves. The store-wide
"manage stock" option is on, as in the demo shop. Item and order flags are
internal (hidden from REST answers, like WooCommerce's ``_``-prefixed
item meta and the order's operational data).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from .common import Shop, set_dates
from .variation_names import formatted_name

__all__ = ["REDUCING_STATUSES", "RESTORING_STATUSES", "StockKeeper"]

REDUCING_STATUSES = frozenset({"processing", "on-hold", "completed"})
RESTORING_STATUSES = frozenset({"cancelled", "pending"})
_FLAG = "_order_stock_reduced"
_REDUCED = "_reduced_stock"
_RESTOCKED = "_restock_refunded_items"

Note = Callable[[dict[str, Any], str], Any]


class StockKeeper:
    """Moves product stock for orders; ``note(order, text)`` adds a system note.

    ``derive(record)`` recomputes a product's read-only stock fields (stock
    status), as ``WC_Product::validate_props`` does on save.
    """

    def __init__(self, shop: Shop, note: Note, derive: Callable[[dict[str, Any]], None]) -> None:
        self.shop = shop
        self.note = note
        self.derive = derive

    # -- hooks --------------------------------------------------------------------
    def on_status(self, order: dict[str, Any], status: str) -> None:
        """``woocommerce_order_status_<status>``."""
        if status in REDUCING_STATUSES:
            self.maybe_reduce(order)
        elif status in RESTORING_STATUSES:
            self.maybe_increase(order)

    def maybe_reduce(self, order: dict[str, Any]) -> None:
        if order.get(_FLAG):
            return
        self._reduce(order)
        order[_FLAG] = True

    def maybe_increase(self, order: dict[str, Any]) -> None:
        if not order.get(_FLAG):
            return
        self._increase(order)
        order[_FLAG] = False

    def restock_refunded(self, order: dict[str, Any], quantities: Mapping[int, int]) -> None:
        """``wc_restock_refunded_items``: ``quantities`` by order item id."""
        for line in order["line_items"]:
            quantity = quantities.get(line["id"], 0)
            reduced = int(line.get(_REDUCED) or 0)
            holder = self._holder(line)
            if not reduced or not quantity or holder is None:
                continue
            old = int(holder.get("_stock") or 0)
            new = self._move(holder, quantity)
            line[_REDUCED] = reduced - quantity
            line[_RESTOCKED] = int(line.get(_RESTOCKED) or 0) + quantity
            self.note(order, f"Item #{self._product_id(line)} stock increased from {old} to {new}.")

    # -- wc_reduce_stock_levels / wc_increase_stock_levels --------------------------------
    def _reduce(self, order: dict[str, Any]) -> None:
        changes = []
        for line in order["line_items"]:
            holder = self._holder(line)
            if line.get(_REDUCED) or holder is None:
                continue
            quantity = int(line["quantity"])
            new = self._move(holder, -quantity)
            line[_REDUCED] = quantity
            changes.append(f"{self._name(line)} {new + quantity}&rarr;{new}")
        if changes:
            self.note(order, "Stock levels reduced: " + ", ".join(changes))

    def _increase(self, order: dict[str, Any]) -> None:
        changes = []
        for line in order["line_items"]:
            reduced = int(line.get(_REDUCED) or 0)
            holder = self._holder(line)
            if not reduced or holder is None:
                continue
            new = self._move(holder, reduced)
            del line[_REDUCED]
            changes.append(f"{self._name(line)} {new - reduced}&rarr;{new}")
        if changes:
            self.note(order, "Stock levels increased: " + ", ".join(changes))

    # -- products ----------------------------------------------------------------------
    def _item(self, line: Mapping[str, Any]) -> dict[str, Any] | None:
        """The line's product or variation (``WC_Order_Item_Product::get_product``)."""
        data = self.shop.data
        if line.get("variation_id"):
            return data.variations.get(line["variation_id"])
        return data.products.get(line.get("product_id") or 0)

    def _product_id(self, line: Mapping[str, Any]) -> int:
        item = self._item(line)
        return int(item["id"]) if item else 0

    def _holder(self, line: Mapping[str, Any]) -> dict[str, Any] | None:
        """The record whose stock moves (``get_stock_managed_by_id``), or None."""
        item = self._item(line)
        if item is None:
            return None
        if item.get("manage_stock") is True:
            return item
        if item.get("type") == "variation":
            parent = self.shop.data.products.get(item.get("parent_id"))
            if parent is not None and parent.get("manage_stock") is True:
                return parent
        return None

    def _name(self, line: Mapping[str, Any]) -> str:
        item = self._item(line)
        assert item is not None
        parent = (
            self.shop.data.products.get(item.get("parent_id"))
            if item.get("type") == "variation"
            else None
        )
        return formatted_name(item, parent)

    def _move(self, record: dict[str, Any], delta: int) -> int:
        """``wc_update_product_stock``: change the quantity, then save (status, dates)."""
        record["_stock"] = int(record.get("_stock") or 0) + delta
        self.derive(record)
        set_dates(record, self.shop.now(), created=False)
        self.shop.store.mark_dirty()
        return int(record["_stock"])
