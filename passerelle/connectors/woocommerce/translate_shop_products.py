"""WooCommerce products and variations as ShopProduct records (C21), with no I/O.

Docs: woocommerce-rest-api-docs ``source/includes/wp-api-v3/_products.md``
and ``_product-variations.md``: prices are strings (``""`` when unset),
``status`` publish/draft/pending/private, a variation's ``parent_id`` and
``attributes`` ``[{name, option}]``. ``stock_quantity`` is ``null`` unless
``manage_stock``; a variation's ``manage_stock`` may be ``"parent"`` (its
parent's stock counts, and ``stock_quantity`` is the parent's), so any
truthy value means the quantity is managed.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from passerelle.connectors.woocommerce.translate_products import BARCODE_FIELD
from passerelle.connectors.woocommerce.translate_values import money, parse_datetime
from passerelle.model import ShopProduct

__all__ = ["shop_product_from_wire"]


def _amount(value: Any, what: str) -> Decimal | None:
    return None if value in (None, "") else money(value, what=what)


def _stock(raw: Mapping[str, Any]) -> int | None:
    """The managed quantity, None when WooCommerce does not manage the stock."""
    quantity = raw.get("stock_quantity")
    return int(quantity) if raw.get("manage_stock") and quantity is not None else None


def shop_product_from_wire(
    raw: Mapping[str, Any], *, parent: Mapping[str, Any] | None = None
) -> ShopProduct:
    """One product, or one variation of ``parent`` (its id is then ``<parent>/<id>``)."""
    sku = str(raw.get("sku") or "")
    what = f"product {sku or raw.get('id')}"
    shop_id = f"{parent['id']}/{raw['id']}" if parent is not None else str(raw["id"])
    name = str(raw.get("name") or "")
    if parent is not None and not name:
        options = ", ".join(
            str(a.get("option")) for a in raw.get("attributes") or [] if isinstance(a, Mapping)
        )
        name = f"{parent.get('name', '')} - {options}" if options else str(parent.get("name"))
    categories = (parent or raw).get("categories") or []
    barcode = raw.get(BARCODE_FIELD)  # WooCommerce 9.2+: absent on older shops
    return ShopProduct(
        shop_id=shop_id,
        sku=sku,
        name=name,
        regular_price=_amount(raw.get("regular_price"), f"{what} regular_price"),
        description=str(raw.get("description") or ""),
        short_description=str((parent or raw).get("short_description") or ""),
        weight=_amount(raw.get("weight"), f"{what} weight"),
        barcode=str(barcode) if barcode else "",
        tax_class=str(raw.get("tax_class") or ""),
        category_names=tuple(
            str(c.get("name") or "") for c in categories if isinstance(c, Mapping)
        ),
        active=raw.get("status", "publish") == "publish",
        parent_sku=str(parent.get("sku") or "") if parent is not None else "",
        modified_at=parse_datetime(raw.get("date_modified_gmt")),
        stock_quantity=_stock(raw),
    )
