"""One demo order's shipping addresses, products, tax rows and coupons, as BigCommerce's.

Why apart from ``seed.py``: an order's parts hang together by ids (each product
and tax row names its ``order_address_id``, each tax row its
``order_product_id``), so they are built together, by one small object holding
the order's ids, while ``seed.py`` writes the order's own record from the totals.

BigCommerce ships an order to one address per consignment: one address for an
ordinary order, one per package when the demo order ships to several (each line
on its package's address, each address with its own shipping cost). Tax rows
are one per rate and line (shipping, gift wrap), skipped when nothing is owed;
compound rates have priority 2 (computed on the price plus the first rates).
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from passerelle.demo_orders import (
    COUPONS,
    DemoAddress,
    DemoOrder,
    DemoOrderLine,
    DemoShipping,
    DemoTaxAmount,
)

from .state import State

__all__ = ["NO_HANDLING", "SHIPPING_METHODS", "OrderParts", "address", "money", "priced"]

SHIPPING_METHODS = {
    "flat_rate": "Flat Rate",
    "free_shipping": "Free Shipping",
    "local_pickup": "Pickup In Store",
}
_COUNTRIES = {
    "FR": "France",
    "BE": "Belgium",
    "US": "United States",
    "CA": "Canada",
    "DE": "Germany",
    "ES": "Spain",
    "IT": "Italy",
    "CH": "Switzerland",
}
# The store's coupons have their own ids (the order's coupon rows name them):
# numbered in the demo shop's list of coupons.
_COUPON_IDS = {code: index for index, code in enumerate(COUPONS, start=1)}
_NO_SHIPPING = DemoShipping("", "", Decimal(0))
_ZERO = Decimal(0)


def money(value: Decimal) -> str:
    """BigCommerce's v2 amounts: strings with four decimals."""
    return f"{value:.4f}"


def priced(base: str | None, stem: str, amount: Decimal, tax: Decimal) -> dict[str, str]:
    """An amount as v2 spells it, one field per view of it: ``base_*`` (when the
    field has one), ``*_ex_tax``, ``*_inc_tax`` and ``*_tax``."""
    fields = {} if base is None else {base: money(amount)}
    fields[f"{stem}_ex_tax"] = money(amount)
    fields[f"{stem}_inc_tax"] = money(amount + tax)
    fields[f"{stem}_tax"] = money(tax)
    return fields


#: The demo orders paid no handling fee (an order's and each shipping address's fields).
NO_HANDLING: dict[str, str | int] = {
    **priced("base_handling_cost", "handling_cost", _ZERO, _ZERO),
    "handling_cost_tax_class_id": 2,
}


def address(raw: DemoAddress) -> dict[str, Any]:
    """The v2 address fields (billing address, shipping address)."""
    return {
        "first_name": raw.first_name,
        "last_name": raw.last_name,
        "company": raw.company,
        "street_1": raw.street,
        "street_2": raw.street2,
        "city": raw.city,
        "state": raw.state,
        "zip": raw.postcode,
        "country": _COUNTRIES.get(raw.country, raw.country),
        "country_iso2": raw.country,
        "phone": raw.phone,
        "email": raw.email,
    }


