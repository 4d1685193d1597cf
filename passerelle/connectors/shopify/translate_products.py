"""Where a ``ProductDraft``'s fields land in ``productSet``, and what Shopify cannot hold.

From input-objects/ProductSetInput, ProductVariantSetInput, ProductSetInventoryItemInput
(2026-01) and objects/Product, ProductVariant, InventoryItem:

- name → ``title``; description → ``descriptionHtml``; brand → ``vendor``; slug →
  ``handle``; SEO title and description → ``seo``; active → ``status``; a variable
  product's own SKU (Shopify keeps SKUs on variants only) → the ``passerelle.sku``
  product metafield;
- the price → the variant's ``price``; a promotion → ``price`` is the promotion price and
  ``compareAtPrice`` the regular one (how Shopify shows a price cut); no promotion clears
  ``compareAtPrice``;
- barcode → ``barcode``; tax class → ``taxable``, and for a reduced rate the collection
  carrying its tax override (see :mod:`.references`); purchase price → the inventory
  item's ``cost``; weight → its ``measurement.weight`` in kilograms.

Shopify has no field for the rest: the short description, the SEO keywords, prices per
customer group (B2B catalogues are a Shopify Plus feature), eco-tax, minimum quantity,
length, width and height (only a weight), warranty, supplier and supplier reference,
packs and related products, hidden-from-search, other languages' texts (the
Translations API is not used), a tax class with no collection of its name, and files
(images and documents are not sent by this connector yet). Those a write asks for are
answered in ``WriteOutcome.unsupported``, never written somewhere they would not show.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from passerelle.connectors.base import ProductWrite
from passerelle.connectors.shopify.references import taxable
from passerelle.connectors.shopify.translate_customers import NS
from passerelle.model import ProductDraft

__all__ = ["inventory_item", "product_fields", "unsupported", "variant_fields"]

_NOWHERE = (
    "short_description",
    "seo_keywords",
    "group_prices",
    "ecotax",
    "min_quantity",
    "length",
    "width",
    "height",
    "warranty",
    "supplier",
    "supplier_reference",
    "grouped_ids",
    "upsell_ids",
    "cross_sell_ids",
    "hidden",
    "translations",
    "images",
    "documents",
)


def _has(value: object) -> bool:
    return value is not None and value != "" and value != () and value is not False


def unsupported(w: ProductWrite, tax_collection: str | None) -> tuple[str, ...]:
    """The fields asked for (all of them on a creation) that Shopify cannot hold;
    ``tax_collection``: the collection of the draft's tax class, when it needs one."""
    asked = w.fields if w.shop_id and w.fields is not None else frozenset(ProductDraft.FIELDS)
    out = [name for name in _NOWHERE if name in asked and _has(getattr(w.draft, name))]
    if "tax_class" in asked and taxable(w.draft.tax_class) is None and tax_collection is None:
        out.append("tax_class")
    return tuple(out)


def product_fields(draft: ProductDraft) -> dict[str, Any]:
    """``ProductSetInput`` fields besides title, description, status and collections."""
    data: dict[str, Any] = {}
    if draft.brand:
        data["vendor"] = draft.brand
    if draft.slug:
        data["handle"] = draft.slug
    if draft.seo_title or draft.seo_description:
        data["seo"] = {
            "title": draft.seo_title or None,
            "description": draft.seo_description or None,
        }
    if draft.kind == "variable" and draft.sku:  # a product has no SKU, its variants do
        data["metafields"] = [
            {"namespace": NS, "key": "sku", "value": draft.sku, "type": "single_line_text_field"}
        ]
    return data


def _money(value: Decimal) -> str:
    return format(value.quantize(Decimal("0.01")), "f")


def variant_fields(draft: ProductDraft) -> dict[str, Any]:
    """``ProductVariantSetInput`` price fields, barcode and taxable; the inventory item's
    cost and weight are in ``inventory_item``."""
    promoted = draft.sale_price is not None and draft.sale_price < draft.regular_price
    data: dict[str, Any] = {
        "price": _money(
            draft.sale_price if promoted and draft.sale_price is not None else draft.regular_price
        ),
        "compareAtPrice": _money(draft.regular_price) if promoted else None,
    }
    if draft.barcode:
        data["barcode"] = draft.barcode
    flag = taxable(draft.tax_class)
    data["taxable"] = True if flag is None else flag  # a reduced rate is still a tax
    return data


def inventory_item(draft: ProductDraft) -> dict[str, Any]:
    item: dict[str, Any] = {"sku": draft.sku, "tracked": bool(draft.manage_stock)}
    if draft.cost_price is not None:
        item["cost"] = _money(draft.cost_price)
    if draft.weight is not None:
        item["measurement"] = {"weight": {"unit": "KILOGRAMS", "value": float(draft.weight)}}
    return item
