"""Small builders shared by the Tryton order tests: sales, expected totals, records.

Expected amounts are computed here independently of Tryton (per-line
rounding, as shops do), so a test compares Tryton's figures with a second
computation, not with themselves.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from passerelle import demo_data
from passerelle.connectors.tryton.connector import TrytonBackOffice
from passerelle.connectors.tryton.database import TrytonTarget, session
from passerelle.model import (
    Address,
    BackOfficePayment,
    BackOfficeSale,
    DocumentType,
    SaleLine,
)

CENT = Decimal("0.01")
TODAY = dt.date.today()
DEMO_ITEMS = {i.code: i for i in demo_data.ITEMS}
ALL_TAXES = {t.code: t for t in (*demo_data.TAXES, *demo_data.ORDER_TAXES)}


def tax_ids(backoffice: TrytonBackOffice) -> dict[str, str]:
    """Tryton tax id by demo tax code (looked up by name)."""
    by_name = {t.name: t.source_id for t in backoffice.list_taxes()}
    return {code: by_name[tax.name] for code, tax in ALL_TAXES.items()}


def money(value: Decimal) -> Decimal:
    return value.quantize(CENT, ROUND_HALF_UP)


def item_line(code: str, quantity: str, taxes: dict[str, str], **extra: Any) -> SaleLine:
    """A line of a demo item at its list price with its catalogue VAT."""
    item = DEMO_ITEMS[code]
    return SaleLine(code, item.name, Decimal(quantity), item.price, (taxes[item.tax],), **extra)


def expected_total(lines: tuple[SaleLine, ...], taxes: dict[str, str]) -> Decimal:
    """Untaxed + VAT rounded per line; simple (non-compound) taxes only."""
    rate = {taxes[code]: tax.rate for code, tax in ALL_TAXES.items()}
    total = Decimal(0)
    for line in lines:
        amount = money(line.quantity * line.unit_price)
        total += amount + sum((money(amount * rate[t]) for t in line.tax_ids), Decimal(0))
    return total


def make_sale(
    key: str,
    lines: tuple[SaleLine, ...],
    *,
    document_type: DocumentType = DocumentType.ORDER,
    party: str = "C0003",
    paid: Decimal | None = None,
    journal: str = "WEB-CARD",
    currency: str = "EUR",
    **extra: Any,
) -> BackOfficeSale:
    """A sale of ``lines`` for ``party``, paid ``paid`` (nothing when None)."""
    payments = (
        (BackOfficePayment(journal, paid, TODAY, f"txn-{key}", f"Client web - {key}"),)
        if paid is not None
        else ()
    )
    return BackOfficeSale(
        external_key=key,
        party_code=party,
        document_type=document_type,
        sale_date=TODAY,
        currency=currency,
        lines=lines,
        reference=f"Web {key}",
        shipment_address=Address(
            street="2 rue Haute", postal_code="31000", city="Toulouse", country_code="FR"
        ),
        payments=payments,
        **extra,
    )


@contextmanager
def tryton(target: TrytonTarget, *, readonly: bool = True) -> Iterator[Any]:
    """The trytond pool inside a transaction on ``target`` (warnings skipped)."""
    from trytond.pool import Pool
    from trytond.transaction import Transaction

    with session(target, readonly=readonly), Transaction().set_context(_skip_warnings=True):
        yield Pool()


def sale_record(pool: Any, source_id: str) -> Any:
    return pool.get("sale.sale")(int(source_id))
