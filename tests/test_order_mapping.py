"""Order → documents rules: accounts (O4, O5), items (O8), taxes (O10), payments (O11, O15),
discounts per VAT code (O14), gift cards and fees (O25), eco-tax (O16), addresses (O13, O23),
tax rules (O9), dates (O7), grouping (O17) and refunds (O28)."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from passerelle.connectors.tryton.arithmetic import TRYTON_ARITHMETIC, document_totals
from passerelle.flows.order_mapping import (
    BackOfficeFacts,
    OrderProblem,
    account_code,
    build_refund,
    build_sales,
    customer_for,
    group_sales,
    normalise_text,
    receivable_code,
)
from passerelle.model import (
    Address,
    Order,
    OrderCoupon,
    OrderGiftCard,
    OrderLine,
    OrderNote,
    OrderPayment,
    OrderRefund,
    OrderStatus,
    RefundLine,
    SaleLineKind,
    ShippingLine,
    Tax,
    TaxLine,
)
from passerelle.profiles.schema import OrderOptions

TAXES = {
    "TVA 20 %": Tax("1", "TVA 20 %", Decimal("0.20")),
    "TVA 5,5 %": Tax("3", "TVA 5,5 %", Decimal("0.055")),
}
TAX_IDS = {name: tax.source_id for name, tax in TAXES.items()}
CENT = Decimal("0.01")
CODES = frozenset({"POT-001", "TEA-001", "DISC20", "DISC55", "DISC-FID", "SUBST", "CHO-001"})


def options(**changes: object) -> OrderOptions:
    base: dict[str, object] = {
        "shipping_item": "SHIPPING",
        "misc_item": "MISC",
        "gift_wrap_item": "GIFTWRAP",
        "gap_item": "GAP",
        "gift_card_item": "GIFTCARD",
        "discount_items": {"TVA 20 %": "DISC20", "TVA 5,5 %": "DISC55"},
        "taxes": [
            {"shop_rate": "20", "tax": "TVA 20 %"},
            {"shop_label": "TVA réduite", "tax": "TVA 5,5 %"},
        ],
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
        billing=Address(
            first_name="Jeanne",
            last_name="Martin",
            street="12 rue des Lilas",
            postal_code="75011",
            city="Paris",
            country_code="FR",
            email="jeanne@example.org",
        ),
        shipping=Address(),
        lines=lines,
        payment_method="stripe",
        payment_method_title="Carte",
        paid_at=datetime(2026, 11, 2, 10, 31, tzinfo=UTC),
    )
    data.update(changes)
    if "total" not in changes:  # what the shop would say: lines, shipping, fees, gift cards
        parts = [(x.total + x.total_tax) for x in lines]
        parts += [(x.total + x.total_tax) for x in data.get("shipping_lines", ())]  # type: ignore[attr-defined]
        parts += [(x.total + x.total_tax) for x in data.get("fee_lines", ())]  # type: ignore[attr-defined]
        parts += [-g.amount for g in data.get("gift_cards", ())]  # type: ignore[attr-defined]
        data["total"] = sum(parts, Decimal(0))
        data["total_tax"] = sum((x.total_tax for x in lines), Decimal(0))
    return Order(**data)  # type: ignore[arg-type]


def line(reference: str, quantity: str, total: str, tax: str, **kw: object) -> OrderLine:
    subtotal = kw.pop("subtotal", total)
    return OrderLine(
        source_id=kw.pop("source_id", "1"),
        reference=reference,  # type: ignore[arg-type]
        name=f"name of {reference}",
        quantity=Decimal(quantity),
        subtotal=Decimal(str(subtotal)),
        total=Decimal(total),
        total_tax=Decimal(tax),
        taxes=kw.pop("taxes", (vat(tax),)),  # type: ignore[arg-type]
        **kw,
    )  # type: ignore[arg-type]


def facts(**changes: object) -> BackOfficeFacts:
    data: dict[str, object] = {
        "item_codes": CODES,
        "taxes": TAXES,
        "today": date(2026, 11, 24),
        "arithmetic": TRYTON_ARITHMETIC,
    }
    data.update(changes)
    return BackOfficeFacts(**data)  # type: ignore[arg-type]


def build_all(o: Order, opts: OrderOptions | None = None, **fact_changes: object):  # noqa: ANN201
    return build_sales(
        o,
        opts or options(),
        facts(**fact_changes),
        document_type="order",
        external_key="shop#1234",
        party_code=account_code(opts or options(), o),
    )


def build(o: Order, opts: OrderOptions | None = None, **fact_changes: object):  # noqa: ANN201
    (sale,) = build_all(o, opts, **fact_changes)
    return sale


def totals(sale):  # noqa: ANN001, ANN201
    specs = facts().tax_specs()
    return document_totals(((ln.quantity, ln.unit_price, ln.tax_ids) for ln in sale.lines), specs)


def test_account_code_is_prefix_plus_padded_id_as_the_spec_example() -> None:
    assert account_code(options(), order()) == "WEB000530"
    assert account_code(options(), order(customer_id=None)) == "WEBGUEST"
    assert customer_for(options(), order(customer_id=None)).code == "WEBGUEST"


@given(
    prefix=st.text("ABCDEFWX", min_size=0, max_size=5),
    customer=st.integers(min_value=1, max_value=10**12),
    length=st.integers(min_value=1, max_value=20),
)
def test_account_code_keeps_the_whole_id_and_pads_to_length(
    prefix: str, customer: int, length: int
) -> None:
    code = account_code(
        options(account_prefix=prefix, account_length=length), order(customer_id=str(customer))
    )
    assert code.startswith(prefix)
    assert int(code[len(prefix) :]) == customer
    assert len(code) == max(length, len(prefix) + len(str(customer)))


def test_known_reference_shipping_and_payment_become_the_sale() -> None:
    o = order(
        line("POT-001", "2", "49.80", "9.96"),
        shipping_lines=(
            ShippingLine(
                "9", "flat_rate", "Colissimo", Decimal("5.90"), Decimal("1.18"), (vat("1.18"),)
            ),
        ),
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


def test_missing_tax_mapping_names_order_and_the_shop_tax() -> None:
    o = order(
        OrderLine(
            "1",
            "POT-001",
            "x",
            Decimal(1),
            Decimal(10),
            Decimal(10),
            Decimal("1.00"),
            (vat("1.00", "10", "TVA 10"),),
        )
    )
    with pytest.raises(OrderProblem) as caught:
        build(o)
    assert "order 1234" in caught.value.message
    assert "'TVA 10' (10 %)" in caught.value.message
    assert "orders.taxes" in caught.value.message


def test_tax_matched_by_label_when_no_rate_is_given() -> None:
    o = order(
        OrderLine(
            "1",
            "POT-001",
            "x",
            Decimal(1),
            Decimal(10),
            Decimal(10),
            Decimal("0.55"),
            (TaxLine("2", "TVA réduite", None, Decimal("0.55")),),
        )
    )
    assert build(o).lines[0].tax_ids == ("3",)


def test_missing_payment_mapping_names_order_and_method() -> None:
    with pytest.raises(OrderProblem) as caught:
        build(
            order(
                line("POT-001", "1", "24.90", "4.98"),
                payment_method="paypal",
                payment_method_title="PayPal",
                total=Decimal("29.88"),
            )
        )
    assert "order 1234" in caught.value.message
    assert "'paypal'" in caught.value.message


def test_unpaid_order_gets_no_payment() -> None:
    o = order(
        line("POT-001", "1", "24.90", "4.98"),
        paid_at=None,
        status=OrderStatus.ON_HOLD,
        shop_status="on-hold",
        payment_method="paypal",
    )
    assert build(o).payments == ()


@given(
    quantity=st.integers(min_value=1, max_value=999),
    total_cents=st.integers(min_value=0, max_value=10**7),
)
def test_line_amount_in_the_back_office_is_the_shop_line_total_to_the_cent(
    quantity: int, total_cents: int
) -> None:
    """A back-office computes qty × unit price rounded to the cent: the untaxed amount of
    the product line, and of its rounding line when the 4-decimal unit price cannot give
    the amount, must be the shop's line total."""
    total = Decimal(total_cents) / 100
    sale = build(order(line("POT-001", str(quantity), str(total), "0.00", taxes=())))
    assert totals(sale).untaxed == total
    assert sale.lines[0].quantity == quantity
    assert all(x.kind is SaleLineKind.GAP for x in sale.lines[1:])


