"""ProductDraft → WooCommerce product / variation bodies, with no I/O.

Docs: woocommerce-rest-api-docs ``source/includes/wp-api-v3/_products.md``
and ``_product-variations.md``. Behaviour from woocommerce
``includes/rest-api/Controllers/Version3/class-wc-rest-products-controller.php``
(``prepare_object_for_database``): a variable or grouped product has no
price of its own (WooCommerce clears ``regular_price``/``sale_price``), the
``type`` field may change a product's kind on update, ``attributes`` is
replaced whole (local attributes by ``name``), ``images`` is replaced whole
(``set_product_images``: ``{"id"}`` reuses an attachment, ``{"src"}`` is
downloaded) and ``meta_data`` is merged key by key (``update_meta_data``).

Where each field lands: the barcode in ``global_unique_id`` ("GTIN, UPC, EAN
or ISBN", a product and variation field of the v3 schema since WooCommerce
9.2, ``WC_Product::set_global_unique_id``), which WooCommerce shows on the
product's Inventory tab and keeps unique across products and variations (a
barcode another product holds is refused, 400
``product_invalid_global_unique_id``). Everything else WooCommerce core has
no documented field for goes to ``meta_data`` under *visible* keys
(``passerelle_…``): WordPress hides a key starting with ``_`` from the
product screen's "Custom fields" box (``is_protected_meta``), so a merchant
would never see it. The cost price too: core's ``cost_of_goods_sold`` exists
only while the Cost of Goods Sold feature is switched on and is not in the
REST documentation's product properties. The eco-tax as well: no documented
plugin reads a product meta ``_ecotax`` (the order import's line-item
``_ecotax`` is another thing, ``translate_order_extensions.py``). Kept as they are:
Yoast SEO's own ``_yoast_wpseo_*`` post meta (Yoast registers and reads
them, and shows them in its own box) and WooCommerce Min/Max Quantities'
``minimum_allowed_quantity``.

``fields`` (C15) names ``ProductDraft`` fields: on update only those are
written, and only their meta rows, so a value the merchant edited by hand in
the shop for another field stays. ``None`` writes everything (creation).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import Any

from passerelle.model import MediaRef, ProductDraft, ProductTexts

__all__ = [
    "BARCODE_FIELD",
    "BRAND_ATTRIBUTE",
    "PRODUCT_META_KEYS",
    "media_ids",
    "product_payload",
    "translation_payload",
    "variation_id",
    "variation_payload",
]

BARCODE_FIELD = "global_unique_id"  # WooCommerce 9.2+ (GTIN, UPC, EAN or ISBN)
SEO_TITLE_META_KEY = "_yoast_wpseo_title"  # Yoast SEO plugin
SEO_DESCRIPTION_META_KEY = "_yoast_wpseo_metadesc"
SEO_KEYWORDS_META_KEY = "_yoast_wpseo_focuskw"
GROUP_PRICES_META_KEY = "passerelle_group_prices"
COST_PRICE_META_KEY = "passerelle_cost_price"
ECOTAX_META_KEY = "passerelle_ecotax"
MIN_QUANTITY_META_KEY = "minimum_allowed_quantity"  # WooCommerce Min/Max Quantities
WARRANTY_META_KEY = "passerelle_warranty"
SUPPLIER_META_KEY = "passerelle_supplier"
SUPPLIER_REFERENCE_META_KEY = "passerelle_supplier_reference"
DOCUMENTS_META_KEY = "passerelle_documents"
BRAND_ATTRIBUTE = "Brand"

# Draft field → its meta key (the value is computed by ``_meta_value``).
PRODUCT_META_KEYS: Mapping[str, str] = {
    "seo_title": SEO_TITLE_META_KEY,
    "seo_description": SEO_DESCRIPTION_META_KEY,
    "seo_keywords": SEO_KEYWORDS_META_KEY,
    "group_prices": GROUP_PRICES_META_KEY,
    "cost_price": COST_PRICE_META_KEY,
    "ecotax": ECOTAX_META_KEY,
    "min_quantity": MIN_QUANTITY_META_KEY,
    "warranty": WARRANTY_META_KEY,
    "supplier": SUPPLIER_META_KEY,
    "supplier_reference": SUPPLIER_REFERENCE_META_KEY,
    "documents": DOCUMENTS_META_KEY,
}

# Product types WooCommerce gives no price of its own.
_PRICELESS = frozenset({"variable", "grouped"})


def _text(value: Decimal | None) -> str:
    return "" if value is None else format(value, "f")


def _meta_value(draft: ProductDraft, name: str) -> Any:
    if name == "group_prices":
        return [{"group": group, "price": _text(price)} for group, price in draft.group_prices]
    if name == "documents":
        return [{"name": d.name, "url": d.url} for d in draft.documents]
    value = getattr(draft, name)
    if isinstance(value, Decimal) or value is None:
        return _text(value)
    return value


def _wanted(fields: frozenset[str] | None, *names: str) -> bool:
    return fields is None or any(n in fields for n in names)


def _image(ref: MediaRef, alt: str) -> dict[str, Any]:
    """``{"id"}`` for a file the shop holds already, else ``{"src", "name", "alt"}``."""
    if ref.shop_id:
        return {"id": int(ref.shop_id)}
    return {"src": ref.url, "name": ref.name, "alt": alt}


def _attributes(draft: ProductDraft) -> list[dict[str, Any]]:
    """Local attributes by name: the draft's, then the brand (a visible feature)."""
    rows = [
        {"name": a.name, "options": list(a.options), "visible": a.visible, "variation": a.variation}
        for a in draft.attributes
        if a.name.casefold() != BRAND_ATTRIBUTE.casefold()
    ]
    if draft.brand:
        rows.append(
            {"name": BRAND_ATTRIBUTE, "options": [draft.brand], "visible": True, "variation": False}
        )
    for position, row in enumerate(rows):
        row["position"] = position
    return rows


