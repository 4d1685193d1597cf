"""Reading the catalogue for the export (C1–C22): items with everything around them.

Why batches: a catalogue may hold 10,000 variants, and each item needs its
images, documents, supplier, kit components, translations and group prices.
:func:`read_items` reads each of those *once per batch* of variants (one
search per kind of record) and joins them in memory, instead of one search
per item. Functions over trytond's pool, called inside the connector's
transaction. A module that is not activated (see ``OPTIONAL_MODULES``) gives
empty values for what it carries.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field, fields
from decimal import Decimal
from typing import Any

from passerelle.connectors.base import DOCUMENTS, GROUP_PRICES, IMAGES, TRANSLATIONS
from passerelle.connectors.tryton import bulk, bulk_fields, bulk_related, translate
from passerelle.connectors.tryton.bulk_related import IMAGE_SUFFIXES
from passerelle.connectors.tryton.collector import collector_paused
from passerelle.connectors.tryton.constants import EXTERNAL_KEY_SHOP
from passerelle.model import (
    CUSTOM_FIELD_PREFIX,
    STANDARD_ITEM_FIELDS,
    FieldInfo,
    Item,
    ProductTexts,
    Tax,
)
from passerelle.model.builders import builder

__all__ = [
    "BATCH_SIZE",
    "IMAGE_SUFFIXES",
    "changed_item_ids",
    "item_fields",
    "read_item_file",
    "read_items",
]

BATCH_SIZE = 1000

# Type and label of each standard item field (``passerelle fields``).
_STANDARD_FIELDS: dict[str, tuple[str, str]] = {
    "code": ("char", "Code"),
    "name": ("char", "Name"),
    "description": ("text", "Description"),
    "short_description": ("text", "Short description"),
    "sale_price": ("numeric", "Sale price (excl. tax)"),
    "cost_price": ("numeric", "Cost price"),
    "weight": ("numeric", "Weight (kg)"),
    "length": ("numeric", "Length (cm)"),
    "width": ("numeric", "Width (cm)"),
    "height": ("numeric", "Height (cm)"),
    "barcode": ("char", "Barcode"),
    "supplier": ("char", "Main supplier"),
    "supplier_code": ("char", "Supplier's reference"),
}
assert set(_STANDARD_FIELDS) == set(STANDARD_ITEM_FIELDS), "a type and label per standard field"
# Tryton dict schema types → FieldInfo types.
_ATTRIBUTE_TYPES = {"float": "numeric", "multiselection": "selection", "datetime": "date"}


def _model(pool: Any, name: str) -> Any | None:
    """The model ``name``, or None when the module giving it is not activated."""
    try:
        return pool.get(name)
    except KeyError:
        return None


def item_fields(pool: Any) -> list[FieldInfo]:
    """Standard fields, then one ``attr:<name>`` per Tryton product attribute."""
    fields_ = [FieldInfo(name, kind, label) for name, (kind, label) in _STANDARD_FIELDS.items()]
    Attribute = _model(pool, "product.attribute")
    if Attribute is not None:
        for attribute in Attribute.search([], order=[("name", "ASC")]):
            fields_.append(
                FieldInfo(
                    f"{CUSTOM_FIELD_PREFIX}{attribute.name}",
                    _ATTRIBUTE_TYPES.get(attribute.type_, attribute.type_),
                    attribute.string or attribute.name,
                    custom=True,
                )
            )
    return fields_


def read_item_file(pool: Any, ref: str) -> bytes | None:
    """The bytes behind an ``ItemFile.ref`` (``image:<id>`` or ``attachment:<id>``)."""
    kind, _, raw_id = ref.partition(":")
    model = {"image": "product.image", "attachment": "ir.attachment"}.get(kind)
    if model is None or not raw_id.isdigit():
        return None
    Model = _model(pool, model)
    if Model is None:
        return None
    found = Model.search([("id", "=", int(raw_id))], limit=1)
    if not found:
        return None
    data = found[0].image if kind == "image" else found[0].data
    return bytes(data) if data is not None else None


# --------------------------------------------------------------------------
# What changed
# --------------------------------------------------------------------------


def changed_item_ids(pool: Any, since: dt.datetime) -> set[int] | None:
    """Variants whose surroundings changed since ``since``; None means "all of them".

    Caught: images, kit components and suppliers created or written, and
    attachments of a template or variant; any price list or price list
    line written means every item (its group prices may have changed).
    Not caught: a *deleted* image, attachment, supplier or component (the
    parent record is not written when a child goes), nor a change of a
    category's name or of a tax rate.
    """
    moment = translate.utc_naive(since)
    recent = ["OR", ("create_date", ">=", moment), ("write_date", ">=", moment)]
    for model in ("product.price_list", "product.price_list.line"):
        Model = _model(pool, model)
        if Model is not None and Model.search(recent, limit=1):
            return None
    templates: set[int] = set()
    products: set[int] = set()
    for model, template_field, product_field in (
        ("product.image", "template", "product"),
        ("product.component", "parent_template", "parent_product"),
        ("purchase.product_supplier", "template", "product"),
    ):
        Model = _model(pool, model)
        if Model is None:
            continue
        for record in Model.search(recent):
            parent = getattr(record, template_field)
            if parent is not None:
                templates.add(parent.id)
            variant = getattr(record, product_field)
            if variant is not None:
                products.add(variant.id)
    Attachment = pool.get("ir.attachment")
    for attachment in Attachment.search(
        [
            recent,
            [
                "OR",
                ("resource", "like", "product.template,%"),
                ("resource", "like", "product.product,%"),
            ],
        ]
    ):
        resource = attachment.resource
        if resource is None:
            continue
        (templates if resource.__name__ == "product.template" else products).add(resource.id)
    if templates:
        Product = pool.get("product.product")
        products.update(p.id for p in Product.search([("template", "in", sorted(templates))]))
    return products


# --------------------------------------------------------------------------
# Items
# --------------------------------------------------------------------------


@dataclass
class _Batch:
    """What a batch of variants needs besides themselves, read once for the batch."""

    related: bulk_related.Related
    cost_prices: dict[int, Decimal] = field(default_factory=dict)
    translations: dict[int, tuple[ProductTexts, ...]] = field(default_factory=dict)


def read_items(
    pool: Any,
    products: Sequence[Any],
    taxes: dict[int, Tax],
    company: int,
    *,
    leave_out: frozenset[str] = frozenset(),
) -> list[Item]:
    """Items of ``products`` with every catalogue field, in batches of :data:`BATCH_SIZE`.

    The variants, templates and what they carry are selected as plain rows
    (:mod:`.bulk`, :mod:`.bulk_related`), not walked record by record; group prices
    are computed once per list, rule and inputs. The fields named in ``leave_out``
    (:class:`~passerelle.connectors.base.LeavesOutFields`: group prices, images,
    documents, translations) are neither read nor computed, and left empty.
    """
    # What the read keeps besides its items (rows, tables, prices) is let go before the
    # collector runs again: it walks only what is still there.
    with collector_paused():
        return _read_items(pool, products, taxes, company, leave_out)


def _read_items(
    pool: Any,
    products: Sequence[Any],
    taxes: dict[int, Tax],
    company: int,
    leave_out: frozenset[str],
) -> list[Item]:
    ids = bulk.ids_of(products)
    # Many batches: the translations are selected once for all (see bulk_fields.Texts).
    whole = len(ids) > BATCH_SIZE
    texts = bulk_fields.Texts(pool, whole=whole)
    memo = bulk.Memo(tables=bulk_fields.Tables(whole=whole and bulk.covers_most(pool, ids)))
    published = _published_ids(pool, ids, memo.tables)
    price_lists = [] if GROUP_PRICES in leave_out else _price_lists(pool)  # []: none computed
    uoms = bulk.uom_table(pool)
    items: list[Item] = []
    shared: dict[tuple[Any, ...], tuple[Any, ...]] = {}  # see translate.template_part
    group_prices = bulk.GroupPrices(pool, price_lists)
    translated = TRANSLATIONS not in leave_out
    other_texts = _other_texts(pool, None, None) if whole and translated else None
    for start in range(0, len(ids), BATCH_SIZE):
        rows = bulk.read_rows(pool, ids[start : start + BATCH_SIZE], texts, memo, company)
        batch = _read_batch(pool, rows, texts, other_texts, memo.tables, leave_out)
        prices = group_prices.of(rows)
        items.extend(_items(rows, taxes, uoms, batch, published, prices, shared))
    return items


def _items(
    rows: Sequence[bulk.ProductRow],
    taxes: dict[int, Tax],
    uoms: dict[int, tuple[str, float]],
    batch: _Batch,
    published: set[int] | None,
    group_prices: dict[int, tuple[tuple[str, Decimal], ...]],
    shared: dict[tuple[Any, ...], tuple[Any, ...]],
) -> list[Item]:
    """:func:`.translate.to_item` of each variant of a batch read in bulk, with every
    catalogue field; a template's share is computed once per template (kept in its
    row). One loop for the batch, its look-ups held in locals: it runs per variant."""
    related = batch.related
    suppliers, images_of, documents_of = related.suppliers, related.images, related.documents
    kits, costs, translations = related.kits, batch.cost_prices, batch.translations
    build, modified_at, barcode_of = _build_item, translate.modified_at, translate.barcode_of
    kg = translate.KG
    items = []
    for row in rows:
        template = row.template
        part: translate.TemplatePart | None = template.get(_PART)
        if part is None:
            part = template[_PART] = translate.template_part(template, taxes, uoms, shared)
            template[_DIMENSIONS] = _dimensions_cm(template, uoms)
        length, width, height = template[_DIMENSIONS]
        product_id = row.id
        supplier, supplier_code = suppliers.get(product_id, _NO_SUPPLIER)
        images = images_of.get(product_id)
        documents = documents_of.get(product_id)
        price = row.list_price_used or part.list_price or 0
        # By position, in _ITEM_FIELDS' order (31 keywords cost more than the Item itself).
        items.append(
            build(
                str(product_id),  # source_id
                row.code or "",  # code
                part.name,  # name
                price if type(price) is Decimal else Decimal(price),  # sale_price
                row.description or "",  # description
                part.template_id,  # template_id
                part.taxes,  # taxes
                part.category_ids,  # category_ids
                part.weight,  # weight
                kg,  # weight_unit
                barcode_of(row.identifiers) if row.identifiers else None,  # barcode
                bool(row.active and part.active),  # active
                part.salable,  # salable
                part.stocked,  # stocked
                modified_at(row.create_date, row.write_date, part),  # modified_at
                _NO_SHORT_DESCRIPTION,  # short_description (Item's default)
                row.attributes,  # attributes
                product_id in published if published is not None else True,  # published
                costs.get(product_id),  # cost_price
                length,  # length
                width,  # width
                height,  # height
                _DIMENSION_UNIT,  # dimension_unit (Item's default)
                supplier,  # supplier
                supplier_code,  # supplier_code
                tuple(images) if images else (),  # images
                tuple(documents) if documents else (),  # documents
                kits.get(product_id, ()),  # kit
                group_prices[product_id],  # group_prices
                translations.get(product_id, ()),  # translations
                template["variant_count"] or 1,  # variant_count
            )
        )
    return items


# The order of Item's fields _items gives them in (checked once, at import).
_ITEM_FIELDS = (
    "source_id code name sale_price description template_id taxes category_ids weight"
    " weight_unit barcode active salable stocked modified_at short_description attributes"
    " published cost_price length width height dimension_unit supplier supplier_code images"
    " documents kit group_prices translations variant_count"
).split()
if [f.name for f in fields(Item)] != _ITEM_FIELDS:  # a field added or moved
    raise RuntimeError("Item's fields changed: update catalogue._items")  # internal: dev check
_NO_SHORT_DESCRIPTION = Item.__dataclass_fields__["short_description"].default
_DIMENSION_UNIT = Item.__dataclass_fields__["dimension_unit"].default
# Items of a read are made without Item's per-field ``object.__setattr__`` (see .builders).
_build_item = builder(Item)
# Keys of what a template's row keeps for its variants' Items (computed once).
_PART = "__item_part"
_DIMENSIONS = "__item_dimensions"
_NO_SUPPLIER = ("", "")


def _read_batch(
    pool: Any,
    rows: Sequence[bulk.ProductRow],
    texts: bulk_fields.Texts,
    other_texts: _Texts | None = None,
    tables: bulk_fields.Tables | None = None,
    leave_out: frozenset[str] = frozenset(),
) -> _Batch:
    variants = [
        bulk_related.Variant(row.id, t["id"], row.active, bool(t["active"]), t["code"])
        for row in rows
        for t in (row.template,)
    ]
    related = bulk_related.read_related(
        pool,
        variants,
        texts,
        tables,
        images=IMAGES not in leave_out,
        documents=DOCUMENTS not in leave_out,
    )
    batch = _Batch(related)
    _read_cost_prices(pool, rows, batch)
    if TRANSLATIONS not in leave_out:
        _read_translations(pool, rows, batch, other_texts)
    return batch


def _read_cost_prices(pool: Any, rows: Sequence[bulk.ProductRow], batch: _Batch) -> None:
    """The company's cost price of each variant, read with the rows (:func:`.bulk.read_rows`,
    the first value of a product is the one Tryton uses); a kit's is computed."""
    kits = []
    for row in rows:
        if row.cost_price is not None:
            batch.cost_prices[row.id] = Decimal(row.cost_price)
        if row.template["type"] == "kit":
            kits.append(row.id)
    if kits:  # Tryton sums its components' (product_kit); read: the field's getter alone
        for kit in pool.get("product.product").read(kits, ["cost_price"]):
            batch.cost_prices[int(kit["id"])] = Decimal(kit["cost_price"] or 0)


