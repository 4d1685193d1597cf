"""The shapes of the demo shop's past orders, in no platform's vocabulary.

Why neutral: every shop sandbox starts with the same orders, each in its own
wire format; describing them once, as plain frozen records with Decimal
amounts, lets each seed translate them without reading another platform's
JSON. Amounts are the ones the shop computed when the order was placed
(per line, per tax rate, rounded as a shop rounds them), so every platform
shows the same totals to the cent. Moments are kept as days before the
sandbox is seeded (the demo shop is always "recent"); :func:`at` turns them
into datetimes.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from decimal import Decimal

from passerelle import demo_data

__all__ = [
    "ORDER_STATUSES",
    "DemoAccount",
    "DemoAddress",
    "DemoCoupon",
    "DemoFee",
    "DemoGiftCard",
    "DemoNote",
    "DemoOrder",
    "DemoOrderLine",
    "DemoPackage",
    "DemoRate",
    "DemoRefund",
    "DemoRefundLine",
    "DemoShipping",
    "DemoTaxAmount",
    "at",
]

#: The neutral statuses; each seed maps them onto its platform's own.
#: ``processing`` = paid (or cash on delivery accepted), not shipped yet;
#: ``on_hold`` = awaiting a payment the merchant must confirm (bank transfer);
#: ``trashed`` = moved to the bin by the merchant (see ``DemoOrder.trashed_from``).
ORDER_STATUSES = ("pending", "processing", "on_hold", "completed", "cancelled", "trashed")

_ZERO = Decimal(0)


def at(now: datetime, days_ago: float) -> datetime:
    """The moment ``days_ago`` days before ``now`` (the seeding time)."""
    return now - timedelta(days=days_ago)


@dataclass(frozen=True)
class DemoAddress:
    """A postal address with the contact the shop keeps beside it."""

    first_name: str
    last_name: str
    street: str
    postcode: str
    city: str
    country: str = "FR"
    company: str = ""
    street2: str = ""
    state: str = ""  # region / province code (BC, NY…), empty in France
    phone: str = ""
    email: str = ""  # billing addresses only


@dataclass(frozen=True)
class DemoAccount:
    """A registered customer of the shop (guests have none)."""

    id: int  # the shop's customer number, the same on every platform
    customer: demo_data.DemoCustomer
    username: str
    created_days_ago: float
    phone: str = "06 12 34 56 78"

    @property
    def code(self) -> str:
        return self.customer.code

    @property
    def email(self) -> str:
        return self.customer.email

    @property
    def first_name(self) -> str:
        return self.customer.first_name

    @property
    def last_name(self) -> str:
        return self.customer.last_name

    @property
    def shipping(self) -> DemoAddress:
        """The customer's address (without e-mail)."""
        c = self.customer
        return DemoAddress(
            c.first_name, c.last_name, c.street, c.postal_code, c.city, c.country, c.company,
            phone=self.phone,
        )  # fmt: skip

    @property
    def billing(self) -> DemoAddress:
        """The same address with the customer's e-mail."""
        return _with_email(self.shipping, self.email)

    def created_at(self, now: datetime) -> datetime:
        """When the customer signed up (the account has not changed since)."""
        return at(now, self.created_days_ago)


def _with_email(address: DemoAddress, email: str) -> DemoAddress:
    return replace(address, email=email)


@dataclass(frozen=True)
class DemoRate:
    """One of the shop's tax rates."""

    id: int  # the rate's number in the shop, the same on every platform
    country: str
    percent: Decimal
    name: str  # the label buyers see (TVA 20 %, GST…)
    tax_class: str  # standard, intermediate-rate, reduced-rate
    priority: int = 1
    compound: bool = False  # computed on the price plus the rates of lower priority

    @property
    def code(self) -> str:
        """A unique code for the rate: country, name and priority."""
        return f"{self.country}-{self.name}-{self.priority}"