# --------------------------------------------------------------------------
# O14: discounts per VAT code, coupons naming their item
# --------------------------------------------------------------------------


def _discounted_order(**changes: object) -> Order:
    data: dict[str, object] = {
        "coupons": (OrderCoupon("bienvenue10", Decimal("6.12"), Decimal("1.05")),),
        "discount_total": Decimal("6.12"),
    }
    data.update(changes)
    return order(
        line("POT-001", "2", "44.82", "8.96", subtotal="49.80", source_id="1"),
        line(
            "TEA-001",
            "1",
            "10.23",
            "0.56",
            subtotal="11.37",
            source_id="2",
            taxes=(vat("0.56", "5.5", "TVA réduite"),),
        ),
        **data,
    )


def test_order_discount_becomes_one_line_per_vat_code_on_its_discount_item() -> None:
    sale = build(_discounted_order())
    products = [x for x in sale.lines if x.kind is SaleLineKind.PRODUCT]
    assert [(x.item_code, x.unit_price) for x in products] == [
        ("POT-001", Decimal("24.9000")),
        ("TEA-001", Decimal("11.3700")),
    ]
    discounts = [
        (x.item_code, x.unit_price, x.tax_ids, x.description)
        for x in sale.lines
        if x.kind is SaleLineKind.DISCOUNT
    ]
    assert discounts == [
        ("DISC20", Decimal("-4.9800"), ("1",), "Discount bienvenue10 (TVA 20 %)"),
        ("DISC55", Decimal("-1.1400"), ("3",), "Discount bienvenue10 (TVA 5,5 %)"),
    ]
    result = totals(sale)
    assert result.bases == {"1": Decimal("44.82"), "3": Decimal("10.23")}
    assert result.total == sale.expected_total == Decimal("64.57")


