"""What a write asks that a Magento 2.4 store cannot hold, by canonical field name.

Checked against ``catalog-data-product-interface`` and
``customer-data-customer-interface`` (admin-schema-2.4.9.yaml) and the attribute
sets of a core store (Open Source, no B2B module):

- products: no core attribute holds a barcode (GTIN: written when the merchant
  added a text attribute for it, ``products.py``), an eco-tax (FPT needs an
  attribute the merchant creates), length/width/height, a brand (``manufacturer``
  is an optional dropdown not in the Default set), a warranty or a supplier and
  its reference; core Magento has no place for a product's attached documents (only
  the downloadable product type carries files, and for sale). Store-view translations
  are not written by this connector. Each is reported instead of being lost in
  silence (images go to the media gallery: ``media.py``);
- customers: core Magento cannot disable an account, and has no field for notes,
  a credit limit, a payment term (Adobe Commerce B2B companies only) or the
  persons of an account. The company and the phone number live on the
  addresses: without an address there is nowhere to put them.

A field counts only when the write asks for it (``fields`` names it, or is None)
and carries a value.
"""

from __future__ import annotations

from typing import Any

from passerelle.connectors.base import CustomerWrite, ProductWrite

__all__ = ["customer_unsupported", "product_unsupported"]

PRODUCT_FIELDS = (
    "barcode",
    "ecotax",
    "length",
    "width",
    "height",
    "brand",
    "warranty",
    "supplier",
    "supplier_reference",
    "documents",
    "translations",
)
# Customer field → the policy group (``CustomerWrite.fields``) that asks for it; None:
# written on every update.
CUSTOMER_FIELDS: dict[str, str | None] = {
    "notes": "notes",
    "credit_limit": "b2b",
    "payment_term": "b2b",
    "contacts": None,
}


def _filled(value: Any) -> bool:
    return value not in (None, "", ())


def product_unsupported(write: ProductWrite, held: frozenset[str] = frozenset()) -> tuple[str, ...]:
    """``held``: those of ``PRODUCT_FIELDS`` this store holds after all (the barcode, in
    an attribute the merchant added)."""
    return tuple(
        name
        for name in PRODUCT_FIELDS
        if name not in held
        and (write.fields is None or name in write.fields)
        and _filled(getattr(write.draft, name))
    )


def customer_unsupported(write: CustomerWrite) -> tuple[str, ...]:
    customer, fields = write.customer, write.fields
    out = [
        name
        for name, group in CUSTOMER_FIELDS.items()
        if (fields is None or group is None or group in fields) and _filled(getattr(customer, name))
    ]
    if not customer.active:
        out.append("active")
    has_address = any(not a.is_empty() for a in customer.addresses)
    if customer.company and not has_address and (fields is None or "names" in fields):
        out.append("company")
    if customer.phone and not has_address and (fields is None or "addresses" in fields):
        out.append("phone")
    return tuple(out)
