"""Each O feature of the order import, end to end, on the sandbox order seeded for it.

Every test imports the seed case of its feature (``SEED_CASES``) with the
real ``import-orders`` flow, from the WooCommerce sandbox into a copy of the
Tryton demo database, then reads the Tryton records back and checks them
field by field against what the *shop* says (its REST API), to the cent.
Expected values are derived from the shop order and the rule docs/orders.md
states, never copied from passerelle's output.

A run is narrowed to the order's creation second (as ``--from``/``--to``
narrow a run), so a test imports only the orders it checks.
"""

from __future__ import annotations

import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

import pytest

from passerelle.connectors.http import HttpOptions
from passerelle.connectors.tryton.database import session
from passerelle.connectors.woocommerce.client import WooCommerceClient
from passerelle.demo import DEMO_KEY, DEMO_SECRET
from passerelle.demo_data import ITEMS, ORDER_TAXES, RETIRED_ITEM, TAX_RULES
from passerelle.flows.import_orders import FLOW as IMPORT
from passerelle.model import Address, Customer
from passerelle.profiles import Profile
from passerelle.profiles.schema import GroupingOptions
from passerelle.runner import RunSummary
from passerelle.sandbox.woocommerce.resources.common import set_dates
from passerelle.sandbox.woocommerce.seed_cases import SEED_CASES
from passerelle.sandbox.woocommerce.seed_checkout import line, shipping
from tests.integration.conftest import World, created_at
from tests.integration.tryton_view import (
    LineView,
    SaleView,
    find_parties,
    party_representatives,
    read_party,
    read_payments,
    read_sales,
)

CENT = Decimal("0.01")
SECOND = timedelta(seconds=1)
ORDER_BINDING = "order"  # the store's binding kind of imported orders


# -- the shop's side ---------------------------------------------------------------


class ShopApi:
    """The sandbox read (and written) through its REST API, as a merchant's shop is."""

    def __init__(self, world: World) -> None:
        self.client = WooCommerceClient(
            world.sandbox.url,
            DEMO_KEY,
            DEMO_SECRET,
            options=HttpOptions(verify=world.sandbox.ca_bundle),
        )

    def order(self, order_id: str) -> dict[str, Any]:
        return self.client.get(f"orders/{order_id}")

    def case(self, name: str) -> dict[str, Any]:
        return self.order(SEED_CASES[name])

    def get(self, path: str, params: dict[str, Any] | None = None) -> Any:
        return self.client.get(path, params)

    def post(self, path: str, body: dict[str, Any]) -> Any:
        return self.client.post(path, body)


@pytest.fixture
def shop(world: World) -> Iterator[ShopApi]:
    api = ShopApi(world)
    try:
        yield api
    finally:
        api.client.close()


def money(value: Any) -> Decimal:
    return Decimal(str(value or "0"))


def meta(data: dict[str, Any], key: str) -> Any:
    return next((m["value"] for m in data.get("meta_data") or [] if m["key"] == key), None)


def backoffice_tax(profile: Profile, label: str, rate_percent: Any) -> str:
    """O10: the back-office tax of a shop tax, by the profile's first matching entry."""
    rate = Decimal(str(rate_percent))
    for entry in profile.orders.taxes:
        if entry.shop_label is not None and entry.shop_label.casefold() != label.casefold():
            continue
        if entry.shop_rate is not None and Decimal(entry.shop_rate) != rate:
            continue
        return entry.tax
    raise AssertionError(f"the profile maps no back-office tax for {label} ({rate} %)")


def rate_names(profile: Profile, order: dict[str, Any]) -> dict[int, str]:
    """Shop tax rate id → back-office tax name, for the rates the order uses."""
    return {
        t["rate_id"]: backoffice_tax(profile, t["label"], t["rate_percent"])
        for t in order["tax_lines"]
    }


def taxes_of(part: dict[str, Any], rates: dict[int, str]) -> tuple[str, ...]:
    return tuple(rates[t["id"]] for t in part["taxes"])


def shop_bases(order: dict[str, Any], rates: dict[int, str]) -> dict[str, Decimal]:
    """Net base per back-office tax: what the shop's taxed lines, shipping and fees cost."""
    bases: dict[str, Decimal] = defaultdict(Decimal)
    for part in order["line_items"] + order["shipping_lines"] + order["fee_lines"]:
        for name in taxes_of(part, rates):
            bases[name] += money(part["total"])
    return dict(bases)


def shop_tax_amounts(order: dict[str, Any], rates: dict[int, str]) -> dict[str, Decimal]:
    amounts: dict[str, Decimal] = defaultdict(Decimal)
    for tax in order["tax_lines"]:
        amounts[rates[tax["rate_id"]]] += money(tax["tax_total"]) + money(tax["shipping_tax_total"])
    return dict(amounts)


def shop_discounts(order: dict[str, Any], rates: dict[int, str]) -> dict[str, Decimal]:
    """O14: per VAT code, the discount the shop folded into its lines (subtotal − total)."""
    discounts: dict[str, Decimal] = defaultdict(Decimal)
    for item in order["line_items"]:
        (name,) = taxes_of(item, rates)
        discounts[name] += money(item["subtotal"]) - money(item["total"])
    return {name: amount for name, amount in discounts.items() if amount}