def test_net_prices_option_folds_the_discount_into_the_lines() -> None:
    sale = build(_discounted_order(), options(discount_mode="net_prices"))
    assert [x.kind for x in sale.lines] == [SaleLineKind.PRODUCT, SaleLineKind.PRODUCT]
    assert [x.unit_price for x in sale.lines] == [Decimal("22.4100"), Decimal("10.2300")]


def test_coupon_description_names_the_item_of_its_discount_lines() -> None:
    o = _discounted_order(
        coupons=(
            OrderCoupon("fidelite", Decimal("6.12"), Decimal("1.05"), "Offre fidélité [DISC-FID]"),
        )
    )
    assert {x.item_code for x in build(o).lines if x.kind is SaleLineKind.DISCOUNT} == {"DISC-FID"}
    o = _discounted_order(coupons=(OrderCoupon("x", Decimal("6.12"), Decimal(0), "[NOPE]"),))
    with pytest.raises(OrderProblem, match="coupon 'x' names item 'NOPE'"):
        build(o)


def test_an_order_level_discount_the_shop_did_not_allocate_is_split_pro_rata() -> None:
    """A shop that gives only the order's discount: the split follows each rate's base."""
    o = order(
        line("POT-001", "1", "75.00", "13.50"),
        line("TEA-001", "1", "25.00", "1.24", taxes=(vat("1.24", "5.5", "TVA réduite"),)),
        discount_total=Decimal("10.00"),
        total=Decimal("104.74"),
    )
    sale = build(o, options(total_tolerance="0.05"))
    discounts = [(x.item_code, x.unit_price) for x in sale.lines if x.kind is SaleLineKind.DISCOUNT]
    assert discounts == [("DISC20", Decimal("-7.5000")), ("DISC55", Decimal("-2.5000"))]


# --------------------------------------------------------------------------
# O25, O16, O8: gift cards, fees, eco-tax, substitutes, labels, zero lines
# --------------------------------------------------------------------------


