"""Tryton records → canonical records, and the small helpers both directions need.

Pure functions over trytond record instances (read inside a transaction by
the connector); no search, no write here, so the mapping stays readable.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache
from typing import Any

from passerelle.model import (
    Address,
    Category,
    Contact,
    Customer,
    Item,
    SaleLine,
    SaleResult,
    Tax,
)

__all__ = [
    "address_matches",
    "decimal",
    "quantity",
    "address_values",
    "invoice_numbers",
    "tax_bases",
    "to_address",
    "to_category",
    "to_customer",
    "to_item",
    "to_sale_result",
    "to_tax",
    "template_part",
    "modified_at",
    "KG",
    "TemplatePart",
    "barcode_of",
    "utc",
    "utc_naive",
]

KG = "kg"


def utc(value: dt.datetime | None) -> dt.datetime | None:
    """trytond stores naive UTC timestamps; flows compare aware ones."""
    if value is None:
        return None
    return value.replace(tzinfo=dt.UTC)


def utc_naive(value: dt.datetime) -> dt.datetime:
    """An aware (or naive, taken as UTC) datetime as trytond's naive UTC."""
    if value.tzinfo is not None:
        value = value.astimezone(dt.UTC).replace(tzinfo=None)
    return value


def latest(*values: dt.datetime | None) -> dt.datetime | None:
    present = [v for v in values if v is not None]
    return utc(max(present)) if present else None


def quantity(value: float | None) -> Decimal:
    """A trytond Float quantity as Decimal, without float noise or a trailing ``.0``."""
    result = Decimal(str(value or 0))
    if result == result.to_integral_value():
        result = result.quantize(Decimal(1))
    return result


@lru_cache(maxsize=4096)
def decimal(value: float) -> Decimal:
    """A measured float (weight, length) as a plain Decimal: no float noise, no exponent.

    Kept for the last few thousand values: a catalogue's weights and sizes repeat.
    """
    result = Decimal(str(round(value, 6)))
    if result == result.to_integral_value():
        return result.quantize(Decimal(1))
    return result.normalize()


def to_tax(tax: Any) -> Tax:
    return Tax(
        source_id=str(tax.id),
        name=tax.name,
        rate=Decimal(str(tax.rate or 0)),
        updates_unit_price=bool(tax.update_unit_price),
    )


def to_category(category: Any) -> Category:
    return Category(
        source_id=str(category.id),
        name=category.name,
        parent_id=str(category.parent.id) if category.parent else None,
    )


def _weight_kg(template: Any) -> Decimal | None:
    """The template's weight in kilograms (the unit shops expect)."""
    weight = getattr(template, "weight", None)
    if weight is None:
        return None
    uom = template.weight_uom
    if uom is not None and uom.symbol != KG:
        # factor converts to the category's reference unit (the kilogram).
        weight = weight * uom.factor
    return decimal(weight)


def _barcode(product: Any) -> str | None:
    """The EAN identifier, else the first untyped one (demo codes lack a check digit)."""
    identifiers = list(product.identifiers)
    for identifier in identifiers:
        if identifier.type == "ean":
            return identifier.code
    for identifier in identifiers:
        if not identifier.type:
            return identifier.code
    return None


def to_item(product: Any, taxes: dict[int, Tax]) -> Item:
    """A variant with its template's data flattened (one Item per product.product)."""
    template = product.template
    item_taxes = tuple(taxes[t.id] for t in template.customer_taxes_used if t.id in taxes)
    return Item(
        source_id=str(product.id),
        code=product.code or "",
        name=template.name,
        sale_price=Decimal(product.list_price_used or template.list_price or 0),
        description=product.description or "",
        template_id=str(template.id),
        taxes=item_taxes,
        category_ids=tuple(str(c.id) for c in template.categories),
        weight=_weight_kg(template),
        weight_unit=KG,
        barcode=_barcode(product),
        active=bool(product.active and template.active),
        salable=bool(template.salable),
        stocked=template.type == "goods",
        modified_at=latest(
            product.create_date, product.write_date, template.create_date, template.write_date
        ),
    )


def _weight_kg_of(weight: float | None, uom: tuple[str, float] | None) -> Decimal | None:
    """:func:`_weight_kg` of a template read as values: ``uom`` is (symbol, factor)."""
    if weight is None:
        return None
    if uom is not None and uom[0] != KG:
        weight = weight * uom[1]
    return decimal(weight)


def barcode_of(identifiers: Sequence[tuple[str | None, str]]) -> str | None:
    """:func:`_barcode` of a variant's identifiers read as (type, code) pairs."""
    for kind, code in identifiers:
        if kind == "ean":
            return code
    for kind, code in identifiers:
        if not kind:
            return code
    return None


