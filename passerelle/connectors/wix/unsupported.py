"""What a write asked for that lands nowhere on a Wix site, by canonical field name.

Checked against the Catalog V3 product (``variantsInfo.variants`` with SKU, price,
barcode, weight; ``plainDescription``; ``visible``; categories) and the Catalog V1 product
(no barcode), and the Contacts V4 ``info`` (name, company, e-mails, phones, addresses,
extended fields): dev.wix.com/docs/api-reference/business-solutions/stores/catalog-v3,
dev.wix.com/docs/rest/business-solutions/stores/catalog/query-products,
dev.wix.com/docs/api-reference/crm/members-contacts/contacts/contacts.

- a product has no short description, cost price written by passerelle, eco-tax,
  dimensions, minimum quantity, warranty, supplier, customer-group prices, packs,
  up-sells or cross-sells; passerelle does not write its SEO texts, tax group, brand,
  features (options that are not variation axes), images, documents, sale price or other
  languages there yet (the capability matrix says which is which, wix_supports.py);
- a contact cannot be disabled and has no customer group, notes, company number,
  payment term, credit limit or contact persons.

A field is reported only when the write asked for it and the record carries a value
for it: an empty field asked for loses nothing.
"""

from __future__ import annotations

from passerelle.connectors.base import CustomerWrite, ProductWrite

__all__ = ["customer_unsupported", "product_unsupported"]

# Product fields (canonical names) with no place on a Wix product, or not written yet.
_PRODUCT_FIELDS = tuple(
    """short_description slug seo_title seo_description seo_keywords sale_price
    group_prices cost_price ecotax length width height min_quantity brand warranty supplier
    supplier_reference grouped_ids upsell_ids cross_sell_ids images documents
    translations""".split()
)
# Customer field -> the K5 field group that writes it, for what a contact cannot hold.
_CUSTOMER_FIELDS = {
    "group": "group",
    "notes": "notes",
    "credit_limit": "b2b",
    "payment_term": "b2b",
    "tax_identifier": "b2b",
    "contacts": "names",
}


def _has(value: object) -> bool:
    return value not in (None, "", ())


def _asked(fields: frozenset[str] | None, name: str) -> bool:
    return fields is None or name in fields


def product_unsupported(write: ProductWrite, *, barcode: bool = True) -> tuple[str, ...]:
    """The product fields of ``write`` Wix does not hold (``barcode``: whether the
    catalog has one, V3 only)."""
    draft = write.draft
    out = [
        name
        for name in _PRODUCT_FIELDS
        if _asked(write.fields, name) and _has(getattr(draft, name))
    ]
    if _asked(write.fields, "tax_class"):
        # A product is taxed by the site's tax groups; passerelle names none, even the
        # standard class (the site's default group is whatever the merchant made it).
        out.append("tax_class")
    features = [a for a in draft.attributes if not a.variation]
    if _asked(write.fields, "attributes") and features:
        out.append("attributes")
    if not barcode and _asked(write.fields, "barcode") and draft.barcode:
        out.append("barcode")
    return tuple(out)


def customer_unsupported(write: CustomerWrite) -> tuple[str, ...]:
    """The customer fields of ``write`` a contact does not hold; a disabled account too."""
    customer = write.customer
    held = [
        name
        for name, group in _CUSTOMER_FIELDS.items()
        if _asked(write.fields, group) and _has(getattr(customer, name))
    ]
    return ("active", *held) if not customer.active else tuple(held)
