"""BigCommerce's row of the capability matrix (see passerelle.platforms.matrix).

From the connector (passerelle/connectors/bigcommerce/): ``unsupported.py`` names
what it does not write. Images go to each product's images and a variation's to its
variant's one image, the store downloading them from the published address (``images.py``).
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
_NO_DOCUMENTS = unsupported(
    N_("a BigCommerce product has no place for attached documents, only images and videos")
)

SUPPORTS: dict[str, Decision] = {
    "catalogue.texts.name": _YES,
    "catalogue.texts.description": _YES,
    "catalogue.texts.short_description": NO_FIELD,
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
    # C8: the v3 catalog has product images and videos, no attached files; the
    # connector journals "documents" (unsupported.py).
    "catalogue.media.document_extensions": _NO_DOCUMENTS,
    "catalogue.media.documents_folder": _NO_DOCUMENTS,
    "catalogue.stock.default_quantity": _YES,
    "catalogue.stock.out_of_stock": _YES,
    "catalogue.stock.check_fix": _YES,
    "catalogue.stock.hold_back_orders": _YES,
    "catalogue.prices.promotion_price_list": _YES,
    # C10: a price list per customer group, assigned to it (price_lists.py).
    "catalogue.prices.group_prices": _YES,
    "catalogue.prices.purchase_price": _YES,
    "catalogue.prices.ecotax_field": NO_FIELD,
    "catalogue.details.weight_field": _YES,
    "catalogue.details.length_field": _YES,
    "catalogue.details.width_field": _YES,
    "catalogue.details.height_field": _YES,
    "catalogue.details.barcode": _YES,
    "catalogue.details.min_quantity_field": _YES,
    "catalogue.details.brand_field": _YES,
    "catalogue.details.warranty_field": _YES,
    "catalogue.details.supplier": differently(
        N_("the supplier's reference only, as the MPN: the supplier's name has no field")
    ),
    "catalogue.details.features": differently(
        N_("custom fields; fields added by hand in the control panel are left alone")
    ),
    "catalogue.details.packs": NO_FIELD,
    "catalogue.details.related_field": _YES,
    "catalogue.details.cross_sell_field": NO_FIELD,
    "customers.groups": _YES,
    "customers.contacts": _YES,
    "customers.disable_inactive": CANNOT_DISABLE,
    "customers.skip_inactive": CANNOT_DISABLE,
    "customers.update_policy": _YES,
    "customers.new_accounts.generate_password": differently(
        N_("a new account always asks the customer to choose a password at first login")
    ),
    "customers.new_accounts.newsletter": _NOT_YET,
    "customers.new_accounts.opt_in": NO_FIELD,
    "customers.new_accounts.welcome_email": SHOP_EMAIL,
    "customers.prospects_since": _YES,
    "orders.include_archived": differently(N_("the deleted orders (BigCommerce's archive)")),
    "orders.stores": NO_STORE,
    "orders.messages": NO_MESSAGES,
    "orders.refunds": NO_REFUNDS,
    "orders.cancel_on_shop_cancellation": _YES,
    "orders.status_after_import": _YES,
    "orders.shipments.status": _YES,
    "orders.shipments.notify_customer": SHOP_EMAIL,
    "orders.shipments.carriers": _YES,
}
