"""WooCommerce JSON ↔ canonical records, with no I/O: categories here.

Orders are read by ``translate_orders.py``, products written by
``translate_products.py`` (both re-exported here), wire values (money strings,
GMT dates, meta rows) by ``translate_values.py``.
"""

from __future__ import annotations

from typing import Any

from passerelle.connectors.woocommerce.translate_orders import order_from_wire
from passerelle.connectors.woocommerce.translate_products import (
    BARCODE_FIELD,
    product_payload,
    variation_payload,
)
from passerelle.connectors.woocommerce.translate_values import (
    format_datetime,
    money,
    parse_datetime,
)
from passerelle.model import ShopCategory

__all__ = [
    "BARCODE_FIELD",
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


def category_payload(category: ShopCategory) -> dict[str, Any]:
    return {"name": category.name, "parent": int(category.parent_id or 0)}
