"""What a batch of variants carries besides itself, selected as rows: images,
attachments, main supplier and kit components.

Why rows: through trytond's searches and records, each of these cost a domain
converted value by value and a record built and loaded per result; on a
catalogue of 10,000 variants they were a quarter of the read (issue 18). Here
each is one query per batch through trytond's connection
(:func:`.bulk_fields.select`, which gives ``read``'s values), ordered in SQL as
the searches ordered them, and matched to the variants in memory as before; a
read of most variants selects each table once (:class:`.bulk_fields.Tables`),
each batch's rows handed out in that query's order:

- ``product.image`` of the templates, by sequence then id: a template's image
  goes to each of its variants, a variant's to itself; its description is
  translated as ``read`` translates it;
- ``ir.attachment`` (``data`` ones) of the templates and variants, by name then
  id: images by extension, the rest documents;
- ``purchase.product_supplier``, by sequence (empty last) then id: the variant's
  first, else its template's first without a variant; a search with
  ``active_test`` leaves out those of an inactive template or variant;
- ``product.component``, by sequence (empty last) then id: the variant's own,
  else its template's.

References: trytond ``ModelSQL.search``'s order (``Asc``, ``NullsLast``), the
modules product_image, purchase (``ProductSupplier``, deactivatable with its
product) and product_kit (https://docs.tryton.org/).
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, NamedTuple

from passerelle.connectors.tryton import bulk_fields, translate
from passerelle.model import ItemFile, KitComponent

__all__ = ["IMAGE_SUFFIXES", "Related", "read_related"]

# Attachments with these extensions are images (ItemFile.kind "image"), the rest documents.
IMAGE_SUFFIXES = (".jpg", ".jpeg", ".png", ".gif", ".webp")


@dataclass
class Related:
    """The images, documents, main supplier and kit of each variant of a batch."""

    images: dict[int, list[ItemFile]] = field(default_factory=lambda: defaultdict(list))
    documents: dict[int, list[ItemFile]] = field(default_factory=lambda: defaultdict(list))
    suppliers: dict[int, tuple[str, str]] = field(default_factory=dict)
    kits: dict[int, tuple[KitComponent, ...]] = field(default_factory=dict)


class Variant(NamedTuple):
    """What matching needs of a variant of the batch (a tuple: one per variant read)."""

    id: int
    template: int
    active: bool
    template_active: bool
    template_code: str | None


def _model(pool: Any, name: str) -> Any | None:
    try:
        return pool.get(name)
    except KeyError:
        return None


def _digest(data: bytes | None) -> str:
    return hashlib.sha256(bytes(data or b"")).hexdigest()


def _is_image(name: str) -> bool:
    return name.lower().endswith(IMAGE_SUFFIXES)


def read_related(
    pool: Any,
    variants: Sequence[Variant],
    texts: bulk_fields.Texts | None = None,
    tables: bulk_fields.Tables | None = None,
    *,
    images: bool = True,
    documents: bool = True,
) -> Related:
    """The batch's images, attachments, suppliers and kits (see the module); ``tables``:
    those of a read of many batches (each table selected once when it covers most).
    Without ``images`` or ``documents`` (a run that does not use them), those are not
    selected: each one's bytes are read to digest them."""
    texts = texts or bulk_fields.Texts(pool, whole=False)
    tables = tables or bulk_fields.Tables(whole=False)
    related = Related()
    by_template: dict[int, list[int]] = defaultdict(list)
    for variant in variants:
        by_template[variant.template].append(variant.id)
    templates = {v.template: v for v in variants}
    if images:
        _images(pool, by_template, templates, texts, tables, related)
    if documents:
        _attachments(pool, variants, by_template, tables, related)
    _suppliers(pool, variants, by_template, tables, related)
    _kits(pool, variants, by_template, tables, related)
    return related


def _ordered(*names: str, nulls_last: bool = False) -> Callable[[Any], list[Any]]:
    """An ``order`` for :func:`.bulk_fields.select`: ``names`` ascending as a search
    orders them (the first one's empty values last with ``nulls_last``)."""

    def order(table: Any) -> list[Any]:
        from sql import NullsLast

        columns = [getattr(table, n).asc for n in names]
        if nulls_last:
            columns[0] = NullsLast(columns[0])
        return columns

    return order


def _images(
    pool: Any,
    by_template: Mapping[int, list[int]],
    templates: Mapping[int, Variant],
    texts: bulk_fields.Texts,
    tables: bulk_fields.Tables,
    related: Related,
) -> None:
    Image = _model(pool, "product.image")
    if Image is None:
        return
    rows = tables.select(
        Image,
        ["template", "product", "description", "image"],
        "template",
        sorted(by_template),
        order=_ordered("template", "sequence", "id"),
    )
    descriptions = texts.translated(
        "product.image", "description", {r["id"]: r["description"] for r in rows}
    )
    for row in rows:
        template = templates[row["template"]]
        own = by_template[row["template"]]
        file = ItemFile(
            ref=f"image:{row['id']}",
            name=descriptions[row["id"]]
            or f"{template.template_code or template.template}-{row['id']}.jpg",
            digest=_digest(row["image"]),
            kind="image",
        )
        owners = [row["product"]] if row["product"] is not None else own
        for product_id in owners:
            if product_id in own:
                related.images[product_id].append(file)


