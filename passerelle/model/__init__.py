"""The canonical model: plain typed records that every connector reads or writes.

Connectors translate their wire format to and from these records; flows only
ever see these. Nothing here does I/O. Money is always ``Decimal``; quantities
are ``Decimal`` too because back-offices sell by weight and by length.
Every record carries the id it has in the system it came from (``source_id``).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, fields
from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum
from typing import Any, ClassVar

from passerelle.model.catalogue import (
    Contact,
    CustomerGroup,
    FieldInfo,
    ItemFile,
    ItemWrite,
    KitComponent,
    MediaRef,
    ProductAttribute,
    ProductTexts,
    ShopCustomer,
    ShopProduct,
    StockKind,
)

_Date = date  # a field named "date" must not hide the type from annotations

__all__ = [
    "Address",
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
    "STANDARD_ITEM_FIELDS",
    "BackOfficePayment",
    "BackOfficeSale",
    "Category",
    "Customer",
    "DocumentType",
    "FeeLine",
    "Item",
    "Order",
    "OrderCoupon",
    "OrderGiftCard",
    "OpenDemand",
    "OrderLine",
    "OrderNote",
    "OrderPayment",
    "OrderRefund",
    "OrderStatus",
    "ProductDraft",
    "RefundLine",
    "SaleLineKind",
    "ShipmentInfo",
    "ShopCategory",
    "SaleLine",
    "SaleResult",
    "ShippingLine",
    "StockLevel",
    "Tax",
    "TaxLine",
    "item_fields_seen",
]


# --------------------------------------------------------------------------
# Back-office side: what a catalogue is made of.
# --------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Tax:
    """A back-office tax; ``rate`` is a fraction (0.2 for 20 %)."""

    source_id: str
    name: str
    rate: Decimal
    # Taxes after this one are computed on price + this tax (a compound tax, O24).
    updates_unit_price: bool = False


@dataclass(frozen=True, slots=True)
class Category:
    """A back-office item category; ``parent_id`` is the parent's source id."""

    source_id: str
    name: str
    parent_id: str | None = None


# Item fields a profile may name in a mapping (C3, C9, C11); custom fields
# are named ``attr:<name>``. ``passerelle fields`` lists both.
STANDARD_ITEM_FIELDS: tuple[str, ...] = (
    "code",
    "name",
    "description",
    "short_description",
    "sale_price",
    "cost_price",
    "weight",
    "length",
    "width",
    "height",
    "barcode",
    "supplier",
    "supplier_code",
)
CUSTOM_FIELD_PREFIX = "attr:"
_STANDARD_ITEM_FIELDS = frozenset(STANDARD_ITEM_FIELDS)  # looked up for every item mapped


@dataclass(frozen=True, slots=True)
class Item:
    """A sellable back-office item (a Tryton variant, with its template's data).

    ``sale_price`` is the list price excluding tax, in the company currency.
    ``code`` is the reference the shop knows as SKU. ``attributes`` are the
    back-office's custom fields (Tryton product attributes), by name.
    ``template_id`` groups the variants of one back-office template; a
    template with several variants becomes one variable shop product (C6).
    """

    source_id: str
    code: str
    name: str
    sale_price: Decimal
    description: str = ""
    template_id: str = ""
    taxes: tuple[Tax, ...] = ()
    category_ids: tuple[str, ...] = ()
    weight: Decimal | None = None
    weight_unit: str = "kg"
    barcode: str | None = None
    active: bool = True  # False: dormant (C14)
    salable: bool = True  # False: blocked for sale (C14)
    stocked: bool = True
    modified_at: datetime | None = None
    short_description: str = ""
    attributes: Mapping[str, Any] = field(default_factory=dict)
    published: bool = True  # C5: flagged "published on web" in the back-office
    cost_price: Decimal | None = None
    length: Decimal | None = None
    width: Decimal | None = None
    height: Decimal | None = None
    dimension_unit: str = "cm"
    supplier: str = ""  # main supplier's name (C11)
    supplier_code: str = ""  # the item's reference at that supplier (C8)
    images: tuple[ItemFile, ...] = ()
    documents: tuple[ItemFile, ...] = ()
    kit: tuple[KitComponent, ...] = ()  # C13: components when the item is a kit
    # C10: unit price excluding tax per back-office price list (customer group).
    group_prices: tuple[tuple[str, Decimal], ...] = ()
    translations: tuple[ProductTexts, ...] = ()  # C20: texts per language
    variant_count: int = 1  # variants of this item's template

    def value(self, name: str) -> Any:
        """The value of a standard field or of a custom one (``attr:<name>``)."""
        if name.startswith(CUSTOM_FIELD_PREFIX):
            return self.attributes.get(name[len(CUSTOM_FIELD_PREFIX) :])
        if name not in _STANDARD_ITEM_FIELDS:
            raise KeyError(name)
        return getattr(self, name)