# -- the back-office side ------------------------------------------------------------


def import_orders(world: World, profile: Profile, *orders: dict[str, Any]) -> list[RunSummary]:
    """One import run per order, narrowed to its creation second (like --from/--to)."""
    summaries = []
    for order in orders:
        moment = created_at(order)
        summary = world.runner().run(
            profile, IMPORT, options={"from": moment - SECOND, "to": moment + SECOND}
        )
        assert summary.status == "succeeded", summary.error
        summaries.append(summary)
    return summaries


def key_of(world: World, order: dict[str, Any] | str) -> str:
    order_id = order if isinstance(order, str) else str(order["id"])
    return f"{world.sandbox.url.split('://', 1)[1]}#{order_id}"


def sale_for(world: World, order: dict[str, Any], suffix: str = "") -> SaleView:
    sales = read_sales(world.target)
    key = key_of(world, order) + suffix
    assert key in sales, f"no Tryton sale for {key}; sales: {sorted(sales)}"
    return sales[key]


def lines_on(sale: SaleView, code: str) -> list[LineView]:
    return [ln for ln in sale.lines if ln.code == code]


def check_product_lines(sale: SaleView, order: dict[str, Any], rates: dict[int, str]) -> None:
    """Each shop line on its item, same quantity, its price before discount, its taxes."""
    for item in order["line_items"]:
        (mine,) = lines_on(sale, item["sku"])
        quantity = Decimal(item["quantity"])
        amount = money(item["subtotal"])
        assert mine.quantity == quantity, item["sku"]
        assert mine.amount == amount, item["sku"]
        assert abs(mine.unit_price - amount / quantity) < Decimal("0.00005"), item["sku"]
        assert mine.taxes == taxes_of(item, rates), item["sku"]


def check_shipping(
    sale: SaleView, order: dict[str, Any], profile: Profile, rates: dict[int, str]
) -> None:
    expected = sorted(
        (money(s["total"]), taxes_of(s, rates))
        for s in order["shipping_lines"]
        if money(s["total"])
    )
    got = sorted((ln.amount, ln.taxes) for ln in lines_on(sale, profile.orders.shipping_item))
    assert got == expected


def check_gap(sale: SaleView, profile: Profile) -> None:
    """What remains is on the gap item, untaxed, within the tolerance."""
    gap = lines_on(sale, profile.orders.gap_item)
    assert all(ln.taxes == () for ln in gap)
    assert abs(sum((ln.amount for ln in gap), Decimal(0))) <= profile.orders.total_tolerance


def changed(world: World, name: str = "features", **orders: Any) -> Profile:
    """The demo profile with some [orders] options switched."""
    profile = world.profile.model_copy(deep=True)
    profile.name = name
    for option, value in orders.items():
        setattr(profile.orders, option, value)
    return profile


def strip(text: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))


