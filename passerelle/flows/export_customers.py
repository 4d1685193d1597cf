"""K1: back-office customers → shop customer accounts.

Customers without a usable e-mail (a shop account is keyed by e-mail) and
inactive ones are skipped, each with its reason. An unbound customer whose
e-mail already has a shop account is adopted, never created twice. The
e-mail itself is written on creation only: changing a shop login is the
customer's business (K5: e-mail updates are off by default).
"""

from __future__ import annotations

import re
from dataclasses import asdict

from passerelle.connectors.base import CustomerWrite
from passerelle.flows.base import FlowContext, flow
from passerelle.flows.exporting import Candidate, send_changed
from passerelle.model import Customer
from passerelle.store import content_hash

__all__ = ["FLOW", "valid_email"]

FLOW = "export-customers"
KIND = "customer"
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


def valid_email(value: str) -> bool:
    return bool(_EMAIL.match(value or ""))


@flow(FLOW, writes_shop=True, summary="K1: customers to the shop")
def run(ctx: FlowContext) -> None:
    options = ctx.profile.customers
    bindings = ctx.store.bindings(ctx.name, KIND)
    candidates: list[Candidate[Customer]] = []
    for customer in ctx.backoffice.list_customers():
        label = customer.code or customer.source_id
        if options.skip_inactive and not customer.active:
            ctx.journal.record("skipped", label, "inactive in the back-office: not sent")
            continue
        if options.skip_without_email and not valid_email(customer.email):
            ctx.journal.record("skipped", label, "no valid e-mail address: not sent")
            continue
        payload = asdict(customer)
        payload.pop("modified_at")
        payload.pop("source_id")
        candidates.append(
            Candidate(key=customer.source_id, label=label, content=customer,
                      content_hash=content_hash(payload))
        )
    unbound = [c for c in candidates if c.key not in bindings]
    if unbound:
        candidates = _adopt_by_email(ctx, candidates, unbound, bindings)
    send_changed(
        ctx,
        kind=KIND,
        candidates=candidates,
        write=lambda chunk: ctx.shop.write_customers(
            [CustomerWrite(c.key, c.content, c.shop_id) for c in chunk]
        ),
        what="customer",
    )


def _adopt_by_email(
    ctx: FlowContext,
    candidates: list[Candidate[Customer]],
    unbound: list[Candidate[Customer]],
    bindings: dict,
) -> list[Candidate[Customer]]:
    """Bind unbound customers to the shop accounts holding their e-mail.

    A shop account already linked to another back-office customer is not
    shared: two back-office customers with one e-mail would overwrite each
    other in the shop. The second is skipped with what to do about it.
    """
    owner = {b.remote_id: key for key, b in bindings.items() if b.remote_id}
    labels = {c.key: c.label for c in candidates}
    found = ctx.shop.find_customers_by_email(c.content.email for c in unbound)
    refused: set[str] = set()
    for candidate in unbound:
        shop_id = found.get(candidate.content.email.lower())
        if not shop_id:
            continue
        if shop_id in owner:
            other = labels.get(owner[shop_id], owner[shop_id])
            ctx.journal.record(
                "skipped", candidate.label,
                f"e-mail {candidate.content.email} already belongs to back-office customer "
                f"{other} (shop account {shop_id}); merge the two customers or change one "
                "e-mail",
            )
            refused.add(candidate.key)
            continue
        owner[shop_id] = candidate.key
        candidate.shop_id = shop_id
        ctx.journal.info(f"e-mail already has a shop account (id {shop_id}): updated",
                         candidate.label)
    return [c for c in candidates if c.key not in refused]
