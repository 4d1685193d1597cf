"""Product and combination writes: their fields, their stock row and their special prices.

``products.md``: ``price`` excludes tax, whose group is ``id_tax_rules_group``;
``quantity`` is read-only: each product and combination has one
``stock_availables`` row (``id_product_attribute`` 0 for the product). The
sale and group prices are :mod:`.specific_prices`, the images and documents
:mod:`.media`. Updates read what they change, one filtered list per kind of record
for a batch, then PUT each.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable, Sequence
from dataclasses import replace
from functools import cached_property
from typing import Any, Literal

from passerelle.connectors.base import ProductWrite, WriteOutcome
from passerelle.connectors.errors import NotFoundError, RecordError
from passerelle.connectors.prestashop import endpoints as ep
from passerelle.connectors.prestashop.catalogue import HOME, Catalogue, slug
from passerelle.connectors.prestashop.media import (
    Batch,
    Placed,
    ProductFiles,
    image_key,
    linked,
    wants,
)
from passerelle.connectors.prestashop.specific_prices import PriceRows, SpecificPrices
from passerelle.connectors.prestashop.translate_products import (
    PRODUCT_LANG,
    amount,
    ean,
    product_fields,
    translated,
    unsupported,
)
from passerelle.connectors.prestashop.translate_values import money
from passerelle.i18n.messages import M_, Message, Text
from passerelle.model import ProductDraft

__all__ = ["STOCK_FIELDS", "Products"]

STOCK_FIELDS = frozenset({"stock_quantity", "manage_stock"})
# Draft fields a product_suppliers row holds (besides the supplier it is for).
SUPPLY_FIELDS = frozenset({"supplier", "supplier_reference", "cost_price"})
# The resource holding the records a draft field names.
NAMED_RESOURCES = {"brand": "manufacturers", "supplier": "suppliers"}
Key = tuple[str, str]  # (product id, combination id or "0")
Rows = dict[Key, dict[str, Any]]
Asked = Literal["fields", "stock", "sale", "groups"]


def _key(w: ProductWrite) -> Key:
    product, _, combo = (w.shop_id or w.parent_shop_id or "").partition("/")
    return product, (combo if w.shop_id else "") or "0"


def _is_variation(w: ProductWrite) -> bool:
    return w.draft.kind == "variation" or bool(w.shop_id and "/" in w.shop_id)


def _asked(w: ProductWrite, kind: Asked) -> bool:
    """Whether the write touches the record's ``fields``, its ``stock`` (named only),
    its ``sale`` price or its customer ``groups``' prices."""
    if kind == "stock":
        return w.fields is not None and bool(w.fields & STOCK_FIELDS)
    if kind == "fields":
        return w.fields is None or bool(w.fields - STOCK_FIELDS)
    return w.fields is None or ("sale_price" if kind == "sale" else "group_prices") in w.fields


def _supplied(w: ProductWrite) -> bool:
    """Whether the write is a product's (not a variation's) with a supplier, asking
    for one of :data:`SUPPLY_FIELDS`."""
    return (
        bool(w.draft.supplier)
        and not _is_variation(w)
        and (w.fields is None or bool(w.fields & SUPPLY_FIELDS))
    )


def _priced(w: ProductWrite) -> bool:
    return _asked(w, "sale") or _asked(w, "groups")


def _record(shop_id: str) -> Message:
    """A product (``12``) or a combination (``12/3``) by its shop id, in words."""
    if "/" in shop_id:
        return M_("variation %(id)s", id=shop_id)
    return M_("product %(id)s", id=shop_id)


def _named_record(field: str, name: str) -> Message:
    """A brand or a supplier (the fields of :data:`NAMED_RESOURCES`) by its name, in words."""
    if field == "brand":
        return M_("brand %(name)s", name=name)
    return M_("supplier %(name)s", name=name)


