"""Sanity of an order's amounts, quantities and currency, checked before mapping.

Sane orders (every amount finite and below the bound, money paid within its
currency's decimals, positive quantities, an ISO currency the back-office
has) always pass; an order with one bad field is set aside with severity
error, and the message names the order, the field and its value.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime
from decimal import Decimal, InvalidOperation, localcontext

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from passerelle.connectors.arithmetic import cents
from passerelle.connectors.tryton.arithmetic import TRYTON_ARITHMETIC, tryton_round
from passerelle.flows.order_mapping import (
    BackOfficeFacts,
    OrderProblem,
    build_refund,
    build_sales,
    check_order,
    check_refund,
)
from passerelle.flows.order_mapping.lines import build_lines
from passerelle.flows.order_mapping.sanity import MAX_AMOUNT, decimals_of
from passerelle.model import (
    Address,
    FeeLine,
    Order,
    OrderCoupon,
    OrderGiftCard,
    OrderLine,
    OrderPayment,
    OrderRefund,
    OrderStatus,
    RefundLine,
    ShippingLine,
    Tax,
    TaxLine,
)
from passerelle.model.currencies import ISO_4217
from passerelle.profiles.schema import OrderOptions

HUGE = Decimal("123456789012345678901234567890.00")
TAXES = {"TVA 20 %": Tax("1", "TVA 20 %", Decimal("0.20"))}
OPTIONS = OrderOptions.model_validate(
    {
        "shipping_item": "SHIPPING",
        "misc_item": "MISC",
        "gift_wrap_item": "WRAP",
        "gap_item": "GAP",
        "taxes": [{"shop_rate": "20", "tax": "TVA 20 %"}],
        "discount_items": {"TVA 20 %": "DISC20"},
        "payments": {"stripe": {"journal": "WEB-CARD"}},
    }
)
FACTS = BackOfficeFacts(
    item_codes=frozenset({"TSHIRT-M", "MUG"}),
    taxes=TAXES,
    currencies=frozenset(ISO_4217),
    arithmetic=TRYTON_ARITHMETIC,
)
VAT = TaxLine("1", "TVA", Decimal("0.2"), Decimal("4.00"))
WHEN = datetime(2026, 11, 2, tzinfo=UTC)


def sale_line(quantity: str = "2", total: str = "20.00", sku: str = "TSHIRT-M") -> OrderLine:
    return OrderLine(
        "11",
        sku,
        "T-shirt",
        Decimal(quantity),
        Decimal(total),
        Decimal(total),
        Decimal("4.00"),
        (VAT,),
    )


def an_order(*lines: OrderLine, **changes: object) -> Order:
    lines = lines or (sale_line(),)
    total = sum((ln.total + ln.total_tax for ln in lines), Decimal(0))
    data: dict[str, object] = dict(
        source_id="1042",
        number="1042",
        status=OrderStatus.PROCESSING,
        shop_status="processing",
        currency="EUR",
        created_at=WHEN,
        total=total,
        total_tax=sum((ln.total_tax for ln in lines), Decimal(0)),
        customer_id="530",
        billing=Address(first_name="A", last_name="B", country_code="FR"),
        shipping=Address(),
        lines=lines,
        payment_method="stripe",
        paid_at=WHEN,
    )
    data.update(changes)
    return Order(**data)  # type: ignore[arg-type]


def refused(order: Order, facts: BackOfficeFacts = FACTS, options: OrderOptions = OPTIONS) -> str:
    with pytest.raises(OrderProblem) as caught:
        check_order(order, options, facts)
    assert caught.value.severity == "error"
    assert caught.value.message.startswith(f"order {order.number}: ")
    return caught.value.message


# -- sane orders pass ------------------------------------------------------------------


def amounts(digits: int) -> st.SearchStrategy[Decimal]:
    """Any amount within the bound, with at most ``digits`` decimals (trailing zeros
    added at random, as BigCommerce's "24.9000" and PrestaShop's "24.900000" come)."""
    limit = int(MAX_AMOUNT) * 10**digits - 1
    return st.builds(
        lambda units, zeros: (Decimal(units).scaleb(-digits)).quantize(
            Decimal(1).scaleb(-digits - zeros)
        ),
        st.integers(-limit, limit),
        st.integers(0, 4),
    )


def free_amounts() -> st.SearchStrategy[Decimal]:
    """Line amounts and taxes: any decimals (WooCommerce's per-line taxes are unrounded)."""
    return st.decimals(
        min_value=-MAX_AMOUNT + 1,
        max_value=MAX_AMOUNT - 1,
        places=6,
        allow_nan=False,
        allow_infinity=False,
    )


@st.composite
def sane_orders(draw: st.DrawFn) -> Order:
    currency = draw(st.sampled_from(sorted(ISO_4217)))
    paid = amounts(ISO_4217[currency])
    lines = tuple(
        OrderLine(
            str(i),
            f"SKU-{i}",
            "x",
            draw(st.decimals(min_value=Decimal("0.001"), max_value=Decimal(10) ** 9 - 1, places=3)),
            draw(free_amounts()),
            draw(free_amounts()),
            draw(free_amounts()),
            (TaxLine("1", "TVA", Decimal("0.2"), draw(free_amounts())),),
            ecotax=draw(free_amounts()),
        )
        for i in range(draw(st.integers(1, 4)))
    )
    return an_order(
        *lines,
        currency=currency,
        total=draw(paid),
        total_tax=draw(free_amounts()),
        discount_total=draw(free_amounts()),
        shipping_lines=(
            ShippingLine("s", "flat_rate", "Colissimo", draw(free_amounts()), draw(free_amounts())),
        ),
        fee_lines=(FeeLine("f", "Emballage", draw(free_amounts()), draw(free_amounts())),),
        coupons=(OrderCoupon("PROMO", draw(free_amounts()), draw(free_amounts())),),
        gift_cards=(OrderGiftCard("GC", draw(paid)),),
        payments=(OrderPayment("stripe", "Carte", draw(paid)),),
    )


@settings(max_examples=150, deadline=None)
@given(order=sane_orders())
def test_any_order_within_bounds_and_its_currency_digits_passes(order: Order) -> None:
    check_order(order, OPTIONS, FACTS)
    for refund_amount in (order.total, abs(order.total)):
        check_refund(order, OrderRefund("r", WHEN, refund_amount), OPTIONS)


def test_a_removed_line_of_no_units_and_no_amount_is_no_sale_line() -> None:
    removed = replace(sale_line("0", "0.00"), total_tax=Decimal(0), taxes=())
    check_order(an_order(sale_line(), removed), OPTIONS, FACTS)


@given(
    value=st.decimals(
        allow_nan=False, allow_infinity=False, places=10, min_value=-(10**6), max_value=10**6
    )
)
def test_decimals_of_counts_significant_decimals_exactly(value: Decimal) -> None:
    with localcontext() as ctx:
        ctx.prec = 100
        normal = value.normalize()
    exponent = normal.as_tuple().exponent
    assert isinstance(exponent, int)
    assert decimals_of(value) == max(0, -exponent)
    assert decimals_of(value.quantize(Decimal("1E-12"))) == decimals_of(value)


# -- each kind of bad field is set aside, the field named ----------------------------

BAD_AMOUNTS = [
    Decimal("NaN"),
    Decimal("sNaN"),
    Decimal("Infinity"),
    Decimal("-Infinity"),
    HUGE,
    -HUGE,
    MAX_AMOUNT,
    Decimal("1E+5000"),
    Decimal("1E+999999999"),
]

# (field as the message names it, how to put a value in that field)
AMOUNT_FIELDS = [
    ("line 1 (SKU TSHIRT-M) total", lambda o, v: replace(o, lines=(replace(o.lines[0], total=v),))),
    (
        "line 1 (SKU TSHIRT-M) subtotal",
        lambda o, v: replace(o, lines=(replace(o.lines[0], subtotal=v),)),
    ),
    (
        "line 1 (SKU TSHIRT-M) tax",
        lambda o, v: replace(o, lines=(replace(o.lines[0], total_tax=v),)),
    ),
    (
        "line 1 (SKU TSHIRT-M) tax 'TVA'",
        lambda o, v: replace(o, lines=(replace(o.lines[0], taxes=(replace(VAT, amount=v),)),)),
    ),
    (
        "line 1 (SKU TSHIRT-M) eco-tax",
        lambda o, v: replace(o, lines=(replace(o.lines[0], ecotax=v),)),
    ),
    (
        "shipping line 1 (Colissimo) total",
        lambda o, v: replace(
            o, shipping_lines=(ShippingLine("s", "flat_rate", "Colissimo", v, Decimal(0)),)
        ),
    ),
    (
        "shipping line 1 (Colissimo) tax",
        lambda o, v: replace(
            o, shipping_lines=(ShippingLine("s", "flat_rate", "Colissimo", Decimal(5), v),)
        ),
    ),
    (
        "fee 1 ('Emballage') total",
        lambda o, v: replace(o, fee_lines=(FeeLine("f", "Emballage", v, Decimal(0)),)),
    ),
    (
        "coupon 'PROMO' discount",
        lambda o, v: replace(o, coupons=(OrderCoupon("PROMO", v, Decimal(0)),)),
    ),
    ("gift card 'GC-1' amount", lambda o, v: replace(o, gift_cards=(OrderGiftCard("GC-1", v),))),
    (
        "payment 1 (stripe) amount",
        lambda o, v: replace(o, payments=(OrderPayment("stripe", "Carte", v),)),
    ),
    ("discount total", lambda o, v: replace(o, discount_total=v)),
    ("total tax", lambda o, v: replace(o, total_tax=v)),
    ("total", lambda o, v: replace(o, total=v)),
]


@settings(max_examples=200, deadline=None)
@given(
    field=st.sampled_from(AMOUNT_FIELDS),
    value=st.sampled_from(BAD_AMOUNTS),
    sign=st.sampled_from([1, -1]),
)
def test_an_amount_not_finite_or_out_of_range_is_set_aside_naming_its_field(
    field: tuple[str, object], value: Decimal, sign: int
) -> None:
    name, put = field
    value = value.copy_sign(sign) if value.is_finite() else value
    message = refused(put(an_order(), value))  # type: ignore[operator]
    shown = f"{value:f}" if value.is_finite() and value.adjusted() < 40 else str(value)
    assert f": {name} {shown[:30]}" in message, message
    assert "not a number" in message or "out of range" in message
    assert "correct the order in the shop" in message


PAID_FIELDS = [
    f
    for f in AMOUNT_FIELDS
    if f[0] in ("total", "payment 1 (stripe) amount", "gift card 'GC-1' amount")
]


@settings(max_examples=200, deadline=None)
@given(
    field=st.sampled_from(PAID_FIELDS),
    currency=st.sampled_from(sorted(ISO_4217)),
    cents=st.integers(1, 10**9),
    extra=st.integers(1, 9),
)
def test_money_paid_with_more_decimals_than_its_currency_is_set_aside(
    field: tuple[str, object], currency: str, cents: int, extra: int
) -> None:
    name, put = field
    digits = ISO_4217[currency]
    value = Decimal(cents * 10 + extra).scaleb(-digits - 1)  # one decimal too many
    message = refused(put(an_order(currency=currency), value))  # type: ignore[operator]
    assert f"{name} {value:f}: more decimals than {currency} allows ({digits})" in message


def test_a_line_amount_with_many_decimals_is_not_money_paid_and_passes() -> None:
    """WooCommerce's per-line taxes and PrestaShop's "round on the total" line amounts
    carry more decimals than the currency: only money that changes hands is held to it."""
    line = replace(
        sale_line(),
        total=Decimal("16.666667"),
        subtotal=Decimal("16.666667"),
        taxes=(replace(VAT, amount=Decimal("3.333333")),),
    )
    check_order(an_order(line, total=Decimal("20.00")), OPTIONS, FACTS)
    check_order(an_order(currency="JPY", total=Decimal("2400.0000")), OPTIONS, FACTS)


@pytest.mark.parametrize("quantity", ["-3", "-0.5", "0"])
def test_a_sale_line_needs_a_quantity_above_zero(quantity: str) -> None:
    order = an_order(sale_line(), sale_line(quantity, "-60.00" if quantity != "0" else "5.00"))
    message = refused(order)
    assert message == (
        f"order 1042: line 2 (SKU TSHIRT-M) quantity {quantity}: a sale line needs a "
        "quantity above 0; correct the order in the shop (a return is recorded as a refund)"
    )


@pytest.mark.parametrize("quantity", ["NaN", "sNaN", "Infinity", "1E+9", "1E+40", "1E+999999999"])
def test_a_quantity_not_finite_or_out_of_range_is_set_aside(quantity: str) -> None:
    message = refused(an_order(sale_line(quantity)))
    assert message.startswith("order 1042: line 1 (SKU TSHIRT-M) quantity ")
    assert ": not a quantity a sale line can have (a number below 1,000,000,000)" in message


def test_several_bad_fields_are_all_named_in_one_message() -> None:
    order = an_order(sale_line("-3"), total=Decimal("NaN"))
    message = refused(order)
    assert "line 1 (SKU TSHIRT-M) quantity -3" in message
    assert "total NaN: not a number" in message


def test_an_unknown_currency_is_set_aside_naming_it() -> None:
    message = refused(an_order(currency="XXY"))
    assert message == (
        "order 1042: currency 'XXY' is not an ISO 4217 currency code; correct the shop's "
        "currency, or map it in orders.currencies to the back-office's currency"
    )
    assert "not an ISO 4217" in refused(an_order(currency=""))


def test_a_currency_the_back_office_lacks_is_set_aside_naming_it() -> None:
    facts = replace(FACTS, currencies=frozenset({"EUR", "USD"}))
    message = refused(an_order(currency="CHF"), facts)
    assert message.startswith("order 1042: currency 'CHF' is not defined in the back-office")
    check_order(an_order(currency="USD"), OPTIONS, facts)
    # Unread currencies (None) are not checked; an ISO code is still required.
    check_order(an_order(currency="CHF"), OPTIONS, replace(FACTS, currencies=None))


def test_a_shop_code_mapped_by_the_profile_is_read_as_its_target() -> None:
    """WooCommerce offers non-ISO codes (IRT, PRB, GGP): orders.currencies maps them."""
    options = OPTIONS.model_copy(update={"currencies": {"GGP": "GBP"}})
    check_order(an_order(currency="GGP"), options, FACTS)
    assert "not an ISO 4217" in refused(an_order(currency="GGP"))
    wrong = OPTIONS.model_copy(update={"currencies": {"GGP": "XXY"}})
    assert "mapped by orders.currencies to 'XXY'" in refused(
        an_order(currency="GGP"), options=wrong
    )
    # The target's minor unit applies: JPY has none.
    yen = OPTIONS.model_copy(update={"currencies": {"YEN": "JPY"}})
    assert "more decimals than JPY allows (0)" in refused(
        an_order(currency="YEN", total=Decimal("24.50")), options=yen
    )


# -- through the mapping entry points -------------------------------------------------


def test_build_sales_sets_the_30_digit_line_total_aside_before_any_arithmetic() -> None:
    order = an_order(replace(sale_line(), total=HUGE, subtotal=HUGE))
    with pytest.raises(OrderProblem) as caught:
        build_sales(
            order, OPTIONS, FACTS, document_type="order", external_key="k", party_code="WEB000530"
        )
    assert caught.value.severity == "error"
    assert (
        f"order 1042: line 1 (SKU TSHIRT-M) subtotal {HUGE}: out of range" in caught.value.message
    )
    assert f"line 1 (SKU TSHIRT-M) total {HUGE}: out of range" in caught.value.message


def test_build_sales_sets_a_negative_quantity_aside_instead_of_writing_a_return_line() -> None:
    order = an_order(sale_line(), sale_line("-3", "-60.00"))
    with pytest.raises(OrderProblem, match=r"line 2 \(SKU TSHIRT-M\) quantity -3: a sale "):
        build_sales(
            order, OPTIONS, FACTS, document_type="order", external_key="k", party_code="WEB000530"
        )


def test_the_line_arithmetic_itself_never_raises_on_a_30_digit_amount() -> None:
    """Below the sanity check, rounding a huge amount is exact, not InvalidOperation."""
    order = an_order(replace(sale_line("1"), total=HUGE, subtotal=HUGE))
    try:
        result = build_lines(
            order,
            OPTIONS,
            FACTS,
            products=order.lines,
            shipping=(),
            with_order_level=False,
            unallocated_discount=Decimal(0),
        )
    except InvalidOperation as exc:  # pragma: no cover - the defect this guards against
        raise AssertionError("rounding a 30-digit amount raised InvalidOperation") from exc
    assert result.lines and all(ln.unit_price.is_finite() for ln in result.lines)


def test_rounding_to_the_cent_is_exact_however_large_the_amount() -> None:
    assert cents(Decimal("123456789012345678901234567890.005")) == Decimal(
        "123456789012345678901234567890.01"
    )
    assert tryton_round(Decimal("-123456789012345678901234567890.005")) == Decimal(
        "-123456789012345678901234567890.00"
    )
    # Too wide to be money: left as it is (the sanity check refuses it), not expanded.
    assert cents(Decimal("1E+999999999")) == Decimal("1E+999999999")
    assert cents(Decimal("NaN")).is_nan()


def test_build_refund_sets_a_bad_refund_aside_naming_its_field() -> None:
    order = an_order()
    refund = OrderRefund(
        "77",
        WHEN,
        Decimal("12.345"),
        lines=(RefundLine("11", "TSHIRT-M", "T-shirt", Decimal("1"), Decimal("NaN"), Decimal(0)),),
    )
    with pytest.raises(OrderProblem) as caught:
        build_refund(
            order,
            refund,
            OPTIONS,
            FACTS,
            external_key="k/refund/77",
            origin_key="k",
            party_code="WEB000530",
        )
    message = caught.value.message
    assert caught.value.severity == "error"
    assert message.startswith("order 1042, refund 77: line 1 (SKU TSHIRT-M) total NaN")
    assert "amount 12.345: more decimals than EUR allows (2)" in message