def cents(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


# -- O14, O25: what the shop folds into amounts -------------------------------------


def test_o14_a_coupon_across_vat_rates_is_one_discount_line_per_vat_code(
    world: World, shop: ShopApi
) -> None:
    order = shop.case("discount_across_vat")
    profile = world.profile
    assert order["coupon_lines"] and len(order["tax_lines"]) == 3
    import_orders(world, profile, order)
    sale = sale_for(world, order)
    rates = rate_names(profile, order)

    check_product_lines(sale, order, rates)  # at their price before the discount
    discounts = shop_discounts(order, rates)
    assert len(discounts) == 3
    for name, discount in discounts.items():
        item = profile.orders.discount_items[name]
        (mine,) = lines_on(sale, item)
        assert (mine.quantity, mine.amount, mine.taxes) == (Decimal(1), -discount, (name,))
    assert sum(discounts.values()) == money(order["discount_total"])
    check_shipping(sale, order, profile, rates)
    assert sale.tax_bases == shop_bases(order, rates)
    assert sale.total == money(order["total"])
    check_gap(sale, profile)
    expected_codes = sorted(
        [i["sku"] for i in order["line_items"]]
        + [profile.orders.discount_items[n] for n in discounts]
        + [profile.orders.shipping_item] * len(order["shipping_lines"])
    )
    assert sorted(c for c in sale.codes() if c != profile.orders.gap_item) == expected_codes


def test_o14_a_coupon_naming_an_item_puts_its_discount_on_that_item(
    world: World, shop: ShopApi
) -> None:
    order = shop.case("coupon_naming_item")
    profile = world.profile
    (coupon_line,) = order["coupon_lines"]
    (coupon,) = shop.get("coupons", {"code": coupon_line["code"]})
    named = re.search(r"\[([A-Za-z0-9_.\-]+)\]", coupon["description"])
    assert named is not None
    import_orders(world, profile, order)
    sale = sale_for(world, order)
    rates = rate_names(profile, order)

    check_product_lines(sale, order, rates)
    discounts = shop_discounts(order, rates)
    assert sum(discounts.values()) == money(coupon_line["discount"])
    discount_lines = lines_on(sale, named.group(1))
    assert sorted((ln.amount, ln.taxes) for ln in discount_lines) == sorted(
        (-amount, (name,)) for name, amount in discounts.items()
    )
    assert not set(sale.codes()) & set(profile.orders.discount_items.values())
    assert sale.tax_bases == shop_bases(order, rates)
    assert sale.total == money(order["total"])
    check_gap(sale, profile)


def test_o25_gift_card_is_a_negative_untaxed_line_and_gift_wrap_its_item(
    world: World, shop: ShopApi
) -> None:
    order = shop.case("gift_card_and_wrap")
    profile = world.profile
    (card,) = order["gift_cards"]
    (fee,) = order["fee_lines"]
    assert fee["name"] in profile.orders.gift_wrap_fee_names
    import_orders(world, profile, order)
    sale = sale_for(world, order)
    rates = rate_names(profile, order)

    (gift_card,) = lines_on(sale, profile.orders.gift_card_item or "")
    assert (gift_card.quantity, gift_card.amount, gift_card.taxes) == (
        Decimal(1),
        -money(card["amount"]),
        (),
    )
    assert card["code"] in gift_card.description
    (wrap,) = lines_on(sale, profile.orders.gift_wrap_item)
    assert (wrap.amount, wrap.taxes) == (money(fee["total"]), taxes_of(fee, rates))
    check_product_lines(sale, order, rates)
    check_shipping(sale, order, profile, rates)
    assert sale.tax_bases == shop_bases(order, rates)
    assert sale.tax_amounts == shop_tax_amounts(order, rates)
    assert sale.total == money(order["total"])
    assert sale.payments == (
        (
            profile.orders.payments[order["payment_method"]].journal,
            money(order["total"]),
            "succeeded",
            order["number"],
        ),
    )


# -- O11, O12, O24, O9: currencies, taxes, tax rules -------------------------------


def test_o12_o11_a_foreign_currency_order_is_a_sale_and_payment_in_that_currency(
    world: World, shop: ShopApi
) -> None:
    order = shop.case("foreign_currency")
    profile = world.profile
    currency = profile.orders.currencies.get(order["currency"], order["currency"])
    assert currency != "EUR"
    import_orders(world, profile, order)
    sale = sale_for(world, order)
    rates = rate_names(profile, order)

    assert sale.currency == currency
    check_product_lines(sale, order, rates)
    check_shipping(sale, order, profile, rates)
    assert sale.tax_amounts == shop_tax_amounts(order, rates)
    assert sale.total == money(order["total"])
    journal = profile.orders.payments[order["payment_method"]].journals_by_currency[currency]
    assert [(j, amount) for j, amount, _, _ in sale.payments] == [(journal, sale.total)]


def test_o24_a_compound_tax_is_written_as_tryton_compounds_it(world: World, shop: ShopApi) -> None:
    order = shop.case("compound_tax")
    profile = world.profile
    compound = [t for t in order["tax_lines"] if t["compound"]]
    assert compound and len(order["tax_lines"]) == 2
    import_orders(world, profile, order)
    sale = sale_for(world, order)
    rates = rate_names(profile, order)
    # The simple tax first, then the one computed on the price plus it.
    in_order = tuple(
        rates[t["rate_id"]] for t in sorted(order["tax_lines"], key=lambda t: t["compound"])
    )

    assert sale.currency == profile.orders.currencies.get(order["currency"], order["currency"])
    for item in order["line_items"]:
        (mine,) = lines_on(sale, item["sku"])
        assert mine.taxes == in_order
        assert mine.amount == money(item["total"])
    (ship,) = lines_on(sale, profile.orders.shipping_item)
    assert ship.taxes == in_order
    assert sale.tax_amounts == shop_tax_amounts(order, rates)
    assert sale.tax == money(order["total_tax"])
    assert sale.total == money(order["total"])
    journal = profile.orders.payments[order["payment_method"]].journals_by_currency[sale.currency]
    assert [(j, amount) for j, amount, _, _ in sale.payments] == [(journal, sale.total)]


def test_o9_untaxed_orders_carry_the_tax_of_their_countrys_tax_rule(
    world: World, shop: ShopApi
) -> None:
    profile = world.profile
    orders = [shop.case("export_outside_eu"), shop.case("eu_reverse_charge")]
    import_orders(world, profile, *orders)
    rule_target = {rule.name: rule.target for rule in TAX_RULES}
    tax_name = {tax.code: tax.name for tax in ORDER_TAXES}
    for order in orders:
        assert money(order["total_tax"]) == 0
        country = order["shipping"]["country"] or order["billing"]["country"]
        (zone,) = [z for z in profile.orders.tax_zones if z.country == country]
        expected = tax_name[rule_target[zone.without_tax or ""]]
        sale = sale_for(world, order)
        assert sale.tax == 0 and sale.total == money(order["total"]), order["id"]
        assert [ln.taxes for ln in sale.lines] == [(expected,)] * len(sale.lines), order["id"]
        assert sale.tax_bases == {expected: sale.untaxed}


# -- K7, O11, O4, O5, O6: the customer --------------------------------------------


def test_k7_a_buyer_matched_by_company_number_goes_on_that_customer(
    world: World, shop: ShopApi
) -> None:
    order = shop.case("match_by_number")
    vat_number = meta(order, "_billing_vat_number")
    assert vat_number and order["customer_id"] == 0
    assert find_parties(world.target, email=order["billing"]["email"]) == []
    (code,) = find_parties(world.target, identifier=vat_number)
    before = read_party(world.target, code)
    import_orders(world, changed(world, customer_matching="number"), order)

    sale = sale_for(world, order)
    assert sale.party_code == code
    after = read_party(world.target, code)
    assert (after["name"], after["email"]) == (before["name"], before["email"])
    assert sale.total == money(order["total"])


def test_k7_by_default_buyers_are_matched_by_email_only(world: World, shop: ShopApi) -> None:
    profile = world.profile
    by_number = shop.case("match_by_number")  # a guest whose e-mail Tryton does not know
    known = shop.order("703")  # a foundation order of a back-office customer
    (code,) = find_parties(world.target, email=known["billing"]["email"])
    before = read_party(world.target, code)
    import_orders(world, profile, by_number, known)

    assert sale_for(world, by_number).party_code == profile.orders.guest_account
    sale = sale_for(world, known)
    assert sale.party_code == code
    after = read_party(world.target, code)
    assert (after["name"], after["email"]) == (before["name"], before["email"])
    assert sale.total == money(known["total"])


def test_o11_a_marketplace_order_goes_on_the_account_of_its_payment_method(
    world: World, shop: ShopApi
) -> None:
    order = shop.case("marketplace")
    profile = world.profile
    (mapping,) = [
        m for m in profile.orders.payments.values() if order["payment_method"] in m.aliases
    ]
    assert mapping.account and world.backoffice.find_customer(code=mapping.account) is None
    import_orders(world, profile, order)

    sale = sale_for(world, order)
    assert sale.party_code == mapping.account
    assert read_party(world.target, mapping.account)["code"] == mapping.account
    assert sale.total == money(order["total"])
    assert [(j, amount) for j, amount, _, _ in sale.payments] == [(mapping.journal, sale.total)]


def test_o5_o6_a_new_customer_gets_its_receivable_category_and_representative(
    world: World, shop: ShopApi
) -> None:
    order = shop.case("accents")
    options = dict(
        receivable_mode="per_customer",
        new_customer_category="Clients web",
        new_customer_representative="Sophie Laurent",
    )
    profile = changed(world, **options)
    assert find_parties(world.target, email=order["billing"]["email"]) == []
    import_orders(world, profile, order)

    customer_id = str(order["customer_id"])
    o = profile.orders
    code = o.account_prefix + customer_id.zfill(o.account_length - len(o.account_prefix))
    assert sale_for(world, order).party_code == code
    party = read_party(world.target, code)
    receivable = o.receivable_prefix + customer_id.zfill(
        o.receivable_length - len(o.receivable_prefix)
    )
    assert party["receivable"] == receivable
    assert party["categories"] == ["Clients web"]
    assert party_representatives(world.target, code) == ["Sophie Laurent"]
    assert party["email"] == order["billing"]["email"]


def test_o6_accents_stripped_and_names_and_addresses_upper_cased(
    world: World, shop: ShopApi
) -> None:
    order = shop.case("accents")
    profile = changed(
        world,
        strip_accents=True,
        uppercase_names=True,
        uppercase_addresses=True,
        customer_matching="none",
    )
    billing = order["billing"]
    assert strip(billing["last_name"]) != billing["last_name"]  # the case has accents
    import_orders(world, profile, order)

    sale = sale_for(world, order)
    party = read_party(world.target, sale.party_code)
    assert party["name"] == strip(f"{billing['first_name']} {billing['last_name']}").upper()
    assert party["streets"] == [strip(billing["address_1"]).upper()]
    assert party["cities"] == [strip(billing["city"]).upper()]
    assert sale.shipment_street == strip(order["shipping"]["address_1"]).upper()
    assert party["email"] == billing["email"]


# -- O23, O16, O8: documents and lines ----------------------------------------------


def test_o23_an_order_to_two_addresses_is_two_sales_split_as_its_packages(
    world: World, shop: ShopApi
) -> None:
    order = shop.case("several_addresses")
    profile = world.profile
    packages = order["shipping_packages"]
    assert len(packages) == 2
    shipping_ids = meta(order, "_packages_shipping_ids")
    by_name = {item["name"]: item for item in order["line_items"]}
    ships = {s["id"]: s for s in order["shipping_lines"]}
    import_orders(world, profile, order)
    rates = rate_names(profile, order)

    sales = [sale_for(world, order, f"/{n}") for n in (1, 2)]
    assert key_of(world, order) not in read_sales(world.target)
    for index, (package, sale) in enumerate(zip(packages, sales, strict=True)):
        items = [by_name[content["name"]] for content in package["contents"]]
        ship = ships[shipping_ids[str(index)]]
        assert sale.shipment_street == package["destination"]["address_1"]
        products = sorted((i["sku"], Decimal(i["quantity"]), money(i["total"])) for i in items)
        assert (
            sorted(
                (ln.code, ln.quantity, ln.amount)
                for ln in sale.lines
                if ln.code != profile.orders.shipping_item
            )
            == products
        )
        assert [(ln.amount, ln.taxes) for ln in lines_on(sale, profile.orders.shipping_item)] == [
            (money(ship["total"]), taxes_of(ship, rates))
        ]
        package_total = sum(
            (money(i["total"]) + money(i["total_tax"]) for i in items),
            money(ship["total"]) + money(ship["total_tax"]),
        )
        assert sale.total == package_total
        assert [(j, amount) for j, amount, _, _ in sale.payments] == [
            (profile.orders.payments[order["payment_method"]].journal, sale.total)
        ]
    assert sum(s.total for s in sales) == money(order["total"])


def test_o16_ecotax_as_a_separate_line(world: World, shop: ShopApi) -> None:
    order = shop.case("ecotax")
    profile = changed(world, ecotax_mode="separate_line")
    import_orders(world, profile, order)
    sale = sale_for(world, order)
    rates = rate_names(profile, order)

    taxed = [i for i in order["line_items"] if meta(i, "_ecotax")]
    assert taxed
    ecotax_lines = lines_on(sale, profile.orders.ecotax_item or "")
    assert len(ecotax_lines) == len(taxed)
    for item in order["line_items"]:
        per_unit = money(meta(item, "_ecotax"))
        quantity = Decimal(item["quantity"])
        (product,) = lines_on(sale, item["sku"])
        assert product.quantity == quantity
        assert product.unit_price == money(item["subtotal"]) / quantity - per_unit
        assert product.taxes == taxes_of(item, rates)
        if per_unit:
            (eco,) = [ln for ln in ecotax_lines if item["sku"] in ln.description]
            assert (eco.quantity, eco.unit_price, eco.taxes) == (
                quantity,
                per_unit,
                taxes_of(item, rates),
            )
            assert product.amount + eco.amount == money(item["subtotal"])
    assert sale.tax_bases == shop_bases(order, rates)
    assert sale.total == money(order["total"])


@pytest.mark.parametrize("substitute", [True, False], ids=["substitutes", "no-substitutes"])
def test_o8_withdrawn_and_out_of_stock_items_on_the_substitute_item(
    world: World, shop: ShopApi, substitute: bool
) -> None:
    order = shop.case("substitutes")
    profile = changed(world, substitute_when=["inactive", "out_of_stock"] if substitute else [])
    import_orders(world, profile, order)
    sale = sale_for(world, order)
    rates = rate_names(profile, order)
    stock = {item.code: sum(item.stock) for item in ITEMS}

    o = profile.orders
    expected = []
    for item in order["line_items"]:
        sku, name = item["sku"], item["name"]
        if sku == RETIRED_ITEM.code:  # inactive in Tryton
            code, words = (
                (o.substitute_item, [sku, name, "withdrawn"])
                if substitute
                else (o.misc_item, [sku, name])
            )
        elif stock[sku] <= 0 and substitute:
            code, words = o.substitute_item, [sku, name, "out of stock"]
        else:
            code, words = sku, [name]
        expected.append(
            (code, words, Decimal(item["quantity"]), money(item["total"]), taxes_of(item, rates))
        )
    products = [ln for ln in sale.lines if ln.code != o.shipping_item]
    assert len(products) == len(expected)
    for mine, (code, words, quantity, amount, taxes) in zip(products, expected, strict=True):
        assert (mine.code, mine.quantity, mine.amount, mine.taxes) == (
            code,
            quantity,
            amount,
            taxes,
        )
        assert all(w in mine.description for w in words), mine.description
    assert sale.total == money(order["total"])


def test_o8_prices_from_gross(world: World, shop: ShopApi) -> None:
    order = shop.case("gross_prices")
    assert order["prices_include_tax"]
    profile = changed(world, prices_from="gross")
    import_orders(world, profile, order)
    sale = sale_for(world, order)
    rates = rate_names(profile, order)
    rate_of = {rates[t["rate_id"]]: money(t["rate_percent"]) / 100 for t in order["tax_lines"]}

    for item in order["line_items"]:
        (mine,) = lines_on(sale, item["sku"])
        (tax,) = taxes_of(item, rates)
        gross = (money(item["total"]) + money(item["total_tax"])) / Decimal(item["quantity"])
        assert mine.taxes == (tax,)
        # The net price derived from the price with tax included, to the cent.
        assert abs(mine.unit_price - gross / (1 + rate_of[tax])) <= Decimal("0.005")
        assert abs(cents(mine.unit_price * (1 + rate_of[tax])) - gross) <= CENT
    check_gap(sale, profile)
    assert sale.total == money(order["total"])


def test_o16_customer_note_and_both_order_notes_in_the_comment(world: World, shop: ShopApi) -> None:
    order = shop.case("messages")
    notes = [n for n in shop.get(f"orders/{order['id']}/notes") if n["author"] != "system"]
    to_customer = [n["note"] for n in notes if n["customer_note"]]
    private = [n["note"] for n in notes if not n["customer_note"]]
    assert order["customer_note"] and to_customer and private
    profile = changed(world, messages=["customer_note", "customer_messages", "private_notes"])
    import_orders(world, profile, order)

    comment = sale_for(world, order).comment
    for text in [order["customer_note"], *to_customer, *private]:
        assert text in comment, text
    # Without the option, only the checkout note (the default).
    assert world.profile.orders.messages == ["customer_note"]


# -- O28, O27, O3, O17: which orders, and when ------------------------------------


def test_o28_a_refund_is_a_return_with_its_credit_note(world: World, shop: ShopApi) -> None:
    order = shop.case("refunded")
    (refund,) = shop.get(f"orders/{order['id']}/refunds")
    assert str(refund["id"]) == str(int(SEED_CASES["refunded"]) + 1)
    profile = changed(world, statuses={"processing": "order", "completed": "invoice"})
    import_orders(world, profile, order)

    sale = sale_for(world, order)
    assert sale.total == money(order["total"])
    assert [state for state, _, _ in sale.invoices] in (["posted"], ["paid"])
    back = sale_for(world, order, f"/refund/{refund['id']}")
    skus = {item["id"]: item["sku"] for item in order["line_items"]}
    refunded = sorted(
        (
            skus[int(meta(item, "_refunded_item_id"))],
            Decimal(item["quantity"]),
            money(item["total"]),
        )
        for item in refund["line_items"]
    )
    assert all(quantity < 0 for _, quantity, _ in refunded)
    assert sorted((ln.code, ln.quantity, ln.amount) for ln in back.lines) == refunded
    assert back.party_code == sale.party_code
    assert back.total == -money(refund["amount"])
    assert [total for _, _, total in back.invoices] == [back.total]  # the credit note
    journal = profile.orders.payments[order["payment_method"]].journal
    assert [(j, amount) for j, amount, _, _ in back.payments] == [(journal, back.total)]


def test_o27_an_archived_order_is_not_imported_by_default(world: World, shop: ShopApi) -> None:
    order = shop.case("archived")
    assert order["status"] == "trash"
    import_orders(world, world.profile, order)
    assert read_sales(world.target) == {}


def test_o27_an_archived_order_is_imported_when_asked(world: World, shop: ShopApi) -> None:
    order = shop.case("archived")
    import_orders(world, changed(world, include_archived=True), order)
    sale = sale_for(world, order)
    assert sale.total == money(order["total"])
    assert sorted(sale.codes()) == sorted(
        [i["sku"] for i in order["line_items"]] + [world.profile.orders.shipping_item]
    )


def test_o3_an_order_of_another_store_is_left_out_and_counted(world: World, shop: ShopApi) -> None:
    order = shop.case("other_store")
    assert order["created_via"] != "checkout"
    (summary,) = import_orders(world, changed(world, stores=["checkout"]), order)
    assert read_sales(world.target) == {}
    assert summary.counts["skipped"] == 1


def test_o3_o26_every_store_is_imported_by_default_and_carriers_mapped(
    world: World, shop: ShopApi
) -> None:
    profile = world.profile
    assert profile.orders.stores == []
    counter = shop.case("other_store")
    web = shop.case("coupon_naming_item")
    import_orders(world, profile, counter, web)
    for order in (counter, web):
        sale = sale_for(world, order)
        assert sale.total == money(order["total"])
        methods = [s["method_id"] for s in order["shipping_lines"]]
        expected = next(
            (profile.orders.carriers[m] for m in methods if m in profile.orders.carriers), ""
        )
        assert sale.carrier == expected, order["id"]
    assert sale_for(world, web).carrier  # flat_rate is mapped (O26)


def test_o17_a_past_days_guest_orders_become_one_sale_and_today_waits(
    world: World, shop: ShopApi
) -> None:
    guests = [shop.case("grouped_guests"), shop.case("grouped_guests_2")]
    today = shop.post(
        "orders",
        {
            "payment_method": "stripe",
            "payment_method_title": "Carte bancaire",
            "set_paid": True,
            "billing": {
                "first_name": "Zoé",
                "last_name": "Faure",
                "address_1": "5 rue Écuyère",
                "city": "Caen",
                "postcode": "14000",
                "country": "FR",
                "email": "zoe.faure@example.net",
            },
            "shipping": {
                "first_name": "Zoé",
                "last_name": "Faure",
                "address_1": "5 rue Écuyère",
                "city": "Caen",
                "postcode": "14000",
                "country": "FR",
            },
            "line_items": [line("TEA-001", 1)],
            "shipping_lines": shipping("flat_rate", "4.90"),
        },
    )
    assert all(o["customer_id"] == 0 for o in [*guests, today])
    assert created_at(today).date() == datetime.now(UTC).date()
    account = "WEBDAY"
    world.backoffice.upsert_customer(
        Customer(
            source_id=account,
            code=account,
            name="Ventes web du jour",
            addresses=(
                Address(
                    street="1 place du Marché", postal_code="75001", city="Paris", country_code="FR"
                ),
            ),
        )
    )
    profile = changed(world, grouping=GroupingOptions(mode="guests", account=account))
    # One run over both guest orders (placed minutes apart), one for today's.
    first, last = min(map(created_at, guests)), max(map(created_at, guests))
    summary = world.runner().run(
        profile, IMPORT, options={"from": first - SECOND, "to": last + SECOND}
    )
    assert summary.status == "succeeded", summary.error
    import_orders(world, profile, today)

    by_day: dict[date, list[dict[str, Any]]] = defaultdict(list)
    for order in guests:
        by_day[created_at(order).date()].append(order)
    sales = [s for s in read_sales(world.target).values() if s.party_code == account]
    assert sorted(s.sale_date for s in sales) == sorted(by_day)
    for sale in sales:
        members = by_day[sale.sale_date]
        merged: dict[str, Decimal] = defaultdict(Decimal)
        for order in members:
            for item in order["line_items"]:
                merged[item["sku"]] += Decimal(item["quantity"])
            merged[profile.orders.shipping_item] += len(order["shipping_lines"])
        assert sorted(
            (ln.code, ln.quantity) for ln in sale.lines if ln.code != profile.orders.gap_item
        ) == sorted(merged.items())
        total = sum((money(o["total"]) for o in members), Decimal(0))
        assert sale.total == total
        journals = {profile.orders.payments[o["payment_method"]].journal for o in members}
        assert [(j, amount) for j, amount, _, _ in sale.payments] == [
            (
                journal,
                sum(
                    (
                        money(o["total"])
                        for o in members
                        if profile.orders.payments[o["payment_method"]].journal == journal
                    ),
                    Decimal(0),
                ),
            )
            for journal in sorted(journals)
        ]
    if len(by_day) == 1:  # the usual case: both orders the same day
        (sale,) = sales
        (tea,) = lines_on(sale, guests[0]["line_items"][0]["sku"])
        assert tea.quantity == sum(Decimal(o["line_items"][0]["quantity"]) for o in guests)
    # Every member order is bound to its day's sale; today's waits, set aside to retry.
    bound = world.store.bindings(profile.name, ORDER_BINDING)
    numbers = {s.sale_date: s.number for s in sales}
    for order in guests:
        assert bound[str(order["id"])].remote_number == numbers[created_at(order).date()]
    assert str(today["id"]) not in bound
    parked = {p.record_key: p for p in world.store.parked(profile.name, IMPORT)}
    assert parked[str(today["id"])].severity.value == "retry"
    assert key_of(world, today) not in read_sales(world.target)
    # Imported exactly once: running again writes nothing.
    before = world.sales_by_key()
    again = world.runner().run(
        profile, IMPORT, options={"from": first - SECOND, "to": last + SECOND}
    )
    assert again.counts["created"] == 0
    assert world.sales_by_key() == before
    assert set(before.values()) == {1}


def test_o17_a_days_guest_orders_in_two_currencies_are_grouped_per_currency(
    world: World, shop: ShopApi
) -> None:
    cad, eur = shop.case("compound_tax"), shop.case("export_outside_eu")
    assert cad["customer_id"] == eur["customer_id"] == 0
    assert cad["currency"] != eur["currency"]
    # The two guests ordered the same day, five minutes apart (as the seed dates orders).
    moment = created_at(cad) + timedelta(minutes=5)
    if moment.date() != created_at(cad).date():
        moment = created_at(cad) - timedelta(minutes=5)
    set_dates(world.sandbox.data.orders[int(eur["id"])], moment, created=True)
    eur = shop.order(str(eur["id"]))
    assert created_at(eur).date() == created_at(cad).date() < datetime.now(UTC).date()
    first, last = sorted([created_at(cad), created_at(eur)])
    account = "WEBDAY"
    world.backoffice.upsert_customer(
        Customer(
            source_id=account,
            code=account,
            name="Ventes web du jour",
            addresses=(
                Address(
                    street="1 place du Marché", postal_code="75001", city="Paris", country_code="FR"
                ),
            ),
        )
    )
    profile = changed(world, grouping=GroupingOptions(mode="guests", account=account))
    summary = world.runner().run(
        profile, IMPORT, options={"from": first - SECOND, "to": last + SECOND}
    )
    assert summary.status == "succeeded", summary.error

    sales = {s.currency: s for s in read_sales(world.target).values() if s.party_code == account}
    for order in (cad, eur):
        currency = profile.orders.currencies.get(order["currency"], order["currency"])
        assert sales[currency].total == money(order["total"])
        assert [amount for _, amount, _, _ in sales[currency].payments] == [money(order["total"])]
    assert world.store.parked(profile.name, IMPORT) == []


# -- O2, O7, O13, O15: the document's header and payments --------------------------

_DOCUMENT_TYPES = {
    # document type → the Tryton sale state it leaves the sale in
    "draft": {"draft"},
    "quotation": {"quotation"},
    "order": {"confirmed", "processing"},
    "processed": {"processing"},
    "invoice": {"processing"},
}


@pytest.mark.parametrize(
    "cases",
    [
        {
            "draft": "discount_across_vat",
            "quotation": "coupon_naming_item",
            "order": "gift_card_and_wrap",
            "processed": "foreign_currency",
            "invoice": "match_by_number",
        },
        {
            "draft": "gift_card_and_wrap",
            "quotation": "discount_across_vat",
            "order": "match_by_number",
            "processed": "coupon_naming_item",
            "invoice": "ecotax",
        },
    ],
    ids=["set-1", "set-2"],
)
def test_o2_each_status_becomes_the_document_type_it_is_mapped_to(
    world: World, shop: ShopApi, cases: dict[str, str]
) -> None:
    for document_type, case in cases.items():
        order = shop.case(case)
        profile = changed(world, document_type, statuses={order["status"]: document_type})
        if document_type == "draft":
            # Tryton takes no payment on a draft sale: the merchant drops them.
            profile.orders.payments[order["payment_method"]].create_payment = False
        import_orders(world, profile, order)
        sale = sale_for(world, order)
        assert sale.state in _DOCUMENT_TYPES[document_type], (document_type, sale.state)
        assert sale.total == money(order["total"])
        if document_type == "draft":
            assert sale.payments == () and sale.invoices == ()
            continue
        assert [amount for _, amount, _, _ in sale.payments] == [sale.total]
        if document_type == "quotation":
            assert sale.invoices == ()
        if document_type == "processed":
            assert [(state, total) for state, _, total in sale.invoices] == [("draft", sale.total)]
        if document_type == "invoice":
            assert [total for _, _, total in sale.invoices] == [sale.total]
            assert sale.invoices[0][0] in ("posted", "paid")


def _placeholders(order: dict[str, Any]) -> dict[str, str]:
    """docs/orders.md's placeholder table, read off the shop order."""
    billing, ship = order["billing"], order["shipping"]
    return {
        "OI": str(order["id"]),
        "ON": order["number"],
        "OD": created_at(order).date().isoformat(),
        "OT": order["total"],
        "CUR": order["currency"],
        "CF": billing["first_name"],
        "CL": billing["last_name"],
        "CC": billing["company"],
        "CE": billing["email"],
        "CI": str(order["customer_id"]) if order["customer_id"] else "",
        "VAT": meta(order, "_billing_vat_number") or "",
        "SN": f"{ship['first_name']} {ship['last_name']}".strip(),
        "ST": order["created_via"],
        "PM": order["payment_method_title"],
        "TX": order["transaction_id"],
        "NOTE": order["customer_note"],
    }


def _render(template: str, order: dict[str, Any]) -> str:
    values = _placeholders(order)
    return re.sub(r"%([A-Z]+)", lambda m: values[m.group(1)], template).strip()


def test_o7_invoice_date_shop_number_warehouse_and_templates(world: World, shop: ShopApi) -> None:
    templates = {
        "reference_template": "%ON/%CI/%TX",
        "description_template": "%CF %CL <%CE> %OD %OT %CUR %PM %ST",
        "comment_template": "%NOTE | %VAT | %CC | %SN",
    }
    profile = changed(
        world, date_source="invoice", keep_shop_number=True, warehouse="WH2", **templates
    )
    invoiced = shop.case("refunded")
    orders = [invoiced, shop.case("match_by_number"), shop.case("messages")]
    import_orders(world, profile, *orders)

    stamp = meta(invoiced, "_wcpdf_invoice_date")
    assert stamp
    invoice_date = datetime.fromtimestamp(int(stamp), UTC).date()
    assert invoice_date != created_at(invoiced).date()
    for order in orders:
        sale = sale_for(world, order)
        assert sale.number == order["number"]
        assert sale.warehouse == "WH2"
        assert sale.reference == _render(templates["reference_template"], order)
        assert sale.description == _render(templates["description_template"], order)
        assert sale.comment == _render(templates["comment_template"], order)
        if order is not invoiced:  # no invoice date: completion, else payment date
            paid = order["date_completed_gmt"] or order["date_paid_gmt"]
            assert sale.sale_date == datetime.fromisoformat(paid).date()
    assert sale_for(world, invoiced).sale_date == invoice_date


def test_o7_o15_today_dates_and_payment_labels(world: World, shop: ShopApi) -> None:
    label = "%ON %CL %TX"
    today_profile = changed(
        world, "today", date_source="today", payment_date="today", payment_label_template=label
    )
    order = shop.case("coupon_naming_item")
    noted = shop.case("messages")
    before = datetime.now(UTC).date()
    import_orders(world, today_profile, order)
    after = datetime.now(UTC).date()
    import_orders(world, world.profile, noted)  # payment date and label by default

    sale = sale_for(world, order)
    assert before <= sale.sale_date <= after
    (payment,) = read_payments(world.target, key_of(world, order))
    assert before <= payment.date <= after
    assert payment.notes == (_render(label, order),)
    assert payment.reference == order["number"]  # copy_reference_to_payment
    assert payment.amount == sale.total == money(order["total"])

    sale = sale_for(world, noted)
    assert sale.sale_date == created_at(noted).date()
    (payment,) = read_payments(world.target, key_of(world, noted))
    assert payment.date == datetime.fromisoformat(noted["date_paid_gmt"]).date()
    default_label = _render(world.profile.orders.payment_label_template, noted)
    assert payment.notes == (f"{default_label} — {noted['customer_note']}",)
    assert payment.journal == world.profile.orders.payments[noted["payment_method"]].journal
    assert payment.amount == sale.total == money(noted["total"])


def test_o13_addresses_by_document_type(world: World, shop: ShopApi) -> None:
    order = shop.case("several_addresses")
    code = find_parties(world.target, email=order["billing"]["email"])[0]
    moved = "5 rue du Back-Office"
    from trytond.pool import Pool

    with session(world.target):  # the merchant keeps another address for this customer
        Party = Pool().get("party.party")
        (party,) = Party.search([("code", "=", code)])
        address = party.addresses[0]
        assert address.street == order["billing"]["address_1"]
        address.street = moved
        address.save()
    profile = changed(
        world,
        addresses_by_type={"order": {"invoice": "customer_billing", "shipment": "shop_billing"}},
    )
    assert profile.orders.statuses[order["status"]] == "order"
    import_orders(world, profile, order)

    for n in (1, 2):
        sale = sale_for(world, order, f"/{n}")
        assert sale.invoice_street == moved
        assert sale.shipment_street == order["billing"]["address_1"]
