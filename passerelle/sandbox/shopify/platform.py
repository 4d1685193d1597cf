"""The Shopify sandbox behind the platform-neutral contract (``sandbox/platforms.py``)."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

from passerelle.sandbox.kit import MerchantPlatform, start_under
from passerelle.sandbox.platforms import ViewCustomer, ViewOrder, ViewProduct
from passerelle.sandbox.shopify.inventory import quantity
from passerelle.sandbox.shopify.merchant import Merchant
from passerelle.sandbox.shopify.server import ShopifySandbox

__all__ = ["ShopifyPlatform", "ShopifyView", "start"]

TOKEN = "shpat_demo"
TOKEN_ENV = "PASSERELLE_DEMO_SHOPIFY_TOKEN"


def _own_sku(product: dict[str, Any]) -> str:
    """A product's own code: Shopify keeps SKUs on variants, so the one passerelle wrote
    in the ``passerelle.sku`` metafield, else the product's handle."""
    found = (product.get("metafields") or {}).get("passerelle.sku")
    return str(found["value"]) if found else str(product["handle"])


def gift_cards_paid(order: dict[str, Any]) -> Decimal:
    """What gift cards paid of ``order``: Shopify counts them in the order's total (a
    payment, objects/OrderTransaction gateway ``gift_card``), the merchant's view of
    what the buyer owes, like WooCommerce's order total, is after them."""
    return sum(
        (
            Decimal(t["amount"])
            for t in order.get("transactions", [])
            if t["gateway"] == "gift_card" and t["status"] == "SUCCESS"
        ),
        Decimal(0),
    )


class ShopifyView:
    def __init__(self, sandbox: ShopifySandbox) -> None:
        self.sandbox = sandbox

    @property
    def state(self) -> dict[str, Any]:
        return self.sandbox.state

    def products(self) -> dict[str, ViewProduct]:
        out: dict[str, ViewProduct] = {}
        s = self.state
        for p in s["products"].values():
            names = tuple(
                s["collections"][str(c)]["title"]
                for c in p["collections"]
                if str(c) in s["collections"]
            )
            simple = p["options"] == [{"name": "Title", "values": ["Default Title"]}]
            for vid in p["variants"]:
                v = s["variants"][str(vid)]
                item = s["inventory_items"][str(v["inventory_item_id"])]
                if not item.get("sku"):
                    continue
                stock = (
                    sum(quantity(q, "available") for q in item["levels"].values())
                    if item.get("tracked", True)
                    else None
                )  # what is offered: available
                out[item["sku"]] = ViewProduct(
                    sku=item["sku"],
                    name=p["title"],
                    price=Decimal(v["price"]),
                    stock=stock,
                    active=p["status"] == "ACTIVE",
                    category_names=names,
                    parent_sku="" if simple else _own_sku(p),
                    # A simple product's media are its own; a variant shows the one it
                    # is given. No customer-group prices in Shopify (group_prices 0).
                    images=len(p.get("media") or []) if simple else len(v.get("media") or []),
                    brand=p.get("vendor") or "",
                )
        return out

    def category_names(self) -> set[str]:
        return {c["title"] for c in self.state["collections"].values()}

    def customers(self) -> dict[str, ViewCustomer]:
        return {
            c["email"].lower(): ViewCustomer(
                email=c["email"],
                first_name=c.get("firstName") or "",
                last_name=c.get("lastName") or "",
                account_code=(c.get("metafields", {}).get("passerelle.account_code") or {}).get(
                    "value", ""
                ),
            )
            for c in self.state["customers"].values()
            if c.get("email")
        }

    def orders(self) -> dict[str, ViewOrder]:
        return {
            str(o["id"]): ViewOrder(
                order_id=str(o["id"]),
                total=Decimal(o["total"]) - gift_cards_paid(o),
                currency=o["currencyCode"],
                paid=o["displayFinancialStatus"] == "PAID" and not o["cancelledAt"],
                document_number=(o.get("metafields", {}).get("passerelle.sale_number") or {}).get(
                    "value", ""
                ),
            )
            for o in self.state["orders"].values()
        }


class ShopifyPlatform(MerchantPlatform[ShopifySandbox]):
    kind = "shopify"

    def __init__(self, sandbox: ShopifySandbox) -> None:
        super().__init__(sandbox)
        self.view = ShopifyView(sandbox)
        self.merchant = Merchant(sandbox)

    def profile_shop(self) -> dict[str, Any]:
        return {
            "kind": "shopify",
            "url": self.sandbox.url,
            "access_token": f"env:{TOKEN_ENV}",
            "api_version": "2026-01",
            "http": self.http_options(),
        }

    def secrets(self) -> dict[str, str]:
        return {TOKEN_ENV: TOKEN}

    def profile_orders(self) -> dict[str, Any]:
        """Shopify's financial statuses (the connector's ``shop_status``)."""
        return {
            "statuses": {"paid": "order", "partially_refunded": "order"},
            "awaiting_payment_statuses": ["pending", "authorized", "partially_paid"],
        }


def start(
    state_dir: Path, *, port: int = 0, plan: str | None = None, **options: Any
) -> ShopifyPlatform:
    """The shop on ``plan`` (``cost.PLANS``), else on ``$PASSERELLE_SANDBOX_PLAN``, else
    on Standard (``passerelle.sandbox.platforms.chosen_plan``)."""
    sandbox = start_under(
        ShopifySandbox, state_dir, "shopify", access_token=TOKEN, port=port, plan=plan, **options
    )
    return ShopifyPlatform(sandbox)
