"""Magento's row of the capability matrix (see passerelle.platforms.matrix).

From the connector (passerelle/connectors/magento/): ``unsupported.py`` names
what a core Magento 2.4 store cannot hold or passerelle does not write. Images go to
each product's media gallery, a variation's to its own simple product (``media.py``).
"""

from __future__ import annotations

from passerelle.i18n import N_
from passerelle.platforms.support import (
    CANNOT_DISABLE,
    FILES,
    NO_ARCHIVE,
    NO_FIELD,
    NO_LANGUAGES,
    NO_MESSAGES,
    NO_REFUNDS,
    SHOP_EMAIL,
    Decision,
    differently,
    each,
    supported,
    unsupported,
)

__all__ = ["SUPPORTS"]

_YES = supported()
_NO_CORE = unsupported(N_("no attribute of a core Magento store holds it"))
_NO_DOCUMENTS = unsupported(N_("a core Magento store has no place for a product's documents"))

SUPPORTS: dict[str, Decision] = {
    "catalogue.texts.name": _YES,
    "catalogue.texts.description": _YES,
    "catalogue.texts.short_description": _YES,
    "catalogue.texts.seo_title": _YES,
    "catalogue.texts.seo_description": _YES,
    "catalogue.texts.seo_keywords": _YES,
    "catalogue.texts.slug": _YES,
    "catalogue.tax_classes": _YES,
    "catalogue.default_tax_class": _YES,
    "catalogue.all_tax_class": _YES,
    "catalogue.new_products_active": _YES,
    "catalogue.disable_from_state": _YES,
    "catalogue.update_policy": _YES,
    "catalogue.languages": NO_LANGUAGES,
    "catalogue.all_languages": NO_LANGUAGES,
    "catalogue.categories.source": _YES,
    "catalogue.categories.fields": _YES,
    "catalogue.categories.extra_field": _YES,
    "catalogue.categories.rename": _YES,
    "catalogue.categories.default": _YES,
    "catalogue.variants.master_field": _YES,
    "catalogue.variants.attributes": _YES,
    "catalogue.variants.from_templates": _YES,
    **each(FILES, _YES),
    # C8: core Magento has no place for a product's attached files (the downloadable
    # product type's links are files for sale); the connector journals "documents".
    "catalogue.media.document_extensions": _NO_DOCUMENTS,
    "catalogue.media.documents_folder": _NO_DOCUMENTS,
    "catalogue.stock.default_quantity": _YES,
    "catalogue.stock.out_of_stock": _YES,
    "catalogue.stock.check_fix": _YES,
    "catalogue.stock.hold_back_orders": differently(
        N_("Magento takes its open orders off the quantity it offers itself (reservations)")
    ),
    "catalogue.prices.promotion_price_list": _YES,
    "catalogue.prices.group_prices": _YES,
    "catalogue.prices.purchase_price": _YES,
    "catalogue.prices.ecotax_field": unsupported(
        N_("a fixed product tax needs an attribute the merchant creates in Magento")
    ),
    "catalogue.details.weight_field": _YES,
    "catalogue.details.length_field": _NO_CORE,
    "catalogue.details.width_field": _NO_CORE,
    "catalogue.details.height_field": _NO_CORE,
    "catalogue.details.barcode": differently(
        N_("in a text attribute named barcode, which the merchant adds to the shop")
    ),
    "catalogue.details.min_quantity_field": _YES,
    "catalogue.details.brand_field": _NO_CORE,
    "catalogue.details.warranty_field": _NO_CORE,
    "catalogue.details.supplier": _NO_CORE,
    "catalogue.details.features": _NO_CORE,
    "catalogue.details.packs": _YES,
    "catalogue.details.related_field": _YES,
    "catalogue.details.cross_sell_field": _YES,
    "customers.groups": _YES,
    "customers.contacts": _YES,
    "customers.disable_inactive": CANNOT_DISABLE,
    "customers.skip_inactive": CANNOT_DISABLE,
    "customers.update_policy": differently(
        N_("only the addresses follow it: the e-mail, names and group are written on every update")
    ),
    "customers.new_accounts.generate_password": differently(
        N_(
            "an account is opened without a password: the customer chooses one "
            "with “forgot your password”"
        )
    ),
    "customers.new_accounts.newsletter": _YES,
    "customers.new_accounts.opt_in": NO_FIELD,
    "customers.new_accounts.welcome_email": SHOP_EMAIL,
    "customers.prospects_since": _YES,
    "orders.include_archived": NO_ARCHIVE,
    "orders.stores": _YES,
    "orders.messages": NO_MESSAGES,
    "orders.refunds": NO_REFUNDS,
    "orders.cancel_on_shop_cancellation": _YES,
    "orders.status_after_import": _YES,
    "orders.shipments.status": _YES,
    "orders.shipments.notify_customer": _YES,
    "orders.shipments.carriers": _YES,
}
