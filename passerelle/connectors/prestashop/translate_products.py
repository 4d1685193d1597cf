"""A ``ProductDraft`` as the fields of a PrestaShop ``product`` or ``combination``; no I/O.

``Product::$definition`` and ``Combination::$definition``
(``classes/Product.php``, ``classes/Combination.php``; devdocs
``webservice/resources/products`` and ``combinations``) say where each part of
a draft lands:

sku → reference (isReference, 64); name, description, short_description →
name (isCatalogName, 128), description, description_short; seo_title,
seo_description, seo_keywords, slug → meta_title, meta_description,
meta_keywords, link_rewrite; regular_price → price (isPrice, excluding tax);
cost_price → wholesale_price; tax_class → id_tax_rules_group; weight, width,
height, length → weight, width, height, depth; barcode → ean13 (isEan13: up to
13 digits); ecotax, min_quantity, supplier_reference → ecotax,
minimal_quantity, supplier_reference; brand, supplier → id_manufacturer,
id_supplier (a ``manufacturers``, ``suppliers`` record by name); upsell_ids →
the ``accessories`` association; attributes that are not variation axes →
``product_features`` (a feature and its value per option), and the warranty
the feature "Garantie"; a pack's
grouped_ids → its ``product_bundle`` (one of each); translations → the same
multilingual fields in the shop's language of that ISO code (``languages``);
active, hidden → active, visibility. A
combination holds its own reference, price (an impact over the product's),
wholesale_price and ean13; the rest is its product's.

Images and documents are files, sent by :mod:`.media`. What PrestaShop has no
field for (cross-sells besides the accessories, a barcode that is not an EAN-13,
a variation's documents: a combination has no attachments) is named by
:func:`unsupported`, so the flow journals it instead of losing it silently.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from decimal import Decimal
from typing import Any, Protocol

from passerelle.model import ProductDraft

__all__ = [
    "PRODUCT_LANG",
    "WARRANTY",
    "Ids",
    "amount",
    "ean",
    "product_fields",
    "slug_of",
    "translated",
    "unsupported",
]

PRODUCT_LANG = (
    "name",
    "description",
    "description_short",
    "link_rewrite",
    "meta_title",
    "meta_description",
    "meta_keywords",
)
# Draft field → product field, for the fields written as they are.
TEXTS = {
    "sku": "reference",
    "name": "name",
    "description": "description",
    "short_description": "description_short",
    "seo_title": "meta_title",
    "seo_description": "meta_description",
    "seo_keywords": "meta_keywords",
    "supplier_reference": "supplier_reference",
}
MEASURES = {"weight": "weight", "width": "width", "height": "height", "length": "depth"}
# Draft fields with no place in PrestaShop's product as passerelle writes it.
NOT_HELD = ("cross_sell_ids",)
# The feature a product's warranty is shown under on its page.
WARRANTY = "Garantie"
# Translated draft texts → multilingual product fields.
TRANSLATED = {
    "name": "name",
    "description": "description",
    "short_description": "description_short",
}
# Draft field → product field holding the id of a record named by the draft.
NAMED = {"brand": "id_manufacturer", "supplier": "id_supplier"}


class Ids(Protocol):
    """The shop ids of what a draft names (:class:`.Products` reads or makes them)."""

    def tax_group(self, tax_class: str) -> str: ...

    def named(self, field: str, name: str) -> str:
        """The id of the brand or supplier ``name`` ("0" for none)."""
        ...

    def feature_values(self, features: Sequence[tuple[str, str]]) -> list[dict[str, str]]:
        """The ``product_features`` association entries of (feature, value) names."""
        ...


def amount(value: Decimal | None) -> str:
    return f"{(value or Decimal(0)):.6f}"


def ean(barcode: str) -> str:
    """The barcode when it is an EAN-13 PrestaShop takes (digits, at most 13), else ""."""
    return barcode if barcode.isdigit() and len(barcode) <= 13 else ""


def slug_of(draft: ProductDraft, make: Callable[[str], str]) -> str:
    return draft.slug or make(draft.name)


def product_fields(
    d: ProductDraft,
    fields: frozenset[str] | None,
    ids: Ids,
    make_slug: Callable[[str], str],
    home: str,
) -> dict[str, Any]:
    """The product fields of the draft fields asked for (all when ``fields`` is None); a
    product in no category goes under ``home``."""

    def wanted(name: str) -> bool:
        return fields is None or name in fields

    out: dict[str, Any] = {TEXTS[f]: getattr(d, f) for f in TEXTS if wanted(f)}
    out.update(
        v
        for f, v in {
            "regular_price": ("price", amount(d.regular_price)),
            "active": ("active", "1" if d.active else "0"),
            "hidden": ("visibility", "none" if d.hidden else "both"),
            "barcode": ("ean13", ean(d.barcode)),
        }.items()
        if wanted(f)
    )
    if wanted("tax_class"):
        out["id_tax_rules_group"] = ids.tax_group(d.tax_class)
    out.update(
        (field, ids.named(name, getattr(d, name))) for name, field in NAMED.items() if wanted(name)
    )
    for name, field in MEASURES.items():
        value = getattr(d, name)
        if wanted(name) and value is not None:
            out[field] = f"{value:f}"
    if wanted("cost_price") and d.cost_price is not None:
        out["wholesale_price"] = amount(d.cost_price)
    if wanted("ecotax") and d.ecotax is not None:
        out["ecotax"] = amount(d.ecotax)
    if wanted("min_quantity") and d.min_quantity is not None:
        out["minimal_quantity"] = str(max(int(d.min_quantity), 1))
    if fields is None or "slug" in fields:
        out["link_rewrite"] = slug_of(d, make_slug)
    if wanted("category_ids"):
        cats = [c for c in d.category_ids if c] or [home]
        out["id_category_default"] = cats[0]
        out.setdefault("associations", {})["categories"] = [{"id": c} for c in cats]
    if wanted("upsell_ids"):
        out.setdefault("associations", {})["accessories"] = [{"id": i} for i in d.upsell_ids if i]
    if wanted("attributes") or wanted("warranty"):  # one association holds both
        features = [
            (a.name, option) for a in d.attributes if not a.variation for option in a.options
        ]
        features += [(WARRANTY, d.warranty)] if d.warranty else []
        out.setdefault("associations", {})["product_features"] = ids.feature_values(features)
    if wanted("grouped_ids") and d.kind == "grouped":
        out.setdefault("associations", {})["product_bundle"] = [
            {"id": pid, "id_product_attribute": combo or "0", "quantity": "1"}
            for pid, _, combo in (i.partition("/") for i in d.grouped_ids if i)
        ]
    return out


def translated(out: dict[str, Any], d: ProductDraft, languages: dict[str, str], main: str) -> bool:
    """``out``'s texts in the draft's other languages too (``languages``: ISO code,
    case-folded, → language id); False when the shop lacks one of the languages."""
    complete = True
    for texts in d.translations:
        language = languages.get(texts.language.casefold())
        if language is None:
            complete = False
            continue
        for name, field in TRANSLATED.items():
            text = getattr(texts, name)
            if text:  # the main language's text only when asked too; an update keeps it
                current = out.get(field)
                base = (
                    current
                    if isinstance(current, dict)
                    else ({} if current is None else {main: current})
                )
                out[field] = {**base, language: text}
    return complete


def _value(d: ProductDraft, name: str) -> bool:
    if name == "barcode":
        return bool(d.barcode) and not ean(d.barcode)
    return bool(getattr(d, name))


def unsupported(d: ProductDraft, fields: frozenset[str] | None) -> tuple[str, ...]:
    """Draft fields asked for, holding a value, that PrestaShop will not show."""
    names = (*NOT_HELD, "barcode", *(("documents",) if d.kind == "variation" else ()))
    return tuple(n for n in names if (fields is None or n in fields) and _value(d, n))
