"""The Wix sandbox behind the platform-neutral contract (``sandbox/platforms.py``).

``start(state_dir, catalog="v3")`` is ready for a registration naming
``passerelle.sandbox.wix.platform:start``. A buyer's checkout (``place_order``) is an order
as the storefront makes it (``Orders.place``: approved, the tracked stock lowered, the
``order_created`` webhook); the merchant's clicks go through the API's own handlers
(mark as paid, cancel, a fulfillment of everything, delete the product).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from decimal import Decimal
from pathlib import Path
from typing import Any

from passerelle.demo_orders import DemoAddress
from passerelle.sandbox.kit import SandboxPlatform, start_under
from passerelle.sandbox.platforms import ShopSandbox, ViewCustomer, ViewOrder, ViewProduct

from .order_shape import Line, order_record
from .seed import PAYMENT_METHODS
from .server import WixSandbox
from .transactions import Payment

__all__ = ["WixPlatform", "WixView", "start"]

API_KEY = "wix_demo_api_key"
#: The contacts' custom field holding the back-office account code (passerelle's name).
ACCOUNT_CODE = "Account code"
KEY_ENV = "PASSERELLE_DEMO_WIX_API_KEY"
_BUYER = DemoAddress("Camille", "Martin", "12 rue des Lilas", "69003", "Lyon", "FR")
_EMAIL = "camille.martin@example.org"


def _amount(value: Any) -> Decimal:
    return Decimal(str(value)).quantize(Decimal("0.01"))


_SALE = re.compile(r"^Back-office sale: (.*)$")


def _sale_number(order: dict[str, Any]) -> str:
    comments = [
        str((a.get("merchantComment") or {}).get("message") or "")
        for a in order.get("activities") or []
    ]
    found = [m.group(1).strip() for m in map(_SALE.match, comments) if m]
    return found[-1] if found else ""


class WixView:
    """The site as a merchant reads it in the dashboard, whichever catalog it runs."""

    def __init__(self, sandbox: WixSandbox) -> None:
        self.sandbox = sandbox

    def products(self) -> dict[str, ViewProduct]:
        if self.sandbox.catalog == "v1":
            return self._v1()
        out: dict[str, ViewProduct] = {}
        inventory = self.sandbox.inventory_v3
        for product in self.sandbox.data["products"].values():
            for variant in product["variantsInfo"]["variants"]:
                item = inventory.of_variant(variant["id"])
                tracked = item is not None and item["trackQuantity"]
                out[variant["sku"]] = ViewProduct(
                    sku=variant["sku"],
                    name=product["name"],
                    price=_amount(variant["price"]["actualPrice"]["amount"]),
                    stock=int(item["quantity"]) if tracked and item else None,
                    active=bool(product["visible"] and variant["visible"]),
                    category_names=self.sandbox.categories.names_of(product["id"]),
                )
        return out

    def _v1(self) -> dict[str, ViewProduct]:
        out: dict[str, ViewProduct] = {}
        for product in self.sandbox.data["products"].values():
            inventory = product["inventory"]
            tracked = inventory["trackQuantity"]
            levels = inventory["variants"]
            out[product["sku"]] = ViewProduct(
                sku=product["sku"],
                name=product["name"],
                price=_amount(product["priceData"]["price"]),
                stock=sum(int(v["quantity"]) for v in levels.values()) if tracked else None,
                active=bool(product["visible"]),
                category_names=self.sandbox.collections.names_of(product["id"]),
            )
            for variant in product["variants"]:
                if variant["choices"] and variant["variant"].get("sku"):
                    out[variant["variant"]["sku"]] = ViewProduct(
                        sku=variant["variant"]["sku"],
                        name=product["name"],
                        price=_amount(variant["variant"]["priceData"]["price"]),
                        stock=int(levels[variant["id"]]["quantity"]) if tracked else None,
                        active=bool(variant["variant"].get("visible", True)),
                        parent_sku=product["sku"],
                    )
        return out

    def category_names(self) -> set[str]:
        groups = self.sandbox.data["categories" if self.sandbox.catalog == "v3" else "collections"]
        return {g["name"] for g in groups.values()}

    def customers(self) -> dict[str, ViewCustomer]:
        """The contacts; the account code is the custom field the dashboard shows as
        ``Account code`` (where passerelle writes it)."""
        fields = self.sandbox.data.get("extended_fields") or {}
        code_key = next((k for k, f in fields.items() if f["displayName"] == ACCOUNT_CODE), "")
        out = {}
        for contact in self.sandbox.data["contacts"].values():
            emails = (contact["info"].get("emails") or {}).get("items") or []
            if not emails:
                continue
            name = contact["info"].get("name") or {}
            values = (contact["info"].get("extendedFields") or {}).get("items") or {}
            out[emails[0]["email"].lower()] = ViewCustomer(
                email=emails[0]["email"],
                first_name=name.get("first", ""),
                last_name=name.get("last", ""),
                account_code=str(values.get(code_key, "")) if code_key else "",
            )
        return out

    def orders(self) -> dict[str, ViewOrder]:
        """The orders; the back-office sale number is the last merchant comment
        ``Back-office sale: <number>`` in the order's activities (where passerelle puts it)."""
        return {
            o["id"]: ViewOrder(
                order_id=o["id"],
                total=_amount(o["priceSummary"]["total"]["amount"]),
                currency=o["currency"],
                paid=o["paymentStatus"] == "PAID"
                and o["status"] != "CANCELED"
                and not o["archived"],
                document_number=_sale_number(o),
            )
            for o in self.sandbox.data["orders"].values()
        }