_Texts = tuple[dict[int, dict[str, str]], dict[int, dict[str, str]]]


def _other_texts(
    pool: Any, template_ids: list[int] | None, product_ids: list[int] | None
) -> _Texts:
    """Names (by template) and descriptions (by variant), language by language, in the
    translatable languages other than the default one; None ids: every record's."""
    from sql import Null

    Translation = pool.get("ir.translation")
    default = pool.get("ir.configuration").get_language()
    names: dict[int, dict[str, str]] = defaultdict(dict)  # template id → language → name
    descriptions: dict[int, dict[str, str]] = defaultdict(dict)  # variant id → …
    for name, ids, target in (
        ("product.template,name", template_ids, names),
        ("product.product,description", product_ids, descriptions),
    ):

        def where(table: Any, name: str = name) -> Any:
            return (
                (table.type == "model")
                & (table.lang != default)
                & (table.value != Null)
                & (table.value != "")
                & (table.name == name)
            )

        for _id, res_id, lang, value in bulk_fields.select_values(
            Translation, ["res_id", "lang", "value"], "res_id", ids, where
        ):
            target[res_id][lang] = value
    return names, descriptions


_NO_TEXTS: dict[str, str] = {}


def _read_translations(
    pool: Any, rows: Sequence[bulk.ProductRow], batch: _Batch, preloaded: _Texts | None
) -> None:
    """C20: name (template) and description (variant) in each other translatable language;
    ``preloaded``: those of every record, selected once for a read of many batches."""
    names, descriptions = preloaded or _other_texts(
        pool, sorted({row.template_id for row in rows}), [row.id for row in rows]
    )
    for row in rows:
        own_names = names.get(row.template["id"], _NO_TEXTS)
        own_descriptions = descriptions.get(row.id, _NO_TEXTS)
        if own_names or own_descriptions:
            languages = sorted(set(own_names) | set(own_descriptions))
            batch.translations[row.id] = tuple(
                ProductTexts(
                    language=lang,
                    name=own_names.get(lang, ""),
                    description=own_descriptions.get(lang, ""),
                )
                for lang in languages
            )


