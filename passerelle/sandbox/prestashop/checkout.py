"""What a buyer's checkout and a merchant's refund do in PrestaShop, outside the Webservice.

The storefront's checkout is ``PaymentModule::validateOrder``
(``classes/PaymentModule.php``): it writes the order and its
``order_details`` (``OrderDetail::createList``, whose ``checkProductStock``
lowers each line's ``quantity``, see :mod:`.stock`), then gives the order
its first state with an ``OrderHistory``. The storefront refuses a cart
line beyond the quantity offered when the product denies orders out of
stock (``out_of_stock`` 0, or 2 with ``PS_ORDER_OUT_OF_STOCK`` 0, the
default), so :func:`place_order` does too.

A refund with "re-stock products" ticked (``AdminOrdersController``
``reinjectQuantity``; the order page's refund in 1.7.7+ and 8) marks each
line refunded and re-injected and gives its units back to ``quantity``; the
"Refunded" state follows. Both state changes here go through the sandbox's
own Webservice (a POST to ``order_histories``), as the back-office's do
through ``OrderHistory::changeIdOrderState``.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from . import stock
from .engine import Engine, now_text
from .webservice import Webservice

__all__ = ["CartLine", "find_sku", "place_order", "post_state", "refund_with_restock"]

CENT = Decimal("0.01")
CartLine = tuple[dict[str, Any], dict[str, Any] | None, int]  # product, combination, units


def find_sku(engine: Engine, sku: str) -> tuple[dict[str, Any], dict[str, Any] | None]:
    """The product, and the combination when ``sku`` is a combination's reference."""
    for combo in engine.data["combinations"].values():
        if combo["reference"] == sku:
            return engine.data["products"][int(combo["id_product"])], combo
    for product in engine.data["products"].values():
        if product["reference"] == sku:
            return product, None
    raise KeyError(f"no product or combination has the reference {sku!r}")


def post_state(webservice: Webservice, order_id: str, state_id: str) -> None:
    """A POST to ``order_histories``, as the back-office's order page makes it."""
    body = (
        f"<prestashop><order_history><id_order>{order_id}</id_order>"
        f"<id_order_state>{state_id}</id_order_state><id_employee>1</id_employee>"
        "</order_history></prestashop>"
    ).encode()
    webservice.answer("POST", ["order_histories"], {}, body, True, "")


def _tax_rate(engine: Engine, group_id: str) -> tuple[Decimal, str]:
    for rule in engine.data["tax_rules"].values():
        if str(rule["id_tax_rules_group"]) == str(group_id):
            tax = engine.data["taxes"].get(int(rule["id_tax"] or 0))
            if tax is not None:
                return Decimal(tax["rate"]), str(tax["name"].get("1", ""))
    return Decimal(0), ""


def _unit_price(engine: Engine, product: dict[str, Any], combo: dict[str, Any] | None) -> Decimal:
    """Price excluding tax, less the sale price's amount for everyone (specific price)."""
    price = Decimal(product["price"] or 0) + Decimal((combo or {}).get("price") or 0)
    attribute = str(combo["id"]) if combo else "0"
    for rule in engine.data["specific_prices"].values():
        if (
            str(rule["id_product"]) == str(product["id"])
            and str(rule.get("id_product_attribute") or "0") in (attribute, "0")
            and rule.get("reduction_type") == "amount"
            and str(rule.get("price")) in ("-1", "-1.000000")
        ):
            price -= Decimal(rule["reduction"] or 0)
    return price


def _check_offered(engine: Engine, lines: list[CartLine]) -> None:
    deny_by_default = stock.config(engine, "PS_ORDER_OUT_OF_STOCK") != "1"
    for product, combo, units in lines:
        found = stock.row(engine, str(product["id"]), str(combo["id"]) if combo else "0")
        if found is None:
            continue
        policy = str(found.get("out_of_stock") or "2")
        denies = policy == "0" or (policy == "2" and deny_by_default)
        if denies and int(found["quantity"] or 0) < units:
            sku = (combo or product)["reference"]
            raise ValueError(f"{sku}: only {found['quantity']} offered, {units} ordered")


