"""Magento JSON → canonical records (orders, products, customers), no I/O.

Docs (admin-schema-2.4.9.yaml, ``sales-data-order-interface``): an order has
``entity_id`` (the id every ``/V1/orders/{id}`` route takes) and
``increment_id`` (the number the buyer and the merchant see); ``state`` is
Magento's fixed life-cycle step (new, pending_payment, processing, complete,
closed, canceled, holded, payment_review) and ``status`` the merchant's label
under it (custom statuses are assigned to a state): flows map ``status``,
the canonical status comes from ``state``. Child items of a configurable
line carry ``parent_item_id`` and no price: only the parent line counts.
Taxes per item are in ``extension_attributes.item_applied_taxes``; dates are
UTC ``YYYY-MM-DD HH:MM:SS``.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from passerelle.connectors.errors import RecordError
from passerelle.model import (
    Address,
    FeeLine,
    Order,
    OrderCoupon,
    OrderLine,
    OrderPayment,
    OrderStatus,
    ShippingLine,
    ShopCustomer,
    ShopProduct,
    TaxLine,
)

__all__ = [
    "ACCOUNT_ATTRIBUTE",
    "NUMBER_PREFIX",
    "OPEN_STATES",
    "custom_attribute",
    "customer_from_wire",
    "money",
    "order_from_wire",
    "parse_datetime",
    "product_from_wire",
    "stamp",
]

# K8: the store's customer attribute holding the back-office account code.
ACCOUNT_ATTRIBUTE = "account_code"
# The order comment carrying the back-office sale number (O-number write-back).
NUMBER_PREFIX = "Back-office sale:"
# States whose orders may still hold an MSI reservation (not complete, closed, canceled).
OPEN_STATES = frozenset({"new", "pending_payment", "processing", "holded", "payment_review"})
_STATES = {
    "new": OrderStatus.PENDING_PAYMENT,
    "pending_payment": OrderStatus.PENDING_PAYMENT,
    "payment_review": OrderStatus.ON_HOLD,
    "processing": OrderStatus.PROCESSING,
    "complete": OrderStatus.COMPLETED,
    "closed": OrderStatus.REFUNDED,
    "canceled": OrderStatus.CANCELLED,
    "holded": OrderStatus.ON_HOLD,
}


def money(value: Any, what: str = "amount") -> Decimal:
    """A Magento number (a JSON float) as an exact Decimal, rounded to 4 places as stored."""
    if value in (None, ""):
        return Decimal(0)
    try:
        return round(Decimal(str(value)), 4).normalize() + Decimal("0.00")
    except (InvalidOperation, ValueError) as exc:
        raise RecordError(f"{what} is not a number: {value!r}") from exc


def stamp(moment: datetime) -> str:
    """A moment as Magento writes and filters dates (UTC ``YYYY-MM-DD HH:MM:SS``)."""
    return moment.strftime("%Y-%m-%d %H:%M:%S")


def parse_datetime(value: Any) -> datetime | None:
    if not value:
        return None
    return datetime.strptime(str(value)[:19], "%Y-%m-%d %H:%M:%S").replace(tzinfo=UTC)


def custom_attribute(record: Mapping[str, Any], code: str) -> Any:
    return next(
        (
            a.get("value")
            for a in record.get("custom_attributes") or []
            if a.get("attribute_code") == code
        ),
        None,
    )


def _address(data: Mapping[str, Any] | None) -> Address:
    data = data or {}
    street = list(data.get("street") or [])
    return Address(
        first_name=str(data.get("firstname") or ""),
        last_name=str(data.get("lastname") or ""),
        company=str(data.get("company") or ""),
        street=str(street[0]) if street else "",
        street2=", ".join(str(s) for s in street[1:]),
        postal_code=str(data.get("postcode") or ""),
        city=str(data.get("city") or ""),
        country_code=str(data.get("country_id") or ""),
        subdivision=str(data.get("region_code") or ""),
        phone=str(data.get("telephone") or ""),
        email=str(data.get("email") or ""),
    )


def _taxes(applied: list[Mapping[str, Any]]) -> tuple[TaxLine, ...]:
    return tuple(
        TaxLine(
            shop_tax_id=str(t.get("code") or ""),
            label=str(t.get("title") or t.get("code") or ""),
            rate=money(t.get("percent")) / 100 if t.get("percent") is not None else None,
            amount=money(t.get("amount")),
        )
        for t in applied
    )


def order_from_wire(data: Mapping[str, Any]) -> Order:
    if not isinstance(data, Mapping):
        raise RecordError(f"an order came as {type(data).__name__}, not a JSON object")
    order_id = str(data.get("entity_id"))
    try:
        return _order(data, order_id, f"order {data.get('increment_id') or order_id}")
    except RecordError as exc:
        exc.record_id = order_id
        raise
    except (TypeError, AttributeError, ValueError, KeyError) as exc:
        raise RecordError(f"order {order_id} could not be read: {exc}", record_id=order_id) from exc


def _order(data: Mapping[str, Any], order_id: str, where: str) -> Order:
    ext = data.get("extension_attributes") or {}
    by_item: dict[str, list[Mapping[str, Any]]] = {}
    shipping_taxes: list[Mapping[str, Any]] = []
    for group in ext.get("item_applied_taxes") or []:
        if group.get("type") == "shipping":
            shipping_taxes.extend(group.get("applied_taxes") or [])
        else:
            by_item.setdefault(str(group.get("item_id")), []).extend(
                group.get("applied_taxes") or []
            )
    lines = []
    for item in data.get("items") or []:
        if item.get("parent_item_id"):
            continue  # the simple child of a configurable line: the parent carries the price
        row = money(item.get("row_total"), f"{where} row total")
        discount = money(item.get("discount_amount"))
        applied = by_item.get(str(item.get("item_id")))
        if applied is None and item.get("tax_percent") is not None:
            applied = [
                {
                    "code": str(item.get("tax_percent")),
                    "title": "",
                    "percent": item.get("tax_percent"),
                    "amount": item.get("tax_amount"),
                }
            ]
        lines.append(
            OrderLine(
                source_id=str(item.get("item_id")),
                reference=str(item.get("sku") or ""),
                name=str(item.get("name") or ""),
                quantity=money(item.get("qty_ordered")),
                subtotal=row,
                total=row - discount,
                total_tax=money(item.get("tax_amount")),
                taxes=_taxes(applied or []),
                product_id=str(item.get("product_id") or ""),
            )
        )
    assignments = ext.get("shipping_assignments") or [{}]
    shipping_info = assignments[0].get("shipping") or {}
    shipping_amount = money(data.get("shipping_amount"))
    shipping = (
        (
            ShippingLine(
                source_id=f"{order_id}-shipping",
                method_id=str(shipping_info.get("method") or ""),
                title=str(data.get("shipping_description") or ""),
                total=shipping_amount,
                total_tax=money(data.get("shipping_tax_amount")),
                taxes=_taxes(shipping_taxes),
            ),
        )
        if shipping_amount or data.get("shipping_description")
        else ()
    )
    fees: tuple[FeeLine, ...] = ()
    if ext.get("gw_price") not in (None, "", "0", 0):
        gw, gw_tax = money(ext.get("gw_price")), money(ext.get("gw_tax_amount"))
        rates = [money(t.get("percent")) for t in ext.get("applied_taxes") or []]
        rate = min(rates, key=lambda r: abs(r - gw_tax * 100 / gw)) if rates and gw else None
        fees = (
            FeeLine(
                source_id=f"{order_id}-gw",
                name="Gift wrapping",
                total=gw,
                total_tax=gw_tax,
                taxes=(
                    TaxLine(
                        shop_tax_id="gw",
                        label="",
                        rate=rate / 100 if rate is not None else None,
                        amount=gw_tax,
                    ),
                ),
            ),
        )
    coupons: tuple[OrderCoupon, ...] = ()
    if data.get("coupon_code"):
        discount = -money(data.get("discount_amount"))
        coupons = (
            OrderCoupon(
                code=str(data["coupon_code"]),
                discount=discount,
                discount_tax=Decimal("0.00"),
                description=str(data.get("discount_description") or ""),
            ),
        )
    created = parse_datetime(data.get("created_at"))
    if created is None:
        raise RecordError(f"{where} has no creation date")
    payment = data.get("payment") or {}
    total = money(data.get("grand_total"), f"{where} total")
    paid = money(data.get("total_paid"))
    currency = str(data.get("order_currency_code") or "")
    titles = payment.get("additional_information") or []
    method = str(payment.get("method") or "")
    paid_at = parse_datetime(data.get("updated_at")) if paid else None
    payments = (
        (
            OrderPayment(
                method=method,
                method_title=str(titles[0]) if titles else method,
                amount=paid,
                paid_at=paid_at,
                transaction_id=str(payment.get("last_trans_id") or ""),
                currency=currency,
            ),
        )
        if paid
        else ()
    )
    shipping_address = shipping_info.get("address") or data.get("billing_address")
    return Order(
        source_id=order_id,
        number=str(data.get("increment_id") or order_id),
        status=_STATES.get(str(data.get("state") or ""), OrderStatus.OTHER),
        shop_status=str(data.get("status") or ""),
        currency=currency,
        created_at=created,
        total=total,
        total_tax=money(data.get("tax_amount")),
        customer_id=None
        if data.get("customer_is_guest") or not data.get("customer_id")
        else str(data["customer_id"]),
        billing=_address(data.get("billing_address")),
        shipping=_address(shipping_address),
        lines=tuple(lines),
        shipping_lines=shipping,
        fee_lines=fees,
        coupons=coupons,
        discount_total=-money(data.get("discount_amount")),
        prices_include_tax=False,
        payment_method=method,
        payment_method_title=payments[0].method_title if payments else method,
        transaction_id=str(payment.get("last_trans_id") or ""),
        paid_at=paid_at,
        modified_at=parse_datetime(data.get("updated_at")),
        customer_note=str(data.get("customer_note") or ""),
        store=str(data.get("store_name") or "").split("\n")[-1],
        customer_tax_identifier=str(data.get("customer_taxvat") or ""),
        payments=payments,
    )


def product_from_wire(
    data: Mapping[str, Any],
    category_names: Mapping[str, str],
    parent_sku: str = "",
    stock: Mapping[str, int] | None = None,
) -> ShopProduct:
    """``stock``: quantity by SKU at the source passerelle writes (R8)."""
    ext = data.get("extension_attributes") or {}
    price = data.get("price")
    return ShopProduct(
        shop_id=str(data.get("sku")),
        sku=str(data.get("sku") or ""),
        name=str(data.get("name") or ""),
        regular_price=money(price) if price is not None else None,
        description=str(custom_attribute(data, "description") or ""),
        short_description=str(custom_attribute(data, "short_description") or ""),
        weight=money(data["weight"]) if data.get("weight") is not None else None,
        category_names=tuple(
            category_names.get(str(c.get("category_id")), "")
            for c in ext.get("category_links") or []
        ),
        active=data.get("status") == 1,
        parent_sku=parent_sku,
        modified_at=parse_datetime(data.get("updated_at")),
        stock_quantity=(stock or {}).get(str(data.get("sku"))),
    )


def customer_from_wire(data: Mapping[str, Any]) -> ShopCustomer:
    addresses = data.get("addresses") or []
    billing = next(
        (a for a in addresses if a.get("default_billing")), addresses[0] if addresses else None
    )
    address = (
        _address({**billing, "region_code": (billing.get("region") or {}).get("region_code")})
        if billing
        else None
    )
    return ShopCustomer(
        shop_id=str(data.get("id")),
        email=str(data.get("email") or ""),
        first_name=str(data.get("firstname") or ""),
        last_name=str(data.get("lastname") or ""),
        company=address.company if address else "",
        phone=address.phone if address else "",
        created_at=parse_datetime(data.get("created_at")),
        address=address,
    )