def _common(
    draft: ProductDraft, fields: frozenset[str] | None, body: dict[str, Any], *, priced: bool
) -> None:
    """Fields a product and a variation share."""
    if _wanted(fields, "sku"):
        body["sku"] = draft.sku
    if _wanted(fields, "barcode"):
        body[BARCODE_FIELD] = draft.barcode
    if _wanted(fields, "description"):
        body["description"] = draft.description
    if priced and _wanted(fields, "regular_price"):
        body["regular_price"] = _text(draft.regular_price)
    if priced and _wanted(fields, "sale_price"):
        body["sale_price"] = _text(draft.sale_price)
    if _wanted(fields, "tax_class"):
        body["tax_class"] = draft.tax_class
    if _wanted(fields, "weight"):
        body["weight"] = _text(draft.weight)
    dimensions = {
        k: _text(getattr(draft, k)) for k in ("length", "width", "height") if _wanted(fields, k)
    }
    if dimensions:
        body["dimensions"] = dimensions
    if _wanted(fields, "manage_stock"):
        body["manage_stock"] = draft.manage_stock
    if _wanted(fields, "stock_quantity") and draft.manage_stock:
        body["stock_quantity"] = draft.stock_quantity
    if _wanted(fields, "active"):
        body["status"] = "publish" if draft.active else "draft"
    meta = [
        {"key": key, "value": _meta_value(draft, name)}
        for name, key in PRODUCT_META_KEYS.items()
        if _wanted(fields, name)
    ]
    if meta:
        body["meta_data"] = meta


