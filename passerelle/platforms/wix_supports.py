"""Wix's row of the capability matrix (see passerelle.platforms.matrix).

From the connector (passerelle/connectors/wix/, its module docstring lists what is
not done yet): simple products and packs (as simple products) are created and updated
(name, description, visibility, SKU, price, weight, barcode on V3), products with
variants are created on V3 (variants_v3.py), stock is written on products and
variations, categories (V3) or collections (V1) are created and products put in them.
"""

from __future__ import annotations

from passerelle.i18n import N_
from passerelle.platforms.support import (
    CANNOT_DISABLE,
    FILES,
    NO_FIELD,
    NO_LANGUAGES,
    NO_MESSAGES,
    NO_REFUNDS,
    NO_STORE,
    SHOP_EMAIL,
    Decision,
    differently,
    each,
    supported,
    unsupported,
)

__all__ = ["SUPPORTS"]

_YES = supported()
_NOT_YET = unsupported(N_("passerelle does not write it to this platform yet"))
_V3_ONLY = differently(N_("on catalog V3; on catalog V1 products with variants are made in Wix"))

SUPPORTS: dict[str, Decision] = {
    "catalogue.texts.name": _YES,
    "catalogue.texts.description": differently(
        N_("as the product's plain-text description (V3) or its description (V1)")
    ),
    "catalogue.texts.short_description": NO_FIELD,
    "catalogue.texts.seo_title": _NOT_YET,
    "catalogue.texts.seo_description": _NOT_YET,
    "catalogue.texts.seo_keywords": _NOT_YET,
    "catalogue.texts.slug": _NOT_YET,
    "catalogue.tax_classes": _NOT_YET,
    "catalogue.default_tax_class": _NOT_YET,
    "catalogue.all_tax_class": _NOT_YET,
    "catalogue.new_products_active": _YES,
    "catalogue.disable_from_state": _YES,
    "catalogue.update_policy": _YES,
    "catalogue.languages": NO_LANGUAGES,
    "catalogue.all_languages": NO_LANGUAGES,
    "catalogue.categories.source": _YES,
    "catalogue.categories.fields": _YES,
    "catalogue.categories.extra_field": _YES,
    "catalogue.categories.rename": differently(
        N_("collections (catalog V1) are renamed; categories (catalog V3) not yet")
    ),
    "catalogue.categories.default": _YES,
    "catalogue.variants.master_field": _V3_ONLY,
    "catalogue.variants.attributes": _V3_ONLY,
    "catalogue.variants.from_templates": differently(
        N_(
            "created with their options on catalog V3; on catalog V1 they are made in Wix "
            "and passerelle writes their stock and prices"
        )
    ),
    **each(FILES, _NOT_YET),
    "catalogue.stock.default_quantity": _YES,
    "catalogue.stock.out_of_stock": differently(
        N_("the quantity is written; hiding a product out of stock is not written yet")
    ),
    "catalogue.stock.check_fix": _YES,
    "catalogue.stock.hold_back_orders": _YES,
    "catalogue.prices.promotion_price_list": _NOT_YET,
    "catalogue.prices.group_prices": NO_FIELD,
    "catalogue.prices.purchase_price": _NOT_YET,
    "catalogue.prices.ecotax_field": NO_FIELD,
    "catalogue.details.weight_field": _YES,
    "catalogue.details.length_field": NO_FIELD,
    "catalogue.details.width_field": NO_FIELD,
    "catalogue.details.height_field": NO_FIELD,
    "catalogue.details.barcode": differently(N_("on catalog V3 only (V1 has no barcode)")),
    "catalogue.details.min_quantity_field": NO_FIELD,
    "catalogue.details.brand_field": _NOT_YET,
    "catalogue.details.warranty_field": NO_FIELD,
    "catalogue.details.supplier": NO_FIELD,
    "catalogue.details.features": _NOT_YET,
    "catalogue.details.packs": NO_FIELD,
    "catalogue.details.related_field": NO_FIELD,
    "catalogue.details.cross_sell_field": NO_FIELD,
    "customers.groups": unsupported(N_("Wix contacts have no customer groups")),
    "customers.contacts": NO_FIELD,
    "customers.disable_inactive": CANNOT_DISABLE,
    "customers.skip_inactive": CANNOT_DISABLE,
    "customers.update_policy": _YES,
    "customers.new_accounts.generate_password": differently(
        N_("a contact is written, not a site member: it has no password")
    ),
    "customers.new_accounts.newsletter": _NOT_YET,
    "customers.new_accounts.opt_in": _NOT_YET,
    "customers.new_accounts.welcome_email": SHOP_EMAIL,
    "customers.prospects_since": _YES,
    "orders.include_archived": _YES,
    "orders.stores": NO_STORE,
    "orders.messages": NO_MESSAGES,
    "orders.refunds": NO_REFUNDS,
    "orders.cancel_on_shop_cancellation": _YES,
    "orders.status_after_import": unsupported(
        N_("a Wix order's status follows its payments and fulfillments; it is not set")
    ),
    "orders.shipments.status": differently(N_("the order becomes fulfilled with its shipment")),
    "orders.shipments.notify_customer": SHOP_EMAIL,
    "orders.shipments.carriers": _YES,
}
