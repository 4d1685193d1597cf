"""Shopify's row of the capability matrix (see passerelle.platforms.matrix).

From the connector (passerelle/connectors/shopify/): ``translate_products`` and
``translate_customers`` name what Shopify cannot hold; ``media`` sends images as the
product's media (productSet ``files``, a variation's as its variant's ``file``).
"""

from __future__ import annotations

from passerelle.i18n import N_
from passerelle.platforms.support import (
    CANNOT_DISABLE,
    NO_FIELD,
    NO_LANGUAGES,
    NO_MESSAGES,
    NO_REFUNDS,
    NO_STORE,
    SHOP_EMAIL,
    Decision,
    differently,
    supported,
    unsupported,
)

__all__ = ["SUPPORTS"]

_YES = supported()
_TAX = differently(
    N_("taxable or not; a reduced rate is the tax override of the collection named after the class")
)
_FLAT = differently(N_("collections are flat: each category is a collection, without its parent"))
_DOCUMENTS = differently(
    N_("the product's passerelle.documents metafield: each document's name and address")
)
_STATUS = unsupported(
    N_(
        "Shopify's order statuses follow payments and fulfilments: the sale number is "
        "written, not a status"
    )
)

SUPPORTS: dict[str, Decision] = {
    "catalogue.texts.name": _YES,
    "catalogue.texts.description": _YES,
    "catalogue.texts.short_description": NO_FIELD,
    "catalogue.texts.seo_title": _YES,
    "catalogue.texts.seo_description": _YES,
    "catalogue.texts.seo_keywords": NO_FIELD,
    "catalogue.texts.slug": _YES,
    "catalogue.tax_classes": _TAX,
    "catalogue.default_tax_class": _TAX,
    "catalogue.all_tax_class": _TAX,
    "catalogue.new_products_active": _YES,
    "catalogue.disable_from_state": _YES,
    "catalogue.update_policy": _YES,
    "catalogue.languages": NO_LANGUAGES,
    "catalogue.all_languages": NO_LANGUAGES,
    "catalogue.categories.source": _FLAT,
    "catalogue.categories.fields": _FLAT,
    "catalogue.categories.extra_field": _YES,
    "catalogue.categories.rename": _YES,
    "catalogue.categories.default": _YES,
    "catalogue.variants.master_field": _YES,
    "catalogue.variants.attributes": _YES,
    "catalogue.variants.from_templates": _YES,
    # C7: the product's media, downloaded by Shopify from the published file's address;
    # a variation's image is its variant's media. C8: a product has no place for files, so
    # the documents are listed in a metafield (connectors/shopify/documents.py).
    "catalogue.variants.parent_image_from_variant": _YES,
    "catalogue.media.item_images": _YES,
    "catalogue.media.images_folder": _YES,
    "catalogue.media.by_supplier_reference": _YES,
    "catalogue.media.replace_shop_images": _YES,
    "catalogue.media.document_extensions": _DOCUMENTS,
    "catalogue.media.documents_folder": _DOCUMENTS,
    "catalogue.media.publish_dir": _YES,
    "catalogue.media.public_url": _YES,
    "catalogue.stock.default_quantity": _YES,
    "catalogue.stock.out_of_stock": unsupported(
        N_("hiding a product from search is not a Shopify field (publications are not used)")
    ),
    "catalogue.stock.check_fix": _YES,
    "catalogue.stock.hold_back_orders": _YES,
    "catalogue.prices.promotion_price_list": differently(
        N_("the price is the promotion price, and the compare-at price the regular one")
    ),
    "catalogue.prices.group_prices": unsupported(
        N_("prices per customer group are a Shopify Plus feature (B2B catalogues)")
    ),
    "catalogue.prices.purchase_price": _YES,
    "catalogue.prices.ecotax_field": NO_FIELD,
    "catalogue.details.weight_field": _YES,
    "catalogue.details.length_field": unsupported(N_("the platform holds a weight only")),
    "catalogue.details.width_field": unsupported(N_("the platform holds a weight only")),
    "catalogue.details.height_field": unsupported(N_("the platform holds a weight only")),
    "catalogue.details.barcode": _YES,
    "catalogue.details.min_quantity_field": NO_FIELD,
    "catalogue.details.brand_field": differently(N_("the product's vendor")),
    "catalogue.details.warranty_field": NO_FIELD,
    "catalogue.details.supplier": NO_FIELD,
    "catalogue.details.features": NO_FIELD,
    "catalogue.details.packs": NO_FIELD,
    "catalogue.details.related_field": NO_FIELD,
    "catalogue.details.cross_sell_field": NO_FIELD,
    "customers.groups": differently(N_("a customer tag (Shopify has no customer groups)")),
    "customers.contacts": _YES,
    "customers.disable_inactive": CANNOT_DISABLE,
    "customers.skip_inactive": CANNOT_DISABLE,
    "customers.update_policy": _YES,
    "customers.new_accounts.generate_password": unsupported(
        N_("no password is set through the API: the customer activates the account")
    ),
    "customers.new_accounts.newsletter": unsupported(
        N_("marketing consent is not written to this platform")
    ),
    "customers.new_accounts.opt_in": unsupported(
        N_("marketing consent is not written to this platform")
    ),
    "customers.new_accounts.welcome_email": SHOP_EMAIL,
    "customers.prospects_since": _YES,
    "orders.include_archived": _YES,
    "orders.stores": NO_STORE,
    "orders.messages": NO_MESSAGES,
    "orders.refunds": NO_REFUNDS,
    "orders.cancel_on_shop_cancellation": _YES,
    "orders.status_after_import": _STATUS,
    "orders.shipments.status": _STATUS,
    "orders.shipments.notify_customer": _YES,
    "orders.shipments.carriers": _YES,
}