def place_order(
    engine: Engine,
    webservice: Webservice,
    lines: Mapping[str, int],
    state_id: str,
    module: tuple[str, str],
) -> str:
    """validateOrder for the first customer with an address: order, lines, stock, state."""
    with engine.lock:
        wanted = [(*find_sku(engine, sku), int(units)) for sku, units in lines.items()]
        _check_offered(engine, wanted)
        customer = next(
            c
            for c in engine.data["customers"].values()
            if c["is_guest"] == "0"
            and c["deleted"] == "0"
            and any(
                str(a["id_customer"]) == str(c["id"]) for a in engine.data["addresses"].values()
            )
        )
        address = next(
            a
            for a in engine.data["addresses"].values()
            if str(a["id_customer"]) == str(customer["id"])
        )
        rows = []
        for product, combo, units in wanted:
            rate, tax_name = _tax_rate(engine, product["id_tax_rules_group"])
            unit = _unit_price(engine, product, combo)
            excl = (unit * units).quantize(CENT, ROUND_HALF_UP)
            incl = (unit * units * (1 + rate / 100)).quantize(CENT, ROUND_HALF_UP)
            rows.append((product, combo, units, unit, excl, incl, rate, tax_name))
        excl_total = sum((r[4] for r in rows), Decimal(0))
        incl_total = sum((r[5] for r in rows), Decimal(0))
        # validateOrder records what the payment module took (OrderPayment, total_paid_real).
        paid = (
            incl_total if engine.get("order_states", int(state_id))["paid"] == "1" else Decimal(0)
        )
        order = engine.insert(
            "orders",
            {
                "id_address_delivery": str(address["id"]),
                "id_address_invoice": str(address["id"]),
                "id_cart": str(engine.sequences["orders"] + 1),
                "id_currency": "1",
                "id_lang": "1",
                "id_customer": str(customer["id"]),
                "id_carrier": str(min(engine.data["carriers"], default=0)),
                "current_state": "0",
                "module": module[0],
                "payment": module[1],
                "valid": "0",
                "id_shop_group": "1",
                "id_shop": "1",
                "secure_key": customer["secure_key"],
                "total_discounts": "0.000000",
                "total_discounts_tax_incl": "0.000000",
                "total_discounts_tax_excl": "0.000000",
                "total_paid": f"{incl_total:.6f}",
                "total_paid_tax_incl": f"{incl_total:.6f}",
                "total_paid_tax_excl": f"{excl_total:.6f}",
                "total_paid_real": f"{paid:.6f}",
                "total_products": f"{excl_total:.6f}",
                "total_products_wt": f"{incl_total:.6f}",
                "total_shipping": "0.000000",
                "total_shipping_tax_incl": "0.000000",
                "total_shipping_tax_excl": "0.000000",
                "carrier_tax_rate": "0.000",
                "total_wrapping": "0.000000",
                "total_wrapping_tax_incl": "0.000000",
                "total_wrapping_tax_excl": "0.000000",
                "round_mode": "2",
                "round_type": "1",
                "conversion_rate": "1.000000",
                "reference": f"WEB{engine.sequences['orders'] + 1:06d}",
                "date_add": now_text(),
                "invoice_number": "0",
                "delivery_number": "0",
                "gift": "0",
                "recyclable": "0",
            },
        )
        order_rows = []
        for product, combo, units, unit, excl, incl, rate, tax_name in rows:
            detail = engine.insert(
                "order_details",
                {
                    "id_order": str(order["id"]),
                    "product_id": str(product["id"]),
                    "product_attribute_id": str(combo["id"]) if combo else "0",
                    "product_name": str(product["name"].get("1", "")),
                    "product_reference": (combo or product)["reference"],
                    "product_quantity": str(units),
                    "product_quantity_refunded": "0",
                    "product_quantity_reinjected": "0",
                    "product_price": f"{unit:.6f}",
                    "unit_price_tax_excl": f"{unit:.6f}",
                    "unit_price_tax_incl": f"{unit * (1 + rate / 100):.6f}",
                    "total_price_tax_excl": f"{excl:.6f}",
                    "total_price_tax_incl": f"{incl:.6f}",
                    "tax_rate": f"{rate:.3f}",
                    "tax_name": tax_name,
                    "id_shop": "1",
                    "id_tax_rules_group": str(product["id_tax_rules_group"]),
                },
            )
            order_rows.append(
                {
                    "id": str(detail["id"]),
                    "product_id": detail["product_id"],
                    "product_attribute_id": detail["product_attribute_id"],
                    "product_quantity": str(units),
                    "product_reference": detail["product_reference"],
                }
            )
            if state_id not in stock.error_or_cancelled(engine):  # checkProductStock
                stock.update_quantity(
                    engine, detail["product_id"], detail["product_attribute_id"], -units
                )
        order["associations"]["order_rows"] = order_rows
    post_state(webservice, str(order["id"]), state_id)
    return str(order["id"])


def refund_with_restock(engine: Engine, webservice: Webservice, order_id: str) -> None:
    """Every line refunded and re-injected (``reinjectQuantity``), then "Refunded"."""
    with engine.lock:
        order = engine.get("orders", int(order_id))
        given_back = str(order["current_state"]) in stock.error_or_cancelled(engine)
        for detail in stock.details(engine, order_id):
            left = int(detail["product_quantity"] or 0) - int(
                detail.get("product_quantity_reinjected") or 0
            )
            detail["product_quantity_refunded"] = detail["product_quantity"]
            detail["product_quantity_reinjected"] = detail["product_quantity"]
            if left > 0 and not given_back:
                stock.update_quantity(
                    engine, str(detail["product_id"]), str(detail["product_attribute_id"]), left
                )
    post_state(webservice, order_id, stock.config(engine, "PS_OS_REFUND"))
