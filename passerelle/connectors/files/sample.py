"""Sample exports, as a desktop back-office writes them, from any back-office's records.

Why: the demo and the conformance suite need the files a merchant's Sage or EBP
would export (an items spreadsheet, a stock file and a customer file in
Windows-1252 with decimal commas) holding the same catalogue the other
back-offices hold, so the same checks run on the file back-office. They are
written here from the records a back-office reads through the protocol, in
the layout of :data:`SAMPLE_HEADERS`, which the demo profile's column mapping
names.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from openpyxl import Workbook

from passerelle.connectors.base import BackOffice
from passerelle.model import Category, Customer, Item, StockKind, StockLevel, Tax

__all__ = [
    "CUSTOMERS_FILE",
    "ITEMS_FILE",
    "SAMPLE_HEADERS",
    "STOCK_FILE",
    "SampleExports",
    "french_decimal",
    "write_customers_export",
    "write_sample_exports",
    "write_stock_export",
]

ITEMS_FILE = "articles.xlsx"
STOCK_FILE = "stock.csv"
CUSTOMERS_FILE = "clients.csv"

#: The column of each canonical field in the sample files, as a French back-office
#: names them (field -> header). Custom fields are ``attr:<name>`` -> ``<name>``;
#: group prices ``Prix <price list>``.
SAMPLE_HEADERS: dict[str, dict[str, str]] = {
    "items": {
        "code": "Référence",
        "name": "Désignation",
        "description": "Description",
        "short_description": "Résumé",
        "category": "Famille",
        "sale_price": "Prix de vente HT",
        "cost_price": "Prix d'achat HT",
        "tax": "Code TVA",
        "weight": "Poids (kg)",
        "length": "Longueur (cm)",
        "width": "Largeur (cm)",
        "height": "Hauteur (cm)",
        "barcode": "Code-barres",
        "active": "Actif",
        "salable": "En vente",
        "published": "Publié",
        "stocked": "Suivi de stock",
        "supplier": "Fournisseur",
        "supplier_code": "Réf. fournisseur",
        "master": "Article parent",
    },
    "stock": {"code": "Référence", "warehouse": "Dépôt", "quantity": "Quantité"},
    "customers": {
        "code": "Code client",
        "name": "Nom",
        "first_name": "Prénom",
        "last_name": "Nom de famille",
        "company": "Société",
        "email": "E-mail",
        "phone": "Téléphone",
        "street": "Adresse",
        "street2": "Complément",
        "postal_code": "Code postal",
        "city": "Ville",
        "country_code": "Pays",
        "group": "Catégorie tarifaire",
        "tax_identifier": "N° TVA",
        "active": "Actif",
    },
}
GROUP_PRICE_HEADER = "Prix %s"


@dataclass(frozen=True, slots=True)
class SampleExports:
    """What was written: the file names (in the inbox) and the tax table the items
    file's tax codes refer to (``source_id`` is the code), which a profile states;
    the stock levels and customers written, from which a caller writes the
    program's next stock or customer export without reading the source again."""

    files: tuple[str, ...]
    taxes: tuple[Tax, ...]
    price_lists: tuple[str, ...]
    attributes: tuple[str, ...]
    stock: tuple[StockLevel, ...] = ()
    customers: tuple[Customer, ...] = ()


def french_decimal(value: Decimal) -> str:
    """``1234.5`` as a French back-office writes it: ``1234,5`` (no thousands mark)."""
    return format(value, "f").replace(".", ",")


def _category_paths(categories: Sequence[Category]) -> dict[str, str]:
    by_id = {c.source_id: c for c in categories}

    def path(category: Category) -> str:
        parent = by_id.get(category.parent_id or "")
        return f"{path(parent)} > {category.name}" if parent else category.name

    return {c.source_id: path(c) for c in categories}


def _yes(flag: bool) -> str:
    return "Oui" if flag else "Non"