def test_gift_cards_gift_wrap_and_fees_are_lines_of_their_own() -> None:
    from passerelle.model import FeeLine

    o = order(
        line("POT-001", "1", "24.90", "4.98"),
        fee_lines=(
            FeeLine("7", "Emballage cadeau", Decimal("3.00"), Decimal("0.60"), (vat("0.60"),)),
            FeeLine("8", "Frais de dossier", Decimal("1.00"), Decimal("0.20"), (vat("0.20"),)),
        ),
        gift_cards=(OrderGiftCard("GC-77", Decimal("10.00")),),
    )
    sale = build(o)
    assert [(x.item_code, x.unit_price, x.tax_ids, x.kind) for x in sale.lines[1:]] == [
        ("GIFTWRAP", Decimal("3.0000"), ("1",), SaleLineKind.GIFT_WRAP),
        ("MISC", Decimal("1.0000"), ("1",), SaleLineKind.FEE),
        ("GIFTCARD", Decimal("-10.0000"), (), SaleLineKind.GIFT_CARD),
    ]
    assert totals(sale).total == o.total == Decimal("24.68")
    with pytest.raises(OrderProblem, match="orders.gift_card_item"):
        build(o, options(gift_card_item=None))


def test_ecotax_on_its_own_line_when_asked() -> None:
    o = order(line("POT-001", "2", "49.80", "9.96", ecotax=Decimal("0.50")))
    assert [(x.item_code, x.quantity, x.unit_price) for x in build(o).lines] == [
        ("POT-001", Decimal(2), Decimal("24.9000"))
    ]
    sale = build(o, options(ecotax_mode="separate_line", ecotax_item="ECOTAX"))
    assert [(x.item_code, x.quantity, x.unit_price, x.tax_ids) for x in sale.lines] == [
        ("POT-001", Decimal(2), Decimal("24.4000"), ("1",)),
        ("ECOTAX", Decimal(2), Decimal("0.5000"), ("1",)),
    ]
    assert totals(sale).total == o.total


def test_substitute_item_for_withdrawn_and_out_of_stock_references() -> None:
    o = order(line("OLD-001", "1", "39.00", "7.80"), line("CHO-001", "4", "15.16", "3.03"))
    opts = options(substitute_item="SUBST", substitute_when=["inactive", "out_of_stock"])
    sale = build(o, opts, retired_codes=frozenset({"OLD-001"}), quantities={"CHO-001": Decimal(0)})
    assert [(x.item_code, x.description) for x in sale.lines] == [
        ("SUBST", "OLD-001 name of OLD-001 (withdrawn)"),
        ("SUBST", "CHO-001 name of CHO-001 (out of stock)"),
    ]
    # Without the option, a withdrawn item is an unknown reference: the misc item.
    assert build(o, retired_codes=frozenset({"OLD-001"})).lines[0].item_code == "MISC"


def test_backoffice_labels_leave_the_description_to_the_back_office() -> None:
    sale = build(order(line("POT-001", "1", "24.90", "4.98")), options(backoffice_labels=True))
    assert sale.lines[0].description == ""


def test_free_shipping_is_written_only_with_the_zero_amount_option() -> None:
    free = (ShippingLine("9", "free_shipping", "Offerte", Decimal(0), Decimal(0), ()),)
    o = order(line("POT-001", "1", "24.90", "4.98"), shipping_lines=free)
    assert [x.item_code for x in build(o).lines] == ["POT-001"]
    assert [x.item_code for x in build(o, options(zero_amount_lines=True)).lines] == [
        "POT-001",
        "SHIPPING",
    ]


def test_shipping_as_the_back_office_shipment_cost() -> None:
    o = order(
        line("POT-001", "1", "24.90", "4.98"),
        shipping_lines=(
            ShippingLine(
                "9", "flat_rate", "Colissimo", Decimal("5.90"), Decimal("1.18"), (vat("1.18"),)
            ),
        ),
    )
    shipping = build(o, options(shipping_mode="shipment_cost")).lines[-1]
    assert shipping.item_code == "SHIPPING" and shipping.shipment_cost


# --------------------------------------------------------------------------
# O7, O9, O12, O13, O23, O26: the document header
# --------------------------------------------------------------------------


def test_document_date_from_order_invoice_or_today() -> None:
    o = order(
        line("POT-001", "1", "24.90", "4.98"), invoiced_at=datetime(2026, 11, 5, 9, tzinfo=UTC)
    )
    assert build(o).sale_date == date(2026, 11, 2)
    assert build(o, options(date_source="invoice")).sale_date == date(2026, 11, 5)
    assert build(o, options(date_source="today")).sale_date == date(2026, 11, 24)


