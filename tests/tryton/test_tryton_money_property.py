"""O14/O15: generated shop orders written by the real Tryton, to the cent.

The pure property (tests/test_order_money_properties.py) runs hundreds of
orders through passerelle's copy of Tryton's arithmetic; this one writes a
smaller sample into the real demo database, so the copy and Tryton are
shown to agree: the sale's total is the shop's, each VAT base is the
shop's, and what Tryton charges as tax differs from the shop only by what
the gap line carries.
"""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import ROUND_HALF_UP, Decimal
from itertools import count

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from passerelle.connectors.tryton.connector import TrytonBackOffice
from passerelle.demo_data import DISCOUNT_ITEMS, ITEMS, TAXES
from passerelle.flows.order_mapping import BackOfficeFacts, build_sales
from passerelle.model import (
    Address,
    DocumentType,
    Order,
    OrderCoupon,
    OrderGiftCard,
    OrderLine,
    OrderPayment,
    OrderStatus,
    SaleLineKind,
    ShippingLine,
    TaxLine,
)
from passerelle.profiles.schema import OrderOptions

CENT = Decimal("0.01")
TAX_NAME = {tax.code: tax.name for tax in TAXES}
RATE = {tax.code: tax.rate for tax in TAXES}
_keys = count(1)


def half_up(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def options() -> OrderOptions:
    return OrderOptions.model_validate(
        {
            "shipping_item": "SHIPPING",
            "misc_item": "MISC",
            "gift_wrap_item": "GIFTWRAP",
            "gap_item": "GAP",
            "gift_card_item": "GIFTCARD",
            "discount_items": {tax.name: DISCOUNT_ITEMS[tax.code].code for tax in TAXES},
            "taxes": [{"shop_label": tax.code, "tax": tax.name} for tax in TAXES],
            "payments": {"stripe": {"journal": "WEB-CARD"}, "paypal": {"journal": "WEB-PAYPAL"}},
            "total_tolerance": "0.05",
        }
    )


@st.composite
def orders(draw: st.DrawFn) -> Order:
    """An order as WooCommerce computes it, on the demo catalogue's items and rates."""
    percent = draw(st.sampled_from([Decimal(0), Decimal(10), Decimal("12.5")]))
    lines = []
    for index in range(draw(st.integers(1, 12))):
        item = draw(st.sampled_from(ITEMS))
        quantity = Decimal(draw(st.integers(1, 9)))
        subtotal = quantity * Decimal(draw(st.integers(1, 9000))) / 100
        total = subtotal - half_up(subtotal * percent / 100)
        tax = half_up(total * RATE[item.tax])
        lines.append(
            OrderLine(
                str(index),
                item.code,
                item.name,
                quantity,
                subtotal,
                total,
                tax,
                (TaxLine(item.tax, item.tax, RATE[item.tax], tax),),
            )
        )
    cost = Decimal(draw(st.integers(0, 1500))) / 100
    ship_tax = half_up(cost * RATE["VAT20"])
    shipping = (
        ShippingLine(
            "s",
            "flat_rate",
            "Colissimo",
            cost,
            ship_tax,
            (TaxLine("VAT20", "VAT20", RATE["VAT20"], ship_tax),),
        ),
    )
    gross = sum((x.total + x.total_tax for x in (*lines, *shipping)), Decimal(0))
    cards = ()
    if draw(st.booleans()):
        cards = (OrderGiftCard("GC", min(gross, Decimal(draw(st.integers(1, 3000))) / 100)),)
    total = gross - sum((c.amount for c in cards), Decimal(0))
    payments = ()
    if total > 1 and draw(st.booleans()):
        payments = (
            OrderPayment("stripe", "Card", total - 1),
            OrderPayment("paypal", "PP", Decimal(1)),
        )
    discount = sum((x.subtotal - x.total for x in lines), Decimal(0))
    return Order(
        source_id="p",
        number="p",
        status=OrderStatus.PROCESSING,
        shop_status="processing",
        currency="EUR",
        created_at=datetime(2026, 11, 2, tzinfo=UTC),
        total=total,
        total_tax=sum((x.total_tax for x in (*lines, *shipping)), Decimal(0)),
        customer_id="530",
        billing=Address(
            first_name="Jeanne",
            last_name="Martin",
            street="12 rue des Lilas",
            postal_code="75011",
            city="Paris",
            country_code="FR",
        ),
        shipping=Address(),
        lines=tuple(lines),
        shipping_lines=shipping,
        coupons=(OrderCoupon("promo", discount, Decimal(0)),) if discount else (),
        discount_total=discount,
        payment_method="stripe",
        payment_method_title="Card",
        paid_at=datetime(2026, 11, 2, tzinfo=UTC),
        gift_cards=cards,
        payments=payments,
    )


def shop_bases(order: Order) -> dict[str, Decimal]:
    bases: dict[str, Decimal] = {}
    for part in (*order.lines, *order.shipping_lines):
        for tax in part.taxes:
            name = TAX_NAME[tax.label]
            bases[name] = bases.get(name, Decimal(0)) + part.total
    return {k: v for k, v in bases.items() if v}


@settings(
    max_examples=20,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(order=orders())
def test_tryton_writes_generated_orders_to_the_shop_total(
    tryton_backoffice: TrytonBackOffice, order: Order
) -> None:
    taxes = tryton_backoffice.list_taxes()
    facts = BackOfficeFacts(
        item_codes=frozenset(tryton_backoffice.item_codes()),
        taxes={t.name: t for t in taxes},
        arithmetic=tryton_backoffice.arithmetic,
    )
    (sale,) = build_sales(
        order,
        options(),
        facts,
        document_type=DocumentType.QUOTATION,
        external_key=f"property#{next(_keys)}",
        party_code="C0001",
    )
    result = tryton_backoffice.create_sale(sale)
    assert result.total_amount == order.total
    names = {t.source_id: t.name for t in taxes}
    tryton_bases = {names[tax_id]: base for tax_id, base in result.tax_bases if base}
    assert tryton_bases == shop_bases(order)
    gap = sum(
        (ln.unit_price for ln in sale.lines if ln.kind is SaleLineKind.GAP and not ln.tax_ids),
        Decimal(0),
    )
    assert abs(gap) <= Decimal("0.05")
    assert result.tax_amount == order.total_tax - gap
    assert result.payments_total == (order.total if order.total > 0 else 0)