def item_fields_seen(items: Iterable[Item]) -> list[FieldInfo]:
    """The standard item fields and the custom ones (``attr:<name>``) these items carry,
    typed "char": for a back-office that has no field types of its own to tell."""
    names = sorted({name for item in items for name in item.attributes})
    return [FieldInfo(name, "char", name) for name in STANDARD_ITEM_FIELDS] + [
        FieldInfo(f"{CUSTOM_FIELD_PREFIX}{name}", "char", name, custom=True) for name in names
    ]


@dataclass(frozen=True, slots=True)
class StockLevel:
    """Quantity of one item in one warehouse (or summed over several)."""

    item_id: str
    item_code: str
    warehouse: str
    quantity: Decimal


@dataclass(frozen=True, slots=True)
class OpenDemand:
    """What the back-office's sales imported from one shop still owe, for one item.

    ``ordered``: on sales not confirmed yet (quotations, drafts): no stock move
    exists, so no stock quantity counts them. ``to_ship``: on confirmed sales
    whose goods have not left (outgoing moves not done): the available and
    forecast quantities count them, the quantity on hand does not.
    """

    item_id: str
    item_code: str
    ordered: Decimal = Decimal(0)
    to_ship: Decimal = Decimal(0)


@dataclass(frozen=True, slots=True)
class Address:
    """A postal address as both sides understand it."""

    first_name: str = ""
    last_name: str = ""
    company: str = ""
    street: str = ""
    street2: str = ""
    postal_code: str = ""
    city: str = ""
    country_code: str = ""
    subdivision: str = ""
    phone: str = ""
    email: str = ""

    @property
    def full_name(self) -> str:
        return " ".join(p for p in (self.first_name, self.last_name) if p).strip()

    def is_empty(self) -> bool:
        return not (self.street or self.city or self.postal_code)

    @property
    def key(self) -> tuple[str, ...]:
        """Same person at the same place: what tells two addresses apart (phone aside)."""
        return (
            self.full_name,
            self.company,
            self.street,
            self.street2,
            self.postal_code,
            self.city,
            self.country_code,
        )


@dataclass(frozen=True, slots=True)
class Customer:
    """A customer on either side. ``code`` is the back-office account code."""

    source_id: str
    name: str
    email: str = ""
    first_name: str = ""
    last_name: str = ""
    company: str = ""
    code: str = ""
    phone: str = ""
    addresses: tuple[Address, ...] = ()
    active: bool = True
    modified_at: datetime | None = None
    # Company or person number (VAT, SIREN…): how K7 matches a buyer by number.
    tax_identifier: str = ""
    # O5: receivable account code of this customer; empty = the back-office default.
    receivable_account: str = ""
    # O6 defaults for a new customer: customer family and sales representative.
    category: str = ""
    representative: str = ""
    group: str = ""  # K1: the customer group (back-office price list name)
    contacts: tuple[Contact, ...] = ()  # K1: persons of the account with their own e-mail
    notes: str = ""
    credit_limit: Decimal | None = None  # K5 B2B data
    payment_term: str = ""
    created_at: datetime | None = None


# --------------------------------------------------------------------------
# Shop side: what an order is made of.
# --------------------------------------------------------------------------


class OrderStatus(StrEnum):
    """The statuses flows reason about; connectors map their own onto these."""

    PENDING_PAYMENT = "pending"
    PROCESSING = "processing"  # paid, to be prepared
    ON_HOLD = "on-hold"
    COMPLETED = "completed"
    CANCELLED = "cancelled"
    REFUNDED = "refunded"
    FAILED = "failed"
    DRAFT = "draft"
    OTHER = "other"


