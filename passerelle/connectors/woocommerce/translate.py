"""WooCommerce JSON ↔ canonical records, with no I/O.

WooCommerce sends money as strings ("24.90"), dates as ISO strings without a
zone (the ``*_gmt`` twins are UTC), and taxes by rate id on each line with
their label and percentage in the order's ``tax_lines``.
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
    OrderStatus,
    ProductDraft,
    ShippingLine,
    ShopCategory,
    TaxLine,
)

__all__ = [
    "NUMBER_META_KEY",
    "category_payload",
    "money",
    "order_from_wire",
    "parse_datetime",
    "product_payload",
    "variation_payload",
]

NUMBER_META_KEY = "_passerelle_document_number"
BARCODE_META_KEY = "_passerelle_barcode"

_STATUSES = {status.value: status for status in OrderStatus}


def money(value: Any, *, what: str = "amount") -> Decimal:
    """A WooCommerce amount (string or number) as Decimal; '' counts as 0."""
    if value is None or value == "":
        return Decimal("0")
    try:
        return Decimal(str(value))
    except InvalidOperation as exc:
        raise RecordError(f"{what} is not a number: {value!r}") from exc


def parse_datetime(value: str | None) -> datetime | None:
    """A ``*_gmt`` ISO string (no zone) as an aware UTC datetime."""
    if not value:
        return None
    parsed = datetime.fromisoformat(value)
    return parsed.replace(tzinfo=UTC) if parsed.tzinfo is None else parsed.astimezone(UTC)


def format_datetime(value: datetime) -> str:
    """An aware datetime as the ISO 8601 string WooCommerce filters accept."""
    return value.astimezone(UTC).replace(tzinfo=None).isoformat(timespec="seconds")


def _address(data: Mapping[str, Any] | None) -> Address:
    data = data or {}
    return Address(
        first_name=str(data.get("first_name") or ""),
        last_name=str(data.get("last_name") or ""),
        company=str(data.get("company") or ""),
        street=str(data.get("address_1") or ""),
        street2=str(data.get("address_2") or ""),
        postal_code=str(data.get("postcode") or ""),
        city=str(data.get("city") or ""),
        country_code=str(data.get("country") or ""),
        subdivision=str(data.get("state") or ""),
        phone=str(data.get("phone") or ""),
        email=str(data.get("email") or ""),
    )


def _tax_lines(
    taxes: list[Mapping[str, Any]] | None, rates: Mapping[str, Mapping[str, Any]], where: str
) -> tuple[TaxLine, ...]:
    result = []
    for tax in taxes or []:
        amount = money(tax.get("total"), what=f"{where} tax")
        if amount == 0 and tax.get("total") in ("", None):
            continue
        rate_id = str(tax.get("id"))
        rate = rates.get(rate_id, {})
        percent = rate.get("rate_percent")
        result.append(
            TaxLine(
                shop_tax_id=rate_id,
                label=str(rate.get("label") or rate.get("rate_code") or rate_id),
                rate=(money(percent) / 100) if percent not in (None, "") else None,
                amount=amount,
            )
        )
    return tuple(result)


def order_from_wire(data: Mapping[str, Any]) -> Order:
    """A WooCommerce order as a canonical ``Order``; RecordError naming it if unreadable."""
    if not isinstance(data, Mapping):
        raise RecordError(f"an order came as {type(data).__name__}, not a JSON object")
    order_id = str(data.get("id"))
    where = f"order {data.get('number') or order_id}"
    try:
        rates = {str(t.get("rate_id")): t for t in data.get("tax_lines") or []}
        lines = tuple(
            OrderLine(
                source_id=str(item.get("id")),
                reference=str(item.get("sku") or ""),
                name=str(item.get("name") or ""),
                quantity=money(item.get("quantity"), what=f"{where} quantity"),
                subtotal=money(item.get("subtotal"), what=f"{where} line subtotal"),
                total=money(item.get("total"), what=f"{where} line total"),
                total_tax=money(item.get("total_tax"), what=f"{where} line tax"),
                taxes=_tax_lines(item.get("taxes"), rates, where),
                product_id=str(item.get("variation_id") or item.get("product_id") or ""),
            )
            for item in data.get("line_items") or []
        )
        shipping = tuple(
            ShippingLine(
                source_id=str(item.get("id")),
                method_id=str(item.get("method_id") or ""),
                title=str(item.get("method_title") or ""),
                total=money(item.get("total"), what=f"{where} shipping"),
                total_tax=money(item.get("total_tax"), what=f"{where} shipping tax"),
                taxes=_tax_lines(item.get("taxes"), rates, where),
            )
            for item in data.get("shipping_lines") or []
        )
        fees = tuple(
            FeeLine(
                source_id=str(item.get("id")),
                name=str(item.get("name") or ""),
                total=money(item.get("total"), what=f"{where} fee"),
                total_tax=money(item.get("total_tax"), what=f"{where} fee tax"),
                taxes=_tax_lines(item.get("taxes"), rates, where),
            )
            for item in data.get("fee_lines") or []
        )
        coupons = tuple(
            OrderCoupon(
                code=str(item.get("code") or ""),
                discount=money(item.get("discount")),
                discount_tax=money(item.get("discount_tax")),
            )
            for item in data.get("coupon_lines") or []
        )
        created = parse_datetime(data.get("date_created_gmt")) or parse_datetime(
            data.get("date_created")
        )
        if created is None:
            raise RecordError(f"{where} has no creation date")
        shop_status = str(data.get("status") or "")
        customer_id = str(data.get("customer_id") or "0")
        return Order(
            source_id=order_id,
            number=str(data.get("number") or order_id),
            status=_STATUSES.get(shop_status, OrderStatus.OTHER),
            shop_status=shop_status,
            currency=str(data.get("currency") or ""),
            created_at=created,
            total=money(data.get("total"), what=f"{where} total"),
            total_tax=money(data.get("total_tax"), what=f"{where} total tax"),
            customer_id=None if customer_id == "0" else customer_id,
            billing=_address(data.get("billing")),
            shipping=_address(data.get("shipping")),
            lines=lines,
            shipping_lines=shipping,
            fee_lines=fees,
            coupons=coupons,
            discount_total=money(data.get("discount_total")),
            prices_include_tax=bool(data.get("prices_include_tax")),
            payment_method=str(data.get("payment_method") or ""),
            payment_method_title=str(data.get("payment_method_title") or ""),
            transaction_id=str(data.get("transaction_id") or ""),
            paid_at=parse_datetime(data.get("date_paid_gmt")),
            modified_at=parse_datetime(data.get("date_modified_gmt")),
            customer_note=str(data.get("customer_note") or ""),
        )
    except RecordError as exc:
        exc.record_id = order_id
        raise
    except (TypeError, AttributeError, ValueError) as exc:
        raise RecordError(f"{where} could not be read: {exc}", record_id=order_id) from exc


def category_payload(category: ShopCategory) -> dict[str, Any]:
    return {"name": category.name, "parent": int(category.parent_id or 0)}


def _decimal_text(value: Decimal) -> str:
    return format(value, "f")


def product_payload(draft: ProductDraft, fields: frozenset[str] | None = None) -> dict[str, Any]:
    """The WooCommerce body for a product; ``fields`` limits it on update (C15)."""

    def wanted(name: str) -> bool:
        return fields is None or name in fields

    body: dict[str, Any] = {}
    if fields is None:
        body["type"] = "simple"
    if wanted("sku"):
        body["sku"] = draft.sku
    if wanted("name"):
        body["name"] = draft.name
    if wanted("regular_price"):
        body["regular_price"] = _decimal_text(draft.regular_price)
    if wanted("description"):
        body["description"] = draft.description
    if wanted("tax_class"):
        body["tax_class"] = draft.tax_class
    if wanted("category_ids"):
        body["categories"] = [{"id": int(c)} for c in draft.category_ids]
    if wanted("weight"):
        body["weight"] = "" if draft.weight is None else _decimal_text(draft.weight)
    if wanted("barcode"):
        body["meta_data"] = [{"key": BARCODE_META_KEY, "value": draft.barcode}]
    if wanted("manage_stock"):
        body["manage_stock"] = draft.manage_stock
    if wanted("stock_quantity") and draft.manage_stock:
        body["stock_quantity"] = draft.stock_quantity
    if wanted("active"):
        body["status"] = "publish" if draft.active else "draft"
    return body


# A variation has no name, categories or type of its own (they are the parent's).
_VARIATION_KEYS = frozenset(
    {"sku", "regular_price", "description", "tax_class", "weight", "meta_data",
     "manage_stock", "stock_quantity", "status"}
)


def variation_payload(draft: ProductDraft, fields: frozenset[str] | None = None) -> dict[str, Any]:
    """The WooCommerce body for a product variation (the product body minus parent fields)."""
    return {k: v for k, v in product_payload(draft, fields).items() if k in _VARIATION_KEYS}
