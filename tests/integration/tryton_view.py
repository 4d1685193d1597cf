"""Tryton records read back field by field, for the integration tests' checks.

Plain data (no trytond objects outlive the transaction), so a test compares
what Tryton holds with what the shop says.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from passerelle.connectors.tryton.database import TrytonTarget, session


@dataclass(frozen=True)
class LineView:
    code: str
    description: str
    quantity: Decimal
    unit_price: Decimal
    amount: Decimal
    taxes: tuple[str, ...]


@dataclass(frozen=True)
class SaleView:
    key: str
    number: str
    state: str
    party_code: str
    party_name: str
    sale_date: date
    currency: str
    reference: str
    description: str
    comment: str
    untaxed: Decimal
    tax: Decimal
    total: Decimal
    lines: tuple[LineView, ...]
    tax_bases: dict[str, Decimal]  # tax name -> base
    tax_amounts: dict[str, Decimal]  # tax name -> amount
    payments: tuple[tuple[str, Decimal, str, str], ...]  # journal, signed amount, state, ref
    invoices: tuple[tuple[str, str, Decimal], ...]  # state, type (invoice/credit), total
    shipment_street: str
    invoice_street: str
    carrier: str
    warehouse: str
    payment_term: str

    def codes(self) -> list[str]:
        return [line.code for line in self.lines]


def read_sales(target: TrytonTarget) -> dict[str, SaleView]:
    """Every sale carrying a passerelle key, by key."""
    from trytond.pool import Pool

    with session(target, readonly=True):
        pool = Pool()
        Sale = pool.get("sale.sale")
        Payment = pool.get("account.payment")
        views = {}
        for sale in Sale.search([("web_id", "!=", None)]):
            taxes = sale._get_taxes().values()
            bases: dict[str, Decimal] = {}
            amounts: dict[str, Decimal] = {}
            for tax_line in taxes:
                bases[tax_line.tax.name] = bases.get(tax_line.tax.name, Decimal(0)) + tax_line.base
                amounts[tax_line.tax.name] = (
                    amounts.get(tax_line.tax.name, Decimal(0)) + tax_line.amount
                )
            payments = Payment.search([("origin", "=", str(sale))], order=[("id", "ASC")])
            views[sale.web_id] = SaleView(
                key=sale.web_id,
                number=sale.number or "",
                state=sale.state,
                party_code=sale.party.code or "",
                party_name=sale.party.name,
                sale_date=sale.sale_date,
                currency=sale.currency.code,
                reference=sale.reference or "",
                description=sale.description or "",
                comment=sale.comment or "",
                untaxed=sale.untaxed_amount,
                tax=sale.tax_amount,
                total=sale.total_amount,
                lines=tuple(
                    LineView(
                        line.product.code if line.product else "",
                        line.description or "",
                        Decimal(str(line.quantity)),
                        line.unit_price,
                        line.amount,
                        tuple(t.name for t in line.taxes),
                    )
                    for line in sale.lines
                    if line.type == "line"
                ),
                tax_bases=bases,
                tax_amounts=amounts,
                payments=tuple(
                    (
                        p.journal.name,
                        p.amount if p.kind == "receivable" else -p.amount,
                        p.state,
                        p.reference or "",
                    )
                    for p in payments
                ),
                invoices=tuple(
                    (i.state, i.type if hasattr(i, "type") else "", i.total_amount)
                    for i in sale.invoices
                ),
                shipment_street=sale.shipment_address.street if sale.shipment_address else "",
                invoice_street=sale.invoice_address.street if sale.invoice_address else "",
                carrier=sale.carrier.party.name if getattr(sale, "carrier", None) else "",
                warehouse=sale.warehouse.code if sale.warehouse else "",
                payment_term=sale.payment_term.name if sale.payment_term else "",
            )
        return views


def read_party(target: TrytonTarget, code: str) -> dict[str, object]:
    """A party's code, name, e-mail, addresses, identifiers, category and receivable."""
    from trytond.pool import Pool

    with session(target, readonly=True):
        Party = Pool().get("party.party")
        (party,) = Party.search([("code", "=", code)])
        receivable = party.account_receivable
        return {
            "code": party.code,
            "name": party.name,
            "email": party.email or "",
            "streets": sorted(a.street or "" for a in party.addresses),
            "cities": sorted(a.city or "" for a in party.addresses),
            "identifiers": sorted(i.code for i in party.identifiers),
            "categories": sorted(c.name for c in party.categories),
            "receivable": receivable.code if receivable else "",
        }


@dataclass(frozen=True)
class PaymentView:
    journal: str
    amount: Decimal  # signed: a refund paid back is negative
    date: date
    reference: str
    notes: tuple[str, ...]  # O15: the payment's label is written as a note on it


def read_payments(target: TrytonTarget, key: str) -> list[PaymentView]:
    """The payments of the sale carrying ``key``, oldest first, with their notes."""
    from trytond.pool import Pool

    with session(target, readonly=True):
        pool = Pool()
        Sale = pool.get("sale.sale")
        Payment = pool.get("account.payment")
        Note = pool.get("ir.note")
        (sale,) = Sale.search([("web_id", "=", key)])
        views = []
        for payment in Payment.search([("origin", "=", str(sale))], order=[("id", "ASC")]):
            notes = Note.search([("resource", "=", str(payment))], order=[("id", "ASC")])
            views.append(
                PaymentView(
                    journal=payment.journal.name,
                    amount=payment.amount if payment.kind == "receivable" else -payment.amount,
                    date=payment.date,
                    reference=payment.reference or "",
                    notes=tuple(n.message or "" for n in notes),
                )
            )
        return views


def party_representatives(target: TrytonTarget, code: str) -> list[str]:
    """O6: names of the sales representatives (commission agents) chosen for a party."""
    from trytond.pool import Pool

    with session(target, readonly=True):
        pool = Pool()
        Party = pool.get("party.party")
        Selection = pool.get("commission.agent.selection")
        (party,) = Party.search([("code", "=", code)])
        return sorted(s.agent.party.name for s in Selection.search([("party", "=", party.id)]))


def find_parties(
    target: TrytonTarget, *, email: str | None = None, identifier: str | None = None
) -> list[str]:
    """Codes of the parties with that e-mail (a contact mechanism) or identifier (K7)."""
    from trytond.pool import Pool

    with session(target, readonly=True):
        pool = Pool()
        codes: set[str] = set()
        if email is not None:
            Mechanism = pool.get("party.contact_mechanism")
            codes |= {
                m.party.code
                for m in Mechanism.search([("type", "=", "email"), ("value", "=", email)])
            }
        if identifier is not None:
            Identifier = pool.get("party.identifier")
            wanted = identifier.replace(" ", "").upper()
            codes |= {
                i.party.code
                for i in Identifier.search([])
                if (i.code or "").replace(" ", "").upper() == wanted
            }
        return sorted(codes)
