"""Order → sale rules: accounts (O4), misc item (O8), taxes (O10), payments (O11), money."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import ROUND_HALF_UP, Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from passerelle.flows.order_mapping import OrderProblem, account_code, build_sale, customer_for
from passerelle.model import Address, Order, OrderLine, OrderStatus, ShippingLine, TaxLine
from passerelle.profiles.schema import OrderOptions

TAX_IDS = {"TVA 20 %": "1", "TVA 5,5 %": "3"}
CENT = Decimal("0.01")


def options(**changes: object) -> OrderOptions:
    base: dict[str, object] = {
        "shipping_item": "SHIPPING",
        "misc_item": "MISC",
        "taxes": [{"shop_rate": "20", "tax": "TVA 20 %"},
                  {"shop_label": "TVA réduite", "tax": "TVA 5,5 %"}],
        "payments": {"stripe": {"journal": "WEB-CARD"}},
    }
    base.update(changes)
    return OrderOptions.model_validate(base)


def vat(amount: str, rate: str = "20", label: str = "TVA") -> TaxLine:
    return TaxLine(shop_tax_id="1", label=label, rate=Decimal(rate) / 100, amount=Decimal(amount))


def order(*lines: OrderLine, customer_id: str | None = "530", **changes: object) -> Order:
    data: dict[str, object] = dict(
        source_id="1234",
        number="1234",
        status=OrderStatus.PROCESSING,
        shop_status="processing",
        currency="EUR",
        created_at=datetime(2026, 11, 2, 10, 30, tzinfo=UTC),
        total=Decimal("0"),
        total_tax=Decimal("0"),
        customer_id=customer_id,
        billing=Address(first_name="Jeanne", last_name="Martin", street="12 rue des Lilas",
                        postal_code="75011", city="Paris", country_code="FR",
                        email="jeanne@example.org"),
        shipping=Address(),
        lines=lines,
        payment_method="stripe",
        payment_method_title="Carte",
        paid_at=datetime(2026, 11, 2, 10, 31, tzinfo=UTC),
    )
    data.update(changes)
    return Order(**data)  # type: ignore[arg-type]


def line(reference: str, quantity: str, total: str, tax: str, **kw: object) -> OrderLine:
    return OrderLine(source_id="1", reference=reference, name=f"name of {reference}",
                     quantity=Decimal(quantity), subtotal=Decimal(total), total=Decimal(total),
                     total_tax=Decimal(tax), taxes=(vat(tax),), **kw)  # type: ignore[arg-type]


def build(o: Order, opts: OrderOptions | None = None, codes: set[str] | None = None):  # noqa: ANN201
    return build_sale(o, opts or options(), document_type="order",
                      item_codes=codes if codes is not None else {"POT-001"},
                      tax_ids=TAX_IDS, external_key="shop#1234")


def test_account_code_is_prefix_plus_padded_id_as_the_spec_example() -> None:
    assert account_code(options(), order()) == "WEB000530"
    assert account_code(options(), order(customer_id=None)) == "WEBGUEST"
    assert customer_for(options(), order(customer_id=None)).code == "WEBGUEST"


@given(prefix=st.text("ABCDEFWX", min_size=0, max_size=5),
       customer=st.integers(min_value=1, max_value=10**12),
       length=st.integers(min_value=1, max_value=20))
def test_account_code_keeps_the_whole_id_and_pads_to_length(
    prefix: str, customer: int, length: int
) -> None:
    code = account_code(options(account_prefix=prefix, account_length=length),
                        order(customer_id=str(customer)))
    assert code.startswith(prefix)
    assert int(code[len(prefix):]) == customer
    assert len(code) == max(length, len(prefix) + len(str(customer)))


def test_known_reference_shipping_and_payment_become_the_sale() -> None:
    o = order(
        line("POT-001", "2", "49.80", "9.96"),
        shipping_lines=(ShippingLine("9", "flat_rate", "Colissimo", Decimal("5.90"),
                                     Decimal("1.18"), (vat("1.18"),)),),
        total=Decimal("66.84"),
    )
    sale = build(o)
    assert sale.party_code == "WEB000530"
    assert [(x.item_code, x.quantity, x.unit_price, x.tax_ids) for x in sale.lines] == [
        ("POT-001", Decimal("2"), Decimal("24.9000"), ("1",)),
        ("SHIPPING", Decimal("1"), Decimal("5.90"), ("1",)),
    ]
    assert sale.description == "Web 1234 - Jeanne Martin"
    assert sale.payments[0].journal == "WEB-CARD"
    assert sale.payments[0].amount == Decimal("66.84")
    assert sale.expected_total == Decimal("66.84")


def test_unknown_reference_goes_on_the_misc_item_with_its_shop_label() -> None:
    sale = build(order(line("ZZZ-404", "1", "10.00", "2.00")))
    assert sale.lines[0].item_code == "MISC"
    assert sale.lines[0].description == "ZZZ-404 name of ZZZ-404"
    assert sale.lines[0].unit_price == Decimal("10.0000")


def test_unknown_reference_without_misc_item_names_order_and_reference() -> None:
    with pytest.raises(OrderProblem) as caught:
        build(order(line("ZZZ-404", "1", "10.00", "2.00")), options(misc_item=None))
    assert "order 1234" in caught.value.message
    assert "'ZZZ-404'" in caught.value.message
    assert "orders.misc_item" in caught.value.message


def test_missing_tax_mapping_names_order_and_the_shop_tax() -> None:
    o = order(OrderLine("1", "POT-001", "x", Decimal(1), Decimal(10), Decimal(10),
                        Decimal("1.00"), (vat("1.00", "10", "TVA 10"),)))
    with pytest.raises(OrderProblem) as caught:
        build(o)
    assert "order 1234" in caught.value.message
    assert "'TVA 10' (10 %)" in caught.value.message
    assert "orders.taxes" in caught.value.message


def test_tax_matched_by_label_when_no_rate_is_given() -> None:
    o = order(OrderLine("1", "POT-001", "x", Decimal(1), Decimal(10), Decimal(10),
                        Decimal("0.55"), (TaxLine("2", "TVA réduite", None, Decimal("0.55")),)))
    assert build(o).lines[0].tax_ids == ("3",)


def test_missing_payment_mapping_names_order_and_method() -> None:
    with pytest.raises(OrderProblem) as caught:
        build(order(line("POT-001", "1", "24.90", "4.98"), payment_method="paypal",
                    payment_method_title="PayPal", total=Decimal("29.88")))
    assert "order 1234" in caught.value.message
    assert "'paypal'" in caught.value.message


def test_unpaid_order_gets_no_payment() -> None:
    o = order(line("POT-001", "1", "24.90", "4.98"), paid_at=None,
              status=OrderStatus.ON_HOLD, shop_status="on-hold", payment_method="paypal")
    assert build(o).payments == ()


@given(
    quantity=st.integers(min_value=1, max_value=99),
    total_cents=st.integers(min_value=0, max_value=10**7),
)
def test_line_unit_price_gives_back_the_shop_line_total_to_the_cent(
    quantity: int, total_cents: int
) -> None:
    """A back-office computes qty × unit price rounded to the cent: it must be the shop's total.

    Unit prices carry 4 decimals, so for quantities under 100 the rounding
    error stays under half a cent; larger quantities are caught by the total
    check of the back-office connector instead.
    """
    total = Decimal(total_cents) / 100
    sale = build(order(line("POT-001", str(quantity), str(total), "0.00")))
    unit = sale.lines[0].unit_price
    assert (unit * quantity).quantize(CENT, rounding=ROUND_HALF_UP) == total
