"""The WooCommerce sandbox behind the platform-neutral contract (``sandbox/platforms.py``)."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

from passerelle.sandbox.kit import MerchantPlatform, start_under
from passerelle.sandbox.platforms import ViewCustomer, ViewOrder, ViewProduct
from passerelle.sandbox.woocommerce.server import WooSandbox
from passerelle.sandbox.woocommerce.shop_actions import ShopActions

__all__ = ["WooCommerceView", "WooPlatform", "start"]

KEY, SECRET = "ck_demo", "cs_demo"
# The demo profile's references (passerelle.demo), so a demo profile is the same either way.
KEY_ENV, SECRET_ENV = "PASSERELLE_DEMO_CONSUMER_KEY", "PASSERELLE_DEMO_CONSUMER_SECRET"
_PAID = frozenset({"processing", "completed"})
# Where passerelle writes back what the merchant must see, as a merchant finds it in
# the shop (the meta keys the connector uses; stated here, the sandbox reads no connector).
ACCOUNT_META_KEY = "passerelle_account_code"
NUMBER_META_KEY = "_passerelle_document_number"
# The customer-group prices (a list of {"group", "price"}) and the brand, a visible
# local attribute, where the connector keeps them (passerelle.platforms.woocommerce_supports).
GROUP_PRICES_META_KEY = "passerelle_group_prices"
BRAND_ATTRIBUTE = "Brand"


def _meta(record: dict[str, Any], key: str) -> str:
    return next((str(m["value"]) for m in record.get("meta_data", []) if m["key"] == key), "")


def _group_prices(record: dict[str, Any]) -> int:
    found = next(
        (m["value"] for m in record.get("meta_data", []) if m["key"] == GROUP_PRICES_META_KEY),
        None,
    )
    return len(found) if isinstance(found, list) else 0


def _brand(product: dict[str, Any]) -> str:
    for attribute in product.get("attributes") or []:
        if attribute.get("name") == BRAND_ATTRIBUTE and attribute.get("options"):
            return str(attribute["options"][0])
    return ""


def _money(value: str) -> Decimal | None:
    return Decimal(value) if value not in ("", None) else None


class WooCommerceView:
    def __init__(self, sandbox: WooSandbox) -> None:
        self.data = sandbox.data

    def products(self) -> dict[str, ViewProduct]:
        """Variations are named as WooCommerce answers them (their attribute values);
        a variation's stock is its own when it manages stock, else its parent's."""
        out: dict[str, ViewProduct] = {}
        for product in self.data.products.values():
            if product["status"] == "trash" or not product["sku"]:
                continue
            out[product["sku"]] = ViewProduct(
                sku=product["sku"],
                name=product["name"],
                price=_money(product["price"]),
                stock=product["stock_quantity"],
                active=product["status"] == "publish",
                category_names=tuple(c["name"] for c in product["categories"]),
                images=len(product.get("images") or []),
                brand=_brand(product),
                group_prices=_group_prices(product),
            )
            for variation_id in product["variations"]:
                variation = self.data.variations[variation_id]
                own = variation["manage_stock"] is True
                out[variation["sku"]] = ViewProduct(
                    sku=variation["sku"],
                    name=variation["name"],
                    price=_money(variation["price"]),
                    stock=variation["stock_quantity"] if own else product["stock_quantity"],
                    active=variation["status"] == "publish",
                    parent_sku=product["sku"],
                    images=1 if variation.get("image") else 0,  # one image a variation
                    group_prices=_group_prices(variation),
                )
        return out

    def category_names(self) -> set[str]:
        return {c["name"] for c in self.data.categories.values()}

    def customers(self) -> dict[str, ViewCustomer]:
        return {
            c["email"].lower(): ViewCustomer(
                email=c["email"],
                first_name=c["first_name"],
                last_name=c["last_name"],
                account_code=_meta(c, ACCOUNT_META_KEY),
            )
            for c in self.data.customers.values()
        }

    def orders(self) -> dict[str, ViewOrder]:
        return {
            str(o["id"]): ViewOrder(
                order_id=str(o["id"]),
                total=Decimal(o["total"]),
                currency=o["currency"],
                paid=o["status"] in _PAID,
                document_number=_meta(o, NUMBER_META_KEY),
            )
            for o in self.data.orders.values()
        }


class WooPlatform(MerchantPlatform[WooSandbox]):
    """A started WooCommerce sandbox, as the demo and the conformance suite use it."""

    kind = "woocommerce"

    def __init__(self, sandbox: WooSandbox) -> None:
        super().__init__(sandbox)
        self.view = WooCommerceView(sandbox)
        # Storefront checkouts (stock taken unless pending) and order actions.
        self.merchant = self.actions = ShopActions(sandbox)

    def profile_shop(self) -> dict[str, Any]:
        return {
            "kind": "woocommerce",
            "url": self.sandbox.url,
            "consumer_key": f"env:{KEY_ENV}",
            "consumer_secret": f"env:{SECRET_ENV}",
            "http": self.http_options(),
        }

    def secrets(self) -> dict[str, str]:
        return {KEY_ENV: KEY, SECRET_ENV: SECRET}

    def profile_orders(self) -> dict[str, Any]:
        return {}  # the demo profile speaks WooCommerce already


def start(state_dir: Path, *, port: int = 0, **options: Any) -> WooPlatform:
    sandbox = start_under(
        WooSandbox,
        state_dir,
        "woocommerce",
        consumer_key=KEY,
        consumer_secret=SECRET,
        port=port,
        **options,
    )
    return WooPlatform(sandbox)
