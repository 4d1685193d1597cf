"""After the import: cancelling an imported sale, and reading what was shipped (O20).

Status changes only: lines, prices and addresses of a sale are never edited
here. What Tryton does not allow (cancelling what left the warehouse or was
invoiced for good) is refused with what the merchant can do instead.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from passerelle.connectors.errors import RecordError
from passerelle.connectors.tryton import translate
from passerelle.i18n.messages import M_, Message, Text
from passerelle.model import ShipmentInfo

__all__ = ["cancel_sale_record", "shipment_infos", "tracking_number"]

_OPEN_SHIPMENT = ("draft", "waiting", "assigned", "picked", "packed")


def cancel_sale_record(pool: Any, record: Any, label: Text) -> Any:
    """Cancel ``record`` as far as Tryton's workflow allows; return it re-read.

    - draft or quotation: its payments not yet succeeded are marked failed
      (the shop will not collect them) and the sale is cancelled;
    - confirmed: back to draft and cancelled when no payment succeeded;
      otherwise handled as processing;
    - processing (nothing shipped, no invoice posted): open shipments and
      draft invoices are cancelled, then ignored as Tryton's "handle
      exception" wizards do, so the sale ends *done* with nothing shipped or
      invoiced: Tryton has no way back to "cancelled" once a sale is processed.
    """
    Sale = pool.get("sale.sale")
    if record.state == "cancelled":
        return record
    if record.state in ("draft", "quotation"):
        _fail_pending_payments(pool, record, label)
        Sale.cancel([record])
        return Sale(record.id)
    _refuse_if_committed(record, label)
    if record.state == "confirmed":
        if not [p for p in record.payments if p.state != "failed"]:
            Sale.draft([record])
            Sale.cancel([Sale(record.id)])
            return Sale(record.id)
        Sale.process([record])
        record = Sale(record.id)
    _cancel_documents(pool, record)
    return Sale(record.id)


def _fail_pending_payments(pool: Any, record: Any, label: Text) -> None:
    payments = [p for p in getattr(record, "payments", ()) if p.state != "failed"]
    succeeded = [p for p in payments if p.state == "succeeded"]
    if succeeded:
        numbers = ", ".join(p.rec_name for p in succeeded)
        raise RecordError(
            M_(
                "%(order)s: Tryton cannot cancel sale %(sale)s: payment(s) %(payments)s "
                "succeeded; refund them and mark them failed in Tryton, then cancel the sale",
                order=label,
                sale=record.rec_name,
                payments=numbers,
            )
        )
    if payments:
        Payment = pool.get("account.payment")
        Payment.fail(payments)


def _refuse_if_committed(record: Any, label: Text) -> None:
    """RecordError when goods left or an invoice was posted: a credit note is the way."""
    shipped = [
        s.number or str(s.id)
        for s in (*record.shipments, *record.shipment_returns)
        if s.state == "done"
    ]
    posted = [i.number for i in record.invoices if i.state in ("posted", "paid")]
    reasons: list[Message] = []
    if shipped:
        reasons.append(M_("shipment(s) %(numbers)s already done", numbers=", ".join(shipped)))
    if posted:
        reasons.append(M_("invoice(s) %(numbers)s already posted", numbers=", ".join(posted)))
    if reasons:
        said = reasons[0]
        for reason in reasons[1:]:
            said = M_("%(first)s and %(next)s", first=said, next=reason)
        raise RecordError(
            M_(
                "%(order)s: Tryton cannot cancel sale %(sale)s: %(reasons)s; make a credit note "
                "for the invoice and a return sale for the goods (Sale › Return) instead",
                order=label,
                sale=record.rec_name,
                reasons=said,
            )
        )


def _cancel_documents(pool: Any, record: Any) -> None:
    Sale = pool.get("sale.sale")
    SaleLine = pool.get("sale.line")
    ShipmentOut = pool.get("stock.shipment.out")
    ShipmentReturn = pool.get("stock.shipment.out.return")
    Invoice = pool.get("account.invoice")
    ShipmentOut.cancel([s for s in record.shipments if s.state in _OPEN_SHIPMENT])
    ShipmentReturn.cancel([s for s in record.shipment_returns if s.state in ("draft",)])
    Invoice.cancel([i for i in record.invoices if i.state in ("draft", "validated")])
    record = Sale(record.id)
    for line in record.lines:
        skips = {*line.moves_ignored, *line.moves_recreated}
        cancelled = [m.id for m in line.moves if m.state == "cancelled" and m not in skips]
        if cancelled:
            SaleLine.write([line], {"moves_ignored": [("add", cancelled)]})
    skips = {*record.invoices_ignored, *record.invoices_recreated}
    ignored = [i.id for i in record.invoices if i.state == "cancelled" and i not in skips]
    if ignored:
        Sale.write([record], {"invoices_ignored": [("add", ignored)]})
    Sale.process([Sale(record.id)])


def tracking_number(shipment: Any) -> str:
    """The carrier's tracking number of a customer shipment.

    ``shipping_reference`` (module stock_package_shipping, filled by the
    carrier integrations or by hand) when the module is activated, else the
    shipment's ``reference``, where a merchant without it types the number.
    """
    value = getattr(shipment, "shipping_reference", None) or shipment.reference
    return value or ""


def _shipped_at(shipment: Any) -> dt.datetime | None:
    """When the shipment was done: its write time if on the effective date, else that day."""
    if shipment.effective_date is None:
        return translate.utc(shipment.write_date)
    written = shipment.write_date
    if written is not None and written.date() == shipment.effective_date:
        return translate.utc(written)
    return dt.datetime.combine(shipment.effective_date, dt.time.min, tzinfo=dt.UTC)


def shipment_infos(pool: Any, key_shop: Any, since: dt.datetime | None) -> list[ShipmentInfo]:
    """Done customer shipments of sales carrying a passerelle key, oldest first."""
    ShipmentOut = pool.get("stock.shipment.out")
    domain: list[Any] = [("state", "=", "done")]
    if since is not None:
        moment = translate.utc_naive(since)
        domain.append(["OR", ("effective_date", ">=", moment.date()), ("write_date", ">=", moment)])
    shipments = ShipmentOut.search(domain, order=[("effective_date", "ASC"), ("id", "ASC")])
    infos = []
    for shipment in shipments:
        sale = _sale_of(pool, shipment)
        if sale is None or sale.web_shop != key_shop or not sale.web_id:
            continue
        carrier = getattr(shipment, "carrier", None) or getattr(sale, "carrier", None)
        infos.append(
            ShipmentInfo(
                sale_key=sale.web_id,
                sale_number=sale.number or "",
                shipment_number=shipment.number or str(shipment.id),
                shipped_at=_shipped_at(shipment),
                carrier=carrier.party.name if carrier is not None else "",
                tracking_number=tracking_number(shipment),
            )
        )
    return infos


def _sale_of(pool: Any, shipment: Any) -> Any | None:
    SaleLine = pool.get("sale.line")
    for move in shipment.outgoing_moves:
        if isinstance(move.origin, SaleLine):
            return move.origin.sale
    return None