def _items_sheet(
    items: Sequence[Item],
    categories: dict[str, str],
    tax_codes: dict[str, str],
    price_lists: Sequence[str],
    attributes: Sequence[str],
) -> bytes:
    headers = SAMPLE_HEADERS["items"]
    book = Workbook()
    sheet = book.active
    assert sheet is not None  # a new workbook has its first sheet
    sheet.title = "Articles"
    fields = list(headers)
    sheet.append(
        [headers[f] for f in fields]
        + [GROUP_PRICE_HEADER % name for name in price_lists]
        + list(attributes)
    )
    variants = {item.template_id for item in items if item.variant_count > 1}
    for item in items:
        row: dict[str, object] = {
            "code": item.code,
            "name": item.name,
            "description": item.description,
            "short_description": item.short_description,
            "category": categories.get(item.category_ids[0], "") if item.category_ids else "",
            "sale_price": float(item.sale_price),
            "cost_price": float(item.cost_price) if item.cost_price is not None else None,
            "tax": tax_codes.get(item.taxes[0].source_id, "") if item.taxes else "",
            "weight": _number(item.weight),
            "length": _number(item.length),
            "width": _number(item.width),
            "height": _number(item.height),
            "barcode": item.barcode or "",
            "active": _yes(item.active),
            "salable": _yes(item.salable),
            "published": _yes(item.published),
            "stocked": _yes(item.stocked),
            "supplier": item.supplier,
            "supplier_code": item.supplier_code,
            "master": f"T{item.template_id}" if item.template_id in variants else "",
        }
        groups = dict(item.group_prices)
        sheet.append(
            [row[f] for f in fields]
            + [float(groups[name]) if name in groups else None for name in price_lists]
            + [_cell(item.attributes.get(name)) for name in attributes]
        )
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _number(value: Decimal | None) -> float | None:
    return float(value) if value is not None else None


def _cell(value: object) -> object:
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, Decimal):
        return float(value)
    return str(value)


def _csv(header: Sequence[str], rows: Iterable[Sequence[str]]) -> bytes:
    """Semicolons, CRLF, Windows-1252: what the French desktop programs write."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue().encode("cp1252", errors="replace")


def _stock_file(levels: Sequence[StockLevel]) -> bytes:
    headers = SAMPLE_HEADERS["stock"]
    return _csv(
        [headers["code"], headers["warehouse"], headers["quantity"]],
        ([level.item_code, level.warehouse, french_decimal(level.quantity)] for level in levels),
    )


def _customers_file(customers: Sequence[Customer]) -> bytes:
    headers = SAMPLE_HEADERS["customers"]
    fields = list(headers)

    def row(customer: Customer) -> list[str]:
        address = customer.addresses[0] if customer.addresses else None
        values = {
            "code": customer.code,
            "name": customer.name,
            "first_name": customer.first_name,
            "last_name": customer.last_name,
            "company": customer.company,
            "email": customer.email,
            "phone": customer.phone,
            "street": address.street if address else "",
            "street2": address.street2 if address else "",
            "postal_code": address.postal_code if address else "",
            "city": address.city if address else "",
            "country_code": address.country_code if address else "",
            "group": customer.group,
            "tax_identifier": customer.tax_identifier,
            "active": _yes(customer.active),
        }
        return [values[f] for f in fields]

    return _csv([headers[f] for f in fields], (row(c) for c in customers))


def write_stock_export(levels: Sequence[StockLevel], inbox: Path) -> None:
    """The stock file of ``levels`` (the program's next stock export), in ``inbox``."""
    inbox.mkdir(parents=True, exist_ok=True)
    (inbox / STOCK_FILE).write_bytes(_stock_file(levels))


def write_customers_export(customers: Sequence[Customer], inbox: Path) -> None:
    """The customer file of ``customers`` (the program's next customer export), in ``inbox``."""
    inbox.mkdir(parents=True, exist_ok=True)
    (inbox / CUSTOMERS_FILE).write_bytes(_customers_file(customers))


def write_sample_exports(
    source: BackOffice, inbox: Path, *, stock_kind: StockKind = StockKind.ON_HAND
) -> SampleExports:
    """The items spreadsheet, the stock and customer files of ``source``'s records,
    written into ``inbox`` (created when missing)."""
    inbox.mkdir(parents=True, exist_ok=True)
    taxes = source.list_taxes()
    tax_codes = {tax.source_id: f"T{n:02d}" for n, tax in enumerate(taxes, start=1)}
    items = source.list_items()
    price_lists = sorted({name for item in items for name, _price in item.group_prices})
    attributes = sorted({name for item in items for name in item.attributes})
    categories = _category_paths(source.list_categories())
    (inbox / ITEMS_FILE).write_bytes(
        _items_sheet(items, categories, tax_codes, price_lists, attributes)
    )
    levels = source.stock_levels(kind=stock_kind)
    customers = source.list_customers()
    write_stock_export(levels, inbox)
    write_customers_export(customers, inbox)
    return SampleExports(
        files=(ITEMS_FILE, STOCK_FILE, CUSTOMERS_FILE),
        taxes=tuple(
            Tax(tax_codes[t.source_id], t.name, t.rate, t.updates_unit_price) for t in taxes
        ),
        price_lists=tuple(price_lists),
        attributes=tuple(attributes),
        stock=tuple(levels),
        customers=tuple(customers),
    )
