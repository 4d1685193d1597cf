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
- on a shop whose prices include tax (``Shop.taxesIncluded``, Settings › Taxes and
  duties, help.shopify.com/manual/taxes/include-exclude-taxes: "the price of your
  products ... already includes the tax"), ``price`` and ``compareAtPrice`` are the
  draft's untaxed prices times (1 + its ``tax_rate``), half up to the cent; a product
  whose tax rate is unknown there gets no price at all (:func:`price_with_tax`).

Shopify has no field for the rest: the short description, the SEO keywords, prices per
customer group (B2B catalogues are a Shopify Plus feature), eco-tax, minimum quantity,
length, width and height (only a weight), warranty, supplier and supplier reference,
packs and related products, hidden-from-search, other languages' texts (the
Translations API is not used) and a tax class with no collection of its name. Images
are the product's media (:mod:`.media`), documents its ``passerelle.documents`` metafield
(:mod:`.documents`). Those a write asks for are
answered in ``WriteOutcome.unsupported``, never written somewhere they would not show.

An update writes only the fields ``ProductWrite.fields`` names (C15, the profile's
``catalogue.update_policy``): ``productSet`` leaves a field it is not given as it is
(mutations/productSet: "other fields are updated only when given"), so a title the
merchant edited in the admin survives when the policy keeps the name. A creation writes
every field.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from passerelle.connectors.base import ProductWrite
from passerelle.connectors.errors import RecordError
from passerelle.connectors.shopify.references import taxable
from passerelle.connectors.shopify.translate_customers import NS
from passerelle.i18n.messages import M_
from passerelle.model import ProductDraft

__all__ = [
    "ALL_FIELDS",
    "PRICE_FIELDS",
    "asked",
    "inventory_item",
    "price_with_tax",
    "product_fields",
    "sku_metafield",
    "unsupported",
    "variant_fields",
]

ALL_FIELDS = frozenset(ProductDraft.FIELDS)
PRICE_FIELDS = frozenset({"regular_price", "sale_price"})
CENT = Decimal("0.01")

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
)


def _has(value: object) -> bool:
    return value is not None and value != "" and value != () and value is not False


def asked(w: ProductWrite) -> frozenset[str]:
    """The draft fields a write sets: every one on a creation, on an update those the
    update policy does not keep (C15)."""
    return w.fields if w.shop_id and w.fields is not None else ALL_FIELDS


def unsupported(w: ProductWrite, tax_collection: str | None) -> tuple[str, ...]:
    """The fields asked for (all of them on a creation) that Shopify cannot hold;
    ``tax_collection``: the collection of the draft's tax class, when it needs one."""
    fields = asked(w)
    out = [name for name in _NOWHERE if name in fields and _has(getattr(w.draft, name))]
    if "tax_class" in fields and taxable(w.draft.tax_class) is None and tax_collection is None:
        out.append("tax_class")
    return tuple(out)


def product_fields(draft: ProductDraft, fields: frozenset[str] = ALL_FIELDS) -> dict[str, Any]:
    """``ProductSetInput`` fields of the ones asked for, besides collections."""
    data: dict[str, Any] = {}
    if "name" in fields:
        data["title"] = draft.name
    if "description" in fields:
        data["descriptionHtml"] = draft.description
    if "active" in fields:
        data["status"] = "ACTIVE" if draft.active else "DRAFT"
    if "brand" in fields and draft.brand:
        data["vendor"] = draft.brand
    if "slug" in fields and draft.slug:
        data["handle"] = draft.slug
    if fields & {"seo_title", "seo_description"} and (draft.seo_title or draft.seo_description):
        data["seo"] = {
            "title": draft.seo_title or None,
            "description": draft.seo_description or None,
        }
    return data


def sku_metafield(draft: ProductDraft) -> dict[str, Any]:
    """A variable product's SKU (a product has none, its variants do), in the
    ``passerelle.sku`` metafield. For a creation only: productSet replaces the whole list
    of metafields it is given, so an update sending this one would delete the
    merchant's own (and the SKU, the product's key, does not change)."""
    if draft.kind != "variable" or not draft.sku:
        return {}
    return {
        "metafields": [
            {"namespace": NS, "key": "sku", "value": draft.sku, "type": "single_line_text_field"}
        ]
    }


def _money(value: Decimal) -> str:
    return format(value.quantize(Decimal("0.01")), "f")


def price_with_tax(price: Decimal, draft: ProductDraft) -> Decimal:
    """What a shop holding tax-included prices shows for the untaxed ``price``: times
    (1 + the item's tax rate), half up to the cent, as a merchant computes it. A rate
    not known is the product's error, never a price without its tax."""
    if draft.tax_rate is None:
        raise RecordError(
            M_(
                "product %(sku)s: its tax is not known (the item has no tax in the "
                "back-office), and this shop's prices include tax, so no price was sent",
                sku=draft.sku,
            )
        )
    return (price * (1 + draft.tax_rate)).quantize(CENT, ROUND_HALF_UP)


def variant_fields(
    draft: ProductDraft, fields: frozenset[str] = ALL_FIELDS, *, taxes_included: bool = False
) -> dict[str, Any]:
    """``ProductVariantSetInput`` price fields, barcode and taxable, of the ones asked
    for; the inventory item's cost and weight are in ``inventory_item``. With
    ``taxes_included`` (the shop's setting) the prices are the tax-included ones."""
    data: dict[str, Any] = {}
    if fields & PRICE_FIELDS:
        promoted = draft.sale_price is not None and draft.sale_price < draft.regular_price
        price = (
            draft.sale_price if promoted and draft.sale_price is not None else draft.regular_price
        )
        regular = draft.regular_price
        if taxes_included:
            price, regular = price_with_tax(price, draft), price_with_tax(regular, draft)
        data["price"] = _money(price)
        data["compareAtPrice"] = _money(regular) if promoted else None
    if "barcode" in fields and draft.barcode:
        data["barcode"] = draft.barcode
    if "tax_class" in fields:
        flag = taxable(draft.tax_class)
        data["taxable"] = True if flag is None else flag  # a reduced rate is still a tax
    return data


def inventory_item(draft: ProductDraft, fields: frozenset[str] = ALL_FIELDS) -> dict[str, Any]:
    """``InventoryItemInput`` of the fields asked for; the SKU always (it names the variant)."""
    item: dict[str, Any] = {"sku": draft.sku}
    if "manage_stock" in fields:
        item["tracked"] = bool(draft.manage_stock)
    if "cost_price" in fields and draft.cost_price is not None:
        item["cost"] = _money(draft.cost_price)
    if "weight" in fields and draft.weight is not None:
        item["measurement"] = {"weight": {"unit": "KILOGRAMS", "value": float(draft.weight)}}
    return item
