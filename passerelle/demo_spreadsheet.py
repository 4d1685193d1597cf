"""The demo's file back-office: a sample spreadsheet instead of a Tryton database.

Why: ``passerelle demo --backoffice files`` shows the path a Sage or EBP
merchant takes (exports in a folder, order files back) in seconds, without
building Tryton. The demo merchant of :mod:`passerelle.demo_data` is turned
straight into back-office records (an in-memory back-office: taxes, the
catalogue and the order import's special items, stock in both warehouses,
customers and their price lists), written as the exports a French desktop
program writes (:func:`~passerelle.connectors.files.sample.write_sample_exports`:
an items spreadsheet, stock and customer files in Windows-1252 with decimal
commas) into ``<data dir>/files/exchange/exports``, once: the file back-office
moves what it read to the archive, so a second demo finds nothing new and sends
nothing unchanged. The ``[backoffice]`` settings map the columns of
:data:`~passerelle.connectors.files.sample.SAMPLE_HEADERS`; docs/files.md
describes each key.
"""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Sequence
from decimal import Decimal
from pathlib import Path
from typing import Any

from passerelle import demo_data as demo
from passerelle.connectors.files.sample import (
    GROUP_PRICE_HEADER,
    SAMPLE_HEADERS,
    SampleExports,
    write_sample_exports,
)
from passerelle.connectors.memory import MemoryBackOffice
from passerelle.demo_data import DemoCustomer, DemoItem
from passerelle.model import Address, Category, Customer, Item, Tax

__all__ = [
    "ARCHIVE",
    "EXCHANGE",
    "INBOX",
    "OUTBOX",
    "demo_records",
    "exchange_folder",
    "files_backoffice",
    "prepare_exchange",
    "sample_columns",
    "tax_settings",
]

#: Under the data directory: the folder the demo's "back-office program" shares.
EXCHANGE = Path("files") / "exchange"
INBOX = "exports"
ARCHIVE = "exports/archive"
OUTBOX = "orders"

# Fields the sample's CSV files write as numbers with a decimal comma, by export
# (the spreadsheet's cells are numbers already and need no transform).
_CSV_DECIMALS = {"stock": ("quantity",)}


# The fields a demo customer and its address share with the model's, by name.
_PERSON = ("first_name", "last_name", "company")
_PLACE = ("street", "postal_code", "city")


def exchange_folder(data_dir: Path) -> Path:
    """The folder the demo's back-office program and passerelle share."""
    return data_dir / EXCHANGE


def _taxes() -> list[Tax]:
    return [
        Tax(t.code, t.name, t.rate, t.base_of_compound) for t in (*demo.TAXES, *demo.ORDER_TAXES)
    ]


def _group_prices(item: DemoItem) -> tuple[tuple[str, Decimal], ...]:
    """What each demo price list asks of ``item`` (its discount off the list price)."""
    return tuple(
        (price_list.name, (item.price * (1 - price_list.discount)).quantize(Decimal("0.01")))
        for price_list in demo.PRICE_LISTS
        if price_list.category in (None, item.category)
    )


def _item(item: DemoItem, taxes: dict[str, Tax], *, special: bool = False) -> Item:
    """The demo item as a back-office reads it; a ``special`` one (shipping, discounts,
    the gap…) is a service: no stock, no price list, not published."""
    variants = sum(
        1 for other in demo.CATALOGUE_ITEMS if item.template and other.template == item.template
    )
    supplier, supplier_code = demo.ITEM_SUPPLIERS.get(item.code, ("", ""))
    return Item(
        source_id=item.code,
        code=item.code,
        name=item.name,
        sale_price=item.price,
        description=item.description,
        template_id=item.template or item.code,
        taxes=(taxes[item.tax],),
        category_ids=(item.category,),
        weight=item.weight,
        barcode=item.barcode or None,
        active=item.active,
        salable=item.salable,
        stocked=not special,
        attributes=demo.ITEM_ATTRIBUTES.get(item.code, {}),
        published=not special and item.active and item.code not in demo.UNPUBLISHED_ITEMS,
        cost_price=demo.ITEM_COST_PRICES.get(item.code),
        supplier=supplier,
        supplier_code=supplier_code,
        group_prices=() if special else _group_prices(item),
        variant_count=max(variants, 1),
    )