def _published_ids(
    pool: Any, ids: Sequence[int], tables: bulk_fields.Tables | None = None
) -> set[int] | None:
    """C5: those of ``ids`` among the products of the web shop; None when there is no
    such shop.

    Selected for ``ids`` only (a window of a streamed read does not read the whole
    shop; ``tables``: a read of most variants selects the shop's whole list once),
    kept as its search keeps them: the shop's relations are deactivable, so with
    ``active_test`` only active ones, with ``inactive_test`` only inactive ones.
    """
    from trytond.transaction import Transaction

    Shop = _model(pool, "web.shop")
    if Shop is None:
        return None
    shops = Shop.search([("name", "=", EXTERNAL_KEY_SHOP)], limit=1)
    if not shops:
        return None
    shop = shops[0].id
    context = Transaction().context
    active_only = context.get("active_test", True)
    inactive_only = context.get("inactive_test", False)
    rows = (tables or bulk_fields.Tables(whole=False)).select(
        pool.get("web.shop-product.product"),
        ["product", "active"],
        "product",
        sorted(set(ids)),
        lambda table: table.shop == shop,
    )
    return {
        row["product"]
        for row in rows
        if (row["active"] or not active_only) and (not row["active"] or not inactive_only)
    }


def _price_lists(pool: Any) -> list[Any]:
    PriceList = _model(pool, "product.price_list")
    if PriceList is None:
        return []
    return list(PriceList.search([], order=[("name", "ASC"), ("id", "ASC")]))


_MEASURED = (("length", "length_uom"), ("width", "width_uom"), ("height", "height_uom"))


def _dimensions_cm(
    template: dict[str, Any], uoms: dict[int, tuple[str, float]]
) -> tuple[Decimal | None, Decimal | None, Decimal | None]:
    """product_measurements length, width and height in centimetres (None without it)."""
    values: list[Decimal | None] = []
    for name, unit in _MEASURED:
        value = template.get(name)
        if value is None:
            values.append(None)
            continue
        uom = template.get(unit)
        if uom is not None:
            # factor converts to the length category's reference unit (the metre).
            value = value * uoms[uom][1] * 100
        values.append(translate.decimal(value))
    return values[0], values[1], values[2]