def test_tax_zone_picks_the_rule_for_taxed_and_untaxed_orders() -> None:
    zones = [
        {"country": "", "without_tax": "Autoliquidation UE"},
        {"country": "US", "without_tax": "Export hors UE"},
        {"country": "CA", "subdivision": "QC", "with_tax": "Québec"},
    ]
    us = Address(street="1 Main St", city="Boston", postal_code="02101", country_code="US")
    exported = order(line("POT-001", "1", "24.90", "0.00", taxes=()), shipping=us)
    sale = build(exported, options(tax_zones=zones))
    assert sale.tax_rule == "Export hors UE"
    assert sale.lines[0].item_taxes  # the item's own VAT, then the rule turns it to 0 %
    be = replace_address(us, country_code="BE")
    assert (
        build(
            order(line("POT-001", "1", "24.90", "0.00", taxes=()), shipping=be),
            options(tax_zones=zones),
        ).tax_rule
        == "Autoliquidation UE"
    )
    taxed_fr = build(order(line("POT-001", "1", "24.90", "4.98")), options(tax_zones=zones))
    assert taxed_fr.tax_rule is None and not taxed_fr.lines[0].item_taxes


def replace_address(address: Address, **changes: str) -> Address:
    from dataclasses import replace

    return replace(address, **changes)


def test_currency_mapping_and_carrier_mapping() -> None:
    o = order(
        line("POT-001", "1", "24.90", "4.98"),
        currency="USD",
        shipping_lines=(
            ShippingLine(
                "9", "flat_rate", "Colissimo", Decimal("5.90"), Decimal("1.18"), (vat("1.18"),)
            ),
        ),
    )
    sale = build(
        o,
        options(
            currencies={"USD": "USD"},
            carriers={"flat_rate": "Colissimo"},
            payments={
                "stripe": {"journal": "WEB-CARD", "journals_by_currency": {"USD": "WEB-CARD-USD"}}
            },
        ),
    )
    assert sale.currency == "USD"
    assert sale.carrier == "Colissimo"
    assert sale.payments[0].journal == "WEB-CARD-USD"


def test_addresses_per_document_type() -> None:
    shipping = Address(
        first_name="Paul",
        last_name="Martin",
        street="1 quai",
        city="Lyon",
        postal_code="69001",
        country_code="FR",
    )
    o = order(line("POT-001", "1", "24.90", "4.98"), shipping=shipping)
    sale = build(o)
    assert sale.invoice_address == o.billing and sale.shipment_address == shipping
    opts = options(
        addresses_by_type={"order": {"invoice": "customer_billing", "shipment": "shop_billing"}}
    )
    sale = build(o, opts)
    assert sale.invoice_address is None  # the back-office customer's own invoice address
    assert sale.shipment_address == o.billing


def test_several_delivery_addresses_make_one_document_each() -> None:
    lyon = Address(
        first_name="Paul", street="1 quai", city="Lyon", postal_code="69001", country_code="FR"
    )
    nice = Address(
        first_name="Anne", street="2 promenade", city="Nice", postal_code="06000", country_code="FR"
    )
    o = order(
        line("POT-001", "2", "49.80", "9.96", ship_to=lyon, source_id="1"),
        line("TEA-001", "1", "11.37", "2.27", ship_to=nice, source_id="2"),
    )
    first, second = build_all(o)
    assert (first.external_key, second.external_key) == ("shop#1234/1", "shop#1234/2")
    assert first.shipment_address == lyon and second.shipment_address == nice
    assert [x.item_code for x in first.lines] == ["POT-001"]
    assert [x.item_code for x in second.lines] == ["TEA-001"]
    assert first.expected_total + second.expected_total == o.total
    assert sum((p.amount for s in (first, second) for p in s.payments), Decimal(0)) == o.total
    assert len(build_all(o, options(split_by_address=False))) == 1


def test_keep_shop_number_and_templates() -> None:
    o = order(line("POT-001", "1", "24.90", "4.98"), customer_note="Sonner deux fois")
    sale = build(
        o, options(keep_shop_number=True, reference_template="Web %ON", comment_template="%NOTE")
    )
    assert sale.number == "1234" and sale.reference == "Web 1234"
    assert sale.comment == "Sonner deux fois"
    assert build(o).number == ""