def _customer(customer: DemoCustomer) -> Customer:
    """The demo customer as a back-office holds it: one address, its price list."""
    person = {name: getattr(customer, name) for name in _PERSON}
    where = {name: getattr(customer, name) for name in _PLACE}
    return Customer(
        source_id=customer.code,
        name=f"{customer.first_name} {customer.last_name}",
        email=customer.email,
        code=customer.code,
        addresses=(Address(**person, **where, country_code=customer.country),),
        active=customer.active,
        group=demo.CUSTOMER_PRICE_LISTS.get(customer.code, ""),
        **person,
    )


def demo_records() -> MemoryBackOffice:
    """The demo merchant's records, as a back-office would hold them."""
    taxes = _taxes()
    by_code = {tax.source_id: tax for tax in taxes}
    items = [_item(item, by_code) for item in (*demo.CATALOGUE_ITEMS, demo.RETIRED_ITEM)]
    specials = {item.code: item for item in demo.SPECIAL_ITEMS}  # DISC-CA appears twice
    items += [_item(item, by_code, special=True) for item in specials.values()]
    return MemoryBackOffice(
        taxes=taxes,
        categories=[Category(c.code, c.name, c.parent) for c in demo.CATEGORIES],
        items={item.source_id: item for item in items},
        stock={
            (item.code, warehouse): quantity
            for item in demo.CATALOGUE_ITEMS
            for warehouse, quantity in zip(demo.WAREHOUSES, item.stock, strict=True)
        },
        customers={c.code: _customer(c) for c in (*demo.CUSTOMERS, demo.INACTIVE_CUSTOMER)},
    )


def prepare_exchange(data_dir: Path) -> tuple[SampleExports, bool]:
    """The sample exports of the demo's records, and whether they were put in the
    inbox now: only when the exchange folder has no inbox yet (the first demo, or
    one after ``--fresh``), so a second demo reads nothing new."""
    inbox = exchange_folder(data_dir) / INBOX
    with tempfile.TemporaryDirectory(prefix="passerelle-sample-") as scratch:
        written = write_sample_exports(demo_records(), Path(scratch))
        if inbox.exists():
            return written, False
        # Written aside then moved in whole: an interrupted demo never leaves half
        # a spreadsheet where the back-office reads.
        staging = inbox.with_name(f".{INBOX}.new")
        shutil.rmtree(staging, ignore_errors=True)
        shutil.copytree(scratch, staging)
        staging.rename(inbox)
    return written, True


def tax_settings(taxes: Sequence[Tax]) -> list[dict[str, Any]]:
    """``[[backoffice.taxes]]`` of a tax table (the sample's: codes T01, T02…)."""
    return [
        {
            "code": tax.source_id,
            "name": tax.name,
            "rate": format(tax.rate, "f"),
            "compound": tax.updates_unit_price,
        }
        for tax in taxes
    ]


def sample_columns(kind: str, sample: SampleExports) -> dict[str, Any]:
    """The column mapping of the sample's ``kind`` export ("items", "stock",
    "customers"): its headers, decimal commas in the CSV files, and for the
    items a price column per price list and a column per custom field."""
    columns: dict[str, Any] = {
        field: (
            {"header": header, "transforms": ["decimal_comma"]}
            if field in _CSV_DECIMALS.get(kind, ())
            else header
        )
        for field, header in SAMPLE_HEADERS[kind].items()
    }
    if kind == "items":
        columns |= {f"price:{name}": GROUP_PRICE_HEADER % name for name in sample.price_lists}
        columns |= {f"attr:{name}": name for name in sample.attributes}
    return columns


def files_backoffice(data_dir: Path, sample: SampleExports) -> dict[str, Any]:
    """The profile's ``[backoffice]``: the exchange folder's exports read with the
    sample's column mapping, the sample's tax table, order files in ``orders``."""
    return {
        "kind": "files",
        "transport": "local",
        "folder": str(exchange_folder(data_dir)),
        "inbox": INBOX,
        "archive": ARCHIVE,
        "taxes": tax_settings(sample.taxes),
        "promotion_list": demo.PROMOTION_PRICE_LIST,
        "items": {"files": "articles*.xlsx", "columns": sample_columns("items", sample)},
        "stock": {"files": "stock*.csv", "columns": sample_columns("stock", sample)},
        "customers": {"files": "clients*.csv", "columns": sample_columns("customers", sample)},
        "outbox": {"folder": OUTBOX},
    }
