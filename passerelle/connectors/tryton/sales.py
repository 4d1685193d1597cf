"""Writing one imported order as a Tryton sale, up to the document type asked.

Called by ``TrytonBackOffice.create_sale`` inside one transaction: any
RecordError raised here rolls back everything (sale, lines, addresses,
payments, accounts). Every reference is looked up before anything is
written, so a message names what is missing rather than a Tryton domain.

Document types (O2), in Tryton's terms:

- ``DRAFT``: the sale is saved, nothing else (Tryton takes no payment on a
  draft sale: a paid order is refused, saying so);
- ``QUOTATION``: quoted (numbered);
- ``ORDER``: confirmed; Tryton processes it (shipment, invoice) right after
  the commit, as its queue would;
- ``PROCESSED``: confirmed and processed in the transaction (invoice method
  "on order", so the customer invoice exists as a draft);
- ``INVOICE``: processed and its invoice (or credit note) posted.

A sale with negative quantities (a return, O28) is processed by Tryton into
a customer return shipment and an invoice with a negative total, i.e. a
credit note numbered in the credit-note sequence when posted.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from passerelle.connectors.errors import RecordError
from passerelle.connectors.tryton import parties
from passerelle.connectors.tryton.lookups import NO_LOOKUPS, Lookups
from passerelle.connectors.tryton.payments import record_payments
from passerelle.i18n.messages import M_, Text
from passerelle.model import BackOfficeSale, DocumentType

__all__ = ["check_total", "write_sale"]


def write_sale(
    pool: Any,
    sale: BackOfficeSale,
    label: Text,
    key_shop: Any,
    company: int,
    lookups: Lookups = NO_LOOKUPS,
) -> Any:
    """Create the sale record for ``sale`` and take it to ``sale.document_type``;
    ``lookups``: what the unit of work already found (the buyer, by code)."""
    Sale = pool.get("sale.sale")
    if sale.document_type is DocumentType.DRAFT and sale.payments:
        # sale_payment only links payments to a quoted or confirmed sale.
        raise RecordError(
            M_(
                "%(order)s: Tryton records payments only on a quoted or confirmed sale, not "
                "on a draft; import paid orders as quotation (or beyond), or drop their "
                "payments from the mapping",
                order=label,
            )
        )
    record = _build_sale(pool, sale, label, key_shop, company, lookups)
    record.save()
    if sale.document_type is DocumentType.DRAFT:
        check_total(record, sale, label)
        return Sale(record.id)
    Sale.quote([record])
    _mark_shipment_cost_lines(pool, record, sale)
    record = Sale(record.id)
    check_total(record, sale, label)
    final = sale.document_type.is_final
    if sale.payments and not (final and sale.validate_before_paying):
        record_payments(pool, record, sale.payments, succeed=final, label=label)
    if final:
        Sale.confirm([record])
        if sale.payments and sale.validate_before_paying:
            record_payments(pool, Sale(record.id), sale.payments, succeed=True, label=label)
    if sale.document_type in (DocumentType.PROCESSED, DocumentType.INVOICE):
        Sale.process([Sale(record.id)])
    if sale.document_type is DocumentType.INVOICE:
        post_invoices(pool, Sale(record.id), label)
    return Sale(record.id)


def _build_sale(
    pool: Any, sale: BackOfficeSale, label: Text, key_shop: Any, company: int, lookups: Lookups
) -> Any:
    """The unsaved sale with its header and lines, every reference resolved."""
    Sale = pool.get("sale.sale")
    party = (
        parties.find_party(pool, code=sale.party_code, lookups=lookups) if sale.party_code else None
    )
    if party is None:
        raise RecordError(
            M_(
                "%(order)s: customer %(customer)s does not exist in Tryton; create it (export "
                "customers) or map the order to an existing customer code",
                order=label,
                customer=repr(sale.party_code),
            )
        )
    currency = _one(pool, "currency.currency", [("code", "=", sale.currency)])
    if currency is None:
        raise RecordError(
            M_(
                "%(order)s: currency %(currency)s is not defined in Tryton "
                "(Currency › Currencies, with a rate)",
                order=label,
                currency=repr(sale.currency),
            )
        )
    if sale.number:
        taken = Sale.search([("number", "=", sale.number), ("company", "=", company)], limit=1)
        if taken:
            raise RecordError(
                M_(
                    "%(order)s: sale number %(number)s is already used by another Tryton "
                    "sale; keep the shop's numbers only if they cannot collide with Tryton's",
                    order=label,
                    number=repr(sale.number),
                )
            )
    # Instances get no defaults by themselves (create() would, too late
    # for on_change_party): start from the model's defaults, as a client does.
    record = Sale(**Sale.default_get(list(Sale._fields), with_rec_name=False))
    record.party = party
    record.on_change_party()
    record.company = company
    record.currency = currency
    record.sale_date = sale.sale_date
    record.number = sale.number or None
    record.reference = sale.reference or None
    record.description = sale.description or None
    record.comment = sale.comment or None
    record.web_shop = key_shop
    record.web_id = sale.external_key
    record.warehouse = _warehouse(pool, sale, record, label)
    if sale.document_type in (DocumentType.PROCESSED, DocumentType.INVOICE):
        record.invoice_method = "order"  # the invoice exists once processed
    if sale.payment_term:
        term = _one(pool, "account.invoice.payment_term", [("name", "=", sale.payment_term)])
        if term is None:
            raise RecordError(
                M_(
                    "%(order)s: payment term %(term)s does not exist in Tryton "
                    "(Accounting › Payment Terms); create it or change the payment mapping",
                    order=label,
                    term=repr(sale.payment_term),
                )
            )
        record.payment_term = term
    _set_carrier(pool, record, sale, label)
    if "agent" in Sale._fields:
        # O6: the customer's representative; Tryton would pick it at quotation,
        # a draft gets it too.
        record.agent = parties.party_agent(pool, party)
    if sale.invoice_address is not None and not sale.invoice_address.is_empty():
        record.invoice_address = parties.ensure_address(pool, party, sale.invoice_address)
    if sale.shipment_address is not None and not sale.shipment_address.is_empty():
        record.shipment_address = parties.ensure_address(pool, party, sale.shipment_address)
    if record.invoice_address is None or record.shipment_address is None:
        raise RecordError(
            M_(
                "%(order)s: customer %(customer)s has no address in Tryton and the order "
                "gives none",
                order=label,
                customer=repr(sale.party_code),
            )
        )
    record.lines = _lines(pool, sale, label)
    return record


def _one(pool: Any, model: str, domain: list[Any]) -> Any | None:
    found = pool.get(model).search(domain, limit=1)
    return found[0] if found else None


def _warehouse(pool: Any, sale: BackOfficeSale, record: Any, label: Text) -> Any:
    Location = pool.get("stock.location")
    if sale.warehouse:
        found = Location.search(
            [("type", "=", "warehouse"), ("code", "=", sale.warehouse)], limit=1
        )
        if not found:
            raise RecordError(
                M_(
                    "%(order)s: warehouse %(warehouse)s does not exist in Tryton",
                    order=label,
                    warehouse=repr(sale.warehouse),
                )
            )
        return found[0]
    if record.warehouse is not None:
        return record.warehouse
    # Several warehouses: Tryton has no default. Use the key shop's one,
    # else the first warehouse created (the main one).
    return (
        record.web_shop.warehouse
        or Location.search([("type", "=", "warehouse")], order=[("id", "ASC")], limit=1)[0]
    )


def _set_carrier(pool: Any, record: Any, sale: BackOfficeSale, label: Text) -> None:
    """O26: the named carrier; Tryton never computes a shipment cost line of its own.

    ``shipment_cost_method`` is left empty: with a method, quoting the sale
    would replace the shipping line passerelle writes (the shop's amount)
    by one priced from the carrier. The shop's shipping line is flagged as
    Tryton's shipment cost after quotation (see ``_mark_shipment_cost_lines``).
    """
    if "shipment_cost_method" in type(record)._fields:
        record.shipment_cost_method = None
    if "carrier" not in type(record)._fields:
        if sale.carrier:
            raise RecordError(
                M_(
                    "%(order)s: carrier %(carrier)s given but the Tryton module "
                    "sale_shipment_cost is not activated",
                    order=label,
                    carrier=repr(sale.carrier),
                )
            )
        return
    record.carrier = None
    if sale.carrier:
        carrier = _one(pool, "carrier", [("party.name", "=", sale.carrier)])
        if carrier is None:
            raise RecordError(
                M_(
                    "%(order)s: carrier %(carrier)s does not exist in Tryton (Carrier › "
                    "Carriers, named after its party); create it or change the mapping",
                    order=label,
                    carrier=repr(sale.carrier),
                )
            )
        record.carrier = carrier


def _lines(pool: Any, sale: BackOfficeSale, label: Text) -> list[Any]:
    """Sale lines with exactly the mapped taxes (after the tax rule), not the product's."""
    Line = pool.get("sale.line")
    Product = pool.get("product.product")
    Tax = pool.get("account.tax")
    codes = sorted({line.item_code for line in sale.lines})
    products = {p.code: p for p in Product.search([("code", "in", codes)])}
    unknown = [c for c in codes if c not in products]
    if unknown:
        raise RecordError(
            M_(
                "%(order)s: item(s) %(items)s unknown or inactive in Tryton",
                order=label,
                items=", ".join(map(repr, unknown)),
            )
        )
    unsalable = [c for c in codes if not products[c].salable]
    if unsalable:
        raise RecordError(
            M_(
                "%(order)s: item(s) %(items)s are not salable in Tryton; tick Salable on the "
                "product or map the order to another item",
                order=label,
                items=", ".join(map(repr, unsalable)),
            )
        )
    tax_ids = sorted({int(t) for line in sale.lines for t in line.tax_ids})
    taxes = {t.id: t for t in Tax.search([("id", "in", tax_ids)])}
    missing = [str(t) for t in tax_ids if t not in taxes]
    if missing:
        raise RecordError(
            M_(
                "%(order)s: Tryton tax id(s) %(taxes)s do not exist",
                order=label,
                taxes=", ".join(missing),
            )
        )
    rule = _tax_rule(pool, sale, label)
    lines = []
    for sequence, line in enumerate(sale.lines, start=1):
        product = products[line.item_code]
        # O9: a line the shop did not tax takes its item's customer taxes,
        # which the document's tax rule turns into the export or reverse-charge tax.
        mapped = (
            list(product.customer_taxes_used)
            if line.item_taxes
            else [taxes[int(t)] for t in line.tax_ids]
        )
        lines.append(
            Line(
                type="line",
                sequence=sequence,
                product=product,
                description=line.description or product.rec_name,
                quantity=float(line.quantity),
                unit=product.sale_uom,
                unit_price=line.unit_price,
                taxes=_line_taxes(Tax, rule, mapped),
            )
        )
    return lines


def _tax_rule(pool: Any, sale: BackOfficeSale, label: Text) -> Any | None:
    if not sale.tax_rule:
        return None
    rule = _one(pool, "account.tax.rule", [("name", "=", sale.tax_rule)])
    if rule is None:
        raise RecordError(
            M_(
                "%(order)s: tax rule %(rule)s does not exist in Tryton (Accounting › Taxes › "
                "Rules); create it or change the profile's tax rule",
                order=label,
                rule=repr(sale.tax_rule),
            )
        )
    return rule


def _line_taxes(Tax: Any, rule: Any | None, mapped: list[Any]) -> list[Any]:
    """O9: each mapped tax through the rule (``rule.apply``), order kept, no duplicate."""
    if rule is None:
        return mapped
    result: list[int] = []
    for tax in mapped:
        for tax_id in rule.apply(tax, {}) or []:
            if tax_id not in result:
                result.append(tax_id)
    return list(Tax.browse(result))


def _mark_shipment_cost_lines(pool: Any, record: Any, sale: BackOfficeSale) -> None:
    """Flag the shop's shipping line(s) as Tryton's shipment cost, after quotation.

    Why after: Tryton's quotation drops flagged lines when the sale has no
    shipment cost method (and reprices them when it has one). Once quoted,
    the flag makes Tryton treat the line as the shipping cost (margins,
    shipment cost reports) without changing its amount. A draft sale keeps an
    ordinary line, so quoting it later in Tryton keeps the shop's amount.
    """
    flagged = [
        line for line, wanted in zip(record.lines, sale.lines, strict=True) if wanted.shipment_cost
    ]
    if not flagged or "shipment_cost" not in pool.get("sale.line")._fields:
        return
    Line = pool.get("sale.line")
    for line in flagged:
        Line.write([line], {"shipment_cost": line.amount})


def check_total(record: Any, sale: BackOfficeSale, label: Text) -> None:
    """Refuse (so nothing is written) a total that differs from the shop's beyond tolerance.

    ``accept_total_difference`` (O8) writes it anyway: the merchant chose
    to see the difference in Tryton rather than park the order.
    """
    expected = sale.expected_total
    if expected is None or sale.accept_total_difference:
        return
    tolerance = abs(sale.total_tolerance or Decimal(0))
    total = Decimal(record.total_amount)
    if abs(total - Decimal(expected)) > tolerance:
        raise RecordError(
            M_(
                "%(order)s: Tryton computes a total of %(total)s %(currency)s but the shop "
                "says %(expected)s (difference %(difference)s, tolerance %(tolerance)s); "
                "check the tax mapping and the prices",
                order=label,
                total=str(total),
                currency=sale.currency,
                expected=str(expected),
                difference=str(total - Decimal(expected)),
                tolerance=str(tolerance),
            )
        )


def post_invoices(pool: Any, record: Any, label: Text) -> None:
    """Post the sale's draft invoices (O2 "invoice").

    Posting makes Tryton link the sale's payments to the invoice and, for
    payments with a clearing move, reconcile them when they cover it
    exactly: the invoice is then paid. A partial payment or a refund (paid
    from the payable side) stays linked but unreconciled, for the accountant.
    """
    Invoice = pool.get("account.invoice")
    invoices = [i for i in record.invoices if i.state in ("draft", "validated")]
    if not invoices:
        raise RecordError(
            M_(
                "%(order)s: Tryton created no invoice for the sale (invoice method "
                "%(method)s); nothing to post",
                order=label,
                method=repr(record.invoice_method),
            )
        )
    Invoice.post(invoices)
