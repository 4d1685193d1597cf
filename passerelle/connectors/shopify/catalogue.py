"""What the connector reads of a Shopify catalogue, and its collections.

Shop ids: a product or variant is ``<product>/<variant>/<inventory item>`` (the
numbers of their GIDs), so a stock update needs no lookup; a variable product
is ``<product>/0/0``. Categories are custom collections (flat: Shopify keeps
no parent). The product list reads each variant's "available" quantity at
the inventory location, 190 a page (952 points). SKU lookups read
``productVariants`` 250 a page (752 points), a query of up to 20 ``sku:``
terms for a few, or one bulk query past ``bulk_read_min`` SKUs
(https://shopify.dev/docs/api/usage/bulk-operations/queries).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from decimal import Decimal
from typing import Any

from passerelle.connectors.base import CategoryWrite, WriteOutcome
from passerelle.connectors.errors import ConnectorError, RecordError
from passerelle.connectors.kit.fields import FieldTable, as_sent, read_fields, required, value
from passerelle.connectors.shopify import endpoints as doc
from passerelle.connectors.shopify.client import ShopifyClient, num, save
from passerelle.connectors.shopify.client_bulk import BulkRunner
from passerelle.i18n.messages import M_
from passerelle.model import ShopCategory, ShopProduct

__all__ = ["BULK_READ_MIN", "Catalogue", "shop_product", "variant_id"]

# Above this many SKUs a bulk query (10 points + 1 a poll) beats pages: 4 pages of
# variants = 3,000 points, past the Standard bucket.
BULK_READ_MIN = 1000


def variant_id(v: Mapping[str, Any]) -> str:
    return f"{num(v['product']['id'])}/{num(v['id'])}/{num(v['inventoryItem']['id'])}"


def _available(item: dict[str, Any]) -> int | None:
    """The "available" quantity at the location; None when the item is not tracked
    (Shopify does not count it) or not stocked at that location."""
    level = item.get("inventoryLevel")
    if not item.get("tracked") or level is None:
        return None
    return next((int(q["quantity"]) for q in level["quantities"] if q["name"] == "available"), None)


# A variant's fields, as the variants query asks for them: its product's title and
# status, its inventory item's tracking and level always.
_SHOP_PRODUCT: FieldTable = {
    "sku": as_sent("sku"),
    "name": required("product", lambda product: product["title"]),
    "regular_price": value("price", lambda sent: None if sent is None else Decimal(sent)),
    "active": required("product", lambda product: product["status"] == "ACTIVE"),
    "stock_quantity": required("inventoryItem", _available),
}


def shop_product(raw: Mapping[str, Any]) -> ShopProduct:
    """A ``productVariants`` node (with its stock) as a ShopProduct; a malformed field is
    this variant's error, naming the field."""
    try:
        return ShopProduct(shop_id=variant_id(raw), **read_fields(_SHOP_PRODUCT, raw))
    except RecordError as exc:
        exc.record_id = exc.record_id or num(raw.get("id")) or None
        raise


class Catalogue:
    """Collections, SKU lookups, the product list and the inventory location."""

    def __init__(
        self,
        client: ShopifyClient,
        bulk: BulkRunner,
        *,
        location: str | None,
        bulk_read_min: int = BULK_READ_MIN,
    ) -> None:
        self.client, self.bulk, self.bulk_read_min = client, bulk, bulk_read_min
        self._location_name = location
        self._location: str | None = None
        self._by_title: dict[str, str] | None = None

    def location(self) -> str:
        """The inventory location: the profile's by name, else the primary one."""
        if self._location is None:
            data = self.client.run(doc.LOCATIONS, cost=doc.LOCATIONS_COST, what=M_("the locations"))
            nodes = data["locations"]["nodes"]
            chosen = (
                next((n for n in nodes if n["name"] == self._location_name), None)
                if self._location_name
                else next((n for n in nodes if n["isPrimary"]), None)
            )
            if chosen is None:
                raise ConnectorError(
                    M_("Shopify has no location %(name)s", name=repr(self._location_name))
                )
            self._location = chosen["id"]
        return self._location

    def list_categories(self) -> list[tuple[str, ShopCategory]]:
        return [
            (num(c["id"]), ShopCategory(name=c["title"]))
            for c in self.client.pages(
                doc.COLLECTIONS,
                "collections",
                cost=doc.COLLECTIONS_COST,
                what=M_("the collections"),
            )
        ]

    def collection_id(self, title: str) -> str | None:
        """The number of the collection called ``title`` (read once per connector)."""
        if self._by_title is None:
            self._by_title = {}
            for number, category in self.list_categories():
                self._by_title.setdefault(category.name, number)
        return self._by_title.get(title)

    def write_categories(self, writes: Sequence[CategoryWrite]) -> list[WriteOutcome]:
        self._by_title = None
        out = []
        for w in writes:
            number, error = save(
                self.client,
                "collection",
                {"title": w.category.name},
                w.shop_id,
                what=M_("collection %(name)s", name=w.category.name),
            )
            out.append(
                WriteOutcome(
                    key=w.key,
                    error=error,
                    shop_id=number,
                    created=not w.shop_id and number is not None,
                )
            )
        return out

    def _variants(self, query: str | None = None) -> Iterator[dict[str, Any]]:
        return self.client.pages(
            doc.VARIANTS,
            "productVariants",
            cost=doc.VARIANTS_COST,
            what=M_("the product variants"),
            variables={"query": query},
        )

    def find_by_sku(self, skus: Iterable[str]) -> dict[str, str]:
        wanted = sorted({s for s in skus if s})
        if not wanted:
            return {}
        variants: Iterable[dict[str, Any]]
        if len(wanted) <= 20:
            variants = self._variants(" OR ".join(f"sku:{s}" for s in wanted))
        elif len(wanted) >= self.bulk_read_min:
            variants = self.bulk.query(doc.BULK_VARIANTS, what=M_("the product variants"))
        else:
            variants = self._variants()
        chosen = set(wanted)
        return {v["sku"]: variant_id(v) for v in variants if v.get("sku") in chosen}

    def iter_products(self) -> Iterator[ShopProduct]:
        """Every variant, with its "available" quantity at the location stock is written to."""
        for v in self.client.pages(
            doc.VARIANTS_WITH_STOCK,
            "productVariants",
            cost=doc.VARIANTS_WITH_STOCK_COST,
            what=M_("the product variants"),
            variables={"location": self.location()},
        ):
            yield shop_product(v)
