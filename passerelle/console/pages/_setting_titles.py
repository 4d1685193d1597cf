"""Each setting of a profile, and each value of a closed list, as the profile editor names them.

Why a table beside the models: a setting's key (``orders.period_days``) is
what the TOML file, the CLI and the docs use and never changes; the editor
shows the merchant's words instead (translated when shown), with the key in
small beside them for whoever edits the file. Keys are the field's path in
the file, so a platform's own settings (``shop.api_key``) are named here too.
``tests/console/test_profile_editor.py`` walks every model the form walks,
for every registered platform, and fails on a field or a value without words
here, so a new setting cannot appear as its key name.

The submitted value of a drop-down stays the code (``per_customer``); only
the words shown change.
"""

from __future__ import annotations

from passerelle.i18n import N_

__all__ = ["CHOICE_LABELS", "DOCUMENT_LABELS", "SETTING_TITLES", "choice_label", "setting_title"]

SETTING_TITLES: dict[str, str] = {
    # General
    "mode": N_("Mode"),
    # Back-office (Tryton, the in-memory one of the tests)
    "backoffice.database": N_("Database name"),
    "backoffice.uri": N_("Database server"),
    "backoffice.path": N_("Folder of the database files"),
    "backoffice.company": N_("Company"),
    "backoffice.items": N_("Items it starts with"),
    # Shop: every platform
    "shop.url": N_("Shop address"),
    "shop.http.timeout": N_("Wait for an answer (seconds)"),
    "shop.http.max_tries": N_("Tries per request"),
    "shop.http.delay_between_requests": N_("Pause between requests (seconds)"),
    "shop.http.user_agent": N_("Name given to the shop (user agent)"),
    "shop.http.verify_tls": N_("Check the shop's certificate"),
    "shop.http.ca_bundle": N_("Certificate authority file"),
    "shop.http.proxy": N_("Proxy"),
    # WooCommerce
    "shop.consumer_key": N_("Consumer key"),
    "shop.consumer_secret": N_("Consumer secret"),
    "shop.query_string_auth": N_("Send the keys in the address (for servers that drop them)"),
    # PrestaShop
    "shop.api_key": N_("Webservice key"),
    "shop.concurrency": N_("Requests at once"),
    "shop.language_id": N_("Main language number"),
    # Shopify, BigCommerce, Magento
    "shop.access_token": N_("Access token"),
    "shop.api_version": N_("API version"),
    "shop.location": N_("Stock location"),
    "shop.store_hash": N_("Store hash"),
    "shop.api_url": N_("API address"),
    "shop.store_code": N_("Store view code"),
    "shop.source_code": N_("Stock source code"),
    "shop.input_list_limit": N_("Stock entries per request"),
    # Catalogue
    "catalogue.only_changed": N_("Send only the items changed since the last run"),
    "catalogue.only_new": N_("Only create missing products, never update existing ones"),
    "catalogue.full_read_days": N_("Read the whole catalogue again every (days)"),
    "catalogue.only_salable": N_("Send only salable items"),
    "catalogue.only_published": N_("Send only the items marked for the web"),
    "catalogue.default_tax_class": N_("Tax class when a tax is not mapped"),
    "catalogue.all_tax_class": N_("One tax class for every product"),
    "catalogue.new_products_active": N_("New products are published"),
    "catalogue.disable_from_state": N_("Switch off inactive or blocked items in the shop"),
    "catalogue.languages": N_("Languages (shop language = back-office language)"),
    "catalogue.all_languages": N_("Write every language (else the main one only)"),
    "catalogue.categories.source": N_("Shop categories come from"),
    "catalogue.categories.fields": N_("Item fields forming the categories, top level first"),
    "catalogue.categories.extra_field": N_("Item field naming extra categories"),
    "catalogue.categories.rename": N_("Rename a shop category when its back-office name changes"),
    "catalogue.categories.default": N_("Category of an item whose category is not found"),
    "catalogue.texts.name": N_("Product name from"),
    "catalogue.texts.description": N_("Description from"),
    "catalogue.texts.short_description": N_("Short description from"),
    "catalogue.texts.seo_title": N_("Search engine title from"),
    "catalogue.texts.seo_description": N_("Search engine description from"),
    "catalogue.texts.seo_keywords": N_("Search engine keywords from"),
    "catalogue.texts.slug": N_("Web address from"),
    "catalogue.texts.description_format": N_("Description format"),
    "catalogue.variants.master_field": N_("Item field grouping variants into one product"),
    "catalogue.variants.from_templates": N_("Products with several variants become variable"),
    "catalogue.variants.parent_image_from_variant": N_(
        "A product without an image shows its first variant's"
    ),
    "catalogue.media.item_images": N_("Send the item's own images"),
    "catalogue.media.images_folder": N_("Folder of images"),
    "catalogue.media.document_extensions": N_("Document file extensions"),
    "catalogue.media.documents_folder": N_("Folder of documents"),
    "catalogue.media.by_supplier_reference": N_("Also find files by supplier reference"),
    "catalogue.media.replace_shop_images": N_("Remove the shop's other images"),
    "catalogue.media.publish_dir": N_("Folder the files are published to"),
    "catalogue.media.public_url": N_("Web address of that folder"),
    "catalogue.stock.warehouses": N_("Warehouses counted (none: all)"),
    "catalogue.stock.kind": N_("Quantity shown"),
    "catalogue.stock.negative_as_zero": N_("A negative stock shows as zero"),
    "catalogue.stock.default_quantity": N_("Quantity of items not stocked (services)"),
    "catalogue.stock.ignore_published": N_("Update the stock of items not marked for the web"),
    "catalogue.stock.out_of_stock": N_("Out-of-stock products"),
    "catalogue.stock.check_fix": N_("The stock check also corrects the shop"),
    "catalogue.stock.hold_back_orders": N_("Hold back what shop orders already promise"),
    "catalogue.prices.decimals": N_("Price decimals"),
    "catalogue.prices.promotion_price_list": N_("Price list of promotional prices"),
    "catalogue.prices.group_prices": N_("Send each customer group's prices"),
    "catalogue.prices.purchase_price": N_("Send the cost price"),
    "catalogue.prices.ecotax_field": N_("Item field holding the eco-contribution"),
    "catalogue.details.weight_field": N_("Weight from"),
    "catalogue.details.length_field": N_("Length from"),
    "catalogue.details.width_field": N_("Width from"),
    "catalogue.details.height_field": N_("Height from"),
    "catalogue.details.barcode": N_("Send the barcode"),
    "catalogue.details.min_quantity_field": N_("Minimum order quantity from"),
    "catalogue.details.brand_field": N_("Brand from"),
    "catalogue.details.warranty_field": N_("Warranty from"),
    "catalogue.details.supplier": N_("Send the supplier"),
    "catalogue.details.features": N_("Features (shop feature = item field)"),
    "catalogue.details.packs": N_("Kits become grouped products"),
    "catalogue.details.related_field": N_("Upsells from"),
    "catalogue.details.cross_sell_field": N_("Cross-sells from"),
    "catalogue.reverse.update_existing": N_("Shop products update existing items"),
    "catalogue.reverse.default_tax": N_("Tax of items created from the shop"),
    "catalogue.reverse.category": N_("Category of items created from the shop"),
    # Customers
    "customers.skip_without_email": N_("Leave out customers without an e-mail"),
    "customers.skip_inactive": N_("Leave out inactive customers"),
    "customers.disable_inactive": N_("Disable inactive customers in the shop"),
    "customers.only_changed": N_("Send only the customers changed since the last run"),
    "customers.contacts": N_("Send contacts with their own e-mail"),
    "customers.groups": N_("Send customer groups (price lists)"),
    "customers.new_accounts.generate_password": N_("New accounts get a password"),
    "customers.new_accounts.newsletter": N_("New accounts receive the newsletter"),
    "customers.new_accounts.opt_in": N_("New accounts accept offers"),
    "customers.new_accounts.welcome_email": N_("New accounts get a welcome e-mail"),
    "customers.prospects_since": N_("Import shop customers without orders created since"),
    "customers.prospect_category": N_("Their customer category"),
    "customers.prospect_code_prefix": N_("Their account code prefix"),
    # Orders: which orders
    "orders.period_days": N_("Read the orders of the last (days)"),
    "orders.include_transferred": N_("Read again the orders already seen"),
    "orders.include_archived": N_("Also read archived orders"),
    "orders.update_stock_after_import": N_("Send the ordered items' stock right after the import"),
    "orders.awaiting_payment_statuses": N_("Shop statuses awaiting payment"),
    "orders.recheck_minutes": N_("Check unpaid orders again every (minutes)"),
    "orders.stores": N_("Only these stores or channels (none: all)"),
    "orders.auto_validate": N_("Write orders at once (else they wait in the staging grid)"),
    # Orders: customers
    "orders.customer_matching": N_("Find the existing customer by"),
    "orders.account_mode": N_("Customer accounts"),
    "orders.single_account": N_("The single account"),
    "orders.account_prefix": N_("New account code prefix"),
    "orders.account_length": N_("New account code length"),
    "orders.guest_account": N_("Account of guest orders"),
    "orders.receivable_mode": N_("Receivable account of new customers"),
    "orders.receivable_account": N_("The single receivable account"),
    "orders.receivable_prefix": N_("Receivable account prefix"),
    "orders.receivable_length": N_("Receivable account length"),
    "orders.new_customer_category": N_("Category of new customers"),
    "orders.new_customer_representative": N_("Sales representative of new customers"),
    "orders.update_addresses": N_("Add an order's new addresses to the customer"),
    "orders.strip_accents": N_("Remove accents from names and addresses"),
    "orders.uppercase_names": N_("Names in capitals"),
    "orders.uppercase_addresses": N_("Addresses in capitals"),
    # Orders: header
    "orders.date_source": N_("Date of the document"),
    "orders.warehouse": N_("Warehouse"),
    "orders.reference_template": N_("Customer reference"),
    "orders.description_template": N_("Description"),
    "orders.comment_template": N_("Comment"),
    # Orders: lines
    "orders.misc_item": N_("Item of unknown references and fees"),
    "orders.substitute_item": N_("Substitute item"),
    "orders.substitute_when": N_("Use the substitute item when the item is"),
    "orders.keep_shop_number": N_("Number documents with the shop's order number"),
    "orders.backoffice_labels": N_("Lines take the back-office item names"),
    "orders.prices_from": N_("Prices read from the shop"),
    "orders.shipping_mode": N_("Shipping written as"),
    "orders.no_payment_method": N_("No payment term on documents"),
    "orders.discount_mode": N_("Discounts written"),
    "orders.accept_total_difference": N_("Accept a total that differs from the shop's"),
    "orders.default_tax": N_("Tax of shop taxes not mapped"),
    "orders.currencies": N_("Currencies (shop currency = back-office currency)"),
    "orders.addresses.invoice": N_("Invoice address"),
    "orders.addresses.shipment": N_("Delivery address"),
    "orders.shipping_item": N_("Shipping item"),
    "orders.gift_wrap_item": N_("Gift wrap item"),
    "orders.gap_item": N_("Item of rounding differences"),
    "orders.gift_card_item": N_("Gift card item"),
    "orders.ecotax_item": N_("Eco-contribution item"),
    "orders.discount_items": N_("Discount items (back-office tax = item)"),
    "orders.coupon_items": N_("Items a coupon may name"),
    "orders.gift_wrap_fee_names": N_("Fees that are gift wrap"),
    "orders.zero_amount_lines": N_("Write shipping that costs nothing"),
    # Orders: payments
    "orders.payment_amount": N_("Amount of the payment"),
    "orders.payment_date": N_("Date of the payment"),
    "orders.payment_label_template": N_("Payment description"),
    "orders.validate_before_paying": N_("Confirm the document before recording its payment"),
    "orders.copy_reference_to_payment": N_("The order number becomes the payment's reference"),
    "orders.total_tolerance": N_("Difference allowed on the total"),
    # Orders: reading
    "orders.messages": N_("Messages copied into the comment"),
    "orders.address_name": N_("Name on addresses"),
    "orders.unit_price_decimals": N_("Unit price decimals"),
    "orders.ecotax_mode": N_("Eco-contribution written"),
    "orders.grouping.mode": N_("A day's orders in one document"),
    "orders.grouping.account": N_("Account of the day's document"),
    "orders.split_by_address": N_("One document per delivery address"),
    "orders.refunds": N_("Shop refunds"),
    # Orders: back to the shop
    "orders.status_after_import": N_("Shop status once imported"),
    "orders.shipments.status": N_("Shop status once shipped"),
    "orders.shipments.notify_customer": N_("Tell the customer it is shipped"),
    "orders.shipments.carriers": N_("Carrier names shown to buyers (back-office carrier = name)"),
    "orders.cancel_on_shop_cancellation": N_("A cancellation in the shop cancels the document"),
    # Webhooks
    "webhooks.secret": N_("Secret the shop signs with"),
    "webhooks.allow_ips": N_("Addresses allowed to send (none: any)"),
    "webhooks.max_age_seconds": N_("Oldest delivery accepted (seconds)"),
    "webhooks.headers": N_("Headers each delivery must carry"),
    # Schedules and worker
    "schedules.timezone": N_("Time zone"),
    "schedules.jobs": N_("When each task runs (task = when)"),
    "worker.max_attempts": N_("Tries of a failing task"),
    "worker.retry_base_seconds": N_("First wait before trying again (seconds)"),
    "worker.retry_cap_seconds": N_("Longest wait before trying again (seconds)"),
    "worker.shop_concurrency": N_("Tasks at once on the shop"),
    # E-mail notifications
    "notifications.host": N_("Mail server"),
    "notifications.port": N_("Port"),
    "notifications.security": N_("Connection security"),
    "notifications.user": N_("User name"),
    "notifications.password": N_("Password"),
    "notifications.from_address": N_("Sender address"),
    "notifications.to_addresses": N_("Recipients"),
    "notifications.digest": N_("Hourly e-mail of new problems"),
    "notifications.language": N_("Language of the e-mails"),
    "notifications.timeout": N_("Wait for the server (seconds)"),
    "notifications.ca_bundle": N_("Certificate authority file"),
    # Shop: a site behind the web server's password, a TLS floor (every platform)
    "shop.http.http_auth_user": N_("Web server user name (a site behind a password)"),
    "shop.http.http_auth_password": N_("Web server password"),
    "shop.http.min_tls": N_("Lowest TLS version accepted"),
    # Wix
    "shop.site_id": N_("Site id"),
    # The file back-office: where the files are
    "backoffice.transport": N_("Where the files are"),
    "backoffice.folder": N_("Folder"),
    "backoffice.host": N_("Server"),
    "backoffice.port": N_("Server port"),
    "backoffice.user": N_("User name"),
    "backoffice.password": N_("Password"),
    "backoffice.private_key": N_("Private key file (SFTP)"),
    "backoffice.host_key": N_("Server key fingerprint (SFTP)"),
    "backoffice.tls": N_("Encrypted connection (FTPS)"),
    "backoffice.timeout": N_("Wait for the server (seconds)"),
    "backoffice.inbox": N_("Folder of the back-office's exports"),
    "backoffice.archive": N_("Folder the exports are moved to once read"),
    "backoffice.special_items": N_("Item codes of the order import not in the items export"),
    "backoffice.promotion_list": N_("Price list name of the dated promotions"),
    "backoffice.tax_rounding": N_("How the program computes a document's tax"),
    # ... its exports (the same settings for each kind of export)
    **{
        f"backoffice.{export}.{name}": title
        for export in ("items", "prices", "stock", "customers", "shipments")
        for name, title in (
            ("files", N_("File name or pattern")),
            ("format", N_("File format")),
            ("delimiter", N_("Column separator")),
            ("encoding", N_("Character encoding")),
            ("quote_char", N_("Quote character")),
            ("sheet", N_("Spreadsheet sheet")),
            ("header_row", N_("Line of the column titles (0: none)")),
            ("skip_rows", N_("Lines to skip after the titles")),
        )
    },
    # ... and its order files
    "backoffice.outbox.folder": N_("Folder the order files are written to"),
    "backoffice.outbox.archives": N_("Folders the back-office program moves them to"),
    "backoffice.outbox.style": N_("Order file layout"),
    "backoffice.outbox.format": N_("Order file format"),
    "backoffice.outbox.encoding": N_("Character encoding"),
    "backoffice.outbox.delimiter": N_("Column separator"),
    "backoffice.outbox.line_ending": N_("Line ending"),
    "backoffice.outbox.extension": N_("File extension"),
    "backoffice.outbox.titles": N_("First line of column titles"),
    "backoffice.outbox.number_prefix": N_("Prefix of the document numbers"),
    "backoffice.outbox.number_digits": N_("Digits of the document numbers"),
    "backoffice.outbox.header.marker": N_("Marker of the header record"),
    "backoffice.outbox.line.marker": N_("Marker of the line records"),
    "backoffice.outbox.payment.marker": N_("Marker of the payment records"),
}

