"""What the order flows read from the back-office once per run, and the
refusal to start while a mapping names something the back-office lacks (O14).

A mapping mistake found on the hundredth order would park a hundred orders;
found before the first, it is one message with one line per missing entry.
"""

from __future__ import annotations

from collections.abc import Iterable

from passerelle.connectors.base import BackOffice
from passerelle.connectors.errors import FatalError
from passerelle.flows.base import FlowContext
from passerelle.flows.order_mapping import BackOfficeFacts
from passerelle.flows.refusals import listed
from passerelle.i18n.messages import M_, Message
from passerelle.model.currencies import ISO_4217
from passerelle.profiles.schema import OrderOptions

__all__ = ["check_order_options", "missing_entries", "order_references", "read_facts"]


def read_facts(ctx: FlowContext) -> BackOfficeFacts:
    """Items, taxes, currencies and (when substitutes are on) withdrawn items of the
    back-office."""
    options = ctx.profile.orders
    item_codes = frozenset(ctx.backoffice.item_codes())
    retired: frozenset[str] = frozenset()
    if "inactive" in options.substitute_when:
        retired = frozenset(
            i.code for i in ctx.backoffice.list_items() if i.code and i.code not in item_codes
        )
    quantities = {}
    if "out_of_stock" in options.substitute_when:
        quantities = ctx.backoffice.item_quantities(item_codes)
    return BackOfficeFacts(
        item_codes=item_codes,
        taxes={tax.name: tax for tax in ctx.backoffice.list_taxes()},
        retired_codes=retired,
        quantities=quantities,
        currencies=backoffice_currencies(ctx.backoffice, options),
        today=ctx.now.date(),
        arithmetic=ctx.backoffice.arithmetic,
    )


def backoffice_currencies(backoffice: BackOffice, options: OrderOptions) -> frozenset[str]:
    """The ISO 4217 codes (and the codes ``orders.currencies`` maps to) the back-office has.

    Read once per run, in one lookup, so an order in a currency the back-office
    lacks is set aside before mapping with the currency named, instead of
    failing when its document is written.
    """
    candidates = set(ISO_4217) | set(options.currencies.values())
    return frozenset(candidates - backoffice.missing_references("currency", candidates))


def order_references(options: OrderOptions) -> Iterable[tuple[str, str, str]]:
    """(kind, name, where in the profile) of every back-office record the options name."""
    for where, code in options.special_items().items():
        yield "item", code, f"orders.{where}"
    for entry in options.taxes:
        yield "tax", entry.tax, "orders.taxes"
    if options.default_tax:
        yield "tax", options.default_tax, "orders.default_tax"
    for zone in options.tax_zones:
        for rule in (zone.with_tax, zone.without_tax):
            if rule:
                yield "tax_rule", rule, f"orders.tax_zones ({zone.country or 'default'})"
    for method, mapping in sorted(options.payments.items()):
        yield "payment_journal", mapping.journal, f"orders.payments.{method}.journal"
        for currency, journal in sorted(mapping.journals_by_currency.items()):
            yield (
                "payment_journal",
                journal,
                f"orders.payments.{method}.journals_by_currency.{currency}",
            )
            yield "currency", currency, f"orders.payments.{method}.journals_by_currency"
        if mapping.payment_term:
            yield "payment_term", mapping.payment_term, f"orders.payments.{method}.payment_term"
        if mapping.receivable_account:
            yield (
                "account",
                mapping.receivable_account,
                f"orders.payments.{method}.receivable_account",
            )
    for shop_currency, currency in sorted(options.currencies.items()):
        yield "currency", currency, f"orders.currencies.{shop_currency}"
    for method, carrier in sorted(options.carriers.items()):
        yield "carrier", carrier, f"orders.carriers.{method}"
    if options.warehouse:
        yield "warehouse", options.warehouse, "orders.warehouse"
    if options.new_customer_category:
        yield "customer_category", options.new_customer_category, "orders.new_customer_category"
    if options.new_customer_representative:
        yield (
            "representative",
            options.new_customer_representative,
            "orders.new_customer_representative",
        )
    if options.receivable_mode == "single" and options.receivable_account:
        yield "account", options.receivable_account, "orders.receivable_account"


def missing_entries(options: OrderOptions, backoffice: BackOffice) -> list[Message]:
    """One line per entry of the options that the back-office does not have."""
    wanted: dict[str, list[tuple[str, str]]] = {}
    for kind, name, where in order_references(options):
        wanted.setdefault(kind, []).append((name, where))
    lines: list[Message] = []
    for kind, entries in wanted.items():
        missing = backoffice.missing_references(kind, {name for name, _ in entries})
        for name, where in entries:
            if name in missing:
                lines.append(
                    M_(
                        "%(option)s: %(kind)s %(name)s does not exist in the back-office",
                        option=where,
                        kind=kind.replace("_", " "),
                        name=repr(name),
                    )
                )
    return lines


def check_order_options(options: OrderOptions, backoffice: BackOffice) -> None:
    """O14: refuse to import anything while an entry is missing; say each one."""
    lines = missing_entries(options, backoffice)
    if lines:
        intro = M_(
            "import refused, the profile names what the back-office does not have "
            "(create it, or change the profile):"
        )
        raise FatalError(listed(intro, lines))
