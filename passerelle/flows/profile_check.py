"""Does each side have what the profile names? Every missing name, at once, before a write.

A profile names records of both sides: back-office taxes, payment journals,
items and warehouses; the shop's tax classes, payment methods, order
statuses and shipping methods. A name that does not exist costs dearly when
found late: a product sent with a tax class the shop lacks is charged at the
shop's standard rate without a word from the shop (real WooCommerce answers
200), and a missing journal parks every order paid that way. ``profile test``
asks each side once per kind and lists every missing name, grouped by side
and kind, with the profile field that names it, so the merchant fixes the
profile once.

The back-office's order references are those the order import checks before it
starts (``flows.order_checks.order_references``); the catalogue adds its own.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from passerelle.connectors.base import BackOffice, Shop
from passerelle.connectors.errors import ConnectorError
from passerelle.flows.order_checks import order_references
from passerelle.profiles.catalogue_options import CatalogueOptions
from passerelle.profiles.schema import Profile

__all__ = [
    "BACKOFFICE",
    "SHOP",
    "Missing",
    "ReferenceReport",
    "backoffice_references",
    "check_profile",
    "missing_in_shop",
    "shop_references",
    "tax_class_sources",
]

BACKOFFICE = "back-office"
SHOP = "shop"

# Kinds in the merchant's words, plural (a heading per kind).
_KIND_WORDS = {
    "item": "items",
    "tax": "taxes",
    "tax_rule": "tax rules",
    "carrier": "carriers",
    "payment_journal": "payment journals",
    "payment_term": "payment terms",
    "currency": "currencies",
    "warehouse": "warehouses",
    "customer_category": "customer categories",
    "representative": "sales representatives",
    "account": "accounts",
    "price_list": "price lists",
    "attribute": "item attributes",
    "tax_class": "tax classes",
    "payment_method": "payment methods",
    "order_status": "order statuses",
    "shipping_method": "shipping methods",
}

Reference = tuple[str, str, str]  # (kind, name, profile field naming it)


@dataclass(frozen=True, slots=True)
class Missing:
    """A name the profile uses that one side does not have."""

    side: str  # BACKOFFICE or SHOP
    kind: str
    name: str
    where: str  # the profile field(s) naming it


@dataclass(slots=True)
class ReferenceReport:
    """What ``check_profile`` found: the missing names, and the sides it could not ask."""

    missing: list[Missing] = field(default_factory=list)
    unchecked: list[str] = field(default_factory=list)  # sentences: why a side was not asked

    @property
    def ok(self) -> bool:
        return not self.missing

    def lines(self) -> list[str]:
        """The report for the merchant: by side, then by kind, one line per name."""
        out: list[str] = []
        for side, title in ((BACKOFFICE, "the back-office"), (SHOP, "the shop")):
            found = [m for m in self.missing if m.side == side]
            if not found:
                continue
            out.append(f"missing in {title} ({len(found)}):")
            for kind in dict.fromkeys(m.kind for m in found):
                out.append(f"  {_KIND_WORDS.get(kind, kind)}:")
                out += [f"    - {m.name!r} (named by {m.where})" for m in found if m.kind == kind]
        if self.missing:
            out.append("create them, or change the profile to name ones that exist")
        return out + self.unchecked


def tax_class_sources(options: CatalogueOptions) -> dict[str, list[str]]:
    """Each shop tax class the catalogue options name → the option(s) naming it.

    The empty class is the shop's standard rate, which every shop has.
    """
    sources: dict[str, list[str]] = {}
    for tax, shop_class in options.tax_classes.items():
        sources.setdefault(shop_class, []).append(f"catalogue.tax_classes.{tax!r}")
    if options.default_tax_class is not None:
        sources.setdefault(options.default_tax_class, []).append("catalogue.default_tax_class")
    if options.all_tax_class is not None:
        sources.setdefault(options.all_tax_class, []).append("catalogue.all_tax_class")
    return {name: where for name, where in sources.items() if name.strip()}


def backoffice_references(profile: Profile) -> Iterator[Reference]:
    """(kind, name, where) of every back-office record the profile names."""
    yield from order_references(profile.orders)
    catalogue = profile.catalogue
    for tax in catalogue.tax_classes:
        if not tax.isdigit():  # a tax may be named by its back-office id too
            yield "tax", tax, "catalogue.tax_classes"
    if catalogue.reverse.default_tax:
        yield "tax", catalogue.reverse.default_tax, "catalogue.reverse.default_tax"
    for warehouse in catalogue.stock.warehouses:
        yield "warehouse", warehouse, "catalogue.stock.warehouses"
    if catalogue.prices.promotion_price_list:
        yield (
            "price_list",
            catalogue.prices.promotion_price_list,
            "catalogue.prices.promotion_price_list",
        )
    if profile.customers.prospect_category:
        yield (
            "customer_category",
            profile.customers.prospect_category,
            "customers.prospect_category",
        )


def shop_references(profile: Profile) -> Iterator[Reference]:
    """(kind, name, where) of every shop record the profile names.

    A payment mapping is satisfied by its method or any of its aliases (the
    names marketplaces give the same method), so it is checked as a group in
    :func:`check_profile`; here each alias is listed under its mapping.
    """
    for shop_class, where in tax_class_sources(profile.catalogue).items():
        yield "tax_class", shop_class, ", ".join(where)
    orders = profile.orders
    for status in orders.statuses:
        yield "order_status", status, "orders.statuses"
    for status in orders.awaiting_payment_statuses:
        yield "order_status", status, "orders.awaiting_payment_statuses"
    if orders.status_after_import:
        yield "order_status", orders.status_after_import, "orders.status_after_import"
    if orders.shipments.status:
        yield "order_status", orders.shipments.status, "orders.shipments.status"
    for method in orders.carriers:
        yield "shipping_method", method, "orders.carriers"


def _payment_groups(profile: Profile) -> dict[str, tuple[str, ...]]:
    """Each mapped payment method → every name it may have in the shop."""
    return {
        method: (method, *mapping.aliases) for method, mapping in profile.orders.payments.items()
    }


def _grouped(references: Iterable[Reference]) -> dict[str, dict[str, list[str]]]:
    """kind → name → the fields naming it (one name asked once, whoever names it)."""
    wanted: dict[str, dict[str, list[str]]] = {}
    for kind, name, where in references:
        fields = wanted.setdefault(kind, {}).setdefault(name, [])
        if where not in fields:
            fields.append(where)
    return wanted


def _ask(side: Any, kind: str, names: Iterable[str]) -> set[str]:
    return set(side.missing_references(kind, sorted(set(names))))


def missing_in_shop(shop: Shop, kind: str, names: Iterable[str]) -> set[str] | None:
    """The ``names`` the shop lacks as ``kind``; None when this shop cannot tell."""
    if not callable(getattr(shop, "missing_references", None)):
        return None
    try:
        return _ask(shop, kind, names)
    except NotImplementedError:
        return None


def _side(report: ReferenceReport, side: str, ask: Any, references: Iterable[Reference]) -> None:
    for kind, names in _grouped(references).items():
        missing = ask(kind, names)
        report.missing += [
            Missing(side, kind, name, ", ".join(names[name])) for name in names if name in missing
        ]


def check_profile(
    profile: Profile, backoffice: BackOffice | None, shop: Shop | None
) -> ReferenceReport:
    """Ask each side (None: its connection failed, so it is not asked) for the names the
    profile uses; one question per kind and side."""
    report = ReferenceReport()
    if backoffice is not None:
        try:
            _side(
                report,
                BACKOFFICE,
                lambda kind, names: _ask(backoffice, kind, names),
                backoffice_references(profile),
            )
        except ConnectorError as exc:
            report.unchecked.append(f"the back-office's names could not be checked: {exc}")
    if shop is not None:
        try:
            _check_shop(report, profile, shop)
        except ConnectorError as exc:
            report.unchecked.append(f"the shop's names could not be checked: {exc}")
    return report


def _check_shop(report: ReferenceReport, profile: Profile, shop: Shop) -> None:
    unknown: list[str] = []

    def ask(kind: str, names: Iterable[str]) -> set[str]:
        missing = missing_in_shop(shop, kind, names)
        if missing is None:
            unknown.append(_KIND_WORDS[kind])
            return set()
        return missing

    _side(report, SHOP, ask, shop_references(profile))
    groups = _payment_groups(profile)
    if groups:
        lacking = ask("payment_method", {n for names in groups.values() for n in names})
        report.missing += [
            Missing(
                SHOP,
                "payment_method",
                method,
                f"orders.payments.{method}"
                + (" (nor any of its aliases)" if len(names) > 1 else ""),
            )
            for method, names in groups.items()
            if all(n in lacking for n in names)
        ]
    if unknown:
        report.unchecked.append(
            f"the {profile.shop.kind} connector cannot list the shop's "
            f"{', '.join(dict.fromkeys(unknown))}: not checked"
        )