@dataclass(frozen=True, slots=True)
class TaxLine:
    """One tax applied by the shop: its label, rate (fraction) and amount."""

    shop_tax_id: str
    label: str
    rate: Decimal | None
    amount: Decimal
    # O24: a compound tax is computed on the price plus the taxes before it.
    compound: bool = False


@dataclass(frozen=True, slots=True)
class OrderLine:
    """A shop order line. ``total`` and ``subtotal`` exclude tax.

    ``subtotal`` is before coupon discounts, ``total`` after; the difference is
    the line's share of the order discount as the shop computed it.
    """

    source_id: str
    reference: str
    name: str
    quantity: Decimal
    subtotal: Decimal
    total: Decimal
    total_tax: Decimal
    taxes: tuple[TaxLine, ...] = ()
    product_id: str = ""
    # O23: where this line is delivered when the order has several addresses.
    ship_to: Address | None = None
    # O16: eco-tax per unit included in the net price (French DEEE and the like).
    ecotax: Decimal = Decimal("0")


@dataclass(frozen=True, slots=True)
class ShippingLine:
    source_id: str
    method_id: str
    title: str
    total: Decimal
    total_tax: Decimal
    taxes: tuple[TaxLine, ...] = ()
    ship_to: Address | None = None


@dataclass(frozen=True, slots=True)
class FeeLine:
    source_id: str
    name: str
    total: Decimal
    total_tax: Decimal
    taxes: tuple[TaxLine, ...] = ()


@dataclass(frozen=True, slots=True)
class OrderCoupon:
    """A coupon as the shop applied it; ``discount`` excludes tax.

    ``description`` is the coupon's own text: ``[CODE]`` in it names the
    back-office item its discount lines are written on (O14).
    """

    code: str
    discount: Decimal
    discount_tax: Decimal
    description: str = ""


@dataclass(frozen=True, slots=True)
class OrderPayment:
    """One payment of an order (a shop may split one order over several)."""

    method: str
    method_title: str
    amount: Decimal
    paid_at: datetime | None = None
    transaction_id: str = ""
    currency: str = ""


@dataclass(frozen=True, slots=True)
class OrderGiftCard:
    """A gift card redeemed on the order: it lowers what remains to pay, untaxed."""

    code: str
    amount: Decimal


@dataclass(frozen=True, slots=True)
class OrderNote:
    """A message on the order; ``from_customer`` tells the buyer's from the shop's."""

    text: str
    from_customer: bool = False
    private: bool = False
    created_at: datetime | None = None


@dataclass(frozen=True, slots=True)
class RefundLine:
    """A refunded order line; amounts are positive and exclude tax."""

    line_id: str
    reference: str
    name: str
    quantity: Decimal
    total: Decimal
    total_tax: Decimal
    taxes: tuple[TaxLine, ...] = ()


@dataclass(frozen=True, slots=True)
class OrderRefund:
    """A refund of (part of) an order (O28); ``amount`` is positive and includes tax.

    ``lines`` are the returned goods; an amount not covered by them (a goodwill
    gesture, refunded shipping) is the difference.
    """

    source_id: str
    created_at: datetime
    amount: Decimal
    reason: str = ""
    lines: tuple[RefundLine, ...] = ()
    shipping_total: Decimal = Decimal("0")
    shipping_tax: Decimal = Decimal("0")


