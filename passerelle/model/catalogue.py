"""Catalogue records besides items: files, attributes, prices, groups, fields.

Split from the package module so each file stays readable; everything here
is re-exported by ``passerelle.model``. Nothing here does I/O.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from enum import StrEnum
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from passerelle.model import Address

__all__ = [
    "Contact",
    "CustomerGroup",
    "FieldInfo",
    "ItemFile",
    "ItemWrite",
    "KitComponent",
    "MediaRef",
    "ProductAttribute",
    "ProductTexts",
    "ShopCustomer",
    "ShopProduct",
    "StockKind",
]


class StockKind(StrEnum):
    """C9: which quantity of an item the shop shows.

    ``ON_HAND``: done moves up to today. ``AVAILABLE``: on hand minus what
    customer orders not yet shipped reserve. ``FORECAST``: on hand plus every
    planned move (incoming and outgoing). ``ON_HAND_PLUS_ORDERS``: on hand plus
    what customers ordered and did not receive yet (a shop that sells what
    is already promised). ``FORECAST_WITHOUT_SUPPLIERS``: the forecast without
    the supplier deliveries still expected.
    """

    ON_HAND = "on_hand"
    AVAILABLE = "available"
    FORECAST = "forecast"
    ON_HAND_PLUS_ORDERS = "on_hand_plus_orders"
    FORECAST_WITHOUT_SUPPLIERS = "forecast_without_suppliers"


@dataclass(frozen=True, slots=True)
class FieldInfo:
    """One field a mapping may name (``passerelle fields`` lists them).

    ``name`` is what a profile writes: a standard field (``code``, ``name``…)
    or ``attr:<name>`` for a back-office custom field.
    """

    name: str
    type: str  # char, text, numeric, integer, boolean, selection, date
    label: str
    custom: bool = False


@dataclass(frozen=True, slots=True)
class ItemFile:
    """An image or document held by the back-office for an item.

    ``ref`` is the back-office's own handle to read the bytes
    (``BackOffice.read_item_file``); ``digest`` is the SHA-256 of those
    bytes, so a flow knows a file changed without reading it.
    """

    ref: str
    name: str
    digest: str
    kind: str = "image"  # image | document


@dataclass(frozen=True, slots=True)
class KitComponent:
    """C13: one component of a kit (pack): its item code and quantity."""

    code: str
    quantity: Decimal


@dataclass(frozen=True, slots=True)
class ProductTexts:
    """C20: an item's texts in one language (empty = not translated)."""

    language: str
    name: str = ""
    description: str = ""
    short_description: str = ""


@dataclass(frozen=True, slots=True)
class ProductAttribute:
    """A product attribute as the shop should hold it.

    ``variation`` attributes are the axes of a variable product (C6); the
    others are features shown on the product page (C11 brand, C12).
    """

    name: str
    options: tuple[str, ...]
    variation: bool = False
    visible: bool = True


@dataclass(frozen=True, slots=True)
class MediaRef:
    """An image or document as the shop should fetch it (C7, C8).

    ``url`` is where the shop downloads the file; ``digest`` the SHA-256 of
    its bytes. ``shop_id`` is set when the shop already holds these very
    bytes (sent before), so the connector refers to it instead of uploading
    again.
    """

    name: str
    url: str
    digest: str
    shop_id: str | None = None


@dataclass(frozen=True, slots=True)
class CustomerGroup:
    """K1: a customer group (a back-office price list, C10 group prices)."""

    source_id: str
    name: str
    prices_include_tax: bool = False


@dataclass(frozen=True, slots=True)
class Contact:
    """K1: a person of a customer account with their own e-mail (same account code)."""

    name: str
    email: str
    phone: str = ""

    @property
    def first_name(self) -> str:
        return self.name.strip().partition(" ")[0]

    @property
    def last_name(self) -> str:
        return self.name.strip().partition(" ")[2]


@dataclass(frozen=True, slots=True)
class ShopProduct:
    """A product (or variation) as the shop holds it: for the reverse import (C21) and the
    stock check (R8)."""

    shop_id: str
    sku: str
    name: str
    regular_price: Decimal | None
    description: str = ""
    short_description: str = ""
    weight: Decimal | None = None
    barcode: str = ""
    tax_class: str = ""
    category_names: tuple[str, ...] = ()
    active: bool = True
    parent_sku: str = ""  # a variation's product
    modified_at: datetime | None = None
    # The quantity the shop shows (R8 stock check); None when the shop does not
    # manage this product's stock (or holds none for it where passerelle writes).
    stock_quantity: int | None = None


@dataclass(frozen=True, slots=True)
class ItemWrite:
    """C21: what the reverse import writes on a back-office item (created or updated by code).

    ``tax`` names a back-office tax (None = the back-office default for new
    items, unchanged for existing ones); ``category`` a back-office category
    name (None = none on creation, unchanged on update).
    """

    code: str
    name: str
    sale_price: Decimal | None
    description: str = ""
    weight: Decimal | None = None
    barcode: str = ""
    tax: str | None = None
    category: str | None = None
    active: bool = True


@dataclass(frozen=True, slots=True)
class ShopCustomer:
    """K4: a shop customer account as the shop holds it (prospect import)."""

    shop_id: str
    email: str
    first_name: str = ""
    last_name: str = ""
    company: str = ""
    phone: str = ""
    created_at: datetime | None = None
    has_orders: bool = False
    address: Address | None = None  # the billing address, when the account has one
