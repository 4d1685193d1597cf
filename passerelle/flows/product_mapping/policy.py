"""C15: which product fields an update writes, from the per-field policy.

Every field is written when a product is created. On update, a field whose
policy is "keep" is left as the merchant edited it in the shop. Stock and
visibility belong to the stock flow; the status is written only when the
back-office state changes (C14), so neither is part of an ordinary update.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

from passerelle.model import ProductDraft

if TYPE_CHECKING:
    from passerelle.profiles.catalogue_options import Policy, PolicyName

__all__ = ["POLICY_FIELDS", "PARENT_EXCLUDED", "STOCK_FIELDS", "VARIATION_FIELDS", "update_fields"]

POLICY_FIELDS: dict[str, tuple[str, ...]] = {
    "name": ("name",),
    "short_description": ("short_description",),
    "description": ("description",),
    "seo": ("seo_title", "seo_description", "seo_keywords"),
    "slug": ("slug",),
    "price": ("regular_price", "sale_price"),
    "specific_prices": ("group_prices",),
    "stock": ("stock_quantity", "manage_stock"),
    "min_quantity": ("min_quantity",),
    "weight": ("weight",),
    "dimensions": ("length", "width", "height"),
    "barcode": ("barcode",),
    "manufacturer": ("brand",),
    "supplier": ("supplier", "supplier_reference"),
    "images": ("images",),
    "documents": ("documents",),
    "features": ("attributes",),
    "categories": ("category_ids",),
    "related": ("upsell_ids", "cross_sell_ids"),
    "languages": ("translations",),
    "status": ("active",),
}

# Owned by the stock flow (C9, C19) unless the profile says stock "overwrite".
STOCK_FIELDS = frozenset({"stock_quantity", "manage_stock", "hidden"})
# What a variation holds of its own; the rest (name, texts, categories,
# features, related products) is its parent's, and a change there must not
# re-send every variation.
VARIATION_FIELDS = frozenset(
    {
        "sku",
        "regular_price",
        "sale_price",
        "description",
        "tax_class",
        "weight",
        "barcode",
        "manage_stock",
        "stock_quantity",
        "active",
        "group_prices",
        "cost_price",
        "ecotax",
        "length",
        "width",
        "height",
        "min_quantity",
        "supplier",
        "supplier_reference",
        "warranty",
        "variation_options",
        "images",
        "documents",
        "kind",
    }
)
# What a variable product leaves to its variations: a change of a variation's
# price or barcode must not re-send the parent it was read from.
PARENT_EXCLUDED = frozenset(
    {
        "regular_price",
        "sale_price",
        "group_prices",
        "cost_price",
        "ecotax",
        "barcode",
        "weight",
        "length",
        "width",
        "height",
        "min_quantity",
        "supplier",
        "supplier_reference",
        "warranty",
        "stock_quantity",
        "manage_stock",
        "hidden",
        "documents",
    }
)
# Written only on creation, or when the back-office state changes (C14, C16).
STATE_FIELDS = frozenset({"active"})


def update_fields(policy: Mapping[PolicyName, Policy]) -> frozenset[str]:
    """The draft fields an update writes under this policy."""
    settings: dict[str, str] = dict(policy.items())  # looked up by POLICY_FIELDS's str keys
    keep = {
        name
        for group, names in POLICY_FIELDS.items()
        if settings.get(group, "overwrite") == "keep"
        for name in names
    }
    keep |= STATE_FIELDS
    if settings.get("stock") != "overwrite":
        keep |= STOCK_FIELDS
    return frozenset(ProductDraft.FIELDS) - keep