def _attachments(
    pool: Any,
    variants: Sequence[Variant],
    by_template: Mapping[int, list[int]],
    tables: bulk_fields.Tables,
    related: Related,
) -> None:
    """Ordered by name then id across templates and variants: one query for the batch
    (or the whole table's attachments of variants and templates, once)."""
    resources = [f"product.template,{t}" for t in by_template] + [
        f"product.product,{v.id}" for v in variants
    ]
    rows = tables.select(
        pool.get("ir.attachment"),
        ["resource", "name", "data"],
        "resource",
        resources,
        _product_data,
        order=_ordered("name", "id"),
        size=len(resources),
    )
    for row in rows:
        model, _, raw_id = row["resource"].partition(",")
        kind = "image" if _is_image(row["name"]) else "document"
        file = ItemFile(
            ref=f"attachment:{row['id']}", name=row["name"], digest=_digest(row["data"]), kind=kind
        )
        owners = by_template[int(raw_id)] if model == "product.template" else [int(raw_id)]
        target = related.images if kind == "image" else related.documents
        for product_id in owners:
            target[product_id].append(file)


def _product_data(table: Any) -> Any:
    """Attachments holding data, of a template or a variant."""
    return (table.type == "data") & (
        table.resource.like("product.template,%") | table.resource.like("product.product,%")
    )


def _active_test() -> bool:
    from trytond.transaction import Transaction

    return bool(Transaction().context.get("active_test", True))


def _suppliers(
    pool: Any,
    variants: Sequence[Variant],
    by_template: Mapping[int, list[int]],
    tables: bulk_fields.Tables,
    related: Related,
) -> None:
    Supplier = _model(pool, "purchase.product_supplier")
    if Supplier is None:
        return
    rows = tables.select(
        Supplier,
        ["template", "product", "party", "code"],
        "template",
        sorted(by_template),
        order=_ordered("sequence", "id", nulls_last=True),
    )
    by_id = {v.id: v for v in variants}
    if _active_test():  # ProductDeactivatableMixin: active with its template and variant
        active_templates = {v.template for v in variants if v.template_active}
        rows = [
            r
            for r in rows
            if r["template"] in active_templates
            and (r["product"] not in by_id or by_id[r["product"]].active)
        ]
    parties = {
        r["id"]: r["name"]
        for r in bulk_fields.select(
            pool.get("party.party"), ["name"], "id", sorted({r["party"] for r in rows})
        )
    }
    own: dict[int, tuple[str, str]] = {}
    shared: dict[int, tuple[str, str]] = {}
    for row in rows:
        value = (parties[row["party"]] or "", row["code"] or "")
        if row["product"] is not None:
            own.setdefault(row["product"], value)
        else:
            shared.setdefault(row["template"], value)
    _own_else_shared(by_template, own, shared, related.suppliers)


def _kits(
    pool: Any,
    variants: Sequence[Variant],
    by_template: Mapping[int, list[int]],
    tables: bulk_fields.Tables,
    related: Related,
) -> None:
    Component = _model(pool, "product.component")
    if Component is None:
        return
    template_ids = sorted(by_template)
    product_ids = sorted(v.id for v in variants)
    names = ["parent_template", "parent_product", "product", "quantity"]
    order = _ordered("sequence", "id", nulls_last=True)
    if tables.whole:  # every component once, those of the batch kept in their order
        templates, products = set(template_ids), set(product_ids)
        rows = [
            r
            for r in tables.rows(Component, names, None, order)
            if r["parent_template"] in templates or r["parent_product"] in products
        ]
    else:

        def parents(table: Any) -> Any:
            return bulk_fields.in_(table.parent_template, template_ids) | bulk_fields.in_(
                table.parent_product, product_ids
            )

        rows = bulk_fields.select(Component, names, "id", None, parents, order=order)
    codes = {
        r["id"]: r["code"]
        for r in bulk_fields.select(
            pool.get("product.product"), ["code"], "id", sorted({r["product"] for r in rows})
        )
    }
    own: dict[int, list[KitComponent]] = defaultdict(list)
    shared: dict[int, list[KitComponent]] = defaultdict(list)
    for row in rows:
        value = KitComponent(
            code=codes[row["product"]] or "", quantity=translate.quantity(row["quantity"])
        )
        if row["parent_product"] is not None:
            own[row["parent_product"]].append(value)
        elif row["parent_template"] is not None:
            shared[row["parent_template"]].append(value)
    _own_else_shared(
        by_template,
        {k: tuple(v) for k, v in own.items()},
        {k: tuple(v) for k, v in shared.items()},
        related.kits,
    )


def _own_else_shared(
    by_template: Mapping[int, list[int]],
    own: Mapping[int, Any],
    shared: Mapping[int, Any],
    target: dict[int, Any],
) -> None:
    """Each variant's own value (by variant id), else its template's, when non-empty."""
    if not own and not shared:  # most batches carry no kit, many no supplier
        return
    for template_id, product_ids in by_template.items():
        for product_id in product_ids:
            found = own.get(product_id) or shared.get(template_id)
            if found:
                target[product_id] = found
