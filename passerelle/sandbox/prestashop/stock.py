"""Stock as PrestaShop 1.7.2+ and 8 move it around orders, free of any socket code.

A ``stock_available`` row holds three figures (devdocs ``faq/stock``):
``quantity`` is what the shop still offers, ``reserved_quantity`` the units of
orders not shipped yet, ``physical_quantity`` what is on the shelves. The
Webservice resource shows and writes ``quantity`` only (devdocs
``webservice/resources/stock_availables``: the two others are not part of it),
so the sandbox keeps them on the row without serving them. What moves them, in
PrestaShop/PrestaShop:

- ``classes/order/OrderDetail.php`` ``checkProductStock``: an order placed in
  any state but ``PS_OS_CANCELED``/``PS_OS_ERROR`` lowers ``quantity`` by the
  units ordered (``StockAvailable::updateQuantity``);
- ``classes/order/OrderHistory.php`` ``changeIdOrderState`` (what a POST to
  ``order_histories`` runs, through ``addWs``): an order leaving for the
  cancelled or error state gives its units back to ``quantity``; one coming
  back from them takes them again; the order's ``valid`` becomes the new
  state's ``logable``; then ``StockManager::updatePhysicalProductQuantity``
  for the order's products;
- ``src/Adapter/StockManager.php``: ``reserved_quantity`` = Σ(product_quantity −
  product_quantity_refunded) of the orders whose current state is not
  ``shipped`` and that are valid or neither in error nor cancelled;
  ``physical_quantity`` = ``quantity`` + ``reserved_quantity``;
- ``classes/stock/StockAvailable.php`` ``postSave``: writing a combination's
  row makes the product's own row the sum of its combinations' quantities.

So a PUT of ``quantity`` through the Webservice sets what the shop offers and
leaves ``physical_quantity`` as it was until the product's next order event,
when it becomes ``quantity + reserved_quantity``. A refund gives units back only
when the merchant re-stocks them (``reinjectQuantity``), not by the "Refunded"
state itself, which is neither cancelled nor error. Packs are treated as plain
products.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .engine import Engine

__all__ = [
    "change_state",
    "config",
    "details",
    "error_or_cancelled",
    "new_row_columns",
    "row",
    "sum_combinations",
    "sync",
    "update_quantity",
]

NO_ATTRIBUTE = ("", "0")


def new_row_columns(quantity: int = 0) -> dict[str, str]:
    """The two columns the Webservice does not serve, as a new row has them."""
    return {"physical_quantity": str(quantity), "reserved_quantity": "0"}


def _attr(value: Any) -> str:
    return "0" if str(value or "") in NO_ATTRIBUTE else str(value)


def row(engine: Engine, product_id: str, attribute_id: str) -> dict[str, Any] | None:
    """The stock row of a product (``attribute_id`` "0") or of one of its combinations."""
    for found in engine.data["stock_availables"].values():
        if str(found["id_product"]) == str(product_id) and _attr(
            found["id_product_attribute"]
        ) == _attr(attribute_id):
            return found
    return None


def sum_combinations(engine: Engine, product_id: str) -> None:
    """StockAvailable::postSave: the product's row holds its combinations' total."""
    rows = [
        r
        for r in engine.data["stock_availables"].values()
        if str(r["id_product"]) == str(product_id)
    ]
    combos = [r for r in rows if _attr(r["id_product_attribute"]) != "0"]
    if not combos:
        return
    total = sum(int(r["quantity"] or 0) for r in combos)
    for own in rows:
        if _attr(own["id_product_attribute"]) == "0":
            own["quantity"] = str(total)


def update_quantity(engine: Engine, product_id: str, attribute_id: str, delta: int) -> None:
    """StockAvailable::updateQuantity: ``quantity`` moves by ``delta``."""
    found = row(engine, product_id, attribute_id)
    if found is None:
        return
    found["quantity"] = str(int(found["quantity"] or 0) + delta)
    if _attr(attribute_id) != "0":
        sum_combinations(engine, product_id)


def config(engine: Engine, name: str) -> str:
    """A ``configurations`` value, "" when the shop has none."""
    return next(
        (str(c["value"]) for c in engine.data["configurations"].values() if c["name"] == name), ""
    )


def error_or_cancelled(engine: Engine) -> tuple[str, str]:
    """The ids of the states ``PS_OS_ERROR`` and ``PS_OS_CANCELED`` name."""
    return config(engine, "PS_OS_ERROR"), config(engine, "PS_OS_CANCELED")


def details(engine: Engine, order_id: str) -> list[dict[str, Any]]:
    return [d for d in engine.data["order_details"].values() if str(d["id_order"]) == str(order_id)]


def change_state(
    engine: Engine, order: dict[str, Any], old: dict[str, Any] | None, new: dict[str, Any]
) -> None:
    """The quantity moves of changeIdOrderState, before the order takes ``new``."""
    if old is None:
        return  # the first state: checkProductStock already took the units
    special = error_or_cancelled(engine)
    was_logable, is_logable = old["logable"] == "1", new["logable"] == "1"
    old_special, new_special = str(old["id"]) in special, str(new["id"]) in special
    sign = 0
    if is_logable and not was_logable and old_special:
        sign = -1  # back from cancelled or error: the units are taken again
    elif not is_logable and new_special and not old_special:
        sign = 1  # cancelled or failed: the units are offered again
    if sign:
        for detail in details(engine, str(order["id"])):
            update_quantity(
                engine,
                str(detail["product_id"]),
                str(detail["product_attribute_id"]),
                sign * int(detail["product_quantity"] or 0),
            )


def _reserving(engine: Engine) -> list[str]:
    """Ids of the orders StockManager counts as reserving their units."""
    special = error_or_cancelled(engine)
    states = engine.data["order_states"]
    out = []
    for order in engine.data["orders"].values():
        state = states.get(int(order["current_state"] or 0))
        if state is None or state["shipped"] == "1":
            continue
        if order["valid"] == "1" or str(state["id"]) not in special:
            out.append(str(order["id"]))
    return out


def sync(engine: Engine, product_ids: Iterable[str]) -> None:
    """StockManager::updatePhysicalProductQuantity for these products' rows."""
    wanted = {str(p) for p in product_ids}
    reserving = set(_reserving(engine))
    held: dict[tuple[str, str], int] = {}
    for detail in engine.data["order_details"].values():
        if str(detail["id_order"]) in reserving and str(detail["product_id"]) in wanted:
            key = (str(detail["product_id"]), _attr(detail["product_attribute_id"]))
            held[key] = (
                held.get(key, 0)
                + int(detail["product_quantity"] or 0)
                - int(detail.get("product_quantity_refunded") or 0)
            )
    for found in engine.data["stock_availables"].values():
        key = (str(found["id_product"]), _attr(found["id_product_attribute"]))
        if key[0] in wanted:
            found["reserved_quantity"] = str(held.get(key, 0))
            found["physical_quantity"] = str(int(found["quantity"] or 0) + held.get(key, 0))