def test_messages_the_shop_sent_the_buyer_are_customer_messages() -> None:
    """O16: WooCommerce's "customer notes" are the shop's messages to the buyer; with
    ``customer_messages`` they reach the comment, like the buyer's own messages."""
    notes = (
        OrderNote("Votre commande part demain."),
        OrderNote("Pouvez-vous emballer le thé à part ?", from_customer=True),
        OrderNote("Client fidèle : échantillon.", private=True),
    )
    o = order(line("POT-001", "1", "24.90", "4.98"), customer_note="Sonner deux fois", notes=notes)
    every = build(o, options(messages=["customer_note", "customer_messages", "private_notes"]))
    assert every.comment.splitlines() == [
        "Sonner deux fois",
        "To the customer: Votre commande part demain.",
        "Customer: Pouvez-vous emballer le thé à part ?",
        "Note: Client fidèle : échantillon.",
    ]
    assert build(o, options(messages=["private_notes"])).comment == (
        "Note: Client fidèle : échantillon."
    )
    assert build(o).comment == "Sonner deux fois"


# --------------------------------------------------------------------------
# O11, O15: payments
# --------------------------------------------------------------------------


def test_marketplace_alias_and_payment_label() -> None:
    o = order(
        line("POT-001", "1", "24.90", "4.98"),
        payment_method="amazon_payments_advanced",
        payment_method_title="Amazon Pay",
        transaction_id="AMZ-1",
    )
    opts = options(
        payments={
            "amazon": {
                "journal": "WEB-CARD",
                "account": "WEBAMAZON",
                "aliases": ["amazon_payments_advanced"],
            }
        },
        payment_label_template="%CF %CL - %ON",
    )
    sale = build(o, opts)
    assert sale.payments[0].journal == "WEB-CARD"
    assert sale.payments[0].description == "Jeanne Martin - 1234"
    assert sale.payments[0].reference == "1234"


def test_one_payment_per_shop_payment_and_amount_paid_difference_on_the_gap_item() -> None:
    base = line("POT-001", "1", "24.90", "4.98")
    split = order(
        base,
        payments=(
            OrderPayment("stripe", "Carte", Decimal("20.00")),
            OrderPayment("stripe", "Carte", Decimal("9.88")),
        ),
    )
    assert [p.amount for p in build(split).payments] == [Decimal("20.00"), Decimal("9.88")]
    overpaid = order(base, payments=(OrderPayment("stripe", "Carte", Decimal("29.90")),))
    sale = build(overpaid, options(payment_amount="paid", total_tolerance="0.05"))
    assert sale.lines[-1].item_code == "GAP" and sale.lines[-1].unit_price == Decimal("0.02")
    assert sale.payments[0].amount == Decimal("29.90") == totals(sale).total


def test_payment_date_source() -> None:
    o = order(line("POT-001", "1", "24.90", "4.98"), paid_at=datetime(2026, 11, 3, 8, tzinfo=UTC))
    assert build(o).payments[0].date == date(2026, 11, 3)
    assert build(o, options(payment_date="order")).payments[0].date == date(2026, 11, 2)
    assert build(o, options(payment_date="today")).payments[0].date == date(2026, 11, 24)


# --------------------------------------------------------------------------
# K7, O4, O5, O6: customers
# --------------------------------------------------------------------------


def test_customer_names_and_addresses_normalised() -> None:
    o = order(
        line("POT-001", "1", "24.90", "4.98"),
        billing=Address(
            first_name="Élodie",
            last_name="Gérard",
            street="12 rue de l'Église",
            city="Orléans",
            postal_code="45000",
            country_code="FR",
            email="elodie@example.org",
        ),
    )
    plain = customer_for(options(), o)
    assert plain.name == "Élodie Gérard"
    shouting = customer_for(
        options(strip_accents=True, uppercase_names=True, uppercase_addresses=True), o
    )
    assert shouting.name == "ELODIE GERARD"
    assert (shouting.addresses[0].street, shouting.addresses[0].city) == (
        "12 RUE DE L'EGLISE",
        "ORLEANS",
    )
    assert normalise_text("Œuvre à Noël", strip_accents=True, upper=False) == "Œuvre a Noel"


