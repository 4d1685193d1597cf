"""Order import that accounting can trust: every BackOfficeSale field, in real Tryton records."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from passerelle import demo_data
from passerelle.connectors.errors import RecordError
from passerelle.connectors.tryton.connector import TrytonBackOffice
from passerelle.connectors.tryton.database import TrytonTarget
from passerelle.model import BackOfficePayment, BackOfficeSale, DocumentType, SaleLine
from tests.tryton.builders import (
    TODAY,
    expected_total,
    item_line,
    make_sale,
    money,
    sale_record,
    tax_ids,
    tryton,
)


@pytest.fixture(scope="module")
def taxes(tryton_backoffice: TrytonBackOffice) -> dict[str, str]:
    return tax_ids(tryton_backoffice)


def _basket(taxes: dict[str, str]) -> tuple[SaleLine, ...]:
    return (
        item_line("POT-001", "2", taxes),
        item_line("TEA-001", "3", taxes),
        SaleLine("SHIPPING", "Colissimo", Decimal(1), Decimal("4.99"), (taxes["VAT20"],)),
    )


# --------------------------------------------------------------------------
# Document types (O2)
# --------------------------------------------------------------------------


def test_draft_is_only_saved(
    tryton_backoffice: TrytonBackOffice, tryton_demo: TrytonTarget, taxes: dict[str, str]
) -> None:
    lines = _basket(taxes)
    total = expected_total(lines, taxes)
    result = tryton_backoffice.create_sale(
        make_sale("o-draft", lines, document_type=DocumentType.DRAFT, expected_total=total)
    )
    assert result.state == "draft"
    assert result.number == ""  # Tryton numbers a sale when it is quoted
    assert result.total_amount == total
    assert result.invoice_numbers == ()
    with tryton(tryton_demo) as pool:
        record = sale_record(pool, result.source_id)
        assert record.state == "draft" and record.quotation_date is None
        assert [line.product.code for line in record.lines] == ["POT-001", "TEA-001", "SHIPPING"]
        assert list(record.payments) == [] and list(record.shipments) == []


def test_draft_refuses_payments_with_what_to_do(
    tryton_backoffice: TrytonBackOffice, taxes: dict[str, str]
) -> None:
    lines = _basket(taxes)
    sale = make_sale(
        "o-draft-paid",
        lines,
        document_type=DocumentType.DRAFT,
        paid=expected_total(lines, taxes),
    )
    with pytest.raises(RecordError, match="draft") as error:
        tryton_backoffice.create_sale(sale)
    assert "quotation" in str(error.value)
    assert tryton_backoffice.find_sale("o-draft-paid") is None


def test_quotation_keeps_payments_processing(
    tryton_backoffice: TrytonBackOffice, tryton_demo: TrytonTarget, taxes: dict[str, str]
) -> None:
    lines = _basket(taxes)
    total = expected_total(lines, taxes)
    result = tryton_backoffice.create_sale(
        make_sale("o-quote", lines, document_type=DocumentType.QUOTATION, paid=total)
    )
    assert result.state == "quotation" and result.number.startswith("SO")
    assert result.payments_total == total
    with tryton(tryton_demo) as pool:
        record = sale_record(pool, result.source_id)
        assert [p.state for p in record.payments] == ["processing"]
        assert record.payments[0].reference == "txn-o-quote"


def test_processed_sale_has_shipment_and_draft_invoice(
    tryton_backoffice: TrytonBackOffice, tryton_demo: TrytonTarget, taxes: dict[str, str]
) -> None:
    lines = _basket(taxes)
    total = expected_total(lines, taxes)
    result = tryton_backoffice.create_sale(
        make_sale("o-processed", lines, document_type=DocumentType.PROCESSED, paid=total)
    )
    assert result.state == "processing"
    assert result.invoice_numbers == ()  # a draft invoice has no number yet
    with tryton(tryton_demo) as pool:
        record = sale_record(pool, result.source_id)
        assert record.invoice_method == "order"
        (invoice,) = record.invoices
        assert invoice.state == "draft" and invoice.total_amount == total
        (shipment,) = record.shipments
        assert shipment.state == "waiting"
        assert sorted(m.product.code for m in shipment.outgoing_moves) == ["POT-001", "TEA-001"]
        assert [p.state for p in record.payments] == ["succeeded"]


def test_invoice_is_posted_and_paid_by_the_payment(
    tryton_backoffice: TrytonBackOffice, tryton_demo: TrytonTarget, taxes: dict[str, str]
) -> None:
    lines = _basket(taxes)
    total = expected_total(lines, taxes)
    result = tryton_backoffice.create_sale(
        make_sale("o-invoice", lines, document_type=DocumentType.INVOICE, paid=total)
    )
    (number,) = result.invoice_numbers
    assert number.startswith(f"FA{TODAY.year}-")
    with tryton(tryton_demo) as pool:
        record = sale_record(pool, result.source_id)
        (invoice,) = record.invoices
        assert invoice.number == number and invoice.total_amount == total
        assert invoice.type == "out" and invoice.invoice_date == TODAY
        # The succeeded payment's clearing move was reconciled with the invoice.
        assert invoice.state == "paid"
        (payment,) = record.payments
        assert payment.state == "succeeded" and payment.line in invoice.lines_to_pay
        assert payment.clearing_move.description == "Client web - o-invoice"
        notes = pool.get("ir.note").search([("resource", "=", str(payment))])
        assert [n.message for n in notes] == ["Client web - o-invoice"]


def test_validate_before_paying_confirms_then_pays(
    tryton_backoffice: TrytonBackOffice, tryton_demo: TrytonTarget, taxes: dict[str, str]
) -> None:
    lines = _basket(taxes)
    total = expected_total(lines, taxes)
    result = tryton_backoffice.create_sale(
        make_sale("o-validate-first", lines, paid=total, validate_before_paying=True)
    )
    assert result.state == "confirmed" and result.payments_total == total
    assert tryton_backoffice.find_sale("o-validate-first").state == "processing"
    with tryton(tryton_demo) as pool:
        record = sale_record(pool, result.source_id)
        (payment,) = record.payments
        assert payment.state == "succeeded" and payment.amount == total


# --------------------------------------------------------------------------
# Header fields (O8, O9, O12, O26)
# --------------------------------------------------------------------------


def test_shop_number_kept_and_duplicate_refused(
    tryton_backoffice: TrytonBackOffice, taxes: dict[str, str]
) -> None:
    lines = _basket(taxes)
    result = tryton_backoffice.create_sale(make_sale("o-number", lines, number="WEB-000187"))
    assert result.number == "WEB-000187"
    with pytest.raises(RecordError, match="WEB-000187.*already used"):
        tryton_backoffice.create_sale(make_sale("o-number-2", lines, number="WEB-000187"))
    assert tryton_backoffice.find_sale("o-number-2") is None


def test_tax_rule_replaces_the_mapped_taxes(
    tryton_backoffice: TrytonBackOffice, tryton_demo: TrytonTarget, taxes: dict[str, str]
) -> None:
    lines = (
        item_line("POT-001", "2", taxes),
        item_line("TEA-001", "1", taxes),
        item_line("GRD-002", "1", taxes),
    )
    untaxed = sum((money(line.quantity * line.unit_price) for line in lines), Decimal(0))
    result = tryton_backoffice.create_sale(
        make_sale("o-export", lines, tax_rule="Export hors UE", expected_total=untaxed)
    )
    assert result.total_amount == untaxed and result.tax_amount == 0
    assert {line.tax_ids for line in result.lines} == {(taxes["VAT0EXP"],)}
    assert result.tax_bases == ((taxes["VAT0EXP"], untaxed),)
    with tryton(tryton_demo) as pool:
        record = sale_record(pool, result.source_id)
        assert {t.name for line in record.lines for t in line.taxes} == {"TVA 0 % export"}


def test_unknown_tax_rule_is_named(
    tryton_backoffice: TrytonBackOffice, taxes: dict[str, str]
) -> None:
    with pytest.raises(RecordError, match="tax rule 'Martian VAT'"):
        tryton_backoffice.create_sale(make_sale("o-rule-?", _basket(taxes), tax_rule="Martian VAT"))
    assert tryton_backoffice.find_sale("o-rule-?") is None


def test_compound_gst_pst_to_the_cent(
    tryton_backoffice: TrytonBackOffice, taxes: dict[str, str]
) -> None:
    """O24: PST 8 % on price + GST 5 %: 100.00 → GST 5.00, PST 8.40, total 113.40."""
    line = SaleLine(
        "POT-003", "Faitout", Decimal(1), Decimal("100.00"), (taxes["GST5"], taxes["PST8"])
    )
    result = tryton_backoffice.create_sale(
        make_sale("o-canada", (line,), expected_total=Decimal("113.40"))
    )
    assert result.untaxed_amount == Decimal("100.00")
    assert result.tax_amount == Decimal("13.40")
    assert result.total_amount == Decimal("113.40")
    bases = dict(result.tax_bases)
    assert bases == {taxes["GST5"]: Decimal("100.00"), taxes["PST8"]: Decimal("105.00")}


def test_tax_bases_per_vat_rate(tryton_backoffice: TrytonBackOffice, taxes: dict[str, str]) -> None:
    lines = _basket(taxes)
    result = tryton_backoffice.create_sale(make_sale("o-bases", lines))
    expected: dict[str, Decimal] = {}
    for line in lines:
        (tax,) = line.tax_ids
        expected[tax] = expected.get(tax, Decimal(0)) + money(line.quantity * line.unit_price)
    assert dict(result.tax_bases) == expected
    assert sum(dict(result.tax_bases).values()) == result.untaxed_amount


def test_usd_sale_is_in_usd_and_converted_when_invoiced(
    tryton_backoffice: TrytonBackOffice, tryton_demo: TrytonTarget, taxes: dict[str, str]
) -> None:
    line = SaleLine("POT-003", "Faitout", Decimal(1), Decimal("108.00"), (taxes["VAT0EXP"],))
    result = tryton_backoffice.create_sale(
        make_sale(
            "o-usd",
            (line,),
            currency="USD",
            document_type=DocumentType.INVOICE,
            paid=Decimal("108.00"),
            journal="WEB-CARD-USD",
        )
    )
    assert result.total_amount == Decimal("108.00")
    with tryton(tryton_demo) as pool:
        record = sale_record(pool, result.source_id)
        assert record.currency.code == "USD"
        (invoice,) = record.invoices
        assert invoice.currency.code == "USD" and invoice.state == "paid"
        (receivable,) = invoice.lines_to_pay
        # 108 USD at 1.08 USD per EUR = 100.00 EUR in the company's books.
        assert receivable.debit == Decimal("100.00")
        assert receivable.amount_second_currency == Decimal("108.00")


def test_payment_journal_in_another_currency_is_refused(
    tryton_backoffice: TrytonBackOffice, taxes: dict[str, str]
) -> None:
    line = SaleLine("POT-003", "Faitout", Decimal(1), Decimal("10.00"), ())
    sale = make_sale("o-usd-eur", (line,), currency="USD", paid=Decimal("10.00"))
    with pytest.raises(RecordError, match="'WEB-CARD' is in EUR but the sale is in USD"):
        tryton_backoffice.create_sale(sale)


def test_carrier_set_and_no_shipment_cost_line_added(
    tryton_backoffice: TrytonBackOffice, tryton_demo: TrytonTarget, taxes: dict[str, str]
) -> None:
    lines = _basket(taxes)
    total = expected_total(lines, taxes)
    result = tryton_backoffice.create_sale(
        make_sale(
            "o-carrier",
            lines,
            carrier="Colissimo",
            expected_total=total,
            document_type=DocumentType.PROCESSED,
        )
    )
    assert result.total_amount == total
    assert [line.item_code for line in result.lines] == ["POT-001", "TEA-001", "SHIPPING"]
    with tryton(tryton_demo) as pool:
        record = sale_record(pool, result.source_id)
        assert record.carrier.party.name == "Colissimo"
        assert record.shipment_cost_method is None
        assert all(line.shipment_cost is None for line in record.lines)
        (shipment,) = record.shipments
        assert shipment.carrier.party.name == "Colissimo"


def test_unknown_carrier_is_named(
    tryton_backoffice: TrytonBackOffice, taxes: dict[str, str]
) -> None:
    with pytest.raises(RecordError, match="carrier 'Pigeon'"):
        tryton_backoffice.create_sale(make_sale("o-pigeon", _basket(taxes), carrier="Pigeon"))


def test_shipping_line_as_tryton_shipment_cost(
    tryton_backoffice: TrytonBackOffice, tryton_demo: TrytonTarget, taxes: dict[str, str]
) -> None:
    lines = (
        item_line("POT-001", "1", taxes),
        SaleLine(
            "SHIPPING",
            "Chronopost 24h",
            Decimal(1),
            Decimal("12.50"),
            (taxes["VAT20"],),
            shipment_cost=True,
        ),
    )
    total = expected_total(lines, taxes)
    result = tryton_backoffice.create_sale(
        make_sale(
            "o-footer",
            lines,
            carrier="Chronopost",
            expected_total=total,
            document_type=DocumentType.INVOICE,
        )
    )
    assert result.total_amount == total
    with tryton(tryton_demo) as pool:
        record = sale_record(pool, result.source_id)
        pot, shipping = record.lines
        assert pot.shipment_cost is None
        assert shipping.shipment_cost == Decimal("12.50")
        assert shipping.description == "Chronopost 24h" and shipping.amount == Decimal("12.50")
        (invoice,) = record.invoices
        assert invoice.total_amount == total  # the shipping is invoiced with the order


def test_payment_term_by_name(
    tryton_backoffice: TrytonBackOffice, tryton_demo: TrytonTarget, taxes: dict[str, str]
) -> None:
    result = tryton_backoffice.create_sale(
        make_sale(
            "o-term", _basket(taxes), payment_term="30 jours", document_type=DocumentType.INVOICE
        )
    )
    with tryton(tryton_demo) as pool:
        record = sale_record(pool, result.source_id)
        assert record.payment_term.name == "30 jours"
        (invoice,) = record.invoices
        (line,) = invoice.lines_to_pay
        assert line.maturity_date == invoice.invoice_date + dt.timedelta(days=30)
    with pytest.raises(RecordError, match="payment term '60 jours'"):
        tryton_backoffice.create_sale(
            make_sale("o-term-?", _basket(taxes), payment_term="60 jours")
        )


def test_accepted_total_difference_is_written(
    tryton_backoffice: TrytonBackOffice, taxes: dict[str, str]
) -> None:
    lines = _basket(taxes)
    total = expected_total(lines, taxes)
    off = total + Decimal("1.00")
    with pytest.raises(RecordError, match=str(off)):
        tryton_backoffice.create_sale(make_sale("o-diff", lines, expected_total=off))
    result = tryton_backoffice.create_sale(
        make_sale("o-diff", lines, expected_total=off, accept_total_difference=True)
    )
    assert result.total_amount == total


# --------------------------------------------------------------------------
# Returns (O28)
# --------------------------------------------------------------------------


def test_return_gives_credit_note_and_return_shipment(
    tryton_backoffice: TrytonBackOffice, tryton_demo: TrytonTarget, taxes: dict[str, str]
) -> None:
    original = tryton_backoffice.create_sale(
        make_sale(
            "o-bought", (item_line("KNF-002", "2", taxes),), document_type=DocumentType.INVOICE
        )
    )
    returned = (item_line("KNF-002", "-1", taxes),)
    refund = expected_total(returned, taxes)
    assert refund == Decimal("-58.80")
    result = tryton_backoffice.create_sale(
        make_sale(
            "o-bought-return-1",
            returned,
            document_type=DocumentType.INVOICE,
            origin_key="o-bought",
            expected_total=refund,
            paid=refund,
        )
    )
    assert result.total_amount == refund
    (number,) = result.invoice_numbers
    assert number.startswith(f"AV{TODAY.year}-")
    assert number not in original.invoice_numbers
    with tryton(tryton_demo) as pool:
        record = sale_record(pool, result.source_id)
        (credit_note,) = record.invoices
        assert credit_note.state == "posted" and credit_note.total_amount == refund
        (shipment,) = record.shipment_returns
        assert [(m.product.code, m.quantity) for m in shipment.incoming_moves] == [("KNF-002", 1)]
        assert list(record.shipments) == []
        (payment,) = record.payments
        assert payment.kind == "payable" and payment.amount == Decimal("58.80")


def test_return_as_order_is_processed_by_tryton(
    tryton_backoffice: TrytonBackOffice, tryton_demo: TrytonTarget, taxes: dict[str, str]
) -> None:
    returned = (item_line("OIL-001", "-2", taxes),)
    result = tryton_backoffice.create_sale(make_sale("o-return-order", returned))
    assert result.total_amount == expected_total(returned, taxes) < 0
    with tryton(tryton_demo) as pool:
        record = sale_record(pool, result.source_id)
        assert record.state == "processing"
        (credit_note,) = record.invoices
        assert credit_note.state == "draft" and credit_note.total_amount < 0
        assert len(record.shipment_returns) == 1


def test_sale_lines_keep_demo_prices(
    tryton_backoffice: TrytonBackOffice, taxes: dict[str, str]
) -> None:
    """The unit price is the order's, never the product's list price."""
    line = SaleLine("POT-001", "Casserole remisée", Decimal(1), Decimal("19.90"), (taxes["VAT20"],))
    result = tryton_backoffice.create_sale(make_sale("o-price", (line,)))
    assert result.lines[0].unit_price == Decimal("19.90")
    assert result.total_amount == Decimal("23.88")
    assert demo_data.ITEMS[0].price != Decimal("19.90")


def test_split_payments_on_two_journals(
    tryton_backoffice: TrytonBackOffice, taxes: dict[str, str]
) -> None:
    """Two payments on two journals add up; each keeps its own reference."""
    lines = _basket(taxes)
    total = expected_total(lines, taxes)
    sale = BackOfficeSale(
        **{
            **{
                name: getattr(make_sale("o-split", lines), name)
                for name in BackOfficeSale.__slots__
            },
            "payments": (
                BackOfficePayment("WEB-CARD", Decimal("20.00"), TODAY, "card-1"),
                BackOfficePayment("WEB-PAYPAL", total - Decimal("20.00"), TODAY, "pp-1"),
            ),
        }
    )
    result = tryton_backoffice.create_sale(sale)
    assert result.payments_total == total
