"""Orders read from the Webservice and turned into canonical orders.

``orders.md``: totals with and without tax, ``current_state``, ``module``
(the payment module) and ``payment`` (its label), ``reference`` (the
order number buyers see). Lines are ``order_details`` (priced before cart
rules, with ``tax_rate``), the discount is ``total_discounts_*`` with the
``order_cart_rules`` naming it, gift wrapping is ``total_wrapping_*``.

A status is read from the state's flags (``order_states.md``): shipped or
delivered, else paid; the states the shop's configuration names
``PS_OS_CANCELED``, ``PS_OS_REFUND``, ``PS_OS_ERROR`` are cancelled,
refunded, payment error; anything else awaits payment. Those slugs are what
a profile's ``orders.statuses`` names.

Per page of orders: one request each for their lines, cart rules, addresses
and buyers (``filter[id_order]=[a|b|…]``), never one per order.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from decimal import Decimal
from typing import Any

from passerelle.connectors.prestashop.client import PrestaShopClient
from passerelle.connectors.prestashop.wire import cents, money, parse_date
from passerelle.model import (
    Address,
    FeeLine,
    Order,
    OrderCoupon,
    OrderLine,
    OrderStatus,
    ShippingLine,
    TaxLine,
)

__all__ = ["STATUS_SLUGS", "OrderReader"]

STATUS_SLUGS = {"delivered": OrderStatus.COMPLETED, "shipped": OrderStatus.COMPLETED,
                "paid": OrderStatus.PROCESSING, "canceled": OrderStatus.CANCELLED,
                "refunded": OrderStatus.REFUNDED, "payment_error": OrderStatus.FAILED,
                "awaiting_payment": OrderStatus.PENDING_PAYMENT}
WRAPPING = "Emballage cadeau"


def _rate(excl: Decimal, incl: Decimal) -> Decimal:
    """The tax rate (fraction) an amount carries, to 0.1 %."""
    return ((incl / excl) - 1).quantize(Decimal("0.001")) if excl else Decimal(0)


class OrderReader:
    def __init__(self, client: PrestaShopClient) -> None:
        self.client = client
        self._states: dict[str, str] | None = None
        self._reference: dict[str, dict[str, Any]] = {}

    def states(self) -> dict[str, str]:
        """State id → status slug (module docstring)."""
        if self._states is None:
            config = {str(r["name"]): str(r["value"]) for r in self.client.list(
                "configurations", {"filter[name]": "[PS_OS_CANCELED|PS_OS_REFUND|PS_OS_ERROR|"
                                                   "PS_OS_DELIVERED]",
                                   "display": "[name,value]"}, what="the order state settings")}
            special = {config.get("PS_OS_CANCELED"): "canceled",
                       config.get("PS_OS_REFUND"): "refunded",
                       config.get("PS_OS_ERROR"): "payment_error"}
            self._states = {}
            for row in self.client.iter_all("order_states", what="the order states"):
                sid = str(row["id"])
                if sid in special:
                    slug = special[sid]
                elif sid == config.get("PS_OS_DELIVERED"):
                    slug = "delivered"
                elif row.get("shipped") == "1" or row.get("delivery") == "1":
                    slug = "shipped"
                elif row.get("paid") == "1":
                    slug = "paid"
                else:
                    slug = "awaiting_payment"
                self._states[sid] = slug
        return self._states

    def state_ids(self, slugs: Sequence[str]) -> list[str]:
        return [sid for sid, slug in self.states().items() if slug in slugs]

    def _lookup(self, resource: str, params: dict[str, Any] | None = None
                ) -> dict[str, dict[str, Any]]:
        if resource not in self._reference:
            self._reference[resource] = {str(r["id"]): r for r in self.client.iter_all(
                resource, params, what=f"the {resource}")}
        return self._reference[resource]

    def orders(self, params: dict[str, Any]) -> Iterator[list[dict[str, Any]]]:
        """Pages of raw orders with what translating them needs attached."""
        for rows in self.client.pages("orders", params, what="the orders", page=100):
            if rows:
                self._attach(rows)
            yield rows

    def _attach(self, rows: list[dict[str, Any]]) -> None:
        ids = "[" + "|".join(str(r["id"]) for r in rows) + "]"
        details = self.client.list("order_details", {"filter[id_order]": ids},
                                   what="the order lines")
        rules = self.client.list("order_cart_rules", {"filter[id_order]": ids},
                                 what="the order discounts")
        addresses = self.client.by_ids("addresses", {str(r[k]) for r in rows for k in
                                                     ("id_address_invoice",
                                                      "id_address_delivery")},
                                       what="the order addresses")
        buyers = self.client.by_ids("customers", {str(r["id_customer"]) for r in rows},
                                    {"display": "[id,email,firstname,lastname,is_guest]"},
                                    what="the buyers")
        for row in rows:
            oid = str(row["id"])
            row["_details"] = [d for d in details if str(d["id_order"]) == oid]
            row["_rules"] = [r for r in rules if str(r["id_order"]) == oid]
            row["_invoice"] = addresses.get(str(row["id_address_invoice"]), {})
            row["_delivery"] = addresses.get(str(row["id_address_delivery"]), {})
            row["_buyer"] = buyers.get(str(row["id_customer"]), {})

    def attach_one(self, row: dict[str, Any]) -> dict[str, Any]:
        self._attach([row])
        return row

    def translate(self, raw: Mapping[str, Any]) -> Order:
        countries = self._lookup("countries", {"display": "[id,iso_code]"})
        currencies = self._lookup("currencies", {"display": "[id,iso_code]"})
        carriers = self._lookup("carriers", {"display": "[id,name]"})
        buyer = raw.get("_buyer") or {}
        email = str(buyer.get("email") or "")

        def address(a: Mapping[str, Any]) -> Address:
            country = countries.get(str(a.get("id_country")), {}).get("iso_code", "")
            return Address(first_name=str(a.get("firstname") or ""),
                           last_name=str(a.get("lastname") or ""),
                           company=str(a.get("company") or ""),
                           street=str(a.get("address1") or ""),
                           street2=str(a.get("address2") or ""),
                           postal_code=str(a.get("postcode") or ""),
                           city=str(a.get("city") or ""), country_code=str(country),
                           phone=str(a.get("phone") or a.get("phone_mobile") or ""),
                           email=email)

        lines = []
        for d in raw.get("_details") or []:
            excl, incl = money(d.get("total_price_tax_excl")), money(d.get("total_price_tax_incl"))
            rate = money(d.get("tax_rate")) / 100
            tax = incl - excl
            lines.append(OrderLine(
                source_id=str(d["id"]), reference=str(d.get("product_reference") or ""),
                name=str(d.get("product_name") or ""),
                quantity=Decimal(str(d.get("product_quantity") or 0)), subtotal=excl,
                total=excl, total_tax=tax, product_id=str(d.get("product_id") or ""),
                taxes=(TaxLine(str(d.get("tax_name") or rate), str(d.get("tax_name") or ""),
                               rate, tax),) if rate or tax else ()))
        ship_excl = money(raw.get("total_shipping_tax_excl"))
        ship_incl = money(raw.get("total_shipping_tax_incl"))
        carrier = carriers.get(str(raw.get("id_carrier")), {})
        ship_rate = money(raw.get("carrier_tax_rate")) / 100
        shipping = (ShippingLine(
            source_id=str(raw.get("id_carrier")), method_id=str(carrier.get("name") or ""),
            title=str(carrier.get("name") or ""), total=ship_excl,
            total_tax=ship_incl - ship_excl,
            taxes=(TaxLine("carrier", "", ship_rate, ship_incl - ship_excl),)
            if ship_incl != ship_excl else ()),) if carrier or ship_incl else ()
        fees = []
        wrap_excl, wrap_incl = money(raw.get("total_wrapping_tax_excl")), money(
            raw.get("total_wrapping_tax_incl"))
        if wrap_incl:
            fees.append(FeeLine("wrapping", WRAPPING, wrap_excl, wrap_incl - wrap_excl,
                                (TaxLine("wrapping", "", _rate(wrap_excl, wrap_incl),
                                         wrap_incl - wrap_excl),)))
        coupons = tuple(OrderCoupon(code=str(r.get("name") or ""),
                                    discount=money(r.get("value_tax_excl")),
                                    discount_tax=money(r.get("value"))
                                    - money(r.get("value_tax_excl")))
                        for r in raw.get("_rules") or [])
        slug = self.states().get(str(raw.get("current_state")), "awaiting_payment")
        status = STATUS_SLUGS[slug]
        created = parse_date(raw.get("date_add"))
        total = cents(money(raw.get("total_paid_tax_incl")))
        paid = status in (OrderStatus.PROCESSING, OrderStatus.COMPLETED)
        return Order(
            source_id=str(raw["id"]), number=str(raw.get("reference") or raw["id"]),
            status=status, shop_status=slug,
            currency=str(currencies.get(str(raw.get("id_currency")), {}).get("iso_code", "")),
            created_at=created or parse_date("1970-01-01 00:00:00"),  # type: ignore[arg-type]
            total=total, total_tax=cents(total - money(raw.get("total_paid_tax_excl"))),
            customer_id=None if buyer.get("is_guest") == "1" else str(raw.get("id_customer")),
            billing=address(raw.get("_invoice") or {}),
            shipping=address(raw.get("_delivery") or {}), lines=tuple(lines),
            shipping_lines=shipping, fee_lines=tuple(fees), coupons=coupons,
            discount_total=money(raw.get("total_discounts_tax_excl")),
            payment_method=str(raw.get("module") or ""),
            payment_method_title=str(raw.get("payment") or ""),
            paid_at=created if paid else None, modified_at=parse_date(raw.get("date_upd")),
            customer_tax_identifier=str((raw.get("_invoice") or {}).get("vat_number") or ""))
