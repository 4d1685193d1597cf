"""PrestaShop's row of the capability matrix (see passerelle.platforms.matrix).

From the connector (passerelle/connectors/prestashop/): its ``unsupported``
functions name what it does not write.
"""

from __future__ import annotations

from passerelle.i18n import N_
from passerelle.platforms.support import (
    NO_ARCHIVE,
    NO_MESSAGES,
    NO_REFUNDS,
    NO_STORE,
    Decision,
    differently,
    supported,
    unsupported,
)

__all__ = ["SUPPORTS"]

_YES = supported()

SUPPORTS: dict[str, Decision] = {
    "catalogue.texts.name": _YES,
    "catalogue.texts.description": _YES,
    "catalogue.texts.short_description": _YES,
    "catalogue.texts.seo_title": _YES,
    "catalogue.texts.seo_description": _YES,
    "catalogue.texts.seo_keywords": _YES,
    "catalogue.texts.slug": _YES,
    "catalogue.tax_classes": differently(
        N_("a tax rules group: shop.tax_rules_groups gives the group of each class")
    ),
    "catalogue.default_tax_class": differently(
        N_("a tax rules group: shop.tax_rules_groups gives the group of each class")
    ),
    "catalogue.all_tax_class": differently(
        N_("a tax rules group: shop.tax_rules_groups gives the group of each class")
    ),
    "catalogue.new_products_active": _YES,
    "catalogue.disable_from_state": _YES,
    "catalogue.update_policy": _YES,
    "catalogue.languages": _YES,
    "catalogue.all_languages": _YES,
    "catalogue.categories.source": _YES,
    "catalogue.categories.fields": _YES,
    "catalogue.categories.extra_field": _YES,
    "catalogue.categories.rename": _YES,
    "catalogue.categories.default": _YES,
    "catalogue.variants.master_field": _YES,
    "catalogue.variants.attributes": _YES,
    "catalogue.variants.from_templates": _YES,
    # C7, C8 (connectors/prestashop/media.py): each file uploaded (the Webservice
    # downloads nothing), images to the product and linked to its combinations,
    # documents as the product's attachments.
    "catalogue.variants.parent_image_from_variant": _YES,
    "catalogue.media.item_images": _YES,
    "catalogue.media.images_folder": _YES,
    "catalogue.media.by_supplier_reference": _YES,
    "catalogue.media.replace_shop_images": differently(
        N_(
            "also the product's attachments; an image one of the product's variations "
            "shows is never removed with the product's own"
        )
    ),
    "catalogue.media.document_extensions": differently(
        N_("the product's attachments (its Attachments tab); a variation has none")
    ),
    "catalogue.media.documents_folder": differently(
        N_("the product's attachments (its Attachments tab); a variation has none")
    ),
    "catalogue.media.publish_dir": _YES,
    "catalogue.media.public_url": _YES,
    "catalogue.stock.default_quantity": _YES,
    "catalogue.stock.out_of_stock": _YES,
    "catalogue.stock.check_fix": _YES,
    "catalogue.stock.hold_back_orders": _YES,
    "catalogue.prices.promotion_price_list": _YES,
    "catalogue.prices.group_prices": _YES,
    "catalogue.prices.purchase_price": _YES,
    "catalogue.prices.ecotax_field": _YES,
    "catalogue.details.weight_field": _YES,
    "catalogue.details.length_field": _YES,
    "catalogue.details.width_field": _YES,
    "catalogue.details.height_field": _YES,
    "catalogue.details.barcode": differently(
        N_("an EAN-13 only: another barcode is reported not supported")
    ),
    "catalogue.details.min_quantity_field": _YES,
    "catalogue.details.brand_field": _YES,
    "catalogue.details.warranty_field": differently(N_("a product feature named Garantie")),
    "catalogue.details.supplier": _YES,
    "catalogue.details.features": _YES,
    "catalogue.details.packs": _YES,
    "catalogue.details.related_field": _YES,
    "catalogue.details.cross_sell_field": unsupported(
        N_("PrestaShop has one list of related products (accessories), filled from the up-sells")
    ),
    "customers.groups": _YES,
    "customers.contacts": _YES,
    "customers.disable_inactive": _YES,
    "customers.skip_inactive": _YES,
    "customers.update_policy": _YES,
    "customers.new_accounts.generate_password": differently(
        N_(
            "an account always gets a password nobody is told: the customer chooses one "
            "with “forgot your password”"
        )
    ),
    "customers.new_accounts.newsletter": _YES,
    "customers.new_accounts.opt_in": _YES,
    "customers.new_accounts.welcome_email": unsupported(
        N_("the platform sends no welcome e-mail for an account opened through its API")
    ),
    "customers.prospects_since": _YES,
    "orders.include_archived": NO_ARCHIVE,
    "orders.stores": NO_STORE,
    "orders.messages": NO_MESSAGES,
    "orders.refunds": NO_REFUNDS,
    "orders.cancel_on_shop_cancellation": _YES,
    "orders.status_after_import": _YES,
    "orders.shipments.status": _YES,
    "orders.shipments.notify_customer": differently(
        N_("the order status's own e-mail setting in the shop decides")
    ),
    "orders.shipments.carriers": unsupported(
        N_("the order keeps the carrier chosen at checkout: only the tracking number is written")
    ),
}
