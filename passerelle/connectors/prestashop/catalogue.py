"""Categories, products, combinations and stock through the Webservice.

``products.md``: a product's SKU is its ``reference``, its price ``price``
excluding tax with the tax in ``id_tax_rules_group``, texts per language.
A variation is a ``combination`` of its product (shop id
``<product>/<combination>``), whose ``price`` is the impact over the
product's price and whose axes are ``product_option_values``. Quantities
are not product fields (``quantity`` is read-only): each product and each
combination has one ``stock_availables`` row (``id_product_attribute`` 0 for
the product), written with PUT. Updates read the records first (one
filtered list for many ids) and PUT each one whole, since PUT blanks what it
is not given (``update-resource.md``).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Iterator, Sequence
from decimal import Decimal
from typing import Any

from passerelle.connectors.base import CategoryWrite, ProductWrite, WriteOutcome
from passerelle.connectors.errors import RecordError
from passerelle.connectors.prestashop.client import PrestaShopClient, writable
from passerelle.connectors.prestashop.wire import money
from passerelle.model import ProductDraft, ShopCategory, ShopProduct

__all__ = ["Catalogue"]

HOME = "2"  # the root category a shop's catalogue hangs from (Accueil / Home)
PRODUCT_LANG = ("name", "description", "description_short", "link_rewrite", "meta_title",
                "meta_description", "meta_keywords", "available_now", "available_later",
                "delivery_in_stock", "delivery_out_stock")
CATEGORY_LANG = ("name", "link_rewrite", "description", "meta_title", "meta_description",
                 "meta_keywords")
STOCK_FIELDS = frozenset({"stock_quantity", "manage_stock"})
# Draft field → product field, for the fields written as they are.
TEXTS = {"sku": "reference", "name": "name", "description": "description",
         "short_description": "description_short", "seo_title": "meta_title",
         "seo_description": "meta_description"}
LIST_ALL_ABOVE = 500  # more SKUs than this: read every reference instead of filtering


def slug(text: str) -> str:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-") or "produit"


def _amount(value: Decimal | None) -> str:
    return f"{(value or Decimal(0)):.6f}"


def _set(record: dict[str, Any], name: str, value: Any, language: int) -> None:
    """Set a field of a record as read; a multilingual one only in ``language``."""
    current = record.get(name)
    if isinstance(current, list):
        rows = [dict(v) for v in current if str(v["id"]) != str(language)]
        value = [*rows, {"id": str(language), "value": value}]
    record[name] = value


def _ean(barcode: str) -> str:
    return barcode if barcode.isdigit() and len(barcode) <= 13 else ""


def _split(w: ProductWrite) -> tuple[str, str | None]:
    """(product id, combination id or None) of a write."""
    if w.shop_id:
        product, _, combo = w.shop_id.partition("/")
        return product, combo or None
    return w.parent_shop_id or "", None


def _is_variation(w: ProductWrite) -> bool:
    return w.draft.kind == "variation" or bool(w.shop_id and "/" in w.shop_id)


def _stock_asked(w: ProductWrite) -> bool:
    return w.fields is not None and bool(w.fields & STOCK_FIELDS)


def _fields_asked(w: ProductWrite) -> bool:
    return w.fields is None or bool(w.fields - STOCK_FIELDS)


class Catalogue:
    def __init__(self, client: PrestaShopClient, tax_groups: dict[str, int]) -> None:
        self.client = client
        self.language = client.language
        self.tax_groups = tax_groups
        self._values: dict[tuple[str, str], str] | None = None  # (axis, value) → id
        self._options: dict[str, str] = {}  # axis → id

    # ---------------------------------------------------------------- categories
    def list_categories(self) -> list[tuple[str, ShopCategory]]:
        rows = self.client.iter_all("categories", {"language": self.language},
                                    what="the categories")
        return [(str(r["id"]), ShopCategory(
            name=str(r.get("name") or ""),
            parent_id=None if str(r.get("id_parent") or "") in ("", "0", "1", HOME)
            else str(r["id_parent"])))
            for r in rows if str(r["id"]) not in ("1", HOME) and r.get("is_root_category") != "1"]

    def write_categories(self, writes: Sequence[CategoryWrite]) -> list[WriteOutcome]:
        current = self.client.by_ids("categories", [w.shop_id for w in writes],
                                     what="categories")

        def one(w: CategoryWrite) -> WriteOutcome:
            name, parent = w.category.name, w.category.parent_id or HOME
            if w.shop_id is None:
                made = self.client.create("categories", "category", {
                    "id_parent": parent, "active": "1", "name": name,
                    "link_rewrite": slug(name)}, lang_fields=CATEGORY_LANG,
                    what=f"category {name}")
                return WriteOutcome(w.key, shop_id=str(made["id"]), created=True)
            if w.shop_id not in current:
                return WriteOutcome(w.key, error=f"category {w.shop_id} is no longer in the "
                                                 "shop")
            record = writable("categories", current[w.shop_id])
            _set(record, "name", name, self.language)
            record["id_parent"] = parent
            self.client.put("categories", "category", record, lang_fields=CATEGORY_LANG,
                            what=f"category {name}")
            return WriteOutcome(w.key, shop_id=w.shop_id)
        return self.client.run(writes, one)

    # ------------------------------------------------------------------ products
    def find_by_sku(self, skus: Iterable[str]) -> dict[str, str]:
        """Products then combinations by ``reference``: filtered by the SKUs, or, for
        many SKUs, every reference read in pages (fewer requests than the filters)."""
        wanted = {s for s in skus if s}
        if not wanted:
            return {}

        def rows(resource: str, display: str) -> Iterable[dict[str, Any]]:
            params = {"display": display}
            if len(wanted) > LIST_ALL_ABOVE:
                return self.client.iter_all(resource, params, what=f"the {resource}")
            return self.client.where_in(resource, "reference", wanted, params,
                                        what=f"{resource} by reference")
        found = {str(r["reference"]): str(r["id"]) for r in rows("products", "[id,reference]")}
        found.update({str(r["reference"]): f"{r['id_product']}/{r['id']}"
                      for r in rows("combinations", "[id,id_product,reference]")})
        return {sku: found[sku] for sku in wanted if sku in found}

    def iter_products(self) -> Iterator[ShopProduct]:
        names = {cid: c.name for cid, c in self.list_categories()}
        for row in self.client.iter_all("products", {"language": self.language},
                                        what="the products"):
            assoc = row.get("associations") or {}
            price = money(row.get("price"))
            yield ShopProduct(
                shop_id=str(row["id"]), sku=str(row.get("reference") or ""),
                name=str(row.get("name") or ""), regular_price=price,
                description=str(row.get("description") or ""),
                short_description=str(row.get("description_short") or ""),
                weight=money(row.get("weight")) or None, barcode=str(row.get("ean13") or ""),
                tax_class=str(row.get("id_tax_rules_group") or ""),
                category_names=tuple(names[str(c["id"])] for c in assoc.get("categories", [])
                                     if str(c["id"]) in names),
                active=row.get("active") == "1")
            combos = self.client.by_ids("combinations", [c["id"] for c in
                                                         assoc.get("combinations", [])],
                                        what="combinations")
            for combo in combos.values():
                yield ShopProduct(
                    shop_id=f"{row['id']}/{combo['id']}", sku=str(combo["reference"]),
                    name=str(row.get("name") or ""),
                    regular_price=price + money(combo.get("price")),
                    barcode=str(combo.get("ean13") or ""), parent_sku=str(row["reference"]))

    def _tax_group(self, tax_class: str) -> str:
        if tax_class.isdigit():
            return tax_class
        if tax_class in self.tax_groups:
            return str(self.tax_groups[tax_class])
        raise RecordError(f"tax class {tax_class!r} names no tax rules group: give its "
                          "id_tax_rules_group, or add it to shop.tax_rules_groups")

    def _product_fields(self, d: ProductDraft, fields: frozenset[str] | None) -> dict[str, Any]:
        asked = set(TEXTS) | {"regular_price", "tax_class", "active", "hidden", "weight",
                              "barcode", "cost_price", "category_ids"}
        asked &= fields if fields is not None else asked
        out: dict[str, Any] = {TEXTS[f]: getattr(d, f) for f in asked & set(TEXTS)}
        if fields is None:
            out["link_rewrite"] = d.slug or slug(d.name)
        values = {"regular_price": ("price", lambda: _amount(d.regular_price)),
                  "tax_class": ("id_tax_rules_group", lambda: self._tax_group(d.tax_class)),
                  "active": ("active", lambda: "1" if d.active else "0"),
                  "hidden": ("visibility", lambda: "none" if d.hidden else "both"),
                  "barcode": ("ean13", lambda: _ean(d.barcode))}
        out.update({values[f][0]: values[f][1]() for f in asked & set(values)})
        if "weight" in asked and d.weight is not None:
            out["weight"] = f"{d.weight:f}"
        if "cost_price" in asked and d.cost_price is not None:
            out["wholesale_price"] = _amount(d.cost_price)
        if "category_ids" in asked:
            cats = [c for c in d.category_ids if c] or [HOME]
            out["id_category_default"] = cats[0]
            out["associations"] = {"categories": [{"id": c} for c in cats]}
        return out

    def write_products(self, writes: Sequence[ProductWrite]) -> list[WriteOutcome]:
        """Products and combinations, ``concurrency`` at a time, after one read per kind
        of record to update (products, combinations, stock rows)."""
        ids = [_split(w) for w in writes]
        products = self.client.by_ids("products", [
            p for w, (p, c) in zip(writes, ids, strict=True)
            if (c is None and w.shop_id and _fields_asked(w)) or _is_variation(w)],
            what="products to update")
        combos = self.client.by_ids("combinations", [
            c for w, (_, c) in zip(writes, ids, strict=True) if c and _fields_asked(w)],
            what="combinations to update")
        stock = self._stock_rows(p for w, (p, _) in zip(writes, ids, strict=True)
                                 if w.shop_id and _stock_asked(w))

        def one(w: ProductWrite) -> WriteOutcome:
            product_id, combo_id = _split(w)
            if _is_variation(w):
                parent = products.get(product_id)
                if parent is None:
                    return WriteOutcome(w.key, error=f"variation {w.draft.sku}: its product "
                                                     f"{product_id!r} is not in the shop")
                return self._variation(w, parent, combo_id, combos, stock)
            if w.shop_id is None:
                return self._create_product(w)
            if _fields_asked(w):
                if product_id not in products:
                    return WriteOutcome(w.key, error=f"product {w.shop_id} is no longer in "
                                                     "the shop")
                record = writable("products", products[product_id])
                for name, value in self._product_fields(w.draft, w.fields).items():
                    if name == "associations":
                        record["associations"].update(value)
                    else:
                        _set(record, name, value, self.language)
                self.client.put("products", "product", record, lang_fields=PRODUCT_LANG,
                                what=f"product {w.draft.sku}")
            return self._stock(w, stock.get((product_id, "0")))
        return self.client.run(writes, one)

    def _create_product(self, w: ProductWrite) -> WriteOutcome:
        d = w.draft
        made = self.client.create("products", "product", {
            "state": "1", "minimal_quantity": "1", "available_for_order": "1",
            "show_price": "1", "indexed": "1",
            "type": {"grouped": "pack", "variable": "combinations"}.get(d.kind, "standard"),
            **self._product_fields(d, None)}, lang_fields=PRODUCT_LANG, what=f"product {d.sku}")
        shop_id = str(made["id"])
        row = next((r for r in (made.get("associations") or {}).get("stock_availables", [])
                    if str(r.get("id_product_attribute")) == "0"), None)
        if row is not None and d.stock_quantity is not None:  # the row PrestaShop made
            self._put_stock({"id": str(row["id"]), "id_product": shop_id,
                             "id_product_attribute": "0", "id_shop": "1", "id_shop_group": "0",
                             "quantity": "0", "depends_on_stock": "0", "location": ""}, d)
        return WriteOutcome(w.key, shop_id=shop_id, created=True)

    def _variation(self, w: ProductWrite, product: dict[str, Any], combo_id: str | None,
                   combos: dict[str, dict[str, Any]],
                   stock: dict[tuple[str, str], dict[str, Any]]) -> WriteOutcome:
        d, parent = w.draft, str(product["id"])
        impact = _amount(d.regular_price - money(product.get("price")))
        if combo_id is None:
            made = self.client.create("combinations", "combination", {
                "id_product": parent, "reference": d.sku, "price": impact,
                "minimal_quantity": "1", "wholesale_price": _amount(d.cost_price),
                "ean13": _ean(d.barcode), "associations": {"product_option_values": [
                    {"id": v} for v in self._option_values(d.variation_options)]}},
                what=f"variation {d.sku}")
            combo_id = str(made["id"])
            if d.stock_quantity is not None:
                self._put_stock(self._stock_rows([parent]).get((parent, combo_id)), d)
            return WriteOutcome(w.key, shop_id=f"{parent}/{combo_id}", created=True)
        if _fields_asked(w):
            if combo_id not in combos:
                return WriteOutcome(w.key, error=f"variation {w.shop_id} is no longer in the "
                                                 "shop")
            record = writable("combinations", combos[combo_id])
            record.update({"reference": d.sku, "price": impact})
            self.client.put("combinations", "combination", record, what=f"variation {d.sku}")
        return self._stock(w, stock.get((parent, combo_id)))

    # --------------------------------------------------------------------- stock
    def _stock_rows(self, product_ids: Iterable[str]) -> dict[tuple[str, str], dict[str, Any]]:
        """stock_availables rows by (product id, combination id), as few reads as fit."""
        rows = self.client.where_in("stock_availables", "id_product", product_ids,
                                    what="stock")
        return {(str(r["id_product"]), str(r["id_product_attribute"])): r for r in rows}

    def _stock(self, w: ProductWrite, row: dict[str, Any] | None) -> WriteOutcome:
        if _stock_asked(w):
            if row is None:
                return WriteOutcome(w.key, error=f"{w.draft.sku}: no stock_availables row in "
                                                 "the shop")
            self._put_stock(row, w.draft)
        return WriteOutcome(w.key, shop_id=w.shop_id)

    def _put_stock(self, row: dict[str, Any] | None, d: ProductDraft) -> None:
        if row is None:
            return
        record = {k: v for k, v in row.items() if k != "associations"}
        if d.stock_quantity is not None and d.manage_stock:
            record["quantity"] = str(d.stock_quantity)
        record["out_of_stock"] = "2" if d.manage_stock else "1"
        self.client.put("stock_availables", "stock_available", record,
                        what=f"stock of {d.sku}")

    def _option_values(self, options: Sequence[tuple[str, str]]) -> list[str]:
        """Ids of the product_option_values for (axis, option), created when missing."""
        if self._values is None:
            lang = {"language": self.language}
            self._options = {str(r["name"]).casefold(): str(r["id"]) for r in
                             self.client.iter_all("product_options", lang, what="options")}
            self._values = {(str(r["id_attribute_group"]), str(r["name"]).casefold()):
                            str(r["id"]) for r in self.client.iter_all(
                                "product_option_values", lang, what="option values")}
        ids = []
        for axis, option in options:
            group = self._options.get(axis.casefold())
            if group is None:
                group = self._options[axis.casefold()] = str(self.client.create(
                    "product_options", "product_option", {
                        "group_type": "select", "is_color_group": "0", "name": axis,
                        "public_name": axis}, lang_fields=("name", "public_name"),
                    what=f"option {axis}")["id"])
            value = self._values.get((group, option.casefold()))
            if value is None:
                value = self._values[(group, option.casefold())] = str(self.client.create(
                    "product_option_values", "product_option_value", {
                        "id_attribute_group": group, "name": option}, lang_fields=("name",),
                    what=f"value {option}")["id"])
            ids.append(value)
        return ids
