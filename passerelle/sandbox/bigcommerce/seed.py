"""The demo store: the demo shop's customers and past orders as BigCommerce's.

Why translate instead of writing a second seed: the conformance suite checks
every platform against the same demo database, so the orders must be the
same (ids, buyers, lines by SKU, taxes, shipping, payments, totals). They are
read from :mod:`passerelle.demo_orders`, the orders in no platform's words.

Mapping: statuses → BigCommerce status ids (processing → 11 Awaiting
Fulfillment, completed → 10 Completed, pending → 7 Awaiting Payment, on hold →
12 Manual Verification Required, cancelled → 5 Cancelled; the bin →
``is_deleted`` with the status it had); gateways → the payment method names
BigCommerce shows; shipping addresses, products and tax rows in
``seed_lines.py``; the gift-wrap fee → the order's ``wrapping_cost_*``; gift
cards → ``gift_certificate_amount`` (BigCommerce's total includes what they paid).
"""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal

from passerelle.demo_orders import ACCOUNTS, ORDERS, DemoAccount, DemoOrder, at

from .customers import Customers
from .seed_lines import NO_HANDLING, SHIPPING_METHODS, OrderParts, address, money, priced
from .state import State, rfc2822

__all__ = ["PAYMENT_METHODS", "SHIPPING_METHODS", "seed_store"]

STATUS_IDS = {
    "processing": 11,
    "completed": 10,
    "pending": 7,
    "on_hold": 12,
    "cancelled": 5,
}
PAYMENT_METHODS = {
    "stripe": "Stripe",
    "paypal": "PayPal",
    "bacs": "Bank Deposit",
    "cheque": "Check",
    "cod": "Cash on Delivery",
    "amazon_payments_advanced": "Amazon Pay",
}
_ZERO = Decimal(0)


def _moment(now: datetime, days_ago: float) -> datetime:
    """Seeded dates are to the second, like the store's."""
    return at(now, days_ago).replace(microsecond=0)


def seed_store(state: State, customers: Customers, now: datetime | None = None) -> None:
    """Fill an empty store; ``now`` (UTC) is the seeding moment the demo dates count back from."""
    now = now or datetime.now(UTC).replace(microsecond=0)
    state.data["trees"]["1"] = {"id": 1, "name": "Default", "channels": [1]}
    for account in ACCOUNTS:
        _seed_customer(customers, account, now)
    for order in sorted(ORDERS, key=lambda o: o.number):
        _seed_order(state, order, now)


def _seed_customer(customers: Customers, account: DemoAccount, now: datetime) -> None:
    billing = account.billing
    customers.insert(
        {
            "email": account.email,
            "first_name": account.first_name,
            "last_name": account.last_name,
            "company": billing.company,
            "phone": billing.phone,
            "addresses": [
                {
                    "first_name": billing.first_name,
                    "last_name": billing.last_name,
                    "company": billing.company,
                    "address1": billing.street,
                    "address2": billing.street2,
                    "city": billing.city,
                    "state_or_province": billing.state,
                    "postal_code": billing.postcode,
                    "country_code": billing.country,
                    "phone": billing.phone,
                    "address_type": "residential",
                }
            ],
        },
        cid=account.id,
        when=_moment(now, account.created_days_ago).isoformat(),
    )


def _seed_order(state: State, order: DemoOrder, now: datetime) -> None:
    oid = order.number
    parts = OrderParts(state, order).build()
    products = parts.products
    # A gift certificate pays part of the order: BigCommerce's total keeps it.
    gift = order.gift_card_total
    total, total_tax = order.total + gift, order.total_tax
    sub_ex = sum((Decimal(p["total_ex_tax"]) for p in products), _ZERO)
    sub_tax = sum((Decimal(p["total_tax"]) for p in products), _ZERO)
    shipping, shipping_tax = order.shipping_total, order.shipping_tax
    wrap, wrap_tax = order.fee_total, order.fee_tax
    trashed = order.status == "trashed"
    status = (order.trashed_from or "processing") if trashed else order.status
    paid = order.status in ("processing", "completed") or (trashed and order.paid)
    state.data["orders"][str(oid)] = {
        "id": oid,
        "customer_id": order.customer.id if order.customer else 0,
        "date_created": rfc2822(_moment(now, order.created_days_ago)),
        "date_modified": rfc2822(_moment(now, order.modified_days_ago)),
        "date_shipped": "",
        "status_id": STATUS_IDS.get(status, 11),
        **priced(None, "subtotal", sub_ex, sub_tax),
        **priced("base_shipping_cost", "shipping_cost", shipping, shipping_tax),
        "shipping_cost_tax_class_id": 2,
        **NO_HANDLING,
        **priced("base_wrapping_cost", "wrapping_cost", wrap, wrap_tax),
        "wrapping_cost_tax_class_id": 3,
        **priced(None, "total", total - total_tax, total_tax),
        "items_total": sum(p["quantity"] for p in products),
        "items_shipped": 0,
        "payment_method": PAYMENT_METHODS.get(order.payment_method, order.payment_method),
        # order_Shared.payment_provider_id: string or number, never null ('' when none).
        "payment_provider_id": order.transaction_id,
        "payment_status": "captured" if paid else "",
        "refunded_amount": money(_ZERO),
        "order_is_digital": False,
        "store_credit_amount": money(_ZERO),
        "gift_certificate_amount": money(gift),
        "ip_address": order.client_ip,
        "geoip_country": "",
        "geoip_country_iso2": "",
        "currency_id": 1,
        "currency_code": order.currency,
        "currency_exchange_rate": "1.0000000000",
        "default_currency_id": 1,
        "default_currency_code": order.currency,
        "staff_notes": "",
        "customer_message": order.customer_note,
        "discount_amount": money(_ZERO),
        "coupon_discount": money(order.discount_total),
        "shipping_address_count": len(parts.addresses),
        "is_deleted": trashed,
        "ebay_order_id": "0",
        "cart_id": "",
        "billing_address": {**address(order.billing), "form_fields": []},
        "is_email_opt_in": False,
        "credit_card_type": None,
        "order_source": "www",
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
    state.data["order_products"][str(oid)] = products
    state.data["shipping_addresses"][str(oid)] = parts.addresses
    state.data["order_coupons"][str(oid)] = parts.coupons
    state.data["order_taxes"][str(oid)] = parts.taxes
