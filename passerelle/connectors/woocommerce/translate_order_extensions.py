"""What WooCommerce extensions leave on an order, read into canonical values.

WooCommerce core has no field for a VAT number, an invoice date, an
eco-tax, gift cards or per-line delivery addresses; merchants add them with
extensions, which store them in the order's ``meta_data`` or add fields to
the REST response. Each reader names the extension whose shape it follows:

- VAT number: **WooCommerce EU VAT Number** stores it in order meta
  ``_billing_vat_number`` (``_vat_number`` before its version 2.3).
- Invoice date: **PDF Invoices & Packing Slips for WooCommerce** (WP
  Overnight) stores ``_wcpdf_invoice_date`` as a unix timestamp string
  (with ``_wcpdf_invoice_date_formatted`` and ``_wcpdf_invoice_number``).
- Eco-tax: line-item meta ``_ecotax``, the per-unit amount (decimal
  string) already included in the line's price — the merchant's eco-tax
  set-up, in the line-item ``meta_data`` shape of ``_orders.md``.
- Gift cards: **WooCommerce Gift Cards** adds ``gift_cards`` to the order
  response, ``[{id, code, amount}]`` (the field the official WooCommerce
  Android app reads); the order ``total`` is what remains after them.
- Delivery addresses: **WooCommerce Ship to Multiple Addresses** stores the
  checkout packages in order meta ``_wcms_packages`` (``destination``
  address, ``contents`` keyed by cart item key), the order item of each cart
  item in ``_packages_item_ids`` and the shipping item of each package in
  ``_packages_shipping_ids``; its REST filter also adds ``shipping_packages``
  (contents as a list, with names), read when the meta is not exposed.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

from passerelle.connectors.errors import RecordError
from passerelle.connectors.woocommerce.translate_values import meta_value, money
from passerelle.i18n.messages import M_, Text
from passerelle.model import Address, OrderGiftCard

__all__ = [
    "ECOTAX_KEY",
    "INVOICE_DATE_KEY",
    "VAT_NUMBER_KEYS",
    "delivery_addresses",
    "gift_cards",
    "invoice_date",
    "line_ecotax",
    "tax_identifier",
]

VAT_NUMBER_KEYS = ("_billing_vat_number", "_vat_number")
INVOICE_DATE_KEY = "_wcpdf_invoice_date"
ECOTAX_KEY = "_ecotax"
WCMS_PACKAGES_KEY = "_wcms_packages"
WCMS_ITEM_IDS_KEY = "_packages_item_ids"
WCMS_SHIPPING_IDS_KEY = "_packages_shipping_ids"


def tax_identifier(order: Mapping[str, Any]) -> str:
    """The buyer's VAT number (EU VAT Number extension), or ''."""
    for key in VAT_NUMBER_KEYS:
        value = meta_value(order, key)
        if value:
            return str(value).strip()
    return ""


def invoice_date(order: Mapping[str, Any], where: Text) -> datetime | None:
    """The PDF Invoices & Packing Slips invoice date (a unix timestamp), or None."""
    value = meta_value(order, INVOICE_DATE_KEY)
    if value in (None, ""):
        return None
    text = str(value).strip()
    if not text.isdigit():
        raise RecordError(
            M_(
                "%(where)s: meta %(key)s is %(value)s, not a unix timestamp as PDF "
                "Invoices & Packing Slips writes it; correct or remove it in the order",
                where=where,
                key=INVOICE_DATE_KEY,
                value=repr(text),
            )
        )
    return datetime.fromtimestamp(int(text), tz=UTC)


def line_ecotax(item: Mapping[str, Any], where: Text) -> Decimal:
    """The eco-tax per unit included in the line's price (meta ``_ecotax``), or 0."""
    value = meta_value(item, ECOTAX_KEY)
    if value in (None, ""):
        return Decimal("0")
    line = repr(item.get("name"))
    meta = M_("%(where)s, line %(line)s: meta %(key)s", where=where, line=line, key=ECOTAX_KEY)
    amount = money(value, what=meta)
    if amount < 0:
        raise RecordError(
            M_(
                "%(meta)s is negative (%(value)s); the eco-tax per unit must be 0 or more",
                meta=meta,
                value=repr(value),
            )
        )
    return amount