def product_payload(
    draft: ProductDraft,
    fields: frozenset[str] | None = None,
    *,
    other_images: Sequence[Mapping[str, Any]] = (),
) -> dict[str, Any]:
    """The body of a simple, variable or grouped product; ``fields`` limits an update.

    ``other_images`` (C7 keep policy) are the shop's current images to keep,
    sent back first as ``{"id"}`` so ``set_product_images`` does not drop them.
    """
    kind = draft.kind if draft.kind in ("simple", "variable", "grouped") else "simple"
    body: dict[str, Any] = {}
    if _wanted(fields, "kind"):
        body["type"] = kind
    if _wanted(fields, "name"):
        body["name"] = draft.name
    if _wanted(fields, "short_description"):
        body["short_description"] = draft.short_description
    if _wanted(fields, "slug") and draft.slug:
        body["slug"] = draft.slug
    _common(draft, fields, body, priced=kind not in _PRICELESS)
    if _wanted(fields, "category_ids"):
        body["categories"] = [{"id": int(c)} for c in draft.category_ids]
    if _wanted(fields, "hidden"):
        body["catalog_visibility"] = "hidden" if draft.hidden else "visible"
    if _wanted(fields, "attributes", "brand"):
        body["attributes"] = _attributes(draft)
    if _wanted(fields, "images"):
        ours = [_image(ref, draft.name) for ref in draft.images]
        kept = [{"id": int(i["id"])} for i in other_images]
        body["images"] = ours[:1] + kept + ours[1:] if ours else kept
    if _wanted(fields, "grouped_ids") and (kind == "grouped" or fields is not None):
        body["grouped_products"] = [int(i) for i in draft.grouped_ids]
    if _wanted(fields, "upsell_ids"):
        body["upsell_ids"] = [int(variation_id(i)) for i in draft.upsell_ids]
    if _wanted(fields, "cross_sell_ids"):
        body["cross_sell_ids"] = [int(variation_id(i)) for i in draft.cross_sell_ids]
    return body


def variation_payload(draft: ProductDraft, fields: frozenset[str] | None = None) -> dict[str, Any]:
    """The body of a variation: its own price, stock, axes options and one image.

    A variation has no name, categories or type of its own (the parent's,
    ``_product-variations.md``); its ``attributes`` are ``{"name", "option"}``
    and its ``image`` a single object (the draft's first image).
    """
    body: dict[str, Any] = {}
    _common(draft, fields, body, priced=True)
    if _wanted(fields, "variation_options"):
        body["attributes"] = [
            {"name": name, "option": option} for name, option in draft.variation_options
        ]
    if _wanted(fields, "images") and draft.images:
        body["image"] = _image(draft.images[0], draft.name)
    return body


def translation_payload(
    texts: ProductTexts, fields: frozenset[str] | None = None
) -> dict[str, Any]:
    """C20: the texts of a translated product (WPML copies the rest from the original)."""
    body: dict[str, Any] = {}
    if _wanted(fields, "name", "translations") and texts.name:
        body["name"] = texts.name
    if _wanted(fields, "description", "translations") and texts.description:
        body["description"] = texts.description
    if _wanted(fields, "short_description", "translations") and texts.short_description:
        body["short_description"] = texts.short_description
    return body


def variation_id(shop_id: str) -> str:
    """The WooCommerce id in a shop id: a variation's is ``<parent>/<variation>``."""
    return shop_id.rpartition("/")[2]


def media_ids(draft: ProductDraft, answer: Mapping[str, Any]) -> dict[str, str]:
    """C7: the shop's attachment id of each of the draft's images, by digest.

    WooCommerce renames an attachment to the posted ``name``
    (``wp_update_post`` in ``set_product_images``) and the flow makes names
    unique per digest, so the answer's images are matched by name; an image
    sent as ``{"id"}`` keeps that id.
    """
    images = answer.get("images")
    if images is None:
        images = [answer["image"]] if isinstance(answer.get("image"), Mapping) else []
    by_name = {
        str(i.get("name")): str(i.get("id"))
        for i in images
        if isinstance(i, Mapping) and i.get("id")
    }
    out: dict[str, str] = {}
    for ref in draft.images:
        if ref.shop_id:
            out[ref.digest] = ref.shop_id
        elif ref.name in by_name:
            out[ref.digest] = by_name[ref.name]
    return out
