"""WooCommerce's row of the capability matrix (see passerelle.platforms.matrix).

From the connector (passerelle/connectors/woocommerce/): what WooCommerce core has
no field for goes to visible ``passerelle_…`` product or customer custom fields.
"""

from __future__ import annotations

from passerelle.i18n import N_
from passerelle.platforms.support import (
    Decision,
    differently,
    supported,
    unsupported,
)

__all__ = ["SUPPORTS"]

_YES = supported()
_META = differently(N_("kept in a custom field of the product, shown in its Custom fields box"))
_CUSTOMER_META = differently(
    N_("kept in a custom field of the customer (WooCommerce has no such setting)")
)
_YOAST = differently(N_("written to the Yoast SEO plugin's fields"))

SUPPORTS: dict[str, Decision] = {
    "catalogue.texts.name": _YES,
    "catalogue.texts.description": _YES,
    "catalogue.texts.short_description": _YES,
    "catalogue.texts.seo_title": _YOAST,
    "catalogue.texts.seo_description": _YOAST,
    "catalogue.texts.seo_keywords": _YOAST,
    "catalogue.texts.slug": _YES,
    "catalogue.tax_classes": _YES,
    "catalogue.default_tax_class": _YES,
    "catalogue.all_tax_class": _YES,
    "catalogue.new_products_active": _YES,
    "catalogue.disable_from_state": _YES,
    "catalogue.update_policy": _YES,
    "catalogue.languages": unsupported(
        N_("WooCommerce holds one language; no translation plugin is written to")
    ),
    "catalogue.all_languages": unsupported(
        N_("WooCommerce holds one language; no translation plugin is written to")
    ),
    "catalogue.categories.source": _YES,
    "catalogue.categories.fields": _YES,
    "catalogue.categories.extra_field": _YES,
    "catalogue.categories.rename": _YES,
    "catalogue.categories.default": _YES,
    "catalogue.variants.master_field": _YES,
    "catalogue.variants.attributes": _YES,
    "catalogue.variants.from_templates": _YES,
    "catalogue.variants.parent_image_from_variant": _YES,
    "catalogue.media.item_images": _YES,
    "catalogue.media.images_folder": _YES,
    "catalogue.media.by_supplier_reference": _YES,
    "catalogue.media.replace_shop_images": _YES,
    "catalogue.media.document_extensions": _META,
    "catalogue.media.documents_folder": _META,
    "catalogue.media.publish_dir": _YES,
    "catalogue.media.public_url": _YES,
    "catalogue.stock.default_quantity": _YES,
    "catalogue.stock.out_of_stock": _YES,
    "catalogue.stock.check_fix": _YES,
    "catalogue.stock.hold_back_orders": _YES,
    "catalogue.prices.promotion_price_list": _YES,
    "catalogue.prices.group_prices": _META,
    "catalogue.prices.purchase_price": _META,
    "catalogue.prices.ecotax_field": _META,
    "catalogue.details.weight_field": _YES,
    "catalogue.details.length_field": _YES,
    "catalogue.details.width_field": _YES,
    "catalogue.details.height_field": _YES,
    "catalogue.details.barcode": _YES,
    "catalogue.details.min_quantity_field": differently(
        N_("written to the Min/Max Quantities extension's field")
    ),
    "catalogue.details.brand_field": differently(
        N_("a product attribute named Brand, shown on the product page")
    ),
    "catalogue.details.warranty_field": _META,
    "catalogue.details.supplier": _META,
    "catalogue.details.features": _YES,
    "catalogue.details.packs": _YES,
    "catalogue.details.related_field": _YES,
    "catalogue.details.cross_sell_field": _YES,
    "customers.groups": _CUSTOMER_META,
    "customers.contacts": _YES,
    "customers.disable_inactive": unsupported(N_("the platform cannot disable a customer account")),
    "customers.skip_inactive": unsupported(N_("the platform cannot disable a customer account")),
    "customers.update_policy": _YES,
    "customers.new_accounts.generate_password": _YES,
    "customers.new_accounts.newsletter": _CUSTOMER_META,
    "customers.new_accounts.opt_in": _CUSTOMER_META,
    "customers.new_accounts.welcome_email": unsupported(
        N_("the shop's own e-mail settings decide (WooCommerce → Settings → Emails)")
    ),
    "customers.prospects_since": _YES,
    "orders.include_archived": differently(N_("the orders in the trash")),
    "orders.stores": differently(
        N_("the channel the order came by (checkout, admin…), as WooCommerce records it")
    ),
    "orders.messages": _YES,
    "orders.refunds": _YES,
    "orders.cancel_on_shop_cancellation": _YES,
    "orders.status_after_import": _YES,
    "orders.shipments.status": _YES,
    "orders.shipments.notify_customer": _YES,
    "orders.shipments.carriers": _YES,
}
