"""The Magento sandbox behind the platform-neutral contract (``sandbox/platforms.py``).

The test hooks act as a buyer and a merchant would, through the sandbox's own REST
handlers (``MagentoSandbox.call``), so MSI's rules apply as they do in a store: a
guest checkout (``guest-carts`` … ``payment-information``) appends the
``order_placed`` reservation; invoicing, holding, shipping, cancelling and refunding
go through ``order/{id}/invoice``, ``orders/{id}/hold``, ``order/{id}/ship``,
``orders/{id}/cancel`` and ``order/{id}/refund``. A paid (invoiced) order cannot be
cancelled in Magento (``canCancel``): the merchant refunds it instead, returning the
goods to stock; an unpaid order has nothing to refund, so "refunded" cancels it. A held
order is released first, as the admin requires before any other action.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from pathlib import Path
from typing import Any

from passerelle.sandbox.kit import SandboxPlatform, start_under
from passerelle.sandbox.platforms import ViewCustomer, ViewOrder, ViewProduct

from .server import ACCOUNT_ATTRIBUTE, MagentoSandbox

__all__ = ["MagentoPlatform", "MagentoView", "start"]

TOKEN = "demo-integration-token"
TOKEN_ENV = "PASSERELLE_DEMO_MAGENTO_TOKEN"
_PAID_STATES = frozenset({"processing", "complete"})
# The order comment passerelle writes with the back-office sale number (stated here,
# the sandbox reads no connector).
NUMBER_PREFIX = "Back-office sale:"
# The guest buyer of the test hooks' checkouts (``quote-data-address-interface``).
_BUYER: dict[str, Any] = {
    "firstname": "Claire",
    "lastname": "Dubois",
    "street": ["3 place du Marché"],
    "city": "Lyon",
    "postcode": "69002",
    "country_id": "FR",
    "telephone": "04 72 00 00 00",
    "email": "claire.dubois@example.org",
}


def _custom(record: dict[str, Any], code: str) -> str:
    return next(
        (
            str(a.get("value") or "")
            for a in record.get("custom_attributes") or []
            if a.get("attribute_code") == code
        ),
        "",
    )


class MagentoView:
    def __init__(self, sandbox: MagentoSandbox) -> None:
        self.sandbox = sandbox

    def products(self) -> dict[str, ViewProduct]:
        data = self.sandbox.data
        parents = {child: parent for parent, kids in data["children"].items() for child in kids}
        names = {str(c["id"]): c["name"] for c in data["categories"].values()}
        out = {}
        for sku, product in data["products"].items():
            rendered = self.sandbox.catalog.render(product)
            stock_item = rendered["extension_attributes"].get("stock_item") or {}
            # Every answer carries a full stock item (the OpenAPI file requires it): a
            # stock is "known" when a quantity was saved, on the product or as a source item.
            saved = product["extension_attributes"].get("stock_item") or {}
            source = f"{self.sandbox.catalog.source_code}|{sku}"
            managed = stock_item.get("manage_stock", True) and (
                "qty" in saved or source in data["source_items"]
            )
            price = product.get("price")
            out[sku] = ViewProduct(
                sku=sku,
                name=product.get("name", ""),
                price=Decimal(str(price)) if price is not None else None,
                stock=int(self.sandbox.inventory.salable_quantity(sku)) if managed else None,
                active=product.get("status") == 1,
                parent_sku=parents.get(sku, ""),
                category_names=tuple(
                    names.get(str(link["category_id"]), "")
                    for link in product["extension_attributes"].get("category_links", [])
                ),
                # The gallery's shown entries; one tier price per customer group (a
                # core store holds no brand: brand stays "").
                images=sum(
                    1
                    for e in product.get("media_gallery_entries") or []
                    if e.get("media_type", "image") == "image" and not e.get("disabled")
                ),
                group_prices=len(product.get("tier_prices") or []),
            )
        return out

    def category_names(self) -> set[str]:
        return {c["name"] for c in self.sandbox.data["categories"].values()}

    def customers(self) -> dict[str, ViewCustomer]:
        return {
            c["email"].lower(): ViewCustomer(
                email=c["email"],
                first_name=c["firstname"],
                last_name=c["lastname"],
                account_code=_custom(c, ACCOUNT_ATTRIBUTE),
            )
            for c in self.sandbox.data["customers"].values()
        }

    def orders(self) -> dict[str, ViewOrder]:
        out = {}
        for order in self.sandbox.data["orders"].values():
            number = next(
                (
                    h["comment"][len(NUMBER_PREFIX) :].strip()
                    for h in order["status_histories"]
                    if h["comment"].startswith(NUMBER_PREFIX)
                ),
                "",
            )
            out[str(order["entity_id"])] = ViewOrder(
                order_id=str(order["entity_id"]),
                total=Decimal(str(order["grand_total"])),
                currency=order["order_currency_code"],
                paid=order["state"] in _PAID_STATES,
                document_number=number,
            )
        return out


class MagentoPlatform(SandboxPlatform[MagentoSandbox]):
    kind = "magento"

    def __init__(self, sandbox: MagentoSandbox) -> None:
        super().__init__(sandbox)
        self.view = MagentoView(sandbox)

    def profile_shop(self) -> dict[str, Any]:
        return {
            "kind": "magento",
            "url": self.sandbox.url,
            "access_token": f"env:{TOKEN_ENV}",
            "http": self.http_options(),
        }

    def secrets(self) -> dict[str, str]:
        return {TOKEN_ENV: TOKEN}

    # -- what buyers and the merchant do ------------------------------------------------
    def place_order(self, lines: Mapping[str, int], *, state: str = "paid") -> str:
        """A guest checkout paid by check (offline: the order stays ``new``/``pending``),
        then invoiced (``paid``) or held (``on_hold``)."""
        if state not in ("pending", "paid", "on_hold"):
            raise ValueError(f"unknown order state {state!r}")
        call = self.sandbox.call
        cart = call("POST", "guest-carts")
        for sku, quantity in lines.items():
            call(
                "POST",
                f"guest-carts/{cart}/items",
                {"cartItem": {"sku": sku, "qty": quantity, "quote_id": cart}},
            )
        call(
            "POST",
            f"guest-carts/{cart}/shipping-information",
            {
                "addressInformation": {
                    "shipping_address": _BUYER,
                    "billing_address": _BUYER,
                    "shipping_carrier_code": "flatrate",
                    "shipping_method_code": "flatrate",
                }
            },
        )
        order_id = str(
            call(
                "POST",
                f"guest-carts/{cart}/payment-information",
                {
                    "email": _BUYER["email"],
                    "paymentMethod": {"method": "checkmo"},
                    "billingAddress": _BUYER,
                },
            )
        )
        if state == "paid":
            call("POST", f"order/{order_id}/invoice", {"capture": True, "notify": False})
        elif state == "on_hold":
            call("POST", f"orders/{order_id}/hold")
        return order_id

    def set_order_state(self, order_id: str, state: str) -> None:
        call = self.sandbox.call
        order = self.sandbox.sales.get_order(order_id)
        if order["state"] == "holded" and state != "on_hold":
            call("POST", f"orders/{order_id}/unhold")
        paid = bool(order.get("total_paid"))
        if state == "paid":
            if not paid:
                call("POST", f"order/{order_id}/invoice", {"capture": True})
        elif state == "on_hold":
            call("POST", f"orders/{order_id}/hold")
        elif state == "shipped":
            call("POST", f"order/{order_id}/ship", {"notify": False})
            if not paid:
                call("POST", f"order/{order_id}/invoice", {"capture": True})
        elif state in ("cancelled", "refunded"):
            if not (paid or call("POST", f"orders/{order_id}/cancel")):
                raise ValueError(f"order {order_id} can no longer be cancelled")
            if paid:
                items = [i["item_id"] for i in order["items"]]
                call(
                    "POST",
                    f"order/{order_id}/refund",
                    {
                        "notify": False,
                        "arguments": {"extension_attributes": {"return_to_stock_items": items}},
                    },
                )
        else:
            raise ValueError(f"unknown order state {state!r}")

    def delete_product(self, sku: str) -> None:
        self.sandbox.call("DELETE", f"products/{sku}")

    def profile_orders(self) -> dict[str, Any]:
        """Magento's statuses, payment codes and shipping method for the demo's mappings."""
        return {
            "statuses": {"processing": "order", "complete": "order", "holded": "quotation"},
            "awaiting_payment_statuses": ["pending", "pending_payment"],
            "carriers": {"flatrate_flatrate": "Colissimo"},
            "payments": {
                "banktransfer": {"journal": "WEB-TRANSFER"},
                "checkmo": {"journal": "WEB-TRANSFER"},
                "paypal_express": {"journal": "WEB-PAYPAL"},
                "cashondelivery": {"journal": "WEB-COD"},
                "stripe_payments": {
                    "journal": "WEB-CARD",
                    "journals_by_currency": {"USD": "WEB-CARD-USD", "CAD": "WEB-CARD-CAD"},
                },
                "amazon": {
                    "journal": "WEB-CARD",
                    "account": "WEBAMAZON",
                    "aliases": ["amazon_payment_v2"],
                },
            },
        }


def start(state_dir: Path, *, port: int = 0, **options: Any) -> MagentoPlatform:
    sandbox = start_under(MagentoSandbox, state_dir, "magento", token=TOKEN, port=port, **options)
    return MagentoPlatform(sandbox)
