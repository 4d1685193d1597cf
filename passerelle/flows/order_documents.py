"""Writing an order's documents to the back-office, and the staging grid's payload (O21).

Shared by the import (auto-validate on), the grid's validation and the XML
import, so that every path writes documents, customers and bindings the same
way: customer first, then each document (found by its key if a killed run
already wrote it), then the binding.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

from pydantic import TypeAdapter

from passerelle.connectors.base import BackOffice, OneUnitOfWork
from passerelle.flows.base import FlowContext
from passerelle.i18n.messages import M_, Message, Mn_
from passerelle.model import BackOfficeSale, Customer, DocumentType, SaleResult

__all__ = [
    "KIND",
    "PlannedOrder",
    "bind_plan",
    "decode_plan",
    "encode_plan",
    "in_one_unit",
    "write_documents",
    "write_plan",
]

KIND = "order"

T = TypeVar("T")

_SALES: TypeAdapter[list[BackOfficeSale]] = TypeAdapter(list[BackOfficeSale])
_CUSTOMER: TypeAdapter[Customer | None] = TypeAdapter(Customer | None)


@dataclass(frozen=True)
class PlannedOrder:
    """What importing one order (or one grouped day) will write.

    ``members`` are the shop order ids bound to the documents (one order, or
    every order of a grouped day); ``customer`` is created or updated first
    when set; ``update_addresses`` says whether an existing party gets the
    order's new addresses (O6).
    """

    members: tuple[str, ...]
    sales: tuple[BackOfficeSale, ...]
    customer: Customer | None = None
    update_addresses: bool = True

    @property
    def summary(self) -> str:
        """``2 documents, C001, order, 12.50 EUR``: what the staging grid shows (English)."""
        return self.summary_said.english

    @property
    def summary_said(self) -> Message:
        """The summary as a message, shown in each reader's language."""
        total = sum((s.expected_total or 0 for s in self.sales), 0)
        first = self.sales[0]
        said = {
            "party": first.party_code,
            "document": _DOCUMENT_WORDS.get(first.document_type, first.document_type.value),
            "total": str(total),
            "currency": first.currency,
        }
        if len(self.sales) == 1:
            return M_("%(party)s, %(document)s, %(total)s %(currency)s", **said)
        return Mn_(
            "%(num)s document, %(party)s, %(document)s, %(total)s %(currency)s",
            "%(num)s documents, %(party)s, %(document)s, %(total)s %(currency)s",
            len(self.sales),
            **said,
        )


#: What each kind of back-office document is called in a summary.
_DOCUMENT_WORDS: dict[DocumentType, Message] = {
    DocumentType.DRAFT: M_("draft"),
    DocumentType.QUOTATION: M_("quotation"),
    DocumentType.ORDER: M_("order"),
    DocumentType.PROCESSED: M_("processed"),
    DocumentType.INVOICE: M_("invoice"),
}


def encode_plan(plan: PlannedOrder) -> tuple[str, str | None]:
    """The staging grid's two JSON columns (documents, customer)."""
    documents = {
        "members": list(plan.members),
        "update_addresses": plan.update_addresses,
        "sales": json.loads(_SALES.dump_json(list(plan.sales))),
    }
    customer = None if plan.customer is None else _CUSTOMER.dump_json(plan.customer).decode()
    return json.dumps(documents), customer


def decode_plan(document_json: str, customer_json: str | None) -> PlannedOrder:
    data: dict[str, Any] = json.loads(document_json)
    sales = _SALES.validate_python(data["sales"])
    customer = _CUSTOMER.validate_json(customer_json) if customer_json else None
    return PlannedOrder(
        tuple(data["members"]), tuple(sales), customer, bool(data.get("update_addresses", True))
    )


def write_plan(ctx: FlowContext, plan: PlannedOrder) -> list[SaleResult]:
    """Write the customer and every document, then bind every member order.

    Each document is looked up by its key first: a run killed after the
    back-office committed and before the binding finds it instead of writing
    it twice. Customer and documents are one unit of work where the back-office
    has them: all written, or none.
    """
    results = in_one_unit(ctx.backoffice, lambda: write_documents(ctx, plan))
    bind_plan(ctx, plan, results)
    return results


def in_one_unit(backoffice: BackOffice, work: Callable[[], T]) -> T:
    """``work()`` as one unit of work of the back-office when it has them, else as is."""
    if isinstance(backoffice, OneUnitOfWork):
        return backoffice.unit_of_work(work)
    return work()


def write_documents(ctx: FlowContext, plan: PlannedOrder) -> list[SaleResult]:
    """Write the customer and every document (each found by its key if already written);
    the back-office only: binding them is :func:`bind_plan`'s, once they are committed."""
    customer = plan.customer
    # Whether the customer exists matters only when its addresses are left alone: it
    # is not asked otherwise (the upsert finds it by its code anyway).
    if customer is not None and (
        plan.update_addresses or ctx.backoffice.find_customer(code=customer.code) is None
    ):
        ctx.backoffice.upsert_customer(customer, update_addresses=plan.update_addresses)
    results = []
    for sale in plan.sales:
        found = ctx.backoffice.find_sale(sale.external_key)
        results.append(found if found is not None else ctx.backoffice.create_sale(sale))
    return results


def bind_plan(ctx: FlowContext, plan: PlannedOrder, results: list[SaleResult]) -> None:
    """Bind every member order to the documents written for it."""
    numbers = ", ".join(r.number for r in results)
    ctx.store.bind_many(
        ctx.name,
        KIND,
        [(member, results[0].source_id, None, numbers) for member in plan.members],
    )
