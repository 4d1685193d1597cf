"""O14, O15, O25: money properties over generated shop orders.

The shop side is simulated the way WooCommerce computes an order (coupon
discounts allocated per line, tax rounded half-up per line, gift cards off
the total), independently of passerelle's code; the back-office side is
passerelle's documents run through Tryton's arithmetic (``document_totals``,
checked against a real Tryton database in tests/tryton).
"""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import ROUND_HALF_UP, Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from passerelle.connectors.tryton.arithmetic import TRYTON_ARITHMETIC, document_totals
from passerelle.flows.order_mapping import (
    BackOfficeFacts,
    OrderProblem,
    build_sales,
    split_pro_rata,
)
from passerelle.model import (
    Address,
    FeeLine,
    Order,
    OrderCoupon,
    OrderGiftCard,
    OrderLine,
    OrderPayment,
    OrderStatus,
    SaleLineKind,
    ShippingLine,
    Tax,
    TaxLine,
)
from passerelle.profiles.schema import OrderOptions

CENT = Decimal("0.01")
RATES = {"20": "TVA 20 %", "10": "TVA 10 %", "5.5": "TVA 5,5 %", "2.1": "TVA 2,1 %"}
TAXES = {
    name: Tax(str(i), name, Decimal(rate) / 100) for i, (rate, name) in enumerate(RATES.items(), 1)
}
TOLERANCE = Decimal("0.05")


