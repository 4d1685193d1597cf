"""The Webservice resources the sandbox serves, field by field, from the official docs.

Sources (repository PrestaShop/docs): ``webservice/resources/<name>.md`` for
products, orders, order_states, categories, addresses, carriers, currencies,
customer_threads, groups, tax_rules; ``webservice/reference.md`` for the
resource list and the methods each one accepts (``stock_availables``: GET,
PUT, PATCH, HEAD only); ``webservice/tutorials/testing-access.md`` for the
addresses schema. Resources without a page there (combinations,
stock_availables, customers, order_details, order_histories,
order_payments, order_cart_rules, product_options, product_option_values,
tax_rule_groups, countries, configurations) follow the same ObjectModel
definitions PrestaShop 1.7/8 serve (``?schema=synopsis``).

``specific_prices`` follow ``webservice/resources/specific_prices.md``
(devdocs 1.7 and 8: every field but ``id_shop_group``,
``id_product_attribute`` and ``id_specific_price_rule`` required, with its
format); ``messages`` ("The customers messages", ``reference.md``) follow
``classes/Message.php``: ``message`` required, the cart, order, customer and
employee ids, ``private``.

``required`` fields refused when missing (41) or empty (85) on POST/PUT, ``readonly``
fields refused in a body (error 93, "not writable"), ``lang`` fields are
``<language id="n">`` lists, ``assoc`` are the ``<associations>`` a resource
carries, each with the keys of its entries. ``formats`` and ``sizes`` are
each field's ``validate`` rule and ``size`` in its class's ``$definition``
(``classes/Customer.php``, ``Product.php``, ``Combination.php``,
``Address.php``, ``Category.php``, ``stock/StockAvailable.php``; the devdocs
resource pages' Format and Max size columns), checked by :mod:`.validate`.
"""

from __future__ import annotations

from dataclasses import dataclass, field

__all__ = ["RESOURCES", "Resource"]

ALL = frozenset({"GET", "POST", "PUT", "PATCH", "DELETE", "HEAD"})
READ = frozenset({"GET", "HEAD"})


@dataclass(frozen=True)
class Resource:
    name: str  # plural, as in the URL
    node: str  # singular XML node
    fields: tuple[str, ...]
    required: frozenset[str] = frozenset()
    readonly: frozenset[str] = frozenset()
    lang: frozenset[str] = frozenset()
    assoc: dict[str, tuple[str, tuple[str, ...]]] = field(default_factory=dict)
    methods: frozenset[str] = ALL
    description: str = ""
    formats: dict[str, str] = field(default_factory=dict)
    sizes: dict[str, int] = field(default_factory=dict)


def _r(
    name: str,
    node: str,
    fields: str,
    *,
    required: str = "",
    readonly: str = "",
    lang: str = "",
    assoc: dict[str, tuple[str, tuple[str, ...]]] | None = None,
    methods: frozenset[str] = ALL,
    description: str = "",
    formats: str = "",
    sizes: str = "",
) -> Resource:
    return Resource(
        name,
        node,
        tuple(fields.split()),
        frozenset(required.split()),
        frozenset(readonly.split()),
        frozenset(lang.split()),
        assoc or {},
        methods,
        description,
        dict(pair.split(":") for pair in formats.split()),
        {k: int(v) for k, v in (pair.split(":") for pair in sizes.split())},
    )


