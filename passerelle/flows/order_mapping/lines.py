"""Order lines → back-office sale lines (O8, O10, O14, O16, O25), as pure rules.

Each shop line keeps its own taxes (mapped by O10). What the shop folded
into amounts is written as lines of its own, on the special items the
profile names, so the accountant sees it: discounts (one line per VAT code,
O14), gift cards, gift wrapping, eco-tax (O16), fees. A unit price rounded
to the back-office's digits that no longer gives the shop's line amount gets
a rounding line in the same VAT code, so every VAT base stays the shop's to
the cent.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from passerelle.connectors.arithmetic import BackOfficeArithmetic, TaxSpec, cents, quantize
from passerelle.flows.order_mapping.money import split_pro_rata
from passerelle.flows.order_mapping.problems import OrderProblem, located, order_label
from passerelle.i18n.messages import M_, Text
from passerelle.model import (
    FeeLine,
    Order,
    OrderCoupon,
    OrderLine,
    SaleLine,
    SaleLineKind,
    ShippingLine,
    Tax,
    TaxLine,
)
from passerelle.profiles.schema import OrderOptions

__all__ = [
    "BackOfficeFacts",
    "LineSet",
    "build_lines",
    "map_tax",
]

_NAMED_ITEM = re.compile(r"\[([A-Za-z0-9_.\-]+)\]")


@dataclass(frozen=True)
class BackOfficeFacts:
    """What the back-office holds that the rules need, read once per run."""

    item_codes: frozenset[str]
    taxes: Mapping[str, Tax]  # by back-office tax name
    retired_codes: frozenset[str] = frozenset()  # items that exist but are not for sale
    # ISO codes of the back-office's currencies; None when not read (nothing checked).
    currencies: frozenset[str] | None = None
    quantities: Mapping[str, Decimal] = field(default_factory=dict)  # stock on hand
    today: date | None = None
    # How the back-office rounds a document (``BackOffice.arithmetic``): the
    # totals the mapping computes are the ones the back-office will store.
    arithmetic: BackOfficeArithmetic = field(kw_only=True)

    def tax_specs(self) -> dict[str, TaxSpec]:
        return {
            t.source_id: TaxSpec(t.source_id, t.rate, t.updates_unit_price)
            for t in self.taxes.values()
        }


@dataclass
class LineSet:
    """The sale lines of one document, and the shop's figures they must add up to."""

    lines: list[SaleLine] = field(default_factory=list)
    shop_total: Decimal = Decimal(0)  # tax included, what the shop says this part costs
    shop_bases: dict[str, Decimal] = field(default_factory=dict)  # tax id -> net base


def map_tax(options: OrderOptions, tax: TaxLine, where: Text) -> str:
    """O10: the back-office tax name for a shop tax (by label, then by rate)."""
    label = tax.label.casefold()
    percent = tax.rate * 100 if tax.rate is not None else None
    for entry in options.taxes:
        label_ok = entry.shop_label is None or entry.shop_label.casefold() == label
        rate_ok = entry.shop_rate is None or (
            percent is not None and Decimal(entry.shop_rate) == percent
        )
        if label_ok and rate_ok:
            return entry.tax
    if options.default_tax:
        return options.default_tax
    fix = M_(
        "add shop_label = %(label)s with its back-office tax, or set orders.default_tax",
        label=repr(tax.label),
    )
    if percent is not None:
        raise OrderProblem(
            located(
                where,
                M_(
                    "shop tax %(label)s (%(rate)s %%) has no entry in orders.taxes (%(fix)s)",
                    label=repr(tax.label),
                    rate=percent.normalize(),
                    fix=fix,
                ),
            )
        )
    raise OrderProblem(
        located(
            where,
            M_(
                "shop tax %(label)s has no entry in orders.taxes (%(fix)s)",
                label=repr(tax.label),
                fix=fix,
            ),
        )
    )


def _tax_names(
    options: OrderOptions, taxes: Sequence[TaxLine], facts: BackOfficeFacts, where: Text
) -> tuple[str, ...]:
    """Mapped back-office tax names, in the order the back-office applies them."""
    names: list[str] = []
    for tax in taxes:
        if tax.amount == 0 and tax.rate in (None, Decimal(0)):
            continue
        name = map_tax(options, tax, where)
        if name not in facts.taxes:
            raise OrderProblem(
                located(
                    where,
                    M_(
                        "orders.taxes maps %(label)s to %(name)s, which is not a back-office tax",
                        label=repr(tax.label),
                        name=repr(name),
                    ),
                )
            )
        if name not in names:
            names.append(name)
    # A tax that raises the base of the next ones comes first (O24).
    return tuple(sorted(names, key=lambda n: not facts.taxes[n].updates_unit_price))


