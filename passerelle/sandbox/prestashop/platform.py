"""The PrestaShop sandbox behind the platform-neutral contract (``sandbox/platforms.py``)."""

from __future__ import annotations

import re
from collections.abc import Mapping
from decimal import Decimal
from pathlib import Path
from typing import Any

from passerelle.sandbox.kit import SandboxPlatform, start_under
from passerelle.sandbox.platforms import ViewCustomer, ViewOrder, ViewProduct

from . import checkout, stock
from .seed import STATES
from .server import DEMO_KEY, PrestaShopSandbox

__all__ = ["PrestaShopPlatform", "PrestaShopView", "start"]

KEY_ENV = "PASSERELLE_DEMO_PRESTASHOP_KEY"
# place_order's states: the payment module a buyer chose and the state it gives the order.
CHECKOUTS = {
    "paid": (("stripe_official", "Carte bancaire"), "PS_OS_PAYMENT"),
    "pending": (("ps_checkpayment", "Chèque"), "PS_OS_CHEQUE"),
    "on_hold": (("ps_wirepayment", "Virement bancaire"), "PS_OS_BANKWIRE"),
}
# set_order_state's names → the configuration naming the state's id.
STATES_BY_NAME = {
    "paid": "PS_OS_PAYMENT",
    "on_hold": "PS_OS_BANKWIRE",
    "shipped": "PS_OS_SHIPPING",
    "cancelled": "PS_OS_CANCELED",
}
# Where the connector writes back what a merchant must see (passerelle.connectors.prestashop).
_ACCOUNT = re.compile(r"^Compte ERP\s*:\s*(\S+)", re.M)
_SALE = re.compile(r"^Vente ERP\s*:\s*(.+)$", re.M)


def _lang(value: Any) -> str:
    return str(value.get("1", "")) if isinstance(value, dict) else str(value or "")


class PrestaShopView:
    def __init__(self, sandbox: PrestaShopSandbox) -> None:
        self.engine = sandbox.engine

    def _stock(self, product_id: int, attribute_id: int) -> int | None:
        for row in self.engine.data["stock_availables"].values():
            if row["id_product"] == str(product_id) and row["id_product_attribute"] == str(
                attribute_id
            ):
                return int(row["quantity"] or 0)
        return None

    def _group_prices(self) -> dict[tuple[str, str], int]:
        """Specific prices for one customer group, by (product, combination): what the
        product page's Pricing tab lists per group (id_group 0 is every customer)."""
        counts: dict[tuple[str, str], int] = {}
        for row in self.engine.data["specific_prices"].values():
            if str(row.get("id_group") or "0") != "0":
                key = (str(row["id_product"]), str(row.get("id_product_attribute") or "0"))
                counts[key] = counts.get(key, 0) + 1
        return counts

    def _brand(self, product: dict[str, Any]) -> str:
        found = self.engine.data["manufacturers"].get(int(product.get("id_manufacturer") or 0))
        return _lang(found["name"]) if found else ""

    def products(self) -> dict[str, ViewProduct]:
        data = self.engine.data
        groups = self._group_prices()
        out: dict[str, ViewProduct] = {}
        for product in data["products"].values():
            own = str(product["id"])
            price = Decimal(product["price"] or 0)
            cats = tuple(
                _lang(data["categories"][int(c["id"])]["name"])
                for c in product["associations"].get("categories", [])
                if int(c["id"]) in data["categories"]
            )
            if product["reference"]:
                out[product["reference"]] = ViewProduct(
                    sku=product["reference"],
                    name=_lang(product["name"]),
                    price=price,
                    stock=self._stock(product["id"], 0),
                    active=product["active"] == "1",
                    category_names=cats,
                    images=sum(1 for i in data["images"].values() if i["id_product"] == own),
                    brand=self._brand(product),
                    group_prices=groups.get((own, "0"), 0),
                )
            for link in product["associations"].get("combinations", []):
                combo = data["combinations"].get(int(link["id"]))
                if combo and combo["reference"]:
                    out[combo["reference"]] = ViewProduct(
                        sku=combo["reference"],
                        name=_lang(product["name"]),
                        price=price + Decimal(combo["price"] or 0),
                        stock=self._stock(product["id"], combo["id"]),
                        parent_sku=product["reference"],
                        images=len(combo.get("associations", {}).get("images") or []),
                        group_prices=groups.get((own, str(combo["id"])), 0),
                    )
        return out

    def category_names(self) -> set[str]:
        return {_lang(c["name"]) for c in self.engine.data["categories"].values()}

    def customers(self) -> dict[str, ViewCustomer]:
        out = {}
        for c in self.engine.data["customers"].values():
            if c["is_guest"] == "1" or c["deleted"] == "1":
                continue
            found = _ACCOUNT.search(c["note"] or "")
            out[c["email"].lower()] = ViewCustomer(
                email=c["email"],
                first_name=c["firstname"],
                last_name=c["lastname"],
                account_code=found.group(1) if found else "",
            )
        return out

    def orders(self) -> dict[str, ViewOrder]:
        data = self.engine.data
        out = {}
        for o in data["orders"].values():
            state = STATES.get(int(o["current_state"] or 0))
            currency = data["currencies"][int(o["id_currency"])]["iso_code"]
            found = _SALE.search(o["note"] or "")
            out[str(o["id"])] = ViewOrder(
                order_id=str(o["id"]),
                total=Decimal(o["total_paid_tax_incl"]).quantize(Decimal("0.01")),
                currency=currency,
                paid=bool(state and state[1]),
                document_number=found.group(1).strip() if found else "",
            )
        return out


