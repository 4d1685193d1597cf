"""Each field an export sends, and each kind of record, as a merchant reads it on a screen.

Why a table beside the records: a field's name (``regular_price``) is what
the code, the store's kept contents and ``--json`` use and never changes; the
preview's page and table show the merchant's words instead, translated when
shown. ``tests/test_field_titles.py`` checks every field a candidate of an
export can name has a title, so a new field cannot appear as its code name.
"""

from __future__ import annotations

from passerelle.i18n import N_, _

__all__ = ["FIELD_TITLES", "KIND_TITLES", "field_title", "kind_title"]

FIELD_TITLES: dict[str, str] = {
    # Products (prices and stock are product fields too)
    "sku": N_("SKU"),
    "name": N_("Name"),
    "regular_price": N_("Price"),
    "sale_price": N_("Promotional price"),
    "group_prices": N_("Customer group prices"),
    "cost_price": N_("Cost price"),
    "ecotax": N_("Eco-contribution"),
    "description": N_("Description"),
    "short_description": N_("Short description"),
    "tax_class": N_("Tax class"),
    "category_ids": N_("Categories"),
    "weight": N_("Weight"),
    "length": N_("Length"),
    "width": N_("Width"),
    "height": N_("Height"),
    "barcode": N_("Barcode"),
    "manage_stock": N_("Stock managed"),
    "stock_quantity": N_("Stock quantity"),
    "min_quantity": N_("Minimum order quantity"),
    "active": N_("Published"),
    "hidden": N_("Hidden from the catalogue"),
    "kind": N_("Product type"),
    "slug": N_("Web address"),
    "seo_title": N_("Search engine title"),
    "seo_description": N_("Search engine description"),
    "seo_keywords": N_("Search engine keywords"),
    "brand": N_("Brand"),
    "warranty": N_("Warranty"),
    "supplier": N_("Supplier"),
    "supplier_reference": N_("Supplier reference"),
    "attributes": N_("Attributes"),
    "variation_options": N_("Variation options"),
    "images": N_("Images"),
    "tax_rate": N_("Tax rate"),
    "documents": N_("Documents"),
    "grouped_ids": N_("Pack contents"),
    "upsell_ids": N_("Upsells"),
    "cross_sell_ids": N_("Cross-sells"),
    "translations": N_("Translations"),
    # Categories
    "parent_id": N_("Parent category"),
    # Customers and customer groups
    "source_id": N_("Back-office reference"),
    "email": N_("E-mail"),
    "first_name": N_("First name"),
    "last_name": N_("Last name"),
    "company": N_("Company"),
    "code": N_("Account code"),
    "phone": N_("Phone"),
    "addresses": N_("Addresses"),
    "modified_at": N_("Modified on"),
    "created_at": N_("Created on"),
    "tax_identifier": N_("VAT or company number"),
    "receivable_account": N_("Receivable account"),
    "category": N_("Customer category"),
    "representative": N_("Sales representative"),
    "group": N_("Customer group"),
    "contacts": N_("Contacts"),
    "notes": N_("Notes"),
    "credit_limit": N_("Credit limit"),
    "payment_term": N_("Payment term"),
    "prices_include_tax": N_("Prices include tax"),
    # A content that is one value, not a record (see passerelle.flows.sent)
    "value": N_("Value"),
}

#: The binding kinds an export previews, in words.
KIND_TITLES: dict[str, str] = {
    "product": N_("Product"),
    "category": N_("Category"),
    "price": N_("Price"),
    "stock": N_("Stock"),
    "customer": N_("Customer"),
    "customer_group": N_("Customer group"),
}


def field_title(name: str) -> str:
    """The field's title in the current language (its name when it has none)."""
    return _titled(FIELD_TITLES, name)


def kind_title(kind: str) -> str:
    """The record kind's title in the current language (its name when it has none)."""
    return _titled(KIND_TITLES, kind)


def _titled(titles: dict[str, str], name: str) -> str:
    return _(titles[name]) if name in titles else name