def _gone(w: ProductWrite, what: Text) -> WriteOutcome:
    """The record written to was deleted in the shop: the flow forgets it and creates it
    again (the Webservice answers 404, code 92 "Invalid ID", to a PUT on it)."""
    return WriteOutcome(
        w.key,
        shop_id=w.shop_id,
        gone=True,
        error=M_("%(sku)s: %(record)s no longer exists in the shop", sku=w.draft.sku, record=what),
    )


def _files_asked(w: ProductWrite, products: dict[str, dict[str, Any]]) -> bool:
    """Whether the write has files to send, or the shop files to take off the record."""
    record = products.get(_key(w)[0], {})
    return (wants(w, "images") and bool(w.draft.images or linked(record, "images"))) or (
        wants(w, "documents")
        and not _is_variation(w)
        and bool(w.draft.documents or linked(record, "attachments"))
    )


def _cover(record: dict[str, Any], placed: Placed) -> str:
    """The cover after the images are placed: the draft's first; else the product's
    cover if it is still there, else its first image left."""
    if placed.images:
        return placed.images[0]
    left = [i for i in linked(record, "images") if i not in placed.drop_images]
    cover = str(record.get("id_default_image") or "")
    return cover if cover in left else (left[0] if left else "")


class Products(Catalogue, SpecificPrices, ProductFiles):
    """Product writes (a part of :class:`PrestaShopShop`)."""

    tax_groups: dict[str, int]
    # Writes run ``concurrency`` at a time: one brand or supplier is created once.
    _lock = threading.Lock()

    @cached_property
    def _tax_group_names(self) -> dict[str, str]:
        """Tax rules group name (case-folded) → id, read once."""
        return {
            str(r["name"]).casefold(): str(r["id"])
            for r in self.client.iter_all(ep.TAX_RULE_GROUPS, {"display": "[id,name]"})
        }

    def _tax_group(self, tax_class: str) -> str:
        """A tax class as a tax rules group id: an id, a profile's
        ``shop.tax_rules_groups`` entry, or the group's own name."""
        if tax_class.isdigit():
            return tax_class
        if tax_class in self.tax_groups:
            return str(self.tax_groups[tax_class])
        found = self._tax_group_names.get(tax_class.casefold())
        if found is None:
            raise RecordError(
                M_(
                    "the shop has no tax rules group %(group)s: name one of its groups, "
                    "or map the tax class in shop.tax_rules_groups",
                    group=repr(tax_class),
                )
            )
        return found

    def tax_group(self, tax_class: str) -> str:
        return self._tax_group(tax_class)

    @cached_property
    def _named_ids(self) -> dict[str, dict[str, str]]:
        """Brands and suppliers: name (case-folded) → id, read when first needed."""
        return {
            resource: {
                str(r["name"]).casefold(): str(r["id"])
                for r in self.client.iter_all(resource, {"display": "[id,name]"})
            }
            for resource in NAMED_RESOURCES.values()
        }

    def named(self, field: str, name: str) -> str:
        """The brand's or supplier's id, the record created when the shop has none."""
        if not name:
            return "0"
        resource = NAMED_RESOURCES[field]
        with self._lock:
            known = self._named_ids[resource]
            if name.casefold() not in known:
                made = self.client.create(
                    resource,
                    {"name": name, "active": "1"},
                    what=_named_record(field, name),
                )
                known[name.casefold()] = str(made["id"])
            return known[name.casefold()]

    @cached_property
    def _language_ids(self) -> dict[str, str]:
        """The shop's languages: ISO code (case-folded) → id."""
        return {
            str(r["iso_code"]).casefold(): str(r["id"])
            for r in self.client.iter_all(ep.LANGUAGES, {"display": "[id,iso_code]"})
        }

    def _product_fields(self, d: ProductDraft, fields: frozenset[str] | None) -> dict[str, Any]:
        out = product_fields(d, fields, self, slug, HOME)
        if d.translations and (fields is None or "translations" in fields):
            translated(out, d, self._language_ids, str(self.client.language))
        return out

    def _unsupported(self, d: ProductDraft, fields: frozenset[str] | None) -> tuple[str, ...]:
        """What the shop cannot hold of the draft: the fields of :func:`unsupported`, and
        translations into a language the shop does not have."""
        names = unsupported(d, fields)
        if (
            d.translations
            and (fields is None or "translations" in fields)
            and any(t.language.casefold() not in self._language_ids for t in d.translations)
        ):
            names += ("translations",)
        return names

    def write_variations(
        self, parent_shop_id: str, writes: Sequence[ProductWrite]
    ) -> list[WriteOutcome]:
        return self.write_products([replace(w, parent_shop_id=parent_shop_id) for w in writes])

    def write_products(self, writes: Sequence[ProductWrite]) -> list[WriteOutcome]:
        """Products and combinations, ``concurrency`` at a time, after one read per kind
        of record to update (products, combinations, stock rows, sale prices)."""
        keyed = [(w, _key(w)) for w in writes]
        products = self.client.by_ids(
            ep.PRODUCTS,
            [p for w, (p, c) in keyed if _is_variation(w) or w.shop_id and _asked(w, "fields")],
            what=M_("the products to update"),
        )
        combos = self.client.by_ids(
            ep.COMBINATIONS,
            [c for w, (_, c) in keyed if c != "0" and _asked(w, "fields")],
            what=M_("the variations to update"),
        )
        stock = self._rows(
            ep.STOCK_AVAILABLES, (p for w, (p, _) in keyed if w.shop_id and _asked(w, "stock"))
        )
        sales = self._price_rows([p for w, (p, _) in keyed if w.shop_id and _priced(w)])
        supplies = self._supply_rows([p for w, (p, _) in keyed if w.shop_id and _supplied(w)])
        filed = [w for w in writes if _files_asked(w, products)]
        batch = self.files_batch(filed, products) if filed else Batch()

        def one(w: ProductWrite) -> WriteOutcome:
            (product, combo), d = _key(w), w.draft
            if product not in products and (_is_variation(w) or w.shop_id and _asked(w, "fields")):
                return _gone(w, _record(product))
            if _is_variation(w):
                return self._variation(w, products[product], combos, stock, sales, batch)
            if w.shop_id is None:
                return self._create_product(w, batch)
            media: dict[str, str] = {}
            if _asked(w, "fields"):
                changes = self._product_fields(d, w.fields)
                files = self._product_files(w, products[product], batch, changes)
                self.client.update(
                    ep.PRODUCTS, products[product], changes, what=M_("product %(id)s", id=d.sku)
                )
                for placed in files:
                    self.drop_attachments(placed, d.sku)
                    media |= placed.media_ids
            if _supplied(w):
                self._write_supply(product, d, supplies)
            outcome = self._after(w, (product, combo), stock, sales)
            outcome.media_ids = media
            return outcome

        def safe(w: ProductWrite) -> WriteOutcome:
            try:
                outcome = one(w)
            except NotFoundError:  # deleted in the shop between the read and the write
                return _gone(w, _record(w.shop_id or ""))
            if outcome.ok and not outcome.gone:
                outcome.unsupported = self._unsupported(w.draft, w.fields)
            return outcome

        return self.client.run(writes, safe)

    def _product_files(
        self, w: ProductWrite, record: dict[str, Any], batch: Batch, changes: dict[str, Any]
    ) -> list[Placed]:
        """The product's images and documents placed before its PUT, which then names its
        cover and its attachments (``changes``)."""
        placed: list[Placed] = []
        if not _files_asked(w, {str(record["id"]): record}):
            return placed
        if wants(w, "images"):
            images = self.place_images(w, str(record["id"]), record, batch)
            changes["id_default_image"] = _cover(record, images)
            placed.append(images)
        if wants(w, "documents"):
            documents = self.place_documents(w, record, batch)
            changes.setdefault("associations", {})["attachments"] = [
                {"id": a} for a in documents.attachments or []
            ]
            placed.append(documents)
        return placed

    def _after(self, w: ProductWrite, key: Key, stock: Rows, sales: PriceRows) -> WriteOutcome:
        """The sale price and the stock row of a product or combination written."""
        self._write_prices(w.draft, key, sales, sale=_asked(w, "sale"), groups=_asked(w, "groups"))
        if _asked(w, "stock"):
            if key not in stock:  # Product::delete and Combination::delete remove it
                return _gone(w, _record("/".join(key) if key[1] != "0" else key[0]))
            self._put_stock(stock[key], w.draft)
        return WriteOutcome(w.key, shop_id=w.shop_id)

    def _create_product(self, w: ProductWrite, batch: Batch) -> WriteOutcome:
        """The product, its documents linked as it is created, then its images (the
        first uploaded is its cover: the product has none). Every file is downloaded
        before the product is created."""
        d = w.draft
        self.fetch(d.images, batch)
        fields = self._product_fields(d, None)
        documents = self.place_documents(w, None, batch) if d.documents else Placed()
        if documents.attachments:
            fields.setdefault("associations", {})["attachments"] = [
                {"id": a} for a in documents.attachments
            ]
        made = self.client.create(
            ep.PRODUCTS,
            {
                "state": "1",
                "minimal_quantity": "1",
                "available_for_order": "1",
                "show_price": "1",
                "indexed": "1",
                "type": {"grouped": "pack", "variable": "combinations"}.get(d.kind, "standard"),
                **fields,
            },
            lang_fields=PRODUCT_LANG,
            what=M_("product %(id)s", id=d.sku),
        )
        shop_id = str(made["id"])
        images = self.place_images(w, shop_id, None, batch) if d.images else Placed()
        if _supplied(w):
            self._write_supply(shop_id, d, {})
        self._write_prices(d, (shop_id, "0"), PriceRows(), sale=True, groups=True)
        row = next(
            (
                r
                for r in (made.get("associations") or {}).get("stock_availables", [])
                if str(r.get("id_product_attribute")) == "0"
            ),
            None,
        )
        if row is not None and d.stock_quantity is not None:  # the row PrestaShop made
            self._put_stock(
                {
                    "id": str(row["id"]),
                    "id_product": shop_id,
                    "id_product_attribute": "0",
                    "id_shop": "1",
                    "id_shop_group": "0",
                    "quantity": "0",
                    "depends_on_stock": "0",
                    "location": "",
                },
                d,
            )
        return WriteOutcome(
            w.key,
            shop_id=shop_id,
            created=True,
            media_ids=images.media_ids | documents.media_ids,
        )

    def _variation(
        self,
        w: ProductWrite,
        product: dict[str, Any],
        combos: dict[str, dict[str, Any]],
        stock: Rows,
        sales: PriceRows,
        batch: Batch,
    ) -> WriteOutcome:
        """A combination: its fields, its images (its product's, ``setWsImages``), its
        prices and stock."""
        d, (parent, combo) = w.draft, _key(w)
        impact = amount(d.regular_price - money(product.get("price")))
        images = (
            self.combination_images(w, parent, product, batch)
            if wants(w, "images") and (d.images or w.shop_id)
            else None
        )
        shown = {"images": [{"id": i} for i in images.images]} if images else {}
        if w.shop_id is None:
            made = self.client.create(
                ep.COMBINATIONS,
                {
                    "id_product": parent,
                    "reference": d.sku,
                    "price": impact,
                    "minimal_quantity": "1",
                    "wholesale_price": amount(d.cost_price),
                    "ean13": ean(d.barcode),
                    "associations": {
                        "product_option_values": [
                            {"id": v} for v in self.option_values(d.variation_options)
                        ],
                        **shown,
                    },
                },
                what=M_("variation %(id)s", id=d.sku),
            )
            key = (parent, str(made["id"]))
            self._write_prices(d, key, PriceRows(), sale=True, groups=True)
            row = (
                self._rows(ep.STOCK_AVAILABLES, [parent]).get(key)
                if d.stock_quantity is not None
                else None
            )
            if row is not None:
                self._put_stock(row, d)
            return WriteOutcome(
                w.key,
                shop_id="/".join(key),
                created=True,
                media_ids=images.media_ids if images else {},
            )
        if _asked(w, "fields"):
            if combo not in combos:
                return _gone(w, _record(w.shop_id))
            before = linked(combos[combo], "images")
            changes: dict[str, Any] = {"reference": d.sku, "price": impact}
            if images is not None:
                if w.keep_other_images:  # the merchant's links stay, passerelle's go
                    images.images += [
                        i
                        for i in before
                        if i not in images.images and image_key(parent, i) not in w.own_media_ids
                    ]
                changes["associations"] = {"images": [{"id": i} for i in images.images]}
            self.client.update(
                ep.COMBINATIONS, combos[combo], changes, what=M_("variation %(id)s", id=d.sku)
            )
            if images is not None:
                self.drop_combination_images(w, product, combo, before, images, batch)
        outcome = self._after(w, (parent, combo), stock, sales)
        outcome.media_ids = images.media_ids if images else {}
        return outcome

    @cached_property
    def _currency(self) -> str:
        """The shop's default currency (``PS_CURRENCY_DEFAULT``), "0" when unreadable."""
        rows = self.client.list(
            ep.CONFIGURATIONS,
            {"filter[name]": "[PS_CURRENCY_DEFAULT]", "display": "[name,value]"},
            what=M_("the shop's default currency"),
        )
        return next((str(r["value"]) for r in rows if str(r.get("value") or "").isdigit()), "0")

    def _supply_rows(self, product_ids: list[str]) -> Rows:
        """The products' own ``product_suppliers`` rows by (product id, supplier id)."""
        rows = self.client.where_in(
            ep.PRODUCT_SUPPLIERS,
            "id_product",
            product_ids,
            {"filter[id_product_attribute]": "[0]"},
            what=M_("the suppliers of the products"),
        )
        return {(str(r["id_product"]), str(r["id_supplier"])): r for r in rows}

    def _write_supply(self, product: str, d: ProductDraft, rows: Rows) -> None:
        """The product's row at its supplier (``product_suppliers.md``): the supplier's
        reference and the purchase price excluding tax in the shop's currency, what the
        back office lists as the product's suppliers. PrestaShop makes no such row when
        ``id_supplier`` is set through the Webservice. Rows at other suppliers (the
        merchant's, or a former supplier's) are left."""
        supplier = self.named("supplier", d.supplier)
        values = {
            "id_currency": self._currency,
            "product_supplier_reference": d.supplier_reference,
            "product_supplier_price_te": amount(d.cost_price),
        }
        what = M_("the supplier of %(sku)s", sku=d.sku)
        row = rows.get((product, supplier))
        if row is None:
            self.client.create(
                ep.PRODUCT_SUPPLIERS,
                {"id_product": product, "id_product_attribute": "0", "id_supplier": supplier}
                | values,
                what=what,
            )
        elif (
            str(row.get("id_currency")),
            str(row.get("product_supplier_reference") or ""),
            money(row.get("product_supplier_price_te")),
        ) != (values["id_currency"], d.supplier_reference, d.cost_price or 0):
            self.client.update(ep.PRODUCT_SUPPLIERS, row, values, what=what)

    def _rows(self, resource: str, product_ids: Iterable[str]) -> Rows:
        """``stock_availables`` rows of these products by (product id, combination id),
        in as few reads as fit."""
        rows = self.client.where_in(
            resource, "id_product", product_ids, what=M_("the stock of these products")
        )
        return {(str(r["id_product"]), str(r["id_product_attribute"] or "0")): r for r in rows}

    def _put_stock(self, row: dict[str, Any], d: ProductDraft) -> None:
        changes = {"out_of_stock": "2" if d.manage_stock else "1"}
        if d.stock_quantity is not None and d.manage_stock:
            changes["quantity"] = str(d.stock_quantity)
        self.client.update(
            ep.STOCK_AVAILABLES, row, changes, what=M_("the stock of %(sku)s", sku=d.sku)
        )
