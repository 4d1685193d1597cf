"""What WooCommerce computes or corrects in a product's prices and stock fields.

Sources (woocommerce ``plugins/woocommerce/includes``):

- ``set_regular_price``/``set_sale_price`` (``abstracts/abstract-wc-product.php``)
  store ``wc_format_decimal($price)`` (``wc-formatting-functions.php``): the
  shop's decimal separator becomes a dot, then every character but digits,
  ``-`` and the last dot is removed — so ``"abc"`` is stored as ``""`` (the
  price is cleared, no error) and ``"12,50"`` as ``"12.50"``.
- The REST schema types both prices as strings: a single request with a number
  is ``rest_invalid_param``; a batch item is not validated against the schema
  (``WC_REST_Controller::batch_items`` calls the handler directly), so a
  number is stored (``wc_format_decimal`` of a float).
- ``WC_Product_Data_Store_CPT::handle_updated_props``: when either price
  changed on a product whose price is not synced (neither variable nor
  grouped), a sale price that is not below the regular price (PHP
  comparison: any sale price with no regular price) is cleared.
- ``is_on_sale`` (sale price set and below the regular one), ``price``
  (the sale price on sale, else the regular one), ``is_purchasable`` (a price
  and published), and ``WC_Product::validate_props`` for the stock status.
- A variable product (``class-wc-product-variable.php``,
  ``WC_Product_Variable_Data_Store_CPT::read_price_data``): its ``price`` is
  its lowest published child's price, ``on_sale`` when a child is,
  ``purchasable`` when it has a price, ``has_options`` true, ``price_html`` a
  range (``wc_format_price_range``) when the children's prices differ, and
  without managed stock it is in stock when a child is (``child_is_in_stock``).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from decimal import Decimal, InvalidOperation
from typing import Any

from ..errors import invalid_param

__all__ = [
    "attribute",
    "derive",
    "price_html",
    "set_prices",
    "sync_variable",
    "wc_format_decimal",
]

DECIMAL_SEPARATOR = ","  # the demo shop is French (WooCommerce → Settings → General)
_STRAY = re.compile(r"\.(?![^.]+$)|[^0-9.\-]")


def wc_format_decimal(value: Any) -> str:
    """``wc_format_decimal($number)`` with no rounding, as the price setters call it."""
    if value is None or isinstance(value, bool):
        return "1" if value is True else ""
    if isinstance(value, float):
        return format(Decimal(repr(value)).normalize(), "f")
    text = str(value).replace(DECIMAL_SEPARATOR, ".")
    return _STRAY.sub("", text.strip())


def _decimal(text: str) -> Decimal | None:
    try:
        return Decimal(text) if text not in ("", "-", ".") else None
    except InvalidOperation:
        return None


def set_prices(record: dict[str, Any], body: Mapping[str, Any], *, validate: bool) -> None:
    """Write the posted prices as WooCommerce stores them (see the module docstring)."""
    posted = [key for key in ("regular_price", "sale_price") if key in body]
    for key in posted:
        value = body[key]
        if validate and not isinstance(value, str):
            raise invalid_param({key: f"{key} is not of type string."})
        record[key] = wc_format_decimal(value)
    if posted and record.get("type") not in ("variable", "grouped"):
        sale, regular = record["sale_price"], record["regular_price"]
        if sale != "" and not _below(sale, regular):
            record["sale_price"] = ""


def _below(sale: str, regular: str) -> bool:
    low, high = _decimal(sale), _decimal(regular)
    return low is not None and high is not None and low < high


def derive(record: dict[str, Any]) -> None:
    """Read-only fields WooCommerce computes from the others (a product or a variation)."""
    regular, sale = record["regular_price"], record["sale_price"]
    record["on_sale"] = sale != "" and _below(sale, regular)
    record["price"] = sale if record["on_sale"] else regular
    if record["manage_stock"] is True:
        quantity = record.get("_stock")
        record["stock_quantity"] = quantity if quantity is not None else 0
        if record["stock_quantity"] > 0:
            record["stock_status"] = "instock"
        elif record["backorders"] != "no":
            record["stock_status"] = "onbackorder"
        else:
            record["stock_status"] = "outofstock"
    else:
        record["stock_quantity"] = None
        record["stock_status"] = record.get("_stock_status") or record.get(
            "stock_status", "instock"
        )
    record["backorders_allowed"] = record["backorders"] != "no"
    record["backordered"] = bool(
        record["manage_stock"]
        and record["stock_quantity"] is not None
        and record["stock_quantity"] < 0
        and record["backorders_allowed"]
    )
    record["purchasable"] = record["price"] != "" and record.get("status") == "publish"
    if "shipping_required" in record:
        record["shipping_required"] = not record["virtual"]


def sync_variable(parent: dict[str, Any], children: Iterable[Mapping[str, Any]]) -> None:
    """``WC_Product_Variable::sync``: the parent's price and stock from its children."""
    visible = [c for c in children if c.get("status") == "publish"]
    prices = sorted(
        p for p in (_decimal(str(c.get("price") or "")) for c in visible) if p is not None
    )
    parent["regular_price"] = parent["sale_price"] = ""
    parent["price"] = _plain(prices[0]) if prices else ""
    parent["on_sale"] = any(c.get("on_sale") for c in visible)
    parent["purchasable"] = bool(prices) and parent.get("status") == "publish"
    parent["_price_range"] = [_plain(prices[0]), _plain(prices[-1])] if prices else []
    if parent.get("manage_stock") is not True:
        in_stock = any(c.get("stock_status") != "outofstock" for c in visible)
        parent["stock_status"] = "instock" if in_stock else "outofstock"


def _plain(value: Decimal) -> str:
    return format(value, "f")


def _amount_html(price: str) -> str:
    amount = f"{Decimal(price):.2f}".replace(".", DECIMAL_SEPARATOR)
    return (
        '<span class="woocommerce-Price-amount amount"><bdi>'
        + amount
        + '&nbsp;<span class="woocommerce-Price-currencySymbol">&euro;</span></bdi></span>'
    )


def price_html(record: Mapping[str, Any]) -> str:
    """``get_price_html``: one amount, or ``wc_format_price_range`` for a variable product."""
    low_high = record.get("_price_range") or []
    if record.get("type") == "variable" and len(low_high) == 2 and low_high[0] != low_high[1]:
        return f"{_amount_html(low_high[0])} &ndash; {_amount_html(low_high[1])}"
    price = str(record.get("price") or "")
    return _amount_html(price) if _decimal(price) is not None else ""


def attribute(posted: Mapping[str, Any], position: int) -> dict[str, Any]:
    """A local (custom) attribute: ``options`` a list, or a ``|``-separated string."""
    options = posted.get("options")
    values = options if isinstance(options, list) else str(options or "").split("|")
    return {
        "id": 0,
        "name": str(posted["name"]).strip(),
        "position": int(posted.get("position", position) or 0),
        "visible": bool(posted.get("visible", False)),
        "variation": bool(posted.get("variation", False)),
        "options": [str(v).strip() for v in values if str(v).strip()],
    }