@dataclass(slots=True)
class TemplatePart:
    """What the Items of a template's variants share (:func:`template_part`).

    Not frozen: a frozen dataclass sets each field through ``object.__setattr__``, and
    a read makes one per template; nothing changes a part once made."""

    name: str
    template_id: str
    taxes: tuple[Tax, ...]
    category_ids: tuple[str, ...]
    weight: Decimal | None
    active: bool
    salable: bool
    stocked: bool
    modified: dt.datetime | None  # the later of the template's creation and last write
    list_price: Any
    # ``modified`` as :func:`utc` gives it, made when a variant first needs it (the
    # variants' own dates are often the later ones; ``replace`` is not cheap).
    modified_utc: dt.datetime | None = None


def template_part(
    template: dict[str, Any],
    taxes: dict[int, Tax],
    uoms: dict[int, tuple[str, float]],
    shared: dict[tuple[Any, ...], tuple[Any, ...]] | None = None,
) -> TemplatePart:
    """:func:`to_item`'s template values of a template read as values (:mod:`.bulk`),
    computed once per template: ``uoms`` gives each unit's symbol and factor.

    ``shared``: the taxes and categories of the templates of one read, one tuple for
    equal ones (a catalogue has few distinct ones; each tuple kept is one more object
    for the garbage collector to walk, thousands for a read)."""
    shared = {} if shared is None else shared
    weight_uom = template["weight_uom"]
    created, written = template["create_date"], template["write_date"]
    modified = written if created is None else created if written is None else max(created, written)
    item_taxes = tuple(taxes[t] for t in template["customer_taxes_used"] if t in taxes)
    categories = template["categories"]
    category_ids = shared.get(categories)  # by the ids' tuple (ints: no clash with strs)
    if category_ids is None:
        category_ids = tuple(str(c) for c in categories)
        category_ids = shared[categories] = shared.setdefault(category_ids, category_ids)
    return TemplatePart(
        name=template["name"],
        template_id=str(template["id"]),
        taxes=shared.setdefault(item_taxes, item_taxes),
        category_ids=category_ids,
        weight=_weight_kg_of(template["weight"], uoms.get(weight_uom) if weight_uom else None),
        active=bool(template["active"]),
        salable=bool(template["salable"]),
        stocked=template["type"] == "goods",
        modified=modified,
        list_price=template.get("list_price"),
    )


def modified_at(
    created: dt.datetime | None, written: dt.datetime | None, part: TemplatePart
) -> dt.datetime | None:
    """:func:`to_item`'s ``modified_at``: the latest of the variant's and its template's
    creation and last write (:func:`latest` of the three, without a list per item)."""
    found = part.modified
    if created is not None and (found is None or created > found):
        found = created
    if written is not None and (found is None or written > found):
        found = written
    if found is part.modified:  # the template's: made once for its variants
        if part.modified_utc is None and found is not None:
            part.modified_utc = utc(found)
        return part.modified_utc
    return found.replace(tzinfo=dt.UTC) if found is not None else None


def _split_name(name: str) -> tuple[str, str]:
    """Tryton has one party name; shops want first and last. First word, then the rest."""
    first, _, last = name.strip().partition(" ")
    return first, last


def to_address(address: Any, party_name: str, email: str = "", phone: str = "") -> Address:
    lines = (address.street_unstructured or address.street or "").splitlines()
    first, last = _split_name(party_name)
    return Address(
        first_name=first,
        last_name=last,
        company=address.party_name or "",
        street=lines[0] if lines else "",
        street2=" ".join(lines[1:]),
        postal_code=address.postal_code or "",
        city=address.city or "",
        country_code=address.country.code if address.country else "",
        subdivision=address.subdivision.code if address.subdivision else "",
        phone=phone,
        email=email,
    )


def _contact(party: Any, kind: str) -> str:
    for mechanism in party.contact_mechanisms:
        if mechanism.type == kind and mechanism.value:
            return mechanism.value
    return ""


def _contacts(party: Any, main_email: str) -> tuple[Contact, ...]:
    """K1: the party's other e-mail mechanisms, each a person (its name) of the account."""
    phone = _contact(party, "phone") or _contact(party, "mobile")
    seen = {main_email.casefold()}
    contacts = []
    for mechanism in party.contact_mechanisms:
        if mechanism.type != "email" or not mechanism.value:
            continue
        if mechanism.value.casefold() in seen:
            continue
        seen.add(mechanism.value.casefold())
        contacts.append(
            Contact(
                name=mechanism.name or party.name,
                email=mechanism.value,
                phone="" if mechanism.name else phone,
            )
        )
    return tuple(contacts)


def _many2one_name(party: Any, field: str) -> str:
    """The name of a (company-dependent) Many2One of the party, empty when unset or absent."""
    if field not in party._fields:
        return ""
    record = getattr(party, field, None)
    return (record.name or "") if record is not None else ""


def _identifier(party: Any) -> str:
    """The party's company number: its EU VAT number first, else its first identifier."""
    identifiers = list(getattr(party, "identifiers", ()) or ())
    for identifier in identifiers:
        if identifier.type == "eu_vat":
            return identifier.code or ""
    return (identifiers[0].code or "") if identifiers else ""