RESOURCES: dict[str, Resource] = {
    r.name: r
    for r in (
        # products.md: the whole table; quantity and manufacturer_name are not writable.
        _r(
            "products",
            "product",
            "id_manufacturer id_supplier id_category_default new cache_default_attribute "
            "id_default_image id_default_combination id_tax_rules_group position_in_category "
            "manufacturer_name quantity type id_shop_default reference supplier_reference location "
            "width height depth weight quantity_discount ean13 isbn upc mpn cache_is_pack "
            "cache_has_attachments is_virtual state additional_delivery_times delivery_in_stock "
            "delivery_out_stock on_sale online_only ecotax minimal_quantity low_stock_threshold "
            "low_stock_alert price wholesale_price unity unit_price_ratio additional_shipping_cost "
            "customizable text_fields uploadable_files active redirect_type id_type_redirected "
            "available_for_order available_date show_condition condition show_price indexed "
            "visibility advanced_stock_management date_add date_upd pack_stock_type "
            "meta_description meta_keywords meta_title link_rewrite name description "
            "description_short available_now available_later",
            required="price",
            readonly="manufacturer_name quantity",
            formats="reference:isReference supplier_reference:isReference location:isReference "
            "price:isPrice wholesale_price:isPrice ecotax:isPrice "
            "additional_shipping_cost:isPrice width:isUnsignedFloat "
            "height:isUnsignedFloat depth:isUnsignedFloat weight:isUnsignedFloat "
            "ean13:isEan13 id_tax_rules_group:isUnsignedId "
            "id_category_default:isUnsignedId minimal_quantity:isUnsignedInt "
            "active:isBool visibility:isProductVisibility name:isCatalogName "
            "link_rewrite:isLinkRewrite meta_title:isGenericName "
            "meta_description:isGenericName meta_keywords:isGenericName "
            "description:isCleanHtml description_short:isCleanHtml",
            sizes="reference:64 supplier_reference:64 location:64 ean13:13 isbn:32 upc:12 "
            "mpn:40 name:128 link_rewrite:128 meta_title:255 meta_description:512 "
            "meta_keywords:255",
            lang="delivery_in_stock delivery_out_stock meta_description meta_keywords meta_title "
            "link_rewrite name description description_short available_now available_later",
            # products.md's order; ``images`` is read only (no ``setWsImages``: a body's
            # is ignored), ``attachments`` replaced by ``setWsAttachments``.
            assoc={
                "categories": ("category", ("id",)),
                "images": ("image", ("id",)),
                "combinations": ("combination", ("id",)),
                "product_option_values": ("product_option_value", ("id",)),
                "stock_availables": ("stock_available", ("id", "id_product_attribute")),
                "product_bundle": ("product", ("id", "id_product_attribute", "quantity")),
                "accessories": ("product", ("id",)),
                "product_features": ("product_feature", ("id", "id_feature_value")),
                "attachments": ("attachment", ("id",)),
            },
            description="The products",
        ),
        # attachments.md (1.7.8+, Attachment::$definition): the metadata; the bytes go
        # through ``/api/attachments/file`` (:mod:`.files`).
        _r(
            "attachments",
            "attachment",
            "file file_name file_size mime name description",
            required="file mime name",
            lang="name description",
            formats="file:isGenericName file_name:isGenericName file_size:isUnsignedId "
            "mime:isCleanHtml name:isGenericName description:isCleanHtml",
            sizes="file:40 file_name:128 mime:128 name:32",
            assoc={"products": ("product", ("id",))},
            description="The product attachments",
        ),
        _r(
            "combinations",
            "combination",
            "id_product location ean13 isbn upc mpn quantity reference supplier_reference "
            "wholesale_price price ecotax weight unit_price_impact minimal_quantity "
            "low_stock_threshold low_stock_alert default_on available_date",
            required="id_product minimal_quantity",
            readonly="quantity",
            formats="id_product:isUnsignedId reference:isReference "
            "supplier_reference:isReference ean13:isEan13 price:isNegativePrice "
            "wholesale_price:isPrice ecotax:isPrice weight:isFloat "
            "minimal_quantity:isUnsignedInt",
            sizes="reference:64 supplier_reference:64 ean13:13",
            assoc={
                "product_option_values": ("product_option_value", ("id",)),
                "images": ("image", ("id",)),
            },
            description="The product combinations",
        ),
        # reference.md: stock_availables are GET, PUT, PATCH, HEAD only.
        _r(
            "stock_availables",
            "stock_available",
            "id_product id_product_attribute id_shop id_shop_group quantity depends_on_stock "
            "out_of_stock location",
            required="id_product id_product_attribute quantity depends_on_stock out_of_stock",
            formats="id_product:isUnsignedId id_product_attribute:isUnsignedId quantity:isInt "
            "depends_on_stock:isBool out_of_stock:isInt",
            sizes="quantity:10 location:255",
            methods=frozenset({"GET", "PUT", "PATCH", "HEAD"}),
            description="Available quantities of products",
        ),
        _r(
            "product_options",
            "product_option",
            "is_color_group group_type position name public_name",
            required="group_type name public_name",
            lang="name public_name",
            assoc={"product_option_values": ("product_option_value", ("id",))},
            description="The product options (Size, Color, ...)",
        ),
        # product_features.md, product_feature_values.md (Feature, FeatureValue definitions)
        _r(
            "product_features",
            "product_feature",
            "position name",
            required="name",
            lang="name",
            formats="name:isGenericName",
            sizes="name:128",
            description="The product features",
        ),
        _r(
            "product_feature_values",
            "product_feature_value",
            "id_feature custom value",
            required="id_feature value",
            lang="value",
            formats="id_feature:isUnsignedId custom:isBool value:isGenericName",
            sizes="value:255",
            description="The product feature values",
        ),
        _r(
            "product_option_values",
            "product_option_value",
            "id_attribute_group color position name",
            required="id_attribute_group name",
            lang="name",
            description="The product options value (S, M, L, ...)",
        ),
        # categories.md
        _r(
            "categories",
            "category",
            "id_parent level_depth nb_products_recursive active id_shop_default is_root_category "
            "position date_add date_upd name link_rewrite description meta_title meta_description "
            "meta_keywords",
            required="active name link_rewrite",
            readonly="level_depth nb_products_recursive",
            formats="name:isCatalogName link_rewrite:isLinkRewrite",
            sizes="name:128 link_rewrite:128",
            lang="name link_rewrite description meta_title meta_description meta_keywords",
            assoc={"categories": ("category", ("id",)), "products": ("product", ("id",))},
            description="The product categories",
        ),
        # manufacturers.md, suppliers.md (Manufacturer::$definition, Supplier::$definition)
        _r(
            "manufacturers",
            "manufacturer",
            "active link_rewrite name date_add date_upd "
            "description short_description meta_title meta_description meta_keywords",
            required="name",
            readonly="link_rewrite",
            lang="description short_description meta_title meta_description meta_keywords",
            formats="name:isCatalogName active:isBool",
            sizes="name:64",
            description="The product brands",
        ),
        _r(
            "suppliers",
            "supplier",
            "link_rewrite name active date_add date_upd description "
            "meta_title meta_description meta_keywords",
            required="name",
            readonly="link_rewrite",
            lang="description meta_title meta_description meta_keywords",
            formats="name:isCatalogName active:isBool",
            sizes="name:64",
            description="The product suppliers",
        ),
        # product_suppliers.md (ProductSupplier::$definition): a product's or a
        # combination's reference and purchase price at one supplier; the back office
        # lists a product's suppliers from these rows, and setting a product's
        # id_supplier through the Webservice does not make one.
        _r(
            "product_suppliers",
            "product_supplier",
            "id_product id_product_attribute id_supplier id_currency "
            "product_supplier_reference product_supplier_price_te",
            required="id_product id_product_attribute id_supplier",
            formats="id_product:isUnsignedId id_product_attribute:isUnsignedId "
            "id_supplier:isUnsignedId id_currency:isUnsignedId "
            "product_supplier_reference:isReference product_supplier_price_te:isPrice",
            sizes="product_supplier_reference:64",
            description="Product Suppliers",
        ),
        _r(
            "tax_rule_groups",
            "tax_rule_group",
            "name active deleted date_add date_upd",
            required="name",
            description="Group of Tax rule, along with their name",
        ),
        # tax_rules.md
        _r(
            "tax_rules",
            "tax_rule",
            "id_tax_rules_group id_state id_country zipcode_from zipcode_to id_tax behavior "
            "description",
            required="id_tax_rules_group id_country",
            description="Tax rules, to associate Tax with a country, zip code, ...",
        ),
        _r(
            "taxes",
            "tax",
            "rate active deleted name",
            required="rate name",
            lang="name",
            description="The tax rate",
        ),
        _r(
            "customers",
            "customer",
            "id_default_group id_lang newsletter_date_add ip_registration_newsletter "
            "last_passwd_gen secure_key deleted passwd lastname firstname email id_gender birthday "
            "newsletter optin website company siret ape outstanding_allow_amount "
            "show_public_prices "
            "id_risk max_payment_days active note is_guest id_shop id_shop_group date_add date_upd "
            "reset_password_token reset_password_validity",
            required="passwd lastname firstname email",
            readonly="last_passwd_gen secure_key",
            formats="lastname:isCustomerName firstname:isCustomerName email:isEmail "
            "company:isGenericName siret:isGenericName outstanding_allow_amount:isFloat "
            "max_payment_days:isUnsignedInt active:isBool newsletter:isBool optin:isBool "
            "is_guest:isBool deleted:isBool note:isCleanHtml id_lang:isUnsignedId",
            sizes="lastname:255 firstname:255 email:255 passwd:255 note:65000",
            assoc={"groups": ("group", ("id",))},
            description="The e-shop's customers",
        ),
        # testing-access.md (blank and synopsis schemas) and addresses.md
        _r(
            "addresses",
            "address",
            "id_customer id_manufacturer id_supplier id_warehouse id_country id_state alias "
            "company lastname firstname vat_number address1 address2 postcode city other phone "
            "phone_mobile dni deleted date_add date_upd",
            required="id_country alias lastname firstname address1 city",
            formats="id_customer:isUnsignedId id_country:isUnsignedId id_state:isUnsignedId "
            "deleted:isBool lastname:isName firstname:isName company:isGenericName "
            "vat_number:isGenericName address1:isAddress address2:isAddress "
            "postcode:isPostCode city:isCityName phone:isPhoneNumber "
            "phone_mobile:isPhoneNumber alias:isGenericName",
            sizes="alias:32 company:255 lastname:255 firstname:255 address1:128 address2:128 "
            "postcode:12 city:64 phone:32 phone_mobile:32 vat_number:32",
            description="The Customer, Brand and Customer addresses",
        ),
        # groups.md
        _r(
            "groups",
            "group",
            "reduction price_display_method show_prices date_add date_upd name",
            required="price_display_method name",
            lang="name",
            description="The customer's groups",
        ),
        _r(
            "countries",
            "country",
            "id_zone id_currency call_prefix iso_code active contains_states need_identification_"
            "number need_zip_code zip_code_format display_tax_label name",
            required="id_zone iso_code name",
            lang="name",
            description="The countries",
        ),
        # currencies.md
        # languages.md (Language::$definition)
        _r(
            "languages",
            "language",
            "name iso_code locale language_code active is_rtl date_format_lite date_format_full",
            required="name iso_code date_format_lite date_format_full",
            formats="active:isBool is_rtl:isBool",
            sizes="name:32 iso_code:2",
            description="Shop languages",
        ),
        _r(
            "currencies",
            "currency",
            "names name symbol iso_code numeric_iso_code precision conversion_rate deleted active",
            required="iso_code conversion_rate",
            description="The currencies installed",
        ),
        # carriers.md
        _r(
            "carriers",
            "carrier",
            "deleted is_module id_tax_rules_group id_reference name active is_free url "
            "shipping_handling shipping_external range_behavior shipping_method max_width "
            "max_height max_depth max_weight grade external_module_name need_range position delay",
            required="name",
            lang="delay",
            description="The Carriers that perform deliveries",
        ),
        # order_states.md
        _r(
            "order_states",
            "order_state",
            "unremovable delivery hidden send_email module_name invoice color logable shipped paid "
            "pdf_delivery pdf_invoice deleted name template",
            required="name",
            lang="name template",
            description="The Order states (Waiting for transfer, Payment accepted, ...)",
        ),
        # orders.md: the whole table and the order_rows association.
        _r(
            "orders",
            "order",
            "id_address_delivery id_address_invoice id_cart id_currency id_lang id_customer "
            "id_carrier current_state module invoice_number invoice_date delivery_number "
            "delivery_date valid date_add date_upd shipping_number note id_shop_group id_shop "
            "secure_key payment recyclable gift gift_message mobile_theme total_discounts "
            "total_discounts_tax_incl total_discounts_tax_excl total_paid total_paid_tax_incl "
            "total_paid_tax_excl total_paid_real total_products total_products_wt total_shipping "
            "total_shipping_tax_incl total_shipping_tax_excl carrier_tax_rate total_wrapping "
            "total_wrapping_tax_incl total_wrapping_tax_excl round_mode round_type conversion_rate "
            "reference",
            required="id_address_delivery id_address_invoice id_cart id_currency id_lang "
            "id_customer id_carrier module payment total_paid total_paid_real "
            "total_products total_products_wt conversion_rate",
            readonly="current_state",
            assoc={
                "order_rows": (
                    "order_row",
                    (
                        "id",
                        "product_id",
                        "product_attribute_id",
                        "product_quantity",
                        "product_name",
                        "product_reference",
                        "product_ean13",
                        "product_isbn",
                        "product_upc",
                        "product_price",
                        "id_customization",
                        "unit_price_tax_incl",
                        "unit_price_tax_excl",
                    ),
                )
            },
            description="The Customers orders",
        ),
        _r(
            "order_details",
            "order_detail",
            "id_order product_id product_attribute_id product_quantity_reinjected group_reduction "
            "discount_quantity_applied download_hash download_deadline id_order_invoice "
            "id_warehouse id_shop id_customization product_name product_quantity "
            "product_quantity_in_stock product_quantity_return product_quantity_refunded "
            "product_price reduction_percent reduction_amount reduction_amount_tax_incl "
            "reduction_amount_tax_excl product_quantity_discount product_ean13 product_isbn "
            "product_upc product_mpn product_reference product_supplier_reference product_weight "
            "tax_computation_method id_tax_rules_group ecotax ecotax_tax_rate "
            "download_nb unit_price_tax_incl unit_price_tax_excl total_price_tax_incl "
            "total_price_tax_excl total_shipping_price_tax_excl total_shipping_price_tax_incl "
            "purchase_supplier_price original_product_price original_wholesale_price "
            "total_refunded_tax_excl total_refunded_tax_incl tax_rate tax_name",
            required="id_order product_name product_quantity product_price",
            assoc={"taxes": ("tax", ("id",))},
            description="Details of an order",
        ),
        _r(
            "order_histories",
            "order_history",
            "id_employee id_order_state id_order date_add",
            required="id_order_state id_order",
            methods=frozenset({"GET", "POST", "HEAD"}),
            description="The Order histories",
        ),
        _r(
            "order_payments",
            "order_payment",
            "order_reference id_currency amount payment_method conversion_rate transaction_id "
            "card_number card_brand card_expiration card_holder date_add",
            required="id_currency amount",
            description="The Order payments",
        ),
        _r(
            "order_carriers",
            "order_carrier",
            "id_order id_carrier id_order_invoice weight shipping_cost_tax_excl "
            "shipping_cost_tax_incl tracking_number date_add",
            required="id_order id_carrier",
            description="The order carriers",
        ),
        # order_cart_rules.md
        _r(
            "order_cart_rules",
            "order_cart_rule",
            "id_order id_cart_rule id_order_invoice name value value_tax_excl free_shipping",
            required="id_order id_cart_rule name value value_tax_excl",
            description="The order cart rules",
        ),
        # specific_prices.md
        _r(
            "specific_prices",
            "specific_price",
            "id_shop_group id_shop id_cart id_product id_product_attribute id_currency id_country "
            "id_group id_customer id_specific_price_rule price from_quantity reduction "
            "reduction_tax reduction_type from to",
            required="id_shop id_cart id_product id_currency id_country id_group id_customer price "
            "from_quantity reduction reduction_tax reduction_type from to",
            formats="id_shop_group:isUnsignedId id_shop:isUnsignedId id_cart:isUnsignedId "
            "id_product:isUnsignedId id_product_attribute:isUnsignedId "
            "id_currency:isUnsignedId id_country:isUnsignedId id_group:isUnsignedId "
            "id_customer:isUnsignedId id_specific_price_rule:isUnsignedId "
            "price:isNegativePrice from_quantity:isUnsignedInt reduction:isPrice "
            "reduction_tax:isBool reduction_type:isReductionType from:isDateFormat "
            "to:isDateFormat",
            description="Specific price management",
        ),
        # classes/Message.php (1.7, 8): the buyer's checkout message is kept here.
        _r(
            "messages",
            "message",
            "id_cart id_order id_customer id_employee message private date_add",
            required="message",
            formats="id_cart:isUnsignedId id_order:isUnsignedId id_customer:isUnsignedId "
            "id_employee:isUnsignedId message:isCleanHtml private:isBool",
            description="The customers messages",
        ),
        _r(
            "configurations",
            "configuration",
            "value name id_shop_group id_shop date_add date_upd",
            required="name",
            description="Shop configuration",
        ),
    )
}
