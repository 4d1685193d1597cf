"""WooCommerce JSON ↔ canonical records, with no I/O: categories, and the meta key
the back-office document number is written under.

Orders are read by ``translate_orders.py``, products written by
``translate_products.py``, wire values (money strings, GMT dates, meta rows) by
``translate_values.py``.
"""

from __future__ import annotations

from typing import Any

from passerelle.model import ShopCategory

__all__ = ["NUMBER_META_KEY", "category_payload"]

NUMBER_META_KEY = "_passerelle_document_number"


def category_payload(category: ShopCategory) -> dict[str, Any]:
    return {"name": category.name, "parent": int(category.parent_id or 0)}