def _representative(party: Any) -> str:
    """The sales representative: the commission agent selected for the party, if any."""
    for selection in getattr(party, "agents", ()) or ():
        return selection.agent.party.name
    return ""


def to_customer(party: Any) -> Customer:
    email = _contact(party, "email")
    phone = _contact(party, "phone") or _contact(party, "mobile")
    addresses = tuple(to_address(a, party.name, email, phone) for a in party.addresses if a.active)
    first, last = _split_name(party.name)
    return Customer(
        source_id=str(party.id),
        name=party.name,
        email=email,
        first_name=first,
        last_name=last,
        company=addresses[0].company if addresses else "",
        code=party.code or "",
        phone=phone,
        addresses=addresses,
        active=bool(party.active),
        tax_identifier=_identifier(party),
        # Only a party's own account: empty means the company's default.
        receivable_account=(
            party.account_receivable.code
            if getattr(party, "account_receivable", None) is not None
            else ""
        ),
        category=party.categories[0].name if getattr(party, "categories", None) else "",
        representative=_representative(party),
        group=_many2one_name(party, "sale_price_list"),
        contacts=_contacts(party, email),
        payment_term=_many2one_name(party, "customer_payment_term"),
        created_at=utc(party.create_date),
        modified_at=latest(
            party.create_date,
            party.write_date,
            *(a.write_date or a.create_date for a in party.addresses),
            *(m.write_date or m.create_date for m in party.contact_mechanisms),
        ),
    )


def address_values(
    address: Address, party_name: str, country: Any | None, *, own: bool = False
) -> dict[str, Any]:
    """Values of a party.address for a canonical address.

    Tryton's ``party_name`` ("name at this address") carries the company, or,
    for an order's address (``own=False``), the addressee when it is someone
    else than the party (a gift delivery). A customer's own addresses
    (``own=True``) are the party's by definition: only the company is kept.
    """
    street = "\n".join(s for s in (address.street, address.street2) if s)
    addressee = address.company or (
        address.full_name
        if not own and address.full_name and address.full_name != party_name
        else ""
    )
    return {
        "party_name": addressee or None,
        "street_unstructured": street or None,
        "postal_code": address.postal_code or None,
        "city": address.city or None,
        "country": country.id if country is not None else None,
    }


def _norm(value: Any) -> str:
    return " ".join(str(value or "").split()).casefold()


def address_matches(record: Any, values: dict[str, Any]) -> bool:
    """Whether an existing party.address already is the address described by ``values``."""
    country = record.country.id if record.country else None
    return (
        _norm(record.street_unstructured) == _norm(values["street_unstructured"])
        and _norm(record.postal_code) == _norm(values["postal_code"])
        and _norm(record.city) == _norm(values["city"])
        and _norm(record.party_name) == _norm(values["party_name"])
        and country == values["country"]
    )


def tax_bases(sale: Any) -> tuple[tuple[str, Decimal], ...]:
    """Untaxed base per tax id as Tryton computed the sale's taxes (``_get_taxes``).

    A tax after an "update unit price" tax (O24's compound PST) has the
    price plus that tax as its base, as on Tryton's invoice tax lines.
    Bases of credit lines (negative) and ordinary lines add up.
    """
    bases: dict[int, Decimal] = {}
    for tax_line in sale._get_taxes().values():
        tax_id = int(getattr(tax_line.tax, "id", tax_line.tax))
        bases[tax_id] = bases.get(tax_id, Decimal(0)) + Decimal(tax_line.base)
    return tuple((str(tax_id), base) for tax_id, base in sorted(bases.items()))


def invoice_numbers(sale: Any) -> tuple[str, ...]:
    """Numbers of the sale's invoices and credit notes (a draft one has none yet)."""
    return tuple(
        invoice.number
        for invoice in getattr(sale, "invoices", ()) or ()
        if invoice.number and invoice.state != "cancelled"
    )


def to_sale_result(sale: Any) -> SaleResult:
    lines = tuple(
        SaleLine(
            item_code=line.product.code if line.product else "",
            description=line.description or "",
            quantity=quantity(line.quantity),
            unit_price=Decimal(line.unit_price),
            tax_ids=tuple(str(t.id) for t in line.taxes),
        )
        for line in sale.lines
        if line.type == "line"
    )
    payments = getattr(sale, "payments", ()) or ()
    paid = sum(
        (
            p.amount if p.kind == "receivable" else -p.amount
            for p in payments
            if p.state != "failed"
        ),
        Decimal(0),
    )
    return SaleResult(
        source_id=str(sale.id),
        number=sale.number or "",
        state=sale.state,
        untaxed_amount=Decimal(sale.untaxed_amount),
        tax_amount=Decimal(sale.tax_amount),
        total_amount=Decimal(sale.total_amount),
        external_key=getattr(sale, "web_id", None) or "",
        party_code=sale.party.code or "",
        lines=lines,
        payments_total=paid,
        invoice_numbers=invoice_numbers(sale),
        tax_bases=tax_bases(sale),
    )
