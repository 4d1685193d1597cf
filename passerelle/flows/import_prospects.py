"""K4: shop customers who never ordered become back-office customers (prospects).

Buyers reach the back-office with their first order (the order import); a
prospect is a shop account opened since ``customers.prospects_since`` with
no order yet, which the merchant wants to follow up. Each is written once:
bound under its shop id (kind ``prospect``), it is never read as new again.
A shop account whose e-mail a back-office customer already has is linked to
that customer, not duplicated; accounts the customer export created from the
back-office are not prospects at all.

The account code follows the order import's rule (prefix + the shop
customer id, zero-padded to ``orders.account_length``), so with the same
prefix a prospect who later orders is recognised by code as well as by
e-mail. Writes the back-office only: it runs in test mode too.
"""

from __future__ import annotations

from datetime import UTC, datetime, time

from passerelle.connectors.errors import ConnectorError, FatalError
from passerelle.flows.base import FlowContext, flow
from passerelle.flows.customer_mapping import valid_email
from passerelle.flows.export_customers import KIND as EXPORTED_KIND
from passerelle.flows.order_mapping.customers import normalise_address, normalise_text, padded
from passerelle.i18n import N_
from passerelle.i18n.messages import M_, Message, said
from passerelle.model import Address, Customer, ShopCustomer

__all__ = ["FLOW", "KIND", "prospect_customer"]

FLOW = "import-prospects"
KIND = "prospect"


# K4
@flow(FLOW, writes_shop=False, summary=N_("shop customers without orders to the back-office"))
def run(ctx: FlowContext) -> None:
    options = ctx.profile.customers
    if options.prospects_since is None:
        raise FatalError(
            M_(
                "import-prospects needs customers.prospects_since in the profile: the date "
                "from which shop accounts without orders are imported (e.g. prospects_since = "
                '"2025-01-01"); nothing was imported'
            )
        )
    _check_category(ctx)
    since = datetime.combine(options.prospects_since, time.min, tzinfo=UTC)
    done = ctx.store.bindings(ctx.name, KIND)
    exported = {
        b.remote_id for b in ctx.store.bindings(ctx.name, EXPORTED_KIND).values() if b.remote_id
    }
    for shop_customer in ctx.shop.iter_customers(created_after=since):
        label = M_(
            "shop customer %(id)s (%(email)s)",
            id=shop_customer.shop_id,
            email=shop_customer.email or M_("no e-mail"),
        )
        if shop_customer.shop_id in done:
            ctx.journal.count("unchanged")
        elif shop_customer.has_orders:
            ctx.journal.record(
                "skipped", label, M_("has orders: the order import brings it"), echo=False
            )
        elif shop_customer.shop_id in exported:
            ctx.journal.record(
                "skipped",
                label,
                M_("sent to the shop by export-customers: already a back-office customer"),
                echo=False,
            )
        elif shop_customer.created_at is not None and shop_customer.created_at < since:
            continue  # a shop that cannot filter by date: not a prospect of this period
        else:
            _import(ctx, shop_customer, label)


def _check_category(ctx: FlowContext) -> None:
    """Refuse before writing anything when the prospects' category does not exist."""
    category = ctx.profile.customers.prospect_category
    if category and ctx.backoffice.missing_references("customer_category", [category]):
        raise FatalError(
            M_(
                "customers.prospect_category: customer category %(category)s does not exist "
                "in the back-office (create it, or change the profile); nothing was imported",
                category=repr(category),
            )
        )


def _import(ctx: FlowContext, shop_customer: ShopCustomer, label: Message) -> None:
    if not valid_email(shop_customer.email):
        ctx.journal.record(
            "skipped",
            label,
            M_(
                "no valid e-mail: not imported (a prospect without e-mail cannot be followed "
                "up; correct the shop account to import it)"
            ),
        )
        return
    try:
        existing = ctx.backoffice.find_customer(email=shop_customer.email)
        if existing is not None:
            _link(ctx, shop_customer, existing, label)
            return
        customer = prospect_customer(ctx, shop_customer)
        taken = ctx.backoffice.find_customer(code=customer.code)
        if taken is not None:
            problem = M_(
                "account code %(code)s already belongs to back-office customer %(name)s "
                "(%(email)s); change customers.prospect_code_prefix",
                code=customer.code,
                name=taken.name,
                email=taken.email or M_("no e-mail"),
            )
            ctx.store.park(ctx.name, FLOW, shop_customer.shop_id, problem, "error")
            ctx.journal.record("parked", label, problem)
            return
        written = ctx.backoffice.upsert_customer(customer)
    except FatalError:
        raise
    except ConnectorError as exc:
        severity = ctx.transient_failure(exc)
        reason = M_("%(label)s: %(error)s", label=label, error=said(exc))
        ctx.store.park(ctx.name, FLOW, shop_customer.shop_id, reason, severity)
        ctx.journal.record("failed", label, said(exc))
        return
    ctx.store.bind(ctx.name, KIND, shop_customer.shop_id, written.code or written.source_id, None)
    ctx.store.resolve(ctx.name, FLOW, shop_customer.shop_id)
    ctx.journal.record(
        "created", label, M_("back-office customer %(code)s created", code=written.code)
    )


def _link(
    ctx: FlowContext, shop_customer: ShopCustomer, existing: Customer, label: Message
) -> None:
    ctx.store.bind(ctx.name, KIND, shop_customer.shop_id, existing.code or existing.source_id, None)
    ctx.store.resolve(ctx.name, FLOW, shop_customer.shop_id)
    ctx.journal.record(
        "skipped",
        label,
        M_(
            "same e-mail as back-office customer %(customer)s: linked to it, not created again",
            customer=existing.code or existing.name,
        ),
    )


def prospect_customer(ctx: FlowContext, shop_customer: ShopCustomer) -> Customer:
    """The back-office customer a prospect becomes, written like the order import's buyers
    (accents and case per ``orders`` options, same code rule)."""
    options = ctx.profile.customers
    orders = ctx.profile.orders
    code = padded(options.prospect_code_prefix, shop_customer.shop_id, orders.account_length)

    def text(value: str) -> str:
        return normalise_text(
            value, strip_accents=orders.strip_accents, upper=orders.uppercase_names
        )

    full_name = " ".join(p for p in (shop_customer.first_name, shop_customer.last_name) if p)
    address = shop_customer.address
    addresses: tuple[Address, ...] = ()
    if address is not None and not address.is_empty():
        addresses = (normalise_address(address, orders),)
    return Customer(
        source_id=code,
        code=code,
        name=text(shop_customer.company or full_name or shop_customer.email),
        email=shop_customer.email,
        first_name=text(shop_customer.first_name),
        last_name=text(shop_customer.last_name),
        company=text(shop_customer.company),
        phone=shop_customer.phone,
        addresses=addresses,
        category=options.prospect_category or "",
        created_at=shop_customer.created_at,
    )
