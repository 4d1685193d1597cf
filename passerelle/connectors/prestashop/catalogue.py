"""Categories, product reads and the option values variations hang from.

``products.md``: a product's SKU is its ``reference``, its price ``price``
excluding tax, texts per language. A variation is a ``combination`` of its
product (shop id ``<product>/<combination>``) whose ``price`` is the impact
over the product's, and whose axes are ``product_option_values`` of
``product_options``. ``categories.md``: the catalogue hangs from Home (2).
Quantities are ``stock_availables`` rows (``id_product_attribute`` 0 for the
product itself, ``reference.md``), read for a page of products at once.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Iterator, Mapping, Sequence
from decimal import Decimal
from functools import cached_property
from typing import Any

from passerelle.connectors.base import CategoryWrite, WriteOutcome
from passerelle.connectors.kit.fields import FieldTable, read_fields, required, text, value
from passerelle.connectors.prestashop import endpoints as ep
from passerelle.connectors.prestashop.client import PrestaShopClient
from passerelle.connectors.prestashop.named_values import FEATURES, OPTIONS, NamedValues
from passerelle.connectors.prestashop.translate_values import money
from passerelle.connectors.reading import raw_id, read_record
from passerelle.i18n.messages import M_, Message
from passerelle.model import ShopCategory, ShopProduct

__all__ = ["HOME", "Catalogue", "combination_product", "shop_product", "slug"]

HOME = "2"  # the root category a shop's catalogue hangs from (Accueil / Home)
LIST_ALL_ABOVE = 500  # more SKUs than this: read every reference instead of filtering


def slug(text: str) -> str:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-") or "produit"


# A product's and a combination's own fields (a price or weight PrestaShop cannot hold
# reads as 0); categories, stock and what a combination takes of its product are rules.
_PRODUCT: FieldTable = {
    "shop_id": required("id", str),
    "sku": text("reference"),
    "name": text("name"),
    "regular_price": value("price", money),
    "description": text("description"),
    "short_description": text("description_short"),
    "weight": value("weight", lambda sent: money(sent) or None),
    "barcode": text("ean13"),
    "tax_class": text("id_tax_rules_group"),
    "active": value("active", lambda sent: sent == "1"),
}
_COMBINATION: FieldTable = {
    "sku": required("reference", str),
    "regular_price": value("price", money),  # the impact over the product's price
    "barcode": text("ean13"),
}


def shop_product(
    row: Mapping[str, Any], names: Mapping[str, str], stock: Mapping[tuple[str, str], int]
) -> ShopProduct:
    """A ``products`` row as a ShopProduct; a row without its id is its error, naming
    the field."""
    fields = read_record(raw_id(row), lambda: read_fields(_PRODUCT, row))
    categories = (row.get("associations") or {}).get("categories", [])
    return ShopProduct(
        **fields,
        category_names=tuple(names[str(c["id"])] for c in categories if str(c["id"]) in names),
        stock_quantity=stock.get((fields["shop_id"], "0")),
    )


def combination_product(
    product: ShopProduct,
    combo: Mapping[str, Any],
    parent_sku: str,
    stock: Mapping[tuple[str, str], int],
) -> ShopProduct:
    """A ``combinations`` row of ``product`` as a ShopProduct; a row without its
    reference is its error (``<product>/<combination>``), naming the field."""
    shop_id = f"{product.shop_id}/{combo['id']}"
    fields = read_record(shop_id, lambda: read_fields(_COMBINATION, combo))
    impact, price = fields.pop("regular_price"), product.regular_price
    return ShopProduct(
        **fields,
        regular_price=(Decimal(0) if price is None else price) + impact,
        shop_id=shop_id,
        name=product.name,
        parent_sku=parent_sku,
        stock_quantity=stock.get((product.shop_id, str(combo["id"]))),
    )


class Catalogue:
    """The catalogue's reads and categories (a part of :class:`PrestaShopShop`)."""

    client: PrestaShopClient

    def list_categories(self) -> list[tuple[str, ShopCategory]]:
        rows = self.client.iter_all(ep.CATEGORIES, {"language": self.client.language})
        return [
            (
                str(r["id"]),
                ShopCategory(
                    name=str(r.get("name") or ""),
                    parent_id=None
                    if str(r.get("id_parent") or "") in ("", "0", "1", HOME)
                    else str(r["id_parent"]),
                ),
            )
            for r in rows
            if str(r["id"]) not in ("1", HOME) and r.get("is_root_category") != "1"
        ]

    def write_categories(self, writes: Sequence[CategoryWrite]) -> list[WriteOutcome]:
        current = self.client.by_ids(
            ep.CATEGORIES, [w.shop_id for w in writes], what=M_("the categories to update")
        )

        def one(w: CategoryWrite) -> WriteOutcome:
            name, parent = w.category.name, w.category.parent_id or HOME
            what = M_("the category %(name)s", name=name)
            if w.shop_id is None:
                made = self.client.create(
                    ep.CATEGORIES,
                    {"id_parent": parent, "active": "1", "name": name, "link_rewrite": slug(name)},
                    lang_fields=("name", "link_rewrite"),
                    what=what,
                )
                return WriteOutcome(w.key, shop_id=str(made["id"]), created=True)
            if w.shop_id not in current:  # deleted in the shop: the flow creates it again
                return WriteOutcome(
                    w.key,
                    shop_id=w.shop_id,
                    gone=True,
                    error=M_("category %(id)s is no longer in the shop", id=w.shop_id),
                )
            self.client.update(
                ep.CATEGORIES, current[w.shop_id], {"name": name, "id_parent": parent}, what=what
            )
            return WriteOutcome(w.key, shop_id=w.shop_id)

        return self.client.run(writes, one)

    def find_products_by_sku(self, skus: Iterable[str]) -> dict[str, str]:
        """Products then combinations by ``reference``: filtered by the SKUs, or, for
        many SKUs, every reference read in pages (fewer requests than the filters)."""
        wanted = {s for s in skus if s}
        if not wanted:
            return {}

        def rows(resource: str, display: str, what: Message) -> Iterable[dict[str, Any]]:
            params = {"display": display}
            if len(wanted) > LIST_ALL_ABOVE:
                return self.client.iter_all(resource, params)
            return self.client.where_in(resource, "reference", wanted, params, what=what)

        found = {
            str(r["reference"]): str(r["id"])
            for r in rows(ep.PRODUCTS, "[id,reference]", M_("the products by reference"))
        }
        found.update(
            {
                str(r["reference"]): f"{r['id_product']}/{r['id']}"
                for r in rows(
                    ep.COMBINATIONS,
                    "[id,id_product,reference]",
                    M_("the variations by reference"),
                )
            }
        )
        return {sku: found[sku] for sku in wanted if sku in found}

    def iter_products(self) -> Iterator[ShopProduct]:
        """Every product then its combinations; one stock read per page of products."""
        names = {cid: c.name for cid, c in self.list_categories()}
        for rows in self.client.pages(ep.PRODUCTS, {"language": self.client.language}):
            stock = self._quantities(str(r["id"]) for r in rows)
            for row in rows:
                yield from self._shop_products(row, names, stock)

    def _shop_products(
        self, row: dict[str, Any], names: dict[str, str], stock: dict[tuple[str, str], int]
    ) -> Iterator[ShopProduct]:
        product = shop_product(row, names, stock)
        yield product
        ids = [c["id"] for c in (row.get("associations") or {}).get("combinations", [])]
        what = M_("the variations of product %(sku)s", sku=product.sku or product.shop_id)
        for combo in self.client.by_ids(ep.COMBINATIONS, ids, what=what).values():
            yield combination_product(product, combo, str(row["reference"]), stock)

    def _quantities(self, product_ids: Iterable[str]) -> dict[tuple[str, str], int]:
        """(product id, combination id or "0") → quantity of these products' stock rows."""
        rows = self.client.where_in(
            ep.STOCK_AVAILABLES,
            "id_product",
            product_ids,
            {"display": "[id_product,id_product_attribute,quantity]"},
            what=M_("the stock of these products"),
        )
        return {
            (str(r["id_product"]), str(r.get("id_product_attribute") or "0")): int(r["quantity"])
            for r in rows
        }

    @cached_property
    def _options(self) -> NamedValues:
        return NamedValues(self.client, OPTIONS)

    @cached_property
    def _features(self) -> NamedValues:
        return NamedValues(self.client, FEATURES)

    def option_values(self, options: Sequence[tuple[str, str]]) -> list[str]:
        """Ids of the product_option_values for (axis, option), created when missing."""
        return [value for _, value in self._options.ids(options)]

    def feature_values(self, features: Sequence[tuple[str, str]]) -> list[dict[str, str]]:
        """The ``product_features`` association entries of (feature, value) names."""
        return [
            {"id": group, "id_feature_value": value}
            for group, value in self._features.ids(features)
        ]
