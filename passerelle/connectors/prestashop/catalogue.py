"""Categories, products, combinations and stock through the Webservice.

``products.md``: a product's SKU is its ``reference``, its price ``price``
excluding tax with the tax in ``id_tax_rules_group``, texts per language.
A variation is a ``combination`` of its product (shop id
``<product>/<combination>``), whose ``price`` is the impact over the
product's price and whose axes are ``product_option_values``. Quantities
are not product fields (``quantity`` is read-only): each product and each
combination has one ``stock_availables`` row (``id_product_attribute`` 0 for
the product), written with PUT. Updates read the records first (one list
request per 50 ids) and PUT each one whole, since PUT blanks what it is not
given (``update-resource.md``).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Iterator, Sequence
from decimal import Decimal
from typing import Any

from passerelle.connectors.base import CategoryWrite, ProductWrite, WriteOutcome
from passerelle.connectors.errors import ConnectorError, RecordError
from passerelle.connectors.prestashop.client import ID_CHUNK, PrestaShopClient, to_xml
from passerelle.model import ProductDraft, ShopCategory, ShopProduct

__all__ = ["Catalogue"]

HOME = "2"  # the root category a shop's catalogue hangs from (Accueil / Home)
PRODUCT_LANG = ("name", "description", "description_short", "link_rewrite", "meta_title",
                "meta_description", "meta_keywords", "available_now", "available_later",
                "delivery_in_stock", "delivery_out_stock")
CATEGORY_LANG = ("name", "link_rewrite", "description", "meta_title", "meta_description",
                 "meta_keywords")
READ_ONLY = {"products": ("manufacturer_name", "quantity", "position_in_category"),
             "combinations": ("quantity",), "categories": ("level_depth",
                                                           "nb_products_recursive")}
ASSOC_NODES = {"categories": "category", "combinations": "combination", "images": "image",
               "product_option_values": "product_option_value", "tags": "tag",
               "stock_availables": "stock_available", "product_bundle": "product",
               "accessories": "product", "product_features": "product_feature",
               "attachments": "attachment", "products": "product"}
STOCK_FIELDS = frozenset({"stock_quantity", "manage_stock"})


def slug(text: str) -> str:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-") or "produit"


def _money(value: Decimal | None) -> str:
    return f"{(value or Decimal(0)):.6f}"


def _lang_text(value: Any, language: int) -> str:
    if isinstance(value, list):
        return next((str(v["value"]) for v in value if str(v["id"]) == str(language)), "")
    return str(value or "")


def _writable(resource: str, record: dict[str, Any]) -> dict[str, Any]:
    """A record as read, ready to PUT back: read-only fields out, associations as nodes."""
    out = {k: v for k, v in record.items() if k not in READ_ONLY.get(resource, ())}
    assoc = record.get("associations") or {}
    out["associations"] = {k: (ASSOC_NODES.get(k, k.rstrip("s")), rows)
                           for k, rows in assoc.items()}
    return out


def _set_lang(record: dict[str, Any], name: str, value: str, language: int) -> None:
    current = record.get(name)
    if isinstance(current, list):
        rows = [dict(v) for v in current if str(v["id"]) != str(language)]
        record[name] = [*rows, {"id": str(language), "value": value}]
    else:
        record[name] = value


class Catalogue:
    def __init__(self, client: PrestaShopClient, tax_groups: dict[str, int]) -> None:
        self.client = client
        self.language = client.language
        self.tax_groups = tax_groups
        self._options: dict[str, str] | None = None  # option name → id
        self._values: dict[tuple[str, str], str] | None = None  # (option id, value) → id

    # ---------------------------------------------------------------- categories
    def list_categories(self) -> list[tuple[str, ShopCategory]]:
        out = []
        for row in self.client.iter_all("categories", {"language": self.language},
                                        what="the categories"):
            if str(row["id"]) in ("1", HOME) or row.get("is_root_category") == "1":
                continue
            parent = str(row.get("id_parent") or "")
            out.append((str(row["id"]), ShopCategory(
                name=str(row.get("name") or ""),
                parent_id=None if parent in ("", "0", "1", HOME) else parent)))
        return out

    def write_categories(self, writes: Sequence[CategoryWrite]) -> list[WriteOutcome]:
        current = self.client.by_ids("categories", [w.shop_id for w in writes if w.shop_id],
                                     what="categories")

        def one(w: CategoryWrite) -> WriteOutcome:
            name = w.category.name
            if w.shop_id is None:
                body = {"id_parent": w.category.parent_id or HOME, "active": "1",
                        "name": name, "link_rewrite": slug(name)}
                made = self.client.create("categories", to_xml(
                    "category", body, lang_fields=CATEGORY_LANG, language=self.language),
                    what=f"category {name}")
                return WriteOutcome(w.key, shop_id=str(made["id"]), created=True)
            record = current.get(w.shop_id)
            if record is None:
                return WriteOutcome(w.key, error=f"category {w.shop_id} is no longer in the "
                                                 "shop")
            record = _writable("categories", record)
            _set_lang(record, "name", name, self.language)
            record["id_parent"] = w.category.parent_id or HOME
            self.client.put("categories", w.shop_id, to_xml(
                "category", record, lang_fields=CATEGORY_LANG, language=self.language),
                what=f"category {name}")
            return WriteOutcome(w.key, shop_id=w.shop_id)
        return _outcomes(writes, self.client.run(writes, one))

    # ------------------------------------------------------------------ products
    def find_by_sku(self, skus: Iterable[str]) -> dict[str, str]:
        wanted = sorted({s for s in skus if s})
        found: dict[str, str] = {}
        for start in range(0, len(wanted), ID_CHUNK):
            chunk = "[" + "|".join(wanted[start:start + ID_CHUNK]) + "]"
            for row in self.client.list("products", {"filter[reference]": chunk,
                                                     "display": "[id,reference]"},
                                        what="products by reference"):
                found[str(row["reference"])] = str(row["id"])
            for row in self.client.list("combinations", {
                    "filter[reference]": chunk, "display": "[id,id_product,reference]"},
                    what="combinations by reference"):
                found[str(row["reference"])] = f"{row['id_product']}/{row['id']}"
        return found

    def iter_products(self) -> Iterator[ShopProduct]:
        names = {cid: c.name for cid, c in self.list_categories()}
        for row in self.client.iter_all("products", {"language": self.language},
                                        what="the products"):
            cats = tuple(names[str(c["id"])] for c in
                         (row.get("associations") or {}).get("categories", [])
                         if str(c["id"]) in names)
            price = Decimal(str(row.get("price") or 0))
            yield ShopProduct(shop_id=str(row["id"]), sku=str(row.get("reference") or ""),
                              name=str(row.get("name") or ""), regular_price=price,
                              description=str(row.get("description") or ""),
                              short_description=str(row.get("description_short") or ""),
                              weight=Decimal(str(row.get("weight") or 0)) or None,
                              barcode=str(row.get("ean13") or ""),
                              tax_class=str(row.get("id_tax_rules_group") or ""),
                              category_names=cats, active=row.get("active") == "1")
            combos = (row.get("associations") or {}).get("combinations", [])
            if combos:
                for combo in self.client.by_ids("combinations", [c["id"] for c in combos],
                                                what="combinations").values():
                    yield ShopProduct(
                        shop_id=f"{row['id']}/{combo['id']}", sku=str(combo["reference"]),
                        name=str(row.get("name") or ""),
                        regular_price=price + Decimal(str(combo.get("price") or 0)),
                        barcode=str(combo.get("ean13") or ""), parent_sku=str(row["reference"]))

    def _tax_group(self, tax_class: str) -> str:
        if tax_class.isdigit():
            return tax_class
        if tax_class in self.tax_groups:
            return str(self.tax_groups[tax_class])
        raise RecordError(f"tax class {tax_class!r} names no tax rules group: give its "
                          "id_tax_rules_group, or add it to shop.tax_rules_groups")

    def _product_fields(self, d: ProductDraft, fields: frozenset[str] | None) -> dict[str, Any]:
        def want(name: str) -> bool:
            return fields is None or name in fields
        out: dict[str, Any] = {}
        if want("sku"):
            out["reference"] = d.sku
        if want("name"):
            out["name"] = d.name
        if fields is None:
            out["link_rewrite"] = d.slug or slug(d.name)
        if want("regular_price"):
            out["price"] = _money(d.regular_price)
        if want("tax_class"):
            out["id_tax_rules_group"] = self._tax_group(d.tax_class)
        if want("description"):
            out["description"] = d.description
        if want("short_description"):
            out["description_short"] = d.short_description
        if want("active"):
            out["active"] = "1" if d.active else "0"
        if want("hidden"):
            out["visibility"] = "none" if d.hidden else "both"
        if want("weight") and d.weight is not None:
            out["weight"] = f"{d.weight:f}"
        if want("barcode"):
            out["ean13"] = d.barcode if d.barcode.isdigit() and len(d.barcode) <= 13 else ""
        if want("cost_price") and d.cost_price is not None:
            out["wholesale_price"] = _money(d.cost_price)
        if want("seo_title"):
            out["meta_title"] = d.seo_title
        if want("seo_description"):
            out["meta_description"] = d.seo_description
        if want("category_ids"):
            cats = [c for c in d.category_ids if c] or [HOME]
            out["id_category_default"] = cats[0]
            out["associations"] = {"categories": ("category", [{"id": c} for c in cats])}
        return out

    def write_products(self, writes: Sequence[ProductWrite]) -> list[WriteOutcome]:
        products = [w for w in writes if not _is_variation(w)]
        variations = [w for w in writes if _is_variation(w)]
        outcomes = {id(w): o for w, o in zip(products, self._write_products(products),
                                             strict=True)}
        outcomes.update({id(w): o for w, o in zip(variations,
                                                  self._write_variations(variations),
                                                  strict=True)})
        return [outcomes[id(w)] for w in writes]

    def _write_products(self, writes: Sequence[ProductWrite]) -> list[WriteOutcome]:
        updates = [w for w in writes if w.shop_id and (w.fields is None
                                                       or w.fields - STOCK_FIELDS)]
        current = self.client.by_ids("products", [w.shop_id for w in updates],
                                     what="products to update")
        rows = self._stock_rows([w.shop_id for w in writes if w.shop_id
                                 and _stock_asked(w)])

        def one(w: ProductWrite) -> WriteOutcome:
            d = w.draft
            if w.shop_id is None:
                body = {"state": "1", "minimal_quantity": "1", "available_for_order": "1",
                        "show_price": "1", "indexed": "1", "type": _type(d),
                        **self._product_fields(d, None)}
                made = self.client.create("products", to_xml(
                    "product", body, lang_fields=PRODUCT_LANG, language=self.language),
                    what=f"product {d.sku}")
                shop_id = str(made["id"])
                row = next((r for r in (made.get("associations") or {})
                            .get("stock_availables", [])
                            if str(r.get("id_product_attribute")) == "0"), None)
                if row is not None and d.stock_quantity is not None:
                    self._put_stock({"id": str(row["id"]), "id_product": shop_id,
                                     "id_product_attribute": "0", "id_shop": "1",
                                     "id_shop_group": "0", "depends_on_stock": "0",
                                     "location": ""}, d)
                return WriteOutcome(w.key, shop_id=shop_id, created=True)
            if w.fields is None or w.fields - STOCK_FIELDS:
                record = current.get(w.shop_id)
                if record is None:
                    return WriteOutcome(w.key, error=f"product {w.shop_id} is no longer in "
                                                     "the shop")
                record = _writable("products", record)
                for name, value in self._product_fields(d, w.fields).items():
                    if name == "associations":
                        record["associations"].update(value)
                    elif name in PRODUCT_LANG:
                        _set_lang(record, name, value, self.language)
                    else:
                        record[name] = value
                self.client.put("products", w.shop_id, to_xml(
                    "product", record, lang_fields=PRODUCT_LANG, language=self.language),
                    what=f"product {d.sku}")
            if _stock_asked(w):
                row = rows.get((w.shop_id, "0"))
                if row is None:
                    return WriteOutcome(w.key, error=f"product {d.sku}: no stock_availables "
                                                     "row in the shop")
                self._put_stock(row, d)
            return WriteOutcome(w.key, shop_id=w.shop_id)
        return _outcomes(writes, self.client.run(writes, one))

    def _stock_rows(self, product_ids: Iterable[str | None]) -> dict[tuple[str, str],
                                                                      dict[str, Any]]:
        """stock_availables rows by (product id, combination id), 50 products a request."""
        ids = sorted({str(p).split("/")[0] for p in product_ids if p}, key=int)
        rows: dict[tuple[str, str], dict[str, Any]] = {}
        for start in range(0, len(ids), ID_CHUNK):
            chunk = "[" + "|".join(ids[start:start + ID_CHUNK]) + "]"
            for row in self.client.list("stock_availables", {"filter[id_product]": chunk},
                                        what="stock"):
                rows[(str(row["id_product"]), str(row["id_product_attribute"]))] = row
        return rows

    def _put_stock(self, row: dict[str, Any], d: ProductDraft) -> None:
        record = {k: v for k, v in row.items() if k != "associations"}
        if d.stock_quantity is not None and d.manage_stock:
            record["quantity"] = str(d.stock_quantity)
        record["out_of_stock"] = "2" if d.manage_stock else "1"
        record.setdefault("quantity", "0")
        self.client.put("stock_availables", str(record["id"]),
                        to_xml("stock_available", record), what=f"stock of {d.sku}")

    # -------------------------------------------------------------- combinations
    def _write_variations(self, writes: Sequence[ProductWrite]) -> list[WriteOutcome]:
        if not writes:
            return []
        parents = {(w.shop_id or "").split("/")[0] if w.shop_id else (w.parent_shop_id or "")
                   for w in writes}
        products = self.client.by_ids("products", parents, what="parent products")
        combos = self.client.by_ids("combinations", [w.shop_id.split("/")[1] for w in writes
                                                     if w.shop_id and "/" in w.shop_id],
                                    what="combinations to update")
        rows = self._stock_rows(parents)

        def one(w: ProductWrite) -> WriteOutcome:
            d = w.draft
            parent = (w.shop_id or "").split("/")[0] if w.shop_id else (w.parent_shop_id or "")
            product = products.get(parent)
            if product is None:
                return WriteOutcome(w.key, error=f"variation {d.sku}: its product {parent!r} "
                                                 "is not in the shop")
            impact = _money(d.regular_price - Decimal(str(product.get("price") or 0)))
            if w.shop_id is None:
                values = self._option_values(d.variation_options)
                body = {"id_product": parent, "reference": d.sku, "price": impact,
                        "minimal_quantity": "1", "wholesale_price": _money(d.cost_price),
                        "ean13": d.barcode if d.barcode.isdigit() else "",
                        "associations": {"product_option_values": (
                            "product_option_value", [{"id": v} for v in values])}}
                made = self.client.create("combinations", to_xml("combination", body),
                                          what=f"variation {d.sku}")
                combo_id = str(made["id"])
                stock = self._stock_rows([parent]).get((parent, combo_id))
                if stock is not None and d.stock_quantity is not None:
                    self._put_stock(stock, d)
                return WriteOutcome(w.key, shop_id=f"{parent}/{combo_id}", created=True)
            combo_id = w.shop_id.split("/")[1]
            if w.fields is None or w.fields - STOCK_FIELDS:
                record = combos.get(combo_id)
                if record is None:
                    return WriteOutcome(w.key, error=f"variation {w.shop_id} is no longer in "
                                                     "the shop")
                record = _writable("combinations", record)
                record.update({"reference": d.sku, "price": impact})
                self.client.put("combinations", combo_id, to_xml("combination", record),
                                what=f"variation {d.sku}")
            if _stock_asked(w):
                row = rows.get((parent, combo_id))
                if row is None:
                    return WriteOutcome(w.key, error=f"variation {d.sku}: no stock row")
                self._put_stock(row, d)
            return WriteOutcome(w.key, shop_id=w.shop_id)
        return _outcomes(writes, self.client.run(writes, one))

    def _option_values(self, options: Sequence[tuple[str, str]]) -> list[str]:
        """Ids of the product_option_values for (axis, option), created when missing."""
        if self._options is None or self._values is None:
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
                made = self.client.create("product_options", to_xml("product_option", {
                    "group_type": "select", "is_color_group": "0", "name": axis,
                    "public_name": axis}, lang_fields=("name", "public_name"),
                    language=self.language), what=f"option {axis}")
                group = self._options[axis.casefold()] = str(made["id"])
            value = self._values.get((group, option.casefold()))
            if value is None:
                made = self.client.create("product_option_values", to_xml(
                    "product_option_value", {"id_attribute_group": group, "name": option},
                    lang_fields=("name",), language=self.language), what=f"value {option}")
                value = self._values[(group, option.casefold())] = str(made["id"])
            ids.append(value)
        return ids


def _is_variation(w: ProductWrite) -> bool:
    return w.draft.kind == "variation" or bool(w.shop_id and "/" in w.shop_id)


def _stock_asked(w: ProductWrite) -> bool:
    return w.fields is not None and bool(w.fields & STOCK_FIELDS)


def _type(d: ProductDraft) -> str:
    return {"grouped": "pack", "variable": "combinations"}.get(d.kind, "standard")


def _outcomes(writes: Sequence[Any], results: Sequence[WriteOutcome | ConnectorError]
              ) -> list[WriteOutcome]:
    return [r if isinstance(r, WriteOutcome) else WriteOutcome(w.key, error=str(r))
            for w, r in zip(writes, results, strict=True)]
