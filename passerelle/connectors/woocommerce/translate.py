"""WooCommerce JSON ↔ canonical records, with no I/O: the catalogue side here.

Orders are read by ``order_translate.py`` (re-exported here), wire values
(money strings, GMT dates, meta rows) by ``wire.py``.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from passerelle.connectors.woocommerce.order_translate import order_from_wire
from passerelle.connectors.woocommerce.wire import format_datetime, money, parse_datetime
from passerelle.model import ProductDraft, ShopCategory

__all__ = [
    "NUMBER_META_KEY",
    "category_payload",
    "format_datetime",
    "money",
    "order_from_wire",
    "parse_datetime",
    "product_payload",
    "variation_payload",
]

NUMBER_META_KEY = "_passerelle_document_number"
BARCODE_META_KEY = "_passerelle_barcode"


def category_payload(category: ShopCategory) -> dict[str, Any]:
    return {"name": category.name, "parent": int(category.parent_id or 0)}


def _decimal_text(value: Decimal) -> str:
    return format(value, "f")


def product_payload(draft: ProductDraft, fields: frozenset[str] | None = None) -> dict[str, Any]:
    """The WooCommerce body for a product; ``fields`` limits it on update (C15)."""

    def wanted(name: str) -> bool:
        return fields is None or name in fields

    body: dict[str, Any] = {}
    if fields is None:
        body["type"] = "simple"
    if wanted("sku"):
        body["sku"] = draft.sku
    if wanted("name"):
        body["name"] = draft.name
    if wanted("regular_price"):
        body["regular_price"] = _decimal_text(draft.regular_price)
    if wanted("description"):
        body["description"] = draft.description
    if wanted("tax_class"):
        body["tax_class"] = draft.tax_class
    if wanted("category_ids"):
        body["categories"] = [{"id": int(c)} for c in draft.category_ids]
    if wanted("weight"):
        body["weight"] = "" if draft.weight is None else _decimal_text(draft.weight)
    if wanted("barcode"):
        body["meta_data"] = [{"key": BARCODE_META_KEY, "value": draft.barcode}]
    if wanted("manage_stock"):
        body["manage_stock"] = draft.manage_stock
    if wanted("stock_quantity") and draft.manage_stock:
        body["stock_quantity"] = draft.stock_quantity
    if wanted("active"):
        body["status"] = "publish" if draft.active else "draft"
    return body


# A variation has no name, categories or type of its own (they are the parent's).
_VARIATION_KEYS = frozenset(
    {"sku", "regular_price", "description", "tax_class", "weight", "meta_data",
     "manage_stock", "stock_quantity", "status"}
)


def variation_payload(draft: ProductDraft, fields: frozenset[str] | None = None) -> dict[str, Any]:
    """The WooCommerce body for a product variation (the product body minus parent fields)."""
    return {k: v for k, v in product_payload(draft, fields).items() if k in _VARIATION_KEYS}
