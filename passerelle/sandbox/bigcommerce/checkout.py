"""``POST /v2/orders``: an order placed with catalogue products, and its stock taken.

From ``reference/orders.v2.oas2.yml`` (``createOrder``, ``order_Post``): a
``billing_address`` and ``products`` are required; a catalogue line
(``orderCatalogProduct_Post``) names ``product_id`` and ``quantity``, and for
a product with variants its ``variant_id`` (or ``product_options``); the
prices default to the catalogue's; ``status_id`` defaults to Pending (1).
The answer is 201 with the order. The storefront and the control panel do
not sell more than a tracked item's stock (docs "Inventory Tracking": an out
of stock item cannot be bought), so a line over it is refused (400). The
stock is then lowered or not as the store's inventory settings say (``stock``).
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any

from .state import State, rfc2822
from .stock import StockRules, tracked_record
from .wire import ApiError

__all__ = ["order_lines", "place"]


# The fields of an order's billing address and of a shipment's addresses
# (Orders v2 "billingAddress" / "shippingAddress" objects), copied as the shop does.
ADDRESS_FIELDS = (
    "first_name",
    "last_name",
    "company",
    "street_1",
    "street_2",
    "city",
    "state",
    "zip",
    "country",
    "country_iso2",
    "phone",
    "email",
)


def address_fields(source: dict[str, Any]) -> dict[str, Any]:
    """The address fields of ``source``, ``""`` for those it lacks."""
    return {k: source.get(k, "") for k in ADDRESS_FIELDS}


def _money(value: Decimal) -> str:
    return f"{value:.4f}"


def order_lines(data: dict[str, Any], oid: str) -> list[tuple[dict[str, Any], int]]:
    """(stock record, quantity) of each order product whose item is tracked."""
    out = []
    for line in data["order_products"].get(oid, []):
        record = tracked_record(data, int(line["product_id"]), line.get("variant_id"))
        if record is not None:
            out.append((record, int(line["quantity"])))
    return out


def _line(
    data: dict[str, Any], raw: Any, index: int
) -> tuple[dict[str, Any], dict[str, Any] | None, int]:
    if not isinstance(raw, dict):
        raise ApiError(400, f"products[{index}] is not an object.")
    product = data["products"].get(str(raw.get("product_id")))
    if product is None:
        raise ApiError(400, f"The product {raw.get('product_id')} does not exist.")
    quantity = raw.get("quantity")
    if not isinstance(quantity, int) or isinstance(quantity, bool) or quantity < 1:
        raise ApiError(400, f"products[{index}].quantity must be a positive integer.")
    options = [
        v
        for v in data["variants"].values()
        if v["product_id"] == product["id"] and v["option_values"]
    ]
    variant = data["variants"].get(str(raw.get("variant_id"))) if raw.get("variant_id") else None
    if options and (variant is None or variant["product_id"] != product["id"]):
        raise ApiError(
            400,
            f"The product {product['id']} has variants: variant_id or "
            "product_options are required.",
        )
    return product, variant, quantity


def place(state: State, rules: StockRules, body: Any) -> dict[str, Any]:
    """Write the order, its products and shipping address; take its stock."""
    data = state.data
    if (
        not isinstance(body, dict)
        or not isinstance(body.get("billing_address"), dict)
        or not isinstance(body.get("products"), list)
        or not body["products"]
    ):
        raise ApiError(400, "The fields billing_address and products are required.")
    status_id = body.get("status_id", 1)
    if status_id not in range(15):
        raise ApiError(400, f"The status_id {status_id} is not valid.")
    picked = [_line(data, raw, i) for i, raw in enumerate(body["products"])]
    short = rules.shortages(
        [
            (r, q)
            for p, v, q in picked
            if (r := tracked_record(data, p["id"], v["id"] if v is not None else None))
        ]
    )
    if short and rules.takes_stock(int(status_id)):
        raise ApiError(400, "Not enough stock: " + "; ".join(short))
    oid = state.next_id("order")
    stamp = rfc2822(datetime.fromisoformat(state.now()))
    billing = {**body["billing_address"], "form_fields": []}
    aid = state.next_id("order_address")
    products, total = [], Decimal(0)
    for product, variant, quantity in picked:
        price = Decimal(
            str(variant["price"] if variant and variant["price"] is not None else product["price"])
        )
        total += price * quantity
        products.append(
            {
                "id": state.next_id("order_product"),
                "order_id": oid,
                "product_id": product["id"],
                "variant_id": variant["id"] if variant else 0,
                "order_address_id": aid,
                "name": product["name"],
                "sku": (variant or product)["sku"],
                "type": product["type"],
                "base_price": _money(price),
                "price_ex_tax": _money(price),
                "price_inc_tax": _money(price),
                "price_tax": _money(Decimal(0)),
                "base_total": _money(price * quantity),
                "total_ex_tax": _money(price * quantity),
                "total_inc_tax": _money(price * quantity),
                "total_tax": _money(Decimal(0)),
                "quantity": quantity,
                "is_refunded": False,
                "quantity_refunded": 0,
                "refund_amount": _money(Decimal(0)),
                "quantity_shipped": 0,
                "product_options": [],
                "applied_discounts": [],
            }
        )
    address = {
        "id": aid,
        "order_id": oid,
        **address_fields(billing),
        "items_total": sum(q for _p, _v, q in picked),
        "items_shipped": 0,
        "shipping_method": "",
        "base_cost": _money(Decimal(0)),
        "cost_ex_tax": _money(Decimal(0)),
        "cost_inc_tax": _money(Decimal(0)),
        "cost_tax": _money(Decimal(0)),
        "cost_tax_class_id": 2,
        "base_handling_cost": _money(Decimal(0)),
        "handling_cost_ex_tax": _money(Decimal(0)),
        "handling_cost_inc_tax": _money(Decimal(0)),
        "handling_cost_tax": _money(Decimal(0)),
        "handling_cost_tax_class_id": 2,
        "shipping_zone_id": 1,
        "shipping_zone_name": "",
        "shipping_quotes": {
            "url": f"/v2/orders/{oid}/shipping_addresses/{aid}/shipping_quotes",
            "resource": f"/orders/{oid}/shipping_addresses/{aid}/shipping_quotes",
        },
        "form_fields": [],
    }
    zero = _money(Decimal(0))
    order = {
        "id": oid,
        "customer_id": int(body.get("customer_id") or 0),
        "date_created": stamp,
        "date_modified": stamp,
        "date_shipped": "",
        "status_id": status_id,
        "subtotal_ex_tax": _money(total),
        "subtotal_inc_tax": _money(total),
        "subtotal_tax": zero,
        "base_shipping_cost": zero,
        "shipping_cost_ex_tax": zero,
        "shipping_cost_inc_tax": zero,
        "shipping_cost_tax": zero,
        "shipping_cost_tax_class_id": 2,
        "base_handling_cost": zero,
        "handling_cost_ex_tax": zero,
        "handling_cost_inc_tax": zero,
        "handling_cost_tax": zero,
        "handling_cost_tax_class_id": 2,
        "base_wrapping_cost": zero,
        "wrapping_cost_ex_tax": zero,
        "wrapping_cost_inc_tax": zero,
        "wrapping_cost_tax": zero,
        "wrapping_cost_tax_class_id": 3,
        "total_ex_tax": _money(total),
        "total_inc_tax": _money(total),
        "total_tax": zero,
        "items_total": address["items_total"],
        "items_shipped": 0,
        "payment_method": str(body.get("payment_method") or "Manual"),
        "payment_provider_id": "",
        "payment_status": "captured" if status_id in (2, 3, 8, 9, 10, 11) else "",
        "refunded_amount": zero,
        "order_is_digital": False,
        "store_credit_amount": zero,
        "gift_certificate_amount": zero,
        "ip_address": "",
        "geoip_country": "",
        "geoip_country_iso2": "",
        "currency_id": 1,
        "currency_code": "EUR",
        "currency_exchange_rate": "1.0000000000",
        "default_currency_id": 1,
        "default_currency_code": "EUR",
        "staff_notes": str(body.get("staff_notes") or ""),
        "customer_message": str(body.get("customer_message") or ""),
        "discount_amount": zero,
        "coupon_discount": zero,
        "shipping_address_count": 1,
        "is_deleted": False,
        "ebay_order_id": "0",
        "cart_id": "",
        "billing_address": billing,
        "is_email_opt_in": False,
        "credit_card_type": None,
        "order_source": "manual",
        "channel_id": 1,
        "external_source": None,
        "external_id": None,
        "external_merchant_id": None,
        "tax_provider_id": "BasicTaxProvider",
        "customer_locale": "fr",
        "store_default_currency_code": "EUR",
        "store_default_to_transactional_exchange_rate": "1.0000000000",
        "custom_status": "",
    }
    data["orders"][str(oid)] = order
    data["order_products"][str(oid)] = products
    data["shipping_addresses"][str(oid)] = [address]
    data["order_coupons"][str(oid)] = []
    data["order_taxes"][str(oid)] = []
    rules.apply(order, order_lines(data, str(oid)))
    return order