def gift_cards(order: Mapping[str, Any], where: Text) -> tuple[OrderGiftCard, ...]:
    """Gift cards redeemed on the order (WooCommerce Gift Cards' ``gift_cards``)."""
    cards = []
    for card in order.get("gift_cards") or []:
        if not isinstance(card, Mapping):
            raise RecordError(
                M_("%(where)s: a gift card came as %(type)s", where=where, type=type(card).__name__)
            )
        cards.append(
            OrderGiftCard(
                code=str(card.get("code") or ""),
                amount=money(
                    card.get("amount"), what=M_("%(where)s gift card amount", where=where)
                ),
            )
        )
    return tuple(cards)


def _address(destination: Mapping[str, Any]) -> Address:
    """A package ``destination`` (WooCommerce shipping shape) as an Address."""
    return Address(
        first_name=str(destination.get("first_name") or ""),
        last_name=str(destination.get("last_name") or ""),
        company=str(destination.get("company") or ""),
        street=str(destination.get("address_1") or destination.get("address") or ""),
        street2=str(destination.get("address_2") or ""),
        postal_code=str(destination.get("postcode") or ""),
        city=str(destination.get("city") or ""),
        country_code=str(destination.get("country") or ""),
        subdivision=str(destination.get("state") or ""),
    )


def _as_list(value: Any) -> list[Any]:
    """A PHP array as JSON gives it: a list, or an object keyed by index or key."""
    if isinstance(value, Mapping):
        return list(value.values())
    return list(value) if isinstance(value, list) else []


def delivery_addresses(
    order: Mapping[str, Any], where: Text
) -> tuple[dict[str, Address], dict[str, Address]]:
    """Per-line and per-shipping-line addresses when the order ships to several.

    Empty maps for an order with one destination. A line the packages do
    not place is an error naming it: importing it to the order's (blanked)
    shipping address would send goods nowhere.
    """
    packages = meta_value(order, WCMS_PACKAGES_KEY)
    if packages is None:
        packages = order.get("shipping_packages") if order.get("multiple_shipping") else None
    package_list = [p for p in _as_list(packages) if isinstance(p, Mapping)]
    if len(package_list) < 2:
        return {}, {}
    item_ids = meta_value(order, WCMS_ITEM_IDS_KEY)
    item_ids = item_ids if isinstance(item_ids, Mapping) else {}
    lines = [li for li in order.get("line_items") or [] if isinstance(li, Mapping)]
    by_line: dict[str, Address] = {}
    for package in package_list:
        destination = package.get("destination")
        if not isinstance(destination, Mapping):
            raise RecordError(
                M_(
                    "%(where)s: a Ship to Multiple Addresses package has no destination address",
                    where=where,
                )
            )
        address = _address(destination)
        for content in _as_list(package.get("contents")):
            if not isinstance(content, Mapping):
                continue
            line_id = _line_of(content, item_ids, lines)
            if line_id is not None:
                by_line[line_id] = address
    missing = [
        str(li.get("name") or li.get("id")) for li in lines if str(li.get("id")) not in by_line
    ]
    if missing:
        raise RecordError(
            M_(
                "%(where)s ships to several addresses (Ship to Multiple Addresses) but no "
                "package names the address of: %(lines)s; check the order's shipping "
                "packages in WooCommerce",
                where=where,
                lines=missing,
            )
        )
    shipping_ids = meta_value(order, WCMS_SHIPPING_IDS_KEY)
    by_shipping: dict[str, Address] = {}
    if isinstance(shipping_ids, Mapping):
        for index, shipping_id in shipping_ids.items():
            position = int(index) if str(index).isdigit() else -1
            if 0 <= position < len(package_list):
                destination = package_list[position].get("destination")
                if isinstance(destination, Mapping):
                    by_shipping[str(shipping_id)] = _address(destination)
    return by_line, by_shipping


def _line_of(
    content: Mapping[str, Any], item_ids: Mapping[str, Any], lines: list[Mapping[str, Any]]
) -> str | None:
    """The order line a package content is: by cart key, else product, else name."""
    key = content.get("key")
    if key is not None and key in item_ids:
        return str(item_ids[key])
    for field in ("variation_id", "product_id"):
        wanted = content.get(field)
        if wanted:
            found = [li for li in lines if li.get(field) == wanted]
            if len(found) == 1:
                return str(found[0].get("id"))
    name = content.get("name")
    if name:
        found = [li for li in lines if li.get("name") == name]
        if len(found) == 1:
            return str(found[0].get("id"))
    return None
