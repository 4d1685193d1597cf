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

from passerelle.connectors.errors import RecordError
from passerelle.connectors.kit.fields import FieldTable, read_fields, text, value
from passerelle.connectors.woocommerce.translate_products import BARCODE_FIELD
from passerelle.connectors.woocommerce.translate_values import money, parse_datetime
from passerelle.i18n.messages import M_
from passerelle.model import ShopProduct

__all__ = ["shop_product_from_wire"]


_VALUE = M_("the value")


def _amount(sent: Any) -> Decimal | None:
    return None if sent in (None, "") else money(sent, what=_VALUE)


_QUANTITY = value("stock_quantity", lambda sent: None if sent is None else int(sent))


def _stock(raw: Mapping[str, Any]) -> int | None:
    """The managed quantity, None when WooCommerce does not manage the stock."""
    return _QUANTITY(raw) if raw.get("manage_stock") else None


# A product's or a variation's own fields; its id, name, short description and
# categories may be its parent's, so they are rules.
_SHOP_PRODUCT: FieldTable = {
    "sku": text("sku"),
    "regular_price": value("regular_price", _amount),
    "description": text("description"),
    "weight": value("weight", _amount),
    "barcode": text(BARCODE_FIELD),  # WooCommerce 9.2+: absent on older shops
    "tax_class": text("tax_class"),
    "active": lambda raw: raw.get("status", "publish") == "publish",  # absent: published
    "modified_at": value("date_modified_gmt", parse_datetime),
    "stock_quantity": _stock,
}


def shop_product_from_wire(
    raw: Mapping[str, Any], *, parent: Mapping[str, Any] | None = None
) -> ShopProduct:
    """One product, or one variation of ``parent`` (its id is then ``<parent>/<id>``); a
    malformed field is this product's error, naming the field."""
    shop_id = f"{parent['id']}/{raw['id']}" if parent is not None else str(raw["id"])
    name = str(raw.get("name") or "")
    if parent is not None and not name:
        options = ", ".join(
            str(a.get("option")) for a in raw.get("attributes") or [] if isinstance(a, Mapping)
        )
        name = f"{parent.get('name', '')} - {options}" if options else str(parent.get("name"))
    categories = (parent or raw).get("categories") or []
    try:
        fields = read_fields(_SHOP_PRODUCT, raw)
    except RecordError as exc:
        exc.record_id = exc.record_id or shop_id
        raise
    return ShopProduct(
        **fields,
        shop_id=shop_id,
        name=name,
        short_description=str((parent or raw).get("short_description") or ""),
        category_names=tuple(
            str(c.get("name") or "") for c in categories if isinstance(c, Mapping)
        ),
        parent_sku=str(parent.get("sku") or "") if parent is not None else "",
    )
