"""K1, K2, K3, K5, K6, K8: back-office customers → shop customer accounts.

Customer groups (back-office price lists) go first, so accounts land in
groups the shop has. Then each customer, and each of its contacts with an
e-mail as an account of its own (same account code, same group). Dormant
customers and customers without a usable e-mail (a shop account is keyed by
e-mail) are skipped, each with its reason — except a dormant customer the
shop already holds, whose account is disabled there (K3).

Only customers changed since the last transfer are read (K2): the bookmark
holds the date and the settings it was taken under, so a profile change
makes the next run compare everything again. On update, only the fields
whose policy is "overwrite" are written (K5; the e-mail, a shop login, is
kept by default); the content hash covers exactly those, so nothing is sent
when only a kept field changed. An unbound customer whose e-mail already has
a shop account is adopted, never created twice.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import asdict

from passerelle.connectors.base import CustomerWrite, GroupWrite, NewAccountOptions
from passerelle.flows.base import FlowContext, flow
from passerelle.flows.bookmarks import read_since, save_bookmark, settings_for
from passerelle.flows.customer_mapping import (
    contact_account,
    contact_key,
    customer_hash,
    shop_state,
    unsupported_words,
    update_groups,
    valid_email,
    written_fields,
)
from passerelle.flows.exporting import Candidate, send_changed
from passerelle.flows.unread import park_unread
from passerelle.i18n import N_
from passerelle.i18n.messages import M_
from passerelle.model import Customer, CustomerGroup
from passerelle.profiles.schema import Profile
from passerelle.store import Binding, Store, content_hash

__all__ = ["FLOW", "GROUP_KIND", "KIND", "settings_hash", "valid_email"]

FLOW = "export-customers"
KIND = "customer"
GROUP_KIND = "customer_group"

# Options that do not change what an existing shop account should hold: a
# change to them must not make the next run read every customer again.
_NOT_SETTINGS = {"new_accounts", "prospects_since", "prospect_category", "prospect_code_prefix"}


@settings_for(FLOW)
def settings_hash(profile: Profile, store: Store) -> str:
    """What, besides the customers themselves, decides what their shop accounts hold."""
    return content_hash(
        {"customers": profile.customers.model_dump(mode="json", exclude=_NOT_SETTINGS)}
    )


# K1-K8
@flow(FLOW, writes_shop=True, summary=N_("customer groups, customers and contacts to the shop"))
def run(ctx: FlowContext) -> None:
    options = ctx.profile.customers
    if options.groups:
        _send_groups(ctx)
    settings = settings_hash(ctx.profile, ctx.store)
    since = read_since(ctx, FLOW, settings) if options.only_changed else None
    read_at = ctx.now
    if since is not None:
        ctx.journal.info(
            M_(
                "only customers changed since %(since)s (the last transfer) are read",
                since=since.isoformat(timespec="minutes"),
            )
        )  # K2
    customers = ctx.backoffice.list_customers(modified_since=since)
    park_unread(ctx, FLOW, "customer")
    bindings = ctx.store.bindings(ctx.name, KIND)
    groups = update_groups(options)
    candidates = _candidates(ctx, customers, bindings, groups)
    unbound = [c for c in candidates if c.key not in bindings]
    if unbound:
        candidates = _adopt_by_email(ctx, candidates, unbound, bindings)
    new_account = NewAccountOptions(**options.new_accounts.model_dump())
    send_changed(
        ctx,
        kind=KIND,
        candidates=candidates,
        write=lambda chunk: ctx.shop.write_customers(
            [
                CustomerWrite(
                    c.key,
                    c.content,
                    c.shop_id,
                    fields=None if c.shop_id is None else groups,
                    new_account=new_account,
                )
                for c in chunk
            ]
        ),
        what=N_("customer"),
        describe=unsupported_words,
    )
    # A failed customer is read again next time: the bookmark stays where it was.
    if ctx.journal.counts["failed"] == 0:
        save_bookmark(ctx, FLOW, read_at, settings)


def _send_groups(ctx: FlowContext) -> None:
    """K1: every customer group, created or renamed in the shop before any account."""
    groups = ctx.backoffice.list_customer_groups()
    send_changed(
        ctx,
        kind=GROUP_KIND,
        candidates=[
            Candidate(
                key=g.source_id, label=f"group {g.name}", content=g, content_hash=_group_hash(g)
            )
            for g in groups
        ],
        write=lambda chunk: ctx.shop.write_customer_groups(
            [GroupWrite(c.key, c.content, c.shop_id) for c in chunk]
        ),
        what=N_("customer group"),
    )


def _group_hash(group: CustomerGroup) -> str:
    data = asdict(group)
    data.pop("source_id")
    return content_hash(data)


def _candidates(
    ctx: FlowContext,
    customers: Iterable[Customer],
    bindings: dict[str, Binding],
    groups: frozenset[str],
) -> list[Candidate[Customer]]:
    """The accounts to hold in the shop (customers, then each one's contacts), the
    others reported with what to change to send them."""
    options = ctx.profile.customers
    candidates: list[Candidate[Customer]] = []
    first_with: dict[str, str] = {}  # e-mail → label of the account sent with it in this run

    def bound(key: str) -> bool:
        binding = bindings.get(key)
        return binding is not None and bool(binding.remote_id)

    def add(key: str, label: str, account: Customer) -> None:
        email = account.email.strip().lower()
        if email and not bound(key):
            other = first_with.setdefault(email, label)
            if other != label:
                ctx.journal.record(
                    "skipped",
                    label,
                    M_(
                        "e-mail %(email)s is also the e-mail of %(other)s, sent first: a shop "
                        "account has one e-mail, give this one its own",
                        email=account.email,
                        other=other,
                    ),
                )
                return
        account = shop_state(account, options)
        candidates.append(
            Candidate(
                key=key,
                label=label,
                content=account,
                content_hash=customer_hash(account, groups),
                fields=written_fields(groups),
            )
        )

    for customer in customers:
        label = customer.code or customer.source_id
        contacts = customer.contacts if options.contacts else ()
        if not customer.active and options.skip_inactive:
            _dormant(ctx, customer, label, bound, add)
            continue
        if options.skip_without_email and not valid_email(customer.email):
            what = (
                M_("e-mail %(email)s is not valid", email=repr(customer.email))
                if customer.email
                else M_("no valid e-mail address")
            )
            ctx.journal.record(
                "skipped",
                label,
                M_(
                    "%(what)s: not sent (give the customer an e-mail in the back-office to "
                    "send it)",
                    what=what,
                ),
            )
        else:
            add(customer.source_id, label, customer)
        for contact in contacts:
            contact_label = f"{label} contact {contact.name or contact.email}"
            if not valid_email(contact.email):
                ctx.journal.record(
                    "skipped",
                    contact_label,
                    M_(
                        "no valid e-mail: not sent as a shop account (give the contact an "
                        "e-mail in the back-office to send it)"
                    ),
                )
                continue
            if contact.email.strip().lower() == customer.email.strip().lower():
                ctx.journal.record(
                    "skipped",
                    contact_label,
                    M_(
                        "same e-mail as its customer (%(email)s): the customer's own shop "
                        "account serves it",
                        email=customer.email,
                    ),
                )
                continue
            add(contact_key(customer, contact), contact_label, contact_account(customer, contact))
    return candidates


def _dormant(
    ctx: FlowContext,
    customer: Customer,
    label: str,
    bound: Callable[[str], bool],
    add: Callable[[str, str, Customer], None],
) -> None:
    """K3: a dormant customer (and its contacts) disabled in the shop if it is there."""
    options = ctx.profile.customers
    if not (options.disable_inactive and bound(customer.source_id)):
        ctx.journal.record(
            "skipped", label, M_("dormant in the back-office and not in the shop: not sent")
        )
        return
    # Written before the outcome is known: a platform that cannot disable an
    # account answers it as unsupported, journaled right after the write.
    ctx.journal.info(
        M_(
            "dormant in the back-office: passerelle asks the shop to disable its account "
            "(what the shop did follows)"
        ),
        label,
    )
    add(customer.source_id, label, customer)
    if not options.contacts:
        return
    for contact in customer.contacts:
        key = contact_key(customer, contact)
        if valid_email(contact.email) and bound(key):
            add(
                key,
                f"{label} contact {contact.name or contact.email}",
                contact_account(customer, contact),
            )


def _adopt_by_email(
    ctx: FlowContext,
    candidates: list[Candidate[Customer]],
    unbound: list[Candidate[Customer]],
    bindings: dict[str, Binding],
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
                "skipped",
                candidate.label,
                M_(
                    "e-mail %(email)s already belongs to back-office customer %(other)s (shop "
                    "account %(id)s); merge the two customers or change one e-mail",
                    email=candidate.content.email,
                    other=other,
                    id=shop_id,
                ),
            )
            refused.add(candidate.key)
            continue
        owner[shop_id] = candidate.key
        candidate.shop_id = shop_id
        ctx.journal.info(
            M_("e-mail already has a shop account (id %(id)s): updated", id=shop_id),
            candidate.label,
        )
    return [c for c in candidates if c.key not in refused]