class OrderParts:
    """The records below one order, numbered from the store's sequences."""

    def __init__(self, state: State, order: DemoOrder) -> None:
        self.state = state
        self.order = order
        self.oid = order.number
        self.addresses: list[dict[str, Any]] = []
        self.products: list[dict[str, Any]] = []
        self.taxes: list[dict[str, Any]] = []
        self.coupons: list[dict[str, Any]] = []

    def build(self) -> OrderParts:
        """Addresses first (lines and taxes name them), then lines, shipping, fees, coupons."""
        order = self.order
        packages = order.packages
        destinations = [p.address for p in packages] if packages else [self._destination()]
        for index, destination in enumerate(destinations):
            self._address(index, destination)
        line_address = {line: i for i, p in enumerate(packages) for line in p.lines}
        for number, line in enumerate(order.lines):
            self._product(line, self.addresses[line_address.get(number, 0)])
        for index, ship in enumerate(order.shipping_lines[: len(self.addresses)]):
            self._tax_rows(ship.taxes, "shipping", self.addresses[index]["id"], None)
        for fee in order.fees:
            self._tax_rows(fee.taxes, "gift-wrapping", self.addresses[0]["id"], None)
        self.coupons = [self._coupon(c.code, c.kind, c.amount, c.discount) for c in order.coupons]
        return self

    def _destination(self) -> DemoAddress:
        shipping = self.order.shipping
        return shipping if shipping is not None and shipping.street else self.order.billing

    def _address(self, index: int, destination: DemoAddress) -> None:
        oid, aid = self.oid, self.state.next_id("order_address")
        shipping_lines = self.order.shipping_lines or (_NO_SHIPPING,)
        ship = shipping_lines[min(index, len(shipping_lines) - 1)]
        charged = index < len(shipping_lines)
        cost = ship.total if charged else _ZERO
        tax = ship.total_tax if charged else _ZERO
        self.addresses.append(
            {
                "id": aid,
                "order_id": oid,
                **address(destination),
                "email": self.order.billing.email,
                "items_total": 0,
                "items_shipped": 0,
                "shipping_method": SHIPPING_METHODS.get(ship.method, ship.method),
                **priced("base_cost", "cost", cost, tax),
                "cost_tax_class_id": 2,
                **NO_HANDLING,
                "shipping_zone_id": 1,
                "shipping_zone_name": "France" if destination.country == "FR" else "International",
                "shipping_quotes": {
                    "url": f"/v2/orders/{oid}/shipping_addresses/{aid}/shipping_quotes",
                    "resource": f"/orders/{oid}/shipping_addresses/{aid}/shipping_quotes",
                },
                "form_fields": [],
            }
        )

    def _product(self, line: DemoOrderLine, destination: dict[str, Any]) -> None:
        pid = self.state.next_id("order_product")
        quantity, subtotal, subtotal_tax = line.quantity, line.subtotal, line.subtotal_tax
        unit, unit_tax = subtotal / quantity, subtotal_tax / quantity
        destination["items_total"] += quantity
        coupon = self.order.coupons[0].code if self.order.coupons else None
        self.products.append(
            {
                "id": pid,
                "order_id": self.oid,
                # The store's catalogue is empty when it is seeded: no product to name.
                "product_id": 0,
                "variant_id": 0,
                "order_address_id": destination["id"],
                "name": line.name,
                "sku": line.sku,
                "type": "physical",
                **priced("base_price", "price", unit, unit_tax),
                **priced("base_total", "total", subtotal, subtotal_tax),
                "quantity": quantity,
                "is_refunded": False,
                "quantity_refunded": 0,
                "refund_amount": money(_ZERO),
                "quantity_shipped": 0,
                "product_options": [],
                "applied_discounts": [
                    {
                        "id": "coupon",
                        "amount": money(line.discount),
                        "name": "Coupon",
                        "code": coupon,
                        "target": "product",
                    }
                ]
                if line.discount
                else [],
            }
        )
        self._tax_rows(line.taxes, "item", destination["id"], pid)

    def _tax_rows(
        self, amounts: tuple[DemoTaxAmount, ...], kind: str, address_id: int, product: int | None
    ) -> None:
        for tax in amounts:
            if tax.total == 0:
                continue
            rate, amount = tax.rate, money(tax.total)
            self.taxes.append(
                {
                    "id": self.state.next_id("order_tax"),
                    "order_id": self.oid,
                    "order_address_id": address_id,
                    "tax_rate_id": rate.id,
                    "tax_class_id": 0,
                    "name": rate.name,
                    "class": "Default Tax Class",
                    "rate": money(rate.percent),
                    "priority": 2 if rate.compound else 1,
                    "priority_amount": amount,
                    "line_amount": amount,
                    # orderTaxes_Base.order_product_id is a string (null for shipping)
                    "order_product_id": None if product is None else str(product),
                    "line_item_type": kind,
                }
            )

    def _coupon(self, code: str, kind: str, amount: Decimal, discount: Decimal) -> dict[str, Any]:
        return {
            "id": self.state.next_id("order_coupon"),
            "coupon_id": _COUPON_IDS.get(code, 0),
            "order_id": self.oid,
            "code": code,
            "amount": money(amount),
            "type": 1 if kind == "percent" else 2,
            # orderCoupons_Base.discount is a number (amount may be a string).
            "discount": float(discount),
        }