def half_up(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def profile_options(prices_from: str = "net") -> OrderOptions:
    return OrderOptions.model_validate(
        {
            "shipping_item": "SHIPPING",
            "misc_item": "MISC",
            "gift_wrap_item": "WRAP",
            "gap_item": "GAP",
            "gift_card_item": "GIFTCARD",
            "discount_items": {name: f"DISC-{rate}" for rate, name in RATES.items()},
            "taxes": [{"shop_rate": rate, "tax": name} for rate, name in RATES.items()],
            "payments": {m: {"journal": m.upper()} for m in ("stripe", "paypal", "bacs")},
            "total_tolerance": str(TOLERANCE),
            "prices_from": prices_from,
            "currencies": {"USD": "USD"},
        }
    )


FACTS = BackOfficeFacts(
    item_codes=frozenset(
        {f"ITEM-{i}" for i in range(40)}
        | {"SHIPPING", "MISC", "GAP", "GIFTCARD", "WRAP"}
        | {f"DISC-{r}" for r in RATES}
    ),
    taxes=TAXES,
    arithmetic=TRYTON_ARITHMETIC,
)


def tax_line(rate: str, amount: Decimal) -> TaxLine:
    return TaxLine(rate, RATES[rate], Decimal(rate) / 100, amount)


@st.composite
def shop_orders(draw: st.DrawFn) -> Order:
    """An order as WooCommerce computes it: per-line coupon allocation, per-line tax."""
    rates = draw(st.lists(st.sampled_from(list(RATES)), min_size=1, max_size=4, unique=True))
    percent = draw(
        st.sampled_from(
            [Decimal(0), Decimal(0), Decimal(5), Decimal(10), Decimal("12.5"), Decimal(33)]
        )
    )
    prices_include_tax = draw(st.booleans())
    lines = []
    for index in range(draw(st.integers(1, 30))):
        rate = draw(st.sampled_from(rates))
        quantity = Decimal(draw(st.integers(1, 12)))
        unit = Decimal(draw(st.integers(1, 20000))) / 100
        subtotal = quantity * unit
        if prices_include_tax:  # the shop derives the net from the gross price
            subtotal = half_up(subtotal / (1 + Decimal(rate) / 100))
        line_discount = half_up(subtotal * percent / 100)
        # A discount of this line only (a product coupon), on top of the cart's.
        own = Decimal(draw(st.integers(0, 100))) if draw(st.booleans()) else Decimal(0)
        line_discount = min(subtotal, line_discount + half_up(subtotal * own / 1000))
        total = subtotal - line_discount
        tax = half_up(total * Decimal(rate) / 100)
        lines.append(
            OrderLine(
                str(index),
                f"ITEM-{index}",
                f"item {index}",
                quantity,
                subtotal,
                total,
                tax,
                (tax_line(rate, tax),),
            )
        )
    shipping = ()
    if draw(st.booleans()):
        cost = Decimal(draw(st.integers(0, 2000))) / 100
        tax = half_up(cost * Decimal("0.2"))
        shipping = (ShippingLine("s", "flat_rate", "Colissimo", cost, tax, (tax_line("20", tax),)),)
    fees = ()
    if draw(st.booleans()):
        fee = Decimal(draw(st.integers(1, 900))) / 100
        tax = half_up(fee * Decimal("0.2"))
        fees = (FeeLine("f", "Emballage cadeau", fee, tax, (tax_line("20", tax),)),)
    gross = sum((ln.total + ln.total_tax for ln in lines), Decimal(0)) + sum(
        (x.total + x.total_tax for x in (*shipping, *fees)), Decimal(0)
    )
    cards = ()
    if draw(st.booleans()):
        amount = min(gross, Decimal(draw(st.integers(1, 5000))) / 100)
        cards = (OrderGiftCard("GC-1", amount),)
    total = gross - sum((c.amount for c in cards), Decimal(0))
    payment_count = draw(st.integers(0, 3))
    payments = ()
    if payment_count:
        shares = split_pro_rata(
            total, [Decimal(draw(st.integers(1, 9))) for _ in range(payment_count)]
        )
        methods = ["stripe", "paypal", "bacs"]
        payments = tuple(
            OrderPayment(methods[i], methods[i], amount) for i, amount in enumerate(shares)
        )
    discount = sum((ln.subtotal - ln.total for ln in lines), Decimal(0))
    coupons = (OrderCoupon("promo", discount, Decimal(0)),) if discount else ()
    return Order(
        source_id="1",
        number="1",
        status=OrderStatus.PROCESSING,
        shop_status="processing",
        currency=draw(st.sampled_from(["EUR", "USD"])),
        created_at=datetime(2026, 11, 2, tzinfo=UTC),
        total=total,
        total_tax=sum((ln.total_tax for ln in lines), Decimal(0)),
        customer_id="530",
        billing=Address(
            first_name="A",
            last_name="B",
            street="x",
            city="Paris",
            postal_code="75001",
            country_code="FR",
        ),
        shipping=Address(),
        lines=tuple(lines),
        shipping_lines=shipping,
        fee_lines=fees,
        coupons=coupons,
        discount_total=discount,
        prices_include_tax=prices_include_tax,
        payment_method="stripe",
        payment_method_title="Card",
        paid_at=datetime(2026, 11, 2, tzinfo=UTC),
        payments=payments,
        gift_cards=cards,
    )


def shop_bases(order: Order) -> dict[str, Decimal]:
    """The shop's net base per back-office tax id."""
    bases: dict[str, Decimal] = {}
    for part in (*order.lines, *order.shipping_lines, *order.fee_lines):
        for tax in part.taxes:
            tax_id = TAXES[RATES[tax.shop_tax_id]].source_id
            bases[tax_id] = bases.get(tax_id, Decimal(0)) + part.total
    return bases


def tryton_totals(sale):  # noqa: ANN001, ANN201
    specs = FACTS.tax_specs()
    return document_totals(((ln.quantity, ln.unit_price, ln.tax_ids) for ln in sale.lines), specs)


@settings(max_examples=300, deadline=None)
@given(order=shop_orders())
def test_documents_match_the_shop_to_the_cent(order: Order) -> None:
    try:
        (sale,) = build_sales(
            order,
            profile_options(),
            FACTS,
            document_type="order",
            external_key="k",
            party_code="WEB000530",
        )
    except OrderProblem as problem:
        # Only a difference beyond the tolerance may refuse an order.
        assert "tolerance" in problem.message
        return
    totals = tryton_totals(sale)
    # The document total is the shop's, to the cent.
    assert totals.total == order.total
    # What closes the gap is on the gap item, untaxed, within the tolerance.
    gap = [ln for ln in sale.lines if ln.kind is SaleLineKind.GAP and not ln.tax_ids]
    assert abs(sum((ln.unit_price for ln in gap), Decimal(0))) <= TOLERANCE
    # Each VAT base in the back-office is the shop's to the cent.
    assert {k: v for k, v in totals.bases.items() if v} == {
        k: v for k, v in shop_bases(order).items() if v
    }
    # The discount lines, one per VAT code, sum to the order's discount.
    discount_lines = [ln for ln in sale.lines if ln.kind is SaleLineKind.DISCOUNT]
    assert (
        -sum((ln.unit_price * ln.quantity for ln in discount_lines), Decimal(0))
        == order.discount_total
    )
    assert len({ln.tax_ids for ln in discount_lines}) == len(discount_lines)
    # Payments: one per shop payment, and they pay the document exactly.
    if sale.payments:
        assert sum((p.amount for p in sale.payments), Decimal(0)) == order.total
        paid = [p for p in order.payments if p.amount]
        assert len(sale.payments) == max(1, len(paid))


@settings(max_examples=200, deadline=None)
@given(order=shop_orders())
def test_gross_prices_land_on_the_shop_total(order: Order) -> None:
    """O8 tax-inclusive creation: nets derived from gross prices, the total still exact."""
    try:
        (sale,) = build_sales(
            order,
            profile_options("gross"),
            FACTS,
            document_type="order",
            external_key="k",
            party_code="WEB000530",
        )
    except OrderProblem as problem:
        assert "tolerance" in problem.message
        return
    assert tryton_totals(sale).total == order.total


@given(
    amount=st.integers(-(10**6), 10**6).map(lambda c: Decimal(c) / 100),
    bases=st.lists(st.integers(0, 10**6).map(lambda c: Decimal(c) / 100), min_size=1, max_size=4),
)
def test_order_level_discount_split_is_exact_and_pro_rata(
    amount: Decimal, bases: list[Decimal]
) -> None:
    parts = split_pro_rata(amount, bases)
    assert sum(parts, Decimal(0)) == amount
    total = sum(bases, Decimal(0))
    if total:
        for part, base in zip(parts, bases, strict=True):
            assert abs(part - amount * base / total) < CENT
