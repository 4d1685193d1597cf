"""What a product field the shop cannot hold means, in the merchant's words.

A connector answers the canonical names of the fields it could not write
(``WriteOutcome.unsupported``); the export's journal line names each as the
merchant knows it, with its value when that is short, and adds "is not
supported on this platform" (see ``flows.exporting``).
"""

from __future__ import annotations

from decimal import Decimal

from passerelle.model import ProductDraft

__all__ = ["unsupported_words"]

_WORDS: dict[str, str] = {
    "brand": "the brand",
    "warranty": "the warranty",
    "ecotax": "the eco-tax",
    "min_quantity": "the minimum order quantity",
    "cost_price": "the purchase price",
    "group_prices": "the customer group prices",
    "sale_price": "the promotion price",
    "supplier": "the supplier",
    "supplier_reference": "the supplier's reference",
    "documents": "the attached documents",
    "seo_title": "the search-engine title",
    "seo_description": "the search-engine description",
    "seo_keywords": "the search-engine keywords",
    "translations": "the other languages' texts",
    "upsell_ids": "the related products",
    "cross_sell_ids": "the cross-sell products",
    "grouped_ids": "the pack's products",
    "barcode": "the barcode",
    "active": "the published status",
}
_SHORT = 40


def unsupported_words(draft: ProductDraft, name: str) -> str:
    """``the brand ('Revol')``: a ``ProductDraft`` field the platform cannot hold."""
    words = _WORDS.get(name, "the " + name.replace("_", " "))
    value = getattr(draft, name, None)
    if (
        isinstance(value, str | Decimal | int)
        and not isinstance(value, bool)
        and value != ""
        and len(str(value)) <= _SHORT
    ):
        return f"{words} ({value})"
    return words
