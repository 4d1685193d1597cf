"""Names the Tryton connector and the demo builder agree on.

Kept in one place so the profile of the demo (payment mappings, special
items) can point at them without importing trytond.
"""

from __future__ import annotations

__all__ = [
    "EXTERNAL_KEY_SHOP",
    "MODULES",
    "OPTIONAL_MODULES",
    "PAYMENT_JOURNALS",
    "PAYMENT_JOURNAL_CURRENCIES",
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
    # O26: sale.carrier, and the sale line Tryton treats as the shipment cost.
    "carrier",
    "sale_shipment_cost",
    # O6: a customer's sales representative is a commission agent
    # (commission.agent, chosen per party by commission.agent.selection).
    "commission",
    # O20: stock.shipment.out.shipping_reference holds the tracking number.
    "stock_package_shipping",
    # O15: a succeeded payment writes its clearing move, so a posted invoice
    # is reconciled with the payments of its sale (invoice "paid").
    "account_payment_clearing",
    # Issue 4, catalogue export: item custom fields (product.attribute), images,
    # customer groups and group prices (price lists), kits, suppliers.
    "product_attribute",
    "product_image",
    "product_price_list",
    "sale_price_list",
    "product_kit",
    "purchase",
)

# Modules whose absence ``test_connection`` tolerates: the connector works
# without them, with the feature they carry missing (said where it matters).
OPTIONAL_MODULES: frozenset[str] = frozenset(
    {
        "product_measurements",
        "carrier",
        "sale_shipment_cost",
        "commission",
        "stock_package_shipping",
        "account_payment_clearing",
        # Without them items have no custom fields, images, group prices, kit
        # components or suppliers, and customers no group: the export still runs.
        "product_attribute",
        "product_image",
        "product_price_list",
        "sale_price_list",
        "product_kit",
        "purchase",
    }
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
    "WEB-CARD-USD": "Credit card in US dollars (web shop)",
    "WEB-CARD-CAD": "Credit card in Canadian dollars (web shop)",
}

# O11: a journal's currency when it is not the company's; a sale's payments
# must be in the sale's currency, so a foreign-currency sale needs its own journal.
PAYMENT_JOURNAL_CURRENCIES: dict[str, str] = {
    "WEB-CARD-USD": "USD",
    "WEB-CARD-CAD": "CAD",
}
