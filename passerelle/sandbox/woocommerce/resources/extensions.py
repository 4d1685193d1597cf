"""What the demo shop's WooCommerce extensions add to orders, and the meta they store.

A real French shop runs extensions; the order import reads what they leave
in the REST API, so the sandbox reproduces their documented or coded
behaviour — and nothing is invented here:

- **WooCommerce Gift Cards** (woocommerce.com, by SomewhereWarm): adds a
  ``gift_cards`` array to every order response, each redeemed card as
  ``{id, code, amount}`` (the field the official WooCommerce Android app
  reads with ``GET /orders/<id>?_fields=gift_cards``,
  ``woocommerce-android`` ``GiftCardRestClient``). A card is redeemed after
  tax, like cash: it lowers the order's ``total`` (what remains to pay),
  never its taxes.
- **WooCommerce Ship to Multiple Addresses** (woocommerce.com): stores the
  checkout's packages in order meta ``_wcms_packages`` (each with a
  ``destination`` address in WooCommerce's shipping shape, ``contents``
  keyed by cart item key, and ``full_address``), the order item id of each
  cart item in ``_packages_item_ids`` (``store_item_id``), the shipping
  item id of each package in ``_packages_shipping_ids``
  (``store_shipping_item_id``), flags ``_multiple_shipping`` = ``yes``, and
  blanks the order's own shipping address when there is more than one
  package (``WC_MS_Checkout::checkout_process``). Its REST filter
  (``WC_MS_API::add_shipping_packages``) adds ``multiple_shipping`` to every
  order and, for several packages, ``shipping_packages`` — one entry
  appended *per content item*, without ``full_address`` and with each
  content's ``name``, exactly as its loop does.
- Meta read by the order import (kept as given, like any ``meta_data``):
  ``_billing_vat_number`` (WooCommerce EU VAT Number: the buyer's VAT
  number; ``is_vat_exempt`` = ``yes`` is WooCommerce core's flag when it
  removed VAT), ``_wcpdf_invoice_date`` (PDF Invoices & Packing Slips by
  WP Overnight: the invoice date as a unix timestamp string, with
  ``_wcpdf_invoice_number``), and on a line item ``_ecotax`` (the French
  eco-participation per unit, a decimal string, included in the line's
  price — the convention of the merchant's eco-tax set-up, shaped like the
  docs' line-item ``meta_data``).
"""

from __future__ import annotations

import copy
from decimal import Decimal
from typing import Any

from ..totals import fmt_money

__all__ = [
    "ECOTAX_META",
    "INVOICE_DATE_META",
    "INVOICE_NUMBER_META",
    "VAT_NUMBER_META",
    "WCMS_ITEM_IDS_META",
    "WCMS_PACKAGES_META",
    "WCMS_SHIPPING_IDS_META",
    "apply_gift_cards",
    "render_extension_fields",
]

VAT_NUMBER_META = "_billing_vat_number"
INVOICE_DATE_META = "_wcpdf_invoice_date"
INVOICE_NUMBER_META = "_wcpdf_invoice_number"
ECOTAX_META = "_ecotax"
WCMS_PACKAGES_META = "_wcms_packages"
WCMS_ITEM_IDS_META = "_packages_item_ids"
WCMS_SHIPPING_IDS_META = "_packages_shipping_ids"


def apply_gift_cards(order: dict[str, Any]) -> None:
    """Lower ``total`` by the redeemed cards, each capped at what is left to pay."""
    cards = order.get("gift_cards") or []
    if not cards:
        return
    left = Decimal(order["total"])
    for card in cards:
        used = min(Decimal(card["balance_used"]), left)
        card["amount"] = fmt_money(used)
        left -= used
    order["total"] = fmt_money(left)


def _meta(order: dict[str, Any], key: str) -> Any:
    return next((m["value"] for m in order.get("meta_data", []) if m["key"] == key), None)


def render_extension_fields(out: dict[str, Any], order: dict[str, Any]) -> None:
    """Add the extensions' response fields to a rendered order, in place."""
    out["gift_cards"] = [
        {"id": c["id"], "code": c["code"], "amount": c["amount"]}
        for c in order.get("gift_cards") or []
    ]
    packages = _meta(order, WCMS_PACKAGES_META)
    multiship = isinstance(packages, list) and len(packages) > 1
    out["multiple_shipping"] = multiship
    if not multiship:
        return
    names = {line["id"]: line["name"] for line in order["line_items"]}
    item_ids = _meta(order, WCMS_ITEM_IDS_META) or {}
    shipping_packages = []
    for package in copy.deepcopy(packages):
        contents = list((package.get("contents") or {}).values())
        package["contents"] = contents
        for content in contents:
            content["name"] = names.get(item_ids.get(content.get("key", "")), "")
            content.pop("data", None)
            package.pop("full_address", None)
            shipping_packages.append(package)  # once per item, like WC_MS_API
    out["shipping_packages"] = shipping_packages