def test_account_and_receivable_modes() -> None:
    o = order(line("POT-001", "1", "24.90", "4.98"))
    assert account_code(options(account_mode="single", single_account="WEB"), o) == "WEB"
    assert receivable_code(options(), o) == ""
    assert receivable_code(options(receivable_mode="per_customer"), o) == "411W000530"
    assert (
        receivable_code(options(receivable_mode="single", receivable_account="411WEB"), o)
        == "411WEB"
    )
    assert (
        customer_for(
            options(receivable_mode="per_customer", new_customer_category="Clients web"), o
        ).category
        == "Clients web"
    )


def test_matching_by_email_then_number_then_new_account() -> None:
    from passerelle.connectors.memory import MemoryBackOffice
    from passerelle.flows.order_customers import decide_customer
    from passerelle.model import Customer

    backoffice = MemoryBackOffice()
    backoffice.customers["C0001"] = Customer(
        "C0001", "Jeanne Martin", email="JEANNE@example.org", code="C0001"
    )
    backoffice.customers["C0008"] = Customer(
        "C0008", "Durand SARL", code="C0008", tax_identifier="FR40303265045"
    )
    o = order(line("POT-001", "1", "24.90", "4.98"))
    code, customer = decide_customer(backoffice, options(), o)
    assert code == "C0001"
    assert customer is not None and customer.name == "Jeanne Martin" and not customer.email
    by_number = order(
        line("POT-001", "1", "24.90", "4.98"), customer_tax_identifier="FR40303265045"
    )
    assert decide_customer(backoffice, options(customer_matching="number"), by_number)[0] == "C0008"
    assert decide_customer(backoffice, options(customer_matching="none"), o)[0] == "WEB000530"


# --------------------------------------------------------------------------
# O17, O28: grouped days, refunds
# --------------------------------------------------------------------------


def test_a_day_grouped_merges_identical_lines_and_payments_by_journal() -> None:
    guest = {"customer_id": None}
    a = build(
        order(
            line("TEA-001", "2", "22.74", "1.25", taxes=(vat("1.25", "5.5", "TVA réduite"),)),
            **guest,
        )
    )
    b = build(
        order(
            line("TEA-001", "2", "22.74", "1.25", taxes=(vat("1.25", "5.5", "TVA réduite"),)),
            number="1235",
            **guest,
        )
    )
    day = group_sales(
        [a, b],
        external_key="day",
        party_code="WEBDAY",
        day=date(2026, 11, 2),
        gap_item="GAP",
        taxes=facts().tax_specs(),
        arithmetic=TRYTON_ARITHMETIC,
    )
    assert [(x.item_code, x.quantity) for x in day.lines] == [("TEA-001", Decimal(4))]
    assert [(p.journal, p.amount) for p in day.payments] == [("WEB-CARD", Decimal("47.98"))]
    assert day.expected_total == Decimal("47.98") == totals(day).total
    assert day.party_code == "WEBDAY"


def test_a_refund_becomes_negative_lines_and_a_payment_back() -> None:
    o = order(
        line("POT-001", "2", "49.80", "9.96", source_id="11"),
        line(
            "TEA-001",
            "1",
            "11.37",
            "0.63",
            source_id="12",
            taxes=(vat("0.63", "5.5", "TVA réduite"),),
        ),
    )
    refund = OrderRefund(
        "901",
        datetime(2026, 11, 10, tzinfo=UTC),
        Decimal("29.88"),
        "Casserole abîmée",
        (
            RefundLine(
                "11", "POT-001", "", Decimal(1), Decimal("24.90"), Decimal("4.98"), (vat("4.98"),)
            ),
        ),
    )
    sale = build_refund(
        o,
        refund,
        options(),
        facts(),
        external_key="shop#1234/refund/901",
        origin_key="shop#1234",
        party_code="WEB000530",
    )
    assert [(x.item_code, x.quantity, x.unit_price) for x in sale.lines] == [
        ("POT-001", Decimal(-1), Decimal("24.9000"))
    ]
    assert totals(sale).total == Decimal("-29.88") == sale.expected_total
    assert sale.payments[0].amount == Decimal("-29.88")
    assert sale.sale_date == date(2026, 11, 10) and sale.origin_key == "shop#1234"
