"""The demo merchant's records, written with trytond's API in one transaction.

:mod:`.demo` manages the cached template and activates the modules; this
module fills the database from :mod:`passerelle.demo_data`: accounting
(fiscal years, taxes, tax rules, payment terms, currencies, journals), the
catalogue, stock, customers, carriers and sales representatives. Each
function creates one kind of record, so a reader finds where a demo record
comes from by its name.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from passerelle import demo_data
from passerelle.connectors.tryton import demo_catalogue
from passerelle.connectors.tryton.constants import (
    EXTERNAL_KEY_SHOP,
    PAYMENT_JOURNAL_CURRENCIES,
    PAYMENT_JOURNALS,
)

__all__ = ["load_demo_records"]

# The clearing account where the shop's payments wait for the bank statement.
CLEARING_ACCOUNT_CODE = "511W"


def load_demo_records() -> None:
    """Everything after module activation, company and chart (inside a trytond transaction)."""
    from trytond.pool import Pool
    from trytond.transaction import Transaction

    pool = Pool()
    company = pool.get("company.company")(Transaction().context["company"])
    _create_fiscal_years(pool, company)
    taxes = _create_taxes(pool, company)
    order_taxes = _create_order_taxes(pool, company)
    _create_tax_rules(pool, company, {**taxes, **order_taxes})
    _create_currencies(pool)
    categories = _create_categories(pool)
    products = _create_items(pool, taxes, categories)
    products |= demo_catalogue.create_new_items(pool, categories, _accounting_categories(pool))
    warehouses = _create_warehouses(pool)
    _create_stock(pool, company, products, warehouses)
    _create_customer_categories(pool)
    _create_customers(pool)
    _create_representatives(pool, company)
    _create_payment_terms(pool)
    _create_payment_journals(pool, company)
    _create_carriers(pool, products[demo_data.SHIPPING_ITEM.code])
    _configure(pool, company, warehouses)
    demo_catalogue.load_catalogue_extras(pool, company, products, categories)


def _model_data_id(pool: Any, module: str, xml_id: str) -> int:
    return int(pool.get("ir.model.data").get_id(module, xml_id))


def _accounts(pool: Any, company: Any) -> dict[str, Any]:
    Account = pool.get("account.account")
    accounts: dict[str, Any] = {}
    for kind in ("receivable", "payable", "revenue", "expense"):
        found = Account.search(
            [
                (f"type.{kind}", "=", True),
                ("company", "=", company.id),
                ("closed", "!=", True),
            ],
            limit=1,
        )
        if found:
            accounts[kind] = found[0]
    for name, code in (("tax", "6.3.6"), ("cash", "1.1.1")):
        found = Account.search([("company", "=", company.id), ("code", "=", code)], limit=1)
        accounts[name] = found[0] if found else accounts["payable"]
    return accounts


# --------------------------------------------------------------------------
# Accounting
# --------------------------------------------------------------------------


def _create_fiscal_years(pool: Any, company: Any) -> None:
    """Calendar fiscal years from two years ago to next year, monthly periods.

    Why that span: imported orders may be a few months old and invoices are
    posted on their date; a year ahead keeps the demo working past 31
    December. Invoices and credit notes get their own numbering (FA…, AV…),
    as a French accountant expects.
    """
    FiscalYear = pool.get("account.fiscalyear")
    Sequence = pool.get("ir.sequence.strict")
    move_type = _model_data_id(pool, "account", "sequence_type_account_move")
    invoice_type = _model_data_id(pool, "account_invoice", "sequence_type_account_invoice")
    this_year = dt.date.today().year
    values = []
    for year in range(this_year - 2, this_year + 2):
        move_seq, invoice_seq, credit_seq = Sequence.create(
            [
                {"name": f"Écritures {year}", "sequence_type": move_type, "company": company.id},
                {
                    "name": f"Factures {year}",
                    "sequence_type": invoice_type,
                    "company": company.id,
                    "prefix": f"FA{year}-",
                    "padding": 5,
                },
                {
                    "name": f"Avoirs {year}",
                    "sequence_type": invoice_type,
                    "company": company.id,
                    "prefix": f"AV{year}-",
                    "padding": 5,
                },
            ]
        )
        values.append(
            {
                "name": str(year),
                "start_date": dt.date(year, 1, 1),
                "end_date": dt.date(year, 12, 31),
                "company": company.id,
                "move_sequence": move_seq.id,
                "invoice_sequences": [
                    (
                        "create",
                        [
                            {
                                "company": company.id,
                                "out_invoice_sequence": invoice_seq.id,
                                "out_credit_note_sequence": credit_seq.id,
                                "in_invoice_sequence": invoice_seq.id,
                                "in_credit_note_sequence": credit_seq.id,
                            }
                        ],
                    )
                ],
            }
        )
    years = FiscalYear.create(values)
    FiscalYear.create_period(years)


def _tax_values(tax: demo_data.DemoTax, company: Any, account: Any) -> dict[str, Any]:
    return {
        "name": tax.name,
        "description": tax.name,
        "type": "percentage",
        "rate": tax.rate,
        "company": company.id,
        "invoice_account": account.id,
        "credit_note_account": account.id,
    }


def _create_taxes(pool: Any, company: Any) -> dict[str, Any]:
    """Customer-side VAT taxes, and one accounting product category per tax."""
    Tax = pool.get("account.tax")
    Category = pool.get("product.category")
    accounts = _accounts(pool, company)
    taxes = Tax.create([_tax_values(t, company, accounts["tax"]) for t in demo_data.TAXES])
    by_code = dict(zip((t.code for t in demo_data.TAXES), taxes, strict=True))
    Category.create(
        [
            {
                "name": f"Accounting {tax.name}",
                "code": f"ACC-{tax.code}",
                "accounting": True,
                "account_revenue": accounts["revenue"].id,
                "account_expense": accounts["expense"].id,
                "customer_taxes": [("add", [by_code[tax.code].id])],
            }
            for tax in demo_data.TAXES
        ]
    )
    return by_code


def _create_order_taxes(pool: Any, company: Any) -> dict[str, Any]:
    """Taxes only orders use (on no item): GST then PST, and the 0 % VAT of the tax rules.

    O24: Tryton computes taxes by ascending sequence, and a tax with
    ``update_unit_price`` adds its amount to the price the later sequences
    see. GST (sequence 10, update) then PST (sequence 20) is PST on
    price + GST: a compound tax. The sequences must be set on both, because
    Tryton puts taxes without sequence first.
    """
    Tax = pool.get("account.tax")
    account = _accounts(pool, company)["tax"]
    values = []
    for index, tax in enumerate(demo_data.ORDER_TAXES, start=1):
        values.append(
            {
                **_tax_values(tax, company, account),
                "sequence": index * 10,
                "update_unit_price": tax.base_of_compound,
            }
        )
    created = Tax.create(values)
    return dict(zip((t.code for t in demo_data.ORDER_TAXES), created, strict=True))


def _create_tax_rules(pool: Any, company: Any, taxes: dict[str, Any]) -> None:
    """O9: account.tax.rule named as in demo_data, one line per origin tax."""
    Rule = pool.get("account.tax.rule")
    Rule.create(
        [
            {
                "name": rule.name,
                "kind": "sale",
                "company": company.id,
                "lines": [
                    (
                        "create",
                        [
                            {"origin_tax": taxes[origin].id, "tax": taxes[rule.target].id}
                            for origin in rule.origins
                        ],
                    )
                ],
            }
            for rule in demo_data.TAX_RULES
        ]
    )


def _create_currencies(pool: Any) -> None:
    """O12: foreign currencies with one rate, valid since 2000, against the euro (rate 1)."""
    Currency = pool.get("currency.currency")
    Currency.create(
        [
            {
                "name": name,
                "code": code,
                "symbol": code,
                "rounding": Decimal("0.01"),
                "digits": 2,
                "rates": [("create", [{"date": dt.date(2000, 1, 1), "rate": rate}])],
            }
            for code, name, rate in demo_data.FOREIGN_CURRENCIES
        ]
    )


def _create_payment_terms(pool: Any) -> None:
    """O8: "Comptant" (all at invoice date) and "30 jours" (all 30 days later)."""
    Term = pool.get("account.invoice.payment_term")
    delays = {"Comptant": 0, "30 jours": 30}
    Term.create(
        [
            {
                "name": name,
                "lines": [
                    (
                        "create",
                        [
                            {
                                "type": "remainder",
                                "relativedeltas": [("create", [{"days": delays.get(name, 0)}])],
                            }
                        ],
                    )
                ],
            }
            for name in demo_data.PAYMENT_TERMS
        ]
    )


def _create_payment_journals(pool: Any, company: Any) -> None:
    """One manual journal per shop payment method, clearing into account 511W.

    Why a clearing account: a succeeded payment then writes its move
    (511W debit, customer receivable credit), and posting the sale's invoice
    reconciles it, so the invoice shows as paid (account_payment_clearing).
    """
    Journal = pool.get("account.payment.journal")
    AccountJournal = pool.get("account.journal")
    Account = pool.get("account.account")
    Currency = pool.get("currency.currency")
    cash = _accounts(pool, company)["cash"]
    (clearing,) = Account.create(
        [
            {
                "name": "Paiements web à encaisser",
                "code": CLEARING_ACCOUNT_CODE,
                "type": cash.type.id if cash.type else None,
                "parent": cash.parent.id if cash.parent else None,
                "reconcile": True,
                "company": company.id,
            }
        ]
    )
    (cash_journal,) = AccountJournal.search([("type", "=", "cash")], limit=1)
    currencies = {c.code: c for c in Currency.search([])}
    Journal.create(
        [
            {
                "name": code,
                "process_method": "manual",
                "currency": currencies[
                    PAYMENT_JOURNAL_CURRENCIES.get(code, company.currency.code)
                ].id,
                "company": company.id,
                "clearing_account": clearing.id,
                "clearing_journal": cash_journal.id,
            }
            for code in PAYMENT_JOURNALS
        ]
    )


# --------------------------------------------------------------------------
# Catalogue and stock
# --------------------------------------------------------------------------


def _create_categories(pool: Any) -> dict[str, Any]:
    """The catalogue categories, parents first (demo_data lists them in that order)."""
    Category = pool.get("product.category")
    by_code: dict[str, Any] = {}
    for cat in demo_data.CATEGORIES:
        (record,) = Category.create(
            [
                {
                    "name": cat.name,
                    "code": cat.code,
                    "parent": by_code[cat.parent].id if cat.parent else None,
                }
            ]
        )
        by_code[cat.code] = record
    return by_code


def _create_items(pool: Any, taxes: dict[str, Any], categories: dict[str, Any]) -> dict[str, Any]:
    """Product templates with one variant each.

    The special items of the order import (shipping, misc, discounts…) are
    salable services; the retired item is inactive goods, still readable by
    ``list_items`` but not usable on a sale line.
    """
    from stdnum import ean

    Template = pool.get("product.template")
    Uom = pool.get("product.uom")
    unit = Uom(_model_data_id(pool, "product", "uom_unit"))
    kilogram = Uom(_model_data_id(pool, "product", "uom_kilogram"))
    accounting = _accounting_categories(pool)
    values = []
    specials = {item.code for item in demo_data.SPECIAL_ITEMS}
    for item in (*demo_data.ITEMS, *demo_data.SPECIAL_ITEMS, demo_data.RETIRED_ITEM):
        service = item.code in specials
        identifiers = []
        if item.barcode:
            # Tagged "ean" only when the check digit is right, so Tryton's
            # own validation of EAN identifiers stays truthful.
            kind = "ean" if ean.is_valid(item.barcode) else None
            identifiers.append({"type": kind, "code": item.barcode})
        values.append(
            {
                "name": item.name,
                "code": item.code,
                "type": "service" if service else "goods",
                "default_uom": unit.id,
                "sale_uom": unit.id,
                "salable": item.salable,
                "active": item.active,
                "list_price": item.price,
                "account_category": accounting[item.tax].id,
                "categories": [] if service else [("add", [categories[item.category].id])],
                "weight": None if service else float(item.weight),
                "weight_uom": None if service else kilogram.id,
                "products": [
                    (
                        "create",
                        [
                            {
                                "active": item.active,
                                "description": "" if service else item.description,
                                "identifiers": [("create", identifiers)] if identifiers else [],
                            }
                        ],
                    )
                ],
            }
        )
    templates = Template.create(values)
    Product = pool.get("product.product")
    from trytond.transaction import Transaction

    with Transaction().set_context(active_test=False):
        products = Product.search([("template", "in", [t.id for t in templates])])
    return {p.code: p for p in products}


def _accounting_categories(pool: Any) -> dict[str, Any]:
    """The accounting product category of each demo tax code (see ``_create_taxes``)."""
    Category = pool.get("product.category")
    return {
        tax.code: Category.search([("code", "=", f"ACC-{tax.code}")], limit=1)[0]
        for tax in demo_data.TAXES
    }


def _create_warehouses(pool: Any) -> dict[str, Any]:
    """The default warehouse becomes WH; a second one, WH2, is created like it."""
    Location = pool.get("stock.location")
    (main,) = Location.search([("type", "=", "warehouse")], limit=1)
    main.name = "Entrepôt principal"
    main.code = demo_data.WAREHOUSES[0]
    main.save()
    storage, input_, output = Location.create(
        [
            {"name": "Stock 2", "type": "storage"},
            {"name": "Réception 2", "type": "storage"},
            {"name": "Expédition 2", "type": "storage"},
        ]
    )
    (second,) = Location.create(
        [
            {
                "name": "Entrepôt secondaire",
                "code": demo_data.WAREHOUSES[1],
                "type": "warehouse",
                "storage_location": storage.id,
                "input_location": input_.id,
                "output_location": output.id,
            }
        ]
    )
    Location.write([storage, input_, output], {"parent": second.id})
    return {main.code: main, second.code: second}


def _create_stock(
    pool: Any, company: Any, products: dict[str, Any], warehouses: dict[str, Any]
) -> None:
    """Done moves from suppliers (or to customers, for the negative item).

    Every catalogue goods item (kits have no stock of their own).
    """
    Move = pool.get("stock.move")
    Location = pool.get("stock.location")
    (supplier,) = Location.search([("type", "=", "supplier")], limit=1)
    (customer,) = Location.search([("type", "=", "customer")], limit=1)
    today = dt.date.today()
    values = []
    for item in demo_data.CATALOGUE_ITEMS:
        if item.components:
            continue
        product = products[item.code]
        for code, quantity in zip(demo_data.WAREHOUSES, item.stock, strict=True):
            if not quantity:
                continue
            storage = warehouses[code].storage_location
            incoming = quantity > 0
            values.append(
                {
                    "product": product.id,
                    "unit": product.default_uom.id,
                    "quantity": float(abs(quantity)),
                    "from_location": (supplier if incoming else storage).id,
                    "to_location": (storage if incoming else customer).id,
                    "effective_date": today,
                    "planned_date": today,
                    "company": company.id,
                    "unit_price": item.price
                    if not incoming
                    else (item.price / 2).quantize(Decimal("0.0001")),
                    "currency": company.currency.id,
                }
            )
    moves = Move.create(values)
    Move.do(moves)


# --------------------------------------------------------------------------
# Parties
# --------------------------------------------------------------------------

# K7: the company customer of the demo has a (valid) French VAT number.
COMPANY_CUSTOMER_VAT = {"C0008": "FR40303265045"}


def _create_customer_categories(pool: Any) -> None:
    """O6: customer families as party categories."""
    pool.get("party.category").create([{"name": name} for name in demo_data.CUSTOMER_CATEGORIES])


def _create_customers(pool: Any) -> None:
    Party = pool.get("party.party")
    Country = pool.get("country.country")
    countries = {c.code: c for c in Country.search([])}
    values = []
    for customer in (*demo_data.CUSTOMERS, demo_data.INACTIVE_CUSTOMER):
        mechanisms = []
        if customer.email:
            mechanisms.append({"type": "email", "value": customer.email})
        identifiers = []
        if vat := COMPANY_CUSTOMER_VAT.get(customer.code):
            identifiers.append({"type": "eu_vat", "code": vat})
        values.append(
            {
                "code": customer.code,
                "name": f"{customer.first_name} {customer.last_name}",
                "active": customer.active,
                "contact_mechanisms": [("create", mechanisms)],
                "identifiers": [("create", identifiers)],
                "addresses": [
                    (
                        "create",
                        [
                            {
                                "party_name": customer.company or None,
                                "street_unstructured": customer.street,
                                "postal_code": customer.postal_code,
                                "city": customer.city,
                                "country": countries[customer.country].id,
                            }
                        ],
                    )
                ],
            }
        )
    Party.create(values)


def _create_representatives(pool: Any, company: Any) -> None:
    """O6: each sales representative is a party and its commission agent (no plan).

    Without a commission plan Tryton computes no commission; the agent only
    says who follows the customer, on the party (agent selection) and on
    each sale.
    """
    Party = pool.get("party.party")
    Agent = pool.get("commission.agent")
    parties = Party.create([{"name": name} for name in demo_data.REPRESENTATIVES])
    Agent.create(
        [
            {
                "party": party.id,
                "type_": "agent",
                "company": company.id,
                "currency": company.currency.id,
            }
            for party in parties
        ]
    )


def _create_carriers(pool: Any, shipping: Any) -> None:
    """O26: one carrier per name; its product is the SHIPPING service item."""
    Party = pool.get("party.party")
    Carrier = pool.get("carrier")
    parties = Party.create([{"name": name} for name in demo_data.CARRIERS])
    Carrier.create([{"party": party.id, "carrier_product": shipping.id} for party in parties])


# --------------------------------------------------------------------------
# Configuration
# --------------------------------------------------------------------------


def _configure(pool: Any, company: Any, warehouses: dict[str, Any]) -> None:
    """Tax rounding per line (as shops do), sale numbers, shipment costs and the key shop."""
    AccountConfiguration = pool.get("account.configuration")
    configuration = AccountConfiguration(1)
    configuration.tax_rounding = "line"
    configuration.save()
    # Sale numbers a merchant recognises (SO00001) rather than bare integers.
    SaleConfiguration = pool.get("sale.configuration")
    sale_configuration = SaleConfiguration(1)
    sequence = sale_configuration.get_multivalue("sale_sequence", company=company.id)
    sequence.prefix = "SO"
    sequence.padding = 5
    sequence.save()
    Shop = pool.get("web.shop")
    Shop.create(
        [
            {
                "name": EXTERNAL_KEY_SHOP,
                "company": company.id,
                "currency": company.currency.id,
                "warehouses": [("add", [warehouses[demo_data.WAREHOUSES[0]].id])],
            }
        ]
    )
