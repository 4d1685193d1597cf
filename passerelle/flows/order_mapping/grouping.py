"""O17: a day's orders as one back-office document.

Merchants with many small orders (guest checkouts, a market stall) want one
sale per day on one account rather than hundreds of documents. Identical
lines (same item, price, taxes and kind) become one line; payments are
summed per journal. The day is only grouped once it is over, so no order of
that day can arrive after its document was written.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from decimal import Decimal

from passerelle.connectors.arithmetic import BackOfficeArithmetic, TaxSpec
from passerelle.model import BackOfficePayment, BackOfficeSale, SaleLine, SaleLineKind

__all__ = ["group_sales"]


def group_sales(
    sales: Sequence[BackOfficeSale],
    *,
    external_key: str,
    party_code: str,
    day: date,
    gap_item: str,
    taxes: Mapping[str, TaxSpec],
    arithmetic: BackOfficeArithmetic,
) -> BackOfficeSale:
    """One document holding every line and payment of ``sales`` (orders of ``day``),
    its total computed with the back-office's ``arithmetic``."""
    if not sales:
        raise ValueError("nothing to group")  # internal: a day group holds an order's sales
    merged: dict[tuple[object, ...], SaleLine] = {}
    for sale in sales:
        for line in sale.lines:
            key = (
                line.item_code,
                line.unit_price,
                line.tax_ids,
                line.kind,
                line.item_taxes,
                line.shipment_cost,
            )
            if key in merged:
                kept = merged[key]
                merged[key] = SaleLine(
                    kept.item_code,
                    kept.description,
                    kept.quantity + line.quantity,
                    kept.unit_price,
                    kept.tax_ids,
                    kept.kind,
                    kept.shipment_cost,
                    kept.item_taxes,
                )
            else:
                merged[key] = line
    lines = list(merged.values())
    expected = sum((s.expected_total or Decimal(0) for s in sales), Decimal(0))
    # Merging changes where the back-office rounds (per line): keep the day's total exact.
    totals = arithmetic.document_totals(
        ((ln.quantity, ln.unit_price, () if ln.item_taxes else ln.tax_ids) for ln in lines), taxes
    )
    if totals.total != expected:
        lines.append(
            SaleLine(
                gap_item,
                "Rounding of grouped lines",
                Decimal(1),
                expected - totals.total,
                (),
                SaleLineKind.GAP,
            )
        )
    by_journal: dict[str, Decimal] = {}
    for sale in sales:
        for payment in sale.payments:
            by_journal[payment.journal] = (
                by_journal.get(payment.journal, Decimal(0)) + payment.amount
            )
    first = sales[0]
    label = f"Web orders of {day.isoformat()}"
    return BackOfficeSale(
        external_key=external_key,
        party_code=party_code,
        document_type=first.document_type,
        sale_date=day,
        currency=first.currency,
        lines=tuple(lines),
        reference=label,
        description=f"{label}: {len(sales)} orders",
        comment=", ".join(s.reference for s in sales if s.reference),
        payments=tuple(
            BackOfficePayment(
                journal=journal, amount=amount, date=day, reference=label, description=label
            )
            for journal, amount in sorted(by_journal.items())
            if amount
        ),
        warehouse=first.warehouse,
        expected_total=expected,
        total_tolerance=first.total_tolerance,
        accept_total_difference=first.accept_total_difference,
        tax_rule=first.tax_rule,
        validate_before_paying=first.validate_before_paying,
    )
