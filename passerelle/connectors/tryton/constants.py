"""Names the Tryton connector and the demo builder agree on.

Kept in one place so the profile of the demo (payment mappings, special
items) can point at them without importing trytond.
"""

from __future__ import annotations

__all__ = [
    "EXTERNAL_KEY_SHOP",
    "MODULES",
    "PAYMENT_JOURNALS",
]

# Tryton modules the connector relies on (activated in the demo database,
# checked by ``test_connection``). ``web_shop`` gives ``sale.web_id``, unique per
# web shop, which stores passerelle's external key of an imported order.
MODULES: tuple[str, ...] = (
    "party",
    "company",
    "currency",
    "country",
    "product",
    "product_measurements",
    "account",
    "account_product",
    "account_invoice",
    "account_payment",
    "stock",
    "sale",
    "sale_payment",
    "web_shop",
)

# The web.shop record whose (web_shop, web_id) pair identifies imported orders.
# Tryton enforces the pair unique, so an order can never be written twice even
# if two workers race; the connector creates this record if it is missing.
EXTERNAL_KEY_SHOP = "passerelle"

# Payment journals (account.payment.journal, looked up by name) of the demo
# database, one per shop payment method; profiles map payment methods to these.
PAYMENT_JOURNALS: dict[str, str] = {
    "WEB-CARD": "Credit card (web shop)",
    "WEB-TRANSFER": "Bank transfer (web shop)",
    "WEB-PAYPAL": "PayPal (web shop)",
    "WEB-COD": "Cash on delivery (web shop)",
}