class WixPlatform(SandboxPlatform[WixSandbox]):
    kind = "wix"

    def __init__(self, sandbox: WixSandbox) -> None:
        super().__init__(sandbox)
        self.view = WixView(sandbox)

    def profile_shop(self) -> dict[str, Any]:
        return {
            "kind": "wix",
            "api_url": self.sandbox.url,
            "site_id": self.sandbox.site_id,
            "api_key": f"env:{KEY_ENV}",
            "http": self.http_options(),
        }

    def secrets(self) -> dict[str, str]:
        return {KEY_ENV: self.sandbox.api_key}

    def profile_orders(self) -> dict[str, Any]:
        """The demo profile's order values in Wix's words: payment statuses (the
        connector's ``shop_status``) and the payment methods the site's transactions name."""
        journals = {
            "stripe": {
                "journal": "WEB-CARD",
                "journals_by_currency": {"USD": "WEB-CARD-USD", "CAD": "WEB-CARD-CAD"},
            },
            "paypal": {"journal": "WEB-PAYPAL"},
            "amazon_payments_advanced": {"journal": "WEB-CARD", "account": "WEBAMAZON"},
            "bacs": {"journal": "WEB-TRANSFER"},
            "cheque": {"journal": "WEB-TRANSFER"},
            "cod": {"journal": "WEB-COD"},
        }
        return {
            "statuses": {"PAID": "order"},
            "awaiting_payment_statuses": ["NOT_PAID", "PENDING"],
            "shipments": {"status": ""},  # a shipment fulfils the order (no status to set)
            "payments": {PAYMENT_METHODS[k][0]: v for k, v in journals.items()},
        }

    def _line(self, sku: str, quantity: int) -> Line:
        data, v3 = self.sandbox.data, self.sandbox.catalog == "v3"
        for product in data["products"].values():
            if v3:
                for variant in product["variantsInfo"]["variants"]:
                    if variant["sku"] == sku:
                        price = Decimal(variant["price"]["actualPrice"]["amount"])
                        return self._priced(
                            product["id"], variant["id"], product["name"], sku, quantity, price
                        )
            else:
                for variant in product["variants"]:
                    if sku in (variant["variant"].get("sku"), product["sku"]) and (
                        variant["choices"] or product["sku"] == sku
                    ):
                        price = Decimal(str(variant["variant"]["priceData"]["price"]))
                        return self._priced(
                            product["id"], variant["id"], product["name"], sku, quantity, price
                        )
        raise KeyError(f"no product or variant has the SKU {sku!r}")

    @staticmethod
    def _priced(pid: str, vid: str, name: str, sku: str, quantity: int, price: Decimal) -> Line:
        total = (price * quantity).quantize(Decimal("0.01"))
        return Line(
            pid,
            vid,
            name,
            sku,
            quantity,
            total,
            (total * Decimal("0.2")).quantize(Decimal("0.01")),
            Decimal(20),
        )

    def _available(self, line: Line) -> int | None:
        """The tracked quantity a buyer may take, None when the item is not tracked."""
        if self.sandbox.catalog == "v3":
            item = self.sandbox.inventory_v3.of_variant(line.variant_id)
            return int(item["quantity"]) if item and item["trackQuantity"] else None
        inventory = self.sandbox.data["products"][line.catalog_item_id]["inventory"]
        level = inventory["variants"][line.variant_id]
        return int(level["quantity"]) if inventory["trackQuantity"] else None

    def place_order(self, lines: Mapping[str, int], *, state: str = "paid") -> str:
        """A storefront checkout; like the storefront, it cannot take more than a tracked
        item's quantity (out of stock at 0: "About the Inventory API", track modes)."""
        if state not in ("pending", "paid", "on_hold"):
            raise ValueError(f"a checkout ends pending, paid or on hold, not {state!r}")
        box = self.sandbox
        with box.state.lock:
            built = [(box.state.new_id("line"), self._line(s, int(q))) for s, q in lines.items()]
            for _, line in built:
                available = self._available(line)
                if available is not None and line.quantity > available:
                    raise ValueError(f"only {available} of {line.sku} in stock")
            contact = box.contacts.by_email(_EMAIL)
            order = order_record(
                order_id=box.state.new_id("order"),
                number=box.state.next_number("order", 10_001),
                created=box.state.now(),
                lines=built,
                buyer={"email": _EMAIL, **({"contactId": contact["id"]} if contact else {})},
                billing=_BUYER,
                shipping=_BUYER,
                payment_status="PAID" if state == "paid" else "NOT_PAID",
            )
            number = order["number"]
            paid = Payment("Stripe", f"pi_sandbox{number}") if state == "paid" else None
            box.transactions.record(order, paid or Payment("Bank Transfer", offline=True))
            box.orders.place(order)
            box.state.dirty()
        box.state.flush()
        return str(order["id"])

    def set_order_state(self, order_id: str, state: str) -> None:
        box = self.sandbox
        if state == "paid":
            box.call("POST", "/ecom/v1/bulk/orders/mark-as-paid", {"orderIds": [order_id]})
        elif state == "cancelled":
            box.call("POST", f"/ecom/v1/orders/{order_id}/cancel", {"restockAllItems": True})
        elif state == "shipped":
            order = box.data["orders"][order_id]
            items = [{"id": li["id"], "quantity": li["quantity"]} for li in order["lineItems"]]
            box.call(
                "POST",
                f"/ecom/v1/fulfillments/orders/{order_id}/create-fulfillment",
                {
                    "fulfillment": {
                        "lineItems": items,
                        "trackingInfo": {
                            "trackingNumber": f"SANDBOX{order['number']}",
                            "shippingProvider": "other",
                        },
                    }
                },
            )
        else:
            raise ValueError(f"order state {state!r} is not modelled by the Wix sandbox")

    def delete_product(self, sku: str) -> None:
        """The product carrying ``sku`` goes; on V3, a variant of a product with others
        goes alone (an update of the product without it)."""
        line = self._line(sku, 1)
        version = "v3" if self.sandbox.catalog == "v3" else "v1"
        path = f"/stores/{version}/products/{line.catalog_item_id}"
        product = self.sandbox.data["products"][line.catalog_item_id]
        variants = product.get("variantsInfo", {}).get("variants", [])
        if version == "v3" and len(variants) > 1:
            kept = [v for v in variants if v["id"] != line.variant_id]
            body = {"revision": product["revision"], "variantsInfo": {"variants": kept}}
            self.sandbox.call("PATCH", path, {"product": body})
        else:
            self.sandbox.call("DELETE", path)


def start(state_dir: Path, *, port: int = 0, catalog: str = "v3", **options: Any) -> WixPlatform:
    """The site, on Catalog V3 (a new site's) or V1 (``catalog="v1"``), seeded."""
    sandbox = start_under(
        WixSandbox, state_dir, "wix", api_key=API_KEY, port=port, catalog=catalog, **options
    )
    platform = WixPlatform(sandbox)
    _contract: ShopSandbox = platform  # mypy checks the platform-neutral contract here
    return platform
