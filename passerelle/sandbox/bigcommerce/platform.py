"""The BigCommerce sandbox behind the platform-neutral contract (``sandbox/platforms.py``)."""

from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path
from typing import Any

from passerelle.sandbox.kit import MerchantPlatform, start_under
from passerelle.sandbox.platforms import ViewCustomer, ViewOrder, ViewProduct

from .merchant import Merchant
from .orders import ORDER_STATUSES, PAID_STATUS_IDS
from .seed import PAYMENT_METHODS, SHIPPING_METHODS
from .server import BigCommerceSandbox

__all__ = ["BigCommercePlatform", "BigCommerceView", "start"]

TOKEN = "bc_demo_token"
TOKEN_ENV = "PASSERELLE_DEMO_BIGCOMMERCE_TOKEN"
# Where passerelle writes back what the merchant must see: a line of the customer's
# notes and of the order's staff notes (stated here, the sandbox reads no connector).
_ACCOUNT = re.compile(r"^Account code: (.*)$", re.MULTILINE)
_SALE = re.compile(r"^Back-office sale: (.*)$", re.MULTILINE)


def _line(pattern: re.Pattern[str], notes: str) -> str:
    found = pattern.search(notes or "")
    return found.group(1).strip() if found else ""


def _money(value: Any) -> Decimal | None:
    return None if value is None else Decimal(str(value)).quantize(Decimal("0.01"))


class BigCommerceView:
    """The store as a merchant reads it in the control panel."""

    def __init__(self, sandbox: BigCommerceSandbox) -> None:
        self.data = sandbox.data
        self.catalog = sandbox.catalog

    def _group_prices(self) -> dict[int, int]:
        """Price records by variant id, of the price lists assigned to a customer group
        (Price Lists: a list applies to the groups it is assigned to)."""
        assigned = {
            a["price_list_id"]
            for a in self.data.get("price_assignments", {}).values()
            if a.get("customer_group_id")
        }
        counts: dict[int, int] = {}
        for record in self.data.get("price_records", {}).values():
            if record["price_list_id"] in assigned:
                counts[record["variant_id"]] = counts.get(record["variant_id"], 0) + 1
        return counts

    def products(self) -> dict[str, ViewProduct]:
        out: dict[str, ViewProduct] = {}
        cats = self.data["categories"]
        groups = self._group_prices()
        brands = self.data.get("brands", {})
        images: dict[str, int] = {}
        for image in self.data.get("product_images", {}).values():
            images[str(image["product_id"])] = images.get(str(image["product_id"]), 0) + 1
        for raw in self.data["products"].values():
            product = self.catalog.render(raw, {"variants"})
            base = next((v for v in product["variants"] if not v["option_values"]), None)
            stock = product["inventory_level"] if product["inventory_tracking"] != "none" else None
            out[product["sku"]] = ViewProduct(
                sku=product["sku"],
                name=product["name"],
                price=_money(product["price"]),
                stock=stock,
                active=product["is_visible"],
                category_names=tuple(
                    cats[str(c)]["name"] for c in product["categories"] if str(c) in cats
                ),
                images=images.get(str(product["id"]), 0),
                brand=(brands.get(str(product.get("brand_id") or 0)) or {}).get("name", ""),
                group_prices=groups.get(base["id"], 0) if base else 0,
            )
            for variant in product["variants"]:
                if not variant["option_values"] or not variant["sku"]:
                    continue  # the base variant of a product without options
                out[variant["sku"]] = ViewProduct(
                    sku=variant["sku"],
                    name=product["name"],
                    price=_money(
                        variant["price"] if variant["price"] is not None else product["price"]
                    ),
                    stock=variant["inventory_level"]
                    if product["inventory_tracking"] == "variant"
                    else None,
                    active=not variant["purchasing_disabled"],
                    parent_sku=product["sku"],
                    images=1 if variant.get("image_url") else 0,
                    group_prices=groups.get(variant["id"], 0),
                )
        return out

    def category_names(self) -> set[str]:
        return {c["name"] for c in self.data["categories"].values()}

    def customers(self) -> dict[str, ViewCustomer]:
        return {
            c["email"].lower(): ViewCustomer(
                email=c["email"],
                first_name=c["first_name"],
                last_name=c["last_name"],
                account_code=_line(_ACCOUNT, c.get("notes") or ""),
            )
            for c in self.data["customers"].values()
        }

    def orders(self) -> dict[str, ViewOrder]:
        return {
            str(o["id"]): ViewOrder(
                order_id=str(o["id"]),
                total=(
                    Decimal(o["total_inc_tax"]) - Decimal(o["gift_certificate_amount"])
                ).quantize(Decimal("0.01")),
                currency=o["currency_code"],
                paid=o["status_id"] in PAID_STATUS_IDS and not o["is_deleted"],
                document_number=_line(_SALE, o.get("staff_notes") or ""),
            )
            for o in self.data["orders"].values()
        }


class BigCommercePlatform(MerchantPlatform[BigCommerceSandbox]):
    """Checkouts are ``POST /v2/orders`` (stock lowered as the inventory settings say);
    an order's state changes by status or by shipping everything left (``merchant``)."""

    kind = "bigcommerce"

    def __init__(self, sandbox: BigCommerceSandbox) -> None:
        super().__init__(sandbox)
        self.view = BigCommerceView(sandbox)
        self.merchant = Merchant(sandbox)

    def profile_shop(self) -> dict[str, Any]:
        return {
            "kind": "bigcommerce",
            "api_url": self.sandbox.url,
            "store_hash": self.sandbox.store_hash,
            "access_token": f"env:{TOKEN_ENV}",
            "http": self.http_options(),
        }

    def secrets(self) -> dict[str, str]:
        return {TOKEN_ENV: self.sandbox.token}

    def profile_orders(self) -> dict[str, Any]:
        """The demo profile's order values in BigCommerce's words: status names
        (``GET /v2/order_statuses``), payment method names, shipping method names."""
        status = ORDER_STATUSES
        journal = {
            "bacs": "WEB-TRANSFER",
            "cheque": "WEB-TRANSFER",
            "paypal": "WEB-PAYPAL",
            "cod": "WEB-COD",
        }
        payments: dict[str, Any] = {PAYMENT_METHODS[k]: {"journal": v} for k, v in journal.items()}
        payments[PAYMENT_METHODS["stripe"]] = {
            "journal": "WEB-CARD",
            "journals_by_currency": {"USD": "WEB-CARD-USD", "CAD": "WEB-CARD-CAD"},
        }
        payments[PAYMENT_METHODS["amazon_payments_advanced"]] = {
            "journal": "WEB-CARD",
            "account": "WEBAMAZON",
        }
        return {
            "statuses": {
                status[11]: "order",
                status[10]: "order",
                status[2]: "order",
                status[9]: "order",
                status[12]: "quotation",
            },
            "awaiting_payment_statuses": [status[7], status[1]],
            "payments": payments,
            "carriers": {SHIPPING_METHODS["flat_rate"]: "Colissimo"},
        }


def start(
    state_dir: Path, *, port: int = 0, plan: str | None = None, **options: Any
) -> BigCommercePlatform:
    """The store on ``plan`` (``wire.PLANS``), else on ``$PASSERELLE_SANDBOX_PLAN``, else
    on Standard (``passerelle.sandbox.platforms.chosen_plan``)."""
    sandbox = start_under(
        BigCommerceSandbox, state_dir, "bigcommerce", token=TOKEN, port=port, plan=plan, **options
    )
    return BigCommercePlatform(sandbox)