@dataclass(frozen=True)
class DemoTaxAmount:
    """The part of a line's (shipping's, fee's) tax owed at one rate."""

    rate: DemoRate
    total: Decimal  # after discounts
    subtotal: Decimal | None = None  # before discounts; None when no discount applies

    @property
    def before_discount(self) -> Decimal:
        return self.total if self.subtotal is None else self.subtotal


def _sum(values: tuple[Decimal, ...] | list[Decimal]) -> Decimal:
    return sum(values, _ZERO)


@dataclass(frozen=True)
class DemoOrderLine:
    """A product line. ``subtotal``/``total`` exclude tax, before/after discounts."""

    sku: str
    name: str
    quantity: int
    tax: str  # demo_data tax code of the item (VAT20, VAT10, VAT55)
    subtotal: Decimal
    total: Decimal
    taxes: tuple[DemoTaxAmount, ...]
    # When the shop's prices include tax: what the buyer saw, tax included.
    gross_subtotal: Decimal | None = None
    gross_total: Decimal | None = None
    ecotax: Decimal | None = None  # per unit, included in the price (French eco-participation)

    @property
    def subtotal_tax(self) -> Decimal:
        return _sum([t.before_discount for t in self.taxes])

    @property
    def total_tax(self) -> Decimal:
        return _sum([t.total for t in self.taxes])

    @property
    def discount(self) -> Decimal:
        """The coupons' share of this line, excluding tax."""
        return self.subtotal - self.total


@dataclass(frozen=True)
class DemoShipping:
    """A shipping line: the method (flat_rate, free_shipping, local_pickup), its title."""

    method: str
    title: str
    total: Decimal  # excluding tax
    taxes: tuple[DemoTaxAmount, ...] = ()

    @property
    def total_tax(self) -> Decimal:
        return _sum([t.total for t in self.taxes])


@dataclass(frozen=True)
class DemoFee:
    """A fee the buyer paid beside the products (gift wrap)."""

    name: str
    total: Decimal  # excluding tax
    taxes: tuple[DemoTaxAmount, ...] = ()
    tax_class: str = "standard"

    @property
    def total_tax(self) -> Decimal:
        return _sum([t.total for t in self.taxes])


@dataclass(frozen=True)
class DemoCoupon:
    """A coupon applied to the order and what it took off."""

    code: str
    kind: str  # percent, fixed_cart
    amount: Decimal  # nominal: 10 (%) or 5.00 (€)
    discount: Decimal  # taken off the lines, excluding tax
    discount_tax: Decimal
    description: str = ""


@dataclass(frozen=True)
class DemoGiftCard:
    """A gift card redeemed: it pays part of the order (the total is after it)."""

    code: str
    amount: Decimal


@dataclass(frozen=True)
class DemoRefundLine:
    """Units of one line given back; amounts positive, excluding tax."""

    sku: str
    quantity: int
    total: Decimal
    taxes: tuple[DemoTaxAmount, ...]

    @property
    def total_tax(self) -> Decimal:
        return _sum([t.total for t in self.taxes])


@dataclass(frozen=True)
class DemoRefund:
    """Money given back to the buyer after the sale (through the payment method)."""

    days_ago: float
    reason: str
    lines: tuple[DemoRefundLine, ...]

    @property
    def amount(self) -> Decimal:
        return _sum([li.total + li.total_tax for li in self.lines])


@dataclass(frozen=True)
class DemoPackage:
    """When an order ships to several addresses: one destination, its lines and shipping."""

    address: DemoAddress
    lines: tuple[int, ...]  # indexes in DemoOrder.lines
    shipping: int  # index in DemoOrder.shipping_lines


@dataclass(frozen=True)
class DemoNote:
    """A note the merchant wrote on the order (to the buyer, or private)."""

    text: str
    days_ago: float
    to_customer: bool = False


