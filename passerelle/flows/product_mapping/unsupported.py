"""What a product field the shop cannot hold means, in the merchant's words.

A connector answers the canonical names of the fields it could not write
(``WriteOutcome.unsupported``); the export's journal line names each as the
merchant knows it, with its value when that is short, and adds "is not
supported on this platform" (see ``flows.exporting``).
"""

from __future__ import annotations

from decimal import Decimal

from passerelle.i18n import N_
from passerelle.i18n.messages import M_, Message
from passerelle.model import ProductDraft

__all__ = ["unsupported_words"]

_WORDS: dict[str, str] = {
    "brand": N_("the brand"),
    "warranty": N_("the warranty"),
    "ecotax": N_("the eco-tax"),
    "min_quantity": N_("the minimum order quantity"),
    "cost_price": N_("the purchase price"),
    "group_prices": N_("the customer group prices"),
    "sale_price": N_("the promotion price"),
    "supplier": N_("the supplier"),
    "supplier_reference": N_("the supplier's reference"),
    "documents": N_("the attached documents"),
    "seo_title": N_("the search-engine title"),
    "seo_description": N_("the search-engine description"),
    "seo_keywords": N_("the search-engine keywords"),
    "translations": N_("the other languages' texts"),
    "upsell_ids": N_("the related products"),
    "cross_sell_ids": N_("the cross-sell products"),
    "grouped_ids": N_("the pack's products"),
    "barcode": N_("the barcode"),
    "active": N_("the published status"),
}
_SHORT = 40


def unsupported_words(draft: ProductDraft, name: str) -> Message:
    """``the brand ('Revol')``: a ``ProductDraft`` field the platform cannot hold."""
    words = (
        Message(_WORDS[name])
        if name in _WORDS
        else M_("the %(field)s", field=name.replace("_", " "))
    )
    value = getattr(draft, name, None)
    if (
        isinstance(value, str | Decimal | int)
        and not isinstance(value, bool)
        and value != ""
        and len(str(value)) <= _SHORT
    ):
        return M_("%(field)s (%(value)s)", field=words, value=value)
    return words
