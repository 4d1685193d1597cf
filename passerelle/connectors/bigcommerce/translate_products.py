"""A draft as the v3 catalog holds it: ``product_Base`` and ``productVariant_Base`` fields.

From ``reference/catalog/products_catalog.v3.yml`` and
``reference/catalog/product-variants_catalog.v3.yml``:

- the barcode: ``upc`` is the 12-digit UPC, ``gtin`` any other Global Trade Item
  Number (EAN-13, GTIN-14…), so a European EAN lands in ``gtin`` (the other field
  is emptied, so a changed barcode leaves no stale one);
- the slug is the storefront URL, ``custom_url`` (``url`` and ``is_customized``);
- features (non-variation attributes) are ``custom_fields`` (``name`` and ``value``,
  1–250 characters each; the options joined by ", "), in a new product's body; an
  existing product's custom fields are their own resource
  (``/catalog/products/{id}/custom-fields``, see ``custom_fields``);
- the minimum order quantity is ``order_quantity_minimum`` (whole units), the warranty
  ``warranty``, the supplier's reference ``mpn``;
- the brand is ``brand_id`` (0: none), the id of the store's brand of that name
  (``brands``);
- up-sells are ``related_products``, "An array of IDs for the related products": product
  ids, so a variation stands for its product. They are sent only when there are some:
  an empty list would also wipe what the merchant chose by hand in the control panel
  for a product whose back-office item names none (cross-sells have no place there).
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from passerelle.model import ProductDraft

__all__ = [
    "custom_fields",
    "only_asked",
    "product_payload",
    "related_products",
    "variant_payload",
]

FIELD_MAX = 250

# BigCommerce field → the draft fields it is made of (an update sends only these).
_SOURCES: dict[str, frozenset[str]] = {
    "name": frozenset({"name"}),
    "sku": frozenset({"sku"}),
    "description": frozenset({"description"}),
    "weight": frozenset({"weight"}),
    "price": frozenset({"regular_price"}),
    "sale_price": frozenset({"sale_price"}),
    "cost_price": frozenset({"cost_price"}),
    "categories": frozenset({"category_ids"}),
    "is_visible": frozenset({"active", "hidden"}),
    "upc": frozenset({"barcode"}),
    "gtin": frozenset({"barcode"}),
    "tax_class_id": frozenset({"tax_class"}),
    "width": frozenset({"width"}),
    "height": frozenset({"height"}),
    "depth": frozenset({"length"}),
    "page_title": frozenset({"seo_title"}),
    "meta_description": frozenset({"seo_description"}),
    "search_keywords": frozenset({"seo_keywords"}),
    "mpn": frozenset({"supplier_reference"}),
    "inventory_tracking": frozenset({"kind"}),
    "warranty": frozenset({"warranty"}),
    "order_quantity_minimum": frozenset({"min_quantity"}),
    "purchasing_disabled": frozenset({"active"}),
    "custom_url": frozenset({"slug"}),
    "brand_id": frozenset({"brand"}),
    "related_products": frozenset({"upsell_ids"}),
}


def _num(value: Decimal | None) -> float:
    return float(value) if value is not None else 0


def _barcode(barcode: str) -> dict[str, str]:
    code = barcode.strip()
    if len(code) == 12 and code.isdigit():
        return {"upc": code, "gtin": ""}
    return {"upc": "", "gtin": code}


def custom_fields(draft: ProductDraft) -> list[dict[str, str]]:
    """The draft's features as custom fields (not its variation axes)."""
    return [
        {"name": a.name[:FIELD_MAX], "value": ", ".join(a.options)[:FIELD_MAX]}
        for a in draft.attributes
        if not a.variation and a.name and a.options
    ]


def related_products(draft: ProductDraft) -> list[int]:
    """The up-sells' product ids, in order, each once (``<product>/<variant>``: its product)."""
    ids: list[int] = []
    for shop_id in draft.upsell_ids:
        head = shop_id.partition("/")[0]
        if head.isdigit() and int(head) not in ids:
            ids.append(int(head))
    return ids


def product_payload(
    draft: ProductDraft, tax_class_id: int = 0, brand_id: int = 0
) -> dict[str, Any]:
    tracking = (
        "variant" if draft.kind == "variable" else ("product" if draft.manage_stock else "none")
    )
    body: dict[str, Any] = {
        "name": draft.name,
        "type": "physical",
        "sku": draft.sku,
        "description": draft.description,
        "weight": _num(draft.weight),
        "price": _num(draft.regular_price),
        "sale_price": _num(draft.sale_price),
        "cost_price": _num(draft.cost_price),
        "categories": [int(c) for c in draft.category_ids if str(c).isdigit()],
        "is_visible": draft.active and not draft.hidden,
        **_barcode(draft.barcode),
        "tax_class_id": tax_class_id,
        "width": _num(draft.width),
        "height": _num(draft.height),
        "depth": _num(draft.length),
        "page_title": draft.seo_title,
        "meta_description": draft.seo_description,
        "search_keywords": draft.seo_keywords,
        "mpn": draft.supplier_reference,
        "inventory_tracking": tracking,
        "warranty": draft.warranty,
        "order_quantity_minimum": int(draft.min_quantity or 0),
        "brand_id": brand_id,
    }
    if related_products(draft):
        body["related_products"] = related_products(draft)
    if draft.slug:
        body["custom_url"] = {"url": f"/{draft.slug.strip('/')}/", "is_customized": True}
    return body


def variant_payload(draft: ProductDraft) -> dict[str, Any]:
    return {
        "sku": draft.sku,
        "price": _num(draft.regular_price),
        "sale_price": _num(draft.sale_price),
        "cost_price": _num(draft.cost_price),
        "weight": _num(draft.weight),
        **_barcode(draft.barcode),
        "purchasing_disabled": not draft.active,
    }


def only_asked(body: dict[str, Any], fields: frozenset[str] | None) -> dict[str, Any]:
    """The body's fields made of the draft fields asked for (all when None)."""
    if fields is None:
        return body
    return {k: v for k, v in body.items() if _SOURCES.get(k, frozenset()) & fields}