@dataclass(frozen=True)
class DemoOrder:
    """One past order of the demo shop, as the shop recorded it."""

    number: int  # the order's number (and id), the same on every platform
    status: str  # one of ORDER_STATUSES
    customer: DemoAccount | None  # None: a guest checkout
    billing: DemoAddress  # with the buyer's e-mail
    shipping: DemoAddress | None  # None when the order ships to several packages
    payment_method: str  # gateway id: stripe, paypal, bacs, cheque, cod, amazon_payments_advanced
    payment_title: str  # what the buyer saw
    lines: tuple[DemoOrderLine, ...]
    shipping_lines: tuple[DemoShipping, ...]
    created_days_ago: float
    modified_days_ago: float
    paid_days_ago: float | None = None
    completed_days_ago: float | None = None
    currency: str = "EUR"
    prices_include_tax: bool = False
    transaction_id: str = ""
    customer_note: str = ""
    channel: str = "web"  # web, pos (the shop's counter), amazon (a marketplace)
    fees: tuple[DemoFee, ...] = ()
    coupons: tuple[DemoCoupon, ...] = ()
    gift_cards: tuple[DemoGiftCard, ...] = ()
    refunds: tuple[DemoRefund, ...] = ()
    packages: tuple[DemoPackage, ...] = ()
    notes: tuple[DemoNote, ...] = ()
    trashed_from: str | None = None  # the status it had before the bin
    vat_number: str = ""  # the buyer's intra-EU VAT number
    vat_exempt: bool = False  # EU reverse charge: no VAT charged
    invoice_number: str = ""
    invoice_days_ago: float | None = None
    client_ip: str = ""
    user_agent: str = ""

    # -- totals, as the shop shows them -------------------------------------------
    @property
    def subtotal(self) -> Decimal:
        """Products before discounts, excluding tax."""
        return _sum([li.subtotal for li in self.lines])

    @property
    def discount_total(self) -> Decimal:
        return _sum([li.discount for li in self.lines])

    @property
    def discount_tax(self) -> Decimal:
        return _sum([li.subtotal_tax - li.total_tax for li in self.lines])

    @property
    def shipping_total(self) -> Decimal:
        return _sum([s.total for s in self.shipping_lines])

    @property
    def shipping_tax(self) -> Decimal:
        return _sum([s.total_tax for s in self.shipping_lines])

    @property
    def fee_total(self) -> Decimal:
        return _sum([f.total for f in self.fees])

    @property
    def fee_tax(self) -> Decimal:
        return _sum([f.total_tax for f in self.fees])

    @property
    def cart_tax(self) -> Decimal:
        """Tax on the products and fees (not shipping)."""
        return _sum([li.total_tax for li in self.lines]) + self.fee_tax

    @property
    def total_tax(self) -> Decimal:
        return self.cart_tax + self.shipping_tax

    @property
    def gift_card_total(self) -> Decimal:
        return _sum([g.amount for g in self.gift_cards])

    @property
    def total(self) -> Decimal:
        """What the buyer owes, tax included, after discounts and gift cards."""
        lines = _sum([li.total for li in self.lines])
        return lines + self.fee_total + self.shipping_total + self.total_tax - self.gift_card_total

    @property
    def rates(self) -> tuple[DemoRate, ...]:
        """The tax rates charged on this order, by rate id."""
        found = {
            t.rate.id: t.rate
            for group in (self.lines, self.shipping_lines, self.fees)
            for part in group
            for t in part.taxes
        }
        return tuple(found[k] for k in sorted(found))

    @property
    def paid(self) -> bool:
        return self.paid_days_ago is not None

    # -- moments ------------------------------------------------------------------
    def created_at(self, now: datetime) -> datetime:
        return at(now, self.created_days_ago)

    def modified_at(self, now: datetime) -> datetime:
        return at(now, self.modified_days_ago)

    def paid_at(self, now: datetime) -> datetime | None:
        return None if self.paid_days_ago is None else at(now, self.paid_days_ago)

    def completed_at(self, now: datetime) -> datetime | None:
        return None if self.completed_days_ago is None else at(now, self.completed_days_ago)
