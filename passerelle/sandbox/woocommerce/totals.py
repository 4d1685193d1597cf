"""Order totals computed the way WooCommerce computes them, in ``Decimal``.

Why: our importer compares back-office totals to the shop's to the cent, so
the sandbox must round where WooCommerce rounds and nowhere else
(``WC_Abstract_Order::calculate_totals``, ``WC_Discounts``, ``WC_Tax``):

- tax rates are matched on the shipping address (billing if none, else the
  store's base country), one rate per priority, per tax class;
- coupons are applied in cents to line *subtotals*, items sorted by price,
  descending: ``percent`` floors each item's share, ``fixed_cart`` spreads the
  amount pro rata (floored), and the leftover cents go one per unit;
- each line's taxes are computed on its subtotal and on its total, then
  rounded half-up to 2 decimals (``woocommerce_tax_round_at_subtotal`` = no);
  a compound rate (``_taxes.md``: "applied on top of other tax rates") is
  computed on the price plus the taxes of the rates before it, unrounded
  (``WC_Tax::calc_exclusive_tax``), and rounded with the others;
- an order whose prices include tax (``prices_include_tax``, set at checkout
  from the shop setting) carries gross line amounts: each line's taxes are
  taken out of its gross amount (``WC_Tax::calc_inclusive_tax``: compound
  rates peeled off last-first, then the regular ones share the rest), rounded
  per line, and the net is gross minus those rounded taxes
  (``WC_Cart_Totals``), so per-line rounding shows in the net amounts;
- shipping is taxed with the rates flagged ``shipping`` of the class the
  cart inherits (standard if any item is standard, else the single class,
  else the first class in the shop's order);
- ``discount_total`` = Σ subtotal − Σ total, ``discount_tax`` likewise on
  taxes, ``cart_tax`` = Σ tax lines, ``total`` = lines + fees + shipping +
  cart tax + shipping tax.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from decimal import ROUND_FLOOR, ROUND_HALF_UP, Decimal
from typing import Any

__all__ = ["Location", "compute_totals", "fmt_money", "fmt_tax", "match_rates", "q2"]

CENT = Decimal("0.01")
Location = tuple[str, str, str, str]  # country, state, postcode, city


def q2(value: Decimal) -> Decimal:
    """Round half-up to the cent (PHP ``round`` rounds half away from zero)."""
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def fmt_money(value: Decimal) -> str:
    """``wc_format_decimal($x, 2)``: always two decimals, e.g. ``"24.90"``."""
    text = f"{q2(value):f}"
    return "0.00" if text == "-0.00" else text


def fmt_tax(value: Decimal) -> str:
    """Item tax amounts as WooCommerce stores them: no trailing zeros (``"0.9"``)."""
    text = f"{q2(value).normalize():f}"
    return "0" if text in ("-0", "0.00") else text


def match_rates(
    rates: Sequence[dict[str, Any]], tax_class: str, location: Location, *, shipping: bool = False
) -> list[dict[str, Any]]:
    """``WC_Tax::find_rates``: the best rate per priority for a class and location."""
    country, state, postcode, city = (part.upper() for part in location)
    slug = tax_class or "standard"
    best: dict[int, dict[str, Any]] = {}
    for rate in sorted(rates, key=lambda r: (r["priority"], r["order"], r["id"])):
        if rate["class"] != slug or (shipping and not rate["shipping"]):
            continue
        if rate["country"] and rate["country"].upper() != country:
            continue
        if rate["state"] and rate["state"].upper() != state:
            continue
        postcodes = [p.upper() for p in rate.get("postcodes") or []]
        if postcodes and postcode not in postcodes:
            continue
        cities = [c.upper() for c in rate.get("cities") or []]
        if cities and city not in cities:
            continue
        best.setdefault(rate["priority"], rate)
    return [best[p] for p in sorted(best)]


def _calc_tax(
    amount: Decimal, rates: Sequence[dict[str, Any]], *, inclusive: bool = False
) -> dict[int, Decimal]:
    """``WC_Tax::calc_tax`` (exclusive or inclusive) then per-line rounding to the cent.

    Rates come in priority order; the result keeps that order.
    """
    taxes: dict[int, Decimal] = {rate["id"]: Decimal(0) for rate in rates}
    if inclusive:
        price = amount
        for rate in reversed([r for r in rates if r["compound"]]):
            taxes[rate["id"]] = price - price / (1 + Decimal(rate["rate"]) / 100)
            price -= taxes[rate["id"]]
        regular = [r for r in rates if not r["compound"]]
        regular_total = 1 + sum((Decimal(r["rate"]) for r in regular), Decimal(0)) / 100
        for rate in regular:
            taxes[rate["id"]] = Decimal(rate["rate"]) / 100 / regular_total * price
        return {rate_id: q2(tax) for rate_id, tax in taxes.items()}
    for rate in rates:
        if not rate["compound"]:
            taxes[rate["id"]] = amount * Decimal(rate["rate"]) / 100
    base = amount + sum(taxes.values(), Decimal(0))
    for rate in rates:
        if rate["compound"]:
            taxes[rate["id"]] = base * Decimal(rate["rate"]) / 100
            base += taxes[rate["id"]]
    return {rate_id: q2(tax) for rate_id, tax in taxes.items()}


def _cents(value: Decimal) -> int:
    return int((value * 100).to_integral_value(rounding=ROUND_HALF_UP))


def _apply_coupons(
    lines: list[dict[str, Any]], coupons: list[dict[str, Any]]
) -> tuple[list[int], list[list[int]]]:
    """Per line discount in cents, and per coupon the cents it took from each line."""
    prices = [_cents(Decimal(line["subtotal"])) for line in lines]
    quantities = [max(int(line["quantity"]), 1) for line in lines]
    discounted = list(prices)
    order = sorted(range(len(lines)), key=lambda i: prices[i], reverse=True)
    per_coupon: list[list[int]] = []
    for coupon in coupons:
        amount = Decimal(str(coupon["nominal_amount"]))
        taken = [0] * len(lines)
        cart_total = sum(prices[i] for i in order)
        if cart_total <= 0:
            per_coupon.append(taken)
            continue
        if coupon["discount_type"] == "percent":
            target = int((Decimal(cart_total) * amount / 100).to_integral_value(ROUND_HALF_UP))
            for i in order:
                share = int((Decimal(prices[i]) * amount / 100).to_integral_value(ROUND_FLOOR))
                share = min(share, discounted[i])
                taken[i] += share
                discounted[i] -= share
        else:  # fixed_cart
            target = min(_cents(amount), cart_total)
            for i in order:
                share = int(
                    (Decimal(target) * prices[i] / cart_total).to_integral_value(ROUND_FLOOR)
                )
                share = min(share, discounted[i])
                taken[i] += share
                discounted[i] -= share
        remainder = target - sum(taken)
        while remainder > 0 and any(discounted[i] > 0 for i in order):
            for i in order:
                for _unit in range(quantities[i]):
                    if remainder <= 0 or discounted[i] <= 0:
                        break
                    taken[i] += 1
                    discounted[i] -= 1
                    remainder -= 1
                if remainder <= 0:
                    break
        per_coupon.append(taken)
    totals = [prices[i] - discounted[i] for i in range(len(lines))]
    return totals, per_coupon


def compute_totals(
    order: dict[str, Any],
    rates: Sequence[dict[str, Any]],
    class_slugs: Sequence[str],
    location: Location,
) -> None:
    """Recompute every derived amount of ``order`` in place (items and order level)."""
    lines = order["line_items"]
    coupons = order["coupon_lines"]
    line_discounts, per_coupon = _apply_coupons(lines, coupons)
    cart_taxes: dict[int, Decimal] = defaultdict(Decimal)
    shipping_taxes: dict[int, Decimal] = defaultdict(Decimal)
    subtotal_sum = total_sum = subtotal_tax_sum = total_tax_sum = Decimal(0)
    line_tax_delta: list[Decimal] = []
    for line, discount_cents in zip(lines, line_discounts, strict=True):
        applicable = (
            match_rates(rates, line.get("tax_class", ""), location)
            if line.get("_taxable", True)
            else []
        )
        if "_gross_total" in line and not coupons:
            # Tax-inclusive prices: taxes out of the gross, net = gross − rounded taxes.
            gross_subtotal = q2(Decimal(line["_gross_subtotal"]))
            gross_total = q2(Decimal(line["_gross_total"]))
            sub_taxes = _calc_tax(gross_subtotal, applicable, inclusive=True)
            tot_taxes = _calc_tax(gross_total, applicable, inclusive=True)
            subtotal = gross_subtotal - sum(sub_taxes.values(), Decimal(0))
            total = gross_total - sum(tot_taxes.values(), Decimal(0))
        else:
            subtotal = q2(Decimal(line["subtotal"]))
            if coupons:
                # recalculate_coupons: totals rebuilt from subtotals minus the coupons.
                total = subtotal - Decimal(discount_cents) / 100
            else:
                # Without coupons WooCommerce keeps the line total it was given.
                total = q2(Decimal(line.get("total") or line["subtotal"]))
            sub_taxes = _calc_tax(subtotal, applicable)
            tot_taxes = _calc_tax(total, applicable)
        line["subtotal"] = fmt_money(subtotal)
        line["total"] = fmt_money(total)
        line["subtotal_tax"] = fmt_money(sum(sub_taxes.values(), Decimal(0)))
        line["total_tax"] = fmt_money(sum(tot_taxes.values(), Decimal(0)))
        line["taxes"] = [
            {"id": rid, "total": fmt_tax(tot_taxes[rid]), "subtotal": fmt_tax(sub_taxes[rid])}
            for rid in tot_taxes
        ]
        quantity = int(line["quantity"])
        line["price"] = float(total / quantity) if quantity else 0
        for rid, amount in tot_taxes.items():
            cart_taxes[rid] += amount
        subtotal_sum += subtotal
        total_sum += total
        subtotal_tax_sum += sum(sub_taxes.values(), Decimal(0))
        total_tax_sum += sum(tot_taxes.values(), Decimal(0))
        line_tax_delta.append(
            sum(sub_taxes.values(), Decimal(0)) - sum(tot_taxes.values(), Decimal(0))
        )

    # Coupon lines: their discount, and their share of each line's tax reduction.
    for index, coupon in enumerate(coupons):
        coupon["discount"] = fmt_money(Decimal(sum(per_coupon[index])) / 100)
        tax = Decimal(0)
        for li, delta in enumerate(line_tax_delta):
            line_cents = sum(per_coupon[k][li] for k in range(len(coupons)))
            if not line_cents:
                continue
            if index == len(coupons) - 1:
                earlier = sum(
                    q2(line_tax_delta[li] * per_coupon[k][li] / line_cents) for k in range(index)
                )
                tax += delta - earlier
            else:
                tax += q2(delta * per_coupon[index][li] / line_cents)
        coupon["discount_tax"] = fmt_money(tax)

    fees_total = Decimal(0)
    for fee in order["fee_lines"]:
        amount = q2(Decimal(fee["total"]))
        applicable = (
            match_rates(rates, fee.get("tax_class", ""), location)
            if fee.get("tax_status", "taxable") == "taxable"
            else []
        )
        taxes = _calc_tax(amount, applicable)
        fee["total"] = fmt_money(amount)
        fee["amount"] = fmt_money(amount)
        fee["total_tax"] = fmt_money(sum(taxes.values(), Decimal(0)))
        fee["taxes"] = [
            {"id": rid, "total": fmt_tax(t), "subtotal": ""} for rid, t in taxes.items()
        ]
        for rid, amount_tax in taxes.items():
            cart_taxes[rid] += amount_tax
        fees_total += amount

    classes_in_cart = {line.get("tax_class", "") for line in lines if line.get("_taxable", True)}
    if "" in classes_in_cart or not classes_in_cart:
        shipping_class = ""
    elif len(classes_in_cart) == 1:
        shipping_class = next(iter(classes_in_cart))
    else:
        shipping_class = next((s for s in class_slugs if s in classes_in_cart), "")
    shipping_rates = match_rates(rates, shipping_class, location, shipping=True)
    shipping_total = Decimal(0)
    for ship in order["shipping_lines"]:
        amount = q2(Decimal(ship["total"] or "0"))
        taxes = _calc_tax(amount, shipping_rates)
        ship["total"] = fmt_money(amount)
        ship["total_tax"] = fmt_money(sum(taxes.values(), Decimal(0)))
        ship["taxes"] = [
            {"id": rid, "total": fmt_tax(t), "subtotal": ""} for rid, t in taxes.items()
        ]
        for rid, amount_tax in taxes.items():
            shipping_taxes[rid] += amount_tax
        shipping_total += amount

    by_id = {rate["id"]: rate for rate in rates}
    previous = {t["rate_id"]: t for t in order.get("tax_lines", [])}
    tax_lines = []
    for rid in sorted(set(cart_taxes) | set(shipping_taxes)):
        rate = by_id[rid]
        keep = previous.get(rid, {})
        tax_lines.append(
            {
                "id": keep.get("id", 0),
                "rate_code": rate_code(rate),
                "rate_id": rid,
                "label": rate["name"],
                "compound": rate["compound"],
                "tax_total": fmt_money(cart_taxes.get(rid, Decimal(0))),
                "shipping_tax_total": fmt_money(shipping_taxes.get(rid, Decimal(0))),
                "rate_percent": float(Decimal(rate["rate"])),
                "meta_data": keep.get("meta_data", []),
            }
        )
    order["tax_lines"] = tax_lines
    cart_tax = sum((Decimal(t["tax_total"]) for t in tax_lines), Decimal(0))
    shipping_tax = sum((Decimal(t["shipping_tax_total"]) for t in tax_lines), Decimal(0))
    order["discount_total"] = fmt_money(subtotal_sum - total_sum)
    order["discount_tax"] = fmt_money(subtotal_tax_sum - total_tax_sum)
    order["shipping_total"] = fmt_money(shipping_total)
    order["shipping_tax"] = fmt_money(shipping_tax)
    order["cart_tax"] = fmt_money(cart_tax)
    order["total_tax"] = fmt_money(cart_tax + shipping_tax)
    order["total"] = fmt_money(total_sum + fees_total + shipping_total + cart_tax + shipping_tax)


def rate_code(rate: dict[str, Any]) -> str:
    """``WC_Tax::get_rate_code``: COUNTRY-STATE-NAME-PRIORITY, upper case, blanks dropped."""
    parts = [rate["country"], rate["state"], rate["name"] or "TAX", str(int(rate["priority"]))]
    return "-".join(p for p in parts if p and p != "0").upper()
