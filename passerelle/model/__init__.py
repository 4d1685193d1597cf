"""The canonical model: plain typed records that every connector reads or writes.

Connectors translate their wire format to and from these records; flows only
ever see these. Nothing here does I/O. Money is always ``Decimal``; quantities
are ``Decimal`` too because back-offices sell by weight and by length.
Every record carries the id it has in the system it came from (``source_id``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum

__all__ = [
    "Address",
    "BackOfficePayment",
    "BackOfficeSale",
    "Category",
    "Customer",
    "DocumentType",
    "FeeLine",
    "Item",
    "Order",
    "OrderCoupon",
    "OrderLine",
    "OrderStatus",
    "ProductDraft",
    "ShopCategory",
    "SaleLine",
    "SaleResult",
    "ShippingLine",
    "StockLevel",
    "Tax",
    "TaxLine",
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


@dataclass(frozen=True, slots=True)
class Category:
    """A back-office item category; ``parent_id`` is the parent's source id."""

    source_id: str
    name: str
    parent_id: str | None = None


@dataclass(frozen=True, slots=True)
class Item:
    """A sellable back-office item (a Tryton variant, with its template's data).

    ``sale_price`` is the list price excluding tax, in the company currency.
    ``code`` is the reference the shop knows as SKU.
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
    active: bool = True
    salable: bool = True
    stocked: bool = True
    modified_at: datetime | None = None


@dataclass(frozen=True, slots=True)
class StockLevel:
    """Quantity of one item in one warehouse (or summed over several)."""

    item_id: str
    item_code: str
    warehouse: str
    quantity: Decimal


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


@dataclass(frozen=True, slots=True)
class ShippingLine:
    source_id: str
    method_id: str
    title: str
    total: Decimal
    total_tax: Decimal
    taxes: tuple[TaxLine, ...] = ()


@dataclass(frozen=True, slots=True)
class FeeLine:
    source_id: str
    name: str
    total: Decimal
    total_tax: Decimal
    taxes: tuple[TaxLine, ...] = ()


@dataclass(frozen=True, slots=True)
class OrderCoupon:
    code: str
    discount: Decimal
    discount_tax: Decimal


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
    """What an imported order becomes in the back-office (O2)."""

    QUOTATION = "quotation"
    ORDER = "order"  # a confirmed sale


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


@dataclass(frozen=True, slots=True)
class BackOfficePayment:
    """A payment received for a sale, recorded on a back-office journal."""

    journal: str
    amount: Decimal
    date: date
    reference: str = ""


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
    """A product as the shop should hold it, after mapping (C1, C3, C4, C9, C10).

    Flows hash this record to decide whether anything changed, and pass the
    names of the fields to write so an update keeps what the merchant edited
    by hand in the shop (C15). ``category_ids`` are shop ids.
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

    FIELDS = (
        "sku",
        "name",
        "regular_price",
        "description",
        "tax_class",
        "category_ids",
        "weight",
        "barcode",
        "manage_stock",
        "stock_quantity",
        "active",
    )
