"""A product's sale price and customer group prices, as PrestaShop ``specific_prices``.

``specific_prices.md``: a sale price (C10) is one record per product or
combination, for everyone (cart, currency, country, group, customer 0), from
one unit, without dates: ``price`` -1 (the product's own) less an ``amount``
excluding tax (``reduction_tax`` 0), like the base price. A group's price
(C10, K1) is one record for that group (``id_group``), everything else the
same, whose ``price`` is the group's price excluding tax and whose reduction
is 0. Each is created, updated when its amount changes, deleted when the
back-office no longer has it; the merchant's other specific prices (other
quantities, dates, countries, customers) are left alone.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from passerelle.connectors.errors import RecordError
from passerelle.connectors.prestashop import endpoints as ep
from passerelle.connectors.prestashop.client import PrestaShopClient
from passerelle.connectors.prestashop.translate_products import amount
from passerelle.connectors.prestashop.translate_values import money
from passerelle.i18n.messages import M_, Text
from passerelle.model import ProductDraft

__all__ = ["FOR_EVERYONE", "PriceRows", "SpecificPrices"]

NO_DATE = "0000-00-00 00:00:00"
# What makes a specific price passerelle's (a plain sale or group price) rather than
# one of the merchant's own rules; a group price names its group besides.
FOR_EVERYONE = {
    "id_cart": "0",
    "id_currency": "0",
    "id_country": "0",
    "id_group": "0",
    "id_customer": "0",
    "id_specific_price_rule": "0",
    "from_quantity": "1",
    "from": NO_DATE,
    "to": NO_DATE,
}
Key = tuple[str, str]  # (product id, combination id or "0")
Row = dict[str, Any]


@dataclass(slots=True)
class PriceRows:
    """Passerelle's specific prices of some products: the sale price, the group prices."""

    sale: dict[Key, Row] = field(default_factory=dict)
    groups: dict[Key, dict[str, Row]] = field(default_factory=dict)
    # Every group's row for one unit, always, whatever its price or reduction: the
    # merchant's own (a percentage for the group) holds the place a group price takes.
    group_places: dict[Key, dict[str, Row]] = field(default_factory=dict)


def _ours(row: Row) -> bool:
    return all(str(row.get(k)) == v for k, v in FOR_EVERYONE.items() if k != "id_group")


class SpecificPrices:
    """Sale and group prices (a part of :class:`.Products`)."""

    client: PrestaShopClient
    _groups: dict[str, str]  # customer group name (case-folded) → id, from :class:`Customers`

    def _price_rows(self, product_ids: list[str]) -> PriceRows:
        rows = PriceRows()
        for row in self.client.where_in(
            ep.SPECIFIC_PRICES,
            "id_product",
            product_ids,
            what=M_("the specific prices of the products"),
        ):
            key = (str(row["id_product"]), str(row["id_product_attribute"] or "0"))
            if not _ours(row):
                continue
            if str(row["id_group"]) == "0":
                rows.sale[key] = row
                continue
            rows.group_places.setdefault(key, {})[str(row["id_group"])] = row
            if money(row.get("reduction")) == 0 and money(row.get("price")) >= 0:
                rows.groups.setdefault(key, {})[str(row["id_group"])] = row
        return rows

    def _write_prices(
        self, d: ProductDraft, key: Key, rows: PriceRows, *, sale: bool, groups: bool
    ) -> None:
        if sale:
            self._write_sale(d, key, rows.sale.get(key))
        if groups:
            self._write_group_prices(
                d, key, rows.groups.get(key, {}), rows.group_places.get(key, {})
            )

    def _create(self, key: Key, group: str, values: dict[str, str], what: Text) -> None:
        self.client.create(
            ep.SPECIFIC_PRICES,
            {
                "id_product": key[0],
                "id_product_attribute": key[1],
                "id_shop": "0",
                "id_shop_group": "0",
                **FOR_EVERYONE,
                "id_group": group,
                **values,
            },
            what=what,
        )

    def _write_sale(self, d: ProductDraft, key: Key, row: Row | None) -> None:
        what = M_("the sale price of %(sku)s", sku=d.sku)
        if d.sale_price is None or d.sale_price >= d.regular_price:
            if row is not None:
                self.client.delete(ep.SPECIFIC_PRICES, str(row["id"]), what=what)
            return
        reduction = d.regular_price - d.sale_price
        values = {
            "price": "-1",
            "reduction": amount(reduction),
            "reduction_tax": "0",
            "reduction_type": "amount",
        }
        if row is None:
            self._create(key, "0", values, what)
        elif (
            money(row.get("price")),
            money(row.get("reduction")),
            row.get("reduction_type"),
            str(row.get("reduction_tax")),
        ) != (Decimal(-1), reduction, "amount", "0"):
            self.client.update(ep.SPECIFIC_PRICES, row, values, what=what)

    def _write_group_prices(
        self, d: ProductDraft, key: Key, rows: dict[str, Row], places: dict[str, Row]
    ) -> None:
        """Each group's price on its row, created when the group has none. PrestaShop
        keeps one specific price per product, group, quantity and dates (the table's
        unique key: a second is refused, 500), so a group's price replaces the
        merchant's reduction for that group on the same terms; only passerelle's own
        rows are deleted when the back-office no longer has the group's price."""
        wanted: dict[str, Decimal] = {}
        names: dict[str, str] = {}  # group id → its name, as the back-office gives it
        for name, price in d.group_prices:
            group = self._groups.get(name.casefold())
            if group is None:
                raise RecordError(
                    M_(
                        "%(sku)s: the customer group %(group)s is not in the shop; "
                        "send the customer groups first",
                        sku=d.sku,
                        group=repr(name),
                    )
                )
            wanted[group], names[group] = price, name
        for group, price in wanted.items():
            what = M_(
                "the price of %(sku)s for customer group %(group)s", sku=d.sku, group=names[group]
            )
            values = {
                "price": amount(price),
                "reduction": "0",
                "reduction_tax": "0",
                "reduction_type": "amount",
            }
            row = rows.get(group) or places.get(group)
            if row is None:
                self._create(key, group, values, what)
            elif (money(row.get("price")), money(row.get("reduction"))) != (price, 0):
                self.client.update(ep.SPECIFIC_PRICES, row, values, what=what)
        for group, row in rows.items():
            if group not in wanted:
                self.client.delete(
                    ep.SPECIFIC_PRICES,
                    str(row["id"]),
                    what=M_(
                        "the price of %(sku)s for customer group %(group)s", sku=d.sku, group=group
                    ),
                )