def _unit(amount: Decimal, quantity: Decimal, decimals: int) -> Decimal:
    return quantize(amount / quantity, Decimal(1).scaleb(-decimals), ROUND_HALF_UP)


class _Builder:
    """Collects the lines of one document; the VAT code of a line is its tax-name tuple."""

    def __init__(
        self,
        order: Order,
        options: OrderOptions,
        facts: BackOfficeFacts,
        untaxed_use_item_taxes: bool,
    ) -> None:
        self.order = order
        self.options = options
        self.facts = facts
        self.where = order_label(order.number)
        self.result = LineSet()
        self.untaxed_use_item_taxes = untaxed_use_item_taxes
        # VAT code -> [net base before discounts, discount already in the shop's lines]
        self.groups: dict[tuple[str, ...], list[Decimal]] = {}

    # -- helpers -----------------------------------------------------------
    def ids(self, names: tuple[str, ...]) -> tuple[str, ...]:
        return tuple(self.facts.taxes[n].source_id for n in names)

    def add(
        self,
        code: str,
        description: str,
        quantity: Decimal,
        amount: Decimal,
        names: tuple[str, ...],
        kind: SaleLineKind,
        *,
        shipment_cost: bool = False,
    ) -> None:
        """A line whose untaxed amount must be ``amount`` exactly in the back-office."""
        unit = _unit(amount, quantity, self.options.unit_price_decimals)
        item_taxes = (
            not names
            and self.untaxed_use_item_taxes
            and kind not in (SaleLineKind.GIFT_CARD, SaleLineKind.GAP)
        )
        self.result.lines.append(
            SaleLine(
                code, description, quantity, unit, self.ids(names), kind, shipment_cost, item_taxes
            )
        )
        written = self.facts.arithmetic.line_amount(quantity, unit)
        if written != amount:
            # The rounded unit price misses the shop's amount by a cent or so:
            # a rounding line in the same VAT code keeps the VAT base exact.
            self.result.lines.append(
                SaleLine(
                    self.options.gap_item,
                    f"Rounding: {description}".strip(),
                    Decimal(1),
                    amount - written,
                    self.ids(names),
                    SaleLineKind.GAP,
                    False,
                    item_taxes,
                )
            )
        for tax_id in self.ids(names):
            self.result.shop_bases[tax_id] = self.result.shop_bases.get(tax_id, Decimal(0)) + amount

    def item_for(self, line: OrderLine) -> tuple[str, str]:
        """O8: the item code and description of a product line."""
        options, facts = self.options, self.facts
        reference = line.reference
        substitute = options.substitute_item
        if reference in facts.item_codes:
            if (
                "out_of_stock" in options.substitute_when
                and substitute
                and reference in facts.quantities
                and facts.quantities[reference] <= 0
            ):
                return substitute, f"{reference} {line.name} (out of stock)".strip()
            return reference, "" if options.backoffice_labels else line.name
        if (
            reference in facts.retired_codes
            and "inactive" in options.substitute_when
            and substitute
        ):
            return substitute, f"{reference} {line.name} (withdrawn)".strip()
        return options.misc_item, f"{reference} {line.name}".strip()

    # -- the parts of an order -------------------------------------------
    def product(self, line: OrderLine) -> None:
        if line.quantity == 0:
            return
        where = located(
            self.where,
            M_("line %(line)s", line=line.reference or repr(line.name)),
            ", ",
        )
        names = _tax_names(self.options, line.taxes, self.facts, where)
        code, description = self.item_for(line)
        per_vat = self.options.discount_mode == "per_vat" and self.options.prices_from == "net"
        amount = line.subtotal if per_vat else line.total
        if self.options.prices_from == "gross":
            rate = sum((t.rate or Decimal(0) for t in line.taxes), Decimal(0))
            gross = line.total + line.total_tax
            amount = cents(gross / (1 + rate)) if rate else line.total
        ecotax = cents(line.ecotax * line.quantity)
        if self.options.ecotax_mode == "separate_line" and ecotax:
            amount -= ecotax
        self.add(code, description, line.quantity, amount, names, SaleLineKind.PRODUCT)
        if self.options.ecotax_mode == "separate_line" and ecotax:
            item = self.options.ecotax_item or self.options.misc_item
            self.add(
                item,
                f"Eco-tax {line.reference}".strip(),
                line.quantity,
                ecotax,
                names,
                SaleLineKind.ECOTAX,
            )
        group = self.groups.setdefault(names, [Decimal(0), Decimal(0)])
        group[0] += line.subtotal if per_vat else amount
        if per_vat:
            group[1] += line.subtotal - line.total
        self.result.shop_total += line.total + line.total_tax

    def shipping(self, line: ShippingLine) -> None:
        if line.total == 0 and not self.options.zero_amount_lines:
            return
        where = located(self.where, M_("shipping"), ", ")
        names = _tax_names(self.options, line.taxes, self.facts, where)
        self.add(
            self.options.shipping_item,
            line.title or "Shipping",
            Decimal(1),
            line.total,
            names,
            SaleLineKind.SHIPPING,
            shipment_cost=self.options.shipping_mode == "shipment_cost",
        )
        self.result.shop_total += line.total + line.total_tax

    def fee(self, line: FeeLine) -> None:
        if line.total == 0 and not self.options.zero_amount_lines:
            return
        where = located(self.where, M_("fee %(name)s", name=repr(line.name)), ", ")
        names = _tax_names(self.options, line.taxes, self.facts, where)
        wrap = {n.casefold() for n in self.options.gift_wrap_fee_names}
        if line.name.casefold() in wrap:
            self.add(
                self.options.gift_wrap_item,
                line.name,
                Decimal(1),
                line.total,
                names,
                SaleLineKind.GIFT_WRAP,
            )
        else:
            self.add(
                self.options.misc_item, line.name, Decimal(1), line.total, names, SaleLineKind.FEE
            )
        self.result.shop_total += line.total + line.total_tax

    def gift_cards(self) -> None:
        for card in self.order.gift_cards:
            if not self.options.gift_card_item:
                raise OrderProblem(
                    located(
                        self.where,
                        M_(
                            "gift card %(code)s redeemed, but orders.gift_card_item is not set; "
                            "name the back-office item gift cards are written on",
                            code=repr(card.code),
                        ),
                    )
                )
            self.add(
                self.options.gift_card_item,
                f"Gift card {card.code}",
                Decimal(1),
                -card.amount,
                (),
                SaleLineKind.GIFT_CARD,
            )
            self.result.shop_total -= card.amount

    def discounts(self, unallocated: Decimal) -> None:
        """O14: one line per VAT code (and coupon item) with the discount of that code."""
        if self.options.discount_mode != "per_vat" or self.options.prices_from != "net":
            return
        codes = list(self.groups)
        per_group = [self.groups[c][1] for c in codes]
        if unallocated:
            extra = split_pro_rata(unallocated, [self.groups[c][0] for c in codes])
            per_group = [a + b for a, b in zip(per_group, extra, strict=True)]
        coupons = [c for c in self.order.coupons if c.discount > 0]
        for names, discount in zip(codes, per_group, strict=True):
            if not discount:
                continue
            if coupons:
                parts = split_pro_rata(discount, [c.discount for c in coupons])
                for coupon, part in zip(coupons, parts, strict=True):
                    if part:
                        self._discount_line(names, part, coupon)
            else:
                self._discount_line(names, discount, None)

    def _discount_line(
        self, names: tuple[str, ...], amount: Decimal, coupon: OrderCoupon | None
    ) -> None:
        item = self.options.discount_items.get(names[0] if names else "", "")
        if not item:
            item = self.options.misc_item
        if coupon is not None:
            named = _NAMED_ITEM.search(coupon.description)
            if named:
                item = named.group(1)
                if item not in self.facts.item_codes:
                    raise OrderProblem(
                        located(
                            self.where,
                            M_(
                                "coupon %(code)s names item %(item)s in its description, which "
                                "is not a back-office item; create it or fix the coupon's "
                                "description",
                                code=repr(coupon.code),
                                item=repr(item),
                            ),
                        )
                    )
        label = "Discount"
        if coupon is not None:
            label += f" {coupon.code}"
        if names:
            label += f" ({', '.join(names)})"
        self.add(item, label, Decimal(1), -amount, names, SaleLineKind.DISCOUNT)


def build_lines(
    order: Order,
    options: OrderOptions,
    facts: BackOfficeFacts,
    *,
    products: Sequence[OrderLine],
    shipping: Sequence[ShippingLine],
    with_order_level: bool,
    unallocated_discount: Decimal,
    untaxed_use_item_taxes: bool = False,
) -> LineSet:
    """The lines of one document: these products and shipping lines, and, when
    ``with_order_level``, the order's fees and gift cards."""
    builder = _Builder(order, options, facts, untaxed_use_item_taxes)
    for line in products:
        builder.product(line)
    builder.discounts(unallocated_discount)
    for ship in shipping:
        builder.shipping(ship)
    if with_order_level:
        for fee in order.fee_lines:
            builder.fee(fee)
        builder.gift_cards()
    return builder.result
