"""After the import (O20): cancelling imported sales and reading shipped ones, in real Tryton."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from passerelle.connectors.errors import NotFoundError, RecordError
from passerelle.connectors.tryton.connector import TrytonBackOffice
from passerelle.connectors.tryton.database import TrytonTarget
from passerelle.model import DocumentType, SaleResult
from tests.tryton.builders import (
    expected_total,
    item_line,
    make_sale,
    sale_record,
    tax_ids,
    tryton,
)


@pytest.fixture(scope="module")
def taxes(tryton_backoffice: TrytonBackOffice) -> dict[str, str]:
    return tax_ids(tryton_backoffice)


def _create(
    backoffice: TrytonBackOffice,
    taxes: dict[str, str],
    key: str,
    document_type: DocumentType,
    *,
    paid: bool = True,
    **extra: object,
) -> SaleResult:
    lines = (item_line("POT-001", "1", taxes), item_line("TEA-002", "2", taxes))
    total = expected_total(lines, taxes)
    return backoffice.create_sale(
        make_sale(
            key,
            lines,
            document_type=document_type,
            paid=total if paid else None,
            warehouse="WH",
            **extra,
        )
    )


def _ship(target: TrytonTarget, source_id: str, tracking: str) -> None:
    """What the warehouse does in Tryton: assign, pick, pack, type the tracking number, done."""
    with tryton(target, readonly=False) as pool:
        Shipment = pool.get("stock.shipment.out")
        (shipment,) = sale_record(pool, source_id).shipments
        Shipment.assign_force([shipment])
        Shipment.pick([shipment])
        Shipment.pack([shipment])
        shipment.shipping_reference = tracking
        shipment.save()
        Shipment.do([shipment])


# --------------------------------------------------------------------------
# Cancelling
# --------------------------------------------------------------------------


def test_cancel_quotation_fails_its_pending_payments(
    tryton_backoffice: TrytonBackOffice, tryton_demo: TrytonTarget, taxes: dict[str, str]
) -> None:
    created = _create(tryton_backoffice, taxes, "l-quote", DocumentType.QUOTATION)
    result = tryton_backoffice.cancel_sale("l-quote")
    assert result.state == "cancelled" and result.source_id == created.source_id
    assert result.payments_total == 0
    with tryton(tryton_demo) as pool:
        record = sale_record(pool, created.source_id)
        assert record.state == "cancelled"
        assert [p.state for p in record.payments] == ["failed"]
        # Status only: lines and amounts untouched.
        assert [line.product.code for line in record.lines] == ["POT-001", "TEA-002"]
        assert record.total_amount == created.total_amount
    assert tryton_backoffice.cancel_sale("l-quote").state == "cancelled"  # idempotent


def test_cancel_draft(tryton_backoffice: TrytonBackOffice, taxes: dict[str, str]) -> None:
    _create(tryton_backoffice, taxes, "l-draft", DocumentType.DRAFT, paid=False)
    assert tryton_backoffice.cancel_sale("l-draft").state == "cancelled"


def test_cancel_confirmed_sale_cancels_shipment_and_invoice(
    tryton_backoffice: TrytonBackOffice, tryton_demo: TrytonTarget, taxes: dict[str, str]
) -> None:
    created = _create(tryton_backoffice, taxes, "l-order", DocumentType.ORDER)
    assert tryton_backoffice.find_sale("l-order").state == "processing"
    result = tryton_backoffice.cancel_sale("l-order")
    # Tryton has no way back to "cancelled" for a processed sale: it ends done,
    # with its shipment and invoice cancelled and ignored.
    assert result.state == "done" and result.invoice_numbers == ()
    with tryton(tryton_demo) as pool:
        record = sale_record(pool, created.source_id)
        assert [s.state for s in record.shipments] == ["cancelled"]
        assert [i.state for i in record.invoices] == ["cancelled"]
        assert list(record.invoices_ignored) == list(record.invoices)
        assert record.total_amount == created.total_amount
        assert [p.state for p in record.payments] == ["succeeded"]  # to refund by the merchant


def test_cancel_confirmed_unpaid_sale_before_processing(
    tryton_backoffice: TrytonBackOffice, tryton_demo: TrytonTarget, taxes: dict[str, str]
) -> None:
    """A sale still confirmed (Tryton's processing not run yet) goes back to draft, cancelled."""
    created = _create(tryton_backoffice, taxes, "l-confirmed", DocumentType.QUOTATION, paid=False)
    with tryton(tryton_demo, readonly=False) as pool:
        Sale = pool.get("sale.sale")
        Sale.write([sale_record(pool, created.source_id)], {"state": "confirmed"})
    result = tryton_backoffice.cancel_sale("l-confirmed")
    assert result.state == "cancelled"


def test_refuses_to_cancel_a_shipped_sale(
    tryton_backoffice: TrytonBackOffice, tryton_demo: TrytonTarget, taxes: dict[str, str]
) -> None:
    created = _create(tryton_backoffice, taxes, "l-shipped", DocumentType.PROCESSED)
    _ship(tryton_demo, created.source_id, "8R00000000001")
    with pytest.raises(RecordError, match="already done") as error:
        tryton_backoffice.cancel_sale("l-shipped")
    message = str(error.value)
    assert created.number in message and "credit note" in message and "return" in message
    with tryton(tryton_demo) as pool:
        record = sale_record(pool, created.source_id)
        assert record.state == "processing"
        assert [i.state for i in record.invoices] == ["draft"]


def test_refuses_to_cancel_a_posted_invoice(
    tryton_backoffice: TrytonBackOffice, taxes: dict[str, str]
) -> None:
    created = _create(tryton_backoffice, taxes, "l-invoiced", DocumentType.INVOICE)
    (number,) = created.invoice_numbers
    with pytest.raises(RecordError, match=f"invoice\\(s\\) {number} already posted"):
        tryton_backoffice.cancel_sale("l-invoiced")


def test_cancel_unknown_key(tryton_backoffice: TrytonBackOffice) -> None:
    with pytest.raises(NotFoundError, match="never-imported"):
        tryton_backoffice.cancel_sale("never-imported")


# --------------------------------------------------------------------------
# Shipped sales
# --------------------------------------------------------------------------


def test_shipped_sales_with_carrier_and_tracking(
    tryton_backoffice: TrytonBackOffice, tryton_demo: TrytonTarget, taxes: dict[str, str]
) -> None:
    before = dt.datetime.now(dt.UTC) - dt.timedelta(seconds=1)
    created = _create(
        tryton_backoffice, taxes, "l-track", DocumentType.PROCESSED, carrier="Colissimo"
    )
    _create(tryton_backoffice, taxes, "l-not-shipped", DocumentType.PROCESSED)
    _ship(tryton_demo, created.source_id, "6A12345678901")
    infos = {i.sale_key: i for i in tryton_backoffice.shipped_sales(before)}
    assert "l-not-shipped" not in infos
    info = infos["l-track"]
    assert info.sale_number == created.number
    assert info.carrier == "Colissimo" and info.tracking_number == "6A12345678901"
    with tryton(tryton_demo) as pool:
        (shipment,) = sale_record(pool, created.source_id).shipments
        assert info.shipment_number == shipment.number
        assert info.shipped_at is not None and info.shipped_at.date() == shipment.effective_date
    assert "l-track" in {i.sale_key for i in tryton_backoffice.shipped_sales(None)}
    tomorrow = dt.datetime.now(dt.UTC) + dt.timedelta(days=1)
    assert tryton_backoffice.shipped_sales(tomorrow) == []


def test_shipments_of_sales_not_imported_are_left_out(
    tryton_backoffice: TrytonBackOffice, tryton_demo: TrytonTarget, taxes: dict[str, str]
) -> None:
    created = _create(tryton_backoffice, taxes, "l-manual", DocumentType.PROCESSED)
    with tryton(tryton_demo, readonly=False) as pool:
        Sale = pool.get("sale.sale")
        Sale.write([sale_record(pool, created.source_id)], {"web_shop": None, "web_id": None})
    _ship(tryton_demo, created.source_id, "MANUAL-1")
    assert "MANUAL-1" not in {i.tracking_number for i in tryton_backoffice.shipped_sales(None)}
    assert Decimal(created.total_amount) > 0
