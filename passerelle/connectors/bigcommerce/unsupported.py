"""What a write asked for that lands nowhere in BigCommerce, by canonical field name.

Checked against ``product_Base`` (``reference/catalog/products_catalog.v3.yml``)
and ``customer_Post``/``customer_Put`` (``reference/customers.v3.yml``):

- a product's features are its custom fields, with a new product and on an update
  (``custom_fields``);
- a product has no short description, eco-tax, supplier name, grouped (pack)
  products or cross-sells (its ``related_products`` hold the up-sells), nor attached
  documents (the catalog has images and videos only); passerelle does not write its
  other languages (channel locales) there yet: all are reported, so the journal never
  says they were updated (images: ``images``; customer-group prices: ``price_lists``);
- a customer account cannot be disabled (no status field), and has no credit
  limit, payment term, company number or contact persons (its addresses are
  written: ``customers``).

A field is reported only when the write asked for it (its field group, or all)
and the record carries a value for it: an empty field asked for loses nothing.
"""

from __future__ import annotations

from passerelle.connectors.base import CustomerWrite, ProductWrite

__all__ = ["customer_unsupported", "product_unsupported"]

_PRODUCT_FIELDS = (
    "short_description",
    "ecotax",
    "supplier",
    "grouped_ids",
    "cross_sell_ids",
    "documents",
    "translations",
)
# K5 field group → the customer fields it writes that BigCommerce cannot hold.
_CUSTOMER_GROUPS = {
    "b2b": ("credit_limit", "payment_term", "tax_identifier"),
    "names": ("contacts",),
}


def _has(value: object) -> bool:
    return value is not None and value != "" and value != ()


def product_unsupported(write: ProductWrite) -> tuple[str, ...]:
    draft = write.draft
    return tuple(
        name
        for name in _PRODUCT_FIELDS
        if (write.fields is None or name in write.fields) and _has(getattr(draft, name))
    )


def customer_unsupported(write: CustomerWrite) -> tuple[str, ...]:
    customer = write.customer
    out: list[str] = []
    if not customer.active:
        out.append("active")
    for group, names in _CUSTOMER_GROUPS.items():
        if write.fields is not None and group not in write.fields:
            continue
        out.extend(n for n in names if _has(getattr(customer, n)))
    return tuple(out)
