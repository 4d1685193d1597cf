"""Payments of an imported sale: account.payment on named journals, processed by hand.

Why manual journals: the shop already collected the money; Tryton only
records it. A payment is *processing* while the sale is a draft or a
quotation (succeeding it would let sale_payment confirm the sale) and
*succeeded* once the sale is confirmed. With account_payment_clearing and a
clearing account on the journal, a succeeded payment writes its clearing
move, which Tryton reconciles with the sale's invoice when it is posted.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from passerelle.connectors.errors import RecordError
from passerelle.i18n.messages import M_, Text
from passerelle.model import BackOfficePayment

__all__ = ["record_payments"]


def record_payments(
    pool: Any,
    record: Any,
    payments: Sequence[BackOfficePayment],
    *,
    succeed: bool,
    label: Text,
) -> list[Any]:
    """account.payment on the named journals, linked to the sale (its origin).

    ``description`` (O15's label, e.g. "John DOE - 187") has no field of its
    own on a Tryton 8.2 payment (``reference`` keeps the shop's transaction
    id, which bank statements match on): it becomes the description of the
    payment's clearing move, the label the accountant reads in the journal,
    and a note on the payment so it is seen before the payment succeeds.
    """
    Payment = pool.get("account.payment")
    Journal = pool.get("account.payment.journal")
    Group = pool.get("account.payment.group")
    names = sorted({p.journal for p in payments})
    journals = {j.name: j for j in Journal.search([("name", "in", names)])}
    unknown = [n for n in names if n not in journals]
    if unknown:
        raise RecordError(
            M_(
                "%(order)s: payment journal(s) %(journals)s do not exist in Tryton "
                "(Accounting › Payments › Journals)",
                order=label,
                journals=", ".join(map(repr, unknown)),
            )
        )
    for name in names:
        journal = journals[name]
        if journal.currency.id != record.currency.id:
            raise RecordError(
                M_(
                    "%(order)s: payment journal %(journal)s is in %(journal_currency)s but the "
                    "sale is in %(currency)s; map this payment method to a journal in "
                    "%(currency)s for orders in that currency",
                    order=label,
                    journal=repr(name),
                    journal_currency=journal.currency.code,
                    currency=record.currency.code,
                )
            )
    party = record.invoice_party or record.party
    created = Payment.create(
        [
            {
                "company": record.company.id,
                "journal": journals[p.journal].id,
                "kind": "receivable" if p.amount >= 0 else "payable",
                "party": party.id,
                "amount": abs(p.amount),
                "date": p.date,
                "reference": p.reference or None,
                "origin": str(record),
            }
            for p in payments
        ]
    )
    Payment.submit(created)
    for journal_name in names:
        batch = [p for p in created if p.journal.name == journal_name]
        journal = journals[journal_name]

        def new_group(journal: Any = journal, batch: list[Any] = batch) -> Any:
            (group,) = Group.create(
                [{"company": record.company.id, "journal": journal.id, "kind": batch[0].kind}]
            )
            return group

        Payment.process(batch, new_group)
    if succeed:
        Payment.succeed(created)
    _describe(pool, created, payments)
    return created


def _describe(pool: Any, created: Sequence[Any], payments: Sequence[BackOfficePayment]) -> None:
    Payment = pool.get("account.payment")
    Note = pool.get("ir.note")
    Move = pool.get("account.move")
    notes = []
    moves = []
    for record, payment in zip(Payment.browse(created), payments, strict=True):
        if not payment.description:
            continue
        notes.append({"resource": str(record), "message": payment.description})
        move = getattr(record, "clearing_move", None)
        if move is not None and move.state == "draft":
            move.description = payment.description
            moves.append(move)
    if notes:
        Note.create(notes)
    if moves:
        Move.save(moves)