class PrestaShopPlatform(SandboxPlatform[PrestaShopSandbox]):
    """A started PrestaShop sandbox, as the demo and the conformance suite use it."""

    kind = "prestashop"

    def __init__(self, sandbox: PrestaShopSandbox) -> None:
        super().__init__(sandbox)
        self.view = PrestaShopView(sandbox)

    def profile_shop(self) -> dict[str, Any]:
        return {
            "kind": "prestashop",
            "url": self.sandbox.url,
            "api_key": f"env:{KEY_ENV}",
            # The demo profile's catalogue tax classes (WooCommerce's) → tax rule groups.
            "tax_rules_groups": {"": 1, "standard": 1, "intermediate-rate": 2, "reduced-rate": 3},
            "http": self.http_options(),
        }

    def secrets(self) -> dict[str, str]:
        return {KEY_ENV: self.sandbox.api_key}

    def place_order(self, lines: Mapping[str, int], *, state: str = "paid") -> str:
        """A storefront checkout (:func:`.checkout.place_order`): ``quantity`` drops by
        the units ordered and the first state reserves them (:mod:`.stock`). PrestaShop
        has no "on hold": a bank wire awaiting its transfer is the order that waits."""
        module, setting = CHECKOUTS[state]
        return checkout.place_order(
            self.sandbox.engine, self.sandbox.webservice, lines, self._state(setting), module
        )

    def set_order_state(self, order_id: str, state: str) -> None:
        """The order page's status change (a POST to ``order_histories``); "refunded" is
        the refund with its products re-stocked, then the Refunded state."""
        if state == "refunded":
            checkout.refund_with_restock(self.sandbox.engine, self.sandbox.webservice, order_id)
            return
        checkout.post_state(self.sandbox.webservice, order_id, self._state(STATES_BY_NAME[state]))

    def delete_product(self, sku: str) -> None:
        """The catalogue's delete: a DELETE of the product or of the combination."""
        with self.sandbox.engine.lock:
            product, combo = checkout.find_sku(self.sandbox.engine, sku)
        path = ["combinations", str(combo["id"])] if combo else ["products", str(product["id"])]
        self.sandbox.webservice.answer("DELETE", path, {}, b"", True, "")

    def _state(self, setting: str) -> str:
        return stock.config(self.sandbox.engine, setting)

    def profile_orders(self) -> dict[str, Any]:
        return {
            "statuses": {"paid": "order", "shipped": "order", "delivered": "order"},
            "awaiting_payment_statuses": ["awaiting_payment"],
            "carriers": {"Colissimo": "Colissimo"},
            # A shipped order takes the "Shipped" state (the connector's status words).
            "shipments": {"status": "shipped", "notify_customer": True},
            "payments": {
                "ps_wirepayment": {"journal": "WEB-TRANSFER"},
                "ps_checkpayment": {"journal": "WEB-TRANSFER"},
                "paypal": {"journal": "WEB-PAYPAL"},
                "ps_cashondelivery": {"journal": "WEB-COD"},
                "stripe_official": {
                    "journal": "WEB-CARD",
                    "journals_by_currency": {"USD": "WEB-CARD-USD", "CAD": "WEB-CARD-CAD"},
                },
                "amazon": {
                    "journal": "WEB-CARD",
                    "account": "WEBAMAZON",
                    "aliases": ["amazonpay", "Amazon Pay"],
                },
            },
        }


def start(state_dir: Path, *, port: int = 0, **options: Any) -> PrestaShopPlatform:
    sandbox = start_under(
        PrestaShopSandbox, state_dir, "prestashop", api_key=DEMO_KEY, port=port, **options
    )
    return PrestaShopPlatform(sandbox)