@dataclass(frozen=True, slots=True)
class Order:
    """A shop order, with amounts as the shop computed them.

    ``total`` includes tax and shipping; it is the figure the back-office
    document must match to the cent.
    """

    source_id: str
    number: str
    status: OrderStatus
    shop_status: str
    currency: str
    created_at: datetime
    total: Decimal
    total_tax: Decimal
    customer_id: str | None  # None for a guest checkout
    billing: Address
    shipping: Address
    lines: tuple[OrderLine, ...]
    shipping_lines: tuple[ShippingLine, ...] = ()
    fee_lines: tuple[FeeLine, ...] = ()
    coupons: tuple[OrderCoupon, ...] = ()
    discount_total: Decimal = Decimal("0")
    prices_include_tax: bool = False
    payment_method: str = ""
    payment_method_title: str = ""
    transaction_id: str = ""
    paid_at: datetime | None = None
    modified_at: datetime | None = None
    customer_note: str = ""
    # O3: the store (or sales channel) of a multi-store shop; empty when single.
    store: str = ""
    # K7: company or person number the buyer gave (VAT number, SIREN…).
    customer_tax_identifier: str = ""
    # O7: invoice date when the shop knows one.
    invoiced_at: datetime | None = None
    completed_at: datetime | None = None
    # O15: the order's payments; empty means one payment of ``total`` by
    # ``payment_method`` when the order is paid.
    payments: tuple[OrderPayment, ...] = ()
    gift_cards: tuple[OrderGiftCard, ...] = ()
    notes: tuple[OrderNote, ...] = ()
    refunds: tuple[OrderRefund, ...] = ()
    # O27: the order sits in the shop's archive (WooCommerce: trash).
    archived: bool = False

    @property
    def is_guest(self) -> bool:
        return not self.customer_id or self.customer_id == "0"

    @property
    def email(self) -> str:
        return self.billing.email


# --------------------------------------------------------------------------
# Back-office documents written from shop orders.
# --------------------------------------------------------------------------


class DocumentType(StrEnum):
    """What an imported order becomes in the back-office (O2).

    In Tryton: a sale left in draft, quoted, confirmed, confirmed and
    processed (shipment and invoice created), or processed with its invoice
    posted.
    """

    DRAFT = "draft"
    QUOTATION = "quotation"
    ORDER = "order"  # a confirmed sale
    PROCESSED = "processed"
    INVOICE = "invoice"

    @property
    def is_final(self) -> bool:
        """Confirmed or beyond: the document commits stock and money."""
        return self in (DocumentType.ORDER, DocumentType.PROCESSED, DocumentType.INVOICE)


class SaleLineKind(StrEnum):
    """Why a sale line exists: the special items of O14 and O25 are told apart."""

    PRODUCT = "product"
    SHIPPING = "shipping"
    FEE = "fee"
    GIFT_WRAP = "gift_wrap"
    DISCOUNT = "discount"
    GIFT_CARD = "gift_card"
    ECOTAX = "ecotax"
    GAP = "gap"


@dataclass(frozen=True, slots=True)
class SaleLine:
    """A back-office sale line. ``unit_price`` excludes tax.

    ``item_code`` names the back-office item; ``tax_ids`` the back-office
    taxes to apply (already mapped from the shop's taxes by the flow).
    """

    item_code: str
    description: str
    quantity: Decimal
    unit_price: Decimal
    tax_ids: tuple[str, ...] = ()
    kind: SaleLineKind = SaleLineKind.PRODUCT
    # Shipping written as the back-office's own shipment cost (O8 "footer").
    shipment_cost: bool = False
    # The item's own taxes (then the document's tax rule) instead of ``tax_ids``:
    # how an order the shop did not tax gets its export or reverse-charge tax (O9).
    item_taxes: bool = False


@dataclass(frozen=True, slots=True)
class BackOfficePayment:
    """A payment received for a sale, recorded on a back-office journal."""

    journal: str
    amount: Decimal
    date: _Date
    reference: str = ""
    description: str = ""  # O15 label template, e.g. "John DOE - 187"


@dataclass(frozen=True, slots=True)
class BackOfficeSale:
    """Everything needed to write one sale whole, or not at all.

    ``external_key`` identifies the shop order for this profile; a back-office
    connector stores it with the sale and finds the sale again by it, so that
    a write whose answer was lost is never made twice.
    """

    external_key: str
    party_code: str
    document_type: DocumentType
    sale_date: date
    currency: str
    lines: tuple[SaleLine, ...]
    reference: str = ""
    description: str = ""
    comment: str = ""
    invoice_address: Address | None = None
    shipment_address: Address | None = None
    payments: tuple[BackOfficePayment, ...] = ()
    warehouse: str | None = None
    # The shop's total including tax: the connector refuses the sale (writing
    # nothing) when its own total differs by more than ``total_tolerance``.
    expected_total: Decimal | None = None
    total_tolerance: Decimal = Decimal("0")
    # O8: write the total even when it differs beyond the tolerance.
    accept_total_difference: bool = False
    # O8: the shop's number instead of the back-office numbering.
    number: str = ""
    # O9: back-office tax rule (fiscal position) applied to the mapped taxes.
    tax_rule: str | None = None
    carrier: str | None = None  # O26
    payment_term: str | None = None  # O8: none when "no payment method"
    # O15: confirm before recording the payments.
    validate_before_paying: bool = False
    # O28: the key of the sale a credit (return) document reverses.
    origin_key: str = ""


