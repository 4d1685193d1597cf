"""Products and categories ↔ Magento bodies (drafts to requests, products read), no I/O.

Docs (admin-schema-2.4.9.yaml): ``catalog-data-product-interface`` (``sku``,
``name``, ``price``, ``status`` 1/2, ``visibility`` 1/4, ``type_id``,
``attribute_set_id``, ``weight``, ``extension_attributes.category_links`` /
``stock_item`` / ``website_ids``, texts as ``custom_attributes``: a list
input holds at most 20 entries by default); ``catalog-data-category-interface``.

C6: a variation axis is a dropdown product attribute whose code is the axis
name as the profile gives it, lowercased (``Scent`` → ``scent``); a child
carries its value's option id in ``custom_attributes``.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from passerelle.connectors.base import ProductWrite
from passerelle.connectors.errors import RecordError
from passerelle.connectors.kit.fields import FieldTable, Reader, read_fields, text, value
from passerelle.connectors.magento.translate_values import custom_attribute, money, parse_datetime
from passerelle.model import ProductDraft, ShopCategory, ShopProduct

__all__ = [
    "DEFAULT_ATTRIBUTE_SET",
    "attribute_code",
    "category_payload",
    "new_url_key",
    "product_from_wire",
    "product_payload",
    "source_item",
]

DEFAULT_ATTRIBUTE_SET = 4  # "Default", present in every store
_TYPES = {
    "simple": "simple",
    "variable": "configurable",
    "variation": "simple",
    "grouped": "grouped",
}
_TEXTS = (
    ("description", "description"),
    ("short_description", "short_description"),
    ("slug", "url_key"),
    ("seo_title", "meta_title"),
    ("seo_description", "meta_description"),
    ("seo_keywords", "meta_keyword"),
)


def _wants(write: ProductWrite, *names: str) -> bool:
    return write.fields is None or any(n in write.fields for n in names)


def attribute_code(axis: str) -> str:
    """``Couleur de fond`` → ``couleur_de_fond`` (Magento codes: a-z, 0-9 and ``_``)."""
    ascii_name = unicodedata.normalize("NFKD", axis).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "_", ascii_name.lower()).strip("_")


def new_url_key(draft: ProductDraft) -> str:
    """A new product's URL key when the draft names none: the name as Magento makes it
    URL-safe, then the SKU. Magento would take the name alone, and refuses a second
    visible product with the same one ("URL key for specified store already exists."),
    so products sharing a name (a variant family sold as simple products) would fail."""
    ascii_text = (
        unicodedata.normalize("NFKD", f"{draft.name} {draft.sku}")
        .encode("ascii", "ignore")
        .decode()
    )
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")


def product_payload(
    write: ProductWrite,
    axis_values: list[dict[str, Any]] | None = None,
    *,
    tax_class_id: str | None = None,
    group_ids: Mapping[str, int] | None = None,
    barcode_attribute: str | None = None,
    website_id: int | None = 1,
) -> dict[str, Any]:
    """The ``product`` body of a save; on update only the fields asked (C15).

    ``axis_values``: a variation's ``{attribute_code, value}`` per axis;
    ``tax_class_id``: the store's id of the draft's tax class; ``group_ids``:
    customer group ids by name, for the group prices (``tier_prices``);
    ``barcode_attribute``: the store's attribute holding the barcode, None when it has
    none (on update an emptied barcode is sent empty, which removes it); ``website_id``:
    the website a new product joins (None: Magento's own choice, every website in the
    admin scope)."""
    draft = write.draft
    product: dict[str, Any] = {"sku": draft.sku}
    ext: dict[str, Any] = {}
    if write.fields is None:
        product.update(
            {"attribute_set_id": DEFAULT_ATTRIBUTE_SET, "type_id": _TYPES.get(draft.kind, "simple")}
        )
        if website_id is not None:
            ext["website_ids"] = [website_id]
    if _wants(write, "name"):
        product["name"] = draft.name
    if _wants(write, "regular_price"):
        product["price"] = float(draft.regular_price)
    if _wants(write, "active", "hidden"):
        product["status"] = 1 if draft.active else 2
        product["visibility"] = 1 if draft.kind == "variation" or draft.hidden else 4
    if _wants(write, "weight") and draft.weight is not None:
        product["weight"] = float(draft.weight)
    if _wants(write, "category_ids"):
        ext["category_links"] = [
            {"position": index, "category_id": str(cid)}
            for index, cid in enumerate(draft.category_ids)
        ]
    if _wants(write, "manage_stock", "stock_quantity") and draft.kind in ("simple", "variation"):
        ext["stock_item"] = stock_item(draft.manage_stock, draft.stock_quantity)
    if _wants(write, "min_quantity") and draft.min_quantity is not None:
        ext["stock_item"] = dict(
            ext.get("stock_item") or {},
            use_config_min_sale_qty=False,
            min_sale_qty=float(draft.min_quantity),
        )
    attrs = [
        {"attribute_code": code, "value": getattr(draft, name)}
        for name, code in _TEXTS
        if _wants(write, name) and getattr(draft, name)
    ]
    if write.shop_id is None and not draft.slug and draft.kind != "variation":
        attrs.append({"attribute_code": "url_key", "value": new_url_key(draft)})
    attrs += _prices(write, tax_class_id)
    if barcode_attribute and _wants(write, "barcode") and (draft.barcode or write.shop_id):
        attrs.append({"attribute_code": barcode_attribute, "value": draft.barcode})
    attrs += axis_values or []
    if _wants(write, "group_prices") and (draft.group_prices or write.shop_id):
        ids = group_ids or {}
        product["tier_prices"] = [
            {"customer_group_id": ids[name[:32]], "qty": 1, "value": float(price)}
            for name, price in draft.group_prices
        ]
    links = _links(write)
    if links is not None:
        product["product_links"] = links
    if attrs:
        product["custom_attributes"] = attrs
    if ext:
        product["extension_attributes"] = ext
    return product


def _prices(write: ProductWrite, tax_class_id: str | None) -> list[dict[str, Any]]:
    """Special price, cost and tax class as their core attributes; on update an emptied
    special price is sent empty, which removes it."""
    draft, out = write.draft, []
    for name, code in (("sale_price", "special_price"), ("cost_price", "cost")):
        value = getattr(draft, name)
        if _wants(write, name) and (value is not None or write.shop_id):
            out.append({"attribute_code": code, "value": "" if value is None else str(value)})
    if _wants(write, "tax_class") and tax_class_id:
        out.append({"attribute_code": "tax_class_id", "value": tax_class_id})
    return out


def _links(write: ProductWrite) -> list[dict[str, Any]] | None:
    """Up-sells, cross-sells and a grouped product's members as ``product_links`` (a
    save replaces every link of the product, so all kinds go together), or None."""
    draft = write.draft
    kinds = (
        ("upsell_ids", "upsell"),
        ("cross_sell_ids", "crosssell"),
        ("grouped_ids", "associated"),
    )
    if not any(_wants(write, name) for name, _ in kinds) or not (
        write.shop_id or any(getattr(draft, name) for name, _ in kinds)
    ):
        return None
    return [
        {
            "sku": draft.sku,
            "link_type": kind,
            "linked_product_sku": linked,
            "linked_product_type": "simple",
            "position": position,
        }
        for name, kind in kinds
        for position, linked in enumerate(getattr(draft, name))
    ]


def stock_item(manage: bool, quantity: int | None) -> dict[str, Any]:
    if not manage or quantity is None:
        return {"manage_stock": False, "use_config_manage_stock": False, "is_in_stock": True}
    return {
        "manage_stock": True,
        "use_config_manage_stock": False,
        "qty": max(quantity, 0),
        "is_in_stock": quantity > 0,
    }


def source_item(sku: str, quantity: int, source_code: str) -> dict[str, Any]:
    """``inventory-api-data-source-item-interface``: status 1 in stock, 0 out of stock."""
    return {
        "sku": sku,
        "source_code": source_code,
        "quantity": max(quantity, 0),
        "status": 1 if quantity > 0 else 0,
    }


def category_payload(category: ShopCategory) -> dict[str, Any]:
    return {
        "category": {
            "name": category.name,
            "is_active": True,
            "include_in_menu": True,
            "parent_id": int(category.parent_id or 2),
        }
    }


def _amount(sent: Any) -> Decimal | None:
    return money(sent) if sent is not None else None


def _attribute_text(code: str) -> Reader:
    """The text of the ``custom_attributes`` row ``code``, "" when the product has none."""
    return lambda data: str(custom_attribute(data, code) or "")


# The product's fields copied as they are; categories, parent and stock are looked up.
_SHOP_PRODUCT: FieldTable = {
    "shop_id": value("sku", str),
    "sku": text("sku"),
    "name": text("name"),
    "regular_price": value("price", _amount),
    "description": _attribute_text("description"),
    "short_description": _attribute_text("short_description"),
    "weight": value("weight", _amount),
    "active": value("status", lambda status: status == 1),
    "modified_at": value("updated_at", parse_datetime),
}


def product_from_wire(
    data: Mapping[str, Any],
    category_names: Mapping[str, str],
    parent_sku: str = "",
    stock: Mapping[str, int] | None = None,
) -> ShopProduct:
    """``stock``: quantity by SKU at the source passerelle writes (R8); a malformed field
    is this product's error, naming the field."""
    ext = data.get("extension_attributes") or {}
    try:
        fields = read_fields(_SHOP_PRODUCT, data)
    except RecordError as exc:
        exc.record_id = exc.record_id or str(data.get("sku"))
        raise
    return ShopProduct(
        **fields,
        category_names=tuple(
            category_names.get(str(c.get("category_id")), "")
            for c in ext.get("category_links") or []
        ),
        parent_sku=parent_sku,
        stock_quantity=(stock or {}).get(str(data.get("sku"))),
    )