_ADDRESSES = {
    "shop_billing": N_("the order's billing address"),
    "shop_shipping": N_("the order's shipping address"),
    "customer_billing": N_("the customer's invoice address in the back-office"),
    "customer_delivery": N_("the customer's delivery address in the back-office"),
}

#: The words of each value of a closed list, by the setting's path then the value.
CHOICE_LABELS: dict[str, dict[str, str]] = {
    "mode": {"test": N_("test mode"), "production": N_("production")},
    "catalogue.categories.source": {
        "categories": N_("the back-office categories"),
        "fields": N_("item fields"),
    },
    "catalogue.texts.description_format": {
        "auto": N_("automatic (plain text becomes HTML)"),
        "text": N_("plain text"),
        "html": N_("HTML"),
    },
    "catalogue.stock.kind": {
        "on_hand": N_("on hand"),
        "available": N_("available (on hand minus what orders reserve)"),
        "forecast": N_("forecast (every planned move)"),
        "on_hand_plus_orders": N_("on hand plus what customers ordered"),
        "forecast_without_suppliers": N_("forecast without supplier deliveries"),
    },
    "catalogue.stock.out_of_stock": {
        "show": N_("stay in the catalogue"),
        "hide": N_("are hidden until back in stock"),
    },
    "orders.customer_matching": {
        "email": N_("e-mail"),
        "number": N_("company number"),
        "none": N_("never: a new account each time"),
    },
    "orders.account_mode": {
        "per_customer": N_("one per customer"),
        "single": N_("one account for every order"),
    },
    "orders.receivable_mode": {
        "default": N_("the back-office's default"),
        "single": N_("one account for all"),
        "per_customer": N_("one per customer"),
    },
    "orders.date_source": {
        "order": N_("the order's date"),
        "invoice": N_("the shop's invoice date"),
        "today": N_("the day of the import"),
    },
    "orders.substitute_when": {
        "inactive": N_("withdrawn (inactive)"),
        "out_of_stock": N_("out of stock"),
    },
    "orders.prices_from": {
        "net": N_("prices without tax"),
        "gross": N_("prices with tax"),
    },
    "orders.shipping_mode": {
        "line": N_("a line of the document"),
        "shipment_cost": N_("the shipment's cost"),
    },
    "orders.discount_mode": {
        "per_vat": N_("on one line per VAT rate"),
        "net_prices": N_("in each line's price"),
    },
    "orders.addresses.invoice": _ADDRESSES,
    "orders.addresses.shipment": _ADDRESSES,
    "orders.payment_amount": {
        "total": N_("the document's total"),
        "paid": N_("what the buyer paid"),
    },
    "orders.payment_date": {
        "order": N_("the order's date"),
        "payment": N_("the payment's date"),
        "today": N_("the day of the import"),
    },
    "orders.messages": {
        "customer_note": N_("the customer's note"),
        "customer_messages": N_("the customer's messages"),
        "private_notes": N_("the shop's private notes"),
    },
    "orders.address_name": {
        "contact": N_("the contact"),
        "company_else_contact": N_("the company, else the contact"),
    },
    "orders.ecotax_mode": {
        "in_price": N_("in the product's price"),
        "separate_line": N_("on a line of its own"),
    },
    "orders.grouping.mode": {
        "none": N_("no: one document per order"),
        "all": N_("every order"),
        "guests": N_("guest orders only"),
    },
    "orders.refunds": {
        "credit_note": N_("become returns"),
        "ignore": N_("are ignored"),
    },
    "notifications.security": {
        "starttls": N_("STARTTLS (port 587)"),
        "ssl": N_("SSL/TLS (port 465)"),
        "none": N_("none (port 25)"),
    },
    "notifications.language": {"en": N_("English"), "fr": N_("French")},
    "shop.http.min_tls": {"1.2": N_("TLS 1.2"), "1.3": N_("TLS 1.3")},
    "backoffice.transport": {
        "local": N_("a folder of this computer"),
        "ftp": N_("an FTP server"),
        "sftp": N_("an SFTP server"),
    },
    **{
        f"backoffice.{export}.format": {"csv": N_("CSV text"), "xlsx": N_("Excel workbook (xlsx)")}
        for export in ("items", "prices", "stock", "customers", "shipments")
    },
    "backoffice.outbox.style": {
        "lines": N_("one line per document line, the document repeated"),
        "records": N_("a header record, its lines, its payments"),
    },
    "backoffice.outbox.format": {
        "csv": N_("CSV text"),
        "fixed": N_("fixed-width text"),
        "xml": N_("XML"),
    },
    "backoffice.outbox.line_ending": {"crlf": N_("Windows (CR LF)"), "lf": N_("Unix (LF)")},
    "backoffice.tax_rounding": {
        "document": N_("per rate, on the document's total"),
        "line": N_("per line, then added up"),
    },
}

#: What an imported order becomes (the order statuses grid's drop-down), in words.
DOCUMENT_LABELS: dict[str, str] = {
    "draft": N_("a draft sale"),
    "quotation": N_("a quotation"),
    "order": N_("a confirmed sale"),
    "processed": N_("a sale shipped and invoiced"),
    "invoice": N_("a sale with its invoice posted"),
}


def setting_title(path: str) -> str:
    """The setting's title (English, marked for translation); its key when it has none
    (a plug-in platform's own setting)."""
    return SETTING_TITLES.get(path, path)


def choice_label(path: str, value: str) -> str:
    """The words of ``value`` in the setting's list (English, marked); the value itself
    when it has none."""
    return CHOICE_LABELS.get(path, {}).get(value, value)