@dataclass(frozen=True, slots=True)
class SaleResult:
    """What the back-office made of a sale: its number and its totals."""

    source_id: str
    number: str
    state: str
    untaxed_amount: Decimal
    tax_amount: Decimal
    total_amount: Decimal
    external_key: str = ""
    party_code: str = ""
    lines: tuple[SaleLine, ...] = field(default_factory=tuple)
    payments_total: Decimal = Decimal("0")
    invoice_numbers: tuple[str, ...] = ()
    # Untaxed base per back-office tax id, as the back-office computed it.
    tax_bases: tuple[tuple[str, Decimal], ...] = ()


@dataclass(frozen=True, slots=True)
class ShipmentInfo:
    """A delivered back-office shipment, told back to the shop (O20)."""

    sale_key: str
    sale_number: str
    shipment_number: str
    shipped_at: datetime | None
    carrier: str = ""
    tracking_number: str = ""


# --------------------------------------------------------------------------
# What a flow asks a shop to hold (already mapped by the profile's rules).
# --------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ShopCategory:
    """A category as the shop should hold it; ``parent_id`` is a shop id."""

    name: str
    parent_id: str | None = None


@dataclass(frozen=True, slots=True)
class ProductDraft:
    """A product as the shop should hold it, after mapping (C1–C20).

    Flows hash this record to decide whether anything changed, and pass the
    names of the fields to write so an update keeps what the merchant edited
    by hand in the shop (C15). ``category_ids``, ``grouped_ids``,
    ``upsell_ids`` and ``cross_sell_ids`` are shop ids.

    ``kind``: ``simple``; ``variable`` (the parent of variations, with the
    variation axes among ``attributes``); ``variation`` (one combination:
    ``variation_options`` names its option for each axis); ``grouped`` (a
    pack: ``grouped_ids`` lists its components).
    """

    sku: str
    name: str
    regular_price: Decimal
    description: str = ""
    tax_class: str = ""
    category_ids: tuple[str, ...] = ()
    weight: Decimal | None = None
    barcode: str = ""
    manage_stock: bool = True
    stock_quantity: int | None = None
    active: bool = True
    kind: str = "simple"
    short_description: str = ""
    slug: str = ""
    seo_title: str = ""
    seo_description: str = ""
    seo_keywords: str = ""
    sale_price: Decimal | None = None  # C10 promotion
    group_prices: tuple[tuple[str, Decimal], ...] = ()  # C10: customer group → price
    cost_price: Decimal | None = None
    ecotax: Decimal | None = None
    length: Decimal | None = None
    width: Decimal | None = None
    height: Decimal | None = None
    min_quantity: Decimal | None = None
    brand: str = ""
    warranty: str = ""
    supplier: str = ""
    supplier_reference: str = ""
    attributes: tuple[ProductAttribute, ...] = ()
    variation_options: tuple[tuple[str, str], ...] = ()
    images: tuple[MediaRef, ...] = ()
    documents: tuple[MediaRef, ...] = ()
    grouped_ids: tuple[str, ...] = ()
    upsell_ids: tuple[str, ...] = ()
    cross_sell_ids: tuple[str, ...] = ()
    hidden: bool = False  # C19: out of the catalogue and search (still reachable)
    translations: tuple[ProductTexts, ...] = ()  # C20: other languages
    # The item's combined tax rate (a fraction: (1+r1)(1+r2)-1 over compound taxes, the
    # sum otherwise), for a shop that holds prices including tax: the prices above stay
    # untaxed and such a shop's connector adds the tax. None: the item's tax is unknown.
    # Not a field a shop holds, so not in FIELDS (never asked for on its own).
    tax_rate: Decimal | None = None

    FIELDS: ClassVar[tuple[str, ...]]


ProductDraft.FIELDS = tuple(f.name for f in fields(ProductDraft) if f.name != "tax_rate")
